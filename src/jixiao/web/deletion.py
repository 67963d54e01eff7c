"""Deleting a form: only a 草稿, only by its unit's editors, after a confirmation page.

The form goes with everything that hangs on it (document, findings, history, 佐证材料); the
attachments' stored files are deleted once the deletion is committed (models.Attachment).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jixiao.web import access
from jixiao.web.models import EvaluationForm, Status

log = logging.getLogger(__name__)


def can_delete(user: Any, obj: EvaluationForm) -> bool:
    return access.role_of(user) in access.EDITOR_ROLES and obj.status == Status.DRAFT


def require_delete(user: Any, obj: EvaluationForm) -> None:
    if access.role_of(user) not in access.EDITOR_ROLES:
        raise PermissionDenied("您的角色不能删除表单")
    if obj.status != Status.DRAFT:
        raise PermissionDenied(f"只能删除草稿；表单状态为“{obj.get_status_display()}”")


@require_http_methods(["GET", "POST"])
def form_delete(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    require_delete(request.user, obj)
    files = obj.attachments.count()
    if request.method == "GET":
        return render(request, "web/form_delete.html", {"obj": obj, "files": files})
    label = f"{obj.year or ''} {obj.project}".strip()
    try:
        with transaction.atomic():
            locked = EvaluationForm.objects.select_for_update().get(pk=obj.pk)
            require_delete(request.user, locked)
            files = locked.attachments.count()
            locked.delete()
    except ProtectedError:
        messages.error(request, f"表单“{label}”仍被其他记录引用，不能删除。")
        return redirect("form-detail", pk=pk)
    log.warning("form %s (%s) deleted by %s with %s files", pk, label, request.user, files)
    extra = f"及其 {files} 个佐证材料" if files else ""
    messages.success(request, f"已删除表单“{label}”{extra}。")
    return redirect("form-list")
