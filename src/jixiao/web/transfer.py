"""Import (several files at once, with an account of each) and export (one form or many).

The import page posts all its files in one request; with JavaScript (static/web/import.js)
it sends them one at a time to ``import_one`` instead, which answers with the same report
fragment (templates/web/_file_report.html) for each file, so a long batch shows progress and
no request comes near the server's timeout.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.render import file_name
from jixiao.web import access, core, records
from jixiao.web.models import EvaluationForm, Event, Organisation

MAX_EXPORT = {"pdf": 50, "xlsx": 500, "html": 500, "json": 2000}  # forms per download
# Room for the multipart envelope (boundaries, headers, CSRF token) around one file.
ONE_FILE_OVERHEAD = 64 * 1024


@dataclass
class FileReport:
    """What became of one uploaded file."""

    name: str
    imported: list[EvaluationForm] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # reasons, Chinese
    notes: list[str] = field(default_factory=list)


def _unit_for(user: Any, unit_name: str) -> Organisation | None:
    """The 预算单位 a form belongs to: by its 实施单位 within the user's scope; a user at a
    unit whose form names no unit gets their own unit (none of them 已撤销)."""
    units = access.units_for(user)
    name = unit_name.strip()
    if name:
        return units.filter(name=name).first()
    profile = access.profile_of(user)
    if profile and profile.organisation.kind == Organisation.Kind.UNIT:
        return units.filter(pk=profile.organisation_id).first()
    return None


def _no_unit_message(user: Any, label: str, unit_name: str) -> str:
    """Why a form found no unit to go to: its unit is 已撤销, or outside the user's scope."""
    name = unit_name.strip()
    closed = access.visible_organisations(user).exclude(closed_at=None)
    if name and closed.filter(name=name).exists():
        return f"“{label}”：实施单位“{name}”已撤销，未导入"
    return f"“{label}”：实施单位“{name or '（空）'}”不在您的管辖范围内，未导入"


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
        if not form.project.strip():  # as editing requires: a stored form has its 项目名称
            gaps = f"（{'；'.join(form.gaps)}）" if form.gaps else ""
            report.failed.append(f"“{label}”：没有读到项目名称，未导入{gaps}")
            continue
        unit = _unit_for(user, form.unit)
        if unit is None:
            report.failed.append(_no_unit_message(user, label, form.unit))
            continue
        dup = records.existing(unit, form)
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


def _too_big_message(name: str = "") -> str:
    mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    return f"{name}: 文件超过 {mb} MB，未导入" if name else f"文件超过 {mb} MB，未导入"


def _import_upload(user: Any, upload: UploadedFile) -> tuple[FileReport, int]:
    """Check one uploaded file (type, size) and import it: its report and the HTTP status
    that fits it (200 when it was read, whatever became of its forms; 400 for a type not
    accepted; 413 for a file too big)."""
    name = Path(upload.name or "file").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in settings.UPLOAD_SUFFIXES:
        allowed = " ".join(settings.UPLOAD_SUFFIXES)
        return FileReport(name, failed=[f"{name}: 不支持的文件类型（只接受 {allowed}）"]), 400
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        return FileReport(name, failed=[_too_big_message(name)]), 413
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return import_file(user, path, name), 200


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    access.require_create(request.user, "导入")
    reports: list[FileReport] = []
    errors: list[str] = []
    if request.method == "POST":
        total_limit = settings.UPLOAD_MAX_BYTES * settings.UPLOAD_MAX_FILES
        if _content_length(request) > total_limit:  # refused before the body is read
            mb = total_limit // (1024 * 1024)
            return HttpResponse(f"上传内容超过 {mb} MB，请分批导入", status=413)
        files = request.FILES.getlist("files")
        if not files:
            errors.append("请选择要导入的文件")
        if len(files) > settings.UPLOAD_MAX_FILES:
            errors.append(f"一次最多导入 {settings.UPLOAD_MAX_FILES} 个文件")
            files = []
        reports.extend(_import_upload(request.user, upload)[0] for upload in files)
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
            "max_bytes": settings.UPLOAD_MAX_BYTES,
            "max_files": settings.UPLOAD_MAX_FILES,
        },
        status=400 if errors else 200,
    )


@require_POST
def import_one(request: HttpRequest) -> HttpResponse:
    """Import exactly one file (field ``file``): the HTML fragment of its report, marked by
    the header ``X-Import-Report``; a request that carries no single usable file gets a
    one-line Chinese message as plain text."""
    if not access.can_create(request.user):
        return _plain("您的角色不能导入表单", 403)
    if _content_length(request) > settings.UPLOAD_MAX_BYTES + ONE_FILE_OVERHEAD:
        return _plain(_too_big_message(), 413)  # refused before the body is read
    files = request.FILES.getlist("file")
    if not files:
        return _plain("请选择要导入的文件", 400)
    if len(files) > 1:
        return _plain("每次只能导入 1 个文件", 400)
    report, status = _import_upload(request.user, files[0])
    response = render(request, "web/_file_report.html", {"r": report}, status=status)
    response["X-Import-Report"] = "1"
    return response


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


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
    objs = list(
        access.visible_forms(request.user)
        .filter(pk__in=ids)
        .select_related("body")
        .order_by("year", "project")
    )
    if len(objs) != len(set(ids)):
        raise PermissionDenied("所选表单中有您无权查看的表")
    forms = [o.form for o in objs]
    return _download(core.export(forms, to), to, f"自评表-{len(forms)}张.{to}")
