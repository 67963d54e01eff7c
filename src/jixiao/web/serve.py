"""Set up and start the web system: migrate, demo data if empty, static files, gunicorn and
a task worker beside it; and the task worker alone (`jixiao worker`, also for other machines)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path


def prepare(seed: Path | None, demo: bool = True) -> None:
    """Migrations, static files and (on an empty database) the demo data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if demo:
        from jixiao.web.demo import load_demo, users_table

        added = load_demo(seed)
        if added:
            print(f"已载入 {added} 张演示自评表。")
        print(users_table())


def _command(name: str, *args: str) -> list[str]:
    """The installed ``jixiao``-family command beside this Python, or ``python -m``."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if name == "jixiao" and not found:
        return [sys.executable, "-m", "jixiao.cli", *args]
    return [found or name, *args]


def serve(
    host: str,
    port: int,
    workers: int,
    seed: Path | None,
    demo: bool = True,
    task_workers: int = 1,
) -> None:
    """Prepare, then run gunicorn on host:port and ``task_workers`` task workers beside it
    (`jixiao worker`), restarting a worker that dies; all stop together."""
    prepare(seed, demo)
    print(f"jixiao 绩效 Web 系统：http://{host}:{port}/  （Ctrl+C 停止）", flush=True)
    gunicorn = _command("gunicorn")[0]
    web_args = [
        gunicorn,
        "jixiao.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        "120",
    ]
    worker_args = _command("jixiao", "worker")
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    web = subprocess.Popen(web_args)
    tasks = [subprocess.Popen(worker_args) for _ in range(task_workers)]
    print(f"已启动 {task_workers} 个后台任务进程（jixiao worker）。", flush=True)
    try:
        while not stopping and web.poll() is None:
            for i, proc in enumerate(tasks):
                if proc.poll() is not None:
                    print(f"后台任务进程已退出（{proc.returncode}），正在重新启动。", flush=True)
                    tasks[i] = subprocess.Popen(worker_args)
            time.sleep(1)
    finally:
        for proc in (web, *tasks):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (web, *tasks):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    sys.exit(web.returncode or 0)


def run_worker(interval: float = 1.0) -> None:
    """A task worker (django-tasks' ``db_worker``): runs queued jobs until stopped. Jobs
    of a worker that died are first marked 已中断 once they are stale."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from jixiao.web.jobs import mark_interrupted

    mark_interrupted()
    call_command("db_worker", interval=interval, reload=False, verbosity=1)
