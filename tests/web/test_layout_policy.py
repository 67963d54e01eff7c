"""The web scores and audits each form by its own layout and region, as ``jixiao score
--policy auto`` does (the same choice, :func:`jixiao.layouts.choose`); ``JIXIAO_POLICY``
set to one policy forces it on every form. The form page names the 评分口径 it used."""

from __future__ import annotations

import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from typer.testing import CliRunner

from jixiao.audit import audit_forms
from jixiao.cli import app
from jixiao.layouts import choose
from jixiao.model import dump_forms
from jixiao.policy import load_policy
from jixiao.scoring import score_form
from jixiao.web import core, exports, records, summaries
from jixiao.web.models import EvaluationForm, hundredths
from jixiao.web.summaries import Selection

from .conftest import login
from .layout_forms import hebei_form, hubei_form, regions

runner = CliRunner()


@pytest.fixture
def places(tree):
    return regions(tree.finance)


def _cli_score(obj: EvaluationForm, tmp_path) -> dict:
    """``jixiao score --format json`` (its default policy: auto) of the stored form."""
    path = tmp_path / f"{obj.pk}.json"
    path.write_text(dump_forms([obj.form]), encoding="utf-8")
    result = runner.invoke(app, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["forms"][0]["scorecard"]


def test_each_form_is_scored_and_audited_by_its_layout_and_region(
    users, seed, places, tmp_path
) -> None:
    hubei = records.create(places.hubei, hubei_form(), users["admin"])
    baoshan = records.create(places.baoshan, hubei_form(), users["admin"])
    hebei = records.create(places.hebei, hebei_form(), users["admin"])
    expected = {
        seed[0].pk: "shanghai",  # the seed unit is in 上海
        hubei.pk: "hubei",
        baoshan.pk: "yunnan-baoshan",  # the 20-point layout's regional policy
        hebei.pk: "hebei",
    }
    for pk, name in expected.items():
        obj = EvaluationForm.objects.select_related("body").get(pk=pk)
        form = obj.form
        assert choose(form).policy.name == name
        # the stored summary columns are what jixiao score --policy auto computes
        card = _cli_score(obj, tmp_path)
        assert card["policy"] == name
        assert obj.computed_total == hundredths(score_form(form, load_policy(name)).total.computed)
        assert str(obj.computed_total / 100) == str(float(card["total"]["computed"]))
        assert obj.rate == hundredths(score_form(form, load_policy(name)).rate.computed)
        # and the stored findings are the audit under that policy
        (audited,) = audit_forms([form], load_policy(name))
        assert sorted(f["rule"] for f in obj.findings) == sorted(f.rule for f in audited.findings)
    # each regional form adds up under its own rules: total and grade match, no X/W errors
    assert EvaluationForm.objects.get(pk=hubei.pk).computed_total == 9992
    assert EvaluationForm.objects.get(pk=hubei.pk).declared_total == 9992
    assert EvaluationForm.objects.get(pk=hebei.pk).computed_total == 2300


def test_the_form_page_says_which_policy_was_used(users, seed, places) -> None:
    hubei = records.create(places.hubei, hubei_form(), users["admin"])
    baoshan = records.create(places.baoshan, hubei_form(), users["admin"])
    c = login(users["admin"])
    page = c.get(f"/forms/{hubei.pk}/").content.decode()
    assert "评分口径：湖北省口径（预算执行 20 分）；依据：版式所定的口径" in page
    assert "版式：项目支出绩效自评表（预算执行 20 分）（表上注明的版式）" in page
    page = c.get(f"/forms/{baoshan.pk}/").content.decode()
    assert "评分口径：云南省保山市口径（预算执行 20 分，无门槛）；依据：云南省保山市单位" in page
    page = c.get(f"/forms/{seed[0].pk}/").content.decode()
    assert "评分口径：上海市口径（嘉定区 2024 年自评表所示）" in page
    # the editor's panel says it too
    page = c.get(f"/forms/{hubei.pk}/edit/").content.decode()
    assert "评分口径：湖北省口径（预算执行 20 分）" in page


def test_a_policy_set_in_the_settings_is_forced_on_every_form(
    users, seed, places, settings
) -> None:
    settings.JIXIAO_POLICY = "mof-2020"
    mof, shanghai = load_policy("mof-2020"), load_policy("shanghai")
    obj = records.create(places.hubei, hubei_form(), users["admin"])
    obj = EvaluationForm.objects.select_related("body").get(pk=obj.pk)
    form = obj.form
    assert core.policy_for(form).name == "mof-2020"
    assert core.stored_assessment(form, obj.findings, None).card.policy == "mof-2020"
    (audited,) = audit_forms([form], mof)
    assert sorted(f["rule"] for f in obj.findings) == sorted(f.rule for f in audited.findings)
    page = login(users["admin"]).get(f"/forms/{obj.pk}/").content.decode()
    assert "评分口径：财政部 财预〔2020〕10号 全国默认口径；依据：系统设定的统一口径" in page

    # the seed forms, stored under auto (shanghai), re-audited under the forced policy …
    out = StringIO()
    call_command("jixiao_reaudit", stdout=out)
    assert "评分口径：mof-2020" in out.getvalue()
    rates = dict(
        EvaluationForm.objects.filter(pk__in=[o.pk for o in seed]).values_list("pk", "rate")
    )
    under = {name: {} for name in ("mof", "shanghai")}
    for o in EvaluationForm.objects.select_related("body").filter(pk__in=rates):
        under["mof"][o.pk] = hundredths(score_form(o.form, mof).rate.computed)
        under["shanghai"][o.pk] = hundredths(score_form(o.form, shanghai).rate.computed)
    assert rates == under["mof"] and under["mof"] != under["shanghai"]
    # … and back to auto: a re-audit without --policy scores each form by its own again
    settings.JIXIAO_POLICY = "auto"
    out = StringIO()
    call_command("jixiao_reaudit", stdout=out)
    assert "每张表按其版式与地区自动选择" in out.getvalue()
    rates = dict(EvaluationForm.objects.filter(pk__in=rates).values_list("pk", "rate"))
    assert rates == under["shanghai"]


def test_exports_and_the_summary_use_each_forms_policy(tree, users, seed, places) -> None:
    hubei = records.create(places.hubei, hubei_form(), users["admin"])
    objs = list(EvaluationForm.objects.select_related("body").filter(pk__in=[hubei.pk, seed[0].pk]))
    audits = exports.stored_audits(objs)
    assert {a.form.project: a.scorecard.policy for a in audits} == {
        o.form.project: ("hubei" if o.pk == hubei.pk else "shanghai") for o in objs
    }
    hubei_card = next(a.scorecard for a in audits if a.scorecard.policy == "hubei")
    assert hubei_card.execution_weight == 20 and hubei_card.total.computed == D("99.92")
    # a batch is headed with the most frequent policy (the nine seed forms: shanghai)
    every = [o.form for o in EvaluationForm.objects.select_related("body")]
    each, head = core.batch_policies(every)
    assert head.name == "shanghai" and sorted({p.name for p in each}) == ["hubei", "shanghai"]
    # the 总结报告 of the whole tree: each form's total under its own policy
    report = summaries.build(users["admin"], Selection(tree.finance, 2024, None, "all"))
    assert report.policies == ["shanghai", "hubei"]
    totals = {p.project: p.computed_total for p in report.projects}
    assert totals[hubei.project] == D("99.92")
    for obj in seed:
        assert totals[obj.project] == score_form(obj.form, head).total.computed
