"""Exports of many forms, run as jobs: a selection or everything a filter of the list
matches, as PDF, Excel, Word, HTML, JSON or the 审核意见书 (report PDF).

:func:`start_forms_export` queues the job; :func:`export_forms` is its runner, in the
worker: it reads the forms the user may see (their scope as it is then), renders them with
the core (a batch PDF on every core) and returns the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from jixiao.audit import FormAudit
from jixiao.web import access, core, jobs
from jixiao.web.models import EvaluationForm, Job

# Formats of a batch export: the form files, and the 审核意见书 as a PDF.
FORMATS: dict[str, str] = {
    "pdf": "PDF",
    "xlsx": "Excel",
    "docx": "Word",
    "html": "HTML",
    "json": "JSON",
    "report": "审核意见书 PDF",
}
SUFFIX = {to: to for to in ("pdf", "xlsx", "docx", "html", "json")} | {"report": "pdf"}
READ_CHUNK = 200  # forms read from the database at a time


def matching(user: Any, params: dict[str, Any]) -> QuerySet[EvaluationForm]:
    """The forms of an export: the ids chosen, or the list's filter, within ``user``'s scope,
    in the list's order for a filter and by year and project for a selection."""
    from jixiao.web.views import filter_forms

    if "ids" in params:
        return (
            access.visible_forms(user)
            .filter(pk__in=params["ids"])
            .order_by("year", "project", "id")
        )
    return filter_forms(user, params.get("filter", {}))[0]


def start_forms_export(user: Any, to: str, params: dict[str, Any], count: int) -> Job:
    """Queue the export of ``count`` forms (``params``: ``ids`` or ``filter``) as ``to``."""
    what = "所选" if "ids" in params else "筛选出的"
    return jobs.start_export(
        user,
        f"导出{FORMATS[to]}：{what} {count} 张表",
        "jixiao.web.exports.export_forms",
        {**params, "to": to},
        total=count,
    )


def read_chunked(qs: QuerySet[EvaluationForm]) -> Iterator[EvaluationForm]:
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), READ_CHUNK):
        chunk = ids[start : start + READ_CHUNK]
        by_id = EvaluationForm.objects.select_related("body").in_bulk(chunk)
        for pk in chunk:
            if pk in by_id:
                yield by_id[pk]


def stored_audits(objs: list[EvaluationForm]) -> list[FormAudit]:
    """Each stored form with the findings stored when it was saved (not audited again) and
    its computed values: what the Excel export and the 总结报告 show."""
    audits = []
    for o in objs:
        form = o.form
        audits.append(core.stored_assessment(form, o.findings, o.inflation_value).audit(form))
    return audits


def stored_bytes(objs: list[EvaluationForm], to: str) -> bytes:
    """Stored forms as one file; Excel's 汇总 sheet gets each form's stored findings,
    computed values and state."""
    if to != "xlsx":
        return core.export([o.form for o in objs], to)
    audits = stored_audits(objs)
    states = [o.get_status_display() for o in objs]
    return core.export([a.form for a in audits], to, audits=audits, states=states)


@jobs.job_runner
def export_forms(job: Job, progress: jobs.Progress) -> jobs.Output:
    to = job.params["to"]
    if to not in FORMATS:
        raise jobs.JobFailed(f"不支持的导出格式：{to}")
    qs = matching(job.user, job.params)
    count = qs.count()
    if not count:
        raise jobs.JobFailed("没有可导出的表单（可能已被删除，或已不在您的管辖范围内）")
    by_form = to == "pdf"  # the PDF tells its progress form by form as it lays them out
    progress.set(0, count, "正在读取表单", force=True)
    objs = []
    for obj in read_chunked(qs):
        objs.append(obj)
        if not by_form:
            progress.advance()
    forms = [o.form for o in objs]
    if to == "pdf":
        progress.set(0, len(forms), "正在排版 PDF", force=True)
        data = core.export(forms, "pdf", progress=lambda _: progress.advance())
        progress.set(message="正在合并 PDF", force=True)
    elif to == "report":
        progress.set(message="正在生成审核意见书", force=True)
        data = core.report_pdf(forms)
    else:
        progress.set(message="正在生成文件", force=True)
        data = stored_bytes(objs, to)
    what = "审核意见书" if to == "report" else "自评表"
    return jobs.Output(f"{what}-{len(forms)}张.{SUFFIX[to]}", data)
