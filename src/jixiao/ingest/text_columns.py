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

# Cells of one row looked at, at most (each a line's word or a wrapped cell's lines): a row
# that has more is not read (a gap), so no text makes the reader slow.
MOST_CELLS = 2000


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


def _fits(
    reading: tuple[_Cell, ...], lo: list[int], hi: list[int], columns: tuple[int, ...]
) -> bool:
    """Do the reading's cells, in ``columns``, fit each column's bounds?"""
    return all(
        max(lo[c], cell.lo) < min(hi[c], cell.hi) for c, cell in zip(columns, reading, strict=True)
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


@dataclass(slots=True)
class Row:
    """What the text settles of a row (:func:`settle_rows`): each column's cell (the seed's
    three, then the added ones; "" an empty added cell), None where the readings that fit
    put different text in it; ``rest``: the row's text those columns hold, in order ("" when
    every column is settled); ``paths``: how many readings fit (2 standing for more)."""

    cells: list[str | None]
    rest: str
    paths: int


# A place in a row's reading (:func:`_graph`): ("L", line, after a line of one-line cells) at
# the start of a line, ("S", line, word) inside a line of one-line cells, ("T", word) inside
# the tail (the words before 分值 on the numbers line), END after the row.
_Node = tuple[object, ...]
END: _Node = ("E",)
# A unit of a row's text: (line, word), a whole line's word -1; the tail's words are those
# of the line after the row's lines.
_Unit = tuple[int, int]
# An edge of a reading: from a place to the next, taking a cell (None: taking nothing, a
# line without words) whose text comes from ``units``.
_Edge = tuple[_Node, _Node, _Cell | None, tuple[_Unit, ...]]


Graph = tuple[list[_Node], list[_Edge]]


def _graph(lines: list[str], tail: list[str]) -> Graph | None:
    """Every reading of a row's ``lines`` and the words ``tail`` before 分值 on its numbers
    line as cells, by the facts above bar the widths shared with other rows and the count of
    cells (each cell's own lines agree; a unit on its own after a number,
    :data:`V.UNIT_ALONE`, begins none), as the paths of a graph from its first place to
    :data:`END`: its places in order (each edge goes forward) and its edges; None when it
    has more than :data:`MOST_CELLS` cells to take."""
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
                    edges.append((at, END, None, ()))
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
                    edges.append((at, ("L", i + 1, True), None, ()))
                for j, w in enumerate(ws):
                    nxt = ("L", i + 1, True) if j == len(ws) - 1 else ("S", i, j)
                    unit = (i, -1 if len(ws) == 1 else j)  # (a line is one unit however read)
                    edges.append((prev, nxt, _cell((w,)), (unit,)))
                    prev = nxt
            for e in range(i + 1, n):  # a cell wrapped over lines i … e
                if not one[e - 1] or not one[e]:
                    break
                cell = _cell(tuple(lines[i : e + 1]))
                if cell is None:
                    break  # (a line that is not full ends every longer cell too)
                edges.append(
                    (at, ("L", e + 1, False), cell, tuple((k, -1) for k in range(i, e + 1)))
                )
        if i < n:
            nodes.extend(("S", i, j) for j in range(len(words[i]) - 1))
    nodes.extend(("T", j) for j in range(len(tail) - 1))
    nodes.append(END)
    return (nodes, edges) if len(edges) <= MOST_CELLS else None


def _cap(a: int, b: int) -> int:
    return min(2, a + b)


def _settle(
    graph: Graph | None,
    lo: list[int],
    hi: list[int],
    labels: tuple[str, ...],
) -> tuple[int, list[set[_Cell]], list[bool], dict[_Unit, set[int]]] | None:
    """The readings of a row's ``graph`` that fit the columns' bounds and what they may hold
    (:func:`_fits`, :func:`_holds`), the seed's three cells in the first three columns and
    the others in added columns in order: how many (2: more), each column's cells among them
    and whether it is empty in one, and for each unit of text the columns it stands in; None
    when none fits (or the row has too many cells to look at)."""
    if graph is None:
        return None
    nodes, edges = graph
    n = SEED_CELLS + len(labels)
    # the columns each edge's cell may stand in
    allowed: list[tuple[int, ...]] = []
    for _, _, cell, _ in edges:
        if cell is None:
            allowed.append(())
            continue
        allowed.append(
            tuple(
                c
                for c in range(n)
                if _fits((cell,), lo, hi, (c,)) and _holds((cell,), (c,), labels)
            )
        )
    out_edges: dict[_Node, list[int]] = {}
    for k, (a, _, _, _) in enumerate(edges):
        out_edges.setdefault(a, []).append(k)

    def steps(k: int, col: int) -> list[int]:
        """The columns edge ``k``'s cell goes to after column ``col`` - 1 was filled."""
        if edges[k][2] is None:
            return [col - 1]  # (nothing taken: the same column next, marked as -1 + 1)
        if col < SEED_CELLS:
            return [col] if col in allowed[k] else []
        return [d for d in allowed[k] if d >= col]

    fwd: dict[_Node, list[int]] = {node: [0] * (n + 1) for node in nodes}
    fwd[nodes[0]][0] = 1
    for node in nodes:
        counts = fwd[node]
        for k in out_edges.get(node, ()):
            target = fwd[edges[k][1]]
            for col in range(n + 1):
                if counts[col]:
                    for d in steps(k, col):
                        target[d + 1] = _cap(target[d + 1], counts[col])
    bwd: dict[_Node, list[int]] = {node: [0] * (n + 1) for node in nodes}
    for col in range(SEED_CELLS, n + 1):
        bwd[END][col] = 1
    for node in reversed(nodes):
        counts = bwd[node]
        for k in out_edges.get(node, ()):
            after = bwd[edges[k][1]]
            for col in range(n + 1):
                for d in steps(k, col):
                    if after[d + 1]:
                        counts[col] = _cap(counts[col], after[d + 1])
    paths = 0
    for col in range(SEED_CELLS, n + 1):
        paths = _cap(paths, fwd[END][col])
    if not paths:
        return None
    cells: list[set[_Cell]] = [set() for _ in range(n)]
    empty = [False] * n
    for col in range(SEED_CELLS, n):
        if fwd[END][col]:
            for c in range(col, n):
                empty[c] = True
    where: dict[_Unit, set[int]] = {}
    for k, (a, b, cell, us) in enumerate(edges):
        for col in range(n + 1):
            if not fwd[a][col]:
                continue
            for d in steps(k, col):
                if not bwd[b][d + 1] or cell is None:
                    continue
                cells[d].add(cell)
                for c in range(col, d):
                    empty[c] = True
                for u in us:
                    where.setdefault(u, set()).add(d)
    return paths, cells, empty, where


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
    line, whose wrapping bounds their columns' widths too."""
    added = len(labels)
    n = SEED_CELLS + added
    graphs = [_graph(lines, tail) for lines, tail in rows]
    folded = tuple(V.fold(label) for label in labels)
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
        for r, graph in enumerate(graphs):
            if decided[r] is not None:
                continue
            got = _settle(graph, lo, hi, folded)
            if got is None:
                continue
            paths, cells, empty, _ = got
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
            decided[r] = Row([t.pop() for t in texts], "", paths)
            if paths == 1:  # (readings that agree in text may not in their lines)
                for c in range(n):
                    if cells[c] and not empty[c]:
                        [cell] = cells[c]
                        if cell.lo > lo[c] or cell.hi < hi[c]:
                            lo[c], hi[c] = max(lo[c], cell.lo), min(hi[c], cell.hi)
                            changed = True
    for r, graph in enumerate(graphs):  # the rows left: the columns every reading agrees on
        if decided[r] is not None or not ordered:
            continue
        got = _settle(graph, lo, hi, folded)
        if got is None:
            continue
        paths, cells, empty, where = got
        settled: list[str | None] = []
        for c in range(n):
            t = _texts(cells[c], empty[c])
            settled.append(t.pop() if len(t) == 1 else None)
        unsettled = {c for c in range(n) if settled[c] is None}
        decided[r] = Row(settled, _rest(*rows[r], where, unsettled), paths)
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
