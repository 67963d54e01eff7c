"""The 部门项目支出绩效自评总结报告 in the web: which forms it sums, its coverage from a
填报任务's project lists, the background job that writes it (Word or PDF) and its page.

Who: anyone with a place in the tree, for any node of their own subtree (财政 any node, a
主管部门 its own subtree, a unit its own); a node or 填报任务 outside answers 404, a user with
no place in the tree 403. Which forms: the node's subtree, one year, and the states chosen
(:data:`STATES`); with a 填报任务, only the units it lists, and the coverage is its list:
expected = the listed projects of those units, covered = those with a form in the report
(matched by ``rounds/progress.py``, the one place that matches forms to lists).

The figures and text are the core's (:func:`jixiao.summary.summarize`, ``sections``); the
forms' stored audits are used (as the Excel export does), not audited again. Everything the
report needs is gathered in :func:`build`, the one call of ``summarize``, with the 抽查复核
results of the report's forms (``recheck/results.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jixiao.render.summary import summary_bytes
from jixiao.summary import Coverage, Summary, summarize
from jixiao.web import access, core, exports, jobs
from jixiao.web.models import IN_REVIEW, EvaluationForm, Job, Organisation, Status, in_subtree
from jixiao.web.recheck.results import recheck_results
from jixiao.web.rounds import scope as round_scope
from jixiao.web.rounds.models import Round, RoundUnit
from jixiao.web.rounds.progress import compute
from jixiao.web.units import label

# Which forms count: key → (the choice on the page, the words in the report, the states).
STATES: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "submitted": (
        "已送审的表（审核中和审核通过）",
        "状态为审核中或审核通过（已送审）",
        (*IN_REVIEW, Status.APPROVED),
    ),
    "approved": ("仅审核通过的表", "状态为审核通过", (Status.APPROVED,)),
    "all": ("全部表（含草稿和被退回）", "全部状态（含草稿和被退回）", None),
}
DEFAULT_STATES = "submitted"
FORMATS = {"docx": "Word", "pdf": "PDF"}


def require_report(user: Any) -> None:
    """403 for a user with no place in the tree (they see no forms to sum)."""
    if access.profile_of(user) is None:
        raise PermissionDenied("您没有所属单位，不能生成总结报告")


def get_node(user: Any, pk: object) -> Organisation:
    """A node of ``user``'s subtree; 404 for any other id (no existence leak)."""
    number = access.parse_id(pk)
    node = (
        access.visible_organisations(user).filter(pk=number).first() if number is not None else None
    )
    if node is None:
        raise Http404("没有找到这个单位，或不在您的管辖范围内")
    return node


@dataclass(frozen=True)
class Selection:
    """The forms of one report: a node's subtree, a year, optionally a 填报任务's units, and
    the states that count."""

    node: Organisation
    year: int
    round: Round | None
    states: str

    def round_units(self, user: Any) -> QuerySet[RoundUnit]:
        """The round's units in the node's subtree that ``user`` may see."""
        assert self.round is not None
        return round_scope.round_units(user, self.round).filter(
            in_subtree(self.node.path, "organisation__path")
        )

    def forms(self, user: Any) -> QuerySet[EvaluationForm]:
        qs = (
            access.visible_forms(user)
            .filter(in_subtree(self.node.path), year=self.year)
            .order_by("org_path", "project", "id")
        )
        wanted = STATES[self.states][2]
        if wanted is not None:
            qs = qs.filter(status__in=wanted)
        if self.round is not None:
            units = self.round_units(user).values_list("organisation_id", flat=True)
            qs = qs.filter(organisation_id__in=list(units))
        return qs

    def words(self, count: int) -> str:
        """Which forms, as the report states it."""
        where = self.node.name
        if self.node.kind != Organisation.Kind.UNIT:
            where += "及其下属单位"
        listed = f"中填报任务“{self.round.title}”所列单位" if self.round is not None else ""
        return f"{where}{listed}{self.year}年度的自评表，{STATES[self.states][1]}，共 {count} 张"

    def params(self, to: str) -> dict[str, Any]:
        return {
            "node": self.node.pk,
            "year": self.year,
            "round": self.round.pk if self.round is not None else None,
            "states": self.states,
            "to": to,
        }


def coverage(user: Any, selection: Selection) -> Coverage | None:
    """Projects expected and covered from the round's lists (None without a round): a listed
    project is covered when its form (the one furthest along) is in a state that counts."""
    if selection.round is None:
        return None
    wanted = STATES[selection.states][2]

    def counts(status: str) -> bool:
        return wanted is None or status in wanted

    progress = compute(selection.round, selection.round_units(user))
    expected = covered = 0
    missing: list[str] = []
    extra: list[str] = []
    for unit in progress.units:
        name = unit.unit.name if unit.unit is not None else ""
        for item in unit.items:
            expected += 1
            if item.form is not None and counts(item.form.status):
                covered += 1
            else:
                missing.append(f"{item.name}（{name}，{item.label}）")
        extra += [
            f"{item.name}（{name}）"
            for item in unit.unlisted
            if item.form is not None and counts(item.form.status)
        ]
    return Coverage(expected, covered, extra, missing)


def build(user: Any, selection: Selection, progress: jobs.Progress | None = None) -> Summary:
    """The report's figures: the chosen forms with their stored audits, the round's coverage
    and the 复核 recorded on those forms."""
    objs = []
    for obj in exports.read_chunked(selection.forms(user)):
        objs.append(obj)
        if progress is not None:
            progress.advance()
    audits = exports.stored_audits(objs)
    _, head = core.batch_policies([a.form for a in audits])
    return summarize(
        audits,
        head,
        department=selection.node.name,
        coverage=coverage(user, selection),
        selection=selection.words(len(objs)),
        rechecks=recheck_results(selection.node, selection.year, forms=[o.pk for o in objs]),
    )


def output_name(selection: Selection, to: str) -> str:
    return f"{selection.node.name[:100]}{selection.year}年度项目支出绩效自评总结报告.{to}"


@jobs.job_runner
def export_summary(job: Job, progress: jobs.Progress) -> jobs.Output:
    """The report as a job, for the forms its user may see when it runs."""
    p = job.params
    to = p.get("to")
    if to not in FORMATS or p.get("states") not in STATES:
        raise jobs.JobFailed("总结报告的参数无效，请重新生成")
    try:
        node = get_node(job.user, p.get("node"))
        rnd = round_scope.get_round(job.user, p["round"]) if p.get("round") else None
    except Http404:
        raise jobs.JobFailed("单位或填报任务已不存在，或已不在您的管辖范围内") from None
    selection = Selection(node, int(p["year"]), rnd, p["states"])
    count = selection.forms(job.user).count()
    if not count:
        raise jobs.JobFailed("没有符合条件的自评表（可能已被删除、退回，或已不在您的管辖范围内）")
    progress.set(0, count, "正在读取表单和审核结果", force=True)
    figures = build(job.user, selection, progress)
    progress.set(message=f"正在生成 {FORMATS[to]} 文件", force=True)
    return jobs.Output(output_name(selection, to), summary_bytes(figures, to))


def start(user: Any, selection: Selection, to: str, count: int) -> Job:
    return jobs.start_export(
        user,
        f"总结报告（{FORMATS[to]}）：{selection.node.name} {selection.year}年度",
        "jixiao.web.summaries.export_summary",
        selection.params(to),
        total=count,
    )


# --- the page -------------------------------------------------------------------------------


class NodeChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "请选择列表中的单位"}  # noqa: RUF012

    def label_from_instance(self, obj: Any) -> str:
        depth = obj.path.count("/") - 2
        return "　" * max(0, depth - self.top) + label(obj)

    top = 0


class RoundChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "请选择列表中的填报任务"}  # noqa: RUF012

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}（{obj.year}年度{'，已结束' if obj.closed else ''}）"


def default_year(user: Any) -> int:
    years = access.visible_years(user)
    return years[0] if years else timezone.localdate().year - 1


class SummaryForm(forms.Form):
    """单位, 年度, 填报任务 (optional), which states count, Word or PDF."""

    node = NodeChoiceField(
        queryset=Organisation.objects.none(),
        label="单位",
        empty_label=None,
        error_messages={"required": "请选择单位"},
    )
    year = forms.TypedChoiceField(
        label="年度", coerce=int, error_messages={"required": "请选择年度"}
    )
    round = RoundChoiceField(
        queryset=Round.objects.none(),
        label="填报任务",
        required=False,
        empty_label="不按填报任务（不计算覆盖率）",
    )
    states = forms.ChoiceField(
        label="统计哪些表",
        choices=[(k, v[0]) for k, v in STATES.items()],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择统计哪些表", "invalid_choice": "请选择统计哪些表"},
    )
    to = forms.ChoiceField(
        label="格式",
        choices=list(FORMATS.items()),
        error_messages={
            "required": "请选择生成 Word 还是 PDF",
            "invalid_choice": "格式只能是 Word 或 PDF",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        nodes = self.fields["node"]
        assert isinstance(nodes, NodeChoiceField)
        nodes.queryset = access.visible_organisations(user)
        path = access.scope_path(user) or "/"
        nodes.top = path.count("/") - 2
        rounds = self.fields["round"]
        assert isinstance(rounds, forms.ModelChoiceField)
        rounds.queryset = round_scope.visible_rounds(user).order_by("-year", "-id")
        years = access.visible_years(user)
        extra = list(round_scope.visible_rounds(user).values_list("year", flat=True))
        choices = sorted(set(years) | set(extra) | {default_year(user)}, reverse=True)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(y, f"{y}年度") for y in choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        node, year, rnd = data.get("node"), data.get("year"), data.get("round")
        if node is None or year is None or "states" not in data:
            return data
        if rnd is not None and rnd.year != year:
            raise forms.ValidationError(
                f"填报任务“{rnd.title}”是{rnd.year}年度的，请选择{rnd.year}年度，或不按填报任务"
            )
        selection = Selection(node, year, rnd, data["states"])
        if rnd is not None and not selection.round_units(self.user).exists():
            raise forms.ValidationError(
                f"填报任务“{rnd.title}”中没有“{node.name}”或其下属单位，请选择其他填报任务"
            )
        data["count"] = selection.forms(self.user).count()
        if not data["count"]:
            raise forms.ValidationError(
                f"{selection.words(0).rsplit('，', 1)[0]}：没有符合条件的表，"
                "请换一个年度，或选择统计全部表"
            )
        data["selection"] = selection
        return data


def default_round(user: Any, node: Organisation, year: int) -> Round | None:
    """The newest 填报任务 of ``year`` the user sees with a unit under ``node`` (so that the
    coverage is computed unless the user chooses otherwise)."""
    units = RoundUnit.objects.filter(round=OuterRef("pk")).filter(
        in_subtree(node.path, "organisation__path")
    )
    return (
        round_scope.visible_rounds(user)
        .filter(Exists(units), year=year)
        .order_by("closed", "-deadline", "-id")
        .first()
    )


def _initial(user: Any, query: QueryDict) -> dict[str, Any]:
    """What the page starts with: the node and 填报任务 a button links with (404 when not
    the user's), else the user's own node; the newest year and its newest 填报任务 for the
    node; 已送审 forms."""
    profile = access.profile_of(user)
    assert profile is not None
    node = get_node(user, query["node"]) if query.get("node") else profile.organisation
    rnd = round_scope.get_round(user, query["round"]) if query.get("round") else None
    year = access.parse_id(query.get("year")) or (rnd.year if rnd else default_year(user))
    if rnd is None or rnd.year != year:
        rnd = default_round(user, node, year)
    return {"node": node, "year": year, "round": rnd, "states": DEFAULT_STATES}


@require_http_methods(["GET", "POST"])
def summary_page(request: HttpRequest) -> HttpResponse:
    """Choose the forms, then 生成 Word / 生成 PDF: the report is made by a job."""
    user = request.user
    require_report(user)
    if request.method == "POST":
        # An id the user may not see is 404, as everywhere (not a form error).
        get_node(user, request.POST.get("node"))
        if request.POST.get("round"):
            round_scope.get_round(user, request.POST["round"])
        form = SummaryForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            job = start(user, data["selection"], data["to"], data["count"])
            return redirect("job-detail", job.pk)
        status = 400
    else:
        form = SummaryForm(initial=_initial(user, request.GET), user=user)
        status = 200
    return render(request, "web/summary.html", {"form": form, "formats": FORMATS}, status=status)
