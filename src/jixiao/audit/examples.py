"""The base example form (and 监控表) and the patches the rules' examples are made of.

:func:`base_form` is a small, complete form on which no rule fires under ``mof-2020``:
100 % execution, 产出 50 (成本 as a 二级 indicator under 产出, the 2020 template's layout) /
效益 30 / 满意度 10 as 财预〔2020〕10号 第十三条 weights them, numeric actuals, one over-met
satisfaction row. A rule's example patches a copy of it (a path set, a row changed, a row
added) and states whether the rule must fire.
"""

from __future__ import annotations

import copy
from typing import Any

from jixiao.audit.registry import Patch
from jixiao.model import SelfEvaluation, form_from_dict
from jixiao.plans import Monitoring


def _row(
    level1: str, level2: str, name: str, target: str, actual: str, weight: str
) -> dict[str, Any]:
    return {
        "level1": level1,
        "level2": level2,
        "name": name,
        "target": target,
        "actual": actual,
        "weight": weight,
        "score": weight,
        "deviation": "",
    }


def _fund(amount: str, weight: str | None, rate: str | None, score: str | None) -> dict[str, Any]:
    return {
        "initial": amount,
        "adjusted": amount,
        "executed": amount,
        "weight": weight,
        "rate": rate,
        "score": score,
    }


_BASE: dict[str, Any] = {
    "title": "财政项目支出绩效自评表",
    "year": 2024,
    "project": "社区服务设备购置项目",
    "department": "示例区民政局",
    "unit": "示例区社区服务中心",
    "amount_unit": "万元",
    "funds": {
        "total": _fund("100.00", "10.00", "100.00", "10.00"),
        "fiscal": _fund("100.00", None, "100.00", None),
        "carryover": _fund("0.00", None, None, None),
        "other": _fund("0.00", None, None, None),
    },
    "goals": {
        "expected": "购置社区服务设备100台并投入使用，缩短群众办事等候时间。",
        "achieved": "全年采购设备100台，已全部安装到位，窗口平均等候时间由25分钟降到19分钟。",
    },
    "indicators": [
        _row("产出指标", "成本指标", "设备采购单价", "≤1.00(万元/台)", "0.95(万元/台)", "10.00"),
        _row("产出指标", "数量指标", "设备采购数量", "≥100.00(台)", "100.00(台)", "20.00"),
        _row("产出指标", "质量指标", "设备验收合格率", "=100.00(%)", "100.00(%)", "10.00"),
        _row("产出指标", "时效指标", "设备到货时间", "2024年6月前", "2024年5月", "10.00"),
        _row("效益指标", "社会效益指标", "等候时间缩短率", "≥20.00(%)", "23.00(%)", "20.00"),
        _row("效益指标", "可持续影响指标", "设备运维机制", "健全", "达成年度指标", "10.00"),
        _row("满意度指标", "服务对象满意度指标", "群众满意度", "≥90.00(%)", "95.00(%)", "10.00"),
    ],
    "total_weight": "100.00",
    "total_score": "100.00",
    "grade": "优",
}


def base_form() -> dict[str, Any]:
    """A fresh copy of the clean example form (canonical JSON shape)."""
    return copy.deepcopy(_BASE)


def build(patch: Patch | None) -> SelfEvaluation:
    """The base form with ``patch`` applied, validated."""
    data = base_form()
    if patch is not None:
        patch(data)
    return form_from_dict(data)


def _watched(amount: str, executed: str) -> dict[str, Any]:
    return {"initial": amount, "executed": executed, "rate": "60.00", "forecast": amount}


def base_monitoring() -> dict[str, Any]:
    """The clean example 监控表 of the base form's project and year (canonical JSON shape,
    without its ``kind``): July, 60 % spent (ahead of the 58.33 % schedule), every
    indicator 确定能."""
    return {
        "title": "项目支出绩效目标执行监控表",
        "year": _BASE["year"],
        "project": _BASE["project"],
        "department": _BASE["department"],
        "unit": _BASE["unit"],
        "period": "1-7月",
        "funds": {"total": _watched("100.00", "60.00"), "fiscal": _watched("100.00", "60.00")},
        "goal": _BASE["goals"]["expected"],
        "indicators": [
            {
                "level1": r["level1"],
                "level2": r["level2"],
                "name": r["name"],
                "target": r["target"],
                "executed": "过半",
                "forecast": r["target"],
                "likelihood": "确定能",
            }
            for r in _BASE["indicators"]
        ],
    }


def build_monitoring(patch: Patch | None) -> Monitoring:
    """The base 监控表 with ``patch`` applied, validated."""
    data = base_monitoring()
    if patch is not None:
        patch(data)
    return Monitoring.model_validate(data)


def _walk(data: dict[str, Any], path: str) -> tuple[Any, str | int]:
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = data
    for part in parts[:-1]:
        node = node[part]
    return node, parts[-1]


def put(**paths: Any) -> Patch:
    """Set values by dotted path: ``put(**{"funds.total.rate": "35.00"})``."""

    def patch(data: dict[str, Any]) -> None:
        for path, value in paths.items():
            node, key = _walk(data, path)
            node[key] = value

    return patch


def row(position: int, **fields: Any) -> Patch:
    """Change fields of indicator row ``position`` (1-based)."""

    def patch(data: dict[str, Any]) -> None:
        data["indicators"][position - 1].update(fields)

    return patch


def every_row(**fields: Any) -> Patch:
    """Change fields of every indicator row."""

    def patch(data: dict[str, Any]) -> None:
        for r in data["indicators"]:
            r.update(fields)

    return patch


def add_row(
    level1: str,
    level2: str,
    name: str,
    target: str,
    actual: str,
    weight: str = "0.00",
    score: str | None = None,
    deviation: str = "",
) -> Patch:
    """Append an indicator row (weight 0 unless given, so the totals still hold)."""

    def patch(data: dict[str, Any]) -> None:
        r = _row(level1, level2, name, target, actual, weight)
        if score is not None:
            r["score"] = score
        r["deviation"] = deviation
        data["indicators"].append(r)

    return patch


def drop_rows(*positions: int) -> Patch:
    """Remove indicator rows (1-based positions)."""

    def patch(data: dict[str, Any]) -> None:
        keep = [r for i, r in enumerate(data["indicators"], 1) if i not in positions]
        data["indicators"] = keep

    return patch


def spend(executed: str, rate: str, score: str, total: str | None = None) -> Patch:
    """Set 全年执行数 on the total and fiscal rows with the declared rate and score."""

    def patch(data: dict[str, Any]) -> None:
        for key in ("total", "fiscal"):
            data["funds"][key]["executed"] = executed
            data["funds"][key]["rate"] = rate
        data["funds"]["total"]["score"] = score
        if total is not None:
            data["total_score"] = total

    return patch


def both(*patches: Patch) -> Patch:
    """Apply several patches in order."""

    def patch(data: dict[str, Any]) -> None:
        for p in patches:
            p(data)

    return patch
