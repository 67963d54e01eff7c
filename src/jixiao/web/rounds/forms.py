"""The request data of the round pages, through Django forms (Chinese messages)."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet

from jixiao.web.editing import check_year, one_line
from jixiao.web.models import Organisation
from jixiao.web.rounds.models import Round
from jixiao.web.rounds.progress import today
from jixiao.web.rounds.projects import parse_lines
from jixiao.web.uploads import clean_name, too_big

MAX_LIST_BYTES = 5 * 1024 * 1024


class RoundForm(forms.ModelForm):
    """Title, year, deadline and the units in scope (whole 主管部门 or single 预算单位)."""

    scope = forms.ModelMultipleChoiceField(
        label="填报范围",
        queryset=Organisation.objects.none(),
        required=False,
        error_messages={"invalid_choice": "所选单位不在本财政局管辖范围内"},
    )
    project_file = forms.FileField(label="项目清单（.xlsx，可选）", required=False)

    class Meta:
        model = Round
        fields = ("title", "year", "deadline", "declaration_deadline", "monitoring_deadline")
        error_messages: ClassVar[dict[str, dict[str, str]]] = {
            "title": {"required": "请填写任务名称"},
            "year": {"required": "请填写年度", "invalid": "年度须为整数"},
            "deadline": {"required": "请填写截止日期", "invalid": "截止日期格式应为 2025-06-30"},
            "declaration_deadline": {"invalid": "申报截止日期格式应为 2025-06-30"},
            "monitoring_deadline": {"invalid": "监控截止日期格式应为 2025-06-30"},
        }
        widgets: ClassVar[dict[str, Any]] = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "declaration_deadline": forms.DateInput(attrs={"type": "date"}),
            "monitoring_deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, choices: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = choices

    def clean_title(self) -> str:
        return one_line(self.cleaned_data["title"], "请填写任务名称")

    def clean_year(self) -> int:
        return check_year(int(self.cleaned_data["year"]))

    def clean_deadline(self) -> datetime.date:
        deadline: datetime.date = self.cleaned_data["deadline"]
        if self.instance.pk is None and deadline < today():
            raise forms.ValidationError("截止日期不能早于今天")
        return deadline

    def clean_project_file(self) -> Any:
        upload = self.cleaned_data.get("project_file")
        if upload is None:
            return None
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"{upload.name}：项目清单须为 .xlsx 文件")
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError(too_big(clean_name(upload.name), MAX_LIST_BYTES, "导入"))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("scope") and not data.get("project_file"):
            self.add_error("scope", "请至少选择一个主管部门或预算单位，或导入项目清单")
        return data


class UnitListForm(forms.Form):
    """One unit's list (one 项目名称 a line) and its own deadline."""

    projects = forms.CharField(
        label="项目清单（每行一个项目名称）", required=False, widget=forms.Textarea
    )
    deadline = forms.DateField(
        label="本单位截止日期（不填则按任务截止日期）",
        required=False,
        error_messages={"invalid": "截止日期格式应为 2025-06-30"},
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, unit: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.listed: list[Any] = []

    def clean_projects(self) -> str:
        text = str(self.cleaned_data.get("projects") or "")
        self.listed, errors = parse_lines(text, self.unit)
        if errors:
            raise forms.ValidationError(errors)
        return text
