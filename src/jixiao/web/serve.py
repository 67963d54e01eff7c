"""Set up and start the web system: migrate, demo data if empty, static files, gunicorn and
a task worker beside it; and the task worker alone (`jixiao worker`, also for other machines)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

# gunicorn's workers and threads a worker by default (`jixiao web`, benchmarks/bench_load.py):
# two workers per core (at least 2) of 4 threads; why, see gunicorn_args.
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
WORKERS = max(2, 2 * CORES)
THREADS = 4


def setup_django() -> None:
    """Django set up with jixiao's settings, the data dir made and the database migrated."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def prepare(seed: Path | None, demo: bool = True) -> None:
    """Migrations, static files and (on an empty database) the demo data."""
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    if demo:
        from jixiao.web.demo import load_demo, users_table

        added = load_demo(seed)
        if added:
            print(f"已载入 {added} 张演示自评表。")
        print(users_table())


def gunicorn_args(host: str, port: int, workers: int, threads: int) -> list[str]:
    """gunicorn with threaded workers: a client that connects and sends nothing waits in the
    worker's poller, not in a thread, so slow clients cannot hold every worker; in production
    put nginx in front (docs: deploy/nginx.conf), which reads whole requests first.

    The workers share one listening socket and each takes a new connection only while it
    holds no more connections than any other (web/balanced.py): kept-alive connections
    (browsers, nginx's upstream keepalive) stay with the worker that accepted them, and a
    worker runs Python on one core at a time (the GIL), so one holding more than its share
    answers each of its clients more slowly. Two workers per core of 4 threads: on an idle
    2-core machine, balanced, 4 × 4 cost the server 6.6–7.2 ms of CPU a request against 7.2–9.1
    ms for 2 × 8 (8 threads contending for one GIL), p95 258–286 ms against 273–352 ms over
    50 clients (2026-12-07; benchmarks/bench_load.py prints each worker's connections and CPU
    seconds).

    ``--preload``: the master imports the application (``jixiao.web.wsgi``, which warms it:
    web/warm.py) before it forks the workers, so no worker pays for importing the views and
    compiling the templates on its first requests; the master opens no database connection
    (tests/web/test_preload.py). New code needs a restart, not a HUP."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    return [
        gunicorn,
        "jixiao.web.wsgi:application",
        "--preload",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "jixiao.web.balanced.BalancedWorker",
        "--threads",
        str(threads),
        "--keep-alive",
        "5",
        "--timeout",
        "120",
        "--graceful-timeout",
        "30",
        "--limit-request-line",
        "8190",
        "--limit-request-fields",
        "100",
        "--access-logfile",
        "-",
    ]


def port_taken(host: str, port: int) -> bool:
    """Whether something listens on host:port already: :func:`serve` refuses to start then,
    with a message, before it migrates (gunicorn would try to bind for seconds, then fail)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed one's TIME_WAIT
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def worker_command() -> list[str]:
    """`jixiao worker`: the installed command beside this Python, or ``python -m``."""
    found = shutil.which("jixiao", path=str(Path(sys.executable).parent))
    return [found, "worker"] if found else [sys.executable, "-m", "jixiao.cli", "worker"]


def serve(
    host: str,
    port: int,
    workers: int,
    seed: Path | None,
    demo: bool = True,
    threads: int = THREADS,
    task_workers: int = 1,
) -> None:
    """Prepare, then run gunicorn on host:port and ``task_workers`` task workers beside it
    (`jixiao worker`), restarting a worker that dies; all stop together."""
    if port_taken(host, port):
        sys.exit(f"端口 {host}:{port} 已被占用（可能已有一个 jixiao web 在运行），请换用 --port。")
    prepare(seed, demo)
    print(f"jixiao 绩效 Web 系统：http://{host}:{port}/  （Ctrl+C 停止）", flush=True)
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    web = subprocess.Popen(gunicorn_args(host, port, workers, threads))
    tasks = [subprocess.Popen(worker_command()) for _ in range(task_workers)]
    print(f"已启动 {task_workers} 个后台任务进程（jixiao worker）。", flush=True)
    try:
        while not stopping and web.poll() is None:
            for i, proc in enumerate(tasks):
                if proc.poll() is not None:
                    print(f"后台任务进程已退出（{proc.returncode}），正在重新启动。", flush=True)
                    tasks[i] = subprocess.Popen(worker_command())
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
    of a worker that died are first marked 已中断 once they are stale. The web server
    migrates the database; a worker only uses it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from jixiao.web.jobs import mark_interrupted

    mark_interrupted()
    call_command("db_worker", interval=interval, reload=False, verbosity=1)
