"""The 部门自评总结报告 of a big 主管部门 on the web: reading the forms with their stored
findings and the round's coverage, then writing Word and PDF (what the job does).

Run: ``.venv/bin/python benchmarks/bench_summary.py [--forms 300] [--units 30]
[--database-url postgres://user:pass@host:5432/name]``.
Input: 1 财政局, one 主管部门 with ``--units`` 预算单位, ``--forms`` generated forms (year 2024,
all 审核通过) stored through ``records.create`` (audited, findings stored), one round listing
every form's project plus one unreported project per unit. SQLite in a fresh temporary
directory, or that PostgreSQL database (flushed: give it one of its own). Figures: the median
of ``--repeat`` runs; the load average before and after shows other work on the machine.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from machine import describe  # benchmarks/machine.py

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web import database, setup_django


def build(forms: int, units: int, seed: int) -> tuple[object, object, object]:
    """The tree, the forms and the round; returns (department, round, finance user)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from jixiao.generate import generate_forms
    from jixiao.web import records
    from jixiao.web.models import EvaluationForm, Organisation, Profile, Role, Status
    from jixiao.web.rounds.models import Round, RoundProject, RoundUnit

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    finance = Organisation.objects.create(name="某区财政局", kind="finance", code="F1")
    dept = Organisation.objects.create(name="某区教育局", kind="department", parent=finance)
    orgs = [
        Organisation.objects.create(name=f"学校{u}", kind="unit", parent=dept, code=f"U{u}")
        for u in range(units)
    ]
    boss = get_user_model().objects.create_user("caizheng")
    Profile.objects.create(user=boss, organisation=finance, role=Role.FINANCE_REVIEWER)
    rnd = Round.objects.create(
        organisation=finance, title="基准任务", year=2024, deadline=datetime.date.today()
    )
    RoundUnit.objects.bulk_create([RoundUnit(round=rnd, organisation=o) for o in orgs])
    listed = []
    for i, form in enumerate(generate_forms(forms, seed=seed)):
        org = orgs[i % units]
        form.year = 2024
        form.project = f"{form.project}{i}"
        records.create(org, form, boss)
        listed.append(RoundProject(round=rnd, organisation=org, name=form.project, position=i))
    listed += [RoundProject(round=rnd, organisation=o, name="未报项目", position=0) for o in orgs]
    for p in listed:
        p.key = "".join(p.name.split())
    RoundProject.objects.bulk_create(listed, batch_size=2000)
    EvaluationForm.objects.update(status=Status.APPROVED)
    return dept, rnd, boss


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=300)
    parser.add_argument("--units", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-summary-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    setup_django(Path(tmp), args.database_url)
    import io

    from pypdf import PdfReader

    from jixiao.render.summary import summary_bytes
    from jixiao.web import summaries

    start = time.perf_counter()
    dept, rnd, boss = build(args.forms, args.units, args.seed)
    loading = time.perf_counter() - start
    selection = summaries.Selection(dept, 2024, rnd, "approved")
    print(describe())
    print(f"database: {database()}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    took, summary = timed(lambda: summaries.build(boss, selection), args.repeat)
    print(
        f"input: 1 主管部门, {args.units} units, {summary.forms} forms, "
        f"{summary.indicators} indicators, {summary.expected} listed projects "
        f"(stored in {loading:.1f} s)"
    )
    print(f"{'figures (read, stored audits, coverage)':<42} {took:8.2f} s")
    for to in ("docx", "pdf"):
        took, data = timed(lambda to=to: summary_bytes(summary, to), args.repeat)
        extra = ""
        if to == "pdf":
            extra = f", {len(PdfReader(io.BytesIO(data)).pages)} pages"
        print(f"{'write ' + to:<42} {took:8.2f} s  ({len(data) / 1024:.0f} KiB{extra})")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
