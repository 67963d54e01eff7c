"""central-2021: 财预〔2021〕101号 三（七）, its band edges, pass mark and scaling to any 分值;
--policy auto; the policy schema keys it adds."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.generate import generate_cases
from jixiao.model import Indicator
from jixiao.policy import PolicyError, band_share, choose_policy, load_policy, quantize
from jixiao.scoring import execution_score, passed_share, score_form, score_indicator

D = Decimal
CENTRAL = load_policy("central-2021")


def _with_weight(weight: Decimal):
    execution = CENTRAL.execution.model_copy(update={"weight": weight})
    return CENTRAL.model_copy(update={"execution": execution})


@pytest.mark.parametrize(
    ("executed", "score"),
    [
        ("100.00", "10.00"),  # complete, within budget
        ("110.00", "10.00"),  # above budget: capped at 100 % (X03 reports it)
        ("99.99", "7.00"),
        ("80.00", "7.00"),
        ("79.99", "5.00"),
        ("60.00", "5.00"),
        ("59.99", "0.00"),
        ("0.00", "0.00"),
    ],
)
def test_execution_bands(executed, score):
    assert execution_score(D(executed), D("100.00"), CENTRAL) == D(score)


def test_execution_bands_read_the_displayed_rate():
    # 79.996 % shows as 80.00 on the form: the band of what the form shows
    assert execution_score(D("79.996"), D("100"), CENTRAL) == D("7.00")


@pytest.mark.parametrize(("weight", "scores"), [("20", ["20.00", "14.00", "10.00", "0.00"])])
def test_execution_bands_scale_to_the_weight(weight, scores):
    policy = _with_weight(D(weight))
    got = [execution_score(D(e), D(100), policy) for e in ("100", "80", "60", "59.99")]
    assert got == [D(s) for s in scores]


def _row(target: str, actual: str, weight: str, **kw: str) -> Indicator:
    return Indicator(target=target, actual=actual, weight=D(weight), score=D(weight), **kw)


@pytest.mark.parametrize(
    ("actual", "score"),
    [
        ("100.00(台)", "20.00"),
        ("120.00(台)", "20.00"),
        ("80.00(台)", "10.00"),  # (0.8 − 0.6) / 0.4 × 20
        ("79.99(台)", "10.00"),  # (0.7999 − 0.6) / 0.4 × 20 = 9.995 → 10.00 (half up)
        ("70.00(台)", "5.00"),
        ("60.00(台)", "0.00"),  # the pass mark itself earns nothing above it
        ("59.99(台)", "0.00"),
        ("90.00(台)", "15.00"),
    ],
)
def test_pass_mark(actual, score):
    s = score_indicator(_row("≥100.00(台)", actual, "20.00"), 1, CENTRAL)
    assert s.recommended == D(score)
    assert s.basis == "财预〔2021〕101号 三（七）2"


def test_pass_mark_on_a_reverse_indicator():
    # ≤1.00 done at 1.25: ratio A/B = 0.8 → (0.8 − 0.6) / 0.4 × 10 = 5.00
    s = score_indicator(_row("≤1.00(万元/台)", "1.25(万元/台)", "10.00"), 1, CENTRAL)
    assert (s.method, s.recommended) == ("reverse", D("5.00"))
    assert "及格线 60%" in s.reason


@pytest.mark.parametrize(
    ("actual", "share"),
    [
        ("100.00(%)", "1"),
        ("90.00(%)", "1"),
        ("89.99(%)", "0.8"),
        ("80.00(%)", "0.8"),
        ("79.99(%)", "0.5"),
        ("60.00(%)", "0.5"),
        ("59.99(%)", "0"),
    ],
)
def test_satisfaction_bands(actual, share):
    row = _row("≥95.00(%)", actual, "10.00", level1="满意度指标", name="群众满意度")
    s = score_indicator(row, 1, CENTRAL)
    assert s.method == "satisfaction"
    assert s.recommended == quantize(D(share) * 10, 2, "half_up")
    assert s.basis == "财预〔2021〕101号 三（七）4"


def test_satisfaction_under_the_other_policies_compares_with_the_target():
    row = _row("≥95.00(%)", "92.00(%)", "10.00", level1="满意度指标", name="群众满意度")
    s = score_indicator(row, 1, load_policy("shanghai"))
    assert (s.method, s.recommended) == ("positive", D("9.68"))
    assert s.basis == "财预〔2020〕10号 第十六条"


@pytest.mark.parametrize(("actual", "score"), [("是", "6.00"), ("否", "0.00")])
def test_yes_no_scored_directly(actual, score):
    s = score_indicator(_row("是", actual, "6.00", name="是否按规定公开"), 1, CENTRAL)
    assert (s.method, s.recommended) == ("binary", D(score))
    assert s.basis == "财预〔2021〕101号 三（七）1"


@pytest.mark.parametrize(
    ("actual", "low", "high"),
    [
        ("基本达成目标", "8.00", "10.00"),
        ("部分实现目标", "6.00", "7.99"),
        ("实现目标程度较低", "0.00", "5.99"),
        ("达成年度指标", "8.00", "10.00"),
    ],
)
def test_qualitative_bands_in_the_articles_words(actual, low, high):
    s = score_indicator(_row("健全", actual, "10.00"), 1, CENTRAL)
    assert (s.method, s.low, s.high) == ("qualitative", D(low), D(high))
    assert s.basis == "财预〔2021〕101号 三（七）3"


def test_the_lowest_band_word_is_unmet_under_every_policy():
    s = score_indicator(_row("健全", "实现目标程度较低", "10.00"), 1, load_policy("mof-2020"))
    assert s.level == "unmet"


# --- properties ---------------------------------------------------------------------------

cents = st.integers(1, 10_000).map(lambda c: D(c).scaleb(-2))  # a 分值 0.01 … 100.00
percent = st.integers(0, 12_000).map(lambda c: D(c).scaleb(-2))  # 0.00 … 120.00 %


@given(weight=cents, rate=percent)
def test_execution_score_is_a_band_share_of_any_weight(weight, rate):
    policy = _with_weight(weight)
    score = execution_score(rate, D(100), policy)
    assert score is not None and D(0) <= score <= weight
    shown = min(rate, D(100))
    share = D(1) if shown >= 100 else D("0.7") if shown >= 80 else D("0.5") if shown >= 60 else 0
    assert score == quantize(D(share) * weight, 2, "half_up")


@given(weight=cents, done=st.integers(0, 15_000))
def test_pass_mark_for_any_weight(weight, done):
    """完成 done/100 of a target of 100: 0 below 60 %, (r − 0.6)/0.4 × 分值 above, ≤ 分值."""
    actual = D(done).scaleb(-2)
    row = Indicator(target="≥100.00(个)", actual=f"{actual}(个)", weight=weight)
    s = score_indicator(row, 1, CENTRAL)
    assert s.recommended is not None and D(0) <= s.recommended <= weight
    r = min(actual / 100, D(1))
    want = D(0) if r < D("0.6") else (r - D("0.6")) / D("0.4") * weight
    assert s.recommended == min(quantize(want, 2, "half_up"), weight)


@given(weight=cents, value=percent.filter(lambda p: p <= 100))
def test_satisfaction_bands_for_any_weight(weight, value):
    row = Indicator(level1="满意度指标", name="满意度", target="≥90(%)", actual=f"{value}(%)")
    row = row.model_copy(update={"weight": weight})
    s = score_indicator(row, 1, CENTRAL)
    share = band_share(CENTRAL.indicators.satisfaction_bands, value)
    assert s.recommended == min(quantize(share * weight, 2, "half_up"), weight)
    assert D(0) <= s.recommended <= weight


@given(ratio=st.integers(0, 20_000).map(lambda c: D(c).scaleb(-4)))
def test_passed_share_is_monotone_and_bounded(ratio):
    share = passed_share(ratio, D("0.6"))
    assert D(0) <= share <= D(1)
    assert share <= passed_share(ratio + D("0.0001"), D("0.6"))


# --- the seed and generated forms ---------------------------------------------------------

SEED_UNDER_CENTRAL = {
    "其他人员经费": ("85.26", "7.00", "96.00", "优"),
    "活动经费": ("35.00", "0.00", "90.00", "优"),
    "后勤保障经费": ("97.09", "7.00", "97.00", "优"),
    "信息化项目建设": ("98.71", "7.00", "97.00", "优"),
    "宣传经费": ("99.88", "7.00", "95.00", "优"),
    "政府聘用辅助人员经费": ("40.96", "0.00", "88.00", "良"),
    "其他专项工作经费": ("96.14", "7.00", "97.00", "优"),
    "信息化项目运维": ("85.73", "7.00", "97.00", "优"),
    "城维工程类": ("79.43", "5.00", "95.00", "优"),
}


def test_seed_under_central(oracle_forms):
    got = {}
    for form in oracle_forms:
        card = score_form(form, CENTRAL)
        numbers = (card.rate.computed, card.execution_score.computed, card.total.computed)
        got[form.project] = (*(str(c) for c in numbers), card.grade.computed)
        assert card.execution_basis == "财预〔2021〕101号 三（七）2"
    assert got == SEED_UNDER_CENTRAL


def test_generated_forms_cover_every_method():
    cases = generate_cases(150, seed=3, policy=CENTRAL)
    methods: Counter[str] = Counter()
    execution: set[str] = set()
    for case in cases:
        card = score_form(case.form, CENTRAL)
        methods.update(i.method for i in card.indicators)
        execution.add(str(card.execution_score.computed))
        if not case.inflated:
            assert card.matches, case.form.project
    assert set(methods) == {
        "positive",
        "reverse",
        "equal",
        "qualitative",
        "deadline",
        "satisfaction",
        "binary",
    }
    assert execution == {"10.00", "7.00", "5.00", "0.00"}


# --- auto and the schema ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("department", "unit", "name"),
    [
        ("教育部", "教育部考试中心", "central-2021"),
        ("国家统计局", "国家统计局", "central-2021"),
        ("中国气象局", "国家气象中心", "central-2021"),
        ("住房和城乡建设部", "住房和城乡建设部本级", "central-2021"),
        ("国家税务总局", "国家税务总局上海市税务局", "central-2021"),
        ("江桥镇", "上海市嘉定区江桥镇城市运行管理中心", "shanghai"),
        ("上海市教育委员会", "上海市教育委员会本级", "shanghai"),
        ("中国共产党嘉定区委员会", "中共嘉定区委办公室", "mof-2020"),
        ("湖北省财政厅", "湖北省财政厅本级", "mof-2020"),
        ("区民政局", "区社区服务中心", "mof-2020"),
    ],
)
def test_auto_chooses_by_department_and_unit(department, unit, name):
    policy, reason = choose_policy(department, unit)
    assert policy.name == name
    assert reason


def _write(tmp_path, text):
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'base = "central-2021"\n[execution]\nbands = [{min = 60, share = 0.5}, '
            "{min = 80, share = 0.7}, {min = 0, share = 0}]\n",
            "execution.bands 的 min 必须从高到低",
        ),
        (
            'base = "central-2021"\n[execution]\nbands = [{min = 80, share = 0.7}]\n',
            "最后一档为 0",
        ),
        (
            'base = "mof-2020"\n[indicators]\nsatisfaction = "bands"\n',
            "indicators.satisfaction_bands 不能为空",
        ),
        ('base = "mof-2020"\n[indicators]\npass_mark = 1\n', "indicators.pass_mark"),
        ('base = "mof-2020"\n[match]\nreason = "x"\ndepartment = ["("]\n', "正则表达式"),
    ],
)
def test_schema_errors_name_the_key(tmp_path, content, message):
    with pytest.raises(PolicyError, match=message):
        load_policy(_write(tmp_path, content))
