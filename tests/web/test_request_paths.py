"""The cheaper request paths give what the ORM and the pages gave: the signed-in user with
their unit (web/auth.py), the session read (web/sessions.py), the header's statement kept
per user and role (web/header.py), the list's rows from plain values (views.FormRow), a
form's district and history (web/statements.py), its related rows read only when present
(web/presence.py); and a save shows at once on every page that shows the form."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jixiao.generate_plans import generate_year
from jixiao.plans import latest_declaration
from jixiao.web import access, views
from jixiao.web.auth import ProfileBackend, signed_in_user
from jixiao.web.header import counts
from jixiao.web.jinja import status_label
from jixiao.web.models import (
    Attachment,
    EvaluationForm,
    Event,
    FormDocument,
    Organisation,
    Profile,
    Role,
    RowComment,
)
from jixiao.web.plans import store as plan_store
from jixiao.web.plans.models import PlanRecord
from jixiao.web.presence import related_present
from jixiao.web.review import latest_events
from jixiao.web.sessions import SessionStore
from jixiao.web.views import FormRow, NewestFirst, filter_forms
from jixiao.web.workflow import district_of, recent_steps

from .conftest import login, page_fields_of


def test_the_signed_in_user_is_the_one_the_orm_reads_with_profile_and_unit(users) -> None:
    User = get_user_model()
    for user in users.values():
        mine = signed_in_user(user.pk)
        orm = User.objects.select_related("profile__organisation").get(pk=user.pk)
        with CaptureQueriesContext(connection) as captured:
            for field in User._meta.concrete_fields:
                assert getattr(mine, field.attname) == getattr(orm, field.attname), field.name
            assert mine.profile.pk == orm.profile.pk and mine.profile.role == orm.profile.role
            assert mine.profile.organisation.path == orm.profile.organisation.path
            assert mine.profile.organisation.name == orm.profile.organisation.name
            assert mine.profile.user is mine
            assert mine.get_session_auth_hash() == orm.get_session_auth_hash()
        assert captured.captured_queries == []  # profile and unit came with the user
        assert not mine._state.adding and mine._state.db == "default"
    assert signed_in_user(10**12) is None


def test_a_user_without_a_unit_or_inactive_is_read_as_the_orm_reads_them(users) -> None:
    User = get_user_model()
    bare = User.objects.create_user("bare", password="x")
    read = signed_in_user(bare.pk)
    assert read is not None and read.username == "bare"
    assert not hasattr(read, "profile") and access.profile_of(read) is None
    assert access.scope_path(read) is None
    users["filler"].is_active = False
    users["filler"].save()
    assert ProfileBackend().get_user(users["filler"].pk) is None  # inactive: refused
    assert ProfileBackend().get_user("x") is None
    assert ProfileBackend().get_user(users["dept"].pk).profile.role == Role.DEPARTMENT_REVIEWER


def test_the_session_store_reads_live_sessions_only(users) -> None:
    store = SessionStore()
    store["a"] = "甲"
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == {"a": "甲"}
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    gone = SessionStore(key)
    assert gone.load() == {} and gone.session_key is None  # expired: a new key when saved
    assert SessionStore("no-such-session-key-0123456789").load() == {}


def test_a_changed_role_or_unit_changes_the_header_counts_at_once(users, seed) -> None:
    filler = users["filler"]
    assert counts(signed_in_user(filler.pk))[0] == len(seed)  # the drafts in 待办
    profile = Profile.objects.get(user=filler)
    profile.role = Role.UNIT_REVIEWER
    profile.save()
    assert counts(signed_in_user(filler.pk))[0] == 0  # none waits for the unit's review
    c = login(filler)
    assert 'id="inbox-count"' not in c.get("/forms/").content.decode()


def test_the_list_shows_each_form_row_as_the_model_gives_it(users, seed) -> None:
    r = login(users["finance"]).get("/forms/", {"sort": "project"})
    page = r.content.decode()
    rows = r.context["page"].object_list
    objects = {o.pk: o for o in EvaluationForm.objects.select_related("organisation")}
    assert [row.pk for row in rows] == [
        o.pk for o in EvaluationForm.objects.order_by("project", "-id")
    ]
    for row in rows:
        o = objects[row.pk]
        assert (row.year, row.project, row.status, row.organisation.name) == (
            o.year,
            o.project,
            o.status,
            o.organisation.name,
        )
        assert status_label(row.status) == o.get_status_display()  # the row's |status_label
        assert (row.rate_value, row.computed_total_value, row.inflation_value) == (
            o.rate_value,
            o.computed_total_value,
            o.inflation_value,
        )
        assert row.is_inflated == o.is_inflated and row.errors == o.errors
        assert f'<a href="/forms/{o.pk}/">{o.project}</a>' in page
        assert f'<span class="status st-{o.status}">{o.get_status_display()}</span>' in page


@pytest.mark.parametrize("who", ["filler", "finance"])
def test_a_save_shows_at_once_on_every_page_that_shows_the_form(users, seed, who) -> None:
    obj = seed[0]
    c, viewer = login(users["filler"]), login(users[who])
    for url in ("/forms/", f"/forms/{obj.pk}/", f"/forms/{obj.pk}/?view=plain"):
        assert viewer.get(url).status_code == 200  # seen before the save
    data = page_fields_of(obj)
    data["project"] = "改名后的项目名称"
    data["goals.achieved"] = "保存后立即可见的完成情况"
    assert c.post(f"/forms/{obj.pk}/edit/", data).status_code == 302
    assert "改名后的项目名称" in viewer.get("/forms/").content.decode()
    assert "改名后的项目名称" in viewer.get("/forms/", {"q": "改名后"}).content.decode()
    for url in (f"/forms/{obj.pk}/", f"/forms/{obj.pk}/?view=plain", f"/forms/{obj.pk}/print/"):
        page = viewer.get(url).content.decode()
        assert "改名后的项目名称" in page and "保存后立即可见的完成情况" in page, url
    edit = c.get(f"/forms/{obj.pk}/edit/").content.decode()
    assert "保存后立即可见的完成情况" in edit
    assert f'name="version" value="{obj.version + 1}"' in edit


def test_a_form_page_reads_its_files_and_notes_when_it_has_them(users, seed) -> None:
    obj = seed[0]
    assert related_present(obj) == related_present(obj).__class__(False, False, False)
    c = login(users["finance"])
    RowComment.objects.create(form=obj, position=1, text="请补充依据", user=users["dept"])
    Attachment.objects.create(
        form=obj,
        row=None,
        name="满意度调查报告.pdf",
        kind="pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        file="evidence/x.pdf",
        uploaded_by=users["filler"],
    )
    present = related_present(obj)
    assert (present.files, present.rechecks, present.notes) == (True, False, True)
    with CaptureQueriesContext(connection) as captured:
        page = c.get(f"/forms/{obj.pk}/").content.decode()
    assert "请补充依据" in page and "满意度调查报告.pdf" in page
    assert len(captured.captured_queries) == 7 + 2  # the files and the 批注 read
    edit = login(users["filler"]).get(f"/forms/{obj.pk}/edit/").content.decode()
    assert "请补充依据" in edit and "满意度调查报告.pdf" in edit
    assert related_present(seed[1]).files is False


def test_the_district_is_the_one_the_orm_finds(tree, seed) -> None:
    for org in Organisation.objects.all():
        ids = [int(p) for p in org.path.strip("/").split("/") if p]
        orm = (
            Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.FINANCE)
            .order_by("-path")
            .first()
        )
        mine = district_of(org.path)
        assert (mine.pk, mine.path, mine.return_to) == (orm.pk, orm.path, orm.return_to)
        assert all(getattr(mine, f.attname) == getattr(orm, f.attname) for f in mine._meta.fields)
    assert district_of("/") is None


def test_the_history_is_the_one_the_orm_reads(users, seed) -> None:
    obj = seed[0]
    Event.objects.create(form=obj, user=None, kind=Event.Kind.COMMENT, comment="无人")
    Event.objects.create(form=obj, user=users["dept"], kind=Event.Kind.COMMENT, comment="意见")
    orm = list(obj.events.select_related("user")[:200])
    mine = latest_events(obj, 200)
    assert [e.pk for e in mine] == [e.pk for e in orm] and len(mine) == 3
    for a, b in zip(mine, orm, strict=True):
        assert all(getattr(a, f.attname) == getattr(b, f.attname) for f in a._meta.fields)
        assert (a.user.username if a.user else None) == (b.user.username if b.user else None)
        assert a.form is obj
    assert [e.pk for e in latest_events(obj, 2)] == [e.pk for e in orm[:2]]


def test_the_recent_steps_are_the_transitions_the_orm_reads(users, seed) -> None:
    obj = seed[0]
    Event.objects.create(form=obj, user=users["dept"], kind=Event.Kind.COMMENT, comment="意见")
    for action, to in (("submit", "unit_review"), ("return", "returned"), ("submit", "x")):
        Event.objects.create(
            form=obj, user=users["filler"], kind=Event.Kind.TRANSITION, action=action, to_status=to
        )
    Event.objects.create(form=obj, user=None, kind=Event.Kind.TRANSITION, action="reopen")
    orm = list(
        obj.events.filter(kind=Event.Kind.TRANSITION).select_related("user").order_by("-at", "-id")
    )
    mine = recent_steps(obj)
    assert [e.action for e in mine] == ["reopen", "submit", "return", "submit"]
    assert [e.pk for e in mine] == [e.pk for e in orm]
    for a, b in zip(mine, orm, strict=True):
        assert all(getattr(a, f.attname) == getattr(b, f.attname) for f in a._meta.fields)
        assert (a.user.username if a.user else None) == (b.user.username if b.user else None)
    assert [e.pk for e in recent_steps(obj, 2)] == [e.pk for e in orm[:2]]
    everything = latest_events(obj, 200)  # every kind, as the form's history reads it
    assert len(everything) == obj.events.count() > len(orm)


def test_a_projects_plans_are_found_as_the_orm_found_them(tree, users) -> None:
    # The editor and a save read a unit's 申报表 / 监控表 of a project by one statement
    # (plans/store.project_plans) and pick the approved 申报表 and the 监控表 sent up last
    # from it: the same records as the ORM's queries of each.
    docs = generate_year(2, seed=5)
    plan, watch = docs.declarations[0], docs.monitorings[0]
    project, year = plan.project, plan.year

    def record(unit, doc, status, y, name=project, stage=None):
        doc = doc.model_copy(deep=True)
        doc.year = y
        if stage is not None:
            doc.stage = stage
        kind, document = plan_store._prepared(unit, doc)
        return PlanRecord.objects.create(
            organisation=unit,
            org_path=unit.path,
            kind=kind,
            year=y,
            project=name,
            stage=stage or "",
            status=status,
            document=document,
        )

    made = [
        record(tree.chengyun, plan, status, y, stage=stage)
        for stage, status, y in (
            ("批复", "approved", year),
            ("申报", "draft", year),
            ("调整", "approved", year),
            ("批复", "approved", year - 1),
        )
    ] + [
        record(tree.chengyun, watch, status, y)
        for status, y in (
            ("unit_review", year),
            ("draft", year),
            ("returned", year),
            ("approved", year - 1),
            ("approved", None),
        )
    ]
    other = docs.declarations[1]  # another project, and the same project of another unit
    for unit, name in ((tree.chengyun, other.project), (tree.school, project)):
        record(unit, plan, "approved", year, name=name, stage="批复")
    for y in (year, year - 1, None, 1999):
        orm_watch = (
            PlanRecord.objects.filter(
                organisation=tree.chengyun, kind="monitoring", project=project, year=y
            )
            .exclude(status__in=("draft", "returned"))
            .order_by("-id")
            .first()
        )
        assert plan_store.latest_monitoring(tree.chengyun, project, y) == orm_watch
        records_ = PlanRecord.objects.filter(
            organisation=tree.chengyun,
            kind="declaration",
            project=project,
            stage__in=("批复", "调整"),
        ).order_by("id")
        if y is not None:
            records_ = records_.filter(year=y)
        orm_plans = [plan_store.declaration_of(r) for r in records_]
        orm_plan = latest_declaration(orm_plans, project, y) if orm_plans else None
        mine = plan_store.approved_declaration(tree.chengyun, project, y)
        assert (mine.to_json_dict() if mine else None) == (
            orm_plan.to_json_dict() if orm_plan else None
        )
    assert plan_store.latest_monitoring(tree.chengyun, project, year).status == "unit_review"
    assert plan_store.approved_declaration(tree.chengyun, project, year).stage == "调整"
    assert plan_store.approved_declaration(tree.chengyun, "没有的项目", year) is None
    assert len(plan_store.project_plans(tree.chengyun, project)) == len(made)


def test_a_form_is_read_with_its_relations_as_the_orm_reads_it(users, seed, tree) -> None:
    # access.get_form reads a form with its unit, document and last editor (and the unit's
    # 主管部门 for the editor) by one statement: the same values as select_related's.
    obj = seed[0]
    EvaluationForm.objects.filter(pk=seed[1].pk).update(updated_by=users["dept"])
    for who in ("filler", "dept", "finance"):
        user = signed_in_user(users[who].pk)
        for pk in (obj.pk, seed[1].pk):
            for also in ((), ("organisation__parent",)):
                orm = (
                    access.visible_forms(user)
                    .select_related("organisation", "body", "updated_by", *also)
                    .get(pk=pk)
                )
                with CaptureQueriesContext(connection) as captured:
                    mine = access.get_form(user, pk, *also)
                    fields = EvaluationForm._meta.concrete_fields
                    assert all(getattr(mine, f.attname) == getattr(orm, f.attname) for f in fields)
                    assert mine.organisation.path == orm.organisation.path
                    assert mine.body.document == orm.body.document and mine.body.form is mine
                    assert mine.form.project == orm.form.project
                    assert (mine.updated_by and mine.updated_by.username) == (
                        orm.updated_by and orm.updated_by.username
                    )
                    if also:
                        assert mine.organisation.parent.name == orm.organisation.parent.name
                assert len(captured.captured_queries) == 1  # the relations came with it
    assert seed[1].pk != obj.pk and access.get_form(users["dept"], seed[1].pk).updated_by
    no_body = EvaluationForm.objects.get(pk=obj.pk)
    FormDocument.objects.filter(form_id=obj.pk).delete()
    EvaluationForm.objects.filter(pk=obj.pk).update(updated_by=None)
    bare = access.get_form(users["finance"], no_body.pk)
    assert bare.updated_by is None
    with pytest.raises(FormDocument.DoesNotExist):
        bare.body  # noqa: B018 (as the ORM: no document, no body)
    for pk in (10**12, 2**63, -1, "x", obj.pk):  # none of these for a unit that cannot see it
        with pytest.raises(Http404):
            access.get_form(users["school_filler"], pk)


@pytest.mark.parametrize("walk", [True, False, None])
def test_the_default_list_is_the_page_the_orm_gives(
    users, seed, school_form, walk, monkeypatch
) -> None:
    # The list's default view (views.NewestFirst: statements written once) gives the count
    # and the rows, in order, of filter_forms' query, and the page
    # drawn from them is the one the ORM's path draws (a filter it ignores forces that path),
    # whichever way a year's page is found (walk: the year newest first; else sorted; None:
    # as NewestFirst chooses).
    if walk is not None:
        monkeypatch.setattr(NewestFirst, "_walks", lambda self, stop: walk)
    same = timezone.now() - timedelta(days=3)
    EvaluationForm.objects.filter(pk__in=[f.pk for f in seed[:4]]).update(updated_at=same)
    EvaluationForm.objects.filter(pk=seed[5].pk).update(year=None)
    for who in ("filler", "dept", "finance", "school_filler"):
        user = signed_in_user(users[who].pk)
        for g in ({}, {"year": "all"}, {"year": "2023"}, {"year": "1999"}, {"year": "x"}):
            qs, params = filter_forms(user, g)
            newest = NewestFirst(access.scope_path(user), access.parse_id(params["year"]))
            assert newest.count() == qs.count()
            for cut in (slice(0, 50), slice(0, 3), slice(3, 6), slice(8, 58), slice(2, 2)):
                ids = list(qs.values_list("pk", flat=True)[cut])
                orm = EvaluationForm.objects.filter(pk__in=ids).order_by(*qs.query.order_by)
                expected = [FormRow(v) for v in orm.values(*FormRow.COLUMNS)]
                mine = newest[cut]
                assert [r.pk for r in mine] == ids
                for a, b in zip(mine, expected, strict=True):
                    own = [k for k in FormRow.__slots__ if k != "organisation"]
                    assert [getattr(a, k) for k in own] == [getattr(b, k) for k in own]
                    assert a.organisation.name == b.organisation.name
        c = login(users[who])
        for query in ("", "?page=2", "?year=all", "?year=all&page=9", "?year=2023", "?page=x"):
            fast = c.get(f"/forms/{query}")
            slow = c.get(f"/forms/{query}{'&' if query else '?'}errors=either")
            shown = re.compile(
                r'共 \d+ 张表|<table class="list">.*?</table>|class="pager".*?</', re.S
            )
            assert fast.status_code == slow.status_code == 200
            assert shown.findall(fast.content.decode()) == shown.findall(slow.content.decode())
            assert len(shown.findall(fast.content.decode())) >= 2


def test_a_years_page_is_found_walking_for_a_wide_subtree_and_sorted_for_a_narrow_one(
    users, tree, seed, school_form, monkeypatch
) -> None:
    # views.NewestFirst walks the year newest first when about stop × (the year's forms) ÷
    # (the subtree's) entries are fewer than the subtree's (squared: a sort costs more an
    # entry), and tells SQLite which index (without statistics it would walk for every scope)
    year = seed[0].year
    in_year = EvaluationForm.objects.filter(year=year).count()
    chengyun = EvaluationForm.objects.filter(year=year, org_path__startswith=tree.chengyun.path)
    assert 0 < chengyun.count() < in_year  # the school's form is of the same year
    monkeypatch.setattr(views, "year_sizes", lambda alias: {year: 100 * in_year})
    wide = NewestFirst(tree.finance.path, year)  # the year's forms, among many others'
    assert wide.count() == in_year
    assert wide._walks(50) is (in_year * in_year >= 50 * 100 * in_year)
    monkeypatch.setattr(views, "year_sizes", lambda alias: {year: in_year})
    assert NewestFirst(tree.finance.path, year)._walks(50) is (in_year >= 50)
    assert NewestFirst(tree.finance.path, year)._walks(in_year) is True
    narrow = NewestFirst(tree.school.path, year)
    assert narrow.count() == 1 and narrow._walks(1) is False  # 1 × 1 < 1 × in_year
    assert NewestFirst(tree.finance.path, None)._walks(1) is False  # all years: sorted
    if connection.vendor == "sqlite":  # the index each way uses, as SQLite plans it
        for walk, index in ((True, "web_form_year_newest_idx"), (False, "year_96f351")):
            monkeypatch.setattr(NewestFirst, "_walks", lambda self, stop, w=walk: w)
            with CaptureQueriesContext(connection) as captured:
                NewestFirst(tree.finance.path, year)[0:3]
            sql = captured.captured_queries[-1]["sql"]
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = " ".join(str(row[3]) for row in cursor.fetchall())
            assert index in plan, plan
            page_ids = plan.split("SEARCH p ")[1].split(" SEARCH o ")[0]  # the subquery's steps
            assert ("TEMP B-TREE" in page_ids) is not walk, plan


def test_the_years_are_those_the_orm_finds_read_without_every_form(
    users, seed, school_form
) -> None:
    # access.visible_years walks the years of all forms (newest first) and keeps those of
    # the user's subtree: the ORM's DISTINCT over the subtree's forms, years of other units
    # and forms without a year left out, cut at ``most``
    EvaluationForm.objects.filter(pk=seed[5].pk).update(year=None)
    EvaluationForm.objects.filter(pk=seed[6].pk).update(year=2019)
    EvaluationForm.objects.filter(pk=school_form.pk).update(year=2031)  # another 主管部门's

    def orm(user, most):  # type: ignore[no-untyped-def]
        qs = access.visible_forms(user).exclude(year=None).order_by("-year")
        return list(qs.values_list("year", flat=True).distinct()[:most])

    for who in ("filler", "dept", "finance", "school_filler", "admin"):
        user = signed_in_user(users[who].pk)
        for most in (1, 2, 30):
            assert access.visible_years(user, most) == orm(user, most), (who, most)
    assert access.visible_years(users["finance"]) == [2031, 2024, 2019]
    assert access.visible_years(users["filler"]) == [2024, 2019]
    assert 2031 not in access.visible_years(users["dept"])
    if connection.vendor != "sqlite":
        return

    # the statement's steps (SQLite's virtual machine instructions) grow with the years, not
    # with the forms: 200 more forms of the seed unit in two years cost about nothing more
    def steps() -> int:
        counted = [0]

        def count() -> int:
            counted[0] += 1
            return 0

        connection.ensure_connection()
        connection.connection.set_progress_handler(count, 1)
        try:
            access.visible_years(users["finance"])
        finally:
            connection.connection.set_progress_handler(None, 1)
        return counted[0]

    before = steps()
    copy = EvaluationForm.objects.get(pk=seed[0].pk)
    for i in range(200):
        copy.pk = None
        copy.year = 2024 - i % 2
        copy.save()
    assert access.visible_years(users["finance"]) == [2031, 2024, 2023, 2019]
    assert steps() < before * 1.5, (before, steps())
