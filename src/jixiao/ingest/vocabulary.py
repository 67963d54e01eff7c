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
  hint only: the seed is not consistent about it, so widths decide first.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TITLE = "财政项目支出绩效自评表"
# Lines that open a form (whitespace removed, after punctuation folding).
TITLE_PATTERN = re.compile(r"项目支出绩效自评表")
YEAR_PATTERN = re.compile(r"[（(]?\s*(\d{4})\s*年度?\s*[)）]?")

PROJECT_LABEL = "项目名称"
# Any of these (whitespace removed) on a line means a form's fields are there; cell
# separators of other layouts ("|") are read as spaces.
FORM_ANCHORS = ("项目名称", "项目资金", "年度资金总额", "三级指标", "年度指标值", "预期目标")
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
FUND_LABEL_NOISE = re.compile(r"其中|[：:，,\s]")

GOALS_LABEL = "年度总体目标"
GOAL_EXPECTED_LABEL = "预期目标"
GOAL_ACHIEVED_LABEL = "实际完成情况"

# The indicator table header, in column order.
TABLE_HEADER: tuple[str, ...] = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
TABLE_HEADER_TEXT = "".join(TABLE_HEADER)
TOTAL_LABEL = "总分"
GRADE_LABEL = "评分等级"
GRADES = ("优", "良", "中", "差")

# 一级指标 -> the 二级指标 that may stand under it (Shanghai and national 2020 layouts).
LEVELS: dict[str, tuple[str, ...]] = {
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL1_LABELS: tuple[str, ...] = tuple(LEVELS)
LEVEL2_LABELS: tuple[str, ...] = tuple(dict.fromkeys(l2 for v in LEVELS.values() for l2 in v))

# Tokens that stand for "no value" in a numeric cell.
NULL_TOKENS = frozenset({"-", "－", "—", "--", "/"})
NUMBER_PATTERN = re.compile(r"^[-+]?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?%?$")

# Characters that may not start a line (kinsoku): they travel with the character before.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕”’)]}%,.;:?!·…")
# Characters that may not end a line: they travel with the character after.
NO_LINE_END = frozenset("“‘（《「『【〔([{")

# Full-width forms folded to ASCII when *recognising* labels (values keep their text).
_FOLD = str.maketrans("（）：，；！？％＝＜＞", "():,;!?%=<>")


def fold(text: str) -> str:
    """Text for label matching: full-width punctuation folded, whitespace removed."""
    return "".join(text.translate(_FOLD).split())


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Display width in half-width units: CJK, full-width and ambiguous characters are 2."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def text_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


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


def first_unit_width(text: str) -> int:
    """Width of the first unit of ``text`` (what did not fit on the line before)."""
    text = text.lstrip()
    if not text:
        return 0
    return text_width(text[: _unit_end(text, 0)])


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


def parse_number_token(token: str) -> tuple[bool, str | None]:
    """(is a numeric cell, its plain decimal text or None for "-")."""
    if token in NULL_TOKENS:
        return True, None
    t = unicodedata.normalize("NFKC", token) if not token.isascii() else token
    if NUMBER_PATTERN.match(t):
        return True, t.replace(",", "").replace("，", "").rstrip("%")
    return False, None


def is_bare_number(token: str) -> bool:
    """A token that is only a number (thousands separators allowed), as 分值 / 得分 are."""
    t = unicodedata.normalize("NFKC", token) if not token.isascii() else token
    return bool(NUMBER_PATTERN.match(t)) and not t.endswith("%")


def is_label_prefix(text: str, labels: tuple[str, ...]) -> bool:
    return any(label.startswith(text) for label in labels)
