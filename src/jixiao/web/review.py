"""Pages of the review chain: the confirmation page of every step (one form or several), the
批注 on indicator rows, and a district's chain settings. The steps themselves are workflow.py.
A 申报表 or 监控表 (plans/views.py) goes through the same pages: :func:`step_page`,
:func:`add_row_comment` and :func:`review_context` take any reviewed object."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain as concat
from typing import Any, ClassVar

from django import forms as djforms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from jixiao.model import SelfEvaluation
from jixiao.web import access, scan_cells, workflow
from jixiao.web.models import EvaluationForm, Event, Organisation, Role, RowComment, Status
from jixiao.web.workflow import latest_events

BULK_MOST = 50  # forms in one bulk step (one page of 待办)
SETTINGS_ROLES = frozenset({Role.ADMIN, Role.FINANCE_REVIEWER})
COMMENT_ROLES = access.REVIEWER_ROLES  # who may open a 批注 (anyone who sees the form answers)


# --- confirmation of a step ---------------------------------------------------------------


@dataclass
class Candidate:
    """A form on a confirmation page: where the step takes it, or why it cannot."""

    obj: workflow.Reviewed
    target: str = ""
    refusal: str = ""

    @property
    def target_label(self) -> str:
        return str(Status(self.target).label) if self.target else ""

    @property
    def url(self) -> str:
        return detail_url(self.obj)


def detail_url(obj: workflow.Reviewed) -> str:
    """The page of a reviewed object: a 自评表's, or a 申报表's / 监控表's."""
    if isinstance(obj, EvaluationForm):
        return reverse("form-detail", args=[obj.pk])
    return str(obj.get_absolute_url())


def _candidate(user: Any, obj: workflow.Reviewed, t: workflow.Transition) -> Candidate:
    if t not in workflow.available(user, obj):
        return Candidate(obj, refusal=f"当前状态为“{obj.get_status_display()}”，您不能{t.label}")
    last = workflow.last_step(obj)
    target = workflow.target_of(t, workflow.chain_for(obj), obj.status, last)
    return Candidate(obj, target=target or "")


def _transition_or_403(name: str) -> workflow.Transition:
    t = workflow.TRANSITIONS.get(name)
    if t is None:
        raise PermissionDenied("未知的操作")
    return t


def _previous_explanations(obj: workflow.Reviewed) -> dict[tuple[str, str], str]:
    """The 说明 written at the form's last 送审, by (rule, place), to start from."""
    event = obj.events.filter(kind=Event.Kind.TRANSITION, action="submit").order_by("-at", "-id")
    last = event.first()
    if last is None:
        return {}
    return {
        (e.get("rule", ""), e.get("place", "")): e.get("explanation", "") for e in last.explanations
    }


def _explained_errors(obj: workflow.Reviewed, post: Any) -> list[dict[str, Any]]:
    """The form's 错误 with the 说明 typed (or written at the last 送审) for each."""
    before = _previous_explanations(obj)
    out = []
    for i, f in enumerate(workflow.errors_of(obj)):
        key = f"explain_{i}"
        text = post.get(key) if key in post else before.get((f.get("rule", ""), f.get("place", "")))
        out.append({**f, "field": key, "explanation": text or ""})
    return out


@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """One step on one form: GET or POST without ``confirm`` shows what will happen (the
    form's findings; for 送审 a 说明 for each 错误); POST with ``confirm`` takes the step."""
    obj = access.get_form(request.user, pk)
    return step_page(request, obj, reverse("form-transition", args=[obj.pk]))


def step_page(request: HttpRequest, obj: workflow.Reviewed, step_url: str) -> HttpResponse:
    """The confirmation page of one step on ``obj`` (a 自评表, 申报表 or 监控表), posted to
    ``step_url``, and the step once confirmed (then back to ``obj``'s page)."""
    back = detail_url(obj)
    data = request.POST if request.method == "POST" else request.GET
    name = data.get("action", "")
    text = data.get("comment", "")
    if name == "comment" and request.method == "POST":
        try:
            workflow.comment(request.user, obj, text)
            messages.success(request, "意见已记录。")
        except workflow.WorkflowError as err:
            messages.error(request, str(err))
        return redirect(back)
    t = _transition_or_403(name)
    if not workflow.role_may(t, access.role_of(request.user)):
        raise PermissionDenied(f"您的角色不能{t.label}")
    error = ""
    if request.method == "POST" and data.get("confirm") == "1":
        errors = workflow.errors_of(obj) if t.needs_explanations else []
        try:
            workflow.apply(
                request.user,
                obj,
                name,
                text,
                explanations=[data.get(f"explain_{i}", "") for i in range(len(errors))],
                expected=data.get("expected") or None,
            )
        except workflow.WorkflowError as err:
            error = str(err)
        else:
            messages.success(request, f"{t.label}完成：表单现为“{obj.get_status_display()}”。")
            return redirect(back)
    candidate = _candidate(request.user, obj, t)
    # a scan's cells waiting to be checked: the step does not check them (scan_cells)
    pending = scan_cells.pending(obj) if isinstance(obj, EvaluationForm) else 0
    edit_url = ""
    if pending and access.can_edit(request.user, obj):
        edit_url = reverse("form-edit", args=[obj.pk]) + "#scan-doubts"
    return render(
        request,
        "web/step_confirm.html",
        {
            "t": t,
            "candidates": [candidate],
            "single": obj,
            "step_url": step_url,
            "back_url": back,
            "comment": text,
            "error": error,
            "explained": _explained_errors(obj, data) if t.needs_explanations else [],
            "warnings": [f for f in obj.findings if f.get("severity") == "warning"],
            "scan_pending": pending,
            "scan_edit_url": edit_url,
        },
        status=400 if error else 200,
    )


@require_POST
def bulk_step(request: HttpRequest) -> HttpResponse:
    """One step on the forms ticked in 待办: without ``confirm`` the page lists exactly the
    forms it will act on (those with 错误 first) and those it will not; with it, the step."""
    t = _transition_or_403(request.POST.get("action", ""))
    if not t.bulk or not workflow.role_may(t, access.role_of(request.user)):
        raise PermissionDenied(f"您的角色不能批量{t.label}")
    ids = access.parse_ids(request.POST.getlist("ids"))[:BULK_MOST]
    if not ids:
        messages.error(request, "请先勾选表单")
        return redirect("inbox")
    chosen = access.inbox(request.user).filter(pk__in=ids).select_related("organisation")
    candidates = [_candidate(request.user, obj, t) for obj in chosen.order_by("-errors", "id")]
    if t.needs_explanations:  # 送审 of a form with 错误 needs its 说明, one form at a time
        for c in candidates:
            if c.target and c.obj.errors:
                c.target, c.refusal = "", f"有 {c.obj.errors} 个错误，请逐张送审并填写说明"
    text = request.POST.get("comment", "")
    if request.POST.get("confirm") == "1":
        done, failed = 0, []
        for c in candidates:
            if not c.target:
                continue
            try:
                workflow.apply(
                    request.user,
                    c.obj,
                    t.name,
                    text,
                    expected=request.POST.get(f"state_{c.obj.pk}") or None,
                )
                done += 1
            except (workflow.WorkflowError, PermissionDenied) as err:
                failed.append(f"{c.obj.project}：{err}")
        if done:
            messages.success(request, f"{t.label}完成：{done} 张表。")
        for message in failed[:10]:
            messages.error(request, message)
        if not done and not failed:
            messages.error(request, f"所选表单都不能{t.label}")
        return redirect("inbox")
    acting = [c for c in candidates if c.target]
    return render(
        request,
        "web/step_confirm.html",
        {
            "t": t,
            "candidates": acting,
            "refused": [c for c in candidates if not c.target],
            "with_errors": [c for c in acting if c.obj.errors],
            "comment": text,
        },
    )


# --- what the 填报人 and reviewers read on a form -----------------------------------------


def return_comment() -> Subquery:
    """Annotation: the comment of a form's latest 退回 or 重新打开 (for 待办 rows)."""
    return Subquery(
        Event.objects.filter(
            form=OuterRef("pk"), kind=Event.Kind.TRANSITION, action__in=("return", "reopen")
        )
        .order_by("-at", "-id")
        .values("comment")[:1]
    )


def with_return_comments(forms: QuerySet[EvaluationForm]) -> QuerySet[EvaluationForm]:
    return forms.annotate(return_comment=return_comment())


@dataclass
class Thread:
    """An opening 批注 and the answers to it, oldest first."""

    note: RowComment
    answers: list[RowComment]

    @property
    def all(self) -> list[RowComment]:
        return [self.note, *self.answers]


def notes_by_row(
    obj: workflow.Reviewed, comments: list[RowComment] | None = None
) -> dict[int, list[Thread]]:
    """The 批注 threads of a form by row (1-based); ``comments``: all of the form's, when
    already fetched."""
    if comments is None:
        comments = list(obj.row_comments.select_related("user"))
    answers: dict[int, list[RowComment]] = {}
    for c in comments:
        if c.reply_to_id is not None:
            answers.setdefault(c.reply_to_id, []).append(c)
    rows: dict[int, list[Thread]] = {}
    for c in comments:
        if c.reply_to_id is None:
            rows.setdefault(c.position, []).append(Thread(c, answers.get(c.pk, [])))
    return rows


HISTORY = 200  # events (and 批注) the form's page lists


def detail_context(
    user: Any, obj: EvaluationForm, form: SelfEvaluation, notes: bool = True
) -> dict[str, Any]:
    """What the form's page shows of the review: the steps, the standing return comment, the
    说明 of the last 送审, the 批注 by row and the whole history (``notes``: False when the
    form is known to have no 批注, which are then not read)."""
    names = [ind.name for ind in form.indicators]
    return review_context(user, obj, names, None if notes else [])


def review_context(
    user: Any, obj: workflow.Reviewed, names: list[str], comments: list[RowComment] | None = None
) -> dict[str, Any]:
    """What a reviewed object's page shows of the review (``names``: its indicator rows;
    ``comments``: its 批注 when known, else read)."""
    indicators = list(enumerate(names, start=1))
    if comments is None:
        comments = list(obj.row_comments.select_related("user", "reply_to"))
    notes = notes_by_row(obj, comments)
    events = latest_events(obj, HISTORY)
    history = sorted(concat(events, comments[:HISTORY]), key=lambda e: (e.at, e.pk), reverse=True)
    if len(events) < HISTORY:  # every event is here: its transitions are the recent steps
        steps = [e for e in events if e.kind == Event.Kind.TRANSITION]
        recent = steps[: workflow.RECENT_STEPS]
    else:  # one query for the steps, the return and the 送审
        recent = workflow.recent_steps(obj)
    return {
        "transitions": workflow.available(user, obj, recent),
        "return_event": workflow.latest_return(obj, recent),
        "submission": workflow.latest_submission(obj, recent),
        "chain": workflow.chain_for(obj),
        "note_rows": [
            {"position": i, "name": name, "threads": notes.get(i, [])} for i, name in indicators
        ],
        "orphan_notes": [t for p, ts in notes.items() if p > len(indicators) for t in ts],
        "can_note": access.role_of(user) in COMMENT_ROLES,
        "history": history,
    }


def edit_notes(
    obj: EvaluationForm, rows: list[dict[str, Any]], notes_present: bool = True
) -> dict[str, Any]:
    """The editor's view of the review: each row's 批注 (by the row it came from; not read
    when ``notes_present`` is False: the form has none) and the standing return comment."""
    notes = notes_by_row(obj) if notes_present else {}
    for row in rows:
        origin = str(row.get("origin", "")).strip()  # the row's 0-based place when the page opened
        known = origin.isascii() and origin.isdigit() and len(origin) < 7
        row["notes"] = notes.get(int(origin) + 1, []) if known else []
    return {"return_event": workflow.latest_return(obj)}


@require_POST
def row_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A new 批注 on an indicator row (reviewers), or an answer to one (whoever sees the form)."""
    obj = access.get_form(request.user, pk)
    return add_row_comment(request, obj, [i.name for i in obj.form.indicators])


def add_row_comment(request: HttpRequest, obj: workflow.Reviewed, names: list[str]) -> HttpResponse:
    """A 批注 on row ``position`` of ``obj`` (its rows: ``names``), or an answer to one."""
    back = detail_url(obj)
    text = request.POST.get("text", "").strip()
    reply_to = None
    if request.POST.get("reply_to", "").strip():
        answered = access.parse_id(request.POST["reply_to"])
        reply_to = get_object_or_404(
            RowComment, pk=answered or 0, reply_to=None, **workflow.subject(obj)
        )
        position, name = reply_to.position, reply_to.indicator
    else:
        if access.role_of(request.user) not in COMMENT_ROLES:
            raise PermissionDenied("您的角色不能添加批注，可以回复审核人的批注")
        chosen = access.parse_id(request.POST.get("position"))
        if chosen is None or chosen > len(names):
            messages.error(request, "请选择要批注的指标行")
            return redirect(back + "#notes")
        position, name = chosen, names[chosen - 1]
    if not text:
        messages.error(request, "请填写批注内容")
    else:
        RowComment.objects.create(
            **workflow.subject(obj),
            position=position,
            indicator=name[:300],
            user=request.user,
            text=text[:4000],
            reply_to=reply_to,
        )
        messages.success(request, "回复已记录。" if reply_to else "批注已记录。")
    return redirect(back + f"#note-row-{position}")


# --- a district's chain ------------------------------------------------------------------


class ChainForm(djforms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ("review_unit", "review_department", "review_finance", "return_to")
        widgets: ClassVar[dict[str, Any]] = {"return_to": djforms.RadioSelect}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(lv.field) for lv in workflow.LEVELS):
            raise djforms.ValidationError("至少保留一级审核")
        return data


@require_http_methods(["GET", "POST"])
def chain_settings(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The review levels of a district and where its 退回 goes (管理员 and 财政审核 of it)."""
    if access.role_of(request.user) not in SETTINGS_ROLES:
        raise PermissionDenied("只有管理员和财政审核可以设置审核流程")
    districts = access.visible_organisations(request.user).filter(kind=Organisation.Kind.FINANCE)
    if pk is None:
        first = districts.first()
        if first is None:
            raise PermissionDenied("您的管辖范围内没有财政局")
        return redirect("review-chain-of", pk=first.pk)
    district = get_object_or_404(districts, pk=pk)
    form = ChainForm(request.POST or None, instance=district)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存：{workflow.chain_of(district).description}。")
        return redirect("review-chain-of", pk=district.pk)
    return render(
        request,
        "web/review_chain.html",
        {
            "district": district,
            "districts": districts,
            "form": form,
            "chain": workflow.chain_of(district),
            "levels": workflow.LEVELS,
        },
        status=400 if form.errors else 200,
    )
