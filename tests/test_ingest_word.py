"""Word (.docx) import: jixiao's own Word forms read back as the same canonical JSON; Word's
merges (gridSpan, vMerge, hMerge, gridBefore), nested tables, content controls and text
outside tables as grids; a hand-made document in the style units write; bad files."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.ingest import IngestError, read_bytes, read_forms
from jixiao.ingest.table_files import table_kind
from jixiao.ingest.word import docx_grids
from jixiao.layouts import layout_of
from jixiao.model import SelfEvaluation
from jixiao.render import render_form_docx
from jixiao.render.form_docx import _table
from jixiao.render.layout import COLUMN_WIDTHS, COLUMNS, PORTRAIT_MM, Placed

from .hostile.corpus import WORD_HEAD, WORD_TAIL, write_docx

D = Decimal
PROVENANCE = ("source", "index", "gaps")


def canonical(form: SelfEvaluation) -> dict:
    """The canonical JSON object of a form without its provenance (file, position), with
    the layout it is in (named, or recognised: the importer names what it recognised)."""
    data = form.to_json_dict()
    for key in PROVENANCE:
        data.pop(key, None)
    data["layout"] = layout_of(form).layout.id
    return data


def assert_same_json(want: list[SelfEvaluation], got: list[SelfEvaluation]) -> None:
    assert [f.project for f in got] == [f.project for f in want]
    assert [f.gaps for f in got] == [[] for _ in want]
    differing = [w.project for w, g in zip(want, got, strict=True) if canonical(w) != canonical(g)]
    assert differing == [], f"{len(differing)} of {len(want)} forms differ"


def body_docx(body: str) -> bytes:
    """A .docx whose main part is ``body`` inside <w:body> (namespace prefix w)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        zf.writestr("word/document.xml", WORD_HEAD + body.encode() + WORD_TAIL)
    return out.getvalue()


def tc(text: str = "", span: int = 1, vmerge: str | None = None, extra: str = "") -> str:
    props = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    if vmerge is not None:
        props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge else "<w:vMerge/>"
    runs = f"<w:r><w:t>{text}</w:t></w:r>" if text else ""
    return f"<w:tc><w:tcPr>{props}{extra}</w:tcPr><w:p>{runs}</w:p></w:tc>"


# ------------------------------------------------------------------------ round trips


def test_the_seed_forms_read_back_as_the_same_canonical_json(oracle_forms) -> None:
    got = read_bytes(render_form_docx(oracle_forms), "seed.docx")
    assert_same_json(oracle_forms, got)
    assert got[0].source is not None and got[0].source.file == "seed.docx"


def test_generated_forms_read_back_as_the_same_canonical_json(generated_forms) -> None:
    got = read_bytes(render_form_docx(generated_forms), "generated.docx")
    assert_same_json(generated_forms, got)


def test_cli_imports_a_word_file(tmp_path, oracle_forms) -> None:
    path = tmp_path / "自评表.docx"
    path.write_bytes(render_form_docx(oracle_forms[:2]))
    out = tmp_path / "forms.json"
    result = CliRunner().invoke(app, ["import", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "导入 2 张表" in result.stderr
    assert_same_json(oracle_forms[:2], read_forms(out))


# ------------------------------------------------------------------------- the grids


def test_spans_from_gridspan_vmerge_hmerge_and_grid_before() -> None:
    rows = [
        tc("项目资金", 2, "restart") + tc("A") + tc("B"),
        tc("", 2, "") + tc("C", 2),
        '<w:trPr><w:gridBefore w:val="1"/></w:trPr>'
        + tc("D")
        + tc("E", extra='<w:hMerge w:val="restart"/>')
        + tc("x", extra="<w:hMerge/>"),
    ]
    xml = "<w:tbl>" + "".join(f"<w:tr>{r}</w:tr>" for r in rows) + "</w:tbl>"
    [grid] = docx_grids(body_docx(xml), "t.docx")
    assert [(c.row, c.col, c.rowspan, c.colspan, c.text) for c in grid.cells] == [
        (0, 0, 2, 2, "项目资金"),
        (0, 2, 1, 1, "A"),
        (0, 3, 1, 1, "B"),
        (1, 2, 1, 2, "C"),
        (2, 1, 1, 1, "D"),
        (2, 2, 1, 2, "E"),
    ]
    assert grid.origin == "第1个表格" and grid.place(2, 1) == "第1个表格第3行第2列"


def test_a_vmerge_under_a_cell_of_another_width_starts_a_new_cell() -> None:
    xml = (
        "<w:tbl><w:tr>" + tc("一", 2, "restart") + "</w:tr>"
        "<w:tr>" + tc("二", 1, "") + tc("三") + "</w:tr></w:tbl>"
    )
    [grid] = docx_grids(body_docx(xml), "t.docx")
    assert grid.matrix() == [["一", None], ["二", "三"]]


def test_paragraph_text_breaks_tabs_deleted_text_and_fields() -> None:
    paragraph = (
        "<w:p><w:r><w:t>项目</w:t><w:tab/><w:t>名称</w:t><w:br/><w:t>第二行</w:t></w:r>"
        "<w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del>"
        '<w:r><w:fldChar w:fldCharType="begin"/><w:instrText>PAGE</w:instrText></w:r>'
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins></w:p>"
    )
    last = "<w:p><w:r><w:t> 末段 </w:t></w:r></w:p>"
    xml = f"<w:tbl><w:tr><w:tc>{paragraph}<w:p/>{last}</w:tc></w:tr></w:tbl>"
    [grid] = docx_grids(body_docx(xml), "t.docx")
    assert grid.cells[0].text == "项目 名称\n第二行插入\n末段"


def test_text_outside_tables_nested_tables_and_content_controls_in_order() -> None:
    inner = "<w:tbl><w:tr>" + tc("内") + "</w:tr></w:tbl>"
    xml = (
        "<w:p><w:r><w:t>（2024年度）</w:t></w:r></w:p>"
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>单位：万元</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>外</w:t></w:r></w:p>" + inner + "</w:tc>"
        "<w:sdt><w:sdtContent>" + tc("控件") + "</w:sdtContent></w:sdt></w:tr></w:tbl>"
        "<w:p/><w:p><w:r><w:t>填报人：张三</w:t></w:r></w:p>"
    )
    grids = docx_grids(body_docx(xml), "t.docx")
    assert [(g.is_text, g.origin, g.matrix()) for g in grids] == [
        (True, "正文第1段", [["（2024年度）"]]),
        (True, "正文第2段", [["单位：万元"]]),
        (False, "第1个表格", [["外", "控件"]]),
        (False, "第2个表格", [["内"]]),
        (True, "正文第4段", [["填报人：张三"]]),
    ]


@st.composite
def partitions(draw: st.DrawFn) -> list[Placed]:
    """A random table of nine columns cut into rectangles (merged cells)."""
    rows = draw(st.integers(1, 8))
    taken: set[tuple[int, int]] = set()
    cells = []
    for r in range(rows):
        for c in range(COLUMNS):
            if (r, c) in taken:
                continue
            width = 1
            while c + width < COLUMNS and (r, c + width) not in taken:
                width += 1
            w = draw(st.integers(1, width))
            h = draw(st.integers(1, rows - r))
            for rr in range(r, r + h):
                for cc in range(c, c + w):
                    taken.add((rr, cc))
            cells.append(Placed(r, c, r + h - 1, c + w - 1, f"格{len(cells)}", "value"))
    return cells


@given(partitions())
@settings(max_examples=60, deadline=None)
def test_any_merges_written_by_word_come_back_as_the_same_rectangles(cells) -> None:
    doc = Document()
    last = max(c.last_row for c in cells)
    _table(doc, cells, 0, last, False, COLUMN_WIDTHS, PORTRAIT_MM, range(COLUMNS))
    out = io.BytesIO()
    doc.save(out)
    grids = [g for g in docx_grids(out.getvalue(), "t.docx") if not g.is_text]
    assert len(grids) == 1
    got = sorted((c.row, c.col, c.last_row, c.last_col, c.text) for c in grids[0].cells)
    assert got == sorted((c.row, c.col, c.last_row, c.last_col, c.value) for c in cells)


# -------------------------------------------------------------- a unit's own document


def unit_style_docx() -> bytes:
    """A form as a unit types it in Word: a notice line and the title as paragraphs, the
    head in a table of its own, funds with only two rows, 一级 merged down by hand, a
    三级指标 cell merged across two columns, an extra 指标性质 column, no 评分等级."""
    doc = Document()
    doc.add_paragraph("附件2")
    title = doc.add_paragraph()
    run = title.add_run("2023年度项目支出绩效自评表")
    run.font.size = Pt(16)
    doc.add_paragraph("单位：万元")
    head = doc.add_table(rows=2, cols=4)
    head.cell(0, 0).text = "项目名称"
    head.cell(0, 1).merge(head.cell(0, 3)).text = "社区养老服务补贴"
    for c, text in enumerate(("主管部门", "某区民政局", "实施单位", "某街道社区服务中心")):
        head.cell(1, c).text = text
    doc.add_paragraph("")
    body = doc.add_table(rows=11, cols=9)
    grid = [[body.cell(r, c) for c in range(9)] for r in range(11)]

    def put(r: int, c: int, text: str, r2: int | None = None, c2: int | None = None) -> None:
        cell = grid[r][c]
        if r2 is not None or c2 is not None:
            cell = cell.merge(grid[r if r2 is None else r2][c if c2 is None else c2])
        cell.text = text

    put(0, 0, "项目资金", 2, 1)
    for c, text in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        put(0, 3 + c, text)
    for r, values in ((1, ("年度资金总额", "120", "120", "108", "10", "90%", "9")),
                      (2, ("其中：财政拨款", "120", "120", "108", "-", "90%", "-"))):  # fmt: skip
        for c, text in enumerate(values):
            put(r, 2 + c, text)
    put(3, 0, "年度总体目标", 4, 0)
    put(3, 1, "预期目标", c2=4)
    put(3, 5, "实际完成情况", c2=8)
    put(4, 1, "为辖区老人提供助餐服务", c2=4)
    put(4, 5, "全年助餐3.2万人次", c2=8)
    headers = ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "实际完成值",
               "分值", "得分", "偏差原因分析及改进措施")  # fmt: skip
    for c, text in enumerate(headers):
        put(5, c, text)
    rows = (
        ("产出指标", "数量指标", "助餐人次", "≥", "3万人次", "3.2万人次", "50", "50", ""),
        ("", "质量指标", "服务合格率", "≥", "95%", "96%", "20", "20", ""),
        ("效益指标", "社会效益指标", "老人满意度", "≥", "90%", "85%", "20", "15", "宣传不足"),
    )
    for r, values in enumerate(rows, start=6):
        for c, text in enumerate(values):
            if text:
                put(r, c, text)
    grid[6][0].merge(grid[7][0])  # 一级 merged over its two rows after the fact
    put(9, 0, "总分", c2=5)
    put(9, 6, "90")
    put(9, 7, "85")
    put(10, 0, "备注：数据来源于民政系统", c2=8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_unit_style_document_reads_with_its_gaps_named() -> None:
    [form] = read_bytes(unit_style_docx(), "养老补贴.docx")
    assert form.title == "2023年度项目支出绩效自评表"
    assert form.year == 2023 and form.amount_unit == "万元"
    assert (form.project, form.department, form.unit) == (
        "社区养老服务补贴",
        "某区民政局",
        "某街道社区服务中心",
    )
    total = form.funds.total
    assert (total.initial, total.adjusted, total.executed) == (D("120"), D("120"), D("108"))
    assert (total.weight, total.rate, total.score) == (D("10"), D("90"), D("9"))
    assert form.funds.fiscal.executed == D("108") and form.funds.fiscal.weight is None
    assert form.funds.carryover.initial is None
    assert form.goals.expected == "为辖区老人提供助餐服务"
    assert form.goals.achieved == "全年助餐3.2万人次"
    assert [(i.level1, i.level2, i.name) for i in form.indicators] == [
        ("产出指标", "数量指标", "助餐人次"),
        ("产出指标", "质量指标", "服务合格率"),
        ("效益指标", "社会效益指标", "老人满意度"),
    ]
    third = form.indicators[2]
    assert (third.target, third.actual, third.weight, third.score, third.deviation) == (
        "90%",
        "85%",
        D("20"),
        D("15"),
        "宣传不足",
    )
    assert third.extras == {"指标性质": "≥"}  # type: ignore[attr-defined]
    assert (form.total_weight, form.total_score, form.grade) == (D("90"), D("85"), None)
    assert form.layout == "national-2020"
    assert form.gaps == []  # whole: the national form has no 评分等级


# ------------------------------------------------------------------------ bad files


def test_word_files_are_told_by_their_content() -> None:
    assert table_kind(render_form_docx([SelfEvaluation(project="甲")])) == "docx"
    assert table_kind(body_docx("<w:p/>")) == "docx"


def test_a_document_without_a_table_or_a_form_is_refused_in_chinese() -> None:
    with pytest.raises(IngestError, match=r"^说明\.docx: Word 文档中没有表格"):
        read_bytes(body_docx("<w:p><w:r><w:t>说明</w:t></w:r></w:p>"), "说明.docx")
    table = "<w:tbl><w:tr>" + tc("甲") + tc("乙") + "</w:tr></w:tbl>"
    with pytest.raises(IngestError, match=r"^表\.docx: Word 文档中没有找到财政项目支出绩效自评表"):
        read_bytes(body_docx(table), "表.docx")


def test_a_damaged_document_is_refused_in_chinese(tmp_path: Path) -> None:
    broken = body_docx("<w:p><w:r><w:t>未闭合</w:r></w:p>")
    with pytest.raises(IngestError, match=r"^坏\.docx: Word 文档的正文无法解析"):
        read_bytes(broken, "坏.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("word/styles.xml", "<w:styles/>")
    with pytest.raises(IngestError, match=r"^缺\.docx: Word 文档缺少正文部件 word/document\.xml"):
        read_bytes(out.getvalue(), "缺.docx")
    path = write_docx(
        tmp_path / "nest.docx",
        b"<w:tbl><w:tr><w:tc>" * 20 + b"<w:p/>" + b"</w:tc></w:tr></w:tbl>" * 20,
    )
    with pytest.raises(IngestError, match=r"第17个表格嵌套超过上限（表格里的表格最多 16 层）"):
        read_forms(path)
