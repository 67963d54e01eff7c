"""Building 填报任务 for the tests."""

from __future__ import annotations

import datetime
import io

from openpyxl import Workbook

from jixiao.web.models import Organisation
from jixiao.web.rounds.models import Round, RoundProject, RoundUnit


def make_round(
    finance: Organisation,
    lists: dict[Organisation, list[str]],
    year: int = 2024,
    deadline: datetime.date | None = None,
    title: str = "2024年度项目支出绩效自评",
) -> Round:
    rnd = Round.objects.create(
        organisation=finance,
        title=title,
        year=year,
        deadline=deadline or datetime.date.today() + datetime.timedelta(days=30),
    )
    for unit, names in lists.items():
        RoundUnit.objects.create(round=rnd, organisation=unit)
        for i, name in enumerate(names):
            RoundProject(round=rnd, organisation=unit, name=name, position=i).save()
    return rnd


def xlsx(rows: list[list[object]], title: str = "项目清单") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
