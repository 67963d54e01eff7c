"""Slow clients cannot take the site down: half-open connections against gunicorn's threaded
workers, and against the example nginx front (deploy/nginx.conf) in front of it. And the
static files `jixiao web` serves carry hashed names with a long cache."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.web.served import JIXIAO, ROOT, free_port, jixiao_web, wait_for

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def timed_login(port: int) -> float:
    start = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
        assert "登录".encode() in r.read()
    return time.monotonic() - start


def half_open(port: int, count: int) -> list[socket.socket]:
    """``count`` clients that send the start of a request and then nothing."""
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        socks.append(s)
    return socks


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory) -> Iterator[int]:
    """`jixiao web` with one worker of four threads, on its own SQLite file."""
    if not JIXIAO.exists():
        pytest.skip("needs the installed jixiao command")
    folder = tmp_path_factory.mktemp("front")
    with jixiao_web(folder, "--no-demo", "--workers", "1", "--threads", "4") as web:
        yield web.port


def test_gunicorn_serves_while_clients_hang(gunicorn):
    # A stalled request holds one thread (not a whole worker, as the sync workers did); up to
    # workers × threads − 1 of them leave the site answering. Beyond that, nginx (below).
    socks = half_open(gunicorn, 3)  # three times the workers
    try:
        assert timed_login(gunicorn) < 1
    finally:
        for s in socks:
            s.close()


def test_static_files_have_hashed_names_and_a_long_cache(gunicorn):
    with urllib.request.urlopen(f"http://127.0.0.1:{gunicorn}/login/", timeout=5) as r:
        page = r.read().decode()
    css = re.search(r'href="(/static/web/app\.([0-9a-f]{12})\.css)"', page)
    script = re.search(r'src="(/static/web/app\.[0-9a-f]{12}\.js)"', page)
    assert css and script, page[:600]
    with urllib.request.urlopen(f"http://127.0.0.1:{gunicorn}{css.group(1)}", timeout=5) as r:
        body = r.read()
        cache = r.headers["Cache-Control"]
    assert body == (ROOT / "src/jixiao/web/static/web/app.css").read_bytes()
    assert "immutable" in cache and "max-age=315360000" in cache
    assert hashlib.md5(body).hexdigest()[:12] == css.group(2)  # Django's content hash


@pytest.mark.skipif(not os.path.exists(NGINX), reason="needs Debian's nginx")
def test_the_example_nginx_front_survives_slow_clients(gunicorn, tmp_path):
    port = free_port()
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    conf = conf.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{gunicorn};")
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(conf, encoding="utf-8")
    globals_ = f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;"
    check = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", "nginx.conf", "-g", globals_],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", "nginx.conf", "-g", globals_],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/login/", 20)
        socks = half_open(port, 50)
        try:
            assert timed_login(port) < 1
        finally:
            for s in socks:
                s.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
