"""The unit tree on the 系统管理 pages: Django forms to create, rename and move a node, and
the steps that close (撤销), reopen and delete one.

Where a node may stand is the model's rule (``models.kind_fit_error``), and a move of the
subtree (paths, forms' ``org_path``) happens in ``Organisation.save``; here are the checks a
page adds: the node and its new parent lie in the manager's part of the tree, a closed node
takes no children, a node with open children cannot close, a node with forms is never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Count, ProtectedError, QuerySet
from django.utils import timezone

from jixiao.web.models import PARENT_KIND, EvaluationForm, Organisation, Profile

CODE_HELP = "数字或英文字母，全系统唯一，如 301001"


class UnitError(ValueError):
    """A step on a node that cannot be taken (the message is for the user)."""


def label(node: Organisation) -> str:
    """A node as a choice in a list: its code, name and kind."""
    code = f"{node.code} " if node.code else ""
    return f"{code}{node.name}（{node.get_kind_display()}）"


class UnitChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "请选择列表中的单位"}  # noqa: RUF012

    def label_from_instance(self, obj: Any) -> str:
        return label(obj)


class UnitForm(forms.ModelForm):
    """A new node (上级单位, 类型, 名称, 单位编码) or a node's 名称 and 单位编码."""

    class Meta:
        model = Organisation
        fields = ("parent", "kind", "name", "code")
        error_messages = {  # noqa: RUF012
            "code": {"unique": "单位编码已被其他单位使用"},
            "name": {"required": "请填写单位名称"},
        }

    def __init__(
        self,
        *args: Any,
        parents: QuerySet[Organisation] | None = None,
        top: bool = True,
        **kwargs: Any,
    ) -> None:
        """``parents``: where a new node may go (open ones are offered); ``top``: whether it
        may also stand at the top (a new 财政局, for whoever manages the whole system)."""
        super().__init__(*args, **kwargs)
        self.fields["code"].required = True
        self.fields["code"].error_messages["required"] = "请填写单位编码"
        self.fields["code"].help_text = CODE_HELP
        if self.instance.pk is not None:  # rename: the place stays, see MoveForm
            del self.fields["parent"]
            del self.fields["kind"]
            return
        above = parents if parents is not None else Organisation.objects.none()
        self.fields["parent"] = UnitChoiceField(
            queryset=above.filter(closed_at=None),
            required=not top,
            label="上级单位",
            empty_label="（无，最上级：财政局）" if top else "请选择",
            error_messages={"required": "请选择上级单位"},
        )

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip()


class MoveForm(forms.Form):
    """A node's new 上级单位: one of the right kind, open, in the manager's part of the tree."""

    parent = UnitChoiceField(
        queryset=Organisation.objects.none(),
        label="新的上级单位",
        error_messages={"required": "请选择新的上级单位"},
    )

    def __init__(self, *args: Any, node: Organisation, parents: QuerySet[Organisation], **kw: Any):
        super().__init__(*args, **kw)
        self.node = node
        wanted = PARENT_KIND.get(node.kind)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = parents.filter(kind=wanted or "", closed_at=None).exclude(
            pk=node.parent_id
        )

    def save(self) -> Organisation:
        """Move the node and its whole subtree (``Organisation.save`` carries the paths)."""
        self.node.parent = self.cleaned_data["parent"]
        self.node.save()
        return self.node


@transaction.atomic
def close(node: Organisation) -> None:
    """撤销 a node: it takes no new forms or users; its forms and history stay."""
    node = Organisation.objects.select_for_update().get(pk=node.pk)
    if node.closed:
        raise UnitError(f"“{node.name}”已撤销")
    open_child = node.children.filter(closed_at=None).first()
    if open_child is not None:
        raise UnitError(f"下级单位“{open_child.name}”尚未撤销，不能撤销“{node.name}”")
    node.closed_at = timezone.now()
    node.save(update_fields=["closed_at"])


@transaction.atomic
def reopen(node: Organisation) -> None:
    """Undo 撤销; not under a parent that is itself closed."""
    node = Organisation.objects.select_for_update().get(pk=node.pk)
    if not node.closed:
        raise UnitError(f"“{node.name}”未撤销")
    if node.parent is not None and node.parent.closed:
        raise UnitError(f"上级单位“{node.parent.name}”已撤销，请先恢复上级单位")
    node.closed_at = None
    node.save(update_fields=["closed_at"])


@transaction.atomic
def delete(node: Organisation) -> None:
    """Delete a node made by mistake: only with no lower units, users or forms."""
    if node.children.exists():
        raise UnitError(f"“{node.name}”有下级单位，不能删除")
    if EvaluationForm.objects.filter(organisation=node).exists():
        raise UnitError(f"“{node.name}”已有自评表，不能删除（可以撤销）")
    if Profile.objects.filter(organisation=node).exists():
        raise UnitError(f"“{node.name}”还有用户，不能删除（可以撤销）")
    try:
        node.delete()
    except ProtectedError:
        raise UnitError(f"“{node.name}”仍被其他记录引用，不能删除（可以撤销）") from None


@dataclass(frozen=True)
class Row:
    """One line of the tree page."""

    node: Organisation
    depth: int
    users: int  # users of the node and its lower units
    forms: int  # forms of the node and its lower units


def rows(nodes: QuerySet[Organisation]) -> list[Row]:
    """``nodes`` in tree order, each with its depth and the users and forms of its subtree."""
    nodes = nodes.order_by("path")
    users = _counts(Profile.objects.filter(organisation__in=nodes.values("pk")))
    forms_ = _counts(EvaluationForm.objects.filter(organisation__in=nodes.values("pk")))
    listed = list(nodes)
    user_total: dict[int, int] = {}
    form_total: dict[int, int] = {}
    for node in listed:
        for pid in (int(p) for p in node.path.strip("/").split("/") if p):
            user_total[pid] = user_total.get(pid, 0) + users.get(node.pk, 0)
            form_total[pid] = form_total.get(pid, 0) + forms_.get(node.pk, 0)
    top = min((n.path.count("/") for n in listed), default=0)
    return [
        Row(n, n.path.count("/") - top, user_total.get(n.pk, 0), form_total.get(n.pk, 0))
        for n in listed
    ]


def _counts(qs: QuerySet[Any]) -> dict[int, int]:
    return {
        row["organisation"]: row["n"]
        for row in qs.order_by().values("organisation").annotate(n=Count("pk"))
    }
