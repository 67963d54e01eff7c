"""One page per project and year: the 申报表 (as approved), the 监控表 and the 自评表 side by
side, per indicator target → July → result, with the gaps highlighted
(:mod:`jixiao.project_year` finds them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from jixiao.plans import Monitoring, TargetDeclaration
from jixiao.project_year import project_year
from jixiao.web import access
from jixiao.web.models import EvaluationForm, Organisation, stored_project
from jixiao.web.plans.models import PlanRecord
from jixiao.web.plans.store import declaration_of


def year_url(unit_id: int, year: int | None, project: str) -> str:
    """The year page of a unit's project (empty when the year is unknown)."""
    if year is None:
        return ""
    return reverse("plan-year", args=[unit_id, year]) + "?" + urlencode({"project": project})


@dataclass
class YearDocuments:
    """What a unit stores for one project and year: the 申报表 in order (first filed first),
    the one that counts (the latest 调整, else the 批复, else the latest filed), the 批复 an
    调整 replaced, the latest 监控表 and the 自评表."""

    declarations: list[PlanRecord]
    counting: PlanRecord | None
    replaced: PlanRecord | None
    monitoring: PlanRecord | None
    form: EvaluationForm | None


def documents_of(organisation: Organisation, project: str, year: int) -> YearDocuments:
    records = list(
        PlanRecord.objects.filter(
            organisation=organisation, year=year, project=stored_project(project)
        )
        .select_related("organisation")
        .order_by("id")
    )
    declarations = [r for r in records if r.kind == PlanRecord.Kind.DECLARATION]
    adjusted = [r for r in declarations if r.stage == PlanRecord.Stage.ADJUSTED]
    approved = [r for r in declarations if r.stage == PlanRecord.Stage.APPROVED]
    counting = (adjusted or approved or declarations or [None])[-1]
    replaced = approved[-1] if adjusted and approved else None
    monitorings = [r for r in records if r.kind == PlanRecord.Kind.MONITORING]
    form = EvaluationForm.objects.filter(
        organisation=organisation, year=year, project=stored_project(project)
    ).first()
    return YearDocuments(declarations, counting, replaced, (monitorings or [None])[-1], form)


@require_GET
def year_page(request: HttpRequest, unit: int, year: int) -> HttpResponse:
    """The three documents of ``?project=`` of ``unit`` and ``year`` side by side."""
    organisation = access.visible_organisations(request.user).filter(pk=unit).first()
    project = request.GET.get("project", "").strip()
    if organisation is None or not project or not 1900 <= year <= 2999:
        raise Http404("没有找到这个项目，或您无权查看")
    docs = documents_of(organisation, project, year)
    declaration = declaration_of(docs.counting) if docs.counting is not None else None
    before = declaration_of(docs.replaced) if docs.replaced is not None else None
    watch = docs.monitoring.doc if docs.monitoring is not None else None
    form = docs.form.form if docs.form is not None else None
    if docs.counting is None and watch is None and form is None:
        raise Http404("这个项目本年度没有申报表、监控表或自评表")
    view = project_year(
        declaration,
        watch if isinstance(watch, Monitoring) else None,
        form,
        approved=docs.counting is not None and docs.counting.approved,
        first_approved=before if isinstance(before, TargetDeclaration) else None,
    )
    context: dict[str, Any] = {
        "organisation": organisation,
        "project": project,
        "year": year,
        "docs": docs,
        "view": view,
        "form": form,
        "period": watch.period if isinstance(watch, Monitoring) else "1-7月",
    }
    return render(request, "web/plan_year.html", context)
