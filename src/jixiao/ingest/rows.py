"""Stages 2–4 of reading a flattened form: cell tokens → rows → one :class:`Grid` a form.

A flattening keeps the cells in reading order but loses where rows end. The rows are
found again by the labels of the form (:mod:`jixiao.ingest.vocabulary`) and by what each
section's rows hold:

- a head label takes the cell after it (项目名称 | 名称);
- the 项目资金 header's labels give the fund columns; a fund row is its label and as many
  numbers as there are columns (a run of glued numbers is cut by the row's arithmetic,
  :mod:`jixiao.ingest.glued`);
- 预期目标 / 实际完成情况 take the texts after them;
- the indicator header gives the columns; a row is the cells up to its last column, less
  the 一级 / 二级 cells a merge above covers (they are counted by the labels the row starts
  with, 产出指标 / 数量指标 …); its 分值 and 得分 must be numbers;
- 总分 takes its two numbers, 评分等级 its grade.

Cells are placed in the grid under their column's header, so the one label mapper
(:func:`jixiao.ingest.mapper.map_forms`) reads them as it reads any table. What cannot be
placed without guessing becomes a gap of the form, never a value in a wrong place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from jixiao.ingest import vocabulary as V
from jixiao.ingest.aligned import (
    NUMBER_COLUMNS,
    AlignedRow,
    align_rows,
    header_columns,
    is_level1,
    is_level2,
)
from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.fund_cells import place_short, rate_fails, restored_columns
from jixiao.ingest.glued import fund_check, is_glued, score_check, split_glued
from jixiao.ingest.grid import Cell, Grid
from jixiao.ingest.text_lines import Line
from jixiao.ingest.text_wraps import is_full
from jixiao.ingest.tokens import Token
from jixiao.layouts import all_layouts


def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(patterns) + ")$")


class _Keys:
    """Labels by key (the vocabulary's table of patterns): :meth:`key` is the key of the
    first pattern a label matches in full, remembered by the label (a form's labels and
    short values repeat from form to form). A label no pattern matches (a value: most
    cells seen for the first time) is told by one pattern of them all (``any``)."""

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        self.patterns = [(k, _compiled(p)) for k, p in table.items()]
        self.any = _compiled(tuple(p for patterns in table.values() for p in patterns))
        self.key = lru_cache(maxsize=4096)(self._first)

    def _first(self, label: str) -> str | None:
        if self.any.match(label) is None:
            return None
        for key, pattern in self.patterns:
            if pattern.match(label):
                return key
        return None


_HEAD = _Keys(V.GRID_HEAD_LABELS)
_OTHER_HEAD = _compiled(V.GRID_OTHER_HEAD_LABELS)
# The head fields by the seed's labels: named so in a gap whatever a layout calls them
_HEAD_NAMES = {"project": V.PROJECT_LABEL, "department": V.DEPARTMENT_LABEL, "unit": V.UNIT_LABEL}
_FUND_COL = _Keys(V.GRID_FUND_COLUMNS)
_FUND_ROW = _Keys(V.GRID_FUND_ROWS)
_IND_COL = _Keys(V.GRID_INDICATOR_COLUMNS)
_EXPECTED = _compiled(V.GRID_GOAL_EXPECTED)
_ACHIEVED = _compiled(V.GRID_GOAL_ACHIEVED)
_TOTAL = _compiled(V.GRID_TOTAL_LABELS)
_GRADE = _compiled(V.GRID_GRADE_LABELS)
_YEAR = re.compile(r"^[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?$")
_LEVEL = re.compile(r"^.{0,10}指标(等)?(\(\d+(\.\d+)?分\))?$")
_BLOCK = re.compile(r"^绩效指标$")
_TABLE = re.compile(r"^绩效指标|^一级指标")
_DECLARED = re.compile(r"^分值\((\d+)分\)$")
_FUND_EXTRA_COL = _compiled(V.GRID_FUND_EXTRA_COLUMNS)
_IND_EXTRA_COL = _compiled(V.GRID_INDICATOR_EXTRA_COLUMNS)
_FUND_EXTRA_ROW = _compiled(V.GRID_FUND_EXTRA_ROWS)
_FUND_NAMES = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}
_LEVEL_HEAD = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
_LABEL_NUMBERS = re.compile(r"^(.*?[^\d.,%\-—])([\d][\d.,%\-—]*|[-—][\d.,%\-—]+)$")


# A cell of two scripts (执行率(%)): LibreOffice draws such a cell in its second pass over a
# sheet, after every cell of one script, and ``pdftotext -raw`` keeps that order
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[!-~]")


def mixed_scripts(text: str) -> bool:
    return bool(_CJK.search(text) and _LATIN.search(text))


@lru_cache(maxsize=1)
def declared_fund_orders() -> tuple[tuple[str, ...], ...]:
    """Each declared layout's fund columns (model fields), in its order."""
    return tuple(tuple(c.field for c in layout.fund_columns if c.field) for layout in all_layouts())


@lru_cache(maxsize=1)
def declared_indicator_orders() -> tuple[tuple[str, ...], ...]:
    """Each declared layout's indicator columns (model fields), in its order."""
    return tuple(
        tuple(c.field for c in layout.indicator_columns if c.field) for layout in all_layouts()
    )


_LEVEL_CHARS = V.LEVEL_CHARS | {" "}


def _level_pieces(text: str) -> bool:
    """Text made of the 一级 / 二级 labels' characters only, with a 一级 label's printed
    weight (成本 | (10 | 指标 | 分)): their pieces, printed apart from the rows they span
    (``pdftotext`` default)."""
    rest = V.WEIGHT_PIECE.sub("", text) if "(" in text or "（" in text or "分" in text else text
    return len(rest) > 1 and _LEVEL_CHARS.issuperset(rest)


_HEADER_PIECES = frozenset({"一级", "二级", "指标", "一级指标", "二级指标"})


def _levels_head(f: str) -> bool:
    """The first words of the indicator header's 一级 / 二级 cells (一级 二级 …)."""
    return f.startswith("一级") and "二级" in f[:6]


_COLUMN_NAMES = {
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "deviation": "偏差原因",
}
# An aligned indicator row: its 一级, 二级, cells by column, and the (column, text) it used.
AlignedRowView = tuple[str, str, dict[int, str], list[tuple[int, int]]]


_COLON = re.compile(r"[:：]")


def _level_cell(text: str) -> bool:
    """A cell that is exactly a 一级 / 二级 label of the vocabulary, or the indicator
    header's 一级 / 二级 labels (一级指标 二级指标)."""
    f = label(text)
    return f in V.LEVEL1_LABELS or f in V.LEVEL2_LABELS or f in _HEADER_PIECES or _levels_head(f)


def _label_and_value(text: str) -> tuple[str, str] | None:
    """A head label and its value written in one cell ("部门:临沧市永德县明朗中学")."""
    if ":" not in text and "：" not in text:
        return None  # (most cells: no colon to split at)
    parts = _COLON.split(text.strip(), maxsplit=1)
    if len(parts) != 2 or not parts[1].strip() or len(parts[0]) > 12:
        return None
    f = label(parts[0])
    if not f or not (_HEAD.key(f) or _OTHER_HEAD.match(f)):
        return None
    return parts[0].strip(), parts[1].strip()


def _unglued(texts: list[str], toks: list[list[Token]]) -> tuple[list[str], list[list[Token]]]:
    """Numbers glued in one cell of an indicator table (12.512.512.5) cut where exactly one
    count of numbers written with even places fits (split_glued's rule); each piece keeps
    the cell's token."""
    out_texts: list[str] = []
    out_toks: list[list[Token]] = []
    for text, group in zip(texts, toks, strict=True):
        pieces = None
        if is_glued(text) and not _is_value(text):
            fits = [c for c in (split_glued(text, k, lambda _: True) for k in (2, 3, 4)) if c]
            pieces = fits[0] if len(fits) == 1 else None
        for piece in pieces or [text]:
            out_texts.append(piece)
            out_toks.append(group)
    return out_texts, out_toks


def _joins_level(group: list[Token], tok: Token) -> bool:
    """A level label wrapped into two cells ("经济效益" ⏎ "指标"): joined back (a group of
    one cell only: a group of two is a label joined already). What is cheap to ask, and
    fails for most cells (a short run of CJK characters first), asked first."""
    if len(group) > 1:
        return False
    head = group[0].text
    if not _LEVEL_HEAD.match(label(head)) or is_level1(head) or is_level2(head):
        return False
    both = label(head + tok.text)
    if label(tok.text) not in ("指标", "指标等") and both not in V.ALL_LEVEL_LABELS:
        return False
    return is_level1(both) or is_level2(both)


@lru_cache(maxsize=4096)  # (asked of every cell after the fund header, by its text)
def _fund_row_label(text: str) -> tuple[str | None, str, str]:
    """The fund row a cell's text names (a key of the vocabulary, or "extra" for a row the
    template lacks: 财政专户管理资金, 单位资金), its label, and the numbers glued after the
    label ("" for none: 上年结转资金12.5); None when it names no fund row."""
    glued_head = ""
    m = _LABEL_NUMBERS.match(label(text))
    if m and (_FUND_ROW.key(m.group(1).removeprefix("其中")) or _FUND_EXTRA_ROW.match(m.group(1))):
        glued_head = m.group(2)
        text = m.group(1)
    f = label(text)
    key = _FUND_ROW.key(f.removeprefix("其中")) or _FUND_ROW.key(f)
    if key is None and _FUND_EXTRA_ROW.match(f):
        key = "extra"
    return key, text, glued_head


@lru_cache(maxsize=8192)  # (asked of each cell of an indicator table, by its text)
def _ends_table(text: str) -> bool | None:
    """Whether a cell with this text ends the indicator table: 总分, 评分等级, a title, a
    head label do (True); an indicator column's label does when the header is repeated
    there (None: :meth:`RowBuilder.repeated_header` tells); any other cell does not."""
    f = label(text)
    if _TOTAL.match(f) or _GRADE.match(f) or (f and V.GRID_TITLE.search(f)):
        return True
    if _HEAD.key(f) or _OTHER_HEAD.match(f):
        return True
    return None if _IND_COL.key(f) else False


@lru_cache(maxsize=8192)
def label(text: str) -> str:
    return V.grid_label(text).replace(" ", "")


def is_level_label(text: str) -> bool:
    f = label(text)
    return f in V.LEVEL1_LABELS or f in V.LEVEL2_LABELS or bool(_LEVEL.match(f))


@lru_cache(maxsize=8192)  # a row's cells are tested again and again as the rows are tried
def _is_value(text: str) -> bool:
    try:
        parse_amount(text)
    except NotANumber:
        return False
    return True


def _decimal(text: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except NotANumber:
        return None


def _is_number_cell(text: str) -> bool:
    return bool(text.strip()) and _is_value(text)


def is_known_label(text: str) -> bool:
    """A cell that names a part of the form (never a value of one)."""
    f = label(text)
    if not f:
        return False
    return bool(
        _HEAD.key(f)
        or _FUND_COL.key(f)
        or _FUND_ROW.key(f.removeprefix("其中"))
        or V.GRID_FUNDS_BLOCK.match(f)
        or V.GRID_GOALS_BLOCK.match(f)
        or _EXPECTED.match(f)
        or _ACHIEVED.match(f)
        or _TOTAL.match(f)
        or _GRADE.match(f)
        or V.GRID_TITLE.search(f)
    )


def _by_line(tokens: list[Token], start: int, stop: int) -> list[list[int]]:
    """The indexes of ``tokens[start:stop]``, grouped by line."""
    lines: list[list[int]] = []
    for k in range(start, stop):
        if lines and tokens[lines[-1][0]].line == tokens[k].line:
            lines[-1].append(k)
        else:
            lines.append([k])
    return lines


def _goal_label(f: str) -> bool:
    """The label ``f`` (:func:`label` of a text) is 年度总体目标, 预期目标 or 实际完成情况."""
    return bool(V.GRID_GOALS_BLOCK.match(f) or _EXPECTED.match(f) or _ACHIEVED.match(f))


def _goal_text(tok: Token) -> bool:
    """Goal text: text that is no label of the form and no piece of the indicator header."""
    if not tok.text or is_known_label(tok.text):
        return False
    f = label(tok.text)
    if _IND_COL.key(f) or _levels_head(f) or _is_number_cell(tok.text):
        return False
    # 一级 / 指标: the indicator header's merged cells a word a line; 绩效指标, 项目实施内容及
    # 过程概述: the next part of the form
    return not (f in _HEADER_PIECES or _BLOCK.match(f) or _OTHER_HEAD.match(f))


@dataclass
class FormRows:
    """One form's rows (cells placed by column) and the gaps found while placing them."""

    rows: list[list[Cell]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    first: Token | None = None
    last: Token | None = None
    pages: set[int] = field(default_factory=set)
    # 总分 read without its numbers: its gap, and the numbers printed after the label up to
    # the form's end, in order (``pdftotext`` default prints the 分值 / 得分 column of the
    # page apart from the label: the page's rows' pairs, 总分's last), for the sums to decide
    # (:func:`jixiao.ingest.mapper.totals.total_by_sums`)
    total_apart: tuple[str, list[str]] | None = None

    def add(self, cells: list[tuple[int, str]], tokens: list[Token]) -> list[Cell]:
        r = len(self.rows)
        row = [Cell(r, c, 1, 1, t) for c, t in cells]  # (positional: a call a cell)
        self.rows.append(row)
        for tok in tokens:
            for doubt in tok.doubts or ():
                if doubt not in self.gaps:
                    self.gaps.append(doubt)
            self.first = self.first or tok
            self.last = tok
            self.pages.add(tok.page)
        return row

    def grid(self, origin: str) -> Grid:
        return Grid([c for row in self.rows for c in row], origin=origin, flattened=True)


class RowBuilder:
    """Walks the cells of a flattening and lays each form's rows out as a table."""

    def __init__(self, tokens: list[Token]) -> None:
        self.t = list(tokens)  # (a fund header's labels printed apart are taken out)
        self.i = 0
        self.forms: list[FormRows] = []
        self.form = FormRows()
        self.fund_cols: list[str] = []
        self.fund_like: list[int] | None = None  # the columns the row above was read into
        self.fund_weight: Decimal | None = None  # 分值(10分): the weight the header declares
        self.fund_above: list[str] = []  # the numbers of the row above
        self.fund_short = False  # a row held more numbers than the fund header has columns
        self.fund_cells: list[Cell] = []  # the numbers (and 原因) of the block's rows read
        self.fund_first = 0  # the fund header's row
        self.ind_cols: list[str] = []
        self.ind_heads: list[str] = []
        self.block: Token | None = None  # 项目资金（万元） waiting for its header
        self.level_cells: dict[int, Cell] = {}  # the cell over each leading column
        self.early_total: list[str] | None = None  # 总分's numbers printed before its label
        self.nameless: list[tuple[Token, int]] = []  # rows whose 三级指标 is printed apart
        self.loose_levels: Token | None = None  # 一级 / 二级 pieces printed apart from rows

    # -- helpers
    def at(self, k: int) -> Token | None:
        return self.t[k] if 0 <= k < len(self.t) else None

    def new_form(self) -> None:
        for tok, _ in self.nameless:
            self.form.gaps.append(
                f"{self.where(tok)}：这一指标行的三级指标印在别处（如 pdftotext 的默认模式"
                "把它与一级 / 二级指标印在一起），无法对应，未读入"
            )
        if self.loose_levels is not None:
            self.form.gaps.append(
                f"{self.where(self.loose_levels)}起：一级 / 二级指标的文字与指标行分开印出"
                "（如 pdftotext 的默认模式），各管哪几行无法确定，未读入"
            )
        if self.form.rows:
            self.forms.append(self.form)
        self.form = FormRows()
        self.fund_cols, self.ind_cols, self.block = [], [], None
        self.early_total, self.loose_levels, self.nameless = None, None, []

    def where(self, tok: Token) -> str:
        return f"第{tok.line}行"

    # -- the walk
    def build(self) -> list[FormRows]:
        seen_project = False
        while self.i < len(self.t):
            tok = self.t[self.i]
            f = label(tok.text)
            if not f:
                self.i += 1
                continue
            if V.GRID_TITLE.search(f) and len(f) <= 40 and not _HEAD.key(f):
                if seen_project:
                    self.new_form()
                    seen_project = False
                self.form.add([(0, tok.text)], [tok])
                self.i += 1
                continue
            if _YEAR.match(f):
                self.form.add([(0, tok.text)], [tok])
                self.i += 1
                continue
            pair = _label_and_value(tok.text)
            if pair is not None:  # 部门:临沧市永德县明朗中学 in one cell
                self.form.add([(0, pair[0]), (1, pair[1])], [tok])
                self.i += 1
                continue
            key = _HEAD.key(f)
            if key is not None or _OTHER_HEAD.match(f):
                if key == "project":
                    if seen_project:
                        self.new_form()
                    seen_project = True
                self.head(tok)
                continue
            if V.GRID_FUNDS_BLOCK.match(f) and not _FUND_COL.key(f):
                self.block = tok
                self.i += 1
                continue
            fund_label = _FUND_COL.key(f) is not None
            ind_label = _IND_COL.key(f) is not None
            if fund_label and (not ind_label or self.starts_fund_header()) and self.fund_header():
                continue
            if self.ind_cols and _TOTAL.match(f):  # 合计 after the indicators: the total
                self.total_or_grade(tok, f)
                continue
            apart = fund_label and not ind_label and self.fund_cols and not self.ind_cols
            if apart and _FUND_COL.key(f) not in self.fund_cols:
                self.fund_column_apart(tok)
                continue
            if self.fund_cols and self.fund_row():
                continue
            if _goal_label(f) and self.goals():
                continue
            if (_IND_COL.key(f) or _BLOCK.match(f)) and self.indicator_header():
                self.indicator_rows()
                continue
            if _TOTAL.match(f) or _GRADE.match(f):
                self.total_or_grade(tok, f)
                continue
            if not self.ind_cols and (
                _levels_head(f) or (self.loose_levels is not None and _level_pieces(f))
            ):
                self.loose_levels = tok  # the merged cells' pieces, printed apart
                self.i += 1
                continue
            if (
                self.loose_levels is not None
                and self.ind_cols
                and "level1" not in self.ind_cols
                and "level2" not in self.ind_cols
                and (_level_cell(f) or _LEVEL_CHARS.issuperset(f))
            ):  # the merged cells' pieces after the rows read without them
                self.loose_levels = tok  # the merged cells' pieces, printed apart
                self.i += 1
                continue
            self.form.add([(0, tok.text)], [tok])  # kept for the mapper: unmapped text
            self.i += 1
        self.new_form()
        return self.forms

    def starts_fund_header(self) -> bool:
        """A run of cells from here of which at least two are fund column labels."""
        keys = [_FUND_COL.key(label(t.text)) for t in self.t[self.i : self.i + 3]]
        return sum(k is not None for k in keys) >= 2 and "executed" in keys + [
            _FUND_COL.key(label(t.text)) for t in self.t[self.i : self.i + 6]
        ]

    def head(self, tok: Token) -> None:
        key = _HEAD.key(label(tok.text))
        name = f"“{tok.text}”"
        canon = _HEAD_NAMES.get(key or "")
        if canon is not None and canon != label(tok.text):
            name += f"（{canon}）"  # 地方主管部门 (转移支付's 实施单位): named as the model's field
        if key in _HEAD_NAMES and key != "project" and self.fund_cols:
            # the head's 主管部门 / 实施单位 printed after the fund block began (LibreOffice's
            # PDF of a workbook, pdftotext default: the label among the indicator header's
            # pieces, its value printed in the head): the cell after it is another's
            self.form.gaps.append(
                f"{self.where(tok)}：{name}印在表头之外（项目资金之后），它的内容与它分开印出，"
                "无法确定，未读入"
            )
            self.form.add([(0, tok.text), (1, "")], [tok])
            self.i += 1
            return
        nxt = self.at(self.i + 1)
        if nxt is not None and not is_known_label(nxt.text) and not _IND_COL.key(label(nxt.text)):
            self.form.add([(0, tok.text), (1, nxt.text)], [tok, nxt])
            self.i += 2
        else:
            self.form.gaps.append(f"{self.where(tok)}：{name}后没有读到它的内容")
            self.form.add([(0, tok.text), (1, "")], [tok])
            self.i += 1

    def fund_header(self) -> bool:
        cols: list[str] = []
        toks: list[Token] = []
        k = self.i
        while k < len(self.t):
            f = label(self.t[k].text)
            key = _FUND_COL.key(f)
            wrap = self.at(k + 1)
            both = f + label(wrap.text) if wrap is not None else ""
            joined = _FUND_COL.key(both) if len(both) <= 12 else None
            if wrap is not None and joined is not None and joined not in cols:
                # 年初 ⏎ 预算数: a header wrapped into two cells
                cols.append(joined)
                toks.append(Token(self.t[k].text + wrap.text, self.t[k].line, 1, wrap.page))
                k += 2
                continue
            if key is None and cols and _FUND_EXTRA_COL.match(f):
                key = "extra"  # a column the template lacks (原因, 得分计算方法)
            if key is None or (key in cols and key != "extra"):
                break
            cols.append(key)
            toks.append(self.t[k])
            k += 1
        if len(cols) < 2 or not {"initial", "adjusted", "executed"} & set(cols):
            return False
        restored = self.columns_apart(cols, toks, k)
        if restored is not None:
            cols, toks = restored
        block = self.block
        head = block.text if block else V.FUNDS_LABEL
        if not V.AMOUNT_UNIT_PATTERN.search(V.fold(head)):
            # the unit printed in a cell of its own next to the header: 年度预算数(万元)
            near = [t for t in (self.at(self.i - 1), self.at(k)) if t is not None]
            units = [V.AMOUNT_UNIT_PATTERN.search(V.fold(t.text)) for t in near]
            unit = next(
                (u for t, u in zip(near, units, strict=True) if u and len(t.text) <= 14), None
            )
            if unit is None:
                unit = self.unit_apart(k)
            if unit is not None:
                head += unit.group()
            else:
                self.form.gaps.append(f"{self.where(toks[0])}：未找到金额单位（万元 / 元）")
        cells = [(0, head)]
        cells += [(c + 1, t.text) for c, t in enumerate(toks)]
        self.form.add(cells, ([block] if block else []) + toks)
        self.fund_cols = cols
        self.fund_like = None
        self.fund_short = False
        self.fund_cells = []
        self.fund_first = len(self.form.rows) - 1
        declared = [_DECLARED.match(label(t.text)) for t in toks]
        self.fund_weight = next((Decimal(m.group(1)) for m in declared if m), None)
        self.block = None
        self.i = k
        return True

    def columns_apart(
        self, cols: list[str], toks: list[Token], k: int
    ) -> tuple[list[str], list[Token]] | None:
        """The fund header's columns and labels with the columns it lacks put back, when
        the text decides them: LibreOffice draws a sheet's cells of one script first, then
        those of mixed scripts, so ``pdftotext -raw`` of its PDF of a workbook prints the
        header without 执行率(%) and that label after the table, alone, while each row
        prints all its numbers. Put back when each lacking label is printed once after the
        header in the form, in mixed scripts, the block's first row holds that many numbers
        more than the header's number columns (and maybe an added column's), and the rows'
        执行率 decide where the declared layouts put it (:func:`fund_cells.restored_columns`).
        The labels printed apart are taken out of the walk (they are the header's)."""
        rows: list[list[str]] = []
        j = k
        while j < len(self.t):
            key, _, glued = _fund_row_label(self.t[j].text)
            if key is None or glued:
                break
            j += 1
            values: list[str] = []
            while j < len(self.t) and _is_value(self.t[j].text):
                if self.t[j].text.strip():
                    values.append(self.t[j].text)
                j += 1
            rows.append(values)
        numeric = sum(c != "extra" for c in cols)
        if not rows or len(rows[0]) <= numeric:
            return None  # (the common case: no more numbers than the header's columns)
        apart: dict[str, int] = {}
        for j in range(k, self.form_end(k)):
            f = label(self.t[j].text)
            key = _FUND_COL.key(f)
            if key is None or key in cols or not mixed_scripts(self.t[j].text):
                continue
            if key in apart:
                return None  # printed twice: not one header's
            apart[key] = j
        more = len(rows[0]) - numeric - len(apart)
        if not apart or more not in ((0, 1) if "extra" in cols else (0,)):
            return None
        full = restored_columns(cols, list(apart), rows, declared_fund_orders())
        if full is None:
            return None
        put = iter(toks)
        labels = [self.t[apart[c]] if c in apart and c not in cols else next(put) for c in full]
        for j in sorted(apart.values(), reverse=True):
            del self.t[j]
        return full, labels

    def form_end(self, k: int) -> int:
        """The index of the next form's first cell (its title or 项目名称) from ``k``."""
        for j in range(k, len(self.t)):
            f = label(self.t[j].text)
            if _HEAD.key(f) == "project" or (f and V.GRID_TITLE.search(f) and len(f) <= 40):
                return j
        return len(self.t)

    def unit_apart(self, k: int) -> re.Match[str] | None:
        """The amount unit of 项目资金 printed after the fund header (LibreOffice's second
        pass over a sheet, ``-raw``: 项目资金 / （万元）, each a line, after the table): the
        unit of the first cell after ``k`` in the form that begins 项目资金, when the rest of
        it, or the cell after it, is the unit alone; the cells are taken out of the walk
        (they are the header's)."""
        for j in range(k, self.form_end(k)):
            f = V.fold(self.t[j].text).replace(" ", "")
            if not f.startswith(V.FUNDS_LABEL):
                continue
            rest = f.removeprefix(V.FUNDS_LABEL)
            cells = 1
            if not rest and j + 1 < len(self.t):  # 项目资金 | （万元）: two cells
                rest, cells = V.fold(self.t[j + 1].text).replace(" ", ""), 2
            unit = V.AMOUNT_UNIT_PATTERN.fullmatch(rest)
            if unit is not None:
                del self.t[j : j + cells]
            return unit
        return None

    def fund_column_apart(self, tok: Token) -> None:
        """A fund column's label after the fund header, the header lacking that column
        (四川's 年初预算数 printed after the goals, pdftotext default of LibreOffice's PDF of
        a workbook): the rows' numbers were read into the header's columns, one short, so
        which column each is in is not known. The rows read keep their labels, not their
        numbers; a gap (once a block)."""
        if not self.fund_short:
            self.form.gaps.append(
                f"{self.where(tok)}：项目资金的栏目“{tok.text}”印在表头之外，表头少了这一栏，"
                "各行的数所在的栏无法确定，未读入"
            )
            self.fund_short = True
        lost = {id(cell) for cell in self.fund_cells}
        for row in self.form.rows[self.fund_first :]:  # the block's rows, and after them
            row[:] = [cell for cell in row if id(cell) not in lost]
        self.fund_cells = []
        self.form.add([(0, tok.text)], [tok])
        self.i += 1

    def fund_header_short(self, tok: Token, text: str) -> bool:
        """A fund row with more numbers than the header has columns (LibreOffice's ``-raw``
        text of a workbook prints the header's 执行率(%) apart from it): the header lost a
        column, so no row of the block can be placed; the rows are read without their
        numbers, with a gap (once)."""
        k = self.i + 1
        numbers = 0  # blank cells left out: padding where a flattening keeps empty cells
        while k < len(self.t) and _is_value(self.t[k].text):
            numbers += bool(self.t[k].text.strip())
            k += 1
        lost = not self.fund_short and self.fund_column_lost(k)
        if not self.fund_short and numbers <= len(self.fund_cols) and not lost:
            return False
        if not self.fund_short:
            self.form.gaps.append(
                f"{self.where(tok)}：项目资金“{text}”有 {numbers} 个数，"
                + (
                    "按表头的数字栏读，执行率与执行数、预算数不符"
                    if lost
                    else f"多于表头的 {len(self.fund_cols)} 栏"
                )
                + "（表头少印了一栏），各行的数所在的栏无法确定，未读入"
            )
            self.fund_short = True
        self.form.add([(0, text)], self.t[self.i : k])
        self.i = k
        return True

    def fund_column_lost(self, end: int) -> bool:
        """The fund row's values up to ``end`` outnumber the header's number columns, the
        header ending in an added column (原因, 总体完成率), and read in order under the
        number columns their 执行率 is contradicted by their 执行数 and 预算数: the header
        lost a number column (LibreOffice's default text of a workbook prints 四川's 年初预算数
        among the 一级 / 二级 pieces) and the last number is no added column's cell."""
        cols = self.fund_cols
        if not cols or cols[-1] != "extra":
            return False
        numeric = [col for col in cols if col != "extra"]
        values = [t.text for t in self.t[self.i + 1 : end] if t.text.strip()]
        return len(values) > len(numeric) and rate_fails(numeric, values)

    def fund_row(self) -> bool:
        tok = self.t[self.i]
        key, text, glued_head = _fund_row_label(tok.text)
        if key is None:
            return False
        numeric = [c for c, col in enumerate(self.fund_cols) if col != "extra"]
        n = len(numeric)
        if not glued_head and self.fund_header_short(tok, text):
            return True
        values: list[str] = []
        used = [tok]
        pieces = [glued_head] if glued_head else []
        k = self.i + 1
        while len(pieces) < n and k < len(self.t) and not glued_head:
            nxt = self.t[k].text
            if not (_is_value(nxt) or is_glued(nxt)):
                break
            pieces.append(nxt)
            used.append(self.t[k])
            k += 1
        values = self.fund_values(pieces, n) or []
        after = self.at(k)
        added = self.fund_cols and self.fund_cols[-1] == "extra"  # 总体完成率 after 得分
        if values and after is not None and _is_number_cell(after.text) and not added:
            values = []  # more numbers than columns: which column each is in is not known
            pieces.append(after.text)
        places = list(range(n)) if len(values) == n else None
        if places is None and len(pieces) == 1 and not _is_value(pieces[0]):
            pieces = self.like_above(pieces[0], tok) or pieces
        if places is None and pieces and len(pieces) < n and all(map(_is_value, pieces)):
            places = place_short(pieces, [self.fund_cols[c] for c in numeric], self.fund_like)
            if places is not None:
                values = list(pieces)
                if any(c not in places for c in range(max(places))):
                    named = "、".join(
                        _FUND_NAMES[self.fund_cols[numeric[c]]]
                        for c in range(n)
                        if c not in places and self.fund_cols[numeric[c]] in _FUND_NAMES
                    )
                    self.form.gaps.append(
                        f"{self.where(tok)}：项目资金“{text}”只有 {len(pieces)} 个数，"
                        f"按执行率等推定各数所在的栏，{named}一栏空缺，请核对"
                    )
        self.i = k
        ended = (
            after is None
            or is_known_label(after.text)
            or bool(_FUND_EXTRA_ROW.match(label(after.text)))
        )
        if places is None and not any(p.strip() for p in pieces) and ended:
            self.form.add([(0, text)], used)  # a row printed with every cell blank
            return True
        if places is None:
            self.form.gaps.append(
                f"{self.where(tok)}：项目资金“{text}”应有 {n} 个数，"
                f"读到“{' '.join(p for p in pieces)}”，无法确定各数所在的栏，未读入"
            )
            self.form.add([(0, text)], used)
            return True
        self.fund_like = places
        self.fund_above = [v for v in values if _is_number_cell(v)]
        row = [(0, text)] + [(numeric[c] + 1, v) for c, v in zip(places, values, strict=True)]
        for c, col in enumerate(self.fund_cols):
            cell = self.at(self.i)
            if col != "extra" or cell is None or c < numeric[-1]:
                continue
            g = label(cell.text)
            if not g or is_known_label(cell.text) or _FUND_EXTRA_ROW.match(g) or _TABLE.match(g):
                break
            row.append((c + 1, cell.text))  # 原因: text as written
            used.append(cell)
            self.i += 1
        self.fund_cells += self.form.add(row, used)[1:]
        return True

    def like_above(self, glued: str, tok: Token) -> list[str] | None:
        """Numbers glued in a short row (其中: 310.2154.74) cut into the row above's
        numbers when that is a cut of them (a part equal to its total)."""
        above = self.fund_above
        for k in range(len(above), 1, -1):
            for start in range(len(above) - k + 1):
                part = above[start : start + k]
                if "".join(part) == glued.replace(",", ""):
                    self.form.gaps.append(
                        f"{self.where(tok)}：“{glued}”是连在一起的数，按上一行的数切分为"
                        f"“{' '.join(part)}”，请核对"
                    )
                    return part
        return None

    def fund_values(self, pieces: list[str], n: int) -> list[str] | None:
        """``n`` values from the cells after a fund label; one cell of glued numbers among
        them is cut by the row's arithmetic."""
        if len(pieces) == n and all(_is_value(p) for p in pieces):
            return pieces
        glued = [k for k, p in enumerate(pieces) if not _is_value(p) or len(pieces) == 1]
        if len(glued) != 1 or len(pieces) > n:
            return None
        k = glued[0]
        before, after = pieces[:k], pieces[k + 1 :]
        want = n - len(before) - len(after)
        check = fund_check(self.fund_cols)

        declared = self.fund_weight
        w = [c for c in self.fund_cols if c != "extra"].index("weight") if declared else -1

        def whole(values: list[Decimal | None]) -> bool:
            row = [*map(_decimal, before), *values, *map(_decimal, after)]
            if declared is not None and row[w] is not None and row[w] != declared:
                return False  # 分值(10分) in the header: the row's 分值 is 10
            return check(row)

        cut = split_glued(pieces[k], want, whole)
        return None if cut is None else [*before, *cut, *after]

    def goals(self) -> bool:
        heads: list[tuple[str, Token]] = []
        block: Token | None = None
        k = self.i
        while k < len(self.t):
            f = label(self.t[k].text)
            if V.GRID_GOALS_BLOCK.match(f) and block is None:
                block = self.t[k]
            elif _EXPECTED.match(f) and all(h != "expected" for h, _ in heads):
                heads.append(("expected", self.t[k]))
            elif _ACHIEVED.match(f) and all(h != "achieved" for h, _ in heads):
                heads.append(("achieved", self.t[k]))
            else:
                break
            k += 1
        if not heads:
            if block is None:
                return False
            heads = [("expected", block)]
            block = None
        texts: list[Token] = []
        k = self._past_filler(k)
        while len(texts) < len(heads) and k < len(self.t):
            nxt = self.t[k]
            if is_known_label(nxt.text) or _IND_COL.key(label(nxt.text)):
                break
            if _levels_head(label(nxt.text)) or _level_pieces(label(nxt.text)):
                break  # the indicator header's merged cells, printed before the rest
            texts.append(nxt)
            k += 1
        if not texts and len(heads) == 2 and (both := self.goals_apart(k)) is not None:
            texts = both  # both printed after the table (LibreOffice's second pass)
        if texts and (goal := self._header_word_cut(texts[-1], k - 1)) is not None:
            texts[-1] = goal
            k -= 1
        if len(texts) == len(heads) - 1 and texts and not texts[0].mixed:
            apart = self.goal_after_levels(k)
            if apart is not None:
                texts.append(apart)
        for t in texts:
            if t.mixed:
                self.form.gaps.append(
                    f"{self.where(t)}：年度总体目标的文字与别的栏并排印在同一行，无法分开，未读入"
                )
        more = self.goal_text_at(k) if len(texts) == len(heads) else None
        extra = 0
        while more is not None and self.goal_text_at(k + extra) is not None:
            extra += 1
        if more is not None and extra >= len(heads):  # lines of wrapped cells read as cells
            self.form.gaps.append(
                f"{self.where(more)}：年度总体目标的文字多于 {len(heads)} 段，"
                "各段属于哪一栏无法确定，未读入"
            )
            while self.goal_text_at(k) is not None:
                k += 1
            texts = [Token("", t.line, t.col, t.page, mixed=True) for t in texts]
        texts = [t if not t.mixed else Token("", t.line, t.col, t.page) for t in texts]
        row = [(0, block.text if block else V.GOALS_LABEL)]
        row += [(c + 1, t.text) for c, (_, t) in enumerate(heads) if t is not block]
        header = self.form.add(row, ([block] if block else []) + [t for _, t in heads])
        header[0].rowspan = 2
        if len(texts) < len(heads):
            tok = texts[-1] if texts else self.t[self.i]
            self.form.gaps.append(
                f"{self.where(tok)}：年度总体目标读到 {len(texts)} 段文字，应有 {len(heads)} 段"
            )
        self.form.add([(c + 1, t.text) for c, t in enumerate(texts)], texts)
        self.i = k
        return True

    def goals_apart(self, k: int) -> list[Token] | None:
        """预期目标 and 实际完成情况 printed after the table under 年度总体目标's label, when
        the text decides them: LibreOffice draws a sheet's wrapped cells in a second pass
        (``pdftotext -raw``: 年度 / 总体 / 目标, then both paragraphs a line each, after
        总分). From ``k`` to the form's end: the label's pieces, then lines of goal text,
        one cell a line; taken when they part in one way only into two paragraphs each
        wrapped full to its last line (:func:`text_wraps.is_full`) and ending a sentence
        there. The two texts, their cells taken out of the walk; else None."""
        end = self.form_end(k)
        found = self.goals_label_at(k, end)
        if found is None:
            return None
        first, j = found
        run: list[Token] = []
        while j < end:
            tok = self.t[j]
            alone = self.t[j - 1].line != tok.line and (
                j + 1 >= len(self.t) or self.t[j + 1].line != tok.line
            )
            f = label(tok.text)
            if not alone or tok.mixed or not _goal_text(tok) or _level_pieces(f):
                break
            if self.wrapped_label_at(j, end):
                break  # a column label wrapped in its cell (改进措施及结 / 果应用方案)
            run.append(tok)
            j += 1
        lines = [Line(tok.line, tok.text, 0) for tok in run]
        cuts = [
            c
            for c in range(1, len(lines))
            if V.ends_sentence(lines[c - 1].text)
            and V.ends_sentence(lines[-1].text)
            and is_full(lines[:c])
            and is_full(lines[c:])
        ]
        if len(cuts) != 1:
            return None
        c = cuts[0]
        texts = [
            Token("".join(t.text for t in part), part[0].line, part[0].col, part[0].page)
            for part in (run[:c], run[c:])
        ]
        del self.t[first:j]
        return texts

    def wrapped_label_at(self, j: int, end: int) -> bool:
        """Do the cells from ``j`` (two or three, each a line) make an indicator column's
        label?"""
        acc = label(self.t[j].text)
        for n in range(j + 1, min(j + 3, end)):
            acc += label(self.t[n].text)
            if _IND_COL.key(acc) or _IND_EXTRA_COL.match(acc):
                return True
        return False

    def goals_label_at(self, k: int, end: int) -> tuple[int, int] | None:
        """The first run of cells from ``k`` to ``end`` whose labels make 年度总体目标
        (年度 / 总体 / 目标): its first cell and the one after it."""
        for m in range(k, end):
            acc, n = "", m
            while n < end and (piece := label(self.t[n].text)):
                if not V.GOALS_LABEL.startswith(acc + piece):
                    break
                acc += piece
                n += 1
                if acc == V.GOALS_LABEL:
                    return m, n
        return None

    def goal_after_levels(self, k: int) -> Token | None:
        """The goal text a column short of the other printed after the 一级 / 二级 pieces
        (``pdftotext`` default: 实际完成情况 with fewer lines than 预期目标 is a block of its
        own, read after the level column): the one text between those pieces and the
        indicator header, taken out of the tokens; None when it is not just one."""
        nxt = self.at(k)
        if nxt is None or not _levels_head(label(nxt.text)):
            return None
        j = k + 1
        while (piece := self.at(j)) is not None and _level_pieces(label(piece.text)):
            j += 1
        text, after = self.at(j), self.at(j + 1)
        if text is None or text.mixed:
            return None
        goal = self._header_word_cut(text, j)  # the header's label printed under the text
        if goal is not None:
            return goal
        if self.goal_text_at(j) is None or after is None:
            return None
        if not _IND_COL.key(label(after.text)):
            return None
        return self.t.pop(j)

    def _header_word_cut(self, text: Token, k: int) -> Token | None:
        """The goal text at ``k`` without the indicator header's first label printed under
        it in its paragraph (pdftotext default: 河北's 指标分值 right under 实际完成情况's
        last line), the label put back at ``k`` as a cell of its own; None when the text
        ends in no such label."""
        if text.mixed:
            return None
        head = next((h for h in V.INDICATOR_HEADER_WORDS if text.text.endswith(h)), "")
        goal = Token(text.text[: len(text.text) - len(head)], text.line, text.col, text.page)
        if len(head) < 4 or not _goal_text(goal):
            return None
        self.t[k] = Token(head, text.line, text.col, text.page)
        return goal

    def goal_text_at(self, k: int) -> Token | None:
        """The cell at ``k`` when it is more goal text (:func:`_goal_text`)."""
        nxt = self.at(k)
        return nxt if nxt is not None and _goal_text(nxt) else None

    def _past_filler(self, k: int) -> int:
        """Past empty cells that only pad a flattened row (``||||||``), when text follows."""
        j = k
        while j < len(self.t) and j - k < 16 and not self.t[j].text.strip():
            j += 1
        if j == k or j >= len(self.t) or is_known_label(self.t[j].text):
            return k
        return j

    def indicator_header(self) -> bool:
        """The header's columns (:func:`jixiao.ingest.aligned.header_columns`: wrapped, in
        two rows, with columns the template lacks)."""
        texts = [t.text for t in self.t[self.i : self.i + 40]]
        header = header_columns(texts)
        if header is None:
            return False
        toks = self.t[self.i : self.i + header.used]
        keys, heads = list(header.keys), list(header.texts)
        apart = self.indicator_column_apart(keys, toks, self.i + header.used)
        if apart is not None:
            at, key, text = apart
            keys.insert(at, key)
            heads.insert(at, text)
        self.form.add(list(enumerate(heads)), toks)
        self.ind_cols = keys
        self.ind_heads = heads
        self.level_cells = {}
        self.i += header.used
        return True

    def indicator_column_apart(
        self, keys: list[str], head: list[Token], k: int
    ) -> tuple[int, str, str] | None:
        """A number column the indicator header lacks, put back when the text decides it
        (LibreOffice's second pass over a sheet draws a wrapped header label after the
        table: 河北's 单项指标折算 / 得分 after the goals, while each row prints all its
        numbers): where it goes, its key and its label. Put back when the longest run of
        numbers (100% is a 实际完成值, none of them) on a line of the table (from ``k``) is
        one longer than the header's number columns, and no line before one so long ends
        in as many numbers as the header has number columns; when one label of a number
        column the header lacks is printed after the table in the form, in pieces a line
        each; and when the declared layouts put that column after one column only of the
        header's. The pieces are taken out of the walk (they are the header's). Else None.
        ``head``: the header's cells."""
        numeric = sum(key in NUMBER_COLUMNS for key in keys)
        if not numeric or len({tok.line for tok in head}) == len(head):
            return None  # (a header label a line: a text of cells one a line, no runs)
        most = run = 0  # the longest run of numbers on a line of the table
        line = None
        j = k
        while j < len(self.t) and not _ends_table(self.t[j].text):
            tok = self.t[j]
            j += 1
            if not tok.text.strip():
                continue  # (an empty cell: a blank 偏差原因)
            if tok.line != line and run == numeric and most == numeric:
                return None  # a row ends in the header's number columns (most tables: at once)
            number = _is_number_cell(tok.text) and "%" not in tok.text  # (100%: a 完成值)
            run = (run if tok.line == line else 0) + 1 if number else 0
            most = max(most, run)
            line = tok.line
        if most != numeric + 1:
            return None
        end = self.form_end(j)
        found: list[tuple[str, str, list[int]]] = []
        for m in range(j, end):
            acc = label(self.t[m].text)
            for n in range(m + 1, min(m + 3, end)):
                acc += label(self.t[n].text)
                key = _IND_COL.key(acc)
                if key is not None:
                    if key in NUMBER_COLUMNS and key not in keys:
                        found.append((key, acc, list(range(m, n + 1))))
                    break
        if len(found) != 1:
            return None
        key, text, pieces = found[0]
        if any(
            self.t[p].line in (self.t[p - 1].line, self.t[p + 1].line if p + 1 < end else -1)
            for p in pieces
        ):
            return None  # (a piece a line)
        before = {
            order[order.index(key) - 1]
            for order in declared_indicator_orders()
            if key in order[1:] and order[order.index(key) - 1] in keys
        }
        if len(before) != 1:
            return None
        for p in reversed(pieces):
            del self.t[p]
        return keys.index(before.pop()) + 1, key, text

    def indicator_rows(self) -> None:
        """Rows read whole (every cell in place); else read by aligning the cells to the
        columns (:func:`jixiao.ingest.aligned.align_rows`); else a gap. Rows that lack
        their cells of mixed scripts are first given them back (:meth:`cells_apart`), where
        the rows are not whole as printed."""
        start, rows, gaps = self.i, len(self.form.rows), len(self.form.gaps)
        kept = (list(self.nameless), self.early_total, self.loose_levels)

        def again() -> None:
            del self.form.rows[rows:]
            del self.form.gaps[gaps:]
            self.nameless, self.early_total, self.loose_levels = kept
            self.i = start

        failed = self.whole_rows()
        if failed is not None:
            again()
            if self.cells_apart():
                failed = self.whole_rows()
                if failed is not None:
                    again()
        if failed is None:
            return
        if not self.aligned_rows():
            self.i = failed[0]
            self.form.gaps.append(failed[1])
            self.skip_table()

    def cells_apart(self) -> bool:
        """Put back the 年度指标值 and 实际完成值 of rows that printed neither, when the
        text decides them: LibreOffice draws a sheet's cells of mixed scripts (≥2.00(次),
        2024年11月) in a second pass, so ``pdftotext -raw`` prints a row's line without
        them (``开展校园安全演练次数 2.50 2.50``) and, after 总分, a line for each row that
        lacks cells, in row order, with the row's missing cells in column order
        (``≥2.00(次) 2.00(次)``), the merged 一级 / 二级 labels' wrapped pieces among them.
        Taken only for a table of the seed's columns on one page, when every row's line
        is read as 三级指标, 0 to 2 cells, 分值, 得分 (and a 偏差原因), the lines after 总分
        less those pieces hold cells of mixed scripts only, and their counts are, line by
        line, the cells each row lacks. A row that lacks one of the two cells keeps its
        gap (which of its cells the printed one is is not in the text); its line is left.
        Whether any cell was put back."""
        cols = self.ind_cols
        if cols[:7] != ["level1", "level2", "name", "target", "actual", "weight", "score"]:
            return False
        added = cols[7:-1] if cols[-1:] == ["deviation"] else cols[7:]
        if not all(key in NUMBER_COLUMNS for key in added):
            return False
        nums = 2 + len(added)  # 分值, 得分 (河北: 权重占比, 折算得分)
        j = self.i  # to 总分 (the next form's title or head label ends the table too)
        while j < len(self.t) and not (ends := _ends_table(self.t[j].text)):
            if ends is None:
                return False  # the header printed again: a page break
            j += 1
        if j >= len(self.t) or not _TOTAL.match(label(self.t[j].text)):
            return False
        lacking: list[tuple[int, int]] = []  # (the row's 分值 token, cells it lacks)
        for line in _by_line(self.t, self.i, j):
            lead = 0  # the 一级 / 二级 labels the line begins with
            while lead < len(line) and _level_cell(self.t[line[lead]].text):
                lead += 1
            rest = line[lead:]
            if not rest:
                continue
            texts = [self.t[k].text for k in rest]
            numbers = [_is_number_cell(t) for t in texts]
            tail = 0 if numbers[-1] else 1  # a 偏差原因 after 得分
            if len(texts) < 1 + nums + tail or not all(numbers[len(texts) - nums - tail :][:nums]):
                return False
            p = len(texts) - nums - tail
            if numbers[0] or p > 3 or (tail and "deviation" not in cols):
                return False
            if p < 3:
                lacking.append((rest[p], 3 - p))
        if not any(n == 2 for _, n in lacking):
            return False  # (no row lacks both: nothing to put back)
        end = self.form_end(j)
        if any(t.page != self.t[self.i].page for t in self.t[self.i : end]):
            return False
        total_line = self.t[j].line
        cells: list[list[int]] = []
        for line in _by_line(self.t, j, end):
            if self.t[line[0]].line == total_line or _GRADE.match(label(self.t[line[0]].text)):
                continue  # 总分's and 评分等级's lines, of the first pass
            kept = [k for k in line if not V.level_piece(label(self.t[k].text))]
            if not kept or (len(line) == 1 and _YEAR.match(label(self.t[line[0]].text))):
                continue
            if not all(mixed_scripts(self.t[k].text) for k in kept):
                return False
            cells.append(kept)
        if [n for _, n in lacking] != [len(c) for c in cells] or not cells:
            return False
        moves = [(at, c) for (at, n), c in zip(lacking, cells, strict=True) if n == 2]
        taken = sorted((k for _, c in moves for k in c), reverse=True)
        texts_of = {at: [self.t[k] for k in c] for at, c in moves}
        for k in taken:
            del self.t[k]
        for at in sorted(texts_of, reverse=True):
            row = self.t[at]
            put = [Token(t.text, row.line, row.col, row.page) for t in texts_of[at]]
            self.t[at:at] = put
        return True

    def table_ends(self, tok: Token) -> bool:
        ends = _ends_table(tok.text)
        return ends if ends is not None else self.repeated_header()

    def whole_rows(self) -> tuple[int, str] | None:
        """Every row whole from here to the table's end; else where and why not."""
        cols = self.ind_cols
        n = len(cols)
        lead = 0
        while lead < n and cols[lead] in ("level1", "level2"):
            lead += 1
        numeric = [c for c, key in enumerate(cols) if key in ("weight", "score")]
        while self.i < len(self.t):
            tok = self.t[self.i]
            if self.table_ends(tok):
                return None
            if tok.problem:
                return self.i, f"{tok.problem}，以下指标行未读入"
            found = self.row_at(lead, n, numeric)
            if found is None and self.total_first():
                return None
            if found is None and not lead and _level_pieces(tok.text):
                self.loose_levels = self.loose_levels or tok  # printed apart from the rows
                self.i += 1
                continue
            if found is None and not lead and cols[0] == "name":
                nameless = self.numbers_fit(1, n, numeric)  # its 三级指标 printed elsewhere
                if nameless is not None:
                    self.nameless.append((tok, len(self.form.rows)))
                    found = 0, ["", *nameless[0]], nameless[1]
            if found is None:
                return self.i, (
                    f"{self.where(tok)}：绩效指标行“{tok.text}”起无法确定各格所在的栏"
                    "（分值、得分不是数字或格数不对），以下指标行未读入"
                )
            first, texts, used = found
            row_toks = self.t[self.i : self.i + used] or [tok]
            cells = self.form.add([(first + c, t) for c, t in enumerate(texts)], row_toks)
            for cell in cells:
                if cell.col < lead:
                    self.level_cells[cell.col] = cell
            for c in range(first):
                above = self.level_cells.get(c)
                if above is not None:
                    above.rowspan += 1
            self.i += used
        return None

    def aligned_rows(self) -> bool:
        """The table's rows by :func:`~jixiao.ingest.aligned.align_rows`, each row laid
        out whole (its 一级 / 二级 written out); the template's unused rows (指标2, ……)
        left out; a row cut by the end of the text loses its cut cell (a gap)."""
        toks: list[list[Token]] = []
        k = self.i
        while k < len(self.t) and not (toks and self.table_ends(self.t[k])):
            tok = self.t[k]
            if tok.problem:
                return False
            if _goal_label(label(tok.text)):
                # 实际完成情况 printed among the rows (LibreOffice's PDF of a workbook,
                # pdftotext default): no cell of the table, and its text is not told
                self.form.gaps.append(
                    f"{self.where(tok)}：年度总体目标的“{tok.text}”印在绩效指标表的格中间，"
                    "它的文字无法确定，未读入"
                )
                k += 1
                continue
            if V.FUND_COLUMN_VALUE.match(label(tok.text)):
                self.form.gaps.append(
                    f"{self.where(tok)}：项目资金的一栏“{tok.text}”印在绩效指标表的格中间，"
                    "属于哪一行无法确定，未读入"
                )
                k += 1
                continue
            joined = toks[-1] if toks else None
            if joined is not None and _joins_level(joined, tok):
                joined.append(tok)
            else:
                toks.append([tok])
            k += 1
        cut = k >= len(self.t)  # no 总分 nor anything after the table: cut off
        texts = ["".join(t.text for t in group) for group in toks]
        texts, toks = _unglued(texts, toks)
        if "level1" not in self.ind_cols and "level2" not in self.ind_cols:
            texts, toks = self.levels_apart(texts, toks)
        rows = align_rows(self.ind_cols, self.ind_heads, texts)
        if rows is None:
            return False
        if cut:
            last = max((i for i, t in enumerate(texts) if t.strip()), default=None)
            for row in rows:
                if last is not None and any(i == last for _, i in row.cells):
                    row.cells = [(c, i) for c, i in row.cells if i != last]
                    where = toks[last][0]
                    self.form.gaps.append(
                        f"{self.where(where)}：表文在“{texts[last]}”处中断（原文不完整），"
                        "此格及其后的指标、总分未读入"
                    )
        keys = self.ind_cols
        blanks_kept = any(not t.strip() for t in texts)
        content = [c for c, key in enumerate(keys) if key not in ("level1", "level2")]
        name = keys.index("name")
        self.levels_decided(rows, k)
        kept: list[tuple[AlignedRowView, bool]] = []
        for row in rows:
            cells = {c: texts[i] for c, i in row.cells}
            filled = any(cells.get(c, "").strip() for c in content)
            unused = bool(V.GRID_PLACEHOLDER_NAME.match(label(cells.get(name, "")))) and not any(
                cells.get(c, "").strip() for c in content if c != name
            )
            if unused:
                cells[name] = ""
                filled = False
            kept.append(((row.level1, row.level2, cells, row.cells), filled))
            if row.guessed and row.cells:
                where = toks[row.cells[0][1]][0]
                gap = (
                    f"{self.where(where)}：绩效指标行“{cells.get(name, '')}”之前只印了"
                    f"“{row.level2}”，它是一级还是二级指标（一级指标按其后的“{row.guessed}”推定）"
                    "无法确定，请核对"
                )
                if gap not in self.form.gaps:
                    self.form.gaps.append(gap)
            if row.level2_elsewhere and row.cells:
                where = toks[row.cells[0][1]][0]
                self.form.gaps.append(
                    f"{self.where(where)}起：绩效指标行“{cells.get(name, '')}”之前印的"
                    f"“{row.level1}”是一级指标，"
                    + (
                        f"它的二级指标折行印在表后，按表后唯一的“{row.level2}”读入"
                        if row.level2
                        else "它的二级指标没有印在这里，未读入"
                    )
                    + "，请核对"
                )
            lost = row.doubtful(keys, blanks_kept)
            if (
                filled
                and lost
                and row.cells
                and not V.apart_from_rows("".join(cells.get(c, "") for c in content))
            ):  # (no row: the mapper takes it, :func:`mapper.indicators.indicator_row`)
                where = toks[row.cells[0][1]][0]
                names = "、".join(dict.fromkeys(_COLUMN_NAMES.get(k, "其他") for k in lost))
                self.form.gaps.append(
                    f"{self.where(where)}：绩效指标行“{cells.get(name, '')}”少了“{names}”一栏的格"
                    "（原文缺格或空格被略去），各格所在的栏为推定，请核对"
                )
        out: list[AlignedRowView] = []
        for k2, (view, filled) in enumerate(kept):
            group = view[:2]
            if filled:
                out.append(view)
            elif not any(v[:2] == group for v in out) and not any(
                f and v[:2] == group for v, f in kept[k2 + 1 :]
            ):
                out.append(view)  # a 二级 printed with no 三级 under it
        for level1, level2, cells, used in out:
            if "level1" in keys:
                cells[keys.index("level1")] = level1
            if "level2" in keys:
                cells[keys.index("level2")] = level2
            row_toks = [t for _, i in used for t in toks[i]]
            self.form.add(sorted(cells.items()), row_toks or [self.t[self.i]])
        self.i = k
        return True

    def levels_decided(self, rows: list[AlignedRow], k: int) -> None:
        """The rows' 一级 / 二级 where the form prints wrapped level labels after the table
        (from ``k``: LibreOffice's second pass over a sheet draws a merged cell's wrapped
        label there, 经济成本 / 指标; the first pass prints in the table the labels that fit
        a line, each before the first row it spans):
        - the first rows, under a label that is a 一级 and a 二级 (成本指标) with their 一级
          guessed from the one printed after them (:func:`align_rows`), when a wrapped 二级
          stands only under that label: the label is their 一级; their 二级 the wrapped one
          when it is the only one, else not read;
        - a row with no 一级 under a 二级 that stands under one 一级 only, a wrapped one
          (数量指标, 产出指标 / (35分)): that 一级.
        The wrapped labels left span rows the text does not show: one gap names them."""
        wrapped = V.wrapped_levels(label(t.text) for t in self.t[k : self.form_end(k)])
        if not wrapped:
            return
        left = dict.fromkeys(wrapped)
        for row in rows:
            under = [w for w in wrapped if w in V.LEVELS.get(row.level2, ())]
            if row.guessed and under:
                row.level2_elsewhere = row is rows[0]
                row.level1, row.level2 = row.level2, under[0] if len(under) == 1 else ""
                row.guessed = ""
            parents = [l1 for l1, l2s in V.LEVELS.items() if row.level2 in l2s]
            if not row.level1 and len(parents) == 1 and parents[0] in left:
                row.level1 = parents[0]
        for row in rows:
            left.pop(row.level1, None)
            left.pop(row.level2, None)
        if left:
            tok = self.t[self.i]
            self.form.gaps.append(f"{self.where(tok)}起：" + V.LEVELS_LEFT.format("”“".join(left)))

    def levels_apart(
        self, texts: list[str], toks: list[list[Token]]
    ) -> tuple[list[str], list[list[Token]]]:
        """A header with no 一级 / 二级 column (``pdftotext`` default of LibreOffice's PDF
        of a workbook prints it after the rows): a cell among the rows that is exactly a
        一级 / 二级 label or the header's 一级 / 二级 labels is no cell of a row (never a
        偏差原因 nor a 三级指标), but those merged cells printed apart from their rows."""
        kept_texts: list[str] = []
        kept_toks: list[list[Token]] = []
        for text, group in zip(texts, toks, strict=True):
            if _level_cell(text):
                self.loose_levels = self.loose_levels or group[0]
                continue
            kept_texts.append(text)
            kept_toks.append(group)
        return kept_texts, kept_toks

    def row_at(self, lead: int, n: int, numeric: list[int]) -> tuple[int, list[str], int] | None:
        """The row starting here: (its first column, its cells' texts, tokens used). The
        一级 / 二级 cells it holds are the level labels it starts with (the known ones
        first, then any "…指标"); 分值 and 得分 must be numbers."""
        tried: set[int] = set()
        for strict in (True, False):
            given = 0
            while given < lead and self.i + given < len(self.t):
                text = label(self.t[self.i + given].text)
                known = text in V.LEVEL1_LABELS or text in V.LEVEL2_LABELS
                if not (known or (not strict and is_level_label(text))):
                    break
                given += 1
            if given in tried:
                continue
            tried.add(given)
            first = lead - given
            found = self.numbers_fit(first, n, numeric)
            if found is not None:
                return first, found[0], found[1]
        return None

    def numbers_fit(self, first: int, n: int, numeric: list[int]) -> tuple[list[str], int] | None:
        """The row's texts from here if its 分值 / 得分 are numbers (a glued pair cut)."""
        width = n - first
        texts = [t.text for t in self.t[self.i : self.i + width]]
        pos = [c - first for c in numeric]
        if len(texts) == width and all(_is_number_cell(texts[p]) for p in pos):
            return texts, width
        if (
            len(pos) == 2
            and pos[1] == pos[0] + 1
            and len(texts) >= width - 1
            and not _is_value(texts[pos[0]])  # one number is not two glued
        ):
            short = texts[: width - 1]
            cols = [self.ind_cols[c] for c in numeric]
            cut = split_glued(short[pos[0]], 2, score_check(cols))
            if cut is not None:
                return short[: pos[0]] + cut + short[pos[0] + 1 :], width - 1
        return None

    def total_first(self) -> bool:
        """Two numbers after the last row, 总分 and the rest of the table's text after them
        (``pdftotext`` default prints the 总分 row's numbers before its label, and the
        merged cells' text after the rows): the numbers are kept for 总分; the text up to
        总分 is read as what it is, its rows' cells printed apart (a gap)."""
        pair = self.t[self.i : self.i + 2]
        if not self.form.rows or len(pair) < 2 or not all(_is_number_cell(t.text) for t in pair):
            return False
        k = self.i + 2
        while k < len(self.t) and not _TOTAL.match(label(self.t[k].text)):
            if _HEAD.key(label(self.t[k].text)) or V.GRID_TITLE.search(label(self.t[k].text)):
                return False
            k += 1
        if k == len(self.t):
            return False
        between = self.t[self.i + 2 : k]
        if any(_is_number_cell(t.text) or is_glued(t.text) for t in between):
            return False  # more numbers: rows not read, not the 总分 row
        self.early_total = [t.text for t in pair]
        if any(t.text for t in between):
            self.loose_levels = self.loose_levels or between[0]
            self.names_apart(between)
        self.i = k
        return True

    def names_apart(self, between: list[Token]) -> None:
        """The 三级指标 of the rows that lack one, printed after the rows among the 一级 /
        二级 pieces (``pdftotext`` default), a line each: the lines that are not pieces, in
        order, when there are exactly as many as such rows."""
        names = [
            line.strip()
            for t in between
            for line in (t.lines or [t.text])
            if line.strip() and not _LEVEL_CHARS.issuperset(line.strip())
        ]
        if not self.nameless or len(names) != len(self.nameless):
            return
        for (_, r), name in zip(self.nameless, names, strict=True):
            self.form.rows[r][0].text = name
        self.nameless = []

    def repeated_header(self) -> bool:
        keys = {_IND_COL.key(label(t.text)) for t in self.t[self.i : self.i + 4]}
        return len(keys - {None}) >= 3

    def skip_table(self) -> None:
        while self.i < len(self.t):
            f = label(self.t[self.i].text)
            if _TOTAL.match(f) or _GRADE.match(f) or _HEAD.key(f) or V.GRID_TITLE.search(f):
                return
            self.i += 1

    def table_goes_on(self, k: int) -> bool:
        """After the two numbers read for 总分, more of the indicator table: a number, or a
        header cell repeated on a new page (LibreOffice's text of a workbook prints a row cut
        by a page break after the 总分 label): those numbers were the table's cells."""
        nxt = self.at(k)
        if nxt is None or not nxt.text:
            return False
        return _is_number_cell(nxt.text) or _IND_COL.key(label(nxt.text)) is not None

    def numbers_after(self, k: int) -> list[str]:
        """The number cells from ``k`` to the form's end (the next form's title or head)."""
        out: list[str] = []
        for tok in self.t[k:]:
            f = label(tok.text)
            if V.GRID_TITLE.search(f) or _HEAD.key(f) or _TOTAL.match(f):
                break
            if _is_number_cell(tok.text):
                out.append(tok.text)
        return out

    def total_or_grade(self, tok: Token, f: str) -> None:
        k = self.i + 1
        if _GRADE.match(f) and not _TOTAL.match(f):
            while (nxt := self.at(k)) is not None and _IND_COL.key(label(nxt.text)):
                k += 1  # the table's last header cell printed after the label (pdftotext)
            grade = nxt.text if nxt is not None and label(nxt.text) in V.GRID_GRADES else ""
            used = [tok] + ([nxt] if grade and nxt is not None else [])
            if not grade:
                k = self.i + 1
                self.form.gaps.append(f"{self.where(tok)}：“评分等级”后没有读到等级")
            self.form.add([(0, tok.text), (1, grade)], used)
            self.i = k + (1 if grade else 0)
            return
        cols = self.ind_cols
        w = cols.index("weight") if "weight" in cols else 1
        s = cols.index("score") if "score" in cols else w + 1
        nums: list[str] = []
        used = [tok]
        while len(nums) < 2 and k < len(self.t):
            text = self.t[k].text
            if _is_value(text) and (text.strip() or nums):
                nums.append(text)  # 合计 | 100 | (得分 left blank)
            elif is_glued(text) and not nums:
                cut = split_glued(text, 2, score_check(["weight", "score"]))
                if cut is None:
                    break
                nums += cut
            else:
                break
            used.append(self.t[k])
            k += 1
        self.i = k
        if len(nums) == 2 and self.table_goes_on(k):
            self.form.gaps.append(
                f"{self.where(tok)}：“总分”后的数后面还有指标表的格（如换页后续印的行），"
                "哪两个是总分的分值和得分无法确定，未读入"
            )
            self.form.add([(0, tok.text)], used)
            return
        if not nums and self.early_total is not None:
            nums, self.early_total = self.early_total, None
        if len(nums) != 2:
            gap = f"{self.where(tok)}：“总分”行应有分值和得分两个数"
            self.form.gaps.append(gap)
            if not nums:
                self.form.total_apart = gap, self.numbers_after(k)
            self.form.add([(0, tok.text)], used)
            return
        cells = [(0, tok.text), (w, nums[0]), (s, nums[1])]
        after = self.at(k)
        if after is not None and label(after.text) in V.GRID_GRADES:
            cells.append((max(w, s) + 1, after.text))  # 总分 | 100 | 96 | 优
            used.append(after)
            self.i = k + 1
        head = self.form.add(cells, used)
        head[0].colspan = max(1, min(w, s))
