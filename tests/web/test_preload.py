"""`jixiao web` loads the application once in gunicorn's master (``--preload``, web/warm.py)
and forks its workers from it: the warm-up reads no database and leaves no connection open,
and the forked workers log in, save, import (through the task worker beside them) as before,
while the master holds no handle on the SQLite file."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JIXIAO = Path(sys.executable).parent / "jixiao"
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_load import form_fields  # noqa: E402  (the load benchmark's reading of a page's fields)
from tests.web.test_serve import free_port  # noqa: E402

PROBE = """
import gc, json, os
from django.db import connections
import jixiao.web.wsgi  # what gunicorn's master imports with --preload
from django.template import engines
jinja = engines["jinja2"].env
from jixiao.render.html import environment
print(json.dumps({
    "open": [c.alias for c in connections.all(initialized_only=True) if c.connection is not None],
    "frozen": gc.get_freeze_count(),
    "jinja": sorted(t.name for t in jinja.cache.values()),
    "official": sorted(t.name for t in environment().cache.values()),
}))
"""


def test_warm_up_compiles_the_pages_and_leaves_no_connection_open(tmp_path):
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["open"] == []  # nothing for a forked worker to share
    assert not (tmp_path / "jixiao.sqlite3").exists()  # the database was not even opened
    assert found["frozen"] > 50_000  # Django, the templates, the layouts: out of the collector
    for name in ("web/base.jinja", "web/form_list.jinja", "web/form_detail.jinja"):
        assert name in found["jinja"]
    assert "web/form_edit.jinja" in found["jinja"]
    assert found["official"] == ["form.html.j2"]


class Browser:
    """A user with a cookie jar (one new connection a request: spread over the workers)."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def token(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=30) as r:
            return r.status, r.url, r.read().decode("utf-8")

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str, str]:
        request = urllib.request.Request(
            self.base + path, body, {"Content-Type": content_type, "Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=30) as r:
            return r.status, r.url, r.read().decode("utf-8")

    def post_fields(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        pairs = [("csrfmiddlewaretoken", self.token())]
        pairs += [(k, v) for k, v in fields if k != "csrfmiddlewaretoken"]
        body = urllib.parse.urlencode(pairs).encode()
        return self.post(path, body, "application/x-www-form-urlencoded")

    def upload(self, path: str, name: str, data: bytes) -> tuple[int, str, str]:
        b = uuid.uuid4().hex
        body = (
            (
                f'--{b}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f'{self.token()}\r\n--{b}\r\nContent-Disposition: form-data; name="files"; '
                f'filename="{name}"\r\nContent-Type: text/plain\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{b}--\r\n".encode()
        )
        return self.post(path, body, f"multipart/form-data; boundary={b}")


def master_pid(web_pid: int) -> int:
    """gunicorn's master among `jixiao web`'s children."""
    for task in Path(f"/proc/{web_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if "gunicorn" in Path(f"/proc/{child}/cmdline").read_text():
                return int(child)
    raise AssertionError("no gunicorn master")


def open_files(pid: int) -> list[str]:
    out = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            out.append(os.readlink(fd))
    return out


@pytest.mark.skipif(not JIXIAO.exists(), reason="needs the installed jixiao command")
def test_preloaded_workers_save_and_import_and_the_master_holds_no_database(tmp_path):
    port = free_port()
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # its own SQLite file, as `jixiao web` runs by default
    proc = subprocess.Popen(
        [str(JIXIAO), "web", "--port", str(port), "--workers", "2", "--threads", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        user = Browser(port)
        for _ in range(300):
            try:
                user.get("/login/")
                break
            except OSError:
                time.sleep(0.2)
        _, url, _ = user.post_fields(
            "/login/", [("username", "tianbao"), ("password", "jixiao-demo")]
        )
        assert url.endswith("/"), url  # logged in: sent on from the log-in page
        _, _, listing = user.get("/forms/")
        ids = sorted({int(i) for i in re.findall(r'href="/forms/(\d+)/"', listing)})
        saved = []
        for pk in ids:  # each editable form of the list, one save each, over both workers
            try:
                _, _, page = user.get(f"/forms/{pk}/edit/")
            except urllib.error.HTTPError:
                continue  # not editable in its state
            fields = form_fields(page, f"/forms/{pk}/edit/")
            stamp = f"预加载后保存{pk}"
            fields = [(k, stamp if k == "goals.achieved" else v) for k, v in fields]
            _status, url, shown = user.post_fields(f"/forms/{pk}/edit/", fields)
            assert url.endswith(f"/forms/{pk}/"), url  # saved: on to the form's page
            assert stamp in shown
            saved.append(pk)
        assert len(saved) >= 5
        for pk in saved:  # read back, each on a new connection
            assert f"预加载后保存{pk}" in user.get(f"/forms/{pk}/")[2]

        seed = (ROOT / "tests" / "data" / "000_7288eb4107761ee7.txt").read_bytes()
        _, url, _ = user.upload("/import/", "导入.txt", seed)
        job = re.search(r"/jobs/(\d+)/", url)
        assert job, url
        database = str(tmp_path / "jixiao.sqlite3")
        state = ""
        for _ in range(300):  # the task worker beside the server runs it
            with sqlite3.connect(database) as db:
                row = db.execute("SELECT state FROM web_job WHERE id = ?", (int(job[1]),))
                state = row.fetchone()[0]
            if state in ("done", "failed", "interrupted"):
                break
            time.sleep(0.2)
        assert state == "done"
        assert "/forms/" in user.get(f"/jobs/{job[1]}/")[2]  # the imported form, linked

        master = master_pid(proc.pid)
        assert not [f for f in open_files(master) if f.startswith(database)]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
