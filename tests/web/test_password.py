"""修改密码: Django's password change, in Chinese, signed in, throttled like the log-in."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.web.models import LoginFailure
from tests.web.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

URL = "/account/password/"
NEW = "Jiangqiao-2024-xinmima"


def change(c: Client, old: str, new1: str, new2: str | None = None):  # type: ignore[no-untyped-def]
    data = {
        "old_password": old,
        "new_password1": new1,
        "new_password2": new1 if new2 is None else new2,
    }
    return c.post(URL, data)


def password_unchanged(username: str) -> bool:
    return get_user_model().objects.get(username=username).check_password(PASSWORD)


def test_page_in_chinese_with_csrf(users):
    r = login(users["filler"]).get(URL)
    assert r.status_code == 200
    page = r.content.decode()
    assert "<title>修改密码 · jixiao 绩效</title>" in page
    for label in ("原密码", "新密码", "确认新密码"):
        assert f"<label>{label} <input" in page
    assert 'name="old_password"' in page
    assert 'autocomplete="current-password"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "你的密码必须包含至少 8 个字符。" in page  # the validators' help, in Chinese


def test_header_links_to_the_page(users):
    page = login(users["filler"]).get("/forms/").content.decode()
    assert f'<a href="{URL}">修改密码</a>' in page


def test_anonymous_is_sent_to_login(users):
    r = Client().get(URL)
    assert r.status_code == 302
    assert r["Location"] == f"/login/?next={URL}"
    r = change(Client(), PASSWORD, NEW)
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")
    assert password_unchanged("filler")


def test_wrong_old_password(users):
    r = change(login(users["filler"]), "not-my-password", NEW)
    assert r.status_code == 200
    page = r.content.decode()
    assert "原密码不正确，请重新输入。" in page
    assert "密码未修改" in page
    assert NEW not in page  # passwords are never echoed back
    assert password_unchanged("filler")


def test_new_passwords_must_match(users):
    r = change(login(users["filler"]), PASSWORD, NEW, NEW + "x")
    assert r.status_code == 200
    assert "两次输入的新密码不一致。" in r.content.decode()
    assert password_unchanged("filler")


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Ab3$xy", "这个密码太短了。它必须包含至少 8 个字符。"),
        ("password123", "这个密码太常见了。"),
    ],
)
def test_weak_new_password_refused(users, new, message):
    r = change(login(users["filler"]), PASSWORD, new)
    assert r.status_code == 200
    page = r.content.decode()
    assert message in page
    assert "This password" not in page  # nothing left in English
    assert password_unchanged("filler")


def test_success_keeps_session_and_switches_password(users):
    c = login(users["filler"])
    r = change(c, PASSWORD, NEW)
    assert r.status_code == 302
    assert r["Location"] == "/forms/"
    page = c.get("/forms/").content.decode()  # still signed in
    assert '<li class="msg-success">密码已修改，下次登录请使用新密码。</li>' in page
    user = get_user_model().objects.get(username="filler")
    assert user.check_password(NEW)
    assert not user.check_password(PASSWORD)

    old = Client().post("/login/", {"username": "filler", "password": PASSWORD})
    assert old.status_code == 200
    assert "用户名或密码不正确" in old.content.decode()
    fresh = Client()
    new = fresh.post("/login/", {"username": "filler", "password": NEW})
    assert new.status_code == 302
    assert fresh.get("/forms/").status_code == 200


def test_other_sessions_are_signed_out(users):
    elsewhere = login(users["filler"])
    assert elsewhere.get("/forms/").status_code == 200
    assert change(login(users["filler"]), PASSWORD, NEW).status_code == 302
    r = elsewhere.get("/forms/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")


def test_csrf_is_enforced(users):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["filler"])
    assert change(c, PASSWORD, NEW).status_code == 403
    assert password_unchanged("filler")


def test_guessing_the_old_password_is_throttled(users):
    c = login(users["dept"])
    for _ in range(django_settings.LOGIN_FAILURE_LIMIT):
        assert "原密码不正确" in change(c, "guess", NEW).content.decode()
    assert (
        LoginFailure.objects.filter(username="dept").count() == django_settings.LOGIN_FAILURE_LIMIT
    )
    r = change(c, PASSWORD, NEW)  # right, but locked
    assert r.status_code == 200
    assert "原密码错误次数过多，请 15 分钟后再试。" in r.content.decode()
    assert password_unchanged("dept")
    # the same count locks the log-in for that user name
    r = Client().post("/login/", {"username": "dept", "password": PASSWORD})
    assert "登录失败次数过多" in r.content.decode()
