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
read as cells where those facts leave one text to a column (:func:`settle_rows`): every
reading of a row is a path of a graph over its lines (:func:`_graph`), walked forward and
backward a column at a time (:func:`_settle`), so their number does not matter. A row one
reading fits gives its columns' widths bounds, and every row bounds them within its
readings' cells, which may settle another row, until nothing changes. Which added column is
empty in a row with fewer cells than columns is told by what each column may hold
(:func:`V.added_cell_fits`: 四川's 定性 rows, four cells for five columns, have 定性 in
指标性质, 度量单位 empty). The columns more than one reading puts different text in are
not read (None), and the caller names them and their text in a gap.
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

# Cells of one row looked at, at most (each a line's word or a wrapped cell's lines): a row
# that has more is not read (a gap), so no text makes the reader slow.
MOST_CELLS = 2000


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


@lru_cache(maxsize=64)
def _placings(count: int, added: int) -> tuple[tuple[int, ...], ...]:
    """The columns ``count`` cells may stand in: the seed's three, then ``count - 3`` of the
    ``added`` columns after them (the others empty), in order."""
    return tuple(
        (*range(SEED_CELLS), *(SEED_CELLS + k for k in chosen))
        for chosen in combinations(range(added), count - SEED_CELLS)
    )


def _holds(reading: tuple[_Cell, ...], columns: tuple[int, ...], labels: tuple[str, ...]) -> bool:
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


@dataclass(slots=True)
class Row:
    """What the text settles of a row (:func:`settle_rows`): each column's cell (the seed's
    three, then the added ones; "" an empty added cell), None where the readings that fit
    put different text in it; ``rest``: the row's text those columns hold, in order ("" when
    every column is settled)."""

    cells: list[str | None]
    rest: str


# A place in a row's reading (:func:`_graph`): ("L", line, after a line of one-line cells) at
# the start of a line, ("S", line, word) inside a line of one-line cells, ("T", word) inside
# the tail (the words before 分值 on the numbers line), END after the row.
_Node = tuple[object, ...]
END: _Node = ("E",)
# A unit of a row's text: (line, word), a whole line's word -1; the tail's words are those
# of the line after the row's lines.
_Unit = tuple[int, int]
# An edge of a reading: from a place to the next, taking a cell (None: taking nothing, a
# line without words) whose text is the units (line, word) it holds, in order.
_Edge = tuple[_Node, _Node, _Cell | None, tuple[_Unit, ...]]


Graph = tuple[list[_Node], list[_Edge]]


def _graph(lines: list[str], tail: list[str], joins: bool = False) -> Graph | None:
    """Every reading of a row's ``lines`` and the words ``tail`` before 分值 on its numbers
    line as cells, by the facts above bar the widths shared with other rows and the count of
    cells (each cell's own lines agree; a unit on its own after a number,
    :data:`V.UNIT_ALONE`, begins none), as the paths of a graph from its first place to
    :data:`END`: its places in order (each edge goes forward) and its edges; None when it
    has more than :data:`MOST_CELLS` cells to take. ``joins``: a cell wrapped over two
    lines may begin at a line's last word (:func:`_wrapped`)."""
    words = [text.split() for text in lines]
    joined = {
        i
        for i in range(1, len(lines))
        if lines[i - 1].rstrip()[-1:].isdigit() and V.UNIT_ALONE.match(lines[i].strip())
    }
    one = [len(w) == 1 for w in words]  # a line that may be one of a wrapped cell's
    nodes: list[_Node] = []
    edges: list[_Edge] = []
    n = len(lines)
    for i in range(n + 1):
        for single in (False, True):
            at: _Node = ("L", i, single)
            nodes.append(at)
            if i == n:
                if not tail:
                    edges.append((at, END, None, ((n, -1),)))
                elif not single:  # the tail's one-line cells after a wrapped cell (or none)
                    prev = at
                    for j, w in enumerate(tail):
                        nxt = END if j == len(tail) - 1 else ("T", j)
                        edges.append((prev, nxt, _cell((w,)), ((n, j),)))
                        prev = nxt
                continue
            if i in joined:
                continue
            if not single:  # this line's words are cells of one line each
                ws = words[i]
                prev = at
                if not ws:
                    edges.append((at, ("L", i + 1, True), None, ((i, -1),)))
                for j, w in enumerate(ws):
                    nxt = ("L", i + 1, True) if j == len(ws) - 1 else ("S", i, j)
                    word = -1 if len(ws) == 1 else j  # (a line is one unit however read)
                    edges.append((prev, nxt, _cell((w,)), ((i, word),)))
                    prev = nxt
                if (
                    joins and len(ws) > 1
                ):  # its last word the first of a cell wrapped over two lines
                    _wrapped(edges, lines, one, ("S", i, len(ws) - 2), ws[-1], i, len(ws) - 1)
            if one[i]:
                _wrapped(edges, lines, one, at, lines[i], i)
            if len(edges) > MOST_CELLS:
                return None
        if i < n:
            nodes.extend(("S", i, j) for j in range(len(words[i]) - 1))
    nodes.extend(("T", j) for j in range(len(tail) - 1))
    nodes.append(END)
    return (nodes, edges) if len(edges) <= MOST_CELLS else None


def _wrapped(
    edges: list[_Edge],
    lines: list[str],
    one: list[bool],
    at: _Node,
    first: str,
    i: int,
    word: int = -1,
) -> None:
    """The edges from place ``at`` of a cell wrapped over ``first`` (line ``i``, or its
    last word ``word``) and the lines of one word after it, up to each of them
    (:func:`_cell`). A row's cells are centred in its height, so a cell of two lines after
    a cell of one prints its first line half a line off the other's (any other pair of
    neighbours is a whole line off or on one baseline), and ``pdftotext -raw`` sets a word
    on the line before when its baseline is less than half its size off, which that may
    be: so a cell wrapped over two lines may begin at a line's last word (湖北 seed 405,
    LibreOffice's PDF of the Word file: ``慢性病管理及时性 按时 部分达成年`` / ``度指标``
    / ``加强过`` …, whose 实际完成值 is 部分达成年度指标)."""
    head = (i, word)
    least, most = V.width_bounds(first)[0], INF
    prev = first
    for e in range(i + 1, len(lines) if word < 0 else min(i + 2, len(lines))):
        if not one[e]:
            break
        least = max(least, V.width_bounds(lines[e])[0])
        most = min(most, _break(prev, lines[e]))
        if least >= most:
            break  # (a line that is not full ends every longer cell too)
        prev = lines[e]
        cell = _Cell((first, *lines[i + 1 : e + 1]), least, most)
        units = (head, *((x, -1) for x in range(i + 1, e + 1)))
        edges.append((at, ("L", e + 1, False), cell, units))
        if len(edges) > MOST_CELLS:
            return


# A row's graph ready to be walked (:func:`_prepared`): how many places, the edges as
# (from, to, cell, units, the columns its cell may hold by its text), and the edges out of
# each place.
_Walk = tuple[
    int, list[tuple[int, int, _Cell | None, tuple[_Unit, ...], tuple[int, ...]]], list[list[int]]
]


def _prepared(graph: Graph | None, labels: tuple[str, ...]) -> _Walk | None:
    """A row's graph with its places numbered in order and what each cell may hold by its
    text (:func:`_holds`, which no width changes), worked out once a row."""
    if graph is None:
        return None
    nodes, edges = graph
    index = {node: k for k, node in enumerate(nodes)}
    n = SEED_CELLS + len(labels)
    out: list[list[int]] = [[] for _ in nodes]
    walk = []
    # does a column bound what its cells hold (:func:`V.added_cell_fits`: 指标性质, a 度量单位)?
    # Else any cell fits any column, asked of no cell
    bounded = any(label == "指标性质" or label.endswith("单位") for label in labels)
    every = tuple(range(n))
    for k, (a, b, cell, units) in enumerate(edges):
        holds = (
            ()
            if cell is None
            else every
            if not bounded
            else tuple(c for c in range(n) if _holds((cell,), (c,), labels))
        )
        walk.append((index[a], index[b], cell, units, holds))
        out[index[a]].append(k)
    return len(nodes), walk, out


# What the readings of a row that fit give (:func:`_settle`): each column's cells among them
# and whether it is empty in one, and each unit's columns.
_Settled = tuple[list[set[_Cell]], list[bool], dict[_Unit, set[int]]]


def _settle(
    walk: _Walk | None,
    lo: list[int],
    hi: list[int],
    n: int,
    units: bool = False,
    known: dict[tuple[_Cell, tuple[int, ...]], list[int]] | None = None,
) -> _Settled | None:
    """The readings of a row (its graph :func:`_prepared`) that fit the ``n`` columns'
    bounds (a cell's bounds and its column's meet) and what they may hold (:func:`_holds`),
    the seed's three cells in the first three columns and the others in added columns in
    order: each column's cells among them and whether it is empty in one, and for each unit
    of text the columns it stands in (when ``units`` is asked, else none); None when none
    fits (or the row has too many cells to look at). The columns a reading may have reached
    at each place are worked out forward and backward over the places (a bit a column), so
    the number of readings does not matter. ``known``: the columns each cell fits by these
    bounds, kept for the other rows (a table's cells come again row after row)."""
    if walk is None:
        return None
    count, edges, out = walk
    S = SEED_CELLS
    fits: list[list[int] | None] = []
    for _, _, cell, _, holds in edges:
        if cell is None:
            fits.append(None)
            continue
        key = (cell, holds)
        fit = known.get(key) if known is not None else None
        if fit is None:
            clo, chi = cell.lo, cell.hi
            fit = [
                c
                for c in holds
                if (lo[c] if lo[c] > clo else clo) < (hi[c] if hi[c] < chi else chi)
            ]
            if known is not None:
                known[key] = fit
        fits.append(fit)
    end = count - 1
    # fwd[a]: bit c set when a reading reaches place a with column c next
    fwd = [0] * count
    fwd[0] = 1
    for a in range(count):
        m = fwd[a]
        if not m:
            continue
        added = m >> S << S
        lowest = (added & -added).bit_length() - 1 if added else n + 1
        for k in out[a]:
            fit = fits[k]
            if fit is None:
                fwd[edges[k][1]] |= m
                continue
            new = 0
            for d in fit:
                if (m >> d & 1) if d < S else d >= lowest:
                    new |= 1 << (d + 1)
            fwd[edges[k][1]] |= new
    if not fwd[end] >> S:
        return None
    # bwd[a]: bit c set when a reading from place a with column c next ends the row whole
    bwd = [0] * count
    bwd[end] = ((1 << (n + 1)) - 1) >> S << S
    for a in range(count - 2, -1, -1):
        if not fwd[a]:
            continue
        m = 0
        for k in out[a]:
            after, fit = bwd[edges[k][1]], fits[k]
            if not after:
                continue
            if fit is None:
                m |= after
                continue
            top = -1
            for d in fit:
                if after >> (d + 1) & 1:
                    if d < S:
                        m |= 1 << d
                    elif d > top:
                        top = d
            if top >= S:
                m |= ((1 << (top + 1)) - 1) >> S << S
        bwd[a] = m
    cells: list[set[_Cell]] = [set() for _ in range(n)]
    empty = [False] * n
    last = fwd[end] >> S << S
    if last:
        for c in range((last & -last).bit_length() - 1, n):
            empty[c] = True
    where: dict[_Unit, set[int]] = {}
    for k, (a, b, cell, pieces, _) in enumerate(edges):
        fit, here, there = fits[k], fwd[a], bwd[b]
        if fit is None or cell is None or not here or not there:
            continue
        added = here >> S << S
        lowest = (added & -added).bit_length() - 1 if added else n + 1
        for d in fit:
            if not there >> (d + 1) & 1:
                continue
            if d < S:
                if not here >> d & 1:
                    continue
            elif d < lowest:
                continue
            else:
                for c in range(lowest, d):
                    empty[c] = True
            cells[d].add(cell)
            if units:
                for unit in pieces:
                    where.setdefault(unit, set()).add(d)
    return cells, empty, where


def _rest(
    lines: list[str], tail: list[str], where: dict[_Unit, set[int]], unsettled: set[int]
) -> str:
    """The text of a row its columns ``unsettled`` hold, in order: each unit whose columns
    (``where``) are all unsettled; the whole row's text where a unit may stand in an
    unsettled column or a settled one."""
    words = [text.split() for text in lines]
    out: list[str] = []
    last = -1
    for unit in sorted(where):
        cols = where[unit]
        if not cols <= unsettled:
            if cols & unsettled:
                return "".join(lines) + " ".join(tail)
            continue
        line, word = unit
        if word < 0:
            text = lines[line].strip()
        else:
            text = tail[word] if line == len(lines) else words[line][word]
        out.append((" " if line == last and word >= 0 else "") + text)
        last = line
    return "".join(out)


def _texts(cells: set[_Cell], empty: bool) -> set[str]:
    """The texts a column's ``cells`` (and "" if it is ``empty`` in a reading) give it."""
    return {"".join(x.lines) for x in cells} | ({""} if empty else set())


def settle_rows(
    rows: list[tuple[list[str], list[str]]],
    labels: tuple[str, ...],
    pieces: list[str] | None = None,
    partly: bool = True,
    joins: bool = False,
) -> list[Row | None]:
    """What the text settles of each row (:class:`Row`; None where no reading fits): its
    cells (三级指标, 年度指标值, 实际完成值, then the columns of ``labels``, the ones the
    header adds; an empty added cell ""), from its lines and the words before 分值 on its
    numbers line. A column is settled where every reading that fits puts the same text in
    it, by the columns' widths and what each may hold (:func:`_holds`: 四川's 定性 row has
    four cells for five columns, and 定性 is a 指标性质, never a 度量单位; else which of the
    added columns is empty is told only when all are, or none). A row whose every column is
    settled by one reading bounds its columns' widths, which may settle another row, until
    nothing changes. ``pieces``: the added labels as the header prints them, a piece a
    line, whose wrapping bounds their columns' widths too. Not ``partly``: only rows one
    reading fits are read, as before (:func:`_listed_rows`), the others None. ``joins``: a
    cell wrapped over two lines may begin at the last word of a line of one-line cells
    (:func:`_wrapped`): the text is LibreOffice's PDF of the Word file, whose lines are
    about an em apart. jixiao's PDF sets its lines 1.35 em apart (templates/form.css) and
    LibreOffice's PDF of the workbook 1.4 (:data:`jixiao.render.xlsx.LINE_HEIGHT`), so a
    line half a line off is 0.67 em off or more, beyond the half em within which
    ``pdftotext -raw`` joins words into a line."""
    if not partly:
        return [None if x is None else Row(list(x), "") for x in _listed_rows(rows, labels, pieces)]
    added = len(labels)
    n = SEED_CELLS + added
    folded = tuple(V.fold(label) for label in labels)
    walks = [_prepared(_graph(lines, tail, joins), folded) for lines, tail in rows]
    last: dict[int, tuple[tuple[int, ...], _Settled | None]] = {}  # by the bounds it had

    known: dict[tuple[_Cell, tuple[int, ...]], list[int]] = {}  # cells' columns by the bounds
    bounds: list[tuple[int, ...]] = [()]

    def settle(r: int) -> _Settled | None:
        key = (*lo, *hi)
        if r in last and last[r][0] == key:
            return last[r][1]
        if bounds[0] != key:
            known.clear()
            bounds[0] = key
        got = _settle(walks[r], lo, hi, n, known=known)
        last[r] = key, got
        return got

    lo, hi = [0] * n, [INF] * n
    ordered = False  # the header's added labels printed in order, a piece a line
    if pieces:
        for c, cell in enumerate(_header_bounds(labels, pieces), start=SEED_CELLS):
            if cell is not None:
                lo[c], hi[c] = cell.lo, cell.hi
                ordered = True
    decided: list[Row | None] = [None] * len(rows)
    changed = True
    while changed:
        changed = False
        for r in range(len(rows)):
            if decided[r] is not None:
                continue
            got = settle(r)
            if got is None:
                continue
            cells, empty, _ = got
            texts = [_texts(cells[c], empty[c]) for c in range(n)]
            if any(len(t) != 1 for t in texts):
                if ordered:
                    for c in range(n):  # the column's width is within its cells' in one of them
                        if cells[c] and not empty[c]:
                            least = min(x.lo for x in cells[c])
                            most = max(x.hi for x in cells[c])
                            if least > lo[c] or most < hi[c]:
                                lo[c], hi[c] = max(lo[c], least), min(hi[c], most)
                                changed = True
                continue
            decided[r] = Row([t.pop() for t in texts], "")
            if all(len(x) <= 1 for x in cells):  # one reading (texts agree, lines may not)
                for c in range(n):
                    if cells[c] and not empty[c]:
                        [cell] = cells[c]
                        if cell.lo > lo[c] or cell.hi < hi[c]:
                            lo[c], hi[c] = max(lo[c], cell.lo), min(hi[c], cell.hi)
                            changed = True
    for r in range(len(rows)):  # the rows left: the columns every reading agrees on
        if decided[r] is not None or not ordered:
            continue
        got = _settle(walks[r], lo, hi, n, units=True)
        if got is None:
            continue
        cells, empty, where = got
        settled: list[str | None] = []
        for c in range(n):
            t = _texts(cells[c], empty[c])
            settled.append(t.pop() if len(t) == 1 else None)
        unsettled = {c for c in range(n) if settled[c] is None}
        decided[r] = Row(settled, _rest(*rows[r], where, unsettled))
    return decided


def _listed_rows(
    rows: list[tuple[list[str], list[str]]],
    labels: tuple[str, ...],
    pieces: list[str] | None = None,
) -> list[list[str] | None]:
    """:func:`settle_rows` for text not printed in the table's order, as before it: every
    reading of a row listed (at most :data:`MOST_READINGS`), whole rows only. Each row's
    cells (三级指标, 年度指标值, 实际完成值, then the columns of ``labels``, the ones the
    header adds; an empty added cell ""), from its lines and the words before 分值
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


def read_rows(
    rows: list[tuple[list[str], list[str]]],
    labels: tuple[str, ...],
    pieces: list[str] | None = None,
) -> list[list[str] | None]:
    """Each row's cells where the text settles every one of them (:func:`settle_rows`), else
    None."""
    out: list[list[str] | None] = []
    for row in settle_rows(rows, labels, pieces):
        cells = None if row is None or row.rest else row.cells
        out.append(None if cells is None or None in cells else [c or "" for c in cells])
    return out
