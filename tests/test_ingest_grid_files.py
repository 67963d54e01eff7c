"""PDF, Excel and HTML files through the grid importer: round trips and bad input.

jixiao's own PDF, xlsx and HTML of the nine seed forms and of generated forms import back
identical (tests/forms.py: text compared without whitespace, numbers as numbers); Excel
features (merges, cached formula values, number formats) and broken or foreign files are
checked on hand-made inputs. The 200 generated forms are rendered to PDF once per session
(tests/conftest.py) and read here by the cell importer, by pdftotext in
test_render_roundtrip.py.
"""

from __future__ import annotations

import io
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from jixiao.ingest import IngestError, read_bytes, read_forms
from jixiao.ingest.html import read_html
from jixiao.ingest.pdf import read_pdf
from jixiao.ingest.table_files import table_kind
from jixiao.ingest.xlsx import excel_number, read_xlsx, shown_decimals
from jixiao.model import SelfEvaluation
from jixiao.render import render_html, render_pdf, render_xlsx

from .forms import assert_identical, differences
from .hostile.corpus import pdf_document

D = Decimal


# --------------------------------------------------------------------- round trips: seed


def test_seed_xlsx_round_trip(oracle_forms: list[SelfEvaluation]) -> None:
    got = read_xlsx(render_xlsx(oracle_forms), "seed.xlsx")
    assert_identical(oracle_forms, got)
    assert got[0].funds.total.initial == D("1245.54")
    assert got[0].indicators[1].target == "≤100.00(%)"
    assert got[8].source is not None and got[8].source.file == "seed.xlsx"


def test_seed_html_round_trip(oracle_forms: list[SelfEvaluation]) -> None:
    got = read_html(render_html(oracle_forms).encode("utf-8"), "seed.html")
    assert_identical(oracle_forms, got)


@pytest.fixture(scope="module")
def seed_pdf(oracle_forms: list[SelfEvaluation]) -> bytes:
    return render_pdf(oracle_forms)


def test_seed_pdf_round_trip(oracle_forms: list[SelfEvaluation], seed_pdf: bytes) -> None:
    got = read_pdf(seed_pdf, "seed.pdf")
    assert_identical(oracle_forms, got)
    assert [f.source.page for f in got if f.source] == list(range(1, 10))
    # Wrapped CJK text joined without spaces.
    assert got[0].goals.expected.startswith("为确切实提升“12345”热线诉求解决能力，提高市民满意度")
    assert got[2].indicators[0].target == "≤600.00(元/人)"


# --------------------------------------------------------------- round trips: generated


def test_generated_xlsx_round_trip(generated_forms: list[SelfEvaluation]) -> None:
    assert_identical(generated_forms, read_xlsx(render_xlsx(generated_forms), "generated.xlsx"))


def test_generated_html_round_trip(generated_forms: list[SelfEvaluation]) -> None:
    html = render_html(generated_forms).encode("utf-8")
    assert_identical(generated_forms, read_html(html, "generated.html"))


def _read_chunk(data: bytes) -> list[SelfEvaluation]:
    return read_pdf(data, "generated.pdf")


def test_generated_pdf_round_trip(generated_forms, generated_pdfs) -> None:
    """All 200 generated forms (about 300 pages; merged 一级/二级 cells cut by page breaks),
    the two PDFs read in two processes."""
    assert sum(1 for _, pages in generated_pdfs for n in pages if n > 1) >= 20
    with ProcessPoolExecutor(max_workers=2) as pool:
        parts = pool.map(_read_chunk, [pdf for pdf, _ in generated_pdfs])
        got = [form for part in parts for form in part]
    assert_identical(generated_forms, got)
    assert any(f.source and f.source.end_page for f in got)


# ------------------------------------------------------------------------- Excel values


def test_shown_precision_and_percent() -> None:
    assert shown_decimals("0.00") == (2, False)
    assert shown_decimals("#,##0.000") == (3, False)
    assert shown_decimals("0.00%") == (2, True)
    assert shown_decimals("General") == (None, False)
    assert shown_decimals('0.0"万元"') == (1, False)
    assert excel_number(10.0, "0.00") == (D("10.00"), "10.00")
    assert excel_number(0.1 + 0.2, "0.00") == (D("0.30"), "0.30")
    assert excel_number(0.8525, "0.00%") == (D("85.25"), "85.25%")
    assert excel_number(89.974, "0.00") == (D("89.974"), "89.974")  # stored digits kept
    assert excel_number(1245.54, "General") == (D("1245.54"), "1245.54")
    assert excel_number(12, "General") == (D("12"), "12")


def _workbook(build) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    build(book)
    book.close()
    return buffer.getvalue()


def _hand_form(ws, book, top: int, project: str) -> int:
    """A plain (unmerged headings, merged labels) form from row ``top``; returns next row."""
    money = book.add_format({"num_format": "#,##0.00"})
    pct = book.add_format({"num_format": "0.00%"})
    r = top
    ws.merge_range(r, 0, r, 7, "财政项目支出绩效自评表")
    ws.write(r + 1, 0, "（2024年度）")
    ws.write_row(r + 2, 0, ["项目名称", project])
    ws.write_row(r + 3, 0, ["主管部门", "江桥镇", "实施单位", "城运中心"])
    ws.merge_range(r + 4, 0, r + 5, 0, "项目资金（万元）")
    ws.write_row(r + 4, 1, ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    ws.write(r + 5, 1, "年度资金总额")
    ws.write_number(r + 5, 2, 1245.54, money)
    ws.write_number(r + 5, 3, 956.64, money)
    ws.write_formula(r + 5, 4, "=815.59", money, 815.59)  # cached value read, not formula
    ws.write_number(r + 5, 5, 10)
    ws.write_number(r + 5, 6, 0.8525, pct)
    ws.write_formula(r + 5, 7, "=F6*G6/100", money, 0.1 + 0.2)  # float noise in the cache
    ws.write_row(r + 6, 0, ["年度总体目标", "预期目标", "", "", "实际完成情况"])
    ws.write_row(r + 7, 1, ["提升服务", "", "", "已提升"])
    ws.write_row(r + 8, 0, ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"])
    ws.write_row(r + 8, 5, ["分值", "得分", "偏差原因分析及改进措施"])
    ws.merge_range(r + 9, 0, r + 10, 0, "产出指标")
    ws.write_row(r + 9, 1, ["数量指标", "聘用人数", "≥12.00(个)", "12.00(个)", 45, 45, ""])
    ws.write_row(r + 10, 1, ["质量指标", "达标率", "", "80.00(%)", 45, 43.5, "原因"])
    ws.write_string(r + 10, 3, "=80.00(%)")  # text, though it starts with "="
    ws.write_row(r + 11, 0, ["总分", "", "", "", "", 100, 97.03])
    ws.write_row(r + 12, 0, ["评分等级", "优"])
    return r + 14


def test_xlsx_merges_cached_formulas_number_formats_and_two_forms_per_sheet() -> None:
    def build(book):
        ws = book.add_worksheet("两张表")
        nxt = _hand_form(ws, book, 0, "其他人员经费")
        _hand_form(ws, book, nxt, "活动经费")
        _hand_form(book.add_worksheet("第三张"), book, 3, "后勤保障经费")

    forms = read_bytes(_workbook(build), "hand.xlsx")
    assert [f.project for f in forms] == ["其他人员经费", "活动经费", "后勤保障经费"]
    form = forms[0]
    assert form.gaps == []
    total = form.funds.total
    assert (total.initial, total.adjusted, total.executed) == (
        D("1245.54"),
        D("956.64"),
        D("815.59"),
    )
    assert (total.weight, total.rate, total.score) == (D("10"), D("85.25"), D("0.30"))
    assert form.goals.expected == "提升服务" and form.goals.achieved == "已提升"
    assert [(i.level1, i.level2, i.name) for i in form.indicators] == [
        ("产出指标", "数量指标", "聘用人数"),
        ("产出指标", "质量指标", "达标率"),
    ]
    assert form.indicators[0].target == "≥12.00(个)"
    assert form.indicators[1].target == "=80.00(%)"  # text starting with "=", not a formula
    assert form.indicators[1].score == D("43.5")
    assert (form.total_weight, form.total_score, form.grade) == (D("100"), D("97.03"), "优")
    # Fund rows the form does not show are missing, not zero.
    assert form.funds.fiscal.initial is None


# ------------------------------------------------------------------ detection and errors


def test_route_by_content_not_by_file_name(tmp_path: Path, oracle_forms, seed_pdf) -> None:
    xlsx = tmp_path / "forms.txt"
    xlsx.write_bytes(render_xlsx(oracle_forms[:2]))
    pdf = tmp_path / "forms.xlsx"
    pdf.write_bytes(seed_pdf)
    html = tmp_path / "forms.pdf"
    html.write_text(render_html(oracle_forms[:1]), encoding="utf-8")
    assert [f.project for f in read_forms(xlsx)] == ["其他人员经费", "活动经费"]
    assert len(read_forms(pdf)) == 9
    assert read_forms(html)[0].project == "其他人员经费"
    assert table_kind(b'{"forms": []}') is None
    assert table_kind("财政项目支出绩效自评表\n项目名称 x".encode()) is None


def test_html_page_saved_from_a_site_gb18030_nested_layout_table() -> None:
    page = (
        '<html><head><meta charset="gb2312"><title>自评表</title>'
        "<script>var x = '<table>';</script></head><body>"
        "<div>首页 &gt; 信息公开</div>"
        "<table><tr><td>导航</td></tr><tr><td>"
        "<p>财政项目支出绩效自评表</p><p>（2022年度）</p>"
        "<table border=1>"
        '<tr><td>项目名称</td><td colspan="5">文物保护</td></tr>'
        '<tr><td>主管部门</td><td colspan="2">文旅局</td>'
        '<td>实施单位</td><td colspan="2">文旅局</td></tr>'
        '<tr><td rowspan="2">项目资金<br>（万元）</td><td>年初预算数</td><td>全年预算数</td>'
        "<td>全年执行数</td><td>分值</td><td>得分</td></tr>"
        "<tr><td>29</td><td>29</td><td>27.8</td><td>9</td><td>8</td></tr>"
        "<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td><td>实际完成值</td><td>分值</td><td>得分</td></tr>"
        "<tr><td>产出指标</td><td>质量指标</td><td>验收通过率</td><td>100%</td><td>95%</td><td>6</td><td>5</td></tr>"
        "</table></td></tr></table></body></html>"
    )
    [form] = read_bytes(page.encode("gb18030"), "page.htm")
    assert (form.project, form.department, form.unit, form.year) == (
        "文物保护",
        "文旅局",
        "文旅局",
        2022,
    )
    # A fund block without row labels: its numbers belong to no known row; they are kept
    # aside with their places, never guessed into 年度资金总额.
    assert form.funds.total.initial is None
    assert "第2个表格第4行第2列：29" in [str(u) for u in form.unmapped]
    assert form.indicators[0].name == "验收通过率"
    assert (form.indicators[0].weight, form.indicators[0].score) == (D("6"), D("5"))
    # 总分 missing is a gap, and 评分等级 with it: the national form it is recognised as has
    # none, but a form cut off before its 总分 cannot tell whether one follows
    assert form.layout == "national-2020"
    assert form.gaps[0] == "表中未找到：年度总体目标、总分、评分等级"


def cid_pdf() -> bytes:
    """A one-page PDF whose text uses a CID font with no Unicode map (no ToUnicode)."""
    content = b"BT /F1 12 Tf 72 700 Td <0123045600780099> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /X /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    return pdf_document(objects)


def test_pdf_with_unmapped_fonts_says_so() -> None:
    with pytest.raises(IngestError) as err:
        read_bytes(cid_pdf(), "cid.pdf")
    message = str(err.value)
    assert message.startswith("cid.pdf: 第 1 页")
    assert "(cid:123)" in message and "Unicode 映射" in message


def test_pdf_without_text_layer_is_a_scan() -> None:
    """It goes to OCR (tests/test_ingest_scan.py), which finds no ruled table in a grey box."""
    from weasyprint import HTML

    os.environ.setdefault("JIXIAO_OCR_THREADS", "1")
    scan = HTML(string='<div style="width:80mm;height:80mm;background:#777"></div>').write_pdf()
    with pytest.raises(IngestError, match=r"^scan\.pdf: 扫描件中没有找到带框线的表格"):
        read_bytes(scan, "scan.pdf")


def test_pdf_with_text_but_no_ruled_table_goes_to_the_text_importer(oracle_forms) -> None:
    from weasyprint import HTML

    from jixiao.render.pdf import font_configuration

    text = (Path(__file__).parent / "data" / "000_7288eb4107761ee7.txt").read_text("utf-8")
    first = text[: text.index("财政项目支出绩效自评表", 10)]
    html = '<pre style="font-family: Noto Sans CJK SC; font-size: 9pt">{}</pre>'
    data = HTML(string=html.format(first)).write_pdf(font_config=font_configuration())
    [form] = read_bytes(data, "plain.pdf")
    assert differences(form, oracle_forms[0]) == []


def test_foreign_and_broken_files_get_clear_messages() -> None:
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(IngestError, match=r"^a\.docx: Word 文档的正文无法解析"):
        read_bytes(docx.getvalue(), "a.docx")
    slides = io.BytesIO()
    with zipfile.ZipFile(slides, "w") as z:
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
    with pytest.raises(
        IngestError, match=r"^a\.pptx: 是PowerPoint 演示文稿（\.pptx），不是可导入的格式"
    ):
        read_bytes(slides.getvalue(), "a.pptx")
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("xl/workbook.xml", "not xml")
    with pytest.raises(IngestError, match=r"^b\.xlsx: (无法打开 Excel 工作簿|Excel 工作簿已损坏)"):
        read_bytes(broken.getvalue(), "b.xlsx")
    with pytest.raises(IngestError, match=r"^c\.pdf: 无法打开 PDF 文件"):
        read_bytes(b"%PDF-1.4\n garbage", "c.pdf")
    with pytest.raises(IngestError, match=r"^d\.html: 网页中没有表格"):
        read_bytes(b"<html><body><p>hello</p></body></html>", "d.html")
    no_form = _workbook(lambda book: book.add_worksheet("x").write(0, 0, "hello"))
    with pytest.raises(IngestError, match=r"^e\.xlsx: 工作簿中没有找到财政项目支出绩效自评表"):
        read_bytes(no_form, "e.xlsx")


def test_an_xls_that_is_a_web_page_and_an_excel_2003_xml_file(oracle_forms) -> None:
    """Sites often serve an HTML table named .xls; Excel 2003 XML gets a clear message."""
    page = render_html(oracle_forms[:1]).encode("utf-8")
    assert read_bytes(page, "自评表.xls")[0].project == "其他人员经费"
    xml = (
        b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        b"<Worksheet><Table><Row><Cell><Data>x</Data></Cell></Row></Table></Worksheet></Workbook>"
    )
    with pytest.raises(
        IngestError, match=r"^f\.xls: 是Excel 2003 XML 表格（请在 Excel/WPS 中另存为"
    ):
        read_bytes(xml, "f.xls")


def test_pdf_whose_only_ruled_table_is_not_the_form_goes_to_the_text_importer(
    oracle_forms,
) -> None:
    """The form drawn without rules, a small ruled table (an attachment list) beside it."""
    from weasyprint import HTML

    from jixiao.render.pdf import font_configuration

    text = (Path(__file__).parent / "data" / "000_7288eb4107761ee7.txt").read_text("utf-8")
    first = text[: text.index("财政项目支出绩效自评表", 10)]
    html = (
        '<pre style="font-family: Noto Sans CJK SC; font-size: 9pt">{}</pre>'
        '<table style="border-collapse: collapse" border="1"><tr><td>附件</td><td>1份</td></tr>'
        "</table>"
    )
    data = HTML(string=html.format(first)).write_pdf(font_config=font_configuration())
    [form] = read_bytes(data, "plain-with-table.pdf")
    assert differences(form, oracle_forms[0]) == []


def test_excel_dates_read_as_the_cell_shows_them() -> None:
    import datetime as dt

    def build(book):
        ws = book.add_worksheet()
        _hand_form(ws, book, 0, "其他人员经费")
        month = book.add_format({"num_format": 'yyyy"年"m"月"'})
        ws.write_datetime(9, 3, dt.datetime(2024, 11, 1), month)  # 年度指标值 of 聘用人数
        ws.write_datetime(
            9, 4, dt.datetime(2024, 10, 15), book.add_format({"num_format": "yyyy-mm-dd"})
        )

    [form] = read_bytes(_workbook(build), "dates.xlsx")
    assert (form.indicators[0].target, form.indicators[0].actual) == ("2024年11月", "2024-10-15")


def test_merged_ranges_with_and_without_a_namespace_prefix(monkeypatch) -> None:
    import io

    from jixiao.ingest import xlsx
    from jixiao.ingest.xlsx import _merged_ranges

    prefixed = (
        b'<x:sheetData/><x:mergeCells count="2"><x:mergeCell ref="A1:I1"/>'
        b'<x:mergeCell ref="AA10:AB12"/></x:mergeCells>'
    )
    assert _merged_ranges(io.BytesIO(prefixed)) == [(0, 0, 0, 8), (9, 26, 11, 27)]
    plain = b'<mergeCells count="1"><mergeCell ref="B2:C3"/></mergeCells>'
    assert _merged_ranges(io.BytesIO(plain)) == [(1, 1, 2, 2)]
    assert _merged_ranges(io.BytesIO(b"<sheetData/>")) == []
    # Read in chunks: a reference cut by a chunk's end is found once, whole.
    monkeypatch.setattr(xlsx, "_CHUNK", 7)
    assert _merged_ranges(io.BytesIO(prefixed)) == [(0, 0, 0, 8), (9, 26, 11, 27)]


def test_sloppy_html_unclosed_cells_rows_and_head(oracle_forms) -> None:
    """No </td>, </tr> or </head>; an unclosed <title>: still every cell in its place."""
    page = render_html(oracle_forms[:1])
    body = page[page.index("<body>") :]
    sloppy = "<html><head><title>自评表<style>td{}</style><body>" + body.replace(
        "</td>", ""
    ).replace("</tr>", "").replace("</th>", "")
    [form] = read_bytes(sloppy.encode("utf-8"), "sloppy.html")
    assert differences(form, oracle_forms[0]) == []


@pytest.mark.parametrize(
    ("above", "below", "one"),
    [
        ("数\n量\n指\n标", "", "数\n量\n指\n标"),  # the whole label above an empty part
        ("", "满\n意\n度\n指\n标", "满\n意\n度\n指\n标"),  # … below an empty part
        ("可\n持", "续\n影\n响\n指\n标", "可\n持续\n影\n响\n指\n标"),  # parted, as printed
        ("可\n持\n续\n影\n响", "指\n标", "可\n持\n续\n影\n响指\n标"),  # … first part a synonym
        ("效\n益", "指\n标\n(25\n分)", "效\n益指\n标\n(25\n分)"),  # … with its weight
        ("社\n会\n效", "益\n指", "社会效益指标"),  # its end not printed
        ("社\n会", "效\n益", "社会效益指标"),  # … the parts spelling a synonym
        ("效\n益\n指\n标", "(30", "效\n益\n指\n标(30分)"),  # a 一级 weight's 分) not printed
        ("数\n量\n指\n标", "质\n量\n指\n标", None),  # two labels: two cells
        ("社\n会", "", None),  # not a label: two cells
        ("", "", None),
        ("农户满意度", "", None),  # a 三级 name is no label
        ("因上级政策调整，", "", None),  # nor a 偏差原因
        ("效\n益\n指\n标", "(60)", "效\n益\n指\n标(60)"),  # the label's bracket, as printed
    ],
)
def test_a_level_cell_cut_by_a_page_break_is_one_cell(above, below, one) -> None:
    """LibreOffice's PDF of a Word file closes a merged 一级 / 二级 cell at a page break on
    both sides and runs its text on; the PDF importer makes it one cell by the labels the
    layouts declare (tests/test_flattenings_layouts.py reads such PDFs back exactly)."""
    from jixiao.ingest.pdf import _level_run_on

    assert _level_run_on(above, below) == one


@pytest.mark.parametrize(
    ("header", "printed", "within"),
    [
        ("二级指标", "二可级持指续标影响指标", True),  # a cut cell's text printed over it
        ("一级指标", "效益指标一级指标", True),
        ("一级指标", "一级指标", True),
        ("二级指标", "二级标指", False),
        ("三级指标", "农户满意度", False),
    ],
)
def test_a_repeated_header_is_told_under_text_printed_over_it(header, printed, within) -> None:
    from jixiao.ingest.pdf import _within

    assert _within(header, printed) is within


def test_a_level_cell_drawn_ending_a_row_early_is_one_cell() -> None:
    """LibreOffice's PDF of a Word file may draw a merged 二级 cell a row short on one page,
    the rest of its label in a box of its own (社会效益指 / 标): one cell again; two labels,
    or a label over a 三级 name's box, stay apart."""
    from jixiao.ingest.pdf import _mend_level_cells

    cells = [
        (58.4, 474.0, 82.7, 540.0, "社\n会\n效\n益\n指"),
        (82.7, 474.0, 211.2, 540.0, "热线工单处置知晓率"),
        (58.4, 540.0, 82.7, 554.0, "标"),
        (82.7, 540.0, 211.2, 554.0, "热线工单处置及时性"),
        (58.4, 554.0, 82.7, 600.0, "可\n持\n续\n影\n响\n指\n标"),
        (82.7, 554.0, 211.2, 600.0, "垃圾清运常态化运行机制"),
    ]
    _mend_level_cells(cells)
    assert [(c[1], c[3], c[4]) for c in cells if c[0] == 58.4] == [
        (474.0, 554.0, "社\n会\n效\n益\n指标"),
        (554.0, 600.0, "可\n持\n续\n影\n响\n指\n标"),
    ]
    assert len(cells) == 5


def test_a_level_label_drawn_on_below_its_cell_is_the_label_it_starts() -> None:
    """LibreOffice's PDF of a Word file may draw a 二级 label on below its cell into the
    table's last row, where it drew no box (时效 / 指, its 标 not printed): 时效指标. Text
    under a cell with a box below it, or that starts no label, is left as it is."""
    from types import SimpleNamespace

    from jixiao.ingest.pdf import _labels_run_below

    def char(text: str, x0: float, top: float) -> dict[str, object]:
        return {"text": text, "x0": x0, "x1": x0 + 9, "top": top, "bottom": top + 9}

    page = SimpleNamespace(chars=[char("时", 72.7, 744.9), char("效", 72.7, 757.9),
                                  char("指", 72.7, 770.8), char("第", 280.0, 790.0)])  # fmt: skip
    bbox = (34.1, 307.5, 561.3, 783.7)
    cells = [
        (62.7, 743.4, 91.5, 770.3, "时\n效"),
        (91.5, 743.4, 242.9, 756.8, "智能场景建设工作时效"),
        (91.5, 756.8, 242.9, 770.3, "政务服务平台及时性"),
        (91.5, 770.3, 242.9, 783.7, "网络安全防护完成时间"),
    ]
    _labels_run_below(page, bbox, cells, 0.0)
    assert cells[0][4] == "时效指标"
    assert cells[1:] == [
        (91.5, 743.4, 242.9, 756.8, "智能场景建设工作时效"),
        (91.5, 756.8, 242.9, 770.3, "政务服务平台及时性"),
        (91.5, 770.3, 242.9, 783.7, "网络安全防护完成时间"),
    ]
    boxed = [(62.7, 743.4, 91.5, 770.3, "时\n效"), (62.7, 770.3, 91.5, 783.7, "")]
    _labels_run_below(page, bbox, boxed, 0.0)
    assert boxed[0][4] == "时\n效"
    named = [(62.7, 743.4, 91.5, 770.3, "农户满意度")]
    _labels_run_below(page, bbox, named, 0.0)
    assert named[0][4] == "农户满意度"
