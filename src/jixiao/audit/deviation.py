"""D — 偏差原因分析及改进措施 (docs/rules.md, family F)."""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.context import AuditContext, bare, is_substantive, rows_text
from jixiao.audit.examples import both, put, row
from jixiao.audit.registry import Hit, fires, rule, silent

_CAUSE = ("原因", "由于", "因", "受", "导致", "造成", "延期", "延迟", "推迟", "调整")
_MEASURE = ("措施", "下一步", "加强", "将", "改进", "整改", "完善", "提高", "督促", "今后", "计划")

_SHORTFALL = both(row(2, actual="80.00(台)", score="16.00"), put(total_score="96.00"))


@rule(
    "D01",
    "error",
    "得分低于分值却没有偏差原因",
    rationale="自评表为每个指标设“偏差原因分析及改进措施”栏（财预〔2020〕10号 附1）；"
    "对自评结果较差的"
    "项目要“单独说明原因，提出整改措施”（第二十六条）。得分低于分值的行，这一栏必须填写。",
    source="财预〔2020〕10号 附1 自评表、第二十六条 [C]；必填备注规则 [V]；"
    "开源自评检查工具 [V, third-party]；[C biz.doczj]",
    fix="在该行写明未完成的原因和下一步的改进措施。",
    examples=[
        fires("得分 16/20，偏差原因为空", _SHORTFALL),
        silent(
            "得分 16/20，写了原因和措施",
            both(_SHORTFALL, row(2, deviation="供应商延期交货，余下20台将于明年一季度到货。")),
        ),
        silent("满分的行不要求说明"),
    ],
)
def deviation_required(ctx: AuditContext) -> Iterator[Hit]:
    for pos in ctx.short:
        r = ctx.form.indicators[pos - 1]
        if not bare(r.deviation):
            yield ctx.row_hit(
                pos,
                "deviation",
                f"得分 {r.score} 低于分值 {r.weight}，未填写偏差原因分析及改进措施",
                "",
                "未完成的原因和改进措施",
            )


@rule(
    "D02",
    "warning",
    "偏差原因只是敷衍的占位文字",
    rationale="“无”“/”“暂无”“已完成”或寥寥数字的说明等于没有说明（阈值 deviation_min_chars，"
    "默认 10 个字）。",
    source="[I]；“无”作占位的实例 [C 1wenmi]",
    fix="具体写明偏差的原因（什么事、为什么）和改进措施（谁、何时、做什么）。",
    examples=[
        fires("得分 16/20，偏差原因写“无”", both(_SHORTFALL, row(2, deviation="无"))),
        fires("得分 16/20，偏差原因写“供货延期”", both(_SHORTFALL, row(2, deviation="供货延期"))),
        silent(
            "说明具体",
            both(_SHORTFALL, row(2, deviation="供应商延期交货，余下20台将于明年一季度到货。")),
        ),
    ],
)
def deviation_substantive(ctx: AuditContext) -> Iterator[Hit]:
    floor = ctx.t.deviation_min_chars
    for pos in ctx.short:
        r = ctx.form.indicators[pos - 1]
        text = bare(r.deviation)
        if not text:
            continue  # D01
        if not is_substantive(r.deviation, floor):
            yield ctx.row_hit(
                pos,
                "deviation",
                f"偏差原因只写了“{r.deviation.strip()}”（{len(text)} 个字）",
                r.deviation,
                f"超过 {floor} 个字的具体原因和措施",
            )


@rule(
    "D03",
    "info",
    "偏差说明缺少原因或改进措施",
    rationale="栏目名称是“偏差原因分析及改进措施”（财预〔2020〕10号 附1）：说明应同时写出原因"
    "（由于、因……）和措施（下一步、将、加强……），即第二十六条的“说明原因，提出整改措施”。"
    "按关键词判断，只作提示。",
    source="财预〔2020〕10号 附1 自评表、第二十六条 [C]",
    fix="补写缺少的部分：偏差的原因，或下一步的改进措施。",
    examples=[
        fires(
            "只有原因没有措施",
            both(_SHORTFALL, row(2, deviation="由于供应商产能不足，部分设备未能按期交付。")),
        ),
        silent(
            "原因和措施都有",
            both(_SHORTFALL, row(2, deviation="供应商延期交货，余下20台将于明年一季度到货。")),
        ),
    ],
)
def deviation_cause_and_measure(ctx: AuditContext) -> Iterator[Hit]:
    floor = ctx.t.deviation_min_chars
    for pos in ctx.short:
        r = ctx.form.indicators[pos - 1]
        if not is_substantive(r.deviation, floor):
            continue  # D01 / D02
        text = bare(r.deviation)
        missing = [
            label
            for label, words in (("原因", _CAUSE), ("改进措施", _MEASURE))
            if not any(w in text for w in words)
        ]
        if missing:
            yield ctx.row_hit(
                pos,
                "deviation",
                f"偏差说明没有写{'和'.join(missing)}",
                r.deviation,
                "原因 + 改进措施",
            )


@rule(
    "D04",
    "warning",
    "偏差说明千篇一律",
    rationale="同一段说明原样出现在多行（默认 3 行以上）或多个项目的表上，多半是套话，"
    "没有针对具体指标分析。",
    source="[I]（阈值 boilerplate_repeat）",
    fix="针对每个指标分别写明偏差的原因和措施。",
    examples=[
        fires(
            "三行写同一句话",
            both(
                row(2, deviation="严格按照年初计划推进，确保完成全年目标任务。"),
                row(3, deviation="严格按照年初计划推进，确保完成全年目标任务。"),
                row(5, deviation="严格按照年初计划推进，确保完成全年目标任务。"),
            ),
        ),
        silent(
            "两行写同一句话",
            both(
                row(2, deviation="严格按照年初计划推进，确保完成全年目标任务。"),
                row(3, deviation="严格按照年初计划推进，确保完成全年目标任务。"),
            ),
        ),
        silent(
            "三行满分的偏差原因栏里都只有一个“0”（见 D05）",
            both(row(2, deviation="0"), row(3, deviation="0"), row(5, deviation="0")),
        ),
    ],
)
def deviation_boilerplate(ctx: AuditContext) -> Iterator[Hit]:
    repeat = ctx.t.boilerplate_repeat
    seen: dict[str, list[int]] = {}
    for pos in ctx.explained:
        text = bare(ctx.form.indicators[pos - 1].deviation)
        if any(ch.isalpha() for ch in text):  # a stray “0” is no boilerplate (D02, D05)
            seen.setdefault(text, []).append(pos)
    batch = ctx.batch.deviation_forms if ctx.batch else {}
    for text, positions in seen.items():
        where = rows_text(positions)
        shown = text if len(text) <= 30 else text[:30] + "…"
        if len(positions) >= repeat:
            yield ctx.row_hit(
                positions[0],
                "deviation",
                f"同一说明“{shown}”出现在{where}",
                text,
                "各行分别说明",
            )
        elif batch.get(text, 0) >= repeat:
            yield ctx.row_hit(
                positions[0],
                "deviation",
                f"说明“{shown}”在本批 {batch[text]} 张表中原样出现",
                text,
                "针对本项目说明",
            )


@rule(
    "D05",
    "info",
    "指标已完成却填了偏差说明",
    rationale="满分且达到目标的指标不需要偏差说明；填了往往是从别处复制，或得分与说明不一致。",
    source="[I]",
    fix="核对该行：确已完成的删去偏差说明；未完成的调整得分。",
    examples=[
        fires("满分行写了“设备未按期到货”", row(2, deviation="部分设备未按期到货，已督促供应商。")),
        silent("满分行写“无”", row(2, deviation="无")),
        silent("满分行不填"),
    ],
)
def deviation_on_met(ctx: AuditContext) -> Iterator[Hit]:
    for pos in ctx.explained:
        r, s = ctx.rows[pos - 1]
        if r.score is not None and r.weight is not None and r.score >= r.weight and s.met:
            yield ctx.row_hit(
                pos,
                "deviation",
                f"该行满分（{r.score}）且已达成目标，却写了偏差说明“{r.deviation.strip()[:30]}”",
                r.deviation,
                "无需说明",
            )
