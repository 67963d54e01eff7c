"""Many users at once: 50 and 200 concurrent clients against a local server.

Run: ``.venv/bin/python benchmarks/bench_load.py [--clients 50 200] [--requests 20]
[--count 5000] [--database-url postgres://user:pass@127.0.0.1:5432/name] [--think 2]
[--workers 4 --threads 4]``.

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

The server is what ``jixiao web`` starts (gunicorn, two workers per core × 4 threads, each
taking new connections while it holds the fewest: web/serve.py, web/balanced.py) on the
benchmark database of ``bench_web.py`` (``count`` generated forms over 200 units; SQLite in
``var/bench-load/`` or the PostgreSQL database given). Each client is a browser with its own
session and one keep-alive HTTP/1.1 connection (as a browser, or nginx's upstream keepalive,
deploy/nginx.conf, keeps one); the clients are coroutines of one asyncio loop over raw
sockets, so that the load generator, which shares the machine's cores with the server, costs
well under a millisecond of CPU per request (reported). Each client logs in, then repeats a
mix: the form list (a random page), a form's detail page, an edit-save (the edit page's own
fields, read with regular expressions, posted back urlencoded with one goal text changed; a
version conflict with another client, HTTP 409, counts as a conflict, not an error) and, one
step in ten, an import of one flattened-text file (the upload and the queued job; no
worker runs, so the job's own work is not timed). An edit-save is two requests, each timed
and counted on its own: ``edit`` (the GET of the edit page) and ``save`` (its POST; the
client's reading of the page between them is not timed; the form page the save redirects
to is not asked for, and its message is dropped as that page would). Bounded: every client takes
``--requests`` steps of the mix and stops at ``--seconds``; the server listens on
127.0.0.1 only.
The clients log in first, as many at a time as there are cores (each log-in costs the
server a PBKDF2 hash, some hundreds of milliseconds of CPU by design), and only then start
together.

By default the clients are a closed loop: each sends its next request as soon as the last
is answered, so N clients keep N requests in the server at all times and the time of each
is about N × (CPU per request) ÷ cores. ``--think S`` lets each client wait a random time
of S seconds on average (exponential) before each request, as a person reading the page
does; the figures without it are the closed loop's.

Reports per client count: requests, req/s, p50 / p95 / max in ms per kind and overall, errors
(any HTTP status ≥ 400 other than a conflict, or a failed connection), and the CPU time per
request of the server (gunicorn's processes; PostgreSQL's own is not counted) and of the
clients (this process), with the share of the machine each took; and how the load fell on
gunicorn's workers: each worker's CPU seconds, the connections each held (looked at every
0.5 s while every client was connected; the most crowded one's against an even share) and
the p95 of the requests each served. Goal: 0 errors and p95 < 300 ms at 50 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path

from bench_web import database, load, setup_django  # benchmarks/bench_web.py
from jixiao.web.serve import THREADS, WORKERS  # jixiao web's defaults
from machine import describe  # benchmarks/machine.py

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE.parent / "var" / "bench-load"
SEED_TEXT = HERE.parent / "tests" / "data" / "000_7288eb4107761ee7.txt"
HOST = "127.0.0.1"


_FORM = re.compile(r"<form\b([^>]*)>", re.I)
_TEMPLATE = re.compile(r"<template\b.*?</template\s*>", re.I | re.S)
_TAG = re.compile(r"<(input|textarea|select)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")
_OPTION = re.compile(r"<option\b([^>]*)>(.*?)(?=<option\b|</select|$)", re.I | re.S)
_TEXTAREA_END = re.compile(r"</textarea\s*>", re.I)
_SELECT_END = re.compile(r"</select\s*>", re.I)


def _attrs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(text):
        name = m.group(1).lower()
        if name not in out:
            value = m.group(2) if m.group(2) is not None else m.group(3)
            value = value if value is not None else m.group(4)
            out[name] = html.unescape(value or "")
    return out


def form_fields(page: str, action: str) -> list[tuple[str, str]]:
    """The named fields of the page's form that posts to ``action`` (inputs, textareas,
    selects), in page order, as a browser sends them: unchecked boxes, buttons and files
    left out, a select's chosen option (else its first), nothing inside ``<template>``
    (not part of the form until a script adds it). Regular expressions over the page: the
    client's own CPU is taken from the machine the server runs on, so it is kept small."""
    block = ""
    for m in _FORM.finditer(page):
        a = _attrs(m.group(1))
        if a.get("action", "") in ("", action) and a.get("method") == "post":
            close = page.find("</form>", m.end())
            block = page[m.end() : close if close >= 0 else len(page)]
            break
    block = _TEMPLATE.sub("", block)
    fields: list[tuple[str, str]] = []
    pos = 0
    while True:
        m = _TAG.search(block, pos)
        if m is None:
            return fields
        tag, a = m.group(1).lower(), _attrs(m.group(2))
        pos = m.end()
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if not name or (kind in ("checkbox", "radio") and "checked" not in a):
                continue
            if kind not in ("submit", "button", "file", "image"):
                fields.append((name, a.get("value", "")))
        elif tag == "textarea":
            end = _TEXTAREA_END.search(block, pos)
            stop = end.start() if end else len(block)
            if name:
                text = html.unescape(block[pos:stop])
                fields.append((name, text.removeprefix("\n")))
            pos = end.end() if end else stop
        else:  # select
            end = _SELECT_END.search(block, pos)
            stop = end.start() if end else len(block)
            options = []
            for o in _OPTION.finditer(block[pos:stop]):
                oa = _attrs(o.group(1))
                text = html.unescape(re.sub(r"<[^>]*>", "", o.group(2))).strip()
                options.append((oa.get("value", text), "selected" in oa))
            if name:
                chosen = [v for v, sel in options if sel] or [v for v, _ in options[:1]]
                fields.extend((name, v) for v in chosen)
            pos = end.end() if end else stop


class Response:
    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body


class Client:
    """One user's browser: its own cookies and one keep-alive HTTP/1.1 connection (opened
    again when the server closes it), asyncio over raw sockets."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.local_port = 0  # of the connection now open: which worker serves it

    async def log_in(self, username: str, password: str) -> None:
        await self.get("/login/")
        r = await self.post("/login/", {"username": username, "password": password})
        if r.status != 302:
            raise RuntimeError(f"could not log in as {username} (HTTP {r.status})")

    def token(self) -> str:
        return self.cookies["csrftoken"]

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> Response:
        for attempt in (1, 2):  # a kept connection the server closed meanwhile: once again
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
                self.local_port = self.writer.get_extra_info("sockname")[1]
            assert self.reader is not None
            head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
            if self.cookies:
                head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            if method == "POST":
                head += [
                    f"Content-Type: {content_type}",
                    f"Content-Length: {len(body)}",
                    f"Referer: http://{HOST}:{self.port}/",
                ]
            self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            try:
                return await asyncio.wait_for(self._read(), 60)
            except (OSError, asyncio.IncompleteReadError):
                await self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _read(self) -> Response:
        assert self.reader is not None
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = []
        for line in head[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                headers.append((k.strip().lower(), v.strip()))
        found = dict(headers)
        if "content-length" in found:
            body = await self.reader.readexactly(int(found["content-length"]))
        elif found.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(p[:-2] for p in parts)
        else:
            body = await self.reader.read()
            found["connection"] = "close"
        for k, v in headers:
            if k == "set-cookie":
                name, _, value = v.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip().strip('"')
        if found.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, headers, body)

    async def get(self, path: str) -> Response:
        return await self.request("GET", path)

    async def post(self, path: str, fields: dict[str, str] | list[tuple[str, str]]) -> Response:
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        pairs = [(k, v) for k, v in pairs if k != "csrfmiddlewaretoken"]
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", self.token()), *pairs]).encode()
        return await self.request("POST", path, body, "application/x-www-form-urlencoded")

    async def post_file(self, path: str, field: str, name: str, data: bytes) -> Response:
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{self.token()}\r\n".encode(),
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                f'filename="{urllib.parse.quote(name)}"\r\n'
                "Content-Type: text/plain\r\n\r\n".encode()
                + data
                + b"\r\n",
                f"--{boundary}--\r\n".encode(),
            ]
        )
        return await self.request("POST", path, body, f"multipart/form-data; boundary={boundary}")


def start_server(
    data_dir: Path, port: int, workers: int = WORKERS, threads: int = THREADS
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


def worker_cpu(pid: int) -> dict[int, float]:
    """CPU seconds each of the server's worker processes has used so far."""
    out: dict[int, float] = {}
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in task.read_text().split():
            out[int(child)] = _proc_cpu(int(child))
    return out


def server_cpu(pid: int) -> float:
    """CPU seconds the server has used so far: gunicorn's master and its workers."""
    return _proc_cpu(pid, children=True) + sum(worker_cpu(pid).values())


def connection_owners(server_pid: int, port: int) -> dict[int, int]:
    """Which worker holds each open connection accepted on ``port``: the client's port → the
    worker's pid (its open sockets in /proc/PID/fd matched with /proc/net/tcp's established
    ones)."""
    inodes: dict[int, int] = {}
    for pid in worker_cpu(server_pid):
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes[int(target[8:-1])] = pid
    owners: dict[int, int] = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        field = line.split()
        local, remote, state, inode = field[1], field[2], field[3], int(field[9])
        if int(local.rsplit(":", 1)[1], 16) == port and state == "01" and inode in inodes:
            owners[int(remote.rsplit(":", 1)[1], 16)] = inodes[inode]
    return owners


def own_cpu() -> float:
    """CPU seconds this process (the clients) has used so far, every thread."""
    t = os.times()
    return t.user + t.system


# Each run's saves write texts of their own: a rerun on the same database writing the texts of
# the last run would change nothing, and a save that changes nothing costs less.
RUN = uuid.uuid4().hex[:8]


def edited(page: Response, url: str, stamp: str) -> list[tuple[str, str]]:
    """The edit page's fields as a browser posts them back, one goal text changed."""
    fields = form_fields(page.body.decode("utf-8"), url)
    for i, (name, value) in enumerate(fields):
        if name.startswith("goals.") or name.endswith("achieved"):
            fields[i] = (name, value.split("【")[0] + f"【{stamp}】")
            break
    return fields


async def run(
    port: int,
    clients: int,
    requests: int,
    seconds: float,
    ids: dict[str, list[int]],
    server_pid: int,
    think: float = 0.0,
):
    """Every client's timings: kind → [ms], with the errors, the conflicts, the wall time,
    the CPU seconds of the server and of the clients while they made their requests
    (after every client has logged in), each worker's CPU seconds, and the timings by the
    worker that served them: pid → (connections, [ms])."""
    timings: dict[str, list[float]] = defaultdict(list)
    served: list[tuple[int, float]] = []  # (the client's port, ms) of each request
    errors: list[str] = []
    conflicts = 0
    text = SEED_TEXT.read_bytes()
    logins = asyncio.Semaphore(os.cpu_count() or 2)
    who_of = [("filler", "dept", "finance")[n % 3] for n in range(clients)]
    users = [Client(port) for _ in range(clients)]

    async def log_in(c: Client, who: str) -> bool:
        async with logins:  # a few at a time: each costs the server a PBKDF2 hash (not timed)
            try:
                await c.log_in(who, "x")
                return True
            except (RuntimeError, OSError, asyncio.IncompleteReadError) as e:
                errors.append(f"log-in: {e}")
                return False

    async def client(n: int, c: Client, deadline: float) -> None:
        nonlocal conflicts
        rng = random.Random(n)
        who = who_of[n]
        for i in range(requests):
            if think:  # a person reading the page before the next click (not timed)
                await asyncio.sleep(min(rng.expovariate(1 / think), 10 * think))
            if time.monotonic() > deadline:
                break
            roll = rng.random()
            start = time.perf_counter()
            try:
                if who == "filler" and roll < 0.25 and ids["drafts"]:
                    url = f"/forms/{rng.choice(ids['drafts'])}/edit/"
                    r = await c.get(url)
                    status, kind = r.status, "edit"
                    if status == 200:  # the save: its own request, timed on its own
                        timings[kind].append((time.perf_counter() - start) * 1000)
                        served.append((c.local_port, timings[kind][-1]))
                        fields = edited(r, url, f"{RUN}-{n}-{i}")  # the browser's part: not timed
                        start = time.perf_counter()
                        r = await c.post(url, fields)
                        status, kind = r.status, "save"  # 409: another client saved first
                        # a browser would follow the redirect to the form page (not asked
                        # for here), which shows the save's message and so clears it
                        c.cookies.pop("messages", None)
                elif who == "filler" and roll < 0.35:
                    r = await c.post_file("/import/", "files", f"导入{n}-{i}.txt", text)
                    status, kind = r.status, "import"
                elif roll < 0.6:
                    r = await c.get(f"/forms/?page={rng.randint(1, 5)}")
                    status, kind = r.status, "list"
                else:
                    r = await c.get(f"/forms/{rng.choice(ids[who])}/")
                    status, kind = r.status, "detail"
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as e:
                status, kind = 599, f"connection ({type(e).__name__})"
                await c.close()
            ms = (time.perf_counter() - start) * 1000
            timings[kind].append(ms)
            served.append((c.local_port, ms))
            if status == 409:
                conflicts += 1
            elif status >= 400:
                errors.append(f"{kind}: HTTP {status}")
        await c.close()

    started = time.perf_counter()
    ok = await asyncio.gather(*(log_in(c, w) for c, w in zip(users, who_of, strict=True)))
    print(f"  {clients} log-ins in {time.perf_counter() - started:.1f} s (not timed)", flush=True)
    start = time.perf_counter()
    server0, client0, workers0 = server_cpu(server_pid), own_cpu(), worker_cpu(server_pid)
    deadline = time.monotonic() + seconds
    owners: dict[int, int] = {}  # client port → worker pid, as seen while the clients run
    held: list[list[int]] = []  # each look: the connections each worker holds
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            now = connection_owners(server_pid, port)
            owners.update(now)
            pids = worker_cpu(server_pid)
            if len(now) >= 0.9 * clients:  # every client on a connection: a full look
                held.append([list(now.values()).count(pid) for pid in sorted(pids)])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), 0.5)

    watcher = asyncio.create_task(watch())
    await asyncio.gather(
        *(client(n, c, deadline) for n, c in enumerate(users) if ok[n]),
    )
    done.set()
    await watcher
    by_worker: dict[int, tuple[set[int], list[float]]] = defaultdict(lambda: (set(), []))
    for client_port, ms in served:
        ports, times = by_worker[owners.get(client_port, 0)]  # 0: not seen
        ports.add(client_port)
        times.append(ms)
    cpu = (server_cpu(server_pid) - server0, own_cpu() - client0)
    spread = [t - workers0.get(w, 0.0) for w, t in sorted(worker_cpu(server_pid).items())]
    return timings, errors, conflicts, time.perf_counter() - start, cpu, spread, by_worker, held


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument(
        "--requests", type=int, default=20, help="steps per client (an edit-save is two requests)"
    )
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
    parser.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads a worker")
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
            print(f"\nload average before: {os.getloadavg()[0]:.1f}")
            measured = asyncio.run(
                run(args.port, clients, args.requests, args.seconds, ids, proc.pid, args.think)
            )
            timings, errors, conflicts, wall, cpu, spread, by_worker, held = measured
            server_s, client_s = cpu
            every = [ms for values in timings.values() for ms in values]
            print(
                f"\n{clients} clients × ≤ {args.requests} steps: {len(every)} requests in "
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
            print(
                "  CPU seconds of each worker process: "
                + ", ".join(f"{s:.1f}" for s in spread)
                + " (equal when the load is spread evenly over them)"
            )
            print(
                "  by the worker that served them (connections, requests, p95): "
                + "; ".join(
                    f"{'?' if pid == 0 else pid}: {len(ports)}, {len(times)}, "
                    f"{pct(times, 95):.0f} ms"
                    for pid, (ports, times) in sorted(by_worker.items())
                )
            )
            if held:
                means = [sum(look[i] for look in held) / len(held) for i in range(len(held[0]))]
                crowded = statistics.mean(max(look) / (sum(look) / len(look)) for look in held)
                print(
                    f"  connections each worker held ({len(held)} looks, 0.5 s apart): mean "
                    + ", ".join(f"{m:.1f}" for m in means)
                    + f"; the most crowded worker held {crowded:.2f} × the even share"
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
