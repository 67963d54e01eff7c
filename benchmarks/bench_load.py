"""Many users at once: 50 and 200 concurrent clients against a local server.

Run: ``.venv/bin/python benchmarks/bench_load.py [--clients 50 200] [--requests 20]
[--count 5000] [--database-url postgres://user:pass@127.0.0.1:5432/name] [--think 2]
[--workers 2 --threads 8]``.

The issue #11 goal (p95 < 300 ms at 50 clients, closed loop) is measured on an idle machine:
first check that ``uptime`` shows a load average below 1 (nothing else running: the server
and the clients share the cores, and other work stretches every wall-clock time), then

    .venv/bin/python benchmarks/bench_load.py --clients 50 --requests 40
    .venv/bin/python benchmarks/bench_load.py --clients 50 --requests 40 \
        --database-url postgres://jixiao:jixiao@127.0.0.1:5432/jixiao_bench

(the PostgreSQL database is the benchmark's own, made once with ``PGPASSWORD=jixiao createdb
-h 127.0.0.1 -U jixiao jixiao_bench``, and filled on the first run). Each run
prints the load average before and after; a figure taken with a load average above 1 says
more about the other work than about the server. ``bench_request_cost.py`` gives the CPU per
request, which holds on a busy machine too.

The server is what ``jixiao web`` starts (gunicorn, 2 threaded workers, web/serve.py) on the
benchmark database of ``bench_web.py`` (``count`` generated forms over 200 units; SQLite in
``var/bench-load/`` or the PostgreSQL database given). Each client is a thread with its own
session that logs in, then repeats a mix: the form list (a random page), a form's detail page,
an edit-save (the edit page's own fields posted back with one goal text changed; a version
conflict with another client, HTTP 409, counts as a conflict, not an error) and, one request
in ten, an import of one flattened-text file (the upload and the queued job; no worker runs,
so the job's own work is not timed). Bounded: every client makes ``--requests`` requests and
stops at ``--seconds``; the server listens on 127.0.0.1 only. The clients log in first, as
many at a time as there are cores (each log-in costs the server a PBKDF2 hash, some
hundreds of milliseconds of CPU by design), and only then start together.

By default the clients are a closed loop: each sends its next request as soon as the last
is answered, so N clients keep N requests in the server at all times and the time of each
is about N × (CPU per request) ÷ cores. ``--think S`` lets each client wait a random time
of S seconds on average (exponential) before each request, as a person reading the page
does; the figures without it are the closed loop's.

Reports per client count: requests, req/s, p50 / p95 / max in ms per kind and overall, errors
(any HTTP status ≥ 400 other than a conflict, or a failed connection), and the CPU time per
request of the server (gunicorn's processes; PostgreSQL's own is not counted) and of the
clients (this process), with the share of the machine each took. Goal: 0 errors and
p95 < 300 ms at 50 clients.
"""

from __future__ import annotations

import argparse
import html.parser
import http.cookiejar
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

from bench_web import database, load, setup_django  # benchmarks/bench_web.py
from machine import describe  # benchmarks/machine.py

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE.parent / "var" / "bench-load"
SEED_TEXT = HERE.parent / "tests" / "data" / "000_7288eb4107761ee7.txt"
HOST = "127.0.0.1"


class FormFields(html.parser.HTMLParser):
    """The named fields of the page's form that posts to ``action`` (inputs, textareas,
    selects), in page order, as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[list[object]] = []  # [value or None (its text), selected, text]
        self._template = 0  # inside <template>: not part of the form until a script adds it
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._template += 1
        if tag == "form":
            self.inside = a.get("action", "") in ("", self.action) and a.get("method") == "post"
        if self._template or not self.inside:
            return
        if tag == "option" and self._select:  # no value attribute: its text is the value
            self._options.append([a.get("value"), "selected" in a, ""])
        if not a.get("name"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []
        elif tag == "select":
            self._select, self._options = a["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        elif self._select is not None and self._options:
            self._options[-1][2] = str(self._options[-1][2]) + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            values = [(str(t.strip() if v is None else v), sel) for v, sel, t in self._options]
            chosen = [v for v, selected in values if selected] or [v for v, _ in values[:1]]
            self.fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "template":
            self._template -= 1
        elif tag == "form":
            self.inside = False


class Client:
    """One user's browser: its own cookies and session, over real HTTP."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.get("/login/")
        status, _ = self.post("/login/", {"username": username, "password": password})
        if status != 302:
            raise SystemExit(f"could not log in as {username} (HTTP {status})")

    def token(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def _open(self, request: urllib.request.Request) -> tuple[int, bytes]:
        try:
            with self.opener.open(request, timeout=60) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def get(self, url: str) -> tuple[int, bytes]:
        return self._open(urllib.request.Request(self.base + url))

    def post(self, url: str, fields: dict[str, str] | list[tuple[str, str]]) -> tuple[int, bytes]:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        pairs = [(k, v) for k, v in pairs if k != "csrfmiddlewaretoken"]
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", self.token()), *pairs]).encode()
        return self._open(
            urllib.request.Request(self.base + url, data=body, headers={"Referer": self.base})
        )

    def post_file(self, url: str, field: str, name: str, data: bytes) -> tuple[int, bytes]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.token()}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{urllib.parse.quote(name)}"\r\n'
            "Content-Type: text/plain\r\n\r\n".encode()
            + data
            + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": self.base,
        }
        return self._open(urllib.request.Request(self.base + url, b"".join(parts), headers))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # a 302 is an answer here, as a browser's first response is


def start_server(
    data_dir: Path, port: int, workers: int = 2, threads: int = 8
) -> subprocess.Popen[bytes]:
    """gunicorn as ``jixiao web`` starts it (web/serve.py, static files collected: pages
    name them by hashed names), on the benchmark database."""
    from django.core.management import call_command

    from jixiao.web.serve import gunicorn_args

    call_command("collectstatic", interactive=False, verbosity=0)

    env = {**os.environ, "JIXIAO_DATA_DIR": str(data_dir)}
    args = [*gunicorn_args(HOST, port, workers, threads), "--log-level", "warning"]
    args.remove("--access-logfile")
    args.remove("-")
    proc = subprocess.Popen(args, env=env)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/login/").read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def _proc_cpu(pid: int, children: bool = False) -> float:
    """CPU seconds (user + system) of one process, with its reaped children's when asked."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime (exited workers)
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> float:
    """CPU seconds the server has used so far: gunicorn's master and its workers."""
    total = _proc_cpu(pid, children=True)
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            total += _proc_cpu(int(child))
    return total


def own_cpu() -> float:
    """CPU seconds this process (the clients) has used so far, every thread."""
    t = os.times()
    return t.user + t.system


def edit_save(c: Client, pk: int, stamp: str) -> tuple[int, str]:
    url = f"/forms/{pk}/edit/"
    status, page = c.get(url)
    if status != 200:
        return status, "edit-save"
    parser = FormFields(url)
    parser.feed(page.decode("utf-8"))
    fields = parser.fields
    for i, (name, value) in enumerate(fields):
        if name.startswith("goals.") or name.endswith("achieved"):
            fields[i] = (name, value.split("【")[0] + f"【{stamp}】")
            break
    status, _ = c.post(url, fields)
    return status, "edit-save"  # 409: another client saved first (a conflict, not an error)


def run(
    base: str,
    clients: int,
    requests: int,
    seconds: float,
    ids: dict[str, list[int]],
    server_pid: int,
    think: float = 0.0,
):
    """Every client's timings: kind → [ms], with the errors, the conflicts, the wall time
    and the CPU seconds of the server and of the clients while they made their requests
    (after every client has logged in)."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    conflicts = [0]
    lock = threading.Lock()
    text = SEED_TEXT.read_bytes()
    deadline = [0.0]  # set when every client has logged in: the timed part has ``seconds``

    def set_deadline() -> None:
        deadline[0] = time.monotonic() + seconds

    ready = threading.Barrier(clients + 1, action=set_deadline)
    logins = threading.Semaphore(os.cpu_count() or 2)

    def client(n: int) -> None:
        rng = random.Random(n)
        who = ("filler", "dept", "finance")[n % 3]
        try:
            with logins:  # a few at a time: each costs the server a PBKDF2 hash (not timed)
                c = Client(base, who, "x")
        except (SystemExit, OSError) as e:
            with lock:
                errors.append(f"log-in: {e}")
            ready.wait()
            return
        ready.wait()
        for i in range(requests):
            if think:  # a person reading the page before the next click (not timed)
                time.sleep(min(rng.expovariate(1 / think), 10 * think))
            if time.monotonic() > deadline[0]:
                break
            roll = rng.random()
            start = time.perf_counter()
            try:
                if who == "filler" and roll < 0.25 and ids["drafts"]:
                    status, kind = edit_save(c, rng.choice(ids["drafts"]), f"{n}-{i}")
                elif who == "filler" and roll < 0.35:
                    status, _ = c.post_file("/import/", "files", f"导入{n}-{i}.txt", text)
                    kind = "import"
                elif roll < 0.6:
                    status, _ = c.get(f"/forms/?page={rng.randint(1, 5)}")
                    kind = "list"
                else:
                    status, _ = c.get(f"/forms/{rng.choice(ids[who])}/")
                    kind = "detail"
            except OSError as e:
                status, kind = 599, f"connection ({e})"
            ms = (time.perf_counter() - start) * 1000
            with lock:
                timings[kind].append(ms)
                if status == 409:
                    conflicts[0] += 1
                elif status >= 400:
                    errors.append(f"{kind}: HTTP {status}")

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    ready.wait()
    print(f"  {clients} log-ins in {time.perf_counter() - started:.1f} s (not timed)", flush=True)
    start = time.perf_counter()
    server0, client0 = server_cpu(server_pid), own_cpu()
    for t in threads:
        t.join()
    cpu = (server_cpu(server_pid) - server0, own_cpu() - client0)
    return timings, errors, conflicts[0], time.perf_counter() - start, cpu


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--seconds", type=float, default=120, help="stop every client by then")
    parser.add_argument("--count", type=int, default=5000, help="generated forms in the database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--database-url", help="postgres://… (a database of its own)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client waits before each request (default 0: closed loop)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (jixiao web: 2)")
    parser.add_argument("--threads", type=int, default=8, help="threads a worker (jixiao web: 8)")
    args = parser.parse_args()

    args.dir.mkdir(parents=True, exist_ok=True)
    setup_django(args.dir, args.database_url, fast_hash=False)
    load(args.count, args.seed, args.fresh)
    from django.contrib.auth import get_user_model

    from jixiao.web import access
    from jixiao.web.models import EvaluationForm

    User = get_user_model()
    ids: dict[str, list[int]] = {}
    for who in ("filler", "dept", "finance"):
        user = User.objects.get(username=who)
        ids[who] = list(access.visible_forms(user).values_list("pk", flat=True)[:500])
    filler = User.objects.get(username="filler")
    ids["drafts"] = [f.pk for f in access.visible_forms(filler) if f.editable][:50]
    forms = EvaluationForm.objects.count()
    from django.db import connection

    connection.close()

    print(describe())
    print(
        f"database: {database()}; {forms:,} forms; server: gunicorn, {args.workers} workers × "
        f"{args.threads} threads; "
        + (f"think time {args.think} s on average" if args.think else "closed loop (no think time)")
    )
    proc = start_server(args.dir, args.port, args.workers, args.threads)
    try:
        for clients in args.clients:
            base = f"http://{HOST}:{args.port}"
            print(f"\nload average before: {os.getloadavg()[0]:.1f}")
            timings, errors, conflicts, wall, (server_s, client_s) = run(
                base, clients, args.requests, args.seconds, ids, proc.pid, args.think
            )
            every = [ms for values in timings.values() for ms in values]
            print(
                f"\n{clients} clients × ≤ {args.requests} requests: {len(every)} requests in "
                f"{wall:.1f} s = {len(every) / wall:.1f} req/s; "
                f"p50 {pct(every, 50):.0f} ms, p95 {pct(every, 95):.0f} ms, "
                f"max {max(every, default=0):.0f} ms; errors {len(errors)}; "
                f"edit conflicts {conflicts}"
            )
            n = max(1, len(every))
            cores = os.cpu_count() or 1
            print(
                f"  CPU per request: server {server_s * 1000 / n:.1f} ms, clients "
                f"(this process) {client_s * 1000 / n:.1f} ms; the clients took "
                f"{client_s / wall / cores:.0%} of the {cores} cores, the server "
                f"{server_s / wall / cores:.0%}"
            )
            for kind, values in sorted(timings.items()):
                print(
                    f"  {kind:<10} {len(values):>5}  p50 {pct(values, 50):6.0f} ms  "
                    f"p95 {pct(values, 95):6.0f} ms  max {max(values):6.0f} ms"
                )
            for e in sorted(set(errors))[:10]:
                print(f"  error: {e} (× {errors.count(e)})")
            load_avg = os.getloadavg()[0]
            print(f"  load average after: {load_avg:.1f}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
