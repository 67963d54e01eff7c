"""Read 自评表 from flattened text (pdftotext style, like the seed).

Label driven: the vocabulary (:mod:`jixiao.ingest.vocabulary`) finds the blocks of each
form; cells that wrapped are reassembled by the widths of their lines (a line that could
still have held the next piece of text ends its cell) and, as a hint, by blank lines.
What cannot be found or placed is reported in ``form.gaps`` with its line number; no value
is ever made up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Any, cast

from jixiao.ingest import text_passes as P
from jixiao.ingest import vocabulary as V
from jixiao.ingest.errors import IngestError
from jixiao.ingest.template_fields import (
    complete_template_fields,
    head_label_tail,
    label_tail_taken,
    split_checkboxes,
)
from jixiao.ingest.text_indicators import INDICATOR_FIELDS, IndicatorRow, TableReader
from jixiao.ingest.text_lines import (
    Line,
    clip,
    contains,
    find,
    find_containing,
    find_last,
    find_start,
    split_lines,
    starts,
)
from jixiao.ingest.text_wraps import split_goals
from jixiao.layouts import layout_of
from jixiao.limits import LimitExceeded, Limits, current
from jixiao.model import (
    FUND_COLUMNS,
    FUND_ROWS,
    FundRow,
    Funds,
    Goals,
    Indicator,
    SelfEvaluation,
    Source,
    amount_passes,
    texts_pass,
)

# A character every title holds (its last): a line without it is no title, known at once.
_TITLE_LAST = V.TITLE[-1]
assert V.TITLE_PATTERN.pattern.endswith(_TITLE_LAST)


def _is_title(line: Line) -> bool:
    text = line.text
    if V.TITLE_HINT not in text or _TITLE_LAST not in text:
        return False
    f = line.folded
    return len(f) <= 40 and bool(V.TITLE_PATTERN.search(f))


def parse_text(
    text: str, file: str | None = None, *, by_order: bool = True
) -> list[SelfEvaluation]:
    """All forms in ``text``. Forms that are incomplete carry ``gaps``; text with no form
    in it at all raises :class:`IngestError`. ``by_order``: the text prints cells in the
    table's order (the seed's flattening, ``pdftotext -raw``), so the cells of a row of
    added text columns every reading agrees on are read (``text_columns.settle_rows``); not
    of text printed another way (``pdftotext`` default, read here when no other reader
    found a form), where only rows one reading fits are."""
    name = file or "<文本>"
    if not text or text.isspace():
        raise IngestError(f"{name}: 文件为空")
    lines, hinted = split_lines(text, V.TITLE_HINT)
    titles = [i for i in hinted if _is_title(lines[i])]
    first = find(lines, _has_anchor)
    if first is None:
        where = f"第 1–{lines[-1].no} 行中" if lines else ""
        found = f"只有表头“{V.TITLE}”" if titles else f"没有表头“{V.TITLE}”"
        raise IngestError(
            f"{name}: 未找到绩效自评表（{where}{found}，"
            "也没有“项目名称”“项目资金”“三级指标”等栏目）"
        )
    if not titles or first < titles[0]:
        titles = [first, *[i for i in titles if i > first]]
    max_forms = current().max_forms
    if len(titles) > max_forms:  # refused before a form is read
        raise LimitExceeded(
            f"{name}: 文件中有 {len(titles)} 个表头“{V.TITLE}”，超过上限"
            f"（每个文件最多 {max_forms} 张表）"
        )
    forms: list[SelfEvaluation] = []
    bounds = [*titles, len(lines)]
    for a, b in pairwise(bounds):
        if b <= first or find(lines, _has_anchor, max(a, first), b) is None:
            continue  # a title mentioned in page chrome, not a form
        reader = FormReader(lines[a:b], file, has_title=_is_title(lines[a]), by_order=by_order)
        forms.append(reader.read(index=len(forms) + 1))
    return forms


# The anchors' first characters: a line without one holds no anchor, folded or not
# (a search, not frozenset.isdisjoint, which makes a string of each character of the line).
_ANCHOR_CHARS = re.compile("[" + re.escape("".join(sorted({a[0] for a in V.FORM_ANCHORS}))) + "]")


def _has_anchor(line: Line) -> bool:
    text = line.text
    if _ANCHOR_CHARS.search(text) is None:
        return False
    return _ANCHORS.search(text) is not None or _ANCHORS.search(line.folded) is not None


# An anchor in a line's own text is one in its folded text too (folding takes out spaces
# and turns full-width marks narrow; an anchor holds neither): the first test, no folding.
_ANCHORS = re.compile("|".join(map(re.escape, V.FORM_ANCHORS)))


def _head_words(field: str) -> tuple[str, ...]:
    """The declarations' words for the head field ``field`` beyond the seed's own label
    (部门（单位）名称, 地方主管部门: :func:`V.declared_field`), folded, longest first."""
    own = {"project": V.PROJECT_LABEL, "unit": V.UNIT_LABEL}[field]
    words = {re.sub(r"\\(.)", r"\1", w) for w in V.declared_field("head", field)} - {own}
    return tuple(sorted(words, key=len, reverse=True))


_HEAD_WORDS = {field: _head_words(field) for field in ("project", "unit")}


def _declared_label(lines: list[Line], field: str, stop: int) -> tuple[int, str, str] | None:
    """A declared head label of ``field`` (:data:`_HEAD_WORDS`) at the start of a line
    before ``stop``, wrapped in its cell over up to three lines (部门（单 | 位）名称): the
    line its value starts on, the label's piece on that line, and the label as seen."""
    words = _HEAD_WORDS[field]
    for i in range(stop):
        acc = ""
        for j in range(i, min(i + 3, stop)):
            before, acc = len(acc), acc + lines[j].folded
            for word in words:
                if acc.startswith(word):
                    return j, _past(lines[j].text, len(word) - before), word
            if not any(w.startswith(acc) for w in words):
                break
    return None


def _past(text: str, count: int) -> str:
    """``text`` after its first ``count`` characters that fold to something (a label's
    piece, its brackets full-width or its characters spaced), colons and spaces stripped."""
    for k, ch in enumerate(text):
        if count == 0:
            return text[k:].lstrip(" :：")
        count -= 1 if V.fold(ch) else 0
    return ""


class _Draft:
    """The form being read, as plain data; validated into the model once, at the end."""

    def __init__(self) -> None:
        self.year: int | None = None
        self.project = self.department = self.unit = ""
        self.amount_unit = "万元"  # the model's default; a gap says when it was not found
        # the four rows by key, and "extras": a layout's other rows by their label
        self.funds: dict[str, dict[str, object]] = {}
        self.goals = {"expected": "", "achieved": ""}
        self.indicators: list[IndicatorRow] = []
        self.total_weight: str | None = None  # (numbers as read: typed with the others)
        self.total_score: str | None = None
        self.grade: str | None = None
        self.source: dict[str, object] | None = None
        self.gaps: list[str] = []
        self.index: int | None = None
        self.extras: dict[str, str] = {}  # check-box head fields (项目类别 …), as written

    def build(self, labels: list[str], numbers: Numbers = ()) -> SelfEvaluation:
        """The form, with what its template has in the typed fields (as the label mapper's
        finish step does for the staged readers); ``labels``: head labels seen (signs);
        ``numbers``: each indicator row's added number columns (河北's 权重占比 …), if any."""
        form = None if numbers else self._typed()
        if form is None:  # a value the model refuses (validation names it), added columns
            form = self.validated(numbers)
        return complete_template_fields(form, labels)

    def validated(self, numbers: Numbers = ()) -> SelfEvaluation:
        """The form validated from the values read (what :meth:`_typed` makes at once)."""
        rows = [dict(zip(INDICATOR_FIELDS, row, strict=True)) for row in self.indicators]
        for row, more in zip(rows, numbers, strict=False):
            row.update(more)
        return SelfEvaluation.model_validate(vars(self) | {"indicators": rows})

    def _typed(self) -> SelfEvaluation | None:
        """The form as validation makes it (:meth:`validated`), built from values typed and
        checked here at once (every text in one test, :func:`texts_pass`) instead of object
        by object; None when a value does not pass, or the form keeps head fields as
        written (``extras``: check boxes, rare) or a fund row keeps the cells of an added
        column (its ``extras``), which validation checks."""
        funds_read = self.funds
        if self.extras or "extras" in funds_read or any("extras" in r for r in funds_read.values()):
            return None
        texts: list[Any] = [self.project, self.department, self.unit, self.amount_unit]
        texts += self.gaps
        texts += self.goals.values()
        if self.grade is not None:
            texts.append(self.grade)
        source = self.source
        if source is not None and source["file"] is not None:
            texts.append(source["file"])
        # (its bound __getitem__, __missing__ included: a dict subclass's subscript goes
        # through a slot that looks the method up on every call)
        amount = _amounts().__getitem__
        try:
            indicators = []
            for level1, level2, name, target, actual, weight, score, deviation in self.indicators:
                texts += (level1, level2, name, target, actual, deviation)
                # every field of the model, in its order (the added columns' at their defaults)
                row: dict[str, Any] = {
                    "level1": level1,
                    "level2": level2,
                    "name": name,
                    "target": target,
                    "actual": actual,
                    "weight": amount(weight),
                    "score": amount(score),
                    "deviation": deviation,
                    "share": None,
                    "adjusted_score": None,
                    "extras": {},
                }
                indicators.append(_INDICATOR(row))
            funds = {}
            for key, row in funds_read.items():
                # the six columns (a row with an added column's ``extras`` is validated: see
                # above), every field of the model in its order, as for the indicators
                initial, adjusted, executed, weight, rate, score = cast(_Cells, row.values())
                funds[key] = _FUND_ROW(
                    {
                        "initial": amount(initial),
                        "adjusted": amount(adjusted),
                        "executed": amount(executed),
                        "weight": amount(weight),
                        "rate": amount(rate),
                        "score": amount(score),
                        "extras": {},
                    }
                )
            totals = {
                "total_weight": amount(self.total_weight),
                "total_score": amount(self.total_score),
            }
        except (ValueError, ArithmeticError):  # an amount that does not pass
            return None
        if not texts_pass(texts):
            return None
        values = (
            vars(self)
            | totals
            | {
                "funds": _FUNDS(funds) if len(funds) == len(FUND_ROWS) else _funds_of(funds),
                "goals": _GOALS(self.goals),
                "indicators": indicators,
                "gaps": list(self.gaps),
                "extras": {},
                "source": None if source is None else _SOURCE(source),
            }
        )
        return _FORM(values)


# A fund row's cells as read (each a number's text, None: blank).
_Cells = Iterable[str | None]

# Each indicator row's added number columns (field → its number's text, None: blank).
Numbers = Sequence[dict[str, str | None]]

# The indicator rows (the table reader's, weight and score typed) and fund rows (six
# columns, typed) the reader builds: every field of the model, made in its order.
_INDICATOR = Indicator.whole_maker(INDICATOR_FIELDS)
# The objects above them, each of the same fields every time (their makers taken once: a
# class's attribute costs a call of pydantic's metaclass): the form (the draft's fields),
# its funds (all four rows; fewer: :meth:`Funds.from_checked`), goals and source.
_FORM = SelfEvaluation.checked_maker(tuple(vars(_Draft())))
_FUNDS = Funds.checked_maker(FUND_ROWS)
_funds_of = Funds.from_checked
_GOALS = Goals.checked_maker(("expected", "achieved"))
_SOURCE = Source.checked_maker(("file", "start_line", "end_line"))
_FUND_ROW = FundRow.whole_maker(FUND_COLUMNS)
assert FUND_COLUMNS == ("initial", "adjusted", "executed", "weight", "rate", "score")


class FormReader:
    """Reads one form from its lines (title to the line before the next title)."""

    def __init__(
        self, lines: list[Line], file: str | None, has_title: bool = True, by_order: bool = True
    ):
        self.lines = lines
        self.file = file
        self.has_title = has_title
        self.by_order = by_order  # (:func:`parse_text`)
        self.joins = False  # (:meth:`_year`)
        self.gaps: list[str] = []
        self.form = _Draft()
        self.labels: list[str] = []  # head labels beyond the reader's own (主管部门及代码)
        # the lines of the head Calc printed among the table's (read, or the fund rows'
        # wrapped cells): no line of the table (:mod:`text_passes`)
        self.apart: set[int] = set()

    def gap(self, line_no: int | None, what: str) -> None:
        self.gaps.append(f"第{line_no}行：{what}" if line_no else what)

    # -- the whole form ------------------------------------------------------------------
    def read(self, index: int | None = None) -> SelfEvaluation:
        L = self.lines
        form = self.form
        first, _last = L[0].no, L[-1].no
        if not self.has_title:
            self.gap(first, f"缺少表头“{V.TITLE}”")
        i_project = find_start(L, V.PROJECT_LABEL)
        i_dept = find_start(L, V.DEPARTMENT_LABEL)
        i_funds = find_start(L, V.FUNDS_LABEL)
        after_funds = i_funds + 1 if i_funds is not None else 0
        i_goals = find_containing(L, V.GOAL_EXPECTED_LABEL, after_funds)
        # 项目资金 printed after the table's first rows (LibreOffice Calc's second pass):
        # the fund header's line, the block read from there (:mod:`text_passes`)
        apart: tuple[int, int] | None = None  # (the header's line, 项目资金's)
        if i_goals is None and i_funds is not None:
            lo = next((i + 1 for i in (i_dept, i_project) if i is not None), 0)
            header = P.fund_header_apart(L, lo, i_funds)
            if header is not None:
                apart = header, i_funds
                i_goals = find_containing(L, V.GOAL_EXPECTED_LABEL, header + 1)
        table_start, table_end = self._find_table(i_goals + 1 if i_goals is not None else 0)
        after_table = table_end if table_end is not None else after_funds
        i_total = find_last(L, lambda ln: starts(ln, V.TOTAL_LABEL), after_table)
        after_total = i_total + 1 if i_total is not None else after_table
        i_grade = find_start(L, V.GRADE_LABEL, after_total)
        end = i_grade + 1 if i_grade is not None else len(L)
        form.source = {"file": self.file, "start_line": first, "end_line": L[end - 1].no}

        i_block = i_funds if apart is None else apart[0]  # the fund block's first line
        header_end = next((i for i in (i_project, i_dept, i_block) if i is not None), len(L))
        self._year(L[:header_end], L[i_block:end] if apart is not None else None)
        self._header(i_project, i_dept, i_block, i_goals, table_start)

        goals_label = i_goals
        if i_goals is not None:
            goals_label = self._goals_label_start(i_goals)
        funds_end = next(
            (i for i in (goals_label, table_start, i_total, i_grade) if i is not None), end
        )
        if i_funds is None:
            self.gap(None, "缺少“项目资金”栏（年度资金总额等四行）")
        elif apart is not None:
            self._funds(apart[0], funds_end, unit_at=apart[1], form_end=end)
        else:
            self._funds(i_funds, funds_end)
        if i_goals is None:
            self.gap(None, "缺少“年度总体目标”栏（预期目标 / 实际完成情况）")
        elif apart is not None:
            self._goals_apart(i_goals, table_start, apart[1], end)
        else:
            goals_end = next((i for i in (table_start, i_total, i_grade) if i is not None), end)
            self._goals(L[i_goals + 1 : goals_end], L[i_goals])
        extra, numbers, own_header = None, None, True
        columns: tuple[str, ...] = ()  # the text columns the header adds (得分计算方法 …)
        if table_start is not None and table_end is not None:
            head = "".join(ln.folded for ln in L[table_start:table_end])
            own_header = head == V.TABLE_HEADER_TEXT
            extra = None if own_header else _extra_column(L, table_start, table_end)
            if extra is not None:  # (added columns after 实际完成值 and after 得分 are read)
                found = _number_columns(L, table_start, table_end)
                if found is not None:
                    extra, (numbers, columns, table_end) = None, found
        if table_start is None or table_end is None:
            self.gap(None, "缺少绩效指标表（三级指标表头）")
        elif extra is not None:
            self.gap(
                L[table_start].no,
                f"绩效指标表有栏目“{extra}”，按文字的先后无法确定各格所在的栏，绩效指标未读入",
            )
        else:
            stop = next((i for i in (i_total, i_grade) if i is not None), end)
            body = L[table_end:stop]
            texts = [ln.text for ln in body]
            joined = "\n".join(texts)  # (a repeated header needs its first character)
            if numbers or columns or not own_header:  # the header printed again line for line on a
                # continuation page (another layout's words: 全年实际值 …)
                runs = _repeats(body, L[table_start:table_end])
            else:
                runs = _header_runs(body) if _opens_a_line(joined, _HEADER_FIRST) else []
            cut = _label_cut_by_page(body, runs) if runs else None
            if cut is not None:
                self.gap(
                    cut.no,
                    "换页后一字一行印出的一级 / 二级指标可能也管着换页前的指标行"
                    "（跨页的合并格只在换页后印出），换页前几行的一级 / 二级指标无法确定，请核对",
                )
            rows = _without_headers(body, runs)
            # the lines' texts joined, the table reader's too when no header was taken out
            known = None if runs else (texts, joined)
            if self.apart:
                rows = [ln for ln in rows if ln.no not in self.apart]
                known = None
            table = TableReader(
                rows,
                L[table_start:table_end],
                self.gap,
                known,
                numbers or (),
                columns,
                by_order=self.by_order,
                joins=self.joins,
            )
            form.indicators = table.read()
            if not form.indicators:
                self.gap(L[table_end - 1].no, "绩效指标表中没有读到任何指标行")
            elif apart is not None:
                self._levels_left(L[stop:end], L[table_start].no)
        self._totals(i_total, i_grade)
        form.gaps = self.gaps
        form.index = index
        built = form.build(self.labels, table.numbers if numbers or columns else ())
        if i_grade is None and (i_total is None or layout_of(built).layout.fields.grade):
            # asked only of a layout that has one (not the national form), or of a form cut
            # off before its 总分 (which cannot tell whether one follows)
            built.gaps.append("缺少“评分等级”")
        return built

    def _levels_left(self, after: list[Line], line_no: int) -> None:
        """The 一级 / 二级 labels LibreOffice Calc's second pass printed wrapped ``after`` the
        table (:func:`vocabulary.wrapped_levels`) that no row was read under: the rows they
        span are not in the text, so the rows' levels are those printed in the table, with a
        gap naming them."""
        read = {level for row in self.form.indicators for level in row[:2]}
        wrapped = V.wrapped_levels(ln.text.strip() for ln in after)
        left = [level for level in dict.fromkeys(wrapped) if level not in read]
        if left:
            self.gap(None, f"第{line_no}行起：" + V.LEVELS_LEFT.format("”“".join(left)))

    # -- header --------------------------------------------------------------------------
    def _year(self, lines: list[Line], apart: list[Line] | None = None) -> None:
        for ln in lines:
            m = V.YEAR_PATTERN.search(ln.text)
            if m and "年" in ln.text:
                self.form.year = int(m.group(1))
                # (2024 年度): LibreOffice's PDF of the Word file, which sets a run of
                # another font apart, and whose cells' lines pdftotext may join
                # (:func:`~jixiao.ingest.text_columns.settle_rows`'s ``joins``)
                self.joins = re.search(r"\d 年度", ln.text) is not None
                return
        found = P.year_apart(apart) if apart is not None else None
        if found is not None:  # printed in Calc's second pass, a line of its own
            self.form.year, line = found
            self.apart.add(line.no)
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
        first = None
        if i_project is None:  # another layout's label (部门（单位）名称), wrapped or not
            found = _declared_label(L, "project", min(nxt, default=len(L)))
            if found is not None:
                i_project, first, seen = found
                self.labels.append(seen)  # a sign of the layout
        if i_project is None:
            self.gap(None, "缺少“项目名称”")
        else:
            stop = min([i for i in nxt if i > i_project], default=i_project + 1)
            if i_dept is None:  # nothing known after it: a value wraps over a few lines
                stop = min(stop, i_project + 1 + V.HEADER_MAX_LINES)
            parts = [first if first is not None else self._after(L[i_project], V.PROJECT_LABEL)]
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
        # 项目资金 printed elsewhere (LibreOffice's PDF of a workbook, ``-raw``): the head
        # ends where the fund header or its first row begins
        cut = i_dept + 1
        while cut < stop and not L[cut].text.startswith(_FUND_STARTS):
            cut += 1
        stop, cut_short = cut, cut < stop
        parts = [self._after(L[i_dept], V.DEPARTMENT_LABEL)]
        parts += [ln.text for ln in L[i_dept + 1 : stop]]
        seen, parts = label_tail_taken(V.DEPARTMENT_LABEL, parts)  # 主管部门 | 及代码, wrapped
        if seen != V.DEPARTMENT_LABEL:
            self.labels.append(seen)  # a sign of the layout
        text = "".join(parts)
        text, form.extras = split_checkboxes(text)  # 项目类别 ☑… on the head's lines
        dept, sep, unit = text.partition(V.UNIT_LABEL)
        if not sep:  # another layout's word for 实施单位 (地方主管部门)
            for word in _HEAD_WORDS["unit"]:
                dept, sep, unit = text.partition(word)
                if sep:
                    self.labels.append(word)
                    break
        for label, value in ((V.DEPARTMENT_LABEL, dept), (V.UNIT_LABEL, unit)):
            seen, value = head_label_tail(label, value)  # 主管部门 | 及代码 顾村镇: wrapped
            if seen != label:
                self.labels.append(seen)
                dept, unit = (value, unit) if label == V.DEPARTMENT_LABEL else (dept, value)
        form.department = dept.strip()
        form.unit = unit.strip()
        if not sep:
            self.gap(L[i_dept].no, "缺少“实施单位”")
        elif not form.unit and cut_short:  # its value printed elsewhere: 年初预算数 came next
            self.gap(L[i_dept].no, "“实施单位”后没有读到它的内容")

    # -- 项目资金 ------------------------------------------------------------------------
    def _funds(
        self, i_funds: int, stop: int, unit_at: int | None = None, form_end: int = 0
    ) -> None:
        """The fund block from ``i_funds`` to ``stop``; ``unit_at``: the line of 项目资金
        when Calc printed it apart, after the table's first rows (``i_funds`` the header's
        line, ``form_end`` the form's end)."""
        L, form = self.lines, self.form
        body = i_funds
        unit = None
        for i in range(i_funds, min(i_funds + 3, stop)):
            m = V.AMOUNT_UNIT_PATTERN.search(L[i].text)
            if m:
                unit, body = m.group(1), i
                break
        if unit is None and unit_at is not None:
            found = P.unit_apart(L, unit_at)
            if found is not None:
                unit = found[0]
                self.apart.update(ln.no for ln in L[unit_at : found[1] + 1])
        wrapped: tuple[str | None, int] | None = None
        if unit is None:
            self.gap(L[i_funds].no, "未找到金额单位（万元 / 元）")
        else:
            form.amount_unit = unit
        for i in range(body, stop):
            if sum(map(L[i].text.__contains__, V.FUND_HEADER_WORDS)) >= 2:  # (in C)
                body = i
                break
        else:  # no line holds two of its labels: the header wrapped in its cells?
            wrapped = _wrapped_fund_header(L, body + 1, stop)
        rows: dict[str, tuple[int, list[str | None]]] = {}
        texts: dict[str, str] = {}  # a row's text under the added text column
        written: dict[str, list[str]] = {}  # a row's numbers as written
        if wrapped is None:
            extra, end = _fund_extra_column(L, body, stop)
            if end == body and body + 1 < stop and not any(map(str.isdigit, L[body + 1].text)):
                # the header's last labels wrapped in their cells onto lines of their own
                # (LibreOffice's PDF of a Word file: 年初预算数 … 分数 | 执行率 | (%) | 得分)
                wrapped = _wrapped_fund_header(L, body, stop)
            if wrapped is None:
                body = end
        if wrapped is not None:
            extra, body = wrapped
        key: str | None = None
        label, label_no = "", 0
        # a row's numbers as written kept only under an added column, or to place a column
        # printed apart
        keep = extra is not None or unit_at is not None
        for ln in L[body + 1 : stop]:
            for tok in ln.text.split():
                isnum, val = _number_token(tok)
                if not isnum:
                    if not label:
                        label_no = ln.no
                    label += tok
                    continue
                if label and extra is not None and key is not None:
                    # the row above's cell under the added column, before this row's label
                    cell, label = _cell_and_label(label, self._fund_key)
                    if cell:
                        texts[key] = cell
                if label:  # a label is complete when its numbers begin
                    key = self._fund_key(label)
                    if key is None:
                        self.gap(label_no, f"项目资金中无法识别的栏目“{clip(label)}”")
                    elif key in rows:
                        self.gap(label_no, f"项目资金行“{label}”重复出现")
                        key = None
                    else:
                        row_values: list[str | None] = []  # (this row's, while key is)
                        rows[key] = (label_no, row_values)
                    label = ""
                if key is None:
                    self.gap(ln.no, f"项目资金中有无法归属的数值“{tok}”")
                    continue
                row_values.append(val)
                if keep:
                    written.setdefault(key, []).append(tok)
        if label and extra is not None and key is not None:
            texts[key], label = label, ""  # the last row's cell under the added column
        if label:
            self.gap(label_no, f"项目资金中“{label}”后面没有数值")
        if unit_at is not None and rows and not self._columns_apart(L, i_funds, form_end, written):
            return
        funds = form.funds
        keys: Iterable[str] = V.FUND_ROW_LABELS.keys()
        if rows.keys() != keys:  # (a row missing, or rows a layout adds: 中央补助 …)
            keys = [*keys, *(key for key in rows if key not in V.FUND_ROW_LABELS)]
        for key in keys:
            if key not in rows:
                name = V.FUND_ROW_LABELS[key][0]
                self.gap(L[i_funds].no, f"项目资金缺少“{name}”行")
                continue
            no, values = rows[key]
            cells: dict[str, str] = {}
            if extra is not None and len(values) == len(FUND_COLUMNS) + 1:
                # the added column holds a number (总体完成率) after 得分
                *values, last = values
                cells[extra] = written[key][-1] if last is not None else ""
            if len(values) != len(FUND_COLUMNS):
                name = V.FUND_ROW_LABELS[key][0] if key in V.FUND_ROW_LABELS else key
                self.gap(no, f"“{name}”应有 6 个数，读到 {len(values)} 个")
                continue
            if extra is not None and key in texts:
                cells[extra] = texts[key]
            initial, adjusted, executed, weight, rate, score = values  # (FUND_COLUMNS)
            row: dict[str, object] = {
                "initial": initial,
                "adjusted": adjusted,
                "executed": executed,
                "weight": weight,
                "rate": rate,
                "score": score,
            }
            if cells:
                row["extras"] = cells
            if key in V.FUND_ROW_LABELS:
                funds[key] = row
            else:  # a row the layout adds (中央补助, 基本支出 …), by its label as written
                funds.setdefault("extras", {})[key] = row

    def _columns_apart(
        self, L: list[Line], header: int, end: int, written: dict[str, list[str]]
    ) -> bool:
        """Do the rows' numbers, read in the seed's order, stand under their columns, the
        fund header at ``header`` printed by Calc (the block printed apart from 项目资金)?
        So when the header names the seed's columns in order, or lacks columns whose labels
        are printed apart, alone, in mixed scripts (``执行率(%)``, drawn in the second pass)
        and that the rows' 执行率 put where the seed has them
        (:func:`text_passes.restored`). Else a gap, the block's numbers unread."""
        cols = P.header_columns(L[header].text)
        if cols is not None:
            words = L[header].text.split()
            self.labels += [words[k] for k, col in enumerate(cols) if col == "extra"]  # signs
            numeric = [c for c in cols if c != "extra"]
            if numeric == list(FUND_COLUMNS):
                return True
            apart = P.labels_apart(L[header + 1 : end], cols)
            if apart is not None:
                self.apart.update(L[header + 1 + k].no for k in apart.values())
                full = P.restored(cols, list(apart), list(written.values()))
                if full is not None and [c for c in full if c != "extra"] == list(FUND_COLUMNS):
                    return True
        self.gap(
            L[header].no,
            f"项目资金的表头“{L[header].text}”与各行的数对不上（“项目资金”印在别处），"
            "各行的数所在的栏无法确定，未读入",
        )
        return False

    @staticmethod
    @lru_cache(maxsize=1024)
    def _fund_key(label: str) -> str | None:
        """The fund row ``label`` names: a key of the four (the seed's words, else any
        layout's: 本年财政拨款, 财政资金), the label itself for a row a layout adds (中央补助,
        基本支出 …, kept in ``funds.extras``), else None."""
        clean = V.fold(label)
        for noise in V.FUND_LABEL_NOISE:
            clean = clean.replace(noise, "")
        for key, names in V.FUND_ROW_LABELS.items():
            if clean in names:
                return key
        word = V.grid_label(label)
        for key, pattern in _FUND_ROWS.items():
            if pattern.fullmatch(word):
                return key
        return label if _FUND_EXTRA_ROW.fullmatch(word) else None

    # -- 年度总体目标 ----------------------------------------------------------------------
    def _goals_label_start(self, i_goals: int) -> int:
        """Back over the wrapped 年度 / 总体 / 目标 label above 预期目标."""
        k, acc = i_goals, ""
        if starts(self.lines[i_goals], V.GOALS_LABEL):
            return i_goals
        while k > 0:
            cand = self.lines[k - 1].folded + acc
            if not V.GOALS_LABEL.endswith(cand):
                break
            acc, k = cand, k - 1
        return k

    def _goals(self, lines: list[Line], header: Line) -> None:
        side = next(
            (ln for ln in lines if _spaced(ln.text) and V.SIDE_BY_SIDE.search(ln.text)), None
        )
        if side is not None and len(lines) == 1 and len(parts := side.text.split()) == 2:
            # one line, two cells separated by spaces: 预期目标, 实际完成情况
            self.form.goals = {"expected": parts[0], "achieved": parts[1]}
            return
        if side is not None:  # two columns over several lines (pdftotext -layout): not separable
            self.gap(side.no, "年度总体目标的两栏文字并排印在同一行，无法分开，未读入")
            return
        head = header.folded
        if (
            V.GOAL_ACHIEVED_LABEL not in head
            and lines
            and lines[0].folded.startswith(V.GOAL_ACHIEVED_LABEL)
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

    def _goals_apart(self, i_goals: int, table: int | None, i_funds: int, end: int) -> None:
        """预期目标 / 实际完成情况 with no text under them, both paragraphs printed after the
        table's first rows (Calc's second pass: after 项目资金, the label's pieces 年度 /
        总体 / 目标, then the paragraphs a line each), where they part in one way only
        (:func:`text_passes.goal_paragraphs`). A paragraph of one line under the labels
        (drawn in the first pass) and the other after the table: which is which is not in
        the text, a gap. Both under the labels, none after: read as the seed's are."""
        L = self.lines
        head = L[i_goals]
        start = P.goal_label_end(L, i_funds + 1, end)
        run = P.goal_run(L, start, end) if start is not None else []
        if start is not None:  # 项目资金 … 年度 / 总体 / 目标: the head's cells, and the fund
            # rows' wrapped cells (得分计算方法) drawn between them
            self.apart.update(ln.no for ln in L[i_funds:start])
        under = L[i_goals + 1 : table if table is not None else i_goals + 1]
        one = len(under) == 1 and " " not in under[0].text  # one cell under the labels
        if head.folded != V.GOAL_EXPECTED_LABEL + V.GOAL_ACHIEVED_LABEL or (
            under and not run and not one
        ):
            self._goals(under, head)  # (text beside the labels, or two cells under them)
            return
        if under:  # which column the one line is in is not in the text
            if P.paragraph(run):  # the other paragraph: no line of the table
                self.apart.update(ln.no for ln in run)
            where = "另一段印在表后（折行的格后印出）" if run else "表后没有另一段"
            self.gap(
                under[0].no,
                f"年度总体目标：一段文字印在栏目下，{where}，"
                "哪一段是预期目标、哪一段是实际完成情况无法确定，未读入",
            )
            return
        found = P.goal_paragraphs(run)
        if found is None:
            self.gap(
                head.no,
                "年度总体目标的文字印在表后（折行的格后印出），分不出预期目标与实际完成情况，未读入",
            )
            return
        self.form.goals = {"expected": found[0], "achieved": found[1]}
        self.apart.update(ln.no for ln in run)

    # -- indicator table header ------------------------------------------------------------
    def _find_table(self, lo: int) -> tuple[int, int] | tuple[None, None]:
        """The lines of the indicator table's header: the whole header text, wrapped in
        any way, read in column order; else the lines around its 三级指标 anchor."""
        L, H = self.lines, V.TABLE_HEADER_TEXT
        first = H[0]
        for i in range(lo, len(L)):
            j = _header_end(L, i) if L[i].text.startswith(first) else None
            if j is not None:
                return i, j
        i_anchor = find_containing(L, V.TABLE_ANCHOR, lo)
        if i_anchor is None:
            return None, None
        anchor = L[i_anchor].folded
        pos = H.find(anchor)
        start, stop = i_anchor, i_anchor + 1
        if pos < 0:  # another layout's words (全年实际值 …): its 一级 / 二级 heads before
            if anchor.startswith(V.TABLE_ANCHOR):
                start = _level_heads_before(L, i_anchor, lo)
            return start, _deviation_head_after(L, stop)
        prefix = H[:pos]
        while prefix and start - 1 >= lo:
            f = L[start - 1].folded
            if not prefix.endswith(f):
                break
            prefix, start = prefix[: -len(f)], start - 1
        rest = H[pos + len(anchor) :]
        while rest and stop < len(L):
            f = L[stop].folded
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
                form.total_weight, form.total_score = vals[0], vals[1]
            else:
                self.gap(L[i_total].no, "“总分”行应有分值和得分两个数")
        if i_grade is None:
            return  # a gap when the form's layout has a 评分等级 (see read)
        grade = self._after(L[i_grade], V.GRADE_LABEL)
        if not grade and i_grade + 1 < len(L) and L[i_grade + 1].text in V.GRADES:
            grade = L[i_grade + 1].text
        if grade:
            form.grade = grade
        else:
            self.gap(L[i_grade].no, "评分等级为空")


# A fund cell's token read (:func:`V.parse_number_token`), remembered: the same labels and
# numbers (其他资金, 0.00, -) come on form after form.
_number_token = lru_cache(maxsize=4096)(V.parse_number_token)


_FUND_EXTRA = re.compile("|".join(V.GRID_FUND_EXTRA_COLUMNS))
_FUND_ROWS = {key: re.compile("|".join(words)) for key, words in V.GRID_FUND_ROWS.items()}
_FUND_EXTRA_ROW = re.compile("|".join(V.GRID_FUND_EXTRA_ROWS))


def _fund_extra_column(lines: list[Line], header: int, stop: int) -> tuple[str | None, int]:
    """A column the fund header has beyond the seed's six (得分计算方法, 总体完成率, 原因),
    its label wrapped onto the lines after the header (得分计 / 算方法): the label, and the
    header's last line; else None and ``header``."""
    acc = ""
    for k in range(header + 1, min(header + 4, stop)):
        if any(map(str.isdigit, lines[k].text)):  # (folding keeps digits)
            break
        f = lines[k].folded
        if not f:
            break
        acc += f
        if _FUND_EXTRA.fullmatch(acc):
            return acc, k
    return None, header


_HEADER_LINES = 12  # the most lines a wrapped fund header takes
_COLUMN_OF = {key: re.compile("|".join(V.GRID_FUND_COLUMNS[key])) for key in FUND_COLUMNS}


def _fund_column(word: str) -> bool:
    return V.FUND_COLUMN_LABEL.match(V.grid_label(word)) is not None


# A line that begins the fund block's header (年初预算数 …) or its first row begins so
_FUND_STARTS = (V.FUND_HEADER_WORDS[0], V.FUND_ROW_LABELS["total"][0])


def _wrapped_fund_header(lines: list[Line], start: int, stop: int) -> tuple[str | None, int] | None:
    """The fund header with its labels wrapped in their cells (``pdftotext -raw`` of narrow
    columns: 年初预算数 | 调整后预算 | 数 | 预算执行数 权重 | 预算执行 | 率 | 得分 原因, a line
    each), from ``lines[start]`` up to the first line holding a digit: when its words, the
    pieces joined by the vocabulary (:func:`V.joined_wraps`), are the seed's six fund
    columns in order, then at most one added column (原因), and every line after it up to
    ``stop`` that holds a digit holds a whole row's numbers (cells wrapped in narrow columns
    may wrap a number too: ``1304215.9`` | ``0``): that column's label (or None) and the
    header's last line; else None (not a header this reader knows; the rows' numbers then
    go unplaced, each a gap)."""
    words: list[str] = []
    end = start
    for k in range(start, min(start + _HEADER_LINES, stop)):
        if any(map(str.isdigit, lines[k].text)):
            break
        words += lines[k].text.split()
        end = k
    labels = [V.grid_label(w) for w in V.joined_wraps(words, _fund_column)]
    if len(labels) not in (len(FUND_COLUMNS), len(FUND_COLUMNS) + 1):
        return None
    if not all(_COLUMN_OF[key].fullmatch(w) for key, w in zip(FUND_COLUMNS, labels, strict=False)):
        return None
    extra = labels[len(FUND_COLUMNS)] if len(labels) > len(FUND_COLUMNS) else None
    if extra is not None and not _FUND_EXTRA.fullmatch(extra):
        return None
    for ln in lines[end + 1 : stop]:  # each row's numbers on one line, none wrapped
        if any(map(str.isdigit, ln.text)):
            numbers = sum(1 for tok in ln.text.split() if _number_token(tok)[0])
            if 0 < numbers < len(FUND_COLUMNS):  # (none: the added column's text, 数×10)
                return None
    return extra, end


def _cell_and_label(text: str, key_of) -> tuple[str, str]:
    """Text run together before a fund row's numbers (the row above's cell under the added
    column, then this row's label: 全年执行数/年初预算数×10其中：当年财政拨款): the cell and
    the label, the label the longest end of the text that names a fund row."""
    for k in range(len(text)):
        if key_of(text[k:]) is not None:
            return text[:k], text[k:]
    return "", text


_EXTRA_COLUMN = re.compile(
    "|".join(
        (
            *V.GRID_INDICATOR_EXTRA_COLUMNS,
            *V.GRID_INDICATOR_COLUMNS["share"],
            *V.GRID_INDICATOR_COLUMNS["adjusted_score"],
        )
    )
)
HEADER_MAX_PIECES = 16  # lines of a header's wrapped labels after its 三级指标 line


def _extra_column(lines: list[Line], start: int, stop: int) -> str | None:
    """A column of the indicator header beyond the seed's eight (指标性质, 得分计算方法,
    权重占比 …, wrapped over the lines after the header's 三级指标 line, up to the first
    level label's piece or number): its label. Rows are read by the order of their words
    only under the seed's columns, and those with number columns after 得分
    (:func:`_number_columns`); another layout's rows are not."""
    m = _EXTRA_COLUMN.search(_whole_header(lines, start, stop)[0])
    return m.group() if m else None


def _whole_header(lines: list[Line], start: int, stop: int) -> tuple[str, int]:
    """The indicator header's text (folded) from ``lines[start]``, with the labels wrapped
    a piece a line after its lines up to ``stop`` (up to the first level label's piece or
    number), and the line after it."""
    head = "".join(ln.folded for ln in lines[start:stop])
    end = stop
    pieces = lines[stop : stop + HEADER_MAX_PIECES]
    for n, ln in enumerate(pieces):
        f = ln.folded
        if not f or (len(f) > 1 and f[:2] in V.ALL_LEVEL_PREFIXES) or any(map(str.isdigit, f)):
            break
        if (
            len(f) == 1
            and stop + n + 1 < len(lines)
            and (f + lines[stop + n + 1].folded)[:2] in V.ALL_LEVEL_PREFIXES
        ):
            break  # a level label printed a character a line (成 / 本 / 指 / 标)
        head, end = head + f, end + 1
    return head, end


def _words(*keys: str) -> str:
    return "(?:" + "|".join(w for key in keys for w in V.GRID_INDICATOR_COLUMNS[key]) + ")"


# The seed's columns in their order, with text columns a layout adds between 实际完成值 and
# 分值 (北京's 得分计算方法, 新疆's six …: ``V.GRID_INDICATOR_EXTRA_COLUMNS``, longest first)
# and number columns between 得分 and 偏差原因 (河北's 权重占比 and 单项指标折算得分, the model's
# ``share`` and ``adjusted_score``): a row is then its text cells, 分值, 得分 and those numbers
# side by side, then its 偏差原因.
NUMBER_FIELDS = ("share", "adjusted_score")
_TEXT_COLUMN = (
    "(?:" + "|".join(sorted(set(V.GRID_INDICATOR_EXTRA_COLUMNS), key=len, reverse=True)) + ")"
)
_TEXT_COLUMNS = re.compile(_TEXT_COLUMN)
_NUMBER_COLUMNS_HEADER = re.compile(
    _words("level1")
    + _words("level2")
    + _words("name")
    + _words("target")
    + _words("actual")
    + f"(?P<texts>{_TEXT_COLUMN}*)"
    + _words("weight")
    + _words("score")
    + "".join(f"(?P<{key}>{_words(key)})?" for key in NUMBER_FIELDS)
    + _words("deviation")
)


def _number_columns(
    lines: list[Line], start: int, stop: int
) -> tuple[tuple[str, ...], tuple[str, ...], int] | None:
    """The number columns after 得分 and the text columns' labels between 实际完成值 and 分值
    (:data:`_NUMBER_COLUMNS_HEADER`) of the indicator header at ``lines[start:stop]``, and the
    line after its labels wrapped below it; None when the header has other columns, or a
    三级指标 further on is not this header printed again line for line (:func:`_repeats`: a
    continuation page's)."""
    head, end = _whole_header(lines, start, stop)
    m = _NUMBER_COLUMNS_HEADER.fullmatch(head)
    if m is None:
        return None
    anchors = sum(1 for ln in lines[end:] if contains(ln, V.TABLE_ANCHOR))
    if anchors != len(_repeats(lines[end:], lines[start:end])):
        return None
    columns = tuple(key for key in NUMBER_FIELDS if m.group(key))
    texts = tuple(t.group() for t in _TEXT_COLUMNS.finditer(m.group("texts")))
    return (columns, texts, end) if columns or texts else None


def _header_end(lines: list[Line], i: int) -> int | None:
    """The end of the indicator table's header if it starts at ``lines[i]``: the whole
    header text, wrapped in any way, in column order."""
    H = V.TABLE_HEADER_TEXT
    if not lines[i].text.startswith(H[0]):
        return None
    acc, j = lines[i].folded, i + 1
    if not H.startswith(acc):
        return None
    while acc != H and j < len(lines):
        f = lines[j].folded
        if not H.startswith(acc + f):
            break
        acc, j = acc + f, j + 1
    return j if acc == H else None


_LEVEL_HEADS = V.TABLE_HEADER[0] + V.TABLE_HEADER[1]  # 一级指标二级指标


def _level_heads_before(lines: list[Line], i: int, lo: int) -> int:
    """Where the header starts when the lines before ``i`` spell 一级指标二级指标 (printed a
    character or a word a line), else ``i``."""
    prefix, start = _LEVEL_HEADS, i
    while prefix and start - 1 >= lo:
        f = lines[start - 1].folded
        if not f or not prefix.endswith(f):
            break
        prefix, start = prefix[: -len(f)], start - 1
    return start if not prefix else i


def _deviation_head_after(lines: list[Line], stop: int) -> int:
    """The header's last column printed on the lines after it (未完成原因及拟采取 / 的改进措施):
    up to three lines that together are a 偏差原因 column label, the most that are (its
    first line alone may be one: 未完成原因.*) up to a 一级 / 二级 label's piece."""
    acc, end = "", stop
    for n in range(3):
        if stop + n >= len(lines):
            break
        f = lines[stop + n].folded
        if n and f[:2] in V.ALL_LEVEL_PREFIXES:
            break
        acc += f
        if _DEVIATION_HEAD.fullmatch(acc):
            end = stop + n + 1
    return end


_DEVIATION_HEAD = re.compile("|".join(V.GRID_INDICATOR_COLUMNS["deviation"]))


def _repeats(lines: list[Line], header: list[Line]) -> list[tuple[int, int]]:
    """Where ``header`` (an indicator header's lines) is printed again among ``lines``, line
    for line (at the top of a continuation page): its first line and the line after it."""
    texts = [ln.text for ln in header]
    n = len(texts)
    return [
        (i, i + n)
        for i, ln in enumerate(lines)
        if ln.text == texts[0] and [x.text for x in lines[i : i + n]] == texts
    ]


_HEADER_FIRST = V.TABLE_HEADER_TEXT[0]


def _opens_a_line(joined: str, first: str) -> bool:
    """Does a line of ``joined`` (lines' texts joined by newlines) start with ``first``?"""
    return joined.startswith(first) or "\n" + first in joined


def _header_runs(lines: list[Line]) -> list[tuple[int, int]]:
    """Where the header repeated at the top of a continuation page starts and ends."""
    first = V.TABLE_HEADER_TEXT[0]
    heads = [i for i, ln in enumerate(lines) if ln.text.startswith(first)]
    return [(i, j) for i in heads if (j := _header_end(lines, i)) is not None]


def _label_cut_by_page(lines: list[Line], runs: list[tuple[int, int]]) -> Line | None:
    """The first line after a repeated header when a level label is printed there a
    character a line (成 / 本 / 指 / 标: LibreOffice's ``-raw`` text of a Word file, which
    prints a merged 一级 / 二级 cell cut by a page break only after the break): whether
    that label also holds the rows before the break cannot be told."""
    for _, j in runs:
        spelled = ""
        for ln in lines[j : j + _LONGEST_LEVEL]:
            if len(ln.text) != 1:
                break
            spelled += ln.text
            if spelled in _LEVEL_LABELS:
                return lines[j]
    return None


_LEVEL_LABELS = frozenset((*V.LEVEL1_LABELS, *V.LEVEL2_LABELS))
_LONGEST_LEVEL = max(map(len, _LEVEL_LABELS))


def _without_headers(lines: list[Line], runs: list[tuple[int, int]]) -> list[Line]:
    """The table's lines without the header repeated at the top of a continuation page
    (page chrome, at ``runs``: :func:`_header_runs`); the line after one keeps the page
    break before it."""
    if not runs:
        return lines
    out: list[Line] = []
    done = 0
    for i, j in runs:
        if i < done:
            continue  # inside the header before
        out += lines[done:i]
        if j < len(lines) and lines[j].blank < lines[i].blank:
            out.append(Line(lines[j].no, lines[j].text, lines[i].blank))
            j += 1
        done = j
    out += lines[done:]
    return out


def _spaced(text: str) -> bool:
    """A cheap test before :data:`V.SIDE_BY_SIDE` is searched: a space of any kind."""
    return " " in text or "\t" in text or "\u3000" in text


class _Amounts(dict[str | None, Decimal | None]):
    """The amounts the reader read (``"1245.54"``) as the model types them, by their text:
    each typed and checked against ``limits`` once (:func:`_amount`, in ``__missing__``),
    then a dict lookup (the same few, ``"5.00"``, ``"0.00"``, come on form after form). A
    blank cell (None) is None."""

    MOST = 4096  # amounts kept at most (then a new cache)

    def __init__(self, limits: Limits) -> None:
        super().__init__({None: None})
        self.limits = limits

    def __missing__(self, value: str) -> Decimal:
        number = self[value] = _amount(value, self.limits)
        return number


_AMOUNTS: _Amounts | None = None


def _amounts() -> _Amounts:
    """The amounts typed under the limits in force (:class:`_Amounts`): forgotten when the
    limits change, or when too many are kept."""
    global _AMOUNTS
    limits = current()
    if _AMOUNTS is None or _AMOUNTS.limits is not limits or len(_AMOUNTS) > _Amounts.MOST:
        _AMOUNTS = _Amounts(limits)
    return _AMOUNTS


def _amount(value: str, limits: Limits) -> Decimal:
    """An amount the reader read (``"1245.54"``) as the model types it; ValueError when
    it does not pass the model's check (:func:`amount_passes`)."""
    number = Decimal(value)
    bound = limits.max_number_exponent
    # the usual case at once: finite, within the magnitude, its digits (no more than the
    # characters of its text) within their number
    if not (
        number.is_finite()
        and len(value) <= limits.max_number_digits
        and -bound <= number.adjusted() < bound
    ) and not amount_passes(number):
        raise ValueError(value)
    return number
