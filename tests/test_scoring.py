"""Scoring by the policy's rules: the seed oracle exactly, each indicator rule, properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.model import FundRow, Indicator, SelfEvaluation
from jixiao.policy import load_policy
from jixiao.scoring import execution_rate, execution_score, score_form, score_indicator

from .test_scoring_properties import assert_decimal_scorecard

D = Decimal

# (project, 执行率, execution 得分, 总分, 评分等级) as printed on the nine forms.
SEED_PRINTED = [
    ("其他人员经费", "85.25", "8.53", "98.53", "优"),
    ("活动经费", "35.00", "3.50", "93.50", "优"),
    ("后勤保障经费", "97.09", "9.71", "99.71", "优"),
    ("信息化项目建设", "98.70", "9.87", "99.87", "优"),
    ("宣传经费", "99.87", "9.99", "99.99", "优"),
    ("政府聘用辅助人员经费", "40.96", "4.10", "94.10", "优"),
    ("其他专项工作经费", "96.13", "9.61", "99.61", "优"),
    ("信息化项目运维", "85.73", "8.57", "98.57", "优"),
    ("城维工程类", "79.43", "7.94", "97.94", "优"),
]


def test_shanghai_reproduces_every_seed_form(oracle_forms, shanghai):
    assert [f.project for f in oracle_forms] == [row[0] for row in SEED_PRINTED]
    for form, (_, rate, exec_score, total, grade) in zip(oracle_forms, SEED_PRINTED, strict=True):
        card = score_form(form, shanghai)
        assert card.rate.computed == D(rate) and card.rate.matches
        assert card.execution_score.computed == D(exec_score) and card.execution_score.matches
        assert card.total.computed == D(total) and card.total.matches
        assert card.grade.computed == grade and card.grade.matches
        assert card.declared_sum == form.total_score
        assert card.indicator_weight == D(90)
        assert card.matches, form.project
        assert card.unscored == []


def test_mof_rounds_the_rate_half_up(oracle_forms, mof):
    # 815.59 / 956.64 = 85.2557… → 85.26 under half-up; the Shanghai form truncates to 85.25.
    card = score_form(oracle_forms[0], mof)
    assert card.rate.computed == D("85.26")
    assert not card.rate.matches
    assert card.execution_score.computed == D("8.53")


def test_both_rounding_hypotheses_give_the_printed_seed_scores(oracle_forms, shanghai):
    displayed = shanghai.model_copy(
        update={"execution": shanghai.execution.model_copy(update={"score_from": "displayed"})}
    )
    for form in oracle_forms:
        assert score_form(form, displayed).execution_score.matches


@pytest.mark.parametrize(
    ("executed", "budget", "rate", "score"),
    [
        ("815.59", "956.64", "85.25", "8.53"),
        ("195.59", "198.15", "98.70", "9.87"),
        ("1.79", "4.37", "40.96", "4.10"),
        ("120", "100", "120.00", "10.00"),  # capped at 分值
        ("0", "100", "0.00", "0.00"),
    ],
)
def test_execution(executed, budget, rate, score, shanghai):
    assert execution_rate(D(executed), D(budget), shanghai) == D(rate)
    assert execution_score(D(executed), D(budget), shanghai) == D(score)


def test_execution_without_budget_is_not_computed(shanghai):
    assert execution_rate(D(5), D(0), shanghai) is None
    assert execution_score(None, D(10), shanghai) is None
    form = SelfEvaluation(funds={"total": FundRow(adjusted=D(0), executed=D(1))})
    assert "无法计算" in score_form(form, shanghai).unscored[0]


def row(target: str, actual: str, weight: str = "10", score: str | None = None) -> Indicator:
    return Indicator(
        name="指标",
        target=target,
        actual=actual,
        weight=D(weight),
        score=D(score) if score else None,
    )


@pytest.mark.parametrize(
    ("target", "actual", "weight", "recommended", "method", "met"),
    [
        ("≥12.00(个)", "12.00(个)", "5", "5", "positive", True),
        ("≥4754人", "4604人", "5", "4.84", "positive", False),  # 5 × 4604/4754 = 4.842…
        ("≥100%", "95%", "6", "5.70", "positive", False),
        ("≥80.00(%)", "85.00(%)", "5", "5", "positive", True),
        ("≤90.00(%)", "90.00(%)", "10", "10", "reverse", True),
        ("<=5300元/户", "5830元/户", "10", "9.09", "reverse", False),  # 10 × 5300/5830
        ("≤0(次)", "2(次)", "5", "0.00", "reverse", False),
        ("=100.00(%)", "98.00(%)", "10", "9.80", "equal", False),
        ("=6.00(个)", "6(个)", "5", "5", "equal", True),
        (
            "=1(个)",
            "2(个)",
            "5",
            "5",
            "equal",
            True,
        ),  # exceeded: scored like 正向 (flagged by audit)
        (">1.00(个)", "1.10(个)", "10", "10", "positive", True),
        ("100%", "83.5%", "20", "16.70", "positive", False),  # no operator: 正向
        ("≥50(个)", "-3(个)", "10", "0.00", "positive", False),  # negative actual counts as 0
        ("健全", "达成指标", "5", "5", "qualitative", True),
        ("不高于5000/场", "达成指标", "5", "5", "qualitative", True),
        ("2024年11月前", "达成指标", "10", "10", "deadline", True),
        ("2024年11月前", "2024年10月", "10", "10", "deadline", True),
        ("2024年11月前", "2024年12月", "10", "7.00", "deadline", False),  # late → 部分达成 band
        ("24小时内", "36小时内", "10", "7.00", "deadline", False),
    ],
)
def test_indicator_rules(target, actual, weight, recommended, method, met, shanghai):
    r = score_indicator(row(target, actual, weight), 1, shanghai)
    assert r.method == method
    assert r.recommended == D(recommended)
    assert r.met is met
    assert r.reason


def test_reverse_linear_variant(shanghai):
    linear = shanghai.model_copy(
        update={"indicators": shanghai.indicators.model_copy(update={"reverse_formula": "linear"})}
    )
    # 10 × (1 − (5830 − 5300)/5300) = 9.00
    assert score_indicator(row("<=5300元/户", "5830元/户"), 1, linear).recommended == D("9.00")
    assert score_indicator(row("≤100(元)", "250(元)"), 1, linear).recommended == D("0.00")


@pytest.mark.parametrize(
    ("actual", "declared", "low", "high", "recommended", "matches"),
    [
        ("达成年度指标", "10", "8.00", "10", "10", True),
        ("达成年度指标", "8", "8.00", "10", "8", True),
        ("达成年度指标", "7.99", "8.00", "10", "10", False),
        ("部分达成年度指标并具有一定效果", "7", "6.00", "7.99", "7", True),
        ("部分达成年度指标并具有一定效果", "10", "6.00", "7.99", "7.00", False),
        ("未达成年度指标且效果较差", "6", "0", "5.99", "3.00", False),
        ("未达成年度指标且效果较差", "2", "0", "5.99", "2", True),
    ],
)
def test_qualitative_bands(actual, declared, low, high, recommended, matches, shanghai):
    r = score_indicator(row("有效提升", actual, "10", declared), 1, shanghai)
    assert (r.low, r.high) == (D(low), D(high))
    assert r.recommended == D(recommended)
    assert r.matches is matches


def test_qualitative_bands_80_50_variant(shanghai):
    hubei = shanghai.model_copy(
        update={
            "indicators": shanghai.indicators.model_copy(update={"qualitative_partial": D("0.5")})
        }
    )
    r = score_indicator(row("有效", "部分达成", "10", "5"), 1, hubei)
    assert (r.low, r.high, r.matches) == (D("5.00"), D("7.99"), True)


def test_free_sentence_actual_is_not_scored(shanghai):
    r = score_indicator(row("健全", "机制运转良好"), 3, shanghai)
    assert r.recommended is None
    assert "三档" in r.reason
    form = SelfEvaluation(indicators=[row("健全", "机制运转良好")])
    assert score_form(form, shanghai).total.computed is None


def test_missing_weight(shanghai):
    r = score_indicator(Indicator(name="x", target="≥1(个)", actual="1(个)"), 1, shanghai)
    assert r.method == "none" and r.recommended is None


def test_inflated_form_does_not_match(oracle_forms, shanghai):
    form = oracle_forms[0].model_copy(deep=True)
    form.indicators[2].actual = "60.00(个)"  # target ≤76 — still met (reverse)
    form.indicators[4].actual = "6.00(个)"  # target ≥12, declared 5.00 full marks
    card = score_form(form, shanghai)
    r = card.indicators[4]
    assert r.recommended == D("2.50") and not r.matches
    assert card.total.computed == D("96.03")
    assert not card.total.matches and card.grade.matches
    assert form.indicators[4].score == D("5.00")  # the declared value is never overwritten


# --- properties ---------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=0, max_value=30, places=2, allow_nan=False, allow_infinity=False)
ops = st.sampled_from(["≥", "≤", "=", ">", "<", "", "不低于", "不高于"])
policies = st.sampled_from(["shanghai", "mof-2020"]).map(load_policy)


@given(ops, amounts, amounts, weights, policies)
def test_quantitative_score_within_zero_and_weight(op, a, b, w, policy):
    r = score_indicator(row(f"{op}{a}(个)", f"{b}(个)", str(w)), 1, policy)
    assert r.recommended is not None
    assert type(r.recommended) is Decimal
    assert D(0) <= r.recommended <= w
    assert r.recommended.as_tuple().exponent >= -2 or r.recommended == w


@given(
    st.sampled_from(["达成指标", "部分达成", "未达成", "已完成", "基本完成"]),
    weights,
    policies,
)
def test_qualitative_score_within_zero_and_weight(actual, w, policy):
    r = score_indicator(row("健全", actual, str(w)), 1, policy)
    assert r.recommended is not None and r.low is not None and r.high is not None
    assert D(0) <= r.low <= r.recommended <= r.high <= w


@given(amounts, amounts.filter(lambda d: d > 0), policies)
def test_execution_score_within_zero_and_weight(executed, budget, policy):
    score = execution_score(executed, budget, policy)
    rate = execution_rate(executed, budget, policy)
    assert type(score) is Decimal and type(rate) is Decimal
    assert D(0) <= score <= policy.execution.weight
    assert score.as_tuple().exponent == -2 and rate.as_tuple().exponent == -2


@given(st.integers(min_value=0, max_value=9999))
def test_execution_score_rounds_half_up(cents):
    # A displayed rate of cents/100 % × 10 / 100 = cents/1000: half a cent always rounds up,
    # checked against integer arithmetic (8.525 → 8.53, never banker's 8.52).
    sh = load_policy("shanghai")
    displayed = sh.model_copy(
        update={"execution": sh.execution.model_copy(update={"score_from": "displayed"})}
    )
    score = execution_score(D(cents) / 100, D(100), displayed)
    assert score == D((cents + 5) // 10) / 100


def test_8525_rounds_to_853(shanghai):
    assert execution_score(D("85.25"), D(100), shanghai) == D("8.53")


def test_no_float_in_the_scorecard(oracle_forms, shanghai):
    # The scorecard itself: to_dict() writes every number as a string and cannot show one.
    for form in oracle_forms:
        assert_decimal_scorecard(score_form(form, shanghai))


def test_huge_execution_ratio_is_computed(shanghai):
    # Numbers run together by text extraction can be absurdly large; never an exception.
    assert execution_rate(D(10) ** 30, D("0.01"), shanghai) == D(10) ** 34
