"""The editor and the form page show each layout's own columns, in the layout's words, and
the editor saves them back into the model fields: execution 分值, added fund rows and
columns, added indicator columns, 权重占比 / 折算得分, 一级 weights, check boxes."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from jixiao.model import load_forms
from jixiao.web import records
from jixiao.web.models import EvaluationForm, Organisation

from .conftest import DATA, login
from .layout_forms import edit_post, hebei_form, hubei_form, regions

SAMPLES = DATA / "samples" / "expected"


@pytest.fixture
def places(tree):
    return regions(tree.finance)


def _page(client, obj) -> str:
    r = client.get(f"/forms/{obj.pk}/edit/")
    assert r.status_code == 200
    return r.content.decode()


def _save(client, obj, data) -> EvaluationForm:
    r = client.post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    return EvaluationForm.objects.select_related("body").get(pk=obj.pk)


def _headers(html: str, table: str) -> list[str]:
    head = html.split(f'id="{table}"', 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head)]


def test_a_hubei_form_edits_its_weights_and_check_boxes(users, places) -> None:
    obj = records.create(places.hubei, hubei_form(), users["admin"])
    c = login(users["admin"])
    html = _page(c, obj)
    assert "本版式预算执行分值：20 分" in html
    assert 'id="level1-weights"' in html
    assert 'value="产出指标"' in html and 'aria-label="产出指标·分值"' in html
    assert 'name="cb.0" value="经常性项目" checked' in html
    assert 'name="cb.0" value="一次性项目">' in html
    # the layout's indicator columns, its added one last; no 权重占比 on this layout
    headers = _headers(html, "indicator-table")
    assert headers[-3:] == ["偏差原因分析及改进措施", "改进措施及结果应用方案", ""]
    assert "权重占比" not in html

    # saved unchanged: nothing changes (a round trip through the page)
    data = edit_post(html)
    r = c.post(f"/forms/{obj.pk}/edit/", data, follow=True)
    assert "没有修改。" in r.content.decode()

    data["l1w_weight"] = ["45", "25", "10"]  # 产出 45, 效益 25, 满意度 10
    data["cb.0"] = ["一次性项目"]  # 项目类别: the other option
    del data["cb.1"]  # 项目属性: none ticked
    data["ind_x_measures"] = ["调整采购计划", *data["ind_x_measures"][1:]]
    data["funds.total.weight"] = ["20"]
    saved = _save(c, obj, data).form
    assert [(w.label, w.weight) for w in saved.level1_weights] == [
        ("产出指标", D("45")),
        ("效益指标", D("25")),
        ("满意度指标", D("10")),
    ]
    assert [(b.label, b.options, b.checked) for b in saved.checkboxes] == [
        ("项目类别", ["经常性项目", "一次性项目"], ["一次性项目"]),
        ("项目属性", ["新增项目", "延续项目"], []),
    ]
    assert saved.indicators[0].extras == {"改进措施及结果应用方案": "调整采购计划"}
    assert saved.funds.total.weight == D("20") and saved.layout == "hubei-20"
    # the page shows them again, and the official form prints them
    html = _page(c, obj)
    assert 'name="cb.0" value="一次性项目" checked' in html and 'value="调整采购计划"' in html
    page = c.get(f"/forms/{obj.pk}/").content.decode()
    assert "产出指标(45分)" in page and "☑一次性项目" in page and "□经常性项目" in page


def test_a_hebei_form_edits_its_share_and_adjusted_score(users, places) -> None:
    obj = records.create(places.hebei, hebei_form(), users["admin"])
    c = login(users["admin"])
    html = _page(c, obj)
    assert _headers(html, "indicator-table") == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "指标分值",
        "单项指标得分",
        "权重占比",
        "单项指标折算得分",
        "偏差原因分析及改进措施",
        "",
    ]
    assert _headers(html, "fund-table")[-1] == "总体完成率"  # the layout's added fund column
    assert 'id="level1-weights"' not in html and "cb_label" not in html
    data = edit_post(html)
    data["ind_share"] = ["abc", *data["ind_share"][1:]]
    r = c.post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 400
    assert "第1行指标·权重占比：“abc”不是有效的数字" in r.content.decode()

    data["ind_share"] = ["15", *data["ind_share"][1:]]
    data["ind_adjusted_score"] = ["1.5", *data["ind_adjusted_score"][1:]]
    data["funds.total.x_completion"] = ["98%"]
    saved = _save(c, obj, data).form
    assert saved.indicators[0].share == D("15") and saved.indicators[0].adjusted_score == D("1.5")
    assert saved.indicators[1].share == hebei_form().indicators[1].share
    assert saved.funds.total.extras == {"总体完成率": "98%"}
    page = c.get(f"/forms/{obj.pk}/").content.decode()
    assert "单项指标折算得分" in page and "评分口径：河北省口径" in page


def test_a_sichuan_form_shows_its_fund_rows_and_columns(users, tree) -> None:
    (form,) = load_forms(SAMPLES / "003.json")
    obj = records.create(tree.chengyun, form, users["admin"])
    c = login(users["admin"])
    html = _page(c, obj)
    body = html.split('id="fund-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr><th>(.*?)</th>", body)
    assert rows == ["总额", "财政资金", "财政专户管理资金", "单位资金", "其他资金"]
    assert _headers(html, "fund-table")[1:] == [
        "年初预算数",
        "调整后预算数",
        "预算执行数",
        "预算执行率",
        "权重",
        "得分",
        "原因",
    ]
    headers = _headers(html, "indicator-table")
    assert headers[3:7] == ["指标性质", "指标值", "度量单位", "完成值"]
    data = edit_post(html)
    r = c.post(f"/forms/{obj.pk}/edit/", data, follow=True)
    assert "没有修改。" in r.content.decode()
    data["fundx.1.executed"] = ["12.50"]  # 单位资金
    data["ind_x_measure_unit"] = ["个", *data["ind_x_measure_unit"][1:]]
    saved = _save(c, obj, data).form
    assert saved.funds.extras["单位资金"].executed == D("12.50")
    assert saved.funds.extras["财政专户管理资金"] == form.funds.extras["财政专户管理资金"]
    assert saved.indicators[0].extras == {"指标性质": "=", "度量单位": "个"}


def test_a_new_row_with_only_an_added_column_typed_asks_for_its_name(users, places) -> None:
    obj = records.create(places.hubei, hubei_form(), users["admin"])
    c = login(users["admin"])
    data = edit_post(_page(c, obj))
    for key in [k for k in data if k.startswith("ind_")]:
        data[key] = [*data[key], "调整采购计划" if key == "ind_x_measures" else ""]
    r = c.post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 400
    row = len(obj.form.indicators) + 1
    assert r.context["errors"] == [f"第{row}行指标·三级指标：名称不能为空"]
    data["ind_x_measures"][-1] = ""  # left wholly empty: dropped, the rest saved
    data["ind_x_measures"][0] = "按季度抽查"
    saved = _save(c, obj, data).form
    assert len(saved.indicators) == len(obj.form.indicators)
    assert saved.indicators[0].extras == {"改进措施及结果应用方案": "按季度抽查"}


def test_a_beijing_form_has_no_full_year_budget_but_its_method_columns(users, tree) -> None:
    (form,) = load_forms(SAMPLES / "021.json")
    dept = Organisation.objects.create(
        name="北京市海淀区人民政府学院路街道办事处", kind="department", parent=tree.finance
    )
    unit = Organisation.objects.create(name=form.unit, kind="unit", parent=dept)
    obj = records.create(unit, form, users["admin"])
    html = _page(login(users["admin"]), obj)
    assert _headers(html, "fund-table")[1:] == [
        "年初预算数",
        "全年执行数",
        "分数",
        "执行率(%)",
        "得分",
        "得分计算方法",
    ]
    assert "funds.total.adjusted" not in html  # the layout has no 全年预算数
    headers = _headers(html, "indicator-table")
    assert headers[3:8] == ["分值", "年度指标值", "全年实际值", "得分计算方法", "得分"]


def test_the_seed_shows_only_the_national_columns_and_can_take_another_layout(users, seed) -> None:
    c = login(users["filler"])
    html = _page(c, seed[0])
    assert 'id="level1-weights"' not in html and "cb_label" not in html
    assert "权重占比" not in html and "x_" not in html
    assert "本版式预算执行分值：10 分" in html
    data = edit_post(html)
    data["layout"] = ["hebei"]
    saved = _save(c, seed[0], data).form
    assert saved.layout == "hebei"
    html = _page(c, seed[0])
    assert "权重占比" in html and 'value="hebei" selected' in html


def test_a_change_of_check_boxes_or_weights_alone_is_saved_and_in_the_history(
    users, places
) -> None:
    obj = records.create(places.hubei, hubei_form(), users["admin"])
    c = login(users["admin"])
    data = edit_post(_page(c, obj))
    data["cb.1"] = ["新增项目"]
    r = c.post(f"/forms/{obj.pk}/edit/", data, follow=True)
    assert "已保存，修改了 1 处。" in r.content.decode()
    assert EvaluationForm.objects.get(pk=obj.pk).form.checkboxes[1].checked == ["新增项目"]
    data = edit_post(_page(c, obj))
    data["l1w_weight"] = ["50", "20", ""]  # 满意度指标: no weight printed
    data["fundx.0.initial"] = ["3"]  # not on this layout: no such field, nothing changes
    r = c.post(f"/forms/{obj.pk}/edit/", data, follow=True)
    page = r.content.decode()
    assert "已保存，修改了 1 处。" in page
    saved = EvaluationForm.objects.get(pk=obj.pk).form
    assert [w.label for w in saved.level1_weights] == ["产出指标", "效益指标"]
    assert not saved.funds.extras
    # the history names them in the form's words
    assert "项目属性（勾选）：<del>延续项目</del> → <ins>新增项目</ins>" in page
    assert "一级指标分值·满意度指标：<del>10</del> → <ins>（空）</ins>" in page


def test_the_history_names_added_rows_and_columns_in_words(users, tree) -> None:
    (form,) = load_forms(SAMPLES / "003.json")
    obj = records.create(tree.chengyun, form, users["admin"])
    c = login(users["admin"])
    data = edit_post(_page(c, obj))
    data["fundx.1.executed"] = ["12.50"]
    data["ind_x_nature"] = ["≥", *data["ind_x_nature"][1:]]
    page = c.post(f"/forms/{obj.pk}/edit/", data, follow=True).content.decode()
    assert "单位资金·全年执行数：<del>0.00</del> → <ins>12.50</ins>" in page
    assert "第1行指标·指标性质：<del>=</del> → <ins>≥</ins>" in page
    assert "extras" not in page.split('id="history"')[1]


def test_next_years_form_keeps_the_layout_and_leaves_this_years_results(users, places) -> None:
    from jixiao.web import editing

    following = editing.next_year(hebei_form())
    assert following.layout == "hebei" and following.year == 2025
    assert [i.share for i in following.indicators] == [i.share for i in hebei_form().indicators]
    assert all(i.adjusted_score is None and i.score is None for i in following.indicators)
    hubei = editing.next_year(hubei_form())
    assert hubei.level1_weights == hubei_form().level1_weights
    assert hubei.checkboxes == hubei_form().checkboxes
    assert hubei.funds.total.weight == D("20") and hubei.funds.total.score is None
