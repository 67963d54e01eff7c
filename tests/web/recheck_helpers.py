"""Drawing and recording 抽查复核 through the pages, for the tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

from jixiao.web.models import EvaluationForm, Status


def send_up(*forms: EvaluationForm, status: str = Status.FINANCE_REVIEW) -> None:
    """The forms as the units sent them up (a draw takes submitted forms only)."""
    EvaluationForm.objects.filter(pk__in=[f.pk for f in forms]).update(status=status)


def draw_fields(reviewer: Any, **fields: Any) -> dict[str, Any]:
    return {
        "title": "2024年度抽查复核",
        "year": "2024",
        "round": "",
        "method": "random",
        "count": "",
        "share": "",
        "seed": "",
        "reviewer": str(reviewer.pk),
        **fields,
    }


def preview(client: Client, reviewer: Any, **fields: Any) -> Any:
    return client.post("/recheck/new/", draw_fields(reviewer, **fields))


def confirm(client: Client, shown: Any, ids: list[int] | None = None) -> Any:
    """Confirm the draw a preview page showed (its fields, the seed it generated, the forms
    it drew; ``ids``: the forms ticked by hand)."""
    data = {k: v for k, v in shown.context["form"].data.lists()}
    data["expected"] = [str(i) for i in shown.context["drawn_ids"]]
    if ids is not None:
        data["ids"] = [str(i) for i in ids]
    data["confirm"] = "1"
    return client.post("/recheck/new/", data)


def draw(client: Client, reviewer: Any, ids: list[int] | None = None, **fields: Any) -> Any:
    shown = preview(client, reviewer, **fields)
    assert shown.status_code == 200, shown.context.get("errors") if shown.context else shown
    done = confirm(client, shown, ids)
    assert done.status_code == 302, done.context.get("errors") if done.context else done
    return done


def scores_of(form: EvaluationForm, changed: dict[int, str] | None = None) -> dict[str, str]:
    """A 复核 POST that gives every row its self-score, except ``changed`` (row → score)."""
    changed = changed or {}
    doc = form.form
    data = {"score_0": str(doc.funds.total.score), "version": str(form.version)}
    for i, row in enumerate(doc.indicators, start=1):
        data[f"score_{i}"] = str(row.score)
    for position, score in changed.items():
        data[f"score_{position}"] = score
        data[f"opinion_{position}"] = f"第{position}行复核调整"
    return data
