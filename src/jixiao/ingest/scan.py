"""Scanned forms (image-only PDF, PNG, JPEG, TIFF): OCR into the same cell grid as the
PDF/Excel/HTML readers, read by the same label mapper.

Each page: red seal dropped and skew corrected (:mod:`.scan_table`), the ruled tables and
their cells found with OpenCV, the rules erased, every text line read by the OCR engine
(:mod:`.ocr`) and put into the cell its centre lies in; text outside the tables becomes
one-line grids (title, year line). A table whose continuation opens the next page (same
left and right edges, nothing but page numbers between) is joined to it: a repeated header
row is dropped, and a merged cell cut by the break (its border left open, or one part
empty) is made one cell again. Several forms in one file are told apart by the mapper, as
in a PDF.

Nothing uncertain passes as certain: every cell whose least sure character is below
:data:`CONFIDENCE`, every cell whose brackets do not pair (a bracket dropped:
``4800.00(平方米``), and every cell with ink but no text read, is named in the gaps of the
form on that page, with its page, place, the row and column it belongs to and what was
read. The labels of the form (项目名称, 年初预算数 …), recognised as such, are not listed.
Each such cell is also kept on its form as a :class:`~jixiao.model.ScanCell` (the field it
fed, found by mapping the grids again with a marker in each uncertain cell; its box on the
page; a small PNG of it) for the web editor to show beside the field.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from typing import Any

from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.grid import Cell, Grid, check_extent
from jixiao.ingest.mapper import map_forms, require_forms
from jixiao.ingest.mapper.labels import Label, label_of
from jixiao.ingest.ocr import TextBox, detect, recognise
from jixiao.ingest.scan_table import CellBox, TableBox, despeckle, page_tables, scale_of
from jixiao.model import ScanCell, SelfEvaluation, field_values

CONFIDENCE = 0.90  # a cell whose least sure character is below this is listed in the gaps
INK = 0.03  # share of dark pixels in a cell with no text read: something was not read
CHARACTER_HEIGHT = 10  # pixels at 150 dpi: ink this tall in a cell is a character
INK_LEVEL = 160  # grey below this is ink, on the page without specks and rules
CONTINUE_TOLERANCE = 0.02  # of the page width: a table on the next page with these edges
CROP_MARGIN = 12  # pixels at 150 dpi around an uncertain cell's crop
CROP_SIZE = (640, 240)  # a crop's largest width and height, pixels (shrunk to fit)
CROP_LEVELS = 8  # grey levels kept in a crop (a few KB as PNG)

# Called after each page: (pages done, pages in all).
PageProgress = Callable[[int, int], None]


@dataclass
class Read:
    """What the OCR read in one cell (or one line outside the tables)."""

    page: int
    text: str = ""
    least: float = 1.0  # the least sure character's confidence
    ink: float = 0.0
    read_as: str = ""  # what the OCR read, when the cell was taken as a label it nearly spells
    box: tuple[int, int, int, int] | None = None  # the cell (or line) in page pixels
    crop: bytes = b""  # PNG of the box with a margin, for an uncertain reading only


@dataclass
class _Item:
    box: CellBox
    read: Read


@dataclass
class _Table:
    page: int
    box: TableBox
    items: list[_Item]
    scale: float


@dataclass
class _Line:
    page: int
    read: Read


@dataclass
class ScanGrids:
    """The grids of a scan and, for each cell or text line, what the OCR made of it."""

    grids: list[Grid] = field(default_factory=list)
    reads: dict[int, tuple[Grid, Cell, Read]] = field(default_factory=dict)  # by id(cell)


def _join_boxes(boxes: list[TextBox]) -> tuple[str, float]:
    """The text of boxes in reading order (lines top to bottom, each left to right) and its
    least confidence."""
    if not boxes:
        return "", 1.0
    boxes = sorted(boxes, key=lambda b: b.cy)
    lines: list[list[TextBox]] = []
    for box in boxes:
        if lines and abs(box.cy - lines[-1][-1].cy) < 0.5 * (box.y1 - box.y0):
            lines[-1].append(box)
        else:
            lines.append([box])
    texts = []
    for line in lines:
        line.sort(key=lambda b: b.x0)
        text = ""
        for b in line:
            if text and text[-1].isascii() and text[-1].isalnum() and b.text[:1].isascii():
                text += " "
            text += b.text
        texts.append(text)
    return "\n".join(texts), min(b.least for b in boxes)


# A document number's year (嘉委办发〔2020〕17号): its brackets are 〔〕 by the national
# standard for official documents (GB/T 9704-2012, 7.2.4), which the engine reads as
# [ ] ( ) 【 】 and in pairs that do not match.
_DOC_NUMBER = re.compile(
    r"(?<=[\u4e00-\u9fff])[\[(（【〔［]\s*(\d{4})\s*[\])）】〕］](?=\s*第?\s*\d+\s*号)"
)


_COLON_NUMBER = re.compile(r"^(\d+)[:：,，](\d{2})$")


def _doc_numbers(text: str) -> str:
    """``text`` with the year of every document number in 〔〕, and a number read with a
    colon or comma for its decimal point (20:00, 10,00: the mark counted in its confidence)
    with a point."""
    text = _COLON_NUMBER.sub(r"\1.\2", text)
    return _DOC_NUMBER.sub(r"〔\1〕", text) if "号" in text else text


def _cell_text(boxes: list[TextBox]) -> tuple[str, float, str]:
    """A cell's text, its least confidence, and what was read when that differs: an unsure
    mark of a character or two beside a label of the form (noise read as 2, 茶 …) is left
    out when the rest is that label; an unsure text that spells a label of the form but for
    one character (a seal over it: 实际竞成情况) is taken as that label."""
    text, least = _join_boxes(boxes)
    text = _doc_numbers(text)
    if _structural(label_of(text)):
        return text, least, ""
    if len(boxes) >= 2:
        for stray in boxes:
            if len(stray.text.strip()) <= 2 and stray.least < CONFIDENCE:
                rest = [b for b in boxes if b is not stray]
                rest_text, rest_least = _join_boxes(rest)
                if _structural(label_of(rest_text)):
                    return rest_text, rest_least, ""
    if least < CONFIDENCE:
        label = as_label(text)
        if label is not None:
            return label, least, text
    return text, least, ""


@cache
def _label_characters() -> str:
    """The characters the form's labels are written in (from the vocabulary)."""
    from jixiao.ingest import vocabulary as v

    patterns: list[str] = []
    for table in (v.GRID_HEAD_LABELS, v.GRID_FUND_COLUMNS, v.GRID_FUND_ROWS):
        patterns += [p for ps in table.values() for p in ps]
    patterns += [p for ps in v.GRID_INDICATOR_COLUMNS.values() for p in ps]
    patterns += [*v.GRID_GOAL_EXPECTED, *v.GRID_GOAL_ACHIEVED, *v.GRID_TOTAL_LABELS]
    patterns += [*v.GRID_GRADE_LABELS, *v.GRID_OTHER_HEAD_LABELS]
    patterns += [v.GRID_GOALS_BLOCK.pattern, v.GRID_FUNDS_BLOCK.pattern]
    return "".join(sorted({ch for p in patterns for ch in p if _cjk(ch)}))


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_UNIT_SUFFIX = re.compile(r"[（(][^（()）]{1,4}[)）]$")


def as_label(text: str) -> str | None:
    """The label of the form that ``text`` spells but for one character, or None. Only
    for short texts of Chinese characters (values with digits are never guessed at)."""
    flat = "".join(text.split())
    unit = _UNIT_SUFFIX.search(flat)  # 执行率（%）: the unit is not part of the guess
    core = flat[: unit.start()] if unit else flat
    shortest = 3 if unit else 4
    if not shortest <= len(core) <= 12 or sum(map(_cjk, core)) < 0.75 * len(core):
        return None
    for i, ch in enumerate(core):
        for other in _label_characters():
            if other != ch:
                candidate = flat[:i] + other + flat[i + 1 :]
                if _structural(label_of(candidate)):
                    return candidate
    return None


_OPENING = {"(": 0, "（": 0, "[": 0, "［": 0, "【": 0, "〔": 0, "{": 0, "｛": 0, "《": 1, "〈": 1}
_CLOSING = {")": 0, "）": 0, "]": 0, "］": 0, "】": 0, "〕": 0, "}": 0, "｝": 0, "》": 1, "〉": 1}


def brackets_pair(text: str) -> bool:
    """Whether every bracket of ``text`` is closed after it opens. Round and square
    brackets of either width are one kind (the engine reads 〔 as [ or (, （ as ( …), book
    title marks 《》〈〉 another: a bracket the OCR dropped (``4800.00(平方米``) or added
    leaves one unpaired."""
    depth = [0, 0]
    for ch in text:
        kind = _OPENING.get(ch)
        if kind is not None:
            depth[kind] += 1
            continue
        kind = _CLOSING.get(ch)
        if kind is not None:
            depth[kind] -= 1
            if depth[kind] < 0:
                return False
    return depth == [0, 0]


def _inside(box: CellBox | TableBox, x: float, y: float) -> bool:
    return box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1


def read_page(image: Any, number: int) -> list[_Table | _Line]:
    """The tables (cells with their text) and the text lines outside them of one page, top
    to bottom."""
    import cv2
    import numpy as np

    scale = scale_of(image)
    grey, tables, rules = page_tables(image)
    clean = despeckle(grey, scale)
    clean[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    # Lines are found on the page as it is (its rules keep the text of neighbouring cells
    # apart), each cut to the cell its centre is in, and read on the page without rules.
    owners: list[CellBox | None] = []
    boxes = []
    for x0, y0, x1, y1 in detect(grey):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        table = next((t for t in tables if _inside(t, cx, cy)), None)
        cell = None
        if table is not None:
            cell = next((c for c in table.cells if _inside(c, cx, cy)), None)
            if cell is None:  # on a rule: the nearest cell
                cell = min(
                    table.cells,
                    key=lambda c: abs((c.x0 + c.x1) / 2 - cx) + abs((c.y0 + c.y1) / 2 - cy),
                )
            across = _across_rules(clean, table, (x0, y0, x1, y1), scale)
            if across is not None:  # over several cells: each cell's part read on its own
                for part, owner in across:
                    owners.append(owner)
                    boxes.append(part)
                continue
            x0, y0 = max(x0, cell.x0), max(y0, cell.y0)
            x1, y1 = min(x1, cell.x1), min(y1, cell.y1)
        owners.append(cell)
        boxes.append((x0, y0, x1, y1))
    # a narrow cell (words stacked) with a line of ink no detected line covers
    for table in tables:
        for cell in table.cells:
            if cell.x1 - cell.x0 > NARROW * scale:
                continue
            mine = [b for b, o in zip(boxes, owners, strict=True) if o is cell]
            if not mine:
                continue
            for line in _stacked_lines(clean, cell, scale):
                if not any(line[1] < b[3] and b[1] < line[3] for b in mine):
                    owners.append(cell)
                    boxes.append(line)
    # a cell in which the detector found no line but which holds a character's worth of
    # ink (a lone 优 in a wide cell): the box of that ink is read as a line
    read_cells = {id(c) for c in owners if c is not None}
    for table in tables:
        for cell in table.cells:
            if id(cell) not in read_cells:
                found = _unread_ink(clean, cell, scale)
                if found is not None:
                    owners.append(cell)
                    boxes.append(found)
    in_cells: dict[int, list[TextBox]] = {}
    outside: list[TextBox] = []
    for box, cell in zip(recognise(clean, boxes), owners, strict=True):
        if cell is None:
            outside.append(box)
        else:
            in_cells.setdefault(id(cell), []).append(box)
    for table in tables:
        for cell in _checkbox_cells(table, in_cells):
            marked = _read_checkboxes(clean, cell, in_cells.get(id(cell), []), scale)
            if marked:
                in_cells[id(cell)] = marked
    out: list[tuple[float, _Table | _Line]] = []
    for table in tables:
        items = []
        for cell in table.cells:
            text, least, read_as = _cell_text(in_cells.get(id(cell), []))
            where = (cell.x0, cell.y0, cell.x1, cell.y1)
            read = Read(number, text, least, cell.ink, read_as, where)
            if in_doubt(read):
                read.crop = crop_png(clean, where, scale)
            items.append(_Item(cell, read))
        out.append((table.y0, _Table(number, table, items, scale)))
    outside.sort(key=lambda b: b.cy)
    groups: list[list[TextBox]] = []
    for box in outside:
        if groups and abs(box.cy - groups[-1][-1].cy) < 0.5 * (box.y1 - box.y0):
            groups[-1].append(box)
        else:
            groups.append([box])
    for group in groups:
        text, least = _join_boxes(group)
        where = (
            int(min(b.x0 for b in group)),
            int(min(b.y0 for b in group)),
            int(max(b.x1 for b in group)),
            int(max(b.y1 for b in group)),
        )
        read = Read(number, text, least, box=where)
        if in_doubt(read):
            read.crop = crop_png(clean, where, scale)
        out.append((where[1], _Line(number, read)))
    out.sort(key=lambda item: item[0])
    return [item for _, item in out]


@cache
def _checkbox_labels() -> frozenset[str]:
    """The head labels written as check boxes in any declared layout (项目类别 …)."""
    from jixiao.layouts import all_layouts

    return frozenset(w for x in all_layouts() for w in x.checkboxes)


def _bare(text: str) -> str:
    return "".join(text.split()).rstrip(":：")


def _checkbox_cells(table: TableBox, in_cells: dict[int, list[TextBox]]) -> list[CellBox]:
    """The cells of ``table`` a check-box field owns: the one right of its label's cell
    (项目类别 | ☑…), or the label's own cell when text follows the label in it."""
    labels = _checkbox_labels()
    if not labels:
        return []
    texts = {id(c): _bare(_join_boxes(in_cells.get(id(c), []))[0]) for c in table.cells}
    out = []
    for cell in table.cells:
        own = texts[id(cell)]
        if any(own.startswith(w) and len(own) > len(w) for w in labels):
            out.append(cell)
            continue
        height = cell.y1 - cell.y0
        for left in table.cells:
            overlap = min(left.y1, cell.y1) - max(left.y0, cell.y0)
            beside = abs(left.x1 - cell.x0) <= 6 and overlap >= 0.6 * height
            if beside and texts[id(left)] in labels:
                out.append(cell)
                break
    return out


CHECKBOX_UNSURE = 0.5  # the confidence of a box whose ink does not say whether it is ticked


def _read_checkboxes(
    clean: Any, cell: CellBox, lines: list[TextBox], scale: float
) -> list[TextBox]:
    """The text of a check-box cell read from the image: each box found
    (:func:`~jixiao.ingest.scan_boxes.find_boxes`) as ☑ or □, then the text up to the next
    box read as its option (``☑经常性项目``); text before the first box of a line (the
    label) read as it stands. Empty when the cell holds no box."""
    from jixiao.ingest.scan_boxes import find_boxes

    band = max(2, int(3 * scale))
    found = find_boxes(clean, cell.x0 + band, cell.y0 + band, cell.x1 - band, cell.y1 - band, scale)
    if not found:
        return []
    rows: list[list[Any]] = []
    for box in sorted(found, key=lambda b: (b.y0 + b.y1) / 2):
        if rows and abs((box.y0 + box.y1) / 2 - (rows[-1][0].y0 + rows[-1][0].y1) / 2) < (
            box.y1 - box.y0
        ):
            rows[-1].append(box)
        else:
            rows.append([box])
    gap = max(1, round(scale))
    spans: list[tuple[str, float, tuple[float, float, float, float]]] = []
    for row in rows:
        row.sort(key=lambda b: b.x0)
        side = max(b.y1 - b.y0 for b in row)
        y0 = min(b.y0 for b in row) - side * 0.4
        y1 = max(b.y1 for b in row) + side * 0.4
        near = [t for t in lines if t.y0 < y1 and t.y1 > y0]
        y0 = max(cell.y0, min([y0, *(t.y0 for t in near)]))
        y1 = min(cell.y1, max([y1, *(t.y1 for t in near)]))
        end = cell.x1 - band
        if row[0].x0 - (cell.x0 + band) >= side:  # text before the first box: the label
            spans.append(("", 1.0, (cell.x0 + band, y0, row[0].x0 - gap, y1)))
        for k, box in enumerate(row):
            stop = row[k + 1].x0 - gap if k + 1 < len(row) else end
            mark = "☑" if box.ticked else "□"
            spans.append((mark, 1.0 if box.sure else CHECKBOX_UNSURE, (box.x1 + gap, y0, stop, y1)))
    read = recognise(clean, [where for _, _, where in spans])
    out = []
    for (mark, sure, _where), text in zip(spans, read, strict=True):
        if not text.text.strip():
            if mark:  # a box with no option read beside it
                out.append(replace(text, text=mark, least=0.0, score=0.0))
            continue
        least = min(text.least, sure)
        out.append(replace(text, text=mark + text.text.strip(), least=least))
    return out


LINE_GAP = 2  # blank pixel rows (150 dpi) between two lines of text in one cell
NARROW = 84  # pixels at 150 dpi: a cell this narrow (six characters) stacks its words


def _ink_rows(
    clean: Any, box: tuple[float, float, float, float], scale: float
) -> list[tuple[int, int]]:
    """The runs (first, last page row) of rows with ink in ``box`` of the page without
    specks and rules, each at least half a character tall, apart where :data:`LINE_GAP`
    blank rows or more stand between them."""
    import numpy as np

    x0, y0, x1, y1 = (int(v) for v in box)
    rows = (clean[y0:y1, x0:x1] < INK_LEVEL).any(axis=1)
    runs: list[list[int]] = []
    blank = 0
    for i, on in enumerate(np.asarray(rows).tolist()):
        if not on:
            blank += 1
            continue
        if runs and blank < LINE_GAP * scale:
            runs[-1][1] = i
        else:
            runs.append([i, i])
        blank = 0
    least = CHARACTER_HEIGHT * scale / 2
    return [(y0 + a, y0 + b) for a, b in runs if b - a + 1 >= least]


def _stacked_lines(
    clean: Any, cell: CellBox, scale: float
) -> list[tuple[float, float, float, float]]:
    """The lines of ink of a narrow cell, each as a box the width of the cell."""
    band = max(2, int(4 * scale))
    margin = 3 * scale
    inner = (cell.x0 + band, cell.y0 + band, cell.x1 - band, cell.y1 - band)
    return [
        (cell.x0, max(cell.y0, top - margin), cell.x1, min(cell.y1, bottom + margin))
        for top, bottom in _ink_rows(clean, inner, scale)
    ]


def _across_rules(
    clean: Any, table: TableBox, box: tuple[float, float, float, float], scale: float
) -> list[tuple[tuple[float, float, float, float], CellBox]] | None:
    """The parts of a detected line over the rule between cells that both hold ink there
    (the detector joined 产出 and 质量 of two narrow columns side by side), each cut to its
    cell, and in a narrow cell to each line of ink (产出 over 指标); None for a line within
    one cell."""
    x0, y0, x1, y1 = box
    cy = (y0 + y1) / 2
    band = max(2, int(4 * scale))
    margin = 3 * scale
    parts: list[tuple[CellBox, list[tuple[float, float, float, float]]]] = []
    for c in sorted(table.cells, key=lambda c: c.x0):
        if not (c.y0 <= cy <= c.y1 and min(x1, c.x1) - max(x0, c.x0) > CHARACTER_HEIGHT * scale):
            continue
        top, bottom = max(y0, c.y0), min(y1, c.y1)
        runs = _ink_rows(clean, (max(x0, c.x0) + band, top, min(x1, c.x1) - band, bottom), scale)
        if not runs:
            continue
        left, right = max(x0, c.x0), min(x1, c.x1)
        if c.x1 - c.x0 <= NARROW * scale:
            lines = [(left, max(c.y0, a - margin), right, min(c.y1, b + margin)) for a, b in runs]
        else:
            lines = [(left, top, right, bottom)]
        parts.append((c, lines))
    if len(parts) < 2:
        return None
    return [(line, cell) for cell, lines in parts for line in lines]


def crop_png(page: Any, box: tuple[int, int, int, int], scale: float) -> bytes:
    """A small PNG of ``box`` on the grey ``page`` with a margin: at 150 dpi (a page read
    at more is shrunk to it), within :data:`CROP_SIZE`, in :data:`CROP_LEVELS` greys."""
    import cv2
    import numpy as np

    margin = int(CROP_MARGIN * scale)
    height, width = page.shape[:2]
    x0, y0 = max(0, box[0] - margin), max(0, box[1] - margin)
    x1, y1 = min(width, box[2] + margin), min(height, box[3] + margin)
    part = page[y0:y1, x0:x1]
    if part.size == 0:
        return b""
    shrink = min(1.0 / max(scale, 1e-6), CROP_SIZE[0] / part.shape[1], CROP_SIZE[1] / part.shape[0])
    if shrink < 1.0:
        size = (max(1, round(part.shape[1] * shrink)), max(1, round(part.shape[0] * shrink)))
        part = cv2.resize(part, size, interpolation=cv2.INTER_AREA)
    step = 256 // CROP_LEVELS
    part = (part // step * step + step // 2).astype(np.uint8)
    part[part >= 256 - step] = 255  # paper white
    ok, png = cv2.imencode(".png", part, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    return png.tobytes() if ok else b""


def _unread_ink(
    clean: Any, cell: CellBox, scale: float
) -> tuple[float, float, float, float] | None:
    """The box (page pixels, with a margin) of the ink inside ``cell`` on the page without
    specks and rules, when some of it is as tall as a character (CHARACTER_HEIGHT); else
    None."""
    import cv2
    import numpy as np

    band = max(2, int(4 * scale))
    x0, y0, x1, y1 = cell.x0 + band, cell.y0 + band, cell.x1 - band, cell.y1 - band
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    ink = (clean[y0:y1, x0:x1] < INK_LEVEL).astype(np.uint8)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tall = CHARACTER_HEIGHT * scale
    parts = [stats[i] for i in range(1, count) if stats[i][3] >= tall]
    if not parts:
        return None
    margin = 4 * scale
    return (
        max(cell.x0, x0 + min(p[0] for p in parts) - margin),
        max(cell.y0, y0 + min(p[1] for p in parts) - margin),
        min(cell.x1, x0 + max(p[0] + p[2] for p in parts) + margin),
        min(cell.y1, y0 + max(p[1] + p[3] for p in parts) + margin),
    )


# ------------------------------------------------------------------------ tables → grids


def _decoration(item: _Table | _Line) -> bool:
    return isinstance(item, _Line) and label_of(item.read.text).decoration


def _continues(prev: _Table, nxt: _Table) -> bool:
    width = (prev.box.x1 - prev.box.x0) or 1
    tol = CONTINUE_TOLERANCE * width
    return (
        nxt.page == prev.page + 1
        and abs((nxt.box.x1 - nxt.box.x0) - width) <= tol
        and abs(nxt.box.x0 - prev.box.x0) <= 3 * tol
    )


def _chains(items: list[_Table | _Line]) -> list[list[_Table] | _Line]:
    """Tables joined to their continuations on the next page; lines as they are."""
    out: list[list[_Table] | _Line] = []
    last_table: list[_Table] | None = None  # the chain a continuation may join
    for item in items:
        if isinstance(item, _Line):
            if not _decoration(item):
                last_table = None
            out.append(item)
            continue
        if last_table is not None and _continues(last_table[-1], item):
            last_table.append(item)
            continue
        last_table = [item]
        out.append(last_table)
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    """Distinct positions: values closer than ``tol`` to the one before are one."""
    out: list[float] = []
    last = None
    for v in sorted(values):
        if last is None or v - last > tol:
            out.append(v)
        last = v
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


_Placed = tuple[float, float, float, float, CellBox, Read]


def _norm(text: str) -> str:
    return label_of(text).text


def _bare_words(text: str) -> str:
    """A cell's text for telling a repeated header: its label, punctuation dropped (a speck
    read 。 after 成值)."""
    return "".join(c for c in _norm(text) if not unicodedata.category(c).startswith("P"))


def _same_row_texts(prev: list[_Placed], row: list[_Placed], tol: float) -> bool:
    """Whether ``row`` repeats a row of ``prev`` (same columns, the same text in each, or in
    all but one of five or more, as the engine may misread one): a header row printed again
    at the top of the continuation."""
    if not any(_norm(r[5].text) for r in row):
        return False
    misses = 1 if len(row) >= 5 else 0
    tops: dict[int, list[_Placed]] = {}
    for p in prev:
        tops.setdefault(round(p[1] / tol), []).append(p)
    for candidate in tops.values():
        if len(candidate) != len(row):
            continue
        placed = same = 0
        for r in row:
            for c in candidate:
                if abs(c[0] - r[0]) <= tol and abs(c[2] - r[2]) <= tol:
                    placed += 1
                    same += _bare_words(c[5].text) == _bare_words(r[5].text)
        if placed == len(row) and same >= len(row) - misses:
            return True
    return False


def _placed(chain: list[_Table]) -> list[_Placed]:
    """The cells of a chain of tables in one coordinate space: each continuation below the
    table before it (its top on that table's bottom), its left edge on the first's; header
    rows printed again dropped, cut merged cells made one."""
    first = chain[0]
    tol = 10 * first.scale
    placed: list[_Placed] = []
    offset = 0.0
    for k, table in enumerate(chain):
        dx = first.box.x0 - table.box.x0
        dy = offset - table.box.y0
        cells: list[_Placed] = [
            (
                float(i.box.x0 + dx),
                i.box.y0 + dy,
                float(i.box.x1 + dx),
                i.box.y1 + dy,
                i.box,
                i.read,
            )
            for i in table.items
        ]
        if k:
            top = min(c[1] for c in cells)
            head = [c for c in cells if c[1] - top <= tol]
            if _same_row_texts(placed, head, tol):
                cells = [c for c in cells if c[1] - top > tol]
                # the rows after a dropped header start where the header did
                shift = min((c[1] for c in cells), default=top) - top
                cells = [(c[0], c[1] - shift, c[2], c[3] - shift, c[4], c[5]) for c in cells]
            cells = _join_cut(placed, cells, offset, tol)
        placed.extend(cells)
        offset = max(c[3] for c in placed)
    return placed


def _join_cut(prev: list[_Placed], cells: list[_Placed], seam: float, tol: float) -> list[_Placed]:
    """Cells of a continuation whose top is on the seam, made one with the cell of the
    table before that ends there in the same columns, when they are one merged cell cut by
    the page break: its border left open, or one part empty while the other spans rows."""
    above = [i for i, p in enumerate(prev) if abs(p[3] - seam) <= tol]
    if not above or not cells:
        return cells
    last_top = max(prev[i][1] for i in above)
    below_tops = [c for c in cells if abs(c[1] - seam) <= tol]
    first_bottom = min((c[3] for c in below_tops), default=seam)
    out = []
    for c in cells:
        joined = False
        if abs(c[1] - seam) <= tol:
            for i in above:
                p = prev[i]
                if abs(p[0] - c[0]) > tol or abs(p[2] - c[2]) > tol:
                    continue
                several = p[1] < last_top - tol or c[3] > first_bottom + tol
                one_empty = not _norm(p[5].text) or not _norm(c[5].text)
                if p[4].open_bottom or c[4].open_top or (several and one_empty):
                    text = p[5].text
                    if _norm(c[5].text) and _norm(c[5].text) != _norm(text):
                        text = f"{text}\n{c[5].text}" if text else c[5].text
                    read = Read(
                        p[5].page,
                        text,
                        min(p[5].least, c[5].least),
                        max(p[5].ink, c[5].ink),
                        box=p[5].box,
                        crop=p[5].crop or c[5].crop,
                    )
                    prev[i] = (p[0], p[1], p[2], c[3], p[4], read)
                    joined = True
                    break
        if not joined:
            out.append(c)
    return out


@cache
def _column_orders() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
    """Each declared layout's indicator columns that the mapper knows (level1, level2,
    name, target …) in the order the layout prints them, each with its words."""
    from jixiao.layouts import all_layouts

    orders = []
    for layout in all_layouts():
        order: list[tuple[str, tuple[str, ...]]] = []
        for column in layout.indicator_columns:
            key = label_of(column.label).indicator_column
            if key is not None and all(key != k for k, _ in order):
                order.append((key, tuple(column.words())))
        if order:
            orders.append(tuple(order))
    return tuple(orders)


@cache
def _column_words() -> frozenset[str]:
    """Every word of a declared indicator column (指标性质, 度量单位 … too), as matched."""
    from jixiao.layouts import all_layouts

    return frozenset(
        label_of(w).text
        for layout in all_layouts()
        for column in layout.indicator_columns
        for w in column.words()
    )


def _spells_part(read: str, word: str) -> bool:
    """Whether ``read``'s characters stand in ``word`` in order (a character or more of
    the word dropped: 级指标 in 一级指标)."""
    rest = iter(word)
    return bool(read) and all(ch in rest for ch in read)


def _by_order(row: list[tuple[Cell, Read]], k: int) -> str | None:
    """The word of the indicator column the ``k``-th header cell of ``row`` must be, by
    elimination: between the known columns left and right of it, the one column every
    declared layout that prints the row's known columns in this order has there and the
    row lacks; None when that is not one column, another unknown cell stands between the
    same known columns, or the text read is not part of that column's word."""
    keys = [label_of(c.text).indicator_column for c, _ in row]
    known = [key for key in keys if key is not None]
    left = next((keys[i] for i in range(k - 1, -1, -1) if keys[i] is not None), None)
    right = next((keys[i] for i in range(k + 1, len(row)) if keys[i] is not None), None)
    lo = max((i for i in range(k) if keys[i] is not None), default=-1)
    hi = min((i for i in range(k + 1, len(row)) if keys[i] is not None), default=len(row))
    words = _column_words()
    for i in range(lo + 1, hi):
        text = label_of(row[i][0].text).text
        if i != k and text and text not in words:
            return None  # two cells between the same known columns: not by elimination
    found: dict[str, list[str]] = {}
    for order in _column_orders():
        seq = [key for key, _ in order]
        if any(key not in seq for key in known):
            continue
        positions = [seq.index(key) for key in known]
        if positions != sorted(positions):
            continue
        start = seq.index(left) + 1 if left is not None else 0
        stop = seq.index(right) if right is not None else len(seq)
        between = [(key, ws) for key, ws in order[start:stop] if key not in known]
        if len(between) == 1:
            found.setdefault(between[0][0], []).extend(between[0][1])
        elif between:
            return None
    if len(found) != 1:
        return None
    read = label_of(row[k][0].text).text
    [candidates] = found.values()
    return next((w for w in candidates if _spells_part(read, label_of(w).text)), None)


def _name_by_order(cells: list[tuple[Cell, Read]]) -> None:
    """Header cells of an indicator table the OCR read short (一级 / 指标 wrapped, its 一
    dropped: 级指标, which 二级 or 三级指标 could equally be) named by the columns' order
    (:func:`_by_order`), in place; the reading is kept as what was read, so the cell
    stays in the gaps."""
    rows: dict[int, list[tuple[Cell, Read]]] = {}
    for cell, read in cells:
        rows.setdefault(cell.row, []).append((cell, read))
    for row in rows.values():
        keys = {label_of(c.text).indicator_column for c, _ in row} - {None}
        if "name" not in keys or len(keys) < 3:
            continue
        for k, (cell, read) in enumerate(row):
            text = label_of(cell.text).text
            if not text or text in _column_words():
                continue
            word = _by_order(row, k)
            if word is not None:
                read.read_as = read.read_as or read.text
                cell.text = read.text = word


def _grid(chain: list[_Table], name: str, scan: ScanGrids) -> Grid:
    placed = _placed(chain)
    tol = 10 * chain[0].scale
    xs = _cluster([v for p in placed for v in (p[0], p[2])], tol)
    ys = _cluster([v for p in placed for v in (p[1], p[3])], tol)
    cells: list[tuple[Cell, Read]] = []
    row_page: dict[int, int] = {}
    for x0, y0, x1, y1, _box, read in placed:
        col, row = _index(xs, x0), _index(ys, y0)
        cell = Cell(row, col, max(_index(ys, y1) - row, 1), max(_index(xs, x1) - col, 1), read.text)
        cells.append((cell, read))
        row_page.setdefault(row, read.page)
    cells.sort(key=lambda cr: (cr[0].row, cr[0].col))
    _name_by_order(cells)
    pages = []
    page = chain[0].page
    for r in range(len(ys)):
        page = row_page.get(r, page)
        pages.append(page)

    def address(row: int, col: int) -> str:
        return f"第{pages[min(row, len(pages) - 1)]}页表格第{row + 1}行第{col + 1}列"

    check_extent([c for c, _ in cells], name, "", address)
    grid = Grid([c for c, _ in cells], origin="", page=chain[0].page, address=address)
    grid.row_pages = pages
    for cell, read in cells:
        scan.reads[id(cell)] = (grid, cell, read)
    return grid


def scan_grids(
    pages: Iterable[Any], name: str, progress: PageProgress | None = None, total: int = 0
) -> ScanGrids:
    """The grids of scanned ``pages`` (BGR arrays) in reading order."""
    items: list[_Table | _Line] = []
    for number, image in enumerate(pages, start=1):
        items.extend(read_page(image, number))
        if progress is not None:
            progress(number, total)
    scan = ScanGrids()
    for chain in _chains(items):
        if isinstance(chain, _Line):
            grid = Grid.text_line(chain.read.text, origin=f"第{chain.page}页", page=chain.page)
            scan.grids.append(grid)
            scan.reads[id(grid.cells[0])] = (grid, grid.cells[0], chain.read)
        else:
            scan.grids.append(_grid(chain, name, scan))
    return scan


# ----------------------------------------------------------------------------- doubts


def _structural(label: Label) -> bool:
    """A label of the form itself (项目名称, 年初预算数, 三级指标 …), read as such."""
    return bool(
        label.head
        or label.other_head
        or label.fund_column
        or label.fund_row
        or label.funds_block
        or label.goal_expected
        or label.goal_achieved
        or label.goals_block
        or label.indicator_column
        or label.total
        or label.grade
        or label.title
        or label.decoration
        or label.amount_unit
    )


def _context(grid: Grid, cell: Cell) -> str:
    """The row and column a cell belongs to, in the form's words: its column's header (an
    indicator or fund column above it) and its row's name (a fund row, or the 三级指标)."""
    column = ""
    for r in range(cell.row - 1, -1, -1):
        above = grid.at(r, cell.col)
        if above is None or above is cell:
            continue
        label = label_of(above.text)
        if label.indicator_column or label.fund_column:
            column = label.text
            break
    name = ""
    level3_col = None
    for r in range(cell.row - 1, -1, -1):
        for c in grid.row_cells(r):
            if label_of(c.text).indicator_column == "level3":
                level3_col = c.col
        if level3_col is not None:
            break
    for c in grid.row_cells(cell.row):
        if c is cell or c.col > cell.col:
            break
        label = label_of(c.text)
        if label.fund_row or label.head or (level3_col is not None and c.col == level3_col):
            name = label.text
    parts = [p for p in (name, column) if p]
    return f"（{'·'.join(parts)}）" if parts else ""


def in_doubt(read: Read) -> bool:
    """Whether a reading is listed in the gaps: read below :data:`CONFIDENCE`, taken as a
    label it nearly spells, with brackets that do not pair, or ink with no text read (the
    labels of the form, read as such, are never listed)."""
    text = read.text.strip()
    if not text:
        return read.ink >= INK
    if read.read_as:
        return True
    if _structural(label_of(text)):
        return False
    return read.least < CONFIDENCE or not brackets_pair(text)


def _gap(grid: Grid, cell: Cell, read: Read) -> str:
    """The gap naming one reading in doubt (:func:`in_doubt`): place and what was read."""
    text = read.text.strip()
    if not text:
        place = grid.place(cell.row, cell.col)
        return f"{place}{_context(grid, cell)}：有字迹但未识别出文字，请对照扫描件核对"
    shown = (read.read_as or text).replace("\n", "")
    if grid.is_text:
        place = f"第{read.page}页表格外文字"
    else:
        place = grid.place(cell.row, cell.col) + _context(grid, cell)
    taken = f"，按栏目名“{text}”读入" if read.read_as else ""
    why = f"置信度 {read.least:.2f}"
    if read.least >= CONFIDENCE and not read.read_as:
        why = f"括号不成对，{why}"
    said = f"文字识别存疑（{why}），读作“{shown}”{taken}，请对照扫描件核对"
    return f"{place}：{said}"


# ------------------------------------------------------------- uncertain cell → field

_CODE = "甲乙丙丁戊己庚辛壬癸"
_MARK = "驿"


def _marker(k: int, text: str) -> tuple[str, str | Decimal]:
    """The text put in the ``k``-th uncertain cell to find the field it feeds, and what
    that field then holds: a number no form prints (0.0xxxx3) in a cell read as a number
    (a % kept), else a word of its own."""
    try:
        parse_amount(text)
        number = bool(text.strip())
    except NotANumber:
        number = False
    if number:  # a number, or an empty value (-, —, 无 …) as number columns hold them
        value = Decimal(f"0.0{k + 1:04d}3")
        return (f"{value}%" if text.strip().endswith(("%", "％")) else str(value)), value
    word = _MARK + "".join(_CODE[int(d)] for d in f"{k:04d}") + _MARK
    return word, word


def _fields_fed(
    grids: list[Grid], marked: list[tuple[int, int, Read]], name: str, forms: int
) -> dict[int, tuple[int, str]]:
    """For each uncertain cell (its index in ``marked``: grid, cell, reading) the form
    (index) and field it feeds: the grids mapped again with a marker in every such cell
    (the forms read from the scan are untouched)."""
    copies = copy.deepcopy(grids)
    wanted: dict[str | Decimal, int] = {}
    for k, (g, c, read) in enumerate(marked):
        if read.read_as:  # a label of the form: it feeds no field
            continue
        text, marker = _marker(k, read.text)
        copies[g].cells[c].text = text
        wanted[marker] = k
        wanted[str(marker)] = k  # a number's marker in a text field
    if not wanted:
        return {}
    try:
        mapped = map_forms(copies, name)
    except Exception:  # the markers must never stop an import
        return {}
    if len(mapped) != forms:
        return {}
    found: dict[int, tuple[int, str]] = {}
    for f, form in enumerate(mapped):
        for path, value in field_values(form):
            if isinstance(value, str):
                at = value.find(_MARK)
                key: str | Decimal | None = (
                    value[at : at + 6] if at >= 0 else value.strip().rstrip("%％")
                )
            elif isinstance(value, Decimal):
                key = value
            else:
                key = None
            hit = wanted.get(key) if key is not None else None
            if hit is not None and hit not in found:
                found[hit] = (f, path)
    return found


def _scan_cells(
    scan: ScanGrids, forms: list[SelfEvaluation], name: str
) -> list[tuple[int | None, ScanCell]]:
    """Each reading in doubt as a :class:`ScanCell`, with the form (index) it belongs to
    when a field of that form took it."""
    marked: list[tuple[int, int, Read]] = []
    gaps: list[str] = []
    for g, grid in enumerate(scan.grids):
        for c, cell in enumerate(grid.cells):
            entry = scan.reads.get(id(cell))
            if entry is not None and in_doubt(entry[2]):
                marked.append((g, c, entry[2]))
                gaps.append(_gap(grid, cell, entry[2]))
    fed = _fields_fed(scan.grids, marked, name, len(forms))
    out: list[tuple[int | None, ScanCell]] = []
    for k, ((_g, _c, read), gap) in enumerate(zip(marked, gaps, strict=True)):
        form, path = fed.get(k, (None, ""))
        kept = ScanCell(
            path=path,
            page=read.page,
            box=read.box or (0, 0, 0, 0),
            text=(read.read_as or read.text).strip(),
            confidence=float(read.least),
            note=gap,
            crop=read.crop,
        )
        out.append((form, kept))
    return out


def read_scan(
    pages: Iterable[Any],
    name: str,
    total: int = 0,
    progress: PageProgress | None = None,
) -> list[SelfEvaluation]:
    """Every form of a scan (its pages as BGR arrays); each form's gaps list the cells of
    its pages that were read uncertainly."""
    scan = scan_grids(pages, name, progress, total)
    if not any(not g.is_text for g in scan.grids):
        from jixiao.ingest.errors import GridImportError

        raise GridImportError(
            f"{name}: 扫描件中没有找到带框线的表格（已做文字识别），无法读取自评表"
        )
    forms = require_forms(map_forms(scan.grids, name), name, "扫描件的表格")
    for owner, cell in _scan_cells(scan, forms, name):
        for i, form in enumerate(forms):
            first = form.source.page if form.source else None
            last = (form.source.end_page or first) if form.source else None
            if owner == i or (
                owner is None and (first is None or last is None or first <= cell.page <= last)
            ):
                form.gaps.append(cell.note)
                form.scan_cells.append(cell)
    return forms
