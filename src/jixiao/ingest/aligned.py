"""Indicator tables of flattenings that drop, pad or wrap cells, read by aligning the cells
to the header's columns (a stage of :mod:`jixiao.ingest.rows`).

Real forms of other provinces come flattened in ways that keep the cells' order but not
their count: a blank cell may vanish (cells parted by spaces, an HTML table flattened to
``|`` rows), rows may be padded with empty cells (``||||||``), the 一级 / 二级 cells are
merged over several rows, a template's unused rows (``指标2`` / ``……``) are kept, and the
text may stop mid-row (a page cut off by its source). The strict reader of
:mod:`jixiao.ingest.rows` wants every row whole; this one finds the rows by the *kind* of
each cell:

- :func:`header_columns` reads the header, wrapped (``年度`` … ``指标值``) or in two rows
  (``绩效指标 | 年度指标值 | … | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位``),
  with the columns the template lacks (指标性质, 度量单位, 得分计算方法 …);
- :func:`align_rows` cuts the cells into rows, each cell to a column, at the least cost:
  a level label only under 一级 / 二级, a number (or a dash) under 分值 / 得分, an
  operator under 指标性质; a column may be skipped (its blank cell was dropped) and an
  empty cell may be padding, each at a cost. The cheapest reading wins (dynamic
  programming over (cell, column)); a row ends after its last column (read or skipped),
  or right after its 二级 (a 二级 printed with no 三级 under it); a 一级 printed between
  its rows (centred in its merge) is theirs.

What it cannot read is said, never filled: a row cut by the end of the text loses its last
(cut) cell, and the caller names the gap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.ingest import vocabulary as V
from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.values import level_of

_IND_COL = {k: re.compile("^(?:" + "|".join(p) + ")$") for k, p in V.GRID_INDICATOR_COLUMNS.items()}
_EXTRA_COL = re.compile("^(?:" + "|".join(V.GRID_INDICATOR_EXTRA_COLUMNS) + ")$")
_BLOCK = re.compile(r"^绩效指标$|^指标$")
_LEVEL1_WEIGHT = re.compile(r"^(.{1,8}指标)\(\d+(?:\.\d+)?分\)$")
_LEVEL = re.compile(r"^.{1,10}指标等?$")
EXTRA = "extra"  # the key of a column the template lacks


@lru_cache(maxsize=8192)
def label(text: str) -> str:
    return V.grid_label(text).replace(" ", "")


@lru_cache(maxsize=4096)  # (asked of the texts around every indicator header)
def column_key(text: str) -> str | None:
    """The model's key of an indicator column's header, :data:`EXTRA` for a column the
    template lacks, None for text that is no indicator column."""
    f = label(text)
    if not f:
        return None
    for key, pattern in _IND_COL.items():
        if pattern.match(f):
            return key
    return EXTRA if _EXTRA_COL.match(f) else None


def level_name(text: str) -> str:
    """A 一级 / 二级 label as the template names it: a wrap inside the cell joined, a
    printed weight dropped (``产出指标(50分)`` → ``产出指标``)."""
    f = label(text)
    m = _LEVEL1_WEIGHT.match(f)
    return m.group(1) if m else f


@lru_cache(maxsize=8192)
def is_level1(text: str) -> bool:
    f = level_name(text)
    return f in V.LEVEL1_LABELS or (bool(_LEVEL1_WEIGHT.match(label(text))))


@lru_cache(maxsize=8192)
def is_level2(text: str) -> bool:
    """A 二级 label: the vocabulary's, or another "…指标" (进度指标) that states no degree
    of completion (达成指标, 未达成年度指标: a 实际完成值)."""
    f = level_name(text)
    return f in V.LEVEL2_LABELS or (bool(_LEVEL.match(f)) and level_of(f) is None)


def _next_level1(text: str, level1: str) -> bool:
    """A cell read in the 二级 column is the next 一级, not a 二级 under ``level1``: a 一级
    label that is no 二级 label (效益指标 after 产出指标's rows, its wrapped 二级 社会效益指标
    printed elsewhere). 成本指标, a 二级 under 产出指标 in the 2020 template, is not."""
    return text in V.LEVEL1_LABELS and text not in V.LEVEL2_LABELS and text != level1


@dataclass(frozen=True, slots=True)
class Header:
    """The indicator columns in order: their keys and their header texts; ``used`` is how
    many cells of the text the header took."""

    keys: tuple[str, ...]
    texts: tuple[str, ...]
    used: int


def header_columns(texts: Sequence[str]) -> Header | None:
    """The indicator header at the start of ``texts`` (cells in reading order), or None."""
    run: list[tuple[str | None, str]] = []
    k = 0
    while k < len(texts):
        t = texts[k]
        key = column_key(t)
        f = label(t)
        if key is None and not _BLOCK.match(f) and not _fragment(f):
            break
        run.append((key, t))
        k += 1
    used = k
    # a wrapped header: "年度" … "指标值" (joined with the first later cell that makes a label)
    joined: list[tuple[str | None, str]] = []
    taken: set[int] = set()
    for i, (key, t) in enumerate(run):
        if i in taken:
            continue
        if key is None and not _BLOCK.match(label(t)):
            for j in range(i + 1, len(run)):
                if j in taken or run[j][0] not in (None, "target", "actual"):
                    continue
                both = label(t) + label(run[j][1])
                whole = column_key(both)
                if whole is not None and whole != EXTRA:
                    joined.append((whole, t + run[j][1]))
                    taken.add(j)
                    break
            continue
        joined.append((key, t))
    # two header rows read one after the other: the second's 一级 / 二级 / 三级 go under
    # 绩效指标 and its other labels under 年度指标值
    split = next(
        (i for i, (key, _) in enumerate(joined) if key == "level1" and i > 0),
        None,
    )
    if split is not None and any(_BLOCK.match(label(t)) for _, t in joined[:split]):
        top, below = joined[:split], joined[split:]
        levels = [c for c in below if c[0] in ("level1", "level2", "name")]
        values = [c for c in below if c[0] not in ("level1", "level2", "name")]
        merged: list[tuple[str | None, str]] = []
        for key, t in top:
            if _BLOCK.match(label(t)):
                merged += levels
                levels = []
            elif key == "target" and values:
                merged += values
                values = []
            else:
                merged.append((key, t))
        joined = merged + levels + values
    cols = [(key, t) for key, t in joined if key is not None]
    keys: list[str] = []
    for key, _ in cols:
        keys.append(EXTRA if key in keys and key != EXTRA else key)
    if "name" not in keys or not {"weight", "score"} & set(keys):
        return None
    return Header(tuple(keys), tuple(t for _, t in cols), used)


_FRAGMENTS = ("年度", "实际", "全年", "年初", "本年")


def _fragment(f: str) -> bool:
    return f in _FRAGMENTS


# ----------------------------------------------------------------------------- rows

INF = float("inf")
_DOUBTED = ("name", "target", "actual", "weight", "score")
# The indicator columns that hold a number: 分值, 得分, 权重占比, 折算得分
NUMBER_COLUMNS = ("weight", "score", "share", "adjusted_score")
PAD = 0.25  # an empty cell that belongs to no column (padding of a flattened row)
EMPTY_LEVEL2 = 2.5  # a row that ends right after its 二级: a 二级 with no 三级
LONE_LEVEL1 = 1.0  # a 一级 cell printed between its rows (centred in a merge)


@lru_cache(maxsize=16384)  # asked of a cell's text under each column it may stand in
def _is_number(text: str) -> bool:
    try:
        return parse_amount(text) is not None
    except NotANumber:
        return False


def _blank(text: str) -> bool:
    return not text.strip()


def _dash(text: str) -> bool:
    return text.strip() in V.NULL_TOKENS


@lru_cache(maxsize=16384)
def _fit(key: str, head: str, text: str) -> float:
    """What it costs to read ``text`` as the cell under a column (INF: it cannot be). An
    empty cell costs less under a column than as padding (:data:`PAD`), but for 三级指标."""
    blank = _blank(text)
    if key in ("level1", "level2") and blank:
        return 0.05  # a merged cell, printed empty on the rows it spans below its first
    if key == "level1":
        return 0.0 if is_level1(text) else INF
    if key == "level2":
        return 0.0 if is_level2(text) else INF
    level = not blank and (is_level1(text) or is_level2(text))
    placeholder = bool(V.GRID_PLACEHOLDER_NAME.match(label(text)))
    if key == "name":
        if blank:
            return 1.5
        return 4.0 if level else INF if _is_number(text) else 0.0
    if key in NUMBER_COLUMNS:
        if blank or _dash(text):
            return 0.2
        return 0.0 if _is_number(text) and "%" not in text else INF
    if blank:
        return 0.05 if key == "deviation" else 0.1
    if level:
        return 3.0
    if placeholder:
        return 2.0
    if key == "deviation":
        return 0.2
    if key == EXTRA:
        f = label(head)
        if f == "指标性质":
            return 0.0 if text.strip() in V.GRID_OPERATORS else INF
        if f.endswith("单位"):
            return 0.2 if len(text.strip()) <= 6 and not _is_number(text) else 3.0
    return 0.0


@lru_cache(maxsize=64)
def _fitter(keys: tuple[str, ...], heads: tuple[str, ...]) -> Callable[[str], tuple[float, ...]]:
    """For a header's columns: what it costs to read a text under each (:func:`_fit`),
    remembered by the text (a table's cells repeat their texts from form to form)."""

    @lru_cache(maxsize=8192)
    def fits(text: str) -> tuple[float, ...]:
        return tuple(_fit(key, head, text) for key, head in zip(keys, heads, strict=True))

    return fits


def _skip(key: str, head: str) -> float:
    """What it costs to read no cell under a column (its blank cell was dropped)."""
    if key in ("level1", "level2"):
        return INF
    if key == "name":
        return 3.0
    if key in NUMBER_COLUMNS:
        return 2.5
    if key == "deviation":
        return 0.3
    if key == EXTRA:
        return 0.8
    return 1.5


@dataclass(slots=True)
class AlignedRow:
    """One row: its cells as (column, index of the text) and its 一级 / 二级 as read or
    taken from the rows above."""

    cells: list[tuple[int, int]]
    level1: str = ""
    level2: str = ""
    skipped: list[int] = field(default_factory=list)  # columns read with no cell at all
    guessed: str = ""  # the 一级 taken from one printed after the row, when it is a doubt
    # the row starts a 一级 printed where its 二级 stands: its 二级 was printed elsewhere
    # (LibreOffice's second pass draws a wrapped one after the table), read from there
    # (:meth:`jixiao.ingest.rows.RowBuilder.levels_decided`) or not at all
    level2_elsewhere: bool = False

    def doubtful(self, keys: Sequence[str], blanks_kept: bool) -> list[str]:
        """The columns of the row that had no cell: a cell of the form the flattening
        dropped, so the row is a guess there. Where the flattening keeps its empty cells
        (``blanks_kept``) every such column; else those a blank is rarely dropped from."""
        return [keys[c] for c in self.skipped if blanks_kept or keys[c] in _DOUBTED]


def align_rows(
    keys: Sequence[str], heads: Sequence[str], texts: Sequence[str]
) -> list[AlignedRow] | None:
    """The rows of an indicator table's cells ``texts`` under columns ``keys`` (header
    texts ``heads``), or None when no reading fits."""
    n, m = len(keys), len(texts)
    name_col = keys.index("name")
    starts = [c for c in range(n) if c <= name_col and all(k != "name" for k in keys[:c])]
    fit = list(map(_fitter(tuple(keys), tuple(heads)), texts))
    skip = [_skip(keys[c], heads[c]) for c in range(n)]
    blank = [_blank(t) for t in texts]
    lone = [is_level1(t) and not blank[i] for i, t in enumerate(texts)]
    # best[i][c]: least cost with texts[:i] read and the current row at column c;
    # column n means "between rows".
    best = [[INF] * (n + 1) for _ in range(m + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None] * (n + 1) for _ in range(m + 1)]
    best[0][n] = 0.0

    # (each move below relaxes a state in place: taken when it costs less than the state's
    # best by more than 1e-12, the later of equal moves losing; spelled out, not a call)
    empty_at = name_col if any(k == "level2" for k in keys[:name_col]) else -1

    def moves_in_place(i: int) -> None:
        """Moves that read no text: skip a column, end the row, end it after its 二级."""
        at, came = best[i], back[i]
        for c in range(n):
            here = at[c]
            if here == INF:
                continue
            if c == empty_at and here + EMPTY_LEVEL2 < at[n] - 1e-12:
                at[n], came[n] = here + EMPTY_LEVEL2, (i, c, "empty")
            if skip[c] < INF and here + skip[c] < at[c + 1] - 1e-12:
                at[c + 1], came[c + 1] = here + skip[c], (i, c, "skip")

    for i in range(m + 1):
        moves_in_place(i)
        at, came = best[i], back[i]
        started = False
        if at[n] < INF:  # between rows: a row starts at a leading column
            for s in starts:
                if at[n] + 0.05 * s < at[s] - 1e-12:
                    at[s], came[s] = at[n] + 0.05 * s, (i, n, "start")
                    started = True
        if started:  # (else the moves in place changed nothing: they were all taken)
            moves_in_place(i)
        if i == m:
            break
        to, went = best[i + 1], back[i + 1]
        gap = blank[i]
        if at[n] < INF:
            if gap and at[n] + PAD < to[n] - 1e-12:
                to[n], went[n] = at[n] + PAD, (i, n, "pad")
            if lone[i] and at[n] + LONE_LEVEL1 < to[n] - 1e-12:
                to[n], went[n] = at[n] + LONE_LEVEL1, (i, n, "lone")
        fits = fit[i]
        for c in range(n):
            here = at[c]
            if here == INF:
                continue
            if fits[c] < INF and here + fits[c] < to[c + 1] - 1e-12:
                to[c + 1], went[c + 1] = here + fits[c], (i, c, "cell")
            if gap and here + PAD < to[c] - 1e-12:
                to[c], went[c] = here + PAD, (i, c, "pad")
    # the text may stop mid-row (cut off by its source): any column is an end
    # (but not for free: the columns it leaves count half their cost, so that the whole
    # reading of a row that is there is taken over a cut one)
    rest = [sum(x for x in skip[c:] if x < INF) / 2 for c in range(n)] + [0.0]
    final = min(range(n + 1), key=lambda c: (best[m][c] + rest[c], c != n))
    if best[m][final] == INF:
        return None
    steps: list[tuple[int, int, str]] = []
    i, c = m, final
    while (step := back[i][c]) is not None:
        steps.append(step)  # (the state before: its text index and column, the move)
        i, c = step[0], step[1]
    steps.reverse()
    rows: list[AlignedRow] = []
    lone_after: dict[int, str] = {}  # a lone 一级 read after this many rows
    for i, c, what in steps:
        if what == "start":
            rows.append(AlignedRow([]))
        elif what == "cell":
            rows[-1].cells.append((c, i))
        elif what == "skip" and rows:
            rows[-1].skipped.append(c)
        elif what == "lone":
            lone_after[len(rows)] = label(texts[i])
    l1_col = keys.index("level1") if "level1" in keys else -1
    l2_col = keys.index("level2") if "level2" in keys else -1
    level1 = level2 = ""
    for k, row in enumerate(rows):
        if k in lone_after:
            level1 = lone_after[k]
            for before in rows[:k]:
                before.level1 = before.level1 or level1
        cols = {c: texts[i] for c, i in row.cells if texts[i].strip()}
        if l1_col in cols:
            level1, level2 = label(cols[l1_col]), ""  # a printed weight kept: level1_weights
        if l2_col in cols:
            level2 = level_name(cols[l2_col])
            if l1_col >= 0 and l1_col not in cols and _next_level1(level2, level1):
                level1, level2 = level2, ""
                row.level2_elsewhere = True
        row.level1, row.level2 = level1, level2
    if len(rows) in lone_after:
        for before in rows:
            before.level1 = before.level1 or lone_after[len(rows)]
    # rows at the table's start with no 一级: the first one printed (a merged cell's text
    # centred on its rows comes after the first of them)
    first = next((row.level1 for row in rows if row.level1), "")
    for row in rows:
        if row.level1:
            break
        row.level1 = first
        if is_level1(row.level2):
            # its 二级 may as well be its 一级 (成本指标), its own 二级 printed elsewhere
            row.guessed = first
    return rows
