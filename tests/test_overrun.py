"""Over-achievement (Q07, P08) as 财预〔2020〕10号 第十六条 says: the reason asked for, the
偏离度 cut suggested beside the declared score, a policy that makes the reason mandatory."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit import audit_form
from jixiao.audit.examples import both, build, row
from jixiao.policy import PolicyError, load_policy

D = Decimal
OVER = row(5, actual="30.00(%)")  # 等候时间缩短率 ≥20.00(%) done 30.00 %, 分值 20, 得分 20
EXPLAINED = row(5, deviation="新增自助终端，分流效果超过预期，明年提高目标。")


def _policy(tmp_path, text: str):
    path = tmp_path / "province.toml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


def _q07(patch, policy):
    return [f for f in audit_form(build(patch), policy) if f.rule == "Q07"]


def test_unexplained_gets_the_cut_beside_the_declared_score():
    (f,) = _q07(OVER, load_policy("mof-2020"))
    assert (f.severity, f.where, f.declared, f.expected) == (
        "warning",
        "indicators[4].score",
        D("20.00"),
        D("13.33"),  # 20 × 20 / 30
    )
    assert "财预〔2020〕10号 第十六条" in f.message
    assert "建议得分 13.33（填报 20.00）" in f.message


def test_explained_is_still_flagged_without_a_cut():
    (f,) = _q07(both(OVER, EXPLAINED), load_policy("mof-2020"))
    assert f.where == "indicators[4].actual"
    assert "已有说明" in f.message


@pytest.mark.parametrize(("cut", "expected"), [("linear", D("10.00")), ("ratio", D("13.33"))])
def test_cut_rule_is_a_policy_parameter(tmp_path, cut, expected):
    policy = _policy(tmp_path, f'base = "mof-2020"\n[audit]\noverrun_cut = "{cut}"\n')
    (f,) = _q07(OVER, policy)
    assert f.expected == expected  # linear: 20 × (1 − 0.5)


def test_no_cut(tmp_path):
    policy = _policy(tmp_path, 'base = "mof-2020"\n[audit]\noverrun_cut = "none"\n')
    (f,) = _q07(OVER, policy)
    assert f.where == "indicators[4].deviation"
    assert "建议得分" not in f.message


def test_mandatory_explanation_is_an_error_from_the_threshold(tmp_path):
    policy = _policy(tmp_path, 'base = "mof-2020"\n[audit]\noverrun_explain_error = 1.3\n')
    (f,) = _q07(OVER, policy)  # 1.5 × the target
    assert f.severity == "error"
    assert "本口径规定超过 1.3 倍必须说明原因" in f.message
    (f,) = _q07(row(5, actual="25.00(%)"), policy)  # 1.25 ×: over 1.2 but under 1.3
    assert f.severity == "warning"
    (f,) = _q07(both(OVER, EXPLAINED), policy)  # explained: a warning again
    assert f.severity == "warning"


@pytest.mark.parametrize(
    ("value", "message"),
    [("1.1", "overrun_explain_error 不能小于 overrun_ratio"), ("1", "overrun_explain_error")],
)
def test_mandatory_threshold_is_validated(tmp_path, value, message):
    with pytest.raises(PolicyError, match=message):
        _policy(tmp_path, f'base = "mof-2020"\n[audit]\noverrun_explain_error = {value}\n')


def test_p08_cites_the_article():
    (f,) = [f for f in audit_form(build(OVER), load_policy("mof-2020")) if f.rule == "P08"]
    assert f.message == (
        "完成值 30.00(%) 高于指标值 ≥20.00(%) 50.00%（超过 20.00%），未说明原因"
        "（财预〔2020〕10号 第十六条：要分析原因）"
    )
