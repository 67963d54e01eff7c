"""The form generator: reproducible, valid, consistent under its policy, and varied."""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from decimal import Decimal

import pytest

from jixiao.generate import generate_cases, generate_form, generate_forms
from jixiao.model import (
    FUND_COLUMNS,
    FUND_ROWS,
    SelfEvaluation,
    dump_forms,
    form_from_dict,
    forms_from_json_text,
)
from jixiao.policy import load_policy
from jixiao.scoring import execution_rate, execution_score, score_form
from jixiao.values import Deadline, Quantity, parse_value

SHANGHAI = load_policy("shanghai")
LEVEL2 = {
    "成本指标": {"经济成本指标", "社会成本指标", "生态环境成本指标"},
    "产出指标": {"数量指标", "质量指标", "时效指标"},
    "效益指标": {"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"},
    "满意度指标": {"服务对象满意度指标"},
}
CAUSE = re.compile("因|由于|受")
MEASURE = re.compile("将|下一步|今后")


@pytest.fixture(scope="module")
def cases():
    return generate_cases(400, seed=2024)


@pytest.fixture(scope="module")
def forms(cases) -> list[SelfEvaluation]:
    return [c.form for c in cases]


# --- reproducibility ------------------------------------------------------------------------


def test_same_seed_gives_identical_forms():
    assert dump_forms(generate_forms(40, seed=7)) == dump_forms(generate_forms(40, seed=7))


def test_different_seeds_give_different_forms():
    a, b = generate_forms(20, seed=1), generate_forms(20, seed=2)
    assert sum(x.project == y.project and x.unit == y.unit for x, y in zip(a, b, strict=True)) < 10
    assert dump_forms(a) != dump_forms(b)


def test_forms_do_not_depend_on_count():
    assert generate_forms(10, seed=3)[:5] == generate_forms(5, seed=3)
    assert dump_forms(generate_forms(12, seed=3)[7:]) == dump_forms(generate_forms(12, seed=3)[7:])


def test_generate_form_depends_only_on_rng_and_index():
    one = generate_form(random.Random(99), index=4)
    assert one == generate_form(random.Random(99), index=4)
    assert one.index == 4
    assert [f.index for f in generate_forms(3, seed=0)] == [1, 2, 3]


# --- validity --------------------------------------------------------------------------------


def test_every_form_validates_and_round_trips(forms):
    for form in forms:
        assert form_from_dict(form.to_json_dict()) == form
    text = dump_forms(forms)
    back = forms_from_json_text(text, "generated.json")
    assert len(back) == len(forms)
    for original, loaded in zip(forms, back, strict=True):
        assert loaded.source is not None and loaded.source.file == "generated.json"
        loaded.source = None  # the reader notes the file; nothing else may change
        assert loaded == original
    assert dump_forms(back) == text


def test_numbers_are_decimals_with_two_places(forms):
    for form in forms:
        amounts = [getattr(getattr(form.funds, r), c) for r in FUND_ROWS for c in FUND_COLUMNS]
        amounts += [x for i in form.indicators for x in (i.weight, i.score)]
        amounts += [form.total_weight, form.total_score]
        for value in amounts:
            if value is not None:
                assert type(value) is Decimal
                assert value.as_tuple().exponent == -2, value
        total = form.funds.total
        assert None not in (total.initial, total.adjusted, total.executed, total.rate)


def test_weights_are_90_plus_10(forms):
    for form in forms:
        assert sum(i.weight for i in form.indicators) == Decimal("90.00")
        assert form.funds.total.weight == Decimal("10.00")
        assert form.total_weight == Decimal("100.00")
        assert all(i.weight > 0 and 0 <= i.score <= i.weight for i in form.indicators)


def test_indicator_table_is_well_formed(forms):
    for form in forms:
        rows = form.indicators
        assert 5 <= len(rows) <= 25
        assert len({r.name for r in rows}) == len(rows), form.label
        assert {r.level1 for r in rows} == set(LEVEL2)
        levels = [list(LEVEL2).index(r.level1) for r in rows]
        assert levels == sorted(levels)  # 成本, 产出, 效益, 满意度 in table order
        for r in rows:
            assert r.level2 in LEVEL2[r.level1]
            assert r.name and r.target and r.actual
            assert len(r.name) <= 100
        assert form.project and form.department and form.unit
        assert 40 <= len(form.goals.expected) <= 250
        assert 40 <= len(form.goals.achieved) <= 250


def test_fund_rows_add_up(forms):
    for form in forms:
        f = form.funds
        for col in ("initial", "adjusted", "executed"):
            parts = [getattr(getattr(f, r), col) for r in ("fiscal", "carryover", "other")]
            assert getattr(f.total, col) == sum(parts)
        for row in (f.total, f.fiscal, f.carryover, f.other):
            assert 0 <= row.executed <= row.adjusted
            expected_rate = execution_rate(row.executed, row.adjusted, SHANGHAI)
            assert row.rate == (expected_rate if expected_rate is not None else 0)
        assert f.total.score == execution_score(f.total.executed, f.total.adjusted, SHANGHAI)


# --- consistency with the scoring rules --------------------------------------------------------


def test_honest_forms_match_their_scorecard(cases):
    honest = [c.form for c in cases if not c.inflated]
    assert len(honest) > 250
    for form in honest:
        card = score_form(form, SHANGHAI)
        assert card.matches, (form.label, card.to_dict())
        assert card.total.computed == form.total_score
        assert form.grade == SHANGHAI.grade_for(form.total_score)
        assert card.unscored == []
        for row, scored in zip(form.indicators, card.indicators, strict=True):
            assert scored.recommended == row.score
            assert bool(row.deviation) == (row.score < row.weight)


def test_inflated_forms_claim_full_marks_and_fail(cases):
    inflated = [c.form for c in cases if c.inflated]
    assert 0.07 * len(cases) < len(inflated) < 0.25 * len(cases)
    for form in inflated:
        card = score_form(form, SHANGHAI)
        assert not card.matches
        assert all(row.score == row.weight and not row.deviation for row in form.indicators)
        short = [s for s in card.indicators if s.recommended < s.weight]
        assert short, form.label
        assert card.total.computed is not None and card.total.computed < form.total_score
        # the unit's own arithmetic is right: only the row scores are inflated
        assert card.declared_sum == form.total_score


def test_inflation_share_is_a_parameter():
    none = generate_cases(60, seed=5, inflate=0.0)
    assert not any(c.inflated for c in none)
    assert all(score_form(c.form, SHANGHAI).matches for c in none)
    every = generate_cases(60, seed=5, inflate=1.0)
    assert all(c.inflated for c in every)
    assert not any(score_form(c.form, SHANGHAI).matches for c in every)


def test_policy_is_a_parameter():
    mof = load_policy("mof-2020")
    cases = generate_cases(80, seed=11, policy=mof, inflate=0.0)
    assert all(score_form(c.form, mof).matches for c in cases)
    # 执行率 is rounded half-up under mof-2020 and truncated under shanghai
    rates = [
        (
            c.form.funds.total.rate,
            execution_rate(c.form.funds.total.executed, c.form.funds.total.adjusted, SHANGHAI),
        )
        for c in cases
    ]
    assert any(a != b for a, b in rates)


# --- variety --------------------------------------------------------------------------------------


def test_amount_units_and_magnitudes(forms):
    by_unit = Counter(f.amount_unit for f in forms)
    assert set(by_unit) == {"万元", "元"}
    assert by_unit["元"] > 40 and by_unit["万元"] > 150
    median = {
        u: statistics.median(f.funds.total.adjusted for f in forms if f.amount_unit == u)
        for u in by_unit
    }
    assert median["元"] > 50 * median["万元"]


def test_varied_units_projects_and_sectors(forms):
    assert len({f.unit for f in forms}) > 100
    assert len({f.project for f in forms}) > 40
    assert len({f.department for f in forms}) > 40
    units = "".join(f.unit for f in forms)
    for word in ("城市运行管理中心", "中学", "社区卫生服务中心", "农业", "文化", "大数据中心"):
        assert word in units
    assert len({i.name for f in forms for i in f.indicators}) > 500


def test_unmet_rows_carry_a_cause_and_a_measure(cases):
    deducted = [
        row for c in cases if not c.inflated for row in c.form.indicators if row.score < row.weight
    ]
    assert len(deducted) > 100
    for row in deducted:
        assert CAUSE.search(row.deviation) and MEASURE.search(row.deviation), row.deviation
        assert len(row.deviation) > 10
    kinds = Counter(type(parse_value(r.target)).__name__ for r in deducted)
    assert set(kinds) == {"Quantity", "Deadline", "Qualitative"}


def test_budget_execution_and_adjustments_vary(forms):
    rates = [f.funds.total.rate for f in forms]
    assert sum(r < 75 for r in rates) > 20  # far below budget
    assert sum(r == 100 for r in rates) > 20
    assert any(f.funds.total.initial != f.funds.total.adjusted for f in forms)
    assert any(f.funds.total.initial == f.funds.total.adjusted for f in forms)
    assert sum(f.funds.carryover.adjusted > 0 for f in forms) > 20
    assert sum(f.funds.other.adjusted > 0 for f in forms) > 20
    grades = Counter(f.grade for f in forms)
    assert grades["优"] > 0.7 * len(forms) and grades["良"] > 0


def test_target_notations(forms):
    targets = [i.target for f in forms for i in f.indicators]
    actuals = [i.actual for f in forms for i in f.indicators]
    for pattern in (
        r"^≥\d+\.\d\d\(%\)$",  # ≥95.00(%)
        r"^≤\d+\.\d\d\(元/人\)$",  # ≤600.00(元/人)
        r"^=100\.00\(%\)$",
        r"^不低于\d+(\.\d)?%$",
        r"^≥\d+%$",
        r"^不高于[\d.]+(万元|元)$",
        r"^\d{4}年\d{1,2}月前$",
        r"^\d+小时内$",
        r"^\d+个工作日$",
        r"^(健全|有效提升|按合同约定|及时)$",
    ):
        assert any(re.match(pattern, t) for t in targets), pattern
    assert any(re.match(r"^\d+\.\d\d\(个\)$", a) for a in actuals)
    assert "达成指标" in actuals
    parsed = Counter(type(parse_value(t)) for t in targets)
    assert parsed[Quantity] > parsed[Deadline] > 0
    assert all(parse_value(t).note == "" for t in targets)


def test_command_line_writes_the_same_forms(capsys):
    from jixiao.generate import main

    main(["4", "--seed", "8", "--inflate", "0"])
    loaded = forms_from_json_text(capsys.readouterr().out, "stdout")
    for form in loaded:
        form.source = None
    assert loaded == generate_forms(4, seed=8, inflate=0)
