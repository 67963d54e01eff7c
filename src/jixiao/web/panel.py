"""The panel of computed results beside a form (``web/_panel.jinja``): on its page, in its
editor (with the 采用计算值 buttons) and alone as the editor's live preview."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from markupsafe import Markup

from jixiao.model import SelfEvaluation
from jixiao.render.view import show_number, show_value
from jixiao.scoring import Scorecard
from jixiao.web import core


def adoptable(card: Scorecard) -> dict[str, str]:
    """Editor field → the computed value it may take (采用计算值), where the rules compute
    one that differs from what is filled in: 执行率, 预算执行得分, 总分, 评分等级 and each
    indicator's 得分 (``ind_score.<row index>``)."""
    out: dict[str, str] = {}
    for name, compared in (
        ("funds.total.rate", card.rate),
        ("funds.total.score", card.execution_score),
        ("total_score", card.total),
        ("grade", card.grade),
    ):
        if compared.computed is not None and not compared.matches:
            out[name] = show_value(compared.computed)
    for i, sc in enumerate(card.indicators):
        if sc.recommended is not None and not sc.matches:
            out[f"ind_score.{i}"] = show_number(sc.recommended)
    return out


def score_panel(form: SelfEvaluation, a: core.Assessment, editing: bool = False) -> dict[str, Any]:
    """The panel beside the form; ``editing`` adds the 采用计算值 buttons."""
    card = a.card
    adopt = adoptable(card) if editing else {}
    rows = []
    for i, (ind, sc) in enumerate(zip(form.indicators, card.indicators, strict=False)):
        allowed = None
        if sc.low is not None and sc.high is not None and sc.low != sc.high:
            allowed = f"{sc.low}～{sc.high}"
        name = f"ind_score.{i}"
        rows.append(
            {
                "position": sc.position,
                "name": ind.name,
                "weight": sc.weight,
                "declared": sc.declared,
                "recommended": sc.recommended,
                "allowed": allowed,
                "matches": sc.matches,
                "reason": sc.reason,
                "adopt": (name, adopt[name]) if name in adopt else None,
            }
        )
    summary = {
        key: (name, adopt[name])
        for key, name in (
            ("rate", "funds.total.rate"),
            ("execution_score", "funds.total.score"),
            ("total", "total_score"),
            ("grade", "grade"),
        )
        if name in adopt
    }
    return {
        "card": card,
        "basis": a.basis.words if a.basis is not None else "",
        "rows": rows,
        "findings": a.findings,
        "inflation": a.inflation,
        "adopt": summary,
        "editing": editing,
    }


def panel_html(form: SelfEvaluation, a: core.Assessment) -> Markup:
    """The form page's panel (no 采用计算值 buttons) as HTML: ``_panel.jinja`` alone, as the
    page includes it (it reads nothing but ``panel``)."""
    return Markup(render_to_string("web/_panel.jinja", {"panel": score_panel(form, a)}))
