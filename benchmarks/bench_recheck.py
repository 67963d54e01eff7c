"""抽查复核 at district scale: drawing a 抽查批次 over every submitted form of a year.

Run: ``.venv/bin/python benchmarks/bench_recheck.py [--count 5000]
[--database-url postgres://user:pass@host:5432/name]``.
Input: bench_web's tree (1 财政局, 10 主管部门, 200 预算单位) and ``--count`` generated forms
in its mix of states (those in review or approved are the population). Requests go through
Django's full stack in-process (the test client) as the 财政 user: the preview page of a
seeded random draw of 10 % per 主管部门, of a by-rule draw (most inflated first, 10 per
department), the 确认 that stores the tasks, and the batch page. Figures: the median of
``--repeat`` runs (the 确认 once); the load average shows other work on the machine.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from machine import describe, median_ms  # benchmarks/machine.py

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import database, load, setup_django


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-recheck-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    setup_django(Path(tmp), args.database_url)
    from django.contrib.auth import get_user_model
    from django.test import Client

    from jixiao.web.models import EvaluationForm, Organisation
    from jixiao.web.recheck import draw as drawing
    from jixiao.web.recheck.models import Draw

    load(args.count, args.seed, fresh=True)
    finance = Organisation.objects.get(kind="finance")
    years = Counter(
        EvaluationForm.objects.filter(status__in=drawing.SUBMITTED).values_list("year", flat=True)
    )
    year = years.most_common(1)[0][0]
    population = drawing.population(finance, year).count()
    boss = get_user_model().objects.get(username="finance")
    c = Client()
    c.force_login(boss)
    base = {
        "title": "基准抽查",
        "year": str(year),
        "round": "",
        "reviewer": str(boss.pk),
        "seed": "7",
        "count": "",
        "share": "",
    }
    random_draw = {**base, "method": "random", "share": "10"}
    ranked = {**base, "method": "inflation", "count": "10"}

    def preview(fields: dict[str, str]) -> object:
        r = c.post("/recheck/new/", fields)
        assert r.status_code == 200, r.status_code
        return r

    preview(ranked)  # warm-up: imports, templates, the policy
    print(describe())
    print(f"database: {database()}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"input: {args.count:,} forms, population {population:,} submitted forms of {year}")
    rows = [
        ("preview, random 10 % per 主管部门", lambda: preview(random_draw)),
        ("preview, most inflated 10 per 主管部门", lambda: preview(ranked)),
    ]
    for label, fn in rows:
        print(f"{label:<40} {median_ms(fn, args.repeat):9.1f} ms")
    groups = drawing.by_department(list(drawing.population(finance, year)))
    drawing.draw(groups, "random", share=Decimal("0.1"), seed=7)  # what the preview showed
    expected = [str(obj.pk) for g in groups for obj in g.drawn]
    data = {**random_draw, "confirm": "1", "expected": expected}
    start = time.perf_counter()
    done = c.post("/recheck/new/", data)
    took = (time.perf_counter() - start) * 1000
    assert done.status_code == 302, done.status_code
    d = Draw.objects.get()
    print(f"{'确认 (store the draw and its tasks)':<40} {took:9.1f} ms  ({d.tasks.count()} tasks)")
    print(
        f"{'batch page':<40} {median_ms(lambda: c.get(f'/recheck/{d.pk}/'), args.repeat):9.1f} ms"
    )
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
