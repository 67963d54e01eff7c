"""Storing 申报表 / 监控表 and finding a project's approved targets (no pages here)."""

from __future__ import annotations

import json
from typing import Any

from jixiao.audit import ApprovedTargets
from jixiao.model import SelfEvaluation
from jixiao.plans import (
    Monitoring,
    TargetDeclaration,
    keep_approved_targets,
    latest_declaration,
)
from jixiao.web import core
from jixiao.web.core import Assessment
from jixiao.web.models import Organisation
from jixiao.web.plans.models import PlanRecord

APPROVED_STAGES = (PlanRecord.Stage.APPROVED, PlanRecord.Stage.ADJUSTED)


def store(
    organisation: Organisation,
    doc: TargetDeclaration | Monitoring,
    user: Any,
    source: str = "",
) -> PlanRecord:
    """Keep ``doc`` for ``organisation``: its 实施单位 and 主管部门 as the unit tree names them;
    a 申报表 without a stage is stored as filed (申报)."""
    doc.unit = organisation.name
    department = organisation.department
    doc.department = department.name if department else doc.department
    kind = (
        PlanRecord.Kind.DECLARATION
        if isinstance(doc, TargetDeclaration)
        else PlanRecord.Kind.MONITORING
    )
    stage = ""
    if isinstance(doc, TargetDeclaration):
        doc.stage = doc.stage or "申报"
        stage = doc.stage
    return PlanRecord.objects.create(
        organisation=organisation,
        org_path=organisation.path,
        kind=kind,
        year=doc.year,
        project=doc.project[:300],
        stage=stage,
        document=json.dumps(doc.to_json_dict(), ensure_ascii=False),
        source=source[:300],
        created_by=user,
    )


def declaration_of(record: PlanRecord) -> TargetDeclaration:
    doc = record.doc
    assert isinstance(doc, TargetDeclaration)
    doc.stage = record.stage or None  # type: ignore[assignment]
    return doc


def approved_declaration(
    organisation: Organisation, project: str, year: int | None
) -> TargetDeclaration | None:
    """The approved 申报表 of a unit's project and year: its latest 调整, else its 批复."""
    records = PlanRecord.objects.filter(
        organisation=organisation,
        kind=PlanRecord.Kind.DECLARATION,
        project=project[:300],
        stage__in=APPROVED_STAGES,
    ).order_by("id")
    if year is not None:
        records = records.filter(year=year)
    declarations = [declaration_of(r) for r in records]
    return latest_declaration(declarations, project, year) if declarations else None


def approved_targets(
    organisation: Organisation, project: str, year: int | None
) -> ApprovedTargets | None:
    """What P09 compares a saved form with: its approved 申报表, or None without one."""
    declaration = approved_declaration(organisation, project, year)
    return None if declaration is None else ApprovedTargets.from_declarations([declaration])


def restore_targets(organisation: Organisation, form: SelfEvaluation) -> list[str]:
    """The 年度指标值 of ``form`` set back to its approved 申报表's (a 自评 cannot lower its
    targets); the indicators whose value was restored."""
    declaration = approved_declaration(organisation, form.project, form.year)
    return [] if declaration is None else keep_approved_targets(form, declaration)


def approved_names(organisation: Organisation, form: SelfEvaluation) -> frozenset[str]:
    """The 三级指标 of ``form`` whose 年度指标值 are fixed by an approved 申报表 (the editor
    shows them read-only)."""
    declaration = approved_declaration(organisation, form.project, form.year)
    if declaration is None:
        return frozenset()
    return frozenset(i.name for i in declaration.indicators)


def assess(organisation: Organisation, form: SelfEvaluation) -> Assessment:
    """Score and audit ``form`` with its approved 申报表's targets (P09) when it has one."""
    return core.assess(form, targets=approved_targets(organisation, form.project, form.year))
