"""PDF forms as cell grids, via pdfplumber.

Each page's ruled tables are found with pdfplumber's line strategy. pdfplumber reports
``None`` for positions covered by a merged cell; the spans are rebuilt exactly from the
table's cell boxes mapped onto its unique x and y edges. Wrapped CJK cell text comes
joined with "\\n" and is joined with "" by the mapper. Text outside the tables (title,
year line) becomes one-line grids in reading order; page numbers are dropped. Several
forms in one PDF are separated by their titles.

A table that runs on at the top of the next page (same left and right edges) is joined
to the one it continues, by x position; a repeated header row is dropped. A merged cell
cut by the page break (一级/二级 指标 spanning rows) is made one cell again: its boxes on
either side of the break are recognised by the border left open at the break (or by one
of them being empty); text that the producer let run on below the cut (WeasyPrint) or
printed twice (LibreOffice centres the whole cell's text, so it may land below the table
or over the repeated header) is taken into that cell, not reported as loose text. A
一级/二级 cell closed on both sides of the break, its text run on (LibreOffice's PDF of a
Word file), is made one by the labels the layouts declare. When a cell lost a border, the
page is read again with rules closing each table.

A PDF without a text layer (a scan), with fonts that have no Unicode map (``(cid:123)``),
encrypted or damaged gets an :class:`~jixiao.ingest.errors.IngestError` saying exactly
that; a PDF with text but no ruled table, or whose tables hold no form, raises
:class:`NoRuledTable` carrying the text, for the text importer.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from jixiao.ingest.documents import require_self_evaluations, table_documents
from jixiao.ingest.errors import IngestError
from jixiao.ingest.grid import Cell, Grid, check_extent, source_and_name
from jixiao.ingest.vocabulary import PAGE_DECORATION
from jixiao.ingest.vocabulary import grid_label as norm
from jixiao.layouts import all_layouts, label_key
from jixiao.limits import LimitExceeded, current, size_text
from jixiao.model import FUND_COLUMNS, SelfEvaluation
from jixiao.plans import Documents

PDF_MAGIC = b"%PDF-"
EDGE_TOLERANCE = 1.5  # points: cell edges closer than this are one grid line
CONTINUE_TOLERANCE = 3.0  # points: a table on the next page with the same x0/x1 continues
PAGE_STRIDE = 100_000.0  # y offset per page when tables of several pages are joined
CID = re.compile(r"\(cid:\d+\)")
_WEIGHT_START = re.compile(r"^\((\d+(?:\.\d+)?)(?:分\)?)?$")  # a 一级 weight, its end lost


class NoTextLayer(IngestError):
    """A PDF whose pages hold no text at all (a scan): read it by OCR. ``sizes``: each
    page's width and height in points."""

    def __init__(self, message: str, sizes: list[tuple[float, float]]) -> None:
        super().__init__(message)
        self.sizes = sizes


class NoRuledTable(IngestError):
    """A PDF with a text layer but no ruled table: read it with the text importer."""

    def __init__(self, message: str, text: str) -> None:
        super().__init__(message)
        self.text = text


@dataclass
class _RawTable:
    """Cell boxes (x0, top, x1, bottom, text) of one table, possibly over several pages."""

    cells: list[tuple[float, float, float, float, str]]
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    pages: list[tuple[float, int]] = field(default_factory=list)  # (y start, page no)
    # Boxes at the table's top (bottom) drawn without that border: cut by a page break.
    open_tops: set[tuple[float, float, float, float]] = field(default_factory=set)
    open_bottoms: set[tuple[float, float, float, float]] = field(default_factory=set)
    # Page areas (no offset) of text that overflowed a cut cell, taken into that cell.
    overflow: list[tuple[float, float, float, float]] = field(default_factory=list)


@dataclass
class _Line:
    text: str
    page: int
    top: float
    x0: float = 0.0
    x1: float = 0.0


def _edges(values: list[float]) -> list[float]:
    """Distinct positions, values within EDGE_TOLERANCE merged into their first."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    i = bisect_left(edges, v - EDGE_TOLERANCE)
    return min(i, len(edges) - 1)


def _table_grid(raw: _RawTable, name: str = "<PDF>") -> Grid:
    xs = _edges([c[0] for c in raw.cells] + [c[2] for c in raw.cells])
    ys = _edges([c[1] for c in raw.cells] + [c[3] for c in raw.cells])
    cells = []
    for x0, top, x1, bottom, text in raw.cells:
        col, row = _index(xs, x0), _index(ys, top)
        colspan = max(_index(xs, x1) - col, 1)
        rowspan = max(_index(ys, bottom) - row, 1)
        cells.append(Cell(row, col, rowspan, colspan, text))
    cells.sort(key=lambda c: (c.row, c.col))
    starts = sorted(raw.pages)
    row_pages = []
    for y in ys:
        page = raw.page
        for start, p in starts:
            if y >= start - EDGE_TOLERANCE:
                page = p
        row_pages.append(page)

    def address(row: int, col: int) -> str:
        page = row_pages[min(row, len(row_pages) - 1)]
        return f"第{page}页表格第{row + 1}行第{col + 1}列"

    check_extent(cells, name, "", address)
    return Grid(cells, origin="", page=raw.page, address=address, row_pages=row_pages)


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _orphans(page: Any, table: Any, texts: list[list[str | None]]) -> bool:
    """Whether the table box holds text that no cell took (a cell lost a border)."""
    x0, top, x1, bottom = table.bbox
    inside = sum(
        _visible(ch["text"])
        for ch in page.chars
        if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
    )
    taken = sum(_visible(t or "") for row in texts for t in row)
    return inside > taken


def _open_ends(page: Any, boxes: list[tuple[float, float, float, float]]) -> set[float]:
    """Ends of vertical rules that run on beyond a table's box (a border left open)."""
    ends: set[float] = set()
    for x0, top, x1, bottom in boxes:
        for edge in page.edges:
            if edge["orientation"] != "v" or not x0 - 1 <= edge["x0"] <= x1 + 1:
                continue
            if edge["bottom"] > bottom + EDGE_TOLERANCE and edge["top"] < bottom:
                ends.add(round(edge["bottom"], 2))
            if edge["top"] < top - EDGE_TOLERANCE and edge["bottom"] > top:
                ends.add(round(edge["top"], 2))
    return ends


def _holes(table: Any) -> bool:
    """Whether the cells leave part of the table's box uncovered (a cell lost a border)."""
    x0, top, x1, bottom = table.bbox
    area = sum((c[2] - c[0]) * (c[3] - c[1]) for c in table.cells)
    return area < (x1 - x0) * (bottom - top) * 0.999


def _page_tables(page: Any, number: int) -> list[_RawTable]:
    found = [(t, t.extract()) for t in page.find_tables()]
    open_ends = _open_ends(page, [t.bbox for t, _ in found])
    if (
        open_ends
        or any(_holes(t) for t, _ in found)
        or any(_orphans(page, t, texts) for t, texts in found)
    ):
        # A merged cell cut by the page break is drawn without its bottom (or top)
        # border: close every table at its ends and look again.
        lines = sorted({t.bbox[3] for t, _ in found} | {t.bbox[1] for t, _ in found} | open_ends)
        found = [(t, t.extract()) for t in page.find_tables({"explicit_horizontal_lines": lines})]
    tables = []
    offset = (number - 1) * PAGE_STRIDE
    rules = [e for e in page.edges if e["orientation"] == "h"]
    overflow: list[tuple[float, float, float, float]] = []
    for table, texts in found:
        cells = []
        open_tops: set[tuple[float, float, float, float]] = set()
        open_bottoms: set[tuple[float, float, float, float]] = set()
        tx0, ttop, tx1, tbottom = table.bbox
        for row, row_texts in zip(table.rows, texts, strict=True):
            for box, text in zip(row.cells, row_texts, strict=True):
                if box is None:
                    continue
                x0, top, x1, bottom = box
                cell = (x0, top + offset, x1, bottom + offset, text or "")
                cells.append(cell)
                for y, end, ends in ((top, ttop, open_tops), (bottom, tbottom, open_bottoms)):
                    if abs(y - end) <= EDGE_TOLERANCE and not _ruled(rules, x0, x1, y):
                        ends.add(cell[:4])
                if cell[:4] in open_bottoms:
                    more, below = _overflow(page, x0, x1, bottom)
                    if more:
                        cells[-1] = (*cell[:4], cell[4] + "\n" + more)
                        overflow.append((x0, bottom, x1, below))
        if not cells:
            continue
        _labels_run_below(page, table.bbox, cells, offset)
        _mend_level_cells(cells)
        tables.append(
            _RawTable(
                cells,
                number,
                tx0,
                tx1,
                ttop + offset,
                tbottom + offset,
                [(ttop + offset, number)],
                open_tops,
                open_bottoms,
                overflow,
            )
        )
    return tables


def _overflow(page: Any, x0: float, x1: float, y: float) -> tuple[str, float]:
    """Text drawn below a cell cut by the page break (under its open border): WeasyPrint
    lets the cut cell's lines run on below it, LibreOffice centres the text of the whole
    merged cell, so it may land well below. Page numbers are not part of it."""
    chars = sorted(
        (ch for ch in page.chars if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and ch["top"] >= y - 1),
        key=lambda ch: (ch["top"], ch["x0"]),
    )
    lines: list[list[dict[str, Any]]] = []
    for ch in chars:
        if lines and abs(ch["top"] - lines[-1][0]["top"]) <= ch["size"] * 0.5:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    texts, edge = [], y
    for line in lines:
        text = "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
        if PAGE_DECORATION.match(norm(text)):
            continue
        texts.append(text)
        edge = max(edge, *(c["bottom"] for c in line))
    return "\n".join(texts), edge


def _ruled(rules: list[dict[str, Any]], x0: float, x1: float, y: float) -> bool:
    """Whether horizontal rules at ``y`` cover most of ``x0``–``x1``."""
    covered = sum(
        max(0.0, min(x1, e["x1"]) - max(x0, e["x0"]))
        for e in rules
        if abs(e["top"] - y) <= EDGE_TOLERANCE
    )
    return covered >= 0.8 * (x1 - x0)


def _outside_lines(
    page: Any, number: int, boxes: list[tuple[float, float, float, float]]
) -> list[_Line]:
    """Text lines of the page outside every table box, top to bottom."""
    chars = [
        ch
        for ch in page.chars
        if not any(
            b[0] - 1 <= (ch["x0"] + ch["x1"]) / 2 <= b[2] + 1
            and b[1] - 1 <= (ch["top"] + ch["bottom"]) / 2 <= b[3] + 1
            for b in boxes
        )
    ]
    chars.sort(key=lambda ch: (round(ch["top"]), ch["x0"]))
    lines: list[list[dict[str, Any]]] = []
    for ch in chars:
        if lines and abs(ch["top"] - lines[-1][0]["top"]) <= max(ch["size"], 4) * 0.5:
            lines[-1].append(ch)
        else:
            lines.append([ch])
    out = []
    for line in lines:
        line.sort(key=lambda ch: ch["x0"])
        text = ""
        prev = None
        for ch in line:
            if prev is not None and ch["x0"] - prev["x1"] > prev["size"] * 0.6:
                text += " "
            text += ch["text"]
            prev = ch
        if text.strip():
            out.append(_Line(text.strip(), number, line[0]["top"], line[0]["x0"], line[-1]["x1"]))
    return out


def _continues(prev: _RawTable, nxt: _RawTable) -> bool:
    return (
        nxt.page == prev.page + 1
        and abs(prev.x0 - nxt.x0) <= CONTINUE_TOLERANCE
        and abs(prev.x1 - nxt.x1) <= CONTINUE_TOLERANCE
    )


def _first_row(cells: list[tuple[float, float, float, float, str]]) -> list[int]:
    top = min(c[1] for c in cells)
    return [i for i, c in enumerate(cells) if c[1] - top <= EDGE_TOLERANCE]


def _cut(
    prev: _RawTable,
    nxt: _RawTable,
    upper: tuple[float, float, float, float],
    lower: tuple[float, float, float, float],
    texts: tuple[str, str],
    several_rows: bool,
) -> str | None:
    """The text of one merged cell if two boxes either side of a page break are its parts,
    else None: a border left open at the break; or, for a part spanning several rows, one
    part empty (the text is drawn once); or a 一级/二级 label's cell (:func:`_level_run_on`).
    LibreOffice's PDF of a workbook prints a cut cell's text again on each side of the
    break, a part of it over the repeated header or cut off: a part that the other holds (标
    under 满意度指标, 响指标 over 可持续影响指标) is that text again, taken once."""
    above, below = texts
    if (
        upper in prev.open_bottoms
        or lower in nxt.open_tops
        or (several_rows and (not norm(above) or not norm(below)))
    ):
        if norm(below) in norm(above):
            return above
        return below if norm(above) in norm(below) else above + below
    return _level_run_on(above, below)


def _level_run_on(above: str, below: str) -> str | None:
    """A 一级/二级 label's cell cut by a page break with both parts closed (LibreOffice's
    PDF of a Word file) made one, else None (two cells): a whole label (or synonym) in one
    part and the other part empty; or a label parted at the break, as printed (可持 /
    续影响指标, 效益 / 指标(25分)); or parted and its end not printed, the part below being
    too short for it (社会效 / 益指, 社会 / 效益): the one label that starts so (社会效益指标);
    or a 一级 label and the start of its printed weight (效益指标 / (30, its 分) lost)."""
    words, spelt = _level_labels()
    top, rest = label_key(above), label_key(below)
    if not top or not rest:
        return above + below if (top or rest) in words else None
    if top in words and rest in words:
        return None
    weight = _WEIGHT_START.match(rest)
    if weight and top in words:
        return f"{above}({weight[1]}分)"
    started = [label for key, label in spelt.items() if key.startswith(top + rest)]
    if len(started) == 1 and label_key(started[0]) != top + rest:
        return started[0]
    return above + below if top + rest in words else None


@cache
def _level_labels() -> tuple[frozenset[str], dict[str, str]]:
    """The 一级 and 二级 labels and synonyms the layouts declare, as compared; and each
    label as compared → the label."""
    words: set[str] = set()
    spelt: dict[str, str] = {}
    for layout in all_layouts():
        for label in (*layout.level1, *layout.level2):
            words.update(label_key(word) for word in label.words())
            spelt[label_key(label.label)] = label.label
    return frozenset(words), spelt


def _labels_run_below(
    page: Any,
    bbox: tuple[float, float, float, float],
    cells: list[tuple[float, float, float, float, str]],
    offset: float,
) -> None:
    """A 一级/二级 label that LibreOffice's PDF of a Word file draws on below its cell, into
    the table's last rows where it drew no box (时效 / 指, its 标 not printed): the cell's
    text made the label it starts by the rule for a cut cell (:func:`_level_run_on`); the
    rows without a box take the cell above as any row under a merged cell does."""
    tbottom = bbox[3]
    for i, (x0, top, x1, bottom, text) in enumerate(cells):
        y = bottom - offset
        if not norm(text) or y >= tbottom - EDGE_TOLERANCE:
            continue
        if any(
            abs(c[1] - bottom) <= EDGE_TOLERANCE and c[0] < x1 - 1 and c[2] > x0 + 1 for c in cells
        ):
            continue  # a box below it: nothing is drawn outside one
        below = [
            ch
            for ch in page.chars
            if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1
            and y - 1 <= ch["top"]
            and (ch["top"] + ch["bottom"]) / 2 <= tbottom
        ]
        more = "".join(ch["text"] for ch in sorted(below, key=lambda ch: (ch["top"], ch["x0"])))
        if more and (one := _level_run_on(text, more)) is not None:
            cells[i] = (x0, top, x1, bottom, one)


def _mend_level_cells(cells: list[tuple[float, float, float, float, str]]) -> None:
    """On one page, a 一级/二级 cell that LibreOffice's PDF of a Word file draws ending a row
    early, the rest of its label in a box of its own below (社会效益指 / 标), made one by the
    rule for a cell cut by a page break (:func:`_level_run_on`), both boxes holding text."""
    column: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(cells):
        column.setdefault((round(c[0]), round(c[2])), []).append(i)
    absorbed: set[int] = set()
    for boxes in column.values():
        boxes.sort(key=lambda i: cells[i][1])
        for i, j in pairwise(boxes):
            x0, top, x1, bottom, text = cells[i]
            below = cells[j]
            if (
                abs(bottom - below[1]) <= EDGE_TOLERANCE
                and norm(text)
                and norm(below[4])
                and (one := _level_run_on(text, below[4])) is not None
            ):
                cells[j] = (x0, top, x1, below[3], one)
                absorbed.add(i)
    cells[:] = [c for i, c in enumerate(cells) if i not in absorbed]


def _repeats_a_header(prev: _RawTable, row: list[tuple[float, float, float, float, str]]) -> bool:
    """Whether ``row`` (the continuation's first row) repeats a row of ``prev``: the same
    columns, each holding that row's text — LibreOffice may print a cut merged cell's
    text again over it, so a cell may hold more, interleaved (:func:`_within`)."""
    rows: dict[float, list[tuple[float, float, float, float, str]]] = {}
    for c in prev.cells:
        rows.setdefault(round(c[1], 1), []).append(c)
    for candidate in rows.values():
        if len(candidate) != len(row) or not any(norm(c[4]) for c in candidate):
            continue
        pairs = [
            (a, b)
            for b in row
            for a in candidate
            if abs(a[0] - b[0]) <= EDGE_TOLERANCE and abs(a[2] - b[2]) <= EDGE_TOLERANCE
        ]
        if len(pairs) == len(row) and all(_within(norm(a[4]), norm(b[4])) for a, b in pairs):
            return True
    return False


def _within(header: str, printed: str) -> bool:
    """Whether ``printed`` shows ``header``'s characters in order, maybe among others: a
    cut merged cell's text printed again over the repeated header (LibreOffice's PDF of a
    workbook) may interleave with it (可持续影响指标 over 二级指标: 二可级持指续标影响指标)."""
    chars = iter(printed)
    return all(c in chars for c in header)


def _ghost(line: _Line, table: _RawTable) -> bool:
    """A line between a table and its continuation, inside the table's width, whose text
    is part of a cell's text: a cut merged cell printed again (LibreOffice)."""
    text = norm(line.text)
    if not text or line.x0 < table.x0 - 1 or line.x1 > table.x1 + 1:
        return False
    return any(text in norm(c[4]) for c in table.cells)


def _join(prev: _RawTable, nxt: _RawTable) -> None:
    """Append the continuation ``nxt`` (next page) to ``prev``.

    A header row repeated at the top of the continuation is dropped. A merged cell cut by
    the page break (一级/二级 指标 spanning rows) comes out as two boxes with its text in
    one of them: boxes of the same columns that touch the break, one of them empty, are
    made one cell again.
    """
    cells = list(nxt.cells)
    head = _first_row(cells)
    if _repeats_a_header(prev, [cells[i] for i in head]):
        cells = [c for i, c in enumerate(cells) if i not in set(head)]
    if cells:
        first = _first_row(cells)
        last_top = max(c[1] for c in prev.cells if abs(c[3] - prev.bottom) <= EDGE_TOLERANCE)
        first_bottom = min(cells[i][3] for i in first)
        for i in first:
            x0, top, x1, bottom, text = cells[i]
            for j, (px0, ptop, px1, pbottom, ptext) in enumerate(prev.cells):
                if (
                    abs(pbottom - prev.bottom) <= EDGE_TOLERANCE
                    and abs(px0 - x0) <= EDGE_TOLERANCE
                    and abs(px1 - x1) <= EDGE_TOLERANCE
                    and (
                        joined := _cut(
                            prev,
                            nxt,
                            (px0, ptop, px1, pbottom),
                            cells[i][:4],
                            (ptext, text),
                            ptop < last_top - EDGE_TOLERANCE
                            or bottom > first_bottom + EDGE_TOLERANCE,
                        )
                    )
                    is not None
                ):
                    prev.cells[j] = (px0, ptop, px1, bottom, joined)
                    cells[i] = (x0, top, x1, top, "")  # absorbed
                    break
        cells = [c for c in cells if c[3] > c[1]]
    prev.cells.extend(cells)
    prev.open_tops |= nxt.open_tops
    prev.open_bottoms |= nxt.open_bottoms
    prev.bottom = nxt.bottom
    prev.pages.append((nxt.top, nxt.page))
    prev.page = nxt.page


def _page_items(page: Any, number: int) -> list[_RawTable | _Line]:
    """The tables and the text lines outside them of one page, top to bottom."""
    offset = (number - 1) * PAGE_STRIDE
    tables = _page_tables(page, number)
    boxes = [(t.x0, t.top - offset, t.x1, t.bottom - offset) for t in tables]
    boxes += [box for t in tables for box in t.overflow]
    lines = [
        ln for ln in _outside_lines(page, number, boxes) if not PAGE_DECORATION.match(norm(ln.text))
    ]
    items: list[tuple[float, _RawTable | _Line]] = [(t.top, t) for t in tables]
    items += [(ln.top + offset, ln) for ln in lines]
    items.sort(key=lambda it: it[0])
    return [item for _, item in items]


def pdf_blocks(source: Path | bytes, name: str) -> tuple[list[Grid], str]:
    """Grids and text lines of a PDF in reading order, and its whole text (for fallback).

    Raises :class:`IngestError` for unreadable, scanned or unmapped-font PDFs.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (PdfminerException, PDFSyntaxError, OSError, ValueError, KeyError, TypeError) as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, PDFPasswordIncorrect) or "encrypt" in str(cause).lower():
            raise IngestError(f"{name}: PDF 文件已加密（需要密码），无法读取") from None
        raise IngestError(f"{name}: 无法打开 PDF 文件（{type(err).__name__}: {err}）") from None
    blocks: list[_RawTable | _Line] = []
    text_chars = 0
    cid_pages: list[int] = []
    pages: list[Any] = []
    with pdf:
        for number, page in enumerate(lazy_pages(pdf, name), start=1):
            pages.append(page)
            try:
                check_page_content(page, name, number)
                chars = page.chars
                if len(chars) > current().max_page_chars:
                    raise LimitExceeded(
                        f"{name}: 第 {number} 页有 {len(chars)} 个字符，超过上限"
                        f"（每页最多 {current().max_page_chars} 个）"
                    )
                text_chars += len(chars)
                if any(CID.match(ch["text"]) for ch in chars[:2000]):
                    cid_pages.append(number)
                    continue
                if chars:
                    check_page_rules(page, name, number)
                items = _page_items(page, number) if chars else []
            except (IngestError, LimitExceeded):
                raise
            except Exception as err:  # pdfminer/pdfplumber on a damaged page
                raise IngestError(
                    f"{name}: 第 {number} 页无法解析（{type(err).__name__}: {err}）"
                ) from None
            finally:
                page.close()  # drop the page's parsed objects: memory stays flat
            for item in items:
                if isinstance(item, _RawTable):
                    # Lines between a table and its continuation may be the text of a
                    # cut merged cell printed twice; the continuation is joined over them.
                    k = len(blocks)
                    while k and isinstance(blocks[k - 1], _Line):
                        k -= 1
                    prev = blocks[k - 1] if k else None
                    if isinstance(prev, _RawTable) and _continues(prev, item):
                        between = blocks[k:]
                        if all(
                            isinstance(ln, _Line) and (_ghost(ln, prev) or _ghost(ln, item))
                            for ln in between
                        ):
                            del blocks[k:]
                            _join(prev, item)
                            continue
                blocks.append(item)
        if cid_pages:
            shown = "、".join(str(p) for p in cid_pages[:10])
            raise IngestError(
                f"{name}: 第 {shown} 页的字体没有 Unicode 映射，抽出的文字是 (cid:123) "
                "这样的字形编号，无法得到表格内容；"
                "请用原始文件重新导出 PDF（嵌入字体并保留文字），或提供 Excel/文字版"
            )
        if text_chars == 0:
            raise NoTextLayer(
                f"{name}: PDF 没有文字层（共 {len(pages)} 页，可能是扫描件或图片）",
                [(float(page.width), float(page.height)) for page in pages],
            )
        grids: list[Grid] = []
        for block in blocks:
            if isinstance(block, _Line):
                grids.append(
                    Grid.text_line(block.text, origin=f"第{block.page}页", page=block.page)
                )
            else:
                first_page = block.pages[0][1]
                block.page = first_page
                grids.append(_table_grid(block, name))
        whole_text = ""
        if not any(not g.is_text for g in grids):
            whole_text = "\n\f".join(page.extract_text(layout=False) or "" for page in pages)
    return grids, whole_text


def page_count(pdf: Any) -> int | None:
    """The page count the document's page tree declares (None when it says nothing)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # a damaged page tree: the pages are counted as they are read
        return None
    return count if isinstance(count, int) else None


def lazy_pages(pdf: Any, name: str) -> Iterator[Any]:
    """pdfplumber pages one by one, never more than the page limit (``pdf.pages`` would
    make every page of a 5,000-page file before the first is read)."""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    limit = current().max_pages
    declared = page_count(pdf)
    if declared is not None and declared > limit:
        raise LimitExceeded(f"{name}: PDF 有 {declared} 页，超过上限（最多 {limit} 页）")
    doctop = 0.0
    pages = PDFPage.create_pages(pdf.doc)
    number = 0
    while True:
        try:
            page_obj = next(pages)
        except StopIteration:
            return
        except Exception as err:  # pdfminer raises many kinds on a damaged file
            raise IngestError(f"{name}: PDF 文件已损坏，无法读取页面（{err}）") from None
        number += 1
        if number > limit:
            raise LimitExceeded(f"{name}: PDF 的页数超过上限（最多 {limit} 页）")
        page = Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
        doctop += float(page.height)
        yield page


_FLATE = ("FlateDecode", "Fl")


def check_page_content(page: Any, name: str, number: int) -> None:
    """Refuse a page whose content streams expand beyond the limit, before pdfminer
    parses them: a Flate stream is inflated with a cap (a 1 GB stream costs what the cap
    allows), other streams count as stored."""
    import zlib

    from pdfminer.pdftypes import PDFStream, resolve1

    limit = current().max_page_stream_bytes
    total = 0
    for ref in page.page_obj.contents or []:
        stream = resolve1(ref)
        if not isinstance(stream, PDFStream):
            continue
        raw = stream.rawdata if stream.rawdata is not None else (stream.data or b"")
        filters = [getattr(f, "name", str(f)) for f, _ in stream.get_filters()]
        if filters and filters[0] in _FLATE:
            inflater = zlib.decompressobj()
            try:
                size = len(inflater.decompress(raw, limit - total + 1))
            except zlib.error:
                size = len(raw)  # pdfminer reports the damage itself
        else:
            size = len(raw)
        total += size
        if total > limit:
            raise LimitExceeded(
                f"{name}: 第 {number} 页的内容流解压后超过上限（每页最多 {size_text(limit)}）"
            )


def check_page_rules(page: Any, name: str, number: int) -> None:
    """Refuse a page ruled into more positions than the limit before its tables are
    looked for (the table finder's time grows much faster than the positions)."""
    limit = current().max_page_grid
    rows = {round(e["top"]) for e in page.edges if e["orientation"] == "h"}
    cols = {round(e["x0"]) for e in page.edges if e["orientation"] == "v"}
    if len(rows) * len(cols) > limit:
        raise LimitExceeded(
            f"{name}: 第 {number} 页的表格线有 {len(rows)} 条横线、{len(cols)} 条竖线，"
            f"超过上限（每页最多 {limit} 个交叉位置）"
        )


def pdf_documents(source: str | Path | bytes, name: str | None = None) -> Documents:
    """Every document in a PDF's tables (a path, or its bytes called ``name``), sorted by
    kind (:func:`jixiao.ingest.documents.table_documents`): 自评表, 申报表, 监控表, and the
    tables skipped with why.

    :class:`NoRuledTable` when it has text but no ruled table, or tables that hold no
    document (a form may be drawn without rules): read it as text.
    """
    data, name = source_and_name(source, name, "<PDF>")
    grids, text = pdf_blocks(data, name)
    if not any(not g.is_text for g in grids):
        raise NoRuledTable(f"{name}: PDF 中没有带框线的表格，改按文字版读取", text)
    docs = table_documents(grids, name)
    if not (docs.declarations or docs.monitorings or any(_has_content(f) for f in docs.forms)):
        raise NoRuledTable(f"{name}: PDF 的表格中没有自评表，改按文字版读取", pdf_text(data, name))
    return docs


def read_pdf(source: str | Path | bytes, name: str | None = None) -> list[SelfEvaluation]:
    """Every 自评表 in a PDF (a path, or its bytes called ``name``); a 申报表 or 监控表
    beside them is not one (:func:`pdf_documents` has them)."""
    docs = pdf_documents(source, name)
    shown = name or (str(source) if not isinstance(source, bytes) else "<PDF>")
    return require_self_evaluations(docs, shown, "PDF").forms


def _has_content(form: SelfEvaluation) -> bool:
    """A form the tables gave something to: a project, a fund value or an indicator."""
    total = form.funds.total
    return bool(form.project or form.indicators) or any(
        getattr(total, c) is not None for c in FUND_COLUMNS
    )


def pdf_text(source: Path | bytes, name: str = "<PDF>") -> str:
    """The text of every page (pages separated by a form feed), for the text importer."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(source) if isinstance(source, bytes) else source) as pdf:
        texts = []
        for number, page in enumerate(lazy_pages(pdf, name), start=1):
            check_page_content(page, name, number)
            texts.append(page.extract_text(layout=False) or "")
            page.close()
        return "\n\f".join(texts)


def is_pdf(head: bytes) -> bool:
    return head.lstrip(b"\x00\t\r\n ").startswith(PDF_MAGIC)
