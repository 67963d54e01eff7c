"""Text laid out by position (``pdftotext -layout``): words with their line and column →
the cell tokens of :mod:`jixiao.ingest.tokens`, in the order of the official table.

Such text keeps where each word stands, but a cell that wraps is printed over several
lines around its row, two text columns stand side by side on one line, and the merged
一级 / 二级 labels come two characters a line, centred over their rows. The words are
put back into cells:

- outside the goals and the indicator table, a line's words (parted by two spaces or
  more) are cells in order; the 项目资金 / （万元） label, printed in the middle of the fund
  rows, goes before the fund header;
- the goals: each word goes to 预期目标 or 实际完成情况 by its column;
- the indicator table: a row is the line with its 分值 and 得分; a word of another line
  goes to the header column nearest to it and to the nearest such row (a word as near to
  two rows is a gap); the level labels' pieces are joined into the known labels and each
  label to the rows it is centred over.

What cannot be placed this way returns ``None`` with the reason (the caller names a gap),
never a guess. The columns are display columns (a CJK character counts 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from jixiao.ingest import vocabulary as V
from jixiao.ingest.tokens import Token, clean_lines
from jixiao.ingest.tokens import wrapped_label as tokens_wrapped_label

_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)?|-)$")
_LEVEL_WORDS = frozenset((*V.LEVEL1_LABELS, *V.LEVEL2_LABELS))
_FUND_HEADER = "年初预算"  # the fund header's first label, 年初预算数
_LONGEST_LEVEL = max(map(len, _LEVEL_WORDS))  # a level label printed on one line
_GOAL_PIECES = frozenset({"年度", "总体", "目标", "年度总体目标"})
_FUND_ROW_LABEL = re.compile(
    "^(?:"
    + "|".join([*(p for ps in V.GRID_FUND_ROWS.values() for p in ps), *V.GRID_FUND_EXTRA_ROWS])
    + ")$"
)


@dataclass(slots=True)
class Word:
    text: str
    line: int  # index into the lines
    x: int  # display column of its first character
    page: int


def _words(text: str, no: int, page: int, parts: str = r"\S+") -> list[Word]:
    out = []
    for m in re.finditer(parts, text):
        x = V.text_width(text[: m.start()])
        out.append(Word(m.group().strip(), no, x, page))
    return out


def looks_laid_out(text: str) -> bool:
    """The indicator header on one line, its labels parted by runs of spaces."""
    k = text.find("三级指标")
    if k < 0:
        return False
    end = text.find("\n", k)
    line = text[k : end if end >= 0 else len(text)]
    return "年度指标值" in line and "   " in line


class LayoutError(ValueError):
    """Words whose cell cannot be told: the message (Chinese) names the line."""


def layout_tokens(text: str) -> list[Token]:
    """The cell tokens of laid-out ``text``; raises :class:`LayoutError`."""
    lines = _head_labels_joined(clean_lines(text))
    out: list[Token] = []
    i = 0
    held: list[Token] = []  # 项目资金（万元） waiting for the fund header
    block: Token | None = None
    header_at: int | None = None  # where the last fund header's first label is in ``out``
    fund_row: list[Token] = []  # the last line's cells when it is a fund row, short
    while i < len(lines):
        no, raw, page = lines[i]
        body = raw.strip()
        if not body:
            i += 1
            continue
        if V.GOAL_EXPECTED_LABEL in body and V.GOAL_ACHIEVED_LABEL in body:
            i = _goals(lines, i, out)
            continue
        if "三级指标" in body or (body.startswith("一级") and "二级" in body):
            i = _table(lines, i, out)
            continue
        cells = [
            part
            for w in _words(raw, no, page, r"\S+(?: \S+)*")
            for part in _label_apart(Token(w.text, no, w.x + 1, page))
        ]
        f = V.grid_label(body)
        if V.GRID_FUNDS_BLOCK.match(f) and len(cells) == 1:
            held = [cells[0]]
            block = cells[0]
            i += 1
            continue
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
        header = next((k for k, c in enumerate(cells) if _FUND_HEADER in c.text), None)
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
        if header_at is not None and _FUND_ROW_LABEL.match(_fund_label(cells[0])):
            cells = [cells[0], *_dashes_apart(cells[1:])]
        fund_row = cells if header_at is not None and _fund_row_line(cells) else []
        out += cells
        i += 1
    return out


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
        body = raw.strip()
        if not body or " " in body or _lead(raw) > 1 or tokens_wrapped_label(body):
            continue
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


def _fund_label(cell: Token) -> str:
    return V.grid_label(cell.text).removeprefix("其中")


_DASHED = re.compile(r"^([-—])(\d+(?:\.\d+)?)$")


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
        bool(_FUND_ROW_LABEL.match(_fund_label(cells[0])))
        and 0 < len(numbers) < len(V.GRID_FUND_COLUMNS)
        and all(_NUMBER.match(c.text) for c in numbers)
    )


def _goals(lines: list[tuple[int, str, int]], i: int, out: list[Token]) -> int:
    """The goals block from its header line at ``i``: returns the line after it."""
    no, raw, page = lines[i]
    heads = _words(raw, no, page)
    x_exp = next(w.x for w in heads if V.GOAL_EXPECTED_LABEL in w.text)
    x_ach = next(w.x for w in heads if V.GOAL_ACHIEVED_LABEL in w.text)
    rows: list[list[re.Match[str]]] = []
    j = i + 1
    while j < len(lines):
        body = lines[j][1].strip()
        if "三级指标" in body or (body.startswith("一级") and "二级" in body):
            break
        found = [
            m
            for m in re.finditer(r"\S+", lines[j][1])
            if not (m.group() in _GOAL_PIECES and m.start() <= 1)
        ]
        if found:
            rows.append(found)
        j += 1
    # a line of two words: 预期目标, 实际完成情况; of one word: by where it starts (the
    # expected text starts at the left of its column, the achieved one further right);
    # of more (a space inside the text): not separable
    left = min((r[0].start() for r in rows), default=0)
    right = min((r[1].start() for r in rows if len(r) == 2), default=None)
    parts: dict[str, list[str]] = {"expected": [], "achieved": []}
    mixed = False
    for r in rows:
        if len(r) == 2:
            parts["expected"].append(r[0].group())
            parts["achieved"].append(r[1].group())
        elif len(r) == 1:
            parts["expected" if r[0].start() <= left + 2 else "achieved"].append(r[0].group())
        elif right is None:
            mixed = True
        else:  # a space inside the text: each word by the column it starts in
            for m in r:
                parts["achieved" if m.start() >= right - 2 else "expected"].append(m.group())
    out += [Token(V.GOALS_LABEL, no, 1, page)]
    out += [Token(V.GOAL_EXPECTED_LABEL, no, x_exp + 1, page)]
    out += [Token(V.GOAL_ACHIEVED_LABEL, no, x_ach + 1, page)]
    out += [Token("".join(parts["expected"]), no + 1, 1, page, mixed)]
    out += [Token("".join(parts["achieved"]), no + 1, 1, page, mixed)]
    return j


_COLUMNS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")
_HEAD_WORDS = {
    "一级": "level1",
    "二级": "level2",
    "三级指标": "name",
    "年度指标值": "target",
    "实际完成值": "actual",
    "分值": "weight",
    "得分": "score",
    "偏差原因分析": "deviation",
}


def _table(lines: list[tuple[int, str, int]], i: int, out: list[Token]) -> int:
    """The indicator table from its header's first line at ``i``: tokens of its header and
    rows in table order; returns the index of the 总分 line (or the end)."""
    x: dict[str, int] = {}
    j, name_line = i, None
    while j < len(lines) and j < i + 4:  # the header: up to the line of 及改进措施
        for w in _words(lines[j][1], lines[j][0], lines[j][2]):
            key = _HEAD_WORDS.get(w.text)
            if key and key not in x:
                x[key] = w.x + V.text_width(w.text) // 2
        body = lines[j][1].strip()
        name_line = j if "三级指标" in body else name_line
        j += 1
        if "及改进措施" in body:
            break
    else:
        j = name_line + 1 if name_line is not None else j
    if not {"name", "target", "actual", "weight", "score"} <= x.keys():
        raise LayoutError(f"第{lines[i][0]}行：绩效指标表的表头不全，无法按位置读出各栏")
    no, page = lines[i][0], lines[i][2]
    out += [Token(h, no, 1, page) for h in V.TABLE_HEADER]
    body_start = j
    end = j
    while end < len(lines) and not lines[end][1].strip().startswith((V.TOTAL_LABEL, V.GRADE_LABEL)):
        end += 1
    try:
        out += _rows(lines[body_start:end], x)
    except LayoutError as err:  # this table is a gap; the rest of the text is read on
        out.append(Token("", lines[body_start][0], 1, page, problem=str(err)))
    return end


def _is_header_line(body: str) -> bool:
    """A line of the indicator table's header (repeated at the top of a new page)."""
    return (
        "三级指标" in body
        or (body.startswith("一级") and "二级" in body)
        or "及改进措施" in body
        or "偏差原因分析" in body
    )


def _rows(lines: list[tuple[int, str, int]], x: dict[str, int]) -> list[Token]:
    if not lines:
        raise LayoutError("绩效指标表中没有指标行")
    lines = [(no, "" if _is_header_line(raw.strip()) else raw, page) for no, raw, page in lines]
    name_x = x["name"]
    level_edge = (x.get("level2", 0) + name_x) // 2 if "level2" in x else name_x // 2
    words = [w for k, (no, raw, page) in enumerate(lines) for w in _words(raw, k, page)]
    # level pieces: short words left of the 三级指标 column
    pieces: dict[str, list[Word]] = {"level1": [], "level2": []}
    rest: list[Word] = []
    small = [
        w
        for w in words
        if _centre(w) < level_edge and len(w.text) <= _LONGEST_LEVEL and not _NUMBER.match(w.text)
    ]
    edge = _level1_edge(sorted({w.x for w in small}))
    level = {id(w) for w in small}
    for w in words:
        if id(w) in level:
            pieces["level1" if w.x <= edge else "level2"].append(w)
        else:
            rest.append(w)
    # rows: lines with two numbers in a row (分值, 得分)
    by_line: dict[int, list[Word]] = {}
    for w in rest:
        by_line.setdefault(w.line, []).append(w)
    anchors: dict[int, int] = {}  # line → index of 分值 in its words
    for line, ws in by_line.items():
        for k in range(len(ws) - 1, 0, -1):
            if _NUMBER.match(ws[k].text) and _NUMBER.match(ws[k - 1].text):
                anchors[line] = k - 1
                break
    order = sorted(anchors)
    if not order:
        raise LayoutError(f"第{lines[0][0]}行起：绩效指标表中没有找到分值、得分")
    cells: dict[int, dict[str, list[Word]]] = {a: {} for a in order}
    text_cols = ("name", "target", "actual", "deviation")
    own: dict[int, set[str]] = {}  # the columns each row has on its own line
    doubts: list[str] = []  # what was inferred rather than read: gaps of the form
    for line, ws in by_line.items():
        if line in anchors:
            k = anchors[line]
            cells[line]["weight"] = [ws[k]]
            cells[line]["score"] = [ws[k + 1]]
            for w in ws[k + 2 :]:
                cells[line].setdefault("deviation", []).append(w)
            _assign(ws[:k], ("name", "target", "actual"), x, cells[line])
            own[line] = set(cells[line])
    for line, ws in by_line.items():
        if line in anchors:
            continue
        for w in ws:
            col = min(text_cols, key=lambda c: abs(x.get(c, 10**6) - _centre(w)))
            row, sure = _nearest(order, line, col, own, lines)
            cells[row].setdefault(col, []).append(w)
            if not sure:
                doubts.append(f"第{lines[line][0]}行：“{w.text}”归属哪一行是按距离推定的，请核对")
    try:
        level2 = _levels(pieces["level2"], order, cells, lines, "level2", doubts)
        level_rows = {
            "level1": _level1(pieces["level1"], level2, order, cells, lines, doubts),
            "level2": level2,
        }
    except LayoutError as err:  # the rows are read on, without their 一级 / 二级 labels
        doubts.append(f"{err}，一级 / 二级指标未读入")
        level_rows = {"level1": {}, "level2": {}}
    out: list[Token] = []
    for a in order:
        c = cells[a]
        no, page = lines[a][0], lines[a][2]
        for key in ("level1", "level2"):
            label = level_rows[key].get(a)
            if label:
                out.append(Token(label, no, 1, page))
        for col in ("name", "target", "actual", "weight", "score", "deviation"):
            parts = sorted(c.get(col, []), key=lambda w: (w.line, w.x))
            out.append(Token("".join(w.text for w in parts), no, 1, page))
    if out and doubts:
        out[0].doubts = list(dict.fromkeys(doubts))
    return out


def _level1_edge(xs: list[int]) -> int:
    """The last column a 一级 piece starts in: 一级 at the left edge, 二级 indented, their
    pieces (centred in their cells) parted by the widest gap between the columns they
    start in, when it is two columns or more."""
    if not xs:
        return 0
    gap, edge = max(((b - a, -a) for a, b in pairwise(xs)), default=(0, 0))
    return -edge if gap >= 2 else xs[0] + 1


def _centre(w: Word) -> int:
    return w.x + V.text_width(w.text) // 2


def _assign(ws: list[Word], cols: tuple[str, ...], x: dict[str, int], into) -> None:
    """The words before 分值 on a row's line: one per column when all are there, else each
    to the nearest column (in order)."""
    if len(ws) == len(cols):
        for w, col in zip(ws, cols, strict=True):
            into.setdefault(col, []).append(w)
        return
    last = -1
    for w in ws:
        k = min(range(len(cols)), key=lambda c: abs(x[cols[c]] - _centre(w)))
        k = max(k, last + 1) if last + 1 < len(cols) else k
        into.setdefault(cols[k], []).append(w)
        last = k


def _nearest(
    order: list[int], line: int, col: str, own: dict[int, set[str]], lines
) -> tuple[int, bool]:
    """The row a wrapped word belongs to, and whether that is sure: of the rows just above
    and below, the one whose own line lacks that column (its cell wraps around it) is sure;
    else the nearer is a guess; a tie is an error."""
    above = [a for a in order if a < line]
    below = [a for a in order if a > line]
    cands = ([above[-1]] if above else []) + ([below[0]] if below else [])
    if len(cands) == 1:
        return cands[0], True
    up, down = cands
    open_up = col not in own[up]
    open_down = col not in own[down]
    if open_up != open_down:
        return (up if open_up else down), True
    if line - up != down - line:
        return (up if line - up < down - line else down), False
    raise LayoutError(
        f"第{lines[line][0]}行：“{lines[line][1].strip()}”与上下两行一样近，无法确定属于哪一行"
    )


def _level1(
    pieces: list[Word], level2: dict[int, str], order: list[int], cells, lines, doubts: list[str]
) -> dict[int, str]:
    """The 一级 labels over the 二级 groups: each 二级 label stays under the current 一级
    label if it may stand there (:data:`V.LEVELS`), else starts the next one; where that
    does not decide, by where the labels are centred."""
    labels = [label for label, _ in _joined(pieces, lines, "level1")]
    out: dict[int, str] = {}
    k = -1
    for row in order:
        if row not in level2:
            continue
        l2 = level2[row]
        here = k >= 0 and l2 in V.LEVELS.get(labels[k], ())
        there = k + 1 < len(labels) and l2 in V.LEVELS.get(labels[k + 1], ())
        if here and there:
            return _levels(pieces, order, cells, lines, "level1", doubts)
        if here:
            continue
        if not there:
            return _levels(pieces, order, cells, lines, "level1", doubts)
        k += 1
        out[row] = labels[k]
    if k != len(labels) - 1:
        return _levels(pieces, order, cells, lines, "level1", doubts)
    return out


def _joined(pieces: list[Word], lines, key: str) -> list[tuple[str, float]]:
    """The level labels joined from their pieces, each with the line it is centred on."""
    labels: list[tuple[str, float]] = []
    acc, first = "", -1
    for w in sorted(pieces, key=lambda w: (w.line, w.x)):
        if not acc:
            first = w.line
        acc += w.text
        if (
            acc in _LEVEL_WORDS
            and not any(lab != acc and lab.startswith(acc) for lab in _LEVEL_WORDS)
        ) or (acc in _LEVEL_WORDS and acc.endswith("指标") and key == "level1"):
            labels.append((acc, (first + w.line) / 2))
            acc = ""
    if acc:
        raise LayoutError(
            f"第{lines[first][0]}行：{'一级' if key == 'level1' else '二级'}指标“{acc}”不完整"
        )
    return labels


def _levels(
    pieces: list[Word], order: list[int], cells, lines, key: str, doubts: list[str]
) -> dict[int, str]:
    """Each level label (joined from its pieces) at the first row of the rows it is
    centred over."""
    labels = _joined(pieces, lines, key)
    first = min((w.line for w in pieces), default=0)
    tops = [min([a, *(w.line for ws in cells[a].values() for w in ws)]) for a in order]
    bottoms = [max([a, *(w.line for ws in cells[a].values() for w in ws)]) for a in order]
    # a row's cell takes the empty lines below it, and reaches halfway to the rows beside it
    used = {w.line for a in order for ws in cells[a].values() for w in ws} | set(order)
    used |= {w.line for w in pieces}
    for r in range(len(order)):
        while (
            bottoms[r] + 1 < len(lines)
            and bottoms[r] + 1 not in used
            and not lines[bottoms[r] + 1][1].strip()
        ):
            bottoms[r] += 1
    n = len(order)
    tops = [tops[0] - 0.5] + [(bottoms[r - 1] + tops[r]) / 2 for r in range(1, n)]
    bottoms = [(bottoms[r] + tops[r + 1]) / 2 for r in range(n - 1)] + [bottoms[-1] + 0.5]
    which = "一级" if key == "level1" else "二级"
    groups = _centred_groups([c for _, c in labels], tops, bottoms)
    if groups is not None and not _clear(groups, [c for _, c in labels], tops, bottoms):
        which = "一级" if key == "level1" else "二级"
        doubts.append(f"第{lines[first][0]}行起：{which}指标各管哪几行是按版面位置推定的，请核对")
    if groups is None:
        raise LayoutError(f"第{lines[first][0]}行起：{which}指标各对应哪几行无法唯一确定")
    out: dict[int, str] = {}
    for (label, centre), (start, end) in zip(labels, groups, strict=True):
        if abs((tops[start] + bottoms[end]) / 2 - centre) > 1.5:
            raise LayoutError(
                f"第{lines[int(centre)][0]}行：{which}指标“{label}”对应哪几行无法确定"
            )
        out[order[start]] = label
    return out


def _cost(groups: list[tuple[int, int]], centres: list[float], tops, bottoms) -> float:
    return sum(
        ((tops[s] + bottoms[e]) / 2 - c) ** 2 for (s, e), c in zip(groups, centres, strict=True)
    )


def _clear(groups: list[tuple[int, int]], centres: list[float], tops, bottoms) -> bool:
    """No cut one row away fits nearly as well (by half a line squared)."""
    best = _cost(groups, centres, tops, bottoms)
    for k in range(len(groups) - 1):
        for move in (-1, 1):
            (s1, e1), (s2, e2) = groups[k], groups[k + 1]
            e1, s2 = e1 + move, s2 + move
            if s1 <= e1 and s2 <= e2:
                other = [*groups[:k], (s1, e1), (s2, e2), *groups[k + 2 :]]
                if _cost(other, centres, tops, bottoms) - best < 0.5:
                    return False
    return True


def _centred_groups(
    centres: list[float], tops: list[float], bottoms: list[float]
) -> list[tuple[int, int]] | None:
    """Rows 0…n-1 cut into one run per label, in order, each run's middle nearest to its
    label's centre (least squares over all labels); None when two cuts fit equally well."""
    n, k = len(tops), len(centres)
    if k == 0 or k > n:
        return None
    inf = float("inf")
    # best[j][e]: (cost, ways) of labels 0..j covering rows 0..e
    best = [[(inf, 0)] * n for _ in range(k)]
    back = [[-1] * n for _ in range(k)]
    for e in range(n):
        best[0][e] = (((tops[0] + bottoms[e]) / 2 - centres[0]) ** 2, 1)
    for j in range(1, k):
        for e in range(j, n):
            for s in range(j, e + 1):
                prev, ways = best[j - 1][s - 1]
                if prev == inf:
                    continue
                cost = prev + ((tops[s] + bottoms[e]) / 2 - centres[j]) ** 2
                cur, cur_ways = best[j][e]
                if cost < cur - 1e-9:
                    best[j][e], back[j][e] = (cost, ways), s
                elif abs(cost - cur) <= 1e-9:
                    best[j][e] = (cur, cur_ways + ways)
    if best[k - 1][n - 1][1] != 1:
        return None
    groups: list[tuple[int, int]] = []
    e = n - 1
    for j in range(k - 1, -1, -1):
        s = back[j][e] if j else 0
        groups.append((s, e))
        e = s - 1
    return groups[::-1]
