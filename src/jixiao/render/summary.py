"""部门项目支出绩效自评总结报告 as HTML and A4 PDF (WeasyPrint), with an SVG bar chart.

The figures and sentences come from :mod:`jixiao.summary`; this module lays them out.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html import escape

from weasyprint import HTML

from jixiao.render.html import environment, stylesheet
from jixiao.render.pdf import font_configuration
from jixiao.summary import Chart, Summary, Table, sections, title

_NUMBER = re.compile(r"^-?\d+(\.\d+)?%?$")

# The chart's box (px) and the bars' colours, best grade first.
WIDTH, HEIGHT, AXIS, TOP = 420, 200, 40, 16
COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#c62828", "#757575")


def bar_geometry(chart: Chart) -> list[tuple[str, int, int, int, int, int]]:
    """Each bar as (label, value, x, y, width, height) in the chart's box, shared by the SVG and
    the PNG writer: bars side by side, heights in proportion to the largest value."""
    n = max(1, len(chart.bars))
    top = max([v for _, v in chart.bars] + [1])
    slot = (WIDTH - AXIS) // n
    width = max(4, slot * 3 // 5)
    plot = HEIGHT - AXIS - TOP
    out = []
    for i, (label, value) in enumerate(chart.bars):
        h = int(Decimal(plot) * value / top) if value else 0
        x = AXIS // 2 + i * slot + (slot - width) // 2
        out.append((label, value, x, TOP + plot - h, width, h))
    return out


def svg(chart: Chart) -> str:
    """The bar chart as inline SVG (labels under the bars, values above them)."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(chart.caption)}">',
        f'<line x1="{AXIS // 2}" y1="{HEIGHT - AXIS}" x2="{WIDTH - AXIS // 2}" '
        f'y2="{HEIGHT - AXIS}" stroke="#000" stroke-width="1"/>',
    ]
    for i, (label, value, x, y, w, h) in enumerate(bar_geometry(chart)):
        colour = COLOURS[i % len(COLOURS)]
        middle = x + w // 2
        parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"/>')
        parts.append(
            f'<text x="{middle}" y="{y - 4}" text-anchor="middle" font-size="12">{value}</text>'
        )
        parts.append(
            f'<text x="{middle}" y="{HEIGHT - AXIS + 18}" text-anchor="middle" '
            f'font-size="13">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_summary_html(summary: Summary) -> str:
    """The report as one HTML document."""
    return (
        environment()
        .get_template("summary.html.j2")
        .render(
            title=title(summary),
            sections=sections(summary),
            is_table=lambda b: isinstance(b, Table),
            is_chart=lambda b: isinstance(b, Chart),
            numeric=lambda cell: bool(_NUMBER.match(cell)),
            svg=svg,
            css=stylesheet("summary.css"),
        )
    )


def render_summary_pdf(summary: Summary) -> bytes:
    """The report on A4, pages numbered."""
    html = render_summary_html(summary)
    return bytes(HTML(string=html).write_pdf(font_config=font_configuration()))


SUMMARY_FORMATS: tuple[str, ...] = ("docx", "pdf", "html")


def summary_bytes(summary: Summary, to: str) -> bytes:
    """The report as ``docx``, ``pdf`` or ``html`` bytes."""
    if to == "pdf":
        return render_summary_pdf(summary)
    if to == "html":
        return render_summary_html(summary).encode("utf-8")
    if to == "docx":
        from jixiao.render.summary_docx import render_summary_docx

        return render_summary_docx(summary)
    raise ValueError(f"总结报告只能输出 docx、pdf 或 html：{to}")
