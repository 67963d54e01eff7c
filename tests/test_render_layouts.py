"""The render shows a layout's own rows and columns: its words for the head, the fund rows
and columns, the fund rows and columns it adds, its added indicator columns, 一级 weights,
check boxes and 权重占比 / 折算得分, in HTML/PDF, xlsx and docx alike, and what it draws
reads back as the same form; the seed's form is drawn as before."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest

from jixiao.audit.examples import base_form
from jixiao.generate import layout_forms
from jixiao.ingest import read_bytes, read_forms
from jixiao.layouts import builtin_ids, get_layout
from jixiao.model import SelfEvaluation, checkbox_text, form_from_dict
from jixiao.render.form_docx import render_form_docx
from jixiao.render.html import render_html
from jixiao.render.layout import form_layout, page_columns
from jixiao.render.pdf import render_pdf
from jixiao.render.view import form_view
from jixiao.render.xlsx import render_xlsx

from .forms import assert_identical, blank_extras_dropped, differences

SAMPLE_FILES = sorted((Path(__file__).parent / "data" / "samples").glob("*.txt"))

D = Decimal


def _sichuan() -> SelfEvaluation:
    data = base_form()
    data["layout"] = "sichuan"
    data["funds"]["extras"] = {
        "财政专户管理资金": {"initial": "0.00", "adjusted": "0.00", "executed": "0.00"},
        "单位资金": {"initial": "5.00", "adjusted": "5.00", "executed": "4.00"},
    }
    data["indicators"][1]["extras"] = {"指标性质": "≥", "度量单位": "台"}
    data["indicators"][2]["extras"] = {"指标性质": "=", "度量单位": "%"}
    return form_from_dict(data)


def test_a_sichuan_form_is_drawn_with_its_own_words_rows_and_columns():
    view = form_view(_sichuan())
    assert view.layout == "sichuan"
    assert [line.caption for line in view.funds] == [
        "总额", "财政资金", "上年结转资金", "其他资金", "财政专户管理资金", "单位资金",
    ]  # fmt: skip
    assert view.funds[-1].values[:3] == [D("5.00"), D("5.00"), D("4.00")]
    assert view.fund_headers == [
        "年初预算数",
        "调整后预算数",
        "预算执行数",
        "权重",
        "预算执行率",
        "得分",
    ]
    assert view.indicator_headers[3:6] == ("指标值", "完成值", "权重")
    assert view.extra_headers == ("指标性质", "度量单位")
    assert view.indicators[1].extras == ["≥", "台"]
    assert view.indicators[0].extras == ["", ""]
    html = render_html([_sichuan()])
    assert "<th>指标性质</th><th>度量单位</th>" in html
    assert 'rowspan="7" class="label">项目资金' in html  # the heading and six rows
    assert '<td colspan="8" class="label">总分</td>' in html
    assert html.count('<col class="gx"') == 2  # 指标性质, 度量单位


def test_the_seed_is_drawn_as_before(oracle_forms):
    html = render_html(oracle_forms)
    assert 'class="gx"' not in html
    assert html.count('rowspan="5" class="label">项目资金') == len(oracle_forms)
    view = form_view(oracle_forms[0])
    assert [line.caption for line in view.funds] == [
        "年度资金总额：", "其中：当年财政拨款", "上年结转资金", "其他资金",
    ]  # fmt: skip
    assert view.fund_headers == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分数",
        "执行率(%)",
        "得分",
    ]


def test_a_20_point_form_shows_its_20(tmp_path):
    data = base_form()
    data["funds"]["total"].update(weight="20", score="20.00")
    html = render_html([form_from_dict(data)])
    funds = html[html.index("项目资金") : html.index("年度<br>总体")]
    assert re.search(r'<td class="num">20</td>', funds)


def test_added_fund_rows_come_back_from_excel(tmp_path):
    """The workbook of a form with fund rows beyond the four reads back with those rows,
    typed, in funds.extras."""
    path = tmp_path / "sichuan.xlsx"
    path.write_bytes(render_xlsx([_sichuan()]))
    [back] = read_forms(path)
    assert set(back.funds.extras) == {"财政专户管理资金", "单位资金"}
    unit = back.funds.extras["单位资金"]
    assert (unit.initial, unit.adjusted, unit.executed) == (D("5.00"), D("5.00"), D("4.00"))
    assert back.funds.total.adjusted == D("100.00")
    assert [i.name for i in back.indicators] == [i.name for i in _sichuan().indicators]


# --- every layout in the official xlsx / docx / HTML, and back -------------------------

# Two generated forms of each declared layout (jixiao.generate.layout_forms).
LAYOUT_FORMS = [f for layout in builtin_ids() for f in layout_forms(2, layout, seed=16)]
_WRITERS = {
    "xlsx": render_xlsx,
    "docx": render_form_docx,
    "html": lambda forms: render_html(forms).encode("utf-8"),
}


def test_every_declared_layout_has_forms_with_its_own_parts():
    assert sorted({f.layout for f in LAYOUT_FORMS}) == sorted(builtin_ids())
    by_layout = {f.layout: f for f in LAYOUT_FORMS}
    assert by_layout["hubei-20"].level1_weights and by_layout["hubei-20"].checkboxes
    assert by_layout["hebei"].indicators[0].share is not None
    assert {"资金来源", "佐证资料"} <= set(by_layout["xinjiang"].indicators[0].extras)
    assert set(by_layout["sichuan"].funds.extras) == {"财政专户管理资金", "单位资金"}


@pytest.mark.parametrize("kind", sorted(_WRITERS))
def test_forms_of_every_layout_come_back_from_the_official_file(kind):
    """Two generated forms of each declared layout, in one file, read back exactly: the
    layout recognised from what the file shows, its added columns, fund rows, 一级 weights,
    check boxes, 权重占比 / 折算得分, no gap."""
    back = read_bytes(_WRITERS[kind](LAYOUT_FORMS), f"layouts.{kind}")
    assert [f.layout for f in back] == [f.layout for f in LAYOUT_FORMS]
    assert_identical(
        [blank_extras_dropped(f) for f in LAYOUT_FORMS], [blank_extras_dropped(f) for f in back]
    )


def _layout_words(form: SelfEvaluation) -> set[str]:
    """What the official table of the form's layout must show: its head labels, the fund
    rows it adds, its fund and indicator column words (the added ones some row fills), check
    boxes, 一级 labels with their weights."""
    layout = get_layout(form.layout or "")
    filled = {k for ind in form.indicators for k, v in ind.extras.items() if v}
    filled |= {k for _, row in form.funds.rows() for k, v in row.extras.items() if v}
    words = {h.label for h in layout.head}
    words |= {c.label for c in layout.indicator_columns if c.field or c.label in filled}
    words |= {r.label for r in layout.fund_rows if r.field is None}
    words |= {box.label for box in form.checkboxes}
    words |= {checkbox_text(box) for box in form.checkboxes}
    words |= {f"{w.label}({w.weight}分)" for w in form.level1_weights}
    national = {c.label for c in get_layout("national-2020").fund_columns}
    words |= {
        c.label
        for c in layout.fund_columns
        if c.label not in national and (c.field or c.label in filled)
    }
    return words


def _xlsx_texts(data: bytes) -> list[set[str]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = [ws for ws in book.worksheets if ws.title not in ("汇总", "指标明细")]
    return [
        {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        for ws in sheets
    ]


def _docx_texts(data: bytes) -> list[set[str]]:
    doc = docx.Document(io.BytesIO(data))
    cells = (cell for table in doc.tables for row in table.rows for cell in row.cells)
    return [{cell.text.replace("\n", "") for cell in cells}]


@pytest.mark.parametrize("layout_id", builtin_ids())
def test_the_official_xlsx_and_docx_show_the_layouts_own_words(layout_id):
    """A Hubei form's workbook looks like a Hubei form: 一级 labels with their printed
    weights, the 项目类别 / 项目属性 check boxes; 河北's 指标分值 / 单项指标得分 / 权重占比 /
    单项指标折算得分; 新疆's six added columns; 北京's 主管部门及代码 and 得分计算方法 …"""
    form = next(f for f in LAYOUT_FORMS if f.layout == layout_id)
    words = _layout_words(form)
    [sheet] = _xlsx_texts(render_xlsx([form]))
    [document] = _docx_texts(render_form_docx([form]))
    assert words - sheet == set()
    assert {w.replace("\n", "") for w in words} - document == set()
    if layout_id == "hubei-20":
        first = form.level1_weights[0]
        assert f"{first.label}({first.weight}分)" in sheet
        assert any(t.startswith("□") or t.startswith("☑") for t in sheet)


def test_hebeis_total_is_under_its_adjusted_scores():
    """河北: 总分's 得分 (the sum of the 折算得分) under 单项指标折算得分, where the importer
    reads it."""
    form = next(f for f in LAYOUT_FORMS if f.layout == "hebei")
    view = form_view(form)
    assert view.number_headers == ("权重占比", "单项指标折算得分")
    placed = form_layout(view)
    header = {c.value: c.col for c in placed.cells if c.row == placed.header_row}
    total_row = {c.col: c.value for c in placed.cells if c.row == placed.last_row}
    assert total_row[header["单项指标折算得分"]] == form.total_score
    assert total_row[header["单项指标得分"]] == ""
    assert placed.columns == 9 + 2 + 1 and not view.show_grade  # and its fund column 总体完成率


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name[:3])
def test_the_real_samples_come_back_from_their_official_files(path):
    """Each real sample as imported, drawn to xlsx and docx in its layout and read back,
    is the same form (blank cells beyond the template aside: absent and blank are one)."""
    [form] = read_forms(path)
    for kind in ("xlsx", "docx"):
        [back] = read_bytes(_WRITERS[kind]([form]), f"{path.stem}.{kind}")
        assert back.layout == form.layout
        back.unmapped, form.unmapped = [], []  # places in another file: not content
        assert differences(blank_extras_dropped(back), blank_extras_dropped(form)) == [], kind


# The page's side margins (form.css ``@page``: 12 mm): the table stays within them.
SIDE_MARGIN_PT = 12 / 25.4 * 72


@pytest.mark.parametrize("layout_id", builtin_ids())
def test_every_layout_fits_the_page_width(layout_id: str) -> None:
    """Nothing of the table is drawn past the A4 page's right margin (the layout's added
    columns take their width from the nine; 新疆's fifteen columns go landscape), and the
    table spans the page's width between its margins, as the seed's does."""
    pdf = pdfplumber.open(io.BytesIO(render_pdf(layout_forms(2, layout_id, seed=3))))
    for page in pdf.pages:
        drawn = [*page.chars, *page.rects, *page.lines]
        right = max(x["x1"] for x in drawn)
        assert right <= page.width - SIDE_MARGIN_PT + 0.5, (layout_id, page.page_number, right)
        rules = [x for x in (*page.rects, *page.lines) if x["top"] < page.height - 60]
        left, table_right = min(x["x0"] for x in rules), max(x["x1"] for x in rules)
        assert left == pytest.approx(SIDE_MARGIN_PT, abs=1)
        assert table_right == pytest.approx(page.width - SIDE_MARGIN_PT, abs=1)
        # the batch number (bottom right) is on the page, below the table
        [number] = [w for w in page.extract_words() if re.fullmatch(r"\d+", w["text"])][-1:]
        assert number["x1"] <= page.width and number["bottom"] <= page.height


def test_only_a_layout_whose_columns_need_it_is_printed_landscape():
    """新疆's fifteen indicator columns would shrink the nine to two thirds of their width on
    A4 portrait: its forms are printed landscape. Layouts adding up to a few columns stay
    portrait, their narrow tables in 8 pt where the nine shrink below 90 %."""
    landscape = {}
    small = {}
    for layout_id in builtin_ids():
        view = form_view(layout_forms(1, layout_id, seed=3)[0])
        cols = page_columns(view)
        landscape[layout_id] = cols.landscape
        small[layout_id] = cols.small_indicators
        assert sum(D(w) for _, w in cols.head) == pytest.approx(100, abs=D("0.01"))
        assert sum(D(w) for _, w in cols.indicators) == pytest.approx(100, abs=D("0.01"))
        names = [n for n, _ in cols.indicators]
        assert names.count("gx") == len(view.extra_headers)
        assert names.count("gn") == len(view.number_headers)
    assert {k for k, v in landscape.items() if v} == {"xinjiang"}
    assert {k for k, v in small.items() if v} == {"hebei", "sichuan"}
    pdf = pdfplumber.open(io.BytesIO(render_pdf(layout_forms(1, "xinjiang", seed=3))))
    assert all(p.width > p.height for p in pdf.pages)
    html = render_html(layout_forms(1, "xinjiang", seed=3))
    assert '<section class="sheet wide">' in html


def test_the_xlsx_and_docx_are_turned_as_the_pdf():
    """新疆's form, printed landscape in the PDF, is landscape in its workbook's print setup
    and its Word section too (they were portrait: its fifteen columns squeezed); a portrait
    form beside it stays portrait, each in its own Word section, its tables as wide as its
    page's text."""
    forms = [*layout_forms(1, "national-2020", seed=3), *layout_forms(1, "xinjiang", seed=3)]
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(forms)))
    national, xinjiang = book.worksheets[1:3]
    assert national.page_setup.orientation == "portrait"
    assert xinjiang.page_setup.orientation == "landscape"
    assert xinjiang.page_setup.paperSize == 9  # A4
    assert xinjiang.sheet_properties.pageSetUpPr.fitToPage is True
    doc = docx.Document(io.BytesIO(render_form_docx(forms)))
    turned = [(s.page_width > s.page_height, round(s.page_width.mm)) for s in doc.sections]
    assert turned == [(False, 210), (True, 297)]
    sections = doc.sections
    for tables, section in ((doc.tables[:2], sections[0]), (doc.tables[2:], sections[1])):
        text_width = section.page_width - section.left_margin - section.right_margin
        for table in tables:
            width = sum(int(c.get(docx.oxml.ns.qn("w:w"))) for c in table._tbl.tblGrid)
            assert width == pytest.approx(text_width / 635, abs=len(table.columns))  # EMU
    [alone] = docx.Document(io.BytesIO(render_form_docx(forms[1:]))).sections
    assert alone.page_width > alone.page_height


def test_each_word_table_has_its_own_columns():
    """四川's Word file: the head and fund table has the nine columns and its fund column
    原因, not the indicator table's 指标性质 / 度量单位 (before, one grid for both tables
    squeezed 年初预算数 to 17 mm and LibreOffice printed 1304215.90 over two lines); the
    indicator table has its nine and its two, not 原因."""
    forms = layout_forms(1, "sichuan", seed=3)
    doc = docx.Document(io.BytesIO(render_form_docx(forms)))
    head, body = doc.tables
    grid_mm = [
        [round(int(c.get(docx.oxml.ns.qn("w:w"))) / 56.7, 1) for c in t._tbl.tblGrid]
        for t in (head, body)
    ]
    assert [len(g) for g in grid_mm] == [10, 11]
    assert grid_mm[0][3] >= 20  # 年初预算数
    assert [c.text for c in head.rows[0].cells][:3] == ["项目名称", "项目名称", "动物疫病防控经费"]
    assert "原因" in [c.text for c in head.rows[2].cells]
    assert {"指标性质", "度量单位"} <= {c.text.replace("\n", "") for c in body.rows[0].cells}
    [back] = read_bytes(render_form_docx(forms), "sichuan.docx")
    for row in ("total", "fiscal", "carryover", "other"):
        got, want = getattr(back.funds, row), getattr(forms[0].funds, row)
        assert got.model_dump(exclude={"extras"}) == want.model_dump(exclude={"extras"})


def test_a_batch_of_portrait_and_landscape_forms_numbers_every_page_in_its_corner():
    """A batch PDF mixing 新疆's landscape forms with portrait ones: each page keeps its own
    size and its batch number "j / n" at its own bottom right."""
    forms = [*layout_forms(1, "national-2020", seed=3), *layout_forms(1, "xinjiang", seed=3)]
    pdf = pdfplumber.open(io.BytesIO(render_pdf(forms)))
    n = len(pdf.pages)
    sizes = {p.width > p.height for p in pdf.pages}
    assert sizes == {True, False}
    for j, page in enumerate(pdf.pages, start=1):
        text = page.extract_text()
        assert f"{j} / {n}" in text
        [slash] = [w for w in page.extract_words() if w["text"] == "/"]
        assert page.width - 60 < slash["x1"] < page.width
        assert page.height - 60 < slash["bottom"] < page.height
