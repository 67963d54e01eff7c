"""HTML tables (a page saved from a government site) as cell grids.

The stdlib :mod:`html.parser` reads the page; every ``<table>`` becomes a grid with its
``rowspan``/``colspan`` placed the way a browser places them (a cell goes to the first
position of its row not covered by a span from above). A table nested in a cell is its
own grid (layout tables around the form are common); text outside tables (the title,
the year line) becomes one-line grids in document order. Scripts, styles and the page
``<title>`` are skipped. ``<br>`` and block ends inside a cell are line breaks, which the
mapper joins with nothing.
"""

from __future__ import annotations

import re
from bisect import insort
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from jixiao.ingest.decode import decode_bytes, refuse_surrogates
from jixiao.ingest.documents import require_documents, require_self_evaluations, table_documents
from jixiao.ingest.errors import IngestError
from jixiao.ingest.grid import Cell, Grid, check_extent, source_and_name
from jixiao.limits import LimitExceeded, check_bytes, current
from jixiao.messages import os_reason
from jixiao.model import SelfEvaluation
from jixiao.plans import Documents

# Elements whose content is not page text. Kept to elements that are always closed, so
# a sloppy page cannot switch the rest of it off.
SKIP = {"script", "style", "title", "noscript", "template", "select", "textarea"}
BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
    "article", "header", "footer", "center", "blockquote", "pre", "form", "caption",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


@dataclass
class _Table:
    rows: list[list[tuple[int, int, list[str]]]] = field(default_factory=list)
    cell: list[str] | None = None  # text parts of the open cell
    span: tuple[int, int] = (1, 1)
    number: int = 0
    slot: int = 0  # its place in the document's item list


def _span(value: str | None) -> int:
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        return 1
    return min(max(n, 1), 65534)  # a browser's cap on rowspan; colspan is capped at 1000


class _Reader(HTMLParser):
    def __init__(self, name: str = "<网页>") -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.items: list[Grid | None] = []
        self.stack: list[_Table] = []
        self.skip = 0
        self.outside: list[str] = []
        self.tables = 0
        self.cells = 0  # tables, rows, cells and outside lines of the page, against the limit
        self.max_cells = current().max_cells

    def _count(self, where: str) -> None:
        self.cells += 1
        if self.cells > self.max_cells:
            raise LimitExceeded(
                f"{self.name}: 网页的表格、行、单元格和文字行超过上限"
                f"（最多 {self.max_cells} 个，超出处在{where}）"
            )

    # -- outside text
    def _flush_outside(self) -> None:
        text = _SPACES.sub(" ", "".join(self.outside)).strip()
        self.outside = []
        for line in text.split("\n"):
            line = line.strip()
            if line:
                self._count("网页正文")
                self.items.append(Grid.text_line(line, origin="网页正文"))

    def _text_sink(self) -> list[str] | None:
        if self.stack:
            return self.stack[-1].cell
        return self.outside

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skip = 0  # whatever was left open in <head>
            return
        if tag in SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        a = dict(attrs)
        if tag == "table":
            if not self.stack:
                self._flush_outside()
            self._count(f"第{self.tables + 1}个表格")
            self.tables += 1
            self.stack.append(_Table(number=self.tables, slot=len(self.items)))
            self.items.append(None)  # filled when the table closes: outer before inner
        elif not self.stack:
            if tag == "br" or tag in BLOCK:
                self.outside.append("\n")
        elif tag == "tr":
            self._close_cell()
            table = self.stack[-1]
            self._count(f"第{table.number}个表格")
            max_rows = current().max_rows
            if len(table.rows) >= max_rows:
                raise LimitExceeded(
                    f"{self.name}: 第{table.number}个表格的行数超过上限（最多 {max_rows} 行）"
                )
            table.rows.append([])
        elif tag in ("td", "th"):
            table = self.stack[-1]
            self._close_cell()
            if not table.rows:
                table.rows.append([])
            table.cell = []
            self._count(f"第{table.number}个表格")
            table.span = (_span(a.get("rowspan")), min(_span(a.get("colspan")), 1000))
        elif tag == "br" or tag in BLOCK:
            sink = self._text_sink()
            if sink is not None:
                sink.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip:
            return
        if tag == "table" and self.stack:
            self._close_cell()
            table = self.stack.pop()
            self.items[table.slot] = _grid(table, self.name)
            if not self.stack:
                return
        elif not self.stack:
            if tag in BLOCK:
                self.outside.append("\n")
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag in BLOCK:
            sink = self._text_sink()
            if sink is not None:
                sink.append("\n")

    def _close_cell(self) -> None:
        table = self.stack[-1] if self.stack else None
        if table is None or table.cell is None:
            return
        text = _SPACES.sub(" ", "".join(table.cell))
        text = "\n".join(part.strip() for part in text.split("\n") if part.strip())
        table.rows[-1].append((table.span[0], table.span[1], [text]))
        table.cell = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        sink = self._text_sink()
        if sink is not None:
            sink.append(data.replace("\n", " "))

    def close(self) -> None:
        super().close()
        while self.stack:
            self._close_cell()
            table = self.stack.pop()
            self.items[table.slot] = _grid(table, self.name)
        self._flush_outside()


def _grid(table: _Table, name: str) -> Grid:
    """Place cells as a browser does: each at the first column its row leaves free.

    The columns taken by cells spanning down from rows above are kept per row as
    intervals, so a span is never expanded position by position.
    """
    origin = f"第{table.number}个表格"
    max_cells = current().max_cells
    from_above: dict[int, list[tuple[int, int]]] = {}  # row → (first col, last col), sorted
    cells = []
    covered = 0
    for r, row in enumerate(table.rows):
        taken = from_above.pop(r, [])
        j = 0
        c = 0
        for rowspan, colspan, parts in row:
            while j < len(taken) and taken[j][0] <= c:
                c = max(c, taken[j][1] + 1)
                j += 1
            rowspan = min(rowspan, max(len(table.rows) - r, 1))
            covered += rowspan * colspan
            if covered > max_cells:
                raise LimitExceeded(
                    f"{name}: {origin}的单元格超过上限（最多 {max_cells} 个，含合并单元格覆盖的）"
                )
            cells.append(Cell(r, c, rowspan, colspan, parts[0]))
            for rr in range(r + 1, r + rowspan):
                insort(from_above.setdefault(rr, []), (c, c + colspan - 1))
            c += colspan
    check_extent(cells, name, origin)
    return Grid(cells, origin=origin)


def html_grids(text: str, name: str = "<网页>") -> list[Grid]:
    """Tables and outside text lines of an HTML document, in document order; a page
    beyond :mod:`jixiao.limits` raises :class:`~jixiao.limits.LimitExceeded`."""
    reader = _Reader(name)
    reader.feed(text)
    reader.close()
    return [item for item in reader.items if item is not None]


def decode_html(data: bytes, name: str) -> str:
    """HTML bytes to text: BOM, then a declared ``<meta charset>``, then UTF-8/GB18030."""
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = m.group(1).decode("ascii").lower()
        if declared in ("gb2312", "gbk", "gb18030"):
            declared = "gb18030"
        try:
            text = data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            refuse_surrogates(text, name)
            return text
    return decode_bytes(data, name)[0]


def read_html(source: str | Path | bytes, name: str | None = None) -> list[SelfEvaluation]:
    """Every 自评表 in the tables of an HTML page (a path, or its bytes called ``name``)."""
    shown = name or (str(source) if not isinstance(source, bytes) else "<网页>")
    return require_self_evaluations(html_documents(source, name), shown, "网页").forms


def html_documents(source: str | Path | bytes, name: str | None = None) -> Documents:
    """Every document in the tables of an HTML page, sorted by kind
    (:func:`jixiao.ingest.documents.table_documents`)."""
    given, name = source_and_name(source, name, "<网页>")
    try:
        data = given if isinstance(given, bytes) else given.read_bytes()
    except OSError as err:
        raise IngestError(f"{name}: 无法读取文件（{os_reason(err)}）") from None
    check_bytes(len(data), current().max_text_bytes, name, "网页文件")
    grids = html_grids(decode_html(data, name), name)
    if not any(not g.is_text for g in grids):
        raise IngestError(f"{name}: 网页中没有表格（<table>），无法按表格读取")
    return require_documents(table_documents(grids, name), name, "网页")


_HTML_HEAD = re.compile(rb"<!doctype\s+html|<html[\s>]|<table[\s>]|<head[\s>]|<body[\s>]", re.I)


def is_html(head: bytes) -> bool:
    """Markup that a browser would render as a page (or a bare table fragment). Text with
    no ``<`` at all is none, told by one ``memchr`` (the search tries every position)."""
    head = head[:4096]
    return b"<" in head and _HTML_HEAD.search(head) is not None
