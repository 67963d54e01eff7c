"""Test data for the 申报表 and 监控表: a project's year around a generated 自评表.

:func:`declaration_for` writes the 绩效目标申报表 the form's targets were approved in (its
indicators and 年度指标值, its 年初预算数 as 年度资金; 中期 over the project's cycle);
:func:`monitoring_for` the 绩效目标执行监控表 of July (1-7月执行数 a share of the budget,
完成目标可能性 mostly 确定能, the rest with 偏差原因 and a 原因说明). :func:`generate_year`
gives whole years of ``count`` projects, the same for the same seed, their 申报表 and
监控表 written in the layouts asked for (:func:`dress_plan`: the national ones unless told;
``transfer``: the 转移支付 区域 tables with 中央补助 / 地方资金, no 中期 half). What tests and
benchmarks read; ``python -m jixiao.generate COUNT --plans [--plan-layout transfer]``
writes them as JSON.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from jixiao.generate import form_rng, generate_forms
from jixiao.layouts import FALLBACKS, Layout, builtin_ids, get_layout, label_key
from jixiao.model import FUND_ROWS, SelfEvaluation
from jixiao.plans import (
    CAUSES,
    Documents,
    MonitorFundRow,
    MonitorFunds,
    MonitorIndicator,
    Monitoring,
    PlanFunds,
    PlanTask,
    TargetDeclaration,
    TargetIndicator,
)
from jixiao.policy import Policy

CENT = Decimal("0.01")
_REASONS = (
    "采购合同签订晚于计划，下半年集中支付",
    "配套制度尚在制定，部分工作顺延",
    "人员调整，项目推进慢于预期",
    "场地改造未完成，设备无法到位",
)


def plan_rng(seed: int, index: int) -> random.Random:
    """The generator of project ``index``'s 申报表 and 监控表 in run ``seed``."""
    return random.Random(f"jixiao.generate_plans:{seed}:{index}")


def declaration_for(form: SelfEvaluation, rng: random.Random) -> TargetDeclaration:
    """The approved 申报表 of ``form``'s project and year: the same indicators and 指标值."""
    years = rng.choice((1, 2, 3))
    annual = PlanFunds.model_validate({key: getattr(form.funds, key).initial for key in FUND_ROWS})
    medium = PlanFunds.model_validate(
        {
            key: (value * years).quantize(CENT)
            if (value := getattr(annual, key)) is not None
            else None
            for key in FUND_ROWS
        }
    )
    indicators = [
        TargetIndicator(level1=i.level1, level2=i.level2, name=i.name, target=i.target)
        for i in form.indicators
    ]
    return TargetDeclaration(
        year=form.year,
        project=form.project,
        department=form.department,
        unit=form.unit,
        amount_unit=form.amount_unit,
        stage="批复",
        extras={"项目属性": "延续项目" if years > 1 else "新增项目", "项目周期": f"{years}年"},
        medium_funds=medium,
        annual_funds=annual,
        medium_goal=f"{years}年内：{form.goals.expected}" if years > 1 else form.goals.expected,
        annual_goal=form.goals.expected,
        medium_indicators=[i.model_copy() for i in indicators] if years > 1 else [],
        indicators=indicators,
    )


def _fund_row(initial: Decimal | None, share: Decimal, forecast: Decimal | None) -> MonitorFundRow:
    if initial is None:
        return MonitorFundRow()
    executed = (initial * share).quantize(CENT, ROUND_HALF_UP)
    rate = (executed / initial * 100).quantize(CENT, ROUND_HALF_UP) if initial else Decimal("0.00")
    return MonitorFundRow(initial=initial, executed=executed, rate=rate, forecast=forecast)


def monitoring_for(form: SelfEvaluation, rng: random.Random) -> Monitoring:
    """The 监控表 of July for ``form``'s project: funds partly spent, most targets 确定能."""
    share = Decimal(rng.randint(25, 80)) / 100
    funds = MonitorFunds.model_validate(
        {
            key: _fund_row(
                getattr(form.funds, key).initial,
                share,
                getattr(form.funds, key).executed or getattr(form.funds, key).initial,
            )
            for key in FUND_ROWS
        }
    )
    indicators = []
    for ind in form.indicators:
        roll = rng.random()
        likelihood = "确定能" if roll < 0.8 else "有可能" if roll < 0.95 else "完全不可能"
        causes: list[str] = []
        reason = ""
        if likelihood != "确定能":
            causes = sorted(rng.sample(CAUSES[:4], rng.randint(1, 2)), key=CAUSES.index)
            reason = rng.choice(_REASONS)
        indicators.append(
            MonitorIndicator.model_validate(
                {
                    "level1": ind.level1,
                    "level2": ind.level2,
                    "name": ind.name,
                    "target": ind.target,
                    "executed": f"完成约{rng.randint(30, 70)}%",
                    "forecast": ind.target if likelihood == "确定能" else ind.actual,
                    "causes": causes,
                    "reason": reason,
                    "likelihood": likelihood,
                }
            )
        )
    return Monitoring(
        year=form.year,
        project=form.project,
        department=form.department,
        unit=form.unit,
        amount_unit=form.amount_unit,
        funds=funds,
        goal=form.goals.expected,
        indicators=indicators,
    )


# 省级财政部门 of a 转移支付 区域 table (a head field the model has no place for).
_FINANCE = ("上海市财政局", "安徽省财政厅", "四川省财政厅", "湖北省财政厅")


def _share_out(
    total: Decimal | None, named: Decimal, rows: list[str], rng: random.Random
) -> dict[str, Decimal | None]:
    """What is left of ``total`` beside the named parts, split over the layout's other rows
    (中央补助 most of it, 地方资金 the rest)."""
    if total is None or not rows:
        return dict.fromkeys(rows)
    left = total - named
    out: dict[str, Decimal | None] = {}
    for i, row in enumerate(rows):
        if i == len(rows) - 1:
            out[row] = left
        else:
            part = (left * Decimal(rng.randint(55, 85)) / 100).quantize(CENT, ROUND_HALF_UP)
            out[row] = part
            left -= part
    return out


def _plan_funds(funds: PlanFunds, layout: Layout, rng: random.Random) -> PlanFunds:
    fields = {r.field for r in layout.fund_rows if r.field}
    extra = [label_key(r.label) for r in layout.fund_rows if r.field is None]
    kept = {key: getattr(funds, key) if key in fields else None for key in FUND_ROWS}
    named = sum((v for k, v in kept.items() if k != "total" and v is not None), Decimal(0))
    return PlanFunds.model_validate({**kept, "extras": _share_out(funds.total, named, extra, rng)})


def _head_extras(doc: TargetDeclaration | Monitoring, layout: Layout, rng: random.Random) -> None:
    extras = {}
    for head in layout.head:
        if head.field is None:
            extras[head.label] = doc.extras.get(head.label) or rng.choice(_FINANCE)
    doc.extras = extras


def _tasks_of(doc: TargetDeclaration, layout: Layout, rng: random.Random) -> None:
    """A 部门整体支出 申报表: the unit as the 部门（单位）, its 年度 funds shared out over two
    or three 年度主要任务 (named after its indicators), 金额合计 their sum; no 中期 half."""
    fields = {t.field for t in layout.tasks}
    total = doc.annual_funds.total or Decimal(0)
    fiscal = doc.annual_funds.fiscal if "fiscal" in fields else None
    count = min(rng.randint(2, 3), max(len(doc.indicators), 1))
    shares = _share_out(total, Decimal(0), [str(i) for i in range(count)], rng)
    tasks = []
    for i, ind in enumerate(doc.indicators[:count] or [None] * count):
        amount = shares[str(i)] or Decimal(0)
        part = (
            (amount * fiscal / total).quantize(CENT, ROUND_HALF_UP)
            if fiscal is not None and total
            else None
        )
        name = ind.name if ind is not None else f"任务{i + 1}"
        content = f"{ind.level2}：{ind.name}，{ind.target}" if ind is not None else ""
        funds = {"total": amount, "fiscal": part, "other": None}
        if "other" in fields:
            funds["other"] = amount - (part or Decimal(0))
        tasks.append(PlanTask(name=name, content=content, funds=PlanFunds.model_validate(funds)))
    doc.tasks = tasks
    doc.project = doc.unit or doc.project
    doc.department = doc.unit = ""
    doc.annual_funds = PlanFunds.model_validate(
        {
            key: sum((getattr(t.funds, key) or Decimal(0) for t in tasks), Decimal(0)).quantize(
                CENT
            )
            if key in fields
            else None
            for key in FUND_ROWS
        }
    )
    doc.medium_funds = PlanFunds()
    doc.medium_goal = ""
    doc.medium_indicators = []


def dress_plan(
    doc: TargetDeclaration | Monitoring, layout_id: str, rng: random.Random
) -> TargetDeclaration | Monitoring:
    """``doc`` (a national 申报表 or 监控表) as a document of the layout ``layout_id`` fills
    it: its title and ``layout``, its head fields, only the fund rows the layout has (the
    others' share in its own rows: 中央补助, 地方资金), no 中期 half where it has none."""
    layout = get_layout(layout_id)
    if layout.document != doc.kind:
        raise ValueError(f"layout {layout_id!r} is not one of a {doc.kind}")
    doc.layout = layout.id
    doc.title = layout.printed_title
    _head_extras(doc, layout, rng)
    if isinstance(doc, TargetDeclaration) and layout.tasks:
        _tasks_of(doc, layout, rng)
        return doc
    if isinstance(doc, TargetDeclaration):
        doc.annual_funds = _plan_funds(doc.annual_funds, layout, rng)
        if layout.has_medium:
            doc.medium_funds = _plan_funds(doc.medium_funds, layout, rng)
        else:
            doc.medium_funds = PlanFunds()
            doc.medium_goal = ""
            doc.medium_indicators = []
        return doc
    fields = {r.field for r in layout.fund_rows if r.field}
    extra = [label_key(r.label) for r in layout.fund_rows if r.field is None]
    for key in FUND_ROWS:
        if key not in fields:
            setattr(doc.funds, key, MonitorFundRow())
    total = doc.funds.total
    if extra and total.initial is not None and total.executed is not None:
        named = [getattr(doc.funds, k) for k in fields if k != "total"]
        initial = _share_out(
            total.initial, sum((r.initial or Decimal(0) for r in named), Decimal(0)), extra, rng
        )
        share = total.executed / total.initial if total.initial else Decimal(0)
        doc.funds.extras = {key: _fund_row(value, share, value) for key, value in initial.items()}
    return doc


def generate_year(
    count: int,
    seed: int = 0,
    *,
    policy: Policy | None = None,
    inflate: float = 0.15,
    plan_layouts: tuple[str, str] = (FALLBACKS["declaration"], FALLBACKS["monitoring"]),
) -> Documents:
    """``count`` projects' years: each its 自评表 (:func:`jixiao.generate.generate_forms`),
    approved 申报表 and July 监控表, indexed from 1; ``plan_layouts``: the layouts of the
    申报表 and the 监控表 (:func:`dress_plan`)."""
    forms = generate_forms(count, seed, policy=policy, inflate=inflate)
    docs = Documents(forms=forms)
    for i, form in enumerate(forms, start=1):
        rng = plan_rng(seed, i)
        declaration = declaration_for(form, rng)
        declaration.index = i
        monitoring = monitoring_for(form, rng)
        monitoring.index = i
        dress_plan(declaration, plan_layouts[0], rng)
        dress_plan(monitoring, plan_layouts[1], rng)
        docs.declarations.append(declaration)
        docs.monitorings.append(monitoring)
    return docs


def plan_family(name: str) -> tuple[str, str]:
    """The 申报表 and 监控表 layouts of a family (``national``, ``transfer``,
    ``department-wide``: the ids ``NAME-declaration`` and ``NAME-monitoring``; a family
    without a 监控表 of its own, the national one), or a LayoutError naming those declared."""
    declaration = get_layout(f"{name}-declaration").id
    if f"{name}-monitoring" in builtin_ids("monitoring"):
        return declaration, f"{name}-monitoring"
    return declaration, FALLBACKS["monitoring"]


__all__ = [
    "declaration_for",
    "dress_plan",
    "form_rng",
    "generate_year",
    "monitoring_for",
    "plan_family",
    "plan_rng",
]
