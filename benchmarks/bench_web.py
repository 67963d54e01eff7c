"""The web system on many forms: list, detail, inbox and dashboard response times.

Run: ``.venv/bin/python benchmarks/bench_web.py [--count 50000] [--requests 200]
[--database-url postgres://user:pass@host:5432/name]``.
Input: ``jixiao.generate.generate_forms(count, seed)`` spread over a tree of 1 财政局,
10 主管部门 and 200 预算单位, each form scored and audited and stored as the web stores it
(loading is timed separately). The database is a SQLite file (WAL) kept in
``var/bench-web/``, or with ``--database-url`` that PostgreSQL database (use one of its own:
``createdb -O jixiao jixiao_bench``); either is reused when it already holds ``count`` forms,
and ``--fresh`` rebuilds it (SQLite: removes the directory; PostgreSQL: migrates and flushes
every table of that database). A database holding other data is refused without ``--fresh``.
Requests go through Django's full stack in-process (middleware, sessions, the scope query,
templates) with the test client; ``--http`` times real HTTP requests to gunicorn instead.
The header names the database engine and version, the input size and the load average
before and after the timed requests (other work on the machine shows there).
Targets: list and detail p95 < 200 ms, dashboard < 1 s.
"""

from __future__ import annotations

import atexit
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from machine import describe, generated_forms_parser  # benchmarks/machine.py

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE.parent / "var" / "bench-web"


def setup_django(data_dir: Path, database_url: str | None, fast_hash: bool = True) -> None:
    os.environ["JIXIAO_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    if database_url:  # read by settings.py, and by gunicorn with --http
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    if fast_hash:  # in-process only: gunicorn checks passwords with the real hashers
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def database() -> str:
    """The engine, its version and where the data are (never the password)."""
    from django.db import connection

    where = connection.settings_dict
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
            return f"PostgreSQL {version} ({where['NAME']} on {where['HOST']}:{where['PORT']})"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} ({where['NAME']})"


def load(count: int, seed: int, fresh: bool) -> None:
    """The tree, three users and ``count`` generated forms (skipped if already there)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from jixiao.generate import generate_forms
    from jixiao.web import records
    from jixiao.web.models import EvaluationForm, Organisation, Profile, Role, Status

    call_command("migrate", interactive=False, verbosity=0)
    if fresh:  # every table of this database only
        call_command("flush", interactive=False, verbosity=0)
    held = EvaluationForm.objects.count()
    if held == count:
        print(f"reusing the database with {count:,} forms")
        _draw_pages()
        return
    if held or Organisation.objects.exists():
        raise SystemExit(f"{database()} holds {held:,} forms, not {count:,}: --fresh rebuilds it")
    finance = Organisation.objects.create(name="基准财政局", kind="finance")
    units = []
    for d in range(10):
        dept = Organisation.objects.create(
            name=f"主管部门{d:02d}", kind="department", parent=finance
        )
        for u in range(20):
            units.append(
                Organisation.objects.create(
                    name=f"预算单位{d:02d}-{u:02d}", kind="unit", parent=dept
                )
            )
    User = get_user_model()
    for username, org, role in (
        ("finance", finance, Role.FINANCE_REVIEWER),
        ("dept", units[0].parent, Role.DEPARTMENT_REVIEWER),
        ("filler", units[0], Role.FILLER),
    ):
        user = User.objects.create_user(username, password="x")
        Profile.objects.create(user=user, organisation=org, role=role)

    rng = random.Random(seed)
    statuses = [Status.DRAFT, Status.DEPARTMENT_REVIEW, Status.APPROVED, Status.RETURNED]
    start = time.perf_counter()
    forms = generate_forms(count, seed=seed)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    batch = []
    for i, form in enumerate(forms):
        unit = units[i % len(units)]
        form.unit = unit.name
        form.department = unit.parent.name if unit.parent else ""
        form.source = None
        batch.append(records.build(unit, form, status=rng.choices(statuses, [5, 3, 3, 1])[0]))
        if len(batch) == 2000:
            records.bulk_create(batch)
            batch = []
    if batch:
        records.bulk_create(batch)
    stored = time.perf_counter() - start
    print(
        f"loaded {count:,} forms: generated in {generated:.1f} s, "
        f"scored + audited + stored (with their pages' parts) in {stored:.1f} s"
    )


def _draw_pages() -> None:
    """The form pages' parts of a database stored before they were kept with the forms, or
    by another version of the code (web/form_cache.py), drawn as ``jixiao_form_pages``
    does: a server would draw them on each form's first view."""
    from jixiao.web import form_cache

    start = time.perf_counter()
    drawn = form_cache.draw_missing()
    if drawn:
        print(f"drew {drawn:,} forms' page parts in {time.perf_counter() - start:.1f} s")


def measure(client, urls: list[str]) -> list[float]:
    """Milliseconds per request; every response must be 200."""
    out = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return out


class HttpClient:
    """A signed-in browser stand-in over real HTTP (urllib with a cookie jar)."""

    def __init__(self, base: str, username: str, password: str) -> None:
        import http.cookiejar
        import urllib.parse
        import urllib.request

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.open(f"{base}/login/").read()
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(f"{base}/login/", data=body, headers={"Referer": base})
        self.opener.open(request).read()
        if not any(c.name == "sessionid" for c in self.jar):
            raise SystemExit(f"could not log in as {username}")

    def get(self, url: str) -> HttpClient:
        import urllib.parse

        quoted = urllib.parse.quote(url, safe="/?=&")
        with self.opener.open(f"{self.base}{quoted}") as response:
            response.read()
            self.status_code = response.status
        return self


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """gunicorn (one worker, so requests are timed one by one) on the benchmark database."""
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data_dir)}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [
            str(gunicorn),
            "jixiao.web.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/").read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
    )


def main() -> None:
    parser = generated_forms_parser(__doc__, 50_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument(
        "--database-url", help="postgres://user:pass@host:port/name (default: SQLite in --dir)"
    )
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    parser.add_argument(
        "--http", action="store_true", help="time real HTTP requests to gunicorn instead"
    )
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if args.fresh and not args.database_url and args.dir.exists():
        shutil.rmtree(args.dir)
    args.dir.mkdir(parents=True, exist_ok=True)  # also the secret key's place on PostgreSQL
    setup_django(args.dir, args.database_url, fast_hash=not args.http)
    load(args.count, args.seed, args.fresh)

    from django.contrib.auth import get_user_model
    from django.test import Client

    from jixiao.web.models import EvaluationForm

    users = {u.username: u for u in get_user_model().objects.all()}
    clients: dict[str, Any] = {}
    server = None
    if args.http:
        for user in users.values():
            user.set_password("bench-password")
            user.save()
        server = start_server(args.dir, args.port)
        atexit.register(server.terminate)  # also when a request fails
        for name in ("finance", "dept", "filler"):
            clients[name] = HttpClient(f"http://127.0.0.1:{args.port}", name, "bench-password")
    else:
        for name in ("finance", "dept", "filler"):
            clients[name] = Client()
            clients[name].force_login(users[name])
    rng = random.Random(args.seed)
    n = args.requests
    ids = list(EvaluationForm.objects.values_list("id", flat=True))
    pages = max(1, len(ids) // 50)
    years = sorted(set(EvaluationForm.objects.values_list("year", flat=True)) - {None})
    sorts = ["updated", "score", "-score", "inflation", "findings", "rate", "project"]
    list_urls = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            list_urls.append(f"/forms/?page={rng.randint(1, min(pages, 50))}")
        elif kind == 1:
            list_urls.append(f"/forms/?sort={rng.choice(sorts)}&page={rng.randint(1, 20)}")
        elif kind == 2:
            list_urls.append(
                f"/forms/?year={rng.choice(years)}&grade={rng.choice(['优', '良', '中', '差'])}"
                f"&status={rng.choice(['draft', 'department_review', 'approved'])}&errors=yes"
                f"&sort={rng.choice(sorts)}"
            )
        else:
            list_urls.append(f"/forms/?q={rng.choice(['经费', '项目', '服务', '建设', '补贴'])}")
    detail_urls = [f"/forms/{rng.choice(ids)}/" for _ in range(n)]
    inbox_urls = ["/forms/inbox/"] * max(10, n // 10)
    dash_n = max(5, n // 20)

    def own_details(who: str) -> list[str]:
        path = users[who].profile.organisation.path
        own = list(
            EvaluationForm.objects.filter(org_path__startswith=path).values_list("id", flat=True)
        )
        return [f"/forms/{rng.choice(own)}/" for _ in range(n)] if own else []

    results = []
    load_before = os.getloadavg()
    for who in ("finance", "dept", "filler"):
        c = clients[who]
        scope = EvaluationForm.objects.filter(
            org_path__startswith=users[who].profile.organisation.path
        ).count()
        measure(c, ["/forms/", "/dashboard/", "/forms/inbox/"])  # warm up caches and templates
        measure(c, (detail_urls if who == "finance" else own_details(who))[:3])
        for kind, urls, target in (
            ("list", list_urls, 200),
            ("detail", detail_urls if who == "finance" else own_details(who), 200),
            ("inbox", inbox_urls, 200),
            ("dashboard", ["/dashboard/"] * dash_n, 1000),
        ):
            if not urls:
                continue
            ms = measure(c, urls)
            results.append(
                (who, scope, kind, len(ms), statistics.median(ms), p95(ms), max(ms), target)
            )

    load_after = os.getloadavg()
    if server is not None:
        server.terminate()
        server.wait()
    how = "HTTP to gunicorn (1 worker)" if args.http else "Django in-process (test client)"
    print(f"\nmachine: {describe()}")
    print(f"via:     {how}")
    print(f"input:   {len(ids):,} forms in {database()}")
    print(
        "load:    average (1/5/15 min) "
        + " before, ".join(" ".join(f"{v:.2f}" for v in a) for a in (load_before, load_after))
        + " after the timed requests"
    )
    print(
        f"{'user':<8} {'scope':>7} {'page':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8}  target"
    )
    failed = False
    for who, scope, kind, count, p50, q95, top, target in results:
        ok = q95 < target
        failed |= not ok
        print(
            f"{who:<8} {scope:>7,} {kind:<10} {count:>5} {p50:>8.1f} {q95:>8.1f} {top:>8.1f}  "
            f"p95 < {target} ms {'ok' if ok else 'MISSED'}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
