"""Cells that wrapped, put back together by the widths of their lines.

A cell wraps at its column's width: every line but its last is full (the next piece of
text would not have fitted on it). pdftotext puts the lines of one cell in a block and
blocks after one another; where blocks and widths disagree (the seed is not consistent
about blank lines), the layout that leaves the least room on lines that did wrap wins.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Protocol

from jixiao.ingest import vocabulary as V
from jixiao.ingest.text_lines import Line


class Floors(Protocol):
    """Widths each of 三级指标 / 年度指标值 / 实际完成值 is known to reach."""

    @property
    def floors(self) -> list[int]: ...


# A line's width and text, asked of each line of a cell by ``map`` (no comprehension's call)
_width = attrgetter("width")
_text = attrgetter("text")

JOIN_COST = 50  # two single-line cells on separate lines (pdftotext would have joined them)

MERGE_COST = 2  # a cell printed with a space inside

BRACKET_COST = 1  # a wrapped cell with a bracket opened and not closed, or the reverse

SHARE_COST = 1  # a wrapped cell begun on the line of the single-line cells before it

WIDTH_COST = 10  # per squared unit of room left on a line that did wrap


def split_goals(lines: list[Line]) -> int:
    """Where 实际完成情况 starts: the two cells come one after the other, each wrapped at
    its own column width. A cell's lines are full up to its last; the split that leaves
    the least room on lines that did wrap wins; blank lines and a closing 。 break ties.
    A line's room is measured against the next line's first piece by either printer's rule
    (:func:`V.first_piece_width`: a PDF renderer keeps the character before “ with it)."""
    n = len(lines)
    breaks = [k for k in range(1, n) if lines[k].blank]
    if len(breaks) == 1:  # pdftotext's blocks: taken when both are full to their last line
        k = breaks[0]
        if is_full(lines[:k]) and is_full(lines[k:]):
            return k
    w = [ln.width for ln in lines]
    room = [0] * n  # w[i] + first piece of the line after: > column width when i wrapped
    for i in range(n - 1):
        room[i] = w[i] + V.first_piece_width(lines[i + 1].text)
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


def wrap_cost(cell: list[Line], floor: int) -> int:
    """Room left on the wrapped (non-last) lines of one cell, squared: 0 for a true cell."""
    if len(cell) < 2:
        return 0
    widths = [ln.width for ln in cell]
    full = max(floor, *widths)
    cost = 0
    for width, after in zip(widths[:-1], cell[1:], strict=True):  # a line, the line after
        d = full - width - after.unit
        if d > 0:
            cost += WIDTH_COST * d * d
    return cost


def split_tokens(toks: list[str], cols: tuple[int, ...]) -> tuple[list[str], int]:
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


def decompose(P: list[Line], T: list[str], floors: Floors):
    """Split a row's lines into (三级指标, 年度指标值, 实际完成值): ``P`` are the lines before
    the numbers line, ``T`` the tokens before 分值 on it. Returns (cells, last-line widths)
    of the cheapest layout, or None."""
    found = decompose_cost(P, T, floors)
    return None if found is None else found[1:]


def decompose_cost(P: list[Line], T: list[str], floors: Floors):
    """:func:`decompose` with the cost of its layout first: (cost, cells, widths) or None."""
    if not P:
        if len(T) < 3:
            return None
        cells, cost = split_tokens(T, (0, 1, 2))
        return cost, cells, None  # widths of single-line cells: their own, when needed
    natural = _as_blocks(P, T)
    if natural is not None:
        return 0, *natural
    best = None
    for k in range(min(len(T), 2), -1, -1):
        if (k == 0) != (not T):
            continue
        need = 3 - k
        tcells, tcost = split_tokens(T, tuple(range(need, 3))) if k else ([], 0)
        found = _Layout(P, need, floors.floors).best(0, 0, False)
        if found is None:
            continue
        cost = found[0] + tcost
        if best is None or cost < best[0]:
            best = (cost, found[1] + [(c, V.text_width(c)) for c in tcells])
    if best is None:
        return None
    return best[0], [g[0] for g in best[1]], [g[1] for g in best[1]]


def _as_blocks(P: list[Line], T: list[str]):
    """The row as its blocks say (a blank line between cells, a token per single-line
    cell), if each wrapped cell is full up to its last line: pdftotext's own blocks. One
    pass over the lines, given up as soon as the blocks hold more cells than the row has
    before ``T``."""
    cells: list[str] = []
    widths: list[int | None] = []  # a wrapped cell's last line's, None for the others
    wrapped: list[list[Line]] = []
    room = 3 - len(T)  # cells the blocks must hold
    prev_single = False
    i, n = 0, len(P)
    while i < n:
        e = i + 1  # the block: line i and the lines after it with no blank line before
        while e < n and not P[e].blank:
            e += 1
        if e == i + 1:
            if prev_single:
                return None  # two single-line blocks would have shared a line
            toks = P[i].text.split()
            cells += toks
            widths += [None] * len(toks)
            prev_single = True
        else:
            block = P[i:e]
            wrapped.append(block)
            cells.append("".join(map(_text, block)))
            widths.append(P[e - 1].width)
            prev_single = False
        if len(cells) > room:
            return None
        i = e
    if prev_single or len(cells) != room:
        return None
    for block in wrapped:
        if not is_full(block):
            return None
    return [*cells, *T], [*widths, *[None] * len(T)]


def is_full(cell: list[Line]) -> bool:
    """Is every line of ``cell`` but its last full (``wrap_cost(cell, 0) == 0``): the first
    unit of the line after it would not have fitted beside it in the widest line's width?"""
    if len(cell) < 2:
        return True
    widths = list(map(_width, cell))
    widest = max(widths)
    for k in range(len(cell) - 1):  # (a loop: all() of a generator costs more)
        # (a line as wide as the widest is full whatever comes after it: no unit measured)
        if widths[k] < widest and widths[k] + cell[k + 1].unit < widest:
            return False
    return True


def _is_unit(token: str) -> bool:
    return bool(V.UNIT_ALONE.match(token) or V.UNIT_LEADING.match(token))


def units_joined(toks: list[str]) -> list[str]:
    """A line's tokens, a unit printed apart from the number before it (``492071.45 元``,
    ``3 个工作日``: LibreOffice spaces each run of another font) joined to it: never a cell
    of its own, nor the beginning of one. So is a unit's word broken at the line's end
    (``≥25 公`` / ``里``: :func:`_continues` goes on with it)."""
    head = len(toks) - 1 if toks and toks[-1] in _UNIT_HEADS else -1
    if len(toks) < 2 or (head < 0 and not any(map(_is_unit, toks[1:]))):
        return toks
    out = [toks[0]]
    for i, t in enumerate(toks[1:], 1):
        if out[-1][-1].isdigit() and (i == head or _is_unit(t)):
            out[-1] += t
        else:
            out.append(t)
    return out


# A unit's word broken over two lines (250700 平 / 方米, 10 个工 / 作日): the pieces and what
# may stand before the first one (a number, or 元/ of 元/平方米)
_BROKEN_UNITS = tuple(
    (unit[:k], unit[k:])
    for unit in (*V.UNIT_WORDS, *V.DURATION_WORDS, *("个" + w for w in V.DURATION_WORDS))
    for k in range(1, len(unit))
)


_TAIL_FIRST = frozenset(tail[0] for _, tail in _BROKEN_UNITS)
_UNIT_HEADS = frozenset(head for head, _ in _BROKEN_UNITS)


def _continues(before: str, text: str) -> bool:
    """Does line ``text`` go on with what line ``before`` ended in, so that it begins no
    cell: a unit wrapped off its number (5903030.05 / 元), the rest of a number broken at
    the column's edge (1129789.6 / 7 元), or of a unit's word (250700 平 / 方米)?"""
    if before[-1:].isdigit():
        return text[0].isdigit() or _is_unit(text)
    if text[0] not in _TAIL_FIRST:
        return False
    for head, tail in _BROKEN_UNITS:
        if text.startswith(tail) and before.endswith(head):
            rest = before[: -len(head)].rstrip()
            if rest[-1:].isdigit() or rest[-1:] in ("/", "(", "（"):
                return True
    return False


def _bracket_balance(text: str) -> int:
    if "(" not in text and ")" not in text and "（" not in text and "）" not in text:
        return 0
    return text.count("(") + text.count("（") - text.count(")") - text.count("）")


class _Layout:
    """The cheapest way to lay lines ``P`` out as cells 0 … need-1 (dynamic programming):
    a line holding one or more single-line cells, or a cell wrapped over several lines."""

    def __init__(self, P: list[Line], need: int, floors: list[int]) -> None:
        self.P, self.need, self.floors = P, need, floors
        self.memo: dict[tuple[int, int, bool], tuple[int, list[tuple[str, int]]] | None] = {}
        # brackets opened less those closed, up to each line: a wrapped cell that leaves one
        # open (≤16.00 / (元/平方, then 米) / 14.24 …) costs BRACKET_COST
        self.opened = [0]
        for ln in P:
            self.opened.append(self.opened[-1] + _bracket_balance(ln.text))

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
        if i and _continues(P[i - 1].text, P[i].text):
            return None
        gap_cost = 1 if i > 0 and P[i].blank == 0 else 0
        best = None
        toks = P[i].text.split()
        for j in range(1, min(len(toks), need - col) + 1):
            rest = self.best(i + 1, col + j, True)
            if rest is None:
                continue
            cells, mc = split_tokens(toks, tuple(range(col, col + j)))
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
            cost = gap_cost + inner + wrap_cost(cell, self.floors[col]) + rest[0]
            if self.opened[e] != self.opened[i]:
                cost += BRACKET_COST
            if best is None or cost < best[0]:
                text = "".join(x.text for x in cell)
                best = (cost, [(text, cell[-1].width), *rest[1]])
        if len(toks) > 1 and need - col > 1:
            # single-line cells, then the first line of a cell wrapped below them: cells
            # side by side on one baseline (LibreOffice's PDF of the Word file, ``-raw``:
            # 办事群众满意度 不低于 / 95.5%); a unit printed apart from its number is the
            # number's cell (3 个工作日 | 达成年度指 / 标)
            words = units_joined(toks)
            for j in range(1, min(len(words) - 1, need - col - 1) + 1):
                first = Line(P[i].no, " ".join(words[j:]), 0)
                inner = 0
                for e in range(i + 2, n + 1):
                    inner += 1 if P[e - 1].blank else 0
                    rest = self.best(e, col + j + 1, False)
                    if rest is None:
                        continue
                    cell = [first, *P[i + 1 : e]]
                    cost = (
                        SHARE_COST
                        + gap_cost
                        + (JOIN_COST if prev_single else 0)
                        + inner
                        + wrap_cost(cell, self.floors[col + j])
                        + rest[0]
                    )
                    if _bracket_balance(first.text) + self.opened[e] != self.opened[i + 1]:
                        cost += BRACKET_COST
                    if best is None or cost < best[0]:
                        text = "".join(x.text for x in cell)
                        singles = [(t, V.text_width(t)) for t in words[:j]]
                        best = (cost, [*singles, (text, cell[-1].width), *rest[1]])
        return best
