"""Helpers shared by the Word (.docx, python-docx) writers: fonts that reach CJK text, A4."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt


def set_font(run_or_style: object, name: str, size: float | None = None) -> None:
    """Set the font of a run or style for Latin and CJK text alike: Word takes CJK
    characters from ``w:eastAsia``, which python-docx's ``font.name`` leaves alone."""
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = name
    if size is not None:
        font.size = Pt(size)
    element = run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def a4(section: Section, side_mm: float = 20, top_mm: float | None = None) -> None:
    """A4 portrait with ``side_mm`` left and right margins (and ``top_mm`` top and bottom)."""
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(side_mm)
    if top_mm is not None:
        section.top_margin = section.bottom_margin = Mm(top_mm)
