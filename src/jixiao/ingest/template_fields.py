"""What a form's template has, set on an imported form: the layout it is written in
(``layout``), the 一级 weights printed in the labels (``产出指标(60分)`` → ``level1_weights``,
the label kept as the template names it), and the head fields written as check boxes
(``项目类别: ☑经常性项目 □一次性项目`` → ``checkboxes``).

Every reader's forms pass here once (the label mapper's finish step, and the seed's text
reader): values are only moved from where a reader put them as text into the typed fields,
never guessed. A form that already names its layout keeps it; applying this twice changes
nothing. What the form's layout has and the reading did not give is named in a gap: a
check-box field (项目类别 …) without its options and ticks, or the printed 一级 weights
where a reading lost the 一级 labels that carry them.

:func:`split_checkboxes` is how a text reader finds the check boxes in a head text that ran
on past its own value (``上海市某单位 项目类别 ☑经常性项目 □一次性项目 项目属性 …``, a
flattening that printed the head row on one line).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache, lru_cache
from itertools import pairwise

from jixiao.ingest.layout import looks_laid_out, stacked
from jixiao.ingest.vocabulary import PROJECT_LABEL, TABLE_ANCHOR
from jixiao.layouts import FALLBACK, Layout, all_layouts, get_layout, recognise
from jixiao.model import (
    CHECKBOX_MARKS,
    Checkbox,
    Level1Weight,
    SelfEvaluation,
    checkbox_from_text,
    split_level1,
)


def _level1_weights(form: SelfEvaluation) -> None:
    found: dict[str, Decimal] = {}
    for ind in form.indicators:
        if "分" not in ind.level1:  # no weight printed: the usual case, decided at once
            continue
        label, weight = split_level1(ind.level1)
        if weight is None:
            continue
        ind.level1 = label
        found.setdefault(label, weight)
    if found and not form.level1_weights:
        form.level1_weights = [Level1Weight(label=k, weight=w) for k, w in found.items()]


def _checkboxes(form: SelfEvaluation) -> None:
    boxes: list[Checkbox] = []
    for label, text in list(form.extras.items()):
        box = checkbox_from_text(label, text)
        if box is not None and _marks_apart(text):
            # which option the mark printed apart ticks is not in the text: the options
            # as the spaces part them, none ticked, and a gap
            names = [n for n in _SPACE.split(_MARKS.sub(" ", text)) if n]
            box = Checkbox(label=label, options=names, checked=[])
            _gap(form, f"{label}：勾选标记与选项分开印出，勾选的是哪一项无法确定，未读入，请核对")
        if box is not None and box.options:
            boxes.append(box)
            del form.extras[label]
    if boxes:
        form.checkboxes = [*form.checkboxes, *boxes]


_MARKS = re.compile(f"[{CHECKBOX_MARKS}]")
_MARK_AFTER = re.compile(rf"([{CHECKBOX_MARKS}])([^{CHECKBOX_MARKS}]*)")
_NOT_MARKS = re.compile(
    rf"[{CHECKBOX_MARKS}]?[^{CHECKBOX_MARKS}\s]+[{CHECKBOX_MARKS}]?|[{CHECKBOX_MARKS}]"
)


def _marks_apart(text: str) -> bool:
    """A check-box text whose marks do not each stand by one option: in a text that opens
    with a mark, a mark with no option after it (``□新增项目 延续项目☑``); in one that does
    not, a mark on its own or an option with a mark on both sides (``经常性项目 □一次性项目☑``).
    LibreOffice's PDF prints the ticked box apart from its option (pdftotext ``-raw``, the
    mark on the next line), and which option it ticks is not in the text."""
    s = text.strip()
    if s[:1] in CHECKBOX_MARKS:
        return any(not name.strip() for _, name in _MARK_AFTER.findall(s))
    return any(p[0] in CHECKBOX_MARKS and p[-1] in CHECKBOX_MARKS for p in _NOT_MARKS.findall(s))


@cache
def _checkbox_head() -> re.Pattern[str] | None:
    """A check-box head label of any declared layout (项目类别, 项目属性), then its marks."""
    labels = sorted({w for x in all_layouts() for w in x.checkboxes}, key=len, reverse=True)
    if not labels:
        return None
    words = "|".join(re.escape(w) for w in labels)
    # the label, then its marks: right after it, or after an option that lost its mark
    # (项目类别 经常性项目 □一次性项目, the tick printed apart)
    return re.compile(rf"({words})\s*[:：]?\s*(?=[^\s{CHECKBOX_MARKS}]*\s*[{CHECKBOX_MARKS}])")


def split_checkboxes(text: str) -> tuple[str, dict[str, str]]:
    """``text`` up to the first check-box head field of a declared layout, and each such
    field's text by its label (``上海市某单位 项目类别 ☑甲 □乙`` → ``上海市某单位``,
    ``{"项目类别": "☑甲 □乙"}``); a text with no box or tick is returned whole at once."""
    if not any(mark in text for mark in CHECKBOX_MARKS):
        return text, {}
    pattern = _checkbox_head()
    if pattern is None:
        return text, {}
    found = list(pattern.finditer(text))
    if not found:
        return text, {}
    fields: dict[str, str] = {}
    for m, end in zip(found, [*(n.start() for n in found[1:]), len(text)], strict=True):
        fields.setdefault(m.group(1), text[m.end() : end].strip())
    return text[: found[0].start()].rstrip(), fields


@cache
def label_tails(key: str) -> tuple[tuple[str, str], ...]:
    """The declared head labels (主管部门及代码 …, of any layout) that begin with ``key`` and
    go on, with what they go on with (及代码), longest first."""
    words = {_SPACE.sub("", w) for x in all_layouts() for h in x.head for w in h.words()}
    longer = sorted((w for w in words if len(w) > len(key) and w.startswith(key)), key=len)
    return tuple((w, w[len(key) :]) for w in reversed(longer))


def label_tail_taken(label: str, parts: list[str]) -> tuple[str, list[str]]:
    """A head label that wrapped, and the texts after it (its value, and the lines below):
    the longest declared head label that ``label`` begins (:func:`label_tails`) whose rest
    the texts hold, and the texts without that rest. The rest is found at the start of
    the first text (``主管部门`` | ``及代码 顾村镇``, whitespace between its characters
    skipped; what follows it, colons and spaces stripped, is the value) or, the first text
    beginning it, its end as one of the next three texts (主管部门 | ``及`` … ``代码`` on a
    line of its own, under the value's). ``label`` and ``parts`` are returned as they were
    otherwise (at once when no declared label goes on)."""
    tails = _tails_of(label)
    if not tails or not parts:
        return label, parts
    first = parts[0]
    for word, tail in tails:
        pos = _spelled(first, tail)
        if pos is not None:
            return word, [first[pos:].lstrip(" \t\r\n:："), *parts[1:]]
        if first and tail.startswith(first):
            rest = tail[len(first) :]
            if rest in parts[1:4]:
                k = parts.index(rest, 1)
                return word, [*parts[1:k], *parts[k + 1 :]]
    return label, parts


@lru_cache(maxsize=256)
def _tails_of(label: str) -> tuple[tuple[str, str], ...]:
    """:func:`label_tails` of ``label`` as read (spaces and a trailing colon taken out):
    the same few labels (主管部门, 实施单位) on every form."""
    return label_tails(_SPACE.sub("", label).rstrip(":："))


def _spelled(text: str, tail: str) -> int | None:
    """Where ``tail``'s characters, in order and whitespace between them skipped, end at the
    start of ``text``; None when they are not there. (At once when ``text`` starts with
    ``tail``: no whitespace to skip, ``tail`` holding none.)"""
    if text.startswith(tail):
        return len(tail)
    pos = 0
    for ch in tail:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text) or text[pos] != ch:
            return None
        pos += 1
    return pos


def head_label_tail(label: str, value: str) -> tuple[str, str]:
    """A head label and its value, where the label wrapped and its tail was read as the
    start of the value (``主管部门`` | ``及代码 顾村镇`` → ``主管部门及代码``, ``顾村镇``):
    :func:`label_tail_taken` of the value alone."""
    word, parts = label_tail_taken(label, [value])
    return word, parts[0]


_SPACE = re.compile(r"\s+")


def _lacks(form: SelfEvaluation, layout: Layout, own: Sequence[str] = ()) -> None:
    """A gap for each part of ``layout`` the partial reading ``form`` did not give (only
    on layouts that have such parts: nothing is looked at for the others); ``own``: the
    form's lines of the text it was read from (:func:`_fund_columns_lost`)."""
    if layout.checkboxes:
        have = {box.label for box in form.checkboxes if len(box.options) >= 2}
        lost = [label for label in layout.checkboxes if label not in have]
        if lost:
            _gap(
                form,
                "、".join(lost) + "：勾选框未能完整读出（选项或勾选标记与文字分开印出），请核对",
            )
    if layout.fields.level1_weights and _weights_lost(form):
        _gap(form, "一级指标：未读到印出的一级指标分值（如“产出指标(60分)”），表上若有，请核对")
    for label in _fund_columns_lost(form, layout, own):
        _gap(form, f"项目资金：未读到“{label}”一栏的内容，表上若有，请核对")


def _fund_columns_lost(form: SelfEvaluation, layout: Layout, own: Sequence[str]) -> list[str]:
    """The fund columns ``layout`` adds (四川's 原因, 河北's 总体完成率, 北京's 得分计算方法)
    that the form's lines ``own`` show — a word of a line is the column's label or a
    synonym, as a header prints it — and under which no fund row of the reading has a cell.
    LibreOffice's PDF of a workbook may print such a column's cells apart from their rows
    (河北's 总体完成率 and its value among the 一级 / 二级 pieces in ``pdftotext``'s default
    text, 四川's 原因 after 总分 in ``-raw``): which row a cell is of is not in the text, and
    the column was lost with no gap. A form that never had the column shows no such word
    (未完成原因分析 is no 原因), and gets none. A label the indicator table has too (北京's
    得分计算方法) counts only before the table's header (its 三级指标 line)."""
    added = [col for col in layout.fund_columns if col.field is None]
    if not added or not own:
        return []
    have = [key for _, row in form.funds.rows() for key in row.extras]
    lost = []
    for col in added:
        if any(col.matches(key) for key in have):
            continue
        words = col.words()
        lines = own
        if any(ind.matches(w) for ind in layout.indicator_columns for w in words):
            table = next((k for k, line in enumerate(own) if TABLE_ANCHOR in line), len(own))
            lines = own[:table]
        if any(
            col.matches(word)
            for line in lines
            if any(w in line for w in words)
            for word in _WORD_SPLIT.split(line)
        ):
            lost.append(col.label)
    return lost


_WORD_SPLIT = re.compile(r"[\s|]+")


def _weights_lost(form: SelfEvaluation) -> bool:
    """Did the reading give no 一级 weight, or none for a 一级 label its rows name (产出指标's
    (40 / 分) printed on a line with a 二级 label's piece, 分) 数量, and lost with it), or
    rows without their 一级 (LibreOffice's workbook PDF, ``-raw``: the weights read are
    those of the 一级 labels read, the others' lost with their labels), or no rows at all
    (which 一级 labels the form has is not known)?"""
    have = {w.label for w in form.level1_weights}
    # a row whose 一级 the reading lost (empty) may be under a 一级 whose weight went with it
    return (
        not have
        or not form.indicators
        or any(not i.level1 or i.level1 not in have for i in form.indicators)
    )


def _gap(form: SelfEvaluation, gap: str) -> None:
    if gap not in form.gaps:
        form.gaps.append(gap)


def _unmapped_texts(form: SelfEvaluation) -> list[str]:
    """The texts of the cells no field took, and each joined with the next: a header the
    reading could not place still shows its labels (资金来源, 指标值设置依 | 据 wrapped)."""
    texts = [u.text for u in form.unmapped]
    return [*texts, *(a + b for a, b in pairwise(texts))]


def complete_template_fields(form: SelfEvaluation, labels: Iterable[str] = ()) -> SelfEvaluation:
    """``form`` with what its template has in the typed fields (see the module's
    docstring); ``labels`` are the labels the reader saw (主管部门及代码, the headers of the
    fund and indicator tables: signs of the layout the form itself does not keep), and the
    texts of cells it could not place are signs too. Returns the same object."""
    _level1_weights(form)
    _checkboxes(form)
    if not form.layout:
        if form.unmapped:
            labels = [*labels, *_unmapped_texts(form)]
        form.set_checked("layout", recognise(form, labels).layout.id)
    return form


def stacked_labels(lines: list[str]) -> list[str]:
    """The words of text laid out by position (``pdftotext -layout``), each joined with
    the words below it whose columns overlap it (:func:`jixiao.ingest.layout.stacked`):
    单项指 / 标折算 / 得分 → 单项指标折算得分 whole again."""
    return [stack.text for stack in stacked(lines)]


def _signs_again(forms: list[SelfEvaluation], text: str) -> None:
    """Each partial form placed by the national fallback, recognised again with the labels
    its own lines of ``text`` show: the header cells a reading of the rows could not place
    (:func:`_laid_out_labels`), or the labels printed apart from the values that would
    have shown the layout (:func:`_line_labels`)."""
    labels_of = _laid_out_labels if looks_laid_out(text) else _line_labels
    lines: list[str] | None = None
    for form in forms:
        source = form.source
        if not (form.gaps and form.layout == FALLBACK and source and source.start_line):
            continue
        lines = text.split("\n") if lines is None else lines
        own = lines[source.start_line - 1 : source.end_line or len(lines)]
        form.layout = recognise(form, labels_of(own)).layout.id


def _laid_out_labels(own: list[str]) -> list[str]:
    """A form's lines laid out by position, as labels (:func:`stacked_labels`), from its
    项目名称 on: what a text prints before a form is not its (a workbook's summary sheet
    before its first form)."""
    start = next((k for k, line in enumerate(own) if PROJECT_LABEL in line), 0)
    return stacked_labels(own[start:])


_TITLE_WORD = "自评表"  # in the title of every form these readers read
_SIGN_LINE = 16  # a line longer than a layout's longest sign (and its brackets) is none
_HEAD_WORDS = ("名称", "主管部门", "实施单位")  # in the head's labels (项目名称, 部门（单位）名称)


def _line_labels(own: list[str]) -> list[str]:
    """A form's lines not laid out, as labels: each short line alone and joined to the next
    (a label wrapped in its cell: 部门（单 / 位）名称). Only a layout's signs count (部门名称,
    基本支出, 项目支出 …), and as many as it asks for: the fund block whose rows would have
    shown them can be lost while its labels are printed (LibreOffice's Word file in
    ``pdftotext``'s default mode). From its title on, when its head comes after it: what a
    text prints before a form is not its (a workbook's summary sheet before its first form,
    with its 评分等级（填报）)."""
    own = [line.strip() for line in own]
    title = next((k for k, line in enumerate(own) if _TITLE_WORD in line), 0)
    if not any(word in line for line in own[:title] for word in _HEAD_WORDS):
        own = own[title:]
    short = [line if len(line) <= _SIGN_LINE and not line.isascii() else "" for line in own]
    return [*filter(None, short), *(a + b for a, b in pairwise(short) if a and b)]


def finish_layouts(forms: list[SelfEvaluation], text: str = "") -> list[SelfEvaluation]:
    """The partial forms of one file read from ``text``, once every gap of the reading is
    known: each that showed no sign of any layout (placed by the national fallback) is
    recognised again by the labels its own lines show (:func:`_signs_again`), else takes
    the layout every other form of the file was recognised as, when those are more than
    such forms, with a gap saying so (a form whose head or table headers the reading lost
    is most likely written like its siblings); then a gap for each part of its layout the
    reading did not give (:func:`_lacks`). ``forms`` with no gap are returned at once."""
    if not any(form.gaps for form in forms):
        return forms
    if text:
        _signs_again(forms, text)
    strays = [form for form in forms if form.gaps and form.layout == FALLBACK]
    placed = {form.layout for form in forms if form.layout and form.layout != FALLBACK}
    if strays and len(placed) == 1 and len(forms) - len(strays) > len(strays):
        layout = get_layout(next(iter(placed)))
        for form in strays:
            form.layout = layout.id
            form.gaps.append(
                f"版式：本表读出的文字中没有版式的标志，按同一文件中其他表的版式（{layout.name}）"
            )
    lines: list[str] | None = None  # the text's, numbered as the readers number them
    for k, form in enumerate(forms):
        if not (form.gaps and form.layout):
            continue
        layout = get_layout(form.layout)
        own: list[str] = []
        if text and any(col.field is None for col in layout.fund_columns):
            lines = text.splitlines() if lines is None else lines
            own = _own_lines(forms, k, lines)
        _lacks(form, layout, own)
    return forms


def _own_lines(forms: list[SelfEvaluation], k: int, lines: list[str]) -> list[str]:
    """The lines of form ``k`` of ``forms``: from its first line up to the next form's
    first (a cell LibreOffice prints after the last row the reading took is still the
    form's); none for a form with no line span."""
    source = forms[k].source
    start = source.start_line if source else None
    if not start:
        return []
    later = [
        f.source.start_line
        for f in forms[k + 1 :]
        if f.source and f.source.start_line and f.source.start_line > start
    ]
    return lines[start - 1 : min(later) - 1 if later else len(lines)]
