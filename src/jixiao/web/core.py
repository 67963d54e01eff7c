"""The web system's one door to the core: score, audit, import and render.

Everything here calls :mod:`jixiao.scoring`, :mod:`jixiao.audit`, :mod:`jixiao.ingest` and
:mod:`jixiao.render`; the web adds no rules of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from jixiao.audit import REGISTRY, SEVERITY_RANK, Finding, audit_form, inflation
from jixiao.generate import generate_forms
from jixiao.ingest.batch import import_file
from jixiao.isolation import ChildFailed, LimitExceeded, Limits, run_limited
from jixiao.model import SelfEvaluation, dump_forms
from jixiao.policy import Policy, load_policy
from jixiao.scoring import Scorecard, score_form


@cache
def policy(name: str | None = None) -> Policy:
    return load_policy(name or settings.JIXIAO_POLICY)


@dataclass
class Assessment:
    """A form's scorecard, its audit findings (as plain dicts) and its inflation: how many
    percentage points the declared indicator completion exceeds budget execution."""

    card: Scorecard
    findings: list[dict[str, Any]] = field(default_factory=list)
    inflation: Decimal | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.get("severity") == "warning")


def _finding_dict(f: Finding) -> dict[str, Any]:
    return {**f.to_dict(), "severity_label": f.severity_label, "place": f.place}


def assess(form: SelfEvaluation, pol: Policy | None = None) -> Assessment:
    """Score and audit one form."""
    pol = pol or policy()
    card = score_form(form, pol)
    findings = [_finding_dict(f) for f in audit_form(form, pol, scorecard=card)]
    findings.sort(key=lambda f: (SEVERITY_RANK[f["severity"]], f["position"] or 0))
    return Assessment(card, findings, inflation(form, card))


def rule_title(rule_id: str) -> str:
    """The one-line Chinese title of an audit rule (its id when the registry lacks it)."""
    rule = REGISTRY.get(rule_id) if rule_id else None
    return rule.title if rule is not None else rule_id


# --- import ------------------------------------------------------------------------------


class ImportFailure(ValueError):
    """A file that could not be read; the message is for the user (Chinese)."""


def read_forms(path: Path, display_name: str) -> list[SelfEvaluation]:
    """Forms in one uploaded file, by the core's importer run in a child process with the
    memory and time limits of the settings; its messages name the file as the user called
    it, not the upload's temporary path."""
    limits = Limits(settings.JIXIAO_IMPORT_MEMORY_MB, settings.JIXIAO_IMPORT_SECONDS)
    try:
        result = run_limited(import_file, path, limits=limits)
    except LimitExceeded as err:
        raise ImportFailure(f"{display_name}: {err}，未导入") from None
    except ChildFailed as err:
        raise ImportFailure(f"{display_name}: 导入时出现内部错误（{err}），未导入") from None
    if result.error is not None:
        text = result.error.replace(str(path), display_name)
        message = text if text.startswith(display_name) else f"{display_name}: {text}"
        raise ImportFailure(message)
    forms = result.forms
    for form in forms:
        if form.source is not None:
            form.source.file = display_name
    return forms


# --- render ------------------------------------------------------------------------------

EXPORT_FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


def export(
    forms: list[SelfEvaluation],
    to: str,
    progress: Callable[[SelfEvaluation], None] | None = None,
) -> bytes:
    """All ``forms`` as one file in format ``to`` (pdf, xlsx, html, json); a batch PDF is
    laid out on every core, ``progress`` told after each form."""
    if to == "json":
        return dump_forms(forms).encode("utf-8")
    from jixiao.render import render_bytes

    return render_bytes(forms, to, progress=progress)


def report_pdf(forms: list[SelfEvaluation]) -> bytes:
    """The 审核意见书 of ``forms`` (summary table, then each form's findings) as a PDF."""
    from jixiao.audit import audit_forms
    from jixiao.render import render_report_pdf

    pol = policy()
    return render_report_pdf(audit_forms(forms, pol), pol)


def official_html(
    form: SelfEvaluation, assessment: Assessment | None = None, *, notes: bool = True
) -> str:
    """The official layout of one form (the render template); ``notes`` adds the reviewer's
    computed values and findings beside the declared ones."""
    from jixiao.render.html import render_html
    from jixiao.render.review import ReviewFinding
    from jixiao.render.reviewer import review_from_scorecard

    if not notes:
        return render_html([form])

    pol = policy()
    a = assessment or assess(form, pol)
    findings = [
        ReviewFinding(f.get("rule", ""), f["severity"], f.get("place", ""), f.get("message", ""))
        for f in a.findings
    ]
    review = review_from_scorecard(form, a.card, pol, findings)
    return render_html([form], [review])


def generate(count: int, seed: int = 0) -> list[SelfEvaluation]:
    """Generated forms from the core's generator (demo data)."""
    return generate_forms(count, seed=seed)
