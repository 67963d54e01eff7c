"""``python -m jixiao.web jixiao_reaudit``: stored findings follow the rules and policy in force."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jixiao.web import core, records
from jixiao.web.models import EvaluationForm, Event, FormDocument, FormFinding

pytestmark = pytest.mark.django_db


def _stale(obj: EvaluationForm) -> None:
    """What an older rule set could have left: no findings, no errors, another grade."""
    FormDocument.objects.filter(form=obj).update(findings_json="[]")
    FormFinding.objects.filter(form=obj).delete()
    EvaluationForm.objects.filter(pk=obj.pk).update(
        errors=0, warnings=0, findings_count=0, computed_grade="差"
    )


def _state(pk: int) -> tuple[object, ...]:
    obj = EvaluationForm.objects.select_related("body").get(pk=pk)
    return (
        obj.errors,
        obj.warnings,
        obj.findings_count,
        obj.computed_grade,
        obj.body.findings_json,
        FormFinding.objects.filter(form=obj).count(),
        obj.version,
        obj.updated_at,
    )


def test_stale_findings_are_audited_again_in_batches(seed):
    fresh = {o.pk: _state(o.pk) for o in seed}
    assert all(s[2] > 0 for s in fresh.values())  # the seed forms have findings
    for obj in seed[:4]:
        _stale(obj)
    events = Event.objects.count()
    out = StringIO()
    call_command("jixiao_reaudit", "--batch-size", "2", stdout=out)
    text = out.getvalue()
    assert "已重新审核 9 张表" in text
    assert "4 张的审核结果有变化" in text
    assert "第 5 批" in text  # 9 forms, 2 a batch
    # every form is as a save would have left it; versions, times and history unchanged
    assert {o.pk: _state(o.pk) for o in seed} == fresh
    assert Event.objects.count() == events
    # nothing stale is left: a second run changes nothing
    out = StringIO()
    call_command("jixiao_reaudit", stdout=out)
    assert "0 张的审核结果有变化" in out.getvalue()


def test_dry_run_counts_without_writing(seed):
    _stale(seed[0])
    before = _state(seed[0].pk)
    out = StringIO()
    call_command("jixiao_reaudit", "--dry-run", stdout=out)
    assert "1 张的审核结果有变化" in out.getvalue() and "未写入" in out.getvalue()
    assert _state(seed[0].pk) == before


def test_another_policy_changes_what_it_changes(seed, settings):
    out = StringIO()
    call_command("jixiao_reaudit", "--policy", "mof-2020", stdout=out)
    # the summary columns now follow mof-2020: as assess() under that policy computes them
    policy = core.policy("mof-2020")
    for obj in EvaluationForm.objects.select_related("body"):
        a = core.assess(obj.form, policy)
        assert obj.errors == a.errors and obj.findings_count == len(a.findings)
        assert json.loads(obj.body.findings_json) == json.loads(
            json.dumps(a.findings_data(), ensure_ascii=False, default=str)
        )
    with pytest.raises(CommandError, match="没有这个评分口径"):
        call_command("jixiao_reaudit", "--policy", "no-such", stdout=StringIO())


def test_a_form_saved_meanwhile_is_left_to_its_save(seed, users):
    stale = EvaluationForm.objects.select_related("organisation", "body").get(pk=seed[0].pk)
    _stale(stale)
    stale = EvaluationForm.objects.select_related("organisation", "body").get(pk=seed[0].pk)
    form = stale.form
    form.goals.achieved += "（补充）"
    records.update(EvaluationForm.objects.get(pk=stale.pk), form, users["filler"], stale.version)
    saved = _state(stale.pk)
    assert records.reaudit(stale, core.policy()) is None  # its version moved: nothing written
    assert _state(stale.pk) == saved
