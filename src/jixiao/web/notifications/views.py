"""The notification list, opening one (marks it read) and marking all read."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.web import access
from jixiao.web.notifications.models import Notification

PAGE_SIZE = 50


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=request.user)
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/notifications.html",
        {"page": page, "unread": mine.filter(read=False).count()},
    )


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points (only within this site)."""
    note = Notification.objects.filter(recipient=request.user, pk=pk).first()
    if note is None:
        raise Http404("没有找到这条通知")
    if not note.read:
        note.read = True
        note.save(update_fields=["read"])
    if note.url.startswith("/") and not note.url.startswith("//"):
        return redirect(note.url)
    return redirect("notifications")


@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark the chosen notifications read (``ids``), or all of them (``all=1``)."""
    mine = Notification.objects.filter(recipient=request.user, read=False)
    if request.POST.get("all") != "1":
        ids = access.parse_ids(request.POST.getlist("ids"))
        mine = mine.filter(pk__in=ids)
    n = mine.update(read=True)
    messages.success(request, f"已将 {n} 条通知标为已读。")
    return redirect("notifications")
