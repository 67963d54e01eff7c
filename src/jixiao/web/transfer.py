"""Import (several files at once, with an account of each) and export (one form or many)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.render import file_name
from jixiao.web import access, core, records
from jixiao.web.models import EvaluationForm, Event, Organisation

MAX_EXPORT = {"pdf": 50, "xlsx": 500, "html": 500, "json": 2000}  # forms per download


@dataclass
class FileReport:
    """What became of one uploaded file."""

    name: str
    imported: list[EvaluationForm] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # reasons, Chinese
    notes: list[str] = field(default_factory=list)


def _unit_for(user: Any, unit_name: str) -> Organisation | None:
    """The 预算单位 a form belongs to: by its 实施单位 within the user's scope; a user at a
    unit whose form names no unit gets their own unit."""
    units = access.units_for(user)
    name = unit_name.strip()
    if name:
        return units.filter(name=name).first()
    profile = access.profile_of(user)
    if profile and profile.organisation.kind == Organisation.Kind.UNIT:
        return profile.organisation
    return None


def import_file(user: Any, path: Path, name: str) -> FileReport:
    report = FileReport(name)
    try:
        forms = core.read_forms(path, name)
    except core.ImportFailure as err:
        report.failed.append(str(err))
        return report
    if not forms:
        report.failed.append(f"{name}: 文件中没有找到自评表")
        return report
    for form in forms:
        label = form.label
        unit = _unit_for(user, form.unit)
        if unit is None:
            report.failed.append(
                f"“{label}”：实施单位“{form.unit or '（空）'}”不在您的管辖范围内，未导入"
            )
            continue
        dup = EvaluationForm.objects.filter(
            organisation=unit, year=form.year, project=form.project[:300]
        ).first()
        if dup is not None:
            report.failed.append(
                f"“{label}”：{unit.name} 已有 {form.year} 年度同名项目（#{dup.pk}），未重复导入"
            )
            continue
        obj = records.create(unit, form, user, kind=Event.Kind.IMPORT, comment=f"导入自 {name}")
        report.imported.append(obj)
        if form.gaps:
            report.notes.append(f"“{label}”不完整：{'；'.join(form.gaps)}")
    return report


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    if not access.can_create(request.user):
        raise PermissionDenied("您的角色不能导入表单")
    reports: list[FileReport] = []
    errors: list[str] = []
    if request.method == "POST":
        total_limit = settings.UPLOAD_MAX_BYTES * settings.UPLOAD_MAX_FILES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > total_limit:  # refused before the body is read
            mb = total_limit // (1024 * 1024)
            return HttpResponse(f"上传内容超过 {mb} MB，请分批导入", status=413)
        files = request.FILES.getlist("files")
        if not files:
            errors.append("请选择要导入的文件")
        if len(files) > settings.UPLOAD_MAX_FILES:
            errors.append(f"一次最多导入 {settings.UPLOAD_MAX_FILES} 个文件")
            files = []
        for upload in files:
            name = Path(upload.name or "file").name[:200]
            suffix = Path(name).suffix.lower()
            if suffix not in settings.UPLOAD_SUFFIXES:
                allowed = " ".join(settings.UPLOAD_SUFFIXES)
                reports.append(
                    FileReport(name, failed=[f"{name}: 不支持的文件类型（只接受 {allowed}）"])
                )
                continue
            if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
                mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
                reports.append(FileReport(name, failed=[f"{name}: 文件超过 {mb} MB，未导入"]))
                continue
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"upload{suffix}"
                with path.open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                reports.append(import_file(request.user, path, name))
    imported = sum(len(r.imported) for r in reports)
    failed = sum(len(r.failed) for r in reports)
    return render(
        request,
        "web/import.html",
        {
            "reports": reports,
            "errors": errors,
            "imported": imported,
            "failed": failed,
            "suffixes": " ".join(settings.UPLOAD_SUFFIXES),
            "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "max_files": settings.UPLOAD_MAX_FILES,
        },
        status=400 if errors else 200,
    )


def _download(data: bytes, to: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=core.EXPORT_FORMATS[to])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_GET
def export_one(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    if to not in core.EXPORT_FORMATS:
        return HttpResponse("不支持的导出格式", status=404)
    form = obj.form
    return _download(core.export([form], to), to, file_name(form, 1, to).removeprefix("001-"))


@require_POST
def export_many(request: HttpRequest) -> HttpResponse:
    to = request.POST.get("to", "")
    if to not in core.EXPORT_FORMATS:
        return HttpResponse("不支持的导出格式", status=400)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    if not ids:
        return HttpResponse("请先勾选要导出的表单", status=400)
    if len(ids) > MAX_EXPORT[to]:
        return HttpResponse(f"{to.upper()} 一次最多导出 {MAX_EXPORT[to]} 张表", status=400)
    objs = list(access.visible_forms(request.user).filter(pk__in=ids).order_by("year", "project"))
    if len(objs) != len(set(ids)):
        raise PermissionDenied("所选表单中有您无权查看的表")
    forms = [o.form for o in objs]
    return _download(core.export(forms, to), to, f"自评表-{len(forms)}张.{to}")
