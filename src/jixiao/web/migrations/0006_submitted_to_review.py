"""The old single state 已送审 (``submitted``) becomes the first review level above the unit
that the form's district uses (主管部门审核中 by default); old transitions get their step name."""

from typing import Any

from django.db import migrations

SUBMITTED = "submitted"
# Review levels above the unit, lowest first: (state, the district's switch).
ABOVE_UNIT = (("department_review", "review_department"), ("finance_review", "review_finance"))
# The step of an old transition, by (from, to).
OLD_STEPS = {
    ("draft", SUBMITTED): "submit",
    ("returned", SUBMITTED): "submit",
    (SUBMITTED, "approved"): "approve",
    (SUBMITTED, "returned"): "return",
    ("approved", "returned"): "reopen",
}


def level_for(district: Any) -> str:
    """Where a submitted form of ``district`` (its 财政 node, or None) waits now."""
    if district is None:
        return ABOVE_UNIT[0][0]
    for status, field in ABOVE_UNIT:
        if getattr(district, field):
            return status
    return "unit_review"


def _update(model: Any, pks: list[int], **values: str) -> None:
    for i in range(0, len(pks), 500):  # within every database's limit of query parameters
        model.objects.filter(pk__in=pks[i : i + 500]).update(**values)


def move_submitted(apps: Any, schema_editor: Any) -> None:
    Organisation = apps.get_model("web", "Organisation")
    EvaluationForm = apps.get_model("web", "EvaluationForm")
    Event = apps.get_model("web", "Event")

    for (before, after), action in OLD_STEPS.items():
        Event.objects.filter(
            kind="transition", action="", from_status=before, to_status=after
        ).update(action=action)

    districts = {o.pk: o for o in Organisation.objects.filter(kind="finance")}

    def target(path: str) -> str:
        ids = [int(p) for p in path.strip("/").split("/") if p]
        return level_for(next((districts[i] for i in reversed(ids) if i in districts), None))

    by_target: dict[str, list[int]] = {}
    for pk, path in EvaluationForm.objects.filter(status=SUBMITTED).values_list("pk", "org_path"):
        by_target.setdefault(target(path), []).append(pk)
    for status, pks in by_target.items():
        _update(EvaluationForm, pks, status=status)

    for field in ("from_status", "to_status"):
        rows = Event.objects.filter(**{field: SUBMITTED}).values_list("pk", "form__org_path")
        by_target = {}
        for pk, path in rows:
            by_target.setdefault(target(path), []).append(pk)
        for status, pks in by_target.items():
            _update(Event, pks, **{field: status})


def back_to_submitted(apps: Any, schema_editor: Any) -> None:
    review = ("unit_review", "department_review", "finance_review")
    apps.get_model("web", "EvaluationForm").objects.filter(status__in=review).update(
        status=SUBMITTED
    )
    Event = apps.get_model("web", "Event")
    for field in ("from_status", "to_status"):
        Event.objects.filter(**{f"{field}__in": review}).update(**{field: SUBMITTED})


class Migration(migrations.Migration):
    dependencies = [("web", "0005_review_chain")]

    operations = [migrations.RunPython(move_submitted, back_to_submitted)]
