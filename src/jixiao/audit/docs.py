"""docs/rules.md, generated from the registry (never written by hand).

``jixiao rules --markdown > docs/rules.md`` writes it; a test regenerates it and compares.
Thresholds are shown as the ``mof-2020`` defaults; severities are the rules' defaults.
"""

from __future__ import annotations

from jixiao.audit.registry import (
    FAMILIES,
    REGISTRY,
    SEVERITY_LABELS,
    SUBJECT_NAMES,
    Example,
    Rule,
)
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
        *([f"- 检查对象：{SUBJECT_NAMES[r.subject]}"] if r.subject != "form" else []),
        f"- 默认严重程度：{SEVERITY_LABELS[r.severity]}（{r.severity}）"
        + ("；同一张表的多行合并为一条" if r.grouped else ""),
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
        "各地的模板不同（全国 2020 年模板、湖北式执行率 20 分、四川式指标性质与度量单位、转移支付"
        "绩效目标自评表等）。规则按表单自己的模板核对：完整性规则只要求本表模板有的栏目（没有"
        "年初预算数、没有逐行分值的模板不算缺项），地方模板的二级指标名称（进度指标、"
        "服务对象满意度指标等）照样认得；表单未注明模板时，各行都空着的一栏视为模板没有这一栏。"
        "年度资金总额一行填 0 而资金来源行有支出时，只报一项（S03），其余规则按资金来源行的合计"
        "计算执行率。严重程度按后果定：算错得分是错误，书写习惯不是。标明“合并”的规则是书写格式"
        "问题：同一张表上同一种问题合为一条，列出所有行，并以该表的一行为例。",
        "",
        "M 类（执行监控）的 M01–M03 检查绩效目标执行监控表（`jixiao monitor`），M04 检查自评表，"
        "但要同时有同一项目年度的执行监控表（`jixiao monitor`，或 `jixiao audit` 的输入中有"
        "监控表）；它们的阈值和严重程度同样由评分口径设定。",
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
