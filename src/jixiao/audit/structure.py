"""S — structure and completeness (docs/rules.md, family A)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.audit.context import AuditContext, level_key, rows_text, squash
from jixiao.audit.examples import both, drop_rows, every_row, put, row
from jixiao.audit.registry import Hit, fires, rule, silent
from jixiao.model import FIELD_LABELS, FUND_COLUMN_LABELS, FUND_COLUMNS, INDICATOR_LABELS

_HEADER = ("project", "department", "unit")


@rule(
    "S01",
    "error",
    "项目名称、主管部门、实施单位不能为空",
    rationale="表头三项是自评表归属的依据（财预〔2020〕10号 附1），缺一项就无法归档、汇总和公开。",
    source="财预〔2020〕10号 附1 自评表 [C]；全国自评表模板 [C anthempetcare]；"
    "一体化系统 agency/pro 字段必填 [V]",
    fix="补填项目名称、主管部门和实施单位，与预算批复一致。",
    examples=[
        fires("实施单位为空", put(unit="")),
        fires("项目名称只有空格", put(project="  ")),
        silent("三项齐全"),
    ],
)
def header_present(ctx: AuditContext) -> Iterator[Hit]:
    for key in _HEADER:
        label = FIELD_LABELS[key]
        if not squash(getattr(ctx.form, key)):
            yield Hit(key, f"{label}为空", "", f"填写{label}")


@rule(
    "S02",
    "error",
    "项目资金栏目不完整",
    rationale="年度资金总额一行的全年预算数、全年执行数、分值、执行率、得分是计算预算执行得分的"
    "依据（财预〔2020〕10号 附1），缺一项就无法核对；年初预算数不参与计分，缺少时为警告。"
    "只核对本表版式（docs/layouts.md）有的栏目：没有年初预算数（转移支付自评表）或没有全年预算数"
    "（北京区级表，以年初预算数为预算数）的版式不算缺项；表单未注明版式时，全部资金行都空着的栏目"
    "也视为模板没有该栏。"
    "分项资金行可以空白。",
    source="财预〔2020〕10号 附1 自评表 [C]；PM_PERF_SELF_BGT [V]；各地模板 [C samples]",
    fix="按预算批复和决算数据补填年度资金总额一行的空白栏目。",
    examples=[
        fires("年度资金总额缺少全年执行数", put(**{"funds.total.executed": None})),
        fires("年度资金总额缺少得分", put(**{"funds.total.score": None})),
        fires("只有年度资金总额缺少年初预算数（警告）", put(**{"funds.total.initial": None})),
        silent("分项资金行空白不算缺项", put(**{"funds.carryover.initial": None})),
        silent(
            "转移支付绩效目标自评表（版式 transfer）没有年初预算数",
            put(layout="transfer", **{"funds.total.initial": None}),
        ),
        silent(
            "未注明版式，各资金行都没有年初预算数这一栏",
            put(**{f"funds.{k}.initial": None for k in ("total", "fiscal", "carryover", "other")}),
        ),
    ],
)
def funds_complete(ctx: AuditContext) -> Iterator[Hit]:
    if ctx.zero_total:
        return  # S03: one finding for the zero row
    total = ctx.form.funds.total
    for col in FUND_COLUMNS:
        if getattr(total, col) is None and ctx.template.has_fund(col):
            label = FUND_COLUMN_LABELS[col]
            yield Hit(
                f"funds.total.{col}",
                f"年度资金总额的{label}为空" + ("（不参与计分）" if col == "initial" else ""),
                None,
                f"填写{label}",
                severity="warning" if col == "initial" else None,
            )


@rule(
    "S03",
    "error",
    "年度资金总额不等于各资金来源之和",
    rationale="年度资金总额应等于当年财政拨款、上年结转资金与其他资金之和；不等说明有一行抄错。"
    "年度资金总额一行填 0（或空着）而资金来源行有预算和支出时，只报这一项：其余规则按资金来源行的"
    "合计计算执行率和得分，不再报“执行率 0%”。",
    source="[I]，按年初预算数、全年预算数、全年执行数三列分别核对（容差 0.01 万元）；"
    "池州 2022 年自评表所见（总额行 0，财政拨款行 90 / 89.974）[C samples]",
    fix="核对各资金来源的金额，使其合计等于年度资金总额。",
    examples=[
        fires("其他资金 5.00 未计入总额", put(**{"funds.other.executed": "5.00"})),
        fires(
            "年度资金总额一行填 0，财政拨款行有支出",
            put(
                **{
                    "funds.total.initial": "0",
                    "funds.total.adjusted": "0",
                    "funds.total.executed": "0",
                    "funds.total.rate": "0",
                    "funds.total.score": "0",
                },
                total_score="90.00",
            ),
        ),
        silent("分项之和等于总额"),
        silent(
            "分项全部空白时不核对",
            put(**{f"funds.{k}.initial": None for k in ("fiscal", "carryover", "other")}),
        ),
    ],
)
def funds_add_up(ctx: AuditContext) -> Iterator[Hit]:
    f = ctx.form.funds
    if ctx.zero_total:
        t = ctx.total
        sums = "，".join(
            f"{FUND_COLUMN_LABELS[col]} {getattr(t, col)}"
            for col in ("initial", "adjusted", "executed")
            if getattr(t, col) is not None
        )
        rate = f"，按此计算执行率为 {ctx.rate}%" if ctx.rate is not None else ""
        yield Hit(
            "funds.total",
            f"年度资金总额一行的金额填 0 或空着，各资金来源合计为{sums}{rate}；"
            "其他规则按资金来源的合计核对",
            "0",
            sums,
            fix="按各资金来源的合计填写年度资金总额一行的预算数、执行数、执行率和得分。",
        )
        return
    parts = (f.fiscal, f.carryover, f.other)
    for col in ("initial", "adjusted", "executed"):
        total = getattr(f.total, col)
        values = [getattr(p, col) for p in parts]
        if total is None or all(v is None for v in values):
            continue
        s = sum((v for v in values if v is not None), start=type(total)(0))
        if not ctx.close(total, s):
            label = FUND_COLUMN_LABELS[col]
            yield Hit(
                f"funds.total.{col}",
                f"{label}：年度资金总额 {total}，各来源合计 {s}（差 {total - s}）",
                total,
                s,
            )


# A template's own instruction left in a cell: “…（100字以内）”.
_INSTRUCTION = re.compile(r"[（(]\s*\d+\s*字以内\s*[)）]")


@rule(
    "S04",
    "error",
    "年度总体目标的预期目标或实际完成情况为空",
    rationale="自评的对象是年度总体目标（财预〔2020〕10号 附1：预期目标、实际完成情况）；"
    "没有预期目标或实际完成情况，就无法判断目标是否实现。仍是模板填写说明（“…（100字以内）”）"
    "的，等于没有填写。模板没有年度总体目标一栏的不核对。",
    source="财预〔2020〕10号 附1 自评表 [C]；kpi_target / goal_comp 必填 [V]",
    fix="按批复的绩效目标填写预期目标，并如实填写实际完成情况。",
    examples=[
        fires("实际完成情况为空", put(**{"goals.achieved": ""})),
        fires(
            "实际完成情况仍是模板的填写说明“…(100字以内)”",
            put(**{"goals.achieved": "对照年度目标,说明相关任务目标的完成情况(100字以内)"}),
        ),
        silent("两项都已填写"),
    ],
)
def goals_present(ctx: AuditContext) -> Iterator[Hit]:
    if not ctx.template.goals:
        return
    goals = ctx.form.goals
    for key, text, label in (
        ("goals.expected", goals.expected, "预期目标"),
        ("goals.achieved", goals.achieved, "实际完成情况"),
    ):
        if not squash(text):
            yield Hit(key, f"年度总体目标的{label}为空", "", f"填写{label}")
        elif _INSTRUCTION.search(text):
            yield Hit(
                key,
                f"年度总体目标的{label}仍是模板的填写说明“{text.strip()}”，没有填写内容",
                text.strip(),
                f"填写{label}",
            )


_ROW_FIELDS = {k: v for k, v in INDICATOR_LABELS.items() if k != "deviation"}


def _filled(text: str) -> bool:
    return bool(text) and not text.isspace()


@rule(
    "S05",
    "error",
    "指标行缺少必填栏目",
    rationale="每个三级指标都要有一级、二级、三级指标名称、年度指标值、实际完成值、分值和得分，"
    "否则无法计分和复核。只核对本表模板有的栏目：只在一级指标印分值（如“产出指标(50分)”）、"
    "各行都没有分值的模板不要求逐行分值。导入不完整的表（S10）未填完的最后一行是原文中断之处，不核对。",
    source="一体化系统 lv1–lv3、kpi_val、ind_comp、ind_weight、eval_score 均为必填 [V]",
    fix="补填该行的空白栏目。",
    examples=[
        fires("第2行实际完成值为空", row(2, actual="")),
        fires("第3行得分为空", row(3, score=None)),
        silent("各行齐全"),
        silent(
            "表在最后一行中断（导入缺漏）",
            both(row(7, actual="", score=None), put(gaps=["满意度指标一行中断"])),
        ),
        silent(
            "模板没有逐行分值：各行分值都空着",
            every_row(weight=None),
        ),
    ],
)
def rows_complete(ctx: AuditContext) -> Iterator[Hit]:
    if not ctx.form.indicators:
        yield Hit("indicators", "没有任何绩效指标", "0 行", "至少填写产出、效益、满意度指标")
        return
    wanted = [(k, v) for k, v in _ROW_FIELDS.items() if ctx.template.has_column(k)]
    weighted = ctx.template.has_column("weight")
    last = ctx.cut_row  # where a form cut short ends, not a row left blank
    for pos, r in enumerate(ctx.form.indicators, 1):
        if pos == last:
            continue
        if (
            (r.weight is not None or not weighted)
            and r.score is not None
            and _filled(r.level1)
            and _filled(r.level2)
            and _filled(r.name)
            and _filled(r.target)
            and _filled(r.actual)
        ):
            continue
        missing = [
            (key, label)
            for key, label in wanted
            if (
                getattr(r, key) is None
                if key in ("weight", "score")
                else not squash(getattr(r, key))
            )
        ]
        if missing:
            names = "、".join(label for _, label in missing)
            field_name = missing[0][0] if len(missing) == 1 else None
            yield ctx.row_hit(pos, field_name, f"缺少{names}", None, f"填写{names}")


ALLOWED_LEVEL2: dict[str, frozenset[str]] = {
    "成本": frozenset({"经济成本", "社会成本", "生态环境成本"}),
    # 进度: the 时效 of several regional templates
    "产出": frozenset({"数量", "质量", "时效", "成本", "进度"}),
    "效益": frozenset({"经济效益", "社会效益", "生态效益", "可持续影响", "可持续发展"}),
    "满意度": frozenset({"服务对象满意度", "满意度", "社会公众满意度", "社会公众或服务对象满意度"}),
}


def _level2_key(text: str) -> str:
    """A 二级 name as :func:`level_key` gives it, without a trailing 等 ("服务对象满意度指标等")."""
    return level_key(text.strip().removesuffix("等"))


@rule(
    "S06",
    "warning",
    "二级指标不属于其一级指标",
    rationale="一级、二级指标的对应关系由模板固定：成本→经济/社会/生态环境成本；产出→数量/质量/"
    "时效（2020 年模板另有成本，一些地方模板称进度）；效益→经济/社会/生态效益、可持续影响；"
    "满意度→服务对象满意度（地方模板也写满意度、社会公众满意度，或在末尾加“等”）。名称中的空格"
    "不算。错配会把分值算进错误的一级指标（财预〔2021〕101号 二（一）至（四）），但不改变得分，"
    "所以是警告。",
    source="财预〔2020〕10号 附1 自评表（产出下含成本）[C]；财预〔2021〕101号 二（一）至（四）[C]；"
    "上海 2024 年自评表 [I]",
    fix="把该指标移到正确的一级或二级指标下，或改正指标名称。",
    examples=[
        fires("数量指标放在效益指标下", row(2, level1="效益指标")),
        fires("一级指标写成“管理指标”", row(3, level1="管理指标")),
        silent("2020 年模板：成本指标作为产出下的二级指标"),
        silent(
            "101号：成本指标作为一级指标",
            row(1, level1="成本指标", level2="经济成本指标"),
        ),
        silent("一级指标带分值说明“产出指标(50分)”", row(2, level1="产出指标(50分)")),
        silent("地方模板的二级指标“进度指标”", row(4, level2="进度指标")),
        silent("名称带空格和“等”：“服务对象满意度指标等”", row(7, level2="服务对象 满意度指标等")),
        silent("名称带空格：“社会效益 指标”", row(5, level2="社会效益 指标")),
    ],
)
def level2_belongs(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (r, _) in enumerate(ctx.rows, 1):
        if not squash(r.level1) or not squash(r.level2):
            continue  # S05
        l1, l2 = level_key(r.level1), _level2_key(r.level2)
        allowed = ALLOWED_LEVEL2.get(l1)
        if allowed is not None and l2 not in allowed:
            national = ctx.template.level2_label(r.level2)  # the layout's regional words
            l2 = level_key(national) if national else l2
        if allowed is None:
            yield ctx.row_hit(
                pos,
                "level1",
                f"一级指标“{r.level1}”不是成本、产出、效益、满意度指标之一",
                r.level1,
                "成本指标 / 产出指标 / 效益指标 / 满意度指标",
            )
        elif l2 not in allowed:
            expected = " / ".join(f"{a}指标" for a in sorted(allowed))
            yield ctx.row_hit(
                pos,
                "level2",
                f"二级指标“{r.level2}”不属于一级指标“{r.level1}”",
                r.level2,
                expected,
            )


@rule(
    "S07",
    "warning",
    "缺少产出、效益、满意度（或成本）指标",
    rationale="财预〔2021〕101号 二：“原则上每一项目均应设置产出指标和效益指标”，缺少时为警告；"
    "“满意度指标根据实际需要选用”，缺少时只作提示。模板把成本列为一级指标时（上海口径）也应设成本指标。",
    source="财预〔2021〕101号 二 [C]；财预〔2020〕10号 附1 自评表 [C]；"
    "山西“未填报成本指标的项目”规则 [V]；导入不完整的表（S10）不核对",
    fix="按批复的绩效目标补设缺少的指标类别。",
    examples=[
        fires("没有满意度指标（提示）", drop_rows(7)),
        fires("没有效益指标", drop_rows(5, 6)),
        fires("上海口径没有成本指标", drop_rows(1), policy="shanghai"),
        silent("四类齐全"),
        silent("2020 年口径不要求成本指标", drop_rows(1)),
        silent(
            "表在满意度处中断（导入缺漏）",
            both(drop_rows(7), put(gaps=["满意度指标一行中断"])),
        ),
    ],
)
def families_present(ctx: AuditContext) -> Iterator[Hit]:
    if not ctx.form.indicators or ctx.form.gaps:
        return  # S05; an incomplete table (S10) may have lost the missing rows
    seen = {level_key(r.level1) for r in ctx.form.indicators}
    has_cost = "成本" in seen or any(
        level_key(r.level2).endswith("成本") for r in ctx.form.indicators
    )
    required = ["产出", "效益"]
    missing = [f"{k}指标" for k in required if k not in seen]
    if ctx.t.cost_required and not has_cost:
        missing.insert(0, "成本指标")
    if missing:
        names = "、".join(missing)
        yield Hit("indicators", f"没有{names}", "无", f"至少一个{names}的三级指标")
    if "满意度" not in seen:
        yield Hit(
            "indicators",
            "没有满意度指标（财预〔2021〕101号 二：满意度指标根据实际需要选用）",
            "无",
            "直接面向社会公众提供服务的项目设满意度指标",
            severity="info",
        )


@rule(
    "S08",
    "warning",
    "三级指标名称重复",
    rationale="同一张表内三级指标重名，多半是复制后忘了改名，或同一指标被重复计分。",
    source="[I]",
    fix="合并重复的指标，或改成能区分的名称。",
    examples=[
        fires("第3行改名为与第2行相同", row(3, name="设备采购数量")),
        silent("名称各不相同"),
    ],
)
def names_unique(ctx: AuditContext) -> Iterator[Hit]:
    seen: dict[str, list[int]] = {}
    for pos, (r, _) in enumerate(ctx.rows, 1):
        key = squash(r.name)
        if key:
            seen.setdefault(key, []).append(pos)
    for positions in seen.values():
        if len(positions) > 1:
            first = positions[0]
            yield ctx.row_hit(
                positions[1],
                "name",
                f"三级指标名称与{rows_text(positions)}重复",
                ctx.form.indicators[first - 1].name,
                "各行名称不同",
            )


@rule(
    "S09",
    "info",
    "三级指标名称过长",
    rationale="一体化系统限制指标名称不超过 100 个字符；过长的名称往往把指标值或说明写进了名称。",
    source="一体化系统校验 [V]（阈值 name_max_chars）",
    fix="把名称压缩为一个短语，说明文字移到指标值或偏差原因栏。",
    examples=[
        fires("名称 101 个字", row(2, name="设" * 101)),
        silent("名称 100 个字", row(2, name="设" * 100)),
    ],
)
def name_length(ctx: AuditContext) -> Iterator[Hit]:
    limit = ctx.t.name_max_chars
    for pos, (r, _) in enumerate(ctx.rows, 1):
        n = len(squash(r.name))
        if n > limit:
            yield ctx.row_hit(pos, "name", f"名称有 {n} 个字符，超过 {limit}", n, f"≤ {limit}")


@rule(
    "S10",
    "warning",
    "导入时有内容未能识别",
    rationale="导入器读不出或放不进表格的内容会列为缺漏（gaps），不会被臆造；"
    "这些位置的数据不完整，其他规则的结论也可能因此不全。",
    source="docs/import-text.md：不完整的表单列出缺漏，不臆造数据 [I]",
    fix="对照原件补全缺漏的内容后重新导入或直接在表上补填。",
    examples=[
        fires("导入时缺少“总分”行", put(gaps=["缺少“总分”行"])),
        silent("完整导入"),
    ],
)
def import_gaps(ctx: AuditContext) -> Iterator[Hit]:
    for gap in ctx.form.gaps:
        yield Hit("gaps", f"导入缺漏：{gap}", None, "完整的表单内容")
