"""Forms of the regional layouts for the web tests: a 湖北 20-point form (一级 weights
printed, 项目类别 / 项目属性 check boxes) and a 河北 折算得分 form, each consistent under its own
layout's rules, and a unit tree to store them under (湖北, 云南保山, 河北)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
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


class _EditForm(HTMLParser):
    """The fields ``form#edit-form`` of a page sends, as a browser sends them (inputs with
    their values, ticked check boxes only, textareas, selected options), in page order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.template = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str | None, bool, str]] = []  # value, selected, text
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "edit-form":
            self.inside = True
        if tag == "template":  # the row the page's script copies: never sent
            self.template = True
        if not self.inside or self.template or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            if a.get("type") in ("submit", "button"):
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            value = dict(attrs).get("value")
            self._options.append((value, "selected" in a, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data
        elif self._select is not None and self._options:
            value, selected, text = self._options[-1]
            self._options[-1] = (value, selected, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "template":
            self.template = False
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            values = [(text if v is None else v, s) for v, s, text in self._options]
            chosen = next((v for v, s in values if s), values[0][0])
            self.fields.append((self._select, chosen))
            self._select = None


def edit_post(html: str) -> dict[str, list[str]]:
    """What the edit page in ``html`` sends when saved unchanged: field name → values."""
    parser = _EditForm()
    parser.feed(html)
    out: dict[str, list[str]] = {}
    for name, value in parser.fields:
        out.setdefault(name, []).append(value)
    return out
