"""Which layout a form is written in, from its content.

A form that names its layout (``SelfEvaluation.layout``) is that layout. Any other form,
or a table not yet read into a form (a grid's cells, or plain texts), is placed by the
signs each declaration's ``[recognise]`` lists: words of the title (3 points), header
labels compared whole (2; 1 for one inside a text of a whole form run together), an
execution 分值 only that layout allows (2), the region of the 主管部门 or 实施单位 (1).
The layout with the most points, at least its ``min_points``, wins (ties: the first in
id order); where none reaches its minimum, the national 2020 template. The answer says
why, in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from operator import itemgetter
from typing import NamedTuple, Protocol

from jixiao.layouts.declaration import (
    FALLBACKS,
    SELF_EVALUATION,
    Document,
    LayoutError,
    all_layouts,
    get_layout,
    label_key,
)
from jixiao.layouts.declaration import Layout as Layout
from jixiao.model import FUND_ROWS, INDICATOR_NUMBER_LABELS, SelfEvaluation
from jixiao.values import normalize

FALLBACK = "national-2020"
# A text this long is a form run together (a doc site's flattening): a label of four or
# more characters inside it counts 1 point, not the 2 of a cell that is the label.
FLAT_CHARS = 200


class _CellLike(Protocol):
    text: str


class GridLike(Protocol):
    """A table as :mod:`jixiao.ingest.grid` has it: cells with text."""

    cells: list[_CellLike]  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class Placement:
    """A form's layout and why (Chinese): ``points`` is 0 where the form named it."""

    layout: Layout
    reason: str
    points: int = 0


class _Signs(NamedTuple):
    """A form's or a table's signs of its layout. A tuple: made, hashed and compared (the
    key of :func:`_placed`'s cache) in C, not by a dataclass's Python methods."""

    texts: frozenset[str]  # label keys of every header, extras key, row label
    titles: tuple[str, ...]  # normalized long texts (the title, title-like cells)
    execution_weight: Decimal | None
    places: tuple[str, ...]  # 主管部门, 实施单位 (and region words of a grid)
    flat: tuple[str, ...] = ()  # texts of a whole form run together (FLAT_CHARS and more)


def _form_signs(form: SelfEvaluation, labels: Iterable[str] = ()) -> _Signs:
    keys: set[str] = {label_key(t) for t in labels if t}
    funds = form.funds
    kept = [form.extras, funds.extras, *(getattr(funds, name).extras for name in FUND_ROWS)]
    kept += (row.extras for row in funds.extras.values())
    for mapping in kept:
        if mapping:  # (most forms keep nothing: asked at once)
            keys.update(map(label_key, mapping))
    if form.checkboxes:
        keys.update(label_key(c.label) for c in form.checkboxes)
    rows = [ind.__dict__ for ind in form.indicators]
    for extras in filter(None, map(_EXTRAS, rows)):  # (most rows keep none)
        keys.update(map(label_key, extras))
    for field, word in _NUMBER_FIELDS:
        # some row has that number: not all are None (counted in C, not row by row)
        if list(map(field, rows)).count(None) < len(rows):
            keys.add(word)
    if form.grade:
        keys.add("评分等级")
    return _Signs(
        texts=frozenset(keys & _sign_keys()),  # only what some layout looks for: one key
        # for the forms of a file, whatever else their columns hold
        titles=(_normalized(form.title),),
        execution_weight=funds.total.weight,
        places=(form.department, form.unit),
    )


# The indicator's number fields a layout adds (their getters from a row's ``__dict__``),
# and the label each is a sign of; the getter of a row's added columns.
_NUMBER_FIELDS = tuple((itemgetter(field), word) for field, word in INDICATOR_NUMBER_LABELS.items())
_EXTRAS = itemgetter("extras")


@lru_cache(maxsize=256)
def _normalized(title: str) -> str:
    """:func:`normalize` of a form's title (the same few titles on every form)."""
    return normalize(title)


def _text_signs(texts: Iterable[str]) -> _Signs:
    keys: set[str] = set()
    titles: list[str] = []
    for text in texts:
        if not text:
            continue
        keys.add(label_key(text))
        t = normalize(text)
        if "表" in t or len(t) >= 6:
            titles.append(t)
    # A grid's 主管部门 / 实施单位 are cells like any other: its region words are its texts.
    flat = tuple(t for t in titles if len(t) >= FLAT_CHARS)
    return _Signs(frozenset(keys), tuple(titles), None, tuple(titles), flat)


@dataclass(frozen=True, slots=True)
class _Signals:
    """One layout's ``[recognise]``, prepared once: normalized words, label keys, regexes."""

    layout: Layout
    titles: tuple[tuple[str, str], ...]  # (as declared, normalized)
    labels: tuple[tuple[str, str], ...]  # (as declared, label key)
    regions: tuple[re.Pattern[str], ...]
    # the regions in one pattern (``(?:北京)|(?:湖北)``): it finds a match in a text where one
    # of them does, in one search; None: the layout has none
    region: re.Pattern[str] | None
    weights: frozenset[Decimal]  # execution 分值 only this family allows


@cache
def _signals(document: Document = SELF_EVALUATION) -> tuple[_Signals, ...]:
    layouts = all_layouts(document)
    common = {w for x in layouts if not x.recognise.execution_weight for w in x.execution.weights}
    out = []
    for layout in layouts:
        rec = layout.recognise
        own = set(layout.execution.weights) - common if rec.execution_weight else set()
        out.append(
            _Signals(
                layout,
                tuple((w, normalize(w)) for w in rec.title),
                tuple((w, label_key(w)) for w in rec.labels),
                tuple(re.compile(p) for p in rec.regions),
                re.compile("|".join(f"(?:{p})" for p in rec.regions)) if rec.regions else None,
                frozenset(own),
            )
        )
    return tuple(out)


@cache
def _sign_keys() -> frozenset[str]:
    """The label keys any layout's ``[recognise]`` lists."""
    return frozenset(key for sig in _signals() for _, key in sig.labels)


def _points_but_region(
    sig: _Signals,
    texts: frozenset[str],
    titles: tuple[str, ...],
    weight: Decimal | None,
    flat: tuple[str, ...],
) -> tuple[int, tuple[str, ...]]:
    """The points the signs other than the places (the title, the labels, the execution
    分值) give the layout of ``sig``, and why (Chinese, in order)."""
    found: list[str] = []
    points = 0
    for word, w in sig.titles:
        if any(w in t for t in titles):
            points += 3
            found.append(f"标题含“{word}”")
    for label, key in sig.labels:
        if key in texts:
            points += 2
            found.append(f"有“{label}”栏")
        elif len(key) >= 4 and any(key in t for t in flat):
            points += 1
            found.append(f"连排文字中有“{label}”")
    if weight is not None and weight in sig.weights:
        points += 2
        found.append(f"预算执行分值为 {weight}")
    return points, tuple(found)


@lru_cache(maxsize=1024)
def _apart_from_places(
    texts: frozenset[str],
    titles: tuple[str, ...],
    weight: str | None,
    flat: tuple[str, ...],
    document: Document,
) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """:func:`_points_but_region` for each layout of ``document`` (cached: the forms of a
    file, of many units, show the same labels and title); ``weight``: the execution 分值 as
    written (10 and 10.00 are equal numbers, but each is named as it is written)."""
    number = None if weight is None else Decimal(weight)
    return tuple(_points_but_region(sig, texts, titles, number, flat) for sig in _signals(document))


@lru_cache(maxsize=4096)
def _regions_in(place: str, document: Document) -> tuple[bool, ...]:
    """For each layout of ``document``: does one of its regions show in ``place`` (cached:
    a 主管部门 heads the forms of many units)?"""
    return tuple(
        sig.region is not None and sig.region.search(place) is not None
        for sig in _signals(document)
    )


def _place(signs: _Signs, document: Document = SELF_EVALUATION) -> Placement:
    """The best layout of ``document`` for ``signs`` (:func:`_placed`): the regions that show
    in its places found first (cached by place), so that the placement is cached by what
    they show, not by the places (a 实施单位 is new form after form; what its regions show
    is not)."""
    weight = signs.execution_weight
    regions = [_regions_in(p, document) for p in signs.places if p]
    # layout by layout: does one of its regions show in some place
    shown = tuple(map(any, zip(*regions, strict=True)))
    return _placed(
        signs.texts,
        signs.titles,
        None if weight is None else str(weight),
        signs.flat,
        shown,
        document,
    )


@lru_cache(maxsize=1024)
def _placed(
    texts: frozenset[str],
    titles: tuple[str, ...],
    weight: str | None,
    flat: tuple[str, ...],
    shown: tuple[bool, ...],
    document: Document,
) -> Placement:
    """:func:`_place` (cached: the forms of one file show the same signs), from the points
    of all but the places (cached apart from them) and, for each layout, whether one of its
    regions shows in a place (``shown``; empty when the form names no place): a region that
    shows is worth 1 point more. ``weight``: the execution 分值 as written."""
    apart = _apart_from_places(texts, titles, weight, flat, document)
    best: tuple[int, Layout, list[str]] | None = None
    for k, sig in enumerate(_signals(document)):
        points, found = apart[k]
        if shown and shown[k]:
            points, found = points + 1, (*found, "地区相符")
        if points < sig.layout.recognise.min_points:
            continue
        if best is None or points > best[0]:
            best = (points, sig.layout, list(found))
    if best is None:
        return Placement(get_layout(FALLBACKS[document]), "未见其他版式的标志，按全国通用版式", 0)
    points, layout, reasons = best
    return Placement(layout, "按内容识别：" + "、".join(reasons), points)


def recognise(
    item: SelfEvaluation | GridLike | Iterable[str], labels: Iterable[str] = ()
) -> Placement:
    """The layout of a form, a grid (``.cells`` with ``.text``) or a table's texts, by its
    content (never by a layout the form names: :func:`layout_of` honours that). For a form,
    ``labels`` are the header labels its reader saw (主管部门及代码), signs as well."""
    if isinstance(item, SelfEvaluation):
        return _place(_form_signs(item, labels))
    cells = getattr(item, "cells", None)
    if cells is not None:
        return _place(_text_signs(c.text for c in cells))
    return _place(_text_signs(item))  # type: ignore[arg-type]


def recognise_plan(texts: GridLike | Iterable[str], document: Document) -> Placement:
    """The layout of a 申报表 or 监控表 (``document``) from its grid or its texts, among
    that document's layouts only (the 自评表's recognition never looks at them)."""
    cells = getattr(texts, "cells", None)
    if cells is not None:
        return _place(_text_signs(c.text for c in cells), document)
    return _place(_text_signs(texts), document)  # type: ignore[arg-type]


def named_layout(layout_id: str | None, document: Document) -> Layout | None:
    """The declared layout of ``document`` a document names, or None (none named, not
    declared, or a layout of another document)."""
    if not layout_id:
        return None
    try:
        layout = get_layout(layout_id)
    except LayoutError:
        return None
    return layout if layout.document == document else None


def layout_of(form: SelfEvaluation) -> Placement:
    """The form's layout: the one it names, else the one its content shows."""
    if form.layout:
        layout = named_layout(form.layout, SELF_EVALUATION)
        if layout is not None:
            return Placement(layout, "表上注明的版式")
        placed = recognise(form)
        return Placement(placed.layout, f"表上注明的版式 {form.layout!r} 未声明；{placed.reason}")
    return recognise(form)
