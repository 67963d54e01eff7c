"""A form of each declared layout, made from a generated form: the layout named, and
everything its template has filled in — its added indicator columns, fund rows, 一级
weights, check boxes, 权重占比 / 折算得分 — for the render and import tests."""

from __future__ import annotations

from decimal import Decimal

from jixiao.generate import generate_forms
from jixiao.layouts import Layout, all_layouts
from jixiao.model import Checkbox, FundRow, Level1Weight, SelfEvaluation

# What an added indicator column holds, by its label (a text for any other).
_EXTRA_TEXT = {
    "指标性质": "≥",
    "度量单位": "个",
    "得分计算方法": "完成值达到指标值，记满分",
    "资金来源": "本级财政",
    "指标值设置依据": "计划标准",
    "上年完成值": "上年完成",
    "完成率": "全部完成",
    "指标赋分规则": "达到记满分",
    "佐证资料": "验收报告",
    "改进措施及结果应用方案": "继续执行",
}
# Where a form of each layout comes from (its 主管部门 and 实施单位 begin so).
_REGION = {
    "beijing-district": "北京市海淀区",
    "hebei": "河北省廊坊市",
    "hubei-20": "湖北省鄂州市",
    "sichuan": "四川省眉山市",
    "xinjiang": "新疆维吾尔自治区昌吉州",
    "shanghai-2024": "上海市",
}
_CHECKBOX_OPTIONS = {
    "项目类别": ["经常性项目", "一次性项目"],
    "项目属性": ["新增项目", "延续项目"],
}


def layout_form(layout: Layout, form: SelfEvaluation) -> SelfEvaluation:
    """``form`` written in ``layout``: a copy with the layout's own parts filled."""
    out = form.model_copy(deep=True)
    out.layout = layout.id
    region = _REGION.get(layout.id, "安徽省池州市")
    out.department = region + out.department.removeprefix("上海市")
    out.unit = region + out.unit.removeprefix("上海市")
    if not layout.fields.grade:
        out.grade = None
    for column in layout.indicator_columns:
        if column.field is None:
            text = _EXTRA_TEXT.get(column.label, f"{column.label}说明")
            for ind in out.indicators:
                ind.extras[column.label] = text
    for row in layout.fund_rows:
        if row.field is None:
            out.funds.extras[row.label] = FundRow(
                initial=Decimal("1.00"), adjusted=Decimal("1.00"), executed=Decimal("0.50")
            )
    for column in layout.fund_columns:
        if column.field is None:  # written on every fund row
            for _, fund in out.funds.rows():
                fund.extras[column.label] = _EXTRA_TEXT.get(column.label, "按表填写")
    if layout.fields.adjusted_scores:
        for ind in out.indicators:
            ind.share = Decimal("10.00")
            ind.adjusted_score = (ind.score or Decimal(0)) / 10
    if layout.fields.level1_weights:
        sums: dict[str, Decimal] = {}
        for ind in out.indicators:
            sums[ind.level1] = sums.get(ind.level1, Decimal(0)) + (ind.weight or Decimal(0))
        out.level1_weights = [Level1Weight(label=k, weight=w) for k, w in sums.items()]
    out.checkboxes = [
        Checkbox(
            label=label,
            options=_CHECKBOX_OPTIONS.get(label, ["是", "否"]),
            checked=_CHECKBOX_OPTIONS.get(label, ["是"])[1:],
        )
        for label in layout.checkboxes
    ]
    return out


def forms_of_every_layout(per_layout: int = 2, seed: int = 16) -> list[SelfEvaluation]:
    """``per_layout`` generated forms written in each declared layout, in id order."""
    base = generate_forms(per_layout * len(all_layouts()), seed)
    return [
        layout_form(layout, base[i * per_layout + k])
        for i, layout in enumerate(all_layouts())
        for k in range(per_layout)
    ]
