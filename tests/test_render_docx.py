"""The Word (.docx) form: A4, the official table's merges, Noto CJK, one page per form."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.oxml.ns import qn
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.model import SelfEvaluation
from jixiao.render import render_bytes, render_form_docx
from jixiao.render.layout import form_layout
from jixiao.render.view import form_view

from .conftest import ORACLE

W = qn("w:val")


def _doc(forms: list[SelfEvaluation]):
    return Document(io.BytesIO(render_form_docx(forms)))


def _texts(table) -> list[list[str]]:
    """Each row's cells as Word lists them (a merged cell once per grid column it covers)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_page_title_and_fonts(oracle_forms) -> None:
    doc = _doc(oracle_forms[:1])
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    first, year = doc.paragraphs[0], doc.paragraphs[1]
    assert first.text == "财政项目支出绩效自评表"
    assert year.text == "（2024年度）"
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
    assert first.runs[0].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == (
        "Noto Sans CJK SC"
    )


def test_every_form_on_its_own_page(oracle_forms) -> None:
    doc = _doc(oracle_forms)
    titles = [p for p in doc.paragraphs if p.text == "财政项目支出绩效自评表"]
    assert len(titles) == 9
    assert [p.paragraph_format.page_break_before for p in titles] == [False] + [True] * 8
    assert len(doc.tables) == 18  # the head/funds/goals table and the indicator table


def test_head_and_funds_cells(oracle_forms) -> None:
    form = oracle_forms[0]
    head = _doc([form]).tables[0]
    rows = _texts(head)
    assert rows[0] == ["项目名称"] * 2 + [form.project] * 7
    assert rows[1][4] == "实施单位" and rows[1][5] == form.unit
    # 项目资金 merged over five rows and two columns: the same cell in each position.
    label = head.cell(2, 0)
    assert label.text == "项目资金\n（万元）"
    assert all(head.cell(r, c)._tc is label._tc for r in range(2, 7) for c in range(2))
    assert rows[3][2] == "年度资金总额："
    assert rows[3][5] == str(form.funds.total.executed)
    assert rows[5][3:] == ["0.00", "0.00", "0.00", "-", "0.00", "-"]
    assert rows[8][1] == form.goals.expected and rows[8][5] == form.goals.achieved


def test_indicator_merges_follow_the_levels(oracle_forms) -> None:
    form = oracle_forms[0]
    body = _doc([form]).tables[1]
    rows = body.rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert rows[0].cells[8].text == "偏差原因分析\n及改进措施"
    lines = form_layout(form_view(form))
    level1 = [c for c in lines.cells if c.col == 0 and c.row > lines.header_row][:-2]
    for placed in level1:  # each 一级 run is one vertically merged cell
        top = body.cell(placed.row - lines.header_row, 0)
        assert top.text == form.indicators[placed.row - lines.header_row - 1].level1
        for r in range(placed.row, placed.last_row + 1):
            assert body.cell(r - lines.header_row, 0)._tc is top._tc
    for i, ind in enumerate(form.indicators, start=1):
        cells = [c.text for c in rows[i].cells]
        assert cells[1:] == [
            ind.level2,
            ind.name,
            ind.name,
            ind.target,
            ind.actual,
            str(ind.weight),
            str(ind.score),
            ind.deviation,
        ]
    total, grade = _texts(body)[-2:]
    assert total == ["总分"] * 6 + [str(form.total_weight), str(form.total_score), ""]
    assert grade == ["评分等级"] * 6 + [form.grade] * 3


def test_vmerge_and_gridspan_in_the_xml(oracle_forms) -> None:
    xml = _doc(oracle_forms[:1]).tables[1]._tbl.xml
    assert "w:vMerge" in xml and 'w:gridSpan w:val="6"' in xml


def test_missing_values_and_exponents() -> None:
    form = SelfEvaluation(project="测试项目", year=None)
    form.funds.total.initial = Decimal("1E+3")
    doc = _doc([form])
    assert doc.paragraphs[1].text == "（　　年度）"
    assert doc.tables[0].cell(3, 3).text == "1000"
    assert doc.tables[0].cell(3, 4).text == "-"


def test_render_bytes_and_cli(tmp_path, oracle_forms) -> None:
    data = render_bytes(oracle_forms[:2], "docx")
    assert data.startswith(b"PK") and len(Document(io.BytesIO(data)).tables) == 4
    target = tmp_path / "forms.docx"
    result = CliRunner().invoke(app, ["render", str(ORACLE), "--to", "docx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(Document(str(target)).tables) == 18
    refused = CliRunner().invoke(app, ["render", str(ORACLE), "--to", "docx", "--reviewer"])
    assert refused.exit_code == 2 and "Word" in refused.output
