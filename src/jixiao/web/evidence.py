"""佐证材料: files attached to a form or to one of its indicator rows.

Files go through Django's storage API (``storages["default"]``: local disk under the data dir,
or S3-compatible object storage, see settings). Their kind is told by content
(:mod:`jixiao.web.evidence_kinds`). The unit's editors add and delete files while the form is
editable; everyone who may see the form lists and downloads them; a form outside the user's
part of the tree, and its files, answer 404. Every upload and deletion is in the form's history.

An attachment remembers its indicator row by position and by 三级指标 as they were when the
file came; :func:`groups` finds the row again by name after rows were reordered.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from jixiao.model import SelfEvaluation
from jixiao.render import file_name
from jixiao.web import access, core, evidence_zip
from jixiao.web.evidence_kinds import ACCEPTED_TEXT, KINDS, Refused, detect, download_name
from jixiao.web.models import Attachment, EvaluationForm, Event
from jixiao.web.uploads import ONE_FILE_OVERHEAD, clean_name, content_length, too_big


class TooBig(Refused):
    """A file over the size limit (answered with 413)."""


# --- who ---------------------------------------------------------------------------------


def can_change(user: Any, obj: EvaluationForm) -> bool:
    """The unit's editors, while the form is editable (草稿 or 被退回)."""
    return access.can_edit(user, obj)


def require_change(user: Any, obj: EvaluationForm) -> None:
    if access.role_of(user) not in access.EDITOR_ROLES:
        raise PermissionDenied("您的角色不能上传或删除佐证材料")
    if not obj.editable:
        raise PermissionDenied(f"表单状态为“{obj.get_status_display()}”，不能再上传或删除佐证材料")


# --- rows --------------------------------------------------------------------------------


@dataclass
class Group:
    """The files of the whole form (position None), of one indicator row, or of a row that
    is no longer on the form (``gone``)."""

    position: int | None
    label: str
    indicator: str = ""
    files: list[Attachment] = field(default_factory=list)
    gone: bool = False

    @property
    def key(self) -> str:
        if self.position is None:
            return "form"
        return f"gone-{self.position}" if self.gone else str(self.position)

    @property
    def folder(self) -> str:
        """The folder of these files in the export ZIP."""
        if self.position is None:
            return "整表"
        prefix = "原" if self.gone else ""
        return f"{prefix}第{self.position}行-{self.indicator}" if self.indicator else self.label


def place(att: Attachment, names: list[str]) -> int | None:
    """The current row (1-based) of a row attachment: the row with its 三级指标 (the one at
    its old position when several have the name); None when no row has it any more (the
    row was renamed or removed: the file is shown apart, never on a stranger's row). A row
    that had no name at upload is found by its position."""
    if att.row is None:
        return None
    if not att.indicator:
        return att.row if att.row <= len(names) else None
    matches = [i for i, name in enumerate(names, 1) if name == att.indicator]
    if not matches:
        return None
    return att.row if att.row in matches else matches[0]


def groups(
    obj: EvaluationForm, form: SelfEvaluation | None = None, files: list[Attachment] | None = None
) -> list[Group]:
    """The form's files by row: the whole form first, then every indicator row in order
    (with or without files), then files of rows that are gone. ``files``: the form's files
    when the caller knows them (none: ``[]``), else they are read."""
    form = form or obj.form
    names = [ind.name for ind in form.indicators]
    whole = Group(None, "整表")
    rows = [Group(i, f"第{i}行", name) for i, name in enumerate(names, 1)]
    gone: dict[int, Group] = {}
    if files is None:
        files = list(obj.attachments.select_related("uploaded_by"))
    for att in files:
        if att.row is None:
            whole.files.append(att)
            continue
        at = place(att, names)
        if at is not None:
            rows[at - 1].files.append(att)
        else:
            key = att.row
            gone.setdefault(
                key, Group(key, f"原第{key}行（该指标已修改或删除）", att.indicator, gone=True)
            )
            gone[key].files.append(att)
    return [whole, *rows, *(gone[k] for k in sorted(gone))]


def where(att: Attachment) -> str:
    """The place of a file for people: 整表, or 第3行“三级指标” as it was at upload."""
    if att.row is None:
        return "整表"
    return f"第{att.row}行“{att.indicator}”" if att.indicator else f"第{att.row}行"


def section(
    user: Any,
    obj: EvaluationForm,
    form: SelfEvaluation | None = None,
    files: list[Attachment] | None = None,
) -> dict[str, Any]:
    """What the 佐证材料 section shows (jinja2/web/_evidence.jinja); ``files`` as for
    :func:`groups`."""
    gs = groups(obj, form, files)
    return {
        "groups": gs,
        "count": sum(len(g.files) for g in gs),
        "can_change": can_change(user, obj),
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
        "accepted": ACCEPTED_TEXT,
        "formats": list(core.EXPORT_FORMATS),
    }


# --- adding and removing -----------------------------------------------------------------


def _row(form: SelfEvaluation, raw: str) -> tuple[int | None, str]:
    """The indicator row chosen on the page ("" for the whole form) and its 三级指标."""
    raw = raw.strip()
    if not raw:
        return None, ""
    position = access.parse_id(raw)
    if position is None or position > len(form.indicators):
        raise Refused(f"指标行“{raw[:10]}”不存在，请刷新页面后重新选择")
    return position, form.indicators[position - 1].name[:200]


def _too_big(name: str = "") -> TooBig:
    return TooBig(too_big(name, settings.EVIDENCE_MAX_BYTES, "上传"))


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def add(
    user: Any, obj: EvaluationForm, upload: UploadedFile, row: str = "", note: str = ""
) -> Attachment:
    """Check and store one uploaded file; :class:`Refused` (a message naming the file) for a
    file that is not accepted, PermissionDenied when the form can no longer change."""
    require_change(user, obj)
    name = clean_name(upload.name)
    size = upload.size or 0
    if size > settings.EVIDENCE_MAX_BYTES:
        raise _too_big(name)
    if size == 0:
        raise Refused(f"{name}：文件是空的，未上传")
    form = obj.form
    position, indicator = _row(form, row)
    try:
        kind = detect(upload)
    except Refused as why:
        raise Refused(f"{name}：{why}，未上传") from None
    if obj.attachments.count() >= settings.EVIDENCE_MAX_FILES:
        raise Refused(f"{name}：每张表最多 {settings.EVIDENCE_MAX_FILES} 个佐证材料，未上传")
    sha256 = _sha256(upload)
    same = obj.attachments.filter(sha256=sha256, row=position).first()
    if same is not None:
        raise Refused(f"{name}：与已上传的“{same.name}”内容相同，未重复上传")
    att = Attachment(
        form=obj,
        row=position,
        indicator=indicator,
        name=name,
        kind=kind.key,
        content_type=kind.content_type,
        size=size,
        sha256=sha256,
        note=note.strip()[:500],
        uploaded_by=user,
    )
    upload.seek(0)
    att.file.save(f"evidence{kind.suffixes[0]}", upload, save=False)
    try:
        with transaction.atomic():
            locked = EvaluationForm.objects.select_for_update().get(pk=obj.pk)
            require_change(user, locked)  # the form did not leave editing meanwhile
            att.save()
            Event.objects.create(
                form=obj,
                user=user,
                kind=Event.Kind.EVIDENCE,
                comment=f"上传佐证材料：{where(att)} · {name}（{KINDS[kind.key].label}，"
                f"{filesizeformat(size)}）" + (f"；说明：{att.note}" if att.note else ""),
            )
    except BaseException:
        att.file.storage.delete(att.file.name)  # not recorded: nothing left behind
        raise
    return att


def remove(user: Any, obj: EvaluationForm, att: Attachment) -> None:
    """Delete an attachment; its stored file goes when the deletion is committed."""
    with transaction.atomic():
        locked = EvaluationForm.objects.select_for_update().get(pk=obj.pk)
        require_change(user, locked)
        att.delete()
        Event.objects.create(
            form=obj,
            user=user,
            kind=Event.Kind.EVIDENCE,
            comment=f"删除佐证材料：{where(att)} · {att.name}",
        )


# --- pages -------------------------------------------------------------------------------


def _attachment(obj: EvaluationForm, aid: int) -> Attachment:
    try:
        return obj.attachments.get(pk=aid)
    except Attachment.DoesNotExist:
        raise Http404("没有找到这个佐证材料，或您无权查看") from None


def _back(obj: EvaluationForm, request: HttpRequest) -> HttpResponseRedirect:
    """Back to the page the request came from (``?back=edit``: the editor; else the form's
    page); it is in the query, not the body, so that a refusal need not read the body."""
    name = "form-edit" if request.GET.get("back") == "edit" else "form-detail"
    return redirect(f"{reverse(name, args=[obj.pk])}#evidence")


def _answer(
    request: HttpRequest, obj: EvaluationForm, error: str = "", status: int = 200
) -> HttpResponse:
    """After an upload or deletion: the section again for htmx (errors inside it, status 200
    so that htmx shows it); otherwise back to the page, or the list page with the error."""
    back = request.GET.get("back", "")
    ctx = {"obj": obj, "ev": section(request.user, obj), "ev_error": error, "back": back}
    if request.headers.get("HX-Request"):
        return render(request, "web/_evidence.jinja", ctx)
    if not error:
        return _back(obj, request)
    return render(request, "web/evidence.jinja", ctx, status=status)


@require_GET
def evidence_list(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    ctx = {"obj": obj, "ev": section(request.user, obj), "back": ""}
    return render(request, "web/evidence.jinja", ctx)


@csrf_exempt  # the size is checked before anything reads the body; CSRF right after
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    if content_length(request) > settings.EVIDENCE_MAX_BYTES + ONE_FILE_OVERHEAD:
        obj = access.get_form(request.user, pk)
        return _answer(request, obj, str(_too_big()), 413)  # refused before the body is read
    return _upload(request, pk)


@csrf_protect
def _upload(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    require_change(request.user, obj)
    files = request.FILES.getlist("file")
    if len(files) != 1:
        return _answer(request, obj, "请选择一个要上传的文件", 400)
    try:
        att = add(
            request.user, obj, files[0], request.POST.get("row", ""), request.POST.get("note", "")
        )
    except Refused as why:
        return _answer(request, obj, str(why), 413 if isinstance(why, TooBig) else 400)
    if not request.headers.get("HX-Request"):
        messages.success(request, f"已上传佐证材料“{att.name}”（{where(att)}）。")
    return _answer(request, obj)


@require_POST
def evidence_delete(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    att = _attachment(obj, aid)
    remove(request.user, obj, att)
    if not request.headers.get("HX-Request"):
        messages.success(request, f"已删除佐证材料“{att.name}”。")
    return _answer(request, obj)


@require_GET
def evidence_download(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """The file as a download, never shown inline: its content type is the one detected at
    upload, the browser may not sniff another, and the response may run nothing."""
    obj = access.get_form(request.user, pk)
    att = _attachment(obj, aid)
    response = serve(att)
    if response is None:  # lost outside the system: say so beside the other files
        return _answer(request, obj, lost(att), 404)
    return response


def lost(att: Attachment) -> str:
    return f"{att.name}：文件在存储中已不存在，请联系管理员"


def serve(att: Attachment) -> HttpResponse | None:
    """The stored file of ``att`` as a download (None when storage has lost it): see
    :func:`evidence_download`; the 抽查复核 task page serves its form's files through it."""
    try:
        stored = att.file.open("rb")
    except OSError:
        return None
    kind = KINDS.get(att.kind)
    filename = download_name(att.name, kind) if kind else att.name
    response = FileResponse(
        stored, as_attachment=True, filename=filename, content_type=att.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def export_with_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """导出（含佐证材料）: one ZIP holding the form (PDF or the format chosen) and its files in
    folders by row (佐证材料/第3行-指标名/文件名), written as it is sent."""
    obj = access.get_form(request.user, pk)
    to = request.GET.get("to", "pdf")
    if to not in core.EXPORT_FORMATS:
        return HttpResponse("不支持的导出格式", status=400)
    form = obj.form
    data = core.export([form], to)
    document = file_name(form, 1, to).removeprefix("001-")
    members = evidence_zip.members(document, data, groups(obj, form))
    response = StreamingHttpResponse(evidence_zip.stream(members), content_type="application/zip")
    stem = document.rpartition(".")[0] or document
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{stem}-含佐证材料.zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
