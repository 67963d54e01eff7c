"""A real task worker (`jixiao worker`) in its own process, on the test database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url() -> str:
    """DATABASE_URL of the test database (a file for SQLite: see conftest.py)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = f"{quote(s['USER'])}:{quote(s['PASSWORD'])}@" if s["USER"] else ""
    return f"postgres://{auth}{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def task_worker(settings: Any, log: Path, stale_seconds: int) -> Iterator[subprocess.Popen]:
    """Start `jixiao worker` on the test database and storage; stop it (its whole process
    group) at the end, if the test has not killed it already."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "JIXIAO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "JIXIAO_JOB_STALE_SECONDS": str(stale_seconds),
    }
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jixiao.cli", "worker", "--interval", "0.2"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_for(check: Callable[[], bool], seconds: float, what: str, log: Path | None = None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")
