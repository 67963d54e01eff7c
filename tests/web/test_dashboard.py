"""The dashboard: counts by grade, status and unit, the scatter, frequent findings."""

from __future__ import annotations

from collections import Counter

import pytest

from jixiao.web import workflow
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


def test_vendored_assets_are_served(client):
    for name in ("echarts.min.js", "htmx.min.js", "app.js", "app.css"):
        r = client.get(f"/static/web/{name}")
        assert r.status_code == 200, name
