"""The scorecard: every value the rules compute, beside the value the form declares.

Nothing here changes a form. Each computed value names its rounding (the policy's), and a
``matches`` flag says whether the declared value agrees exactly (numbers as numbers:
10 == 10.00). ``None`` means "cannot be computed" (or "not declared") and never matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from jixiao.layouts import Layout, label_key, layout_of
from jixiao.model import FundRow, Indicator, SelfEvaluation
from jixiao.policy import Policy, RoundingName, band_share, quantize
from jixiao.values import (
    LEVEL_LABELS,
    Deadline,
    Level,
    Qualitative,
    Quantity,
    Value,
    normalize,
    parse_value,
)

HUNDRED = Decimal(100)
ZERO = Decimal(0)

Method = Literal[
    "positive", "reverse", "equal", "qualitative", "deadline", "satisfaction", "binary", "none"
]


@dataclass(frozen=True, slots=True)
class Compared:
    """A declared value and the computed one."""

    declared: Decimal | str | None
    computed: Decimal | str | None

    @property
    def matches(self) -> bool:
        if self.declared is None or self.computed is None:
            return False
        return self.declared == self.computed

    def to_dict(self) -> dict[str, Any]:
        return {
            "declared": _out(self.declared),
            "computed": _out(self.computed),
            "matches": self.matches,
        }


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """The recommended 得分 of one 三级指标 and why."""

    position: int  # 1-based row in the indicator table
    name: str
    weight: Decimal | None
    declared: Decimal | None
    recommended: Decimal | None
    low: Decimal | None  # the lowest 得分 the rules allow (qualitative bands)
    high: Decimal | None  # the highest
    method: Method
    met: bool | None  # the target was met (None: unknown)
    level: Level | None  # 三档 used for the score, when banded
    ratio: Decimal | None  # B/A (completion ratio) for quantitative rows
    reason: str
    target: Value
    actual: Value
    basis: str = ""  # the article the method rests on (the policy's [basis])
    # the 分值 is not on the form: derived from the printed 一级 weight (derived_weights)
    weight_derived: bool = False
    # 折算得分 (河北): declared vs 得分 × 权重占比; None where the policy has none
    adjusted: Compared | None = None

    @property
    def matches(self) -> bool:
        """The declared 得分 is one the rules allow (and its 折算得分 agrees)."""
        if self.declared is None or self.low is None or self.high is None:
            return False
        if self.adjusted is not None and not self.adjusted.matches:
            return False
        return self.low <= self.declared <= self.high

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "name": self.name,
            "weight": _out(self.weight),
            "declared": _out(self.declared),
            "recommended": _out(self.recommended),
            "allowed": [_out(self.low), _out(self.high)],
            "matches": self.matches,
            "method": self.method,
            "met": self.met,
            "level": self.level,
            "ratio": _out(self.ratio),
            "reason": self.reason,
            "basis": self.basis,
            "weight_derived": self.weight_derived,
            "adjusted": self.adjusted.to_dict() if self.adjusted is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Scorecard:
    """All computed values of one form under one policy."""

    policy: str
    rate: Compared  # 执行率 (%)
    execution_score: Compared  # 预算执行 得分
    execution_weight: Decimal
    indicators: list[IndicatorScore]
    indicator_weight: Decimal  # Σ indicator 分值 (declared)
    indicator_score: Compared  # Σ indicator 得分: declared sum vs recommended sum
    total: Compared  # 总分: declared vs execution 得分 + Σ recommended
    declared_sum: Decimal | None  # declared execution 得分 + Σ declared indicator 得分
    grade: Compared  # 评分等级: declared vs grade of the computed 总分
    unscored: list[str] = field(default_factory=list)  # what could not be computed, and why
    execution_basis: str = ""  # the article the execution 得分 rests on
    layout: str = ""  # the layout's id the form was scored by
    execution_weight_note: str = ""  # where the execution 分值 comes from, in words
    notes: list[str] = field(default_factory=list)  # how the layout changed the computation

    @property
    def matches(self) -> bool:
        return all(
            c.matches for c in (self.rate, self.execution_score, self.total, self.grade)
        ) and all(i.matches for i in self.indicators)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "rate": self.rate.to_dict(),
            "execution_score": self.execution_score.to_dict(),
            "execution_weight": _out(self.execution_weight),
            "execution_basis": self.execution_basis,
            "indicator_weight": _out(self.indicator_weight),
            "indicator_score": self.indicator_score.to_dict(),
            "total": self.total.to_dict(),
            "declared_sum": _out(self.declared_sum),
            "grade": self.grade.to_dict(),
            "matches": self.matches,
            "indicators": [i.to_dict() for i in self.indicators],
            "unscored": self.unscored,
            "layout": self.layout,
            "execution_weight_note": self.execution_weight_note,
            "notes": self.notes,
        }


def _out(value: Decimal | str | None) -> str | None:
    return None if value is None else str(value)


# --- execution ---------------------------------------------------------------------------


def _percent(executed: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """全年执行数 / 全年预算数 × 100, unrounded; None when it cannot be computed."""
    if executed is None or budget is None or budget == 0:
        return None
    return executed / budget * HUNDRED


def _rounded_rate(percent: Decimal, policy: Policy) -> Decimal:
    rules = policy.execution
    return quantize(percent, rules.rate_places, rules.rate_rounding)


def _execution(
    executed: Decimal | None,
    budget: Decimal | None,
    policy: Policy,
    weight: Decimal | None = None,
) -> tuple[Decimal | None, Decimal | None]:
    """(执行率, execution 得分) from one division: the score is min(执行率, cap) × 分值 / 100
    (or, with ``method = "bands"``, the share of the band min(执行率, cap) falls in × 分值),
    rounded as the policy names; the rate is the unrounded one or the displayed (rounded)
    one, as ``score_from`` says. ``weight``: the execution 分值 (the policy's by default)."""
    percent = _percent(executed, budget)
    if percent is None:
        return None, None
    rules = policy.execution
    w = rules.weight if weight is None else weight
    rate = _rounded_rate(percent, policy)
    basis = rate if rules.score_from == "displayed" else percent
    basis = max(ZERO, min(basis, rules.cap_rate_at))
    share = band_share(rules.bands, basis) if rules.method == "bands" else basis / HUNDRED
    score = share * w
    return rate, quantize(score, rules.score_places, rules.score_rounding)


def execution_rate(
    executed: Decimal | None, budget: Decimal | None, policy: Policy
) -> Decimal | None:
    """执行率 (%) = 全年执行数 / 全年预算数 × 100, rounded as the policy names."""
    percent = _percent(executed, budget)
    return None if percent is None else _rounded_rate(percent, policy)


def execution_score(
    executed: Decimal | None, budget: Decimal | None, policy: Policy
) -> Decimal | None:
    """Execution 得分 = min(执行率, cap) × 分值 / 100, rounded as the policy names; the rate
    is the unrounded one or the displayed (rounded) one, as ``score_from`` says."""
    return _execution(executed, budget, policy)[1]


# --- indicators ---------------------------------------------------------------------------


def _band(weight: Decimal, level: Level, policy: Policy) -> tuple[Decimal, Decimal, Decimal]:
    """(low, high, recommended-if-undeclared) of a qualitative band, policy-rounded."""
    rules = policy.indicators
    return _band_of(
        weight,
        level,
        rules.qualitative_met,
        rules.qualitative_partial,
        rules.score_places,
        rules.score_rounding,
    )


@lru_cache(maxsize=4096)
def _band_of(
    weight: Decimal,
    level: Level,
    met: Decimal,
    partial: Decimal,
    places: int,
    rounding: RoundingName,
) -> tuple[Decimal, Decimal, Decimal]:
    # Pure in its arguments (weights and bands repeat across rows and forms): cached.
    step = Decimal(1).scaleb(-places)
    # Rounding never lifts a bound above the 分值 (coarse places on a small weight).
    met_floor = min(quantize(weight * met, places, rounding), weight)
    partial_floor = min(quantize(weight * partial, places, rounding), met_floor)
    if level == "met":
        return met_floor, weight, weight
    if level == "partial":
        low, high = partial_floor, max(partial_floor, met_floor - step)
    else:
        low, high = ZERO, max(ZERO, partial_floor - step)
    middle = quantize((low + high) / 2, places, rounding)
    return low, high, min(max(middle, low), high)


ONE = Decimal(1)


def passed_share(ratio: Decimal, pass_mark: Decimal) -> Decimal:
    """The share of the 分值 a 完成率 earns: the 完成率 itself (capped to [0, 1]); with a pass
    mark, 0 below it and (完成率 − pass_mark) / (1 − pass_mark) from it on."""
    share = max(ZERO, min(ratio, ONE))
    if pass_mark == ZERO:
        return share
    return ZERO if share < pass_mark else (share - pass_mark) / (ONE - pass_mark)


def _proportional(weight: Decimal, ratio: Decimal, policy: Policy) -> Decimal:
    rules = policy.indicators
    score = weight * passed_share(ratio, rules.pass_mark)
    return min(quantize(score, rules.score_places, rules.score_rounding), weight)


def _pass_note(policy: Policy) -> str:
    mark = policy.indicators.pass_mark
    if mark == ZERO:
        return ""
    pct = quantize(mark * HUNDRED, 0, "half_up")
    return f"（及格线 {pct}%：得分 =（完成率 − {pct}%）/（1 − {pct}%）× 分值，低于 {pct}% 不得分）"


def score_indicator(row: Indicator, position: int, policy: Policy) -> IndicatorScore:
    """The recommended 得分 of one row by the policy's rules, with the reason in words."""
    target, actual = parse_value(row.target), parse_value(row.actual)
    w, declared = row.weight, row.score

    def result(
        method: Method,
        recommended: Decimal | None,
        reason: str,
        *,
        met: bool | None = None,
        level: Level | None = None,
        ratio: Decimal | None = None,
        low: Decimal | None = None,
        high: Decimal | None = None,
    ) -> IndicatorScore:
        if low is None and high is None and recommended is not None:
            low = high = recommended
        return IndicatorScore(
            position,
            row.name,
            w,
            declared,
            recommended,
            low,
            high,
            method,
            met,
            level,
            ratio,
            reason,
            target,
            actual,
            _basis(method, policy),
        )

    if w is None:
        return result("none", None, "缺少分值，无法计分")

    special = _direct(row, w, target, actual, policy)
    if special is not None:
        method, share, why = special
        score = min(quantize(w * share, *_rounding(policy)), w)
        return result(method, score, f"{why}，得 {score} 分", met=share == ONE)

    def banded(method: Method, level: Level, why: str) -> IndicatorScore:
        low, high, default = _band(w, level, policy)
        rec = default
        if declared is not None and low <= declared <= high:
            rec = declared
        label = LEVEL_LABELS[level]
        reason = f"{why}，按“{label}”档计分（{low}–{high} 分）"
        return result(method, rec, reason, met=level == "met", level=level, low=low, high=high)

    if isinstance(target, Quantity) and isinstance(actual, Quantity):
        return _score_quantity(w, target, actual, policy, result)

    level = _level(actual, policy)
    if isinstance(target, Deadline):
        if level is not None:
            return banded("deadline", level, f"时效目标“{row.target}”，完成情况“{row.actual}”")
        if isinstance(actual, Deadline):
            late = _is_late(target, actual)
            if late is None:
                return banded("deadline", "met", "完成时间已填写，无法与目标逐项比较，视为达成")
            if late:
                return banded("deadline", policy.indicators.late_deadline, "晚于目标时间完成")
            return banded("deadline", "met", "在目标时间内完成")
        return result("deadline", None, f"时效完成情况“{row.actual}”无法判断是否达成")

    if level is not None:
        kind = "定量目标但完成值未填数值" if isinstance(target, Quantity) else "定性指标"
        return banded("qualitative", level, f"{kind}，完成情况“{row.actual}”")
    return result("qualitative", None, f"完成情况“{row.actual}”未按达成/部分达成/未达成三档表述")


def _basis(method: Method, policy: Policy) -> str:
    b = policy.basis
    return {
        "positive": b.quantitative,
        "reverse": b.quantitative,
        "equal": b.quantitative,
        "qualitative": b.qualitative,
        "deadline": b.qualitative,
        "satisfaction": b.satisfaction,
        "binary": b.binary,
        "none": "",
    }[method]


def _rounding(policy: Policy) -> tuple[int, RoundingName]:
    return policy.indicators.score_places, policy.indicators.score_rounding


def _level(actual: Value, policy: Policy) -> Level | None:
    """The 三档 an actual states: the policy's own words first, then the general vocabulary."""
    if not isinstance(actual, Qualitative):
        return None
    text = normalize(actual.text)
    for level, words in policy.indicators.level_words.items():
        if any(normalize(w) in text for w in words):
            return level
    return actual.level


_SATISFACTION_WORDS = ("满意度", "满意率")
_YES_NO = ("是", "否")


def is_satisfaction(row: Indicator) -> bool:
    """A 满意度 row: under the 满意度 一级 indicator, or named 满意度 / 满意率."""
    return "满意度" in normalize(row.level1) or any(w in row.name for w in _SATISFACTION_WORDS)


def _direct(
    row: Indicator, w: Decimal, target: Value, actual: Value, policy: Policy
) -> tuple[Method, Decimal, str] | None:
    """The banded 满意度 and direct 是/否 scores of 财预〔2021〕101号 三（七）4 and 1, when
    the policy asks for them and the row is one: (method, share of the 分值, why)."""
    rules = policy.indicators
    if (
        rules.satisfaction == "bands"
        and isinstance(actual, Quantity)
        and actual.unit == "%"
        and is_satisfaction(row)
    ):
        share = band_share(rules.satisfaction_bands, actual.number)
        pct = quantize(share * HUNDRED, 0, "half_up")
        return "satisfaction", share, f"满意度 {actual.number}% 按区间赋分，得分值的 {pct}%"
    if rules.binary == "direct":
        t, a = normalize(row.target or ""), normalize(row.actual or "")
        if t in _YES_NO and a in _YES_NO:
            ok = t == a
            share = ONE if ok else ZERO
            return (
                "binary",
                share,
                f"“是/否”指标，要求“{t}”，完成“{a}”，{'符合' if ok else '不符合'}要求",
            )
    return None


def _is_late(target: Deadline, actual: Deadline) -> bool | None:
    """Whether an actual date is after the target date; None when not comparable."""
    if target.form == "date" and actual.form == "date" and target.year and actual.year:
        t = (target.year, target.month or 12, target.day or 31)
        a = (actual.year, actual.month or 12, actual.day or 31)
        return a >= t if target.bound == "before" and target.day is None else a > t
    if (
        target.form == "duration"
        and actual.form == "duration"
        and target.unit == actual.unit
        and target.amount is not None
        and actual.amount is not None
    ):
        return actual.amount > target.amount
    return None


def _score_quantity(
    w: Decimal,
    target: Quantity,
    actual: Quantity,
    policy: Policy,
    result: Any,
) -> IndicatorScore:
    a = target.number
    b = max(ZERO, actual.number)  # a negative actual counts as 0
    note = "（负的完成值按 0 计）" if actual.number < 0 else ""
    direction = target.direction or "positive"
    if target.direction is None:
        note += "（未标明计算符号，按正向指标计分）"
    ratio = (b / a) if a != 0 else None
    ratio_q = quantize(ratio, 4, "half_up") if ratio is not None else None

    if direction == "reverse":
        if b <= a:
            return result(
                "reverse",
                w,
                f"反向指标，完成值 {b} ≤ 目标 {a}，得满分{note}",
                met=True,
                ratio=ratio_q,
            )
        if a == 0:
            return result(
                "reverse",
                _proportional(w, ZERO, policy),
                f"反向指标目标为 0，完成值 {b} > 0，得 0 分{note}",
                met=False,
            )
        if policy.indicators.reverse_formula == "linear":
            factor = Decimal(1) - (b - a) / a
            how = "分值 ×（1 −（B−A）/A）"
        else:
            factor = a / b
            how = "分值 × A/B"
        score = _proportional(w, factor, policy)
        return result(
            "reverse",
            score,
            f"反向指标未达成：{how} = {score}{_pass_note(policy)}{note}",
            met=False,
            ratio=ratio_q,
        )

    if direction == "equal":
        if b == a:
            return result(
                "equal", w, f"等于指标，完成值等于目标 {a}，得满分{note}", met=True, ratio=ratio_q
            )
        if a == 0:
            return result(
                "equal",
                _proportional(w, ZERO, policy),
                f"等于指标目标为 0，完成值 {b}，得 0 分{note}",
                met=False,
            )
        if b > a and policy.indicators.equal_over == "full":
            return result(
                "equal",
                w,
                f"等于指标，完成值 {b} 高于目标 {a}，按正向计满分（需复核）{note}",
                met=True,
                ratio=ratio_q,
            )
        factor = a / b if b > a else b / a
        score = _proportional(w, factor, policy)
        return result(
            "equal",
            score,
            f"等于指标未达成：按完成比例计分 = {score}{_pass_note(policy)}{note}",
            met=False,
            ratio=ratio_q,
        )

    # positive (≥ >), or no operator
    if b >= a:
        return result(
            "positive", w, f"正向指标，完成值 {b} ≥ 目标 {a}，得满分{note}", met=True, ratio=ratio_q
        )
    assert ratio is not None  # a > b ≥ 0, so a > 0
    score = _proportional(w, ratio, policy)
    if policy.indicators.pass_mark:
        how = f"完成率 {ratio_q}{_pass_note(policy)}，得 {score}"
    else:
        how = f"分值 × B/A = {w} × {b}/{a} = {score}"
    return result(
        "positive",
        score,
        f"正向指标未达成：{how}{note}",
        met=False,
        ratio=ratio_q,
    )


def overrun_cut(score: IndicatorScore, policy: Policy) -> Decimal | None:
    """The 得分 an over-achieved row would get after the 偏离度 cut of 财预〔2020〕10号
    第十六条 (“要按照偏离度适度调减分值”) under the policy's ``audit.overrun_cut``:

    - ``ratio``: 分值 × 指标值 ÷ 完成值 (the mirror of the under-achievement rule);
    - ``linear``: 分值 × (1 − 偏离度), 偏离度 = (完成值 − 指标值) ÷ 指标值, 0 from twice the target;
    - ``none``: no suggestion (None).

    None as well when the row is not a quantitative one over its target.
    """
    how = policy.audit.overrun_cut
    t, a, w = score.target, score.actual, score.weight
    if how == "none" or w is None or not (isinstance(t, Quantity) and isinstance(a, Quantity)):
        return None
    if t.number <= ZERO or a.number <= t.number:
        return None
    if how == "ratio":
        share = t.number / a.number
    else:
        share = max(ZERO, ONE - (a.number - t.number) / t.number)
    return min(quantize(w * share, *_rounding(policy)), w)


# --- the layout's part ------------------------------------------------------------------


def execution_weight(form: SelfEvaluation, policy: Policy, layout: Layout) -> tuple[Decimal, str]:
    """The execution 分值 a form is scored with, and where it comes from (Chinese): the 分值
    the form declares when its layout allows it (20 on the 20-point layout); else the
    policy's, when the layout allows that; else the layout's default. A 分值 the layout does
    not allow (100 in a 10-point slot) is never used."""
    allowed = layout.execution
    declared = form.funds.total.weight
    if allowed.allows(declared):
        assert declared is not None
        return declared, "表上填报的预算执行分值"
    weight = policy.execution.weight if allowed.allows(policy.execution.weight) else None
    weight = allowed.default_weight if weight is None else weight
    if declared is None:
        return weight, f"表上未填预算执行分值，按版式的 {weight} 分"
    shown = "、".join(str(w) for w in allowed.weights)
    return weight, f"表上预算执行分值 {declared} 不是此版式允许的分值（{shown}），按 {weight} 分计"


def execution_amounts(
    form: SelfEvaluation, layout: Layout
) -> tuple[Decimal | None, Decimal | None, str]:
    """(全年执行数, 预算数, note): the 年度资金总额 row's, under the column the layout divides
    by (全年预算数, or 年初预算数 where the layout has no other); where that row is empty or 0
    but the rows under it hold amounts, their sums, with a note saying so. The rows summed
    are one breakdown of the total the layout declares (``execution.sources``: 财政拨款 +
    上年结转 + 其他资金 …), never a row nested in another (其中：… under 财政拨款), which
    would count twice."""
    column = layout.execution.budget
    total = form.funds.total
    budget, executed = getattr(total, column), total.executed
    if _percent(executed, budget) is not None or (budget not in (None, ZERO)):
        return executed, budget, ""
    for breakdown in layout.execution.sources:
        parts = [row for row_id in breakdown if (row := _fund_row(form, layout, row_id))]
        budgets = [b for r in parts if (b := getattr(r, column)) is not None]
        spent = [e for r in parts if (e := r.executed) is not None]
        if budgets and spent and sum(budgets, ZERO) != ZERO:
            note = "年度资金总额行未填或为 0，执行率按其下各资金来源行的合计计算"
            return sum(spent, ZERO), sum(budgets, ZERO), note
    return executed, budget, ""


def _fund_row(form: SelfEvaluation, layout: Layout, row_id: str) -> FundRow | None:
    """The form's fund row the layout declares as ``row_id``: one of the four, or a row of
    ``funds.extras`` by the layout's words for it; None where the form has none."""
    declared = next((r for r in layout.fund_rows if r.id == row_id), None)
    if declared is None:
        return None
    if declared.field is not None:
        row: FundRow = getattr(form.funds, declared.field)
        return row
    return next((row for label, row in form.funds.extras.items() if declared.matches(label)), None)


def derived_weights(form: SelfEvaluation, policy: Policy) -> dict[int, Decimal]:
    """The 分值 of rows that have none, implied by the 一级 weight printed in the label
    (产出指标(60分)): the weight shared equally among its rows, each in the policy's score
    places and rounding, the last row taking what rounding left so that they add up to the
    printed weight exactly. Keys are 0-based rows; only 一级 blocks whose rows all lack a
    分值 are derived."""
    out: dict[int, Decimal] = {}
    places, rounding = _rounding(policy)
    for printed in form.level1_weights:
        if printed.weight is None or printed.weight < ZERO:
            continue
        key = label_key(printed.label)
        rows = [i for i, r in enumerate(form.indicators) if key and label_key(r.level1) == key]
        if not rows or any(form.indicators[i].weight is not None for i in rows):
            continue
        each = quantize(printed.weight / len(rows), places, rounding)
        last = printed.weight - each * (len(rows) - 1)
        if last < ZERO:  # coarse places rounded up: fall back to the exact share
            continue
        for i in rows[:-1]:
            out[i] = each
        out[rows[-1]] = last
    return out


_NATURE_OPS = {"≥": "≥", ">": ">", "≤": "≤", "<": "<", "=": "=", ">=": "≥", "<=": "≤"}


def _extra(row: Indicator, layout: Layout, column_id: str) -> str:
    """The text of an added column (by the layout's words for it), or ""."""
    column = layout.column(column_id)
    if column is None or not row.extras:
        return ""
    return next((v for k, v in row.extras.items() if column.matches(k)), "")


def layout_target(row: Indicator, layout: Layout) -> tuple[str, str]:
    """(年度指标值, 实际完成值) as scored: where the layout writes the operator and the unit in
    columns of their own (指标性质 ≥ / 指标值 24 / 度量单位 人), joined (≥24人, 24人)."""
    nature = normalize(_extra(row, layout, "nature"))
    unit = _extra(row, layout, "measure_unit").strip()
    target, actual = row.target, row.actual
    if not nature and not unit:
        return target, actual
    op = _NATURE_OPS.get(normalize(nature).replace("≧", "≥").replace("≦", "≤").replace("═", "="))
    parsed = parse_value(target)
    if isinstance(parsed, Quantity) and parsed.op is None and op:
        target = f"{op}{target}"
    for_unit = parse_value(target)
    if unit and isinstance(for_unit, Quantity) and not for_unit.unit:
        target = f"{target}{unit}"
    done = parse_value(actual)
    if unit and isinstance(done, Quantity) and not done.unit:
        actual = f"{actual}{unit}"
    return target, actual


def _adjusted(row: Indicator, scored: IndicatorScore, policy: Policy) -> Compared | None:
    """折算得分 = 得分 × 权重占比 ÷ 100 (policy ``indicators.adjusted = "share"``)."""
    if policy.indicators.adjusted != "share" or row.share is None:
        return None
    if scored.recommended is None:
        return Compared(row.adjusted_score, None)
    value = quantize(scored.recommended * row.share / HUNDRED, *_rounding(policy))
    return Compared(row.adjusted_score, value)


# --- the whole form -----------------------------------------------------------------------


def score_form(form: SelfEvaluation, policy: Policy, layout: Layout | None = None) -> Scorecard:
    """The scorecard of one form under ``policy``, by the rules of its layout (the one it
    names or its content shows, unless ``layout`` is given): the execution 分值 it declares
    when the layout allows it, 执行率 over the layout's budget column, 分值 derived from the
    printed 一级 weights, targets joined from 指标性质 / 度量单位, and 折算得分."""
    if layout is None:
        layout = layout_of(form).layout
    total_row = form.funds.total
    unscored: list[str] = []
    notes: list[str] = []
    weight, weight_note = execution_weight(form, policy, layout)
    executed, budget, amounts_note = execution_amounts(form, layout)
    if amounts_note:
        notes.append(amounts_note)
    rate, exec_score = _execution(executed, budget, policy, weight)
    if exec_score is None:
        column = "年初预算数" if layout.execution.budget == "initial" else "全年预算数"
        unscored.append(f"预算执行率：{column}或全年执行数缺失（或预算数为 0），无法计算")

    derived = derived_weights(form, policy)
    if derived:
        notes.append("表上无逐行分值，按一级指标的分值平均推算（标为推算）")
    rows: list[IndicatorScore] = []
    for i, row in enumerate(form.indicators):
        target, actual = layout_target(row, layout)
        w = derived.get(i, row.weight)
        scored_row = row
        if (target, actual, w) != (row.target, row.actual, row.weight):
            scored_row = row.model_copy(update={"target": target, "actual": actual, "weight": w})
        scored = score_indicator(scored_row, i + 1, policy)
        adjusted = _adjusted(row, scored, policy)
        if i in derived or adjusted is not None:
            scored = replace(scored, weight_derived=i in derived, adjusted=adjusted)
        rows.append(scored)
    for r in rows:
        if r.recommended is None:
            unscored.append(f"第{r.position}行“{r.name}”：{r.reason}")

    indicator_weight = sum((r.weight for r in rows if r.weight is not None), ZERO)
    use_adjusted = bool(rows) and all(r.adjusted is not None for r in rows)
    if use_adjusted:
        notes.append("总分按各指标的折算得分（得分 × 权重占比）合计")
        declared_scores = [r.adjusted.declared if r.adjusted else None for r in rows]
        recommended = [r.adjusted.computed if r.adjusted else None for r in rows]
    else:
        declared_scores = [r.declared for r in rows]
        recommended = [r.recommended for r in rows]
    declared_ind = (
        sum((d for d in declared_scores if isinstance(d, Decimal)), ZERO)
        if rows and None not in declared_scores
        else None
    )
    # Σ recommended 得分; None when a row cannot be scored
    computed_ind = (
        None
        if None in recommended
        else sum((s for s in recommended if isinstance(s, Decimal)), ZERO)
    )
    total = (
        exec_score + computed_ind if exec_score is not None and computed_ind is not None else None
    )
    declared_sum = (
        total_row.score + declared_ind
        if total_row.score is not None and declared_ind is not None
        else None
    )
    return Scorecard(
        policy=policy.name,
        rate=Compared(total_row.rate, rate),
        execution_score=Compared(total_row.score, exec_score),
        execution_weight=weight,
        indicators=rows,
        indicator_weight=indicator_weight,
        indicator_score=Compared(declared_ind, computed_ind),
        total=Compared(form.total_score, total),
        declared_sum=declared_sum,
        grade=Compared(form.grade, policy.grade_for(total) if total is not None else None),
        unscored=unscored,
        execution_basis=policy.basis.execution,
        layout=layout.id,
        execution_weight_note=weight_note,
        notes=notes,
    )
