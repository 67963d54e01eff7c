"""W — weights (分值), scores (得分) and totals (docs/rules.md, family C)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.articles import WEIGHTS_2020, WEIGHTS_2021
from jixiao.audit.context import ZERO, AuditContext, fmt, level_key
from jixiao.audit.examples import both, drop_rows, put, row
from jixiao.audit.registry import Hit, fires, rule, silent
from jixiao.policy import AuditThresholds
from jixiao.scoring import execution_score


@rule(
    "W01",
    "error",
    "指标分值与预算执行率分值合计不等于 100",
    rationale="总分按百分制（财预〔2020〕10号 第十八条：“总分一般设置为100分”）：三级指标分值合计加"
    "预算执行率分值（第十三条：预算执行率 10%，即 90 + 10）应等于 100，"
    "表上填报的总分分值也应等于这个合计。模板没有逐行分值时不核对；导入不完整的表（S10）"
    "合计不足 100 时不核对（缺的行可能在中断处之后）。",
    source="财预〔2020〕10号 第十三条、第十八条、附1“总分 100”[C]；90 + 10 [V]；"
    "湖北式模板执行率 20 分 [C 1wenmi]（阈值 total_weight）",
    fix="调整各三级指标的分值，使其合计加执行率分值等于 100。",
    examples=[
        fires(
            "第2行分值 20 → 25，合计 105",
            both(row(2, weight="25.00", score="25.00"), put(total_score="105.00")),
        ),
        fires("表上总分分值写 90", put(total_weight="90.00")),
        silent("90 + 10 = 100"),
        silent("表在满意度处中断，合计 90", both(drop_rows(7), put(gaps=["满意度指标一行中断"]))),
    ],
)
def weights_total(ctx: AuditContext) -> Iterator[Hit]:
    if not ctx.form.indicators or not ctx.template.has_column("weight"):
        return  # S05: no indicator table at all; or a template without per-row 分值
    exec_weight = ctx.exec_weight
    total = ctx.card.indicator_weight + exec_weight
    want = ctx.t.total_weight
    if total != want and not (ctx.form.gaps and total < want):
        yield Hit(
            "indicators[*].weight",
            f"三级指标分值合计 {ctx.card.indicator_weight} + 执行率分值 {exec_weight} = {total}，"
            f"应为 {want}",
            total,
            want,
        )
    declared = ctx.form.total_weight
    if declared is not None and declared != total and not (ctx.form.gaps and total < declared):
        yield Hit(
            "total_weight",
            f"总分栏的分值填 {declared}，各项分值合计为 {total}",
            declared,
            total,
        )


@rule(
    "W02",
    "info",
    "一级指标权重与条文的原则性权重不同",
    rationale="财预〔2021〕101号 三（六）：设置成本指标的项目原则上按成本 20%、产出 40%、效益 20%、"
    "满意度 10% 设置一级指标权重，未设置成本指标的按产出 50%、效益 30%、满意度 10%"
    "（财预〔2020〕10号 第十三条同），不需设满意度指标的，效益相应调增 10%；预算执行率另占 10%。"
    "条文说“原则上”，并允许“有特殊情况”时调整，所以这是提示，不是错误。",
    source="财预〔2021〕101号 三（六）[C]；财预〔2020〕10号 第十三条 [C]"
    "（阈值 level1_weights、level1_weights_cost、satisfaction_to）；导入不完整的表（S10）不核对",
    fix="按条文的原则性权重调整一级指标下的分值，或在报送说明中写明调整理由。",
    examples=[
        fires(
            "无成本一级指标：效益 20、产出 60",
            both(row(5, weight="10.00", score="10.00"), row(2, weight="30.00", score="30.00")),
        ),
        fires(
            "成本作为一级指标：成本 10、产出 40、效益 30、满意度 10（101号应为 20/40/20/10）",
            row(1, level1="成本指标", level2="经济成本指标"),
        ),
        silent("产出 50（含成本二级指标）、效益 30、满意度 10"),
        silent(
            "成本作为一级指标：成本 20、产出 40、效益 20、满意度 10",
            both(
                row(1, level1="成本指标", level2="经济成本指标", weight="20.00", score="20.00"),
                row(5, weight="10.00", score="10.00"),
            ),
        ),
        silent(
            "没有满意度指标：产出 50、效益 40",
            both(drop_rows(7), row(5, weight="30.00", score="30.00")),
        ),
    ],
)
def level1_split(ctx: AuditContext) -> Iterator[Hit]:
    if not ctx.form.indicators or ctx.form.gaps or not ctx.template.has_column("weight"):
        return  # no table, an incomplete one (S10), or no per-row 分值 to add up
    sums: dict[str, Decimal] = {}
    for r in ctx.form.indicators:
        key = level_key(r.level1)
        sums[key] = sums.get(key, ZERO) + (r.weight or ZERO)
    expected, article = level1_expected(set(sums), ctx.t)
    parts = [
        (f"{name}指标", sums.get(name, ZERO), want)
        for name, want in expected.items()
        if sums.get(name, ZERO) != want
    ]
    if parts:
        found = "，".join(f"{label} {have}（原则上 {want}）" for label, have, want in parts)
        yield Hit(
            "indicators[*].weight",
            f"一级指标分值：{found}（{article}）",
            "；".join(f"{label} {have}" for label, have, _ in parts),
            "；".join(f"{label} {want}" for label, _, want in parts),
        )


def level1_expected(present: set[str], t: AuditThresholds) -> tuple[dict[str, Decimal], str]:
    """The 一级 weights the articles set in principle for a form whose 一级 indicators (as
    :func:`level_key` names them) are ``present``, and the article that sets them."""
    if "成本" in present and t.level1_weights_cost:
        table, article = t.level1_weights_cost, str(WEIGHTS_2021)
    else:
        table, article = t.level1_weights, f"{WEIGHTS_2020}；{WEIGHTS_2021}"
    expected = {level_key(k): v for k, v in table.items()}
    if "满意度" not in present and "满意度" in expected:
        moved = expected.pop("满意度")
        to = level_key(t.satisfaction_to)
        expected[to] = expected.get(to, ZERO) + moved
    return expected, article


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
        ctx.weight_allowed  # else W07
        and total.score is not None
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
    "W07",
    "error",
    "预算执行率的分值不是本表模板的分值",
    rationale="预算执行率的分值由模板规定：全国模板为 10 分（财预〔2020〕10号 第十三条），"
    "湖北等地的模板为 20 分。填了不超过模板分值的别的数（如 9）是改动了权重，为警告，"
    "得分按表上的分值核对；"
    "超过模板分值的数（如 100，多半是把总分栏填进了执行率一行）不是执行率的分值，为错误："
    "其他规则按模板的分值核对，不再从这个数推算得分。",
    source="财预〔2020〕10号 第十三条 [C]；湖北式模板执行率 20 分 [C 1wenmi]；"
    "鄂州 2021 年自评表所见（分值 100、得分 98）[C samples]",
    fix="按模板填写预算执行率的分值，并按 执行率 × 分值 ÷ 100 重新计算得分。",
    examples=[
        fires(
            "分值填 100、得分 98",
            put(**{"funds.total.weight": "100.00", "funds.total.score": "98.00"}),
        ),
        fires(
            "分值填 9（警告）",
            both(
                put(**{"funds.total.weight": "9.00", "funds.total.score": "9.00"}),
                row(2, weight="21.00", score="21.00"),
            ),
        ),
        silent("分值 10"),
        silent(
            "分值 20 的模板",
            both(
                put(**{"funds.total.weight": "20.00", "funds.total.score": "20.00"}),
                row(2, weight="10.00", score="10.00"),
                put(total_score="100.00"),
            ),
        ),
    ],
)
def execution_weight_allowed(ctx: AuditContext) -> Iterator[Hit]:
    declared = ctx.form.funds.total.weight
    allowed = " 或 ".join(str(w) for w in ctx.template.execution_weights)
    if declared is None or declared in ctx.template.execution_weights:
        return
    if ctx.weight_allowed:
        yield Hit(
            "funds.total.weight",
            f"预算执行率的分值填 {declared}，本表模板的分值为 {allowed}；"
            f"执行率得分按表上的分值 {declared} 核对",
            declared,
            allowed,
            severity="warning",
        )
        return
    want = ctx.template.execution_weight
    why = ""
    if declared == ctx.t.total_weight:
        why = f"（{declared} 是总分的分值，像是把总分栏填进了执行率一行）"
    total = ctx.total
    variant = ctx.variant(f"weight-{want}", execution={"weight": want})
    score = execution_score(total.executed, total.adjusted, variant)
    worth = ""
    if score is not None and ctx.rate is not None:
        worth = f"；按分值 {want}，执行率 {ctx.rate}% 应得 {score}"
        if ctx.form.funds.total.score is not None:
            worth += f"，表上得分 {ctx.form.funds.total.score}"
    yield Hit(
        "funds.total.weight",
        f"预算执行率的分值填 {declared}，本表模板的分值为 {allowed}{why}{worth}",
        declared,
        want,
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
    "（财预〔2020〕10号 第十八条：“90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、"
    "60分以下为差”；下限含，档次由口径配置）。",
    source="财预〔2020〕10号 第十八条 [C]；财政部预算司 [C dz-gczx]；地方口径 [V]",
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
