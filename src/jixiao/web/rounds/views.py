"""Pages of the 填报任务: list, open and edit, progress by unit, a unit's project list,
Excel export, 催报 and close."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.web import access, jobs
from jixiao.web.models import Organisation, Role
from jixiao.web.rounds import projects, scope
from jixiao.web.rounds.forms import RoundForm, UnitListForm
from jixiao.web.rounds.models import Round, RoundUnit
from jixiao.web.rounds.progress import STAGES, RoundProgress, compute, today
from jixiao.web.rounds.remind import remind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REMINDER_ROLES = frozenset({Role.FINANCE_REVIEWER, Role.DEPARTMENT_REVIEWER, Role.ADMIN})


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for rnd in scope.visible_rounds(request.user).select_related("organisation")[:100]:
        rows.append((rnd, compute(rnd, scope.round_units(request.user, rnd))))
    return render(
        request,
        "web/round_list.html",
        {"rows": rows, "can_open": scope.can_open(request.user)},
    )


def _units_of(choices: list[Organisation]) -> list[int]:
    """The 预算单位 ids that ``choices`` (主管部门 stand for all their units) cover."""
    ids: list[int] = []
    for org in choices:
        if org.kind == Organisation.Kind.UNIT:
            ids.append(org.pk)
        else:
            ids.extend(scope.open_units(org).values_list("pk", flat=True))
    return list(dict.fromkeys(ids))


@transaction.atomic
def _save_round(form: RoundForm, node: Organisation, user: Any) -> tuple[Round | None, list[str]]:
    """Save the round and its scope, then import the uploaded list; on a bad list nothing is
    saved and the messages name the rows."""
    rnd = form.save(commit=False)
    rnd.organisation = node
    if rnd.pk is None:
        rnd.created_by = user
    rnd.save()
    wanted = set(_units_of(list(form.cleaned_data.get("scope") or [])))
    upload = form.cleaned_data.get("project_file")
    listed: list[projects.Listed] = []
    if upload is not None:
        units = scope.open_units(node)
        listed, errors = projects.read_workbook(upload.read(), units, upload.name)
        if errors:
            transaction.set_rollback(True)
            return None, errors
        wanted |= {item.unit.pk for item in listed}
    current = set(rnd.units.values_list("organisation_id", flat=True))
    rnd.projects.exclude(organisation_id__in=wanted).delete()
    rnd.units.exclude(organisation_id__in=wanted).delete()
    RoundUnit.objects.bulk_create(
        [RoundUnit(round=rnd, organisation_id=pk) for pk in sorted(wanted - current)]
    )
    if listed:
        projects.merge_listed(rnd, listed)
    return rnd, []


def _round_page(
    request: HttpRequest, form: RoundForm, rnd: Round | None, node: Organisation, errors: list[str]
) -> HttpResponse:
    checked: set[str] = set()
    if form.is_bound:
        checked = set(request.POST.getlist("scope"))
    elif rnd is not None:
        checked = {str(pk) for pk in rnd.units.values_list("organisation_id", flat=True)}
    return render(
        request,
        "web/round_form.html",
        {
            "form": form,
            "round": Round.objects.get(pk=rnd.pk) if rnd is not None else None,  # as saved
            "tree": scope.tree_choices(node),
            "checked": checked,
            "list_errors": errors,
        },
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    node = scope.finance_node(request.user)
    if node is None:
        raise PermissionDenied("只有财政部门可以发起填报任务")
    choices = scope.tree_choices(node)
    if request.method == "POST":
        form = RoundForm(request.POST, request.FILES, choices=choices)
        if form.is_valid():
            rnd, errors = _save_round(form, node, request.user)
            if rnd is not None:
                messages.success(request, f"已发起填报任务“{rnd.title}”。")
                return redirect("round-progress", pk=rnd.pk)
            return _round_page(request, form, None, node, errors)
        return _round_page(request, form, None, node, [])
    form = RoundForm(choices=choices, initial={"year": _default_year(request)})
    return _round_page(request, form, None, node, [])


def _default_year(request: HttpRequest) -> int:
    return today().year - 1  # the round evaluates last year's projects


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = scope.get_round(request.user, pk)
    scope.require_manage(request.user, rnd)
    node = rnd.organisation
    choices = scope.tree_choices(node)
    if request.method == "POST":
        form = RoundForm(request.POST, request.FILES, instance=rnd, choices=choices)
        if form.is_valid():
            saved, errors = _save_round(form, node, request.user)
            if saved is not None:
                messages.success(request, "已保存填报任务。")
                return redirect("round-progress", pk=saved.pk)
            return _round_page(request, form, rnd, node, errors)
        return _round_page(request, form, rnd, node, [])
    return _round_page(request, RoundForm(instance=rnd, choices=choices), rnd, node, [])


@require_GET
def round_progress(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = scope.get_round(request.user, pk)
    progress = compute(rnd, scope.round_units(request.user, rnd))
    return render(
        request,
        "web/round_progress.html",
        {
            "round": rnd,
            "progress": progress,
            **_shown(request, progress),
            "stages": STAGES,
            "can_manage": scope.can_manage(request.user, rnd),
            "can_remind": access.role_of(request.user) in REMINDER_ROLES and not rnd.closed,
        },
    )


def _shown(request: HttpRequest, progress: RoundProgress) -> dict[str, Any]:
    """The departments and units the page lists: one 主管部门 (``dept``) and/or only the
    overdue units (``overdue=1``); the totals stay the whole round's."""
    dept = access.parse_id(request.GET.get("dept"))
    only_overdue = request.GET.get("overdue") == "1"
    shown = []
    for d in progress.departments:
        if dept is not None and (d.department is None or d.department.pk != dept):
            continue
        units = [u for u in d.units if u.overdue or not only_overdue]
        if units:
            shown.append((d, units))
    return {
        "shown": shown,
        "filters": {"dept": "" if dept is None else str(dept), "overdue": only_overdue},
        "filtered": dept is not None or only_overdue,
    }


@require_http_methods(["GET", "POST"])
def round_unit(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    rnd = scope.get_round(request.user, pk)
    ru = scope.get_round_unit(request.user, rnd, org)
    manage = scope.can_manage(request.user, rnd)
    unit = ru.organisation
    if request.method == "POST":
        scope.require_manage(request.user, rnd)
        form = UnitListForm(request.POST, unit=unit)
        if form.is_valid():
            added, removed = projects.replace_unit_list(rnd, unit, form.listed)
            ru.deadline = form.cleaned_data["deadline"]
            ru.save(update_fields=["deadline"])
            messages.success(request, f"已保存项目清单：新增 {added} 个，删除 {removed} 个。")
            return redirect("round-unit", pk=rnd.pk, org=unit.pk)
    else:
        names = "\n".join(rnd.projects.filter(organisation=unit).values_list("name", flat=True))
        form = UnitListForm(initial={"projects": names, "deadline": ru.deadline}, unit=unit)
    progress = compute(rnd, [ru])
    creatable = (
        access.can_create(request.user)
        and access.units_for(request.user).filter(pk=unit.pk).exists()
    )
    return render(
        request,
        "web/round_unit.html",
        {
            "round": rnd,
            "unit": progress.units[0],
            "form": form if manage else None,
            "can_create": creatable and not rnd.closed,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress workbook, made by a background job (a round of many units takes a while);
    the job page offers it when ready."""
    rnd = scope.get_round(request.user, pk)
    job = jobs.start_export(
        request.user,
        f"导出进度：{rnd.title}",
        "jixiao.web.rounds.export.export_progress",
        {"round": rnd.pk},
        total=1,
    )
    return redirect("job-detail", job.pk)


@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = scope.get_round(request.user, pk)
    if access.role_of(request.user) not in REMINDER_ROLES:
        raise PermissionDenied("您的角色不能催报")
    if rnd.closed:
        messages.error(request, "填报任务已结束，不能催报。")
    else:
        n = remind(rnd, scope.round_units(request.user, rnd))
        messages.success(request, f"已向 {n} 个单位发送催报通知。" if n else "没有需要催报的单位。")
    return redirect("round-progress", pk=rnd.pk)


@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = scope.get_round(request.user, pk)
    scope.require_manage(request.user, rnd)
    rnd.closed = request.POST.get("closed") == "1"
    rnd.save(update_fields=["closed", "updated_at"])
    messages.success(request, "填报任务已结束。" if rnd.closed else "填报任务已重新开启。")
    return redirect("round-progress", pk=rnd.pk)


@require_GET
def round_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(projects.template_workbook(), "项目清单模板.xlsx")
