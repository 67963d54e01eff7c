"""部门项目支出绩效自评总结报告: the figures on the seed and on constructed forms (exact values),
the 参考提纲's headings, the sentences, and the docx / PDF / HTML writers and the CLI."""

from __future__ import annotations

import io
import struct
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jixiao.audit import audit_forms
from jixiao.audit.examples import base_form
from jixiao.cli import app
from jixiao.model import dump_forms, form_from_dict
from jixiao.policy import load_policy
from jixiao.render.summary import render_summary_html, render_summary_pdf
from jixiao.render.summary_docx import chart_png, render_summary_docx
from jixiao.summary import (
    HEADINGS,
    Chart,
    RecheckResult,
    RecheckRow,
    Table,
    recheck_figures,
    sections,
    summarize,
    title,
)

from .conftest import ORACLE

D = Decimal
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_summary(oracle_forms, shanghai):
    return summarize(audit_forms(oracle_forms, shanghai), shanghai, expected=10)


def test_seed_figures(seed_summary):
    s = seed_summary
    assert (s.department, s.years, s.policies, s.forms, s.units) == (
        "江桥镇",
        [2024],
        ["shanghai"],
        9,
        ["上海市嘉定区江桥镇城市运行管理中心"],
    )
    assert (s.expected, s.covered, s.coverage, s.missing) == (10, 9, D("90.00"), [])
    assert (s.initial, s.adjusted, s.executed, s.fiscal_adjusted, s.rate) == (
        D("5123.85"),
        D("4265.08"),
        D("3950.85"),
        D("4197.70"),
        D("92.63"),
    )
    assert (s.mean_declared, s.mean_computed, s.highest, s.lowest) == (
        D("97.98"),
        D("97.98"),
        D("99.99"),
        D("93.50"),
    )
    assert s.declared_grades == {"优": 9, "良": 0, "中": 0, "差": 0}
    assert s.computed_grades == {"优": 9, "良": 0, "中": 0, "差": 0}
    assert (s.indicators, s.met, s.missed, s.over, s.score_differs) == (100, 100, [], [], [])
    assert [(p.project, p.rate) for p in s.low_rate] == [
        ("活动经费", D("35.00")),
        ("政府聘用辅助人员经费", D("40.96")),
        ("城维工程类", D("79.43")),
    ]
    assert s.rate_bands == [("100%及以上", 0), ("80%–100%", 6), ("低于80%", 3), ("无法计算", 0)]
    # F08 is one finding per form (was one per row: 14), F06 a 提示 (was a 警告)
    assert s.severities == {"error": 5, "warning": 32, "info": 24}
    assert [(r.rule, r.forms, r.findings) for r in s.rules[:4]] == [
        ("F08", 8, 8),
        ("W02", 8, 8),
        ("F07", 4, 7),
        ("P01", 5, 5),
    ]
    first = s.projects[0]
    assert (first.project, first.adjusted, first.executed, first.rate, first.findings) == (
        "其他人员经费",
        D("956.64"),
        D("815.59"),
        D("85.25"),
        7,
    )


def test_project_list_gives_coverage_and_missing(oracle_forms, shanghai):
    s = summarize(
        audit_forms(oracle_forms, shanghai),
        shanghai,
        projects=["活动经费", "宣传经费", "道路养护经费"],
    )
    assert (s.expected, s.covered, s.coverage, s.missing) == (3, 2, D("66.67"), ["道路养护经费"])
    assert len(s.extra) == 7
    two = sections(s)[1].blocks
    assert two[0] == "应开展绩效自评的项目 3 个，已提交自评表 2 张，自评覆盖率 66.67%。"
    assert "尚未提交自评表的项目 1 个：道路养护经费。" in two


def _constructed():
    """Two forms of one department: one misses a target (with a reason) and over-achieves
    another (without one); the other is in 元 and spent 70 %."""
    a = base_form()
    a["indicators"][1].update(
        actual="80.00(台)",
        score="16.00",
        deviation="受招标延后影响，设备分两批到货；下一步将加快采购。",
    )
    a["indicators"][4].update(actual="30.00(%)")
    a["total_score"] = "96.00"
    b = base_form()
    b["project"] = "社区食堂运营补贴"
    b["amount_unit"] = "元"
    for key in ("total", "fiscal"):
        b["funds"][key].update(
            initial="500000.00", adjusted="500000.00", executed="350000.00", rate="70.00"
        )
    b["funds"]["total"]["score"] = "7.00"
    b["total_score"] = "97.00"
    c = base_form()
    c["department"] = "示例区教育局"
    return [form_from_dict(x) for x in (a, b, c)]


def test_constructed_figures():
    mof = load_policy("mof-2020")
    forms = [f for f in _constructed() if f.department == "示例区民政局"]
    s = summarize(audit_forms(forms, mof), mof, department="示例区民政局")
    # 100 万元 + 500 000 元 = 150.00 万元; spent 100 + 35
    assert (s.initial, s.adjusted, s.executed, s.rate) == (
        D("150.00"),
        D("150.00"),
        D("135.00"),
        D("90.00"),
    )
    assert [(p.project, p.adjusted, p.executed, p.rate) for p in s.projects] == [
        ("社区服务设备购置项目", D("100.00"), D("100.00"), D("100.00")),
        ("社区食堂运营补贴", D("50.00"), D("35.00"), D("70.00")),
    ]
    assert s.mean_declared == D("96.50")
    assert [(x.name, x.score, x.reason) for x in s.missed] == [
        ("设备采购数量", D("16.00"), "受招标延后影响，设备分两批到货；下一步将加快采购。")
    ]
    assert [(x.name, x.ratio, x.reason) for x in s.over] == [("等候时间缩短率", D("1.5000"), "")]
    assert [p.project for p in s.low_rate] == ["社区食堂运营补贴"]
    assert s.indicators == 14 and s.met == 13

    text = [b for sec in sections(s) for b in sec.blocks if isinstance(b, str)]
    assert (
        "（二）绩效指标完成情况。三级指标共 14 个，按口径判定达到指标值的 13 个，未达到的 1 个；"
        "完成值达到指标值 1.2 倍及以上（超额完成较多）的 1 个。"
    ) in text
    assert (
        "对超额完成较多而未说明原因的 1 个指标，建议核实年初指标值是否设定偏低，属偏低的按偏离度"
        "适度调减分值（财预〔2020〕10号 第十六条），并在下年度从严、从高设定指标值。"
    ) in text
    tables = {b.caption: b for sec in sections(s) for b in sec.blocks if isinstance(b, Table)}
    missed = tables["表4 未完成的指标及原因"]
    assert missed.rows == [
        (
            "社区服务设备购置项目",
            "设备采购数量",
            "≥100.00(台)",
            "80.00(台)",
            "20.00",
            "16.00",
            "受招标延后影响，设备分两批到货；下一步将加快采购。",
        )
    ]
    assert tables["表5 超额完成较多的指标及原因"].rows[0][-2:] == ("1.5000", "（未说明）")


def test_sections_follow_the_outline_and_are_deterministic(seed_summary):
    parts = sections(seed_summary)
    assert (
        tuple(p.heading for p in parts)
        == HEADINGS
        == (
            "一、项目支出基本情况",
            "二、绩效自评工作开展情况",
            "三、绩效自评结果及分析",
            "四、自评发现的问题及整改措施",
            "五、绩效自评工作建议及预算安排建议",
            "六、其他需要说明的问题",
        )
    )
    assert parts == sections(seed_summary)
    assert parts[0].blocks[0] == (
        "本报告汇总江桥镇2024年度项目支出绩效自评表 9 张，涉及实施单位 1 个。项目年初预算数合计 "
        "5123.85 万元，全年预算数合计 4265.08 万元（其中当年财政拨款 4197.70 万元），"
        "全年执行数合计 "
        "3950.85 万元，总体预算执行率 92.63%。"
    )
    charts = [b for p in parts for b in p.blocks if isinstance(b, Chart)]
    assert charts == [Chart("图1 自评等级分布（个）", [("优", 9), ("良", 0), ("中", 0), ("差", 0)])]
    assert title(seed_summary) == "江桥镇2024年度部门项目支出绩效自评总结报告"


def test_docx(seed_summary):
    doc = Document(io.BytesIO(render_summary_docx(seed_summary)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "江桥镇2024年度部门项目支出绩效自评总结报告"
    assert [t for t in texts if t in HEADINGS] == list(HEADINGS)
    assert "图1 自评等级分布（个）：优 9、良 0、中 0、差 0（自左至右）" in texts
    assert len(doc.inline_shapes) == 1
    first = doc.tables[0]
    assert [c.text for c in first.rows[0].cells][:2] == ["序号", "项目名称"]
    assert [c.text for c in first.rows[-1].cells][3:6] == ["4265.08", "3950.85", "92.63"]


def test_png_chart():
    png = chart_png(Chart("x", [("优", 9), ("良", 12), ("中", 0), ("差", 3)]))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (840, 400)


def test_html_has_the_svg_chart(seed_summary):
    html = render_summary_html(seed_summary)
    assert html.count("<svg") == 1
    assert "<h2>三、绩效自评结果及分析</h2>" in html
    assert ">优</text>" in html


def test_pdf(seed_summary, tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(render_summary_pdf(seed_summary))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    squashed = "".join(text.split())
    for heading in HEADINGS:
        assert heading in squashed
    assert "总体预算执行率92.63%" in squashed


def test_cli_summary(tmp_path):
    forms = tmp_path / "forms.json"
    forms.write_text(dump_forms(_constructed()), encoding="utf-8")
    out = tmp_path / "report.docx"
    result = runner.invoke(
        app,
        [
            "render",
            str(forms),
            "--summary",
            "--to",
            "docx",
            "-o",
            str(out),
            "--department",
            "示例区民政局",
            "--expected",
            "4",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "已输出 2 张表的部门项目支出绩效自评总结报告" in result.stdout
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "应开展绩效自评的项目 4 个，已提交自评表 2 张，自评覆盖率 50.00%。" in texts
    assert texts[0] == "示例区民政局2024年度部门项目支出绩效自评总结报告"

    projects = tmp_path / "projects.txt"
    projects.write_text("社区服务设备购置项目\n", encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    result = runner.invoke(
        app, ["render", str(ORACLE), "--summary", "-o", str(pdf), "--projects", str(projects)]
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "xlsx"], "--summary 的 --to 只能是 docx、pdf 或 html"),
        (["--department", "某部"], "输入文件中没有主管部门为“某部”的表"),
        (["--expected", "3", "--projects", "p.txt"], "--expected 与 --projects 只能给一个"),
        (["--projects", "nope.txt"], "nope.txt: 无法读取项目清单"),
    ],
)
def test_cli_summary_errors(args, message):
    result = runner.invoke(app, ["render", str(ORACLE), "--summary", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_low_grades_are_named(shanghai):
    low = base_form()
    low["grade"] = "中"
    ungraded = base_form()
    ungraded["project"] = "社区食堂运营补贴"
    ungraded["grade"] = None
    forms = [form_from_dict(low), form_from_dict(ungraded)]
    s = summarize(audit_forms(forms, shanghai), shanghai)
    assert s.grades == ["优", "良", "中", "差", "未填"]
    assert s.declared_grades == {"优": 0, "良": 0, "中": 1, "差": 0, "未填": 1}
    assert s.low_grades == ["中", "差"]
    assert [p.project for p in s.low_grade] == ["社区服务设备购置项目"]
    four = [b for b in sections(s)[3].blocks if isinstance(b, str)]
    assert "自评等级为中、差的项目 1 个：社区服务设备购置项目（中）。" in four


# --- 抽查复核 (财预〔2020〕10号 第十九条) -------------------------------------------------------


def _rechecks():
    return [
        RecheckResult(
            "甲项目",
            "甲单位",
            D("90.00"),
            D("85.00"),
            (
                RecheckRow("预算执行率", D("10.00"), D("10.00")),
                RecheckRow("完成数量", D("10.00"), D("7.00")),
                RecheckRow("群众满意度", D("20.00"), D("18.00")),
            ),
            "不认可自评结果",
        ),
        RecheckResult("乙项目", "乙单位", D("80.00"), D("82.00"), (), "部分认可，复核调整得分"),
        RecheckResult("丙项目", "", D("95.00"), D("95.00")),
        RecheckResult("丁项目", "丁单位", None, D("70.00")),  # no 自评总分: no gap
    ]


def test_recheck_figures_and_the_reports_text():
    mof = load_policy("mof-2020")
    forms = [f for f in _constructed() if f.department == "示例区民政局"]
    s = summarize(audit_forms(forms, mof), mof, rechecks=_rechecks())
    r = s.recheck
    assert r is not None
    assert (r.compared, r.lower, r.higher) == (3, 1, 1)
    # (−5 + 2 + 0) / 3 = −1; (5 + 2 + 0) / 3 = 2.333… → 2.33 (half up, two places)
    assert (r.mean_gap, r.mean_abs_gap) == (D("-1.00"), D("2.33"))
    assert [x.project for x in r.largest] == ["甲项目", "乙项目"]  # differing, by |gap|
    first = r.largest[0]
    assert (first.gap, first.largest_row.name, first.largest_row.gap) == (
        D("-5.00"),
        "完成数量",
        D("-3.00"),
    )
    four = sections(s)[3].blocks
    assert (
        "财政抽查复核（财预〔2020〕10号 第十九条）已完成 4 张自评表，其中可比较总分的 3 张："
        "复核总分低于自评总分的 1 张，高于的 1 张，一致的 1 张；复核总分与自评总分之差平均 "
        "-1.00 分，差额绝对值平均 2.33 分。差异最大的是甲项目（自评 90.00 分，复核 85.00 分，"
        "差 -5.00 分）。"
    ) in four
    (table,) = [b for b in four if isinstance(b, Table) and b.caption.startswith("表7")]
    assert table.rows == [
        ("1", "甲项目", "甲单位", "90.00", "85.00", "-5.00", "完成数量（-3.00）", "不认可自评结果"),
        ("2", "乙项目", "乙单位", "80.00", "82.00", "+2.00", "-", "部分认可，复核调整得分"),
    ]
    five = sections(s)[4].blocks
    assert (
        "对抽查复核中复核总分低于自评总分的 1 个项目，"
        "建议实施单位对照复核意见核实更正自评结果，并在下年度自评中从严评分。"
    ) in five


def test_without_rechecks_the_report_says_nothing_of_them(oracle_forms, shanghai):
    audits = audit_forms(oracle_forms, shanghai)
    plain = summarize(audits, shanghai)
    assert plain.recheck is None
    text = "".join(b for sec in sections(plain) for b in sec.blocks if isinstance(b, str))
    assert "抽查复核" not in text
    empty = summarize(audits, shanghai, rechecks=[])
    four = [b for b in sections(empty)[3].blocks if isinstance(b, str)]
    assert "本期财政抽查复核（财预〔2020〕10号 第十九条）尚无已完成复核的自评表。" in four


def test_the_mean_computed_score_is_printed(seed_summary):
    three = [b for b in sections(seed_summary)[2].blocks if isinstance(b, str)]
    assert any("按口径复算平均 97.98 分。" in b for b in three)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.decimals(0, 100, places=2)),
            st.decimals(0, 100, places=2),
        ),
        max_size=30,
    )
)
def test_recheck_figures_properties(pairs):
    mof = load_policy("mof-2020")
    results = [RecheckResult(f"项目{i}", "", a, b) for i, (a, b) in enumerate(pairs)]
    r = recheck_figures(results, mof)
    gaps = [b - a for a, b in pairs if a is not None]
    assert r.compared == len(gaps)
    assert r.lower + r.higher + sum(1 for g in gaps if g == 0) == r.compared
    if gaps:
        assert min(gaps) - D("0.005") <= r.mean_gap <= max(gaps) + D("0.005")
        assert abs(r.mean_gap - sum(gaps) / len(gaps)) <= D("0.005")
        assert r.mean_abs_gap >= abs(r.mean_gap)
    else:
        assert r.mean_gap is None and r.mean_abs_gap is None
    sizes = [abs(x.gap) for x in r.largest]
    assert sizes == sorted(sizes, reverse=True) and all(sizes)
    assert len(r.largest) == min(10, sum(1 for g in gaps if g))


def test_the_recheck_table_in_word_and_html(oracle_forms, shanghai):
    s = summarize(audit_forms(oracle_forms, shanghai), shanghai, rechecks=_rechecks())
    doc = Document(io.BytesIO(render_summary_docx(s)))
    (table,) = [t for t in doc.tables if "差异最大的指标" in [c.text for c in t.rows[0].cells]]
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        "甲项目",
        "甲单位",
        "90.00",
        "85.00",
        "-5.00",
        "完成数量（-3.00）",
        "不认可自评结果",
    ]
    html = render_summary_html(s)
    assert "表7 抽查复核差异较大的项目（分）" in html
    assert "完成数量（-3.00）" in html
