"""Reading a firm file (`.xlsx` or `.csv`) into rows: the people sheet and the optional
`meetings` sheet, with canonical column names and cells as text.

A CSV goes through the shared reader (`planner.text.uploads.read_csv_table`: any encoding a
spreadsheet program writes, `;` or `,`); an `.xlsx` is read with openpyxl, Excel dates becoming ISO
days and whole numbers losing their ".0". Every cell is normalised the same way (NFKC, Arabic
letter forms to Persian ones), so a file typed on an Arabic keyboard stores the same names.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook

from planner.onboarding.columns import MEETING_COLUMNS, PEOPLE_COLUMNS, REQUIRED_COLUMNS, canonical, is_meeting_sheet
from planner.text.i18n import _
from planner.text.uploads import MAX_UPLOAD_BYTES, RowError, UploadRefused, UploadRow, read_csv_table

# Arabic letters an Arabic keyboard types where Persian has its own.
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_MAX_ROWS = 20_000


@dataclass
class FirmFile:
    """The rows of an uploaded firm file: people (one row per person) and wishes."""

    people: list[UploadRow] = field(default_factory=list)
    meetings: list[UploadRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encoding: str | None = None
    has_meetings_sheet: bool = False


def clean(text: str) -> str:
    """A cell's text as stored: compatibility forms folded (NFKC), Persian letters, stripped."""
    return unicodedata.normalize("NFKC", text).translate(_PERSIAN_LETTERS).strip()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _sheet_rows(sheet, known, required, sheet_label: str) -> tuple[list[UploadRow], list[RowError]]:
    rows = sheet.iter_rows(values_only=True)
    header_cells = next(rows, None) or ()
    header = [canonical(_cell_text(cell)) for cell in header_cells]
    missing = [name for name in required if name not in header]
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    errors = []
    if missing:
        errors.append(RowError(1, None, _("%(sheet)s: missing column(s): %(columns)s", sheet=sheet_label,
                                          columns=", ".join(missing))))
    if duplicates:
        errors.append(RowError(1, None, _("%(sheet)s: duplicate column(s): %(columns)s", sheet=sheet_label,
                                          columns=", ".join(duplicates))))
    if errors:
        return [], errors
    found = []
    for line, cells in enumerate(rows, start=2):
        if line > _MAX_ROWS:
            errors.append(RowError(line, None, _("The file has too many rows.")))
            break
        values = {name: _cell_text(cells[index]) for index, name in enumerate(header)
                  if name in known and index < len(cells)}
        if any(values.values()):
            found.append(UploadRow(line=line, values=values))
    return found, errors


def _read_xlsx(raw: bytes) -> FirmFile:
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UploadRefused(_("This is not an Excel workbook (.xlsx) we can read. Save it again as .xlsx or as CSV UTF-8.")) from None
    result = FirmFile(encoding="XLSX")
    try:
        sheets = list(book.worksheets)
        people_sheet = next((sheet for sheet in sheets if not is_meeting_sheet(sheet.title)), None)
        meeting_sheet = next((sheet for sheet in sheets if is_meeting_sheet(sheet.title)), None)
        if people_sheet is None:
            raise UploadRefused(_("The workbook has no sheet of firms and people."))
        result.people, result.errors = _sheet_rows(people_sheet, PEOPLE_COLUMNS, REQUIRED_COLUMNS, people_sheet.title)
        if meeting_sheet is not None:
            result.has_meetings_sheet = True
            meetings, errors = _sheet_rows(meeting_sheet, MEETING_COLUMNS, ("requester", "target"), meeting_sheet.title)
            result.meetings = meetings
            result.errors += [RowError(e.line, e.column, e.message) for e in errors]
    finally:
        book.close()
    return result


def read_firm_file(filename: str, raw: bytes) -> FirmFile:
    """The rows of an uploaded `.xlsx` or `.csv` (judged by its content: an .xlsx is a zip).

    Raises `UploadRefused` (translated) when the file as a whole cannot be read.
    """
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadRefused(_("The file is too large."))
    if raw.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _read_xlsx(raw)
    rows, errors, encoding = read_csv_table(raw, required=REQUIRED_COLUMNS, known=PEOPLE_COLUMNS, rename=canonical)
    for row in rows:
        row.values = {name: clean(value) for name, value in row.values.items()}
    return FirmFile(people=rows, errors=errors, encoding=encoding)
