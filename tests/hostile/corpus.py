"""Hostile input files, generated: each small on disk, each built to exhaust an importer
that trusts it (issue 11). Used by the tests beside this file and by
``benchmarks/bench_hostile.py``. Every builder writes one file under ``folder`` and
returns its path; sizes are parameters so that the tests stay fast and the benchmark can
use the sizes of the issue.
"""

from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

# ------------------------------------------------------------------------------ .xlsx

_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    "{shared}</Types>"
)
_SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>{shared}</Relationships>'
)
_SHARED_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)

# A real form's first rows (inline strings), so that a workbook is a form apart from
# what makes it hostile.
FORM_ROWS = (
    ("财政项目支出绩效自评表",),
    ("项目名称", "城市运行保障"),
    ("主管部门", "某区城管局", "实施单位", "某中心"),
)


def _form_rows_xml() -> bytes:
    out = []
    for r, row in enumerate(FORM_ROWS, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{text}</t></is></c>'
            for c, text in enumerate(row)
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out).encode()


def write_xlsx(
    path: Path,
    sheet: Iterable[bytes],
    shared_strings: Iterable[bytes] | None = None,
) -> Path:
    """A minimal workbook whose sheet part (and shared strings) are streamed from
    ``sheet`` chunks: parts of gigabytes cost their compressed size on disk only."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        shared = shared_strings is not None
        zf.writestr(
            "[Content_Types].xml", _CONTENT_TYPES.format(shared=_SHARED_TYPE if shared else "")
        )
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.format(shared=_SHARED_REL if shared else ""),
        )
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for chunk in sheet:
                part.write(chunk)
        if shared_strings is not None:
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                for chunk in shared_strings:
                    part.write(chunk)
    return path


def _sheet(rows: bytes | Iterable[bytes] = b"", tail: bytes = b"") -> Iterable[bytes]:
    """A sheet part's chunks: the form's rows, ``rows`` (bytes or chunks), ``tail``."""
    yield from (SHEET_HEAD, b"<sheetData>", _form_rows_xml())
    if isinstance(rows, bytes):
        yield rows
    else:
        yield from rows
    yield from (b"</sheetData>", tail, b"</worksheet>")


def merge_bomb_xlsx(folder: Path) -> Path:
    """A form with one merge K1:XFD1048576 (17 billion cells), some 2 KB on disk."""
    tail = b'<mergeCells count="1"><mergeCell ref="K1:XFD1048576"/></mergeCells>'
    return write_xlsx(folder / "merge_bomb.xlsx", _sheet(tail=tail))


def far_cell_xlsx(folder: Path) -> Path:
    """A form with one more cell, at XFD1048576 (the sheet's last position)."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return write_xlsx(folder / "far_cell.xlsx", _sheet(rows=far))


def _repeated(unit: bytes, total: int, chunk: int = 1 << 20) -> Iterable[bytes]:
    block = unit * max(chunk // len(unit), 1)
    written = 0
    while written < total:
        yield block
        written += len(block)


def zip_bomb_xlsx(folder: Path, expanded: int = 64 << 20) -> Path:
    """A sheet part that expands to ``expanded`` bytes of rows (the issue's: 4.3 GB
    from 4.2 MB); on disk about a thousandth of that."""
    row = b"<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c><c><v>4</v></c></row>"
    return write_xlsx(folder / "zip_bomb.xlsx", _sheet(rows=_repeated(row, expanded)))


def shared_strings_bomb_xlsx(folder: Path, expanded: int = 32 << 20) -> Path:
    """A shared strings part of ``expanded`` bytes (the issue's: 1.5 GB)."""
    unit = b"<si><t>" + "项目名称".encode() * 8 + b"</t></si>"

    def strings() -> Iterable[bytes]:
        yield (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        yield from _repeated(unit, expanded)
        yield b"</sst>"

    return write_xlsx(folder / "shared_strings_bomb.xlsx", _sheet(), shared_strings=strings())


def many_cells_xlsx(folder: Path, cells: int = 20_000_000, per_row: int = 1000) -> Path:
    """``cells`` number cells in rows of ``per_row`` (the issue's: 20 M)."""
    rows = cells // per_row

    def body() -> Iterable[bytes]:
        yield from (SHEET_HEAD, b"<sheetData>", _form_rows_xml())
        for r in range(rows):  # distinct values: a real sheet's compression ratio
            yield (
                b"<row>"
                + b"".join(b"<c><v>%d</v></c>" % (r * per_row + c) for c in range(per_row))
                + b"</row>"
            )
        yield b"</sheetData></worksheet>"

    return write_xlsx(folder / f"cells_{cells}.xlsx", body())


def huge_number_xlsx(folder: Path) -> Path:
    """A fund cell whose stored number is 1e999999999 (infinity as a float)."""
    rows = (
        '<row r="4"><c r="A4" t="inlineStr"><is><t>项目资金（万元）</t></is></c>'
        '<c r="B4" t="inlineStr"><is><t>年初预算数</t></is></c>'
        '<c r="C4" t="inlineStr"><is><t>全年预算数</t></is></c>'
        '<c r="D4" t="inlineStr"><is><t>全年执行数</t></is></c></row>'
        '<row r="5"><c r="A5" t="inlineStr"><is><t>年度资金总额</t></is></c>'
        '<c r="B5"><v>100</v></c><c r="C5"><v>100</v></c>'
        '<c r="D5"><v>1e999999999</v></c></row>'
    ).encode()
    return write_xlsx(folder / "huge_number.xlsx", _sheet(rows=rows))


# ------------------------------------------------------------------------------- HTML


def colspan_html(folder: Path, rows: int = 2000, colspan: int = 1000) -> Path:
    """A table of ``rows`` rows each one cell of ``colspan`` columns (2 M positions)."""
    body = "".join(f'<tr><td colspan="{colspan}">第{r}行</td></tr>' for r in range(rows))
    page = f"<html><body><h1>财政项目支出绩效自评表</h1><table>{body}</table></body></html>"
    path = folder / "colspan.html"
    path.write_text(page, encoding="utf-8")
    return path


def rowspan_html(folder: Path, columns: int = 1000) -> Path:
    """One row of ``columns`` cells each spanning 65534 rows (browsers' rowspan cap),
    then many short rows: the spans cover tens of millions of positions."""
    head = "".join('<td rowspan="65534">x</td>' for _ in range(columns))
    rest = "<tr><td>y</td></tr>" * 3000
    page = f"<html><body><table><tr>{head}</tr>{rest}</table></body></html>"
    path = folder / "rowspan.html"
    path.write_text(page, encoding="utf-8")
    return path


def many_tables_html(folder: Path, tables: int = 250_000) -> Path:
    """``tables`` empty tables (each a parser object): no cell at all, still bounded."""
    path = folder / "tables.html"
    path.write_text("<html><body>" + "<table>" * tables + "</body></html>", encoding="utf-8")
    return path


# -------------------------------------------------------------------------------- PDF


def pdf_document(objects: list[bytes]) -> bytes:
    """A PDF from numbered object bodies (1-based), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(data: bytes, flate: bool = True) -> bytes:
    if flate:
        packed = zlib.compress(data, 9)
        return (
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream"
        )
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def many_pages_pdf(folder: Path, pages: int = 5000, declared: int | None = None) -> Path:
    """``pages`` pages sharing one small content stream (the issue's: 5,000). The page
    tree's /Count says ``declared`` (default: the truth)."""
    content = _stream(b"BT /F1 12 Tf 72 720 Td (page) Tj ET", flate=False)
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    count = pages if declared is None else declared
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        content,
        _FONT,
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> >>"
    )
    objects += [page] * pages
    path = folder / f"pages_{pages}.pdf"
    path.write_bytes(pdf_document(objects))
    return path


def huge_stream_pdf(folder: Path, expanded: int = 32 << 20) -> Path:
    """One page whose Flate content stream inflates to ``expanded`` bytes of drawing
    operators (the issue's: 1 GB); on disk a few hundred kilobytes."""
    packer = zlib.compressobj(9)
    packed = b"".join(packer.compress(c) for c in _repeated(b"10 10 m 20 20 l S\n", expanded))
    packed += packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>",
    ]
    path = folder / "huge_stream.pdf"
    path.write_bytes(pdf_document(objects))
    return path


# ------------------------------------------------------------------------------- JSON


def many_forms_json(folder: Path, forms: int = 450_000) -> Path:
    """``{"forms": [...]}`` with ``forms`` small forms (the issue's: 450,000)."""
    path = folder / f"forms_{forms}.json"
    with path.open("w", encoding="utf-8") as f:
        f.write('{"forms": [')
        f.write(",".join(['{"project": "项目"}'] * forms))
        f.write("]}")
    return path


def deep_json(folder: Path, depth: int = 100_000) -> Path:
    path = folder / "deep.json"
    path.write_text('{"forms": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    return path


def surrogate_json(folder: Path) -> Path:
    """A project name holding a lone surrogate escape, as json.loads accepts it."""
    path = folder / "surrogate.json"
    path.write_text('{"forms": [{"project": "\\ud800x"}]}', encoding="utf-8")
    return path


def huge_amount_json(folder: Path) -> Path:
    """A form whose 全年执行数 is 1e999999999 (its decimal string is a gigabyte)."""
    form = {
        "project": "城市运行保障",
        "funds": {"total": {"initial": "100", "adjusted": "100", "executed": "1e999999999"}},
    }
    path = folder / "huge_amount.json"
    path.write_text(json.dumps({"forms": [form]}, ensure_ascii=False), encoding="utf-8")
    return path


def nul_json(folder: Path) -> Path:
    path = folder / "nul.json"
    path.write_text('{"forms": [{"project": "城市\\u0000运行"}]}', encoding="utf-8")
    return path


def ruled_grid_pdf(folder: Path, lines: int = 300) -> Path:
    """One page ruled into ``lines`` × ``lines`` cells (a table of 90,000 cells from a
    content stream of some kilobytes), with a character so the page has text."""
    step = 800 / lines
    ops = [b"BT /F1 8 Tf 20 820 Td (x) Tj ET"]
    for i in range(lines + 1):
        y = 20 + i * step
        ops.append(b"20 %.2f m 575 %.2f l S" % (y, y))
        x = 20 + i * (555 / lines)
        ops.append(b"%.2f 20 m %.2f 820 l S" % (x, x))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        _stream(b"\n".join(ops)),
        _FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R"
        b" /Resources << /Font << /F1 4 0 R >> >> >>",
    ]
    path = folder / f"grid_{lines}.pdf"
    path.write_bytes(pdf_document(objects))
    return path


# ------------------------------------------------------------------------------ .docx

_WORD_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_WORD_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
WORD_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body>"
)
WORD_TAIL = b"</w:body></w:document>"
# The head of a real form as Word writes it, so that a document is a form apart from what
# makes it hostile.
WORD_FORM = (
    b"<w:p><w:r><w:t>\xe8\xb4\xa2\xe6\x94\xbf\xe9\xa1\xb9\xe7\x9b\xae\xe6\x94\xaf\xe5\x87\xba"
    b"\xe7\xbb\xa9\xe6\x95\x88\xe8\x87\xaa\xe8\xaf\x84\xe8\xa1\xa8</w:t></w:r></w:p>"
)


def write_docx(path: Path, body: bytes | Iterable[bytes]) -> Path:
    """A minimal Word document whose body (after the form's title) is streamed from
    ``body``: a main part of gigabytes costs its compressed size on disk only."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", _WORD_TYPES)
        zf.writestr("_rels/.rels", _WORD_RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(WORD_HEAD + WORD_FORM)
            for chunk in [body] if isinstance(body, bytes) else body:
                part.write(chunk)
            part.write(WORD_TAIL)
    return path


def _word_row(cells: str) -> bytes:
    return f"<w:tr>{cells}</w:tr>".encode()


def gridspan_docx(folder: Path, span: int = 100_000_000) -> Path:
    """A table whose first cell spans ``span`` grid columns."""
    cell = f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p/></w:tc>'
    return write_docx(folder / "gridspan.docx", b"<w:tbl>" + _word_row(cell) + b"</w:tbl>")


def _numbered(template: str, count: int, chunk: int = 10_000) -> Iterable[bytes]:
    """``template`` formatted with 0 … count-1, in chunks: numbered elements that a zip
    does not compress far below the limits' ratio."""
    for start in range(0, count, chunk):
        yield "".join(template.format(i) for i in range(start, min(start + chunk, count))).encode()


def vmerge_docx(folder: Path, rows: int = 30_000) -> Path:
    """A cell merged down ``rows`` rows (each continuation with its own text)."""
    first = '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc></w:tr>'
    more = (
        "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc></w:tr>"
    )
    return write_docx(
        folder / "vmerge.docx",
        [b"<w:tbl>", first.encode(), *_numbered(more, rows - 1), b"</w:tbl>"],
    )


def zip_bomb_docx(folder: Path, expanded: int = 64 << 20) -> Path:
    """A main part that expands to ``expanded`` bytes of paragraphs; on disk a thousandth."""
    paragraph = b"<w:p><w:r><w:t>1</w:t></w:r></w:p>"
    return write_docx(folder / "zip_bomb.docx", _repeated(paragraph, expanded))


def deep_docx(folder: Path, depth: int = 1000) -> Path:
    """Tables nested ``depth`` deep, each in the only cell of the one around it."""
    return write_docx(
        folder / "deep.docx",
        b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * depth,
    )


def many_paragraphs_docx(folder: Path, paragraphs: int = 250_000) -> Path:
    """``paragraphs`` numbered paragraphs (text lines the mapper would walk)."""
    return write_docx(
        folder / "paragraphs.docx", _numbered("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", paragraphs)
    )


def attributes_docx(folder: Path, attributes: int = 1_600_000) -> Path:
    """One paragraph tag with ``attributes`` attributes (some 19 MB): libxml2 would hold
    the whole tag, half a gigabyte, before any limit of the reader saw it."""
    return write_docx(
        folder / "attributes.docx",
        [b"<w:p", *_numbered(' w:a{:x}=""', attributes), b"/>"],
    )


def crowded_cell_docx(folder: Path, paragraphs: int = 1_100_000) -> Path:
    """One table cell holding ``paragraphs`` numbered empty paragraphs: a tree that would
    be held whole (some 20 MB of XML)."""
    return write_docx(
        folder / "crowded_cell.docx",
        [
            b"<w:tbl><w:tr><w:tc>",
            *_numbered('<w:p w:rsidR="{:08X}"/>', paragraphs),
            b"</w:tc></w:tr></w:tbl>",
        ],
    )


# Every file of the corpus at its test size: (name, builder).
CORPUS: tuple[tuple[str, Callable[[Path], Path]], ...] = (
    ("merge_bomb.xlsx", merge_bomb_xlsx),
    ("far_cell.xlsx", far_cell_xlsx),
    ("zip_bomb.xlsx", zip_bomb_xlsx),
    ("shared_strings_bomb.xlsx", shared_strings_bomb_xlsx),
    ("cells.xlsx", many_cells_xlsx),
    ("huge_number.xlsx", huge_number_xlsx),
    ("colspan.html", colspan_html),
    ("rowspan.html", rowspan_html),
    ("tables.html", many_tables_html),
    ("pages.pdf", many_pages_pdf),
    ("grid.pdf", ruled_grid_pdf),
    ("huge_stream.pdf", huge_stream_pdf),
    ("forms.json", many_forms_json),
    ("deep.json", deep_json),
    ("surrogate.json", surrogate_json),
    ("huge_amount.json", huge_amount_json),
    ("nul.json", nul_json),
    ("gridspan.docx", gridspan_docx),
    ("vmerge.docx", vmerge_docx),
    ("zip_bomb.docx", zip_bomb_docx),
    ("deep.docx", deep_docx),
    ("paragraphs.docx", many_paragraphs_docx),
    ("crowded_cell.docx", crowded_cell_docx),
    ("attributes.docx", attributes_docx),
)
