"""Pages: form list, detail, edit with live recomputation, workflow, new forms, history."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.model import FUND_COLUMNS, FUND_ROWS, SelfEvaluation
from jixiao.render.view import FUND_COLUMN_CAPTIONS, FUND_ROW_CAPTIONS
from jixiao.web import access, core, editing, records, review, workflow
from jixiao.web.exports import FORMATS
from jixiao.web.models import EvaluationForm, Organisation, Status, in_subtree

PAGE_SIZE = 50
SORTS: dict[str, tuple[str, Any]] = {
    "updated": ("最近修改", F("updated_at").desc()),
    "score": ("总分（计算）从低到高", F("computed_total").asc(nulls_first=True)),
    "-score": ("总分（计算）从高到低", F("computed_total").desc(nulls_last=True)),
    "inflation": ("自评虚高从高到低", F("inflation").desc(nulls_last=True)),
    "findings": ("问题从多到少", F("findings_count").desc()),
    "rate": ("执行率从低到高", F("rate").asc(nulls_first=True)),
    "project": ("项目名称", F("project").asc()),
}
GRADES = ("优", "良", "中", "差")


def filtered_forms(request: HttpRequest) -> tuple[QuerySet[EvaluationForm], dict[str, str]]:
    """The user's forms with the list's search, filters and sort applied."""
    return filter_forms(request.user, request.GET)


FILTERS = ("q", "year", "unit", "grade", "status", "errors")


def filter_forms(user: Any, g: Any) -> tuple[QuerySet[EvaluationForm], dict[str, str]]:
    """``user``'s forms with the list's search, filters and sort in ``g`` (the query
    string, or a dict of it, as a background export keeps it) applied."""
    qs = access.visible_forms(user)
    params = {k: str(g.get(k, "")).strip() for k in FILTERS}
    params["sort"] = g.get("sort", "updated") if g.get("sort") in SORTS else "updated"
    if params["q"]:
        qs = qs.filter(Q(project__icontains=params["q"]) | Q(unit_name__icontains=params["q"]))
    year, unit = access.parse_id(params["year"]), access.parse_id(params["unit"])
    if year is not None:
        qs = qs.filter(year=year)
    if unit is not None:
        org = access.visible_organisations(user).filter(pk=unit).first()
        qs = qs.filter(in_subtree(org.path)) if org else qs.none()
    if params["grade"] in GRADES:
        qs = qs.filter(computed_grade=params["grade"])
    elif params["grade"] == "none":
        qs = qs.filter(computed_grade="")
    if params["status"] in Status.values:
        qs = qs.filter(status=params["status"])
    if params["errors"] == "yes":
        qs = qs.filter(errors__gt=0)
    elif params["errors"] == "no":
        qs = qs.filter(errors=0)
    qs = qs.order_by(SORTS[params["sort"]][1], "-id")
    return qs, params


@require_GET
def form_list(request: HttpRequest) -> HttpResponse:
    qs, params = filtered_forms(request)
    paginator = Paginator(
        qs.select_related("organisation").only(
            "id",
            "year",
            "project",
            "unit_name",
            "status",
            "declared_total",
            "computed_total",
            "rate",
            "inflation",
            "declared_grade",
            "computed_grade",
            "errors",
            "warnings",
            "findings_count",
            "updated_at",
            "organisation__name",
        ),
        PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "web/form_list.html",
        {
            "page": page,
            "params": params,
            "query": query,
            "sorts": [(k, v[0]) for k, v in SORTS.items()],
            "grades": GRADES,
            "statuses": Status.choices,
            "units": access.visible_organisations(request.user).exclude(
                kind=Organisation.Kind.FINANCE
            ),
            "years": access.visible_years(request.user),
            "export_formats": list(FORMATS.items()),
        },
    )


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """What waits for me, 错误 first, then the most inflated; the steps I may take on several
    forms at once (each through a confirmation page, review.bulk_step)."""
    role = access.role_of(request.user)
    states = set(access.inbox_states(role))
    bulk = [
        t
        for t in workflow.TRANSITIONS.values()
        if t.bulk and workflow.role_may(t, role) and states & set(t.sources)
    ]
    forms = review.with_return_comments(access.inbox(request.user)).select_related("organisation")
    forms = forms.order_by("-errors", F("inflation").desc(nulls_last=True), "-updated_at", "-id")
    paginator = Paginator(forms, PAGE_SIZE)
    return render(
        request,
        "web/inbox.html",
        {"page": paginator.get_page(request.GET.get("page")), "bulk_actions": bulk},
    )


def _score_panel(form: SelfEvaluation, a: core.Assessment) -> dict[str, Any]:
    card = a.card
    rows = []
    for ind, sc in zip(form.indicators, card.indicators, strict=False):
        allowed = None
        if sc.low is not None and sc.high is not None and sc.low != sc.high:
            allowed = f"{sc.low}～{sc.high}"
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
            }
        )
    return {"card": card, "rows": rows, "findings": a.findings, "inflation": a.inflation}


@require_GET
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    form = obj.form
    a = core.assess(form)
    plain = request.GET.get("view") == "plain"
    return render(
        request,
        "web/form_detail.html",
        {
            "obj": obj,
            "form": form,
            "plain": plain,
            "official": core.official_html(form, a, notes=not plain),
            "panel": _score_panel(form, a),
            "can_edit": access.can_edit(request.user, obj),
            "formats": list(core.EXPORT_FORMATS),
            **review.detail_context(request.user, obj, form),
        },
    )


def _edit_context(
    obj: EvaluationForm, values: dict[str, Any], panel_form: SelfEvaluation, parsed: Any = None
) -> dict[str, Any]:
    """The edit page: ``values`` as shown (typed text after a failed save), the live panel
    for ``panel_form``, and the messages of ``parsed``."""
    bad = parsed.fields() if parsed else set()
    fund_rows = [
        {
            "key": row,
            "caption": FUND_ROW_CAPTIONS[row],
            "cells": [
                {
                    "name": f"funds.{row}.{col}",
                    "value": values[f"funds.{row}.{col}"],
                    "bad": f"funds.{row}.{col}" in bad,
                }
                for col in FUND_COLUMNS
            ],
        }
        for row in FUND_ROWS
    ]
    rows = []
    for i, row in enumerate(values["rows"]):
        rows.append({**row, "bad": {k for k in editing.INDICATOR_FIELDS if f"ind_{k}.{i}" in bad}})
    header = {k.replace(".", "_"): v for k, v in values.items() if k in editing.HEADER_FIELDS}
    return {
        "obj": obj,
        "v": header,
        "bad": {b.replace(".", "_") for b in bad},
        "rows": rows,
        "fund_headers": [FUND_COLUMN_CAPTIONS[c] for c in FUND_COLUMNS],
        "fund_rows": fund_rows,
        "amount_units": editing.AMOUNT_UNITS,
        "panel": _score_panel(panel_form, core.assess(panel_form)),
        "errors": parsed.messages() if parsed else [],
        "version": obj.updated_at.isoformat(),
        **review.edit_notes(obj, rows),
    }


@require_http_methods(["GET", "POST"])
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    access.require_edit(request.user, obj)
    current = obj.form
    if request.method == "GET":
        ctx = _edit_context(obj, editing.page_values(current), current)
        return render(request, "web/form_edit.html", ctx)
    parsed = editing.parse(request.POST, current)
    version = request.POST.get("version")
    if version and version != obj.updated_at.isoformat():
        parsed.errors.insert(
            0,
            (
                "",
                "保存失败：打开本页后，表单已被他人修改或状态已变化。请记下您的修改，刷新页面后重新填写。",
            ),
        )
    if not parsed.ok or parsed.form is None:
        ctx = _edit_context(obj, editing.posted_values(request.POST, current), current, parsed)
        ctx["version"] = version or ctx["version"]
        return render(request, "web/form_edit.html", ctx, status=400)
    diff = records.update(obj, parsed.form, request.user)
    messages.success(request, f"已保存，修改了 {len(diff)} 处。" if diff else "没有修改。")
    return redirect("form-detail", pk=obj.pk)


@require_POST
def form_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the score panel and findings for what is on the edit page now (not saved)."""
    obj = access.get_form(request.user, pk)
    access.require_edit(request.user, obj)
    parsed = editing.parse(request.POST, obj.form)
    if parsed.form is None:
        return render(request, "web/_panel_errors.html", {"errors": parsed.messages()})
    a = core.assess(parsed.form)
    return render(request, "web/_panel.html", {"panel": _score_panel(parsed.form, a)})


@require_http_methods(["GET", "POST"])
def form_new(request: HttpRequest) -> HttpResponse:
    access.require_create(request.user)
    units = access.units_for(request.user)
    errors: list[str] = []
    if request.method == "POST":
        unit = units.filter(pk=_int(request.POST.get("unit"))).first()
        year = request.POST.get("year", "").strip()
        project = request.POST.get("project", "").strip()
        if unit is None:
            errors.append("请选择您管辖范围内的预算单位")
        if not year.isdigit() or not 1990 <= int(year) <= 2100:
            errors.append("年度：请填写有效的年份（1990–2100）")
        if not project:
            errors.append("项目名称：不能为空")
        elif len(project) > 300:
            errors.append("项目名称：不能超过 300 个字")
        if not errors and unit is not None:
            dept = unit.department
            form = editing.blank(int(year), project, dept.name if dept else "", unit.name)
            obj = records.create(unit, form, request.user)
            messages.success(request, "已新建表单，请填写内容。")
            return redirect("form-edit", pk=obj.pk)
    own = access.visible_forms(request.user).filter(organisation__in=units)
    latest = own.exclude(year=None).order_by("-year").values_list("year", flat=True).first()
    last_year = own.filter(year=latest).order_by("project")[:100] if latest else []
    return render(
        request,
        "web/form_new.html",
        {
            "units": units,
            "errors": errors,
            "post": request.POST,
            "latest": latest,
            "last_year": last_year,
        },
        status=400 if errors else 200,
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def form_next_year(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    access.require_create(request.user, organisation=obj.organisation)
    form = editing.next_year(obj.form)
    existing = records.existing(obj.organisation, form)
    if existing is not None:
        messages.error(
            request, f"{form.year} 年度已有同名项目的表单（#{existing.pk}），未重复生成。"
        )
        return redirect("form-detail", pk=existing.pk)
    new = records.create(
        obj.organisation, form, request.user, comment=f"由 {obj.year} 年度表单（#{obj.pk}）生成"
    )
    messages.success(request, f"已根据 {obj.year} 年度表单生成 {form.year} 年度表单。")
    return redirect("form-edit", pk=new.pk)


@require_GET
def home(request: HttpRequest) -> HttpResponseRedirect:
    return redirect(reverse("form-list"))
