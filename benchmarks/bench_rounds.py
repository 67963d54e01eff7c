"""填报任务 at district scale: progress, the Excel export, 催报 and 待办 for one round.

Run: ``.venv/bin/python benchmarks/bench_rounds.py [--units 500] [--projects 10]
[--database-url postgres://user:pass@host:5432/name]``.
Input: a tree of 1 财政局, 10 主管部门 and ``--units`` 预算单位; one round listing
``--projects`` projects per unit; forms for 85 % of the listed projects (in the five stages)
plus one 名单外 form per unit, stored as summary rows (progress reads nothing else); one 填报人
per unit. SQLite in a fresh temporary directory, or with ``--database-url`` that PostgreSQL
database (every table of it is flushed: give it one of its own). Requests go through Django's
full stack in-process (the test client). Figures: the median of ``--repeat`` runs; the load
average before and after shows other work on the machine.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from machine import describe, median_ms  # benchmarks/machine.py

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import database, setup_django

STATES = ("draft", "department_review", "approved", "returned")


def build(units: int, projects: int, seed: int) -> tuple[object, object, object]:
    """The tree, users, round and forms; returns (round, finance user, a filler)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from jixiao.web.models import EvaluationForm, Organisation, Profile, Role
    from jixiao.web.rounds.models import Round, RoundProject, RoundUnit

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(seed)
    finance = Organisation.objects.create(name="某区财政局", kind="finance", code="F1")
    depts = [
        Organisation.objects.create(
            name=f"主管部门{d}", kind="department", parent=finance, code=f"D{d}"
        )
        for d in range(10)
    ]
    orgs = [
        Organisation.objects.create(
            name=f"预算单位{u}", kind="unit", parent=depts[u % 10], code=f"U{u}"
        )
        for u in range(units)
    ]
    User = get_user_model()
    boss = User.objects.create_user("caizheng")
    Profile.objects.create(user=boss, organisation=finance, role=Role.FINANCE_REVIEWER)
    fillers = User.objects.bulk_create([User(username=f"tb{o.pk}") for o in orgs])
    Profile.objects.bulk_create(
        [
            Profile(user=u, organisation=o, role=Role.FILLER)
            for u, o in zip(fillers, orgs, strict=True)
        ]
    )
    rnd = Round.objects.create(
        organisation=finance,
        title="基准任务",
        year=2024,
        deadline=datetime.date.today() - datetime.timedelta(days=1),
    )
    RoundUnit.objects.bulk_create([RoundUnit(round=rnd, organisation=o) for o in orgs])
    listed, forms = [], []
    for o in orgs:
        for p in range(projects):
            name = f"{o.name}项目{p}"
            listed.append(RoundProject(round=rnd, organisation=o, name=name, key=name, position=p))
            if rng.random() < 0.85:
                forms.append((o, name, rng.choice(STATES)))
        forms.append((o, f"{o.name}名单外项目", "draft"))
    RoundProject.objects.bulk_create(listed, batch_size=2000)
    EvaluationForm.objects.bulk_create(
        [
            EvaluationForm(organisation=o, org_path=o.path, year=2024, project=n, status=s)
            for o, n, s in forms
        ],
        batch_size=2000,
    )
    return rnd, boss, fillers[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--projects", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-rounds-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    setup_django(Path(tmp), args.database_url)
    from django.test import Client

    from jixiao.web.notifications.models import Notification
    from jixiao.web.rounds.export import progress_workbook
    from jixiao.web.rounds.progress import compute
    from jixiao.web.rounds.remind import remind

    start = time.perf_counter()
    rnd, boss, filler = build(args.units, args.projects, args.seed)
    loading = time.perf_counter() - start
    units = list(rnd.units.select_related("organisation", "organisation__parent"))
    progress = compute(rnd, units)
    print(describe())
    print(f"database: {database()}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(
        f"input: {args.units} units, {progress.expected} listed projects, "
        f"{progress.expected - progress.counts['not_started']} matched forms, "
        f"{sum(len(u.unlisted) for u in progress.units)} 名单外 (built in {loading:.1f} s)"
    )
    c = Client()
    c.force_login(boss)
    f = Client()
    f.force_login(filler)
    rows = [
        ("compute() over every unit", lambda: compute(rnd, units)),
        ("progress page (财政, every unit)", lambda: c.get(f"/rounds/{rnd.pk}/")),
        ("Excel export (财政, every unit)", lambda: progress_workbook(rnd, units)),
        ("待办 (财政)", lambda: c.get("/forms/inbox/")),
        ("待办 (填报人, own unit)", lambda: f.get("/forms/inbox/")),
        (
            "unit page (填报人)",
            lambda: f.get(f"/rounds/{rnd.pk}/units/{filler.profile.organisation_id}/"),
        ),
    ]
    for label, fn in rows:
        print(f"{label:<34} {median_ms(fn, args.repeat):8.1f} ms")
    size = len(progress_workbook(rnd, units))
    print(f"{'Excel export size':<34} {size / 1024:8.1f} KiB")
    start = time.perf_counter()
    reminded = remind(rnd)
    took = (time.perf_counter() - start) * 1000
    notes = Notification.objects.count()
    print(f"{'催报 (once)':<34} {took:8.1f} ms  ({reminded} units, {notes} notifications)")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
