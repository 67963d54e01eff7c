"""The pages of background jobs: 我的任务, one job's page (polled with htmx while it runs),
its download and 重试. A job is its user's alone: anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jixiao.web import jobs
from jixiao.web.models import Job

LIST_SIZE = 100


def get_job(request: HttpRequest, pk: int) -> Job:
    """The job ``pk`` if it is the user's; 404 otherwise (no existence leak)."""
    try:
        return Job.objects.get(pk=pk, user=request.user)
    except (Job.DoesNotExist, ValueError, OverflowError):
        raise Http404("没有找到这个任务") from None


def _summary(job: Job) -> dict[str, int]:
    """An import's counts: forms imported, 申报表 and 监控表 stored, entries failed."""
    return {
        "imported": sum(len(r["imported"]) for r in job.report),
        "plans": sum(len(r.get("plans", ())) for r in job.report),
        "failed": sum(len(r["failed"]) for r in job.report),
    }


def _pending(job: Job) -> list[str]:
    """The files of an import that have no account yet (not imported)."""
    if job.kind != Job.Kind.IMPORT:
        return []
    return [entry["name"] for entry in job.params.get("files", [])[len(job.report) :]]


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs.mark_interrupted()
    mine = Job.objects.filter(user=request.user).only(
        "id", "kind", "title", "state", "done", "total", "created_at", "finished_at", "result"
    )[:LIST_SIZE]
    return render(request, "web/jobs.html", {"jobs": mine})


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    jobs.mark_interrupted()
    job = get_job(request, pk)
    context = {"job": job, "summary": _summary(job), "pending": _pending(job)}
    if request.headers.get("HX-Request"):
        return render(request, "web/_job_status.html", context)
    return render(request, "web/job.html", context)


@require_GET
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_job(request, pk)
    if job.state != Job.State.DONE or not job.result:
        raise Http404("这个任务还没有可下载的文件")
    storage = storages["default"]
    try:
        handle = storage.open(job.result.name, "rb")
    except OSError:
        raise Http404("文件已不存在，请重新导出") from None
    return FileResponse(handle, as_attachment=True, filename=job.result_name)


@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job(request, pk)
    if jobs.retry(job):
        messages.success(request, "已重新排队执行。")
    else:
        messages.error(request, "只有失败或已中断的任务可以重试。")
    return redirect("job-detail", job.pk)
