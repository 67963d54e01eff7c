"""The Content-Security-Policy header built once (web/policy_header.py): the text django-csp
builds, not built again for each response, and django-csp's own way for a response with a
policy of its own or a nonce."""

from __future__ import annotations

import csp.middleware
import pytest
from csp.constants import NONCE
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from jixiao.web import policy_header
from jixiao.web.policy_header import CSPMiddleware
from tests.web.conftest import login

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def respond(path: str = "/forms/", **attrs: object) -> tuple[object, HttpResponse]:
    request = RequestFactory().get(path)
    middleware = CSPMiddleware(lambda r: HttpResponse("ok"))
    middleware.process_request(request)
    response = HttpResponse("ok")
    for name, value in attrs.items():
        setattr(response, name, value)
    return request, middleware.process_response(request, response)


def test_the_header_is_django_csps_text_built_once(users, monkeypatch):
    policy_header._built.cache_clear()
    built: list[bool] = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(True)
        return build_policy(*args, **kwargs)

    monkeypatch.setattr(csp.middleware, "build_policy", counted)
    monkeypatch.setattr(policy_header, "build_policy", counted)
    c = login(users["filler"])
    for url in ("/forms/", "/forms/inbox/", "/", "/no-such-page/"):
        assert c.get(url)[HEADER] == build_policy()
    assert len(built) == 2  # the policy and the report-only one, once
    assert REPORT_ONLY not in c.get("/forms/")


def test_the_settings_in_force_decide_it():
    policy_header._built.cache_clear()
    assert respond()[1][HEADER] == build_policy()
    strict = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(
        CONTENT_SECURITY_POLICY=strict,
        CONTENT_SECURITY_POLICY_REPORT_ONLY={
            "DIRECTIVES": {"img-src": ["'self'"]},
            "EXCLUDE_URL_PREFIXES": ["/static/"],
        },
    ):
        request, response = respond()
        assert response[HEADER] == build_policy() == "default-src 'none'"
        assert response[REPORT_ONLY] == build_policy(report_only=True)
        assert "img-src 'self'" in response[REPORT_ONLY]
        assert REPORT_ONLY not in respond("/static/x.js")[1]
        assert HEADER in respond("/static/x.js")[1]
        with pytest.raises(Exception, match="csp_nonce"):  # as django-csp: too late for one
            str(request.csp_nonce)  # type: ignore[attr-defined]
    assert respond()[1][HEADER] == build_policy()  # forgotten again


def test_a_response_with_its_own_policy_or_a_nonce_is_django_csps():
    _, response = respond(_csp_update={"img-src": ["https://example.org"]})
    assert response[HEADER] == build_policy(update={"img-src": ["https://example.org"]})
    assert "https://example.org" in response[HEADER]
    _, response = respond(_csp_exempt=True)
    assert HEADER not in response
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": [NONCE]}}):
        request = RequestFactory().get("/forms/")
        middleware = CSPMiddleware(lambda r: HttpResponse("ok"))
        middleware.process_request(request)
        nonce = str(request.csp_nonce)  # type: ignore[attr-defined]
        response = middleware.process_response(request, HttpResponse("ok"))
        assert f"script-src 'nonce-{nonce}'" in response[HEADER]
