"""Scoring and audit parameters as data (TOML), not code.

A policy file may name a ``base`` profile and override only what differs. Built-in
profiles live in ``jixiao/policies/*.toml``; a user passes a name or a path. Every value
is validated; an unknown or invalid key gets an error naming the key.
"""

from __future__ import annotations

import tomllib
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jixiao.messages import os_reason
from jixiao.model import describe_validation_error

RoundingName = Literal["half_up", "down", "half_even"]
ROUNDING_MODES: dict[str, str] = {
    "half_up": ROUND_HALF_UP,  # 四舍五入
    "down": ROUND_DOWN,  # 截断 (truncate toward zero)
    "half_even": ROUND_HALF_EVEN,  # 银行家舍入
}
Severity = Literal["error", "warning", "info"]


def quantize(value: Decimal, places: int, mode: RoundingName) -> Decimal:
    """``value`` to ``places`` decimals with the named rounding mode (never the context's).

    Precision grows with the value, so a huge number (text run together by extraction)
    is quantized exactly instead of raising ``InvalidOperation``.
    """
    digits = value.adjusted() + places + 2
    if digits <= 28:
        return value.quantize(_QUANTUM[places], rounding=ROUNDING_MODES[mode])
    with localcontext() as ctx:
        ctx.prec = digits
        return value.quantize(_QUANTUM[places], rounding=ROUNDING_MODES[mode])


_QUANTUM = [Decimal(1).scaleb(-p) for p in range(7)]  # places 0 … 6 (the policy's range)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExecutionRules(_Strict):
    """预算执行率 and its 得分."""

    weight: Decimal = Field(gt=0)
    rate_rounding: RoundingName
    rate_places: int = Field(ge=0, le=6)
    score_from: Literal["rate", "displayed"]
    score_rounding: RoundingName
    score_places: int = Field(ge=0, le=6)
    cap_rate_at: Decimal = Field(gt=0)


class IndicatorRules(_Strict):
    """How a recommended indicator 得分 is computed."""

    score_rounding: RoundingName
    score_places: int = Field(ge=0, le=6)
    reverse_formula: Literal["ratio", "linear"]
    equal_over: Literal["full", "proportional"]
    qualitative_met: Decimal = Field(gt=0, le=1)
    qualitative_partial: Decimal = Field(ge=0, le=1)
    late_deadline: Literal["met", "partial", "unmet"]

    @model_validator(mode="after")
    def _bands_ordered(self) -> IndicatorRules:
        if self.qualitative_partial > self.qualitative_met:
            raise ValueError("qualitative_partial 不能大于 qualitative_met")
        return self


class GradeBand(_Strict):
    grade: str = Field(min_length=1)
    min: Decimal


class AuditThresholds(_Strict):
    """Thresholds the audit rules read (reference/rules.md §6)."""

    tolerance: Decimal = Field(ge=0)
    total_weight: Decimal = Field(gt=0)
    level1_weights: dict[str, Decimal]  # W02 without a 成本 一级 indicator (10号 第十三条)
    level1_weights_cost: dict[str, Decimal] = Field(default_factory=dict)  # with one (101号 三（六）)
    satisfaction_to: str = "效益指标"  # gets 满意度's weight when a form has no 满意度 indicator
    overrun_ratio: Decimal = Field(gt=1)
    exec_rate_warn: Decimal = Field(ge=0, le=100)
    mismatch_rel_gap: Decimal = Field(ge=0)
    inflation_exec_rate: Decimal = Field(ge=0, le=100)
    grade_exec_rate: Decimal = Field(ge=0, le=100)
    deviation_gap: Decimal = Field(ge=0)
    deviation_min_chars: int = Field(ge=0)
    boilerplate_repeat: int = Field(ge=2)
    qualitative_share: Decimal = Field(ge=0, le=1)
    narrative_similarity: Decimal = Field(ge=0, le=1)
    cost_tolerance: Decimal = Field(ge=0)
    name_max_chars: int = Field(gt=0)
    cost_required: bool = False
    copied_min_rows: int = Field(default=3, ge=1)
    severity: dict[str, Severity] = Field(default_factory=dict)


class Policy(_Strict):
    """A complete scoring and audit profile."""

    name: str
    title: str = ""
    base: str | None = None
    execution: ExecutionRules
    indicators: IndicatorRules
    grades: list[GradeBand] = Field(min_length=1)
    audit: AuditThresholds

    @model_validator(mode="after")
    def _grades_descending(self) -> Policy:
        mins = [b.min for b in self.grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("grades 的 min 必须从高到低排列且互不相同")
        return self

    def grade_for(self, total: Decimal) -> str:
        """评分等级 for a 总分: the first band whose lower bound (inclusive) is reached."""
        for band in self.grades:
            if total >= band.min:
                return band.grade
        return self.grades[-1].grade


class PolicyError(ValueError):
    """A policy that cannot be loaded; the message (Chinese) names the file and key."""


def builtin_names() -> list[str]:
    """Names of the built-in profiles."""
    folder = resources.files("jixiao") / "policies"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def _read_toml(text: str, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        raise PolicyError(f"{where}: TOML 格式错误（{err}）") from None


def _builtin_raw(name: str) -> dict[str, Any]:
    path = resources.files("jixiao") / "policies" / f"{name}.toml"
    if not path.is_file():
        known = "、".join(builtin_names())
        raise PolicyError(f"未知的评分口径 {name!r}（内置：{known}）")
    return _read_toml(path.read_text(encoding="utf-8"), f"policies/{name}.toml")


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolve(raw: dict[str, Any], where: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    base = raw.get("base")
    if base is None:
        return raw
    if not isinstance(base, str):
        raise PolicyError(f"{where}: base 应为内置口径名称")
    if base in seen:
        raise PolicyError(f"{where}: base 循环引用（{' → '.join((*seen, base))}）")
    parent = _resolve(_builtin_raw(base), f"policies/{base}.toml", (*seen, base))
    return _merge(parent, raw)


def policy_from_dict(raw: dict[str, Any], where: str) -> Policy:
    """Validate a (merged) policy mapping; errors name the key."""
    try:
        return Policy.model_validate(_resolve(raw, where))
    except ValidationError as err:
        raise PolicyError(f"{where}: {describe_validation_error(err)}") from None


def load_policy(name_or_path: str | Path) -> Policy:
    """A built-in profile by name, or a TOML file by path."""
    text = str(name_or_path)
    path = Path(text)
    if text.endswith(".toml") or path.exists():
        try:
            content = path.read_text(encoding="utf-8-sig")
        except OSError as err:
            raise PolicyError(f"{path}: 无法读取评分口径文件（{os_reason(err)}）") from None
        raw = _read_toml(content, str(path))
        raw.setdefault("name", path.stem)
        return policy_from_dict(raw, str(path))
    return policy_from_dict(_builtin_raw(text), f"policies/{text}.toml")
