"""Read 自评表 from flattened text (pdftotext style, like the seed).

Label driven: the vocabulary (:mod:`jixiao.ingest.vocabulary`) finds the blocks of each
form; cells that wrapped are reassembled by the widths of their lines (a line that could
still have held the next piece of text ends its cell) and, as a hint, by blank lines.
What cannot be found or placed is reported in ``form.gaps`` with its line number; no value
is ever made up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from itertools import pairwise

from jixiao.ingest import vocabulary as V
from jixiao.ingest.errors import IngestError
from jixiao.model import FUND_COLUMNS, SelfEvaluation

JOIN_COST = 50  # two single-line cells on separate lines (pdftotext would have joined them)
MERGE_COST = 2  # a cell printed with a space inside
WIDTH_COST = 10  # per squared unit of room left on a line that did wrap


class Line:
    """One non-blank line: its number (1-based), text, and blank lines directly before.
    Width, first unit and folded text are worked out when first asked for."""

    __slots__ = ("_folded", "_unit", "_width", "blank", "no", "text")

    def __init__(self, no: int, text: str, blank: int) -> None:
        self.no = no
        self.text = text
        self.blank = blank
        self._width = self._unit = -1
        self._folded: str | None = None

    def __repr__(self) -> str:
        return f"Line({self.no}, {self.text!r}, {self.blank})"

    @property
    def width(self) -> int:
        if self._width < 0:
            self._width = V.text_width(self.text)
        return self._width

    @property
    def unit(self) -> int:
        """Width of the line's first unbreakable piece (what did not fit on the line above)."""
        if self._unit < 0:
            self._unit = V.first_unit_width(self.text)
        return self._unit

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = V.fold(self.text)
        return self._folded


_SPACES = ("\u3000", "\xa0", "|", "｜", "\f")


def split_lines(text: str) -> list[Line]:
    """The non-blank lines with their numbers and the count of blank lines before each."""
    for odd in _SPACES:  # str.replace is much faster than translate on long text
        if odd in text:
            text = text.replace(odd, " ")
    out: list[Line] = []
    prev = 0
    for no, raw in enumerate(text.splitlines(), 1):
        if raw and not raw.isspace():
            out.append(Line(no, raw.strip(), no - prev - 1))
            prev = no
    return out


def _starts(line: Line, label: str) -> bool:
    return line.text.startswith(label[0]) and line.folded.startswith(label)


def _contains(line: Line, label: str) -> bool:
    return label[0] in line.text and label in line.folded


def _find_last(lines: list[Line], pred, start: int = 0) -> int | None:
    """The last line from ``start`` on that matches (searched from the end: the 总分 row
    ends a form, so this does not walk through the table)."""
    for i in range(len(lines) - 1, start - 1, -1):
        if pred(lines[i]):
            return i
    return None


def _find(lines: list[Line], pred, start: int = 0, stop: int | None = None) -> int | None:
    for i in range(start, len(lines) if stop is None else stop):
        if pred(lines[i]):
            return i
    return None


def _is_title(line: Line) -> bool:
    if V.TITLE_HINT not in line.text:
        return False
    f = line.folded
    return len(f) <= 40 and bool(V.TITLE_PATTERN.search(f))


def parse_text(text: str, file: str | None = None) -> list[SelfEvaluation]:
    """All forms in ``text``. Forms that are incomplete carry ``gaps``; text with no form
    in it at all raises :class:`IngestError`."""
    name = file or "<文本>"
    if not text or text.isspace():
        raise IngestError(f"{name}: 文件为空")
    lines = split_lines(text)
    hint = V.TITLE_HINT
    starts = [i for i, ln in enumerate(lines) if hint in ln.text and _is_title(ln)]
    first = _find(lines, _has_anchor)
    if first is None:
        where = f"第 1–{lines[-1].no} 行中" if lines else ""
        found = f"只有表头“{V.TITLE}”" if starts else f"没有表头“{V.TITLE}”"
        raise IngestError(
            f"{name}: 未找到绩效自评表（{where}{found}，"
            "也没有“项目名称”“项目资金”“三级指标”等栏目）"
        )
    if not starts or first < starts[0]:
        starts = [first, *[i for i in starts if i > first]]
    forms: list[SelfEvaluation] = []
    bounds = [*starts, len(lines)]
    for a, b in pairwise(bounds):
        if b <= first or _find(lines, _has_anchor, max(a, first), b) is None:
            continue  # a title mentioned in page chrome, not a form
        reader = FormReader(lines[a:b], file, has_title=_is_title(lines[a]))
        forms.append(reader.read(index=len(forms) + 1))
    return forms


_ANCHOR_CHARS = frozenset(a[0] for a in V.FORM_ANCHORS)


def _has_anchor(line: Line) -> bool:
    if _ANCHOR_CHARS.isdisjoint(line.text):
        return False
    f = line.folded
    return any(a in f for a in V.FORM_ANCHORS)


class _Draft:
    """The form being read, as plain data; validated into the model once, at the end."""

    def __init__(self) -> None:
        self.year: int | None = None
        self.project = self.department = self.unit = ""
        self.amount_unit = "万元"  # the model's default; a gap says when it was not found
        self.funds: dict[str, dict[str, str | None]] = {}
        self.goals = {"expected": "", "achieved": ""}
        self.indicators: list[dict[str, str | None]] = []
        self.total_weight: Decimal | None = None
        self.total_score: Decimal | None = None
        self.grade: str | None = None
        self.source: dict[str, object] | None = None
        self.gaps: list[str] = []
        self.index: int | None = None

    def build(self) -> SelfEvaluation:
        return SelfEvaluation.model_validate(vars(self))


class FormReader:
    """Reads one form from its lines (title to the line before the next title)."""

    def __init__(self, lines: list[Line], file: str | None, has_title: bool = True):
        self.lines = lines
        self.file = file
        self.has_title = has_title
        self.gaps: list[str] = []
        self.form = _Draft()

    def gap(self, line_no: int | None, what: str) -> None:
        self.gaps.append(f"第{line_no}行：{what}" if line_no else what)

    # -- the whole form ------------------------------------------------------------------
    def read(self, index: int | None = None) -> SelfEvaluation:
        L = self.lines
        form = self.form
        first, _last = L[0].no, L[-1].no
        if not self.has_title:
            self.gap(first, f"缺少表头“{V.TITLE}”")
        i_project = _find(L, lambda ln: _starts(ln, V.PROJECT_LABEL))
        i_dept = _find(L, lambda ln: _starts(ln, V.DEPARTMENT_LABEL))
        i_funds = _find(L, lambda ln: _starts(ln, V.FUNDS_LABEL))
        after_funds = i_funds + 1 if i_funds is not None else 0
        i_goals = _find(L, lambda ln: _contains(ln, V.GOAL_EXPECTED_LABEL), after_funds)
        table_start, table_end = self._find_table(i_goals + 1 if i_goals is not None else 0)
        after_table = table_end if table_end is not None else after_funds
        i_total = _find_last(L, lambda ln: _starts(ln, V.TOTAL_LABEL), after_table)
        after_total = i_total + 1 if i_total is not None else after_table
        i_grade = _find(L, lambda ln: _starts(ln, V.GRADE_LABEL), after_total)
        end = i_grade + 1 if i_grade is not None else len(L)
        form.source = {"file": self.file, "start_line": first, "end_line": L[end - 1].no}

        header_end = next((i for i in (i_project, i_dept, i_funds) if i is not None), len(L))
        self._year(L[:header_end])
        self._header(i_project, i_dept, i_funds, i_goals, table_start)

        goals_label = i_goals
        if i_goals is not None:
            goals_label = self._goals_label_start(i_goals)
        funds_end = next(
            (i for i in (goals_label, table_start, i_total, i_grade) if i is not None), end
        )
        if i_funds is None:
            self.gap(None, "缺少“项目资金”栏（年度资金总额等四行）")
        else:
            self._funds(i_funds, funds_end)
        if i_goals is None:
            self.gap(None, "缺少“年度总体目标”栏（预期目标 / 实际完成情况）")
        else:
            goals_end = next((i for i in (table_start, i_total, i_grade) if i is not None), end)
            self._goals(L[i_goals + 1 : goals_end], L[i_goals].no)
        if table_start is None or table_end is None:
            self.gap(None, "缺少绩效指标表（三级指标表头）")
        else:
            stop = next((i for i in (i_total, i_grade) if i is not None), end)
            table = TableReader(L[table_end:stop], L[table_start:table_end], self.gap)
            form.indicators = table.read()
            if not form.indicators:
                self.gap(L[table_end - 1].no, "绩效指标表中没有读到任何指标行")
        self._totals(i_total, i_grade)
        form.gaps = self.gaps
        form.index = index
        return form.build()

    # -- header --------------------------------------------------------------------------
    def _year(self, lines: list[Line]) -> None:
        for ln in lines:
            m = V.YEAR_PATTERN.search(ln.text)
            if m and "年" in ln.text:
                self.form.year = int(m.group(1))
                return
        self.gap(self.lines[0].no, "缺少年度（如“（2024年度）”）")

    def _after(self, line: Line, label: str) -> str:
        text = line.text
        k = text.find(label)
        if k < 0:  # label printed with spaces or full-width quirks
            k = 0
            for _ in label:
                k = text.find(_, k) + 1
            return text[k:].strip()
        return text[k + len(label) :].strip()

    def _header(self, i_project, i_dept, i_funds, i_goals, i_anchor) -> None:
        L, form = self.lines, self.form
        nxt = [i for i in (i_dept, i_funds, i_goals, i_anchor) if i is not None]
        if i_project is None:
            self.gap(None, "缺少“项目名称”")
        else:
            stop = min([i for i in nxt if i > i_project], default=i_project + 1)
            if i_dept is None:  # nothing known after it: a value wraps over a few lines
                stop = min(stop, i_project + 1 + V.HEADER_MAX_LINES)
            parts = [self._after(L[i_project], V.PROJECT_LABEL)]
            parts += [ln.text for ln in L[i_project + 1 : stop]]
            form.project = "".join(parts).strip()
            if not form.project:
                self.gap(L[i_project].no, "项目名称为空")
        if i_dept is None:
            self.gap(None, "缺少“主管部门”“实施单位”")
            return
        stop = min(
            [i for i in (i_funds, i_goals, i_anchor) if i is not None and i > i_dept],
            default=i_dept + 1,
        )
        if i_funds is None:
            stop = min(stop, i_dept + 1 + 2 * V.HEADER_MAX_LINES)
        text = "".join(
            [self._after(L[i_dept], V.DEPARTMENT_LABEL)] + [ln.text for ln in L[i_dept + 1 : stop]]
        )
        dept, sep, unit = text.partition(V.UNIT_LABEL)
        form.department = dept.strip()
        form.unit = unit.strip()
        if not sep:
            self.gap(L[i_dept].no, "缺少“实施单位”")

    # -- 项目资金 ------------------------------------------------------------------------
    def _funds(self, i_funds: int, stop: int) -> None:
        L, form = self.lines, self.form
        body = i_funds
        unit = None
        for i in range(i_funds, min(i_funds + 3, stop)):
            m = V.AMOUNT_UNIT_PATTERN.search(L[i].text)
            if m:
                unit, body = m.group(1), i
                break
        if unit is None:
            self.gap(L[i_funds].no, "未找到金额单位（万元 / 元）")
        else:
            form.amount_unit = unit
        for i in range(body, stop):
            if sum(w in L[i].text for w in V.FUND_HEADER_WORDS) >= 2:
                body = i
                break
        rows: dict[str, tuple[int, list[str | None]]] = {}
        key: str | None = None
        label, label_no = "", 0
        for ln in L[body + 1 : stop]:
            for tok in ln.text.split():
                isnum, val = V.parse_number_token(tok)
                if not isnum:
                    if not label:
                        label_no = ln.no
                    label += tok
                    continue
                if label:  # a label is complete when its numbers begin
                    key = self._fund_key(label)
                    if key is None:
                        self.gap(label_no, f"项目资金中无法识别的栏目“{_clip(label)}”")
                    elif key in rows:
                        self.gap(label_no, f"项目资金行“{label}”重复出现")
                        key = None
                    else:
                        rows[key] = (label_no, [])
                    label = ""
                if key is None:
                    self.gap(ln.no, f"项目资金中有无法归属的数值“{tok}”")
                    continue
                rows[key][1].append(val)
        if label:
            self.gap(label_no, f"项目资金中“{label}”后面没有数值")
        for key in V.FUND_ROW_LABELS:
            if key not in rows:
                name = V.FUND_ROW_LABELS[key][0]
                self.gap(L[i_funds].no, f"项目资金缺少“{name}”行")
                continue
            no, values = rows[key]
            if len(values) != len(FUND_COLUMNS):
                self.gap(no, f"“{V.FUND_ROW_LABELS[key][0]}”应有 6 个数，读到 {len(values)} 个")
                continue
            form.funds[key] = dict(zip(FUND_COLUMNS, values, strict=True))

    @staticmethod
    def _fund_key(label: str) -> str | None:
        clean = V.FUND_LABEL_NOISE.sub("", V.fold(label))
        for key, names in V.FUND_ROW_LABELS.items():
            if clean in names:
                return key
        return None

    # -- 年度总体目标 ----------------------------------------------------------------------
    def _goals_label_start(self, i_goals: int) -> int:
        """Back over the wrapped 年度 / 总体 / 目标 label above 预期目标."""
        k, acc = i_goals, ""
        head = V.fold(self.lines[i_goals].text)
        if head.startswith(V.GOALS_LABEL):
            return i_goals
        while k > 0:
            cand = V.fold(self.lines[k - 1].text) + acc
            if not V.GOALS_LABEL.endswith(cand):
                break
            acc, k = cand, k - 1
        return k

    def _goals(self, lines: list[Line], header_no: int) -> None:
        head = V.fold(self.lines[[ln.no for ln in self.lines].index(header_no)].text)
        if (
            V.GOAL_ACHIEVED_LABEL not in head
            and lines
            and V.fold(lines[0].text).startswith(V.GOAL_ACHIEVED_LABEL)
        ):
            lines = lines[1:]
        if not lines:
            return
        if len(lines) == 1:
            self.form.goals = {"expected": lines[0].text, "achieved": ""}
            self.gap(
                lines[0].no,
                "年度总体目标只有一行，无法区分预期目标与实际完成情况（已记为预期目标）",
            )
            return
        k = split_goals(lines)
        self.form.goals = {
            "expected": "".join(ln.text for ln in lines[:k]),
            "achieved": "".join(ln.text for ln in lines[k:]),
        }

    # -- indicator table header ------------------------------------------------------------
    def _find_table(self, lo: int) -> tuple[int, int] | tuple[None, None]:
        """The lines of the indicator table's header: the whole header text, wrapped in
        any way, read in column order; else the lines around its 三级指标 anchor."""
        L, H = self.lines, V.TABLE_HEADER_TEXT
        first = H[:1]
        for i in range(lo, len(L)):
            if not L[i].text.startswith(first):
                continue
            acc, j = L[i].folded, i + 1
            if not H.startswith(acc):
                continue
            while acc != H and j < len(L):
                f = L[j].folded
                if not H.startswith(acc + f):
                    break
                acc, j = acc + f, j + 1
            if acc == H:
                return i, j
        i_anchor = _find(L, lambda ln: _contains(ln, V.TABLE_ANCHOR), lo)
        if i_anchor is None:
            return None, None
        anchor = V.fold(L[i_anchor].text)
        pos = H.find(anchor)
        start, stop = i_anchor, i_anchor + 1
        if pos < 0:
            return start, stop
        prefix = H[:pos]
        while prefix and start - 1 >= lo:
            f = V.fold(L[start - 1].text)
            if not prefix.endswith(f):
                break
            prefix, start = prefix[: -len(f)], start - 1
        rest = H[pos + len(anchor) :]
        while rest and stop < len(L):
            f = V.fold(L[stop].text)
            if not rest.startswith(f):
                break
            rest, stop = rest[len(f) :], stop + 1
        return start, stop

    # -- 总分 / 评分等级 -------------------------------------------------------------------
    def _totals(self, i_total: int | None, i_grade: int | None) -> None:
        L, form = self.lines, self.form
        if i_total is None:
            self.gap(None, "缺少“总分”行")
        else:
            nums = [V.parse_number_token(t) for t in self._after(L[i_total], V.TOTAL_LABEL).split()]
            vals = [v for ok, v in nums if ok]
            if len(vals) >= 2:
                form.total_weight = _dec(vals[0])
                form.total_score = _dec(vals[1])
            else:
                self.gap(L[i_total].no, "“总分”行应有分值和得分两个数")
        if i_grade is None:
            self.gap(None, "缺少“评分等级”")
            return
        grade = self._after(L[i_grade], V.GRADE_LABEL)
        if not grade and i_grade + 1 < len(L) and L[i_grade + 1].text in V.GRADES:
            grade = L[i_grade + 1].text
        if grade:
            form.grade = grade
        else:
            self.gap(L[i_grade].no, "评分等级为空")


def _tokens_after(toks: list[str], j: int, lines: list[Line]) -> list[str]:
    """The tokens after ``toks[j]``: the rest of its line, then of the next lines."""
    return [*toks[j + 1 :], *(t for x in lines for t in x.text.split())]


@lru_cache(maxsize=4096)
def _label_width(tok: str) -> int:
    """Width of a label fragment (the same few fragments come again and again)."""
    return V.text_width(tok)


def _completes(tok: str, ahead: list[str], labels: tuple[str, ...]) -> bool:
    """Do ``tok`` and the fragments after it spell out one of ``labels``?"""
    text, i = tok, 0
    while text not in labels and i < len(ahead) and V.is_label_prefix(text + ahead[i], labels):
        text += ahead[i]
        i += 1
    return text in labels


def _number(token: str) -> str | None:
    """The plain decimal text of a token known to be a number (or "-")."""
    if token.isascii() and "," not in token:
        return token.rstrip("%")
    return V.parse_number_token(token)[1]


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def split_goals(lines: list[Line]) -> int:
    """Where 实际完成情况 starts: the two cells come one after the other, each wrapped at
    its own column width. A cell's lines are full up to its last; the split that leaves
    the least room on lines that did wrap wins; blank lines and a closing 。 break ties."""
    n = len(lines)
    breaks = [k for k in range(1, n) if lines[k].blank]
    if len(breaks) == 1:  # pdftotext's blocks: taken when both are full to their last line
        k = breaks[0]
        if _wrap_cost(lines[:k], 0) == 0 and _wrap_cost(lines[k:], 0) == 0:
            return k
    w = [ln.width for ln in lines]
    room = [0] * n  # w[i] + unit of the line after: > column width when line i wrapped
    for i in range(n - 1):
        room[i] = w[i] + lines[i + 1].unit
    blanks = [1 if ln.blank else 0 for ln in lines]
    inner = sum(blanks[1:])
    best_k, best = 1, None
    head_max = 0
    tail_max = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        tail_max[i] = max(tail_max[i + 1], w[i])
    for k in range(1, n):
        head_max = max(head_max, w[k - 1])
        cost = 0.0
        for i in range(k - 1):
            d = head_max - room[i]
            if d > 0:
                cost += WIDTH_COST * d * d
        full = tail_max[k]
        for i in range(k, n - 1):
            d = full - room[i]
            if d > 0:
                cost += WIDTH_COST * d * d
        cost += inner - blanks[k] + (0 if blanks[k] else 1)
        if lines[k - 1].text[-1] in V.SENTENCE_END:
            cost -= 0.5
        if best is None or cost < best:
            best_k, best = k, cost
    return best_k


def _wrap_cost(cell: list[Line], floor: int) -> int:
    """Room left on the wrapped (non-last) lines of one cell, squared: 0 for a true cell."""
    if len(cell) < 2:
        return 0
    full = max(floor, max(ln.width for ln in cell))
    cost = 0
    for a, b in pairwise(cell):
        d = full - a.width - b.unit
        if d > 0:
            cost += WIDTH_COST * d * d
    return cost


_LEVEL1_SET = frozenset(V.LEVEL1_LABELS)
_LEVEL2_SET = frozenset(V.LEVEL2_LABELS)


@dataclass(slots=True)
class _Label:
    level: int
    text: str
    no: int
    rows: int = 0

    @property
    def complete(self) -> bool:
        return self.text in (_LEVEL1_SET if self.level == 1 else _LEVEL2_SET)


@dataclass(slots=True)
class _Row:
    l1: _Label | None
    l2: _Label | None
    cells: list[str]
    weight: str | None
    score: str | None
    deviation: str
    no: int
    widths: list[int | None] | None = None  # last-line widths of wrapped cells
    empty: bool = False


class TableReader:
    """The indicator rows between the table header and 总分."""

    def __init__(self, lines: list[Line], header: list[Line], gap) -> None:
        self.lines = lines
        self.gap = gap
        self.l1: _Label | None = None
        self.l2: _Label | None = None
        self.rows: list[_Row] = []
        self.l2_since_row = False
        (self.max1, self.max2), self.least = self._label_widths(header)
        self._floor_cache: list[int] | None = None

    @staticmethod
    def _label_widths(header: list[Line]) -> tuple[tuple[int | None, int | None], list[int]]:
        """Widths of the 一级 / 二级 columns: at most (known when their header labels
        wrapped) and at least (the widest header line of the column)."""
        acc = ""
        w1: list[int] = []
        w2: list[int] = []
        for ln in header:
            f = V.fold(ln.text)
            lo, acc = len(acc), acc + f
            if len(acc) <= 4:
                w1.append(ln.width)
            elif lo >= 4 and len(acc) <= 8:
                w2.append(ln.width)
        most = (max(w1) if len(w1) > 1 else None), (max(w2) if len(w2) > 1 else None)
        head = V.text_width(V.TABLE_HEADER[0])
        return most, [0, max(w1, default=head), max(w2, default=head)]

    @property
    def floors(self) -> list[int]:
        if self._floor_cache is None:
            self._floor_cache = self._floors()
        return self._floor_cache

    def _floors(self) -> list[int]:
        """Widths each of name / target / actual is known to reach (one-line rows)."""
        floors = [0, 0, 0]
        for ln in self.lines:
            toks = ln.text.split()
            if len(toks) == 5 and V.is_bare_number(toks[3]) and V.is_bare_number(toks[4]):
                for c in range(3):
                    floors[c] = max(floors[c], V.text_width(toks[c]))
        return floors

    # -- labels ----------------------------------------------------------------------------
    def _allowed2(self) -> tuple[str, ...]:
        if self.l1 is not None and self.l1.text in V.LEVELS:
            return V.LEVELS[self.l1.text]
        return V.LEVEL2_LABELS

    def _fits(self, tok: str, level: int) -> bool:
        limit = self.max1 if level == 1 else self.max2
        return limit is None or _label_width(tok) <= limit

    def _may_be_label(self, tok: str) -> bool:
        """Cheap test before :meth:`_take_label`: a label prefix, or an open label."""
        if tok in V.ALL_LEVEL_PREFIXES:
            return True
        l1, l2 = self.l1, self.l2
        return (l1 is not None and not l1.complete) or (l2 is not None and not l2.complete)

    def _take_label(self, tok: str, ahead: Callable[[], list[str]], no: int, in_row: bool) -> bool:
        """Take ``tok`` as a fragment of a 一级 / 二级 label if the vocabulary allows it.
        A new label must not repeat the current one, and must be spelt out completely
        by the fragments that follow unless the group before it is done (has rows) and
        no row is open (a page break may cut the label short). ``ahead()``: the tokens
        that follow."""
        l1, l2 = self.l1, self.l2
        allowed = self._allowed2()
        # on one page the 一级 fragments come before the 二级 ones: after a 二级 fragment
        # the 一级 label can only go on after a row (the next page)
        can_go_on = not in_row  # an open row is cut by a page break only before a new label
        if (
            can_go_on
            and l1
            and not l1.complete
            and not self.l2_since_row
            and V.is_label_prefix(l1.text + tok, V.LEVEL1_LABELS)
            and self._fits(tok, 1)
        ):
            l1.text += tok
            return True
        if (
            can_go_on
            and l2
            and not l2.complete
            and V.is_label_prefix(l2.text + tok, allowed)
            and self._fits(tok, 2)
        ):
            l2.text += tok
            self.l2_since_row = True
            return True
        seen: list[list[str]] = []

        def later() -> list[str]:
            if not seen:
                seen.append(ahead())
            return seen[0]

        can1 = V.is_label_prefix(tok, V.LEVEL1_LABELS) and self._fits(tok, 1)
        can2 = V.is_label_prefix(tok, allowed) and self._fits(tok, 2)
        if can1 and l1 is not None and l1.complete and l1.text.startswith(tok):
            can1 = False
        if can2 and l2 is not None and l2.complete and l2.text.startswith(tok):
            can2 = False
        if can1 or can2:
            # a label cut short by a page break: the group before it is done, no row is
            # open, and its last line here is full (one more character would not fit)
            done = (l2 is None or l2.rows > 0 or l2.complete) and not in_row
            full = _label_width(tok) + 2 > self.least[1]
            if can1 and not _completes(tok, later(), V.LEVEL1_LABELS):
                can1 = done and full
            full = _label_width(tok) + 2 > self.least[2]
            if can2 and not _completes(tok, later(), allowed):
                can2 = done and full
        if can1 and can2 and self.l1 is not None:
            can1 = self._opens_group(tok, later())
        if can1:
            self._close_group()
            self.l1, self.l2 = _Label(1, tok, no), None
            self.l2_since_row = False
            return True
        if can2:
            self._close_group()
            self.l2 = _Label(2, tok, no)
            self.l2_since_row = True
            return True
        return False

    @staticmethod
    def _opens_group(tok: str, ahead: list[str]) -> bool:
        """Is ``tok`` a new 一级 label? Only if a 二级 label under it follows (the 一级
        label itself may be cut short by a page break)."""
        text, rest = tok, list(ahead)
        while text not in V.LEVELS and rest and V.is_label_prefix(text + rest[0], V.LEVEL1_LABELS):
            text += rest.pop(0)
        if not rest:
            return False
        heads = [k for k in V.LEVELS if k.startswith(text)]
        return any(V.is_label_prefix(rest[0], V.LEVELS[k]) for k in heads)

    def _close_group(self) -> None:
        """A 二级 label that had no rows is an empty row of the table."""
        if self.l2 is not None and self.l2.rows == 0:
            self.rows.append(
                _Row(self.l1, self.l2, ["", "", ""], None, None, "", self.l2.no, empty=True)
            )
            self.l2.rows = 1

    # -- rows ------------------------------------------------------------------------------
    @staticmethod
    def _numbers_at(toks: list[str]) -> int | None:
        for i in range(len(toks) - 2, -1, -1):
            if V.is_bare_number(toks[i]) and V.is_bare_number(toks[i + 1]):
                return i
        return None

    def read(self) -> list[dict[str, str | None]]:
        L = self.lines
        pending: list[Line] = []
        pending_after_break = False
        i = 0
        while i < len(L):
            ln = L[i]
            toks = ln.text.split()
            j = 0
            if (not pending or pending_after_break) and self._may_be_label(toks[0]):
                nxt = L[i + 1 : i + 4]
                took = False
                while j < len(toks) and self._take_label(
                    toks[j], partial(_tokens_after, toks, j, nxt), ln.no, bool(pending)
                ):
                    j += 1
                    took = True
                if took and pending:
                    self._orphans(pending)
                    pending = []
                if j == len(toks):
                    i += 1
                    continue
                if j:
                    rest = " ".join(toks[j:])
                    ln = Line(ln.no, rest, ln.blank)
                    toks = toks[j:]
            self.l2_since_row = False
            k = self._numbers_at(toks)
            if k is None:
                if not pending:
                    pending_after_break = ln.blank >= 2 and bool(self.rows)
                pending.append(ln)
                i += 1
                continue
            dev = toks[k + 2 :]
            i += 1
            while (
                dev
                and i < len(L)
                and L[i].blank == 0
                and self._numbers_at(L[i].text.split()) is None
                and not _starts(L[i], V.TOTAL_LABEL)
            ):
                dev.append(L[i].text)
                i += 1
            self._row(pending, toks[:k], toks[k], toks[k + 1], "".join(dev), ln.no)
            pending, pending_after_break = [], False
        if pending:
            if pending_after_break:
                self._orphans(pending)
            else:
                self.gap(
                    pending[0].no,
                    "指标行不完整（缺少分值和得分）：" + _clip("".join(x.text for x in pending)),
                )
        self._close_group()
        return [self._indicator(r) for r in self.rows]

    def _row(self, P: list[Line], T: list[str], w: str, s: str, dev: str, no: int) -> None:
        found = decompose(P, T, self)
        if found is None:
            text = "".join(x.text for x in P) + " ".join(T)
            self.gap(no, f"无法拆分指标行的三级指标 / 指标值 / 完成值：{_clip(text)}")
            cells, widths = ["", "", ""], None
        else:
            cells, widths = found
        if self.l2 is not None:
            self.l2.rows += 1
        self.rows.append(
            _Row(
                self.l1,
                self.l2,
                cells,
                _number(w),
                _number(s),
                dev,
                P[0].no if P else no,
                widths,
            )
        )

    def _orphans(self, pending: list[Line]) -> None:
        """Text cut off a row by a page break (``2024年 10`` … ``月``): it continues the cell
        of the row above whose last line had no room for it."""
        if not self.rows or self.rows[-1].empty:
            self.gap(pending[0].no, "无法归属的文本：" + _clip("".join(x.text for x in pending)))
            return
        row = self.rows[-1]
        text = "".join(x.text for x in pending)
        unit = V.first_unit_width(text)
        best = None
        for c in range(3):
            last = row.cells[c].split()[-1] if row.cells[c].split() else ""
            width = row.widths[c] if row.widths else None
            if width is None:  # a single-line cell: its own width
                width = V.text_width(row.cells[c])
            room = self.floors[c] - width - unit
            if room > 2:
                continue
            joins_number = last[-1:].isdigit() and not text[0].isdigit()
            rank = (0 if joins_number else 1, room)
            if best is None or rank < best[0]:
                best = (rank, c)
        if best is None:
            self.gap(pending[0].no, "无法归属的文本：" + _clip(text))
            return
        row.cells[best[1]] += text

    def _indicator(self, r: _Row) -> dict[str, str | None]:
        l1 = r.l1.text if r.l1 else ""
        l2 = r.l2.text if r.l2 else ""
        if r.l1 is not None and not r.l1.complete:
            self.gap(r.l1.no, f"一级指标“{l1}”不完整或不在词表中")
            r.l1.level = 0  # report once
            r.l1.text = l1
        if r.l2 is not None and not r.l2.complete and r.l2.level == 2:
            self.gap(r.l2.no, f"二级指标“{l2}”不完整或不在词表中")
            r.l2.level = 0
        return {
            "level1": l1,
            "level2": l2,
            "name": r.cells[0],
            "target": r.cells[1],
            "actual": r.cells[2],
            "weight": r.weight,
            "score": r.score,
            "deviation": r.deviation,
        }


def _split_tokens(toks: list[str], cols: tuple[int, ...]) -> tuple[list[str], int]:
    """Space-separated tokens of one line onto ``cols`` cells; extra tokens go to the
    target cell (the one the seed prints with spaces, ``2024年 10``)."""
    n, k = len(toks), len(cols)
    if n == k:
        return list(toks), 0
    extra = n - k
    if 1 in cols:
        t = cols.index(1)
        cells = [*toks[:t], " ".join(toks[t : t + extra + 1]), *toks[t + extra + 1 :]]
    else:
        cells = [" ".join(toks[: extra + 1]), *toks[extra + 1 :]]
    return cells, MERGE_COST * extra


def decompose(P: list[Line], T: list[str], floors: TableReader):
    """Split a row's lines into (三级指标, 年度指标值, 实际完成值): ``P`` are the lines before
    the numbers line, ``T`` the tokens before 分值 on it. Returns (cells, last-line widths)
    of the cheapest layout, or None."""
    if not P:
        if len(T) < 3:
            return None
        cells, _ = _split_tokens(T, (0, 1, 2))
        return cells, None  # widths of single-line cells: their own, when needed
    natural = _as_blocks(P, T)
    if natural is not None:
        return natural
    best = None
    for k in range(min(len(T), 2), -1, -1):
        if (k == 0) != (not T):
            continue
        need = 3 - k
        tcells, tcost = _split_tokens(T, tuple(range(need, 3))) if k else ([], 0)
        found = _Layout(P, need, floors.floors).best(0, 0, False)
        if found is None:
            continue
        cost = found[0] + tcost
        if best is None or cost < best[0]:
            best = (cost, found[1] + [(c, V.text_width(c)) for c in tcells])
    if best is None:
        return None
    return [g[0] for g in best[1]], [g[1] for g in best[1]]


def _as_blocks(P: list[Line], T: list[str]):
    """The row as its blocks say (a blank line between cells, a token per single-line
    cell), if each wrapped cell is full up to its last line: pdftotext's own blocks."""
    cells: list[tuple[str, int | None]] = []
    wrapped: list[list[Line]] = []
    prev_single = False
    for block in _blocks(P):
        if len(block) == 1:
            if prev_single:
                return None  # two single-line blocks would have shared a line
            cells.extend((t, None) for t in block[0].text.split())
            prev_single = True
        else:
            wrapped.append(block)
            cells.append(("".join(x.text for x in block), block[-1].width))
            prev_single = False
    if prev_single or len(cells) + len(T) != 3:
        return None
    for block in wrapped:
        if _wrap_cost(block, 0) > 0:
            return None
    cells += [(t, None) for t in T]
    return [c for c, _ in cells], [w for _, w in cells]


def _blocks(P: list[Line]) -> list[list[Line]]:
    out: list[list[Line]] = []
    for ln in P:
        if not out or ln.blank:
            out.append([ln])
        else:
            out[-1].append(ln)
    return out


class _Layout:
    """The cheapest way to lay lines ``P`` out as cells 0 … need-1 (dynamic programming):
    a line holding one or more single-line cells, or a cell wrapped over several lines."""

    def __init__(self, P: list[Line], need: int, floors: list[int]) -> None:
        self.P, self.need, self.floors = P, need, floors
        self.memo: dict[tuple[int, int, bool], tuple[int, list[tuple[str, int]]] | None] = {}

    def best(self, i: int, col: int, prev_single: bool):
        key = (i, col, prev_single)
        if key not in self.memo:
            self.memo[key] = self._best(i, col, prev_single)
        return self.memo[key]

    def _best(self, i: int, col: int, prev_single: bool):
        P, need, n = self.P, self.need, len(self.P)
        if col == need:
            return (JOIN_COST if prev_single else 0, []) if i == n else None
        if i >= n:
            return None
        gap_cost = 1 if i > 0 and P[i].blank == 0 else 0
        best = None
        toks = P[i].text.split()
        for j in range(1, min(len(toks), need - col) + 1):
            rest = self.best(i + 1, col + j, True)
            if rest is None:
                continue
            cells, mc = _split_tokens(toks, tuple(range(col, col + j)))
            cost = mc + gap_cost + (JOIN_COST if prev_single else 0) + rest[0]
            if best is None or cost < best[0]:
                best = (cost, [(c, V.text_width(c)) for c in cells] + rest[1])
        inner = 0
        for e in range(i + 2, n + 1):
            inner += 1 if P[e - 1].blank else 0
            rest = self.best(e, col + 1, False)
            if rest is None:
                continue
            cell = P[i:e]
            cost = gap_cost + inner + _wrap_cost(cell, self.floors[col]) + rest[0]
            if best is None or cost < best[0]:
                text = "".join(x.text for x in cell)
                best = (cost, [(text, cell[-1].width), *rest[1]])
        return best
