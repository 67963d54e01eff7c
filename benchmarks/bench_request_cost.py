"""What one request costs the server: CPU milliseconds and SQL queries per request kind.

Run: ``.venv/bin/python benchmarks/bench_request_cost.py [--requests 40] [--count 5000]
[--database-url postgres://user:pass@127.0.0.1:5432/name] [--queries]
[--profile list|detail|edit|save|import] [--instructions] [--kinds list,edit]``.

The kinds of ``bench_load.py`` (list page, detail page, edit page, its save, import
upload) on
its benchmark database (``count`` generated forms over 200 units, ``var/bench-load/`` or the
PostgreSQL database given), each request through Django's whole stack in this process
(middleware, session, log-in, CSRF, views, templates) with the test client, one at a time;
a save posts the fields of the edit page drawn just before it (its ``edit``, the client's
reading of the page not counted) urlencoded, as a browser does.
CPU time (``time.process_time``) is what the request costs whatever else runs on the
machine, so the figures hold on a busy machine where wall-clock times do not; a closed-loop
load of N clients on C cores cannot do better than about C / (CPU per request) requests a
second. ``--profile KIND`` prints cProfile's heaviest functions for that kind; ``--kinds``
counts only the kinds named (all are still warmed up).

CPU time still moves by a quarter from run to run when others share the cores (caches,
the other hyperthread). ``--instructions`` runs the benchmark again under valgrind's
callgrind (Debian's ``valgrind``), counting the instructions of each kind's requests alone
(collection switched on around each kind's loop with ``callgrind_control``): the count
does not move with the machine's load, so two versions of the code compare to a percent
on a busy machine. Slow (about 50 times), so fewer requests suit it (``--requests 10``).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from bench_load import DEFAULT_DIR, SEED_TEXT, form_fields  # benchmarks/bench_load.py
from bench_web import database, load, setup_django  # benchmarks/bench_web.py
from machine import (  # benchmarks/machine.py
    callgrind,
    callgrind_output,
    callgrind_total,
    describe,
    rerun_under_callgrind,
)

KINDS = ("list", "detail", "edit", "save", "import")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per kind")
    parser.add_argument("--count", type=int, default=5000, help="generated forms in the database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--database-url", help="postgres://… (a database of its own)")
    parser.add_argument("--profile", choices=KINDS, help="cProfile this kind")
    parser.add_argument("--profile-out", type=Path, help="also write the cProfile data here")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help="the kinds counted, comma-separated"
    )
    parser.add_argument("--queries", action="store_true", help="print one request's SQL a kind")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions (valgrind's callgrind)"
    )
    args = parser.parse_args()
    counted = callgrind_output()  # set when this is the run under callgrind
    if args.instructions and counted is None:
        rerun_under_callgrind()

    args.dir.mkdir(parents=True, exist_ok=True)
    setup_django(args.dir, args.database_url, fast_hash=False)  # bench_load logs in for real
    load(args.count, args.seed, False)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from jixiao.web import access

    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=("filler", "finance"))}
    filler, finance = Client(), Client()
    filler.force_login(users["filler"])
    finance.force_login(users["finance"])
    ids = list(access.visible_forms(users["finance"]).values_list("pk", flat=True)[:500])
    drafts = [f.pk for f in access.visible_forms(users["filler"]) if f.editable][:50]
    text = SEED_TEXT.read_bytes()
    rng = random.Random(args.seed)
    counter = [0]
    # each run's saves write texts of their own: a run that wrote what an earlier run on the
    # same database wrote would change nothing, and a save that changes nothing is cheaper
    # (rolled back, nothing written); the same length in every run
    run = f"{int(time.time()) % 10**8:08d}"

    def check(response, *ok: int) -> None:  # type: ignore[no-untyped-def]
        if response.status_code not in ok:
            raise SystemExit(f"HTTP {response.status_code}: {response.content[:300]!r}")

    def do_list() -> None:
        check(finance.get(f"/forms/?page={rng.randint(1, 5)}"), 200)

    def do_detail() -> None:
        check(finance.get(f"/forms/{rng.choice(ids)}/"), 200)

    # each draft's edit page drawn last (url, HTML), then its fields as a browser posts them
    # (url, fields); the saves go round the drafts, each posting its form's fields with one
    # goal text changed and the version its last save left (the page drawn after that save
    # would carry the same values), made ready before they are counted
    order = rng.sample(drafts, len(drafts))
    pages: dict[int, tuple[str, str]] = {}
    posts: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    saves: list[tuple[str, str]] = []  # (url, urlencoded body)
    turns = {"edit": 0, "save": 0}

    def do_edit(pk: int | None = None) -> None:
        if pk is None:
            pk = order[turns["edit"] % len(order)]
            turns["edit"] += 1
        url = f"/forms/{pk}/edit/"
        page = filler.get(url)
        check(page, 200)
        pages[pk] = (url, page.content.decode("utf-8"))

    def fill_in(count: int) -> None:
        """The browser's part, not counted: each draft's fields read from its edit page
        (drawn now for a draft that has none), then the next ``count`` saves' bodies."""
        for pk in order:
            if pk not in pages and pk not in posts:
                do_edit(pk)
        for pk, (url, page) in pages.items():
            posts[pk] = (url, form_fields(page, url))
        pages.clear()
        for _ in range(count):
            pk = order[turns["save"] % len(order)]
            turns["save"] += 1
            counter[0] += 1
            url, fields = posts[pk]
            sent = list(fields)
            for i, (name, value) in enumerate(sent):
                if name.startswith("goals.") or name.endswith("achieved"):
                    sent[i] = (name, value.split("【")[0] + f"【{run}-{counter[0]}】")
                    break
            saves.append((url, urlencode(sent)))  # as a browser (and bench_load.py) posts it
            version = [(k, str(int(v) + 1) if k == "version" else v) for k, v in fields]
            posts[pk] = (url, version)  # what the next save of this form sends

    def do_save() -> None:
        url, body = saves.pop(0)
        check(filler.post(url, body, content_type="application/x-www-form-urlencoded"), 302)
        # the browser follows the redirect to the form page, which shows the save's message
        # and so clears it (that page is the detail kind's cost): kept, the messages would
        # pile up in the cookie and then in the session, each save writing them all again
        filler.cookies.pop("messages", None)

    def do_import() -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        counter[0] += 1
        upload = SimpleUploadedFile(f"导入{counter[0]}.txt", text, "text/plain")
        check(filler.post("/import/", {"files": [upload]}), 302)

    actions: dict[str, Callable[[], None]] = {
        "list": do_list,
        "detail": do_detail,
        "edit": do_edit,
        "save": do_save,
        "import": do_import,
    }
    for kind, action in actions.items():  # warm up: imports, templates, caches
        if kind == "save":
            fill_in(2)
        action()
        action()

    print(describe())
    print(f"database: {database()}; {len(ids)}+ forms in scope; {args.requests} requests a kind")
    print(
        f"{'kind':<10} {'CPU ms/req':>11} {'p95 CPU':>8} {'wall ms':>8} "
        f"{'queries':>8} {'SQL ms':>7}" + ("  instructions/req" if counted else "")
    )
    dumps = 0
    for kind, action in actions.items():
        if (args.profile and kind != args.profile) or kind not in args.kinds.split(","):
            continue
        cpu, wall, queries, sql = [], [], [], []
        if kind == "save":
            fill_in(args.requests)
        profile = cProfile.Profile(time.process_time) if args.profile else None  # CPU, not wall
        if counted:
            callgrind("--instr=on")
        for _ in range(args.requests):
            captured: list[tuple[float, str]] = []  # (seconds, SQL) of each query
            with connection.execute_wrapper(_Queries(captured)):
                c0, w0 = time.process_time(), time.perf_counter()
                if profile:
                    profile.enable()
                action()
                if profile:
                    profile.disable()
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
            queries.append(len(captured))
            sql.append(sum(t for t, _ in captured) * 1000)
        instructions = ""
        if counted:
            callgrind(f"--dump={kind}")
            callgrind("--instr=off")
            dumps += 1
            total = callgrind_total(f"{counted}.{dumps}")
            instructions = f"  {total / args.requests / 1e6:>10.2f} M"
        if args.queries:
            for t, q in captured:
                print(f"    {t * 1000:6.1f} ms  {q[:300]}")
        p95 = statistics.quantiles(cpu, n=20, method="inclusive")[18] if len(cpu) > 1 else cpu[0]
        print(
            f"{kind:<10} {statistics.mean(cpu):>11.1f} {p95:>8.1f} "
            f"{statistics.mean(wall):>8.1f} {statistics.mean(queries):>8.1f} "
            f"{statistics.mean(sql):>7.1f}{instructions}"
        )
        if profile:
            stats = pstats.Stats(profile)
            if args.profile_out:
                stats.dump_stats(args.profile_out)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)


class _Queries:
    """Each query's time and SQL, as a connection's execute wrapper: Django's
    ``CaptureQueriesContext`` would switch on its debug cursor, which formats every query's
    parameters into its SQL text, a cost the server does not have."""

    def __init__(self, out: list[tuple[float, str]]) -> None:
        self.out = out

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.out.append((time.perf_counter() - start, sql))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
