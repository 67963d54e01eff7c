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

from jixiao.ingest import vocabulary as V
from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.glued import fund_check, is_glued, score_check, split_glued
from jixiao.ingest.grid import Cell, Grid
from jixiao.ingest.tokens import Token


def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(patterns) + ")$")


_HEAD = {k: _compiled(p) for k, p in V.GRID_HEAD_LABELS.items()}
_OTHER_HEAD = _compiled(V.GRID_OTHER_HEAD_LABELS)
_FUND_COL = {k: _compiled(p) for k, p in V.GRID_FUND_COLUMNS.items()}
_FUND_ROW = {k: _compiled(p) for k, p in V.GRID_FUND_ROWS.items()}
_IND_COL = {k: _compiled(p) for k, p in V.GRID_INDICATOR_COLUMNS.items()}
_EXPECTED = _compiled(V.GRID_GOAL_EXPECTED)
_ACHIEVED = _compiled(V.GRID_GOAL_ACHIEVED)
_TOTAL = _compiled(V.GRID_TOTAL_LABELS)
_GRADE = _compiled(V.GRID_GRADE_LABELS)
_YEAR = re.compile(r"^[(（]?\s*((?:19|20)\d{2})\s*年度?\s*[)）]?$")
_LEVEL = re.compile(r"^.{0,10}指标(等)?(\(\d+(\.\d+)?分\))?$")
_LABEL_NUMBERS = re.compile(r"^(.*?[^\d.,%\-—])([\d][\d.,%\-—]*|[-—][\d.,%\-—]+)$")


_LEVEL_CHARS = frozenset("".join((*V.LEVEL1_LABELS, *V.LEVEL2_LABELS)) + " ")


def _level_pieces(text: str) -> bool:
    """Text made of the 一级 / 二级 labels' characters only: their pieces, printed apart
    from the rows they span (``pdftotext`` default)."""
    return len(text) > 1 and _LEVEL_CHARS.issuperset(text)


def _levels_head(f: str) -> bool:
    """The first words of the indicator header's 一级 / 二级 cells (一级 二级 …)."""
    return f.startswith("一级") and "二级" in f[:6]


def _key(table: dict[str, re.Pattern[str]], label: str) -> str | None:
    for key, pattern in table.items():
        if pattern.match(label):
            return key
    return None


def label(text: str) -> str:
    return V.grid_label(text).replace(" ", "")


def is_level_label(text: str) -> bool:
    f = label(text)
    return f in V.LEVEL1_LABELS or f in V.LEVEL2_LABELS or bool(_LEVEL.match(f))


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
        _key(_HEAD, f)
        or _key(_FUND_COL, f)
        or _key(_FUND_ROW, f.removeprefix("其中"))
        or V.GRID_FUNDS_BLOCK.match(f)
        or V.GRID_GOALS_BLOCK.match(f)
        or _EXPECTED.match(f)
        or _ACHIEVED.match(f)
        or _TOTAL.match(f)
        or _GRADE.match(f)
        or V.GRID_TITLE.search(f)
    )


@dataclass
class FormRows:
    """One form's rows (cells placed by column) and the gaps found while placing them."""

    rows: list[list[Cell]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    first: Token | None = None
    last: Token | None = None
    pages: set[int] = field(default_factory=set)

    def add(self, cells: list[tuple[int, str]], tokens: list[Token]) -> list[Cell]:
        r = len(self.rows)
        row = [Cell(r, c, text=t) for c, t in cells]
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
        return Grid([c for row in self.rows for c in row], origin=origin)


class RowBuilder:
    """Walks the cells of a flattening and lays each form's rows out as a table."""

    def __init__(self, tokens: list[Token]) -> None:
        self.t = tokens
        self.i = 0
        self.forms: list[FormRows] = []
        self.form = FormRows()
        self.fund_cols: list[str] = []
        self.ind_cols: list[str] = []
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
            if V.GRID_TITLE.search(f) and len(f) <= 40 and not _key(_HEAD, f):
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
            key = _key(_HEAD, f)
            if key is not None or _OTHER_HEAD.match(f):
                if key == "project":
                    if seen_project:
                        self.new_form()
                    seen_project = True
                self.head(tok)
                continue
            if V.GRID_FUNDS_BLOCK.match(f) and not _key(_FUND_COL, f):
                self.block = tok
                self.i += 1
                continue
            fund_label = _key(_FUND_COL, f) is not None
            ind_label = _key(_IND_COL, f) is not None
            if fund_label and (not ind_label or self.starts_fund_header()) and self.fund_header():
                continue
            if self.fund_cols and self.fund_row():
                continue
            goal_label = V.GRID_GOALS_BLOCK.match(f) or _EXPECTED.match(f) or _ACHIEVED.match(f)
            if goal_label and self.goals():
                continue
            if _key(_IND_COL, f) and self.indicator_header():
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
            self.form.add([(0, tok.text)], [tok])  # kept for the mapper: unmapped text
            self.i += 1
        self.new_form()
        return self.forms

    def starts_fund_header(self) -> bool:
        """A run of cells from here of which at least two are fund column labels."""
        keys = [_key(_FUND_COL, label(t.text)) for t in self.t[self.i : self.i + 3]]
        return sum(k is not None for k in keys) >= 2 and "executed" in keys + [
            _key(_FUND_COL, label(t.text)) for t in self.t[self.i : self.i + 6]
        ]

    def head(self, tok: Token) -> None:
        nxt = self.at(self.i + 1)
        if nxt is not None and not is_known_label(nxt.text) and not _key(_IND_COL, label(nxt.text)):
            self.form.add([(0, tok.text), (1, nxt.text)], [tok, nxt])
            self.i += 2
        else:
            self.form.gaps.append(f"{self.where(tok)}：“{tok.text}”后没有读到它的内容")
            self.form.add([(0, tok.text), (1, "")], [tok])
            self.i += 1

    def fund_header(self) -> bool:
        cols: list[str] = []
        toks: list[Token] = []
        k = self.i
        while k < len(self.t):
            f = label(self.t[k].text)
            key = _key(_FUND_COL, f)
            if key is None or key in cols:
                break
            cols.append(key)
            toks.append(self.t[k])
            k += 1
        if len(cols) < 2 or not {"initial", "adjusted", "executed"} & set(cols):
            return False
        block = self.block
        if block is None or not V.AMOUNT_UNIT_PATTERN.search(V.fold(block.text)):
            self.form.gaps.append(f"{self.where(toks[0])}：未找到金额单位（万元 / 元）")
        cells = [(0, block.text if block else V.FUNDS_LABEL)]
        cells += [(c + 1, t.text) for c, t in enumerate(toks)]
        self.form.add(cells, ([block] if block else []) + toks)
        self.fund_cols = cols
        self.block = None
        self.i = k
        return True

    def fund_row(self) -> bool:
        tok = self.t[self.i]
        text = tok.text
        glued_head = ""
        m = _LABEL_NUMBERS.match(label(text))
        if m and _key(_FUND_ROW, m.group(1).removeprefix("其中")):
            glued_head = m.group(2)
            text = m.group(1)
        f = label(text)
        key = _key(_FUND_ROW, f.removeprefix("其中")) or _key(_FUND_ROW, f)
        if key is None:
            return False
        n = len(self.fund_cols)
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
        if values and after is not None and _is_number_cell(after.text):
            values = []  # more numbers than columns: which column each is in is not known
            pieces.append(after.text)
        self.i = k
        if len(values) != n:
            self.form.gaps.append(
                f"{self.where(tok)}：项目资金“{text}”应有 {n} 个数，"
                f"读到“{' '.join(p for p in pieces)}”，无法确定各数所在的栏，未读入"
            )
            self.form.add([(0, text)], used)
            return True
        self.form.add([(0, text)] + [(c + 1, v) for c, v in enumerate(values)], used)
        return True

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

        def whole(values: list[Decimal | None]) -> bool:
            return check([*map(_decimal, before), *values, *map(_decimal, after)])

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
        while len(texts) < len(heads) and k < len(self.t):
            nxt = self.t[k]
            if is_known_label(nxt.text) or _key(_IND_COL, label(nxt.text)):
                break
            if _levels_head(label(nxt.text)):
                break  # the indicator header's merged cells, printed before the rest
            texts.append(nxt)
            k += 1
        for t in texts:
            if t.mixed:
                self.form.gaps.append(
                    f"{self.where(t)}：年度总体目标的文字与别的栏并排印在同一行，无法分开，未读入"
                )
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

    def indicator_header(self) -> bool:
        cols: list[str] = []
        toks: list[Token] = []
        k = self.i
        while k < len(self.t):
            key = _key(_IND_COL, label(self.t[k].text))
            if key is None or key in cols:
                break
            cols.append(key)
            toks.append(self.t[k])
            k += 1
        if "name" not in cols or not {"weight", "score"} & set(cols):
            return False
        self.form.add([(c, t.text) for c, t in enumerate(toks)], toks)
        self.ind_cols = cols
        self.level_cells = {}
        self.i = k
        return True

    def indicator_rows(self) -> None:
        cols = self.ind_cols
        n = len(cols)
        lead = 0
        while lead < n and cols[lead] in ("level1", "level2"):
            lead += 1
        numeric = [c for c, key in enumerate(cols) if key in ("weight", "score")]
        while self.i < len(self.t):
            tok = self.t[self.i]
            f = label(tok.text)
            if _TOTAL.match(f) or _GRADE.match(f) or (f and V.GRID_TITLE.search(f)):
                return
            if _key(_HEAD, f) or (_key(_IND_COL, f) and self.repeated_header()):
                return
            if tok.problem:
                self.form.gaps.append(f"{tok.problem}，以下指标行未读入")
                self.skip_table()
                return
            found = self.row_at(lead, n, numeric)
            if found is None and self.total_first():
                return
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
                self.form.gaps.append(
                    f"{self.where(tok)}：绩效指标行“{tok.text}”起无法确定各格所在的栏"
                    "（分值、得分不是数字或格数不对），以下指标行未读入"
                )
                self.skip_table()
                return
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
            if _key(_HEAD, label(self.t[k].text)) or V.GRID_TITLE.search(label(self.t[k].text)):
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
        keys = {_key(_IND_COL, label(t.text)) for t in self.t[self.i : self.i + 4]}
        return len(keys - {None}) >= 3

    def skip_table(self) -> None:
        while self.i < len(self.t):
            f = label(self.t[self.i].text)
            if _TOTAL.match(f) or _GRADE.match(f) or _key(_HEAD, f) or V.GRID_TITLE.search(f):
                return
            self.i += 1

    def total_or_grade(self, tok: Token, f: str) -> None:
        k = self.i + 1
        if _GRADE.match(f) and not _TOTAL.match(f):
            while (nxt := self.at(k)) is not None and _key(_IND_COL, label(nxt.text)):
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
            if _is_value(text) and text.strip():
                nums.append(text)
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
        if not nums and self.early_total is not None:
            nums, self.early_total = self.early_total, None
        if len(nums) != 2:
            self.form.gaps.append(f"{self.where(tok)}：“总分”行应有分值和得分两个数")
            self.form.add([(0, tok.text)], used)
            return
        head = self.form.add([(0, tok.text), (w, nums[0]), (s, nums[1])], used)
        head[0].colspan = max(1, min(w, s))
