"""Charts as rendered: in Persian they read right to left (the first day at the right, the value
axis and the legend on the right, Persian digits), in Russian left to right; pages get them
without inline styles or scripts (the CSP blocks both) and link their stylesheet; the PDF gets
them with the stylesheet inline and Persian texts in display order for WeasyPrint."""
from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from flask_babel import force_locale

from planner.extensions import db
from planner.statistics.charts import event_charts
from planner.statistics.figures import event_figures
from planner.statistics.report import report_html
from planner.statistics.svg import visual_order
from planner.text.i18n import _
from tests.eventday.helpers import scenario

SVG = "{http://www.w3.org/2000/svg}"
PERSIAN_NUMBER = re.compile(r"^[۰-۹٫٬]+$")


@pytest.fixture
def three_days(app):
    """The one-day scenario stretched over 8–10 November (the figures list every day of the round)."""
    data = scenario()
    data["event"].end_date = date(2026, 11, 10)
    db.session.commit()
    return data


def _charts(event, locale: str) -> dict:
    with force_locale(locale):
        return {chart.key: chart for chart in event_charts(event_figures(event), locale)}


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _matrix(transform: str | None):
    """The affine matrix (a, b, c, d, e, f) of an SVG transform list (translate and matrix, as pygal and the mirror write)."""
    result = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, args in re.findall(r"(\w+)\(([^)]*)\)", transform or ""):
        values = [float(v) for v in re.split(r"[\s,]+", args.strip())]
        if name == "translate":
            step = (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0.0)
        elif name == "matrix":
            step = tuple(values)
        else:
            raise AssertionError(f"unexpected transform {name}")
        result = _multiply(result, step)
    return result


def _placed(svg: str) -> list[dict]:
    """Every text and rect with its class path and its x on the drawing (transforms applied)."""
    found = []

    def walk(node, matrix, classes):
        matrix = _multiply(matrix, _matrix(node.get("transform")))
        classes = classes + (node.get("class") or "").split()
        tag = node.tag.replace(SVG, "")
        if tag in ("text", "rect"):
            x = float((node.get("x") or "0").split()[0])
            width = float(node.get("width") or 0)
            left, right = sorted((matrix[0] * x + matrix[4], matrix[0] * (x + width) + matrix[4]))
            found.append({"tag": tag, "text": node.text or "", "classes": classes, "left": left, "right": right,
                          "direction": node.get("direction")})
        for child in node:
            walk(child, matrix, classes)

    walk(ElementTree.fromstring(svg), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), [])
    return found


def _parts(svg: str) -> dict:
    items = _placed(svg)
    return {
        "days": [i for i in items if i["tag"] == "text" and "x" in i["classes"] and "axis" in i["classes"]],
        "values": [i for i in items if i["tag"] == "text" and "y" in i["classes"] and "axis" in i["classes"]],
        "plot": next(i for i in items if i["tag"] == "rect" and "plot" in i["classes"] and "background" in i["classes"]),
        "legend": [i for i in items if i["tag"] == "rect" and "legend" in i["classes"]],
        "texts": [i for i in items if i["tag"] == "text"],
    }


def test_persian_charts_run_right_to_left_with_persian_digits(three_days):
    event = three_days["event"]
    fa = _parts(_charts(event, "fa")["meetings_day"].svg)
    assert [d["text"] for d in fa["days"]] == ["۱۷ آبان", "۱۸ آبان", "۱۹ آبان"]  # Jalali, in time order
    first, last = fa["days"][0], fa["days"][-1]
    assert first["left"] > last["right"]  # the first day is the rightmost
    assert fa["values"] and all(PERSIAN_NUMBER.match(v["text"]) for v in fa["values"])
    assert all(v["left"] >= fa["plot"]["right"] - 1 for v in fa["values"])  # the value axis on the right
    boxes = fa["legend"]
    assert len(boxes) == 4 and boxes[0]["left"] > boxes[1]["left"] > boxes[2]["left"]  # the legend starts at the right
    assert all(t["direction"] == "rtl" for t in fa["texts"])

    ru = _parts(_charts(event, "ru")["meetings_day"].svg)
    assert ru["days"][0]["right"] < ru["days"][-1]["left"] and ru["days"][0]["text"] == "8 нояб."
    assert all(v["right"] <= ru["plot"]["left"] + 1 for v in ru["values"])
    assert ru["legend"][0]["left"] < ru["legend"][1]["left"]
    assert all(t["direction"] is None for t in ru["texts"])


def test_horizontal_bars_grow_leftwards_in_persian_and_counts_have_whole_ticks(three_days):
    for locale, start in (("fa", "right"), ("ru", "left")):
        svg = _charts(three_days["event"], locale)["interpreters"].svg
        bars = [i for i in _placed(svg) if i["tag"] == "rect" and "bar" in i["classes"]]
        plot = _parts(svg)["plot"]
        # each bar starts at the plot's edge (pygal leaves 11.5 px), on the right in Persian
        assert bars and all(abs(bar[start] - plot[start]) < 15 for bar in bars), (locale, bars, plot)
    fa = _charts(three_days["event"], "fa")
    # Nobody answered the feedback yet: the usefulness axis counts 0, 1 — no 0.2 steps.
    assert [v["text"] for v in _parts(fa["usefulness"].svg)["values"]] == ["۰", "۱"]


def test_pages_get_charts_without_inline_styles_and_link_their_stylesheet(client, auth, three_days):
    auth.login("org@karvan.example")
    html = client.get(f"/statistics/{three_days['event'].slug}?lang=fa").get_data(as_text=True)
    charts = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(charts) == 8
    assert not [svg for svg in charts if "<style" in svg or "<script" in svg or "style=" in svg]
    assert 'href="/statistics/charts-fa.css"' in html
    css = client.get("/statistics/charts-fa.css")
    assert css.status_code == 200 and css.mimetype == "text/css" and "public" in css.headers["Cache-Control"]
    text = css.get_data(as_text=True)
    assert ".pygal-chart .color-3" in text and "Vazirmatn" in text and "#chart-" not in text
    assert client.get("/statistics/charts-xx.css").status_code == 404


def test_the_pdf_gets_its_charts_styled_inline_with_persian_in_display_order(three_days):
    with force_locale("fa"):
        html = report_html(three_days["event"], "fa")
        scheduled = str(_("scheduled"))
    texts = re.findall(r"<text\b[^>]*>([^<]*)</text>", html)
    assert visual_order(scheduled) in texts and scheduled not in texts
    assert visual_order(scheduled) != scheduled and visual_order("Elena 12") == "Elena 12"
    assert html.count('<style type="text/css">') >= 8
