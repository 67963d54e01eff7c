"""Text laid out by position (``pdftotext -layout``): words with their line and column →
the cell tokens of :mod:`jixiao.ingest.tokens`, in the order of the official table.

Such text keeps where each word stands, but a cell that wraps is printed over several
lines around its row, two text columns stand side by side on one line, and the merged
一级 / 二级 labels come two characters a line, centred over their rows. The words are
put back into cells:

- outside the goals and the indicator table, a line's words (parted by two spaces or
  more) are cells in order; the 项目资金 / （万元） label, printed in the middle of the fund
  rows, goes before the fund header; a head label last on its line with no word in its
  value's place on the lines of its row is followed by an empty cell (部门整体支出's
  实施单位 left blank);
- the goals: each word goes to 预期目标 or 实际完成情况 by its column (a line whose words
  one gap of two spaces or more parts: those before it 预期目标's, those after it
  实际完成情况's; the label's first piece may stand on the header's line);
- the indicator table: a row is the line with its 分值 and 得分; a word of another line
  goes to the header column nearest to it and to the nearest such row (a word as near to
  two rows is a gap); the level labels' pieces are joined into the known labels (a 一级
  label with the weight printed in its cell: 成本指标(20分)) and each label to the rows
  it stands over (:func:`_levels`: of the cuts of the rows that let every label stand
  topped, centred or at the bottom of its cell, the likeliest; sure only where it is the
  one such cut and where the labels are centred; a header repeated on a new page is no
  rows' and no labels').

What cannot be placed this way returns ``None`` with the reason (the caller names a gap),
never a guess. The columns are display columns (a CJK character counts 2).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, pairwise, repeat
from operator import le, lt

from jixiao.ingest import vocabulary as V
from jixiao.ingest.aligned import EXTRA, column_key
from jixiao.ingest.tokens import Token, clean_lines
from jixiao.ingest.tokens import wrapped_label as tokens_wrapped_label
from jixiao.model import split_level1

_INDICATOR_HEAD = "三级指标"  # the indicator header's one label printed on one line
_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)?|-)$")
_LEVEL_WORDS = frozenset((*V.LEVEL1_LABELS, *V.LEVEL2_LABELS))
_FUND_HEADER = "年初预算"  # the fund header's first label, 年初预算数
_LEVEL2 = frozenset(V.LEVEL2_LABELS)
_LONGEST_LEVEL = max(map(len, _LEVEL_WORDS))  # a level label printed on one line
# The level labels that begin a longer one (a piece may go on into it)
_LEVEL_PREFIXES = frozenset(
    w for w in _LEVEL_WORDS if any(lab != w and lab.startswith(w) for lab in _LEVEL_WORDS)
)
_GOAL_PIECES = frozenset({"年度", "总体", "目标", "年度总体目标"})
_FUND_ROW_LABEL = re.compile(
    "^(?:"
    + "|".join([*(p for ps in V.GRID_FUND_ROWS.values() for p in ps), *V.GRID_FUND_EXTRA_ROWS])
    + ")$"
)


Label = tuple[str, float, int, int]  # a level label: its text, middle, first and last line


@dataclass(slots=True)
class Word:
    text: str
    line: int  # index into the lines
    x: int  # display column of its first character
    page: int


def _displayed(raw: str, cells: bool = False) -> list[tuple[str, int]]:
    """The words of a line with the display column each starts in (``cells``: words
    parted by one space are one, :func:`_cell_starts`)."""
    out = []
    x = end = 0  # the display column where ``raw[end:]`` starts (widths add up)
    for word, start in _cell_starts(raw) if cells else _word_starts(raw):
        x += V.text_width(raw[end:start])
        end = start
        out.append((word, x))
    return out


def _word_starts(raw: str) -> list[tuple[str, int]]:
    """The words of a line (its runs of non-space characters, as ``_WORD`` finds them)
    with the character column each starts in: the line split, each word found from the
    end of the one before (it holds no space, so what is found there is that word). The
    pattern, tried at each space of a line laid out wide, cost twice as much."""
    out = []
    end = 0
    find = raw.find
    for word in raw.split():
        x = find(word, end)
        out.append((word, x))
        end = x + len(word)
    return out


def _cell_starts(raw: str) -> list[tuple[str, int]]:
    """The cells of a line (words parted by one space are one, as ``\\S+(?: \\S+)*``
    finds them) with the character column each starts in."""
    out: list[tuple[str, int]] = []
    for word, x in _word_starts(raw):
        if out and x == (end := out[-1][1] + len(out[-1][0])) + 1 and raw[end] == " ":
            out[-1] = (f"{out[-1][0]} {word}", out[-1][1])
        else:
            out.append((word, x))
    return out


def looks_laid_out(text: str) -> bool:
    """The indicator header's 三级指标 line laid out by position: its labels parted by
    runs of spaces, or indented with the labels of other header lines (a wrapped label
    stands above and below it: 年度指标 / 值, 一 / 级 / 指 / 标), two runs at least."""
    k = text.find(_INDICATOR_HEAD)
    if k < 0:
        return False
    start = text.rfind("\n", 0, k) + 1
    end = text.find("\n", k)
    line = text[start : end if end >= 0 else len(text)]
    return len(_SPREAD.findall(line)) >= 2


_SPREAD = re.compile(r"(?:^|\S) {3,}(?=\S)")


class LayoutError(ValueError):
    """Words whose cell cannot be told: the message (Chinese) names the line."""


def layout_tokens(text: str) -> list[Token]:
    """The cell tokens of laid-out ``text``; raises :class:`LayoutError`."""
    lines, doubts = _fund_wraps(_totals_joined(_head_labels_joined(clean_lines(text))))
    out: list[Token] = []
    i = 0
    held: list[Token] = []  # 项目资金（万元） waiting for the fund header
    block: Token | None = None
    header_at: int | None = None  # where the last fund header's first label is in ``out``
    fund_row: list[Token] = []  # the last line's cells when it is a fund row, short
    headers = _Headers(lines)
    while i < len(lines):
        no, raw, page = lines[i]
        body = raw.strip()
        if not body:
            i += 1
            continue
        if V.GOAL_EXPECTED_LABEL in body and V.GOAL_ACHIEVED_LABEL in body:
            i = _goals(lines, i, out, headers)
            continue
        table = headers.near(i)
        if table is not None:
            i = _table(lines, table, out)
            continue
        cells = [
            part
            for word, x in _displayed(raw, cells=True)
            for part in _label_apart(Token(word, no, x + 1, page))
        ]
        f = V.grid_label(body)
        if V.GRID_FUNDS_BLOCK.match(f) and len(cells) == 1:
            held = [cells[0]]
            block = cells[0]
            i += 1
            continue
        if V.GRID_FUNDS_BLOCK.match(f) and len(cells) > 1 and _fund_row_label(cells[1].text):
            held = [cells[0]]  # 项目资金 printed before a fund row's label, on its line
            block = cells[0]
            cells = cells[1:]
        if (
            block is not None
            and V.AMOUNT_UNIT_PATTERN.fullmatch(V.fold(cells[0].text))
            and not V.AMOUNT_UNIT_PATTERN.search(V.fold(block.text))
        ):
            block.text += cells[0].text  # 项目资金 / （万元）: one label, the unit alone on
            cells = cells[1:]  # its line or printed before a fund row's label
            if not cells:
                i += 1
                continue
        header = next((k for k, c in enumerate(cells) if c.text.startswith(_FUND_HEADER)), None)
        if held and header is not None:
            out += held
            held = []
        elif held and header_at is not None and len(out) - header_at <= 40:
            # the label printed after the header: put it before the header
            out[header_at:header_at] = held
            held = []
        if header is not None:
            header_at = len(out) + header
        if fund_row and cells and all(_NUMBER.match(c.text) for c in cells):
            # the rest of the fund row above, printed on the next line (LibreOffice centres
            # each cell in the row's height): its numbers in the order they stand
            merged = sorted([*fund_row[1:], *cells], key=lambda c: c.col)
            del out[len(out) - len(fund_row) + 1 :]
            out += merged
            fund_row = []
            i += 1
            continue
        if header_at is not None and _fund_row_label(cells[0].text):
            cells = [cells[0], *_dashes_apart(_numbers_apart(cells[1:]))]
        fund_row = cells if header_at is not None and _fund_row_line(cells) else []
        if no in doubts and cells:
            cells[0].doubts = [doubts[no]]
        if cells and _head_label(cells[-1].text) and _nothing_beside(lines, i, raw):
            # a head label last on its line, nothing in its value's place: an empty cell
            last = cells[-1]
            cells.append(Token("", no, last.col + V.text_width(last.text), page))
        out += cells
        i += 1
    return out


_HEAD_LABEL = re.compile(
    "^(?:"
    + "|".join([*(p for ps in V.GRID_HEAD_LABELS.values() for p in ps), *V.GRID_OTHER_HEAD_LABELS])
    + ")$"
)
_BESIDE_REACH = 4  # non-empty lines looked at above and below a head label's line
_BESIDE_MARGIN = 2  # characters left of a head label where its value's words may start


@lru_cache(maxsize=4096)
def _head_label(text: str) -> bool:
    """A head label (主管部门, 实施单位, 项目类别 …) as a cell's whole text."""
    return bool(_HEAD_LABEL.match(V.grid_label(text).replace(" ", "")))


def _row_edge(raw: str, place: int) -> bool:
    """A line of another row than a head label's, whose value's place starts at character
    column ``place``: one opening with a head label left of that place (another head row),
    the form's title (…项目支出绩效自评表) or year alone, the fund header (every word one of
    its labels), the goals' header (预期目标 and 实际完成情况) or the indicator header
    (三级指标). No value is such a line (a value may hold 自评 or a label, not be one)."""
    body = raw.strip()
    if V.GRID_YEAR_LINE.match(body) or (
        "  " not in body and body.endswith("自评表") and V.TITLE_PATTERN.search(body)
    ):
        return True
    if V.GOAL_EXPECTED_LABEL in body and V.GOAL_ACHIEVED_LABEL in body:
        return True
    words = raw.split()
    if _INDICATOR_HEAD in words:
        return True
    first, x = _cell_starts(raw)[0]
    if x < place and (_head_label(first) or _head_label(first.partition(" ")[0])):
        return True
    return all(_FUND_COLUMN.match(V.grid_label(w)) for w in words)


def _nothing_beside(lines: list[tuple[int, str, int]], i: int, raw: str) -> bool:
    """Whether the text decides that the head label ending line ``i`` (``raw``) has an
    empty value (部门整体支出's 实施单位 left blank). Its value's cell lies right of it in
    its row, and a row's lines all lie between those of the rows above and below it (rows
    do not overlap): a word of the value stands on the label's line or on a line between
    the label's and a line of another row (:func:`_row_edge`) at the label's columns or
    right of them. Nothing after the label on its line, and on the lines between (the same
    page, :data:`_BESIDE_REACH` non-empty lines each way at most) only words of the row's
    other cells (right of the line's first label and left of this one: 主管部门's value
    wrapped around its line): the cell is empty, as the text prints it. Anything else (a
    word in the value's place or under the row's first label, as a paragraph's next line
    would be; no other row's line found) is not told: the label is left as it was (the
    reader names the value missing)."""
    cells = _cell_starts(raw)
    place = cells[-1][1] - _BESIDE_MARGIN
    first, x = cells[0]
    # where the row's other cells may stand: right of the first label (when it is not
    # the last: a line of the one label alone leaves no room)
    lo = x + len(first) if len(cells) > 1 else place
    page = lines[i][2]
    for step in (-1, 1):
        k, seen = i + step, 0
        while True:
            if not 0 <= k < len(lines) or lines[k][2] != page or seen > _BESIDE_REACH:
                return False
            other = lines[k][1]
            if other.strip():
                if _row_edge(other, place):
                    break
                if any(x < lo or x + len(w) > place for w, x in _word_starts(other)):
                    return False  # a word in the value's place, or not the row's
                seen += 1
            k += step
    return True


_PIECE = re.compile(r"[\d.]+")


def _totals_joined(lines: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """The 总分 row's numbers wrapped in their cells (``100.0`` above the row's line, ``0``
    below it, as LibreOffice prints a narrow cell) put back on the row's line: each piece
    above joined with the one below that stands in its columns; the lines are left as
    they are unless every piece pairs."""
    out = list(lines)
    # (the lines holding 总分 found first: a line this changes is one already passed, or
    # one it empties)
    for k in [k for k in range(1, len(out) - 1) if V.TOTAL_LABEL in out[k][1]]:
        body = out[k][1].strip()
        if not body.startswith(V.TOTAL_LABEL):
            continue
        above = list(_WORD.finditer(out[k - 1][1]))
        below = list(_WORD.finditer(out[k + 1][1]))
        if not above or len(above) != len(below):
            continue
        if not all(_PIECE.fullmatch(m.group()) for m in (*above, *below)):
            continue
        pairs = [
            (a, b)
            for a, b in zip(above, below, strict=True)
            if b.start() < a.end() and a.start() < b.end()
        ]
        if len(pairs) != len(above):
            continue
        words = [(m.start(), m.group()) for m in _WORD.finditer(out[k][1])]
        words += [(a.start(), a.group() + b.group()) for a, b in pairs]
        line = ""
        for x, word in sorted(words):
            line += " " * max(x - len(line), 3 if line else 0) + word
        out[k] = (out[k][0], line, out[k][2])
        out[k - 1] = (out[k - 1][0], "", out[k - 1][2])
        out[k + 1] = (out[k + 1][0], "", out[k + 1][2])
    return out


_FUND_COLUMN = V.FUND_COLUMN_LABEL


def _fund_header_stacked(out: list[tuple[int, str, int]], h: int) -> int:
    """The fund header whose labels wrap in their cells (年初预算 / 数, 执行 / 率(%), 得分计 /
    算方法, printed over two or three lines around the header's middle) put on one line:
    the most lines around line ``h`` (the line of 年初预算), up to two above and below,
    whose words stacked (:func:`stacked`) are all fund column labels. Returns the index
    of the line the header is now on (``h`` when nothing was stacked)."""
    for d in (2, 1):
        lo, hi = max(0, h - d), min(len(out) - 1, h + d)
        if any(_has_number(out[k][1]) for k in range(lo, hi + 1)):
            continue  # a fund row's line: not the header's
        stacks = stacked([raw for _, raw, _ in out[lo : hi + 1]], lo)
        if len({s.top for s in stacks} | {s.bottom for s in stacks}) < 2:
            continue  # one line: nothing wrapped
        if not all(_FUND_COLUMN.match(V.grid_label(s.text)) for s in stacks):
            continue
        line = ""
        for s in sorted(stacks, key=lambda s: s.x0):
            line += " " * max(s.x0 - len(line), 3 if line else 0) + s.text
        for k in range(lo, hi + 1):
            out[k] = (out[k][0], line if k == h else "", out[k][2])
        return h
    return h


def _runs(lines: list[int], rows: list[int]) -> list[list[int]]:
    """``lines`` (sorted) in runs of consecutive lines, a row's line without a piece of its
    own between two pieces going on with the run."""
    runs: list[list[int]] = []
    for k in lines:
        if runs and (k == runs[-1][-1] + 1 or (k == runs[-1][-1] + 2 and k - 1 in rows)):
            if k == runs[-1][-1] + 2:
                runs[-1].append(k - 1)
            runs[-1].append(k)
        else:
            runs.append([k])
    return runs


def _block_label(body: str) -> bool:
    """项目资金, （元） or both: the fund block's label, printed in the middle of its rows."""
    return bool(
        V.GRID_FUNDS_BLOCK.fullmatch(V.grid_label(body).replace(" ", ""))
        or V.AMOUNT_UNIT_PATTERN.fullmatch(V.fold(body))
        or V.AMOUNT_UNIT_PATTERN.sub("", V.fold(body)).strip() in ("项目资金",)
    )


_FUND_EXTRA_COLUMN = re.compile("^(?:" + "|".join(V.GRID_FUND_EXTRA_COLUMNS) + ")$")
_FUND_BLOCK_END = (V.GOAL_EXPECTED_LABEL, V.GOALS_LABEL, _INDICATOR_HEAD)


def _fund_wraps(
    lines: list[tuple[int, str, int]],
) -> tuple[list[tuple[int, str, int]], dict[int, str]]:
    """The fund block's cells printed over several lines put back on their row's line.
    A text cell of an added fund column (得分计算方法, 原因), wrapped around its row's line
    (全年执行数/年 / the row / 初预算数×10), is joined on that line, after the row's
    numbers, when one row line is nearest to each of its pieces (a line of the block's own
    label between them goes on with the run); a row's label wrapped around its numbers is
    put before them where the text leaves one reading (:func:`_fund_labels_joined`). Any
    other line of the block that is neither the fund header nor a fund row (an amount
    wrapped in its cell, numbers printed on a line of their own) leaves where the numbers
    stand a matter of position: a doubt (a gap of the form, by the line of the block's
    first row); so does a row whose numbers are not each under a column of their own, in
    order (:func:`_under_header`)."""
    out = list(lines)
    doubts: dict[int, str] = {}
    # the lines holding 年初预算, found first: a block changes only its own lines (its
    # header's stacked lines are fund labels, before its end), so every line from ``h``
    # on is as read
    heads = [k for k, (_, raw, _) in enumerate(out) if _FUND_HEADER in raw]
    h = 0
    while (n := bisect_left(heads, h)) < len(heads):
        h = heads[n]
        if not any(w.startswith(_FUND_HEADER) for w in out[h][1].split()):
            h += 1
            continue
        h = _fund_header_stacked(out, h)
        head = list(_WORD.finditer(out[h][1]))
        edge = None  # where the added text columns start (the last of the header's)
        for a, b in pairwise([None, *head]):
            if b is not None and _FUND_EXTRA_COLUMN.match(V.grid_label(b.group())):
                edge = b.start() if a is None else (a.end() + b.start()) // 2
                break
        end = h + 1
        while end < len(out) and not any(w in out[end][1] for w in _FUND_BLOCK_END):
            end += 1
        if head:
            _fund_labels_joined(out, h + 1, end, head[0].start(), edge)
        rows = [
            k
            for k in range(h + 1, end)
            if ((words := out[k][1].split()) and _fund_row_label(words[0]))
            or (len(words) > 1 and _fund_row_label(words[1]))
        ]
        found: dict[int, str] = {}  # line → its piece of an added text column
        stray = apart = None
        cells = list(_CELL.finditer(out[h][1]))  # the header's labels (执行率 (%): one)
        for k in range(h + 1, end):
            no, raw, page = out[k]
            if edge is not None and len(raw) > edge and raw[edge - 1] == " ":
                piece = raw[edge:].strip()
                if piece and not _NUMBER.match(piece):
                    found[k] = piece
                    raw = raw[:edge].rstrip()
            body = raw.strip()
            if k not in rows and body and not _block_label(body) and stray is None:
                stray = k
            if k in rows and apart is None and not _under_header(raw, cells, edge):
                apart = k
        quiet = [k for k in range(h + 1, end) if _block_label_line(out[k][1], edge)]
        for run in _runs(sorted(found), rows + quiet):
            inside = [r for r in rows if run[0] <= r <= run[-1]]
            if len(inside) != 1 or abs((run[0] + run[-1]) / 2 - inside[0]) > 0.5:
                stray = run[0] if stray is None else min(stray, run[0])
                continue  # not one cell centred on one row: left where it is, a doubt
            row = inside[0]
            no, raw, page = out[row]
            text = "".join(found.get(k, "") for k in run)
            out[row] = (no, f"{raw[:edge].rstrip()}   {text}", page)
            for k in run:
                if k != row:
                    out[k] = (out[k][0], out[k][1][:edge].rstrip(), out[k][2])
        if stray is not None and rows:
            doubts[out[rows[0]][0]] = (
                f"第{out[stray][0]}行：项目资金的格折行印出，各数所在的栏按位置推定，请核对"
            )
        elif apart is not None:
            doubts[out[rows[0]][0]] = (
                f"第{out[apart][0]}行：项目资金的数与表头的栏对不齐，各数所在的栏按先后推定，请核对"
            )
        h = end
    return out, doubts


_CELL = re.compile(r"\S+(?: \S+)*")  # words parted by one space at most: one cell


def _under_header(raw: str, head: list[re.Match[str]], edge: int | None) -> bool:
    """A fund row's numbers (the words after its label, left of the added text columns)
    each under a header column of its own, in order: a number's middle between the ends
    of the labels left and right of its column's (``head``: the header's labels). Where a
    PDF's words are laid out by pdftotext in pieces of the page it places apart
    (LibreOffice's PDF of the Word file: 执行率 and 得分 of a row printed left of its 分数,
    ``0.00  - -``), the order of the numbers is not the cells' and nothing on the line
    says which is which. Numbers printed against each other (``100.00-``, ``--``) are no
    cell each, and more numbers than columns none."""
    words = _left_words(raw, edge)
    label = next((i for i, m in enumerate(words[:2]) if _fund_row_label(m.group())), None)
    numbers = words[label + 1 :] if label is not None else []
    columns = sum(1 for m in head if edge is None or m.start() < edge)
    if len(numbers) > columns or not all(_NUMBER.match(m.group()) for m in numbers):
        return False  # more numbers than columns, or printed against each other (100.00-)
    c = 0
    for m in numbers:
        middle = m.start() + m.end()  # twice the middle: the bounds doubled too
        while c < columns and not (
            (c == 0 or 2 * head[c - 1].end() <= middle)
            and (c + 1 == len(head) or middle <= 2 * head[c + 1].start())
        ):
            c += 1
        if c == columns:
            return False
        c += 1
    return True


def _left_words(raw: str, edge: int | None) -> list[re.Match[str]]:
    """A fund block line's words left of the added text columns (from ``edge``)."""
    return [m for m in _WORD.finditer(raw) if edge is None or m.start() < edge]


def _block_label_line(raw: str, edge: int | None) -> bool:
    """A fund block line holding, left of the added text columns (from ``edge``), the
    block's label (项目资金, （万元）) alone: a line of that merged cell, no row's."""
    body = (raw if edge is None else raw[:edge]).strip()
    return bool(body) and _block_label(body)


def _fund_parts(raw: str, edge: int | None) -> tuple[re.Match[str] | None, list[re.Match[str]]]:
    """A fund block line's words left of the added text columns: the block's label
    (项目资金, （万元）) when the line starts with it, and the other words."""
    words = _left_words(raw, edge)
    if words and _block_label(words[0].group()):
        return words[0], words[1:]
    return None, words


def _fund_labels_joined(
    out: list[tuple[int, str, int]], start: int, end: int, first: int, edge: int | None
) -> None:
    """A fund row's label wrapped in its cell around the row's numbers (其中：当年财政拨 /
    the numbers / 款; 财政专户管理资 / the numbers / 金: jixiao's and LibreOffice's PDFs)
    put before the numbers, on their line (``out`` changed in place, lines ``start`` to
    ``end``). The pieces are the lines right above and below a line of numbers with no
    label that hold one word and no number before the header's first column (``first``),
    lines of the block's own label (项目资金, （万元）) passed over. They are joined only
    when the text leaves one reading: their words in order make a fund row's label, and
    no piece can go to the row above or below instead (those rows' labels, with the
    pieces next to them, make no other label; a row with no label of its own there, the
    pieces might be its: left as they are, a doubt)."""
    parts = [_fund_parts(out[k][1], edge) for k in range(start, end)]

    def kind(k: int) -> str:
        if not start <= k < end:
            return "edge"
        block, words = parts[k - start]
        if not words:
            return "block" if block is not None else "edge"
        if _NUMBER.match(words[0].group()):
            return "numbers"
        if _fund_row_label(words[0].group()):
            return "row"
        if len(words) == 1 and words[0].start() < first:
            return "piece"
        return "edge"

    kinds = {k: kind(k) for k in range(start - 1, end + 1)}

    def walk(r: int, step: int) -> tuple[list[int], int]:
        """The piece lines from line ``r`` on, one way (block-label lines passed over), in
        the text's order, and the first line after them."""
        found: list[int] = []
        k = r + step
        while kinds.get(k) in ("piece", "block"):
            if kinds[k] == "piece":
                found.append(k)
            k += step
        return (found[::-1] if step < 0 else found), k

    for r in range(start, end):
        if kinds[r] != "numbers":
            continue
        above, top = walk(r, -1)
        below, bottom = walk(r, 1)
        if not above and not below:
            continue
        if kinds.get(top) == "numbers" or kinds.get(bottom) == "numbers":
            continue  # a row with no label there: the pieces might be its
        pieces = [parts[k - start][1][0].group() for k in (*above, *below)]
        neighbour_above = parts[top - start][1][0].group() if kinds.get(top) == "row" else None
        neighbour_below = (
            parts[bottom - start][1][0].group() if kinds.get(bottom) == "row" else None
        )
        readings = [
            (i, j)
            for i in range(len(above) + 1)
            for j in range(len(above), len(pieces) + 1)
            if (i == 0 or _joins(neighbour_above, pieces[:i], before=False))
            and (j == len(pieces) or _joins(neighbour_below, pieces[j:], before=True))
            and _fund_row_label("".join(pieces[i:j]))
        ]
        if readings != [(0, len(pieces))]:
            continue
        no, raw, page = out[r]
        words = parts[r - start][1]
        x = min(parts[k - start][1][0].start() for k in (*above, *below))
        left = raw[: words[0].start()].rstrip()
        line = left.ljust(max(x, len(left) + 3) if left else x) + "".join(pieces)
        line += " " * max(words[0].start() - len(line), 3) + raw[words[0].start() :]
        out[r] = (no, line, page)
        for k in (*above, *below):
            m = parts[k - start][1][0]
            kept = out[k][1][: m.start()] + " " * len(m.group()) + out[k][1][m.end() :]
            out[k] = (out[k][0], kept.rstrip() if kept.strip() else "", out[k][2])


def _joins(label: str | None, pieces: list[str], before: bool) -> bool:
    """A fund row's ``label`` with ``pieces`` of a wrapped label put before or after it
    is a fund row's label (``label`` None: no row there to take them)."""
    if label is None:
        return False
    text = "".join(pieces) + label if before else label + "".join(pieces)
    return _fund_row_label(text)


def _label_apart(cell: Token) -> list[Token]:
    """A head label and its value one space apart (部门（单位）名称 动物疫病防控经费, the
    label's cell filled to its edge): two cells."""
    label, space, value = cell.text.partition(" ")
    if not space or not tokens_wrapped_label(label):
        return [cell]
    width = V.text_width(label + space)
    return [
        Token(label, cell.line, cell.col, cell.page),
        Token(value.strip(), cell.line, cell.col + width, cell.page),
    ]


def _lead(raw: str) -> int:
    """The display column a line's first word starts in."""
    return V.text_width(raw[: len(raw) - len(raw.lstrip())])


def _head_labels_joined(lines: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """A head label wrapped in its cell around the line of its value (部门（单 / the value /
    位）名称; 主管部门及 / the value, 实施单位 … / 代码), its pieces alone at the left edge:
    the whole label put before the value, on the value's line."""
    out = list(lines)
    for i in range(len(out) - 2):
        no, raw, page = out[i]
        if raw.startswith("  "):
            continue  # indented (``_lead`` 2 at least): no label piece at the edge
        body = raw.strip()
        if not body or " " in body or _lead(raw) > 1:
            continue  # a label whole on its line may go on too (主管部门 / … / 及代码)
        for j in (i + 2, i + 1):
            tail = out[j][1]
            piece = tail.strip()
            if not piece or " " in piece or _lead(tail) > 4:
                continue
            if not tokens_wrapped_label(body + piece):
                continue
            if j == i + 2:
                v_no, value, v_page = out[i + 1]
                if not value.strip() or _lead(value) <= 1:
                    continue  # no value line between, or a label of its own there
                out[i + 1] = (v_no, f"{body}{piece}  {value.strip()}", v_page)
                out[i] = (no, "", page)
            else:
                out[i] = (no, body + piece, page)
            out[j] = (out[j][0], "", out[j][2])
            break
    return out


@lru_cache(maxsize=4096)
def _fund_row_label(text: str) -> bool:
    """A fund row's label (其中 before it or not)."""
    return bool(_FUND_ROW_LABEL.match(V.grid_label(text).removeprefix("其中")))


_DASHED = re.compile(r"^([-—])(\d+(?:\.\d+)?)$")


def _numbers_apart(cells: list[Token]) -> list[Token]:
    """A fund row's cells with two numbers one space apart (``492071.45 10.00``: cells
    printed close) parted: no fund value holds a space."""
    out: list[Token] = []
    for c in cells:
        parts = c.text.split(" ")
        if len(parts) < 2 or not all(_NUMBER.match(p) for p in parts):
            out.append(c)
            continue
        x = c.col
        for part in parts:
            out.append(Token(part, c.line, x, c.page))
            x += len(part) + 1
    return out


def _dashes_apart(cells: list[Token]) -> list[Token]:
    """A fund row's numbers with an empty cell ("-") printed against the next number
    ("-0.00": 分值 and 执行率 of a row with no 分值) parted, when the row is short of numbers
    (a fund row holds no negative amount)."""
    if len(cells) >= len(V.GRID_FUND_COLUMNS):
        return cells
    out: list[Token] = []
    for c in cells:
        m = _DASHED.match(c.text)
        if m is None:
            out.append(c)
            continue
        out += [
            Token(m.group(1), c.line, c.col, c.page),
            Token(m.group(2), c.line, c.col + 1, c.page),
        ]
    return out


def _fund_row_line(cells: list[Token]) -> bool:
    """A fund row's label and some numbers, fewer than the block's columns."""
    numbers = cells[1:]
    return (
        _fund_row_label(cells[0].text)
        and 0 < len(numbers) < len(V.GRID_FUND_COLUMNS)
        and all(_NUMBER.match(c.text) for c in numbers)
    )


def _goals(lines: list[tuple[int, str, int]], i: int, out: list[Token], headers: _Headers) -> int:
    """The goals block from its header line at ``i``: returns the line after it (the first
    line of the indicator table's header)."""
    no, raw, page = lines[i]
    heads = _displayed(raw)
    x_exp = next(x for word, x in heads if V.GOAL_EXPECTED_LABEL in word)
    x_ach = next(x for word, x in heads if V.GOAL_ACHIEVED_LABEL in word)
    rows: list[list[tuple[str, int]]] = []  # each line's words and where they start
    # the pieces of 年度总体目标 printed in its column, at the lines' start: the cell spans
    # the header's row too, so its first piece may stand on the header's line (LibreOffice's
    # PDF of the Word file: 年 there, 度 / 总 / 体 / 目 / 标 below)
    label = "".join(w for w, x in heads if x <= 1 and _goal_piece(w))
    j = i + 1
    while j < len(lines):
        body = lines[j][1].strip()
        if _INDICATOR_HEAD in body or headers.near(j) is not None:
            break
        found = []
        for word, x in _word_starts(lines[j][1]):
            if x <= 1 and _goal_piece(word):
                label += word
            else:
                found.append((word, x))
        if found:
            rows.append(_cells_of(found))
        j += 1
    # a line of two words: 预期目标, 实际完成情况; of one word: by where it starts (the
    # expected text starts at the left of its column, the achieved one further right);
    # of more (a space inside the text): not separable, but where one gap of two spaces
    # or more parts them (`_cells_of`: LibreOffice's PDF of the Word file spaces digits
    # from CJK text, 〔2023〕7 号文): a cell's line holds no such gap, so the words before
    # it are 预期目标's and those after it 实际完成情况's, joined as two words are
    left = min((r[0][1] for r in rows), default=0)
    right = min((r[1][1] for r in rows if len(r) == 2), default=None)
    parts: dict[str, list[str]] = {"expected": [], "achieved": []}
    mixed = False
    unclear: tuple[int, str] | None = None  # a word not clearly in its column
    if label and label != V.GOALS_LABEL:  # a piece of the text taken for the label's?
        unclear = (0, label)
    for k, r in enumerate(rows):
        if len(r) == 2:
            (first, _), (second, x) = r
            parts["expected"].append(first)
            parts["achieved"].append(second)
            if right is not None and x > right + 2:
                # 实际完成情况's lines start in one column: the leftmost second word may be
                # 预期目标's, two words of one line
                unclear = unclear or (k, second)
        elif len(r) == 1:
            [(word, x)] = r
            parts["expected" if x <= left + 2 else "achieved"].append(word)
            if x > left + 2 and (right is None or x < right - 2):
                unclear = unclear or (k, word)  # right of 预期目标's edge, not known to
                # stand in 实际完成情况
        elif right is None:
            mixed = True
        else:  # a space inside the text: each word by the column it starts in
            for word, x in r:
                parts["achieved" if x >= right - 2 else "expected"].append(word)
            unclear = unclear or (k, r[0][0])
    out += [Token(V.GOALS_LABEL, no, 1, page)]
    out += [Token(V.GOAL_EXPECTED_LABEL, no, x_exp + 1, page)]
    out += [Token(V.GOAL_ACHIEVED_LABEL, no, x_ach + 1, page)]
    goals = [Token("".join(parts[key]), no + 1, 1, page, mixed) for key in parts]
    if unclear is not None:
        goals[0].doubts = [position_doubt(no + 1, unclear[1])]
    out += goals
    return j


def _cells_of(words: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A goals line's words (with their character columns), or, where they are more than
    two and one gap of two spaces or more parts them, the two runs they make, each joined
    (without its spaces, as the words of a cell are) and where it starts."""
    if len(words) <= 2:
        return words
    wide = [
        k for k, ((a, xa), (_, xb)) in enumerate(pairwise(words), start=1) if xb > xa + len(a) + 1
    ]
    if len(wide) != 1:
        return words
    [k] = wide
    return [("".join(w for w, _ in run), run[0][1]) for run in (words[:k], words[k:])]


def _goal_piece(word: str) -> bool:
    """A piece of the 年度总体目标 label as printed in its column."""
    return word in _GOAL_PIECES or word in V.GOALS_LABEL


_HEADER_REACH = 4  # lines a header cell's wrapped label may stand above or below it
_NUMBER_KEYS = frozenset({"weight", "score", "share", "adjusted_score"})
_LEVEL_KEYS = ("level1", "level2")
_REQUIRED = frozenset({"name", "target", "actual", "weight", "score"})


@dataclass(slots=True)
class Stack:
    """A word of laid-out text joined with the words below it that stand in its columns
    (a wrapped cell: 单项指 / 标折算 / 得分): its text, first and last character column
    (``pdftotext -layout`` aligns by characters), first and last line, and the columns of
    its last word (where the next piece below must stand)."""

    text: str
    x0: int
    x1: int
    top: int
    bottom: int
    last: tuple[int, int]


def stacked(lines: list[str], first: int = 0) -> list[Stack]:
    """The words of ``lines`` (their indices counted from ``first``), each joined with the
    words below it whose columns overlap its last piece's, a line apart or two (a wrapped
    header cell is printed centred, its lines between those of its neighbours); a word
    goes on in one word below at most."""
    return _stacked(list(map(_word_starts, lines)), first)


def _stacked(words: list[list[tuple[str, int]]], first: int) -> list[Stack]:
    """:func:`stacked` of lines' words (:func:`_word_starts` of each line)."""
    stacks: list[Stack] = []
    open_: list[Stack] = []
    for k, line in enumerate(words, start=first):
        if open_:
            open_ = [o for o in open_ if o.bottom >= k - 2]
        here: list[Stack] = []
        starts: list[int] = []  # the columns of this line's words (disjoint, in order)
        ends: list[int] = []
        for word, x0 in line:
            x1 = x0 + len(word)
            starts.append(x0)
            ends.append(x1)
            hit = None
            for o in open_:
                if x0 < o.last[1] and o.last[0] < x1:
                    hit = o
                    break
            if hit is None:
                stack = Stack(word, x0, x1, k, k, (x0, x1))
                stacks.append(stack)
            else:
                open_.remove(hit)
                stack = hit
                stack.text += word
                stack.x0, stack.x1 = min(stack.x0, x0), max(stack.x1, x1)
                stack.bottom, stack.last = k, (x0, x1)
            here.append(stack)
        if here:
            open_ = _still_open(open_, starts, ends) + here
    return stacks


def _still_open(open_: list[Stack], starts: list[int], ends: list[int]) -> list[Stack]:
    """The stacks of ``open_`` whose last piece no word of a line overlaps (the words'
    columns ``starts`` / ``ends``: disjoint, in order): the last word starting left of the
    piece's end ends at or before its start."""
    kept = []
    for o in open_:
        w = bisect_left(starts, o.last[1]) - 1
        if w < 0 or ends[w] <= o.last[0]:
            kept.append(o)
    return kept


_WORD = re.compile(r"\S+")


@dataclass(slots=True)
class Column:
    """An indicator column of the header: its key (a model field, or :data:`EXTRA` for a
    column the template lacks), its label as printed, its character columns."""

    key: str
    text: str
    x0: int
    x1: int

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Header:
    """The indicator table's header: the lines it takes and its columns left to right."""

    top: int
    bottom: int
    columns: list[Column]
    # a repeated header's lines: the level pieces standing among its labels, by line
    pieces: dict[int, list[tuple[str, int]]] = field(default_factory=dict)


@lru_cache(maxsize=4096)
def _header_key(text: str) -> str | None:
    key = column_key(text)
    if key is None and V.grid_label(text) in ("一级", "二级", "绩效指标", "指标"):
        return "block"  # 一级 / 二级 over 指标 not yet joined, or a heading over columns
    return key


def _header(lines: list[tuple[int, str, int]], k: int, pieces: bool = False) -> Header:
    """The indicator header around line ``k`` (the line of 三级指标): the most lines
    around it, as many above as below, whose words stacked are all header labels (a
    wrapped label is printed centred on the header's middle line); its columns are the
    declared labels those stacks spell, in the order they stand (the layout's own columns
    and their order, 得分计算方法 or 指标性质 among them). Raises :class:`LayoutError` when
    the header lacks a column every layout has.

    ``pieces``: a header repeated at the top of a page, where the level cells going on
    from the page before print their labels again: those labels' pieces among the
    header's lines (LibreOffice's workbook: 一级指标 服务对象 over 二级指标, 效益指标 /
    (20分) 二级指标) are no header words; they are set apart (:func:`_level_piece`) and
    kept in the header's ``pieces``."""
    found: tuple[int, list[Stack]] | None = None
    name = lines[k][1].find(_INDICATOR_HEAD) + len(_INDICATOR_HEAD) / 2
    apart: dict[int, list[tuple[str, int]]] = {}
    same = False  # the last window's words were all header labels
    words: dict[int, list[tuple[str, int]]] = {}  # each line's, split once for every window
    for d in range(_HEADER_REACH + 1):
        lo, hi = max(0, k - d), min(len(lines) - 1, k + d)
        if d and not lines[lo][1].strip() and not lines[hi][1].strip():
            if same and found is not None:
                found = (d, found[1])  # two empty lines more: the same words
            continue
        if d and (_has_number(lines[lo][1]) or _has_number(lines[hi][1])):
            break  # a row's line (its 分值, 得分): the header is above it
        for j in range(lo, hi + 1):
            if j not in words:
                words[j] = _word_starts(lines[j][1])
                if pieces:
                    apart[j] = [(t, x) for t, x in words[j] if _level_piece(t, x, name)]
                    words[j] = [(t, x) for t, x in words[j] if (t, x) not in apart[j]]
        stacks = _stacked([words[j] for j in range(lo, hi + 1)], lo)
        same = _all_header_labels(stacks)
        if same:
            found = (d, stacks)
        if pieces and any(apart[j] and not words[j] for j in (lo, hi)):
            break  # a line of level pieces alone: the header reaches no farther
    if found is None:
        raise LayoutError(f"第{lines[k][0]}行：绩效指标表的表头不全，无法按位置读出各栏")
    d, stacks = found
    columns = [
        Column(key, s.text, s.x0, s.x1)
        for s in stacks
        if (key := _header_key(s.text)) not in (None, "block")
    ]
    columns.sort(key=lambda c: c.x0)
    keys = [c.key for c in columns if c.key != EXTRA]
    if not set(keys) >= _REQUIRED or len(keys) != len(set(keys)):
        raise LayoutError(f"第{lines[k][0]}行：绩效指标表的表头不全，无法按位置读出各栏")
    lo, hi = max(0, k - d), min(len(lines) - 1, k + d)
    while lo < k and not lines[lo][1].strip():
        lo += 1
    return Header(lo, hi, columns, {j: apart[j] for j in range(lo, hi + 1) if apart.get(j)})


@lru_cache(maxsize=4096)
def _level_piece(text: str, x: int, name: float) -> bool:
    """A word of a repeated header's lines that is a level label's piece: no header label
    nor a piece of one, standing left of 三级指标 (its middle), part of a level label or of
    a printed weight."""
    return (
        _header_key(text) is None
        and text not in _INDICATOR_HEAD  # 指 / 标 of 一级指标 printed a character a line
        and x + len(text) / 2 < name
        and (
            any(text in label for label in _LEVEL_WORDS)
            or _weighted_piece(text)
            or V.WEIGHT_PIECE.fullmatch(text) is not None
        )
    )


def _all_header_labels(stacks: list[Stack]) -> bool:
    """Every stack a header label (:func:`_header_key`), 三级指标 among them; told at the
    first that is none (a window reaching a line of text or of a row: its words, new from
    form to form, are not looked up)."""
    name = False
    for s in stacks:
        key = _header_key(s.text)
        if key is None:
            return False
        name = name or key == "name"
    return name


def _has_number(raw: str) -> bool:
    """A line holding a number (or a dash) as a word of its own: a value, no label. (Its
    words tried one by one: one search of the whole line, a pattern tried at each of its
    characters, cost eight times as much on a line laid out wide.)"""
    return any(map(_NUMBER.match, raw.split()))


class _Headers:
    """The indicator headers of a text's lines, each read once, found by the line they
    start on."""

    def __init__(self, lines: list[tuple[int, str, int]]) -> None:
        self.lines = lines
        self.at = [k for k, (_, raw, _) in enumerate(lines) if _INDICATOR_HEAD in raw]
        self.read: dict[int, Header | None] = {}

    def near(self, i: int) -> Header | None:
        """The indicator header that starts at line ``i`` (its 三级指标 line at most
        :data:`_HEADER_REACH` lines below), else None."""
        n = bisect_left(self.at, i)
        if n == len(self.at) or self.at[n] > i + _HEADER_REACH:
            return None
        k = self.at[n]
        if k not in self.read:
            raw = self.lines[k][1]
            # a list of indicators by project (a workbook's sheet) is cells, not a table
            self.read[k] = None if V.PROJECT_LABEL in raw else _header(self.lines, k)
        header = self.read[k]
        return header if header is not None and header.top <= i else None


def _table(lines: list[tuple[int, str, int]], header: Header, out: list[Token]) -> int:
    """The indicator table under ``header``: tokens of its header and rows in table order;
    returns the index of the 总分 line (or the end)."""
    no, page = lines[header.top][0], lines[header.top][2]
    keys = {c.key for c in header.columns}
    out += [
        Token(h, no, 1, page)
        for h, key in zip(V.TABLE_HEADER, _LEVEL_KEYS, strict=False)
        if key not in keys
    ]
    out += [Token(c.text, no, 1, page) for c in header.columns]
    body_start = header.bottom + 1
    end = body_start
    while end < len(lines) and not lines[end][1].strip().startswith((V.TOTAL_LABEL, V.GRADE_LABEL)):
        end += 1
    try:
        out += _rows(lines[body_start:end], header.columns)
    except LayoutError as err:  # this table is a gap; the rest of the text is read on
        at = lines[min(body_start, len(lines) - 1)]
        out.append(Token("", at[0], 1, at[2], problem=str(err)))
    return end


def _is_header_line(raw: str) -> bool:
    """A line of the indicator table's header (repeated at the top of a new page)."""
    return (
        "三级指标" in raw
        or "及改进措施" in raw
        or "偏差原因分析" in raw
        or ("二级" in raw and raw.lstrip().startswith("一级"))
    )


# A header's columns as the placing of words measures them: each column's first and last
# character column and its centre, and whether it takes one number (分值, 得分 …)
Spans = tuple[list[tuple[int, int, float]], list[bool]]


def _spans(columns: list[Column]) -> Spans:
    return [(c.x0, c.x1, c.centre) for c in columns], [c.key in _NUMBER_KEYS for c in columns]


def _nearest_column(x0: int, width: int, number: bool, measured: Spans) -> tuple[int, bool]:
    """The column nearest a word (starting in display column ``x0``, ``width`` characters;
    ``number``: it may stand in a number column), as :func:`_placed` measures distance (the
    first of two as near; -1 when no column may take it), and whether that column is
    clear (:data:`CLEAR_MARGIN`, as :func:`_unclear` tells it)."""
    spans, one = measured
    x1 = x0 + width
    mid = (x0 + x1) / 2
    best = second = float("inf")
    at = -1
    for j, (c0, c1, cm) in enumerate(spans):
        if one[j] and not number:
            continue
        far = (c0 - x1 if c0 > x1 else (x0 - c1 if x0 > c1 else 0)) + abs(mid - cm) / 100
        if far < best:
            best, second, at = far, best, j
        elif far < second:
            second = far
    return at, second - best >= CLEAR_MARGIN


def _in_order(cols: list[int], one: list[bool]) -> bool:
    """Columns that stand in order, a number column taking one word."""
    if all(map(lt, cols, cols[1:])):
        return True  # each column one word (most lines: told without a call a pair)
    return all(a <= b and not (a == b and one[a]) for a, b in pairwise(cols))


# A line's words placed (:func:`_place_line`): for each word's start, width and whether it
# may stand in a number column, its nearest column and whether that is clear
Nearest = dict[tuple[int, int, bool], tuple[int, bool]]


def _place_line(
    ws: list[Word], marks: list[bool] | None, measured: Spans, memo: Nearest
) -> tuple[list[int] | None, Word | None]:
    """:func:`_placed` and :func:`_unclear` of its placing (None for None) in one, the
    number columns taking a word when ``marks`` (whether each word is a number) are
    given: when each word's nearest column (remembered in ``memo`` by the word's place
    and kind, for one header's ``measured``) stands in order, that placing and the first
    word whose column is not clear, without measuring again; else the long way."""
    cols: list[int] = []
    unclear = None
    one = measured[1]
    for w, number in zip(ws, marks or repeat(False), strict=False):  # (repeat: endless)
        key = (w.x, len(w.text), number)
        found = memo.get(key)
        if found is None:
            found = memo[key] = _nearest_column(*key, measured)
        cols.append(found[0])
        if not found[1] and unclear is None:
            unclear = w
    if cols and _in_order(cols, one):
        return (cols, unclear) if cols[0] >= 0 else (None, None)
    numbers = marks is not None
    placed = _placed(ws, measured, numbers)
    return placed, None if placed is None else _unclear(ws, placed, measured, numbers)


def _placed(ws: list[Word], measured: Spans, numbers: bool) -> list[int] | None:
    """Each word of a line to a column, in order (a text column takes every word of its
    cell printed on this line, a number column one number), at the least distance: 0
    where the word and the column's label overlap, else the gap between them, the
    centres' distance breaking ties; ``numbers``: whether the number columns (分值, 得分 …)
    may take a word. None when no such placing exists."""
    if not ws:
        return []
    spans, one = measured
    n = len(spans)
    inf = float("inf")
    # each word at its nearest column: the least placing when those stand in order
    nearest = []
    for w in ws:
        number = numbers and _NUMBER.match(w.text) is not None
        nearest.append(_nearest_column(w.x, len(w.text), number, measured)[0])
    if _in_order(nearest, one):
        return nearest if nearest[0] >= 0 else None
    back: list[list[int]] = []
    cost: list[float] = []
    below: list[float] = []  # the best cost so far with the last word in a column < j
    below_at: list[int] = []
    upto: list[float] = []  # … ≤ j
    upto_at: list[int] = []
    for i, w in enumerate(ws):
        number = numbers and _NUMBER.match(w.text) is not None
        if i:
            below, below_at, upto, upto_at = [], [], [], []
            best, at = inf, -1
            for j in range(n):
                below.append(best)
                below_at.append(at)
                if cost[j] < best:
                    best, at = cost[j], j
                upto.append(best)
                upto_at.append(at)
        row = [inf] * n
        arg = [-1] * n
        x0 = w.x
        x1 = x0 + len(w.text)
        mid = (x0 + x1) / 2
        for j in range(n):
            if one[j] and not number:
                continue
            if i:
                base, k = (below[j], below_at[j]) if one[j] else (upto[j], upto_at[j])
                if base == inf:
                    continue
            else:
                base, k = 0.0, -1
            c0, c1, cm = spans[j]
            gap = c0 - x1 if c0 > x1 else (x0 - c1 if x0 > c1 else 0)
            row[j] = base + gap + abs(mid - cm) / 100
            arg[j] = k
        cost = row
        back.append(arg)
    j = min(range(n), key=cost.__getitem__)
    if cost[j] == inf:
        return None
    out = []
    for i in range(len(ws) - 1, -1, -1):
        out.append(j)
        j = back[i][j]
    return out[::-1]


# A word's column is clear when every other column it may stand in is at least this many
# display columns further from it than its own (a CJK character counts 2): measured over
# every declared layout's forms through jixiao's and LibreOffice's PDFs, words stand 3 or
# more columns nearer their own column but for a few of LibreOffice's, under narrow
# columns, 0–2 columns apart (tests/test_ingest_laid_out.py).
CLEAR_MARGIN = 3


def _unclear(ws: list[Word], cols: list[int], measured: Spans, numbers: bool) -> Word | None:
    """The first word of a line placed (``cols``, by :func:`_placed`) in a column that is
    not clearly its nearest: another column it may stand in is less than
    :data:`CLEAR_MARGIN` further away (or nearer). None when every word's column is clear.
    A word's distance to a column: 0 where they overlap, else the gap between them, and a
    hundredth of their centres' distance (as :func:`_placed` measures it)."""
    spans, ones = measured
    for w, j in zip(ws, cols, strict=True):
        number = numbers and _NUMBER.match(w.text) is not None
        x0 = w.x
        x1 = x0 + len(w.text)
        own = _far(x0, x1, spans[j])
        for k, span in enumerate(spans):
            if k == j or (ones[k] and not number):
                continue
            if _far(x0, x1, span) - own < CLEAR_MARGIN:
                return w
    return None


def _far(x0: int, x1: int, span: tuple[int, int, float]) -> float:
    """How far a word on display columns ``x0``…``x1`` stands from a column: 0 where they
    overlap, else the gap between them, and a hundredth of their centres' distance."""
    c0, c1, centre = span
    return (c0 - x1 if c0 > x1 else (x0 - c1 if x0 > c1 else 0)) + abs((x0 + x1) / 2 - centre) / 100


def _squeezed(ws: list[Word], cols: list[int]) -> Word | None:
    """The first word of a line printed one space after the word before it and placed in
    the same column: one cell with a space in it, or two cells pdftotext -layout squeezed
    together (its columns count a CJK character as one: 符合环保要求 达成预期指标, a
    年度指标值 and its 实际完成值), not told apart by position. None when there is none."""
    for (a, b), (j, k) in zip(pairwise(ws), pairwise(cols), strict=False):
        if j == k and b.x == a.x + len(a.text) + 1:
            return b
    return None


def _choices(w: Word, number: bool, measured: Spans) -> list[int]:
    """The columns a word may stand in (start a cell of): those within :data:`CLEAR_MARGIN`
    of its nearest (as :func:`_unclear` measures it), a number column only for a
    ``number``."""
    spans, ones = measured
    x0 = w.x
    x1 = x0 + len(w.text)
    inf = float("inf")
    far = [inf if ones[k] and not number else _far(x0, x1, s) for k, s in enumerate(spans)]
    best = min(far)
    return [k for k, f in enumerate(far) if f - best < CLEAR_MARGIN] if best < inf else []


def _one_placing(
    ws: list[Word], marks: list[bool] | None, measured: Spans, weights: list[int]
) -> list[int] | None:
    """A line's words' columns where the runs of two spaces or more leave one placing
    (None where they leave none or several). What a cell's line holds is one run of words
    one space apart (a space inside a cell is one; LibreOffice's Writer spaces digits from
    CJK text: ``2024 年 11 月``), so a column's words on a line never stand apart by two
    spaces or more, and the cells stand in order, a number column holding one number
    (``marks``: the line is a row's, its numbers may stand in number columns and its
    ``weights`` columns, 分值 and 得分, must be taken). A word two spaces or more after the
    one before (or the first) starts a cell: its column is one of its :func:`_choices`. A
    word one space after another is that cell's or starts a cell of a later column
    (pdftotext -layout squeezes two cells one space apart: ``符合环保要求 达成预期指标``),
    its distance not trusted but for this: pdftotext pushes a word right of where it
    stands, not left, so one printed left of a column's label (its middle: the label
    stands in its cell) starts no cell right of that column. Not the label's end: a line
    of many CJK characters drifts a column or so (LibreOffice's workbook, 新疆, seed 202:
    ``未完成按比例 满意度调查表``, 佐证资料's cell one column left of the end of
    指标赋分规则's label).
    ``2024 年 11 月   2024 年 9 月   2.50   2.50``: its 月 as near 实际完成值 as 年度指标值,
    but 实际完成值 holds 2024 年 9 月, two spaces or more on: one placing."""
    spans, ones = measured
    n = len(spans)
    numeric = marks if marks is not None else [False] * len(ws)
    need = sum(1 << k for k in weights) if marks is not None else 0
    # each state: (column, weights taken) -> (placings counted up to 2, one placing)
    states: dict[tuple[int, int], tuple[int, list[int]]] = {}
    for i, (w, number) in enumerate(zip(ws, numeric, strict=True)):
        new: dict[tuple[int, int], tuple[int, list[int]]] = {}
        opened = _choices(w, number, measured)
        if i == 0:
            for j in opened:
                new[(j, 1 << j if j in weights else 0)] = (1, [j])
        else:
            prev = ws[i - 1]
            joined = w.x == prev.x + len(prev.text) + 1  # one space after: the same run
            for (p, got), (count, cols) in states.items():
                if joined:  # the cell's, or the next cell's where it may start
                    later = [p] if not ones[p] else []
                    later += [j for j in range(p + 1, n) if w.x > spans[j - 1][2]]
                    later = [j for j in later if number or not ones[j]]
                else:
                    later = [j for j in opened if j > p]
                for j in later:
                    key = (j, got | (1 << j if j in weights else 0))
                    had = new.get(key)
                    if had is None:
                        new[key] = (count, [*cols, j])
                    else:
                        new[key] = (min(2, count + had[0]), had[1])
        states = new
        if not states:
            return None
    found = [(count, cols) for (_, got), (count, cols) in states.items() if got & need == need]
    if len(found) != 1 or found[0][0] != 1:
        return None
    return found[0][1]


def _by_spaces(
    ws: list[Word],
    cols: list[int],
    doubt: Word | None,
    marks: list[bool] | None,
    measured: Spans,
    weights: list[int],
) -> tuple[list[int], Word | None]:
    """A line's placing by distance (``cols``, its ``doubt``, or two cells squeezed one
    space apart, :func:`_squeezed`), replaced by the one the runs of spaces leave
    (:func:`_one_placing`, looked at only where distance left a doubt), with no doubt."""
    doubt = doubt or _squeezed(ws, cols)
    if doubt is None:
        return cols, None
    one = _one_placing(ws, marks, measured, weights)
    return (one, None) if one is not None else (cols, doubt)


def _by_runs(
    by_line: dict[int, list[Word]],
    marks: dict[int, list[bool]],
    placed: dict[int, list[int]],
    anchors: set[int],
    segment: list[int],
    measured: list[Spans],
    weights: list[list[int]],
) -> set[int]:
    """The rows whose numbers' columns the numbers' alignment down the table tells (their
    ``placed`` set so); each header's rows apart. A header whose wrapped labels are short
    (权重占 / 比: pdftotext -layout counts a CJK character as one column, half its width)
    may leave a number about as near two number columns; but every row's numbers stand
    column under column. Where the numbers of the rows that are not clearly in a text
    column fall into runs of overlapping columns, as many as the header's number columns,
    each row's numbers in runs of their own, the i-th run is the i-th number column, when
    that column is, for each of its numbers, one the distance leaves open (within
    :data:`CLEAR_MARGIN` of its nearest) and each row's columns stay in order, 分值 and
    得分 among them."""
    settled: set[int] = set()
    for n, spans in enumerate(measured):
        rows = sorted(a for a in anchors if segment[a] == n)
        nums = [k for k, one in enumerate(spans[1]) if one]
        words = [
            (a, i, w)
            for a in rows
            for i, (w, number) in enumerate(zip(by_line[a], marks[a], strict=True))
            if number and any(j in nums for j in _choices(w, True, spans))
        ]
        words.sort(key=lambda t: t[2].x)
        runs: list[list[tuple[int, int, Word]]] = []
        end = -1
        for t in words:
            if runs and t[2].x < end:
                runs[-1].append(t)
                end = max(end, t[2].x + len(t[2].text))
            else:
                runs.append([t])
                end = t[2].x + len(t[2].text)
        if len(runs) != len(nums):
            continue
        new = {a: list(placed[a]) for a in rows}
        ok = True
        for run, j in zip(runs, nums, strict=True):
            if len({a for a, _, _ in run}) != len(run):
                ok = False  # a row with two numbers in one run
                break
            for a, i, w in run:
                if j not in _choices(w, True, spans):
                    ok = False
                    break
                new[a][i] = j
            if not ok:
                break
        if not ok or not all(
            _in_order(new[a], spans[1]) and all(map(new[a].__contains__, weights[n])) for a in rows
        ):
            continue
        for a in rows:
            placed[a] = new[a]
            settled.add(a)
    return settled


def position_doubt(line: int, word: str | None = None) -> str:
    """The gap of a text read by position where a word's place was not clear: a word as
    near another column as its own (``word``), or a cell wrapped over lines of its own."""
    why = f"“{word}”与两栏的距离相近" if word is not None else "有的格折行印出"
    return (
        f"第{line}行起：本表按文字在行中的位置读出（如 pdftotext -layout），{why}，"
        "年度总体目标和绩效指标（折行的文字、一级 / 二级指标各管哪几行）为推定，请与原表核对"
    )


def _rows(lines: list[tuple[int, str, int]], columns: list[Column]) -> list[Token]:
    if not lines:
        raise LayoutError("绩效指标表中没有指标行")
    # the header repeated at the top of a page may stand elsewhere: each page's lines are
    # placed by the columns of the header above them
    keys = [c.key for c in columns]
    heads = [(0, columns)]
    repeated: set[int] = set()  # the lines of a header repeated on a new page
    kept: dict[int, str] = {}  # of those, the level pieces among the header's words
    for k, (_, raw, _) in enumerate(lines):
        if _INDICATOR_HEAD in raw and V.PROJECT_LABEL not in raw:
            try:
                again = _header(lines, k, pieces=True)
            except LayoutError:
                continue
            # all of its lines: the 指标 / 指标 under 一级 / 二级 are no level pieces, the
            # 算方法 under 得分计 no row's words; the level pieces among them are
            repeated.update(range(again.top, again.bottom + 1))
            for j, words in again.pieces.items():
                piece_line = ""
                for text, x in words:
                    piece_line += " " * (x - len(piece_line)) + text
                kept[j] = piece_line
            if [c.key for c in again.columns] == keys:
                heads.append((k, again.columns))
    lines = [
        (no, kept.get(k, "") if k in repeated else "" if _is_header_line(raw) else raw, page)
        for k, (no, raw, page) in enumerate(lines)
    ]
    segment = [0] * len(lines)  # the index in ``heads`` of each line's header
    for n, (start, _) in enumerate(heads):
        segment[start:] = [n] * (len(lines) - start)
    bodies = [[c for c in cols if c.key not in _LEVEL_KEYS] for _, cols in heads]
    edges = [_level_edge(cols) for _, cols in heads]
    body = bodies[0]
    doubts: list[str] = []  # what was inferred rather than read: gaps of the form
    # level pieces: short words left of the 三级指标 column; the other words by line
    small: list[Word] = []
    by_line: dict[int, list[Word]] = {}
    marks: dict[int, list[bool]] = {}  # whether each of a line's words (by_line's) is a number
    for k, (_, raw, page) in enumerate(lines):
        cut = edges[segment[k]]
        ws: list[Word] = []
        numbers: list[bool] = []
        for text, x in _word_starts(raw):
            number = _NUMBER.match(text) is not None
            if (
                x + len(text) / 2 < cut
                and (len(text) <= _LONGEST_LEVEL or _weighted_piece(text))
                and not number
            ):
                small.append(Word(text, k, x, page))
            else:
                ws.append(Word(text, k, x, page))
                numbers.append(number)
        if ws:
            by_line[k] = ws
            marks[k] = numbers
    xs = sorted({_middle(w) for w in small})
    edge = _level1_edge(xs)
    if not _level1_clear(xs) and small:
        told = _one_edge(small, xs, lines)
        if told is None:
            doubts.append(position_doubt(lines[small[0].line][0], small[0].text))
        else:
            edge = told
    pieces: dict[str, list[Word]] = {"level1": [], "level2": []}
    for w in small:
        pieces["level1" if _middle(w) <= edge else "level2"].append(w)
    # rows: the lines whose words place numbers under 分值 and 得分
    placed: dict[int, list[int]] = {}
    anchors: set[int] = set()
    unclear: Word | None = None  # the first word whose column was not clear
    measured = [_spans(cols) for cols in bodies]
    memos: list[Nearest] = [{} for _ in bodies]
    # where 分值 and 得分 stand in each header's columns (each header has one of each)
    weights = [[k for k, c in enumerate(cols) if c.key in ("weight", "score")] for cols in bodies]
    numbers_unclear: dict[int, Word] = {}  # a row whose unclear word is a number
    for line, ws in by_line.items():
        spans, memo = measured[segment[line]], memos[segment[line]]
        if marks[line].count(True) >= 2:  # 分值 and 得分 at least
            cols, doubt = _place_line(ws, marks[line], spans, memo)
            if cols is not None and all(map(cols.__contains__, weights[segment[line]])):
                anchors.add(line)
                cols, doubt = _by_spaces(
                    ws, cols, doubt, marks[line], spans, weights[segment[line]]
                )
                placed[line] = cols
                if unclear is None and doubt is not None and _NUMBER.match(doubt.text):
                    numbers_unclear[line] = doubt  # the runs may tell (below)
                    continue
                unclear = unclear or doubt
                continue
        cols, doubt = _place_line(ws, None, spans, memo)
        if cols is None:
            raise LayoutError(
                f"第{lines[line][0]}行：“{lines[line][1].strip()}”各词属于哪一栏无法确定"
            )
        cols, doubt = _by_spaces(ws, cols, doubt, None, spans, [])
        placed[line] = cols
        unclear = unclear or doubt
    if numbers_unclear:
        settled = _by_runs(by_line, marks, placed, anchors, segment, measured, weights)
        for line, doubt in numbers_unclear.items():
            if line in settled:
                ws, cols = by_line[line], placed[line]
                rest = [(w, j) for w, j, n in zip(ws, cols, marks[line], strict=True) if not n]
                doubt = _unclear(
                    [w for w, _ in rest], [j for _, j in rest], measured[segment[line]], True
                )
                doubt = doubt or _squeezed(ws, cols)
            if doubt is not None and (unclear is None or doubt.line < unclear.line):
                unclear = doubt
    order = sorted(anchors)
    if not order:
        raise LayoutError(f"第{lines[0][0]}行起：绩效指标表中没有找到分值、得分")
    cells: dict[int, dict[str, list[Word]]] = {a: {} for a in order}
    own: dict[int, set[str]] = {}  # the columns each row has on its own line
    reach = Reach({a: a for a in order}, {a: a for a in order}, set(by_line))
    if unclear is not None:
        doubts.append(position_doubt(lines[unclear.line][0], unclear.text))
    ids = [_col_id(body, j) for j in range(len(body))]
    for line in order:
        mine = cells[line]
        for w, j in zip(by_line[line], placed[line], strict=True):
            if (col := ids[j]) in mine:
                mine[col].append(w)
            else:
                mine[col] = [w]
        own[line] = set(mine)
    wrapped = [line for line in by_line if line not in anchors]
    # where every word's column is clear, the rows of the wrapped lines the text settles
    known = _settled(order, by_line, placed, ids) if wrapped and unclear is None else {}
    if unclear is None and any(line not in known for line in wrapped):
        # a cell wrapped over lines of its own: the row each line goes to (and the rows
        # the level labels are centred on, the rows' heights uneven) is inferred even
        # where its column is clear and the row above or below lacks that column
        doubts.append(position_doubt(lines[min(wrapped)][0]))
    guessed: list[tuple[int, str]] = []  # (line, word) placed in the nearest row
    for line, ws in by_line.items():
        if line in anchors:
            continue
        for w, j in zip(ws, placed[line], strict=True):
            col = ids[j]
            if line in known:
                row, sure = known[line], True
            else:
                row, sure = _nearest(order, line, col, own, lines)
            cells[row].setdefault(col, []).append(w)
            reach.top[row] = min(reach.top[row], line)
            reach.bottom[row] = max(reach.bottom[row], line)
            if not sure:
                guessed.append((lines[line][0], w.text))
    if guessed:
        doubts.append(_guessed_doubt(guessed))
    if all("name" in cells[a] for a in order):
        reach.names = [
            (min(w.line for w in cells[a]["name"]) + max(w.line for w in cells[a]["name"])) / 2
            for a in order
        ]
    try:
        level2 = _levels(pieces["level2"], order, reach, lines, "level2", doubts)
        level_rows = {
            "level1": _level1(pieces["level1"], level2, order, reach, lines, doubts),
            "level2": level2,
        }
    except LayoutError as err:  # the rows are read on, without their 一级 / 二级 labels
        doubts.append(f"{err}，一级 / 二级指标未读入")
        level_rows = {"level1": {}, "level2": {}}
    out: list[Token] = []
    for a in order:
        c = cells[a]
        no, page = lines[a][0], lines[a][2]
        for key in _LEVEL_KEYS:
            label = level_rows[key].get(a)
            if label:
                out.append(Token(label, no, 1, page))
        out += [
            Token(_joined_words(parts) if parts else "", no, 1, page) for parts in map(c.get, ids)
        ]
    if out and doubts:
        out[0].doubts = list(dict.fromkeys(doubts))
    return out


def _level_edge(columns: list[Column]) -> float:
    """Where the level labels' pieces end: halfway from 二级's column to 三级指标's."""
    at = {c.key: c for c in columns}
    name = at["name"]
    return (at["level2"].centre + name.centre) / 2 if "level2" in at else name.x0


def _col_id(body: list[Column], j: int) -> str:
    """A column's key in a row's cells (an added column by its position: two may be)."""
    key = body[j].key
    return f"{EXTRA}{j}" if key == EXTRA else key


def _joined_words(parts: list[Word]) -> str:
    """A cell's words in reading order: words of one line parted by a space where the
    text had one, lines joined with nothing (as the seed's wrapped cells)."""
    if len(parts) == 1:
        return parts[0].text
    parts = sorted(parts, key=lambda w: (w.line, w.x))
    out = ""
    for prev, w in zip([None, *parts], parts, strict=False):
        if prev is not None and prev.line == w.line:
            out += " " * min(1, w.x - prev.x - len(prev.text))
        out += w.text
    return out


def _middle(w: Word) -> float:
    """The column a level piece's middle stands in (its first column and half its width in
    characters): each cell's pieces are centred on one middle, whatever their lengths."""
    return w.x + len(w.text) / 2


def _level1_clear(xs: list[float]) -> bool:
    """The level pieces' columns part clearly into 一级 and 二级 (:func:`_level1_edge`: by
    a gap of two columns or more), or are all of one kind (one column)."""
    if len(xs) < 2:
        return True
    return max(b - a for a, b in pairwise(xs)) >= 2


def _one_edge(small: list[Word], xs: list[float], lines) -> float | None:
    """Where the level pieces part into 一级 and 二级 when their columns stand too near to
    tell (:func:`_level1_clear`), if the text decides it: every 一级 cell lies left of
    every 二级 cell, so its pieces stand left of theirs, and of the ways to part the
    pieces so, one alone joins them into whole 一级 labels on the left and whole 二级
    labels on the right (:func:`_joined`, the vocabulary's). The last column a 一级 piece's
    middle stands in (:func:`_middle`), or None when no way or more than one does."""
    fits: list[float] = []
    for t in (xs[0] - 1, *xs):
        left = [w for w in small if _middle(w) <= t]
        right = [w for w in small if _middle(w) > t]
        try:
            one = [label for label, *_ in _joined(left, lines, "level1")]
            two = [label for label, *_ in _joined(right, lines, "level2")]
        except LayoutError:
            continue
        if all(_bare(x) in V.LEVELS for x in one) and all(x in _LEVEL2 for x in two):
            fits.append(t)
            if len(fits) > 1:
                return None
    return fits[0] if fits else None


def _level1_edge(xs: list[float]) -> float:
    """The last column a 一级 piece's middle stands in (:func:`_middle`): 一级 at the left
    edge, 二级 indented, their pieces (centred in their cells) parted by the widest gap
    between the columns of their middles, when it is two columns or more."""
    if not xs:
        return 0
    gap, edge = max(((b - a, -a) for a, b in pairwise(xs)), default=(0, 0))
    return -edge if gap >= 2 else xs[0] + 1


def _nearest(
    order: list[int], line: int, col: str, own: dict[int, set[str]], lines
) -> tuple[int, bool]:
    """The row a wrapped word belongs to, and whether that is sure: of the rows just above
    and below, the one whose own line lacks that column (its cell wraps around it) is sure;
    else the nearer is a guess (the one above on a tie)."""
    k = bisect_left(order, line)  # ``line`` is no row's own: order[:k] above, order[k:] below
    cands = order[max(0, k - 1) : k + 1]
    if len(cands) == 1:
        return cands[0], True
    up, down = cands
    open_up = col not in own[up]
    open_down = col not in own[down]
    if open_up != open_down:
        return (up if open_up else down), True
    # the nearer row, the one above on a tie (a wrapped cell goes on below its first
    # line): a guess either way, named as a doubt
    return (up if line - up <= down - line else down), False


_NO_ROOM = 1 << 30  # wider than any column, in thousandths of an em


def _han(ch: str) -> bool:
    """A CJK ideograph (not a mark, a fullwidth form or a symbol)."""
    return "\u3400" <= ch <= "\u9fff"


@lru_cache(maxsize=4096)
def _together(a: str, b: str) -> int:
    """At most the printed width of line ``a`` with the first piece of the next line ``b``
    after it and a space between (:func:`V.width_bounds`, thousandths of an em). A piece
    every printer breaks at is one ideograph before another (or alone); what else ``b``
    begins with is taken whole (LibreOffice keeps longer pieces whole than UAX #14 does:
    四川, seed 309, its Word file, ``≤`` alone on a line before ``520.00(元/个)；``). Where
    ``a`` ends with what no line may end with, more than any width: ``a`` was broken
    where a printer breaks only what does not fit."""
    if not a or a[-1] in V.NO_LINE_END:
        return _NO_ROOM
    one = _han(b[0]) and (len(b) == 1 or _han(b[1]))
    head = b[0] if one else b
    return V.width_bounds(a)[1] + V.width_bounds(head)[1] + V.glyph_bounds(" ")[1]


def _settled(
    order: list[int], by_line: dict[int, list[Word]], placed: dict[int, list[int]], ids
) -> dict[int, int]:
    """The row of each wrapped line (not a row's own) where the text leaves one, whatever
    the cells' vertical alignment: rows do not overlap, so between two rows' own lines
    one cut parts the lines of the row above from those of the row below, in every column
    at once; and a cell's lines but its last are full, so a line of a column with room
    left for the first printed piece of the column's next line ends its cell, and the cut
    lies between the two. Room is measured in printed widths, bounded for the fonts forms
    are printed in (:func:`V.width_bounds`): the line, a space and the next one's first
    piece (:func:`_together`, at most) no wider than the column's widest line (at least).
    Two such lines on either side of one row's own line (which lacks the column) are not
    both that row's: one of the two cuts around it lies between them, the other decided
    where the cuts left rule one out. A gap between two rows where the cuts so left are
    none is not settled; a line settled goes to the row every cut left gives it."""
    lines_of: dict[str, list[tuple[int, str | None]]] = {}
    for line in sorted(by_line):
        mine: dict[str, list[str]] = {}
        for w, j in zip(by_line[line], placed[line], strict=True):
            mine.setdefault(ids[j], []).append(w.text)
        for col, texts in mine.items():
            # a column's one word on the line, else not measured
            lines_of.setdefault(col, []).append((line, texts[0] if len(texts) == 1 else None))
    # the cuts left between order[k - 1] and order[k]: the last line of the row above
    low = {k: order[k - 1] for k in range(1, len(order))}
    high = {k: order[k] - 1 for k in range(1, len(order))}
    either: list[tuple[int, int, int]] = []
    for run in lines_of.values():
        width = max((V.width_bounds(t)[0] for _, t in run if t is not None), default=0)
        for (l1, t1), (l2, t2) in pairwise(run):
            if t1 is None or t2 is None or _together(t1, t2) > width:
                continue  # l1 may be full: l2 may go on its cell
            k = bisect_left(order, l1 + 1)  # the first row's own line after l1
            if not 0 < k < len(order):
                continue
            if l2 <= order[k]:  # a cut between l1 and l2
                low[k] = max(low[k], l1)
                high[k] = min(high[k], l2 - 1)
            elif l1 > order[k - 1] and k + 1 < len(order) and l2 < order[k + 1]:
                either.append((k, l1, l2))  # around order[k]: cut k >= l1 or cut k+1 < l2
    changed = bool(either)
    while changed:
        changed = False
        for k, l1, l2 in either:
            if high[k] < l1 and high[k + 1] > l2 - 1:
                high[k + 1], changed = l2 - 1, True
            if low[k + 1] > l2 - 1 and low[k] < l1:
                low[k], changed = l1, True
    out: dict[int, int] = {}
    for k in low:
        if low[k] > high[k]:
            continue  # the text contradicts itself: not settled
        up, down = order[k - 1], order[k]
        for line in range(up + 1, down):
            if line in by_line:
                if line <= low[k]:
                    out[line] = up
                elif line > high[k]:
                    out[line] = down
    return out


def _level1(
    pieces: list[Word],
    level2: dict[int, str],
    order: list[int],
    reach: Reach,
    lines,
    doubts: list[str],
) -> dict[int, str]:
    """The 一级 labels over the 二级 groups: each 二级 label stays under the current 一级
    label if it may stand there (:data:`V.LEVELS`), else starts the next one; where that
    does not decide, by where the labels are centred. A label printed again (a cell going
    on over a page break, as LibreOffice's workbook prints its text in each part) goes on
    at the first 二级 group it may stand over: the labels read are the same wherever it
    starts."""
    labels = [label for label, *_ in _joined(pieces, lines, "level1")]
    out: dict[int, str] = {}
    k = -1
    for row in order:
        if row not in level2:
            continue
        l2 = level2[row]
        here = k >= 0 and l2 in V.LEVELS.get(_bare(labels[k]), ())
        there = k + 1 < len(labels) and l2 in V.LEVELS.get(_bare(labels[k + 1]), ())
        if here and there and labels[k] != labels[k + 1]:
            return _levels(pieces, order, reach, lines, "level1", doubts)
        if here and not there:
            continue
        if not there:
            return _levels(pieces, order, reach, lines, "level1", doubts)
        k += 1
        out[row] = labels[k]
    if k != len(labels) - 1:
        return _levels(pieces, order, reach, lines, "level1", doubts)
    return out


def _joined(pieces: list[Word], lines, key: str) -> list[Label]:
    """The level labels joined from their pieces, each with the line it is centred on and
    its first and last line. A 一级 label printed with its weight (湖北: 成本 / 指标 / (20 /
    分), 满意度指 / 标(10分)) is joined with it, ``成本指标(20分)``, its lines the weight's
    too (the weight is the end of the label's cell: its pieces follow the label's, before
    the next cell's); a weight with no label before it, or after one that has its own, is
    not whole (:class:`LayoutError`)."""
    labels: list[Label] = []
    acc, first = "", -1
    for w in sorted(pieces, key=lambda w: (w.line, w.x)):
        if not acc:
            first = w.line
        acc += w.text
        if acc in _LEVEL_WORDS and (
            acc not in _LEVEL_PREFIXES or (acc.endswith("指标") and key == "level1")
        ):
            labels.append((acc, (first + w.line) / 2, first, w.line))
            acc = ""
        elif key == "level1" and (m := _WEIGHTED.fullmatch(acc)) is not None:
            label = m.group(1)
            if label in V.LEVELS:  # 满意度指 / 标(10分): the label and its weight
                labels.append((acc, (first + w.line) / 2, first, w.line))
                acc = ""
            elif not label and labels and labels[-1][0] in V.LEVELS:
                # (20 / 分) after 成本 / 指标: the end of that label's cell
                done, _, top, _ = labels[-1]
                labels[-1] = (done + acc, (top + w.line) / 2, top, w.line)
                acc = ""
    if acc:
        raise LayoutError(
            f"第{lines[first][0]}行：{'一级' if key == 'level1' else '二级'}指标“{acc}”不完整"
        )
    return labels


# A 一级 label's printed weight at the end of the text joined so far (产出指标(25分), or the
# weight alone: (25分))
_WEIGHTED = re.compile(r"(.*?)([(（]\d+(?:\.\d+)?分[)）])")


def _weighted_piece(text: str) -> bool:
    """A word longer than any level label that is one with its printed weight (成本指标(20分)
    on one line of a wide 一级 cell): a level piece."""
    label, weight = split_level1(text)
    return weight is not None and len(label) <= _LONGEST_LEVEL


def _bare(label: str) -> str:
    """A 一级 label without its printed weight (成本指标(20分) → 成本指标)."""
    return split_level1(label)[0]


@dataclass(slots=True)
class Reach:
    """The lines the table's rows reach (row → first and last line of its cells' words)
    and every line holding a word of a row."""

    top: dict[int, int]
    bottom: dict[int, int]
    lines: set[int]
    names: list[float] | None = None  # the middle line of each row's 三级指标, if all have one


def _guessed_doubt(guessed: list[tuple[int, str]]) -> str:
    """One doubt for the words of a table placed in the nearest row (a narrow column's
    cells wrapped over many lines give dozens): how many, and the first few of this
    table."""
    if len(guessed) == 1:
        [(no, text)] = guessed
        return f"第{no}行：绩效指标表中“{text}”归属哪一行是按距离推定的，请核对"
    shown = "、".join(f"第{no}行“{text}”" for no, text in guessed[:3])
    more = "等" if len(guessed) > 3 else ""
    return (
        f"第{guessed[0][0]}行起：绩效指标表中有 {len(guessed)} 处文字归属哪一行是按距离推定的"
        f"（{shown}{more}），请核对"
    )


def _levels(
    pieces: list[Word], order: list[int], reach: Reach, lines, key: str, doubts: list[str]
) -> dict[int, str]:
    """Each level label (joined from its pieces) at the first row of the rows it is
    centred over."""
    labels = _joined(pieces, lines, key)
    first = min((w.line for w in pieces), default=0)
    up = [reach.top[a] for a in order]  # each row's first and last line of text
    text_down = [reach.bottom[a] for a in order]
    n = len(order)
    which = "一级" if key == "level1" else "二级"
    band = Band(
        up,
        text_down,
        len(lines),
        [lines[a][2] for a in order],
        _units(lines, reach.lines),
        reach.names,
        list(accumulate((not text.strip() for _, text, _ in lines), initial=0)),
    )
    # the likeliest of the cuts that fit; of those as likely, where the labels are centred
    # on the rows' 三级指标 (a tie is frequent: :func:`_units` gives the rows even steps)
    ways, groups, _ = _cuts(labels, band, _likely_then_named, _fits)
    if ways == 1 and _cuts(labels, band, _likely)[1:] != (groups, True):
        ways = 2  # the one cut that fits is not where the labels are centred: a guess
    if ways == 1 and _cuts(labels, replace(band, blanks=None), _likely, _fits)[0] != 1:
        # it fits alone only with a label centred counted in the rows' lines (none fits
        # counted in lines): the rows' lines are a measure of the likely, not of the sure
        ways = 2
    if not groups and band.names is not None:
        # no cut lets every label stand (the rows' lines are guessed: a wrapped cell's
        # lines taken for the row beside it): where the labels are centred on the rows'
        # 三级指标, with the doubt
        _, by_names, _ = _cuts(labels, band, _named)
        if by_names and all(
            _named(label, s, e, band) <= NAMED**2
            for label, (s, e) in zip(labels, by_names, strict=True)
        ):
            groups = by_names
    if not groups:  # where they are centred on the rows' lines, with the doubt
        down = list(text_down)
        used = reach.lines | {w.line for w in pieces}  # the lines of the rows' cells and pieces
        # a row's cell takes the empty lines below it, and reaches halfway to the rows beside it
        for r in range(n):
            while (
                down[r] + 1 < len(lines)
                and down[r] + 1 not in used
                and not lines[down[r] + 1][1].strip()
            ):
                down[r] += 1
        tops = [up[0] - 0.5] + [(down[r - 1] + up[r]) / 2 for r in range(1, n)]
        bottoms = [(down[r] + tops[r + 1]) / 2 for r in range(n - 1)] + [down[-1] + 0.5]
        centred = _centred_groups([c for _, c, _, _ in labels], tops, bottoms)
        if centred is None:
            raise LayoutError(f"第{lines[first][0]}行起：{which}指标各对应哪几行无法唯一确定")
        # a label far from the middle of its rows (rows whose lines are guessed, a cell
        # printed at the top of its rows) is still read there: a guess, with the doubt
        groups, ways = centred, 2
    out = {order[start]: label for (label, *_), (start, _) in zip(labels, groups, strict=True)}
    if ways != 1:
        doubts.append(f"第{lines[first][0]}行起：{which}指标各管哪几行是按版面位置推定的，请核对")
    return out


@dataclass(slots=True)
class Band:
    """Where a table's rows stand (by index, in order): each row's first and last line of
    text, and how many lines the table has (its rows' and labels' lines all before)."""

    up: list[int]
    down: list[int]
    lines: int
    pages: list[int] | None = None  # each row's page (:func:`_likely`)
    units: list[float] | None = None  # each line's place in rows' lines (:func:`_units`)
    names: list[float] | None = None  # each row's 三级指标's middle line
    blanks: list[int] | None = None  # how many blank lines stand before each line


# How far (in lines) a label's middle may stand from the middle of the rows it covers, as
# far as the text tells where those rows' edges are (:func:`_fits`): pdftotext -layout
# prints each baseline of a page on a line of its own, so a label centred between two
# lines' baselines stands on one of them, half a line off.
CENTRED = 0.5

# How far (in rows, :func:`_units`) a label's middle may stand from the middle of its rows
# for :func:`_fits_run` to take it as centred there as well
CENTRED_ROWS = 0.25


def _fits(label: Label, s: int, e: int, band: Band) -> bool:
    """Whether a level label may stand over rows s..e in some vertical alignment of its
    cell (:func:`_fits_run`); where a page break parts the rows, the cell is cut in parts
    and its text printed in one of them, aligned in it (jixiao's renderer puts it at the
    top of the first part, LibreOffice's Writer in a later one, as 服务对象满意度指标
    topped on the second of its rows, at the top of the next page): over the rows of one
    page of the span as well."""
    if _fits_run(label, s, e, band):
        return True
    pages = band.pages
    if pages is None or pages[s] == pages[e]:
        return False
    start = s
    for r in range(s + 1, e + 1):
        if pages[r] != pages[r - 1]:
            if _fits_run(label, start, r - 1, band):
                return True
            start = r
    return _fits_run(label, start, e, band)


def _fits_run(label: Label, s: int, e: int, band: Band) -> bool:
    """Whether a level label may stand over rows s..e in some vertical alignment of its
    cell. Its lines lie between the rows beside the span (after the last line of the row
    above, before the first of the row below), and it is topped (its first line is the
    first row's first: a topped cell starts where the row's first line does), or set at
    the bottom (its last line is the last row's last), or centred: its middle within
    :data:`CENTRED` of where the span's middle may be. The span's top edge lies after the
    row above's last line and before the first line of the span's first row or label,
    the bottom edge likewise: the text does not say where between. Centred is also taken
    counted in the rows' lines (:func:`_units`), within :data:`CENTRED_ROWS` of a row,
    where no blank line stands among the label's and the rows' lines: the lines of other
    cells' text printed among the rows (an 一级 label's, between two rows' baselines) push
    the label's middle by a line where its rows take no more room (全国, seed 101, jixiao's
    PDF, 质量指标 centred over six rows, a line below their middle counted in lines)."""
    _, centre, first, last = label
    up, down = band.up, band.down
    n = len(up)
    if (s > 0 and first <= down[s - 1]) or (e + 1 < n and last >= up[e + 1]):
        return False
    if first == up[s] or last == down[e]:
        return True
    top_lo = down[s - 1] + 0.5 if s > 0 else -0.5
    top_hi = min(first, up[s]) - 0.5
    bottom_lo = max(last, down[e]) + 0.5
    bottom_hi = up[e + 1] - 0.5 if e + 1 < n else band.lines - 0.5
    if (top_lo + bottom_lo) / 2 - CENTRED <= centre <= (top_hi + bottom_hi) / 2 + CENTRED:
        return True
    # centred counted in the rows' lines: the lines of other cells' text printed among the
    # rows (the 一级 label's, between two rows' baselines) take no room; where no blank
    # line stands among the label's and the rows' lines (one marks room pdftotext saw)
    units, blanks = band.units, band.blanks
    if units is None or blanks is None:
        return False
    top, bottom = min(first, up[s]), max(last, down[e])
    if blanks[bottom + 1] != blanks[top]:
        return False
    return abs(units[first] + units[last] - units[up[s]] - units[down[e]]) <= 2 * CENTRED_ROWS


def _cuts(
    labels: list[Label],
    band: Band,
    cost: Callable[[Label, int, int, Band], float],
    fits: Callable[[Label, int, int, Band], bool] | None = None,
) -> tuple[int, list[tuple[int, int]], bool]:
    """Over the cuts of the rows into one run per label, in order — those that let every
    label stand over its run by ``fits`` (:func:`_fits`: topped, centred or at the bottom
    of its cell, each label in any of the three), or all when ``fits`` is None: how many
    there are (0, 1, or 2 for two or more), the one of least ``cost`` added up (the first
    found on a tie; [] when none), and whether no other is as cheap. With :func:`_fits`,
    one cut means the text decides the labels' rows whatever the producer's alignment;
    two or more, the cheapest is a guess (the caller names it)."""
    n, k = len(band.up), len(labels)
    if k == 0 or k > n:
        return 0, [], False
    # the last row of the runs so far → the cuts that reach it (2: more), the least cost of
    # those, the cuts of that cost (2: more), and its last run's first row
    ways: dict[int, tuple[int, float, int, int]] = {-1: (1, 0.0, 1, 0)}
    steps: list[dict[int, tuple[int, float, int, int]]] = []
    for j, label in enumerate(labels):
        here: dict[int, tuple[int, float, int, int]] = {}
        for end, (w, paid, ties, _) in ways.items():
            s = end + 1
            for e in range(s, n - (k - 1 - j)):
                if fits is not None and not fits(label, s, e, band):
                    continue
                c = paid + cost(label, s, e, band)
                now = here.get(e)
                if now is None:
                    here[e] = (w, c, ties, s)
                elif c < now[1] - 1e-9:
                    here[e] = (min(2, now[0] + w), c, ties, s)
                elif c <= now[1] + 1e-9:
                    here[e] = (min(2, now[0] + w), now[1], min(2, now[2] + ties), now[3])
                else:
                    here[e] = (min(2, now[0] + w), now[1], now[2], now[3])
        steps.append(here)
        ways = here
    if n - 1 not in ways:
        return 0, [], False
    groups: list[tuple[int, int]] = []
    e = n - 1
    for here in reversed(steps):
        s = here[e][3]
        groups.append((s, e))
        e = s - 1
    return ways[n - 1][0], groups[::-1], ways[n - 1][2] == 1


def _likely(label: Label, s: int, e: int, band: Band) -> float:
    """How unlike jixiao's PDF and LibreOffice's it is that a label stands so over rows
    s..e (it fits there, :func:`_fits`): 0 for a label on the first line of rows a page
    break parts (jixiao's renderer tops a merged cell split over two pages), else how far,
    squared, its middle stands from the middle of the rows (centred), both measured in
    :func:`_units` (the rows' lines)."""
    _, _, first, last = label
    pages, units = band.pages, band.units
    if pages is not None and pages[s] != pages[e] and first == band.up[s]:
        return 0.0
    if units is None:
        return 0.0
    d = (units[first] + units[last] - units[band.up[s]] - units[band.down[e]]) / 2
    return d * d


def _likely_then_named(label: Label, s: int, e: int, band: Band) -> float:
    """:func:`_likely`, and of two cuts as likely, the one :func:`_named` prefers (weighed
    so little that it only parts cuts :func:`_likely` does not)."""
    return _likely(label, s, e, band) + 1e-6 * _named(label, s, e, band)


# How far (in lines) a label's middle may stand from the middle of its rows' 三级指标 for
# :func:`_named` to read it at all
NAMED = 1.5


def _named(label: Label, s: int, e: int, band: Band) -> float:
    """How far, squared, a label's middle stands from the middle of rows s..e's 三级指标
    (jixiao and LibreOffice centre them in their rows, as the labels in theirs; a row's
    other cells' lines may be guessed): 0 for a label above the first row's 三级指标 and
    below the row above's where a page break parts the rows (jixiao's renderer tops a
    merged cell split over two pages)."""
    _, centre, first, last = label
    names, pages = band.names, band.pages
    if names is None or pages is None:
        return 0.0
    if pages[s] != pages[e] and last <= names[s] and (s == 0 or first > names[s - 1]):
        return 0.0
    d = centre - (names[s] + names[e]) / 2
    return d * d


def _units(lines: list[tuple[int, str, int]], rows: set[int]) -> list[float]:
    """Where each line stands counted in the lines that hold a row's words (one each): a
    line between two of them on a page is put between them, evenly with the others there
    (a blank line pdftotext adds, a label's line printed between two rows' baselines: the
    rows are as tall as ever); a line above the first of a page's or below the last (a
    label taller than its rows) as far from it as the lines between it and the next one
    on the page are apart (half a row where there is none)."""
    marks = sorted(rows)
    units = [0.0] * len(lines)
    if not marks:
        return units
    page = [lines[a][2] for a in marks]
    # how far apart the lines between each row line and the next on its page stand
    step = [
        1 / (b - a) if p == q else 0.0
        for (a, b), (p, q) in zip(pairwise(marks), pairwise(page), strict=True)
    ] + [0.0]
    for i, a in enumerate(marks):
        units[a] = float(i)
        below = step[i] or (step[i - 1] if i and page[i - 1] == page[i] else 0.5)
        k = a + 1
        end = marks[i + 1] if i + 1 < len(marks) else len(lines)
        while k < end and lines[k][2] == page[i]:
            units[k] = i + (k - a) * below
            k += 1
        if i + 1 < len(marks):  # the lines of the next row's page above it
            nxt = step[i + 1] or 0.5
            for k2 in range(k, end):
                units[k2] = i + 1 - (end - k2) * nxt
        else:  # after the last row, on a later page: as on its own
            for k2 in range(k, end):
                units[k2] = i + (k2 - a) * below
    first = step[0] or 0.5
    for k in range(marks[0]):
        units[k] = -(marks[0] - k) * first
    return units


def _off(s: int, e: int, centre: float, tops, bottoms) -> float:
    """How far the middle of rows s..e stands from a label's centre, squared (as
    :func:`_centred_groups` counts it, so that what :func:`_a_cut_costs` gives is its own
    sum for that cut to the last bit, whatever the rows)."""
    d = (tops[s] + bottoms[e]) / 2 - centre
    return d * d


def _cost(groups: list[tuple[int, int]], centres: list[float], tops, bottoms) -> float:
    return sum(_off(s, e, c, tops, bottoms) for (s, e), c in zip(groups, centres, strict=True))


def _centred_groups(
    centres: list[float], tops: list[float], bottoms: list[float]
) -> list[tuple[int, int]] | None:
    """Rows 0…n-1 cut into one run per label, in order, each run's middle nearest to its
    label's centre (least squares over all labels); None when two cuts fit equally well."""
    n, k = len(tops), len(centres)
    if k == 0 or k > n:
        return None
    # For each label j, the rows e its run may end on, with the least squares of labels
    # 0..j over rows 0..e, how many cuts reach that, and label j's first row in such a
    # cut (e ≤ n - k + j: each later label takes a row at least). The rows and centres
    # stand on half lines: every cost is a multiple of 1/16, exact, and two cuts that fit
    # as well cost the same. A state costing more than ``bound`` (what one cut costs,
    # :func:`_a_cut_costs`) is on no cut as good as that one (costs only grow along a
    # cut): left out, so each label's states are few and every state on a least cut keeps
    # its cost and count. With the rows in order their tops and bottoms rise, so label
    # j's run from row s costs more as it ends lower once its middle is past the centre.
    # (Rows out of order: every state kept.)
    rising = all(map(le, tops, tops[1:])) and all(map(le, bottoms, bottoms[1:]))
    bound = _a_cut_costs(centres, tops, bottoms) if rising else float("inf")
    states: list[dict[int, tuple[float, int, int]]] = [{}]
    last = n - k  # the last row label 0's run may end on
    for e in range(last + 1):
        d = (tops[0] + bottoms[e]) / 2 - centres[0]
        if d * d <= bound:
            states[0][e] = (d * d, 1, 0)
        elif d > 0 and rising:
            break
    for j in range(1, k):
        centre = centres[j]
        here: dict[int, tuple[float, int, int]] = {}
        last += 1
        for end, (above, above_ways, _) in states[j - 1].items():
            s = end + 1  # label j over rows s..e, labels 0..j-1 over rows 0..end
            top = tops[s]
            for e in range(s, last + 1):
                d = (top + bottoms[e]) / 2 - centre
                c = above + d * d
                if c > bound:
                    if d > 0 and rising:
                        break  # and more for every lower end
                    continue
                now = here.get(e)
                if now is None or c < now[0]:
                    here[e] = (c, above_ways, s)
                elif c == now[0]:
                    here[e] = (c, now[1] + above_ways, now[2])
        states.append(here)
    final = states[k - 1].get(n - 1)
    if final is None or final[1] != 1:
        return None
    groups: list[tuple[int, int]] = []
    e = n - 1
    for j in range(k - 1, -1, -1):
        s = states[j][e][2]
        groups.append((s, e))
        e = s - 1
    return groups[::-1]


def _a_cut_costs(centres: list[float], tops: list[float], bottoms: list[float]) -> float:
    """What one cut of the rows costs (as :func:`_centred_groups` counts): each label's run
    starting at the first row whose middle is past halfway from the label above, one row
    a label at least."""
    n, k = len(tops), len(centres)
    starts = [0]
    r = 0
    for j in range(1, k):
        half = (centres[j - 1] + centres[j]) / 2
        while r < n and (tops[r] + bottoms[r]) / 2 <= half:
            r += 1
        starts.append(min(max(r, starts[-1] + 1), n - k + j))
    ends = [s - 1 for s in starts[1:]] + [n - 1]
    return _cost(list(zip(starts, ends, strict=True)), centres, tops, bottoms)
