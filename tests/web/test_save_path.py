"""A save compares the form with the document read with it when that is the version being
replaced (records.update: no second read in the transaction), and reads the stored document
again otherwise; either way it stores and records exactly what the longer way did."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.web import records
from jixiao.web.models import EvaluationForm, Event, FormFinding

pytestmark = pytest.mark.django_db


def fresh(pk: int) -> EvaluationForm:
    return EvaluationForm.objects.select_related("organisation", "body").get(pk=pk)


def stored_rows(pk: int) -> list[tuple[str, str, str, str]]:
    rows = FormFinding.objects.filter(form_id=pk).order_by("id")
    return [(f.org_path, f.rule, f.severity, f.title) for f in rows]


def test_a_save_at_the_read_version_does_not_read_the_document_again(seed, users):
    obj = fresh(seed[0].pk)
    before = obj.form
    form = obj.form
    form.goals.achieved = "按计划完成全部建设内容"
    form.indicators[0].actual = "12个"
    with CaptureQueriesContext(connection) as captured:
        diff = records.update(obj, form, users["filler"], obj.version, stored=before)
    sql = [q["sql"] for q in captured.captured_queries]
    assert [q for q in sql if "web_formdocument" in q] == [
        next(q for q in sql if q.startswith('UPDATE "web_formdocument"'))
    ]  # written once, never read
    assert {d["field"] for d in diff} == {"goals.achieved", "indicators[0].actual"}

    again = fresh(obj.pk)
    assert again.version == obj.version
    assert again.form.goals.achieved == "按计划完成全部建设内容"
    assert again.body.document == json.dumps(form.to_json_dict(), ensure_ascii=False)
    assert again.findings == json.loads(obj.body.findings_json)
    assert stored_rows(obj.pk) == [
        (again.org_path, f["rule"], f["severity"], f["title"]) for f in again.findings
    ]
    event = Event.objects.filter(form=obj, kind=Event.Kind.EDIT).latest("id")
    assert json.loads(event.changes_json) == diff


def test_a_save_from_an_object_read_at_another_version_compares_with_the_stored_one(seed, users):
    stale = fresh(seed[0].pk)  # read at version v
    other = fresh(seed[0].pk)
    changed = other.form
    changed.goals.achieved = "他人先保存的完成情况"
    records.update(other, changed, users["unit_reviewer"], other.version)  # now v + 1

    form = stale.form
    form.goals.achieved = "他人先保存的完成情况"  # the same text: only the next field differs
    form.goals.expected = "新的预期目标"
    diff = records.update(stale, form, users["filler"], other.version, stored=stale.form)
    # compared with the document stored at v + 1, not with the one read at v
    assert [d["field"] for d in diff] == ["goals.expected"]
    assert fresh(stale.pk).version == other.version + 1
    assert fresh(stale.pk).form.goals.expected == "新的预期目标"


def test_an_unchanged_save_writes_nothing_and_keeps_the_version(seed, users):
    obj = fresh(seed[0].pk)
    version, events = obj.version, Event.objects.count()
    assert records.update(obj, obj.form, users["filler"], version, stored=obj.form) == []
    assert fresh(obj.pk).version == version
    assert Event.objects.count() == events


def test_a_stale_version_is_still_refused(seed, users):
    obj = fresh(seed[0].pk)
    form = obj.form
    form.goals.achieved = "第一次"
    records.update(obj, form, users["filler"], obj.version)
    late = fresh(obj.pk)
    with pytest.raises(records.EditConflict):
        records.update(late, late.form, users["filler"], late.version - 1, stored=late.form)


def test_a_save_rewrites_the_finding_rows_only_when_the_stored_findings_differ(seed, users):
    obj = next(f for f in map(fresh, (s.pk for s in seed)) if f.findings)
    ids = list(FormFinding.objects.filter(form_id=obj.pk).order_by("id").values_list("id"))
    form = obj.form
    form.goals.achieved = "按计划完成全部建设内容"  # a text: the same findings
    with CaptureQueriesContext(connection) as captured:
        records.update(obj, form, users["filler"], obj.version, stored=obj.form)
    assert not [q for q in captured.captured_queries if "web_formfinding" in q["sql"]]
    assert list(FormFinding.objects.filter(form_id=obj.pk).order_by("id").values_list("id")) == ids
    assert fresh(obj.pk).body.document == json.dumps(form.to_json_dict(), ensure_ascii=False)

    # findings stored meanwhile that differ from the save's (a re-audit after the editor's
    # read, same version): compared in the database, so the save's findings are written
    obj = fresh(obj.pk)
    found = obj.findings
    records.FormDocument.objects.filter(form_id=obj.pk).update(findings_json="[]")
    FormFinding.objects.filter(form_id=obj.pk).delete()
    form = obj.form
    form.goals.achieved = "第二次保存"
    records.update(obj, form, users["filler"], obj.version, stored=obj.form)
    again = fresh(obj.pk)
    assert again.findings == found
    assert stored_rows(obj.pk) == [
        (again.org_path, f["rule"], f["severity"], f["title"]) for f in found
    ]
