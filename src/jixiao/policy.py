"""Scoring and audit parameters as data (TOML), not code.

A policy file may name a ``base`` profile and override only what differs. Built-in
profiles live in ``jixiao/policies/*.toml``; a user passes a name or a path. Every value
is validated; an unknown or invalid key gets an error naming the key.
"""

from __future__ import annotations

import re
import tomllib
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from functools import cache
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


class Band(_Strict):
    """One step of a banded score: from ``min`` (inclusive) on, ``share`` of the 分值."""

    min: Decimal = Field(ge=0)
    share: Decimal = Field(ge=0, le=1)


def _check_bands(bands: list[Band], key: str) -> None:
    """Bands run from the highest ``min`` down to 0, the share never rising."""
    if not bands:
        raise ValueError(f"{key} 不能为空")
    mins = [b.min for b in bands]
    if mins != sorted(set(mins), reverse=True) or mins[-1] != 0:
        raise ValueError(f"{key} 的 min 必须从高到低、互不相同，且最后一档为 0")
    shares = [b.share for b in bands]
    if shares != sorted(shares, reverse=True):
        raise ValueError(f"{key} 的 share 不能随 min 降低而升高")


def band_share(bands: list[Band], value: Decimal) -> Decimal:
    """The share of the first band whose ``min`` ``value`` reaches (bands run high → 0)."""
    for band in bands:
        if value >= band.min:
            return band.share
    return bands[-1].share


class ExecutionRules(_Strict):
    """预算执行率 and its 得分."""

    weight: Decimal = Field(gt=0)
    rate_rounding: RoundingName
    rate_places: int = Field(ge=0, le=6)
    score_from: Literal["rate", "displayed"]
    score_rounding: RoundingName
    score_places: int = Field(ge=0, le=6)
    cap_rate_at: Decimal = Field(gt=0)
    # proportional: 执行率 × 分值; bands: the share of the band the 执行率 (%) falls in
    method: Literal["proportional", "bands"] = "proportional"
    bands: list[Band] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bands_given(self) -> ExecutionRules:
        if self.method == "bands":
            _check_bands(self.bands, "execution.bands")
        return self


class IndicatorRules(_Strict):
    """How a recommended indicator 得分 is computed."""

    score_rounding: RoundingName
    score_places: int = Field(ge=0, le=6)
    reverse_formula: Literal["ratio", "linear"]
    equal_over: Literal["full", "proportional"]
    qualitative_met: Decimal = Field(gt=0, le=1)
    qualitative_partial: Decimal = Field(ge=0, le=1)
    late_deadline: Literal["met", "partial", "unmet"]
    # 完成率 below the pass mark scores 0, above it (完成率 − pass_mark) / (1 − pass_mark) × 分值
    pass_mark: Decimal = Field(default=Decimal(0), ge=0, lt=1)
    # 满意度 rows with a % actual: compared with the target, or scored by the bands (on the %)
    satisfaction: Literal["target", "bands"] = "target"
    satisfaction_bands: list[Band] = Field(default_factory=list)
    # 是/否 rows: in the qualitative bands, or full marks / 0 directly
    binary: Literal["banded", "direct"] = "banded"
    # 折算得分 (河北): none, or share: 折算得分 = 得分 × 权重占比 (%) ÷ 100, and 总分 adds them
    adjusted: Literal["none", "share"] = "none"
    # this policy's words for the three bands, read before the general vocabulary
    level_words: dict[Literal["met", "partial", "unmet"], list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _bands_ordered(self) -> IndicatorRules:
        if self.qualitative_partial > self.qualitative_met:
            raise ValueError("qualitative_partial 不能大于 qualitative_met")
        if self.satisfaction == "bands":
            _check_bands(self.satisfaction_bands, "indicators.satisfaction_bands")
        return self


_MOF10 = "财预〔2020〕10号"


class Basis(_Strict):
    """The article each scoring step rests on, as the scorecard names it (by default the
    articles of 财预〔2020〕10号, so a policy file written before ``[basis]`` still loads)."""

    execution: str = f"{_MOF10} 第十三条"
    quantitative: str = f"{_MOF10} 第十六条"
    qualitative: str = f"{_MOF10} 第十六条"
    satisfaction: str = f"{_MOF10} 第十六条"
    binary: str = f"{_MOF10} 第十六条"
    grades: str = f"{_MOF10} 第十八条"
    overrun: str = f"{_MOF10} 第十六条"


class GradeBand(_Strict):
    grade: str = Field(min_length=1)
    min: Decimal


class AuditThresholds(_Strict):
    """Thresholds the audit rules read (docs/rules.md)."""

    tolerance: Decimal = Field(ge=0)
    total_weight: Decimal = Field(gt=0)
    level1_weights: dict[str, Decimal]  # W02 without a 成本 一级 indicator (10号 第十三条)
    level1_weights_cost: dict[str, Decimal] = Field(
        default_factory=dict
    )  # with one (101号 三（六）)
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
    # Q07: the score 财预〔2020〕10号 第十六条's 偏离度 cut suggests for an unexplained
    # over-achievement — ratio: 分值 × 指标值 ÷ 完成值; linear: 分值 × (1 − 偏离度), 0 from 2×;
    # none: no suggestion
    overrun_cut: Literal["none", "ratio", "linear"] = "ratio"
    # Q07: from this 完成值 ÷ 指标值 on, a missing explanation is an error (广西 1.3); None: never
    overrun_explain_error: Decimal | None = Field(default=None, gt=1)
    # M01: a 监控表's 执行率 below these shares of the time schedule (58.33 % at the end of
    # July) is an error (红色预警) or a warning (黄色预警)
    monitor_red: Decimal = Field(default=Decimal("0.6"), ge=0, le=1)
    monitor_yellow: Decimal = Field(default=Decimal("0.8"), ge=0, le=1)
    severity: dict[str, Severity] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _overrun_order(self) -> AuditThresholds:
        limit = self.overrun_explain_error
        if limit is not None and limit < self.overrun_ratio:
            raise ValueError("overrun_explain_error 不能小于 overrun_ratio")
        if self.monitor_red > self.monitor_yellow:
            raise ValueError("monitor_red 不能大于 monitor_yellow")
        return self


class Match(_Strict):
    """Which forms ``--policy auto`` scores under this policy (regular expressions)."""

    priority: int = 0  # higher is tried first
    department: list[str] = Field(default_factory=list)  # on 主管部门
    unit: list[str] = Field(default_factory=list)  # on 实施单位
    exclude: list[str] = Field(default_factory=list)  # on either: never this policy
    reason: str = Field(min_length=1)  # why, in words: "主管部门为中央部门"

    @model_validator(mode="after")
    def _patterns_compile(self) -> Match:
        for key in ("department", "unit", "exclude"):
            for pattern in getattr(self, key):
                try:
                    re.compile(pattern)
                except re.error as err:
                    raise ValueError(
                        f"match.{key} 的正则表达式 {pattern!r} 无效（{err}）"
                    ) from None
        return self

    def applies(self, department: str, unit: str) -> bool:
        texts = (department, unit)
        if any(re.search(p, t) for p in self.exclude for t in texts):
            return False
        return any(re.search(p, department) for p in self.department) or any(
            re.search(p, unit) for p in self.unit
        )


class Policy(_Strict):
    """A complete scoring and audit profile."""

    name: str
    title: str = ""
    base: str | None = None
    execution: ExecutionRules
    indicators: IndicatorRules
    grades: list[GradeBand] = Field(min_length=1)
    audit: AuditThresholds
    basis: Basis = Field(default_factory=Basis)
    match: Match | None = None

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


def read_toml(text: str, where: str, error: type[ValueError] = PolicyError) -> dict[str, Any]:
    """A TOML declaration (a policy or a layout) with its numbers as Decimal; a syntax
    error becomes ``error`` naming ``where``."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        raise error(f"{where}: TOML 格式错误（{err}）") from None


def _builtin_raw(name: str) -> dict[str, Any]:
    path = resources.files("jixiao") / "policies" / f"{name}.toml"
    if not path.is_file():
        known = "、".join(builtin_names())
        raise PolicyError(f"未知的评分口径 {name!r}（内置：{known}）")
    return read_toml(path.read_text(encoding="utf-8"), f"policies/{name}.toml")


def merge_tables(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``over`` laid on it: tables merged key by key, anything else (lists
    too) replaced. How a policy or a layout declaration extends its ``base``."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_tables(out[key], value)
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
    return merge_tables(parent, raw)


AUTO = "auto"  # the --policy name that chooses per form
DEFAULT = "mof-2020"  # what auto falls back to


def auto_policies() -> list[Policy]:
    """The built-in policies that ``auto`` can choose, highest priority first."""
    return list(_auto_policies())


@cache
def _auto_policies() -> tuple[Policy, ...]:
    """Read once: the built-in profiles are files of the installed package (every form's
    page and save chooses among them; listing and loading them again cost 0.1–0.2 ms)."""
    found = [load_policy(n) for n in builtin_names()]
    chosen = [p for p in found if p.match is not None]
    return tuple(sorted(chosen, key=lambda p: -p.match.priority if p.match else 0))


def choose_policy(department: str, unit: str) -> tuple[Policy, str]:
    """The policy ``--policy auto`` gives a form of this 主管部门 and 实施单位, and why."""
    for policy in auto_policies():
        if policy.match is not None and policy.match.applies(department, unit):
            return policy, policy.match.reason
    return load_policy(DEFAULT), "未识别为中央部门或已配置的地区，用默认口径"


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
        raw = read_toml(content, str(path))
        raw.setdefault("name", path.stem)
        return policy_from_dict(raw, str(path))
    return _builtin_policy(text)


@cache
def _builtin_policy(name: str) -> Policy:
    """A built-in profile, validated once per process (policies are frozen)."""
    return policy_from_dict(_builtin_raw(name), f"policies/{name}.toml")
