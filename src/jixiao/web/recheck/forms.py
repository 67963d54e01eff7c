"""The request data of the 抽查复核 pages, through Django forms (Chinese messages): a draw's
rule and reviewer, and a reviewer's 复核得分 and 复核意见 per row."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from jixiao.model import SelfEvaluation
from jixiao.policy import Policy
from jixiao.web.access import MAX_ID
from jixiao.web.editing import AmountField, check_year, one_line
from jixiao.web.recheck.models import EXECUTION_ROW, MANUAL, METHOD_CHOICES, Verdict
from jixiao.web.rounds.models import Round

HUNDRED = Decimal(100)
STORED_PLACES = 2  # the models' DecimalFields


class DrawForm(forms.Form):
    """A draw's year (or 填报任务), rule, size, seed and 复核人."""

    title = forms.CharField(
        label="批次名称", max_length=200, error_messages={"required": "请填写批次名称"}
    )
    year = forms.IntegerField(
        label="年度",
        error_messages={"required": "请填写年度", "invalid": "年度须为整数"},
    )
    round = forms.ModelChoiceField(
        label="填报任务（可选，只抽该任务范围内的单位）",
        queryset=Round.objects.none(),
        required=False,
        empty_label="（不限，本年度全部已送审的表）",
        error_messages={"invalid_choice": "所选填报任务不在本财政局"},
    )
    method = forms.ChoiceField(
        label="抽取方式",
        choices=METHOD_CHOICES,
        error_messages={"required": "请选择抽取方式", "invalid_choice": "请选择抽取方式"},
    )
    count = forms.IntegerField(
        label="每个主管部门抽取张数",
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={
            "invalid": "抽取张数须为整数",
            "min_value": "抽取张数至少为 1",
            "max_value": "抽取张数不能超过 10000",
        },
    )
    share = forms.DecimalField(
        label="或每个主管部门抽取比例（%）",
        required=False,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "invalid": "抽取比例须为数字，如 20",
            "max_digits": "抽取比例须在 0 到 100 之间",
            "max_decimal_places": "抽取比例最多保留 2 位小数",
            "max_whole_digits": "抽取比例须在 0 到 100 之间",
        },
    )
    seed = forms.IntegerField(
        label="随机种子（随机抽取时可填；不填则自动生成并记录）",
        required=False,
        min_value=0,
        max_value=MAX_ID,
        error_messages={
            "invalid": "随机种子须为非负整数",
            "min_value": "随机种子须为非负整数",
            "max_value": "随机种子过大",
        },
    )
    reviewer = forms.ModelChoiceField(
        label="复核人",
        queryset=None,
        error_messages={"required": "请选择复核人", "invalid_choice": "所选复核人不可用"},
    )

    def __init__(
        self, *args: Any, rounds: QuerySet[Round], reviewers: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: f"{r.title}（{r.year} 年度）"
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = _reviewer_label

    def clean_title(self) -> str:
        return one_line(self.cleaned_data["title"], "请填写批次名称")

    def clean_year(self) -> int:
        return check_year(int(self.cleaned_data["year"]))

    def clean_share(self) -> Decimal | None:
        share: Decimal | None = self.cleaned_data.get("share")
        if share is not None and not Decimal(0) < share <= HUNDRED:
            raise forms.ValidationError("抽取比例须大于 0 且不超过 100")
        return share

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rnd = data.get("round")
        if rnd is not None and data.get("year") not in (None, rnd.year):
            self.add_error("round", f"所选填报任务是 {rnd.year} 年度的，与所填年度不符")
        if data.get("method") == MANUAL:
            data["count"] = data["share"] = data["seed"] = None
            return data
        count, share = data.get("count"), data.get("share")
        if "count" in self.errors or "share" in self.errors:
            return data
        if count is None and share is None:
            self.add_error("count", "请填写抽取张数或抽取比例（二选一）")
        elif count is not None and share is not None:
            self.add_error("count", "抽取张数和抽取比例只能填一项")
        if data.get("method") != "random":
            data["seed"] = None
        return data


def _reviewer_label(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    p = getattr(user, "profile", None)
    return f"{name}（{p.get_role_display()} · {p.organisation.name}）" if p else name


# --- recording 复核 ---------------------------------------------------------------------


@dataclass
class Row:
    """A row the reviewer scores: the 预算执行率 row (position 0) or an indicator row."""

    position: int
    name: str
    level: str  # 一级 / 二级 指标, or "" for the 预算执行率 row
    target: str
    actual: str
    weight: Decimal | None
    self_score: Decimal | None
    bound: Decimal  # the largest 复核得分: the row's 分值

    @property
    def place(self) -> str:
        """The row in the form's words, as the findings name places."""
        if self.position == EXECUTION_ROW:
            return "预算执行率"
        return f"第{self.position}行“{self.name}”"


def rows_of(form: SelfEvaluation, policy: Policy) -> list[Row]:
    """The rows of ``form`` a reviewer scores: 预算执行率 first, then each indicator."""
    total = form.funds.total
    exec_weight = total.weight if total.weight is not None else policy.execution.weight
    rate = "" if total.rate is None else f"执行率 {total.rate}%"
    rows = [
        Row(
            EXECUTION_ROW,
            "预算执行率",
            "",
            "",
            rate,
            total.weight,
            total.score,
            exec_weight,
        )
    ]
    for i, ind in enumerate(form.indicators, start=1):
        level = " / ".join(x for x in (ind.level1, ind.level2) if x)
        bound = ind.weight if ind.weight is not None else policy.audit.total_weight
        rows.append(Row(i, ind.name, level, ind.target, ind.actual, ind.weight, ind.score, bound))
    return rows


class RecordForm(forms.Form):
    """A 复核得分 and 复核意见 for every row, the conclusion and the form's version."""

    verdict = forms.ChoiceField(
        label="复核结论",
        choices=[("", "请选择"), *Verdict.choices],
        error_messages={"required": "请选择复核结论", "invalid_choice": "请选择复核结论"},
    )
    conclusion = forms.CharField(
        label="复核意见",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请填写对本表的复核意见",
            "max_length": "复核意见不能超过 4000 字",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, rows: list[Row], places: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.places = min(places, STORED_PLACES)
        for row in rows:
            self.fields[f"score_{row.position}"] = AmountField(label=f"{row.place} 复核得分")
            self.fields[f"opinion_{row.position}"] = forms.CharField(
                label=f"{row.place} 复核意见",
                required=False,
                max_length=2000,
                error_messages={"max_length": f"{row.place} 复核意见：不能超过 2000 字"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in self.rows:
            key = f"score_{row.position}"
            if key in self.errors:
                continue
            text = data.get(key)
            if text is None:
                self.add_error(key, f"{row.place} 复核得分：请填写")
                continue
            score = Decimal(text)
            if score > row.bound:
                self.add_error(key, f"{row.place} 复核得分：须在 0 到 {row.bound} 之间")
                continue
            exponent = score.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > self.places:
                self.add_error(key, f"{row.place} 复核得分：最多保留 {self.places} 位小数")
                continue
            data[key] = score
            opinion = str(data.get(f"opinion_{row.position}") or "").strip()
            data[f"opinion_{row.position}"] = opinion
            if row.self_score is not None and score != row.self_score and not opinion:
                self.add_error(
                    f"opinion_{row.position}",
                    f"{row.place}：复核得分与自评得分不同，请填写复核意见",
                )
        return data

    def messages(self) -> list[str]:
        """Every error as one line that names its row (the scores' own messages do)."""
        out = []
        for name, errors in self.errors.items():
            for e in errors:
                if name.startswith(("score_", "opinion_")) and not str(e).startswith(
                    ("预算执行率", "第")
                ):
                    label = self.fields[name].label if name in self.fields else name
                    out.append(f"{label}：{e}")
                else:
                    out.append(str(e))
        return out
