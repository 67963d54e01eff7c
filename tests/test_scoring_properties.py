"""Properties of the scoring rules over arbitrary targets, actuals, weights and policies.

Complements the example tests in test_scoring.py: every value is built from Decimal strings,
every computed value must be a Decimal inside [0, 分值], and the formulas are checked
against an independent re-statement (integer arithmetic where rounding matters).
"""

from __future__ import annotations

import dataclasses
import os
import re
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jixiao.generate import generate_forms
from jixiao.model import FundRow, Funds, Indicator, SelfEvaluation
from jixiao.policy import Policy, load_policy, quantize
from jixiao.scoring import (
    Compared,
    IndicatorScore,
    Scorecard,
    execution_rate,
    execution_score,
    score_form,
    score_indicator,
)

D = Decimal
BUILTIN = {name: load_policy(name) for name in ("shanghai", "mof-2020")}
settings.register_profile("jixiao", deadline=None, max_examples=150)
settings.register_profile("jixiao-long", deadline=None, max_examples=3000)
settings.load_profile(os.environ.get("JIXIAO_HYPOTHESIS", "jixiao"))


def two_places(lo: int, hi: int) -> st.SearchStrategy[Decimal]:
    """Decimals with at most two places, built from integer cents (never from float)."""
    return st.integers(lo * 100, hi * 100).map(lambda c: D(c).scaleb(-2))


amounts = two_places(0, 10**6)
positive = two_places(0, 10**6).filter(lambda d: d > 0)
weights = two_places(0, 40)


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """A built-in profile, or one with other rounding, formulas and bands."""
    base = BUILTIN[draw(st.sampled_from(sorted(BUILTIN)))]
    if draw(st.booleans()):
        return base
    met = draw(st.sampled_from([D("0.8"), D("0.9"), D("1")]))
    partial = draw(st.sampled_from([D("0"), D("0.5"), D("0.6")]))
    indicators = base.indicators.model_copy(
        update={
            "score_rounding": draw(st.sampled_from(["half_up", "down", "half_even"])),
            "score_places": draw(st.integers(0, 4)),
            "reverse_formula": draw(st.sampled_from(["ratio", "linear"])),
            "equal_over": draw(st.sampled_from(["full", "proportional"])),
            "qualitative_met": met,
            "qualitative_partial": min(partial, met),
        }
    )
    execution = base.execution.model_copy(
        update={
            "weight": draw(st.sampled_from([D(10), D(20), D("12.5")])),
            "rate_rounding": draw(st.sampled_from(["half_up", "down", "half_even"])),
            "score_from": draw(st.sampled_from(["rate", "displayed"])),
            "score_rounding": draw(st.sampled_from(["half_up", "down", "half_even"])),
        }
    )
    return base.model_copy(update={"indicators": indicators, "execution": execution})


@st.composite
def policy_and_weight(draw: st.DrawFn) -> tuple[Policy, Decimal]:
    """A policy and a 分值 it can represent (no finer than its score places)."""
    policy = draw(policies())
    places = min(2, policy.indicators.score_places)
    return policy, quantize(draw(weights), places, "down")


# How forms write an operator: (spelling, direction, written before or after the number).
SPELLINGS = [
    ("≥", "positive", "pre"),
    ("≧", "positive", "pre"),
    (">=", "positive", "pre"),
    ("不低于", "positive", "pre"),
    ("不少于", "positive", "pre"),
    ("以上", "positive", "post"),
    ("≤", "reverse", "pre"),
    ("≦", "reverse", "pre"),
    ("<=", "reverse", "pre"),
    ("不高于", "reverse", "pre"),
    ("不超过", "reverse", "pre"),
    ("以内", "reverse", "post"),
    ("=", "equal", "pre"),
    ("＝", "equal", "pre"),
    ("", "positive", "pre"),  # no operator: scored as 正向
]
UNITS = ["(个)", "(%)", "%", "人", "万元", "(元/人)", "次", ""]


def written(number: Decimal, unit: str, spelling: tuple[str, str, str], thousands: bool) -> str:
    text = f"{number:,}" if thousands else str(number)
    word, _, where = spelling
    return f"{word}{text}{unit}" if where == "pre" else f"{text}{unit}{word}"


def row(target: str, actual: str, weight: Decimal, declared: Decimal | None = None) -> Indicator:
    return Indicator(target=target, actual=actual, weight=weight, score=declared)


def expected_quantity_score(
    direction: str, a: Decimal, b: Decimal, w: Decimal, policy: Policy
) -> Decimal:
    """The scoring rules (docs/official-texts.md), stated again independently of scoring.py."""
    rules = policy.indicators

    def prop(factor: Decimal) -> Decimal:
        return quantize(w * min(D(1), max(D(0), factor)), rules.score_places, rules.score_rounding)

    if direction == "positive":
        return w if b >= a else prop(b / a)
    if direction == "reverse":
        if b <= a:
            return w
        if a == 0:
            return D(0)
        return prop(a / b if rules.reverse_formula == "ratio" else 1 - (b - a) / a)
    if b == a:
        return w
    if a == 0:
        return D(0)
    if b > a:
        return w if rules.equal_over == "full" else prop(a / b)
    return prop(b / a)


def assert_bounded(r: IndicatorScore, w: Decimal, policy: Policy) -> None:
    assert r.recommended is not None and r.low is not None and r.high is not None
    for value in (r.recommended, r.low, r.high):
        assert type(value) is Decimal
    assert D(0) <= r.low <= r.recommended <= r.high <= w
    places = policy.indicators.score_places
    # no digits beyond the policy's places (a plain 0 for "target 0" rows is Decimal("0"))
    assert r.recommended == w or r.recommended.as_tuple().exponent >= -places


# --- indicators ------------------------------------------------------------------------------


@given(
    amounts,
    amounts,
    policy_and_weight(),
    st.sampled_from(SPELLINGS),
    st.sampled_from(UNITS),
    st.booleans(),
)
def test_quantity_score_follows_the_rules_in_any_notation(a, b, pw, spelling, unit, sep):
    policy, w = pw
    target = written(a, unit, spelling, sep)
    actual = written(b, unit, ("", "positive", "pre"), sep)
    r = score_indicator(row(target, actual, w), 1, policy)
    assert r.method == spelling[1], (target, r.reason)
    assert_bounded(r, w, policy)
    assert r.recommended == expected_quantity_score(spelling[1], a, b, w, policy)
    if r.met:
        assert r.recommended == w


@given(positive, amounts, amounts, policy_and_weight())
def test_positive_score_rises_and_reverse_score_falls_with_the_actual(a, b1, b2, pw):
    policy, w = pw
    low, high = sorted((b1, b2))

    def score(op: str, b: Decimal) -> Decimal:
        r = score_indicator(row(f"{op}{a}(个)", f"{b}(个)", w), 1, policy)
        assert r.recommended is not None
        return r.recommended

    assert score("≥", low) <= score("≥", high)
    assert score("≤", low) >= score("≤", high)


@given(
    st.sampled_from(["健全", "有效提升", "按合同约定", "2024年11月前", "24小时内", "及时", "≥90%"]),
    st.sampled_from(
        ["达成指标", "达成年度指标", "已完成", "部分达成", "基本完成", "未达成", "未完成"]
    ),
    policy_and_weight(),
    st.one_of(st.none(), weights),
)
def test_banded_score_stays_in_its_band(target, actual, pw, declared):
    policy, w = pw
    r = score_indicator(row(target, actual, w, declared), 1, policy)
    assert r.level is not None, r.reason
    assert r.recommended is not None and r.low is not None and r.high is not None
    assert D(0) <= r.low <= r.recommended <= r.high <= w
    if declared is not None and r.low <= declared <= r.high:
        assert r.recommended == declared and r.matches
    if r.level == "met":
        assert r.high == w


# What a text field may hold: no control characters or lone surrogates (the model refuses them).
FIELD_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30)


@given(FIELD_TEXT, FIELD_TEXT, policy_and_weight())
def test_any_text_scores_within_bounds_or_not_at_all(target, actual, pw):
    policy, w = pw
    assume(not re.search(r"\d{20}", target + actual))  # see test_huge_ratio_* below
    r = score_indicator(row(target, actual, w), 1, policy)
    if r.recommended is None:
        assert r.reason
    else:
        assert type(r.recommended) is Decimal
        assert D(0) <= r.recommended <= w


def test_huge_ratio_is_scored_not_raised():
    # B/A ≥ 10^24 quantized to 4 places needs more than the default 28 digits of precision.
    r = score_indicator(row("≥0.01(个)", "1" + "0" * 26 + "(个)", D(5)), 1, BUILTIN["shanghai"])
    assert r.recommended == D(5)


def coarse(places: int) -> Policy:
    sh = BUILTIN["shanghai"]
    return sh.model_copy(
        update={"indicators": sh.indicators.model_copy(update={"score_places": places})}
    )


def test_shortfall_never_scores_above_the_weight_when_rounding_to_whole_points():
    # 0.9 × 90/100 = 0.81 → 1 with score_places = 0 would be more than the row's 分值 0.9.
    r = score_indicator(row("≥100(个)", "90(个)", D("0.9")), 1, coarse(0))
    assert r.recommended is not None and r.recommended <= D("0.9")


def test_met_band_contains_full_marks_when_rounding_to_whole_points():
    # q(0.9 × 0.8) = q(0.72) = 1 > 0.9 would make the 达成 band [1, 0.9] empty.
    r = score_indicator(row("健全", "达成指标", D("0.9"), D("0.9")), 1, coarse(0))
    assert r.low is not None and r.low <= D("0.9") and r.matches


# --- execution --------------------------------------------------------------------------------


@given(amounts, amounts, positive, policies())
def test_execution_score_is_bounded_and_monotone(e1, e2, budget, policy):
    low, high = sorted((e1, e2))
    s_low, s_high = (execution_score(e, budget, policy) for e in (low, high))
    rate = execution_rate(high, budget, policy)
    assert type(s_low) is Decimal and type(s_high) is Decimal and type(rate) is Decimal
    assert D(0) <= s_low <= s_high <= policy.execution.weight
    assert s_high.as_tuple().exponent == -policy.execution.score_places
    assert rate.as_tuple().exponent == -policy.execution.rate_places
    if high >= budget:
        assert s_high == quantize(policy.execution.weight, 2, "half_up")


@given(st.integers(0, 10_000), st.integers(1, 30), st.sampled_from(["rate", "displayed"]))
def test_execution_score_rounds_half_up_for_any_weight(n, weight, score_from):
    # executed/budget = n/10000 exactly, so 执行率 = n/100 % with nothing to truncate, and
    # 得分 = n·w/100 cents: half a cent (8.525 at n = 8525, w = 10) must round up.
    sh = BUILTIN["shanghai"]
    policy = sh.model_copy(
        update={
            "execution": sh.execution.model_copy(
                update={"weight": D(weight), "score_from": score_from}
            )
        }
    )
    assert execution_rate(D(n), D(10_000), policy) == D(n) / 100
    cents = (n * weight + 50) // 100
    assert execution_score(D(n), D(10_000), policy) == D(cents).scaleb(-2)


def test_seed_half_way_value():
    sh = BUILTIN["shanghai"]
    assert execution_rate(D("815.59"), D("956.64"), sh) == D("85.25")  # truncated, not 85.26
    assert execution_score(D("815.59"), D("956.64"), sh) == D("8.53")
    assert execution_score(D("85.25"), D("100"), sh) == D("8.53")  # 8.525 → 8.53, not 8.52


# --- whole forms: no float anywhere ---------------------------------------------------------------


def assert_no_float(value: object) -> None:
    """Every number in a scorecard is a Decimal (or an int position), never a float."""
    assert not isinstance(value, float), value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in ("target", "actual"):  # parsed values: checked by test_values
                assert_no_float(getattr(value, f.name))
    elif isinstance(value, list | tuple):
        for v in value:
            assert_no_float(v)


def assert_decimal_scorecard(card: Scorecard) -> None:
    assert_no_float(card)
    for compared in (card.rate, card.execution_score, card.total, card.indicator_score):
        assert isinstance(compared, Compared)
        assert compared.computed is None or type(compared.computed) is Decimal
    for r in card.indicators:
        for value in (r.weight, r.recommended, r.low, r.high, r.ratio):
            assert value is None or type(value) is Decimal
    assert type(card.indicator_weight) is Decimal


@st.composite
def forms_and_policy(draw: st.DrawFn) -> tuple[SelfEvaluation, Policy]:
    policy = draw(policies())
    places = min(2, policy.indicators.score_places)
    budget = draw(positive)
    executed = draw(amounts)
    n = draw(st.integers(1, 8))
    pairs = st.sampled_from(
        [
            ("≥12.00(个)", "11.00(个)"),
            ("≤600.00(元/人)", "700(元/人)"),
            ("=100.00(%)", "96.5(%)"),
            ("健全", "达成指标"),
            ("2024年11月前", "部分达成"),
        ]
    )
    rows = [row(*draw(pairs), quantize(draw(weights), places, "down")) for _ in range(n)]
    total = FundRow(adjusted=budget, executed=executed, weight=D("10.00"))
    return SelfEvaluation(funds=Funds(total=total), indicators=rows), policy


@given(forms_and_policy())
def test_form_total_is_execution_plus_indicators(form_and_policy):
    form, policy = form_and_policy
    card = score_form(form, policy)
    assert_decimal_scorecard(card)
    recommended = [r.recommended for r in card.indicators]
    assert None not in recommended
    exec_score = card.execution_score.computed
    assert type(exec_score) is Decimal
    assert card.total.computed == exec_score + sum(recommended, D(0))
    assert card.grade.computed == policy.grade_for(card.total.computed)
    assert card.execution_weight == D(10)  # the declared 分值, which the layout allows
    assert D(0) <= card.total.computed <= card.execution_weight + card.indicator_weight


def test_generated_forms_have_only_decimals_in_their_scorecards():
    for policy in BUILTIN.values():
        for form in generate_forms(60, seed=31, policy=policy):
            card = score_form(form, policy)
            assert_decimal_scorecard(card)
            assert card.total.computed is not None
            assert card.execution_score.computed == form.funds.total.score
