"""Bounds of printed widths (:func:`jixiao.ingest.vocabulary.width_bounds`) against the
advances of real fonts, and how the text-columns reader uses them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from jixiao.ingest import text_columns as TC
from jixiao.ingest import vocabulary as V

ASCII = [chr(c) for c in range(0x20, 0x7F)]
SYMBOLS = list("≥≤×±÷√“”‘’")
FULL = list("中国人元（），。：；、《》〔〕％")

# Fonts Chinese forms are printed in, or LibreOffice puts in their place, as installed here
FONTS = [
    "Noto Serif CJK SC",  # jixiao's PDF (WeasyPrint)
    "Noto Serif CJK SC:bold",
    "Noto Sans CJK SC",
    "Noto Sans CJK SC:bold",
    "Noto Serif CJK JP",  # LibreOffice's CJK font here
    "Noto Sans CJK JP",
    "DejaVu Sans",  # LibreOffice's fallback for a Western font it lacks
    "DejaVu Sans:bold",
    "DejaVu Serif",
    "DejaVu Serif:bold",
    "Liberation Sans",  # Arial's metrics
    "Liberation Sans:bold",
    "Liberation Serif",  # Times New Roman's
    "Liberation Serif:bold",
]


def _advances(pattern: str) -> dict[str, float]:
    """The advance of each character of ASCII, SYMBOLS and FULL in the font fontconfig
    finds for ``pattern``, in em; skipped when it is not installed."""
    ttlib = pytest.importorskip("fontTools.ttLib")
    if shutil.which("fc-match") is None:
        pytest.skip("no fontconfig")
    found = subprocess.run(
        ["fc-match", "-f", "%{family}\n%{file}\n%{index}", pattern],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    family, path, index = [*found, "", "", ""][:3]
    if pattern.split(":")[0] not in family.split(","):
        pytest.skip(f"{pattern} is not installed")
    font = ttlib.TTFont(path, fontNumber=int(index or 0), lazy=True)
    upm = font["head"].unitsPerEm
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return {ch: hmtx[cmap[ord(ch)]][0] / upm for ch in ASCII + SYMBOLS + FULL if ord(ch) in cmap}


@pytest.mark.parametrize("pattern", FONTS)
def test_glyph_bounds_hold_for_the_advances_of_the_fonts_on_this_machine(pattern):
    advances = _advances(pattern)
    assert advances
    outside = {}
    for ch, em in advances.items():
        lo, hi = V.glyph_bounds(ch)
        if not lo <= round(em * V.EM) <= hi:
            outside[ch] = (lo, round(em * V.EM), hi)
    assert outside == {}


# Advances (in thousandths of an em) of fonts that are not installed here: SimSun / 仿宋 /
# 楷体 / 黑体 set ASCII half-width and GB2312's symbols full-width; Carlito and Caladea
# (Debian's fonts-crosextra-*, the metrics of Calibri and Cambria) measured with fontTools.
MEASURED = [
    *[("SimSun", ch, 500) for ch in ASCII],
    *[("SimSun", ch, 1000) for ch in SYMBOLS + FULL],
    ("Calibri", "0", 507),
    ("Calibri", "%", 715),
    ("Calibri", "(", 303),
    ("Calibri", ".", 252),
    ("Calibri", "/", 386),
    ("Calibri", "≥", 498),
    ("Calibri", "×", 498),
    ("Calibri", "“", 418),
    ("Calibri", " ", 226),
    ("Cambria", "1", 362),
    ("Cambria", "0", 517),
    ("Cambria", ".", 206),
    ("Cambria", "(", 382),
    ("Cambria", "%", 890),
    ("Cambria", "≥", 554),
    ("Cambria bold", "/", 505),
    ("Cambria bold", "%", 976),
]


@pytest.mark.parametrize(("font", "ch", "advance"), MEASURED)
def test_glyph_bounds_hold_for_fonts_measured_elsewhere(font, ch, advance):
    lo, hi = V.glyph_bounds(ch)
    assert lo <= advance <= hi


def test_width_bounds_of_ideographs_are_exact_and_of_numbers_hold_what_pdfs_print():
    assert V.width_bounds("家庭医生签约人数") == (8000, 8000)
    assert V.width_bounds("（万元），") == (5000, 5000)
    lo, hi = V.width_bounds("≥14900.00(")
    # jixiao's PDF (Noto Serif CJK: ≥ full-width, digits 0.471–0.562 em) prints 5.507 em;
    # SimSun 5.5; LibreOffice with DejaVu Sans (≥ 0.837, digits 0.636) 5.996
    assert lo <= 5500 <= 5507 <= 5996 <= hi
    # the old measure, half a unit a half-width character, allowed 2.5 … 7.5 em
    assert lo >= 4000 and hi <= 7000


def test_the_first_piece_of_a_line_keeps_a_solidus_with_the_character_before_it():
    # UAX #14 breaks no line before / (LB13): what did not fit after a full line was 元/
    assert TC._head("元/人") >= V.width_bounds("元/")[1]
    assert TC._head("元/场") > TC._head("元")
    assert TC._head("人)") == V.width_bounds("人)")[1]


def test_a_space_may_stand_at_a_break_beside_a_digit_or_a_letter_only():
    space = V.glyph_bounds(" ")[1]
    assert (
        TC._break("不高于5100", "元/场")
        == V.width_bounds("不高于5100")[1] + TC._head("元/场") + space
    )
    assert TC._break("≥", "90%") == V.width_bounds("≥")[1] + TC._head("90%") + space
    # not inside brackets, nor between ideographs
    assert TC._break("≥14900.00(", "人)") == V.width_bounds("≥14900.00(")[1] + TC._head("人)")
    assert TC._break("14900.00(人", ")") == V.width_bounds("14900.00(人")[1] + TC._head(")")
    assert TC._break("完成值", "达到指") == 4000
