"""Security: CSRF, hashed passwords, session expiry, log-in throttling, no stored XSS."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.web import records
from jixiao.web.models import EvaluationForm
from tests.web.conftest import PASSWORD, login, page_fields_of

pytestmark = pytest.mark.django_db

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)><b>粗体</b>'


def test_passwords_are_hashed_with_the_default_hasher(tree, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = get_user_model().objects.create_user("h", password="s3cret-Passw0rd")
    assert user.password.startswith("pbkdf2_sha256$")
    assert "s3cret-Passw0rd" not in user.password
    assert user.check_password("s3cret-Passw0rd")


def test_sessions_expire():
    assert django_settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert django_settings.SESSION_COOKIE_HTTPONLY


def test_csrf_is_enforced(seed, users):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["filler"])
    r = c.post(f"/forms/{seed[0].pk}/transition/", {"action": "submit"})
    assert r.status_code == 403
    assert EvaluationForm.objects.get(pk=seed[0].pk).status == "draft"
    page = c.get(f"/forms/{seed[0].pk}/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_login_and_throttling(users):
    c = Client()
    r = c.post("/login/", {"username": "filler", "password": PASSWORD})
    assert r.status_code == 302
    assert c.get("/forms/").status_code == 200
    c = Client()
    for _ in range(django_settings.LOGIN_FAILURE_LIMIT):
        r = c.post("/login/", {"username": "dept", "password": "wrong"})
        assert "用户名或密码不正确" in r.content.decode()
    r = c.post("/login/", {"username": "dept", "password": PASSWORD})  # right, but locked
    assert r.status_code == 200
    assert "登录失败次数过多" in r.content.decode()
    assert c.get("/forms/").status_code == 302
    # another user is not locked out by this
    assert (
        Client().post("/login/", {"username": "finance", "password": PASSWORD}).status_code == 302
    )


def test_logout_needs_post(users):
    c = login(users["filler"])
    assert c.get("/logout/").status_code == 405
    assert c.post("/logout/").status_code == 302
    assert c.get("/forms/").status_code == 302


def evil_form(tree, users, seed_forms) -> EvaluationForm:
    form = seed_forms[0].model_copy(deep=True)
    form.project = EVIL
    form.goals.expected = EVIL
    form.indicators[0].name = EVIL
    form.indicators[0].deviation = EVIL
    return records.create(tree.chengyun, form, users["filler"], comment=EVIL)


def test_html_in_text_fields_shows_as_text_in_pages(tree, users, seed_forms):
    obj = evil_form(tree, users, seed_forms)
    c = login(users["filler"])
    for url in (
        "/forms/",
        f"/forms/{obj.pk}/",
        f"/forms/{obj.pk}/edit/",
        "/dashboard/",
        "/forms/inbox/",
    ):
        html = c.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
    detail = c.get(f"/forms/{obj.pk}/").content.decode()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in detail  # Jinja2's escaping
    # the official layout is escaped inside the (sandboxed) frame's document too
    assert "&amp;lt;script&amp;gt;" in detail
    export = c.get(f"/forms/{obj.pk}/export/html/").content.decode()
    assert "<script>" not in export and "&lt;script&gt;" in export


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_html_in_text_fields_shows_as_text_in_pdfs(tree, users, seed_forms):
    obj = evil_form(tree, users, seed_forms)
    pdf = login(users["filler"]).get(f"/forms/{obj.pk}/export/pdf/").content
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    squashed = "".join(text.split())
    assert "<b>粗体</b>" in squashed


def test_edit_keeps_html_as_text(seed, users):
    obj = seed[0]
    data = page_fields_of(obj)
    data["project"] = EVIL
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 302
    assert EvaluationForm.objects.get(pk=obj.pk).form.project == EVIL
    html = login(users["filler"]).get(f"/forms/{obj.pk}/").content.decode()
    assert "<script>alert" not in html


def test_security_headers(users):
    r = login(users["filler"]).get("/forms/")
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"


def test_an_expired_session_must_log_in_again(users):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    c = Client()
    assert c.post("/login/", {"username": "filler", "password": PASSWORD}).status_code == 302
    assert c.get("/forms/").status_code == 200
    session = Session.objects.get(session_key=c.session.session_key)
    age = session.expire_date - timezone.now()
    assert timedelta(hours=7) < age <= timedelta(hours=8)
    session.expire_date = timezone.now() - timedelta(seconds=1)
    session.save()
    r = c.get("/forms/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")


@pytest.mark.parametrize("spelling", ["dept ", " dept", "ｄｅｐｔ", "DEPT"])
def test_a_locked_name_is_locked_in_every_spelling(users, spelling):
    c = Client()
    for _ in range(django_settings.LOGIN_FAILURE_LIMIT):
        c.post("/login/", {"username": "dept", "password": "wrong"})
    r = c.post("/login/", {"username": spelling, "password": PASSWORD})
    assert "登录失败次数过多" in r.content.decode()
    assert c.get("/forms/").status_code == 302


def test_spelling_variants_count_as_one_name(users):
    c = Client()
    for name in ["dept", "dept ", " dept", "ｄｅｐｔ", "Dept"]:
        c.post("/login/", {"username": name, "password": "wrong"})
    r = c.post("/login/", {"username": "dept", "password": PASSWORD})
    assert "登录失败次数过多" in r.content.decode()


def test_an_address_failures_do_not_lock_other_users(users):
    c = Client()
    for i in range(40):  # guesses at many names from one address
        c.post("/login/", {"username": f"nobody{i}", "password": "wrong"})
    assert c.post("/login/", {"username": "finance", "password": PASSWORD}).status_code == 302


def test_an_address_limit_can_be_switched_on(users, settings):
    settings.LOGIN_ADDRESS_LIMIT = 10
    c = Client()
    for i in range(10):
        c.post("/login/", {"username": f"nobody{i}", "password": "wrong"})
    r = c.post("/login/", {"username": "finance", "password": PASSWORD})
    assert "登录失败次数过多" in r.content.decode()


def test_a_name_is_locked_from_any_address_after_more_failures(users):
    for i in range(django_settings.LOGIN_FAILURE_LIMIT_ANY_ADDRESS):
        Client(REMOTE_ADDR=f"10.0.0.{i}").post("/login/", {"username": "dept", "password": "x"})
    r = Client(REMOTE_ADDR="10.9.9.9").post("/login/", {"username": "dept", "password": PASSWORD})
    assert "登录失败次数过多" in r.content.decode()


def test_unlock_forgets_every_spelling(users):
    from jixiao.web.auth import unlock

    c = Client()
    for name in ["dept", "ｄｅｐｔ", "dept ", "DEPT", "dept"]:
        c.post("/login/", {"username": name, "password": "wrong"})
    assert unlock(" Dept") == django_settings.LOGIN_FAILURE_LIMIT
    assert c.post("/login/", {"username": "dept", "password": PASSWORD}).status_code == 302
