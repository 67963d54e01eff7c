"""A project's year side by side (jixiao.project_year): rows matched by 三级指标 across the
approved 申报表, the 监控表 and the 自评表, and each gap named."""

from __future__ import annotations

from decimal import Decimal

from jixiao.generate_plans import generate_year
from jixiao.project_year import project_year


def _year():
    docs = generate_year(1, seed=21)
    return docs.declarations[0], docs.monitorings[0], docs.forms[0]


def test_a_year_that_agrees_has_no_gaps() -> None:
    plan, watch, form = _year()
    for m in watch.indicators:
        m.likelihood = "确定能"
    year = project_year(plan, watch, form)
    assert [r.name for r in year.rows] == [i.name for i in plan.indicators]
    assert year.gaps == [] and year.row_gaps == 0
    first = year.rows[0]
    assert first.target is plan.indicators[0] and first.july is watch.indicators[0]
    assert first.result is form.indicators[0]
    assert year.funds.declared == plan.annual_funds.total
    assert year.funds.july_rate == watch.funds.total.rate
    assert year.funds.rate == form.funds.total.rate


def test_each_gap_is_named() -> None:
    plan, watch, form = _year()
    for m in watch.indicators:
        m.likelihood = "确定能"
    form.indicators[0].target = "按合同约定执行"  # lowered at 自评
    form.indicators[2].target = "不少于15.00次"  # the same target, written otherwise
    watch.indicators[1].target = "不高于3%"
    watch.indicators[4].likelihood = "完全不可能"  # and scored full marks
    watch.indicators[5].likelihood = "有可能"
    del watch.indicators[6]
    extra = form.indicators[3].model_copy(update={"name": "自评时新增指标"})
    form.indicators.append(extra)
    year = project_year(plan, watch, form)
    gaps = {r.name: [(g.kind, g.text) for g in r.gaps] for r in year.rows if r.gaps}
    assert gaps == {
        "教师培训经费支出": [
            ("changed", "自评表的年度指标值“按合同约定执行”与批复的“按合同约定”不同")
        ],
        "群众投诉率": [("changed", "监控表的年度指标值“不高于3%”与批复的“不高于2%”不同")],
        "校舍维修验收合格率": [("contradiction", "监控时“完全不可能”完成，自评却得满分")],
        "学生体质健康监测验收合格率": [("doubtful", "监控时完成目标可能性为“有可能”")],
        "学生体质健康监测质量": [("missing", "监控表中没有此指标")],
        "自评时新增指标": [("missing", "申报表中没有此指标"), ("missing", "监控表中没有此指标")],
    }
    assert year.rows[-1].name == "自评时新增指标"


def test_an_adjustment_counts_and_says_what_it_changed() -> None:
    plan, _watch, _form = _year()
    adjusted = plan.model_copy(deep=True)
    adjusted.stage = "调整"
    adjusted.indicators[0].target = "按新合同约定"
    year = project_year(adjusted, None, None, first_approved=plan)
    first = year.rows[0]
    assert first.target is adjusted.indicators[0] and first.before is plan.indicators[0]
    assert [(g.kind, g.text) for g in first.gaps] == [
        ("adjusted", "已调整：批复为“按合同约定”，调整为“按新合同约定”")
    ]
    assert [g.text for g in year.gaps] == ["没有绩效目标执行监控表", "没有自评表"]
    assert year.funds.budget is None and year.funds.declared == plan.annual_funds.total


def test_missing_documents() -> None:
    plan, _watch, form = _year()
    year = project_year(None, None, form)
    assert [g.text for g in year.gaps] == [
        "没有绩效目标申报表：自评的年度指标值无从核对",
        "没有绩效目标执行监控表",
    ]
    assert all(r.gaps == [] for r in year.rows)
    assert project_year(plan, None, None, approved=False).gaps[0].text == "绩效目标申报表尚未批复"
    assert year.funds.executed == form.funds.total.executed
    assert isinstance(year.funds.executed, Decimal)
