"""Background jobs: work too long for a request, run by a worker from the database queue.

A :class:`~jixiao.web.models.Job` is what the pages show (state, "已完成 37 / 200", the
file when it is ready); the queue is django-tasks with its database backend
(``django_tasks_db``), whose ``db_worker`` command (``jixiao worker``) runs
:func:`run_job`. A job names its *runner*, a function marked with :func:`job_runner` that
does the work with a :class:`Progress` and may return an :class:`Output` (the file).

Nothing half-made is ever offered: the result is written to a temporary file and saved to
storage (``storages["default"]``) only once complete, and the job is marked 已完成 in the
same step. A worker that dies stops beating its heart (``heartbeat_at``); a running job
whose heart has been still for ``JIXIAO_JOB_STALE_SECONDS`` is marked 已中断 and can be
retried (:func:`retry`). Each run has its own ``attempt`` number, and a run whose number
is no longer the job's (the job was retried or marked interrupted meanwhile) stops at its
next step without writing anything.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import DatabaseError, connection
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from jixiao.web import access
from jixiao.web.models import Job

logger = logging.getLogger(__name__)

INTERRUPTED = (
    "任务中断：处理它的后台进程已停止（例如服务器重启或进程被终止），没有生成任何文件。"
    "可点击“重试”重新执行。"
)
INTERNAL = "处理时出现内部错误（{kind}），没有生成任何文件。可点击“重试”；如仍失败，请联系管理员。"
# Writes of progress to the database at most this often (the last one is always written).
PROGRESS_INTERVAL = 0.5

F_ = TypeVar("F_", bound=Callable[..., Any])


class JobFailed(Exception):
    """The job cannot be done; the message (Chinese) is shown to the user."""


class Superseded(Exception):
    """This run is no longer the job's current one (retried, or marked interrupted)."""


@dataclass
class Output:
    """A job's result: the download's file name and its content."""

    name: str
    data: bytes


def job_runner(fn: F_) -> F_:
    """Mark ``fn(job, progress) -> Output | None`` as a runner jobs may name."""
    fn.job_runner = True  # type: ignore[attr-defined]
    return fn


def _current(job: Job) -> Any:
    """The job's row while this run is its current, running one."""
    return Job.objects.filter(pk=job.pk, attempt=job.attempt, state=Job.State.RUNNING)


class Progress:
    """What a runner reports: how far it is (``done`` of ``total``) and what it is doing."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._written = 0.0

    def set(
        self,
        done: int | None = None,
        total: int | None = None,
        message: str | None = None,
        *,
        force: bool = False,
        **fields: Any,
    ) -> None:
        """Record progress (``fields``: other columns, e.g. ``report``); raises
        :class:`Superseded` when this run is no longer the job's."""
        if done is not None:
            self.job.done = done
        if total is not None:
            self.job.total = total
        if message is not None:
            self.job.message = message[:300]
        for name, value in fields.items():
            setattr(self.job, name, value)
        now = time.monotonic()
        if not force and not fields and now - self._written < PROGRESS_INTERVAL:
            return
        self._written = now
        updated = _current(self.job).update(
            done=self.job.done,
            total=self.job.total,
            message=self.job.message,
            heartbeat_at=timezone.now(),
            **fields,
        )
        if not updated:
            raise Superseded

    def advance(self, by: int = 1, message: str | None = None) -> None:
        self.set(self.job.done + by, message=message, force=self.job.done + by >= self.job.total)


class Heartbeat(threading.Thread):
    """Tells the database every few seconds that this run is alive, also while the runner
    is inside one long step (one big file, joining a PDF)."""

    def __init__(self, job: Job) -> None:
        super().__init__(daemon=True, name=f"job-{job.pk}-heartbeat")
        self.job = job
        self.stopped = threading.Event()
        self.interval = max(1.0, settings.JIXIAO_JOB_STALE_SECONDS / 4)

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    _current(self.job).update(heartbeat_at=timezone.now())
                except DatabaseError:  # a busy database: the next beat will do
                    logger.warning("job %s: heartbeat not written", self.job.pk)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
        self.join()


# --- starting, retrying, noticing dead workers ------------------------------------------


def start(
    user: Any,
    kind: str,
    title: str,
    runner: str,
    params: dict[str, Any] | None = None,
    total: int = 0,
) -> Job:
    """Create a job for ``user`` and queue it; ``runner`` is the dotted path of a function
    marked :func:`job_runner`."""
    _runner(runner)  # a wrong name fails here, in the caller's request, not in the worker
    job = Job.objects.create(
        user=user,
        org_path=access.scope_path(user) or "",
        kind=kind,
        title=title[:300],
        runner=runner,
        params=params or {},
        total=total,
    )
    _enqueue(job)
    job.refresh_from_db()
    return job


def start_export(
    user: Any, title: str, runner: str, params: dict[str, Any] | None = None, total: int = 0
) -> Job:
    """Run any export as a job: ``runner(job, progress)`` returns the file as an
    :class:`Output`; the user gets a job page with its progress and then the download."""
    return start(user, Job.Kind.EXPORT, title, runner, params, total)


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(job.pk, job.attempt)
    Job.objects.filter(pk=job.pk, attempt=job.attempt).update(task_id=str(result.id))


def retry(job: Job) -> bool:
    """Queue a failed or interrupted job again (a new attempt); False when it is neither."""
    updated = Job.objects.filter(
        pk=job.pk, attempt=job.attempt, state__in=(Job.State.FAILED, Job.State.INTERRUPTED)
    ).update(
        state=Job.State.QUEUED,
        attempt=F("attempt") + 1,
        error="",
        message="",
        started_at=None,
        heartbeat_at=None,
        finished_at=None,
    )
    if not updated:
        return False
    job.refresh_from_db()
    _enqueue(job)
    return True


def mark_interrupted() -> int:
    """Running jobs whose worker has not been heard of for the stale limit → 已中断."""
    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.JIXIAO_JOB_STALE_SECONDS)
    stale = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff)
    if not stale.exists():  # the usual case: a read, no write lock taken (SQLite)
        return 0
    return stale.update(state=Job.State.INTERRUPTED, error=INTERRUPTED, finished_at=now)


# --- running --------------------------------------------------------------------------------


def _runner(path: str) -> Callable[[Job, Progress], Output | None]:
    fn = import_string(path)
    if not getattr(fn, "job_runner", False):
        raise ValueError(f"{path} is not a job runner")
    return fn  # type: ignore[no-any-return]


def _file_name(name: str) -> str:
    """A storage-safe version of the download name (CJK kept)."""
    return re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", name).strip("._")[:120] or "result"


def _save(job: Job, output: Output) -> str:
    """Write the result to a temporary file, then into storage under a name of this
    attempt; returns the stored name."""
    storage = storages["default"]
    with tempfile.NamedTemporaryFile(prefix="jixiao-job-", suffix=".part") as tmp:
        tmp.write(output.data)
        tmp.flush()
        tmp.seek(0)
        return storage.save(
            f"jobs/{job.pk}/{job.attempt}/{_file_name(output.name)}", File(tmp, output.name)
        )


def execute(job_id: int, attempt: int) -> None:
    """Run attempt ``attempt`` of job ``job_id`` (what the task does)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, attempt=attempt, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, message="开始处理"
    )
    if not claimed:  # retried meanwhile, or already run
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    heartbeat = Heartbeat(job)
    heartbeat.start()
    stored = ""
    try:
        output = _runner(job.runner)(job, Progress(job))
        if output is not None:
            stored = _save(job, output)
        done = _current(job).update(
            state=Job.State.DONE,
            result=stored,
            result_name=output.name if output else "",
            done=F("total"),
            message="",
            finished_at=timezone.now(),
        )
        if not done:
            raise Superseded
    except Superseded:
        if stored:
            storages["default"].delete(stored)
    except JobFailed as err:
        _fail(job, str(err))
    except Exception as err:
        logger.exception("job %s (%s) failed", job.pk, job.runner)
        _fail(job, INTERNAL.format(kind=type(err).__name__))
    finally:
        heartbeat.stop()


def _fail(job: Job, error: str) -> None:
    _current(job).update(state=Job.State.FAILED, error=error, finished_at=timezone.now())


@task()
def run_job(job_id: int, attempt: int) -> None:
    """The queued task: one attempt of one job."""
    execute(job_id, attempt)
