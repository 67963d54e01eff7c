"""Users on the 系统管理 pages: Django forms to create a user (always with a unit and role),
change their unit and role, set a new password, and the steps that unlock, deactivate and
reactivate one.

Whether a role fits a unit is the model's rule (``Profile.clean``); this module adds what a
page needs: choices limited to the manager's part of the tree, Django's password validators
with Chinese messages, and the last 管理员 kept.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from jixiao.web.auth import password_errors
from jixiao.web.models import ROLE_KINDS, Organisation, Profile, Role
from jixiao.web.units import UnitChoiceField

User = get_user_model()
# Letters and digits a person can read back without confusing 0/O or 1/l/I.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class AccountError(ValueError):
    """A step on a user that cannot be taken (the message is for the user)."""


def generated_password(length: int = 12) -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def active_admins() -> QuerySet[Any]:
    return User.objects.filter(is_active=True, profile__role=Role.ADMIN)


def _is_last_admin(user: Any) -> bool:
    """Whether ``user`` is the only active 管理员 (taking them away leaves nobody)."""
    profile = getattr(user, "profile", None)
    if not user.is_active or profile is None or profile.role != Role.ADMIN:
        return False
    return not active_admins().exclude(pk=user.pk).exists()


def misplaced() -> Q:
    """Users whose role does not fit their unit, or who have no unit (not a superuser):
    accounts stored before the rule existed, for the 管理员 to put right."""
    q = Q(profile=None, is_superuser=False)
    for role, kinds in ROLE_KINDS.items():
        q |= Q(profile__role=role) & ~Q(profile__organisation__kind__in=kinds)
    return q


class PlaceForm(forms.Form):
    """姓名, 所属单位 and 角色: the part shared by creating and editing a user."""

    first_name = forms.CharField(
        label="姓名", max_length=150, error_messages={"required": "请填写姓名"}
    )
    organisation = UnitChoiceField(
        queryset=Organisation.objects.none(),
        label="所属单位",
        error_messages={"required": "每个用户都必须有所属单位"},
    )
    role = forms.ChoiceField(label="角色", error_messages={"required": "请选择角色"})

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Organisation],
        roles: list[tuple[str, str]],
        user: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        # A closed unit takes no new users; a user who stays at one keeps it.
        current = getattr(getattr(user, "profile", None), "organisation_id", None)
        field.queryset = units.filter(closed_at=None) | units.filter(pk=current)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [("", "请选择"), *roles]
        role_field.error_messages["invalid_choice"] = "您不能授予这个角色"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, role = data.get("organisation"), data.get("role")
        if organisation is None or not role:
            return data
        profile = getattr(self.user, "profile", None) if self.user else None
        candidate = Profile(
            pk=profile.pk if profile else None, organisation=organisation, role=role
        )
        try:
            candidate.clean()  # the model's rule: the role fits the unit
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        if (
            self.user is not None
            and role != Role.ADMIN
            and profile is not None
            and profile.role == Role.ADMIN
            and _is_last_admin(self.user)
        ):
            self.add_error("role", "这是最后一个在用的管理员，不能改为其他角色")
        return data


def _check_password(form: forms.Form, user: Any) -> None:
    """password1 == password2 and Django's validators pass (messages in Chinese)."""
    one, two = form.cleaned_data.get("password1"), form.cleaned_data.get("password2")
    if not one:
        return
    if one != two:
        form.add_error("password2", "两次输入的密码不一致")
        return
    errors = password_errors(one, user)
    if errors:
        form.add_error("password1", errors)


class UserCreateForm(PlaceForm):
    """A new user with 用户名, 姓名, 所属单位, 角色 and an initial password."""

    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="字母、数字和 @ . + - _，登录时使用",
        error_messages={"required": "请填写用户名"},
    )
    password1 = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "请填写初始密码"},
    )
    password2 = forms.CharField(
        label="确认密码",
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        error_messages={"required": "请再输入一次密码"},
    )
    field_order = ("username", "first_name", "organisation", "role", "password1", "password2")

    def clean_username(self) -> str:
        name = User.normalize_username(str(self.cleaned_data["username"]).strip())
        if User.objects.filter(username__iexact=name).exists():
            raise ValidationError(f"用户名“{name}”已被使用")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        probe = User(username=data.get("username", ""), first_name=data.get("first_name", ""))
        _check_password(self, probe)
        return data

    @transaction.atomic
    def save(self) -> Any:
        """The user and their Profile together: no user is ever stored without a unit."""
        data = self.cleaned_data
        user = User.objects.create_user(
            data["username"], password=data["password1"], first_name=data["first_name"]
        )
        Profile.objects.create(user=user, organisation=data["organisation"], role=data["role"])
        return user


class UserEditForm(PlaceForm):
    """A user's 姓名, 所属单位 and 角色."""

    @transaction.atomic
    def save(self) -> Any:
        data = self.cleaned_data
        user = self.user
        user.first_name = data["first_name"]
        user.save(update_fields=["first_name"])
        profile = getattr(user, "profile", None) or Profile(user=user)
        profile.organisation = data["organisation"]
        profile.role = data["role"]
        profile.save()
        return user


class PasswordSetForm(forms.Form):
    """A new password typed by the 管理员, or (both fields empty) one generated."""

    password1 = forms.CharField(
        label="新密码", required=False, strip=False, widget=forms.PasswordInput
    )
    password2 = forms.CharField(
        label="确认新密码", required=False, strip=False, widget=forms.PasswordInput
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password2") and not data.get("password1"):
            self.add_error("password1", "请填写新密码")
        _check_password(self, self.user)
        return data

    def save(self) -> tuple[str, bool]:
        """Set the password (the user's sessions end with the old one); returns it and
        whether it was generated (then the page shows it, once)."""
        typed = self.cleaned_data.get("password1") or ""
        password = typed or generated_password()
        self.user.set_password(password)
        self.user.save(update_fields=["password"])
        return password, not typed


def set_active(actor: Any, user: AbstractUser, active: bool) -> None:
    """Deactivate (停用) or reactivate (启用) ``user``; never oneself, never the last 管理员."""
    if not active:
        if user.pk == actor.pk:
            raise AccountError("不能停用自己的账号")
        if _is_last_admin(user):
            raise AccountError("这是最后一个在用的管理员，不能停用")
    user.is_active = active
    user.save(update_fields=["is_active"])
