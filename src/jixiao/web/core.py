"""The web system's one door to the core: score, audit, import and render.

Everything here calls :mod:`jixiao.scoring`, :mod:`jixiao.audit`, :mod:`jixiao.ingest` and
:mod:`jixiao.render`; the web adds no rules of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from jixiao.audit import (
    REGISTRY,
    SEVERITY_RANK,
    ApprovedTargets,
    Finding,
    FormAudit,
    audit_forms,
    audit_scorecard,
)
from jixiao.ingest.batch import FileResult, import_file
from jixiao.isolation import ChildFailed, LimitExceeded, Limits, run_limited
from jixiao.layouts import choose, head_policy
from jixiao.model import SelfEvaluation, Source, dump_forms
from jixiao.policy import DEFAULT, Policy, load_policy
from jixiao.scoring import Scorecard

AUTO = "auto"  # JIXIAO_POLICY's default: each form by its layout and region


@cache
def _load(name: str) -> Policy:
    return load_policy(name)


def forced() -> Policy | None:
    """The one policy ``JIXIAO_POLICY`` forces on every form; None under ``auto``."""
    name = settings.JIXIAO_POLICY
    return None if name == AUTO else _load(name)


def policy(name: str | None = None) -> Policy:
    """The policy named ``name``; without one, the policy ``JIXIAO_POLICY`` forces, or under
    ``auto`` (where each form has its own: :func:`policy_for`) the national default."""
    if name is not None and name != AUTO:
        return _load(name)
    return forced() or _load(DEFAULT)


@dataclass(frozen=True, slots=True)
class Basis:
    """The policy a form is scored and audited by, and the 评分口径 line its page shows."""

    policy: Policy
    words: str


def basis(form: SelfEvaluation) -> Basis:
    """How ``form`` is scored: under ``auto`` by its layout and region, the same choice as
    ``jixiao score --policy auto`` (:func:`jixiao.layouts.choose`); else the forced one."""
    pol = forced()
    if pol is not None:
        return Basis(pol, f"{pol.title}；依据：系统设定的统一口径")
    chosen = choose(form)
    return Basis(chosen.policy, chosen.words())


def policy_for(form: SelfEvaluation) -> Policy:
    """The policy ``form`` is scored and audited by (:func:`basis`)."""
    return forced() or choose(form).policy


def batch_policies(forms: list[SelfEvaluation]) -> tuple[list[Policy], Policy]:
    """Each form's policy and the one a batch of them is headed with (as ``jixiao`` does:
    the most frequent)."""
    each = [policy_for(f) for f in forms]
    return each, head_policy(each)


@dataclass
class Assessment:
    """A form's scorecard, its audit findings and its inflation: how many percentage points
    the declared indicator completion exceeds budget execution."""

    card: Scorecard
    findings: list[Finding] = field(default_factory=list)
    inflation: Decimal | None = None
    basis: Basis | None = None  # the policy it was computed under, and why

    @property
    def policy(self) -> Policy:
        return self.basis.policy if self.basis is not None else policy()

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def audit(self, form: SelfEvaluation) -> FormAudit:
        """As the core's :class:`FormAudit` of ``form`` (for the documents)."""
        return FormAudit(form, self.card, self.findings, self.inflation)

    def findings_data(self) -> list[dict[str, Any]]:
        """The findings as stored with the form (:meth:`Finding.to_dict`)."""
        return [f.to_dict() for f in self.findings]


def _order(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.position or 0))


def assess(
    form: SelfEvaluation,
    pol: Policy | None = None,
    targets: ApprovedTargets | None = None,
    more: Sequence[Finding] = (),
) -> Assessment:
    """Score and audit one form (on save, and for the editor's live preview) under ``pol``,
    else its own policy (:func:`basis`); ``targets``: the approved 申报表's, for P09, and
    ``more``: findings of rules beside the form's (M04 on the project's 监控表), both from
    ``jixiao.web.plans.store.assess``."""
    how = Basis(pol, f"{pol.title}；依据：指定的口径") if pol is not None else basis(form)
    (audited,) = audit_forms([form], how.policy, targets)
    findings = _order([*audited.findings, *more])
    return Assessment(audited.scorecard, findings, audited.inflation, how)


def stored_assessment(
    form: SelfEvaluation,
    findings: list[dict[str, Any]],
    inflation_value: Decimal | None,
    scored: Assessment | None = None,
) -> Assessment:
    """A saved form's assessment for its pages: the findings stored when it was saved (not
    audited again), the scorecard (the computed values beside the declared ones); ``scored``:
    the form's assessment under its own policy (:func:`assess`), whose scorecard is that."""
    if scored is not None and scored.basis is not None:
        how, card = scored.basis, scored.card
    else:
        how = basis(form)
        card = audit_scorecard(form, how.policy)
    label = form.label
    stored = [Finding.from_dict(d, form=label) for d in findings]
    return Assessment(card, stored, inflation_value, how)


def rule_title(rule_id: str) -> str:
    """The one-line Chinese title of an audit rule (its id when the registry lacks it)."""
    rule = REGISTRY.get(rule_id) if rule_id else None
    return rule.title if rule is not None else rule_id


# --- import ------------------------------------------------------------------------------


class ImportFailure(ValueError):
    """A file that could not be read; the message is for the user (Chinese)."""


def read_documents(
    path: Path, display_name: str, on_page: Callable[[int, int], None] | None = None
) -> FileResult:
    """What one uploaded file holds (自评表, 申报表, 监控表 and the sheets skipped with why), by
    the core's importer run in a child process with the memory and time limits of the
    settings (a scan: more memory, and more time for each page it may hold); its messages
    name the file as the user called it, not the upload's temporary path. ``on_page(done,
    pages)`` hears of each page of a scan read by OCR."""
    from jixiao.ingest.scan_pages import likely_scan_pages

    limits = Limits(settings.JIXIAO_IMPORT_MEMORY_MB, settings.JIXIAO_IMPORT_SECONDS)
    with path.open("rb") as f:
        pages = likely_scan_pages(f.read())
    if pages:
        limits = Limits(
            max(limits.memory_mb, settings.JIXIAO_SCAN_MEMORY_MB),
            limits.seconds + pages * settings.JIXIAO_SCAN_SECONDS_PER_PAGE,
        )
    try:
        result = run_limited(import_file, path, limits=limits, on_progress=on_page)
    except LimitExceeded as err:
        raise ImportFailure(f"{display_name}: {err}，未导入") from None
    except ChildFailed as err:
        raise ImportFailure(f"{display_name}: 导入时出现内部错误（{err}），未导入") from None
    if result.error is not None:
        text = result.error.replace(str(path), display_name)
        message = text if text.startswith(display_name) else f"{display_name}: {text}"
        raise ImportFailure(message)
    for form in result.forms:
        if form.source is not None:
            form.source.file = display_name
    for doc in (*result.declarations, *result.monitorings):
        doc.source = Source(file=display_name)
    result.skipped = [note.replace(str(path), display_name) for note in result.skipped]
    return result


# --- render ------------------------------------------------------------------------------

EXPORT_FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def export(
    forms: list[SelfEvaluation],
    to: str,
    progress: Callable[[SelfEvaluation], None] | None = None,
    audits: list[FormAudit] | None = None,
    states: list[str] | None = None,
) -> bytes:
    """All ``forms`` as one file in format ``to`` (pdf, xlsx, docx, html, json); a batch PDF is
    laid out on every core, ``progress`` told after each form; Excel's 汇总 sheet shows
    ``audits`` and ``states`` (the workflow's labels) where given."""
    if to == "json":
        return dump_forms(forms).encode("utf-8")
    from jixiao.render import render_bytes

    return render_bytes(forms, to, progress=progress, audits=audits, states=states)


def report_pdf(forms: list[SelfEvaluation]) -> bytes:
    """The 审核意见书 of ``forms`` (summary table, then each form's findings) as a PDF."""
    from jixiao.render import render_report_pdf

    each, head = batch_policies(forms)
    return render_report_pdf(audit_forms(forms, each), head)


def review_pdf(audit: FormAudit, *, report: bool) -> bytes:
    """One audited form as the 审核意见书 (``report``) or as the reviewer PDF: the
    official form with computed values and findings beside it (``render --reviewer``),
    under the form's own policy."""
    from jixiao.render.pdf import render_pdf
    from jixiao.render.report import render_report_pdf
    from jixiao.render.reviewer import review_audit

    pol = policy_for(audit.form)
    if report:
        return render_report_pdf([audit], pol)
    return render_pdf([audit.form], [review_audit(audit, pol)])


def official_html(
    form: SelfEvaluation, assessment: Assessment | None = None, *, notes: bool = True
) -> str:
    """The official layout of one form (the render template); ``notes`` adds the reviewer's
    computed values and findings beside the declared ones."""
    from jixiao.render.html import render_html
    from jixiao.render.reviewer import review_from_scorecard

    if not notes:
        return render_html([form])

    a = assessment or assess(form)
    return render_html([form], [review_from_scorecard(form, a.card, a.policy, a.findings)])
