"""部门项目支出绩效自评总结报告 as a Word document (.docx, python-docx).

The same sections, paragraphs and tables as the PDF (:func:`jixiao.summary.sections`); the
bar chart is a small PNG drawn here (bars and their values, no fonts needed), its labels in
the caption under it.
"""

from __future__ import annotations

import io
import struct
import zlib

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from jixiao.render.summary import COLOURS, HEIGHT, WIDTH, bar_geometry
from jixiao.render.word import a4, set_font
from jixiao.summary import Chart, Summary, Table, sections, title

FONT = "宋体"
HEADING_FONT = "黑体"
SCALE = 2  # PNG pixels per chart unit

# 3 × 5 bitmaps of the digits, for the values above the bars.
_DIGITS = {
    "0": ("111", "101", "101", "101", "111"),
    "1": ("010", "110", "010", "010", "111"),
    "2": ("111", "001", "111", "100", "111"),
    "3": ("111", "001", "111", "001", "111"),
    "4": ("101", "101", "111", "001", "001"),
    "5": ("111", "100", "111", "001", "111"),
    "6": ("111", "100", "111", "101", "111"),
    "7": ("111", "001", "010", "010", "010"),
    "8": ("111", "101", "111", "101", "111"),
    "9": ("111", "101", "111", "001", "111"),
}


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def chart_png(chart: Chart) -> bytes:
    """The bar chart as a PNG: white ground, an axis, one coloured bar per value, the value
    above each bar in a 3 × 5 pixel font."""
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    pixels = bytearray(b"\xff" * (w * h * 3))

    def fill(x0: int, y0: int, x1: int, y1: int, rgb: tuple[int, int, int]) -> None:
        for y in range(max(0, y0), min(h, y1)):
            row = y * w * 3
            for x in range(max(0, x0), min(w, x1)):
                pixels[row + 3 * x : row + 3 * x + 3] = bytes(rgb)

    base = (HEIGHT - 40) * SCALE
    fill(20 * SCALE, base, (WIDTH - 20) * SCALE, base + SCALE, (0, 0, 0))
    dot = 2 * SCALE
    for i, (_, value, x, y, bw, bh) in enumerate(bar_geometry(chart)):
        fill(x * SCALE, y * SCALE, (x + bw) * SCALE, (y + bh) * SCALE, _rgb(COLOURS[i % 5]))
        text = str(value)
        left = (x + bw // 2) * SCALE - (len(text) * 4 - 1) * dot // 2
        top = y * SCALE - 7 * dot
        for k, ch in enumerate(text):
            for r, bits in enumerate(_DIGITS[ch]):
                for c, bit in enumerate(bits):
                    if bit == "1":
                        px, py = left + (4 * k + c) * dot, top + r * dot
                        fill(px, py, px + dot, py + dot, (0, 0, 0))
    raw = b"".join(b"\x00" + bytes(pixels[y * w * 3 : (y + 1) * w * 3]) for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _table(doc: object, table: Table) -> None:
    caption = doc.add_paragraph(table.caption)  # type: ignore[attr-defined]
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    grid = doc.add_table(rows=1, cols=len(table.heads))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    for cell, head in zip(grid.rows[0].cells, table.heads, strict=True):
        cell.text = head
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    set_font(run, FONT, 8)


def render_summary_docx(summary: Summary) -> bytes:
    """The report as a .docx document."""
    doc = Document()
    a4(doc.sections[0])
    set_font(doc.styles["Normal"], FONT, 10.5)
    for name in ("Heading 1", "Heading 2", "Title"):
        set_font(doc.styles[name], HEADING_FONT)
    head = doc.add_heading(title(summary), level=0)
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in sections(summary):
        doc.add_heading(part.heading, level=1)
        for block in part.blocks:
            if isinstance(block, Table):
                _table(doc, block)
            elif isinstance(block, Chart):
                doc.add_picture(io.BytesIO(chart_png(block)), width=Mm(120))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                legend = "、".join(f"{label} {value}" for label, value in block.bars)
                caption = doc.add_paragraph(f"{block.caption}：{legend}（自左至右）")
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                paragraph = doc.add_paragraph(block)
                paragraph.paragraph_format.first_line_indent = Pt(21)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
