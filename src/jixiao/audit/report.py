"""Audit reports: plain text (grouped by form, most severe first), JSON, and a Markdown
review memo (审核意见) per form."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jixiao.audit import FormAudit, source_span
from jixiao.audit.registry import (
    SEVERITIES,
    SEVERITY_LABELS,
    SEVERITY_RANK,
    Finding,
)
from jixiao.policy import Policy

FAIL_ON = ("error", "warning", "info", "never")


def exit_code(audits: Sequence[FormAudit], fail_on: str = "error") -> int:
    """1 when any finding is at or above ``fail_on`` (error > warning > info), else 0."""
    if fail_on == "never":
        return 0
    limit = SEVERITY_RANK[fail_on]
    found = any(SEVERITY_RANK[f.severity] <= limit for a in audits for f in a.findings)
    return 1 if found else 0


def _counts(audit: FormAudit) -> dict[str, int]:
    c = Counter(f.severity for f in audit.findings)
    return {s: c.get(s, 0) for s in SEVERITIES}


def _counts_text(audit: FormAudit) -> str:
    c = _counts(audit)
    return " · ".join(f"{SEVERITY_LABELS[s]} {c[s]}" for s in SEVERITIES)


def _inflation_text(value: Decimal | None) -> str:
    if value is None:
        return "无法计算"
    return f"{value} 个百分点"


def _heading(audit: FormAudit) -> str:
    form = audit.form
    bits = [b for b in (form.unit, f"{form.year}年度" if form.year else "") if b]
    extra = f"（{'，'.join(bits)}）" if bits else ""
    return f"{form.label}{extra}"


def ranking(audits: Sequence[FormAudit]) -> list[FormAudit]:
    """Forms by inflation (largest first; not computable last), then by worst finding."""

    def key(a: FormAudit) -> tuple[int, Decimal, int]:
        infl = a.inflation
        return (infl is None, -(infl or Decimal(0)), -a.count("error"))

    return sorted(audits, key=key)


# --- text ---------------------------------------------------------------------------------


def _finding_text(f: Finding) -> list[str]:
    lines = [f"  [{f.severity_label}] {f.rule} {f.title}", f"      位置：{f.place}"]
    lines.append(f"      发现：{f.message}")
    if f.values_text:
        lines.append(f"      {f.values_text}")
    lines.append(f"      修改：{f.fix}")
    return lines


def render_text(audits: Sequence[FormAudit], policy: Policy) -> str:
    """Findings grouped by form, most severe first; then the inflation ranking."""
    out: list[str] = [f"审核口径：{policy.name} {policy.title}", ""]
    for a in audits:
        out.append(f"== {_heading(a)}")
        src = source_span(a.form)
        if src:
            out.append(f"   来源：{src}")
        out.append(f"   虚高：{_inflation_text(a.inflation)}；{_counts_text(a)}")
        if not a.findings:
            out.append("  未发现问题。")
        for f in a.findings:
            out.extend(_finding_text(f))
        out.append("")
    total = Counter(f.severity for a in audits for f in a.findings)
    out.append(
        f"共 {len(audits)} 张表："
        + "，".join(f"{SEVERITY_LABELS[s]} {total.get(s, 0)} 项" for s in SEVERITIES)
        + "。"
    )
    if len(audits) > 1:
        out.append("")
        out.append("按虚高排序（指标得分率 − 预算执行率，百分点）：")
        for i, a in enumerate(ranking(audits), 1):
            infl = "-" if a.inflation is None else str(a.inflation)
            out.append(f"  {i:>3}. {infl:>8}  {a.form.label}（{_counts_text(a)}）")
    return "\n".join(out) + "\n"


# --- JSON ---------------------------------------------------------------------------------


def to_json_dict(audits: Sequence[FormAudit], policy: Policy) -> dict[str, Any]:
    forms = []
    for a in audits:
        source = a.form.source_dict()
        forms.append(
            {
                "project": a.form.project,
                "unit": a.form.unit,
                "year": a.form.year,
                "index": a.form.index,
                "source": source,
                "inflation": None if a.inflation is None else str(a.inflation),
                "counts": _counts(a),
                "findings": [f.to_dict() for f in a.findings],
            }
        )
    return {"policy": policy.name, "forms": forms}


def render_json(audits: Sequence[FormAudit], policy: Policy) -> str:
    return json.dumps(to_json_dict(audits, policy), ensure_ascii=False, indent=1) + "\n"


# --- Markdown memo (审核意见) ----------------------------------------------------------------

_SECTIONS = {
    "error": "必须更正的问题",
    "warning": "需要说明或修改的问题",
    "info": "提示（供审核参考）",
}
_NUMERALS = "一二三四五六七八九十"


def _md(text: str) -> str:
    """Escape the Markdown characters that occur in form text."""
    for ch in ("\\", "*", "_", "`", "|", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text


def conclusion(a: FormAudit) -> str:
    c = _counts(a)
    if c["error"]:
        return f"退回修改：有 {c['error']} 项必须更正的错误。"
    if c["warning"]:
        return f"修改或补充说明后报送：有 {c['warning']} 项需要说明的问题。"
    return "同意报送：未发现需要修改的问题。"


def render_markdown(audits: Sequence[FormAudit], policy: Policy) -> str:
    """One 审核意见 per form: header facts, conclusion, findings by severity."""
    out: list[str] = []
    for a in audits:
        form = a.form
        out.append(f"## 审核意见：{_md(form.label)}")
        out.append("")
        facts = [
            ("实施单位", form.unit),
            ("主管部门", form.department),
            ("年度", str(form.year) if form.year else ""),
            ("自评总分", f"{form.total_score}（{form.grade}）" if form.total_score else ""),
            ("预算执行率", f"{form.funds.total.rate}%" if form.funds.total.rate else ""),
            ("虚高（指标得分率 − 执行率）", _inflation_text(a.inflation)),
            ("来源", source_span(form) or ""),
            ("审核口径", f"{policy.name} {policy.title}"),
        ]
        for label, value in facts:
            if value:
                out.append(f"- {label}：{_md(value)}")
        out.append("")
        out.append(f"**审核结论：** {conclusion(a)}")
        out.append("")
        n = 0
        for severity in SEVERITIES:
            items = [f for f in a.findings if f.severity == severity]
            if not items:
                continue
            out.append(f"### {_NUMERALS[n]}、{_SECTIONS[severity]}")
            out.append("")
            n += 1
            for i, f in enumerate(items, 1):
                out.append(
                    f"{i}. **{f.title}**（{f.rule}）位置：{_md(f.place)}。{_md(f.message)}。"
                )
                if f.values_text:
                    out.append(f"   {_md(f.values_text)}。")
                out.append(f"   修改意见：{_md(f.fix)}")
            out.append("")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
