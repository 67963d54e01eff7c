"""Storing 申报表 / 监控表 and finding a project's approved targets (no pages here)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from jixiao.audit import ApprovedTargets
from jixiao.audit.monitoring import july_contradictions
from jixiao.audit.registry import Finding
from jixiao.model import SelfEvaluation
from jixiao.plans import (
    Monitoring,
    TargetDeclaration,
    keep_approved_targets,
    latest_declaration,
    self_evaluation_from,
)
from jixiao.policy import Policy
from jixiao.web import core
from jixiao.web.core import Assessment
from jixiao.web.models import Event, Organisation, Status, stored_project
from jixiao.web.plans.models import PlanRecord

APPROVED_STAGES = (PlanRecord.Stage.APPROVED, PlanRecord.Stage.ADJUSTED)
# A 自评表 started from the approved 申报表: its history, and what the user is told.
FROM_APPROVED = "据批复的绩效目标申报表新建：指标与年度指标值沿用批复"
FROM_APPROVED_NOTE = "已据批复的申报表新建自评表：指标与年度指标值已按批复填好，不能修改。"


def _prepared(organisation: Organisation, doc: TargetDeclaration | Monitoring) -> tuple[str, str]:
    """``doc`` as ``organisation`` keeps it (its 实施单位 and 主管部门 as the unit tree names
    them; a 申报表 without a stage as filed, 申报): its kind and canonical JSON text."""
    doc.unit = organisation.name
    department = organisation.department
    doc.department = department.name if department else doc.department
    if isinstance(doc, TargetDeclaration):
        doc.stage = doc.stage or "申报"
        return PlanRecord.Kind.DECLARATION, json.dumps(doc.to_json_dict(), ensure_ascii=False)
    return PlanRecord.Kind.MONITORING, json.dumps(doc.to_json_dict(), ensure_ascii=False)


def same_stored(
    organisation: Organisation, doc: TargetDeclaration | Monitoring
) -> PlanRecord | None:
    """The stored document of ``organisation`` that is ``doc`` exactly (an import done twice)."""
    kind, document = _prepared(organisation, doc)
    return PlanRecord.objects.filter(
        organisation=organisation,
        kind=kind,
        project=stored_project(doc.project),
        year=doc.year,
        document=document,
    ).first()


def store(
    organisation: Organisation,
    doc: TargetDeclaration | Monitoring,
    user: Any,
    source: str = "",
) -> PlanRecord:
    """Keep ``doc`` for ``organisation``: its 实施单位 and 主管部门 as the unit tree names them;
    a 申报表 without a stage is stored as filed (申报)."""
    kind, document = _prepared(organisation, doc)
    stage = (doc.stage if isinstance(doc, TargetDeclaration) else "") or ""
    approved = stage in APPROVED_STAGES  # imported as approved: nothing left to review
    status = Status.APPROVED if approved else Status.DRAFT
    again = (
        None
        if approved
        else PlanRecord.objects.filter(
            organisation=organisation,
            kind=kind,
            project=stored_project(doc.project),
            year=doc.year,
            adjusts=None,
            status__in=(Status.DRAFT, Status.RETURNED),
        )
        .exclude(stage__in=APPROVED_STAGES)
        .order_by("-id")
        .first()
    )
    if again is not None:  # corrected and imported again while with the unit: replaced
        again.document, again.source, again.updated_by = document, source[:300], user
        again.save(update_fields=["document", "source", "updated_by", "updated_at"])
        record_event(again, user, Event.Kind.IMPORT, f"重新导入自 {source}，替换原内容")
        return again
    record = PlanRecord.objects.create(
        organisation=organisation,
        org_path=organisation.path,
        kind=kind,
        year=doc.year,
        project=stored_project(doc.project),
        stage=stage,
        status=status,
        document=document,
        source=source[:300],
        created_by=user,
        updated_by=user,
    )
    record_event(record, user, Event.Kind.IMPORT, f"导入自 {source}" if source else "")
    return record


def record_event(record: PlanRecord, user: Any, kind: str, comment: str = "") -> Event:
    """One entry of a 申报表's or 监控表's history (an import, a change of its targets)."""
    return Event.objects.create(
        plan=record, user=user, kind=kind, to_status=record.status, comment=comment[:4000]
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
        project=stored_project(project),
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


def started_from_approved(
    organisation: Organisation, project: str, year: int | None
) -> SelfEvaluation | None:
    """A new 自评表 of the project and year taken from its approved 申报表 (the latest 调整,
    else the 批复): indicators, 年度指标值, 年度资金 and 年度目标; None without one."""
    declaration = approved_declaration(organisation, project, year)
    return None if declaration is None else self_evaluation_from(declaration)


def approved_names(organisation: Organisation, form: SelfEvaluation) -> frozenset[str]:
    """The 三级指标 of ``form`` whose 年度指标值 are fixed by an approved 申报表 (the editor
    shows them read-only)."""
    declaration = approved_declaration(organisation, form.project, form.year)
    if declaration is None:
        return frozenset()
    return frozenset(i.name for i in declaration.indicators)


def latest_monitoring(
    organisation: Organisation, project: str, year: int | None
) -> PlanRecord | None:
    """The 监控表 record of a unit's project and year sent up last (送审 at least once and not
    back with the unit: no 草稿, no 退回 one), or None."""
    return (
        PlanRecord.objects.filter(
            organisation=organisation,
            kind=PlanRecord.Kind.MONITORING,
            project=stored_project(project),
            year=year,
        )
        .exclude(status__in=(Status.DRAFT, Status.RETURNED))
        .order_by("-id")
        .first()
    )


def monitoring_label(record: PlanRecord) -> str:
    """Which 监控表 a finding relies on, as the finding says it."""
    source = f"，来源文件：{record.source}" if record.source else ""
    return f"依据第 {record.pk} 号绩效目标执行监控表（{record.get_status_display()}{source}）"


def assess(
    organisation: Organisation, form: SelfEvaluation, pol: Policy | None = None
) -> Assessment:
    """Score and audit ``form`` as stored for ``organisation``: P09 against its approved
    申报表 and M04 against the 监控表 sent up last (a target 完全不可能 in July but scored full
    marks; the finding names that 监控表), when the unit has them; M04's severity is that of
    the policy the form is audited by."""
    record = latest_monitoring(organisation, form.project, form.year)
    monitoring = None if record is None else record.doc
    july: list[Finding] = []
    if record is not None and isinstance(monitoring, Monitoring):
        label = monitoring_label(record)
        july = [
            replace(f, message=f"{f.message}；{label}")
            for f in july_contradictions(form, monitoring, pol or core.policy_for(form))
        ]
    targets = approved_targets(organisation, form.project, form.year)
    return core.assess(form, pol, targets=targets, more=july)


def recheck_after_monitoring(record: PlanRecord) -> int:
    """After a step of a 监控表 (送审, 审核, 退回 …: which one is sent up last, and its state
    the M04 finding names, may have changed), the unit's 自评表 of that project and year
    audited again (:func:`jixiao.web.records.reaudit`, each by its own policy), so M04 holds
    for a 自评表 saved before the 监控表 was sent up; the number whose findings changed."""
    if record.kind != PlanRecord.Kind.MONITORING:
        return 0
    from jixiao.web.models import EvaluationForm
    from jixiao.web.records import reaudit

    forms = EvaluationForm.objects.filter(
        organisation_id=record.organisation_id, project=record.project, year=record.year
    ).select_related("body", "organisation")
    return sum(1 for obj in forms if reaudit(obj, None))
