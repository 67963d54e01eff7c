"""抽查复核 samples: which forms 财政 re-checks, drawn per department (财预〔2020〕10号 第十九条).

A sample is drawn within each 主管部门 by count or by share (rounded up, at least one form),
either at random from a recorded seed, or by rule: the most inflated forms first, or the forms
with the most errors first. The same forms, seed and rule always give the same sample, whatever
the order the forms come in: a department's forms are put in a fixed order (unit, project,
year) before drawing.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any, Literal

from jixiao.articles import SAMPLING_2020
from jixiao.audit import FormAudit, source_span

Method = Literal["random", "inflation", "errors"]
METHODS: dict[str, str] = {
    "random": "随机抽取（记录随机种子）",
    "inflation": "按自评虚高从大到小",
    "errors": "按错误数从多到少",
}
BASIS = SAMPLING_2020.cite


@dataclass(frozen=True)
class Drawn:
    """One sampled form and the figures it was ranked by."""

    project: str
    unit: str
    year: int | None
    inflation: Decimal | None
    errors: int
    source: str | None
    # where the form stood in the sequence given to draw_sample (for callers that keep their
    # own records beside the forms); not part of the sample's identity or its JSON
    index: int = field(default=-1, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "unit": self.unit,
            "year": self.year,
            "inflation": None if self.inflation is None else str(self.inflation),
            "errors": self.errors,
            "source": self.source,
        }


@dataclass(frozen=True)
class DepartmentSample:
    department: str
    population: int
    drawn: list[Drawn]


@dataclass(frozen=True)
class Sample:
    method: Method
    seed: int | None  # the random draw's seed (None for a ranked sample)
    count: int | None
    share: Decimal | None
    departments: list[DepartmentSample]

    def to_dict(self) -> dict[str, Any]:
        return {
            "basis": BASIS,
            "method": self.method,
            "seed": self.seed,
            "count": self.count,
            "share": None if self.share is None else str(self.share),
            "departments": [
                {
                    "department": d.department,
                    "population": d.population,
                    "sample": [x.to_dict() for x in d.drawn],
                }
                for d in self.departments
            ],
        }


def sample_size(population: int, count: int | None, share: Decimal | None) -> int:
    """How many of ``population`` forms to draw: ``count`` (at most all), or ``share`` of them
    rounded up and at least one."""
    if population == 0:
        return 0
    if count is not None:
        return min(count, population)
    if share is None:
        raise ValueError("count or share")
    wanted = (share * population).to_integral_value(rounding=ROUND_CEILING)
    return max(1, min(population, int(wanted)))


def _drawn(a: FormAudit, index: int) -> Drawn:
    f = a.form
    return Drawn(f.label, f.unit, f.year, a.inflation, a.count("error"), source_span(f), index)


def _order(a: FormAudit) -> tuple[str, str, int]:
    f = a.form
    return (f.unit, f.project, f.year or 0)


def draw_sample(
    audits: Sequence[FormAudit],
    method: Method = "random",
    *,
    count: int | None = None,
    share: Decimal | None = None,
    seed: int | None = None,
) -> Sample:
    """The sample of each 主管部门's forms (departments in order of first appearance)."""
    if method == "random" and seed is None:
        seed = secrets.randbelow(10**9)  # recorded in the sample, so the draw can be repeated
    index = {id(a): i for i, a in enumerate(audits)}
    groups: dict[str, list[FormAudit]] = {}
    for a in audits:
        groups.setdefault(a.form.department.strip() or "（未填主管部门）", []).append(a)
    out = []
    for department, members in groups.items():
        members = sorted(members, key=_order)
        k = sample_size(len(members), count, share)
        if method == "random":
            rng = random.Random(f"jixiao.sample:{seed}:{department}")
            chosen = [members[i] for i in sorted(rng.sample(range(len(members)), k))]
        elif method == "inflation":
            low = Decimal("-Infinity")
            chosen = sorted(
                members,
                key=lambda a: -(a.inflation if a.inflation is not None else low),
            )[:k]
        else:
            chosen = sorted(members, key=lambda a: -a.count("error"))[:k]
        out.append(
            DepartmentSample(department, len(members), [_drawn(a, index[id(a)]) for a in chosen])
        )
    return Sample(method, seed if method == "random" else None, count, share, out)
