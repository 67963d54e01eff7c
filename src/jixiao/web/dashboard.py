"""The dashboard of the user's scope: grades, statuses, 执行率 against 总分, findings, units."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.web import access, core
from jixiao.web.models import (
    IN_REVIEW,
    INFLATED,
    INFLATED_POINTS,
    FormFinding,
    Organisation,
    Status,
    from_hundredths,
    in_subtree,
)

SCATTER_POINTS = 3000


def _num(value: Any) -> str | None:
    """Integer hundredths as a decimal string for the charts (never a float)."""
    return None if value is None else str(from_hundredths(int(value)))


def dashboard_data(user: Any, year: int | None = None) -> dict[str, Any]:
    forms = access.visible_forms(user)
    if year is not None:
        forms = forms.filter(year=year)
    total = forms.count()
    by_grade = dict(
        forms.values_list("computed_grade")
        .annotate(n=Count("id"))
        .values_list("computed_grade", "n")
    )
    by_status = dict(forms.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    points = list(
        forms.exclude(rate=None)
        .exclude(computed_total=None)
        .order_by("-inflation", "id")
        .values_list("id", "project", "rate", "computed_total", "declared_total", "inflation")[
            :SCATTER_POINTS
        ]
    )
    scatter = [
        {
            "id": pk,
            "project": project,
            "rate": _num(rate),
            "total": _num(computed),
            "declared": _num(declared),
            "inflated": inflation is not None and inflation >= INFLATED,
        }
        for pk, project, rate, computed, declared, inflation in points
    ]
    path = access.scope_path(user)
    finding_rows = (
        FormFinding.objects.filter(in_subtree(path)) if path else FormFinding.objects.none()
    )
    if year is not None:
        finding_rows = finding_rows.filter(form__year=year)
    top = list(finding_rows.values("rule").annotate(n=Count("id")).order_by("-n", "rule")[:12])
    for row in top:
        row["title"] = core.rule_title(row["rule"])
    units = _by_unit(user, forms)
    return {
        "total": total,
        "inflated": forms.filter(inflation__gte=INFLATED).count(),
        "with_errors": forms.filter(errors__gt=0).count(),
        "grades": [
            {"grade": g or "无法计算", "n": by_grade.get(g, 0)}
            for g in ("优", "良", "中", "差", "")
        ],
        "statuses": [{"status": label, "n": by_status.get(v, 0)} for v, label in Status.choices],
        "scatter": scatter,
        "scatter_limited": len(scatter) >= SCATTER_POINTS,
        "inflated_points": INFLATED_POINTS,
        "findings": top,
        "units": units,
    }


def _by_unit(user: Any, forms: Any) -> list[dict[str, Any]]:
    """Per 预算单位 (the first 200 by number of forms): counts, average score, inflated."""
    rows = list(
        forms.values("organisation_id")
        .annotate(
            n=Count("id"),
            scored=Count("computed_total"),
            score_sum=Sum("computed_total"),
            inflated=Count("id", filter=Q(inflation__gte=INFLATED)),
            errors=Count("id", filter=Q(errors__gt=0)),
            submitted=Count("id", filter=Q(status__in=IN_REVIEW)),
            approved=Count("id", filter=Q(status=Status.APPROVED)),
        )
        .order_by("-inflated", "-n")[:200]
    )
    names = Organisation.objects.in_bulk([r["organisation_id"] for r in rows])
    out = []
    for r in rows:
        scored, score_sum = r["scored"], r["score_sum"]
        avg = (
            (Decimal(score_sum) / scored / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if scored
            else None
        )
        out.append(
            {
                "id": r["organisation_id"],
                "name": names[r["organisation_id"]].name,
                "n": r["n"],
                "avg": avg,
                "inflated": r["inflated"],
                "errors": r["errors"],
                "submitted": r["submitted"],
                "approved": r["approved"],
            }
        )
    return out


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    year = access.parse_id(request.GET.get("year"))
    data = dashboard_data(request.user, year)
    profile = access.profile_of(request.user)
    return render(
        request,
        "web/dashboard.html",
        {
            "data": data,
            "chart_data": {k: data[k] for k in ("grades", "statuses", "scatter", "findings")},
            "year": year,
            "years": access.visible_years(request.user),
            "scope": profile.organisation if profile else Organisation(name="—"),
        },
    )
