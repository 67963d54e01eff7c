"""How far a round has got: each listed project matched to its form, counted by stage.

A listed project counts as reported by the form of that unit with the round's year and the
same 项目名称 (whitespace removed); that unit's other forms of the year are 名单外. A form is
草稿 if draft, 被退回 if returned, 审核通过 if approved and 审核中 in any review state (so this
holds for every review chain). Submitted (N of M) = 审核中 + 审核通过.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from jixiao.web.models import EvaluationForm, Organisation
from jixiao.web.plans.models import PlanRecord
from jixiao.web.rounds.models import Round, RoundProject, RoundUnit, project_key

NOT_STARTED, DRAFT, REVIEW, RETURNED, APPROVED = (
    "not_started",
    "draft",
    "review",
    "returned",
    "approved",
)
STAGES: tuple[tuple[str, str], ...] = (
    (NOT_STARTED, "未开始"),
    (DRAFT, "草稿"),
    (REVIEW, "审核中"),
    (RETURNED, "被退回"),
    (APPROVED, "审核通过"),
)
STAGE_LABELS = dict(STAGES)
SUBMITTED = frozenset({REVIEW, APPROVED})
# Among several forms for one project, the one furthest along stands for it.
_RANK = {DRAFT: 1, RETURNED: 2, REVIEW: 3, APPROVED: 4}


def stage(status: str) -> str:
    """The progress stage of a form's workflow state."""
    if status in (DRAFT, RETURNED, APPROVED):
        return status
    return REVIEW


def today(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


@dataclass
class Item:
    """A listed project with its form (None: 未开始), or a form outside the list."""

    project: RoundProject | None
    form: EvaluationForm | None
    stage: str
    name: str
    declaration: PlanRecord | None = None  # its 申报表 furthest along
    monitoring: PlanRecord | None = None  # its 监控表 furthest along

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def declaration_label(self) -> str:
        return STAGE_LABELS[stage(self.declaration.status)] if self.declaration else "未导入"

    @property
    def monitoring_label(self) -> str:
        return STAGE_LABELS[stage(self.monitoring.status)] if self.monitoring else "未导入"


def _counts() -> dict[str, int]:
    return dict.fromkeys(STAGE_LABELS, 0)


@dataclass
class Tally:
    """Counts by stage, expected M and submitted N, for a unit or a group of units."""

    counts: dict[str, int] = field(default_factory=_counts)
    declared: int = 0  # listed projects whose 申报表 is sent up (审核中 or 审核通过)
    monitored: int = 0  # listed projects whose 监控表 is sent up

    @property
    def expected(self) -> int:
        return sum(self.counts.values())

    @property
    def submitted(self) -> int:
        return sum(self.counts[s] for s in SUBMITTED)

    @property
    def percent(self) -> int:
        return self.submitted * 100 // self.expected if self.expected else 0

    @property
    def stage_counts(self) -> list[tuple[str, str, int]]:
        return [(key, label, self.counts[key]) for key, label in STAGES]

    def add(self, other: Tally) -> None:
        for key, n in other.counts.items():
            self.counts[key] += n
        self.declared += other.declared
        self.monitored += other.monitored


@dataclass
class UnitProgress(Tally):
    unit: Organisation | None = None
    department: Organisation | None = None
    deadline: datetime.date | None = None
    today: datetime.date | None = None
    items: list[Item] = field(default_factory=list)
    unlisted: list[Item] = field(default_factory=list)

    @property
    def days_left(self) -> int:
        assert self.deadline is not None and self.today is not None
        return (self.deadline - self.today).days

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def overdue(self) -> bool:
        """The deadline has passed and not every listed project is submitted."""
        return self.days_left < 0 and self.submitted < self.expected

    @property
    def missing(self) -> list[Item]:
        return [i for i in self.items if i.stage == NOT_STARTED]

    declaration_deadline: datetime.date | None = None
    monitoring_deadline: datetime.date | None = None

    def _late(self, deadline: datetime.date | None, done: int) -> bool:
        assert self.today is not None
        return deadline is not None and deadline < self.today and done < self.expected

    @property
    def declaration_overdue(self) -> bool:
        """The 申报截止 has passed and not every listed project's 申报表 is sent up."""
        return self._late(self.declaration_deadline, self.declared)

    @property
    def monitoring_overdue(self) -> bool:
        return self._late(self.monitoring_deadline, self.monitored)


@dataclass
class DepartmentProgress(Tally):
    department: Organisation | None = None
    units: list[UnitProgress] = field(default_factory=list)

    @property
    def overdue_units(self) -> int:
        return sum(1 for u in self.units if u.overdue)


@dataclass
class RoundProgress(Tally):
    round: Round | None = None
    today: datetime.date | None = None
    departments: list[DepartmentProgress] = field(default_factory=list)

    @property
    def units(self) -> list[UnitProgress]:
        return [u for d in self.departments for u in d.units]

    @property
    def overdue_units(self) -> int:
        return sum(d.overdue_units for d in self.departments)

    @property
    def days_left(self) -> int:
        assert self.round is not None and self.today is not None
        return (self.round.deadline - self.today).days

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def _department(unit: Organisation) -> Organisation | None:
    parent = unit.parent
    if parent is not None and parent.kind == Organisation.Kind.DEPARTMENT:
        return parent
    return unit.department


def _plans(unit_ids: list[int], year: int) -> dict[tuple[int, str, str], PlanRecord]:
    """The 申报表 and 监控表 of the units and year, by (unit, kind, project key): the one
    furthest along the chain (among equals the latest)."""
    out: dict[tuple[int, str, str], PlanRecord] = {}
    for p in (
        PlanRecord.objects.filter(organisation_id__in=unit_ids, year=year)
        .only("id", "organisation_id", "kind", "project", "status", "stage", "year")
        .order_by("id")
    ):
        key = (p.organisation_id, p.kind, project_key(p.project))
        held = out.get(key)
        if held is None or _RANK[stage(p.status)] >= _RANK[stage(held.status)]:
            out[key] = p
    return out


def _sent_up(record: PlanRecord | None) -> int:
    return int(record is not None and stage(record.status) in SUBMITTED)


def compute(
    rnd: Round, units: Iterable[RoundUnit], now: datetime.datetime | None = None
) -> RoundProgress:
    """Progress of ``rnd`` over ``units`` (the part of the round the viewer may see)."""
    day = today(now)
    chosen = sorted(units, key=lambda ru: ru.organisation.path)
    ids = [ru.organisation_id for ru in chosen]
    projects: dict[int, list[RoundProject]] = {}
    for p in RoundProject.objects.filter(round=rnd, organisation_id__in=ids).order_by(
        "position", "id"
    ):
        projects.setdefault(p.organisation_id, []).append(p)
    forms: dict[int, dict[str, EvaluationForm]] = {}
    for f in (
        EvaluationForm.objects.filter(organisation_id__in=ids, year=rnd.year)
        .only("id", "organisation_id", "project", "status", "year")
        .order_by("id")
    ):
        by_key = forms.setdefault(f.organisation_id, {})
        key = project_key(f.project)
        held = by_key.get(key)
        if held is None or _RANK[stage(f.status)] > _RANK[stage(held.status)]:
            by_key[key] = f
    plans = _plans(ids, rnd.year)
    result = RoundProgress(round=rnd, today=day)
    by_department: dict[int | None, DepartmentProgress] = {}
    for ru in chosen:
        unit = ru.organisation
        up = UnitProgress(
            unit=unit,
            department=_department(unit),
            deadline=ru.deadline or rnd.deadline,
            today=day,
            declaration_deadline=rnd.declaration_deadline,
            monitoring_deadline=rnd.monitoring_deadline,
        )
        own = forms.get(unit.pk, {})
        listed_keys = set()
        for p in projects.get(unit.pk, []):
            listed_keys.add(p.key)
            form = own.get(p.key)
            item = Item(p, form, stage(form.status) if form else NOT_STARTED, p.name)
            item.declaration = plans.get((unit.pk, PlanRecord.Kind.DECLARATION, p.key))
            item.monitoring = plans.get((unit.pk, PlanRecord.Kind.MONITORING, p.key))
            up.items.append(item)
            up.counts[item.stage] += 1
            up.declared += _sent_up(item.declaration)
            up.monitored += _sent_up(item.monitoring)
        for key, form in own.items():
            if key not in listed_keys:
                up.unlisted.append(Item(None, form, stage(form.status), form.project))
        dept_key = up.department.pk if up.department else None
        group = by_department.get(dept_key)
        if group is None:
            group = by_department[dept_key] = DepartmentProgress(department=up.department)
            result.departments.append(group)
        group.units.append(up)
        group.add(up)
        result.add(up)
    result.departments.sort(key=lambda d: d.department.path if d.department else "")
    return result
