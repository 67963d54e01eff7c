"""The audit on the nine seed forms: exactly the findings a careful reviewer expects.

See seed/README.md: the arithmetic of all nine forms adds up (no arithmetic findings);
活动经费 (35.00 %) and 政府聘用辅助人员经费 (40.96 %) spent little yet claim full marks; two
rows of 活动经费 carry a 分值 of 0; two satisfaction targets read "≤90.00(%)"; a
总成本控制率 is ">1.00(个)"; many targets are qualitative.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from jixiao.audit import audit_form, audit_forms
from jixiao.ingest import read_forms

from .conftest import SEED_TEXT

# project → {(rule, indicator row or None, severity)} under the shanghai policy.
# Format findings of one kind on one form are one finding listing the rows (F08 on rows 8
# and 9 is one finding); F06 (a formatting habit that does not change a score) is a 提示.
EXPECTED = {
    "其他人员经费": {
        ("F07", 3, "warning"),
        ("F08", (8, 9), "info"),
        ("P01", None, "warning"),
        ("P02", None, "warning"),
        ("P03", 2, "warning"),
        ("W02", None, "info"),
        ("X06", None, "info"),
    },
    "活动经费": {
        ("F03", 1, "error"),
        ("F06", 1, "info"),
        ("P01", None, "warning"),
        ("P02", None, "warning"),
        ("P05", None, "warning"),
        ("P07", None, "warning"),
        ("P10", None, "warning"),
        ("W02", None, "info"),
        ("W03", 1, "error"),
        ("W03", 2, "error"),
        ("X05", None, "warning"),
    },
    "后勤保障经费": {
        ("F07", 3, "warning"),
        ("F07", 6, "warning"),
        ("F07", 15, "warning"),
        ("F08", (10, 11), "info"),
        ("W02", None, "info"),
    },
    "信息化项目建设": {
        ("F07", 2, "warning"),
        ("F07", 11, "warning"),
        ("F08", (7, 8), "info"),
        ("F09", 2, "warning"),
        ("P07", None, "warning"),
        ("W02", None, "info"),
        ("X06", None, "info"),
    },
    "宣传经费": {
        ("F08", 4, "info"),
        ("P05", None, "warning"),
        ("P06", None, "warning"),
    },
    "政府聘用辅助人员经费": {
        ("F08", 5, "info"),
        ("P01", None, "warning"),
        ("P02", None, "warning"),
        ("P03", 2, "warning"),
        ("P05", None, "warning"),
        ("P10", None, "warning"),
        ("W02", None, "info"),
        ("X05", None, "warning"),
        ("X06", None, "info"),
    },
    "其他专项工作经费": {
        ("F07", 6, "warning"),
        ("F08", (10, 11), "info"),
        ("W02", None, "info"),
        ("X06", None, "info"),
    },
    "信息化项目运维": {
        ("F03", 1, "error"),
        ("F06", 1, "info"),
        ("F08", (8, 10), "info"),
        ("P01", None, "warning"),
        ("P02", None, "warning"),
        ("W02", None, "info"),
    },
    "城维工程类": {
        ("F03", 1, "error"),
        ("F06", 1, "info"),
        ("F08", (6, 7), "info"),
        ("P01", None, "warning"),
        ("P02", None, "warning"),
        ("P06", None, "warning"),
        ("W02", None, "info"),
        ("X05", None, "warning"),
        ("X06", None, "info"),
    },
}

# The arithmetic rules: none may fire on the seed, under either policy.
ARITHMETIC = {"S03", "W01", "W04", "W05", "W06", "X01", "X02", "Q01", "Q02", "Q03", "Q05"}

SEED_COUNTS = {
    "F03": 3,
    "F06": 3,
    "F07": 7,
    "F08": 8,  # one finding per form and severity (was 14, one per row)
    "F09": 1,
    "P01": 5,
    "P02": 5,
    "P03": 2,
    "P05": 3,
    "P06": 2,
    "P07": 2,
    "P10": 2,
    "W02": 8,
    "W03": 2,
    "X05": 3,
    "X06": 5,
}

INFLATION = {
    "其他人员经费": "14.75",
    "活动经费": "65.00",
    "后勤保障经费": "2.91",
    "信息化项目建设": "1.30",
    "宣传经费": "0.13",
    "政府聘用辅助人员经费": "59.04",
    "其他专项工作经费": "3.87",
    "信息化项目运维": "14.27",
    "城维工程类": "20.57",
}


def _keys(findings):
    """(rule, row, severity); a finding that groups rows (F08 on rows 8 and 9) has the
    tuple of its rows."""
    return {(f.rule, f.rows or f.position, f.severity) for f in findings}


@pytest.fixture(scope="module")
def seed_audits(oracle_forms, shanghai):
    return audit_forms(oracle_forms, shanghai)


def test_exact_findings_per_form(seed_audits):
    assert [a.form.project for a in seed_audits] == list(EXPECTED)
    for a in seed_audits:
        assert _keys(a.findings) == EXPECTED[a.form.project], a.form.project


def test_counts_per_rule(seed_audits):
    counts = Counter(f.rule for a in seed_audits for f in a.findings)
    assert dict(counts) == SEED_COUNTS


@pytest.mark.parametrize("policy_name", ["shanghai", "mof-2020"])
def test_no_arithmetic_findings(oracle_forms, policy_name, request):
    policy = request.getfixturevalue("shanghai" if policy_name == "shanghai" else "mof")
    for form in oracle_forms:
        findings = audit_form(form, policy)
        rules = {f.rule for f in findings}
        assert not rules & ARITHMETIC, (form.project, rules & ARITHMETIC)
        assert not any(
            f.severity == "error" and f.rule[0] in "WX" and f.rule != "W03" for f in findings
        )


def test_low_execution_forms(seed_audits):
    by = {a.form.project: a for a in seed_audits}
    x05 = {p: [f for f in a.findings if f.rule == "X05"] for p, a in by.items()}
    assert [f.declared for f in x05["活动经费"]] == [Decimal("35.00")]
    assert [f.declared for f in x05["政府聘用辅助人员经费"]] == [Decimal("40.96")]
    assert [f.declared for f in x05["城维工程类"]] == [Decimal("79.43")]
    assert "全表没有任何偏差原因说明" in x05["活动经费"][0].message
    assert sorted(p for p, fs in x05.items() if fs) == [
        "城维工程类",
        "政府聘用辅助人员经费",
        "活动经费",
    ]
    p10 = sorted(a.form.project for a in seed_audits if any(f.rule == "P10" for f in a.findings))
    assert p10 == ["政府聘用辅助人员经费", "活动经费"]


def test_zero_weights_of_activity_funds(seed_audits):
    a = next(a for a in seed_audits if a.form.project == "活动经费")
    w03 = [f for f in a.findings if f.rule == "W03"]
    assert [(f.position, f.indicator, f.declared, f.where) for f in w03] == [
        (1, "活动单价", Decimal("0.00"), "indicators[0].weight"),
        (2, "活动数量", Decimal("0.00"), "indicators[1].weight"),
    ]


def test_wrong_direction_and_odd_units(seed_audits):
    f07 = [
        (a.form.project, f.indicator, f.declared)
        for a in seed_audits
        for f in a.findings
        if f.rule == "F07"
    ]
    assert f07 == [
        ("其他人员经费", "聘用联勤队员数量", "≤76.00(个)"),
        ("后勤保障经费", "特保配备装备数量", "≤120.00(个)"),
        ("后勤保障经费", "城管通等硬件装备配备数量", "≤130.00(个)"),
        ("后勤保障经费", "装备使用人员满意度", "≤90.00(%)"),
        ("信息化项目建设", "总成本控制率", ">1.00(个)"),
        ("信息化项目建设", "系统用户满意度", "≤90.00(%)"),
        ("其他专项工作经费", "聘用特保人员数量", "≤120(个)"),
    ]
    f09 = [
        (a.form.project, f.indicator, f.declared)
        for a in seed_audits
        for f in a.findings
        if f.rule == "F09"
    ]
    assert f09 == [("信息化项目建设", "总成本控制率", "个")]


def test_level1_weights_by_the_article(seed_audits):
    """W02 (财预〔2021〕101号 三（六）): every seed form has 成本 as a 一级 indicator, so the
    principle is 20/40/20/10; only 宣传经费 follows it exactly."""
    w02 = {a.form.project: [f for f in a.findings if f.rule == "W02"] for a in seed_audits}
    assert [p for p, fs in w02.items() if not fs] == ["宣传经费"]
    assert w02["政府聘用辅助人员经费"][0].message == (
        "一级指标分值：产出指标 30.00（原则上 40），效益指标 30.00（原则上 20）"
        "（财预〔2021〕101号 三（六））"
    )
    assert w02["活动经费"][0].declared == "成本指标 0；效益指标 40.00"
    assert w02["活动经费"][0].expected == "成本指标 20；效益指标 20"


def test_inflation_view(seed_audits):
    assert {a.form.project: str(a.inflation) for a in seed_audits} == INFLATION
    ranked = sorted(seed_audits, key=lambda a: a.inflation, reverse=True)
    assert [a.form.project for a in ranked[:2]] == ["活动经费", "政府聘用辅助人员经费"]


def test_text_import_gives_the_same_findings(seed_audits, shanghai):
    imported = audit_forms(read_forms(SEED_TEXT), shanghai)
    assert [_keys(a.findings) for a in imported] == [_keys(a.findings) for a in seed_audits]
    first = imported[0].findings[0]
    assert first.source == f"{SEED_TEXT}:2-176" or first.source.endswith(":2-176")
