"""Storing a form: canonical JSON, summary columns, findings, and the history of changes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.model import (
    FIELD_LABELS,
    FUND_COLUMN_LABELS,
    FUND_ROW_LABELS,
    INDICATOR_LABELS,
    INDICATOR_NUMBER_LABELS,
    FormFileError,
    SelfEvaluation,
)
from jixiao.policy import Policy
from jixiao.web import form_cache
from jixiao.web.core import Assessment
from jixiao.web.models import (
    EvaluationForm,
    Event,
    FormDocument,
    FormFinding,
    FormView,
    Organisation,
    Status,
    document_notes,
    form_from_document,
    hundredths,
    stored_project,
)
from jixiao.web.plans.store import assess

IGNORED = ("source", "gaps", "index", "unmapped")
HEAD_LABELS = {**FIELD_LABELS, "layout": "版式"}
ROW_LABELS = {**INDICATOR_LABELS, **INDICATOR_NUMBER_LABELS}


def _flatten(data: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """path → (Chinese label, value as text) for every field a user can change, in the
    form's words: the layout's added fund rows and columns, indicator columns (by their
    label), 一级指标分值 and check boxes too."""
    out: dict[str, tuple[str, str | None]] = {}

    def text(v: Any) -> str | None:
        return None if v is None else str(v)

    def fund_row(path: str, caption: str, cols: dict[str, Any]) -> None:
        for col, v in (cols or {}).items():
            if col == "extras":
                for label, cell in (v or {}).items():
                    out[f"{path}.extras.{label}"] = (f"{caption}·{label}", text(cell))
            else:
                label = f"{caption}·{FUND_COLUMN_LABELS.get(col, col)}"
                out[f"{path}.{col}"] = (label, text(v))

    for key, value in data.items():
        if key in IGNORED:
            continue
        if key == "funds":
            for row, cols in (value or {}).items():
                if row == "extras":
                    for label, added in (cols or {}).items():
                        fund_row(f"funds.extras.{label}", label, added)
                else:
                    fund_row(f"funds.{row}", FUND_ROW_LABELS.get(row, row), cols)
        elif key == "goals":
            for k, v in (value or {}).items():
                out[f"goals.{k}"] = (FIELD_LABELS.get(f"goals.{k}", k), text(v))
        elif key == "indicators":
            for i, row in enumerate(value or []):
                for k, v in row.items():
                    if k == "extras":
                        for label, cell in (v or {}).items():
                            path = f"indicators[{i}].extras.{label}"
                            out[path] = (f"第{i + 1}行指标·{label}", text(cell))
                        continue
                    label = f"第{i + 1}行指标·{ROW_LABELS.get(k, k)}"
                    out[f"indicators[{i}].{k}"] = (label, text(v))
        elif key == "level1_weights":
            for w in value or []:
                label = w.get("label", "")
                out[f"level1_weights.{label}"] = (f"一级指标分值·{label}", text(w.get("weight")))
        elif key == "checkboxes":
            for box in value or []:
                label = box.get("label", "")
                ticked = "、".join(box.get("checked") or [])
                out[f"checkboxes.{label}"] = (f"{label}（勾选）", ticked)
        elif key == "extras":
            for label, v in (value or {}).items():
                out[f"extras.{label}"] = (label, text(v))
        elif not isinstance(value, dict | list):
            out[key] = (HEAD_LABELS.get(key, key), text(value))
    return out


def _same(a: str | None, b: str | None) -> bool:
    if a == b:
        return True
    if a is None or b is None:
        return False
    try:
        return Decimal(a) == Decimal(b)
    except ArithmeticError:
        return False


def changes(old: SelfEvaluation | None, new: SelfEvaluation) -> list[dict[str, Any]]:
    """Every field that differs: path, label, old and new text (numbers compared as numbers)."""
    return _changes(old.to_json_dict() if old else {}, new.to_json_dict())


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """:func:`changes` of two forms' canonical JSON objects (``to_json_dict``)."""
    before = _flatten(old)
    after = _flatten(new)
    out = []
    for path in list(before) + [p for p in after if p not in before]:
        label, was = before.get(path, (after.get(path, (path, None))[0], None))
        now = after.get(path, (label, None))[1]
        if not _same(was, now):
            out.append({"field": path, "label": label, "old": was, "new": now})
    return out


class EditConflict(Exception):
    """The form was saved by someone else since the editor opened it (its version moved)."""


@dataclass
class Prepared:
    """A form ready to be stored: its summary row (unsaved), its canonical JSON and its
    findings as stored (:meth:`jixiao.audit.Finding.to_dict`)."""

    obj: EvaluationForm
    document: str
    findings: list[dict[str, Any]]
    # the form and its assessment under its own policy, when they were computed to store it:
    # the page's parts are drawn from them (not scored again)
    scored: tuple[SelfEvaluation, Assessment] | None = None

    @cached_property
    def findings_json(self) -> str:
        """The findings as stored (made once: the body and the page's parts both hold it)."""
        return json.dumps(self.findings, ensure_ascii=False, default=str)

    def body(self) -> FormDocument:
        return FormDocument(form=self.obj, document=self.document, findings_json=self.findings_json)

    def view(self, inflation: int | None) -> FormView:
        """The form page's parts (web/form_cache.py) drawn from what is stored: its
        document, findings and ``inflation`` (the summary column, ``obj`` saved)."""
        form, scored = self.scored or (None, None)
        return form_cache.drawn(
            self.obj.pk, self.document, self.findings_json, inflation, form, scored
        )

    def finding_rows(self) -> list[FormFinding]:
        obj = self.obj
        return [
            FormFinding(
                form=obj,
                org_path=obj.org_path,
                rule=str(f.get("rule", ""))[:10],
                severity=str(f.get("severity", ""))[:10],
                title=str(f.get("title") or f.get("message", ""))[:200],
            )
            for f in self.findings
        ]


def _columns(organisation: Organisation, form: SelfEvaluation, a: Assessment) -> dict[str, Any]:
    """The summary columns of ``form`` and its assessment, by field name."""
    card = a.card
    declared = card.total.declared
    computed = card.total.computed
    rate = card.rate.computed
    grade = card.grade.computed
    return {
        "org_path": organisation.path,
        "year": form.year,
        "project": stored_project(form.project),
        "unit_name": form.unit[:200],
        "declared_total": hundredths(declared) if isinstance(declared, Decimal) else None,
        "computed_total": hundredths(computed) if isinstance(computed, Decimal) else None,
        "rate": hundredths(rate) if isinstance(rate, Decimal) else None,
        "budget": hundredths(form.funds.total.adjusted),
        "inflation": hundredths(a.inflation),
        "declared_grade": (form.grade or "")[:10],
        "computed_grade": grade[:10] if isinstance(grade, str) else "",
        "errors": a.errors,
        "warnings": a.warnings,
        "findings_count": len(a.findings),
    }


def _fill(obj: EvaluationForm, form: SelfEvaluation, a: Assessment) -> Prepared:
    """Set ``obj``'s summary columns from ``form`` and its assessment."""
    for name, value in _columns(obj.organisation, form, a).items():
        setattr(obj, name, value)
    document = json.dumps(form.to_json_dict(), ensure_ascii=False)
    return Prepared(obj, document, a.findings_data())


def header_from_tree(organisation: Organisation, form: SelfEvaluation) -> None:
    """Set the form's 实施单位 and 主管部门 as the unit tree names them (not as typed or
    imported): every form stored through ``build``, ``create`` or ``update`` gets them."""
    department = organisation.department
    form.unit = organisation.name
    form.department = department.name if department else ""


def existing(organisation: Organisation, form: SelfEvaluation) -> EvaluationForm | None:
    """The stored form of ``organisation`` with ``form``'s year and 项目名称, if any (a unit
    keeps one form per project and year)."""
    return EvaluationForm.objects.filter(
        organisation=organisation, year=form.year, project=stored_project(form.project)
    ).first()


def build(organisation: Organisation, form: SelfEvaluation, **fields: Any) -> Prepared:
    """An unsaved form with its summary columns, document and findings (for bulk loading)."""
    header_from_tree(organisation, form)
    a = assess(organisation, form)
    prepared = _fill(EvaluationForm(organisation=organisation, **fields), form, a)
    prepared.scored = (form, a)
    return prepared


@transaction.atomic
def create(
    organisation: Organisation,
    form: SelfEvaluation,
    user: Any,
    kind: str = Event.Kind.CREATE,
    comment: str = "",
) -> EvaluationForm:
    """Store a new form for ``organisation`` and record how it came."""
    prepared = build(organisation, form, status=Status.DRAFT, updated_by=user)
    obj = prepared.obj
    obj.save()
    obj.body = prepared.body()
    obj.body.save()
    form_cache.keep([prepared.view(obj.inflation)])
    FormFinding.objects.bulk_create(prepared.finding_rows())
    Event.objects.create(form=obj, user=user, kind=kind, to_status=obj.status, comment=comment)
    return obj


def update(
    obj: EvaluationForm,
    form: SelfEvaluation,
    user: Any,
    version: int,
    stored: SelfEvaluation | None = None,
) -> list[dict[str, Any]]:
    """Replace the form's document if it is still at ``version`` (the version the editor
    opened); record each changed field. Returns the changes. ``stored``: the form as read
    with ``obj`` (``obj.form``), when the caller has it parsed already.

    The check and the write are one: ``UPDATE … SET version = version + 1, <the summary
    columns, updated_by, updated_at> WHERE id = … AND version = …`` counts its rows inside
    the transaction (the row stays locked until the end), so of two saves from the same
    version exactly one wins; the other raises :class:`EditConflict` and writes nothing.
    The row's other columns (status, unit) are not written, so a status changed meanwhile
    (a 送审 in another tab; status changes leave the version) stays. The form is scored,
    audited, compared with the stored one and written out as JSON before the transaction,
    so the lock (on SQLite the whole database's) is held for the writes only. A stored
    form's document is written by this function alone, always with its version moved on
    (versions only grow): when ``obj`` was read at ``version`` and the check wins, the
    document read with ``obj`` is still the stored one, and is not read again.
    """
    header_from_tree(obj.organisation, form)
    assessment = assess(obj.organisation, form)
    after = form.to_json_dict()
    known: tuple[list[dict[str, Any]], list[str]] | None = None
    if obj.version == version:  # the stored document is the one read with obj (see above)
        before = stored if stored is not None else obj.form
        known = (_changes(before.to_json_dict(), after), document_notes(obj.document))
    columns = _columns(obj.organisation, form, assessment)
    document = json.dumps(after, ensure_ascii=False)
    prepared = Prepared(obj, document, assessment.findings_data(), (form, assessment))
    # the page's parts drawn from what will be stored, before the transaction too (the
    # summary columns are set on obj only once the version check has won)
    view = prepared.view(columns["inflation"])
    with transaction.atomic():
        return _update(obj, form, user, version, (columns, prepared, view), known)


def _update(
    obj: EvaluationForm,
    form: SelfEvaluation,
    user: Any,
    version: int,
    written: tuple[dict[str, Any], Prepared, FormView],
    known: tuple[list[dict[str, Any]], list[str]] | None,
) -> list[dict[str, Any]]:
    columns, prepared, view = written
    row = {**columns, "updated_by": user, "updated_at": timezone.now()}
    # the check and the form's own columns in one statement (rolled back below when
    # nothing changed); the rest of the row (status, unit, times of creation) is not written
    won = EvaluationForm.objects.filter(pk=obj.pk, version=version).update(
        version=version + 1, **row
    )
    if not won:
        raise EditConflict(obj.pk)
    if known is None:  # obj was read at another version: the stored document, read now
        current = FormDocument.objects.get(form_id=obj.pk)
        known = (
            changes(form_from_document(current.document), form),
            document_notes(current.document),
        )
    diff, cleaned = known  # cleaned: stored with control characters, so rewritten
    if not diff and not cleaned:
        transaction.set_rollback(True)  # nothing changed: the version stays
        return []
    # the findings as read with obj (before body(): a new FormDocument(form=obj) replaces it)
    # and the unit's place in the tree, which the finding rows carry
    read = obj.body.findings_json
    moved = obj.org_path != row["org_path"]
    for name, value in row.items():
        setattr(obj, name, value)
    obj.version = version + 1
    body = prepared.body()
    documents = FormDocument.objects.filter(form_id=obj.pk)
    # the same findings as read: their rows stay as they are, one statement instead of
    # three, if the stored ones are still those (compared by the statement, in the
    # transaction: a re-audit since the read has changed them)
    kept = (
        not moved
        and body.findings_json == read
        and documents.filter(findings_json=read).update(document=body.document)
    )
    if not kept:
        documents.update(document=body.document, findings_json=body.findings_json)
        FormFinding.objects.filter(form=obj).delete()
        FormFinding.objects.bulk_create(prepared.finding_rows())
    form_cache.keep([view])
    obj.body = body
    Event.objects.create(
        form=obj,
        user=user,
        kind=Event.Kind.EDIT,
        changes_json=json.dumps(diff, ensure_ascii=False),
        comment="；".join(cleaned),
    )
    return diff


@transaction.atomic
def bulk_create(prepared: list[Prepared]) -> None:
    """Save many built forms and their findings at once (demo data, benchmarks)."""
    objs = [p.obj for p in prepared]
    EvaluationForm.objects.bulk_create(objs, batch_size=500)
    FormDocument.objects.bulk_create([p.body() for p in prepared], batch_size=500)
    form_cache.keep(p.view(p.obj.inflation) for p in prepared)
    rows = [r for p in prepared for r in p.finding_rows()]
    FormFinding.objects.bulk_create(rows, batch_size=2000)
    Event.objects.bulk_create(
        [Event(form=o, kind=Event.Kind.IMPORT, to_status=o.status) for o in objs], batch_size=2000
    )


# The summary columns ``_fill`` sets from a form and its assessment.
SUMMARY_COLUMNS = (
    "org_path",
    "year",
    "project",
    "unit_name",
    "declared_total",
    "computed_total",
    "rate",
    "budget",
    "inflation",
    "declared_grade",
    "computed_grade",
    "errors",
    "warnings",
    "findings_count",
)


def reaudit(obj: EvaluationForm, policy: Policy | None, dry_run: bool = False) -> bool | None:
    """Audit a stored form (with ``body`` and ``organisation``) again under ``policy`` (None:
    the form's own, :func:`jixiao.web.core.basis`) and
    store its findings and summary columns if they changed: True when they did, False when
    not, None when the form was saved since ``obj`` was read (its save audited it; nothing
    written). The document, version, times and history stay as they are."""
    form = obj.form
    before = {c: getattr(obj, c) for c in SUMMARY_COLUMNS}
    stored = obj.body.findings_json  # before body(): a new FormDocument(form=obj) replaces it
    document = obj.body.document  # stays as stored (prepared's is the form written anew)
    prepared = _fill(obj, form, assess(obj.organisation, form, policy))
    after = {c: getattr(obj, c) for c in SUMMARY_COLUMNS}
    findings_json = prepared.body().findings_json
    if before == after and stored == findings_json:
        return False
    if dry_run:
        return True
    view = form_cache.drawn(obj.pk, document, findings_json, after["inflation"], form)
    with transaction.atomic():
        won = EvaluationForm.objects.filter(pk=obj.pk, version=obj.version).update(**after)
        if not won:
            return None
        FormDocument.objects.filter(form_id=obj.pk).update(findings_json=findings_json)
        FormFinding.objects.filter(form_id=obj.pk).delete()
        FormFinding.objects.bulk_create(prepared.finding_rows())
        form_cache.keep([view])
    obj.body.document = document
    obj.body.findings_json = findings_json
    return True


@dataclass
class ReauditCounts:
    """What a re-audit did (see :func:`reaudit_batch`)."""

    forms: int = 0
    changed: int = 0
    skipped: int = 0  # saved meanwhile
    cleaned: int = 0  # documents read without control characters
    problems: list[str] = field(default_factory=list)  # forms that could not be read

    def add(self, other: ReauditCounts) -> None:
        self.forms += other.forms
        self.changed += other.changed
        self.skipped += other.skipped
        self.cleaned += other.cleaned
        self.problems += other.problems

    def summary(self, policy: str, dry_run: bool) -> str:
        """One Chinese line for the command's end."""
        parts = [f"{self.changed} 张的审核结果有变化" + ("（试运行，未写入）" if dry_run else "")]
        if self.skipped:
            parts.append(f"{self.skipped} 张在审核期间被保存（保存时已审核，未改动）")
        if self.cleaned:
            parts.append(f"{self.cleaned} 张含不允许的控制字符（去掉后审核，保存时即清除）")
        if self.problems:
            parts.append(f"{len(self.problems)} 张无法读取（未重新审核）")
        return f"已重新审核 {self.forms} 张表（评分口径：{policy}）：" + "，".join(parts) + "。"


def reaudit_batch(
    ids: Sequence[int], policy: Policy | None, dry_run: bool = False
) -> ReauditCounts:
    """Re-audit the forms with ``ids`` (one batch: read together, each written on its own)."""
    counts = ReauditCounts()
    forms = EvaluationForm.objects.filter(pk__in=ids).select_related("organisation", "body")
    for obj in forms.order_by("id"):
        counts.forms += 1
        try:
            counts.cleaned += bool(obj.document_notes)
            done = reaudit(obj, policy, dry_run)
        except FormFileError as err:
            counts.problems.append(f"#{obj.pk}“{obj.project}”：{err}")
            continue
        if done is None:
            counts.skipped += 1
        elif done:
            counts.changed += 1
    return counts
