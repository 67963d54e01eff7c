"""Who hears of what: a form entering a review level notifies that level's reviewers in the
form's part of the tree; a return or an approval notifies the form's 填报人. Notifications are
stored in the app; where an SMTP server is configured they also go out by e-mail."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from jixiao.web.models import EvaluationForm, Event, Organisation, Role
from jixiao.web.notifications.models import Notification

log = logging.getLogger(__name__)

# A review state → the role that acts on it and the node of the form's tree where it sits.
REVIEW_LEVELS: dict[str, tuple[str, str, str]] = {
    "unit_review": (Role.UNIT_REVIEWER, Organisation.Kind.UNIT, "单位审核"),
    "department_review": (Role.DEPARTMENT_REVIEWER, Organisation.Kind.DEPARTMENT, "主管部门审核"),
    "finance_review": (Role.FINANCE_REVIEWER, Organisation.Kind.FINANCE, "财政审核"),
}
RETURNED, APPROVED, DRAFT = "returned", "approved", "draft"


def users_with_role(role: str, organisation: Organisation | None) -> QuerySet[Any]:
    """Active users holding ``role`` at exactly ``organisation``."""
    users = get_user_model().objects.filter(is_active=True)
    if organisation is None:
        return users.none()
    return users.filter(profile__role=role, profile__organisation=organisation)


def _node(form: Any, kind: str) -> Organisation | None:
    unit = form.organisation
    if kind == unit.kind:
        return unit
    return next((a for a in reversed(unit.ancestors()) if a.kind == kind), None)


def _last_submitter(form: Any) -> Any:
    """Who last sent the form (or 申报表 / 监控表) up from the unit (draft or returned → a
    review state)."""
    event = (
        form.events.filter(kind=Event.Kind.TRANSITION, from_status__in=(DRAFT, RETURNED))
        .exclude(to_status__in=(DRAFT, RETURNED))
        .select_related("user")
        .order_by("-at", "-id")
        .first()
    )
    return event.user if event else None


def recipients(event: Event) -> tuple[list[Any], str]:
    """The users to tell about a transition, and what to tell them."""
    form: Any = event.form or event.plan
    what = f"{event.plan.get_kind_display()}" if event.plan is not None else ""
    name = f"{form.year or ''}年度“{form.project}”{what}（{form.organisation.name}）"
    to = event.to_status
    users: list[Any] = []
    if to in REVIEW_LEVELS:
        role, kind, label = REVIEW_LEVELS[to]
        users = list(users_with_role(role, _node(form, kind)))
        text = f"{name}已送达{label}，等待您审核。"
    elif to in (RETURNED, APPROVED):
        users = list(users_with_role(Role.FILLER, form.organisation))
        submitter = _last_submitter(form)
        if submitter is not None and submitter.is_active and submitter not in users:
            users.append(submitter)
        if to == RETURNED:
            reason = f"意见：{event.comment}" if event.comment else ""
            text = f"{name}被退回，请修改后重新送审。{reason}"
        else:
            text = f"{name}已审核通过。"
    else:
        return [], ""
    actor = event.user_id
    return [u for u in users if u.pk != actor], text


def on_transition(event: Event) -> list[Notification]:
    """Notify for one recorded transition (called when the Event is saved)."""
    users, text = recipients(event)
    if event.plan_id is not None:
        return send(users, text, reverse("plan-detail", args=[event.plan_id]))
    url = reverse("form-detail", args=[event.form_id])
    return send(users, text, url, form=event.form)


def send(
    users: Iterable[Any], text: str, url: str = "", form: EvaluationForm | None = None
) -> list[Notification]:
    """Store one notification per user; e-mail them too when SMTP is configured."""
    users = list(users)
    text = text[:500]
    notes = Notification.objects.bulk_create(
        [Notification(recipient=u, text=text, url=url, form=form) for u in users]
    )
    addresses = [u.email for u in users if u.email]
    if addresses and settings.JIXIAO_EMAIL_ENABLED:
        transaction.on_commit(lambda: mail(addresses, text, url))
    return notes


def mail(addresses: list[str], text: str, url: str = "") -> int:
    """One e-mail per address; a mail server that fails is logged, never raised."""
    link = (
        f"\n\n{settings.JIXIAO_SITE_URL.rstrip('/')}{url}"
        if url and settings.JIXIAO_SITE_URL
        else ""
    )
    subject = f"【绩效自评】{text[:60]}"
    body = f"{text}{link}\n\n（本邮件由绩效自评系统自动发送）"
    try:
        connection = get_connection()
        messages = [EmailMessage(subject, body, to=[a], connection=connection) for a in addresses]
        return connection.send_messages(messages) or 0
    except (smtplib.SMTPException, OSError) as err:
        log.warning("通知邮件发送失败（%d 个收件人）：%s", len(addresses), err)
        return 0
