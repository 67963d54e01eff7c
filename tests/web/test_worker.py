"""A real task worker (`jixiao worker`, another process) runs a job; killed with kill -9 in
the middle, it leaves the job 已中断 with no file written, and 重试 then succeeds."""

from __future__ import annotations

import io
import os
import signal

import pdfplumber
import pytest

from jixiao.web import records
from jixiao.web.models import Job
from tests.web.conftest import login
from tests.web.workers import DATABASE_BACKEND, task_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

STALE = 5  # seconds without a heartbeat before a running job counts as interrupted


def stored_files(settings, job: Job) -> list:
    from pathlib import Path

    folder = Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_killed_worker_leaves_the_job_interrupted_and_a_retry_succeeds(
    tree, users, seed_forms, settings, tmp_path
):
    settings.TASKS = DATABASE_BACKEND
    settings.JIXIAO_JOB_STALE_SECONDS = STALE
    forms = []
    for copy in range(3):  # 27 forms: long enough to be killed in the middle
        for form in seed_forms:
            f = form.model_copy(deep=True)
            f.project = f"{form.project}（{copy + 1}）"
            forms.append(records.create(tree.chengyun, f, users["filler"]))
    c = login(users["filler"])
    r = c.post("/forms/export/", {"to": "pdf", "ids": [o.pk for o in forms]})
    job = Job.objects.get(pk=int(r["Location"].strip("/").split("/")[-1]))
    assert job.state == "queued"  # no worker yet: it waits in the queue
    log = tmp_path / "worker.log"

    with task_worker(settings, log, STALE) as worker:

        def laid_out_some() -> bool:
            job.refresh_from_db()
            assert job.state in ("queued", "running"), (job.state, job.error)
            return job.done >= 2

        wait_for(laid_out_some, 240, "the worker to lay out two forms", log)
        assert job.done < job.total
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and its render processes
        worker.wait()

    job.refresh_from_db()
    assert job.state == "running"  # nobody has noticed yet
    wait_for(lambda: "已中断" in c.get(f"/jobs/{job.pk}/").content.decode(), STALE + 30, "已中断")
    job.refresh_from_db()
    assert job.state == "interrupted"
    assert "任务中断" in job.error
    assert not job.result and stored_files(settings, job) == []  # nothing half-written
    assert c.get(f"/jobs/{job.pk}/download/").status_code == 404

    c.post(f"/jobs/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.state == "queued" and job.attempt == 2
    with task_worker(settings, log, STALE):
        wait_for(lambda: Job.objects.get(pk=job.pk).finished, 400, "the retried job to finish", log)
    job.refresh_from_db()
    assert job.state == "done", job.error
    r = c.get(f"/jobs/{job.pk}/download/")
    with pdfplumber.open(io.BytesIO(b"".join(r.streaming_content))) as pdf:
        assert len(pdf.pages) == 27
        assert "27 / 27" in pdf.pages[26].extract_text()
    assert [p.parent.name for p in stored_files(settings, job)] == ["2"]  # attempt 2 only
