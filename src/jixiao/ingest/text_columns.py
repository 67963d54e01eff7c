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
reading of another row, until nothing changes. Which added column is empty in a row with
fewer cells than columns is told by what each column may hold (:func:`V.added_cell_fits`:
四川's 定性 rows, four cells for five columns, have 定性 in 指标性质, 度量单位 empty). Where
more than one reading stays, the row is not read (None) and the caller names it in a gap.
Widths are in thousandths of an em, each line's between bounds of its characters'
advances in the fonts forms are printed in (:func:`V.width_bounds`); a line that did not
fit had no room for the next line's first piece and, beside a Latin letter or a digit, a
space (:func:`_break`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, pairwise

from jixiao.ingest import vocabulary as V

SEED_CELLS = 3  # 三级指标, 年度指标值, 实际完成值: never empty (as the seed's reader takes them)

INF = 1 << 30

# Readings of one row looked at, at most: a row that has more is not read (a gap), so no
# text makes the reader slow.
MOST_READINGS = 100
MOST_STEPS = 500  # … and steps of looking for them


# Marks no line begins with by UAX #14 beyond :data:`V.NO_LINE_START`: a solidus (LB13,
# ``元/人``: not ``元`` then ``/人``), a hyphen, ! and ?, and what follows a number (LB25).
_NO_LINE_START = V.NO_LINE_START | frozenset("/\\-–!?‰℃°")


@lru_cache(maxsize=4096)
def _head(text: str) -> int:
    """At most the printed width of a line's first piece: its printed head
    (:func:`V.printed_head`) and what no line may begin with after it (``元/``)."""
    text = text.lstrip()
    head = V.printed_head(text)
    while len(head) < len(text) and text[len(head)] in _NO_LINE_START:
        head += V.printed_head(text[len(head) :])
    return V.width_bounds(head)[1]


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@lru_cache(maxsize=4096)
def _break(a: str, b: str) -> int:
    """At most the printed width of line ``a`` and the first piece of the next line ``b``
    set on one line: the line was full, so its column is narrower. With a space between
    them where the printer may have broken the line at one: beside a Latin letter or a
    digit (``5100`` / ``元``, ``≥`` / ``90%``), never inside brackets nor between
    ideographs and marks (Chinese text sets no space between them)."""
    end, start = a.rstrip()[-1:], b.lstrip()[:1]
    space = (
        (_alnum(end) or _alnum(start)) and end not in V.NO_LINE_END and start not in V.NO_LINE_START
    )
    return V.width_bounds(a)[1] + _head(b) + (V.glyph_bounds(" ")[1] if space else 0)


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
    lo = max(V.width_bounds(text)[0] for text in lines)
    hi = INF
    for a, b in pairwise(lines):
        hi = min(hi, _break(a, b))
    return _Cell(lines, lo, hi) if lo < hi else None


# A reading of a row: its cells in order, each a single line's word or a wrapped cell.
Reading = tuple[_Cell, ...]


def _readings(lines: list[str], tail: list[str], counts: range) -> list[Reading]:
    """Every reading of a row's ``lines`` and the words ``tail`` before 分值 on its numbers
    line as cells, their number in ``counts``, by the facts above bar the widths shared
    with other rows (each cell's own lines agree; a unit on its own after a number,
    :data:`V.UNIT_ALONE`, begins none); none when there are more than
    :data:`MOST_READINGS` or looking for them takes more than :data:`MOST_STEPS` steps."""
    words = [text.split() for text in lines]
    most = counts.stop - 1
    out: list[Reading] = []
    last = [_cell((w,)) for w in tail]
    # a unit on its own after a number (不高于 / 1304215.90 / 元) begins no cell: the number's
    joined = {
        i
        for i in range(1, len(lines))
        if lines[i - 1].rstrip()[-1:].isdigit() and V.UNIT_ALONE.match(lines[i].strip())
    }

    steps = [0]

    def walk(i: int, acc: tuple[_Cell, ...], single: bool) -> None:
        steps[0] += 1
        if len(acc) + len(tail) > most or len(out) > MOST_READINGS or steps[0] > MOST_STEPS:
            return
        if i in joined:
            return
        if i == len(lines):
            if len(acc) + len(tail) in counts and not (single and tail):
                out.append(acc + tuple(c for c in last if c is not None))
            return
        if not single:  # this line's words are cells of one line each
            walk(i + 1, acc + tuple(c for w in words[i] if (c := _cell((w,)))), True)
        for e in range(i + 1, len(lines)):  # a cell wrapped over lines i … e
            if len(words[e - 1]) != 1 or len(words[e]) != 1:
                break
            cell = _cell(tuple(lines[i : e + 1]))
            if cell is None:
                break  # (a line that is not full ends every longer cell too)
            walk(e + 1, (*acc, cell), False)

    walk(0, (), False)
    too_many = steps[0] > MOST_STEPS or len(out) > MOST_READINGS
    return [] if too_many else out  # (a row with too many readings is not read)


def _fits(reading: Reading, lo: list[int], hi: list[int], columns: tuple[int, ...]) -> bool:
    """Do the reading's cells, in ``columns``, fit each column's bounds?"""
    return all(
        max(lo[c], cell.lo) < min(hi[c], cell.hi) for c, cell in zip(columns, reading, strict=True)
    )


def _holds(reading: Reading, columns: tuple[int, ...], labels: tuple[str, ...]) -> bool:
    """Do the reading's cells, in ``columns``, hold what each column may hold? An added
    column (``labels``, folded) by :func:`V.added_cell_fits` (a 指标性质 an operator, a
    度量单位 none …); the seed's, no operator alone where the table has a 指标性质 column
    (定性 is that column's)."""
    operators = "指标性质" in labels
    for c, cell in zip(columns, reading, strict=True):
        text = "".join(cell.lines)
        if c < SEED_CELLS:
            if operators and text in V.GRID_OPERATORS:
                return False
        elif not V.added_cell_fits(labels[c - SEED_CELLS], text):
            return False
    return True


@lru_cache(maxsize=64)
def _placings(count: int, added: int) -> tuple[tuple[int, ...], ...]:
    """The columns ``count`` cells may stand in: the seed's three, then ``count - 3`` of the
    ``added`` columns after them (the others empty), in order."""
    return tuple(
        (*range(SEED_CELLS), *(SEED_CELLS + k for k in chosen))
        for chosen in combinations(range(added), count - SEED_CELLS)
    )


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
    may hold (:func:`_holds`: 四川's 定性 row has four cells for five columns, and 定性 is a
    指标性质, never a 度量单位; else which of the added columns is empty is told only when
    all are, or none). ``pieces``: the added labels as the header prints them, a piece a
    line, whose wrapping bounds their columns' widths too."""
    added = len(labels)
    n = SEED_CELLS + added
    counts = range(SEED_CELLS, n + 1)
    found = [_readings(lines, tail, counts) for lines, tail in rows]
    folded = tuple(V.fold(label) for label in labels)
    lo, hi = [0] * n, [INF] * n
    if pieces:
        for c, cell in enumerate(_header_bounds(labels, pieces), start=SEED_CELLS):
            if cell is not None:
                lo[c], hi[c] = cell.lo, cell.hi
    decided: list[list[str] | None] = [None] * len(rows)
    changed = True
    while changed:
        changed = False
        for r, readings in enumerate(found):
            if decided[r] is not None:
                continue
            fit = {
                (x, cols)
                for x in readings
                for cols in _placings(len(x), added)
                if _fits(x, lo, hi, cols) and _holds(x, cols, folded)
            }
            texts = {(tuple("".join(c.lines) for c in x), cols) for x, cols in fit}
            if len(texts) != 1:
                continue
            [(cells, cols)] = texts
            row = [""] * n
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
