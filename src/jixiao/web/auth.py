"""Log-in with throttling: after too many failures a user name (or address) waits."""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from jixiao.web.models import LoginFailure


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def locked(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    return (
        recent.filter(username=username).count() >= limit
        or recent.filter(address=address).count() >= limit * 4
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
        "locked": "登录失败次数过多，请 15 分钟后再试。",
    }

    def clean(self):  # type: ignore[no-untyped-def]
        username = (self.data.get("username") or "")[:150]
        address = _address(self.request) if self.request else ""
        if locked(username, address):
            raise self.get_invalid_login_error_locked()
        try:
            return super().clean()
        except Exception:
            LoginFailure.objects.create(username=username, address=address)
            raise

    def get_invalid_login_error_locked(self):  # type: ignore[no-untyped-def]
        from django.core.exceptions import ValidationError

        return ValidationError(self.error_messages["locked"], code="locked")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        LoginFailure.objects.filter(username=form.get_user().get_username()).delete()
        return super().form_valid(form)


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's log-in is the throttled one; a signed-in non-管理员 is refused (no loop)."""
    if request.user.is_authenticated:
        if request.user.is_staff:
            return HttpResponseRedirect("/admin/")
        raise PermissionDenied("系统管理仅限管理员")
    return HttpResponseRedirect("/login/?next=/admin/")
