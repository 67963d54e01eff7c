"""Pages of 抽查复核: the draws (list, new with a preview, one draw's progress), a 复核 task
(the reviewer records; 财政 reads and names another reviewer), and 待办's list of tasks.

Only 财政 (财政审核 or 管理员 at a 财政局) draws and sees draws; only the named 复核人 records.
A reviewer sees the form of their task on the task page even where the form lies outside
their own part of the tree; every other page of that form stays 404 for them.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.summary import signed
from jixiao.web import access, core, evidence
from jixiao.web.models import Organisation, in_subtree
from jixiao.web.recheck import draw as drawing
from jixiao.web.recheck.forms import DrawForm, RecordForm, rows_of
from jixiao.web.recheck.models import MANUAL, Draw, RecheckTask
from jixiao.web.recheck.record import record
from jixiao.web.rounds import scope as round_scope
from jixiao.web.rounds.models import Round

STALE = "表单在您打开本页后已被修改，请核对下面的自评得分后再次保存。"


def _finance(user: Any) -> Organisation:
    node = round_scope.finance_node(user)
    if node is None:
        raise PermissionDenied("只有财政部门可以组织抽查复核")
    return node


def _draws(node: Organisation) -> QuerySet[Draw]:
    return Draw.objects.filter(in_subtree(node.path, "organisation__path"))


def get_draw(user: Any, pk: int) -> Draw:
    node = round_scope.finance_node(user)
    draw = None if node is None else _draws(node).filter(pk=pk).first()
    if draw is None:
        raise Http404("没有找到这个抽查批次，或您无权查看")
    return draw


def manages(user: Any, draw: Draw) -> bool:
    node = round_scope.finance_node(user)
    return node is not None and draw.organisation.path.startswith(node.path)


def get_task(user: Any, pk: int) -> RecheckTask:
    """The task if ``user`` is its 复核人 or 财政 of its draw; 404 otherwise."""
    task = (
        RecheckTask.objects.select_related(
            "draw", "draw__organisation", "form", "form__organisation", "department", "reviewer"
        )
        .filter(pk=pk)
        .first()
    )
    if task is None or not (task.reviewer_id == user.pk or manages(user, task.draw)):
        raise Http404("没有找到这个复核任务，或您无权查看")
    return task


# --- draws --------------------------------------------------------------------------------


@require_GET
def draw_list(request: HttpRequest) -> HttpResponse:
    node = _finance(request.user)
    draws = (
        _draws(node)
        .select_related("round", "created_by")
        .annotate(
            drawn=Count("tasks", distinct=True),
            done=Count("tasks", filter=Q(tasks__done_at__isnull=False), distinct=True),
        )[:200]
    )
    return render(request, "web/recheck_list.html", {"draws": draws})


def _draw_form(request: HttpRequest, node: Organisation, data: Any = None) -> DrawForm:
    rounds = round_scope.visible_rounds(request.user).filter(organisation=node)
    return DrawForm(data, rounds=rounds, reviewers=drawing.eligible_reviewers(node))


def _default_year(request: HttpRequest) -> int:
    years = access.visible_years(request.user, most=1)
    return years[0] if years else timezone.localdate().year - 1


def _conflicts(reviewer: Any, groups: list[drawing.DepartmentDraw]) -> list[str]:
    out = []
    for g in groups:
        if g.drawn:
            why = drawing.conflict(reviewer, g.department)
            if why:
                out.append(why + "，请另选复核人")
    return list(dict.fromkeys(out))


def _token(value: str) -> uuid.UUID | None:
    """The preview page's one-time key, or None when absent or malformed."""
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _already(request: HttpRequest, done: Draw) -> HttpResponse:
    """确认 sent again: the draw stored the first time, not a second one."""
    messages.info(request, f"抽查批次“{done.title}”已经保存，未重复抽取。")
    return redirect("recheck-draw", pk=done.pk)


@require_http_methods(["GET", "POST"])
def draw_new(request: HttpRequest) -> HttpResponse:
    """The draw's rule; POST shows what it draws (per department; by hand, the forms to
    tick), and POST with ``confirm`` stores it with its tasks."""
    node = _finance(request.user)
    if request.method == "GET":
        year = _default_year(request)
        form = _draw_form(request, node)
        form.initial = {"year": year, "title": f"{year}年度抽查复核", "method": "random"}
        return render(request, "web/recheck_new.html", {"form": form})
    data = request.POST.copy()
    confirm = data.get("confirm") == "1"
    token = _token(data.get("token", "")) if confirm else None
    data["token"] = str(token or uuid.uuid4())  # each preview's own key, sent back by 确认
    if token is not None and (done := Draw.objects.filter(token=token, organisation=node).first()):
        return _already(request, done)
    form = _draw_form(request, node, data)
    if not form.is_valid():
        return render(request, "web/recheck_new.html", {"form": form}, status=400)
    c = form.cleaned_data
    rnd: Round | None = c["round"]
    groups = drawing.by_department(list(drawing.population(node, c["year"], rnd)))
    method = c["method"]
    chosen = access.parse_ids(data.getlist("ids")) if method == MANUAL else []
    share = c["share"] / 100 if c["share"] is not None else None
    seed = drawing.draw(
        groups, method, count=c["count"], share=share, seed=c["seed"], chosen=chosen
    )
    if method == "random" and c["seed"] is None:  # the seed of this preview, kept for 确认
        data["seed"] = str(seed)
        form = _draw_form(request, node, data)
        form.is_valid()
    drawn_ids = [obj.pk for g in groups for obj in g.drawn]
    errors = _conflicts(c["reviewer"], groups)
    if confirm and token is None:
        errors.append("页面已过期：请核对下面的抽取结果后再次确认")
    if confirm and not errors:
        expected = access.parse_ids(data.getlist("expected"))
        if method == MANUAL and not drawn_ids:
            errors.append("请勾选要复核的自评表")
        elif method != MANUAL and expected != drawn_ids:
            errors.append("自预览以来，可抽取的表已有变化：请核对下面的抽取结果后再次确认")
        else:
            try:
                d = drawing.create(
                    node,
                    request.user,
                    title=c["title"],
                    year=c["year"],
                    rnd=rnd,
                    method=method,
                    groups=groups,
                    seed=seed,
                    count=c["count"],
                    share_percent=c["share"],
                    reviewer=c["reviewer"],
                    token=token,
                )
            except IntegrityError:  # the same 确认 stored at this moment by another request
                return _already(request, Draw.objects.get(token=token))
            messages.success(request, f"已抽取 {len(drawn_ids)} 张自评表，复核任务已分派给复核人。")
            return redirect("recheck-draw", pk=d.pk)
    return render(
        request,
        "web/recheck_new.html",
        {
            "form": form,
            "preview": True,
            "groups": groups,
            "manual": method == MANUAL,
            "chosen": set(chosen),
            "drawn_ids": drawn_ids,
            "errors": errors,
            "population": sum(g.population for g in groups),
        },
        status=400 if errors else 200,
    )


@require_GET
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = get_draw(request.user, pk)
    tasks = list(
        d.tasks.select_related("form", "form__organisation", "department", "reviewer__profile")
    )
    rows = []
    for dept in d.departments.select_related("department"):
        mine = [t for t in tasks if t.department_id == dept.department_id]
        done = sum(1 for t in mine if t.done)
        rows.append(
            {
                "department": dept.department,
                "population": dept.population,
                "drawn": len(mine),
                "done": done,
                "percent": round(done * 100 / len(mine)) if mine else 0,
            }
        )
    done = sum(1 for t in tasks if t.done)
    return render(
        request,
        "web/recheck_draw.html",
        {
            "draw": d,
            "departments": rows,
            "tasks": [(t, signed(t.gap)) for t in tasks],
            "drawn": len(tasks),
            "done": done,
            "percent": round(done * 100 / len(tasks)) if tasks else 0,
            "population": sum(r["population"] for r in rows),
            "reviewers": drawing.eligible_reviewers(d.organisation),
            "can_manage": manages(request.user, d),
        },
    )


@require_POST
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request.user, pk)
    if not manages(request.user, task.draw):
        raise PermissionDenied("只有财政部门可以改派复核人")
    reviewer_id = access.parse_id(request.POST.get("reviewer"))
    reviewer = (
        drawing.eligible_reviewers(task.draw.organisation).filter(pk=reviewer_id or 0).first()
    )
    if task.done:
        messages.error(request, "该表已复核完毕，不能改派。")
    elif reviewer is None:
        messages.error(request, "请选择复核人")
    elif (why := drawing.conflict(reviewer, task.department)) is not None:
        messages.error(request, why)
    elif reviewer.pk == task.reviewer_id:
        messages.info(request, "复核人未变。")
    else:
        drawing.reassign(task, reviewer)
        name = reviewer.get_full_name() or reviewer.get_username()
        messages.success(request, f"已改派给 {name}。")
    return redirect("recheck-draw", pk=task.draw_id)


# --- a task -------------------------------------------------------------------------------


def _initial(task: RecheckTask, rows: list[Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": task.form.version}
    recorded = {s.position: s for s in task.scores.all()}
    for row in rows:
        s = recorded.get(row.position)
        if s is not None:
            initial[f"score_{row.position}"] = f"{s.score:f}"
            initial[f"opinion_{row.position}"] = s.opinion
        elif row.self_score is not None:  # start from the self-score
            initial[f"score_{row.position}"] = f"{row.self_score:f}"
    if task.done:
        initial["verdict"], initial["conclusion"] = task.verdict, task.conclusion
    return initial


@require_http_methods(["GET", "POST"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The sampled form beside the recording table: the 复核人 enters a 复核得分 and 复核意见
    per row and a conclusion; 财政 reads what was recorded."""
    task = get_task(request.user, pk)
    obj = task.form
    mine = task.reviewer_id == request.user.pk
    form_doc = obj.form
    policy = core.policy_for(form_doc)
    rows = rows_of(form_doc, policy)
    places = policy.indicators.score_places
    status = 200
    if request.method == "POST":
        if not mine:
            raise PermissionDenied("只有指定的复核人可以录入复核结果")
        record_form = RecordForm(request.POST, rows=rows, places=places)
        if record_form.is_valid():
            version = record_form.cleaned_data.get("version")
            if version is not None and version != obj.version:
                # the page carries the new version now: saving again records knowingly
                data = request.POST.copy()
                data["version"] = str(obj.version)
                record_form = RecordForm(data, rows=rows, places=places)
                record_form.is_valid()
                record_form.add_error(None, STALE)
                status = 409
            else:
                record(task, rows, record_form.cleaned_data, request.user, policy)
                messages.success(
                    request,
                    f"复核已保存：复核总分 {task.recheck_total} 分，"
                    f"与自评总分相差 {signed(task.gap)} 分。",
                )
                return redirect("recheck-task", pk=task.pk)
        else:
            status = 400
    else:
        record_form = RecordForm(initial=_initial(task, rows), rows=rows, places=places)
    recorded = {s.position: s for s in task.scores.all()}
    table = [
        {
            "row": row,
            "score": record_form[f"score_{row.position}"],
            "opinion": record_form[f"opinion_{row.position}"],
            "recorded": recorded.get(row.position),
            "gap": signed(recorded[row.position].gap) if row.position in recorded else "",
        }
        for row in rows
    ]
    return render(
        request,
        "web/recheck_task.html",
        {
            "task": task,
            "obj": obj,
            "mine": mine,
            "rf": record_form,
            "table": table,
            "errors": record_form.messages() if record_form.is_bound else [],
            "gap": signed(task.gap),
            "can_see_form": access.visible_forms(request.user).filter(pk=obj.pk).exists(),
            "official": core.official_html(form_doc, notes=False),
            "stale": task.done and task.form_version not in (None, obj.version),
            "evidence": [g for g in evidence.groups(obj, form_doc) if g.files],
        },
        status=status,
    )


@require_GET
def task_evidence(request: HttpRequest, pk: int, aid: int) -> HttpResponse:
    """A 佐证材料 file of the task's form, for its 复核人 (who may not see the form elsewhere)
    and 财政 of the draw."""
    task = get_task(request.user, pk)
    att = task.form.attachments.filter(pk=aid).first()
    if att is None:
        raise Http404("没有找到这个佐证材料，或您无权查看")
    response = evidence.serve(att)
    if response is None:
        raise Http404(evidence.lost(att))
    return response
