"""Set up and start the web system: migrate, demo data if empty, static files, gunicorn."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


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
    put nginx in front (docs: deploy/nginx.conf), which reads whole requests first."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    return [
        gunicorn,
        "jixiao.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
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


def serve(
    host: str, port: int, workers: int, seed: Path | None, demo: bool = True, threads: int = 8
) -> None:
    """Prepare, then replace this process with gunicorn on host:port."""
    prepare(seed, demo)
    print(f"jixiao 绩效 Web 系统：http://{host}:{port}/  （Ctrl+C 停止）", flush=True)
    args = gunicorn_args(host, port, workers, threads)
    os.execv(args[0], args)
