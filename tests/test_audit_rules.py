"""Every audit rule: the catalogue is complete and each rule's own examples behave."""

from __future__ import annotations

import pytest

from jixiao.audit import FAMILIES, REGISTRY, ApprovedTargets, audit_form, rules
from jixiao.audit.examples import base_form, build, build_monitoring
from jixiao.audit.monitoring import audit_monitoring
from jixiao.audit.registry import Example, Rule
from jixiao.policy import load_policy

CATALOGUE = (
    [f"S{i:02}" for i in range(1, 10)]
    + [f"F{i:02}" for i in range(1, 9)]
    + [f"W{i:02}" for i in range(1, 7)]
    + [f"X{i:02}" for i in range(1, 7)]
    + [f"Q{i:02}" for i in range(1, 8)]
    + [f"D{i:02}" for i in range(1, 6)]
    + [f"P{i:02}" for i in range(1, 11)]
    + [f"M{i:02}" for i in range(1, 5)]
)

CASES = [
    pytest.param(r, i, ex, id=f"{r.id}-{i}-{'fires' if ex.fires else 'silent'}")
    for r in REGISTRY
    for i, ex in enumerate(r.examples, 1)
]


def test_catalogue_complete():
    ids = {r.id for r in rules()}
    assert set(CATALOGUE) <= ids  # the 51 rules of docs/rules.md
    # new rules only continue a family: each is numbered 01, 02, … without gaps
    for family in FAMILIES:
        mine = sorted(i for i in ids if i[0] == family)
        assert mine == [f"{family}{n:02}" for n in range(1, len(mine) + 1)], family


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda r: r.id)
def test_rule_is_documented(rule: Rule):
    assert rule.severity in ("error", "warning", "info")
    assert rule.title and rule.rationale and rule.source and rule.fix
    assert any(e.fires for e in rule.examples)
    assert any(not e.fires for e in rule.examples)
    assert all(e.note for e in rule.examples)


@pytest.mark.parametrize(("rule", "n", "example"), CASES)
def test_example(rule: Rule, n: int, example: Example):
    policy = load_policy(example.policy)
    targets = (
        ApprovedTargets.from_json_dict(example.targets) if example.targets is not None else None
    )
    if rule.subject == "monitoring":  # a rule on the 监控表: the base 监控表, patched
        findings = audit_monitoring(build_monitoring(example.patch), policy)
    else:
        july = [build_monitoring(example.monitoring)] if example.monitoring is not None else []
        findings = audit_form(build(example.patch), policy, targets, monitorings=july)
    mine = [f for f in findings if f.rule == rule.id]
    if example.fires:
        assert mine, f"{rule.id} should fire on: {example.note}"
        for f in mine:
            assert f.message and f.fix and f.where
            assert f.title == rule.title
    else:
        assert not mine, f"{rule.id} should be silent on: {example.note}: {mine[0].message}"


@pytest.mark.parametrize("policy", ["mof-2020", "shanghai"])
def test_base_example_form_is_clean(policy):
    assert audit_form(build(None), load_policy(policy)) == []


@pytest.mark.parametrize("policy", ["mof-2020", "shanghai"])
def test_base_example_monitoring_is_clean(policy):
    clean = build_monitoring(None)
    assert audit_monitoring(clean, load_policy(policy)) == []
    assert audit_form(build(None), load_policy(policy), monitorings=[clean]) == []


def test_form_audit_runs_only_the_form_rules():
    monitoring_rules = {r.id for r in REGISTRY.on("monitoring")}
    assert monitoring_rules == {"M01", "M02", "M03"}
    assert REGISTRY.get("M04").subject == "form"
    assert not monitoring_rules & {r.id for r in REGISTRY.on("form")}


def test_base_form_is_a_fresh_copy():
    a = base_form()
    a["indicators"].clear()
    assert base_form()["indicators"]
