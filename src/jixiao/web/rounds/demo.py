"""The demo 填报任务: one open 2024 round of the demo district (see jixiao.web.demo)."""

from __future__ import annotations

import datetime

from jixiao.web.models import EvaluationForm, Organisation
from jixiao.web.rounds.models import Round, RoundProject, RoundUnit
from jixiao.web.rounds.progress import today

YEAR = 2024
TITLE = "2024年度项目支出绩效自评"
MISSING_PROJECT = "江桥镇城市运行应急保障项目"
OVERDUE_MISSING = "校园食堂提标改造项目"


def open_demo_round(
    finance: Organisation, seed_unit: Organisation, overdue_unit: Organisation
) -> Round | None:
    """The seed unit's 2024 projects plus one not yet reported, deadline in 30 days; and
    ``overdue_unit`` with its 2024 projects plus one missing, whose own deadline passed a week
    ago. Nothing when a round exists already."""
    if Round.objects.exists():
        return None
    day = today()
    rnd = Round.objects.create(
        organisation=finance, title=TITLE, year=YEAR, deadline=day + datetime.timedelta(days=30)
    )
    late = day - datetime.timedelta(days=7)
    for unit, extra, deadline in (
        (seed_unit, MISSING_PROJECT, None),
        (overdue_unit, OVERDUE_MISSING, late),
    ):
        RoundUnit.objects.create(round=rnd, organisation=unit, deadline=deadline)
        names = list(
            EvaluationForm.objects.filter(organisation=unit, year=YEAR)
            .order_by("id")
            .values_list("project", flat=True)
        )
        for position, name in enumerate(dict.fromkeys([*names, extra])):
            RoundProject(round=rnd, organisation=unit, name=name, position=position).save()
    return rnd
