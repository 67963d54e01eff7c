"""Import (several files at once, with an account of each) and export (one form or many).

An upload of several files is saved to storage and imported by a background job
(web/jobs.py) one file at a time: each file is read in a child process with memory and
time limits (:mod:`jixiao.isolation`), so a poisoned file fails its own entry and never a
web worker, and each file's forms are stored in one transaction with the file's account,
so a file is imported whole or not at all. The job page shows the progress and each file's
account as it is done. An export of many forms is a job too (web/exports.py); one form's
download is made in the request.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.ingest.batch import FileResult
from jixiao.render import file_name
from jixiao.web import access, core, exports, jobs, records, scan_cells, views
from jixiao.web.models import EvaluationForm, Event, Job, Organisation
from jixiao.web.plans import store as plan_store
from jixiao.web.plans.models import PlanRecord
from jixiao.web.uploads import clean_name, content_length, too_big

REVIEW_DOCUMENTS = {"report": "审核意见书", "reviewer": "审核视图"}  # kind → file name part


@dataclass
class FileReport:
    """What became of one uploaded file: its 自评表 (``imported``), its 申报表 and 监控表
    (``plans``), what could not be stored and why, the sheets skipped and why, notes."""

    name: str
    imported: list[EvaluationForm] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # reasons, Chinese
    notes: list[str] = field(default_factory=list)
    plans: list[PlanRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "项目支出计划：不是绩效表，已跳过"

    def as_dict(self) -> dict[str, Any]:
        """What the job keeps of it (JSON): the forms and plans as the page lists them."""
        return {
            **asdict(self),
            "imported": [
                {
                    "pk": o.pk,
                    "year": o.year,
                    "project": o.project,
                    "unit": o.organisation.name,
                    "total": None if o.computed_total is None else str(o.computed_total_value),
                    "findings": o.findings_count,
                }
                for o in self.imported
            ],
            "plans": [
                {
                    "pk": p.pk,
                    "kind": p.kind,
                    "kind_label": p.get_kind_display(),
                    "stage": p.stage,
                    "year": p.year,
                    "project": p.project,
                    "unit": p.organisation.name,
                }
                for p in self.plans
            ],
            "kinds": self.kinds(),
        }

    def kinds(self) -> str:
        """What was stored of each kind, in words: "自评表 1 张、绩效目标申报表 2 张"."""
        counts = [("自评表", len(self.imported))]
        for kind in PlanRecord.Kind:
            counts.append((str(kind.label), sum(1 for p in self.plans if p.kind == kind)))
        return "、".join(f"{label} {n} 张" for label, n in counts if n)


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


def store_forms(
    user: Any, forms: list[Any], name: str, report: FileReport | None = None
) -> FileReport:
    """Store the 自评表 read from the file ``name`` for ``user``: its account."""
    report = report or FileReport(name)
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
        scan_cells.keep(obj, form.scan_cells)  # a scan's uncertain cells, for the editor
        report.imported.append(obj)
        if form.gaps:
            report.notes.append(f"“{label}”不完整：{'；'.join(form.gaps)}")
    return report


def store_plans(user: Any, docs: list[Any], name: str, report: FileReport) -> FileReport:
    """Store the 申报表 and 监控表 read from the file ``name`` (``docs``) for ``user``, each
    under its 实施单位 as the forms are; one already stored alike is not stored again."""
    for doc in docs:
        what = f"{doc.title}“{doc.label}”"
        if not doc.project.strip():
            gaps = f"（{'；'.join(doc.gaps)}）" if doc.gaps else ""
            report.failed.append(f"{what}：没有读到项目名称，未导入{gaps}")
            continue
        unit = _unit_for(user, doc.unit)
        if unit is None:
            report.failed.append(doc.title + _no_unit_message(user, doc.label, doc.unit))
            continue
        dup = plan_store.same_stored(unit, doc)
        if dup is not None:
            report.failed.append(
                f"{what}：{unit.name} 已有相同的 {doc.year or ''} 年度{dup.get_kind_display()}"
                f"（#{dup.pk}），未重复导入"
            )
            continue
        report.plans.append(plan_store.store(unit, doc, user, name))
        if doc.gaps:
            report.notes.append(f"{what}不完整：{'；'.join(doc.gaps)}")
    return report


def store_documents(user: Any, result: FileResult, name: str) -> FileReport:
    """Store what the file ``name`` holds: 自评表, 申报表 and 监控表, each kind its own; the
    sheets the importer skipped are named with why."""
    report = FileReport(name, skipped=list(result.skipped))
    plans = [*result.declarations, *result.monitorings]
    if not result.forms and not plans:
        report.failed.append(f"{name}: 文件中没有找到自评表、绩效目标申报表或执行监控表")
        return report
    store_forms(user, result.forms, name, report)
    return store_plans(user, plans, name, report)


def _store_upload(batch: str, number: int, upload: UploadedFile) -> dict[str, str]:
    """Check one uploaded file (type, size) and save it for the import job: its entry in
    the job's list of files (``refused`` when it is not to be read)."""
    name = clean_name(upload.name)  # cut after its suffix, which decides the type
    suffix = Path(name).suffix.lower()
    if suffix not in settings.UPLOAD_SUFFIXES:
        allowed = " ".join(settings.UPLOAD_SUFFIXES)
        return {"name": name, "refused": f"{name}: 不支持的文件类型（只接受 {allowed}）"}
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        return {"name": name, "refused": too_big(name, settings.UPLOAD_MAX_BYTES, "导入")}
    stored = storages["default"].save(f"imports/{batch}/{number:03d}{suffix}", upload)
    return {"name": name, "stored": stored}


@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """The upload form; a POST of files starts an import job and goes to its page."""
    access.require_create(request.user, "导入")
    errors: list[str] = []
    if request.method == "POST":
        total_limit = settings.UPLOAD_MAX_BYTES * settings.UPLOAD_MAX_FILES
        if content_length(request) > total_limit:  # refused before the body is read
            mb = total_limit // (1024 * 1024)
            return HttpResponse(f"上传内容超过 {mb} MB，请分批导入", status=413)
        files = request.FILES.getlist("files")
        if not files:
            errors.append("请选择要导入的文件")
        if len(files) > settings.UPLOAD_MAX_FILES:
            errors.append(f"一次最多导入 {settings.UPLOAD_MAX_FILES} 个文件")
        if not errors:
            batch = uuid.uuid4().hex
            entries = [_store_upload(batch, i, f) for i, f in enumerate(files, start=1)]
            job = jobs.start(
                request.user,
                Job.Kind.IMPORT,
                f"导入 {len(entries)} 个文件",
                "jixiao.web.transfer.import_files",
                {"files": entries},
                total=len(entries),
            )
            return redirect("job-detail", job.pk)
    return render(
        request,
        "web/import.html",
        {
            "errors": errors,
            "suffixes": " ".join(settings.UPLOAD_SUFFIXES),
            "accept": ",".join(settings.UPLOAD_SUFFIXES),
            "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "max_files": settings.UPLOAD_MAX_FILES,
        },
        status=400 if errors else 200,
    )


def _read_stored(
    entry: dict[str, str], on_page: Callable[[int, int], None] | None = None
) -> FileResult:
    """What one stored upload holds, read in a limited child process (``on_page``: each
    page of a scan read by OCR)."""
    suffix = Path(entry["stored"]).suffix
    with tempfile.TemporaryDirectory(prefix="jixiao-import-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with storages["default"].open(entry["stored"], "rb") as src, path.open("wb") as out:
            for chunk in iter(lambda: src.read(1024 * 1024), b""):
                out.write(chunk)
        return core.read_documents(path, entry["name"], on_page)


@jobs.job_runner
def import_files(job: Job, progress: jobs.Progress) -> None:
    """The import job: each file in turn, whole or not at all, with its account. A retry
    goes on after the last file whose account was kept."""
    entries = job.params["files"]
    report: list[dict[str, Any]] = list(job.report)
    progress.set(len(report), len(entries), force=True)
    for entry in entries[len(report) :]:
        doing = f"正在导入 {len(report) + 1} / {len(entries)}：{entry['name']}"
        progress.set(message=doing)

        def on_page(done: int, pages: int, doing: str = doing) -> None:
            # a scan: OCR takes seconds a page
            progress.set(message=f"{doing}（扫描件文字识别：已完成 {done} / {pages} 页）")

        if "refused" in entry:
            account = FileReport(entry["name"], failed=[entry["refused"]])
            report.append(account.as_dict())
            progress.set(len(report), report=report)
            continue
        try:
            result: FileResult | None = _read_stored(entry, on_page)
        except core.ImportFailure as err:
            result, failure = None, str(err)
        else:
            failure = ""
        with transaction.atomic():  # the file's forms and its account, or neither
            account = (
                FileReport(entry["name"], failed=[failure])
                if result is None
                else store_documents(job.user, result, entry["name"])
            )
            report.append(account.as_dict())
            progress.set(len(report), report=report)
    for entry in entries:
        if "stored" in entry:
            storages["default"].delete(entry["stored"])


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
    data = exports.stored_bytes([obj], to)
    return _download(data, to, file_name(form, 1, to).removeprefix("001-"))


@require_GET
def review_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One form's 审核意见书 (``report``) or reviewer PDF (``reviewer``: the official form
    with the computed values and the findings beside it), from its stored findings."""
    if kind not in REVIEW_DOCUMENTS:
        return HttpResponse("不支持的文档", status=404)
    obj = access.get_form(request.user, pk)
    form = obj.form
    audit = core.stored_assessment(form, obj.findings, obj.inflation_value).audit(form)
    data = core.review_pdf(audit, report=kind == "report")
    suffix = REVIEW_DOCUMENTS[kind]
    name = file_name(form, 1, "pdf").removeprefix("001-").replace(".pdf", f"-{suffix}.pdf")
    return _download(data, "pdf", name)


@require_POST
def export_many(request: HttpRequest) -> HttpResponse:
    """Export the forms ticked in the list (``ids``), or every form its filter matches
    (``all=1`` with the filter's fields), as a job: to the job's page."""
    to = request.POST.get("to", "")
    if to not in exports.FORMATS:
        return HttpResponse("不支持的导出格式", status=400)
    if request.POST.get("all") == "1":
        filters = {k: request.POST.get(k, "") for k in (*views.FILTERS, "sort")}
        count = views.filter_forms(request.user, filters)[0].count()
        if not count:
            messages.error(request, "没有符合筛选条件的表单，未导出")
            return redirect("form-list")
        job = exports.start_forms_export(request.user, to, {"filter": filters}, count)
        return redirect("job-detail", job.pk)
    ids = sorted(access.parse_ids(request.POST.getlist("ids")))
    if not ids:
        messages.error(request, "请先勾选要导出的表单")
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()})
        return redirect(back if back and safe else "form-list")
    if access.visible_forms(request.user).filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied("所选表单中有您无权查看的表")
    job = exports.start_forms_export(request.user, to, {"ids": ids}, len(ids))
    return redirect("job-detail", job.pk)
