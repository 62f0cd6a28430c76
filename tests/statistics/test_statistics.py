"""Statistics page with charts in fa, ru and en; the report workbook with typed cells."""
from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from openpyxl import load_workbook

from planner.extensions import db
from planner.models.enums import FollowUp
from planner.outcomes.services import FeedbackAnswer, save_feedback
from tests.eventday.helpers import scenario


@pytest.fixture
def answered(app):
    data = scenario()
    request = data["requests"]["toos-ural"]
    for person, kind in ((data["firms"]["ural"].participants[0], FollowUp.MOU), (data["firms"]["toos"].participants[0], FollowUp.CONTRACT)):
        save_feedback(data["event"], request, person, FeedbackAnswer(True, 4, kind, None))
    db.session.commit()
    return data


@pytest.mark.parametrize("lang, title, digits", [("fa", "بار کاری مترجمان", "۳"), ("ru", "Загрузка переводчиков", "3"),
                                                 ("en", "Interpreter load", "3")])
def test_statistics_page_renders_charts_in_each_language(client, auth, answered, lang, title, digits):
    auth.login("org@karvan.example")
    page = client.get(f"/statistics/{answered['event'].slug}?lang={lang}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and title in html
    assert html.count("<svg") >= 8 and "kozea.github.io" not in html
    assert re.search(rf"<dd>{digits}</dd>", html)  # meetings scheduled, in the reader's digits
    assert "Toos Steel Industries" in html or "صنایع فولاد توس" in html  # the pair that agreed on a contract
    overview = client.get(f"/statistics/?lang={lang}")
    assert overview.status_code == 200 and "<svg" in overview.get_data(as_text=True)


def test_report_workbook_has_typed_cells_and_headers_in_the_language(client, auth, answered):
    auth.login("org@karvan.example")
    answer = client.get(f"/statistics/{answered['event'].slug}/report.xlsx?lang=ru")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["Сводка", "Фирмы", "Запросы", "Встречи", "Итоги", "Отзыв"]
    meetings = book["Встречи"]
    assert meetings["B1"].value == "Начало" and isinstance(meetings["B2"].value, datetime)
    assert meetings.max_row == 1 + len(answered["version"].meetings)
    summary = {row[0].value: row[1].value for row in book["Сводка"].iter_rows(min_row=2)}
    assert summary["Зарегистрировано фирм"] == 4 and summary["Запланированные встречи"] == 3
    assert summary["Договорились о контракте или меморандуме"] == 1
    feedback = book["Отзыв"]
    assert sorted(row[2].value for row in feedback.iter_rows(min_row=2)) == [4, 4]
    assert client.get(f"/statistics/{answered['event'].slug}/report.doc").status_code == 404
