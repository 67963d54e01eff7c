"""Scoping: every page, export and action is limited to the user's part of the tree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_login_required_everywhere(seed):
    from django.test import Client

    c = Client()
    pk = seed[0].pk
    for url in (
        "/forms/",
        "/forms/inbox/",
        f"/forms/{pk}/",
        f"/forms/{pk}/edit/",
        f"/forms/{pk}/export/pdf/",
        "/import/",
        "/dashboard/",
        "/forms/new/",
    ):
        r = c.get(url)
        assert r.status_code == 302, url
        assert r["Location"].startswith("/login/?next="), url


def test_list_shows_only_the_users_subtree(seed, school_form, users):
    seed_ids = {o.pk for o in seed}
    cases = {
        "filler": seed_ids,
        "dept": seed_ids,
        "edu": {school_form.pk},
        "school_filler": {school_form.pk},
        "sq_filler": set(),
        "finance": seed_ids | {school_form.pk},
        "admin": seed_ids | {school_form.pk},
    }
    for who, expected in cases.items():
        r = login(users[who]).get("/forms/")
        assert r.status_code == 200
        shown = {f.pk for f in r.context["page"].object_list}
        assert shown == expected, who


def test_other_units_forms_are_not_found(seed, school_form, users):
    filler = login(users["filler"])
    pk = school_form.pk
    for url in (
        f"/forms/{pk}/",
        f"/forms/{pk}/edit/",
        f"/forms/{pk}/export/pdf/",
        f"/forms/{pk}/export/json/",
    ):
        assert filler.get(url).status_code == 404, url
    for url, data in (
        (f"/forms/{pk}/edit/", {"project": "x"}),
        (f"/forms/{pk}/preview/", {"project": "x"}),
        (f"/forms/{pk}/transition/", {"action": "submit"}),
        (f"/forms/{pk}/next-year/", {}),
    ):
        assert filler.post(url, data).status_code == 404, url
    # a sibling department's reviewer cannot reach the seed unit either
    edu = login(users["edu"])
    assert edu.get(f"/forms/{seed[0].pk}/").status_code == 404
    assert edu.post(f"/forms/{seed[0].pk}/transition/", {"action": "approve"}).status_code == 404
    # a sibling unit under the same 主管部门 neither
    assert login(users["sq_filler"]).get(f"/forms/{seed[0].pk}/").status_code == 404
    school_form.refresh_from_db()
    assert school_form.status == "draft"
    assert school_form.project == "实验小学校园安保服务"


def test_nonexistent_id_is_404(users, seed):
    assert login(users["admin"]).get("/forms/999999/").status_code == 404


def test_export_of_a_selection_refuses_foreign_ids(seed, school_form, users):
    c = login(users["filler"])
    r = c.post(reverse("form-export-many"), {"to": "json", "ids": [seed[0].pk, school_form.pk]})
    assert r.status_code == 403
    r = c.post(reverse("form-export-many"), {"to": "json", "ids": [seed[0].pk, seed[1].pk]})
    assert r.status_code == 302  # to the export job's page; the job ran at once here
    download = c.get(r["Location"] + "download/")
    assert b"".join(download.streaming_content).decode("utf-8").count('"project"') == 2


def test_reviewers_cannot_edit_and_see_their_units(seed, users):
    pk = seed[0].pk
    for who in ("dept", "finance"):
        c = login(users[who])
        assert c.get(f"/forms/{pk}/").status_code == 200
        assert c.get(f"/forms/{pk}/edit/").status_code == 403
        assert c.post(f"/forms/{pk}/edit/", {"project": "x"}).status_code == 403
        assert c.get("/forms/new/").status_code == 403
        assert c.get("/import/").status_code == 403


def test_filters_cannot_widen_the_scope(seed, school_form, users, tree):
    c = login(users["filler"])
    r = c.get("/forms/", {"unit": tree.school.pk})
    assert list(r.context["page"].object_list) == []
    r = c.get("/dashboard/")
    assert r.context["data"]["total"] == len(seed)


def test_new_form_only_for_own_units(tree, users):
    c = login(users["filler"])
    r = c.post("/forms/new/", {"unit": tree.school.pk, "year": "2025", "project": "越权"})
    assert r.status_code == 400
    assert "请选择您管辖范围内的预算单位" in r.content.decode()
    r = c.post("/forms/new/", {"unit": tree.chengyun.pk, "year": "2025", "project": "新项目"})
    assert r.status_code == 302


def test_system_admin_pages_are_for_admins_only(users, tree):
    from django.test import Client

    admin_user = users["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    c = login(admin_user)
    assert c.get("/admin/").status_code == 200
    r = c.get("/admin/web/organisation/")
    assert r.status_code == 200
    assert "江桥镇" in r.content.decode()
    filler = login(users["filler"])
    r = filler.get("/admin/", follow=True)
    assert r.status_code == 403
    r = Client().get("/admin/", follow=True)
    assert r.redirect_chain[-1][0] == "/login/?next=/admin/"


def test_detail_shows_the_official_form_with_or_without_notes(seed, users):
    c = login(users["filler"])
    annotated = c.get(f"/forms/{seed[0].pk}/").content.decode()
    plain = c.get(f"/forms/{seed[0].pk}/?view=plain").content.decode()
    assert "审核人视图" in annotated and "审核人视图" not in plain
    for page in (annotated, plain):
        assert "财政项目支出绩效自评表" in page
        assert "815.59" in page
