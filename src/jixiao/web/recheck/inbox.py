"""A reviewer's 复核 tasks in 待办, and their count beside the 待办 link of every page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jixiao.web.recheck.models import RecheckTask

RECENT_DONE = 10


def open_tasks(user: Any) -> QuerySet[RecheckTask]:
    """The tasks waiting for ``user``'s 复核, oldest draw first."""
    if not getattr(user, "is_authenticated", False):
        return RecheckTask.objects.none()
    return (
        RecheckTask.objects.filter(reviewer=user, done_at=None)
        .select_related("draw", "form", "form__organisation", "department")
        .order_by("draw__created_at", "department__path", "rank", "id")
    )


def recently_done(user: Any) -> list[RecheckTask]:
    if not getattr(user, "is_authenticated", False):
        return []
    tasks = RecheckTask.objects.filter(reviewer=user, done_at__isnull=False)
    return list(
        tasks.select_related("draw", "form", "form__organisation").order_by("-done_at")[
            :RECENT_DONE
        ]
    )
