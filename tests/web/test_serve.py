"""`jixiao web` (what `make run` starts): set-up, demo data, users, gunicorn, static files."""

from __future__ import annotations

import os
import socket
import subprocess
import urllib.request

import pytest

from tests.web.served import JIXIAO, ROOT, jixiao_web


@pytest.mark.skipif(not JIXIAO.exists(), reason="needs the installed jixiao command")
def test_jixiao_web_sets_up_and_serves(tmp_path):
    with jixiao_web(tmp_path, "--workers", "1", output=True) as web:  # the demo, own SQLite
        with urllib.request.urlopen(f"http://127.0.0.1:{web.port}/login/") as r:
            assert "登录".encode() in r.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{web.port}/static/web/echarts.min.js") as r:
            assert r.status == 200
            assert len(r.read()) > 500_000
        with urllib.request.urlopen(f"http://127.0.0.1:{web.port}/forms/") as r:  # → log-in
            assert r.url.startswith(f"http://127.0.0.1:{web.port}/login/?next=")
    out = web.output
    assert "已载入 69 张演示自评表。" in out  # nine seed forms + 60 generated
    assert "已启动 1 个后台任务进程（jixiao worker）。" in out
    assert "Starting worker" in out  # django-tasks' db_worker, beside gunicorn
    for user in ("tianbao", "danwei", "zhuguan", "caizheng", "admin"):
        assert user in out
    assert (tmp_path / "jixiao.sqlite3").exists()


def test_a_taken_port_is_refused_before_the_server_starts(tmp_path):
    # `jixiao web` refuses at once, with a message, before it migrates (serve.port_taken).
    from jixiao.web.serve import port_taken

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
