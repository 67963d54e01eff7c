"""Reminders (催报): tell the units of a round that still have projects unreported, or are
overdue, what is missing and by when."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse

from jixiao.web.models import Role
from jixiao.web.notifications.notify import send, users_with_role
from jixiao.web.rounds.models import Round, RoundUnit
from jixiao.web.rounds.progress import UnitProgress, compute

REMINDED_ROLES = (Role.FILLER, Role.UNIT_REVIEWER)


def reminder_text(rnd: Round, up: UnitProgress) -> str:
    missing = len(up.missing)
    pending = up.expected - up.submitted
    if up.overdue:
        when = f"截止日期 {up.deadline:%Y-%m-%d} 已过 {-up.days_left} 天"
    elif up.days_left == 0:
        when = "今天截止"
    else:
        when = f"截止日期 {up.deadline:%Y-%m-%d}，还剩 {up.days_left} 天"
    parts = [f"填报任务“{rnd.title}”：{up.unit.name if up.unit else ''}"]
    if missing:
        parts.append(f"尚有 {missing} 个项目未填报")
    if pending > missing:
        parts.append(f"{pending - missing} 个项目已填未送审或被退回")
    text = "，".join(parts) + f"（{when}）。"
    for name, deadline, done, late in (
        ("申报表", up.declaration_deadline, up.declared, up.declaration_overdue),
        ("监控表", up.monitoring_deadline, up.monitored, up.monitoring_overdue),
    ):
        if deadline is not None:
            due = f"已过截止日期 {deadline:%Y-%m-%d}" if late else f"截止日期 {deadline:%Y-%m-%d}"
            text += f"{name}已送审 {done}/{up.expected} 个项目（{due}）。"
    return text


def needs_reminder(up: UnitProgress) -> bool:
    return bool(up.missing) or up.overdue or up.declaration_overdue or up.monitoring_overdue


def remind(
    rnd: Round, units: Iterable[RoundUnit] | None = None, now: datetime.datetime | None = None
) -> int:
    """Notify the 填报人 and 单位审核 of every unit with unreported or overdue projects;
    returns how many units were reminded. A closed round reminds nobody."""
    if rnd.closed:
        return 0
    chosen = (
        list(units)
        if units is not None
        else list(rnd.units.select_related("organisation", "organisation__parent"))
    )
    reminded = 0
    for up in compute(rnd, chosen, now).units:
        if up.unit is None or not needs_reminder(up):
            continue
        users = [u for role in REMINDED_ROLES for u in users_with_role(role, up.unit)]
        if not users:
            continue
        url = reverse("round-unit", args=[rnd.pk, up.unit.pk])
        send(users, reminder_text(rnd, up), url)
        reminded += 1
    return reminded
