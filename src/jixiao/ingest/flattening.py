"""The staged reader of flattened forms, and the choice between it and the fast one.

Stages: text → cell tokens (:mod:`jixiao.ingest.tokens`) → rows laid out as a grid
(:mod:`jixiao.ingest.rows`, glued numbers cut by :mod:`jixiao.ingest.glued`) → the one
label mapper the PDF, Excel and HTML importers use (:func:`jixiao.ingest.mapper.map_forms`).

:func:`read_flattened` is what :func:`jixiao.ingest.read_text` calls. It reads the text
once, the way :func:`flattening_of` (a few counts and finds, no split) says it was
flattened: cell-delimited (``|``), laid out by position (``pdftotext -layout``), cells one a
paragraph (``pdftotext`` default) or one a line go to the staged reader of that kind; the
seed's layout (``pdftotext -raw`` style, blocks of lines) to the fast reader
(:mod:`jixiao.ingest.text`). Only when that reading finds no form, or the text is of no
known flattening and the fast reader leaves a gap, are the other readings tried: cells one
a line, one a paragraph, (text not laid out by position whose lines mostly hold spaces
between words: a form on one line, cells parted by spaces) cells parted by spaces, and
labels glued to values; the reading with the most whole forms, then the most values
placed, wins (the fast one on a tie).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from jixiao.ingest import vocabulary as V
from jixiao.ingest.errors import IngestError
from jixiao.ingest.layout import LayoutError, layout_tokens, looks_laid_out
from jixiao.ingest.mapper import map_forms
from jixiao.ingest.mapper.totals import total_by_sums
from jixiao.ingest.rows import RowBuilder
from jixiao.ingest.template_fields import finish_layouts
from jixiao.ingest.tokens import HEAD_APART, kind_of, looks_glued, split_tokens
from jixiao.layouts import get_layout
from jixiao.model import SelfEvaluation


def read_staged(text: str, name: str, kind: str) -> list[SelfEvaluation]:
    """Forms of ``text`` read as cells delimited the ``kind`` way (see :mod:`tokens`), or
    laid out by position (``kind`` "layout", :mod:`jixiao.ingest.layout`)."""
    if kind == "layout":
        try:
            tokens = layout_tokens(text)
        except LayoutError:
            return []
    else:
        tokens = split_tokens(text, kind)
    forms: list[SelfEvaluation] = []
    for rows in RowBuilder(tokens).build():
        found = map_forms([rows.grid(origin="")], name)
        if not found:
            continue
        form = found[-1] if len(found) == 1 else _merge_gaps(found)
        apart = rows.total_apart
        read = apart[0] if apart is not None and total_by_sums(form, apart[1]) else None
        for gap in rows.gaps:
            if gap not in form.gaps and gap != read:
                form.gaps.append(gap)
        if any(HEAD_APART in gap for gap in rows.gaps):
            _table_in_blocks(form)
        _added_columns_lost(form)
        if form.source is not None and rows.first is not None and rows.last is not None:
            form.source.start_line = rows.first.line
            form.source.end_line = rows.last.line
            form.source.page = rows.first.page if len(rows.pages) > 1 else None
        form.index = len(forms) + 1
        forms.append(form)
    return forms


def _table_in_blocks(form: SelfEvaluation) -> None:
    """A form whose head labels were printed apart from their values (项目名称 / 主管部门,
    then their values: :data:`tokens.HEAD_APART`) prints its indicator table a column at a
    time too (LibreOffice's Word file in ``pdftotext``'s default mode: the 三级指标 of many
    rows in one paragraph, then their 指标值 …): which cells make a row cannot be told. Its
    indicators, 一级 weights and 总分 are not read, with a gap saying so (rows read would be
    made of other rows' cells)."""
    if not (form.indicators or form.level1_weights or form.total_weight or form.total_score):
        return
    form.indicators = []
    form.level1_weights = []
    form.total_weight = form.total_score = None
    form.gaps.append(
        "绩效指标表按栏成块印出（栏目名在前、各行的内容在后，如 LibreOffice 所出 PDF 经 "
        "pdftotext 默认模式），各格所在的行无法确定，绩效指标、一级指标分值和总分未读入；"
        "请改用 pdftotext -layout 的文本，或直接导入 PDF 文件"
    )


def _added_columns_lost(form: SelfEvaluation) -> None:
    """A flattened indicator table whose rows hold some of its layout's added columns but
    not all (新疆's 指标值设置依据 printed apart from the header in LibreOffice's ``-raw``
    text): which added column each cell is in cannot be told in text, so no indicator keeps
    its added cells; a gap names the columns the table lacks."""
    have = {key for ind in form.indicators for key in ind.extras}
    if not have or not form.layout:
        return
    declared = [col for col in get_layout(form.layout).indicator_columns if col.field is None]
    lost = [col.label for col in declared if not any(col.matches(key) for key in have)]
    if not lost:
        return
    for ind in form.indicators:
        ind.extras = {}
    form.gaps.append(
        "绩效指标：表中没有读到“" + "”“".join(lost) + "”一栏（印在别处），"
        "各行附加栏（" + "、".join(sorted(have)) + "）的格所在的栏无法确定，未读入"
    )


def _merge_gaps(found: list[SelfEvaluation]) -> SelfEvaluation:
    """Rows the mapper read as more than one form: the first, with a gap saying so."""
    form = found[0]
    form.gaps.append(f"表中有 {len(found)} 个表头，只读入第一张表")
    return form


def _leaves(value: object) -> int:
    if isinstance(value, dict):
        return sum(_leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(_leaves(v) for v in value)
    return 0 if value in (None, "") else 1


_NOT_READ = {"source", "index", "gaps", "unmapped", "extras", "title", "year", "amount_unit"}
_NOT_READ |= {"layout", "level1_weights", "checkboxes"}  # set from what was read, not read


def _score(forms: list[SelfEvaluation]) -> tuple[int, int]:
    """How much of the forms a reading got: (whole forms, values placed)."""
    whole = sum(1 for f in forms if not f.gaps)
    return whole, sum(_leaves(f.model_dump(exclude=_NOT_READ)) for f in forms)


def name_stray_labels(forms: list[SelfEvaluation]) -> list[SelfEvaluation]:
    """A gap for each text value that holds a label of the form (:data:`V.STRAY_LABELS`)
    or is a level label where text belongs: a reader ran across cells there. A head
    field read as nothing but 一级 / 二级 labels (实施单位 printed among the level labels'
    pieces, ``pdftotext`` of LibreOffice's PDF) is no value of that field: left out, with a
    gap."""
    for form in forms:
        _head_of_levels(form)
        values = [form.project, form.department, form.unit]
        values += (form.goals.expected, form.goals.achieved)
        for ind in form.indicators:
            values += (ind.name, ind.target, ind.actual)
        if (
            not _STRAY.search("\x00".join(filter(None, values)))  # (no label holds a \x00)
            and form.goals.expected not in _LEVELS
            and form.goals.achieved not in _LEVELS
        ):
            continue  # the common case, in one pass
        for k, value in enumerate(values):
            if not value:
                continue
            stray = next((w for w in V.STRAY_LABELS if w in value), None)
            if stray is None and value.startswith(V.GOALS_LABEL):
                stray = V.GOALS_LABEL
            if stray is None and value in _LEVELS and k < len(_FORM_TEXTS):
                stray = value
            if stray is not None:
                gap = f"{_what(k)}中混有栏目名“{stray}”，可能串入了别的格的文字，请核对"
                if gap not in form.gaps:
                    form.gaps.append(gap)
    return forms


# What the texts :func:`name_stray_labels` looks at are called in its gaps: the form's, then
# each indicator's (the names made only for a gap)
_FORM_TEXTS = ("项目名称", "主管部门", "实施单位", "预期目标", "实际完成情况")
_INDICATOR_TEXTS = ("三级指标", "指标值", "实际完成值")


def _what(k: int) -> str:
    """The name of the ``k``-th text :func:`name_stray_labels` looks at (0-based)."""
    if k < len(_FORM_TEXTS):
        return _FORM_TEXTS[k]
    indicator, which = divmod(k - len(_FORM_TEXTS), len(_INDICATOR_TEXTS))
    return f"第{indicator + 1}个指标的{_INDICATOR_TEXTS[which]}"


_LEVELS = frozenset((*V.LEVEL1_LABELS, *V.LEVEL2_LABELS))
_LEVEL_MARK = "指标"  # in every level label: a value without it is none of them


def _levels_only(text: str) -> bool:
    """``text`` is one or more 一级 / 二级 labels run together (经济成本指标数量指标)."""
    if _LEVEL_MARK not in text:
        return False
    ends = {0}
    for i in range(1, len(text) + 1):
        if any(text[j:i] in _LEVELS for j in ends if j < i):
            ends.add(i)
    return len(text) in ends


def _head_of_levels(form: SelfEvaluation) -> None:
    for label, field in (
        (V.PROJECT_LABEL, "project"),
        (V.DEPARTMENT_LABEL, "department"),
        (V.UNIT_LABEL, "unit"),
    ):
        value = getattr(form, field)
        if value and _levels_only(value.replace(" ", "")):
            setattr(form, field, "")
            form.gaps.append(
                f"{label}：其后读到的是一级 / 二级指标的文字（{value}），不是{label}，未读入"
            )


_STRAY = re.compile("|".join(map(re.escape, (*V.STRAY_LABELS, V.GOALS_LABEL))))


_FUND_HEADER = "年初预算数"


def _one_cell_a_line(text: str) -> bool:
    """A cheap sign of cells one a line: the fund header's first label alone on its line
    (the seed's layout prints the header on one line), and no line from there to the first
    number (the header's other labels, the first fund row) holding words parted by a space:
    in ``pdftotext -raw`` of narrow columns the header's labels wrap onto lines of their own
    (年初预算数 | 调整后预算 | 数 | 预算执行数 权重 …) but a row's cells share a line."""
    k = text.find(_FUND_HEADER)
    if k < 0:
        return False
    start = text.rfind("\n", 0, k) + 1
    end = text.find("\n", k)
    if text[start : end if end >= 0 else len(text)].strip() != _FUND_HEADER:
        return False
    digit = _DIGIT.search(text, k)
    stop = text.find("\n", digit.end()) if digit is not None else -1
    return not _INNER_SPACE.search(text, end if end >= 0 else k, stop if stop >= 0 else len(text))


def _parted_after_header(text: str) -> bool:
    """The fund header's first label, alone on its line, followed by an empty line: cells
    parted by empty lines (``pdftotext`` default), however many lines long texts (goals,
    偏差原因) wrap into; cells one a line have none there."""
    k = text.find(_FUND_HEADER)
    end = text.find("\n", k)
    return k >= 0 and end >= 0 and text.startswith(("\n\n", "\n\r\n"), end)


_DIGIT = re.compile(r"\d")


_INNER_SPACE = re.compile(r"\S[ \t\u3000]+\S")


def _spaced(text: str) -> bool:
    """Cells parted by spaces: at least a third of the lines hold a space between words."""
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and sum(1 for line in lines if _INNER_SPACE.search(line)) * 3 >= len(lines)


def flattening_of(text: str) -> str:
    """Which flattening ``text`` is, from a few counts and finds (no split, no reading):

    - ``pipes``: cells delimited by ``|`` (:func:`~jixiao.ingest.tokens.kind_of`);
    - ``layout``: laid out by position, the indicator header on one line with its labels
      parted by runs of spaces (``pdftotext -layout``);
    - ``paragraphs`` / ``lines``: the fund header's first label alone on its line, cells
      parted by empty lines (``pdftotext`` default: an empty line after that label, or
      between a third of the lines) or not (one a line);
    - ``seed``: anything else, the seed's layout first (``pdftotext -raw``).
    """
    if kind_of(text) == "pipes":
        return "pipes"
    if looks_laid_out(text):
        return "layout"
    if _one_cell_a_line(text):
        parted = text.count("\n\n") + text.count("\n\r\n")  # an empty line, LF or CRLF
        if parted * 3 >= text.count("\n") or _parted_after_header(text):
            return "paragraphs"
        return "lines"
    return "seed"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a text is read. The readers make many
    small objects (lines, tokens, cells, the model's) and no reference cycles: reference
    counting frees them all the same, and the collector's passes over them cost about a
    sixth of the seed's import (``benchmarks/bench_import_text.py``). It runs again, if it
    ran before, as soon as the text is read."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def read_flattened(text: str, name: str) -> list[SelfEvaluation]:
    """Every form in flattened ``text``: one reading, the one :func:`flattening_of` names;
    the others only when that one finds no form, or for text of no known flattening whose
    fast reading leaves a gap (see the module's docstring)."""
    with _collector_paused():
        return finish_layouts(_read_once(without_lists(text), name), text)


def without_lists(text: str) -> str:
    """``text`` with each printed page that is a list of indicators by project (a
    workbook's 指标明细 sheet: 序号 | 单位 | … | 项目名称 | 一级指标 | … | 三级指标, a row per
    indicator of many forms, printed after them) left blank: it is no form, and read as
    one its first rows would make a form of their own. The page's lines stay as empty
    lines, so every line keeps its number."""
    if "\f" not in text or V.FLAT_LIST_FIRST not in text:
        return text
    pages = text.split("\f")
    kept = ["\n" * page.count("\n") if _a_list_page(page) else page for page in pages]
    return "\f".join(kept)


def _a_list_page(page: str) -> bool:
    words = page.split()
    return set(words) >= V.FLAT_LIST_LABELS and not V.TITLE_PATTERN.search("".join(words))


def _read_once(text: str, name: str) -> list[SelfEvaluation]:
    kind = flattening_of(text)
    if kind != "seed":
        forms = name_stray_labels(read_staged(text, name, kind))
        if forms:
            return forms
        if kind == "pipes":
            raise IngestError(f"{name}: 未找到绩效自评表（没有“项目名称”“三级指标”等栏目）")
    return _best_reading(text, name, tried=kind)


def _best_reading(text: str, name: str, tried: str) -> list[SelfEvaluation]:
    """The fast reader, and when it leaves a gap each staged reading but ``tried``: the
    one with the most whole forms, then the most values placed (the fast one on a tie)."""
    from jixiao.ingest.text import parse_text

    try:
        # (cells in the table's order only in the seed's flattening: ``pdftotext -raw``)
        fast: list[SelfEvaluation] | None = parse_text(text, name, by_order=tried == "seed")
    except IngestError:
        fast = None
    if fast and not any(f.gaps for f in fast):
        return fast  # every part of every form found (labels straying into a value would
        # have left the part they name missing)
    if fast:
        name_stray_labels(fast)
    best, best_score = fast, _score(fast) if fast else None
    # laid out by position (pdftotext -layout) or not; cells parted by spaces otherwise
    laid_out = looks_laid_out(text)
    kinds: tuple[str, ...] = (
        ("layout", "lines", "paragraphs") if laid_out else ("lines", "paragraphs")
    )
    if not laid_out and _spaced(text):
        kinds = (*kinds, "words")
    if looks_glued(text):
        kinds = (*kinds, "glued")
    for kind in kinds:
        if kind == tried:
            continue
        staged = name_stray_labels(read_staged(text, name, kind))
        score = _score(staged) if staged else None
        if score is not None and (best_score is None or score > best_score):
            best, best_score = staged, score
        if staged and not any(f.gaps for f in staged):
            break
    if best is None:
        return parse_text(text, name)  # raises the fast reader's message
    return best
