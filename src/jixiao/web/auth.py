"""Log-in with throttling: after too many failures a user name waits.

Failures count against the user name as authentication sees it (:func:`throttle_key`: NFKC,
stripped, case-folded), so " jiaoyu", "jiaoyu " or "ｊｉａｏｙｕ" are the same name. A name is
locked after ``LOGIN_FAILURE_LIMIT`` failures from one address, or after
``LOGIN_FAILURE_LIMIT_ANY_ADDRESS`` from any. An address's failures lock no other user's
correct log-in unless ``LOGIN_ADDRESS_LIMIT`` is set (off by default: many users share an
office's address). A 管理员 unlocks a name with :func:`unlock` (系统管理's 解除锁定).
A user with no unit (no Profile) cannot log in, unless a superuser.

Also the self-service password change, throttled by the same failure count.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils import timezone

from jixiao.web.models import LoginFailure, Organisation, Profile
from jixiao.web.statements import columns, rows


class ProfileBackend(ModelBackend):
    """Django's ModelBackend (passwords, permissions, active users only); the signed-in user
    of each request comes with their Profile and unit in the same query, since every page
    reads them (scope, role, the header)."""

    def get_user(self, user_id: Any) -> Any:
        try:
            user = signed_in_user(int(user_id))
        except (ValueError, TypeError, OverflowError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None


def signed_in_user(user_id: int) -> Any:
    """The user with id ``user_id`` (None if there is none) with their Profile and its unit
    attached, as ``User.objects.select_related("profile__organisation").get(pk=…)`` gives
    them, by one statement written once (web/statements.py)."""
    user_model = get_user_model()
    alias = router.db_for_read(user_model)
    users, profiles, units = (columns(m, alias) for m in (user_model, Profile, Organisation))

    def write(quote: Callable[[str], str]) -> str:
        user_pk = quote(user_model._meta.pk.column)
        profile_user = quote(Profile._meta.get_field("user").column)
        profile_unit = quote(Profile._meta.get_field("organisation").column)
        unit_pk = quote(Organisation._meta.pk.column)
        return (
            f"SELECT {users.select('u')}, {profiles.select('p')}, {units.select('o')} "
            f"FROM {quote(user_model._meta.db_table)} u "
            f"LEFT JOIN {quote(Profile._meta.db_table)} p ON p.{profile_user} = u.{user_pk} "
            f"LEFT JOIN {quote(Organisation._meta.db_table)} o ON o.{unit_pk} = p.{profile_unit} "
            f"WHERE u.{user_pk} = %s"
        )

    found = rows(alias, ("signed-in user",), write, [user_id])
    if not found:
        return None
    row = found[0]
    n_user, n_profile = len(users), len(profiles)
    user = users.instance(row[:n_user])
    profile = None
    if row[n_user] is not None:
        profile = profiles.instance(row[n_user : n_user + n_profile])
        unit = units.instance(row[n_user + n_profile :])
        Profile._meta.get_field("organisation").set_cached_value(profile, unit)
        Profile._meta.get_field("user").set_cached_value(profile, user)
    Profile._meta.get_field("user").remote_field.set_cached_value(user, profile)
    return user


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def throttle_key(username: str) -> str:
    """The name failures count against: as Django's log-in normalises it (NFKC, stripped),
    and case-folded, so that no spelling of a locked name gets more tries."""
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def locked(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    name = recent.filter(username=throttle_key(username))
    if name.filter(address=address).count() >= settings.LOGIN_FAILURE_LIMIT:
        return True
    if name.count() >= settings.LOGIN_FAILURE_LIMIT_ANY_ADDRESS:
        return True
    limit = settings.LOGIN_ADDRESS_LIMIT
    return bool(limit) and recent.filter(address=address).count() >= limit


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=throttle_key(username), address=address)


def unlock(username: str) -> int:
    """Forget every failure of ``username`` (any spelling of it); returns how many."""
    deleted, _ = LoginFailure.objects.filter(username=throttle_key(username)).delete()
    return deleted


def locked_keys() -> set[str]:
    """The throttle keys locked now by their own failures (from one address or from any),
    for the 系统管理 pages to show 已锁定."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
    by_address: dict[tuple[str, str], int] = {}
    total: dict[str, int] = {}
    rows = LoginFailure.objects.filter(at__gte=since).values_list("username", "address")
    for name, address in rows.iterator():
        by_address[name, address] = by_address.get((name, address), 0) + 1
        total[name] = total.get(name, 0) + 1
    return {name for (name, _), n in by_address.items() if n >= settings.LOGIN_FAILURE_LIMIT} | {
        name for name, n in total.items() if n >= settings.LOGIN_FAILURE_LIMIT_ANY_ADDRESS
    }


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
        username = str(self.data.get("username") or "")[:300]
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
        unlock(form.get_user().get_username())
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
        unlock(form.user.get_username())
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
