"""P — plausibility and inflated self-scores (自评虚高) (docs/rules.md, family G)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

from jixiao.audit.context import (
    HUNDRED,
    ZERO,
    AuditContext,
    is_placeholder,
    level_key,
    money_in,
    pct,
    rows_text,
    squash,
)
from jixiao.audit.examples import add_row, base_form, both, put, row, spend
from jixiao.audit.registry import Hit, fires, rule, silent
from jixiao.values import Deadline, Qualitative, Quantity, parse_value


@rule(
    "P01",
    "warning",
    "指标完成度明显高于预算执行率（钱绩不符）",
    rationale="指标得分率（Σ指标得分 ÷ Σ指标分值）远高于预算执行率，说明钱没花完、绩效却报满，"
    "是“刻意抬高分数”的典型信号：(得分率 − 执行率) ÷ 得分率 超过阈值（默认 5%）即提示。"
    "自评应“数据真实、结果客观”（财预〔2020〕10号 第二十五条）。",
    source="财预〔2020〕10号 第二十五条 [C]；系统红色预警规则 [V]；“严禁刻意抬高分数”[C baogao]"
    "（阈值 mismatch_rel_gap）",
    fix="核对指标完成值是否真实；资金未用完的，相应指标应如实填报并调减得分，并说明原因。",
    examples=[
        fires("执行率 35%，指标全部满分", spend("35.00", "35.00", "3.50", "93.50")),
        silent("执行率 96%，指标全部满分", spend("96.00", "96.00", "9.60", "99.60")),
    ],
)
def money_performance_gap(ctx: AuditContext) -> Iterator[Hit]:
    weight = ctx.card.indicator_weight
    declared = ctx.card.indicator_score.declared
    rate = ctx.rate
    if weight <= ZERO or not isinstance(declared, Decimal) or rate is None or declared <= ZERO:
        return
    r_ind = declared / weight
    r_exe = max(ZERO, min(rate, HUNDRED)) / HUNDRED
    gap = (r_ind - r_exe) / r_ind
    if gap > ctx.t.mismatch_rel_gap:
        points = ((r_ind - r_exe) * HUNDRED).quantize(Decimal("0.01"))
        yield Hit(
            "funds.total.rate",
            f"指标得分率 {pct(r_ind)}，预算执行率 {rate}%，高出 {points} 个百分点"
            f"（相对差 {pct(gap)}，阈值 {pct(ctx.t.mismatch_rel_gap)}）",
            pct(r_ind),
            f"≤ {pct(r_exe / (1 - ctx.t.mismatch_rel_gap))}",
        )


@rule(
    "P02",
    "warning",
    "指标全部满分，但有目标未完成或执行率偏低",
    rationale="每个指标都记满分，同时又有指标未达到目标、或预算执行率低于阈值（默认 90%），"
    "自评得分很可能虚高，不合“数据真实、结果客观”（财预〔2020〕10号 第二十五条）。",
    source="财预〔2020〕10号 第二十五条 [C]；[I]；“严禁刻意抬高分数”[C baogao]"
    "（阈值 inflation_exec_rate）",
    fix="逐项核对满分的依据；未完成的指标按规则扣分，执行率低的说明原因。",
    examples=[
        fires("执行率 85%，全部满分", spend("85.00", "85.00", "8.50", "98.50")),
        fires("第2行未完成仍满分", row(2, actual="80.00(台)")),
        silent("执行率 90%，全部完成", spend("90.00", "90.00", "9.00", "99.00")),
    ],
)
def all_full_marks(ctx: AuditContext) -> Iterator[Hit]:
    rows = ctx.filled_rows
    if not rows or any(r.score is None or r.weight is None or r.score < r.weight for r, _ in rows):
        return
    reasons = []
    unmet = [s.position for _, s in rows if s.met is False]
    if unmet:
        reasons.append(rows_text(unmet) + "未达到目标")
    rate = ctx.rate
    if rate is not None and rate < ctx.t.inflation_exec_rate:
        reasons.append(f"执行率 {rate}% 低于 {ctx.t.inflation_exec_rate}%")
    if reasons:
        yield Hit(
            "indicators[*].score",
            f"全部 {len(rows)} 个指标满分，但{'，'.join(reasons)}",
            "全部满分",
            "按完成情况扣分",
        )


_COST_NAME = ("成本", "费用", "经费")
_RATE_NAME = ("控制率", "执行率")


@rule(
    "P03",
    "warning",
    "成本指标与全年执行数对不上",
    rationale="“总成本 ≤ X 万元”一类指标的完成值应接近全年执行数；“总成本控制率”的完成值应接近"
    "预算执行率。完成值恰好等于指标值、而执行数并非如此，多半是照抄了目标。",
    source="[I]；“项目总成本 ≤90万元 / 实际 90”实例 [C anthempetcare]（阈值 cost_tolerance）",
    fix="用全年执行数（或执行率）填写成本指标的完成值。",
    examples=[
        fires(
            "总成本完成值 100 万元，执行数 80 万元",
            both(
                spend("80.00", "80.00", "8.00", "98.00"),
                add_row("成本指标", "经济成本指标", "项目总成本", "≤100.00(万元)", "100.00(万元)"),
            ),
        ),
        fires(
            "总成本控制率报 100%，执行率 80%",
            both(
                spend("80.00", "80.00", "8.00", "98.00"),
                add_row("成本指标", "经济成本指标", "总成本控制率", "≤100.00(%)", "100.00(%)"),
            ),
        ),
        silent(
            "总成本完成值等于执行数 80 万元",
            both(
                spend("80.00", "80.00", "8.00", "98.00"),
                add_row("成本指标", "经济成本指标", "项目总成本", "≤100.00(万元)", "80.00(万元)"),
            ),
        ),
    ],
)
def cost_reconciles(ctx: AuditContext) -> Iterator[Hit]:
    executed = ctx.total.executed
    tol = ctx.t.cost_tolerance
    for r, s in ctx.rows:
        name = squash(r.name)
        cost = "成本" in (level_key(r.level1), level_key(r.level2))
        if not (cost or any(w in name for w in _COST_NAME)):
            continue
        t, a = s.target, s.actual
        if not (isinstance(t, Quantity) and isinstance(a, Quantity)):
            continue
        unit = a.unit or t.unit
        amount = None
        if money_in(t, ctx.form.amount_unit) is not None:
            amount = money_in(Quantity(a.text, None, a.number, unit), ctx.form.amount_unit)
        if amount is not None and executed is not None and executed > ZERO:
            if abs(amount - executed) / executed > tol:
                copied = "，且恰好等于指标值" if a.number == t.number else ""
                yield ctx.row_hit(
                    s.position,
                    "actual",
                    f"成本完成值 {a.text}{copied}，全年执行数为 {executed}{ctx.form.amount_unit}",
                    a.text,
                    f"{executed}{ctx.form.amount_unit}",
                )
        elif t.unit == "%" and "成本" in name and any(w in name for w in _RATE_NAME):
            rate = ctx.rate
            if rate is not None and abs(a.number - rate) > tol * HUNDRED:
                copied = "，且恰好等于指标值" if a.number == t.number else ""
                yield ctx.row_hit(
                    s.position,
                    "actual",
                    f"“{r.name}”完成值 {a.text}{copied}，预算执行率为 {rate}%",
                    a.text,
                    f"{rate}(%)",
                )


_UNIT_COST = re.compile(r"^(万元|元)/(.+)$")


@rule(
    "P04",
    "info",
    "单价 × 数量 超过全年执行数",
    rationale="单价类指标（元/人、元/场）的完成值乘以对应数量指标的完成值，不应超过全年执行数；"
    "超过说明单价、数量或执行数至少有一个不实。",
    source="[I]（容差 cost_tolerance）",
    fix="核对单价和数量的完成值与支出明细。",
    examples=[
        fires(
            "1.50 万元/台 × 100 台 = 150 万元 > 执行数 100 万元",
            row(1, target="≤2.00(万元/台)", actual="1.50(万元/台)"),
        ),
        silent("0.95 万元/台 × 100 台 = 95 万元"),
    ],
)
def unit_cost_plausible(ctx: AuditContext) -> Iterator[Hit]:
    executed = ctx.total.executed
    if executed is None or executed <= ZERO:
        return
    quantities: dict[str, tuple[int, Decimal]] = {}
    for _, s in ctx.rows:
        if isinstance(s.actual, Quantity) and isinstance(s.target, Quantity) and s.target.unit:
            quantities.setdefault(s.target.unit, (s.position, max(ZERO, s.actual.number)))
    for s in ctx.card.indicators:
        t, a = s.target, s.actual
        if not (isinstance(t, Quantity) and isinstance(a, Quantity)):
            continue
        m = _UNIT_COST.match(t.unit)
        if not m or (a.unit and a.unit != t.unit) or m.group(2) not in quantities:
            continue
        price = money_in(Quantity(a.text, None, a.number, m.group(1)), ctx.form.amount_unit)
        if price is None:
            continue
        pos, count = quantities[m.group(2)]
        product = price * count
        if product > executed * (1 + ctx.t.cost_tolerance):
            yield ctx.row_hit(
                s.position,
                "actual",
                f"单价 {a.text} × 第{pos}行数量 {count}{m.group(2)} = "
                f"{product.quantize(Decimal('0.01'), rounding='ROUND_HALF_UP')}"
                f"{ctx.form.amount_unit}，超过全年执行数 {executed}{ctx.form.amount_unit}",
                a.text,
                f"单价 × 数量 ≤ {executed}{ctx.form.amount_unit}",
            )


def _vague(s: Any) -> bool:
    t = s.target
    return isinstance(t, Qualitative) or (isinstance(t, Deadline) and t.form == "timely")


@rule(
    "P05",
    "warning",
    "定性指标过多",
    rationale="定性指标（“健全”“有效提升”“及时”）占指标个数或分值的一半以上时，绩效目标笼统、"
    "缺乏可量化指标，完成情况也多只写“达成指标”，难以核实。财预〔2021〕101号 一（二）3："
    "“绩效指标应细化、量化，具有明确的评价标准”，确难以量化的才采用定性表述。",
    source="财预〔2021〕101号 一（二）3 [C]；“绩效目标设置笼统、缺乏可量化指标”[V, third-party]"
    "（阈值 qualitative_share）",
    fix="把能量化的目标改为“符号 数值(单位)”的定量指标，如知晓率 ≥ 80%。",
    examples=[
        fires(
            "4 个定性指标，分值 60",
            both(
                row(2, target="足量", actual="达成指标"),
                row(3, target="合格", actual="达成指标"),
                row(5, target="有效提升", actual="达成指标"),
            ),
        ),
        silent("1 个定性指标"),
    ],
)
def qualitative_share(ctx: AuditContext) -> Iterator[Hit]:
    rows = [s for _, s in ctx.filled_rows]
    if not rows:
        return
    vague = [s for s in rows if _vague(s)]
    total_w = sum((s.weight or ZERO for s in rows), ZERO)
    vague_w = sum((s.weight or ZERO for s in vague), ZERO)
    share_n = Decimal(len(vague)) / Decimal(len(rows))
    share_w = vague_w / total_w if total_w > ZERO else ZERO
    limit = ctx.t.qualitative_share
    if share_n > limit or share_w > limit:
        shown = "、".join(f"“{s.target.text}”" for s in vague[:6])
        more = " 等" if len(vague) > 6 else ""
        yield Hit(
            "indicators[*].target",
            f"{len(rows)} 个指标中 {len(vague)} 个为定性（{pct(share_n)}，分值 {vague_w}/{total_w}"
            f" = {pct(share_w)}）：{shown}{more}",
            pct(max(share_n, share_w)),
            f"≤ {pct(limit)}",
        )


def _is_satisfaction(r: Any) -> bool:
    return level_key(r.level1) == "满意度" or "满意" in squash(r.name)


@rule(
    "P06",
    "warning",
    "完成值与目标值完全一致，或满意度全为 100%",
    rationale="所有定量指标的完成值都恰好等于指标值（默认至少 3 个），或满意度全部报 100%，"
    "多半是照抄目标而非实际测量；满意度应来自调查（财预〔2021〕101号 二（四）：“应开展满意度调查"
    "或者其他收集满意度反馈的工作”），调查常有样本不足的问题。",
    source="财预〔2021〕101号 二（四）[C]；“满意度调查样本不足”[V, third-party]；[I]"
    "（阈值 copied_min_rows）",
    fix="填写实际测得的完成值，满意度附调查方式和样本量。",
    examples=[
        fires("满意度报 100%", row(7, actual="100.00(%)")),
        fires(
            "每个定量指标都恰好等于目标",
            both(
                row(1, actual="1.00(万元/台)"), row(5, actual="20.00(%)"), row(7, actual="90.00(%)")
            ),
        ),
        silent("有完成值与目标不同"),
    ],
)
def copied_targets(ctx: AuditContext) -> Iterator[Hit]:
    sat = [
        (s.position, s.actual.number)
        for r, s in ctx.rows
        if _is_satisfaction(r) and isinstance(s.actual, Quantity) and s.actual.unit == "%"
    ]
    if sat and all(number == HUNDRED for _, number in sat):
        yield Hit(
            "indicators[*].actual",
            "满意度指标全部为 100%：" + rows_text(pos for pos, _ in sat),
            "100%",
            "实际调查结果",
        )
        return
    quant = [
        (s.position, s.actual.number == s.target.number)
        for s in ctx.card.indicators
        if isinstance(s.target, Quantity) and isinstance(s.actual, Quantity)
    ]
    if len(quant) >= ctx.t.copied_min_rows and all(same for _, same in quant):
        yield Hit(
            "indicators[*].actual",
            f"全部 {len(quant)} 个定量指标的完成值都恰好等于指标值："
            + rows_text(pos for pos, _ in quant),
            "完成值 = 指标值",
            "实际测得的完成值",
        )


@rule(
    "P07",
    "warning",
    "实际完成情况几乎照抄预期目标",
    rationale="年度总体目标的实际完成情况与预期目标几乎相同（相似度默认 ≥ 90%），"
    "只是改了几个动词，没有报告实际做了什么、做到什么程度（财预〔2020〕10号 第二十五条：内容完整、"
    "数据真实）。",
    source="财预〔2020〕10号 第二十五条 [C]；[I]（阈值 narrative_similarity）",
    fix="用实际数字和事实写完成情况：完成了多少、什么时候、效果如何。",
    examples=[
        fires(
            "完成情况 = 预期目标加“已”",
            put(**{"goals.achieved": "已购置社区服务设备100台并投入使用，缩短群众办事等候时间。"}),
        ),
        silent("完成情况写了实际数字"),
    ],
)
def narrative_copied(ctx: AuditContext) -> Iterator[Hit]:
    expected = squash(ctx.form.goals.expected)
    achieved = squash(ctx.form.goals.achieved)
    if not expected or not achieved:
        return
    limit = float(ctx.t.narrative_similarity)
    size = len(expected) + len(achieved)
    # Upper bounds of the similarity first (length, then shared characters): cheap rejects.
    if 2 * min(len(expected), len(achieved)) < limit * size:
        return
    if 2 * sum((Counter(expected) & Counter(achieved)).values()) < limit * size:
        return
    matcher = SequenceMatcher(None, expected, achieved, autojunk=False)
    similarity = Decimal(str(round(matcher.ratio(), 4)))
    if similarity >= ctx.t.narrative_similarity:
        yield Hit(
            "goals.achieved",
            f"实际完成情况与预期目标的相似度为 {pct(similarity)}",
            pct(similarity),
            f"< {pct(ctx.t.narrative_similarity)}",
        )


@rule(
    "P08",
    "warning",
    "完成值偏离指标值较大却没有说明",
    rationale="定量指标完成值与指标值相差超过阈值（默认 20%），无论超额还是不足，都应说明原因；"
    "超额较多还说明指标值可能定得过低（财预〔2020〕10号 第十六条：“对完成值高于指标值较多的，"
    "要分析原因”）。",
    source="财预〔2020〕10号 第十六条 [C]；“|实际值−目标值|/目标值>20%”[V, third-party]；D01 / Q07"
    "（阈值 deviation_gap）",
    fix="在偏差原因分析及改进措施中说明偏离的原因。",
    examples=[
        fires("目标 ≥20%，完成 30%，无说明", row(5, actual="30.00(%)")),
        silent(
            "目标 ≥20%，完成 30%，有说明",
            row(5, actual="30.00(%)", deviation="新增自助终端，分流效果超过预期，明年提高目标。"),
        ),
        silent("偏离 20% 以内"),
    ],
)
def large_gap_unexplained(ctx: AuditContext) -> Iterator[Hit]:
    limit = ctx.t.deviation_gap
    for r, s in ctx.rows:
        t, a = s.target, s.actual
        if not (isinstance(t, Quantity) and isinstance(a, Quantity)) or t.number == ZERO:
            continue
        gap = abs(a.number - t.number) / abs(t.number)
        if gap > limit and is_placeholder(r.deviation):
            yield ctx.row_hit(
                s.position,
                "deviation",
                f"完成值 {a.text} {'高于' if a.number > t.number else '低于'}指标值 {t.text} "
                f"{pct(gap)}（超过 {pct(limit)}），"
                f"未说明原因（{ctx.policy.basis.overrun}：要分析原因）",
                pct(gap),
                f"≤ {pct(limit)}，或说明原因",
            )


def same_target(a: str, b: str) -> bool:
    """Whether two 指标值 say the same (“≥100(台)” and “≥100.00(台)” do)."""
    va, vb = parse_value(a), parse_value(b)
    if isinstance(va, Quantity) and isinstance(vb, Quantity):
        return (va.op, va.number, va.unit) == (vb.op, vb.number, vb.unit)
    return squash(a) == squash(b)


def _approved(changes: dict[int, str] | None = None) -> dict[str, Any]:
    form = base_form()
    rows = [{"name": r["name"], "target": r["target"]} for r in form["indicators"]]
    for pos, target in (changes or {}).items():
        rows[pos - 1]["target"] = target
    return {"forms": [{"project": form["project"], "year": form["year"], "indicators": rows}]}


@rule(
    "P09",
    "info",
    "年度指标值与批复的指标值不同",
    rationale="自评应“对照年初预算设定的绩效目标及指标值”；自评表上的年度指标值与批复的不同，"
    "说明目标被事后改动过。单位自评指标是“预算批复时确定的绩效指标”（财预〔2020〕10号 第十三条），"
    "“设立后原则上不得调整”（财预〔2021〕101号 三（六））。只有提供批复指标文件时才能检查。",
    source="财预〔2020〕10号 第十三条 [C]；财预〔2021〕101号 三（六）[C]；"
    "“对照年初预算设定的绩效目标及指标值”[C baogao]；kpi_id 关联 [V]",
    fix="按批复的指标值填写；确经调整的，附调整批复。",
    examples=[
        fires("批复 ≥120 台，表上 ≥100 台", targets=_approved({2: "≥120.00(台)"})),
        fires("批复文件中没有本项目", put(project="另一个项目"), targets=_approved()),
        silent(
            "与批复一致（“≥100(台)”与“≥100.00(台)”视为相同）",
            row(2, target="≥100(台)"),
            targets=_approved(),
        ),
        silent("没有提供批复指标文件"),
    ],
)
def approved_targets(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.targets is None:
        return
    approved = ctx.targets.for_form(ctx.form)
    if approved is None:
        yield Hit(
            "project",
            f"{ctx.targets.origin}中没有项目“{ctx.form.project}”（{ctx.form.year or '年度不详'}）",
            ctx.form.project,
            "批复文件中的项目名称",
        )
        return
    by_name = {squash(a.name): a for a in approved}
    seen = set()
    for r, s in ctx.rows:
        key = squash(r.name)
        a = by_name.get(key)
        if a is None:
            yield ctx.row_hit(s.position, "name", f"批复指标中没有“{r.name}”", r.name, "批复的指标")
            continue
        seen.add(key)
        if not same_target(r.target, a.target):
            yield ctx.row_hit(
                s.position,
                "target",
                f"年度指标值“{r.target}”与批复的“{a.target}”不同",
                r.target,
                a.target,
            )
    for a in approved:
        if squash(a.name) not in seen:
            yield Hit(
                "indicators",
                f"批复的指标“{a.name}”（{a.target}）不在自评表上",
                None,
                a.name,
            )


@rule(
    "P10",
    "warning",
    "评为“优”但执行率很低或有未达成的指标",
    rationale="执行率低于阈值（默认 60%）或有定性指标“未达成”，却自评为最高等级，结论不可信。",
    source="[I]（阈值 grade_exec_rate）",
    fix="核对各项得分；按实际完成情况评分后，等级自然会下调。",
    examples=[
        fires("执行率 35%，评“优”", spend("35.00", "35.00", "3.50", "93.50")),
        fires(
            "有定性指标未达成，评“优”",
            both(
                row(
                    6,
                    actual="未达成年度指标且效果较差",
                    score="5.00",
                    deviation="运维制度未建立，原因是人员调整，下一步年内出台。",
                ),
                put(total_score="95.00"),
            ),
        ),
        silent("执行率 60%，评“中”以上", spend("60.00", "60.00", "6.00", "96.00")),
    ],
)
def top_grade_doubtful(ctx: AuditContext) -> Iterator[Hit]:
    top = ctx.policy.grades[0].grade
    if (ctx.form.grade or "").strip() != top:
        return
    reasons = []
    rate = ctx.rate
    if rate is not None and rate < ctx.t.grade_exec_rate:
        reasons.append(f"执行率 {rate}% 低于 {ctx.t.grade_exec_rate}%")
    unmet = [s.position for s in ctx.card.indicators if s.level == "unmet"]
    if unmet:
        reasons.append(rows_text(unmet) + "未达成")
    if reasons:
        yield Hit("grade", f"评为“{top}”，但{'，'.join(reasons)}", top, "与完成情况相符的等级")
