"""django-csp's middleware with the Content-Security-Policy header's text built once.

django-csp 4.0 builds the policy's text from the settings for every response, and again
for the report-only policy (none here): about 0.33 M instructions a request, an eighth of
a bare signed-in request (a redirect). The text depends on the settings alone when the
response carries no policy of its own (django-csp's decorators: ``_csp_config``,
``_csp_update``, ``_csp_replace`` and their report-only twins) and no nonce was asked
for; then it is built once per process (forgotten when a test changes the settings) and
written as django-csp writes it. Any other response is django-csp's own.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from csp import middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

_OWN = tuple(f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro"))
_DEBUG_EXEMPT = (404, 500)  # django-csp leaves these to Django's debug pages


@cache
def _built() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """For the policy and the report-only one: (header, its text, the response attribute
    that exempts a response, the path prefixes excluded), as django-csp builds them."""
    each = []
    for header, exempt, setting, ro in (
        (HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = getattr(settings, setting, None) or {}
        prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
        each.append((header, build_policy(report_only=ro), exempt, prefixes))
    return tuple(each)


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.cache_clear()


class CSPMiddleware(middleware.CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _OWN
        ):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_EXEMPT and settings.DEBUG:
            return response
        for header, text, exempt, prefixes in _built():
            if (
                text
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = text
        # as django-csp: a nonce asked for after the header is written is an error
        request.csp_nonce = middleware.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
