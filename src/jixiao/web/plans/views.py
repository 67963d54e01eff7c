"""Pages of the 绩效目标申报表 and 执行监控表 (under /plans/): the list with an upload, one
document in its official layout with its review (the 自评表's chain: 送审, 审核通过, 退回 with
批注 on rows; a 申报表's last 审核通过 is its 批复), a 自评表 started from an approved 申报表,
and 调整 (the unit's adjusted targets, approved the same way; then they count)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.audit.monitoring import audit_monitoring
from jixiao.model import FormFileError
from jixiao.plans import Monitoring, TargetDeclaration, self_evaluation_from
from jixiao.render.plan_layout import plan_layout
from jixiao.render.plans import html_sheet
from jixiao.web import access, core, records, review
from jixiao.web.models import EvaluationForm, Event, in_subtree
from jixiao.web.plans.models import PlanRecord
from jixiao.web.plans.store import (
    FROM_APPROVED,
    FROM_APPROVED_NOTE,
    declaration_of,
    record_event,
    store,
)
from jixiao.web.plans.year import year_url
from jixiao.web.uploads import clean_name

PLAN_SUFFIXES = (".json", ".xlsx", ".xls")


def visible_plans(user: object) -> Any:
    path = access.scope_path(user)
    if path is None:
        return PlanRecord.objects.none()
    return PlanRecord.objects.filter(in_subtree(path))


def get_plan(user: object, pk: int) -> PlanRecord:
    try:
        return visible_plans(user).select_related("organisation").get(pk=pk)  # type: ignore[no-any-return]
    except (PlanRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到这张表，或您无权查看") from None


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
    plans = visible_plans(request.user).select_related("organisation")
    shown = list(plans[:500])
    for p in shown:
        p.year_url = year_url(p.organisation_id, p.year, p.project)
    return render(
        request,
        "web/plan_list.html",
        {"plans": shown, "units": units, "may_upload": may_upload, "errors": errors},
        status=400 if errors else 200,
    )


def _form_of(record: PlanRecord) -> EvaluationForm | None:
    return EvaluationForm.objects.filter(
        organisation=record.organisation, project=record.project, year=record.year
    ).first()


def _may_edit(user: Any, record: PlanRecord) -> bool:
    """The unit's editors, in their part of the tree, of a unit still open."""
    return (
        access.role_of(user) in access.EDITOR_ROLES
        and access.units_for(user).filter(pk=record.organisation_id).exists()
    )


def _open_adjustment(record: PlanRecord) -> PlanRecord | None:
    """An 调整 of the same project and year filed and not yet approved."""
    return (
        PlanRecord.objects.filter(
            organisation=record.organisation,
            kind=PlanRecord.Kind.DECLARATION,
            project=record.project,
            year=record.year,
            adjusts__isnull=False,
        )
        .exclude(stage__in=(PlanRecord.Stage.APPROVED, PlanRecord.Stage.ADJUSTED))
        .order_by("-id")
        .first()
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_plan(request.user, pk)
    doc = record.doc
    form = _form_of(record)
    editor = _may_edit(request.user, record)
    declaration = record.kind == PlanRecord.Kind.DECLARATION
    context = {
        "record": record,
        "doc": doc,
        "sheet": html_sheet(plan_layout(doc)),
        "findings": audit_monitoring(doc) if isinstance(doc, Monitoring) else [],
        "form": form
        if form is not None and access.visible_forms(request.user).filter(pk=form.pk).exists()
        else None,
        "can_start": record.approved
        and form is None
        and access.role_of(request.user) in access.EDITOR_ROLES,
        "can_edit_targets": declaration and record.editable and editor,
        "can_adjust": record.approved and editor and _open_adjustment(record) is None,
        "adjusts": record.adjusts,
        "adjustments": list(record.adjustments.order_by("id")) if declaration else [],
        "year_url": year_url(record.organisation_id, record.year, record.project),
        "step_url": reverse("plan-transition", args=[record.pk]),
        "note_url": reverse("plan-note", args=[record.pk]),
        **review.review_context(request.user, record, record.indicator_names()),
    }
    return render(request, "web/plan_detail.jinja", context)


@require_http_methods(["GET", "POST"])
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the review chain on a 申报表 or 监控表 (review.step_page, as for a 自评表)."""
    record = get_plan(request.user, pk)
    return review.step_page(request, record, reverse("plan-transition", args=[record.pk]))


@require_POST
def plan_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A 批注 on a row of a 申报表 or 监控表, or an answer to one."""
    record = get_plan(request.user, pk)
    return review.add_row_comment(request, record, record.indicator_names())


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


def _targets_posted(request: HttpRequest, doc: TargetDeclaration) -> list[str]:
    """The 指标值 typed for each of ``doc``'s indicators (checked: one per row, one line)."""
    targets = [t.strip() for t in request.POST.getlist("target")]
    if len(targets) != len(doc.indicators):
        raise ValueError("指标行数与申报表不符，请刷新页面后重新填写")
    for i, (t, ind) in enumerate(zip(targets, doc.indicators, strict=True), start=1):
        if not t:
            raise ValueError(f"第{i}行“{ind.name}”：年度指标值不能为空")
        if "\n" in t or len(t) > 200:
            raise ValueError(f"第{i}行“{ind.name}”：年度指标值应为一行，不超过 200 字")
    return targets


@require_http_methods(["GET", "POST"])
def plan_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the 年度指标值 of a 申报表: in place while it is with the unit (草稿, 被退回); of
    an approved one, as an 调整 (a new 申报表 that adjusts it, with the reason, reviewed like
    the first and, once approved, the one that counts)."""
    record = get_plan(request.user, pk)
    if record.kind != PlanRecord.Kind.DECLARATION or not _may_edit(request.user, record):
        raise PermissionDenied("您不能修改这张表的指标值")
    adjusting = record.approved
    if adjusting:
        pending = _open_adjustment(record)
        if pending is not None:
            messages.info(request, "本项目已有一份未批复的调整，请在其中修改。")
            return redirect("plan-detail", pk=pending.pk)
    elif not record.editable:
        raise PermissionDenied(f"申报表{record.get_status_display()}，单位不能修改")
    doc = declaration_of(record)
    errors: list[str] = []
    reason = request.POST.get("reason", record.reason if not adjusting else "").strip()
    if request.method == "POST":
        try:
            targets = _targets_posted(request, doc)
        except ValueError as err:
            errors.append(str(err))
            targets = [t.strip() for t in request.POST.getlist("target")]
        if (adjusting or record.adjusts_id) and not reason:
            errors.append("请填写调整说明（为什么调整、依据什么）")
        if not errors:
            changed = [
                f"{ind.name}：{ind.target} → {t}"
                for ind, t in zip(doc.indicators, targets, strict=True)
                if ind.target != t
            ]
            if adjusting and not changed:
                errors.append("没有修改任何年度指标值")
            else:
                try:
                    saved = _save_targets(request, record, doc, targets, reason, changed, adjusting)
                except FormFileError as err:
                    errors.append(str(err))
                else:
                    return redirect("plan-detail", pk=saved.pk)
    else:
        targets = [i.target for i in doc.indicators]
    rows = [
        {"ind": ind, "target": targets[i] if i < len(targets) else ind.target}
        for i, ind in enumerate(doc.indicators)
    ]
    return render(
        request,
        "web/plan_targets.html",
        {
            "record": record,
            "rows": rows,
            "reason": reason,
            "adjusting": adjusting,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _save_targets(
    request: HttpRequest,
    record: PlanRecord,
    doc: TargetDeclaration,
    targets: list[str],
    reason: str,
    changed: list[str],
    adjusting: bool,
) -> PlanRecord:
    for ind, t in zip(doc.indicators, targets, strict=True):
        ind.target = t
    with transaction.atomic():
        if adjusting:
            doc.stage = "申报"
            saved = PlanRecord.objects.create(
                organisation=record.organisation,
                org_path=record.org_path,
                kind=record.kind,
                year=record.year,
                project=record.project,
                stage=PlanRecord.Stage.FILED,
                adjusts=record,
                reason=reason[:4000],
                document=json.dumps(doc.to_json_dict(), ensure_ascii=False),
                source=record.source,
                created_by=request.user,
                updated_by=request.user,
            )
            record_event(saved, request.user, Event.Kind.CREATE, f"调整申请：{reason}")
            messages.success(
                request, "已记录调整申请：送审并经批复后，调整后的指标值即为本年度的目标。"
            )
        else:
            saved = record
            record.document = json.dumps(doc.to_json_dict(), ensure_ascii=False)
            record.reason = reason[:4000] if record.adjusts_id else record.reason
            record.updated_by = request.user  # type: ignore[assignment]
            record.save(update_fields=["document", "reason", "updated_by", "updated_at"])
            record_event(record, request.user, Event.Kind.EDIT, "；".join(changed) or "未修改")
            messages.success(request, f"已保存，修改了 {len(changed)} 个年度指标值。")
    return saved
