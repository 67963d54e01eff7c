"""Error pages in Chinese: the CSRF refusal (Django's own is English)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: say what to do, in Chinese."""
    return render(request, "403_csrf.html", status=403)
