"""Word documents (.docx) as cell grids, for the one grid mapper.

The main part (``word/document.xml``) is streamed with lxml: each paragraph or table at
the top of the body is read when it ends, turned into grids and dropped, so memory holds
one of them at a time. A table becomes a :class:`~jixiao.ingest.grid.Grid` with Word's
merges as spans: ``w:gridSpan`` (and the old ``w:hMerge``) across, ``w:vMerge`` down
(``restart`` opens a merge, a bare ``w:vMerge`` continues the one above in the same
columns), ``w:gridBefore`` skipping columns at a row's start. A table nested in a cell is
a grid of its own, after the table that holds it (as a nested HTML table is); the cell keeps
its own paragraphs. Paragraphs outside tables (the title, the year line, 单位：万元) become
one-line text grids, as the PDF and HTML readers make them. A table row that Word splits
over two pages is one ``w:tr``; a table continued after a page break is another grid, and
the mapper joins them.

Bounds (:mod:`jixiao.limits`): the zip's directory first (:func:`check_zip`: sizes, ratio,
the main part at most ``max_shared_strings_bytes``), then while parsing the tables, rows,
cells and paragraphs against ``max_cells``, table nesting against :data:`MAX_NESTING`, and
each table with :func:`check_extent` (rows, columns, the area of a merge), the XML
elements one block holds and the attributes of one tag. XML entities are not expanded and
nothing is fetched from the network.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from jixiao.ingest.documents import require_documents, require_self_evaluations, table_documents
from jixiao.ingest.errors import GridImportError, IngestError
from jixiao.ingest.grid import Cell, Grid, check_extent, source_and_name, span_limit
from jixiao.ingest.xlsx import check_zip
from jixiao.limits import LimitExceeded, current
from jixiao.messages import os_reason
from jixiao.model import SelfEvaluation
from jixiao.plans import Documents

NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{NS}}}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
MAIN_PART = "word/document.xml"
OFFICE_DOCUMENT = "/officeDocument"
MAX_NESTING = 16  # tables inside tables inside …; real forms use one or two
XML_DEPTH = 256  # elements inside each other: libxml2 stops there (without XML_PARSE_HUGE)
MAX_ATTRIBUTES = 10_000  # attributes of one XML tag (Word writes a few dozen at most)
CHUNK = 1 << 16  # bytes of the main part handed to libxml2 at a time
ELEMENTS_PER_CELL = 2  # XML elements one paragraph or table may hold: max_cells × this
KIND = "Word 文档"

# Block-level wrappers whose children are read as if they stood in their place.
_WRAPPERS = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}moveTo"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def _val(element: Any, child: str) -> str | None:
    """The ``w:val`` of ``element``'s property ``child`` (None when absent; "" when it has
    no value, which for ``w:vMerge`` means "continue")."""
    found = element.find(f"{W}{child}") if element is not None else None
    if found is None:
        return None
    return str(found.get(f"{W}val", ""))


def _int_val(element: Any, child: str, default: int) -> int:
    value = _val(element, child)
    try:
        return max(int(value), 0) if value else default
    except ValueError:
        return default


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """The ``tag`` children of ``parent``, looking through content controls and the like."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables directly in ``parent`` (a body or a cell), in order."""
    for child in parent:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


_TEXT_TAGS = (
    f"{W}t",
    f"{W}br",
    f"{W}cr",
    f"{W}tab",
    f"{W}ptab",
    f"{W}noBreakHyphen",
    f"{W}p",
    f"{MC}Fallback",
)
_TEXT_OF = {
    f"{W}br": "\n",
    f"{W}cr": "\n",
    f"{W}tab": " ",
    f"{W}ptab": " ",
    f"{W}noBreakHyphen": "-",
}


def paragraph_text(paragraph: Any) -> str:
    """A paragraph's visible text: its runs' text (``w:t``), tabs as spaces, breaks and
    the paragraphs of a text box inside it as new lines. Deleted text (``w:delText``) and
    field codes (``w:instrText``) are not ``w:t``; the fallback copy of a drawing
    (``mc:Fallback``) is skipped."""
    parts: list[str] = []
    skip: Any = None  # a Fallback whose descendants are passed over
    for element in paragraph.iter(*_TEXT_TAGS):
        if skip is not None:
            if any(a is skip for a in element.iterancestors(f"{MC}Fallback")):
                continue
            skip = None
        tag = element.tag
        if tag == f"{W}t":
            parts.append(element.text or "")
        elif tag == f"{MC}Fallback":
            skip = element
        elif tag == f"{W}p":
            if element is not paragraph:
                parts.append("\n")
        else:
            parts.append(_TEXT_OF[tag])
    return "".join(parts)


def _clean(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass
class _Reader:
    """Grids of one document in order; counts everything against the limits."""

    name: str
    items: list[Grid | tuple[str, str]] = field(default_factory=list)  # a line: (text, place)
    tables: int = 0
    paragraphs: int = 0
    blocks: int = 0  # paragraphs and tables at the top of the body
    count: int = 0
    max_cells: int = field(default_factory=lambda: current().max_cells)

    def grids(self) -> list[Grid]:
        """The document's grids; text lines become one-cell grids only now, once every
        limit has been kept."""
        return [
            Grid.text_line(item[0], origin=item[1]) if isinstance(item, tuple) else item
            for item in self.items
        ]

    def _tick(self, where: str) -> None:
        self.count += 1
        if self.count > self.max_cells:
            raise LimitExceeded(
                f"{self.name}: Word 文档的表格、行、单元格和段落超过上限"
                f"（最多 {self.max_cells} 个，超出处在{where}）"
            )

    def block(self, element: Any) -> None:
        """A paragraph or table at the top of the body."""
        self.blocks += 1
        if element.tag == f"{W}tbl":
            self.table(element, 1)
            return
        self.paragraphs += 1
        where = f"正文第{self.paragraphs}段"
        self._tick(where)
        text = paragraph_text(element)
        if text.strip():
            self.items.extend((line, where) for line in _clean(text).split("\n"))

    def table(self, tbl: Any, depth: int) -> None:
        self.tables += 1
        origin = f"第{self.tables}个表格"
        if depth > MAX_NESTING:
            raise LimitExceeded(
                f"{self.name}: {origin}嵌套超过上限（表格里的表格最多 {MAX_NESTING} 层）"
            )
        self._tick(origin)
        slot = len(self.items)
        nested: list[Any] = []
        cells = self._cells(tbl, origin, nested)
        check_extent(cells, self.name, origin)
        self.items.insert(slot, Grid(cells, origin=origin))
        for inner in nested:
            self.table(inner, depth + 1)

    def _cells(self, tbl: Any, origin: str, nested: list[Any]) -> list[Cell]:
        """Place a table's cells on its grid columns, merges as spans."""
        limits = current()
        cells: list[Cell] = []
        open_down: dict[int, Cell] = {}  # first column → the cell a vMerge may continue
        for r, tr in enumerate(_children(tbl, f"{W}tr")):
            if r >= limits.max_rows:
                raise LimitExceeded(
                    f"{self.name}: {origin}的行数超过上限（最多 {limits.max_rows} 行）"
                )
            self._tick(origin)
            col = _int_val(tr.find(f"{W}trPr"), "gridBefore", 0)
            still_open: dict[int, Cell] = {}
            left: Cell | None = None
            for tc in _children(tr, f"{W}tc"):
                self._tick(origin)
                props = tc.find(f"{W}tcPr")
                span = max(_int_val(props, "gridSpan", 1), 1)
                if col + span > limits.max_cols:
                    raise LimitExceeded(
                        f"{self.name}: {origin}第{r + 1}行的单元格超出列数上限"
                        f"（最多 {limits.max_cols} 列）"
                    )
                down = _val(props, "vMerge")
                if _val(props, "hMerge") not in (None, "restart") and left is not None:
                    left.colspan += span  # the old way of merging across
                    col += span
                    continue
                above = open_down.get(col)
                if down not in (None, "restart") and above is not None and above.colspan == span:
                    above.rowspan += 1  # a continued cell's own content is not shown
                    if above.rowspan * above.colspan > limits.max_span_cells:
                        span_limit(
                            self.name,
                            origin,
                            f"第{above.row + 1}行第{above.col + 1}列",
                            f"第{above.last_row + 1}行第{above.last_col + 1}列",
                            above.rowspan,
                            above.colspan,
                        )
                    still_open[col] = above
                    left = above
                else:
                    texts = []
                    for block in _blocks(tc):
                        if block.tag == f"{W}tbl":
                            nested.append(block)
                        else:
                            texts.append(paragraph_text(block))
                    left = Cell(r, col, 1, span, _clean("\n".join(texts)))
                    cells.append(left)
                    if down is not None:
                        still_open[col] = left
                col += span
            open_down = still_open
        return cells


def main_part(zf: zipfile.ZipFile) -> str:
    """The main document part named by the package's relationships (word/document.xml)."""
    try:
        rels = etree.fromstring(
            zf.read("_rels/.rels"),
            etree.XMLParser(resolve_entities=False, no_network=True),
        )
    except (KeyError, etree.XMLSyntaxError):
        return MAIN_PART
    for rel in rels:
        if str(rel.get("Type", "")).endswith(OFFICE_DOCUMENT):
            target = str(rel.get("Target", "")).lstrip("/")
            return str(PurePosixPath(target))
    return MAIN_PART


def docx_grids(data: bytes, name: str) -> list[Grid]:
    """Tables and paragraphs of a .docx, in document order, as grids."""
    check_zip(data, name, KIND)
    reader = _Reader(name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            part = main_part(zf)
            try:
                stream = zf.open(part)
            except KeyError:
                raise GridImportError(f"{name}: Word 文档缺少正文部件 {part}") from None
            with stream:
                _parse(stream, reader)
    except (LimitExceeded, IngestError):
        raise
    except etree.XMLSyntaxError as err:
        if "depth" in str(err).lower():
            raise LimitExceeded(
                f"{name}: Word 文档正文的 XML 嵌套超过上限（最多 {XML_DEPTH} 层）"
            ) from None
        detail = " ".join(str(err).split())
        raise GridImportError(f"{name}: Word 文档的正文无法解析（{detail}）") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise GridImportError(f"{name}: Word 文档已损坏，无法读取（{err}）") from None
    return reader.grids()


def _parse(stream: Any, reader: _Reader) -> None:
    """Stream the main part: each block at the top of the body is read when it ends and
    then dropped. What one block may hold in memory is bounded by the count of XML
    elements it has (``max_cells`` × :data:`ELEMENTS_PER_CELL`), counted as each ends;
    libxml2 bounds their depth (:data:`XML_DEPTH`); and the bytes are looked at before
    libxml2 gets them, so that no tag holds more than :data:`MAX_ATTRIBUTES` attributes
    (counted as the ``=`` signs since the last ``<``, which libxml2 would hold whole)."""
    most = current().max_cells * ELEMENTS_PER_CELL
    held = 0
    since_tag = 0  # "=" signs since the last "<"
    body = f"{W}body"
    parser = etree.XMLPullParser(
        events=("end",),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
    )
    while chunk := stream.read(CHUNK):
        pieces = chunk.split(b"<")
        counts = [since_tag + pieces[0].count(b"=")] + [p.count(b"=") for p in pieces[1:]]
        if max(counts) > MAX_ATTRIBUTES:
            raise LimitExceeded(
                f"{reader.name}: Word 文档正文第{reader.blocks + 1}个段落或表格中有一个 XML "
                f"标签的属性超过上限（最多 {MAX_ATTRIBUTES} 个）"
            )
        since_tag = counts[-1]
        parser.feed(chunk)
        for _, element in parser.read_events():
            held += 1
            parent = element.getparent()
            if parent is None or parent.tag != body:
                if held > most:
                    raise LimitExceeded(
                        f"{reader.name}: Word 文档正文第{reader.blocks + 1}"
                        f"个段落或表格的 XML 元素超过上限（最多 {most} 个）"
                    )
                continue
            if element.tag in (f"{W}p", f"{W}tbl"):
                reader.block(element)
            elif element.tag in _WRAPPERS:
                for block in _blocks(element):
                    reader.block(block)
            element.clear()  # whatever it was, it is done with
            while element.getprevious() is not None:
                del parent[0]
            held = 0
    parser.close()


def read_docx(source: str | Path | bytes, name: str | None = None) -> list[SelfEvaluation]:
    """Every 自评表 in the tables of a .docx (a path, or its bytes called ``name``)."""
    shown = name or (str(source) if not isinstance(source, bytes) else "<Word>")
    return require_self_evaluations(docx_documents(source, name), shown, "Word 文档").forms


def docx_documents(source: str | Path | bytes, name: str | None = None) -> Documents:
    """Every document in the tables of a .docx, sorted by kind
    (:func:`jixiao.ingest.documents.table_documents`)."""
    given, name = source_and_name(source, name, "<Word>")
    try:
        data = given if isinstance(given, bytes) else given.read_bytes()
    except OSError as err:
        raise IngestError(f"{name}: 无法读取文件（{os_reason(err)}）") from None
    grids = docx_grids(data, name)
    if not any(not g.is_text for g in grids):
        raise GridImportError(f"{name}: Word 文档中没有表格，无法按表格读取")
    return require_documents(table_documents(grids, name), name, "Word 文档")
