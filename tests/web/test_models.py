"""Storage: the exact canonical JSON, summary columns in hundredths, the tree paths."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from jixiao.model import SelfEvaluation
from jixiao.scoring import score_form
from jixiao.web import core, records
from jixiao.web.models import EvaluationForm, Event, FormFinding, hundredths

pytestmark = pytest.mark.django_db


def test_tree_paths_nest(tree):
    assert tree.finance.path == f"/{tree.finance.pk}/"
    assert tree.chengyun.path == f"/{tree.finance.pk}/{tree.jiangqiao.pk}/{tree.chengyun.pk}/"
    assert tree.chengyun.department == tree.jiangqiao
    assert set(tree.jiangqiao.subtree()) == {tree.jiangqiao, tree.chengyun, tree.shequ}
    assert [a.name for a in tree.shequ.ancestors()] == ["嘉定区财政局", "江桥镇", tree.shequ.name]


def test_document_round_trips_exactly(seed, seed_forms):
    for obj, form in zip(seed, seed_forms, strict=True):
        stored = EvaluationForm.objects.get(pk=obj.pk)
        assert stored.form.to_json_dict() == form.to_json_dict()


def test_large_decimals_survive_the_database(tree, users, seed_forms):
    """SQLite has no exact decimal: the JSON text keeps every digit."""
    form = seed_forms[0].model_copy(deep=True)
    form.funds.total.initial = Decimal("123456789012.123456")
    obj = records.create(tree.chengyun, form, users["filler"])
    back = EvaluationForm.objects.get(pk=obj.pk).form
    assert back.funds.total.initial == Decimal("123456789012.123456")
    assert str(back.funds.total.initial) == "123456789012.123456"


def test_summary_columns_are_the_scorecard_in_hundredths(seed, seed_forms, shanghai):
    first = EvaluationForm.objects.get(pk=seed[0].pk)
    card = score_form(seed_forms[0], shanghai)
    assert first.rate == 8525  # 815.59 / 956.64 → 85.25 %
    assert first.rate_value == Decimal("85.25")
    assert first.computed_total == hundredths(card.total.computed)
    assert first.declared_total == hundredths(seed_forms[0].total_score)
    assert first.year == 2024
    assert first.project == seed_forms[0].project
    assert first.org_path == seed[0].organisation.path


def test_findings_are_the_audits(seed, seed_forms, shanghai):
    a = core.assess(seed_forms[0], shanghai)
    obj = EvaluationForm.objects.get(pk=seed[0].pk)
    assert obj.findings_count == len(a.findings) > 0
    assert obj.findings == [f.to_dict() for f in a.findings]
    rules = sorted(FormFinding.objects.filter(form=obj).values_list("rule", flat=True))
    assert rules == sorted(f.rule for f in a.findings)
    assert obj.errors == sum(1 for f in a.findings if f.severity == "error")
    assert obj.inflation == hundredths(a.inflation)


def test_update_records_each_changed_field(seed, users):
    obj = seed[0]
    form = obj.form
    old_actual = form.indicators[0].actual
    form.indicators[0].actual = "≥1.00(个)"
    form.project = "改过的项目名称"
    diff = records.update(obj, form, users["filler"], obj.version)
    fields = {d["field"]: d for d in diff}
    assert set(fields) == {"project", "indicators[0].actual"}
    assert fields["indicators[0].actual"]["old"] == old_actual
    assert fields["indicators[0].actual"]["new"] == "≥1.00(个)"
    assert fields["indicators[0].actual"]["label"] == "第1行指标·实际完成值"
    event = Event.objects.filter(form=obj, kind="edit").get()
    assert json.loads(event.changes_json) == diff
    assert event.user == users["filler"]
    assert EvaluationForm.objects.get(pk=obj.pk).project == "改过的项目名称"


def test_a_save_writes_its_own_columns_and_leaves_a_status_changed_meanwhile(seed, users):
    obj = seed[0]  # read by the save's request, a 草稿
    before = EvaluationForm.objects.get(pk=obj.pk).updated_at
    EvaluationForm.objects.filter(pk=obj.pk).update(status="submitted")  # 送审 in another tab
    form = obj.form
    form.project = "改过的项目名称"
    assert records.update(obj, form, users["unit_reviewer"], obj.version)
    stored = EvaluationForm.objects.get(pk=obj.pk)
    assert stored.status == "submitted"  # not the 草稿 the save read
    assert (stored.project, stored.version, stored.updated_by) == (
        "改过的项目名称",
        2,
        users["unit_reviewer"],
    )
    assert stored.updated_at > before
    assert (obj.project, obj.version, obj.updated_at) == ("改过的项目名称", 2, stored.updated_at)


def test_numbers_compare_as_numbers_in_history(seed, users):
    obj = seed[0]
    form: SelfEvaluation = obj.form
    form.total_weight = Decimal("100.000")  # the same number written differently
    assert records.changes(obj.form, form) == []
    assert records.update(obj, form, users["filler"], obj.version) == []
    assert EvaluationForm.objects.get(pk=obj.pk).version == obj.version == 1


def test_of_two_saves_from_one_version_only_the_first_is_applied(seed, users):
    obj = seed[0]
    mine, theirs = obj.form, obj.form
    theirs.project = "他人的修改"
    mine.project = "我的修改"
    assert records.update(obj, theirs, users["filler"], 1)
    stale = EvaluationForm.objects.get(pk=seed[0].pk)  # any copy: the check is in the UPDATE
    with pytest.raises(records.EditConflict):
        records.update(stale, mine, users["unit_reviewer"], 1)
    saved = EvaluationForm.objects.get(pk=obj.pk)
    assert (saved.project, saved.version) == ("他人的修改", 2)
    assert Event.objects.filter(form=obj, kind="edit").count() == 1
    assert records.update(saved, mine, users["unit_reviewer"], 2)
    assert EvaluationForm.objects.get(pk=obj.pk).version == 3


def test_the_web_does_not_import_the_test_data_generator(tmp_path):
    """Only the demo loader uses jixiao.generate, and only when it runs."""
    code = (
        "import sys, django; django.setup()\n"
        "import jixiao.web.urls, jixiao.web.views, jixiao.web.demo, jixiao.web.serve\n"
        "print('jixiao.generate' in sys.modules)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jixiao.web.settings",
        "JIXIAO_DATA_DIR": str(tmp_path),
        "JIXIAO_SECRET_KEY": "test-only",
    }
    env.pop("DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"
