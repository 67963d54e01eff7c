"""Q — indicator scores recomputed by the scorecard and compared (docs/rules.md, family E)."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.context import AuditContext, fmt, is_placeholder, places, rounds_to, squash
from jixiao.audit.examples import both, put, row
from jixiao.audit.registry import Hit, Severity, fires, rule, silent
from jixiao.scoring import IndicatorScore, overrun_cut, score_indicator
from jixiao.values import LEVEL_LABELS, Quantity


def _allowed(ctx: AuditContext, s: IndicatorScore) -> bool:
    """The declared 得分 lies in the scorecard's allowed range, within tolerance."""
    if s.declared is None or s.low is None or s.high is None:
        return True  # nothing to compare (S05, or unscorable: Q06)
    return s.low - ctx.tol <= s.declared <= s.high + ctx.tol


def _score_hit(ctx: AuditContext, s: IndicatorScore, what: str) -> Hit:
    expected = fmt(s.recommended) if s.low == s.high else f"{fmt(s.low)}–{fmt(s.high)}"
    if (
        s.declared is not None
        and s.low == s.high
        and places(s.declared) == 1
        and rounds_to(s.declared, s.recommended)
    ):
        return ctx.row_hit(
            s.position,
            "score",
            f"{what}：得分填 {s.declared}，是 {expected} 保留一位小数（{s.reason}），不影响核对",
            s.declared,
            expected,
            severity="info",
            fix=f"得分按两位小数填写：{expected}。",
        )
    return ctx.row_hit(
        s.position,
        "score",
        f"{what}：得分填 {s.declared}，应为 {expected}（{s.reason}）",
        s.declared,
        expected,
    )


@rule(
    "Q01",
    "error",
    "正向指标得分计算有误",
    rationale="正向指标（≥、>）：完成值达到指标值记满分，未达到按 分值 × 完成值 ÷ 指标值 记分"
    "（财预〔2020〕10号 第十六条：“未完成指标值的，按照完成值与指标值的比例记分”）；"
    "central-2021 口径另设 60% 及格线（财预〔2021〕101号 三（七）2）。得分只保留一位小数而四舍五入"
    "相符的（4.8 对 4.84），只作提示。",
    source="财预〔2020〕10号 第十六条 [C]；财预〔2021〕101号 三（七）2 [C]；"
    "[C 1wenmi, biz.doczj]；[V]"
    "（容差 tolerance，及格线 pass_mark）",
    fix="按 分值 × 完成值 ÷ 指标值（四舍五入两位）改正得分。",
    examples=[
        fires("完成 80 台（目标 ≥100）仍记满分 20", row(2, actual="80.00(台)")),
        silent(
            "完成 80 台记 16.00",
            both(
                row(
                    2,
                    actual="80.00(台)",
                    score="16.00",
                    deviation="供应商延期交货，余下20台明年一季度到货。",
                ),
                put(total_score="96.00"),
            ),
        ),
        fires(
            "完成 95 台记 18.6：不是 19.00 的舍入",
            both(
                row(
                    2,
                    actual="95.00(台)",
                    score="18.6",
                    deviation="供应商延期交货，余下5台明年一季度到货。",
                ),
                put(total_score="98.6"),
            ),
        ),
        fires(
            "完成 97.3 台记 19.5（19.46 保留一位小数，提示）",
            both(
                row(
                    2,
                    actual="97.30(台)",
                    score="19.5",
                    deviation="供应商延期交货，余下台数明年一季度到货。",
                ),
                put(total_score="99.5"),
            ),
        ),
        silent("达到目标记满分"),
    ],
)
def positive_score(ctx: AuditContext) -> Iterator[Hit]:
    for s in ctx.card.indicators:
        if s.method == "positive" and not _allowed(ctx, s):
            yield _score_hit(ctx, s, "正向指标")


@rule(
    "Q02",
    "error",
    "反向指标得分计算有误",
    rationale="反向指标（≤、<）：完成值不超过指标值记满分；超过时按 分值 × 指标值 ÷ 完成值 记分，"
    "也接受线性算法 分值 × (1 − (完成值 − 指标值) ÷ 指标值)。条文（财预〔2020〕10号 第十六条）只说"
    "“按照完成值与指标值的比例记分”，反向指标的比例取法来自地方模板和系统。",
    source="财预〔2020〕10号 第十六条 [C]；[C 1wenmi, biz.doczj]；selfreverseindex [V]"
    "（算法 reverse_formula）",
    fix="按反向指标公式改正得分。",
    examples=[
        fires("单价 1.25 超过上限 1.00 仍记满分", row(1, actual="1.25(万元/台)")),
        silent(
            "按 A/B 记 8.00",
            both(
                row(
                    1,
                    actual="1.25(万元/台)",
                    score="8.00",
                    deviation="钢材涨价导致单价超标，下一批改为集中采购。",
                ),
                put(total_score="98.00"),
            ),
        ),
        silent(
            "按线性算法记 7.50",
            both(
                row(
                    1,
                    actual="1.25(万元/台)",
                    score="7.50",
                    deviation="钢材涨价导致单价超标，下一批改为集中采购。",
                ),
                put(total_score="97.50"),
            ),
        ),
    ],
)
def reverse_score(ctx: AuditContext) -> Iterator[Hit]:
    other = "linear" if ctx.policy.indicators.reverse_formula == "ratio" else "ratio"
    for r, s in ctx.rows:
        if s.method != "reverse" or _allowed(ctx, s):
            continue
        alt = score_indicator(
            r, s.position, ctx.variant(f"rev-{other}", indicators={"reverse_formula": other})
        )
        if _allowed(ctx, alt):
            continue
        yield _score_hit(ctx, s, "反向指标")


@rule(
    "Q03",
    "warning",
    "等于指标未恰好达到，或得分有误",
    rationale="等于指标（=）要求完成值恰好等于指标值；不等时按比例记分并提请复核"
    "（天津模式标红复核）。",
    source="selfequalindex [V]；天津复核标红 [V]",
    fix="核对完成值；确实不等的，按比例记分并说明原因，或把指标改为 ≥ / ≤。",
    examples=[
        fires("“=100.00(%)”完成 98%", row(3, actual="98.00(%)")),
        silent("完成值恰好等于指标值"),
    ],
)
def equal_score(ctx: AuditContext) -> Iterator[Hit]:
    for s in ctx.card.indicators:
        if s.method != "equal":
            continue
        exact = (
            isinstance(s.target, Quantity)
            and isinstance(s.actual, Quantity)
            and (s.actual.number == s.target.number)
        )
        ok = _allowed(ctx, s)
        if exact and ok:
            continue
        parts = []
        if not exact:
            parts.append(f"等于指标“{s.target.text}”的完成值为“{s.actual.text}”，不相等，需复核")
        if not ok:
            parts.append(f"得分填 {s.declared}，按规则应为 {fmt(s.recommended)}")
        yield ctx.row_hit(
            s.position,
            "actual" if ok else "score",
            "；".join(parts),
            s.actual.text if ok else s.declared,
            s.target.text if ok else s.recommended,
        )


@rule(
    "Q04",
    "info",
    "完成值为负数，按 0 计分",
    rationale="负的实际完成值没有计分意义，系统按 0 处理；多半是把变化量（降幅）写成了完成值。",
    source="系统把负的完成值置为 0 [V]",
    fix="填写完成值本身（非负数）；降幅类指标改用“降低率”并以正数表示。",
    examples=[
        fires(
            "完成值 -5(%)",
            row(
                5,
                actual="-5.00(%)",
                score="0.00",
                deviation="统计口径变化，等候时间反而增加，下一步增设窗口。",
            ),
        ),
        silent("完成值为正数"),
    ],
)
def negative_actual(ctx: AuditContext) -> Iterator[Hit]:
    for s in ctx.card.indicators:
        if isinstance(s.actual, Quantity) and s.actual.number < 0:
            yield ctx.row_hit(
                s.position,
                "actual",
                f"完成值 {s.actual.text} 为负数，按 0 计分",
                s.actual.text,
                "≥ 0",
            )


@rule(
    "Q05",
    "error",
    "定性或时效指标得分不在所属档次内",
    rationale="定性指标按三档计分：达成 [80%, 100%]、部分达成 [60%, 80%)、未达成 [0, 60%) × 分值"
    "（财预〔2020〕10号 第十六条：“100%-80%（含）、80%-60%（含）、60%-0%”；"
    "财预〔2021〕101号 三（七）3 "
    "同，三档称基本达成目标、部分实现目标、实现目标程度较低；部分地方为 80/50）；"
    "时效指标按是否按时完成归档。",
    source="财预〔2020〕10号 第十六条 [C]；财预〔2021〕101号 三（七）3 [C]；"
    "selfqualscorecheck [V]；"
    "80/50 变体 [C 1wenmi]（qualitative_met / partial）",
    fix="按完成情况所属档次改正得分，或如实改写完成情况。",
    examples=[
        fires("“部分达成”仍记满分", row(6, actual="部分达成年度指标并具有一定效果")),
        silent(
            "“部分达成”记 7.00",
            both(
                row(
                    6,
                    actual="部分达成年度指标并具有一定效果",
                    score="7.00",
                    deviation="运维制度尚在审批，下一步报主任办公会审定。",
                ),
                put(total_score="97.00"),
            ),
        ),
        silent("“达成年度指标”记满分"),
    ],
)
def banded_score(ctx: AuditContext) -> Iterator[Hit]:
    for s in ctx.card.indicators:
        if s.level is None or s.method not in ("qualitative", "deadline"):
            continue
        if not _allowed(ctx, s):
            label = LEVEL_LABELS[s.level]
            yield _score_hit(ctx, s, f"“{label}”档")


@rule(
    "Q06",
    "warning",
    "定性完成情况未按三档表述",
    rationale="定性指标的实际完成情况应落在“达成年度指标 / 部分达成年度指标并具有一定效果 / "
    "未达成年度指标且效果较差”三档之一（财预〔2020〕10号 第十六条；"
    "可用“达成指标”“已完成”等同义说法），"
    "否则无法确定得分区间。完成情况照写指标值（“市级保护单位”对“市级保护单位”）的，"
    "视为写明了达成，不在此列。",
    source="财预〔2020〕10号 第十六条 [C]；自评定性指标值字典 [V]",
    fix="把完成情况改写为三档之一，具体做法写入偏差原因或实际完成情况。",
    examples=[
        fires("完成情况写“运行良好”", row(6, actual="运行良好")),
        silent("完成情况写“达成年度指标”"),
        silent("完成情况照写指标值“健全”", row(6, actual="健全")),
    ],
)
def qualitative_levels(ctx: AuditContext) -> Iterator[Hit]:
    for r, s in ctx.rows:
        actual = squash(r.actual)
        if s.method == "qualitative" and s.level is None and actual and actual != squash(r.target):
            yield ctx.row_hit(
                s.position,
                "actual",
                f"完成情况“{r.actual}”不是达成 / 部分达成 / 未达成三档之一",
                r.actual,
                "达成年度指标 / 部分达成年度指标并具有一定效果 / 未达成年度指标且效果较差",
            )


@rule(
    "Q07",
    "warning",
    "完成值大幅超过指标值",
    rationale="财预〔2020〕10号 第十六条：“对完成值高于指标值较多的，要分析原因，"
    "如果是由于年初指标值"
    "设定明显偏低造成的，要按照偏离度适度调减分值”。完成值达到指标值的一定倍数（默认 1.2 倍，"
    "广西 1.3 倍）即提示；没有说明原因的，给出按口径调减规则（overrun_cut，默认 分值 × 指标值 ÷ "
    "完成值）算出的建议得分，与填报得分并列。条文没有给出调减公式，也没有规定不说明即为错误；"
    "口径可以设 overrun_explain_error，从该倍数起缺少说明即为错误（如广西 1.3）。",
    source="财预〔2020〕10号 第十六条 [C]；_scorepercentage 1.2 / 广西 1.3 [V]"
    "（阈值 overrun_ratio、overrun_cut、overrun_explain_error）",
    fix="说明超额完成的原因；属指标值偏低的，按偏离度调减得分，并在下年度提高指标值。",
    examples=[
        fires(
            "目标 ≥20%，完成 30%，无说明：建议得分 20 × 20/30 = 13.33", row(5, actual="30.00(%)")
        ),
        fires(
            "目标 ≥20%，完成 30%，有说明",
            row(5, actual="30.00(%)", deviation="新增自助终端，分流效果超过预期，明年提高目标。"),
        ),
        silent("目标 ≥20%，完成 23.9%", row(5, actual="23.90(%)")),
    ],
)
def over_completion(ctx: AuditContext) -> Iterator[Hit]:
    limit = ctx.t.overrun_ratio
    mandatory = ctx.t.overrun_explain_error
    for r, s in ctx.rows:
        if s.method not in ("positive", "equal") or s.ratio is None or s.ratio < limit:
            continue
        head = f"完成值 {s.actual.text} 为指标值 {s.target.text} 的 {s.ratio} 倍，超过 {limit} 倍"
        if not is_placeholder(r.deviation):
            yield ctx.row_hit(
                s.position,
                "actual",
                f"{head}（已有说明，请核实是否按偏离度调减分值）",
                s.actual.text,
                f"< {limit} × {s.target.text}",
            )
            continue
        severity: Severity | None = None
        must = ""
        if mandatory is not None and s.ratio >= mandatory:
            severity = "error"
            must = f"；本口径规定超过 {mandatory} 倍必须说明原因"
        cut = overrun_cut(s, ctx.policy)
        if cut is None:
            yield ctx.row_hit(
                s.position,
                "deviation",
                f"{head}，未说明原因{must}",
                s.actual.text,
                f"< {limit} × {s.target.text}，或说明原因",
                severity=severity,
            )
            continue
        yield ctx.row_hit(
            s.position,
            "score",
            f"{head}，未说明原因{must}；按偏离度调减（{ctx.policy.basis.overrun}），"
            f"建议得分 {cut}（填报 {fmt(s.declared)}）",
            s.declared,
            cut,
            severity=severity,
            fix="在偏差原因分析及改进措施中说明超额完成的原因；属年初指标值设定偏低的，"
            f"按偏离度调减得分（建议 {cut} 分），并在下年度提高指标值。",
        )
