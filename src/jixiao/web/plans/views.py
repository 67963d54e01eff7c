"""Pages of the 绩效目标申报表 and 执行监控表 (under /plans/): the list with an upload, one
document in its official layout, 批复 by 财政, and a 自评表 started from an approved 申报表."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.audit.monitoring import audit_monitoring
from jixiao.plans import Monitoring, self_evaluation_from
from jixiao.render.plan_layout import plan_layout
from jixiao.render.plans import html_sheet
from jixiao.web import access, core, records
from jixiao.web.models import EvaluationForm, Event, Role, in_subtree
from jixiao.web.plans.models import PlanRecord
from jixiao.web.plans.store import FROM_APPROVED, FROM_APPROVED_NOTE, declaration_of, store
from jixiao.web.uploads import clean_name

# Who approves a 申报表 (批复 comes with the budget, from 财政).
APPROVER_ROLES = frozenset({Role.FINANCE_REVIEWER, Role.ADMIN})
PLAN_SUFFIXES = (".json", ".xlsx", ".xls")


def visible_plans(user: object) -> object:
    path = access.scope_path(user)
    if path is None:
        return PlanRecord.objects.none()
    return PlanRecord.objects.filter(in_subtree(path))


def get_plan(user: object, pk: int) -> PlanRecord:
    try:
        return visible_plans(user).select_related("organisation").get(pk=pk)  # type: ignore[attr-defined, no-any-return]
    except (PlanRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到这张表，或您无权查看") from None


def can_approve(user: object) -> bool:
    return access.role_of(user) in APPROVER_ROLES


def _read_upload(upload: object) -> tuple[list[object], list[str]]:
    """The 申报表 and 监控表 of an uploaded file (read in a limited child process), and the
    notes on it (sheets skipped); ValueError with a Chinese message when it cannot be read."""
    name = clean_name(upload.name)  # type: ignore[attr-defined]
    suffix = Path(name).suffix.lower()
    if suffix not in PLAN_SUFFIXES:
        raise ValueError(f"{name}: 只能导入 JSON、Excel .xlsx/.xls 文件")
    if upload.size > settings.UPLOAD_MAX_BYTES:  # type: ignore[attr-defined]
        raise ValueError(f"{name}: 文件超过 {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB")
    with tempfile.TemporaryDirectory(prefix="jixiao-plans-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():  # type: ignore[attr-defined]
                out.write(chunk)
        try:
            result = core.read_documents(path, name)
        except core.ImportFailure as err:
            raise ValueError(str(err)) from None
    docs = [*result.declarations, *result.monitorings]
    notes = list(result.skipped)
    if result.forms:
        notes.append(f"文件中另有 {len(result.forms)} 张自评表，未在此导入（请用“导入”）")
    return docs, notes


@require_http_methods(["GET", "POST"])
def plan_list(request: HttpRequest) -> HttpResponse:
    """The 申报表 and 监控表 the user sees; an upload stores those of one file for a unit."""
    units = access.units_for(request.user)
    may_upload = access.role_of(request.user) in access.EDITOR_ROLES and units.exists()
    errors: list[str] = []
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied("您的角色不能导入绩效目标表")
        unit = units.filter(pk=access.parse_id(request.POST.get("unit"))).first()
        upload = request.FILES.get("file")
        if unit is None:
            errors.append("请选择预算单位")
        if upload is None:
            errors.append("请选择要导入的文件")
        if not errors:
            try:
                docs, notes = _read_upload(upload)
            except ValueError as err:
                errors.append(str(err))
            else:
                if not docs:
                    errors.append(
                        f"{clean_name(upload.name)}: 文件中没有绩效目标申报表或执行监控表"
                    )
        if not errors:
            with transaction.atomic():
                stored = [store(unit, doc, request.user, clean_name(upload.name)) for doc in docs]
            kinds = [r.get_kind_display() for r in stored]
            counts = "、".join(f"{k} {kinds.count(k)} 张" for k in dict.fromkeys(kinds))
            messages.success(request, f"已导入{counts}。")
            for note in notes:
                messages.info(request, note)
            return redirect("plan-list")
    plans = visible_plans(request.user).select_related("organisation")  # type: ignore[attr-defined]
    return render(
        request,
        "web/plan_list.html",
        {"plans": plans[:500], "units": units, "may_upload": may_upload, "errors": errors},
        status=400 if errors else 200,
    )


def _form_of(record: PlanRecord) -> EvaluationForm | None:
    return EvaluationForm.objects.filter(
        organisation=record.organisation, project=record.project, year=record.year
    ).first()


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_plan(request.user, pk)
    doc = record.doc
    sheet = html_sheet(plan_layout(doc))
    form = _form_of(record)
    findings = audit_monitoring(doc) if isinstance(doc, Monitoring) else []
    return render(
        request,
        "web/plan_detail.html",
        {
            "record": record,
            "doc": doc,
            "sheet": sheet,
            "findings": findings,
            "form": form
            if form is not None and access.visible_forms(request.user).filter(pk=form.pk).exists()
            else None,
            "can_approve": can_approve(request.user)
            and record.kind == PlanRecord.Kind.DECLARATION
            and not record.approved,
            "can_start": record.approved
            and form is None
            and access.role_of(request.user) in access.EDITOR_ROLES,
        },
    )


@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """批复: a 申报表 as filed becomes the approved targets of its project and year."""
    record = get_plan(request.user, pk)
    if not can_approve(request.user):
        raise PermissionDenied("只有财政审核或管理员可以批复绩效目标")
    if record.kind != PlanRecord.Kind.DECLARATION or record.approved:
        messages.info(request, "这张表无需批复。")
        return redirect("plan-detail", pk=record.pk)
    doc = declaration_of(record)
    doc.stage = "批复"
    record.stage = PlanRecord.Stage.APPROVED
    record.document = json.dumps(doc.to_json_dict(), ensure_ascii=False)
    record.approved_by = request.user  # type: ignore[assignment]
    record.approved_at = timezone.now()
    record.save()
    messages.success(request, "已批复。据此填报的自评表沿用这里的指标和年度指标值。")
    return redirect("plan-detail", pk=record.pk)


@require_POST
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    """A 自评表 of the project and year, started from its approved 申报表."""
    record = get_plan(request.user, pk)
    access.require_create(request.user, "新建", record.organisation)
    if not record.approved:
        raise PermissionDenied("申报表尚未批复，不能据此新建自评表")
    existing = _form_of(record)
    if existing is not None:
        messages.info(request, "该项目本年度已有自评表。")
        return redirect("form-detail", pk=existing.pk)
    form = self_evaluation_from(declaration_of(record))
    obj = records.create(
        record.organisation, form, request.user, kind=Event.Kind.CREATE, comment=FROM_APPROVED
    )
    messages.success(request, FROM_APPROVED_NOTE)
    return redirect("form-edit", pk=obj.pk)
