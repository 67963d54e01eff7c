"""审核意见书: the audit of one form or a batch as an HTML document or an A4 PDF.

A summary table (project, 执行率 declared and computed, 总分 declared and computed, grade,
findings by severity, inflation), then each form's conclusion and findings. Facts and
wording come from :mod:`jixiao.audit` and :mod:`jixiao.scoring`; this module lays them out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from weasyprint import HTML

from jixiao.audit import SEVERITIES, SEVERITY_LABELS, Finding, FormAudit
from jixiao.audit.report import conclusion as audit_conclusion
from jixiao.model import SelfEvaluation
from jixiao.policy import Policy
from jixiao.render.batch import file_name
from jixiao.render.html import environment, stylesheet
from jixiao.render.pdf import font_configuration
from jixiao.render.view import show_number, show_value
from jixiao.scoring import Compared

SECTIONS: dict[str, str] = {
    "error": "必须更正的问题",
    "warning": "需要说明或修改的问题",
    "info": "提示（供审核参考）",
}


@dataclass(frozen=True)
class Pair:
    """A declared value and the computed one, as shown in the summary."""

    declared: str
    computed: str
    differs: bool

    @classmethod
    def of(cls, c: Compared) -> Pair:
        return cls(show_value(c.declared), show_value(c.computed), not c.matches)


@dataclass(frozen=True)
class FormReport:
    """One form's line in the summary and its section of findings."""

    number: int
    audit: FormAudit
    rate: Pair
    total: Pair
    grade: Pair
    counts: dict[str, int]
    inflation: str
    conclusion: str
    sections: list[tuple[str, list[Finding]]]

    @property
    def form(self) -> SelfEvaluation:
        return self.audit.form


def form_report(number: int, audit: FormAudit) -> FormReport:
    card = audit.scorecard
    counts: dict[str, int] = {s: audit.count(s) for s in SEVERITIES}
    sections = [
        (SECTIONS[s], [f for f in audit.findings if f.severity == s])
        for s in SEVERITIES
        if counts[s]
    ]
    return FormReport(
        number=number,
        audit=audit,
        rate=Pair.of(card.rate),
        total=Pair.of(card.total),
        grade=Pair.of(card.grade),
        counts=counts,
        inflation="-" if audit.inflation is None else show_number(audit.inflation),
        conclusion=audit_conclusion(audit),
        sections=sections,
    )


def render_report_html(audits: Sequence[FormAudit], policy: Policy) -> str:
    """The 审核意见书 of ``audits`` (in the order given) as one HTML document."""
    reports = [form_report(i, a) for i, a in enumerate(audits, start=1)]
    totals = {s: sum(r.counts[s] for r in reports) for s in SEVERITIES}
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            reports=reports,
            policy=policy,
            totals=totals,
            severities=SEVERITIES,
            severity_labels=SEVERITY_LABELS,
            css=stylesheet("report.css"),
            title="审核意见书" if len(reports) != 1 else f"审核意见书：{reports[0].form.label}",
        )
    )


def render_report_pdf(audits: Sequence[FormAudit], policy: Policy) -> bytes:
    """The 审核意见书 on A4, pages numbered."""
    html = render_report_html(audits, policy)
    return bytes(HTML(string=html).write_pdf(font_config=font_configuration()))


def report_bytes(audits: Sequence[FormAudit], policy: Policy, to: str) -> bytes:
    """The 审核意见书 as ``pdf`` or ``html`` bytes."""
    if to == "pdf":
        return render_report_pdf(audits, policy)
    if to == "html":
        return render_report_html(audits, policy).encode("utf-8")
    raise ValueError(f"审核意见书只能输出 pdf 或 html：{to}")


def write_report(
    audits: Sequence[FormAudit],
    policy: Policy,
    to: str,
    output: Path,
    progress: Callable[[FormAudit], None] | None = None,
) -> list[Path]:
    """One report for the batch when ``output`` ends in ``.<to>``, else one per form."""
    if output.suffix.lower() == f".{to}":
        data = report_bytes(audits, policy, to)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        if progress is not None:
            for audit in audits:
                progress(audit)
        return [output]
    output.mkdir(parents=True, exist_ok=True)
    written = []
    for number, audit in enumerate(audits, start=1):
        path = output / file_name(audit.form, number, to).replace(f".{to}", f"-审核意见.{to}")
        path.write_bytes(report_bytes([audit], policy, to))
        written.append(path)
        if progress is not None:
            progress(audit)
    return written
