"""X — budget execution (预算执行率) and its score (docs/rules.md, family D)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.context import HUNDRED, ZERO, AuditContext, places, rounds_to, rows_text
from jixiao.audit.examples import both, put, row, spend
from jixiao.audit.registry import Hit, fires, rule, silent
from jixiao.model import FUND_ROW_LABELS, FUND_ROWS, FundRow
from jixiao.scoring import execution_rate, execution_score

_OTHER_ROUNDING = {"down": "half_up", "half_up": "down", "half_even": "down"}


def _row(ctx: AuditContext, key: str) -> FundRow:
    """Fund row ``key`` as the rules read it (the total: :attr:`AuditContext.total`)."""
    return ctx.total if key == "total" else getattr(ctx.form.funds, key)


@rule(
    "X01",
    "error",
    "执行率与执行数、预算数不符",
    rationale="执行率 = 全年执行数 ÷ 全年预算数 × 100。填报值应等于按口径取两位小数的结果；"
    "截断和四舍五入两种取法都接受（上海表为截断）。少写了小数（86% 对 86.20%）或写成小数"
    "（0.958 即 95.8%）而数值相符的，只作提示。",
    source="参考表所见；getPointNum 截断 [V]",
    fix="按全年执行数 ÷ 全年预算数 × 100 重新计算执行率，保留两位小数。",
    examples=[
        fires("执行率填 90.00，实为 85.00", both(spend("85.00", "90.00", "8.50", "98.50"))),
        fires("分项行：当年财政拨款执行率填 95.00", put(**{"funds.fiscal.rate": "95.00"})),
        fires(
            "86.20% 填成整数 86%（提示）",
            both(
                spend("86.20", "86", "8.62", "98.62"),
                put(**{"funds.fiscal.rate": None}),
            ),
        ),
        fires(
            "95.86% 写成小数 0.958（提示）",
            both(
                spend("95.86", "0.958", "9.59", "99.59"),
                put(**{"funds.fiscal.rate": None}),
            ),
        ),
        silent(
            "85.2557… 填 85.25（截断）",
            both(
                put(
                    **{
                        "funds.total.adjusted": "956.64",
                        "funds.total.initial": "956.64",
                        "funds.total.executed": "815.59",
                        "funds.total.rate": "85.25",
                        "funds.total.score": "8.53",
                        "funds.fiscal.rate": None,
                    },
                    total_score="98.53",
                )
            ),
        ),
        silent(
            "85.2557… 填 85.26（四舍五入）",
            both(
                put(
                    **{
                        "funds.total.adjusted": "956.64",
                        "funds.total.initial": "956.64",
                        "funds.total.executed": "815.59",
                        "funds.total.rate": "85.26",
                        "funds.total.score": "8.53",
                        "funds.fiscal.rate": None,
                    },
                    total_score="98.53",
                )
            ),
        ),
    ],
)
def rate_matches(ctx: AuditContext) -> Iterator[Hit]:
    rules = ctx.policy.execution
    for key in FUND_ROWS:
        fr = _row(ctx, key)
        declared = fr.rate
        if declared is None or fr.executed is None or fr.adjusted is None:
            continue
        label = FUND_ROW_LABELS[key]
        if fr.adjusted == ZERO:
            if declared != ZERO and fr.executed == ZERO:
                yield Hit(
                    f"funds.{key}.rate",
                    f"{label}全年预算数为 0，执行率却填 {declared}",
                    declared,
                    "0 或空",
                )
            continue  # budget 0 with spending: X04
        computed = (
            ctx.card.rate.computed
            if key == "total"
            else execution_rate(fr.executed, fr.adjusted, ctx.policy)
        )
        if declared == computed:
            continue
        alt = ctx.variant(
            "rate-alt", execution={"rate_rounding": _OTHER_ROUNDING[rules.rate_rounding]}
        )
        if declared == execution_rate(fr.executed, fr.adjusted, alt):
            continue
        percent = fr.executed / fr.adjusted * HUNDRED
        how = f"{fr.executed} ÷ {fr.adjusted} × 100 = {computed}%"
        if places(declared) < rules.rate_places and rounds_to(declared, percent):
            yield Hit(
                f"funds.{key}.rate",
                f"{label}执行率填 {declared}%，是 {how} 少写了小数（不影响核对）",
                declared,
                computed,
                severity="info",
                fix=f"执行率按两位小数填写：{computed}。",
            )
            continue
        if ZERO < declared <= 1 < percent and rounds_to(declared, percent / HUNDRED):
            shown = (declared * HUNDRED).normalize()
            yield Hit(
                f"funds.{key}.rate",
                f"{label}执行率写成小数 {declared}（即 {shown:f}%），{how}",
                declared,
                computed,
                severity="info",
                fix=f"执行率以百分数填写：{computed}。",
            )
            continue
        yield Hit(
            f"funds.{key}.rate",
            f"{label}执行率填 {declared}%，{how}",
            declared,
            computed,
        )


@rule(
    "X02",
    "error",
    "预算执行率得分计算有误",
    rationale="执行率得分 = 执行率（封顶 100%）× 分值 ÷ 100，四舍五入到两位小数；"
    "用未取整的执行率或表上两位小数的执行率计算都接受（8.5255… 与 85.25 都得 8.53）。分值 10 来自"
    "财预〔2020〕10号 第十三条（预算执行率 10%）；central-2021 口径按财预〔2021〕101号 三（七）"
    "2 分档计分。得分只保留一位小数而四舍五入相符的（8.6 对 8.62），只作提示。分值不是模板的"
    "分值时（W07）不核对。",
    source="财预〔2020〕10号 第十三条 [C]；财预〔2021〕101号 三（七）2 [C]；参考表所见 8.53；"
    "“20分*执行率”[C 1wenmi]；AMT4/AMT3*10 [V]",
    fix="按执行率 × 分值 ÷ 100 重新计算得分，保留两位小数。",
    examples=[
        fires("执行率 85.00，得分填 9.00", spend("85.00", "85.00", "9.00", "99.00")),
        fires("执行率 86.20，得分填 8.6（提示）", spend("86.20", "86.20", "8.6", "98.6")),
        silent("执行率 85.00，得分 8.50", spend("85.00", "85.00", "8.50", "98.50")),
        silent(
            "分值 20 的表按 20 分计算",
            both(
                put(**{"funds.total.weight": "20.00", "funds.total.score": "20.00"}),
                row(2, weight="10.00", score="10.00"),
                put(total_score="100.00"),
            ),
        ),
    ],
)
def execution_score_matches(ctx: AuditContext) -> Iterator[Hit]:
    if not ctx.weight_allowed:
        return  # W07: no score is derived from a 分值 the template does not allow
    total = ctx.total
    declared = total.score
    computed = ctx.card.execution_score.computed
    if declared is None or not isinstance(computed, Decimal):
        return
    if ctx.close(declared, computed):
        return
    rules = ctx.policy.execution
    weight = ctx.exec_weight
    other_from = "displayed" if rules.score_from == "rate" else "rate"
    candidates = []
    for source in (rules.score_from, other_from):
        variant = ctx.variant(
            f"score-{source}-{weight}", execution={"score_from": source, "weight": weight}
        )
        candidates.append(execution_score(total.executed, total.adjusted, variant))
    if any(ctx.close(declared, c) for c in candidates):
        return
    expected = candidates[0]
    how = f"执行率 {ctx.rate}% × 分值 {weight} ÷ 100 = {expected}"
    if places(declared) == 1 and any(rounds_to(declared, c) for c in candidates if c):
        yield Hit(
            "funds.total.score",
            f"{how}，表上填 {declared}（保留一位小数，不影响核对）",
            declared,
            expected,
            severity="info",
            fix=f"得分按两位小数填写：{expected}。",
        )
        return
    yield Hit(
        "funds.total.score",
        f"{how}，表上填 {declared}",
        declared,
        expected,
    )


@rule(
    "X03",
    "warning",
    "全年执行数超过全年预算数",
    rationale="执行数大于预算数说明超预算支出或数字填错；执行率超过 100% 时得分仍以分值封顶。",
    source="[I]；得分封顶见 W04",
    fix="核对全年执行数与全年预算数；确属超支的，说明资金来源和审批依据。",
    examples=[
        fires(
            "执行 110.00 > 预算 100.00",
            both(
                spend("110.00", "110.00", "10.00"),
                put(
                    **{
                        "funds.fiscal.executed": "100.00",
                        "funds.fiscal.rate": "100.00",
                        "funds.other.executed": "10.00",
                    }
                ),
            ),
        ),
        silent("执行数等于预算数"),
    ],
)
def not_overspent(ctx: AuditContext) -> Iterator[Hit]:
    total = ctx.total
    executed, budget = total.executed, total.adjusted
    if executed is not None and budget is not None and ZERO < budget < executed:
        yield Hit(
            "funds.total.executed",
            f"全年执行数 {executed} 超过全年预算数 {budget}（执行率 {ctx.rate}%，得分以分值封顶）",
            executed,
            f"≤ {budget}",
        )


@rule(
    "X04",
    "warning",
    "预算数为 0 却有执行，或有预算而执行率为 0",
    rationale="预算为 0 却有支出，说明资金来源或预算调整未反映在表上；有预算而分文未支，"
    "说明项目未实施，绩效指标却可能填了完成。",
    source="系统黄色预警（amt3 = 0）[V]",
    fix="核对该行的预算数和执行数；项目未实施的，在偏差原因中说明。",
    examples=[
        fires("上年结转预算 0、执行 5.00", put(**{"funds.carryover.executed": "5.00"})),
        fires("预算 100.00、执行 0", spend("0.00", "0.00", "0.00", "90.00")),
        silent("预算与执行都为 0 的分项行", put(**{"funds.carryover.rate": "0.00"})),
    ],
)
def zero_budget_or_spend(ctx: AuditContext) -> Iterator[Hit]:
    for key in FUND_ROWS:
        fr = _row(ctx, key)
        label = FUND_ROW_LABELS[key]
        if fr.adjusted is None or fr.executed is None:
            continue
        if fr.adjusted == ZERO and fr.executed > ZERO:
            yield Hit(
                f"funds.{key}.executed",
                f"{label}全年预算数为 0，全年执行数却为 {fr.executed}",
                fr.executed,
                "与预算数相符",
            )
        elif fr.adjusted > ZERO and fr.executed == ZERO:
            yield Hit(
                f"funds.{key}.executed",
                f"{label}全年预算数 {fr.adjusted}，全年执行数为 0",
                fr.executed,
                "> 0",
            )


@rule(
    "X05",
    "warning",
    "预算执行率偏低",
    rationale="执行率低于阈值（默认 80%）说明资金没有按计划使用；财预〔2020〕10号 第二十六条要求"
    "“对预算执行率偏低…的项目，要单独说明原因，提出整改措施”。全表没有任何偏差说明时尤其要注意。",
    source="财预〔2020〕10号 第二十六条 [C]；系统黄色预警 < 80% [V]；"
    "第三方经验阈值 [V, third-party]"
    "（阈值 exec_rate_warn）",
    fix="在偏差原因分析及改进措施中说明执行率低的原因（如采购延后、结余）和改进措施。",
    examples=[
        fires("执行率 35.00%", spend("35.00", "35.00", "3.50", "93.50")),
        silent("执行率 80.00%（等于阈值）", spend("80.00", "80.00", "8.00", "98.00")),
        silent("执行率 100%"),
    ],
)
def low_execution(ctx: AuditContext) -> Iterator[Hit]:
    rate = ctx.rate
    limit = ctx.t.exec_rate_warn
    if rate is None or rate >= limit:
        return
    if ctx.explained:
        note = f"；偏差原因见{rows_text(ctx.explained)}"
    else:
        note = "，全表没有任何偏差原因说明"
    yield Hit(
        "funds.total.rate",
        f"执行率 {rate}% 低于 {limit}%{note}",
        rate,
        f"≥ {limit}",
    )


@rule(
    "X06",
    "info",
    "全年预算数与年初预算数不同（年中调整）",
    rationale="年初预算数与全年预算数不同说明年中调整过预算；执行率按调整后的预算计算，"
    "审核人应知道调整的幅度。",
    source="[I]；year_adj_amt 数据元素 [V]",
    fix="无需修改；如调整幅度大，在实际完成情况中说明调整原因。",
    examples=[
        fires(
            "年初 120.00，全年 100.00",
            put(**{"funds.total.initial": "120.00", "funds.fiscal.initial": "120.00"}),
        ),
        silent("年初与全年相同"),
    ],
)
def budget_adjusted(ctx: AuditContext) -> Iterator[Hit]:
    total = ctx.total
    if total.initial is None or total.adjusted is None or total.initial == total.adjusted:
        return
    change = total.adjusted - total.initial
    rel = ""
    if total.initial != ZERO:
        share = (change / total.initial * HUNDRED).quantize(Decimal("0.01"))
        rel = f"，{'+' if share > 0 else ''}{share}%"
    yield Hit(
        "funds.total.adjusted",
        f"年初预算数 {total.initial}，全年预算数 {total.adjusted}"
        f"（{'+' if change > 0 else ''}{change}{rel}）",
        total.adjusted,
        total.initial,
    )
