"""The rule registry: every audit rule with its metadata, its check and its examples.

A rule is registered with :func:`rule` on its check function. The check receives an
:class:`~jixiao.audit.context.AuditContext` (the form, the policy and the scorecard computed
once) and yields :class:`Hit` objects; the engine turns each hit into a :class:`Finding`
carrying the rule's id, family, severity, title and fix. Every rule carries at least one
example that must fire and one that must not; the tests are generated from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol

from jixiao.model import (
    FIELD_LABELS,
    FUND_COLUMN_LABELS,
    FUND_ROW_LABELS,
    INDICATOR_LABELS,
    Source,
)
from jixiao.plans import MONITOR_FUND_COLUMNS, MONITOR_INDICATOR_LABELS

if TYPE_CHECKING:
    from jixiao.audit.context import AuditContext

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}

FAMILIES: dict[str, str] = {
    "S": "结构与完整性",
    "F": "指标值格式",
    "W": "分值与总分",
    "X": "预算执行率",
    "Q": "指标计分",
    "D": "偏差原因说明",
    "P": "合理性与自评虚高",
    "M": "执行监控",
}
# What a rule checks: a 自评表 (the form audit) or a 绩效目标执行监控表 (jixiao monitor).
Subject = Literal["form", "monitoring"]
SUBJECT_NAMES: dict[str, str] = {"form": "自评表", "monitoring": "绩效目标执行监控表"}

Patch = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Example:
    """A small form (the base example form, patched) on which the rule must fire or not;
    for a rule on the 监控表, the base example 监控表 patched."""

    fires: bool
    note: str  # what the example shows (Chinese, shown in the docs)
    patch: Patch | None = None
    policy: str = "mof-2020"
    targets: dict[str, Any] | None = None  # an approved-targets document (P09)
    monitoring: Patch | None = None  # the July 监控表 beside the form: the base one, patched (M04)


def fires(note: str, patch: Patch | None = None, **kw: Any) -> Example:
    """An example on which the rule must report a finding."""
    return Example(True, note, patch, **kw)


def silent(note: str, patch: Patch | None = None, **kw: Any) -> Example:
    """An example on which the rule must stay silent."""
    return Example(False, note, patch, **kw)


Value = Decimal | str | None


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check found: the place, the declared and expected values, the message."""

    where: str  # field path: "funds.total.rate", "indicators[2].score", "goals.achieved"
    message: str
    declared: Value = None
    expected: Value = None
    position: int | None = None  # 1-based indicator row
    indicator: str | None = None  # 三级指标 name
    severity: Severity | None = None  # a lower severity than the rule's default, if any
    fix: str | None = None  # a fix specific to this hit
    rows: tuple[int, ...] = ()  # the indicator rows of a hit that groups several


Check = Callable[["AuditContext"], Iterable[Hit]]


class _Sourced(Protocol):
    source: Source | None


# A rule on a 监控表 gets a MonitoringContext (jixiao.audit.monitoring) instead.
AnyCheck = Callable[[Any], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """One audit rule (its entry in docs/rules.md) and its check."""

    id: str
    severity: Severity
    title: str
    rationale: str  # why it matters
    source: str  # where the rule comes from (an article, or an evidence label as in docs/rules.md)
    fix: str  # how to fix a finding, in general
    check: AnyCheck
    examples: tuple[Example, ...]
    # A formatting habit: its hits on several rows of one form are one finding that lists
    # the rows, with the first row as the example.
    grouped: bool = False
    subject: Subject = "form"  # what it checks: a 自评表, or a 监控表 (its check's context)

    @property
    def family(self) -> str:
        return self.id[0]

    @property
    def family_title(self) -> str:
        return FAMILIES[self.family]


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding on one form: which rule, where exactly, what was found and expected."""

    rule: str
    family: str
    severity: Severity
    title: str
    form: str  # the form's label (project name)
    source: str | None  # file and line/page span of the form
    where: str
    message: str
    fix: str
    declared: Value = None
    expected: Value = None
    position: int | None = None
    indicator: str | None = None
    rows: tuple[int, ...] = ()  # the indicator rows of a finding that groups several

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]

    @property
    def place(self) -> str:
        """The place in the form's own words: 第3行“群众满意度” 年度指标值,
        年度资金总额·执行率 — never the field path (that is :attr:`where`)."""
        return place_words(self.where, self.position, self.indicator, self.rows)

    @property
    def values_text(self) -> str:
        """填报：8.50；应为：8.53 — the declared and the expected value ("" when neither)."""
        if self.declared is None and self.expected is None:
            return ""
        return f"填报：{shown_value(self.declared)}；应为：{shown_value(self.expected)}"

    def to_dict(self) -> dict[str, Any]:
        """The finding as plain data: what the web stores, JSON exports carry and
        :meth:`from_dict` reads back (``place``, ``severity_label`` and ``values_text`` are
        for readers: every page shows a finding as 位置 / message（values）/ 修改意见)."""
        return {
            "rule": self.rule,
            "family": self.family,
            "severity": self.severity,
            "severity_label": self.severity_label,
            "title": self.title,
            "where": self.where,
            "place": self.place,
            "indicator": self.indicator,
            "position": self.position,
            "rows": list(self.rows),
            "declared": None if self.declared is None else str(self.declared),
            "expected": None if self.expected is None else str(self.expected),
            "message": self.message,
            "values_text": self.values_text,
            "fix": self.fix,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], form: str = "", source: str | None = None) -> Finding:
        """A finding from :meth:`to_dict`'s data (declared and expected stay text)."""
        severity = data.get("severity")
        return cls(
            rule=str(data.get("rule") or ""),
            family=str(data.get("family") or str(data.get("rule") or "")[:1]),
            severity=severity if severity in SEVERITIES else "info",
            title=str(data.get("title") or ""),
            form=form,
            source=source,
            where=str(data.get("where") or ""),
            message=str(data.get("message") or ""),
            fix=str(data.get("fix") or ""),
            declared=data.get("declared"),
            expected=data.get("expected"),
            position=data.get("position"),
            indicator=data.get("indicator"),
            rows=tuple(p for p in data.get("rows") or () if isinstance(p, int)),
        )


@dataclass
class Registry:
    """All rules by id, in catalogue order."""

    rules: dict[str, Rule] = field(default_factory=dict)
    _ordered: list[Rule] = field(default_factory=list, repr=False)

    def add(self, r: Rule) -> None:
        if r.id in self.rules:
            raise ValueError(f"rule {r.id} registered twice")
        if r.family not in FAMILIES:
            raise ValueError(f"rule {r.id}: unknown family {r.family}")
        if not any(e.fires for e in r.examples) or all(e.fires for e in r.examples):
            raise ValueError(f"rule {r.id}: needs an example that fires and one that does not")
        self.rules[r.id] = r
        self._ordered = sorted(self.rules.values(), key=_rule_order)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._ordered)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return self.rules.get(rule_id.upper())

    def on(self, subject: Subject) -> list[Rule]:
        """The rules that check one kind of document, in catalogue order."""
        return [r for r in self._ordered if r.subject == subject]


_PLACES: dict[str, str] = {
    **FIELD_LABELS,
    "funds.total": "年度资金总额",
    "indicators": "绩效指标表",
    "gaps": "导入缺漏",
    "indicators[*].weight": "各指标分值",
    "indicators[*].score": "各指标得分",
    "indicators[*].target": "各指标年度指标值",
    "indicators[*].actual": "各指标实际完成值",
}


def place_label(where: str) -> str:
    """A field path in the form's own words: funds.total.rate → 年度资金总额·执行率,
    indicators[2].actual → 第3行 实际完成值; "" for a path the form has no words for."""
    if where in _PLACES:
        return _PLACES[where]
    parts = where.split(".")
    if len(parts) == 3 and parts[0] == "funds":
        row = FUND_ROW_LABELS.get(parts[1])
        col = FUND_COLUMN_LABELS.get(parts[2]) or MONITOR_FUND_COLUMNS.get(parts[2])
        if row and col:
            return f"{row}·{col}"
    row_match = _ROW_PATH.fullmatch(where)
    if row_match:
        return place_words(where, int(row_match.group(1)) + 1, None)
    return ""


def shown_value(value: Value) -> str:
    """A finding's declared or expected value as text; empty shows as （空）."""
    return "（空）" if value is None or value == "" else str(value)


_ROW_PATH = re.compile(r"indicators\[(\d+)\](?:\.(\w+))?")


_COLUMN_PATH = re.compile(r"indicators\[\*\]\.(\w+)")


def place_words(
    where: str, position: int | None, indicator: str | None, rows: Sequence[int] = ()
) -> str:
    """A finding's place in words: 第3行“群众满意度” 实际完成值 for an indicator row
    (with the column where the path names one), 第1、3、5行 年度指标值 for a finding that
    groups rows, else :func:`place_label`, else 整张表."""
    if rows:
        column_match = _COLUMN_PATH.fullmatch(where)
        column = INDICATOR_LABELS.get(column_match.group(1)) if column_match else None
        listed = "、".join(str(p) for p in rows)
        return f"第{listed}行 {column}" if column else f"第{listed}行"
    if position is not None:
        name = f"“{indicator}”" if indicator else ""
        row_match = _ROW_PATH.fullmatch(where)
        key = row_match.group(2) or "" if row_match else ""
        column = INDICATOR_LABELS.get(key) or MONITOR_INDICATOR_LABELS.get(key)
        return f"第{position}行{name} {column}" if column else f"第{position}行{name}"
    return place_label(where) or "整张表"


_FAMILY_ORDER = {f: i for i, f in enumerate(FAMILIES)}


def _rule_order(r: Rule) -> tuple[int, str]:
    return _FAMILY_ORDER[r.family], r.id


REGISTRY = Registry()


def rule(
    id: str,
    severity: Severity,
    title: str,
    *,
    rationale: str,
    source: str,
    fix: str,
    examples: Iterable[Example],
    grouped: bool = False,
    subject: Subject = "form",
) -> Callable[[AnyCheck], AnyCheck]:
    """Register the decorated check as rule ``id`` (``grouped``: see :attr:`Rule.grouped`;
    ``subject`` "monitoring": the check reads a 监控表's context)."""

    def register(check: AnyCheck) -> AnyCheck:
        REGISTRY.add(
            Rule(
                id,
                severity,
                title,
                rationale,
                source,
                fix,
                check,
                tuple(examples),
                grouped,
                subject,
            ),
        )
        return check

    return register


def source_span(form: _Sourced) -> str | None:
    """A form's (or 申报表's, 监控表's) file and line (or page) span, e.g.
    ``seed.txt:2-176``, ``a.pdf 第2–3页``."""
    src = form.source
    if src is None or not src.file:
        return None
    if src.start_line is not None:
        end = f"-{src.end_line}" if src.end_line and src.end_line != src.start_line else ""
        return f"{src.file}:{src.start_line}{end}"
    if src.page is not None:
        pages = f"{src.page}–{src.end_page}" if src.end_page else f"{src.page}"
        return f"{src.file} 第{pages}页"
    return src.file


_COLUMN = re.compile(r"indicators\[\d+\]\.(\w+)")


def group_rows(hits: Iterable[Hit]) -> list[Hit]:
    """Hits of one rule on several indicator rows, in the same column and of the same
    severity, as one hit that lists the rows; the first row's message is its example."""
    out: list[Hit] = []
    groups: dict[tuple[Severity | None, str | None], list[Hit]] = {}
    for hit in hits:
        if hit.position is None:
            out.append(hit)
            continue
        match = _COLUMN.fullmatch(hit.where)
        key = (hit.severity, match.group(1) if match else None)
        if key not in groups:
            groups[key] = []
            out.append(hit)  # the group's place in the order
        groups[key].append(hit)
    for key, members in groups.items():
        if len(members) < 2:
            continue
        first = members[0]
        rows = tuple(h.position for h in members if h.position is not None)
        name = f"“{first.indicator}”" if first.indicator else ""
        merged = Hit(
            f"indicators[*].{key[1]}" if key[1] else "indicators",
            f"{len(rows)} 行有同样的问题，例如第{first.position}行{name}：{first.message}",
            severity=first.severity,
            fix=first.fix,
            rows=rows,
        )
        out[out.index(first)] = merged
    return out


def run_rules(
    rules: Iterable[Rule],
    ctx: Any,
    label: str,
    source: str | None,
    overrides: Mapping[str, Severity],
) -> list[Finding]:
    """Run ``rules`` on one document's context; their hits as findings of the document
    (``label``, ``source``), each at the policy's severity for the rule when it sets one,
    most severe first, then in catalogue order."""
    out: list[Finding] = []
    for r in rules:
        override = overrides.get(r.id)
        hits = r.check(ctx)
        for hit in group_rows(hits) if r.grouped else hits:
            severity = override or hit.severity or r.severity
            out.append(
                Finding(
                    rule=r.id,
                    family=r.family,
                    severity=severity,
                    title=r.title,
                    form=label,
                    source=source,
                    where=hit.where,
                    message=hit.message,
                    fix=hit.fix or r.fix,
                    declared=hit.declared,
                    expected=hit.expected,
                    position=hit.position,
                    indicator=hit.indicator,
                    rows=hit.rows,
                )
            )
    out.sort(key=lambda f: SEVERITY_RANK[f.severity])  # stable: catalogue order within
    return out
