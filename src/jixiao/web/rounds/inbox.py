"""The open rounds at the top of 待办: deadline, days left, progress in the user's part of
the tree, and for the 填报人 the listed projects that have no form yet."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from jixiao.web import access
from jixiao.web.rounds import scope
from jixiao.web.rounds.models import Round
from jixiao.web.rounds.progress import Item, RoundProgress, UnitProgress, compute

MISSING_SHOWN = 50


@dataclass
class OpenRound:
    round: Round
    progress: RoundProgress
    deadline: datetime.date
    days_left: int
    overdue: bool
    missing: list[tuple[UnitProgress, Item]] = field(default_factory=list)
    more_missing: int = 0

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def open_rounds(user: Any, now: datetime.datetime | None = None) -> list[OpenRound]:
    rows: list[OpenRound] = []
    creatable = set(access.units_for(user).values_list("pk", flat=True))
    if not access.can_create(user):
        creatable = set()
    for rnd in scope.visible_rounds(user).filter(closed=False).select_related("organisation"):
        progress = compute(rnd, scope.round_units(user, rnd), now)
        units = progress.units
        if not units:
            continue
        if len(units) == 1:  # a unit's own deadline, where 财政 set one
            one = units[0]
            assert one.deadline is not None
            deadline, days, overdue = one.deadline, one.days_left, one.overdue
        else:
            deadline, days = rnd.deadline, progress.days_left
            overdue = days < 0 and progress.submitted < progress.expected
        missing = [
            (up, item)
            for up in units
            if up.unit is not None and up.unit.pk in creatable
            for item in up.missing
        ]
        rows.append(
            OpenRound(
                rnd,
                progress,
                deadline,
                days,
                overdue,
                missing[:MISSING_SHOWN],
                max(0, len(missing) - MISSING_SHOWN),
            )
        )
    rows.sort(key=lambda r: r.deadline)
    return rows
