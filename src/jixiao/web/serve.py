"""Set up and start the web system: migrate, demo data if empty, static files, gunicorn."""

from __future__ import annotations

import os
import shutil
import sys
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


def serve(host: str, port: int, workers: int, seed: Path | None, demo: bool = True) -> None:
    """Prepare, then replace this process with gunicorn on host:port."""
    prepare(seed, demo)
    print(f"jixiao 绩效 Web 系统：http://{host}:{port}/  （Ctrl+C 停止）", flush=True)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    args = [
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
    os.execv(gunicorn, args)
