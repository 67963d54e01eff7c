"""`jixiao web` (what `make run` starts): set-up, demo data, users, gunicorn, static files."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JIXIAO = Path(sys.executable).parent / "jixiao"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(not JIXIAO.exists(), reason="needs the installed jixiao command")
def test_jixiao_web_sets_up_and_serves(tmp_path):
    port = free_port()
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # the demo runs on its own SQLite file here
    proc = subprocess.Popen(
        [str(JIXIAO), "web", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        body = b""
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/") as r:
                    body = r.read()
                break
            except OSError:
                time.sleep(0.2)
        assert "登录".encode() in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/web/echarts.min.js") as r:
            assert r.status == 200
            assert len(r.read()) > 500_000
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/forms/") as r:  # → log-in page
            assert r.url.startswith(f"http://127.0.0.1:{port}/login/?next=")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out = proc.communicate(timeout=30)[0].decode()
    assert "已载入 69 张演示自评表。" in out  # nine seed forms + 60 generated
    assert "已启动 1 个后台任务进程（jixiao worker）。" in out
    assert "Starting worker" in out  # django-tasks' db_worker, beside gunicorn
    for user in ("tianbao", "danwei", "zhuguan", "caizheng", "admin"):
        assert user in out
    assert (tmp_path / "jixiao.sqlite3").exists()


def test_a_taken_port_is_refused_before_the_server_starts(tmp_path):
    # Each gunicorn worker listens with SO_REUSEPORT (serve.gunicorn_args), so a second server
    # on the same port would bind and take half of the connections: `jixiao web` refuses.
    from jixiao.web.serve import gunicorn_args, port_taken

    assert "--reuse-port" in gunicorn_args("127.0.0.1", 8000, 4, 4)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.listen()
        assert port_taken("127.0.0.1", port)
        if JIXIAO.exists():
            env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path)}
            env.pop("DATABASE_URL", None)
            done = subprocess.run(
                [str(JIXIAO), "web", "--no-demo", "--port", str(port)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode != 0
            assert f"端口 127.0.0.1:{port} 已被占用" in done.stderr
    assert not port_taken("127.0.0.1", port)
