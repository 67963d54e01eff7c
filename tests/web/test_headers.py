"""Response headers and error pages: CSP on every page, HSTS behind HTTPS, Chinese errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split(maxsplit=1)[1] for d in header.split(";") if d.strip()}


@pytest.mark.parametrize("url", ["/login/", "/forms/", "/forms/inbox/", "/dashboard/"])
def test_every_page_has_a_strict_script_policy(users, url):
    c = login(users["filler"]) if url != "/login/" else Client()
    r = c.get(url)
    assert r.status_code == 200
    csp = directives(r)
    assert csp["script-src"] == "'self'"
    assert csp["default-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"


def test_no_page_carries_an_inline_script(users, seed):
    c = login(users["filler"])
    for url in ["/forms/", f"/forms/{seed[0].pk}/", f"/forms/{seed[0].pk}/edit/", "/import/"]:
        html = c.get(url).content.decode()
        for tag in html.split("<script")[1:]:
            head = tag.split(">", 1)[0]
            assert "src=" in head or 'type="application/json"' in head, (url, head)


def settings_under(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json; from jixiao.web import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in "
        "('SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE')}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_hsts_and_secure_cookies_only_behind_https(tmp_path):
    data = {"JIXIAO_DATA_DIR": str(tmp_path)}
    plain = settings_under({**data, "JIXIAO_HTTPS": "0"})
    assert plain == {
        "SECURE_HSTS_SECONDS": None,
        "SESSION_COOKIE_SECURE": None,
        "CSRF_COOKIE_SECURE": None,
    }
    https = settings_under({**data, "JIXIAO_HTTPS": "1"})
    assert https == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_hsts_header_is_sent_when_configured(users, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    r = Client().get("/login/", secure=True)
    assert r["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_server_error_page_is_chinese(users, monkeypatch):
    from jixiao.web import access

    def broken(user, most=30):
        raise RuntimeError("boom")

    monkeypatch.setattr(access, "visible_years", broken)
    c = login(users["filler"])
    c.raise_request_exception = False
    r = c.get("/forms/")
    assert r.status_code == 500
    page = r.content.decode()
    assert "系统出错" in page
    assert "Server Error" not in page
    assert "boom" not in page


def test_bad_request_page_is_chinese(users):
    r = Client(HTTP_HOST="evil.example").get("/login/")
    assert r.status_code == 400
    assert "请求有误" in r.content.decode()
    assert "Bad Request" not in r.content.decode()


def test_csrf_refusal_is_chinese(users, seed):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["filler"])
    r = c.post(f"/forms/{seed[0].pk}/transition/", {"action": "submit"})
    assert r.status_code == 403
    page = r.content.decode()
    assert "页面已过期" in page
    assert "verification failed" not in page


def test_unknown_page_is_chinese(users):
    r = login(users["filler"]).get("/no/such/page/")
    assert r.status_code == 404
    assert "未找到" in r.content.decode()
