"""Editing: every part of the form, live recomputation, validation in Chinese, new forms."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.http import QueryDict
from markupsafe import escape

from jixiao.model import Unmapped
from jixiao.web import editing
from jixiao.web.models import EvaluationForm, Event
from tests.web.conftest import login
from tests.web.conftest import page_fields_of as page_fields

pytestmark = pytest.mark.django_db


def test_edit_page_shows_the_form(seed, users):
    obj = seed[0]
    r = login(users["filler"]).get(f"/forms/{obj.pk}/edit/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="funds.total.executed" value="815.59"' in html
    assert html.count('class="indicator-row"') == len(obj.form.indicators) + 1  # + template
    assert "85.25" in html  # computed 执行率 in the live panel


def test_unchanged_save_changes_nothing(seed, users):
    obj = seed[0]
    before = obj.document
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", page_fields(obj))
    assert r.status_code == 302
    assert EvaluationForm.objects.get(pk=obj.pk).document == before
    assert not Event.objects.filter(form=obj, kind="edit").exists()


def test_preview_recomputes_without_saving(seed, users):
    obj = seed[0]
    c = login(users["filler"])
    data = page_fields(obj)
    data["funds.total.executed"] = "956.64"  # everything spent: 执行率 100.00
    r = c.post(f"/forms/{obj.pk}/preview/", data)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<td data-field="rate">100.00</td>' in html
    assert '<td data-field="execution_score">10.00</td>' in html
    assert EvaluationForm.objects.get(pk=obj.pk).rate == 8525  # not saved


def test_changing_an_actual_value_changes_score_and_findings(seed, users):
    obj = seed[0]
    c = login(users["filler"])
    base = c.post(f"/forms/{obj.pk}/preview/", page_fields(obj))
    data = page_fields(obj)
    row = obj.form.indicators[4]
    assert (row.name, row.target, row.actual) == (
        "聘用城运中心信息员数量",
        "≥12.00(个)",
        "12.00(个)",
    )
    actuals = list(data["ind_actual"])  # type: ignore[call-overload]
    actuals[4] = "6.00(个)"  # half the target: 5.00 × 6 / 12 = 2.50
    data["ind_actual"] = actuals
    changed = c.post(f"/forms/{obj.pk}/preview/", data)
    assert base.context["panel"]["rows"][4]["recommended"] == Decimal("5.00")
    assert changed.context["panel"]["rows"][4]["recommended"] == Decimal("2.50")
    before = base.context["panel"]["card"].total.computed
    after = changed.context["panel"]["card"].total.computed
    assert after == before - Decimal("2.50")
    rules_before = {(f.rule, f.where) for f in base.context["panel"]["findings"]}
    rules_after = {(f.rule, f.where) for f in changed.context["panel"]["findings"]}
    assert rules_before != rules_after


def test_save_records_the_change_and_history_shows_it(seed, users):
    obj = seed[0]
    c = login(users["filler"])
    data = page_fields(obj)
    data["funds.total.executed"] = "900.00"
    r = c.post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 302
    saved = EvaluationForm.objects.get(pk=obj.pk)
    assert saved.form.funds.total.executed == Decimal("900.00")
    assert saved.rate == 9407  # 900 / 956.64 = 94.079… → 94.07
    page = c.get(f"/forms/{obj.pk}/").content.decode()
    assert "年度资金总额·全年执行数" in page
    assert "<del>815.59</del> → <ins>900.00</ins>" in page


def test_rows_can_be_added_removed_and_reordered(seed, users):
    obj = seed[0]
    names = [r.name for r in obj.form.indicators]
    data = page_fields(obj)
    order = [2, 0, 1, *range(3, len(names))]  # move row 3 to the top
    order.remove(len(names) - 1)  # drop the last row
    for key in (
        "ind_origin",
        *(
            f"ind_{k}"
            for k in (
                "level1",
                "level2",
                "name",
                "target",
                "actual",
                "weight",
                "score",
                "deviation",
            )
        ),
    ):
        values = list(data[key])  # type: ignore[call-overload]
        data[key] = [values[i] for i in order]
    new_row = {
        "origin": "",
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "新增巡查次数",
        "target": "≥10(次)",
        "actual": "12(次)",
        "weight": "0",
        "score": "0",
        "deviation": "",
    }
    for k, v in new_row.items():
        data[f"ind_{k}"] = [*data[f"ind_{k}"], v]  # type: ignore[misc]
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 302
    saved = EvaluationForm.objects.get(pk=obj.pk).form
    assert [i.name for i in saved.indicators] == [names[i] for i in order] + ["新增巡查次数"]


def test_validation_messages_are_clear_chinese(seed, users):
    obj = seed[0]
    c = login(users["filler"])
    data = page_fields(obj)
    data["funds.total.executed"] = "八百"
    data["year"] = "24"
    names = list(data["ind_name"])  # type: ignore[call-overload]
    names[1] = ""
    data["ind_name"] = names
    weights = list(data["ind_weight"])  # type: ignore[call-overload]
    weights[0] = "-3"
    data["ind_weight"] = weights
    r = c.post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 400
    msgs = r.context["errors"]
    assert "项目资金·年度资金总额·全年执行数：“八百”不是有效的数字" in msgs
    assert "年度：“24”不是有效的年份（1990–2100）" in msgs
    assert "第2行指标·三级指标：名称不能为空" in msgs
    assert "第1行指标·分值：不能为负数" in msgs
    assert EvaluationForm.objects.get(pk=obj.pk).document == obj.document  # nothing saved
    preview = c.post(f"/forms/{obj.pk}/preview/", data).content.decode()
    assert "不是有效的数字" in preview


def test_a_row_with_one_field_typed_is_checked_as_a_row(seed, users):
    obj = seed[0]
    data = page_fields(obj)
    for key in [k for k in data if k.startswith("ind_")]:
        data[key] = [*data[key], "7" if key == "ind_weight" else ""]  # type: ignore[misc]
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 400
    row = len(obj.form.indicators) + 1
    assert r.context["errors"] == [f"第{row}行指标·三级指标：名称不能为空"]


def test_a_row_added_and_left_empty_is_dropped(seed, users):
    obj = seed[0]
    data = page_fields(obj)
    data["project"] = "改过的名称"
    for key in [k for k in data if k.startswith("ind_")]:
        data[key] = [*data[key], ""]  # type: ignore[misc]
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 302
    saved = EvaluationForm.objects.get(pk=obj.pk).form
    assert saved.project == "改过的名称"
    assert saved.indicators == obj.form.indicators


def test_new_form_and_next_year(seed, users, tree):
    c = login(users["filler"])
    r = c.post("/forms/new/", {"unit": tree.chengyun.pk, "year": "2025", "project": ""})
    assert r.status_code == 400
    assert "项目名称：不能为空" in r.content.decode()
    r = c.post("/forms/new/", {"unit": tree.chengyun.pk, "year": "2025", "project": "新项目"})
    new = EvaluationForm.objects.get(project="新项目")
    assert r["Location"] == f"/forms/{new.pk}/edit/"
    assert new.form.department == "江桥镇" and new.form.unit == tree.chengyun.name
    last = seed[0]
    r = c.post(f"/forms/{last.pk}/next-year/")
    nxt = EvaluationForm.objects.exclude(pk__in=[o.pk for o in seed]).get(
        year=2025, project=last.project
    )
    form = nxt.form
    assert form.year == 2025 and nxt.status == "draft"
    assert [i.target for i in form.indicators] == [i.target for i in last.form.indicators]
    assert [i.weight for i in form.indicators] == [i.weight for i in last.form.indicators]
    assert all(i.actual == "" and i.score is None for i in form.indicators)
    assert form.funds.total.executed is None and form.total_score is None


def test_failed_save_shows_what_was_typed(seed, users):
    obj = seed[0]
    data = page_fields(obj)
    data["funds.total.executed"] = "八百"
    data["project"] = "新的名称"
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 400
    html = r.content.decode()
    assert (
        'name="funds.total.executed" value="八百" inputmode="decimal" size="8" class="invalid"'
        in html
    )
    assert 'name="project" value="新的名称"' in html


def test_a_stale_page_does_not_overwrite_newer_changes(seed, users):
    obj = seed[0]
    c = login(users["filler"])
    page = c.get(f"/forms/{obj.pk}/edit/")
    version = page.context["version"]
    first = page_fields(obj) | {"version": version, "project": "甲的修改"}
    assert c.post(f"/forms/{obj.pk}/edit/", first).status_code == 302
    second = page_fields(obj) | {"version": version, "project": "乙的修改"}
    second["funds.total.executed"] = "900.00"
    r = login(users["unit_reviewer"]).post(f"/forms/{obj.pk}/edit/", second)
    assert r.status_code == 409
    html = r.content.decode()
    assert "表单已被他人修改" in html
    assert EvaluationForm.objects.get(pk=obj.pk).project == "甲的修改"
    # the typed values stay in the fields; the other save's differing values stand beside
    assert 'name="project" value="乙的修改"' in html
    assert 'name="funds.total.executed" value="900.00"' in html
    conflicts = {c["label"]: (c["old"], c["new"]) for c in r.context["conflicts"]}
    assert conflicts == {
        "项目名称": ("甲的修改", "乙的修改"),
        "年度资金总额·全年执行数": ("815.59", "900.00"),
    }
    assert r.context["version"] == 2
    # saving again from the page applies the typed values over the other save
    again = second | {"version": r.context["version"]}
    assert login(users["unit_reviewer"]).post(f"/forms/{obj.pk}/edit/", again).status_code == 302
    saved = EvaluationForm.objects.get(pk=obj.pk)
    assert (saved.project, saved.version, saved.form.funds.total.executed) == (
        "乙的修改",
        3,
        Decimal("900.00"),
    )


def test_a_save_without_a_version_is_refused(seed, users):
    obj = seed[0]
    data = page_fields(obj) | {"project": "无版本的修改"}
    del data["version"]
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 400
    assert "缺少表单版本" in r.content.decode()
    assert EvaluationForm.objects.get(pk=obj.pk).project == seed[0].project


def test_next_year_is_started_once(seed, users):
    c = login(users["filler"])
    c.post(f"/forms/{seed[0].pk}/next-year/")
    r = c.post(f"/forms/{seed[0].pk}/next-year/", follow=True)
    assert "未重复生成" in r.content.decode()
    assert EvaluationForm.objects.filter(year=2025, project=seed[0].project).count() == 1


def test_new_page_offers_last_years_forms(seed, users):
    r = login(users["filler"]).get("/forms/new/")
    html = r.content.decode()
    assert "生成下一年度表单" in html
    assert html.count("生成 2025 年度表单") == len(seed)
    for obj in seed:
        assert f'action="/forms/{obj.pk}/next-year/"' in html


def test_new_page_keeps_offering_every_project_without_a_next_year_form(seed, users):
    c = login(users["filler"])
    c.post(f"/forms/{seed[0].pk}/next-year/", follow=True)  # its message shown there
    new = EvaluationForm.objects.get(year=2025, project=seed[0].project)
    r = c.get("/forms/new/")
    offered = {f.pk for f in r.context["without_next"]}
    assert offered == {o.pk for o in seed[1:]} | {new.pk}  # the 2025 one may start 2026
    html = r.content.decode()
    assert html.count("生成 2025 年度表单") == len(seed) - 1
    assert html.count("生成 2026 年度表单") == 1


def test_adopt_offers_the_computed_values_and_works_without_javascript(seed, users):
    obj = seed[0]
    c = login(users["filler"])
    data = page_fields(obj)
    data["funds.total.executed"] = "956.64"  # all spent: 执行率 100.00, 得分 10.00
    preview = c.post(f"/forms/{obj.pk}/preview/", data)
    html = preview.content.decode()
    for name, value in (
        ("funds.total.rate", "100.00"),
        ("funds.total.score", "10.00"),
        ("total_score", "100.00"),
    ):
        assert f'name="adopt" value="{name}" data-value="{value}" class="adopt"' in html, name
    assert 'value="grade"' not in html  # 优 either way
    # without JavaScript the button posts the edit form: filled in, not saved
    r = c.post(f"/forms/{obj.pk}/edit/", data | {"adopt": "funds.total.rate"})
    assert r.status_code == 200
    page = r.content.decode()
    assert 'name="funds.total.rate" value="100.00"' in page
    assert 'name="funds.total.executed" value="956.64"' in page  # the typed value stays
    assert "已采用计算值，尚未保存。" in page
    assert "data-unsaved" in page
    assert EvaluationForm.objects.get(pk=obj.pk).rate == 8525  # nothing saved


def test_adopt_an_indicator_score(seed, users):
    obj = seed[0]
    c = login(users["filler"])
    data = page_fields(obj)
    actuals = list(data["ind_actual"])  # type: ignore[call-overload]
    actuals[4] = "6.00(个)"  # half the target: 5.00 × 6 / 12 = 2.50
    data["ind_actual"] = actuals
    html = c.post(f"/forms/{obj.pk}/preview/", data).content.decode()
    assert 'name="adopt" value="ind_score.4" data-value="2.50"' in html
    assert html.count('name="adopt" value="ind_score.') == 1
    r = c.post(f"/forms/{obj.pk}/edit/", data | {"adopt": "ind_score.4"})
    assert [row["score"] for row in r.context["rows"]][4] == "2.50"
    assert r.context["panel"]["rows"][4]["declared"] == Decimal("2.50")


def test_pages_show_the_findings_stored_at_save(seed, users, monkeypatch):
    """Detail and the editor's first panel read the stored findings; they do not audit."""
    from jixiao.web import core

    obj = seed[1]
    stored = [f["rule"] for f in obj.findings]
    assert stored
    monkeypatch.setattr(core, "audit_forms", lambda *a, **k: pytest.fail("audited on GET"))
    c = login(users["filler"])
    r = c.get(f"/forms/{obj.pk}/edit/")
    assert [f.rule for f in r.context["panel"]["findings"]] == stored
    assert r.context["panel"]["findings"][0].place == obj.findings[0]["place"]
    # the form page shows the panel as kept with the form (web/form_cache.py), drawn from
    # the same stored findings
    page = c.get(f"/forms/{obj.pk}/").content.decode()
    listed = page[page.index('<ol class="findings" id="findings">') :]
    listed = listed[: listed.index("</ol>")]
    assert re.findall(r'<li class="sev-\w+" data-rule="([^"]*)">', listed) == stored
    assert f'<div class="where">位置：{escape(obj.findings[0]["place"])}</div>' in listed


def test_rows_and_header_go_through_django_fields(seed, users, monkeypatch):
    """The page's row lists become indicator rows, each cleaned by the row's Django fields;
    the rows' limit and the header's choices answer in Chinese, naming the place."""
    from jixiao.web import editing

    obj = seed[0]
    c = login(users["filler"])
    monkeypatch.setattr(editing, "MAX_ROWS", 3)
    data = page_fields(obj) | {"amount_unit": "美元"}
    data["ind_deviation"] = ["很长" * 3000, *data["ind_deviation"][1:]]  # type: ignore[index]
    r = c.post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 400
    msgs = r.context["errors"]
    assert "指标表：最多 3 行" in msgs
    assert "金额单位：只能是“万元”或“元”" in msgs
    assert "第1行指标·偏差原因分析及改进措施：不能超过 4000 个字" in msgs
    uneven = page_fields(obj)
    uneven["ind_score"] = uneven["ind_score"][:-1]  # type: ignore[index]
    r = c.post(f"/forms/{obj.pk}/edit/", uneven)
    assert "指标表：各列行数不一致，请刷新页面后重试" in r.context["errors"]


def test_new_form_is_a_django_form(tree, users):
    c = login(users["filler"])
    r = c.post("/forms/new/", {"unit": tree.school.pk, "year": "20x5", "project": "甲"})
    assert r.status_code == 400
    msgs = r.context["errors"]
    assert "预算单位：请选择您管辖范围内的预算单位" in msgs  # another unit's: not offered
    assert "年度：“20x5”不是有效的年份（1990–2100）" in msgs
    assert not EvaluationForm.objects.filter(project="甲").exists()


def test_what_an_import_kept_survives_an_edit_and_next_year(seed):
    """extras (form, fund block, fund row, indicator) are kept by a save through the page
    and by next year's form; unmapped cells stay with this year's file only."""
    obj = seed[0]
    base = obj.form.model_copy(deep=True)
    base.extras = {"项目类别": "经常性项目"}
    base.funds.extras = {"单位资金": {"initial": "1.00", "原因": ""}}
    base.funds.total.extras = {"得分计算方法": "执行率*分值"}
    base.indicators[0].extras = {"度量单位": "人"}
    base.unmapped = [Unmapped(place="B7", text="备注")]
    post = QueryDict(mutable=True)
    for key, value in (page_fields(obj) | {"project": "改名的项目"}).items():
        post.setlist(key, value if isinstance(value, list) else [value])
    parsed = editing.parse(post, base)
    assert parsed.errors == [] and parsed.form is not None
    edited = parsed.form
    assert edited.project == "改名的项目"
    assert edited.extras == base.extras and edited.funds.extras == base.funds.extras
    assert edited.funds.total.extras == {"得分计算方法": "执行率*分值"}
    assert edited.indicators[0].extras == {"度量单位": "人"}
    assert edited.unmapped == base.unmapped
    following = editing.next_year(base)
    assert following.funds.total.executed is None
    assert following.funds.extras == base.funds.extras  # the other rows, as written
    assert following.indicators[0].extras == {"度量单位": "人"}
    assert following.unmapped == []


def test_an_empty_value_typed_in_a_number_cell_is_empty():
    field = editing.AmountField()
    assert [field.clean(t) for t in ("", "-", "—", "/", "无", " 1,245.50 ")] == [
        None, None, None, None, None, "1245.50",
    ]  # fmt: skip


def test_a_save_cleans_its_fields_without_django_forms(seed, users, monkeypatch):
    """A save's fields are cleaned by Django's fields alone (editing._clean: a form and a
    bound field for each of about 170 fields cost more than the cleaning); a row copied on
    the page (two rows from the same origin) is two rows, each with its own values."""
    from django import forms

    obj = seed[0]
    monkeypatch.setattr(forms.BaseForm, "full_clean", lambda self: pytest.fail("a form"))
    data = page_fields(obj)
    for key in [k for k in data if k.startswith("ind_")]:
        data[key] = [*data[key], data[key][0]]  # type: ignore[index]
    data["ind_name"][-1] = "复制的一行"  # type: ignore[index]
    data["ind_weight"][0] = "1,234.50"  # type: ignore[index]
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 302
    rows = EvaluationForm.objects.get(pk=obj.pk).form.indicators
    before = obj.form.indicators
    assert len(rows) == len(before) + 1
    assert rows[0].name == before[0].name and rows[-1].name == "复制的一行"
    assert rows[0].weight == Decimal("1234.50") and rows[-1].weight == before[0].weight
    assert rows[-1].level1 == before[0].level1 and rows[-1].target == before[0].target
