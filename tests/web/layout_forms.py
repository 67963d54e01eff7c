"""Forms of the regional layouts for the web tests: a 湖北 20-point form (一级 weights
printed, 项目类别 / 项目属性 check boxes) and a 河北 折算得分 form, each consistent under its own
layout's rules, and a unit tree to store them under (湖北, 云南保山, 河北)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.audit.examples import base_form
from jixiao.model import SelfEvaluation, form_from_dict
from jixiao.policy import quantize
from jixiao.web.models import Organisation

D = Decimal


def hubei_data() -> dict[str, Any]:
    """The example form as a 湖北 20-point form: 预算执行 20 (执行率 99.60 %, 得分 19.92),
    indicators 80 (产出 50 / 效益 20 / 满意度 10), 一级 weights and two check boxes."""
    data = base_form()
    data["layout"] = "hubei-20"
    total = data["funds"]["total"]
    adjusted, executed = D("150.00"), D("149.40")
    total.update(adjusted=str(adjusted), initial=str(adjusted), executed=str(executed))
    total["weight"] = "20"
    rate = executed / adjusted * 100
    total["rate"] = str(quantize(rate, 2, "half_up"))
    total["score"] = str(quantize(min(rate, D(100)) * 20 / 100, 2, "half_up"))
    data["funds"]["fiscal"].update(
        adjusted=str(adjusted), initial=str(adjusted), executed=str(executed)
    )
    data["indicators"][4]["weight"] = data["indicators"][4]["score"] = "10.00"
    data["total_score"] = str(D(total["score"]) + 80)
    data["grade"] = "优"
    data["level1_weights"] = [
        {"label": "产出指标", "weight": "50"},
        {"label": "效益指标", "weight": "20"},
        {"label": "满意度指标", "weight": "10"},
    ]
    data["checkboxes"] = [
        {"label": "项目类别", "options": ["经常性项目", "一次性项目"], "checked": ["经常性项目"]},
        {"label": "项目属性", "options": ["新增项目", "延续项目"], "checked": ["延续项目"]},
    ]
    return data


def hubei_form() -> SelfEvaluation:
    return form_from_dict(hubei_data())


def hebei_data() -> dict[str, Any]:
    """The example form as a 河北 form: each row's 权重占比 and 单项指标折算得分 = 得分 × 占比."""
    data = base_form()
    data["layout"] = "hebei"
    shares = ["10", "20", "10", "10", "20", "10", "10"]
    for row, share in zip(data["indicators"], shares, strict=True):
        row["share"] = share
        row["adjusted_score"] = str(D(row["score"]) * D(share) / 100)
    adjusted = sum((D(r["adjusted_score"]) for r in data["indicators"]), D(0))
    data["total_score"] = str(D(data["funds"]["total"]["score"]) + adjusted)
    data["grade"] = "差"
    return data


def hebei_form() -> SelfEvaluation:
    return form_from_dict(hebei_data())


@dataclass
class Regions:
    hubei: Organisation  # a 预算单位 in 湖北
    baoshan: Organisation  # a 预算单位 in 云南 保山
    hebei: Organisation  # a 预算单位 in 河北


def regions(finance: Organisation) -> Regions:
    """Three 主管部门 with one unit each under ``finance``."""

    def unit(department: str, name: str) -> Organisation:
        dept = Organisation.objects.create(name=department, kind="department", parent=finance)
        return Organisation.objects.create(name=name, kind="unit", parent=dept)

    return Regions(
        unit("湖北省民政厅", "湖北省社区服务中心"),
        unit("保山市民政局", "保山市隆阳区社区服务中心"),
        unit("廊坊市发改委", "廊坊市食品工程学校"),
    )
