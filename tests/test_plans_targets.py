"""Targets flow: P09 reads the approved 绩效目标申报表 (``--plan``, or 申报表 among the inputs)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jixiao.audit import ApprovedTargets, audit_form
from jixiao.cli import app
from jixiao.generate_plans import generate_year
from jixiao.plans import Documents, TargetDeclaration, TargetIndicator
from jixiao.policy import load_policy

runner = CliRunner()


def _year(tmp_path):
    year = generate_year(3, seed=11)
    form = year.forms[0]
    approved = form.indicators[1].target
    form.indicators[1].target = "≥1"  # lowered at 自评 time
    forms = tmp_path / "forms.json"
    forms.write_text(Documents(forms=year.forms).dumps(), encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(Documents(declarations=year.declarations).dumps(), encoding="utf-8")
    both = tmp_path / "both.json"
    both.write_text(year.dumps(), encoding="utf-8")
    return year, approved, forms, plan, both


def _p09(output: str) -> list[tuple[str, int | None, str | None, str | None]]:
    return [
        (fa["project"], f.get("position"), f["declared"], f["expected"])
        for fa in json.loads(output)["forms"]
        for f in fa["findings"]
        if f["rule"] == "P09"
    ]


def test_p09_reads_the_plan_given_to_the_audit(tmp_path) -> None:
    year, approved, forms, plan, both = _year(tmp_path)
    project = year.forms[0].project
    want = [(project, 2, "≥1", approved)]
    args = ["audit", str(forms), "-f", "json", "--fail-on", "never"]
    assert _p09(runner.invoke(app, [*args, "--plan", str(plan)]).stdout) == want
    # the 申报表 imported with the forms serve as well, without any option
    both_args = ["audit", str(both), "-f", "json", "--fail-on", "never"]
    assert _p09(runner.invoke(app, both_args).stdout) == want
    # without a plan, P09 has nothing to compare with
    assert _p09(runner.invoke(app, args).stdout) == []


def test_plan_options_refuse_clearly(tmp_path) -> None:
    _, _, forms, plan, _ = _year(tmp_path)
    result = runner.invoke(app, ["audit", str(forms), "--plan", str(forms)])
    assert result.exit_code == 2
    assert "文件中没有绩效目标申报表（declarations 为空）" in result.output
    result = runner.invoke(app, ["audit", str(forms), "--plan", str(plan), "--targets", str(plan)])
    assert result.exit_code == 2 and "--targets 与 --plan 只能给一个" in result.output
    result = runner.invoke(app, ["audit", str(plan)])
    assert result.exit_code == 2 and "没有财政项目支出绩效自评表可审核" in result.output
    assert "Traceback" not in result.output


def test_the_latest_adjustment_is_the_approved_target() -> None:
    year = generate_year(1, seed=2)
    form = year.forms[0]
    first = year.declarations[0]
    adjusted = first.model_copy(deep=True)
    adjusted.stage = "调整"
    adjusted.indicators[0] = TargetIndicator(name=form.indicators[0].name, target="≥999")
    filed = TargetDeclaration(project=form.project, year=form.year, stage="申报")
    targets = ApprovedTargets.from_declarations([adjusted, first, filed])
    assert targets.origin == "批复的绩效目标申报表"
    findings = audit_form(form, load_policy("mof-2020"), targets=targets)
    p09 = [(f.position, f.declared, f.expected) for f in findings if f.rule == "P09"]
    assert p09 == [(1, form.indicators[0].target, "≥999")]
    # a form of a project with no 申报表: named with where the targets came from
    other = form.model_copy(update={"project": "另一个项目"})
    message = next(
        f.message
        for f in audit_form(other, load_policy("mof-2020"), targets=targets)
        if f.rule == "P09"
    )
    assert message == f"批复的绩效目标申报表中没有项目“另一个项目”（{form.year}）"
