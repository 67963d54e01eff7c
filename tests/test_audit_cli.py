"""The audit and rules commands, the reports, and docs/rules.md being current."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jixiao.audit.docs import render_markdown
from jixiao.cli import app

from .conftest import ORACLE, SEED_TEXT

runner = CliRunner()
DOCS = Path(__file__).parent.parent / "docs" / "rules.md"


def test_docs_rules_md_is_current():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/rules.md is stale: run `jixiao rules --markdown > docs/rules.md`"
    )


def test_rules_lists_and_explains():
    listing = runner.invoke(app, ["rules"])
    assert listing.exit_code == 0
    assert "X05" in listing.output and "预算执行率偏低" in listing.output
    one = runner.invoke(app, ["rules", "x05"])
    assert one.exit_code == 0
    assert "### X05 预算执行率偏低" in one.output and "触发：执行率 35.00%" in one.output
    bad = runner.invoke(app, ["rules", "Z99"])
    assert bad.exit_code == 2
    assert "没有规则" in bad.output


def test_audit_json_shape_and_exit_code():
    result = runner.invoke(app, ["audit", str(ORACLE), "--policy", "shanghai", "-f", "json"])
    assert result.exit_code == 1  # W03 and F03 errors on the seed
    doc = json.loads(result.output)
    assert doc["policy"] == "shanghai"
    assert [f["project"] for f in doc["forms"]][:2] == ["其他人员经费", "活动经费"]
    activity = doc["forms"][1]
    assert activity["inflation"] == "65.00"
    x05 = [f for f in activity["findings"] if f["rule"] == "X05"]
    assert x05[0]["severity"] == "warning"
    assert x05[0]["where"] == "funds.total.rate"
    assert x05[0]["declared"] == "35.00"
    assert set(x05[0]) >= {"rule", "severity", "where", "message", "fix"}
    severities = [f["severity"] for f in activity["findings"]]
    order = {"error": 0, "warning": 1, "info": 2}
    assert severities == sorted(severities, key=order.__getitem__)


def test_fail_on_levels():
    args = ["audit", str(ORACLE), "--policy", "shanghai"]
    assert runner.invoke(app, [*args, "--fail-on", "never"]).exit_code == 0
    assert runner.invoke(app, [*args, "--fail-on", "warning"]).exit_code == 1
    bad = runner.invoke(app, [*args, "--fail-on", "sometimes"])
    assert bad.exit_code == 2


def test_text_report_from_the_seed_text():
    result = runner.invoke(app, ["audit", str(SEED_TEXT), "--policy", "shanghai"])
    assert result.exit_code == 1
    out = result.output
    assert "== 活动经费（上海市嘉定区江桥镇城市运行管理中心，2024年度）" in out
    assert "[错误] W03 指标分值应大于 0" in out
    assert "按虚高排序" in out
    ranking = out.split("按虚高排序")[1]
    assert (
        ranking.index("活动经费")
        < ranking.index("政府聘用辅助人员经费")
        < ranking.index("城维工程类")
    )


def test_markdown_memo():
    result = runner.invoke(app, ["audit", str(ORACLE), "--policy", "shanghai", "-f", "md"])
    memo = result.output
    assert memo.count("## 审核意见：") == 9
    assert "**审核结论：** 退回修改：有 3 项必须更正的错误。" in memo  # 活动经费: F03, 2 × W03
    assert "### 一、必须更正的问题" in memo


def test_missing_file_and_targets(tmp_path):
    result = runner.invoke(app, ["audit", str(tmp_path / "none.json")])
    assert result.exit_code == 2
    assert "文件不存在" in result.output
    bad = tmp_path / "targets.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["audit", str(ORACLE), "--targets", str(bad)])
    assert result.exit_code == 2
    assert "批复指标文件无法读取" in result.output
    assert "Traceback" not in result.output


def test_targets_file_drives_p09(tmp_path):
    doc = json.loads(ORACLE.read_text(encoding="utf-8"))
    doc["forms"][1]["indicators"][6]["target"] = "≥95.00(%)"  # 活动经费 满意度 approved at 95
    path = tmp_path / "approved.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(
        app,
        ["audit", str(ORACLE), "--policy", "shanghai", "-f", "json", "--targets", str(path)],
    )
    forms = json.loads(result.output)["forms"]
    p09 = [
        (fa["project"], f["position"], f["declared"], f["expected"])
        for fa in forms
        for f in fa["findings"]
        if f["rule"] == "P09"
    ]
    assert p09 == [("活动经费", 7, "≥90.00(%)", "≥95.00(%)")]


def test_sort_by_inflation():
    args = ["audit", str(ORACLE), "-p", "shanghai", "-f", "json", "--sort", "inflation"]
    forms = json.loads(runner.invoke(app, args).output)["forms"]
    assert [f["project"] for f in forms][:3] == ["活动经费", "政府聘用辅助人员经费", "城维工程类"]
    assert [f["inflation"] for f in forms][-1] == "0.13"
    assert runner.invoke(app, [*args[:-1], "size"]).exit_code == 2
