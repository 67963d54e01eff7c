"""docs/rules.md, generated from the registry (never written by hand).

``jixiao rules --markdown > docs/rules.md`` writes it; a test regenerates it and compares.
Thresholds are shown as the ``mof-2020`` defaults; severities are the rules' defaults.
"""

from __future__ import annotations

from jixiao.audit.registry import FAMILIES, REGISTRY, SEVERITY_LABELS, Example, Rule
from jixiao.policy import load_policy


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(e: Example) -> str:
    mark = "触发" if e.fires else "不触发"
    extra = f"（口径 {e.policy}）" if e.policy != "mof-2020" else ""
    return f"- {mark}：{e.note}{extra}"


def rule_markdown(r: Rule) -> list[str]:
    lines = [
        f"### {r.id} {r.title}",
        "",
        f"- 类别：{r.family} {FAMILIES[r.family]}",
        f"- 默认严重程度：{SEVERITY_LABELS[r.severity]}（{r.severity}）",
        f"- 为什么：{r.rationale}",
        f"- 依据：{r.source}",
        f"- 如何修改：{r.fix}",
        "",
        "示例（即本规则的测试）：",
        "",
    ]
    lines += [_example(e) for e in r.examples]
    lines.append("")
    return lines


def render_markdown() -> str:
    """The whole rules document."""
    policy = load_policy("mof-2020")
    rules = list(REGISTRY)
    out = [
        "# 审核规则",
        "",
        "<!-- 由 `jixiao rules --markdown > docs/rules.md` 从规则注册表生成，请勿手工修改。 -->",
        "",
        f"共 {len(rules)} 条规则，分 {len(FAMILIES)} 类。每条规则有编号、类别、默认严重程度"
        "（错误 / 警告 / 提示）、标题、理由与依据、修改建议，以及至少一个必须触发和一个不得触发的"
        "示例；测试由这些示例生成。评分口径（`--policy`）可以在 `[audit]` 中改阈值，"
        "在 `[audit.severity]` 中按规则改严重程度。依据中的条文（如“财预〔2020〕10号 第十六条”）"
        "摘录于 docs/official-texts.md；证据标签 [C] 为有出处的原文，[V] 为生产系统的做法，"
        "[I] 为推断。",
        "",
        "| 编号 | 类别 | 严重程度 | 标题 |",
        "|---|---|---|---|",
    ]
    for r in rules:
        out.append(
            f"| {r.id} | {FAMILIES[r.family]} | {SEVERITY_LABELS[r.severity]} | {_cell(r.title)} |"
        )
    out += ["", "## 阈值（mof-2020 默认值）", "", "| 阈值 | 默认值 |", "|---|---|"]
    for key, value in policy.audit.model_dump().items():
        if key == "severity":
            continue
        if isinstance(value, dict):
            value = "，".join(f"{k} {v}" for k, v in value.items())
        out.append(f"| `{key}` | {value} |")
    out.append("")
    for family, title in FAMILIES.items():
        out += [f"## {family} {title}", ""]
        for r in rules:
            if r.family == family:
                out += rule_markdown(r)
    return "\n".join(out).rstrip("\n") + "\n"
