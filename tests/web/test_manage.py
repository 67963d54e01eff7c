"""系统管理: the unit tree, users, roles fitting units, and scoping of the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client

from jixiao.web import access
from jixiao.web.models import (
    EvaluationForm,
    FormFinding,
    Job,
    LoginFailure,
    Organisation,
    Profile,
    Role,
)
from tests.web.conftest import PASSWORD, login, make_user

pytestmark = pytest.mark.django_db
User = get_user_model()

# Every role at every kind of node it may not stand at, with the message's words.
INVALID = [
    (Role.FINANCE_REVIEWER, "chengyun", "角色“财政审核”只能设在财政局"),
    (Role.FINANCE_REVIEWER, "jiangqiao", "角色“财政审核”只能设在财政局"),
    (Role.ADMIN, "chengyun", "角色“管理员”只能设在财政局"),
    (Role.ADMIN, "education", "角色“管理员”只能设在财政局"),
    (Role.DEPARTMENT_REVIEWER, "chengyun", "角色“主管部门审核”只能设在主管部门"),
    (Role.DEPARTMENT_REVIEWER, "finance", "角色“主管部门审核”只能设在主管部门"),
    (Role.FILLER, "jiangqiao", "角色“填报人”只能设在预算单位"),
    (Role.FILLER, "finance", "角色“填报人”只能设在预算单位"),
    (Role.UNIT_REVIEWER, "education", "角色“单位审核”只能设在预算单位"),
    (Role.UNIT_REVIEWER, "finance", "角色“单位审核”只能设在预算单位"),
]


def other_district() -> dict[str, Organisation]:
    """A second 财政局 with a 主管部门 and a 预算单位."""
    fin = Organisation.objects.create(name="南翔区财政局", kind="finance", code="302001")
    dept = Organisation.objects.create(
        name="南翔镇", kind="department", parent=fin, code="30200101"
    )
    unit = Organisation.objects.create(
        name="南翔镇文化站", kind="unit", parent=dept, code="30200101001"
    )
    return {"finance": fin, "department": dept, "unit": unit}


# Roles must fit units ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "node", "words"), INVALID)
def test_model_refuses_a_role_at_the_wrong_kind_of_unit(tree, role, node, words):
    user = User.objects.create_user("x", password=PASSWORD)
    with pytest.raises(ValidationError) as err:
        Profile.objects.create(user=user, organisation=getattr(tree, node), role=role)
    assert words in str(err.value)
    assert getattr(tree, node).name in str(err.value)
    assert not Profile.objects.filter(user=user).exists()


@pytest.mark.parametrize(("role", "node", "words"), INVALID)
def test_user_form_refuses_a_role_at_the_wrong_kind_of_unit(tree, users, role, node, words):
    c = login(users["admin"])
    r = c.post(
        "/manage/users/new/",
        {
            "username": "newbie",
            "first_name": "新人",
            "organisation": getattr(tree, node).pk,
            "role": role,
            "password1": "Long-enough-pw-9",
            "password2": "Long-enough-pw-9",
        },
    )
    assert r.status_code == 400
    assert words in r.content.decode()
    assert not User.objects.filter(username="newbie").exists()


def test_existing_role_change_to_an_unfitting_unit_is_refused_in_the_model(tree, users):
    profile = users["dept"].profile
    profile.organisation = tree.chengyun
    with pytest.raises(ValidationError, match="主管部门审核"):
        profile.save()
    assert Profile.objects.get(pk=profile.pk).organisation == tree.jiangqiao


def test_login_refuses_a_user_without_a_unit(tree):
    User.objects.create_user("nobody", password=PASSWORD)
    r = Client().post("/login/", {"username": "nobody", "password": PASSWORD})
    assert r.status_code == 200
    assert "该账号没有所属单位，不能登录" in r.content.decode()
    assert "_auth_user_id" not in Client().session
    # a superuser without a unit may log in (Django's admin)
    User.objects.create_superuser("root", password=PASSWORD)
    r = Client().post("/login/", {"username": "root", "password": PASSWORD})
    assert r.status_code == 302


# Who may open the pages -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["filler", "unit_reviewer", "dept"])
def test_other_roles_get_403(users, who):
    c = login(users[who])
    for url in ("/manage/", "/manage/units/", "/manage/users/", "/manage/users/new/"):
        assert c.get(url).status_code == 403
    page = c.get("/forms/").content.decode()
    assert "系统管理" not in page


def test_admin_and_finance_see_the_nav_link(users):
    for who in ("admin", "finance"):
        page = login(users[who]).get("/forms/").content.decode()
        assert 'href="/manage/units/">系统管理</a>' in page
        assert "/admin/" not in page  # Django's admin is for superusers only


def test_finance_reviewer_is_limited_to_their_own_tree(tree, users):
    other = other_district()
    stranger = make_user("nanxiang", other["unit"], Role.FILLER)
    c = login(users["finance"])
    page = c.get("/manage/units/").content.decode()
    assert "江桥镇" in page and "南翔镇" not in page
    for node in other.values():
        assert c.get(f"/manage/units/{node.pk}/").status_code == 404
        assert c.get(f"/manage/units/{node.pk}/move/").status_code == 404
        assert c.post(f"/manage/units/{node.pk}/step/", {"action": "close"}).status_code == 404
    assert c.get(f"/manage/users/{stranger.pk}/").status_code == 404
    assert c.post(f"/manage/users/{stranger.pk}/step/", {"action": "deactivate"}).status_code == 404
    # nor a 管理员 of their own tree, nor may they grant that role
    assert c.get(f"/manage/users/{users['admin'].pk}/").status_code == 404
    users_page = c.get("/manage/users/").content.decode()
    assert "nanxiang" not in users_page and ">admin<" not in users_page
    r = c.post(
        "/manage/users/new/",
        {
            "username": "boss",
            "first_name": "越权",
            "organisation": tree.finance.pk,
            "role": Role.ADMIN,
            "password1": "Long-enough-pw-9",
            "password2": "Long-enough-pw-9",
        },
    )
    assert r.status_code == 400 and "您不能授予这个角色" in r.content.decode()
    # a unit of the other district is not a choice for a new user
    r = c.post(
        "/manage/users/new/",
        {
            "username": "sneak",
            "first_name": "越权",
            "organisation": other["unit"].pk,
            "role": Role.FILLER,
            "password1": "Long-enough-pw-9",
            "password2": "Long-enough-pw-9",
        },
    )
    assert r.status_code == 400 and "请选择列表中的单位" in r.content.decode()
    # their own root stays put
    assert c.post(f"/manage/units/{tree.finance.pk}/step/", {"action": "close"}).status_code == 302
    assert Organisation.objects.get(pk=tree.finance.pk).closed_at is None
    # the 管理员 sees both districts
    page = login(users["admin"]).get("/manage/units/").content.decode()
    assert "江桥镇" in page and "南翔镇" in page


# The unit tree ----------------------------------------------------------------------------


def test_tree_page_shows_codes_indentation_and_counts(tree, users, seed):
    tree.chengyun.code = "30100101001"
    tree.chengyun.save()
    r = login(users["admin"]).get("/manage/units/")
    rows = {row.node.pk: row for row in r.context["rows"]}
    order = [tree.finance, tree.jiangqiao, tree.chengyun, tree.shequ, tree.education, tree.school]
    assert [row.node.pk for row in r.context["rows"]] == [n.pk for n in order]
    assert rows[tree.finance.pk].depth == 0
    assert rows[tree.jiangqiao.pk].depth == 1 and rows[tree.chengyun.pk].depth == 2
    assert rows[tree.chengyun.pk].forms == 9 and rows[tree.chengyun.pk].users == 2
    assert rows[tree.jiangqiao.pk].forms == 9 and rows[tree.jiangqiao.pk].users == 4
    assert rows[tree.finance.pk].users == 8 and rows[tree.school.pk].forms == 0
    assert "30100101001" in r.content.decode()


def test_create_nodes_where_their_kind_fits(tree, users):
    c = login(users["admin"])
    ok = c.post(
        "/manage/units/new/",
        {
            "parent": tree.education.pk,
            "kind": "unit",
            "name": "嘉定区第二中学",
            "code": "301002009",
        },
    )
    assert ok.status_code == 302
    node = Organisation.objects.get(code="301002009")
    assert node.parent == tree.education and node.path == f"{tree.education.path}{node.pk}/"
    cases = [
        ({"parent": "", "kind": "unit"}, "预算单位必须设在某个主管部门之下"),
        ({"parent": tree.finance.pk, "kind": "unit"}, "预算单位只能设在主管部门之下"),
        ({"parent": tree.chengyun.pk, "kind": "unit"}, "请选择列表中"),  # a unit has no children
        ({"parent": tree.finance.pk, "kind": "finance"}, "财政局只能是最上级单位"),
        ({"parent": "", "kind": "department"}, "主管部门必须设在某个财政局之下"),
    ]
    for fields, words in cases:
        r = c.post("/manage/units/new/", {"name": "某单位", "code": "999", **fields})
        assert r.status_code == 400, fields
        assert words in r.content.decode(), (fields, r.content.decode())
    bad_code = c.post(
        "/manage/units/new/",
        {"parent": tree.education.pk, "kind": "unit", "name": "甲", "code": "30-1"},
    )
    assert "单位编码只能由数字和英文字母组成" in bad_code.content.decode()
    dup = c.post(
        "/manage/units/new/",
        {"parent": tree.education.pk, "kind": "unit", "name": "乙", "code": "301002009"},
    )
    assert "单位编码已被其他单位使用" in dup.content.decode()
    no_code = c.post(
        "/manage/units/new/", {"parent": tree.education.pk, "kind": "unit", "name": "丙"}
    )
    assert "请填写单位编码" in no_code.content.decode()
    assert not Organisation.objects.filter(name__in=["某单位", "甲", "乙", "丙"]).exists()
    # a new 财政局 at the top: only for the whole-system 管理员
    top = c.post(
        "/manage/units/new/", {"parent": "", "kind": "finance", "name": "新区财政局", "code": "303"}
    )
    assert top.status_code == 302
    r = login(users["finance"]).post(
        "/manage/units/new/", {"parent": "", "kind": "finance", "name": "越权财政局", "code": "304"}
    )
    assert r.status_code == 400 and "请选择上级单位" in r.content.decode()


def test_model_refuses_a_node_under_the_wrong_parent(tree):
    with pytest.raises(ValidationError, match="主管部门只能设在财政局之下"):
        Organisation.objects.create(name="错位", kind="department", parent=tree.jiangqiao)
    with pytest.raises(ValidationError, match="财政局只能是最上级单位"):
        Organisation.objects.create(name="错位", kind="finance", parent=tree.finance)


def test_rename_and_recode(tree, users):
    c = login(users["finance"])
    r = c.post(f"/manage/units/{tree.shequ.pk}/", {"name": "江桥镇社区事务中心", "code": "A12"})
    assert r.status_code == 302
    node = Organisation.objects.get(pk=tree.shequ.pk)
    assert (node.name, node.code, node.parent_id) == (
        "江桥镇社区事务中心",
        "A12",
        tree.jiangqiao.pk,
    )
    r = c.post(f"/manage/units/{tree.shequ.pk}/", {"name": "", "code": "A12"})
    assert r.status_code == 400 and "请填写单位名称" in r.content.decode()


def test_move_a_unit_carries_its_forms_and_scoping_follows(tree, users, seed):
    form = seed[0]
    assert FormFinding.objects.filter(form=form).exists()
    c = login(users["admin"])
    r = c.post(f"/manage/units/{tree.chengyun.pk}/move/", {"parent": tree.education.pk})
    assert r.status_code == 302
    node = Organisation.objects.get(pk=tree.chengyun.pk)
    assert node.path == f"{tree.education.path}{node.pk}/"
    assert set(
        EvaluationForm.objects.filter(organisation=node).values_list("org_path", flat=True)
    ) == {node.path}
    assert set(
        FormFinding.objects.filter(form__organisation=node).values_list("org_path", flat=True)
    ) == {node.path}
    # the old 主管部门 no longer sees the forms; the new one does
    assert login(users["dept"]).get(f"/forms/{form.pk}/").status_code == 404
    assert login(users["edu"]).get(f"/forms/{form.pk}/").status_code == 200
    assert login(users["filler"]).get(f"/forms/{form.pk}/").status_code == 200
    # the next save takes the 主管部门 from the tree
    obj = EvaluationForm.objects.get(pk=form.pk)
    assert obj.form.department == "江桥镇"


def test_move_a_department_moves_the_whole_subtree(tree, users, seed):
    other = other_district()
    c = login(users["admin"])
    wrong = c.post(f"/manage/units/{tree.jiangqiao.pk}/move/", {"parent": other["department"].pk})
    assert wrong.status_code == 400 and "请选择列表中的单位" in wrong.content.decode()
    r = c.post(f"/manage/units/{tree.jiangqiao.pk}/move/", {"parent": other["finance"].pk})
    assert r.status_code == 302
    jq = Organisation.objects.get(pk=tree.jiangqiao.pk)
    assert jq.path == f"{other['finance'].path}{jq.pk}/"
    for unit in (tree.chengyun, tree.shequ):
        assert Organisation.objects.get(pk=unit.pk).path == f"{jq.path}{unit.pk}/"
    paths = set(
        EvaluationForm.objects.filter(pk__in=[f.pk for f in seed]).values_list(
            "org_path", flat=True
        )
    )
    assert paths == {f"{jq.path}{tree.chengyun.pk}/"}
    # 嘉定区财政局's reviewer no longer sees them; the 主管部门 reviewer still does
    fresh = {who: User.objects.get(pk=users[who].pk) for who in ("finance", "dept")}
    assert access.visible_forms(fresh["finance"]).count() == 0
    assert access.visible_forms(fresh["dept"]).count() == 9
    assert login(users["finance"]).get(f"/forms/{seed[0].pk}/").status_code == 404


def test_a_finance_node_cannot_be_moved(tree, users):
    r = login(users["admin"]).get(f"/manage/units/{tree.finance.pk}/move/")
    assert r.status_code == 302
    r = login(users["admin"]).get("/manage/units/", follow=True)
    assert Organisation.objects.get(pk=tree.finance.pk).parent is None


def test_close_and_reopen(tree, users):
    c = login(users["admin"])
    r = c.post(f"/manage/units/{tree.jiangqiao.pk}/step/", {"action": "close"}, follow=True)
    assert "尚未撤销，不能撤销“江桥镇”" in r.content.decode()
    assert Organisation.objects.get(pk=tree.jiangqiao.pk).closed_at is None
    r = c.post(f"/manage/units/{tree.shequ.pk}/step/", {"action": "close"}, follow=True)
    assert "已撤销" in r.content.decode()
    shequ = Organisation.objects.get(pk=tree.shequ.pk)
    assert shequ.closed
    # no new forms there
    sq = users["sq_filler"]
    assert not access.units_for(sq).exists()
    assert (
        login(sq)
        .post("/forms/new/", {"unit": shequ.pk, "year": "2025", "project": "新"})
        .status_code
        == 403
    )
    # no new users there
    r = c.post(
        "/manage/users/new/",
        {
            "username": "late",
            "first_name": "迟到",
            "organisation": shequ.pk,
            "role": Role.FILLER,
            "password1": "Long-enough-pw-9",
            "password2": "Long-enough-pw-9",
        },
    )
    assert r.status_code == 400 and not User.objects.filter(username="late").exists()
    with pytest.raises(ValidationError, match="已撤销，不能再添加用户"):
        make_user("late2", shequ, Role.FILLER)
    # a closed parent takes no children and its children cannot reopen before it
    c.post(f"/manage/units/{tree.chengyun.pk}/step/", {"action": "close"})
    c.post(f"/manage/units/{tree.jiangqiao.pk}/step/", {"action": "close"})
    assert Organisation.objects.get(pk=tree.jiangqiao.pk).closed
    r = c.post(f"/manage/units/{tree.shequ.pk}/step/", {"action": "reopen"}, follow=True)
    assert "上级单位“江桥镇”已撤销" in r.content.decode()
    r = c.post(
        "/manage/units/new/",
        {"parent": tree.jiangqiao.pk, "kind": "unit", "name": "新", "code": "77"},
    )
    assert r.status_code == 400
    c.post(f"/manage/units/{tree.jiangqiao.pk}/step/", {"action": "reopen"})
    c.post(f"/manage/units/{tree.shequ.pk}/step/", {"action": "reopen"})
    assert not Organisation.objects.get(pk=tree.shequ.pk).closed
    assert access.units_for(sq).exists()


def test_delete_only_an_empty_node(tree, users, seed):
    c = login(users["admin"])
    r = c.post(f"/manage/units/{tree.chengyun.pk}/step/", {"action": "delete"}, follow=True)
    assert "已有自评表，不能删除" in r.content.decode()
    assert Organisation.objects.filter(pk=tree.chengyun.pk).exists()
    empty = Organisation.objects.create(name="空单位", kind="unit", parent=tree.education, code="5")
    c.post(f"/manage/units/{empty.pk}/step/", {"action": "delete"})
    assert not Organisation.objects.filter(pk=empty.pk).exists()


# Users ------------------------------------------------------------------------------------


def new_user_post(tree, **over):
    data = {
        "username": "wang",
        "first_name": "王新",
        "organisation": tree.school.pk,
        "role": Role.FILLER,
        "password1": "Long-enough-pw-9",
        "password2": "Long-enough-pw-9",
    }
    data.update(over)
    return data


def test_create_a_user_with_unit_role_and_password(tree, users):
    c = login(users["admin"])
    r = c.post("/manage/users/new/", new_user_post(tree))
    assert r.status_code == 302
    user = User.objects.get(username="wang")
    assert (user.first_name, user.profile.organisation, user.profile.role) == (
        "王新",
        tree.school,
        "filler",
    )
    r = Client().post("/login/", {"username": "wang", "password": "Long-enough-pw-9"})
    assert r.status_code == 302
    # Django's validators, in Chinese; a name taken (in any case); a missing unit
    short = c.post(
        "/manage/users/new/", new_user_post(tree, username="li", password1="abc", password2="abc")
    )
    assert "这个密码太短了" in short.content.decode()
    common = c.post(
        "/manage/users/new/",
        new_user_post(tree, username="li", password1="password", password2="password"),
    )
    assert "这个密码太常见了" in common.content.decode()
    taken = c.post("/manage/users/new/", new_user_post(tree, username="WANG"))
    assert "用户名“WANG”已被使用" in taken.content.decode()
    nounit = c.post("/manage/users/new/", new_user_post(tree, username="li", organisation=""))
    assert "每个用户都必须有所属单位" in nounit.content.decode()
    mismatch = c.post(
        "/manage/users/new/", new_user_post(tree, username="li", password2="other-pw-123")
    )
    assert "两次输入的密码不一致" in mismatch.content.decode()
    assert not User.objects.filter(username="li").exists()


def test_list_filters_by_unit_and_role(tree, users):
    c = login(users["admin"])
    r = c.get("/manage/users/", {"unit": tree.jiangqiao.pk})
    names = {u.username for u in r.context["page"].object_list}
    assert names == {"filler", "unitrev", "dept", "sqfiller"}
    r = c.get("/manage/users/", {"unit": tree.jiangqiao.pk, "role": Role.FILLER})
    assert {u.username for u in r.context["page"].object_list} == {"filler", "sqfiller"}
    r = c.get("/manage/users/", {"q": "school"})
    assert [u.username for u in r.context["page"].object_list] == ["school"]


def test_edit_unit_and_role(tree, users):
    c = login(users["admin"])
    person = users["sq_filler"]
    r = c.post(
        f"/manage/users/{person.pk}/",
        {"first_name": "社区审核", "organisation": tree.shequ.pk, "role": Role.UNIT_REVIEWER},
    )
    assert r.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "社区审核" and person.profile.role == Role.UNIT_REVIEWER
    r = c.post(
        f"/manage/users/{person.pk}/",
        {"first_name": "x", "organisation": tree.jiangqiao.pk, "role": Role.DEPARTMENT_REVIEWER},
    )
    assert r.status_code == 302
    assert Profile.objects.get(user=person).organisation == tree.jiangqiao
    r = c.post(
        f"/manage/users/{person.pk}/",
        {"first_name": "x", "organisation": tree.school.pk, "role": Role.DEPARTMENT_REVIEWER},
    )
    assert r.status_code == 400 and "只能设在主管部门" in r.content.decode()


def test_reset_password_generated_and_shown_once_or_typed(tree, users):
    c = login(users["admin"])
    person = users["school_filler"]
    old_session = login(person)
    r = c.post(f"/manage/users/{person.pk}/password/", {})
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    password = r.context["password"]
    assert len(password) == 12 and password in r.content.decode()
    assert Client().post("/login/", {"username": "school", "password": PASSWORD}).status_code == 200
    assert Client().post("/login/", {"username": "school", "password": password}).status_code == 302
    assert old_session.get("/forms/").status_code == 302  # signed out by the new password
    # the page shows it once: the user's page does not
    assert password not in c.get(f"/manage/users/{person.pk}/").content.decode()
    r = c.post(
        f"/manage/users/{person.pk}/password/",
        {"password1": "Typed-new-pw-77", "password2": "Typed-new-pw-77"},
    )
    assert r.status_code == 302
    assert (
        Client().post("/login/", {"username": "school", "password": "Typed-new-pw-77"}).status_code
        == 302
    )
    r = c.post(f"/manage/users/{person.pk}/password/", {"password1": "123", "password2": "123"})
    assert r.status_code == 400 and "这个密码太短了" in r.content.decode()


def test_unlock_lets_a_locked_user_log_in(users, settings):
    # failures under spellings that authenticate as "school" all count, and unlock clears all
    for name in ("school", "school ", " school", "ｓｃｈｏｏｌ", "SCHOOL"):
        Client().post("/login/", {"username": name, "password": "wrong"})
    right = {"username": "school", "password": PASSWORD}
    r = Client().post("/login/", right)
    assert r.status_code == 200 and "登录失败次数过多" in r.content.decode()
    c = login(users["admin"])
    page = c.get(f"/manage/users/{users['school_filler'].pk}/").content.decode()
    assert "登录已锁定" in page
    assert users["school_filler"].pk in c.get("/manage/users/").context["locked"]
    r = c.post(
        f"/manage/users/{users['school_filler'].pk}/step/", {"action": "unlock"}, follow=True
    )
    assert "已解除“school”的登录锁定" in r.content.decode()
    assert LoginFailure.objects.count() == 0
    assert Client().post("/login/", right).status_code == 302


def test_deactivate_and_reactivate(users):
    c = login(users["admin"])
    person = users["school_filler"]
    c.post(f"/manage/users/{person.pk}/step/", {"action": "deactivate"})
    person.refresh_from_db()
    assert not person.is_active
    r = Client().post("/login/", {"username": "school", "password": PASSWORD})
    assert r.status_code == 200
    c.post(f"/manage/users/{person.pk}/step/", {"action": "activate"})
    assert Client().post("/login/", {"username": "school", "password": PASSWORD}).status_code == 302


def test_no_self_deactivation_and_the_last_admin_stays(tree, users):
    admin = users["admin"]
    c = login(admin)
    r = c.post(f"/manage/users/{admin.pk}/step/", {"action": "deactivate"}, follow=True)
    assert "不能停用自己的账号" in r.content.decode()
    other = make_user("admin2", tree.finance, Role.ADMIN)
    c2 = login(other)
    r = c2.post(f"/manage/users/{admin.pk}/step/", {"action": "deactivate"}, follow=True)
    assert "已停用用户“admin”" in r.content.decode()
    # now admin2 is the last: another 管理员 (a superuser) may not take it away
    root = User.objects.create_superuser("root", password=PASSWORD)
    c3 = login(root)
    r = c3.post(f"/manage/users/{other.pk}/step/", {"action": "deactivate"}, follow=True)
    assert "最后一个在用的管理员" in r.content.decode()
    r = c3.post(
        f"/manage/users/{other.pk}/",
        {"first_name": "x", "organisation": tree.finance.pk, "role": Role.FINANCE_REVIEWER},
    )
    assert r.status_code == 400 and "最后一个在用的管理员" in r.content.decode()
    other.refresh_from_db()
    assert other.is_active and other.profile.role == Role.ADMIN


# Forms' 实施单位 and 主管部门 come from the tree ------------------------------------------


def test_new_and_edited_forms_take_unit_and_department_from_the_tree(tree, users, seed):
    c = login(users["filler"])
    r = c.post("/forms/new/", {"unit": tree.chengyun.pk, "year": "2026", "project": "树上的名称"})
    new = EvaluationForm.objects.get(project="树上的名称")
    assert (new.form.unit, new.form.department) == (tree.chengyun.name, "江桥镇")
    assert r.status_code == 302
    # the editor shows them read-only; a posted free text does not stick
    page = c.get(f"/forms/{new.pk}/edit/").content.decode()
    assert 'value="江桥镇" readonly' in page
    from tests.web.conftest import page_fields_of

    data = page_fields_of(new)
    data["department"] = "随便写的部门"
    data["unit"] = "随便写的单位"
    data["goals.expected"] = "改一处"
    assert c.post(f"/forms/{new.pk}/edit/", data).status_code == 302
    new.refresh_from_db()
    assert (new.form.unit, new.form.department) == (tree.chengyun.name, "江桥镇")
    assert new.unit_name == tree.chengyun.name
    # after a rename, the next save takes the new name
    Organisation.objects.filter(pk=tree.jiangqiao.pk).update(name="江桥镇人民政府")
    data["goals.expected"] = "再改一处"
    c.post(f"/forms/{new.pk}/edit/", data)
    new.refresh_from_db()
    assert new.form.department == "江桥镇人民政府"


def import_job(client, upload) -> Job:
    """The import job an upload starts (run at once: tests run tasks in the request)."""
    r = client.post("/import/", {"files": [upload]})
    assert r.status_code == 302
    job = Job.objects.get(pk=int(r["Location"].strip("/").split("/")[-1]))
    assert job.state == "done"
    return job


def test_imported_forms_take_the_department_from_the_tree(tree, users, seed_forms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jixiao.model import dump_forms

    form = seed_forms[0].model_copy(deep=True)
    form.department = "写错的主管部门"
    form.project = "导入的项目"
    upload = SimpleUploadedFile("one.json", dump_forms([form]).encode())
    job = import_job(login(users["filler"]), upload)
    assert len(job.report[0]["imported"]) == 1
    stored = EvaluationForm.objects.get(project="导入的项目")
    assert (stored.form.unit, stored.form.department) == (tree.chengyun.name, "江桥镇")


# Django's admin: superusers only, in Chinese ----------------------------------------------


def test_django_admin_is_for_superusers_only_and_chinese(tree, users, seed):
    assert login(users["admin"]).get("/admin/").status_code in (302, 403)
    r = login(users["admin"]).get("/admin/", follow=True)
    assert r.status_code == 403
    root = User.objects.create_superuser("root", password=PASSWORD)
    c = login(root)
    for url in (
        "/admin/",
        "/admin/web/organisation/",
        "/admin/web/organisation/?kind__exact=unit",
        f"/admin/web/organisation/{tree.chengyun.pk}/change/",
        "/admin/web/evaluationform/",
        "/admin/web/event/",
        "/admin/auth/user/",
        f"/admin/auth/user/{users['filler'].pk}/change/",
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        page = r.content.decode()
        for english in (
            "Evaluation form",
            "组织s",
            "Parent",
            "Organisation",
            ">Web<",
            "Permissions",
        ):
            assert english not in page, (url, english)
    index = c.get("/admin/").content.decode()
    assert "绩效自评" in index and "自评表" in index and "单位" in index


def english(text: str) -> bool:
    """Whether ``text`` holds an English word (lower-case letters; 'JSON' is a format name)."""
    return any("a" <= ch <= "z" for ch in text)


def test_every_model_has_a_chinese_name():
    from django.apps import apps

    for model in apps.get_app_config("web").get_models():
        meta = model._meta
        for name in (str(meta.verbose_name), str(meta.verbose_name_plural)):
            assert not english(name), (model, name)
        for field in meta.get_fields():
            if hasattr(field, "verbose_name") and not field.auto_created:
                assert not english(str(field.verbose_name)), (model, field.name)


def visible_text(html: str) -> str:
    import re

    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"&[a-z]+;", " ", html)


def test_manage_pages_show_no_english(tree, users, seed):
    c = login(users["admin"])
    person = users["filler"]
    for url in (
        "/manage/units/",
        "/manage/units/new/",
        f"/manage/units/new/?parent={tree.jiangqiao.pk}",
        f"/manage/units/{tree.chengyun.pk}/",
        f"/manage/units/{tree.chengyun.pk}/move/",
        "/manage/users/",
        "/manage/users/new/",
        f"/manage/users/{person.pk}/",
        f"/manage/users/{person.pk}/password/",
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        text = visible_text(r.content.decode()).replace("jixiao", "")
        for name in sorted((u.username for u in users.values()), key=len, reverse=True):
            text = text.replace(name, "")  # user names are data
        assert not english(text), (url, [w for w in text.split() if english(w)])


def test_no_import_into_a_closed_unit(tree, users, seed_forms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jixiao.model import dump_forms

    Organisation.objects.filter(pk=tree.chengyun.pk).update(closed_at="2026-01-01T00:00:00Z")
    # its 填报人 may no longer import at all; a 管理员 gets the reason for that unit's form
    assert login(users["filler"]).get("/import/").status_code == 403
    form = seed_forms[0].model_copy(deep=True)
    upload = SimpleUploadedFile("one.json", dump_forms([form]).encode())
    job = import_job(login(users["admin"]), upload)
    assert job.report[0]["imported"] == []
    assert job.report[0]["failed"] == [
        f"“{form.label}”：实施单位“{tree.chengyun.name}”已撤销，未导入"
    ]
    assert not EvaluationForm.objects.exists()


def test_accounts_stored_before_the_rule_are_listed_for_repair(tree, users):
    # as an old database may hold them: saved past Profile.save's check
    Profile.objects.filter(user=users["finance"]).update(organisation=tree.chengyun)
    User.objects.create_user("orphan", password=PASSWORD)
    c = login(users["admin"])
    page = c.get("/manage/users/").content.decode()
    assert "有 2 个用户的角色与所属单位不符或没有所属单位" in page
    r = c.get("/manage/users/", {"misplaced": "yes"})
    assert {u.username for u in r.context["page"].object_list} == {"finance", "orphan"}
    assert "角色与单位不符" in r.content.decode() and "无所属单位" in r.content.decode()
    # put right on the user's page
    orphan = User.objects.get(username="orphan")
    r = c.post(
        f"/manage/users/{orphan.pk}/",
        {"first_name": "补", "organisation": tree.school.pk, "role": Role.FILLER},
    )
    assert r.status_code == 302 and User.objects.get(pk=orphan.pk).profile.role == "filler"
    r = c.get("/manage/users/", {"misplaced": "yes"})
    assert {u.username for u in r.context["page"].object_list} == {"finance"}
