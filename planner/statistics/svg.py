"""pygal's SVG made fit for Karvan's pages and PDFs.

- `mirror_for_rtl`: a pygal XML filter that draws a chart as in a mirror for right-to-left
  readers, texts kept the right way round (see its docstring).
- `drop_tooltips` and `split_styles`: the chart without its inline `<style>` and `<script>` (a Content-Security-
  Policy of `style-src 'self'; script-src 'self'` blocks both, leaving black shapes), and the
  stylesheet it needs, scoped to `.pygal-chart` so that every chart of a language shares it;
  the pages link it (`statistics.chart_css`).
- `for_print`: the chart for WeasyPrint, which has no CSP but draws SVG text letter by letter
  from left to right without shaping: the stylesheet goes back inline, and Persian texts are
  written in `visual_order` (joined letter forms, display order).
"""
from __future__ import annotations

import re
from html import unescape
from xml.sax.saxutils import escape

import icu

_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)
_CHART_ID = re.compile(r"#chart-[0-9a-f-]+")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_SVG_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")  # pygal's texts hold plain text, no <tspan>
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic and their presentation forms


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def mirror_for_rtl(root):
    """pygal XML filter: the chart as in a mirror, for right-to-left readers; returns `root`.

    The drawing (`<g class="graph">`) is flipped about the vertical centre line of the viewBox:
    the first category on the right, the value axis on the right, horizontal bars growing
    leftwards, the legend starting at the right. Each text is flipped back about its own anchor
    point (it sits at the mirrored place and reads the right way round) and gets
    `direction="rtl"`, which turns pygal's logical anchors to the right side: "end" (value
    labels) now starts at the axis and runs outwards, "start" (legend names) ends at its colour
    box. Browsers and WeasyPrint both read it so.
    """
    width = float(root.get("viewBox").split()[2])
    graph = next(child for child in root if _local_name(child.tag) == "g" and "graph" in (child.get("class") or "").split())
    graph.set("transform", f"matrix(-1 0 0 1 {width:g} 0)")
    texts = [(parent, child) for parent in graph.iter() for child in parent if _local_name(child.tag) == "text"]
    for parent, text in texts:
        x = float((text.get("x") or "0").split()[0])
        holder = text.makeelement(text.tag[:-len("text")] + "g", {"transform": f"matrix(-1 0 0 1 {2 * x:g} 0)"})
        index = list(parent).index(text)
        parent.remove(text)
        holder.append(text)
        parent.insert(index, holder)
        text.set("direction", "rtl")
    return root


def drop_tooltips(root):
    """pygal XML filter: without pygal's script there are no tooltips; their empty overlay
    carries the only `style` attribute, which the CSP would refuse. Returns `root`."""
    for parent in list(root.iter()):
        for child in list(parent):
            if "tooltip-overlay" in (child.get("class") or "").split():
                parent.remove(child)
    return root


def split_styles(svg: str) -> tuple[str, str]:
    """(`svg` without `<style>` and `<script>`, its stylesheet as CSS text scoped to `.pygal-chart`)."""
    css = "\n".join(_CHART_ID.sub(".pygal-chart", unescape(block)) for block in _STYLE.findall(svg))
    return _SCRIPT.sub("", _STYLE.sub("", svg)), css


def visual_order(text: str) -> str:
    """Right-to-left text as it is seen: letters in their joined forms (Arabic presentation
    forms, ICU shaping) and in display order from left to right (ICU bidi, paragraph level
    right to left). Text without right-to-left letters is returned as it is."""
    if not _RTL_LETTER.search(text):
        return text
    shaped = icu.Shape.shapeArabic(text, icu.Shape.LETTERS_SHAPE | icu.Shape.LENGTH_GROW_SHRINK)
    bidi = icu.Bidi()
    bidi.setPara(icu.UnicodeString(shaped), 1)
    # no DO_MIRRORING: the texts keep direction="rtl", and Pango mirrors brackets itself
    return str(bidi.writeReordered(icu.Bidi.REMOVE_BIDI_CONTROLS))


def for_print(svg: str, css: str) -> str:
    """`svg` (from `split_styles`) with its stylesheet inline again and every text in
    `visual_order`, for WeasyPrint."""

    def visual(match: re.Match) -> str:
        return match.group(1) + escape(visual_order(unescape(match.group(2)))) + match.group(3)

    opening = _SVG_OPEN.search(svg)
    styled = f'{svg[:opening.end()]}<defs><style type="text/css">{escape(css)}</style></defs>{svg[opening.end():]}'
    return _SVG_TEXT.sub(visual, styled)
