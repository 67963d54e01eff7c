"""绩效目标申报表 and 绩效目标执行监控表: model, canonical JSON, import, render, generator."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.generate_plans import generate_year
from jixiao.ingest import read_documents_bytes
from jixiao.model import FormFileError
from jixiao.plans import (
    Documents,
    MonitorIndicator,
    TargetDeclaration,
    documents_from_json_text,
    latest_declaration,
    link_key,
)
from jixiao.render.plans import render_plans_html, render_plans_xlsx

from .workbooks import REAL_WORKBOOK

D = Decimal
runner = CliRunner()


@pytest.fixture(scope="module")
def year() -> Documents:
    return generate_year(20, seed=3)


def _without(doc: object, *keys: str) -> dict[str, object]:
    data = doc.to_json_dict()  # type: ignore[attr-defined]
    for key in keys:
        data.pop(key, None)
    return data


def test_generated_years_are_linked_and_consistent(year: Documents) -> None:
    for form, plan, watch in zip(year.forms, year.declarations, year.monitorings, strict=True):
        assert plan.key == watch.key == link_key(form.project, form.year)
        assert [(i.name, i.target) for i in plan.indicators] == [
            (i.name, i.target) for i in form.indicators
        ]
        assert plan.annual_funds.total == form.funds.total.initial
        total = watch.funds.total
        assert total.initial == form.funds.total.initial
        assert total.rate == (total.executed / total.initial * 100).quantize(D("0.01"))
        assert D(25) <= total.rate <= D(80)
    likelihoods = {i.likelihood for m in year.monitorings for i in m.indicators}
    assert likelihoods == {"确定能", "有可能", "完全不可能"}
    # a target not sure to be met carries its causes and a reason
    doubtful = [i for m in year.monitorings for i in m.indicators if i.likelihood != "确定能"]
    assert doubtful and all(i.causes and i.reason for i in doubtful)
    assert generate_year(20, seed=3).dumps() == year.dumps()


def test_canonical_json_round_trip(year: Documents) -> None:
    text = year.dumps()
    data = json.loads(text)
    assert list(data) == ["forms", "declarations", "monitorings"]
    first = data["declarations"][0]
    assert first["kind"] == "declaration" and first["stage"] == "批复"
    assert first["annual_funds"]["total"] == str(year.declarations[0].annual_funds.total)
    watch = data["monitorings"][0]
    assert watch["kind"] == "monitoring" and watch["period"] == "1-7月"
    back = documents_from_json_text(text, "y.json")
    assert [_without(d, "source") for d in back.declarations] == [
        _without(d, "source") for d in year.declarations
    ]
    assert [_without(m, "source") for m in back.monitorings] == [
        _without(m, "source") for m in year.monitorings
    ]
    assert back.declarations[0].source is not None
    assert back.declarations[0].source.file == "y.json"
    # a single document object, by its kind
    one = documents_from_json_text(json.dumps(first, ensure_ascii=False), "one.json")
    assert len(one.declarations) == 1 and one.forms == []


def test_bad_documents_are_refused_with_their_place() -> None:
    with pytest.raises(
        FormFileError, match=r"^b\.json: monitorings\[0\]\.indicators\[0\]\.likelihood"
    ):
        documents_from_json_text(
            '{"forms": [], "monitorings": [{"indicators": [{"likelihood": "大概"}]}]}', "b.json"
        )
    with pytest.raises(FormFileError, match=r"^c\.json: declarations\[0\]\.annual_funds\.total"):
        documents_from_json_text(
            '{"forms": [], "declarations": [{"annual_funds": {"total": "许多"}}]}', "c.json"
        )
    with pytest.raises(FormFileError, match=r"kind: 应为 declaration 或 monitoring"):
        documents_from_json_text('{"kind": "report"}', "d.json")
    with pytest.raises(ValueError):
        MonitorIndicator(note="a\x00b")


def test_latest_declaration_prefers_the_adjustment() -> None:
    a = TargetDeclaration(project="项目 甲", year=2024, stage="申报")
    b = TargetDeclaration(project="项目甲", year=2024, stage="批复")
    c = TargetDeclaration(project="项目甲", year=2024, stage="调整")
    other_year = TargetDeclaration(project="项目甲", year=2023, stage="调整")
    assert latest_declaration([a, b, c, other_year], "项目甲", 2024) is c
    assert latest_declaration([a, b, other_year], "项目甲", 2024) is b
    assert latest_declaration([a], "项目 甲", 2024) is a
    assert latest_declaration([a], "项目乙", 2024) is None


def test_xlsx_of_generated_documents_imports_identical(year: Documents) -> None:
    data = render_plans_xlsx([*year.declarations, *year.monitorings])
    got = read_documents_bytes(data, "plans.xlsx")
    assert got.forms == [] and got.skipped == []
    # the stage is the system's, not printed on the form
    assert [_without(d, "source", "index", "stage") for d in got.declarations] == [
        _without(d, "source", "index", "stage") for d in year.declarations
    ]
    assert [_without(m, "source", "index") for m in got.monitorings] == [
        _without(m, "source", "index") for m in year.monitorings
    ]


def test_html_shows_the_official_layouts(year: Documents) -> None:
    plan, watch = year.declarations[0], year.monitorings[0]
    html = render_plans_html([plan, watch])
    assert html.count('<section class="sheet plan">') == 2
    assert '<h1 class="title">项目支出绩效目标申报表</h1>' in html
    assert '<h1 class="title">项目支出绩效目标执行监控表</h1>' in html
    assert f"（{plan.year}年度）" in html
    for label in ("中期资金总额：", "年度资金总额：", "中期目标", "年度目标", "指标值"):
        assert label in html
    for label in ("1-7月执行数", "1-7月执行率", "全年预计执行数", "完成目标可能性", "硬件条件保障"):
        assert label in html
    assert f"{watch.funds.total.rate}%" in html
    assert html.count("✔") >= len(watch.indicators)
    assert "<script" not in html


def test_cli_import_writes_all_three_kinds(tmp_path) -> None:
    out = tmp_path / "docs.json"
    result = runner.invoke(app, ["import", str(REAL_WORKBOOK), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "导入 1 张表（其中 1 张不完整），绩效目标申报表 1 张，执行监控表 1 张" in result.stderr
    assert "项目支出计划：不是绩效表，已跳过" in result.stderr
    data = json.loads(out.read_text("utf-8"))
    assert [len(data[k]) for k in ("forms", "declarations", "monitorings")] == [1, 1, 1]
    assert len(data["monitorings"][0]["indicators"]) == 14
    # the written file imports again, all three kinds
    again = runner.invoke(app, ["import", str(out), "-o", str(tmp_path / "again.json")])
    assert again.exit_code == 0, again.output
    assert (
        json.loads((tmp_path / "again.json").read_text("utf-8"))["monitorings"]
        == data["monitorings"]
    )


def test_generator_writes_years_as_json(capsys) -> None:
    from jixiao.generate import main

    main(["2", "--seed", "5", "--plans"])
    docs = documents_from_json_text(capsys.readouterr().out, "gen.json")
    assert (len(docs.forms), len(docs.declarations), len(docs.monitorings)) == (2, 2, 2)
    assert docs.declarations[1].key == link_key(docs.forms[1].project, docs.forms[1].year)


def test_cli_renders_the_plans(tmp_path, year: Documents) -> None:
    source = tmp_path / "year.json"
    source.write_text(year.dumps(), encoding="utf-8")
    xlsx = tmp_path / "plans.xlsx"
    result = runner.invoke(app, ["render", str(source), "--plans", "--to", "xlsx", "-o", str(xlsx)])
    assert result.exit_code == 0, result.output
    assert f"已输出申报表 20 张、监控表 20 张 → {xlsx}" in result.stdout
    back = read_documents_bytes(xlsx.read_bytes(), "plans.xlsx")
    assert [m.indicators for m in back.monitorings] == [m.indicators for m in year.monitorings]
    pdf = tmp_path / "plans.pdf"
    one = tmp_path / "one.json"
    one.write_text(
        Documents(declarations=year.declarations[:1], monitorings=year.monitorings[:1]).dumps(),
        encoding="utf-8",
    )
    assert runner.invoke(app, ["render", str(one), "--plans", "-o", str(pdf)]).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    forms_only = tmp_path / "forms.json"
    forms_only.write_text(Documents(forms=year.forms[:1]).dumps(), encoding="utf-8")
    refused = runner.invoke(app, ["render", str(forms_only), "--plans", "--to", "html"])
    assert refused.exit_code == 2 and "没有绩效目标申报表或执行监控表" in refused.output
    docx = tmp_path / "plans.docx"
    made = runner.invoke(app, ["render", str(one), "--plans", "--to", "docx", "-o", str(docx)])
    assert made.exit_code == 0, made.output
    again = read_documents_bytes(docx.read_bytes(), "plans.docx")
    assert again.declarations[0].indicators == year.declarations[0].indicators
    assert again.monitorings[0].indicators == year.monitorings[0].indicators
    wrong = runner.invoke(app, ["render", str(one), "--plans", "--to", "csv"])
    assert wrong.exit_code == 2 and "--plans 的 --to 只能是 pdf、xlsx、docx 或 html" in wrong.output
