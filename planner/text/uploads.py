"""One reader for every uploaded table (the exhibition CSV, the firm import, and any later one).

Every upload path goes through the same three steps, so a file is never stored as garbage and never
half-imported:

1. `decode_upload(raw)` turns bytes into text. UTF-8 (with or without a BOM) and UTF-16 with a BOM
   are read as they are; anything else is detected with charset-normalizer and accepted only when it
   is one of the legacy encodings our readers' spreadsheets save in (Windows-1251 and KOI8-R from
   Russian Excel, Windows-1256 from Persian Windows, Windows-1252 and Latin-1 from English ones). A
   file that is binary, ambiguous or in any other encoding raises `UploadRefused` with a message that
   names what it looks like and says how to save it as UTF-8. Text with NUL or other control
   characters is refused too (PostgreSQL cannot store NUL; no form can type them).

2. `read_csv_table(raw, required=…, known=…)` decodes and parses a CSV into `UploadRow`s (line
   number + stripped values by column name). Missing required columns, duplicate column names and
   lines with more cells than the header are reported as `RowError`s; a spreadsheet reader (openpyxl,
   python-calamine) produces the same `UploadRow`s itself and continues at step 3.

3. `form_errors(form_class, row, fields=…)` checks one row with the very WTForms form an organiser
   fills in by hand (CSRF off, no request needed, so the CLI works too), so a key such as `a/b` or
   `../../etc/passwd` is refused by the upload exactly as the form refuses it. Its messages are the
   form's own translated messages, attached to the row's line and column.

Callers collect every `RowError` of the whole file first and write nothing when there is any (all or
nothing): `UploadReport` holds the errors and the counts, and its `ok` tells the view whether to
commit or roll back.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from werkzeug.datastructures import MultiDict

from planner.errors import ServiceError
from planner.text.i18n import _, local_digits, ngettext

# Legacy encodings our readers' spreadsheets save in, by the name charset-normalizer reports, and
# the name a person recognises in the "Save as" dialogue.
ACCEPTED_LEGACY_ENCODINGS = {
    "cp1251": "Windows-1251",
    "koi8_r": "KOI8-R",
    "cp1256": "Windows-1256",
    "cp1252": "Windows-1252",
    "latin_1": "ISO-8859-1",
}
# A Unicode file announces itself with a byte-order mark; these are read without guessing.
_BOMS = (
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF32_LE, "utf_32"),
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
# Control characters no form can type and PostgreSQL's text cannot always hold; tab, CR and LF stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Generous for any calendar or firm list, small enough that one request cannot hog the worker.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Longest cell we read; the widest column of any upload target is far below it.
_MAX_CELL = 10_000


class UploadRefused(ServiceError):
    """The file as a whole cannot be read; `message` is translated and says what to do."""


@dataclass(frozen=True)
class Decoded:
    """An upload's text and the encoding it was read in (a name a person recognises)."""

    text: str
    encoding: str


@dataclass
class RowError:
    """One problem in an upload, at a line (1 = the header) and, when known, a column."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s", line=local_digits(self.line))
        if self.column:
            where += ", " + _("column %(column)s", column=self.column)
        return f"{where}: {self.message}"


@dataclass
class UploadRow:
    """One data line: its line number in the file and its stripped cells by column name."""

    line: int
    values: dict[str, str]


@dataclass
class UploadReport:
    """What an all-or-nothing import found: every error, or the counts of what it wrote."""

    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    encoding: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _encoding_label(name: str) -> str:
    return ACCEPTED_LEGACY_ENCODINGS.get(name, name.replace("_", "-").upper())


def decode_upload(raw: bytes) -> Decoded:
    """Decode an uploaded file's bytes, or raise `UploadRefused` naming the encoding it looks like.

    UTF-8 is tried first and strictly (a pure-ASCII file is UTF-8); a BOM decides for UTF-8/16/32;
    otherwise charset-normalizer's best guess is used when it is one of ACCEPTED_LEGACY_ENCODINGS.
    """
    if len(raw) > MAX_UPLOAD_BYTES:
        raise UploadRefused(_("The file is larger than %(size)s MB.", size=local_digits(MAX_UPLOAD_BYTES // (1024 * 1024))))
    encoding, label = None, None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            encoding, label = name, "UTF-8" if name == "utf_8_sig" else name.replace("_", "-").upper()
            break
    if encoding is None:
        try:
            text = raw.decode("utf-8")
            encoding, label = "utf_8", "UTF-8"
        except UnicodeDecodeError:
            guess = from_bytes(raw).best()
            if guess is None:
                raise UploadRefused(_("This file is not text in any encoding we can recognise. "
                                      "Save it as “CSV UTF-8” and upload it again.")) from None
            if guess.encoding not in ACCEPTED_LEGACY_ENCODINGS:
                raise UploadRefused(_("This file looks like %(encoding)s, which we do not read. "
                                      "Save it as “CSV UTF-8” and upload it again.",
                                      encoding=_encoding_label(guess.encoding))) from None
            encoding, label = guess.encoding, ACCEPTED_LEGACY_ENCODINGS[guess.encoding]
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        raise UploadRefused(_("This file says it is %(encoding)s but is not. "
                              "Save it as “CSV UTF-8” and upload it again.", encoding=label)) from None
    text = text.lstrip("\ufeff")
    if _CONTROL.search(text):
        raise UploadRefused(_("This file holds control characters, so it is not a text table. "
                              "Save it as “CSV UTF-8” and upload it again."))
    return Decoded(text=text, encoding=label)


def _delimiter(text: str, required: Sequence[str], rename: Callable[[str], str]) -> str:
    """The separator that makes the header hold the required columns: Russian and Persian Excel
    save CSV with semicolons, others with commas; a tab-separated export works too."""
    first_line = text.split("\n", 1)[0]
    for delimiter in (",", ";", "\t"):
        header = [rename(name.strip()) for name in first_line.split(delimiter)]
        if all(column in header for column in required):
            return delimiter
    return ","


def read_csv_table(raw: bytes, *, required: Sequence[str], known: Sequence[str],
                   rename: Callable[[str], str] | None = None) -> tuple[list[UploadRow], list[RowError], str]:
    """Decode and parse a CSV upload: its rows, every structural error, and the encoding read.

    `required` columns must be in the header; columns outside `known` are ignored. `rename` maps a
    header cell to its canonical column name (headers written in another language). Cells are
    stripped; a missing cell is "". Raises `UploadRefused` when the file cannot be decoded at all.
    """
    rename = rename or (lambda name: name)
    decoded = decode_upload(raw)
    reader = csv.reader(io.StringIO(decoded.text, newline=""), delimiter=_delimiter(decoded.text, required, rename))
    errors: list[RowError] = []
    try:
        header = [rename(name.strip()) for name in next(reader, [])]
    except csv.Error as error:
        return [], [RowError(1, None, _("the file is not a valid CSV table (%(reason)s)", reason=str(error)))], decoded.encoding
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        errors.append(RowError(1, None, _("duplicate column(s): %(columns)s", columns=", ".join(duplicates))))
    missing = [column for column in required if column not in header]
    if missing:
        errors.append(RowError(1, None, _("missing column(s): %(columns)s", columns=", ".join(missing))))
    if errors:
        return [], errors, decoded.encoding
    rows: list[UploadRow] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                errors.append(RowError(line, None, _("this line has %(cells)s cells but the header has %(columns)s",
                                                     cells=local_digits(len(cells)), columns=local_digits(len(header)))))
                continue
            values = {name: (cells[index].strip() if index < len(cells) else "")
                      for index, name in enumerate(header) if name in known}
            too_long = [name for name, value in values.items() if len(value) > _MAX_CELL]
            if too_long:
                errors.append(RowError(line, too_long[0], ngettext("longer than %(num)s character", "longer than %(num)s characters", _MAX_CELL, num=local_digits(_MAX_CELL))))
                continue
            rows.append(UploadRow(line=line, values=values))
    except csv.Error as error:
        errors.append(RowError(reader.line_num, None, _("the file is not a valid CSV table (%(reason)s)", reason=str(error))))
    return rows, errors, decoded.encoding


def form_errors(form_class, row: UploadRow, fields: Iterable[str], data: Mapping[str, str] | None = None) -> list[RowError]:
    """Check `fields` of one row with the form class an organiser uses for the same record.

    The form gets the row's values (or `data`, when the caller maps columns to fields first) as
    submitted form data, without CSRF and without a request, and only the named fields' errors are
    reported (others, such as a submit button, are not in a file). Errors come back with the row's line.
    """
    form = form_class(formdata=MultiDict(dict(data if data is not None else row.values)), meta={"csrf": False})
    form.validate()
    return [RowError(row.line, name, str(message))
            for name in fields for message in form.errors.get(name, [])]
