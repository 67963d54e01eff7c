"""Log-in with throttling: after too many failures a user name (or address) waits.

Failures count by the user name as authentication sees it (``normalise_username``: NFKC,
spaces stripped), so "jiaoyu ", " jiaoyu" and "ｊｉａｏｙｕ" share one count; ``unlock``
clears it. A user with no unit (no Profile) cannot log in, unless a superuser.
Also the self-service password change, throttled by the same failure count.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils import timezone

from jixiao.web.models import LoginFailure


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def normalise_username(raw: str) -> str:
    """The name as Django's log-in form reads it (stripped, NFKC), cut to the column."""
    return unicodedata.normalize("NFKC", raw.strip()).strip()[:150]


def _recent() -> Any:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    return LoginFailure.objects.filter(at__gte=since)


def locked(username: str, address: str) -> bool:
    recent = _recent()
    limit = settings.LOGIN_FAILURE_LIMIT
    return (
        recent.filter(username=normalise_username(username)).count() >= limit
        or recent.filter(address=address).count() >= limit * 4
    )


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=normalise_username(username), address=address)


def recent_failures() -> dict[str, int]:
    """Failed log-ins within the lock window, by normalised user name."""
    counts: dict[str, int] = {}
    for name in _recent().values_list("username", flat=True).iterator():
        key = normalise_username(name)
        counts[key] = counts.get(key, 0) + 1
    return counts


def is_locked(username: str) -> bool:
    """Whether ``username`` is locked out now by its own failures (not by its address)."""
    return recent_failures().get(normalise_username(username), 0) >= settings.LOGIN_FAILURE_LIMIT


def forget_failures(username: str) -> None:
    """After a successful log-in: the name's failures no longer count."""
    LoginFailure.objects.filter(username=normalise_username(username)).delete()


def unlock(username: str) -> int:
    """A 管理员's unlock: forget the failed log-ins of ``username`` under every spelling that
    normalises to it (rows written before names were normalised too). Returns how many."""
    key = normalise_username(username)
    ids = [
        pk
        for pk, name in _recent().values_list("id", "username").iterator()
        if normalise_username(name) == key
    ]
    LoginFailure.objects.filter(pk__in=ids).delete()
    return len(ids)


def password_errors(password: str, user: Any) -> list[ValidationError]:
    """Django's password validators on ``password`` for ``user``, every message in Chinese."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return [
            ValidationError(VALIDATOR_MESSAGES[e.code], code=e.code, params=e.params)
            if e.code in VALIDATOR_MESSAGES
            else e
            for e in error.error_list
        ]
    return []


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
        "locked": "登录失败次数过多，请 15 分钟后再试。",
        "no_unit": "该账号没有所属单位，不能登录，请联系管理员。",
    }

    def clean(self):  # type: ignore[no-untyped-def]
        username = (self.data.get("username") or "")[:150]
        address = _address(self.request) if self.request else ""
        if locked(username, address):
            raise self.get_invalid_login_error_locked()
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "no_unit":  # the right password of a user with no unit
                record_failure(username, address)
            raise

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.is_superuser and not hasattr(user, "profile"):
            raise ValidationError(self.error_messages["no_unit"], code="no_unit")

    def get_invalid_login_error_locked(self):  # type: ignore[no-untyped-def]
        return ValidationError(self.error_messages["locked"], code="locked")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        forget_failures(form.get_user().get_username())
        return super().form_valid(form)


# Django 5.2's zh_Hans catalogue misses this message (its msgid changed), so it would show in
# English; the other validators' messages are translated.
VALIDATOR_MESSAGES = {
    "password_too_short": "这个密码太短了。它必须包含至少 %(min_length)d 个字符。",
}


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change; a wrong 原密码 counts as a failed log-in.

    Otherwise a borrowed session could guess the password here without the log-in's limit.
    """

    error_messages: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
        "locked": "原密码错误次数过多，请 15 分钟后再试。",
    }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.request: HttpRequest | None = kwargs.pop("request", None)
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "确认新密码"

    def clean_old_password(self) -> str:
        username = self.user.get_username()
        address = _address(self.request) if self.request else ""
        if locked(username, address):
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            return str(super().clean_old_password())
        except ValidationError:
            record_failure(username, address)
            raise

    def validate_password_for_user(self, user, password_field_name="password2"):  # type: ignore[no-untyped-def]
        """The validators' own checks, with any message Django leaves untranslated in Chinese."""
        password = self.cleaned_data.get(password_field_name)
        errors = password_errors(password, user) if password else []
        if errors:
            self.add_error(password_field_name, errors)


class PasswordChangeView(auth_views.PasswordChangeView):
    """修改密码: the session stays signed in; a message confirms and the list opens."""

    template_name = "web/password_change.html"
    form_class = ThrottledPasswordChangeForm
    success_url = reverse_lazy("form-list")

    def get_form_kwargs(self) -> dict[str, object]:
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        forget_failures(form.user.get_username())
        messages.success(self.request, "密码已修改，下次登录请使用新密码。")
        return response


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """Django admin's log-in is the throttled one; a signed-in non-superuser is refused (no
    loop): units and users are managed on the 系统管理 pages."""
    if request.user.is_authenticated:
        if request.user.is_superuser:
            return HttpResponseRedirect("/admin/")
        raise PermissionDenied("后台数据维护仅限超级用户；单位与用户请在“系统管理”中维护")
    return HttpResponseRedirect("/login/?next=/admin/")
