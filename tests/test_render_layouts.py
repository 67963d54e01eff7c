"""The render shows a layout's own rows and columns: its words for the fund rows and
columns, the fund rows it adds, its added indicator columns (HTML/PDF); the seed's form is
drawn as before."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.audit.examples import base_form
from jixiao.ingest import read_forms
from jixiao.model import SelfEvaluation, form_from_dict
from jixiao.render.html import render_html
from jixiao.render.view import form_view
from jixiao.render.xlsx import render_xlsx

D = Decimal


def _sichuan() -> SelfEvaluation:
    data = base_form()
    data["layout"] = "sichuan"
    data["funds"]["extras"] = {
        "财政专户管理资金": {"initial": "0.00", "adjusted": "0.00", "executed": "0.00"},
        "单位资金": {"initial": "5.00", "adjusted": "5.00", "executed": "4.00"},
    }
    data["indicators"][1]["extras"] = {"指标性质": "≥", "度量单位": "台"}
    data["indicators"][2]["extras"] = {"指标性质": "=", "度量单位": "%"}
    return form_from_dict(data)


def test_a_sichuan_form_is_drawn_with_its_own_words_rows_and_columns():
    view = form_view(_sichuan())
    assert view.layout == "sichuan"
    assert [line.caption for line in view.funds] == [
        "总额", "财政资金", "上年结转资金", "其他资金", "财政专户管理资金", "单位资金",
    ]  # fmt: skip
    assert view.funds[-1].values[:3] == [D("5.00"), D("5.00"), D("4.00")]
    assert view.fund_headers == [
        "年初预算数",
        "调整后预算数",
        "预算执行数",
        "权重",
        "预算执行率",
        "得分",
    ]
    assert view.indicator_headers[3:6] == ("指标值", "完成值", "权重")
    assert view.extra_headers == ("指标性质", "度量单位")
    assert view.indicators[1].extras == ["≥", "台"]
    assert view.indicators[0].extras == ["", ""]
    html = render_html([_sichuan()])
    assert "<th>指标性质</th><th>度量单位</th>" in html
    assert 'rowspan="7" class="label">项目资金' in html  # the heading and six rows
    assert '<td colspan="8" class="label">总分</td>' in html
    assert html.count('<col class="gx">') == 2


def test_the_seed_is_drawn_as_before(oracle_forms):
    html = render_html(oracle_forms)
    assert 'class="gx"' not in html
    assert html.count('rowspan="5" class="label">项目资金') == len(oracle_forms)
    view = form_view(oracle_forms[0])
    assert [line.caption for line in view.funds] == [
        "年度资金总额：", "其中：当年财政拨款", "上年结转资金", "其他资金",
    ]  # fmt: skip
    assert view.fund_headers == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分数",
        "执行率(%)",
        "得分",
    ]


def test_a_20_point_form_shows_its_20(tmp_path):
    data = base_form()
    data["funds"]["total"].update(weight="20", score="20.00")
    html = render_html([form_from_dict(data)])
    funds = html[html.index("项目资金") : html.index("年度<br>总体")]
    assert re.search(r'<td class="num">20</td>', funds)


def test_added_fund_rows_come_back_from_excel(tmp_path):
    """The workbook of a form with fund rows beyond the four reads back with those rows,
    typed, in funds.extras."""
    path = tmp_path / "sichuan.xlsx"
    path.write_bytes(render_xlsx([_sichuan()]))
    [back] = read_forms(path)
    assert set(back.funds.extras) == {"财政专户管理资金", "单位资金"}
    unit = back.funds.extras["单位资金"]
    assert (unit.initial, unit.adjusted, unit.executed) == (D("5.00"), D("5.00"), D("4.00"))
    assert back.funds.total.adjusted == D("100.00")
    assert [i.name for i in back.indicators] == [i.name for i in _sichuan().indicators]
