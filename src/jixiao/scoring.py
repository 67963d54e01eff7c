"""The scorecard: every value the rules compute, beside the value the form declares.

Nothing here changes a form. Each computed value names its rounding (the policy's), and a
``matches`` flag says whether the declared value agrees exactly (numbers as numbers:
10 == 10.00). ``None`` means "cannot be computed" (or "not declared") and never matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from jixiao.model import Indicator, SelfEvaluation
from jixiao.policy import Policy, RoundingName, quantize
from jixiao.values import LEVEL_LABELS, Deadline, Level, Qualitative, Quantity, Value, parse_value

HUNDRED = Decimal(100)
ZERO = Decimal(0)

Method = Literal["positive", "reverse", "equal", "qualitative", "deadline", "none"]


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

    @property
    def matches(self) -> bool:
        """The declared 得分 is one the rules allow."""
        if self.declared is None or self.low is None or self.high is None:
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
            "indicator_weight": _out(self.indicator_weight),
            "indicator_score": self.indicator_score.to_dict(),
            "total": self.total.to_dict(),
            "declared_sum": _out(self.declared_sum),
            "grade": self.grade.to_dict(),
            "matches": self.matches,
            "indicators": [i.to_dict() for i in self.indicators],
            "unscored": self.unscored,
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
    executed: Decimal | None, budget: Decimal | None, policy: Policy
) -> tuple[Decimal | None, Decimal | None]:
    """(执行率, execution 得分) from one division: the score is min(执行率, cap) × 分值 / 100,
    rounded as the policy names; the rate is the unrounded one or the displayed (rounded)
    one, as ``score_from`` says."""
    percent = _percent(executed, budget)
    if percent is None:
        return None, None
    rules = policy.execution
    rate = _rounded_rate(percent, policy)
    basis = rate if rules.score_from == "displayed" else percent
    basis = max(ZERO, min(basis, rules.cap_rate_at))
    return rate, quantize(basis * rules.weight / HUNDRED, rules.score_places, rules.score_rounding)


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


def _proportional(weight: Decimal, ratio: Decimal, policy: Policy) -> Decimal:
    rules = policy.indicators
    score = weight * max(ZERO, min(ratio, Decimal(1)))
    return min(quantize(score, rules.score_places, rules.score_rounding), weight)


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
        )

    if w is None:
        return result("none", None, "缺少分值，无法计分")

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

    level = actual.level if isinstance(actual, Qualitative) else None
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
            "reverse", score, f"反向指标未达成：{how} = {score}{note}", met=False, ratio=ratio_q
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
            f"等于指标未达成：按完成比例计分 = {score}{note}",
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
    return result(
        "positive",
        score,
        f"正向指标未达成：分值 × B/A = {w} × {b}/{a} = {score}{note}",
        met=False,
        ratio=ratio_q,
    )


# --- the whole form -----------------------------------------------------------------------


def score_form(form: SelfEvaluation, policy: Policy) -> Scorecard:
    """The scorecard of one form under ``policy``."""
    total_row = form.funds.total
    unscored: list[str] = []
    rate, exec_score = _execution(total_row.executed, total_row.adjusted, policy)
    if exec_score is None:
        unscored.append("预算执行率：全年预算数或全年执行数缺失（或预算数为 0），无法计算")

    rows = [score_indicator(row, i, policy) for i, row in enumerate(form.indicators, start=1)]
    for r in rows:
        if r.recommended is None:
            unscored.append(f"第{r.position}行“{r.name}”：{r.reason}")

    indicator_weight = sum((r.weight for r in rows if r.weight is not None), ZERO)
    declared_scores = [r.declared for r in rows]
    declared_ind = (
        sum((d for d in declared_scores if d is not None), ZERO)
        if rows and None not in declared_scores
        else None
    )
    recommended = [r.recommended for r in rows]
    # Σ recommended 得分; None when a row cannot be scored
    computed_ind = (
        None if None in recommended else sum((s for s in recommended if s is not None), ZERO)
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
        execution_weight=policy.execution.weight,
        indicators=rows,
        indicator_weight=indicator_weight,
        indicator_score=Compared(declared_ind, computed_ind),
        total=Compared(form.total_score, total),
        declared_sum=declared_sum,
        grade=Compared(form.grade, policy.grade_for(total) if total is not None else None),
        unscored=unscored,
    )
