"""Issue 13, item 8: every upload goes through planner.text.uploads — the encoding is detected or the
file refused with a message naming it, keys are checked by the form's own validators, all or nothing."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from planner.exhibitions.services import import_exhibitions
from planner.extensions import db
from planner.models import Exhibition
from tests.exhibitions.test_exhibitions import HEADER, ROOT, _row

RU_ROW = ("expo-1405,نمایشگاه,Выставка «Энергетика и нефть»,Energy show,Mashhad International Exhibition Center,,,"
          ",1405-08-17,1405-08-20,2026-11-08,2026-11-11,16:00,21:00,0710,planned,illustrative,none")
RU_HEADER = HEADER


def _organiser(make_user, auth):
    make_user("organiser", email="org@karvan.example")
    db.session.commit()
    auth.login("org@karvan.example")


def _upload(client, data: bytes, lang="en"):
    return client.post(f"/exhibitions/import?lang={lang}", data={"file": (io.BytesIO(data), "calendar.csv")},
                       content_type="multipart/form-data")


def _titles() -> dict[str, str]:
    return dict(db.session.execute(select(Exhibition.key, Exhibition.title_ru)).all())


def test_windows_1251_csv_from_russian_excel_imports_with_correct_titles(client, auth, make_user):
    # Russian Excel saves "CSV (разделители — точка с запятой)" in Windows-1251 with semicolons;
    # Persian titles cannot be stored in 1251, so that column is empty here as in such a file.
    header = HEADER.replace(",", ";")
    row = RU_ROW.replace("نمایشگاه", "").replace(",", ";")
    _organiser(make_user, auth)
    response = _upload(client, (header + "\r\n" + row + "\r\n").encode("cp1251"))
    # the Persian title is required by the form, so the row is refused; the Russian title must be readable
    assert response.status_code == 422
    assert "title_fa" in response.get_data(as_text=True)
    full = HEADER + "\r\n" + RU_ROW.replace("نمایشگاه", "Expo") + "\r\n"
    response = _upload(client, full.encode("cp1251"))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _titles() == {"expo-1405": "Выставка «Энергетика и нефть»"}


def test_cli_reads_windows_1251_without_a_traceback(any_app, tmp_path):
    path = tmp_path / "calendar.csv"
    path.write_bytes((HEADER + "\n" + RU_ROW.replace("نمایشگاه", "Expo") + "\n").encode("cp1251"))
    result = any_app.test_cli_runner().invoke(args=["import-exhibitions", str(path)])
    assert result.exit_code == 0, result.output
    assert _titles() == {"expo-1405": "Выставка «Энергетика и нефть»"}


@pytest.mark.parametrize("data, fragment", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "encoding"),
    ((HEADER + "\n" + _row()).encode("utf-8").replace(b"test-1405", b"test\x00-1405"), "control characters"),
    ("key,title_en\nx,\u0391\u03b8\u03ae\u03bd\u03b1 \u0395\u03ba\u03b8\u03b5\u03c3\u03b7 \u03a4\u03bf\u03c5\u03c1\u03b9\u03c3\u03bc\u03bf\u03cd\n"
     .encode("cp1253"), "CSV UTF-8"),
])
def test_unreadable_files_are_refused_with_a_message(client, auth, make_user, data, fragment):
    _organiser(make_user, auth)
    response = _upload(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert fragment in html
    assert db.session.scalar(select(func.count()).select_from(Exhibition)) == 0


def test_refusal_names_the_encoding_in_the_readers_language(client, auth, make_user):
    _organiser(make_user, auth)
    greek = "key,title_en\nx,Αθήνα Έκθεση Τουρισμού και Πολιτισμού\n".encode("cp1253")
    html = _upload(client, greek, lang="ru").get_data(as_text=True)
    assert "CP1253" in html or "WINDOWS-1253" in html.upper() or "ISO-8859-7" in html.upper(), html
    assert "UTF-8" in html


@pytest.mark.parametrize("key", ["a/b", "../../etc/passwd", "Upper-Case", "with space"])
def test_keys_the_form_refuses_are_refused_by_the_import(any_app, key):
    report = import_exhibitions("\n".join([HEADER, _row(key="good-1405"), _row(key=key)]) + "\n")
    assert not report.ok
    assert any(error.line == 3 and error.column == "key" for error in report.errors), [str(e) for e in report.errors]
    assert db.session.scalar(select(func.count()).select_from(Exhibition)) == 0


def test_shipped_calendar_still_imports_as_bytes(any_app):
    report = import_exhibitions((ROOT / "data" / "exhibitions" / "mashhad-1405.csv").read_bytes())
    assert report.ok and report.created == 13 and report.encoding == "UTF-8"
