"""F — the format of 年度指标值 and 实际完成值 (docs/rules.md, family B)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from jixiao.audit.context import AuditContext, level_key, squash
from jixiao.audit.examples import row
from jixiao.audit.registry import Hit, fires, rule, silent
from jixiao.audit.template import split_target
from jixiao.values import DASHES, Deadline, Qualitative, Quantity, normalize


@rule(
    "F01",
    "info",
    "指标值含数字但无法解析",
    rationale="年度指标值应能拆成计算符号、数值和计量单位（如“≥12.00(个)”），或是时限、定性表述。"
    "含数字却读不出数量的写法无法按规则计分，只能当作定性指标处理。",
    source="系统模型“符号 + 数值 + 单位”[V]；全角符号与“不高于/不低于”等措辞的规范化 [V]",
    fix="改写为“符号 数值(单位)”的规范格式，例如“≥3.00(次)”。",
    examples=[
        fires(
            "年度指标值“每季度3次以上，全年不少于12次”",
            row(2, target="每季度3次以上，全年不少于12次"),
        ),
        fires("实际完成值“共100台，均已验收”", row(2, actual="共100台，均已验收")),
        silent("“≥100.00(台)”可以解析"),
        silent("纯文字的定性指标值“健全”不算", row(6, target="健全")),
    ],
    grouped=True,
)
def value_unparsed(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (r, s) in enumerate(ctx.rows, 1):
        for key, value, label in (
            ("target", s.target, "年度指标值"),
            ("actual", s.actual, "实际完成值"),
        ):
            if isinstance(value, Qualitative) and value.note.startswith("含数字"):
                yield ctx.row_hit(
                    pos,
                    key,
                    f"{label}“{getattr(r, key)}”含数字但无法识别为数量或时限，只能按定性处理",
                    getattr(r, key),
                    "符号 数值(单位)，如“≥12.00(个)”",
                )


@rule(
    "F02",
    "warning",
    "定量指标缺少计量单位",
    rationale="定量指标的计量单位是必录项；没有单位，指标值与完成值无法比较，也无法汇总。"
    "得分仍可按数值计算，所以是警告。",
    source="“计量单位为必录项”校验 [V]",
    fix="在数值后用括号写明计量单位，例如“≥12.00(个)”“=100.00(%)”。",
    examples=[
        fires("年度指标值“≥100”没有单位", row(2, target="≥100", actual="100")),
        silent("“≥100.00(台)”有单位"),
    ],
    grouped=True,
)
def quantity_has_unit(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (r, s) in enumerate(ctx.rows, 1):
        if isinstance(s.target, Quantity) and not s.target.unit:
            yield ctx.row_hit(
                pos, "target", f"定量指标“{r.target}”没有计量单位", r.target, "数值后写明单位"
            )


@rule(
    "F03",
    "error",
    "定量指标的实际完成值不是数值",
    rationale="年度指标值是数量时，实际完成值也必须是数值（可带单位），才能按完成比例计分；"
    "只写“达成指标”“已完成”等于没有报告完成了多少。",
    source="checkReferencepoles：“定量指标的指标值为数值”[V]",
    fix="填写实际完成的数值和单位，例如实际单价“4500(元/场)”、实际数量“4(个)”。",
    examples=[
        fires("“≤1.00(万元/台)”的完成值写成“达成指标”", row(1, actual="达成指标")),
        silent("完成值“0.95(万元/台)”是数值"),
        silent("定性指标完成值写“达成年度指标”", row(6, actual="达成年度指标")),
    ],
)
def actual_is_number(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (r, s) in enumerate(ctx.rows, 1):
        if (
            isinstance(s.target, Quantity)
            and not isinstance(s.actual, Quantity)
            and squash(r.actual)
        ):
            unit = f"（单位：{s.target.unit}）" if s.target.unit else ""
            yield ctx.row_hit(
                pos,
                "actual",
                f"年度指标值“{r.target}”是定量指标，实际完成值却是“{r.actual}”",
                r.actual,
                f"实际完成的数值{unit}",
            )


def _is_percent(unit: str) -> bool:
    return unit in ("%", "‰")


@rule(
    "F04",
    "error",
    "实际完成值与年度指标值的计量单位不一致",
    rationale="指标值和完成值共用一个计量单位；单位不同（尤其百分比与绝对数混用）时，"
    "两个数不能直接比较，得分没有意义。单位不同但都不是百分比时记为警告。",
    source="指标只有一个 meterunit 字段 [V]；项目要求",
    fix="把实际完成值换算成年度指标值的单位后填写。",
    examples=[
        fires("目标“=100.00(%)”，完成值“100(台)”", row(3, actual="100.00(台)")),
        fires("目标单位“台”，完成值单位“套”（警告）", row(2, actual="100.00(套)")),
        silent("完成值不写单位", row(2, actual="100")),
        silent("单位一致"),
    ],
)
def units_agree(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (_, s) in enumerate(ctx.rows, 1):
        t, a = s.target, s.actual
        if not (isinstance(t, Quantity) and isinstance(a, Quantity)) or not a.unit:
            continue
        if a.unit == t.unit:
            continue
        mixed = _is_percent(a.unit) != _is_percent(t.unit)
        yield ctx.row_hit(
            pos,
            "actual",
            f"实际完成值单位“{a.unit}”与年度指标值单位“{t.unit or '无'}”不一致"
            + ("（百分比与绝对数混用）" if mixed else ""),
            a.unit,
            t.unit or "与年度指标值相同的单位",
            severity=None if mixed else "warning",
        )


_FILLER = re.compile(r"(?i)xx|××|[*＊_]")
# A single * between two letters is a multiplication in a unit (元/人*月), not a placeholder.
_UNIT_TIMES = re.compile(r"(?<=[^\W\d_])[*＊](?=[^\W\d_])")


@lru_cache(maxsize=1 << 14)
def _is_filler(text: str) -> bool:
    t = _UNIT_TIMES.sub("", squash(text))
    return bool(t) and (bool(_FILLER.search(t)) or t in DASHES)


@rule(
    "F05",
    "error",
    "指标值中有占位符",
    rationale="“XX”“*”“_”或单独的“-”是模板里的占位符，说明指标值没有真正填写；"
    "系统导入时会把“XX”当作 0。单位中两个字之间的“*”（“元/人*月”）是乘号，不是占位符；"
    "只核对年度指标值和实际完成值，指标名称里模板留下的“(≥**人)”不算。",
    source="“不符合规范”校验 [V]；“XX”导入处理 [V]",
    fix="把占位符换成批复的指标值或实际完成值。",
    examples=[
        fires("年度指标值“≥XX(台)”", row(2, target="≥XX(台)")),
        fires("实际完成值只有“-”", row(3, actual="-")),
        fires("年度指标值“≥**(人)”", row(2, target="≥**(人)")),
        silent("时间段“2024-2025年”里的连字符不算", row(6, target="2024-2025年持续运行")),
        silent(
            "单位“元/人*月”中的乘号，名称中的“(≥**人)”",
            row(2, name="低保标准(≥**元/人·月)", target=">=530元/人*月", actual="583元/人*月"),
        ),
        silent("正常填写"),
    ],
    grouped=True,
)
def no_placeholders(ctx: AuditContext) -> Iterator[Hit]:
    for pos, r in enumerate(ctx.form.indicators, 1):
        for key, label in (("target", "年度指标值"), ("actual", "实际完成值")):
            text = getattr(r, key)
            if _is_filler(text):
                yield ctx.row_hit(
                    pos, key, f"{label}“{text}”是占位符或含占位符", text, f"真实的{label}"
                )


_SIGN_ALIASES = str.maketrans({"≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤"})
_CANONICAL = re.compile(r"^[≥>=≤<]\d+(?:\.\d+)?\([^()]+\)$")


@lru_cache(maxsize=1 << 14)
def _is_canonical(text: str) -> bool:
    return bool(_CANONICAL.match(normalize(text).translate(_SIGN_ALIASES)))


@rule(
    "F06",
    "info",
    "定量指标值未按“符号 数值(单位)”规范填写",
    rationale="用文字写的定量目标（如“不高于5000/场”“≥98%”）虽能读出数量，但不符合系统"
    "“计算符号 + 数值 + 计量单位”的格式，单位也常不完整（“/场”缺少“元”），容易被当作定性指标。"
    "数量已能读出、不影响计分，所以只作提示；一张表上的多行合为一条，以该表的一行为例。"
    "模板把指标值分成指标性质、指标值、度量单位几栏的（四川、云南），不在此列；没有单位的"
    "由 F02 指出。",
    source="[I]；系统显示格式“≥12.00(个)”[V]",
    fix="改写为规范格式，例如“≤5000.00(元/场)”“≥98.00(%)”。",
    examples=[
        fires("“不高于5000/场”", row(1, target="不高于5000/场", actual="4500/场")),
        fires("“≥98%”单位没有括号", row(3, target="≥98%", actual="99%")),
        silent("“≥100.00(台)”"),
        silent("时限“2024年6月前”不是定量指标"),
        silent(
            "指标性质、指标值、度量单位分栏填写",
            row(2, target="100", extras={"指标性质": "≥", "度量单位": "台"}),
        ),
    ],
    grouped=True,
)
def quantity_format(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (r, s) in enumerate(ctx.rows, 1):
        t = s.target
        if not isinstance(t, Quantity) or not t.unit or split_target(r, ctx.template):
            continue  # F02 says a unit is missing; a template with 指标性质 / 度量单位
            # columns writes it its own way
        if t.worded or not _is_canonical(r.target):
            unit = t.unit
            hint = ""
            if unit.startswith("/"):
                hint = f"，单位“{unit}”缺少分子（如“元{unit}”）"
            sign = t.op or "≥"
            canonical = f"{sign}{t.number}({unit or '单位'})"
            yield ctx.row_hit(
                pos,
                "target",
                f"年度指标值“{r.target}”可读作 {sign}{t.number} {unit}，但未按规范格式填写{hint}",
                r.target,
                canonical,
                fix=f"改写为“符号 数值(单位)”的规范格式，例如“{r.target}”写成“{canonical}”。",
            )


_REVERSE_WORDS = ("成本", "费用", "单价", "投诉", "事故", "超时", "差错")
_SAVING_WORDS = ("节约", "节省", "降低", "下降", "压减")
_POSITIVE_WORDS = (
    "满意度",
    "满意率",
    "合格率",
    "达标率",
    "覆盖率",
    "知晓率",
    "到位率",
    "完成率",
    "及时率",
    "出勤率",
    "见勤率",
)


@rule(
    "F07",
    "warning",
    "指标值的计算符号方向可疑",
    rationale="成本、费用、单价、投诉、事故、超时、差错类指标越低越好，应使用 ≤ 或 <（反向指标）；"
    "满意度、合格率、达标率、覆盖率等越高越好，应使用 ≥ 或 =（正向指标）；产出数量指标衡量"
    "完成了多少，用 ≤ 时完成值为 0 也得满分。方向写反时，超额或未完成都会被错误地记为满分。",
    source="[I]；反向指标计分原则 [C 1wenmi, biz.doczj]",
    fix="改正计算符号：成本类用“≤”，满意度、合格率类用“≥”。",
    examples=[
        fires("设备采购单价写成“≥1.00(万元/台)”", row(1, target="≥1.00(万元/台)")),
        fires("群众满意度写成“≤90.00(%)”", row(7, target="≤90.00(%)", actual="90.00(%)")),
        fires("产出数量写成“≤100.00(台)”", row(2, target="≤100.00(台)")),
        silent("成本节约率用“≥”", row(1, name="成本节约率", target="≥5.00(%)", actual="6.00(%)")),
        silent(
            "数量指标“安全事故数量 ≤0(起)”是反向指标",
            row(2, name="安全事故数量", target="≤0.00(起)", actual="0.00(起)"),
        ),
        silent("单价用“≤”、满意度用“≥”"),
    ],
)
def direction_plausible(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (r, s) in enumerate(ctx.rows, 1):
        t = s.target
        if not isinstance(t, Quantity) or t.direction is None:
            continue
        name = squash(r.name)
        reverse_name = any(w in name for w in _REVERSE_WORDS) and not any(
            w in name for w in _SAVING_WORDS
        )
        if reverse_name and t.direction == "positive":
            yield ctx.row_hit(
                pos,
                "target",
                f"“{r.name}”是越低越好的指标，年度指标值却用“{t.op}”",
                r.target,
                f"≤{t.number}({t.unit})",
            )
        elif (
            not reverse_name
            and t.direction == "reverse"
            and any(w in name for w in _POSITIVE_WORDS)
        ):
            yield ctx.row_hit(
                pos,
                "target",
                f"“{r.name}”是越高越好的指标，年度指标值却用“{t.op}”（完成值再高也只能按反向计分）",
                r.target,
                f"≥{t.number}({t.unit})",
            )
        elif not reverse_name and t.direction == "reverse" and level_key(r.level2) == "数量":
            yield ctx.row_hit(
                pos,
                "target",
                f"产出数量指标“{r.name}”用“{t.op}”，完成值为 0 也能得满分",
                r.target,
                f"≥{t.number}({t.unit}) 或 ={t.number}({t.unit})",
            )


@rule(
    "F08",
    "warning",
    "时效指标的目标或完成时间不明确",
    rationale="时效指标（如“2024年11月前”）的目标日期应在本年度内，实际完成值应写明完成时间"
    "（日期、时长或“按时完成”），才能判断是否按时（财预〔2021〕101号 二（二）3：“设置时效指标，"
    "需确定整体完成时间”）。只写“达成指标”的记为提示。",
    source="财预〔2021〕101号 二（二）3 [C]；[I]",
    fix="实际完成值写明实际完成的日期或时长，例如“2024年10月完成”“平均18小时”。",
    examples=[
        fires("目标日期不在本年度：“2023年6月前”", row(4, target="2023年6月前")),
        fires("完成值是一句无关的话", row(4, actual="设备运行良好")),
        fires("完成值只写“达成指标”（提示）", row(4, actual="达成指标")),
        silent("完成值“2024年5月”"),
        silent("完成值“按时完成”", row(4, actual="按时完成")),
    ],
    grouped=True,
)
def deadline_clear(ctx: AuditContext) -> Iterator[Hit]:
    year = ctx.form.year
    for pos, (r, s) in enumerate(ctx.rows, 1):
        t, a = s.target, s.actual
        if not isinstance(t, Deadline):
            continue
        if t.form == "date" and year is not None and t.year is not None and t.year != year:
            yield ctx.row_hit(
                pos,
                "target",
                f"时效目标“{r.target}”不在 {year} 年度内",
                r.target,
                f"{year} 年内的日期",
            )
        if not squash(r.actual) or isinstance(a, Deadline | Quantity):
            continue
        level = getattr(a, "level", None)
        if level is not None:
            yield ctx.row_hit(
                pos,
                "actual",
                f"时效指标“{r.target}”的完成值只写“{r.actual}”，未写明实际完成时间",
                r.actual,
                "实际完成日期或时长",
                severity="info",
            )
        else:
            yield ctx.row_hit(
                pos,
                "actual",
                f"时效指标“{r.target}”的完成值“{r.actual}”既不是时间也不是达成情况",
                r.actual,
                "实际完成日期或时长，或“按时完成”",
            )


@rule(
    "F09",
    "warning",
    "比率类指标的单位不是百分比",
    rationale="名称以“率”结尾的指标（合格率、控制率、到位率……）是百分比；用“个”“次”等单位，"
    "说明指标值或单位填错，例如总成本控制率写成“>1.00(个)”。没有单位的由 F02 指出。",
    source="[I]；上海 2024 年自评表所见（“总成本控制率 >1.00(个)”）",
    fix="以百分比表示，例如“≤100.00(%)”。",
    examples=[
        fires("“设备验收合格率 =1.00(个)”", row(3, target="=1.00(个)", actual="1.00(个)")),
        silent("“设备验收合格率 =100.00(%)”"),
        silent("“设备验收合格率 =100”没有单位（F02）", row(3, target="=100", actual="100")),
    ],
    grouped=True,
)
def rate_in_percent(ctx: AuditContext) -> Iterator[Hit]:
    for pos, (r, s) in enumerate(ctx.rows, 1):
        t = s.target
        if (
            isinstance(t, Quantity)
            and t.unit  # no unit at all: F02
            and squash(r.name).endswith("率")
            and not _is_percent(t.unit)
        ):
            yield ctx.row_hit(
                pos,
                "target",
                f"“{r.name}”是比率，年度指标值“{r.target}”的单位却是“{t.unit or '无'}”",
                t.unit,
                "%",
            )
