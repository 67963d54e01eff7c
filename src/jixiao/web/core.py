"""The web system's one door to the core: score, audit, import and render.

Everything here calls :mod:`jixiao.scoring`, :mod:`jixiao.audit`, :mod:`jixiao.ingest` and
:mod:`jixiao.render`; the web adds no rules of its own. Parts of the core that have not
landed yet are looked up at call time, so the web works (with less) until they do.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from jixiao.model import SelfEvaluation, forms_from_json_text
from jixiao.policy import Policy, load_policy
from jixiao.scoring import Scorecard, score_form

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@cache
def policy(name: str | None = None) -> Policy:
    return load_policy(name or settings.JIXIAO_POLICY)


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


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


def _finding_dict(f: Any) -> dict[str, Any]:
    d = f.to_dict() if hasattr(f, "to_dict") else dict(f)
    d.setdefault("severity", "info")
    d["severity_label"] = SEVERITY_LABELS.get(d["severity"], d["severity"])
    place = getattr(f, "place", None)
    d["place"] = place if isinstance(place, str) else d.get("where", "")
    return d


def assess(form: SelfEvaluation, pol: Policy | None = None) -> Assessment:
    """Score and audit one form."""
    pol = pol or policy()
    card = score_form(form, pol)
    findings: list[dict[str, Any]] = []
    inflation: Decimal | None = None
    audit_form = _optional("jixiao.audit", "audit_form")
    if audit_form is not None:
        findings = [_finding_dict(f) for f in audit_form(form, pol, scorecard=card)]
        inflation_of = _optional("jixiao.audit", "inflation")
        inflation = inflation_of(form, card) if inflation_of is not None else _score_gap(card)
    else:
        inflation = _score_gap(card)
    findings.sort(key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f.get("position") or 0))
    return Assessment(card, findings, inflation)


def _score_gap(card: Scorecard) -> Decimal | None:
    """Declared 总分 above the computed one (the scorecard's own comparison)."""
    if card.total.declared is None or card.total.computed is None:
        return None
    declared, computed = card.total.declared, card.total.computed
    if not isinstance(declared, Decimal) or not isinstance(computed, Decimal):
        return None
    return declared - computed


def rule_title(rule_id: str) -> str:
    """The one-line Chinese title of an audit rule (its id when the registry lacks it)."""
    registry = _optional("jixiao.audit", "REGISTRY")
    rule = registry.get(rule_id) if registry is not None and rule_id else None
    return str(rule.title) if rule is not None else rule_id


# --- import ------------------------------------------------------------------------------


class ImportFailure(ValueError):
    """A file that could not be read; the message is for the user (Chinese)."""


def read_forms(path: Path, display_name: str) -> list[SelfEvaluation]:
    """Forms in one uploaded file, by the core's importer (JSON is always understood)."""
    reader = _optional("jixiao.ingest", "read_forms")
    suffix = path.suffix.lower()
    try:
        if reader is not None:
            forms = list(reader(path))
        elif suffix == ".json":
            forms = forms_from_json_text(path.read_bytes().decode("utf-8-sig"), display_name)
        else:
            raise ImportFailure(f"{display_name}: 暂不支持导入 {suffix} 文件（导入模块尚未安装）")
    except ImportFailure:
        raise
    except UnicodeDecodeError:
        raise ImportFailure(f"{display_name}: 文件编码无法识别") from None
    except Exception as err:  # the importer's own message names the place
        text = str(err).replace(str(path), display_name)
        message = text if text.startswith(display_name) else f"{display_name}: {text}"
        raise ImportFailure(message) from None
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


def export(forms: list[SelfEvaluation], to: str) -> bytes:
    """All ``forms`` as one file in format ``to`` (pdf, xlsx, html, json)."""
    if to == "json":
        return json.dumps(
            {"forms": [f.to_json_dict() for f in forms]}, ensure_ascii=False, indent=1
        ).encode("utf-8")
    from jixiao.render import render_bytes

    return render_bytes(forms, to)


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


def generate(count: int, seed: int = 0) -> list[SelfEvaluation] | None:
    """Generated forms from the core's generator, or None while it has not landed."""
    gen = _optional("jixiao.generate", "generate_forms")
    return None if gen is None else list(gen(count, seed=seed))
