"""Rows of an indicator table with text columns beyond the seed's three, in flattened text.

北京's 得分计算方法, 湖北's 改进措施及结果应用方案, 四川's 指标性质 / 度量单位 and 新疆's six come
between 实际完成值 and 分值. ``pdftotext -raw`` of jixiao's PDF prints a row's cells in column
order, each cell's lines together, and jixiao centres a row's text cells, so:

- the cells of one line (not wrapped) stand on one baseline and share a printed line, parted
  by spaces (no two of them are printed on lines of their own one after the other), and a
  line of several words holds only such cells;
- a wrapped cell's lines each hold one word, and every line but its last is full: it had no
  room for the next line's first printed piece (:func:`V.printed_head`);
- each column has one width over the whole table: no line of it is wider, and every line
  of it that wrapped, with the next line's first piece, is wider.

A row's lines (before its numbers line) and the words before 分值 on its numbers line are
read as cells only where those facts leave one reading (:func:`read_rows`): a row whose
structure alone leaves one reading gives its columns' widths bounds, which may leave one
reading of another row, until nothing changes. Where more than one reading stays, or an
added column is empty in some rows and which one is not told (四川's 定性 rows: four cells for
five columns), the row is not read (None) and the caller names it in a gap. A width is
measured as a PDF renderer sets it, give or take half a unit a half-width character.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from jixiao.ingest import vocabulary as V

SEED_CELLS = 3  # 三级指标, 年度指标值, 实际完成值: never empty (as the seed's reader takes them)

INF = 1 << 30

# Readings of one row looked at, at most: a row that has more is not read (a gap), so no
# text makes the reader slow.
MOST_READINGS = 100
MOST_STEPS = 500  # … and steps of looking for them


def _error(text: str, width: int) -> int:
    """How far the measured width of ``text`` may be off the printed one: half a unit for
    each half-width character, rounded up (a CJK character is a whole unit, as printed;
    digits and Latin letters are proportional)."""
    return (2 * len(text) - width + 1) // 2


@lru_cache(maxsize=4096)
def _line(text: str) -> tuple[int, int]:
    """(at least, at most) the printed width of a line."""
    width = V.text_width(text)
    error = _error(text, width)
    return width - error, width + error


@lru_cache(maxsize=4096)
def _head(text: str) -> int:
    """At most the printed width of a line's first piece."""
    head = V.printed_head(text)
    width = V.text_width(head)
    return width + _error(head, width)


@dataclass(frozen=True, slots=True)
class _Cell:
    """A cell's lines and the bounds they put on its column's width: at least ``lo``, less
    than ``hi`` (a wrapped line and the next line's first piece did not fit)."""

    lines: tuple[str, ...]
    lo: int
    hi: int


@lru_cache(maxsize=8192)
def _cell(lines: tuple[str, ...]) -> _Cell | None:
    """The cell of ``lines``; None when they cannot be one cell (a line but its last not
    full by the cell's own widest line)."""
    lo = max(_line(text)[0] for text in lines)
    hi = INF
    for a, b in pairwise(lines):
        hi = min(hi, _line(a)[1] + _head(b))
    return _Cell(lines, lo, hi) if lo < hi else None


# A reading of a row: its cells in order, each a single line's word or a wrapped cell, and
# the columns they stand in (the seed's three, then some of the added ones, in order).
Reading = tuple[_Cell, ...]
Placed = tuple[Reading, tuple[int, ...]]


class _Table:
    """The columns' bounds as read so far: each column's width at least ``lo`` and less
    than ``hi``, and what each added column may hold (``labels``, folded:
    :func:`V.added_cell_fits`)."""

    def __init__(self, labels: tuple[str, ...]) -> None:
        self.labels = tuple(V.fold(label) for label in labels)
        self.n = SEED_CELLS + len(labels)
        self.operators = "指标性质" in self.labels
        self.lo, self.hi = [0] * self.n, [INF] * self.n

    def fits(self, cell: _Cell, c: int) -> bool:
        """May ``cell`` stand in column ``c``: within its bounds, holding what it may?"""
        if max(self.lo[c], cell.lo) >= min(self.hi[c], cell.hi):
            return False
        text = "".join(cell.lines)
        if c < SEED_CELLS:  # (an operator alone is the 指标性质's, where the table has one)
            return not (self.operators and text in V.GRID_OPERATORS)
        return V.added_cell_fits(self.labels[c - SEED_CELLS], text)

    def after(self, cols: tuple[int, ...]) -> range:
        """The columns the next cell may stand in: the next seed column, or any added
        column after the last one taken (those between are empty)."""
        c = cols[-1] + 1 if cols else 0
        return range(c, c + 1) if c < SEED_CELLS else range(c, self.n)


def _readings(lines: list[str], tail: list[str], table: _Table) -> set[Placed] | None:
    """Every reading of a row's ``lines`` and the words ``tail`` before 分值 on its numbers
    line as cells in columns, by the facts above and the columns' bounds as read so far
    (``table``); None when there are more than :data:`MOST_READINGS` or looking for them
    takes more than :data:`MOST_STEPS` steps (the row is looked at again once other rows
    have narrowed the bounds)."""
    words = [text.split() for text in lines]
    n = table.n
    out: set[Placed] = set()
    last = [_cell((w,)) for w in tail]  # (a single line is always a cell)
    steps = 0
    least = _fewest(lines, words, len(tail))
    # a unit on its own after a number (不高于 / 1304215.90 / 元) begins no cell: the number's
    joined = {
        i
        for i in range(1, len(lines))
        if lines[i - 1].rstrip()[-1:].isdigit() and V.UNIT_ALONE.match(lines[i].strip())
    }

    def put(cells: list[_Cell], acc: Reading, cols: tuple[int, ...], then: int) -> Iterator[Placed]:
        """``cells`` one after the other in the columns they may stand in, with room left
        for ``then`` cells after them."""
        if not cells:
            yield acc, cols
            return
        head, rest = cells[0], cells[1:]
        for c in table.after(cols):
            if n - c - 1 < len(rest) + then:
                break  # (no room left for the cells still to come)
            if table.fits(head, c):
                yield from put(rest, (*acc, head), (*cols, c), then)

    def walk(i: int, acc: Reading, cols: tuple[int, ...], single: bool) -> bool:
        """Look on from line ``i``; False once there are too many readings."""
        nonlocal steps
        steps += 1
        if len(out) > MOST_READINGS or steps > MOST_STEPS:
            return False
        if len(cols) + least[single][i] > n or i in joined:
            return True  # (more cells to come than columns left, or none begins here)
        if i == len(lines):
            if not (single and tail):
                for placed in put([x for x in last if x is not None], acc, cols, 0):
                    if len(placed[1]) >= SEED_CELLS:
                        out.add(placed)
            return True
        if not single:  # this line's words are cells of one line each
            cells = [x for w in words[i] if (x := _cell((w,)))]
            for acc2, cols2 in put(cells, acc, cols, least[True][i + 1]):
                if not walk(i + 1, acc2, cols2, True):
                    return False
        for e in range(i + 1, len(lines)):  # a cell wrapped over lines i … e
            if len(words[e - 1]) != 1 or len(words[e]) != 1:
                break
            cell = _cell(tuple(lines[i : e + 1]))
            if cell is None:
                break  # (a line that is not full ends every longer cell too)
            for k in table.after(cols):
                if n - k - 1 < least[False][e + 1]:
                    break
                if table.fits(cell, k) and not walk(e + 1, (*acc, cell), (*cols, k), False):
                    return False
        return True

    if not walk(0, (), (), False) or len(out) > MOST_READINGS:
        return None  # (a row with too many readings is not read, yet)
    return out


def _fewest(lines: list[str], words: list[list[str]], tail: int) -> tuple[list[int], list[int]]:
    """The fewest cells the lines from each on (and the ``tail`` words after them) may be
    read as, by the facts above bar the widths; [False] after a wrapped cell (or at the
    start), [True] after a line of cells of one line each. :data:`INF` where none."""
    count = len(lines)
    after_cell = [INF] * (count + 1)
    after_single = [INF] * (count + 1)
    after_cell[count] = tail
    after_single[count] = INF if tail else 0
    for i in range(count - 1, -1, -1):
        best = INF
        for e in range(i + 1, count):  # a cell wrapped over lines i … e
            if len(words[e - 1]) != 1 or len(words[e]) != 1:
                break
            if _cell(tuple(lines[i : e + 1])) is None:
                break
            best = min(best, 1 + after_cell[e + 1])
        after_single[i] = best
        after_cell[i] = min(best, len(words[i]) + after_single[i + 1])
    return after_cell, after_single


def _header_bounds(labels: tuple[str, ...], pieces: list[str]) -> list[_Cell | None]:
    """The added columns' labels as the header prints them, a piece a line (资金来 / 源 …,
    ``pieces``, in order): each label's cell, whose lines bound its column's width as a
    row's cell does; None for each where the pieces do not spell the labels in order."""
    out: list[_Cell | None] = []
    k = 0
    for label in labels:
        acc, start = "", k
        while k < len(pieces) and len(acc) < len(label):
            acc += V.fold(pieces[k])
            k += 1
        if acc != label:
            return [None] * len(labels)
        out.append(_cell(tuple(pieces[start:k])))
    return out


def read_rows(
    rows: list[tuple[list[str], list[str]]],
    labels: tuple[str, ...],
    pieces: list[str] | None = None,
) -> list[list[str] | None]:
    """Each row's cells (三级指标, 年度指标值, 实际完成值, then the columns of ``labels``, the
    ones the header adds; an empty added cell ""), from its lines and the words before 分值
    on its numbers line; None for a row the text does not decide: more than one reading
    fits, in cells or in the columns they stand in, by the columns' widths and what each
    added column may hold (:func:`V.added_cell_fits`: 四川's 定性 row has four cells for
    five columns, and 定性 is a 指标性质, never a 度量单位). ``pieces``: the added labels as
    the header prints them, a piece a line, whose wrapping bounds their columns' widths
    too."""
    table = _Table(labels)
    lo, hi = table.lo, table.hi
    if pieces:
        for c, cell in enumerate(_header_bounds(labels, pieces), start=SEED_CELLS):
            if cell is not None:
                lo[c], hi[c] = cell.lo, cell.hi
    decided: list[list[str] | None] = [None] * len(rows)
    changed = True
    while changed:
        changed = False
        for r, (lines, tail) in enumerate(rows):
            if decided[r] is not None:
                continue
            fit = _readings(lines, tail, table)
            if fit is None:
                continue
            texts = {(tuple("".join(c.lines) for c in x), cols) for x, cols in fit}
            if len(texts) != 1:
                continue
            [(cells, cols)] = texts
            row = [""] * table.n
            for c, text in zip(cols, cells, strict=True):
                row[c] = text
            decided[r] = row
            if len(fit) == 1:  # (readings that agree in text may not in their lines)
                [(x, cols)] = fit
                for c, cell in zip(cols, x, strict=True):
                    if cell.lo > lo[c] or cell.hi < hi[c]:
                        lo[c], hi[c] = max(lo[c], cell.lo), min(hi[c], cell.hi)
                        changed = True
    return decided
