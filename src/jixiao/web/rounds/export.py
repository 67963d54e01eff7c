"""A round's progress as an Excel workbook: one row per unit (按单位) and one row per
project (按项目). A plain function of the round, so it can run as a background task."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

import xlsxwriter

from jixiao.web import jobs
from jixiao.web.models import Job
from jixiao.web.rounds.models import Round, RoundUnit
from jixiao.web.rounds.progress import STAGES, compute

UNIT_HEADERS = (
    "主管部门",
    "预算单位",
    "截止日期",
    "应报项目数",
    *(label for _, label in STAGES),
    "已送审",
    "完成率(%)",
    "是否逾期",
    "名单外表单",
)
PROJECT_HEADERS = (
    "主管部门",
    "预算单位",
    "项目编码",
    "项目名称",
    "金额（万元）",
    "状态",
    "表单编号",
    "是否在名单内",
)


def progress_workbook(
    rnd: Round, units: Iterable[RoundUnit] | None = None, now: datetime.datetime | None = None
) -> bytes:
    """The .xlsx bytes of ``rnd``'s progress over ``units`` (default: all its units)."""
    chosen = (
        list(units)
        if units is not None
        else list(rnd.units.select_related("organisation", "organisation__parent"))
    )
    progress = compute(rnd, chosen, now)
    # the 申报 / 监控 columns, for the deadlines the round has
    plans = [
        (name, deadline)
        for name, deadline in (
            ("申报", rnd.declaration_deadline),
            ("监控", rnd.monitoring_deadline),
        )
        if deadline is not None
    ]
    unit_headers = [
        *UNIT_HEADERS,
        *(f"{name}{what}" for name, _ in plans for what in ("截止日期", "已送审", "是否逾期")),
    ]
    buffer = io.BytesIO()
    # text from users (project and unit names) is never written as a formula
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
    red = book.add_format({"font_color": "#B71C1C", "bold": True})
    money = book.add_format({"num_format": "0.00"})

    sheet = book.add_worksheet("按单位")
    sheet.write(0, 0, f"{rnd.title}（{rnd.year}年度，截止日期 {rnd.deadline:%Y-%m-%d}）")
    sheet.write_row(1, 0, unit_headers, head)
    sheet.set_column(0, 1, 30)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, len(unit_headers) - 1, 9)
    row = 2
    for up in progress.units:
        assert up.unit is not None and up.deadline is not None
        sheet.write_row(
            row,
            0,
            [
                up.department.name if up.department else "",
                up.unit.name,
                f"{up.deadline:%Y-%m-%d}",
                up.expected,
                *(n for _, _, n in up.stage_counts),
                up.submitted,
                up.percent,
            ],
        )
        sheet.write(row, len(UNIT_HEADERS) - 2, "逾期" if up.overdue else "", red)
        sheet.write(row, len(UNIT_HEADERS) - 1, len(up.unlisted))
        column = len(UNIT_HEADERS)
        for name, deadline in plans:
            done, late = (
                (up.declared, up.declaration_overdue)
                if name == "申报"
                else (up.monitored, up.monitoring_overdue)
            )
            sheet.write_row(row, column, [f"{deadline:%Y-%m-%d}", done])
            sheet.write(row, column + 2, "逾期" if late else "", red)
            column += 3
        row += 1
    sheet.write_row(
        row,
        0,
        [
            "合计",
            f"{len(progress.units)} 个单位",
            "",
            progress.expected,
            *(n for _, _, n in progress.stage_counts),
            progress.submitted,
            progress.percent,
            f"{progress.overdue_units} 个单位逾期" if progress.overdue_units else "",
            "",
            *(
                x
                for name, _ in plans
                for x in ("", progress.declared if name == "申报" else progress.monitored, "")
            ),
        ],
        head,
    )
    sheet.freeze_panes(2, 2)

    sheet = book.add_worksheet("按项目")
    sheet.write_row(0, 0, [*PROJECT_HEADERS, *(f"{name}表状态" for name, _ in plans)], head)
    sheet.set_column(0, 1, 30)
    sheet.set_column(2, 2, 14)
    sheet.set_column(3, 3, 40)
    sheet.set_column(4, 7, 12)
    row = 1
    for up in progress.units:
        assert up.unit is not None
        for item, listed in [(i, True) for i in up.items] + [(i, False) for i in up.unlisted]:
            p = item.project
            sheet.write_row(
                row,
                0,
                [
                    up.department.name if up.department else "",
                    up.unit.name,
                    p.code if p else "",
                    item.name,
                ],
            )
            amount = p.amount_value if p else None
            if amount is not None:
                sheet.write_number(row, 4, amount, money)  # xlsxwriter stores a double
            sheet.write_row(
                row,
                5,
                [
                    item.label,
                    item.form.pk if item.form else "",
                    "是" if listed else "名单外",
                    *(
                        item.declaration_label if name == "申报" else item.monitoring_label
                        for name, _ in plans
                    ),
                ],
            )
            row += 1
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()


@jobs.job_runner
def export_progress(job: Job, progress: jobs.Progress) -> jobs.Output:
    """The progress workbook as a background job, for the units its user may see."""
    from django.http import Http404

    from jixiao.web.rounds import scope

    try:
        rnd = scope.get_round(job.user, job.params["round"])
    except Http404:
        raise jobs.JobFailed("填报任务已不存在，或已不在您的管辖范围内") from None
    units = scope.round_units(job.user, rnd)
    progress.set(0, 1, message=f"正在汇总“{rnd.title}”的进度…", force=True)
    data = progress_workbook(rnd, units)
    progress.set(1, 1)
    return jobs.Output(f"{rnd.title}-进度.xlsx", data)
