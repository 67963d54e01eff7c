"""Monitoring that says something: M01–M03 on a 监控表, M04 at 自评, and ``jixiao monitor``."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from jixiao.audit.monitoring import audit_monitoring, july_contradictions, schedule
from jixiao.cli import app
from jixiao.ingest import read_documents
from jixiao.model import Indicator, SelfEvaluation
from jixiao.plans import Documents, MonitorFundRow, MonitorFunds, MonitorIndicator, Monitoring
from jixiao.policy import load_policy

from .workbooks import REAL_WORKBOOK

D = Decimal
runner = CliRunner()


def _watch(rate: str = "60.00", forecast: str = "100", **indicator: object) -> Monitoring:
    row = MonitorFundRow(initial=D("100"), executed=D(rate), rate=D(rate), forecast=D(forecast))
    ind = MonitorIndicator.model_validate({"name": "动画短剧制作", "target": "20集", **indicator})
    return Monitoring(project="项目甲", year=2024, funds=MonitorFunds(total=row), indicators=[ind])


def test_schedule_of_the_period() -> None:
    assert schedule("1-7月") == D("58.33")
    assert schedule("1—6月") == D("50.00")
    assert schedule("1-12月") == D("100.00")
    assert schedule("全年") is None and schedule("7-1月") is None


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=12))
def test_schedule_is_the_share_of_months(first: int, last: int) -> None:
    got = schedule(f"{first}-{last}月")
    if first > last:
        assert got is None
    else:
        assert got is not None and abs(got - D(last - first + 1) * 100 / 12) <= D("0.005")


def test_the_real_monitoring_is_far_behind_schedule() -> None:
    watch = read_documents(REAL_WORKBOOK).monitorings[0]
    findings = audit_monitoring(watch)
    assert [(f.rule, f.severity, f.declared, f.expected) for f in findings] == [
        ("M01", "error", D("0.00"), "≥ 46.66")
    ]
    assert findings[0].message == "1-7月执行率 0.00% 低于时间进度 58.33% 的60%（35.00%），红色预警"
    assert findings[0].place == "年度资金总额·执行率"


def test_execution_levels() -> None:
    assert [f.severity for f in audit_monitoring(_watch("34.99"))] == ["error"]
    assert [f.severity for f in audit_monitoring(_watch("35.00"))] == ["warning"]
    assert [f.severity for f in audit_monitoring(_watch("46.65"))] == ["warning"]
    assert audit_monitoring(_watch("46.66")) == []
    base = load_policy("mof-2020")
    strict = base.model_copy(
        update={
            "audit": base.audit.model_copy(
                update={"monitor_red": D("0.9"), "monitor_yellow": D("1")}
            )
        }
    )
    assert [f.severity for f in audit_monitoring(_watch("50.00"), strict)] == ["error"]
    # the policy's [audit.severity] sets a rule's severity, as for every other rule
    quiet = base.model_copy(
        update={"audit": base.audit.model_copy(update={"severity": {"M01": "info"}})}
    )
    assert [f.severity for f in audit_monitoring(_watch("34.99"), quiet)] == ["info"]


def test_likelihood_without_a_reason() -> None:
    maybe = audit_monitoring(_watch(likelihood="有可能"))
    assert [(f.rule, f.severity, f.position, f.indicator) for f in maybe] == [
        ("M02", "warning", 1, "动画短剧制作")
    ]
    never = audit_monitoring(_watch(likelihood="完全不可能"))
    assert [(f.rule, f.severity) for f in never] == [("M02", "error")]
    assert audit_monitoring(_watch(likelihood="完全不可能", causes=["经费保障"])) == []
    assert audit_monitoring(_watch(likelihood="有可能", reason="合同晚签")) == []
    assert audit_monitoring(_watch(likelihood="确定能")) == []


def test_forecast_above_the_budget() -> None:
    found = audit_monitoring(_watch(forecast="120"))
    assert [(f.rule, f.declared, f.expected) for f in found] == [("M03", D("120"), "≤ 100")]
    assert found[0].message == "年度资金总额的全年预计执行数 120 超过年初预算数 100"


def _form(score: str, year: int = 2024) -> SelfEvaluation:
    ind = Indicator(name="动画短剧 制作", target="20集", weight=D("10"), score=D(score))
    return SelfEvaluation(project="项目 甲", year=year, indicators=[ind])


def test_impossible_in_july_full_marks_in_december() -> None:
    watch = _watch(likelihood="完全不可能", reason="经费未到位")
    found = july_contradictions(_form("10"), watch)
    assert [(f.rule, f.position, f.declared, f.expected) for f in found] == [
        ("M04", 1, D("10"), "< 10，或附完成依据")
    ]
    assert found[0].message == "1-7月监控时标为“完全不可能”完成，自评却得满分 10"
    assert july_contradictions(_form("8"), watch) == []
    assert july_contradictions(_form("10", year=2023), watch) == []
    assert july_contradictions(_form("10"), _watch(likelihood="有可能", reason="x")) == []


def test_monitor_command(tmp_path) -> None:
    form = _form("10")
    watch = _watch("40.00", likelihood="完全不可能", reason="经费未到位")
    path = tmp_path / "year.json"
    path.write_text(Documents(forms=[form], monitorings=[watch]).dumps(), encoding="utf-8")
    result = runner.invoke(app, ["monitor", str(path), "-f", "json", "--fail-on", "warning"])
    assert result.exit_code == 1
    docs = json.loads(result.stdout)["documents"]
    assert [[f["rule"] for f in d["findings"]] for d in docs] == [["M01"], ["M04"]]
    text = runner.invoke(app, ["monitor", str(REAL_WORKBOOK)])
    assert text.exit_code == 1
    assert "[错误] M01 执行进度慢于时间进度" in text.stdout
    assert "红色预警" in text.stdout
    none = runner.invoke(app, ["monitor", str(tmp_path / "none.json")])
    assert none.exit_code == 2 and "文件不存在" in none.output
    forms_only = tmp_path / "f.json"
    forms_only.write_text(Documents(forms=[form]).dumps(), encoding="utf-8")
    refused = runner.invoke(app, ["monitor", str(forms_only)])
    assert refused.exit_code == 2 and "没有绩效目标执行监控表" in refused.output


def test_the_m_rules_look_like_every_other_rule_in_the_cli(tmp_path) -> None:
    """M04 in ``jixiao audit`` when the input holds the 监控表; ``jixiao rules`` explains the
    M rules; a policy's [audit.severity] and thresholds apply to ``jixiao monitor``."""
    from jixiao.audit.examples import base_monitoring, build, row

    july = base_monitoring()
    row(2, likelihood="完全不可能", causes=["经费保障"])(july)
    july["funds"]["total"].update(executed="40.00", rate="40.00")
    year = Documents(forms=[build(None)], monitorings=[Monitoring.model_validate(july)])
    path = tmp_path / "year.json"
    path.write_text(year.dumps(), encoding="utf-8")
    audited = runner.invoke(app, ["audit", str(path), "-f", "json", "--fail-on", "never"])
    assert audited.exit_code == 0, audited.output
    findings = json.loads(audited.stdout)["forms"][0]["findings"]
    assert [(f["rule"], f["place"]) for f in findings] == [("M04", "第2行“设备采购数量” 得分")]
    explained = runner.invoke(app, ["rules", "M01"])
    assert explained.exit_code == 0 and "检查对象：绩效目标执行监控表" in explained.stdout
    listed = runner.invoke(app, ["rules"])
    assert "执行进度慢于时间进度" in listed.stdout
    own = tmp_path / "own.toml"
    own.write_text(
        'name = "own"\nbase = "mof-2020"\n[audit]\nmonitor_yellow = 0.6\n'
        '[audit.severity]\nM04 = "info"\n',
        encoding="utf-8",
    )
    watched = runner.invoke(app, ["monitor", str(path), "-f", "json", "-p", str(own)])
    docs = json.loads(watched.stdout)["documents"]
    # 40 % ≥ 0.6 × 58.33 %: no M01 under this policy; its M04 is a note
    assert [[(f["rule"], f["severity"]) for f in d["findings"]] for d in docs] == [
        [],
        [("M04", "info")],
    ]
    default = runner.invoke(app, ["monitor", str(path), "-f", "json", "--fail-on", "never"])
    assert [
        [f["rule"] for f in d["findings"]] for d in json.loads(default.stdout)["documents"]
    ] == [
        ["M01"],
        ["M04"],
    ]
