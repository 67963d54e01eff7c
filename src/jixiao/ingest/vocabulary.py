"""The vocabulary and layout assumptions of the flattened-text 自评表 (pdftotext style).

Everything the text parser (and the text writer) knows about labels, their synonyms and
how a cell's text is measured and wrapped lives here, so that another layout is a matter
of adding words, not of editing the parser.

Layout assumptions (the seed, ``000_7288eb4107761ee7.txt``, shows all of them):

* a form starts at its title line and ends at 评分等级;
* cells that wrap come out as consecutive lines (joined with ``''``, CJK has no spaces);
* adjacent single-line cells of one table row share a line, separated by a space;
* the 一级 / 二级 labels are merged cells: their fragments come before the rows they
  cover and may continue after a page break (``可持`` / ``续影`` / ``响指`` … ``标``);
* a row ends with its two numbers (分值 得分); 偏差原因 text follows the score on that line
  and continues on the lines directly below it (no blank line in between);
* pdftotext separates blocks with a blank line, lines of one block with a newline — a
  hint only: the seed is not consistent about it, so widths decide first;
* a page ends with a form feed (pdftotext) or a few blank lines (the seed); printed forms
  number their pages ("第 1 页 共 2 页") and repeat the indicator table's header at the top
  of a continuation page. Page numbers and repeated headers are page chrome, not cells:
  the reader drops them and keeps only the page break they mark.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache

from jixiao.layouts import all_layouts
from jixiao.model import INDICATOR_LABELS
from jixiao.values import EMPTY_VALUES

TITLE = "财政项目支出绩效自评表"
# Lines that open a form (whitespace removed, after punctuation folding).
TITLE_PATTERN = re.compile(r"项目支出绩效自评表")
YEAR_PATTERN = re.compile(r"[（(]?\s*(\d{4})\s*年度?\s*[)）]?")

PROJECT_LABEL = "项目名称"
# Any of these (whitespace removed) on a line means a form's fields are there; cell
# separators of other layouts ("|") are read as spaces.
FORM_ANCHORS = ("项目名称", "项目资金", "年度资金总额", "三级指标", "年度指标值", "预期目标")
# A printed page whose cells include all of these and no form title is a list of many
# projects' indicators, a row each (a workbook's 指标明细 sheet), not a form.
FLAT_LIST_FIRST = "序号"
FLAT_LIST_LABELS = frozenset((FLAT_LIST_FIRST, "单位", "项目名称", "一级指标", "三级指标"))
DEPARTMENT_LABEL = "主管部门"
UNIT_LABEL = "实施单位"
# A header value (项目名称, 主管部门, 实施单位) wraps over at most this many lines more.
HEADER_MAX_LINES = 3
FUNDS_LABEL = "项目资金"
AMOUNT_UNIT_PATTERN = re.compile(r"[（(]\s*(万元|元)\s*[)）]")
FUND_HEADER_WORDS = ("年初预算数", "全年预算数", "全年执行数", "执行率", "得分")

# 项目资金 rows: canonical key -> labels as printed (after removing 其中 and colons).
FUND_ROW_LABELS: dict[str, tuple[str, ...]] = {
    "total": ("年度资金总额", "资金总额", "总额"),
    "fiscal": ("当年财政拨款", "本年财政拨款", "财政拨款"),
    "carryover": ("上年结转资金", "上年结转"),
    "other": ("其他资金",),
}
FUND_LABEL_NOISE = ("其中", ":", ",")  # removed from a folded fund row label

GOALS_LABEL = "年度总体目标"
GOAL_EXPECTED_LABEL = "预期目标"
GOAL_ACHIEVED_LABEL = "实际完成情况"

# The indicator table header, in column order.
TABLE_HEADER: tuple[str, ...] = tuple(INDICATOR_LABELS.values())
TABLE_HEADER_TEXT = "".join(TABLE_HEADER)
TABLE_ANCHOR = "三级指标"  # found even when the rest of the header is garbled
TITLE_HINT = "评"  # a cheap test before a line is matched against TITLE_PATTERN
SENTENCE_END = "。；！？.;!?"  # how a goal paragraph usually ends (a tie-breaker)


def ends_sentence(text: str) -> bool:
    """``text`` ends as a sentence does (:data:`SENTENCE_END`): not a number's point with its
    decimals on the next line (``5700.`` / ``00(元/人)``, a narrow column)."""
    return text[-1:] in SENTENCE_END and not (text[-1] == "." and text[-2:-1].isdigit())


# The units a number's cell ends in, as forms print them (and 元/人, 万元/场 …: 元/ and up
# to three ideographs): the one list the text reader's unit rules are made from.
UNIT_WORDS = (
    "元", "万元", "%", "个", "次", "人", "人次", "户", "家", "项", "台", "套", "场", "名", "件",
    "份", "册", "册次", "亩", "公里", "公斤", "平方米", "万条", "处", "头", "头只", "张", "种",
    "剂次", "吨", "辆",
)  # fmt: skip
# A duration's unit and what follows it in the cell (30 分钟内到场, 24 小时内, 10 个工作日),
# printed apart from its number: the number's cell, as a unit alone is.
DURATION_WORDS = ("分钟", "小时", "工作日", "天")
UNIT_LEADING = re.compile(r"^(?:分钟|小时|个?工作日|天(?:内|以内)?$)")
# A unit of measure on its own (``元`` of ``不高于 / 5903030.05 / 元`` wrapped, ``492071.45 元``
# spaced): never a cell of its own, nor the beginning of one after a number — it is the
# number's; also in brackets, as jixiao's own forms print a unit after its number
# (106.60(元/人)).
_UNITS = r"万?元/[\u4e00-\u9fff]{1,3}|" + "|".join(map(re.escape, UNIT_WORDS))
UNIT_ALONE = re.compile(rf"^(?:{_UNITS}|[(（](?:{_UNITS})[)）])$")
TOTAL_LABEL = "总分"
GRADE_LABEL = "评分等级"
GRADES = ("优", "良", "中", "差")

# Page chrome. A line that only numbers its page, in the ways printed forms do it:
# "第 1 页 共 2 页", "第1页/共2页", "共 2 页 第 1 页", "第 1 页", "Page 1 of 2". Also the page's
# number in a batch PDF of jixiao, "57 / 230", but only as the line just before "第 i 页 共 n
# 页" (where ``pdftotext -raw`` puts it): anywhere else such a line is the form's text.
PAGE_NUMBER_HINT = ("页", "Page")  # one of these is in the text, or no line can match
PAGE_NUMBER_LINE = re.compile(
    r"^[ \t\f\u3000]*(?:"
    r"第\s*\d+\s*页(?:\s*[,，/／、]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，/／、]?\s*第\s*\d+\s*页"
    r"|Page\s+\d+(?:\s+of\s+\d+)?"
    r"|\d+[ \t]*/[ \t]*\d+"
    r"(?=[ \t\u3000]*\r?\n[ \t\u3000]*"
    r"第[ \t]*\d+[ \t]*页[ \t]*共[ \t]*\d+[ \t]*页[ \t\u3000]*(?:\r|$))"
    r")[ \t\u3000]*(?=\r|$)",
    re.MULTILINE,
)
PAGE_END = "\f"  # pdftotext ends each page with a form feed
# A page break counts as this many blank lines before the next line (the seed, from
# pdftotext without form feeds, shows three); readers take as many as the sign of one.
PAGE_BREAK_BLANKS = 2

# 一级指标 -> the 二级指标 that may stand under it (Shanghai and national 2020 layouts).
LEVELS: dict[str, tuple[str, ...]] = {
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL1_LABELS: tuple[str, ...] = tuple(LEVELS)
LEVEL2_LABELS: tuple[str, ...] = tuple(dict.fromkeys(l2 for v in LEVELS.values() for l2 in v))
# The characters of the 一级 / 二级 labels: text of them only is a merged level cell's piece
LEVEL_CHARS = frozenset("".join((*LEVEL1_LABELS, *LEVEL2_LABELS)))
# A 一级 label's printed weight, or a piece of one broken over lines: (20分), (20 / 分)
WEIGHT_PIECE = re.compile(r"[(（]\d+(?:\.\d+)?(?:分[)）])?|分[)）]")


def level_piece(text: str) -> bool:
    """A piece of a 一级 / 二级 label wrapped in its merged cell (经济成本 / 指标, 满意度指 /
    标(10分), 成本指标 / (10分)): its characters, a 一级's printed weight."""
    return bool(text) and LEVEL_CHARS.issuperset(WEIGHT_PIECE.sub("", text).replace(" ", ""))


def wrapped_levels(cells: Iterable[str]) -> list[str]:
    """The 一级 / 二级 labels that ``cells``, in order, make of their pieces
    (:func:`level_piece`: 经济成本 / 指标 → 经济成本指标), printed weights dropped; a cell of
    anything else parts them. LibreOffice's second pass over a sheet prints a merged level
    cell's wrapped label so, after the table."""
    found: list[str] = []
    acc = ""
    for text in cells:
        piece = WEIGHT_PIECE.sub("", text).replace(" ", "")
        if not text or not LEVEL_CHARS.issuperset(piece):  # (no :func:`level_piece`)
            acc = ""
            continue
        acc += piece
        if acc not in ALL_LEVEL_PREFIXES:
            acc = piece if piece in ALL_LEVEL_PREFIXES else ""
        if acc in ALL_LEVEL_LABELS:
            found.append(acc)
            acc = ""
    return found


# The doubt where wrapped level labels (:func:`wrapped_levels`) are left unplaced: the rows
# they span are not in the text
LEVELS_LEFT = (
    "一级 / 二级指标“{}”折行印在表后，所管的行无法确定，未读入；"
    "各行的一级 / 二级指标按表中印出的推定，请核对"
)


def level_pieces(text: str) -> bool:
    """``text`` holds nothing but characters of 一级 / 二级 labels, 指标 among them
    (经济成本成本指标指标: two level cells' lines interleaved, as ``pdftotext``'s default
    mode prints them apart from the rows): no indicator's text, but level text that
    could not be placed."""
    squashed = "".join(text.split())
    return "指标" in squashed and LEVEL_CHARS.issuperset(squashed)


def apart_from_rows(text: str) -> bool:
    """``text`` is level text (:func:`level_pieces`) or a label of the indicator header as
    printed (偏差原因分析及改进措施): what ``pdftotext``'s default mode prints apart from
    the rows, in a row of its own, and no indicator's."""
    return level_pieces(text) or grid_label(text) in INDICATOR_HEADER_LABELS


# Labels of the form that a text value never holds: one found inside 项目名称, 实施单位, a
# goal or an indicator's text means a reader ran across cells (a gap, not a value).
STRAY_LABELS: tuple[str, ...] = (
    PROJECT_LABEL,
    DEPARTMENT_LABEL,
    UNIT_LABEL,
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "调整后预算数",  # (四川's 全年预算数 and 全年执行数)
    "预算执行数",
    "年度资金总额",
    GOAL_EXPECTED_LABEL,
    GOAL_ACHIEVED_LABEL,
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "偏差原因分析",
    GRADE_LABEL,
)
# Two columns printed side by side on one line: text, spaces, text (CJK has no spaces).
SIDE_BY_SIDE = re.compile(r"[\u4e00-\u9fff，。、；：“”（）《》][ \t\u3000]+[\u4e00-\u9fff“（《]")

# A row's cells before its numbers line take at most this many lines (looked ahead when
# a row's first lines may have been taken for the 偏差原因 of the row above).
CELL_MAX_LINES = 6

# The dashes and slashes of the one list of empty values (jixiao.values.EMPTY_VALUES), no
# word, no empty string: a placeholder where a number or a value should be. The text reader
# takes them for a blank 分值 / 得分 cell.
NULL_TOKENS: frozenset[str] = frozenset(t for t in EMPTY_VALUES if t and t != "无")
NUMBER_PATTERN = re.compile(r"^[-+]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?%?$")

# Characters that may not start a line (kinsoku): they travel with the character before.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’)]}%,.;:?!·…")
# Characters that may not end a line: they travel with the character after.
NO_LINE_END = frozenset("“‘（《「『【〔([{")

# Quotation marks (UAX #14's class QU): a renderer that follows UAX #14 (Pango, and so
# jixiao's PDF) breaks a line neither before nor after one, so the character before an
# opening “ goes down with it to the next line (为提 / 高“12345”热…). The text writer's
# kinsoku (NO_LINE_END) breaks before “: see :func:`first_piece_width`.
QUOTES = frozenset("“”‘’\"'«»‹›")

# Full-width forms folded to ASCII when *recognising* labels (values keep their text).
_FOLD = tuple(zip("（）：，；！？％＝＜＞", "():,;!?%=<>", strict=True))


# What :func:`fold` changes: the full-width punctuation it folds, and whitespace (``\\s`` is
# what str.split splits at).
_FOLDED = re.compile(r"[（）：，；！？％＝＜＞\s]")


def fold(text: str) -> str:
    """Text for label matching: full-width punctuation folded, whitespace removed."""
    if _FOLDED.search(text) is None:  # (most lines: nothing to fold, found at once)
        return text
    # one str.replace for each mark the text holds: str.translate looks every character
    # of CJK text up in its table, several times slower on these lines
    for wide, narrow in _FOLD:
        if wide in text:
            text = text.replace(wide, narrow)
    return "".join(text.split())


def _width_table() -> bytes:
    table = bytearray(0x10000)
    for cp in range(0x10000):
        ch = chr(cp)
        if unicodedata.combining(ch):
            continue
        table[cp] = 2 if unicodedata.east_asian_width(ch) in "WFA" else 1
    return bytes(table)


class _Widths:
    """The width table of the BMP, built on first use (it takes a moment), and a pattern
    of the characters beyond ASCII that are not 2 wide (rare in these forms)."""

    table: bytes | None = None
    odd: re.Pattern[str] | None = None

    @classmethod
    def get(cls) -> bytes:
        if cls.table is None:
            cls.table = _width_table()
        return cls.table

    @classmethod
    def odd_pattern(cls) -> re.Pattern[str]:
        if cls.odd is None:
            table = cls.get()
            ranges, start = [], None
            for cp in range(0x80, 0x10000):
                if table[cp] != 2 and start is None:
                    start = cp
                elif table[cp] == 2 and start is not None:
                    ranges.append((start, cp - 1))
                    start = None
            if start is not None:
                ranges.append((start, 0xFFFF))
            body = "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)
            cls.odd = re.compile(f"[{body}\\U00010000-\\U0010ffff]")
        return cls.odd


def char_width(ch: str) -> int:
    """Display width in half-width units: CJK, full-width and ambiguous characters are 2."""
    cp = ord(ch)
    if cp < 0x10000:
        return _Widths.get()[cp]
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


@lru_cache(maxsize=4096)  # a form's lines repeat (a label, 万元, a unit): ~2/3 seen before
def text_width(text: str) -> int:
    """Display width of ``text`` in half-width units (see :func:`char_width`)."""
    if text.isascii():
        return len(text)
    odd = _Widths.odd or _Widths.odd_pattern()
    if not odd.search(text):  # ASCII and 2-wide characters only
        return 2 * len(text) - len(text.encode("ascii", "ignore"))
    try:
        return sum(map(_Widths.get().__getitem__, map(ord, text)))
    except IndexError:  # beyond the BMP
        return sum(map(char_width, text))


def width_slack(text: str, width: int | None = None) -> int:
    """How far the measured width of ``text`` (``width``, when known) may be off the
    printed one: a unit, and half a unit for each half-width character (in a PDF digits
    and Latin letters are proportional, CJK characters are not). The 偏差原因 reading's
    measure, on the seed's path; :func:`width_bounds` bounds each character instead."""
    return 1 + (2 * len(text) - (text_width(text) if width is None else width)) // 2


# -- printed widths: bounds per character ---------------------------------------------------
#
# :func:`text_width` counts a character 2 units (one em) or 1 (half an em); what a PDF
# renderer prints is the font's advance. :func:`width_bounds` gives, for a text, at least
# and at most its printed width in thousandths of an em (:data:`EM`), summing bounds of
# each character's advance that hold for the fonts Chinese forms are printed in:
#
# - 宋体 SimSun, 仿宋, 楷体, 黑体 SimHei: ASCII half-width (exactly 0.5 em), every CJK
#   character and GB2312 symbol (≥ ≤ × “ ” …) full-width (1 em);
# - Noto Sans CJK / Noto Serif CJK (SC and JP, regular and bold): jixiao's PDF (WeasyPrint)
#   and LibreOffice's, measured on this machine with fontTools and in the PDFs with
#   pdfplumber (their Latin is proportional: '1' 0.466–0.471 em in the serif, '%' 0.923);
# - what LibreOffice substitutes for a Western font the form names: DejaVu Sans / Serif
#   (its fallback; the widest: digits 0.636–0.696, '%' 1.002 bold, ≥ 0.837), Liberation
#   Sans / Serif (Arial, Times New Roman), Carlito / Caladea (Calibri, Cambria; Debian's
#   fonts-crosextra-*, measured with fontTools: Calibri's ≥ × ± are 0.498 em, Cambria's
#   '1' 0.362 and '.' 0.206), each regular and bold;
# - Microsoft YaHei and 等线 DengXian are not on this machine and were not measured: their
#   Latin (YaHei's is Segoe UI's) is taken to fall within the range of the fonts above.
#
# Each bound is the least / greatest advance over those fonts, rounded outward to 0.01 em
# and widened by 0.01 em more. CJK ideographs, kana and full-width forms (East Asian
# width W / F: ，。：（）、《》〔〕 …) are exactly one em in every one of these fonts and
# in every PDF measured (no font here compresses punctuation unless asked to).

EM = 1000  # width bounds are in thousandths of an em; an ideograph is EM, a unit EM // 2


_CLASS_BOUNDS: tuple[tuple[str, int, int], ...] = (
    ("0234567", 450, 710),  # SimSun 0.5; Caladea '3' 0.46 … DejaVu Serif Bold 0.696
    ("89", 460, 710),
    ("1", 350, 710),  # Cambria's (Caladea's) proportional '1' 0.362
    (".,", 190, 510),  # Caladea ',' 0.205, '.' 0.206 … SimSun 0.5
    ("()", 290, 510),  # Carlito 0.303 … SimSun 0.5 (DejaVu Serif Bold 0.473)
    ("-", 290, 510),  # Carlito 0.306 … SimSun 0.5
    ("%", 490, 1020),  # SimSun 0.5, Calibri 0.715, Noto Serif CJK 0.923, DejaVu Sans Bold 1.002
    ("/\\", 260, 520),  # Arial 0.278 … Caladea Bold 0.505
    ("=+<>~", 480, 850),  # SimSun 0.5, Noto Sans CJK 0.555 … DejaVu Bold 0.838
    (":;", 250, 510),
    (" ", 210, 510),  # Noto Sans CJK 0.224, Caladea 0.22 … SimSun 0.5
    ("abcdefghijklmnopqrstuvwxyz", 210, 1070),  # Arial 'i' 0.222 … DejaVu Serif Bold 'm' 1.058
    ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 240, 1140),  # Calibri 'I' 0.252 … DejaVu Serif Bold 'W' 1.123
    ("≥≤×±÷√", 490, 1000),  # Calibri 0.498 … full-width 1.0 (SimSun, Noto CJK)
    ("“”‘’", 210, 1000),  # Cambria ‘ 0.221, Arial “ 0.333 … full-width 1.0
)
_OTHER_ASCII = (130, 1040)  # the rest of ASCII: Cambria '`' 0.151 … Arial '@' 1.015
_OTHER = (100, 1450)  # any other character not W / F: Cambria '·' 0.106 … DejaVu Bold '‰' 1.44
_FULL = (EM, EM)

_GLYPH_BOUNDS: dict[str, tuple[int, int]] = {
    **{chr(c): _OTHER_ASCII for c in range(0x21, 0x7F)},
    **{ch: (lo, hi) for chars, lo, hi in _CLASS_BOUNDS for ch in chars},
}


def glyph_bounds(ch: str) -> tuple[int, int]:
    """(at least, at most) the printed advance of ``ch`` in thousandths of an em (see
    :func:`width_bounds`)."""
    found = _GLYPH_BOUNDS.get(ch)
    if found is not None:
        return found
    if unicodedata.combining(ch):
        return (0, 0)
    found = _FULL if unicodedata.east_asian_width(ch) in "WF" else _OTHER
    if len(_GLYPH_BOUNDS) < 8192:  # (remembered: a form's characters are few)
        _GLYPH_BOUNDS[ch] = found
    return found


@lru_cache(maxsize=4096)
def width_bounds(text: str) -> tuple[int, int]:
    """(at least, at most) the printed width of ``text`` in thousandths of an em
    (:data:`EM`), the sum of its characters' bounds (:func:`glyph_bounds`; the comment
    above :data:`EM` says where each comes from). Text of ideographs and full-width marks only is
    exactly as wide as :func:`text_width` says."""
    lo = hi = 0
    for ch in text:
        a, b = _GLYPH_BOUNDS.get(ch) or glyph_bounds(ch)
        lo += a
        hi += b
    return lo, hi


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".,")


def _unit_end(text: str, i: int) -> int:
    """End of the unit starting at ``i``: opening marks, a character or an ASCII word,
    then closing marks (kinsoku: neither may be left alone at a line end / start)."""
    n = len(text)
    while i < n - 1 and text[i] in NO_LINE_END:
        i += 1
    j = i + 1
    if _is_word_char(text[i]):
        while j < n and _is_word_char(text[j]):
            j += 1
    while j < n and text[j] in NO_LINE_START:
        j += 1
    return j


def split_units(text: str) -> list[str]:
    """The unbreakable units of a cell (see :func:`_unit_end`)."""
    units: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = _unit_end(text, i)
        units.append(text[i:j])
        i = j
    return units


def _is_ideograph(ch: str) -> bool:
    return ch >= "\u2e80" and ch not in NO_LINE_START and ch not in NO_LINE_END


def printed_head(text: str) -> str:
    """The beginning of ``text`` up to the first place a printer may break the line
    (UAX #14, as PDF renderers do): one ideograph, or a run of anything else — a number
    with its unit marks, ``≥90.00(%)``, a Latin word — which is not broken; an opening
    bracket goes with what follows it, closing punctuation with what precedes it. Wider
    than :func:`first_unit_width`'s unit, which the text writer wraps by."""
    text = text.lstrip()
    n = len(text)
    if not n:
        return ""
    if _is_ideograph(text[0]) and (n == 1 or text[1] not in NO_LINE_START):
        return text[:1]  # (most lines of CJK text: one ideograph, nothing that goes with it)
    return _head_scanned(text, n)


def _head_scanned(text: str, n: int) -> str:
    """:func:`printed_head` of ``text`` (``n`` characters, none of them leading space)
    scanned character by character."""
    i = 0
    while i < n - 1 and text[i] in NO_LINE_END:
        i += 1
    j = i + 1
    if not _is_ideograph(text[i]):
        while j < n and not _is_ideograph(text[j]) and not text[j].isspace():
            j += 1
        if j < n and text[j - 1] in NO_LINE_END and not text[j].isspace():
            j += 1
    while j < n and text[j] in NO_LINE_START:
        j += 1
    return text[:j]


@lru_cache(maxsize=4096)
def first_unit_width(text: str) -> int:
    """Width of the first unit of ``text`` (what did not fit on the line before)."""
    text = text.lstrip()
    if not text:
        return 0
    head = text[:2]
    if head.isascii() or head[-1] in NO_LINE_START or head[0] in NO_LINE_END:
        return text_width(text[: _unit_end(text, 0)])
    return char_width(head[0])  # one character that is not an ASCII word, alone


@lru_cache(maxsize=4096)
def first_piece_width(text: str) -> int:
    """Width of the first piece of ``text`` that did not fit on the line before, by either
    printer's rule: :func:`first_unit_width`'s unit (the text writer's, which breaks before
    an opening “), or the printed head with quotation marks glued to what stands on both
    sides of them (:func:`quoted_head`, UAX #14 as Pango breaks: 高“12345”热), the wider.
    A line that had room for the narrower piece may have had none for the wider one."""
    text = text.lstrip()
    if len(text) > 1:
        second = text[1]
        if second not in QUOTES and second not in NO_LINE_START and _is_ideograph(text[0]):
            return char_width(text[0])  # (most lines of CJK text: one ideograph, no mark)
    return _piece_width_scanned(text)


def _piece_width_scanned(text: str) -> int:
    """:func:`first_piece_width` of ``text`` (no leading space), both pieces measured."""
    return max(first_unit_width(text), text_width(quoted_head(text)))


def quoted_head(text: str) -> str:
    """:func:`printed_head` of ``text``, and while a quotation mark (:data:`QUOTES`) ends
    it or comes right after it, the printed head of what follows too: UAX #14 (LB19)
    breaks no line on either side of a quotation mark (``高“12345”热``, ``建“整``)."""
    text = text.lstrip()
    n, end = len(text), len(printed_head(text))
    while end < n and not text[end].isspace() and (text[end - 1] in QUOTES or text[end] in QUOTES):
        end += len(printed_head(text[end:]))
    return text[:end]


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap of one cell to ``width`` units; a unit wider than a line is split
    between characters."""
    lines: list[str] = []
    line, used = "", 0
    for unit in split_units(text):
        w = text_width(unit)
        if used + w <= width:
            line += unit
            used += w
            continue
        if line:
            lines.append(line)
            line, used = "", 0
        if w <= width:
            line, used = unit, w
            continue
        for ch in unit:  # wider than a whole line
            cw = char_width(ch)
            if used + cw > width and line:
                lines.append(line)
                line, used = "", 0
            line += ch
            used += cw
    if line:
        lines.append(line)
    return [ln.strip() for ln in lines if ln.strip()]


# The common case of NUMBER_PATTERN, in one step: ASCII digits without separators.
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?", re.ASCII).fullmatch


def parse_number_token(token: str) -> tuple[bool, str | None]:
    """(is a numeric cell, its plain decimal text or None for "-")."""
    if _PLAIN_NUMBER(token):
        return True, token
    if token in NULL_TOKENS:
        return True, None
    if not token[:1].isdigit() and token[:1] not in "+-＋－":
        return False, None
    t = unicodedata.normalize("NFKC", token) if not token.isascii() else token
    if NUMBER_PATTERN.match(t):
        return True, t.replace(",", "").replace("，", "").rstrip("%")
    return False, None


def is_bare_number(token: str) -> bool:
    """A token that is only a number (thousands separators allowed), as 分值 / 得分 are."""
    return bool(_PLAIN_NUMBER(token)) or _is_other_bare_number(token)


def _is_other_bare_number(token: str) -> bool:
    """:func:`is_bare_number` of a token that is not a plain ASCII number."""
    if not token[:1].isdigit() and token[:1] not in "+-＋－":
        return False
    t = unicodedata.normalize("NFKC", token) if not token.isascii() else token
    return bool(NUMBER_PATTERN.match(t)) and not t.endswith("%")


# No row's 分值 or 得分 is more, nor the 总分: a larger number beside a row (a year, 2024; a
# count, 39700.00) is one of its values.
SCORE_MAX = Decimal(100)


def is_score_token(token: str) -> bool:
    """A 分值 / 得分 cell: a bare number no greater than :data:`SCORE_MAX`, or "-" for a
    blank one."""
    if token in NULL_TOKENS:
        return True
    if not is_bare_number(token):
        return False
    _, plain = parse_number_token(token)
    return plain is not None and abs(Decimal(plain)) <= SCORE_MAX


@lru_cache(maxsize=64)
def _prefixes(labels: tuple[str, ...]) -> frozenset[str]:
    return frozenset(label[:k] for label in labels for k in range(1, len(label) + 1))


# The vocabulary's own label tuples live as long as the module: keyed by identity, their
# prefix sets are found without hashing the tuple on every call.
_KNOWN: dict[int, frozenset[str]] = {
    id(t): _prefixes(t) for t in (LEVEL1_LABELS, LEVEL2_LABELS, *LEVELS.values())
}


def label_prefixes(labels: tuple[str, ...]) -> frozenset[str]:
    """Every beginning (and the whole) of each of ``labels``."""
    known = _KNOWN.get(id(labels))
    return known if known is not None else _prefixes(labels)


def is_label_prefix(text: str, labels: tuple[str, ...]) -> bool:
    """Is ``text`` the beginning (or the whole) of one of ``labels``?"""
    return text in label_prefixes(labels)


ALL_LEVEL_LABELS: tuple[str, ...] = LEVEL1_LABELS + LEVEL2_LABELS
ALL_LEVEL_PREFIXES: frozenset[str] = _prefixes(ALL_LEVEL_LABELS)


# --------------------------------------------------------------------------- cell grids
# Labels of table cells (PDF, Excel and HTML tables; :mod:`jixiao.ingest.grid`): the
# Shanghai labels above plus the synonyms of other provinces' layouts (samples 001–021:
# 调整后预算数, 权重, 指标性质, 全年实际值(B), 未完成原因分析 …). Regular expressions,
# matched in full against :func:`grid_label` of a cell; keys are the model's field names.


def _words(*labels: str) -> tuple[str, ...]:
    return tuple(re.escape(label) for label in labels)


@lru_cache(maxsize=8192)
def grid_label(text: str) -> str:
    """A cell's text for label matching: :func:`fold`, without colons (cached: a form's
    labels repeat on every form of a file)."""
    return fold(text).replace(":", "")


def _declared(kind: str) -> tuple[str, ...]:
    """The words the layout declarations (``jixiao/layouts/*.toml``) give for the rows or
    columns (``kind``: fund_rows, fund_columns, indicator_columns) their templates have
    beyond the model's fields, as patterns: what a form of a declared layout holds is
    placed by its declaration, not by code per province."""
    words: list[str] = []
    for layout in all_layouts():
        for declared in getattr(layout, kind):
            if declared.field is None:
                words += [declared.label, *declared.synonyms]
    folded = (grid_label(w).replace(" ", "").removeprefix("其中") for w in words)
    return tuple(re.escape(w) for w in dict.fromkeys(folded) if w)


def declared_field(kind: str, field: str) -> tuple[str, ...]:
    """The words the layout declarations give for a model field among ``kind`` (head,
    fund_rows, fund_columns, indicator_columns): 部门（单位）名称 of the department-wide form,
    指标分值 / 单项指标得分 / 权重占比 of 河北's, as patterns. A word that is another field's
    own label in some layout is that field's (地方主管部门: the transfer form's unit, though
    a synonym of 主管部门; 权重: 四川's 分值, though a synonym of 权重占比)."""
    labels = {lab.label: lab.field for x in all_layouts() for lab in getattr(x, kind) if lab.field}
    words = [
        w
        for x in all_layouts()
        for lab in getattr(x, kind)
        if lab.field == field
        for w in lab.words()
        if labels.get(w, field) == field
    ]
    folded = (grid_label(w) for w in words)
    return tuple(re.escape(w) for w in dict.fromkeys(folded) if w)


GRID_HEAD_LABELS: dict[str, tuple[str, ...]] = {
    "project": (
        *_words(PROJECT_LABEL),
        r"项目名称及代码",
        r"项目全称",
        *declared_field("head", "project"),
    ),
    "department": (
        *_words(DEPARTMENT_LABEL),
        r"主管部门(及代码)?",
        r"主管单位",
        r"预算部门",
        *declared_field("head", "department"),
    ),
    "unit": (
        *_words(UNIT_LABEL),
        r"实施单位(及代码)?(\(盖章\))?",
        r"项目实施单位",
        r"预算单位",
        *declared_field("head", "unit"),
    ),
}
# Head fields the model has no place for: kept in ``SelfEvaluation.extras``.
GRID_OTHER_HEAD_LABELS: tuple[str, ...] = (
    r"项目(编码|代码|类别|类型|属性|负责人|联系人|期限)",
    r"(项目)?负责人",
    r"联系(电话|方式)",
    r"填报(人|日期|单位)",
    r"资金(性质|用途)",
    r"项目单位",
    r"(评价|自评)结论",
    r"存在(的)?问题(及原因)?",
    r"改进措施(及建议)?",
    r"(主要)?绩效.*问题.*",
    r"审核人",
    r"单位负责人",
    r"财务负责人",
    r"(\d\.)?项目实施内容及过程概述",
    r"其他(需要)?说明(的)?事项",
    r"部门",
)
GRID_FUND_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial": (r"年初预算(数|金额)?(\(A\))?", r"年初(预算)?(数)?", r"预算数"),
    "adjusted": (r"全年预算(数|金额)?(\(A\))?", r"调整后预算(数)?"),
    "executed": (r"全年执行(数|金额)?(\(B\))?", r"预算执行数", r"(全年)?实际(执行|支出)(数)?"),
    "weight": (r"分值(\(\d+分\))?", r"分数", r"权重"),
    "rate": (r"(预算)?执行率(\(%\))?(\(B/A\))?",),
    "score": (r"得分",),
}
# Fund columns the template lacks, kept in the row's ``extras`` by their header's text.
GRID_FUND_EXTRA_COLUMNS: tuple[str, ...] = (
    r"原因",
    r"得分计算方法",
    r"(偏差|未完成)原因.*",
    *_declared("fund_columns"),
)
# An added fund column's label with its value (总体完成率98%), printed among the goals or
# the indicator rows (``pdftotext`` of LibreOffice's PDF prints the column after the fund
# rows' cells): a cell of no row there.
FUND_COLUMN_VALUE = re.compile(
    "^(?:" + "|".join(GRID_FUND_EXTRA_COLUMNS) + r")(?:\d+(?:\.\d+)?%?|-)$"
)
# Any fund column's header label, the template's or an added one (a cell's grid_label).
FUND_COLUMN_LABEL = re.compile(
    "^(?:"
    + "|".join([*(p for ps in GRID_FUND_COLUMNS.values() for p in ps), *GRID_FUND_EXTRA_COLUMNS])
    + ")$"
)


def joined_wraps(pieces: list[str], is_label: Callable[[str], bool]) -> list[str]:
    """Words of a header whose labels wrapped in their cells, each line's words in order
    (``年初预算数 | 调整后预算 | 数 | 预算执行数 权重 | 预算执行 | 率``), with each piece that
    completes a label only with the piece after it joined to that piece (调整后预算 + 数,
    预算执行 + 率): a piece and the next are joined when together they are a label and one
    of them alone is not. Text flattened with no positions (``pdftotext -raw``) tells a
    wrap from a cell only by the words."""
    out: list[str] = []
    for piece in pieces:
        if out and is_label(out[-1] + piece) and not (is_label(out[-1]) and is_label(piece)):
            out[-1] += piece
        else:
            out.append(piece)
    return out


GRID_FUND_ROWS: dict[str, tuple[str, ...]] = {
    "total": (
        *(r"(其中)?" + w for w in _words(*FUND_ROW_LABELS["total"])),
        r"(项目)?资金总额",
        r"合计",
    ),
    "fiscal": (
        *(r"(其中)?" + w for w in _words(*FUND_ROW_LABELS["fiscal"])),
        r"(其中)?(当年|本年|年度)?财政(拨款|资金)",
        r"(其中)?(当年|本年)?一般公共预算(拨款|资金)?",
    ),
    "carryover": (*(r"(其中)?" + w for w in _words(*FUND_ROW_LABELS["carryover"])), r"结转(资金)?"),
    "other": tuple(r"(其中)?" + w for w in _words(*FUND_ROW_LABELS["other"])),
}
# Fund rows the template lacks (四川: 财政专户管理资金, 单位资金; transfers: 中央补助 …),
# kept in ``funds.extras`` by their label.
GRID_FUND_EXTRA_ROWS: tuple[str, ...] = (
    r"(其中)?财政专户(管理)?资金",
    r"(其中)?单位(自有)?资金",
    r"(其中)?(中央|省级|市级|县级)?(补助|财政)资金",
    r"(其中)?中央补助",
    r"(其中)?地方资金",
    *(r"(其中)?" + w for w in _declared("fund_rows")),
)
GRID_FUNDS_BLOCK = re.compile(rf"^({re.escape(FUNDS_LABEL)}|预算执行情况|资金情况|项目资金情况)")
GRID_GOAL_EXPECTED: tuple[str, ...] = (
    *_words(GOAL_EXPECTED_LABEL),
    r"年初设定目标",
    r"项目年度目标",
    r"年度(绩效)?目标",
    r"绩效目标",
)
GRID_GOAL_ACHIEVED: tuple[str, ...] = (
    *_words(GOAL_ACHIEVED_LABEL),
    r"年度总体目标完成情况(综述)?",
    r"年度目标完成情况",
    r"(目标)?完成情况",
    r"实际完成(情况)?(综述)?",
)
GRID_GOALS_BLOCK = re.compile(rf"^{re.escape(GOALS_LABEL)}$|^年度目标$|^总体目标$")
GRID_INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": _words(TABLE_HEADER[0]),
    "level2": _words(TABLE_HEADER[1]),
    "name": (*_words(TABLE_HEADER[2]), r"指标名称"),
    "target": (*_words(TABLE_HEADER[3]), r"(年度)?(预期)?指标值(\(A\))?", r"(年度)?目标值"),
    "actual": (
        *_words(TABLE_HEADER[4]),
        r"(全年)?实际(完成)?值(\(B\))?",
        r"完成值",
        r"实际完成(情况)?",
    ),
    "weight": (*_words(TABLE_HEADER[5]), r"权重", r"分数"),
    "score": _words(TABLE_HEADER[6]),
    "deviation": (
        *_words(TABLE_HEADER[7]),
        r"偏差原因.*",
        r"未完成原因.*",
        r".*原因分析.*",
        r"原因",
    ),
}
for _key in GRID_INDICATOR_COLUMNS:  # the declarations' words (河北's 指标分值, 单项指标得分 …)
    GRID_INDICATOR_COLUMNS[_key] += declared_field("indicator_columns", _key)
# The indicator header's labels as written, model and declarations (longest first): a
# paragraph of text ending in one printed the header's label in it (pdftotext default).
INDICATOR_HEADER_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            grid_label(w)
            for w in (
                *TABLE_HEADER,
                *(w for x in all_layouts() for lab in x.indicator_columns for w in lab.words()),
            )
        }
        - {""},
        key=len,
        reverse=True,
    )
)
INDICATOR_HEADER_LABELS = frozenset(INDICATOR_HEADER_WORDS)
# Number columns of some layouts, typed on the row (河北's 权重占比 and 单项指标折算得分).
GRID_INDICATOR_COLUMNS["share"] = declared_field("indicator_columns", "share")
GRID_INDICATOR_COLUMNS["adjusted_score"] = declared_field("indicator_columns", "adjusted_score")
# Indicator columns the template lacks (四川 / 云南 指标性质 and 度量单位, 北京 得分计算方法 …),
# kept in each indicator's ``extras`` by their header's text.
GRID_INDICATOR_EXTRA_COLUMNS: tuple[str, ...] = (
    r"指标性质",
    r"(度量|计量)单位",
    r"得分计算方法",
    r"评(分|价)标准",
    r"指标赋分规则",
    r"佐证(资料|材料)",
    r"指标值设置依据",
    r"上年完成值",
    r"完成率",
    *_declared("indicator_columns"),
)


# An operator printed in a column of its own (指标性质), as forms write it.
GRID_OPERATORS: frozenset[str] = frozenset(
    {"≥", "≤", "=", ">", "<", ">=", "<=", "≧", "≦", "═", "＝", "≥=", "定性", "定量", "≠"}
)


def added_cell_fits(label: str, text: str) -> bool:
    """May a cell read ``text`` stand in the added indicator column ``label`` (its header's
    text, folded)? 指标性质 holds an operator (:data:`GRID_OPERATORS`) and nothing else; a
    度量单位 never one, nor a bare number. Any other column's cell may hold any text."""
    if label == "指标性质":
        return text in GRID_OPERATORS
    if label.endswith("单位"):
        return text not in GRID_OPERATORS and _BARE_NUMBER.fullmatch(text) is None
    return True


_BARE_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
# Labels a form run together into one text (a doc site's conversion: "项目名称X主管部门及
# 代码Y…年初预算数(A)全年执行数(B)分值(10分)…") is cut at: labels that free text does not
# hold (a bare 分值 or 指标值 does; "分值(10分)" does not). Longest first at each place.
GLUED_ANCHORS: tuple[str, ...] = (
    "项目名称",
    "主管部门及代码",
    "主管部门",
    "实施单位",
    "项目资金(万元)",
    "项目资金(元)",
    "年初预算数(A)",
    "年初预算数",
    "全年预算数(A)",
    "全年预算数",
    "全年执行数(B)",
    "全年执行数",
    "分值(10分)",
    "分值(20分)",
    "执行率(B/A)",
    "得分计算方法",
    "得分",
    "年度资金总额:",
    "年度资金总额",
    "其他资金",
    "上年结转资金",
    "年度总体目标",
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值(A)",
    "全年实际值(B)",
    "未完成原因分析",
    "偏差原因分析及改进措施",
    "总分",
    "评分等级",
    *(w for l2 in LEVELS.values() for w in l2),
    *LEVELS,
)
# Rows of a template the form left unused (指标2 / …… under a 二级 指标).
GRID_PLACEHOLDER_NAME = re.compile(r"^(指标\d*|…+|\.{3,}|……)$")
GRID_TOTAL_LABELS: tuple[str, ...] = (*_words(TOTAL_LABEL), r"合计", r"总计", r"总分合计")
GRID_GRADE_LABELS: tuple[str, ...] = (*_words(GRADE_LABEL), r"(自评|评价|绩效)?等级")
GRID_GRADES: frozenset[str] = frozenset({*GRADES, "优秀", "良好", "合格", "不合格"})
GRID_TITLE = re.compile(rf"{TITLE_PATTERN.pattern}|自评表|绩效自评|绩效目标自评")
# Lines around the tables that are page chrome (第 2 页 / 共 5 页, 2/5, -3-, a bare number).
PAGE_DECORATION = re.compile(
    r"^(第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|-\s*\d+\s*-|\d+)$"
)
GRID_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
GRID_YEAR_LINE = re.compile(r"^[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?$")
# "单位：万元" as matched (colons folded away): at the end of a short line.
GRID_UNIT_LINE = re.compile(r"(?:金额)?单位[:：]?\s*[(（]?(万元|元)[)）]?$")
