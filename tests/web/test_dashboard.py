"""The dashboard: counts by grade, status and unit, the scatter, frequent findings."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from jixiao.web import records, workflow
from jixiao.web.models import EvaluationForm
from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_dashboard_counts_match_the_forms(seed, school_form, users):
    workflow.apply(users["filler"], seed[0], "submit")
    r = login(users["dept"]).get("/dashboard/")
    assert r.status_code == 200
    data = r.context["data"]
    mine = EvaluationForm.objects.filter(pk__in=[o.pk for o in seed])
    assert data["total"] == 9
    grades = Counter(mine.values_list("computed_grade", flat=True))
    assert {g["grade"]: g["n"] for g in data["grades"]}["优"] == grades["优"]
    assert {s["status"]: s["n"] for s in data["statuses"]} == {
        "草稿": 8,
        "单位审核中": 1,
        "主管部门审核中": 0,
        "财政审核中": 0,
        "审核通过": 0,
        "被退回": 0,
    }
    assert data["inflated"] == sum(1 for o in mine if o.is_inflated)
    assert len(data["scatter"]) == sum(
        1 for o in mine if o.rate is not None and o.computed_total is not None
    )
    assert all(isinstance(p["rate"], str) for p in data["scatter"])  # decimal strings
    expected = Counter(f["rule"] for o in mine for f in o.findings)
    top = data["findings"][0]
    assert top["n"] == max(expected.values())
    assert [u["name"] for u in data["units"]] == ["上海市嘉定区江桥镇城市运行管理中心"]
    assert data["units"][0]["n"] == 9 and data["units"][0]["submitted"] == 1
    html = r.content.decode()
    assert 'src="/static/web/echarts.min.js"' in html
    assert 'id="chart-data"' in html


def test_dashboard_of_the_whole_bureau(seed, school_form, users):
    data = login(users["finance"]).get("/dashboard/").context["data"]
    assert data["total"] == 10
    assert {u["name"] for u in data["units"]} == {
        "上海市嘉定区江桥镇城市运行管理中心",
        "上海市嘉定区实验小学",
    }


def test_an_absurd_rate_is_listed_not_plotted(seed, users):
    """An 执行率 of 61725 % (a typo in 全年执行数) must not squash the scatter."""
    obj = seed[0]
    form = obj.form
    form.funds.total.executed = Decimal("590486.04")  # ÷ 956.64 → 61725.00 %
    records.update(obj, form, users["filler"], obj.version)
    assert EvaluationForm.objects.get(pk=obj.pk).rate == 6172500
    r = login(users["dept"]).get("/dashboard/")
    data = r.context["data"]
    assert obj.pk not in {p["id"] for p in data["scatter"]}
    assert len(data["scatter"]) == len(seed) - 1
    assert max(Decimal(p["rate"]) for p in data["scatter"]) <= 150
    assert [(o["id"], o["rate"]) for o in data["outliers"]] == [(obj.pk, Decimal("61725.00"))]
    assert data["outliers_total"] == 1
    html = r.content.decode()
    assert "未绘入散点图的异常值（1 张）" in html
    assert '<td class="num">61725.00</td>' in html
    assert '"rate_max": 150' in html


def test_vendored_assets_are_served(client):
    for name in ("echarts.min.js", "htmx.min.js", "app.js", "app.css", "favicon.svg"):
        r = client.get(f"/static/web/{name}")
        assert r.status_code == 200, name
