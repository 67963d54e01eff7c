"""W — weights (分值), scores (得分) and totals (reference/rules.md §5 C)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.context import ZERO, AuditContext, fmt, level_key
from jixiao.audit.examples import both, put, row
from jixiao.audit.registry import Hit, fires, rule, silent


@rule(
    "W01",
    "error",
    "指标分值与预算执行率分值合计不等于 100",
    rationale="总分按百分制：三级指标分值合计加预算执行率分值（通常 90 + 10）应等于 100，"
    "表上填报的总分分值也应等于这个合计。",
    source="模板“总分 100”；90 + 10 [V]；湖北式模板执行率 20 分 [C 1wenmi]（阈值 total_weight）",
    fix="调整各三级指标的分值，使其合计加执行率分值等于 100。",
    examples=[
        fires(
            "第2行分值 20 → 25，合计 105",
            both(row(2, weight="25.00", score="25.00"), put(total_score="105.00")),
        ),
        fires("表上总分分值写 90", put(total_weight="90.00")),
        silent("90 + 10 = 100"),
    ],
)
def weights_total(ctx: AuditContext) -> Iterator[Hit]:
    if not ctx.form.indicators:
        return  # S05: no indicator table at all
    exec_weight = ctx.exec_weight
    total = ctx.card.indicator_weight + exec_weight
    want = ctx.t.total_weight
    if total != want:
        yield Hit(
            "indicators[*].weight",
            f"三级指标分值合计 {ctx.card.indicator_weight} + 执行率分值 {exec_weight} = {total}，"
            f"应为 {want}",
            total,
            want,
        )
    declared = ctx.form.total_weight
    if declared is not None and declared != total:
        yield Hit(
            "total_weight",
            f"总分栏的分值填 {declared}，各项分值合计为 {total}",
            declared,
            total,
        )


@rule(
    "W02",
    "warning",
    "一级指标权重偏离 50/30/10/10",
    rationale="财预〔2020〕10号原则上把一级指标权重定为产出 50%、效益 30%、服务对象满意度 10%、"
    "预算执行率 10%；成本作为一级指标时与产出合计比较。偏离“原则上”的权重不是错误，但应有理由。",
    source="“原则上”[C fudaoke]；办法 [R]（阈值 level1_weights）",
    fix="按 50/30/10 调整一级指标下的分值，或在报送说明中写明调整理由。",
    examples=[
        fires(
            "效益 20、产出 50 + 成本 10 = 60",
            both(row(5, weight="10.00", score="10.00"), row(2, weight="30.00", score="30.00")),
        ),
        silent("成本 10 + 产出 40 = 50、效益 30、满意度 10"),
    ],
)
def level1_split(ctx: AuditContext) -> Iterator[Hit]:
    if not ctx.form.indicators:
        return
    sums: dict[str, Decimal] = {}
    for r in ctx.form.indicators:
        key = level_key(r.level1)
        key = "产出" if key == "成本" else key
        sums[key] = sums.get(key, ZERO) + (r.weight or ZERO)
    parts = []
    for name, want in ctx.t.level1_weights.items():
        have = sums.get(level_key(name), ZERO)
        if have != want:
            label = "成本+产出指标" if level_key(name) == "产出" else name
            parts.append((label, have, want))
    if parts:
        found = "，".join(f"{label} {have}（应为 {want}）" for label, have, want in parts)
        yield Hit(
            "indicators[*].weight",
            f"一级指标分值：{found}",
            "；".join(f"{label} {have}" for label, have, _ in parts),
            "；".join(f"{label} {want}" for label, _, want in parts),
        )


@rule(
    "W03",
    "error",
    "指标分值应大于 0",
    rationale="分值为 0 的指标不参与计分，等于没有设这个指标；要么删去，要么给它分值。",
    source="isCheckWeightGtZero 校验 [V]",
    fix="给该指标分配大于 0 的分值（并相应调整其他指标），或删除该指标。",
    examples=[
        fires(
            "第2行分值 0",
            both(row(2, weight="0.00", score="0.00"), row(5, weight="40.00", score="40.00")),
        ),
        silent("各行分值都大于 0"),
    ],
)
def weight_positive(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (r, _) in enumerate(ctx.rows, 1):
        if r.weight is not None and r.weight <= ZERO:
            yield ctx.row_hit(pos, "weight", f"分值为 {r.weight}", r.weight, "> 0")


@rule(
    "W04",
    "error",
    "得分超出 0 到分值的范围",
    rationale="每项得分不得为负，也不得突破该项分值（“得分不得突破权重总额”）；预算执行率得分同理。",
    source="[C 1wenmi]；系统把超出分值的得分置为分值 [V]",
    fix="把得分改为 0 到分值之间的数；超额完成也只能得满分。",
    examples=[
        fires("第2行分值 20、得分 22", both(row(2, score="22.00"), put(total_score="102.00"))),
        fires("执行率得分 12 超过分值 10", put(**{"funds.total.score": "12.00"})),
        silent("得分等于分值"),
    ],
)
def score_in_range(ctx: AuditContext) -> Iterator[Hit]:
    total = ctx.form.funds.total
    if (
        total.score is not None
        and total.weight is not None
        and not (ZERO <= total.score <= total.weight)
    ):
        yield Hit(
            "funds.total.score",
            f"预算执行率得分 {total.score} 不在 0–{total.weight} 之间",
            total.score,
            f"0–{total.weight}",
        )
    for pos, (r, _) in enumerate(ctx.rows, 1):
        if r.score is None or r.weight is None:
            continue
        if r.score < ZERO or r.score > r.weight:
            yield ctx.row_hit(
                pos,
                "score",
                f"得分 {r.score} 不在 0–{r.weight} 之间",
                r.score,
                f"0–{r.weight}",
            )


@rule(
    "W05",
    "error",
    "总分不等于各项得分之和",
    rationale="总分 = 预算执行率得分 + 各三级指标得分之和。差额超过容差即为计算错误；"
    "容差以内的差额作为舍入误差单独提示。",
    source="[V]（系统汇总 SQL）；开源自评检查工具 [V, third-party]（阈值 tolerance）",
    fix="按各项得分重新合计总分。",
    examples=[
        fires("总分填 99.00，各项合计 100.00", put(total_score="99.00")),
        fires("总分差 0.01（舍入误差，提示）", put(total_score="99.99")),
        silent("总分等于合计"),
    ],
)
def total_adds_up(ctx: AuditContext) -> Iterator[Hit]:
    declared = ctx.form.total_score
    computed = ctx.card.declared_sum
    if declared is None or computed is None or declared == computed:
        return
    drift = ctx.close(declared, computed)
    note = "（容差以内的舍入误差）" if drift else ""
    yield Hit(
        "total_score",
        f"总分填 {declared}，执行率得分 {fmt(ctx.form.funds.total.score)} 加各指标得分合计为 "
        f"{computed}{note}",
        declared,
        computed,
        severity="info" if drift else None,
    )


@rule(
    "W06",
    "error",
    "评分等级与总分不符",
    rationale="评分等级由总分决定：优 ≥ 90，良 [80, 90)，中 [60, 80)，差 < 60"
    "（下限含，档次由口径配置）。",
    source="财政部预算司 [C dz-gczx]；办法 [R]；地方口径 [V]",
    fix="按总分所在档次填写评分等级。",
    examples=[
        fires("总分 100 填“良”", put(grade="良")),
        silent("总分 100 为“优”"),
    ],
)
def grade_matches(ctx: AuditContext) -> Iterator[Hit]:
    declared = ctx.form.grade
    total = ctx.form.total_score
    if total is None or not declared:
        return
    want = ctx.policy.grade_for(total)
    if declared.strip() != want:
        yield Hit("grade", f"总分 {total} 应为“{want}”，表上填“{declared}”", declared, want)
