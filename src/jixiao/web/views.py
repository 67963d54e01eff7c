"""Pages: form list, detail, edit with live recomputation, workflow, new forms, history."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connections, router
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jixiao.layouts import get_layout
from jixiao.model import SelfEvaluation
from jixiao.web import (
    access,
    core,
    editing,
    evidence,
    form_cache,
    layout_fields,
    records,
    review,
    scan_cells,
    workflow,
)
from jixiao.web.exports import FORMATS
from jixiao.web.models import (
    INFLATED,
    NEWEST_INDEX,
    EvaluationForm,
    Organisation,
    Status,
    from_hundredths,
    in_subtree,
)
from jixiao.web.panel import adoptable, score_panel
from jixiao.web.plans import store as plan_store
from jixiao.web.plans.year import year_url
from jixiao.web.presence import Present, related_present
from jixiao.web.recheck.results import on_form_page
from jixiao.web.statements import rows

PAGE_SIZE = 50
SORTS: dict[str, tuple[str, Any]] = {
    "updated": ("最近修改", F("updated_at").desc()),
    "score": ("总分（计算）从低到高", F("computed_total").asc(nulls_first=True)),
    "-score": ("总分（计算）从高到低", F("computed_total").desc(nulls_last=True)),
    "inflation": ("自评虚高从高到低", F("inflation").desc(nulls_last=True)),
    "findings": ("问题从多到少", F("findings_count").desc()),
    "rate": ("执行率从低到高", F("rate").asc(nulls_first=True)),
    "project": ("项目名称", F("project").asc()),
}
GRADES = ("优", "良", "中", "差")


def default_year(user: Any) -> int:
    """The list's year unless one is chosen: the newest year with forms the user sees,
    else the calendar year."""
    years = access.visible_years(user, most=1)
    return years[0] if years else timezone.localdate().year


FILTERS = ("q", "year", "unit", "grade", "status", "errors")


def filter_forms(
    user: Any, g: Any, years: list[int] | None = None
) -> tuple[QuerySet[EvaluationForm], dict[str, str]]:
    """``user``'s forms with the list's search, filters and sort in ``g`` (the query
    string, or a dict of it, as a background export keeps it) applied; ``years``: the
    user's years with forms (access.visible_years), when the caller has them."""
    params = list_params(user, g, years)
    return forms_of(user, params), params


def forms_of(user: Any, params: dict[str, str]) -> QuerySet[EvaluationForm]:
    """``user``'s forms with the search, filters and sort of ``params`` (list_params) applied."""
    qs = access.visible_forms(user)
    if params["q"]:
        qs = qs.filter(Q(project__icontains=params["q"]) | Q(unit_name__icontains=params["q"]))
    year, unit = access.parse_id(params["year"]), access.parse_id(params["unit"])
    if year is not None:
        qs = qs.filter(year=year)
    if unit is not None:
        org = access.visible_organisations(user).filter(pk=unit).first()
        qs = qs.filter(in_subtree(org.path)) if org else qs.none()
    if params["grade"] in GRADES:
        qs = qs.filter(computed_grade=params["grade"])
    elif params["grade"] == "none":
        qs = qs.filter(computed_grade="")
    if params["status"] in Status.values:
        qs = qs.filter(status=params["status"])
    if params["errors"] == "yes":
        qs = qs.filter(errors__gt=0)
    elif params["errors"] == "no":
        qs = qs.filter(errors=0)
    return qs.order_by(SORTS[params["sort"]][1], "-id")


def list_params(user: Any, g: Any, years: list[int] | None = None) -> dict[str, str]:
    """The list's search, filters and sort as :func:`filter_forms` reads them from ``g``: the
    newest year with forms by default (全部年度 is year=all), 最近修改 unless a known sort."""
    params = {k: str(g.get(k, "")).strip() for k in FILTERS}
    if "year" not in g:
        if years is None:
            params["year"] = str(default_year(user))
        else:
            params["year"] = str(years[0] if years else timezone.localdate().year)
    params["sort"] = g.get("sort", "updated") if g.get("sort") in SORTS else "updated"
    return params


class _Unit:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class FormRow:
    """A row of the form list as its table reads it (web/form_rows.jinja: the attributes of
    an EvaluationForm it uses), from the row's plain values: no model instance per row."""

    COLUMNS = (
        "id",
        "year",
        "project",
        "status",
        "declared_total",
        "computed_total",
        "rate",
        "inflation",
        "declared_grade",
        "computed_grade",
        "errors",
        "findings_count",
        "organisation__name",
    )
    __slots__ = (
        "computed_grade",
        "computed_total_value",
        "declared_grade",
        "declared_total_value",
        "errors",
        "findings_count",
        "inflation_value",
        "is_inflated",
        "organisation",
        "pk",
        "project",
        "rate_value",
        "return_comment",
        "status",
        "year",
    )

    def __init__(self, v: dict[str, Any]) -> None:
        self.pk = v["id"]
        self.year = v["year"]
        self.project = v["project"]
        self.status = v["status"]
        self.declared_total_value = from_hundredths(v["declared_total"])
        self.computed_total_value = from_hundredths(v["computed_total"])
        self.rate_value = from_hundredths(v["rate"])
        self.inflation_value = from_hundredths(v["inflation"])
        self.is_inflated = v["inflation"] is not None and v["inflation"] >= INFLATED
        self.declared_grade = v["declared_grade"]
        self.computed_grade = v["computed_grade"]
        self.errors = v["errors"]
        self.findings_count = v["findings_count"]
        self.organisation = _Unit(v["organisation__name"])
        self.return_comment = None  # the list shows no 退回意见 (待办 does)


class NewestFirst:
    """The forms of a subtree (of one year, or of all years), newest change first: the list's
    default view (no search, no other filter, sorted by 最近修改) as the Paginator's object
    list, what ``filter_forms`` gives for that view. ``count()``, and a slice's rows
    (:class:`FormRow`), are statements written once (web/statements.py), where the ORM
    compiled its queries anew on every list page: the page's ids in a subquery, then those
    rows.

    The ids of one year's page are found one of two ways, whichever reads fewer index
    entries (:meth:`_walks`): sorted from the subtree's entries in the index ``(year,
    org_path, updated_at)`` (a unit's or a small 主管部门's forms), or walking the year's
    entries newest first in the index ``(year, updated_at, id, org_path)`` and keeping those
    of the subtree until the page is full (a 财政局's: 3,000 entries sorted for fifty,
    before). SQLite is told which index (``INDEXED BY``: without statistics it would walk
    for a unit too, all the year's entries for a few); PostgreSQL chooses by its own
    statistics. All years: sorted, as before."""

    def __init__(self, path: str, year: int | None) -> None:
        self.bounds = [path, path[:-1] + "0"]  # models.in_subtree's range
        self.year = year
        self.alias = router.db_for_read(EvaluationForm)
        self.counted: int | None = None

    def _where(self, quote: Callable[[str], str], table: str, walk: bool = False) -> str:
        """``FROM <forms> table WHERE <in the subtree and year>``, with the index SQLite is
        to use: the subtree's, or (``walk``) the year's newest first."""
        index = ""
        if self.year is not None and connections[self.alias].vendor == "sqlite":
            index = f" INDEXED BY {quote(NEWEST_INDEX if walk else _SUBTREE_INDEX)}"
        year = f" AND {table}.{quote('year')} = %s" if self.year is not None else ""
        return (
            f"FROM {quote(EvaluationForm._meta.db_table)} {table}{index} "
            f"WHERE {table}.{quote('org_path')} >= %s AND {table}.{quote('org_path')} < %s{year}"
        )

    def _params(self) -> list[Any]:
        return [*self.bounds] if self.year is None else [*self.bounds, self.year]

    def count(self) -> int:
        def write(quote: Callable[[str], str]) -> str:
            return f"SELECT COUNT(*) {self._where(quote, 'f')}"

        key = ("newest count", self.year is not None)
        self.counted = int(rows(self.alias, key, write, self._params())[0][0])
        return self.counted

    def _walks(self, stop: int) -> bool:
        """Whether the first ``stop`` forms are found walking the year newest first: about
        ``stop × (forms of the year) ÷ (forms of the subtree)`` entries walked, against the
        subtree's entries sorted (the year's size from :func:`year_sizes`)."""
        if self.year is None:
            return False
        held = self.count() if self.counted is None else self.counted
        return held * held >= stop * year_sizes(self.alias).get(self.year, 0)

    def __getitem__(self, cut: slice) -> list[FormRow]:
        offset, stop = cut.start or 0, cut.stop
        assert stop is not None
        if stop <= offset:
            return []
        walk = self._walks(stop)

        def write(quote: Callable[[str], str]) -> str:
            own = ", ".join(f"f.{quote(c)}" for c in FormRow.COLUMNS[:-1])
            unit_fk = quote(EvaluationForm.organisation.field.column)
            newest = f"{quote('updated_at')} DESC, %s.{quote('id')} DESC"
            return (
                f"SELECT {own}, o.{quote('name')} FROM {quote(EvaluationForm._meta.db_table)} f "
                f"INNER JOIN {quote(Organisation._meta.db_table)} o "
                f"ON o.{quote(Organisation._meta.pk.column)} = f.{unit_fk} "
                f"WHERE f.{quote('id')} IN (SELECT p.{quote('id')} {self._where(quote, 'p', walk)} "
                f"ORDER BY p.{newest % 'p'} LIMIT %s OFFSET %s) ORDER BY f.{newest % 'f'}"
            )

        key = ("newest rows", self.year is not None, walk)
        found = rows(self.alias, key, write, [*self._params(), stop - offset, offset])
        return [FormRow(dict(zip(FormRow.COLUMNS, row, strict=True))) for row in found]


# the index (year, org_path, updated_at) of EvaluationForm.Meta: its name as Django gave it
_SUBTREE_INDEX = next(
    i.name for i in EvaluationForm._meta.indexes if i.fields == ["year", "org_path", "updated_at"]
)
_SIZES: dict[str, tuple[float, dict[int | None, int]]] = {}
SIZES_KEPT = 60.0  # seconds


def year_sizes(alias: str) -> dict[int | None, int]:
    """The forms of each year, read at most once a minute per process (a statistic: it
    chooses how :class:`NewestFirst` finds a page, never what the page holds)."""
    now = time.monotonic()
    kept = _SIZES.get(alias)
    if kept is None or now - kept[0] > SIZES_KEPT:
        counted = EvaluationForm.objects.using(alias).values_list("year").annotate(n=Count("pk"))
        kept = _SIZES[alias] = (now, dict(counted.order_by()))
    return kept[1]


def _newest_first(user: Any, params: dict[str, str]) -> NewestFirst | None:
    """The list's view as :class:`NewestFirst` when it is the default one, else None."""
    path = access.scope_path(user)
    if path is None or params["sort"] != "updated":
        return None
    if any(params[k] for k in ("q", "unit", "grade", "status", "errors")):
        return None
    return NewestFirst(path, access.parse_id(params["year"]))


@require_GET
def form_list(request: HttpRequest) -> HttpResponse:
    years = access.visible_years(request.user)  # the filter's choices and the default year
    params = list_params(request.user, request.GET, years)
    newest = _newest_first(request.user, params)
    if newest is not None:  # the default view: statements written once
        page = Paginator(newest, PAGE_SIZE).get_page(request.GET.get("page"))
    else:  # the page's ids first (sorted in the index, no row read), then those fifty rows
        qs = forms_of(request.user, params)
        page = Paginator(qs.values("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
        rows_ = EvaluationForm.objects.filter(pk__in=page.object_list).order_by(*qs.query.order_by)
        page.object_list = [FormRow(values) for values in rows_.values(*FormRow.COLUMNS)]
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "web/form_list.jinja",
        {
            "page": page,
            "params": params,
            "query": query,
            "sorts": [(k, v[0]) for k, v in SORTS.items()],
            "grades": GRADES,
            "statuses": Status.choices,
            "units": access.unit_choices(request.user),
            "years": _years_with(years, params["year"]),
            "export_formats": list(FORMATS.items()),
        },
    )


def _years_with(years: list[int], chosen: str) -> list[int]:
    """The year filter's choices: the years with forms, and the chosen year if it has none."""
    year = access.parse_id(chosen)
    if year is not None and year not in years:
        return sorted([*years, year], reverse=True)
    return years


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """What waits for me, 错误 first, then the most inflated; the steps I may take on several
    forms at once (each through a confirmation page, review.bulk_step)."""
    role = access.role_of(request.user)
    states = set(access.inbox_states(role))
    bulk = [
        t
        for t in workflow.TRANSITIONS.values()
        if t.bulk and workflow.role_may(t, role) and states & set(t.sources)
    ]
    forms = review.with_return_comments(access.inbox(request.user)).select_related("organisation")
    forms = forms.order_by("-errors", F("inflation").desc(nulls_last=True), "-updated_at", "-id")
    paginator = Paginator(forms, PAGE_SIZE)
    return render(
        request,
        "web/inbox.html",
        {"page": paginator.get_page(request.GET.get("page")), "bulk_actions": bulk},
    )


@require_GET
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    form = obj.form
    parts = form_cache.page_parts(obj, form)
    plain = request.GET.get("view") == "plain"
    present = related_present(obj)  # 佐证材料, 复核 tasks and 批注 read only when there are some
    return render(
        request,
        "web/form_detail.jinja",
        {
            "obj": obj,
            "form": form,
            "plain": plain,
            "official": form_cache.plain_html(obj, form) if plain else parts.official,
            "panel_html": parts.panel,
            "can_edit": access.can_edit(request.user, obj),
            "document_notes": obj.document_notes,
            "formats": list(core.EXPORT_FORMATS),
            "ev": evidence.section(request.user, obj, form, None if present.files else []),
            "rechecks": on_form_page(obj) if present.rechecks else [],
            "year_url": year_url(obj.organisation_id, obj.year, obj.project),
            "scan_pending": scan_cells.pending(obj) if present.scan else 0,
            **review.detail_context(request.user, obj, form, notes=present.notes),
        },
    )


@require_GET
def form_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The form alone in its official layout (the export's HTML, A4 print CSS): what the
    browser prints, without the site's navigation and panels."""
    obj = access.get_form(request.user, pk)
    return HttpResponse(core.official_html(obj.form, notes=False))


def _edit_context(
    obj: EvaluationForm,
    values: dict[str, Any],
    panel_form: SelfEvaluation,
    parsed: Any = None,
    assessment: core.Assessment | None = None,
    fields: layout_fields.Fields | None = None,
    present: Present | None = None,
) -> dict[str, Any]:
    """The edit page: ``values`` as shown (typed text after a failed save), the live panel
    for ``panel_form`` (its ``assessment`` when known, else audited now), the messages
    of ``parsed``; the columns and rows of the form's layout (``fields``, by default those
    of ``panel_form``); ``present``: which related rows the form has, when known."""
    bad = parsed.fields() if parsed else set()
    fields = fields or layout_fields.fields_of(panel_form)
    # a scan's uncertain cells: marked on their inputs, all listed at the top
    scan = scan_cells.marks(obj) if present is None or present.scan else []
    at = scan_cells.by_path(scan)

    def mark(path: str) -> scan_cells.Mark | None:
        found = at.get(path)
        if found is not None:
            found.on_page = True
        return found

    fund_rows = []
    n = 0
    for spec in fields.fund_rows:
        cells = []
        for col in fields.fund_columns:
            name = layout_fields.fund_name(spec, n, col)
            cells.append(
                {
                    "name": name,
                    "value": values.get(name, ""),
                    "bad": name in bad,
                    "number": col.extra is None,
                    "caption": col.caption,
                    "scan": mark(scan_cells.fund_path(spec.key, col.key, col.extra, spec.caption)),
                }
            )
        fund_rows.append({"key": spec.key, "caption": spec.caption, "cells": cells})
        n += spec.key is None
    rows = []
    keys = [c.key for c in fields.indicator_columns]
    for i, row in enumerate(values["rows"]):
        origin = str(row.get("origin", ""))
        marked = {
            c.key: m
            for c in fields.indicator_columns
            if origin and (m := mark(scan_cells.row_path(origin, c.key, c.extra)))
        }
        rows.append({**row, "bad": {k for k in keys if f"ind_{k}.{i}" in bad}, "scan": marked})
    header = {k.replace(".", "_"): v for k, v in values.items() if k in editing.HEADER_FIELDS}
    shown = ["year", "project", "total_weight", "total_score"]  # the head's inputs on the page
    shown += ["goals.expected", "goals.achieved"] if fields.goals else []
    shown += ["grade"] if fields.grade else []
    scan_at = {p.replace(".", "_"): m for p in shown if (m := mark(p))}
    return {
        "obj": obj,
        "v": header,
        "bad": {b.replace(".", "_") for b in bad},
        "rows": rows,
        "fields": fields,
        "columns": fields.indicator_columns,
        "fund_headers": [c.caption for c in fields.fund_columns],
        "weight_caption": next(
            (c.caption for c in fields.fund_columns if c.key == "weight"), "分值"
        ),
        "fund_rows": fund_rows,
        "level1_weights": values["level1_weights"],
        "checkboxes": values["checkboxes"],
        "layout": values.get("layout", ""),
        "layouts": editing.LAYOUT_CHOICES,
        "amount_units": editing.AMOUNT_UNITS,
        "panel": score_panel(
            panel_form, assessment or plan_store.assess(obj.organisation, panel_form), editing=True
        ),
        # 三级指标 whose 年度指标值 an approved 申报表 fixes: read-only on the page
        "approved_names": plan_store.approved_names(obj.organisation, panel_form),
        "errors": parsed.messages() if parsed else [],
        "version": obj.version,
        "document_notes": obj.document_notes,
        "scan_list": scan,
        "scan_at": scan_at,
        "scan_ticked": set(),  # 已核对 boxes ticked (a failed save shows them again)
        **review.edit_notes(obj, rows, present is None or present.notes),
    }


def _edit_page(
    request: HttpRequest,
    obj: EvaluationForm,
    ctx: dict[str, Any],
    status: int = 200,
    stored: SelfEvaluation | None = None,
    present: Present | None = None,
) -> HttpResponse:
    """The editor drawn from ``ctx`` (_edit_context), with its 佐证材料 section (by the rows
    of the stored form, ``stored`` when the caller has it read; its files not read when
    ``present`` says there are none)."""
    files = [] if present is not None and not present.files else None
    ctx["ev"] = evidence.section(request.user, obj, stored, files)
    if request.method == "POST":  # 已核对 boxes ticked stay ticked on a page drawn again
        ctx["scan_ticked"] = set(request.POST.getlist("scan_checked"))
    return render(request, "web/form_edit.jinja", ctx, status=status)


CONFLICT = (
    "保存失败：打开本页后，表单已被他人保存。您填写的内容仍保留在下方，"
    "与他人保存的值不同之处列在上面；核对后再次保存即以您填写的为准。"
)


@require_http_methods(["GET", "POST"])
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk, "organisation__parent")  # the 主管部门 shown
    access.require_edit(request.user, obj)
    current = obj.form
    if request.method == "GET":  # the panel from the findings stored at the last save
        stored = form_cache.assessment(obj, current)
        # the layout the scorecard was computed by (layout_of once, not again)
        fields = layout_fields.fields_of(current, get_layout(stored.card.layout))
        values = editing.page_values(current, fields)
        present = related_present(obj)  # 批注 and 佐证材料 read only when there are some
        ctx = _edit_context(obj, values, current, assessment=stored, fields=fields, present=present)
        return _edit_page(request, obj, ctx, stored=current, present=present)
    parsed = editing.parse(request.POST, current)
    version = _int(request.POST.get("version"))
    if "adopt" in request.POST:  # 采用计算值 without JavaScript: fill in, do not save
        return _adopt(request, obj, parsed, version)
    if version is None:
        parsed.errors.insert(0, ("", "保存失败：缺少表单版本，请刷新页面后重新填写。"))
    if parsed.ok and parsed.form is not None and version is not None:
        restored = plan_store.restore_targets(obj.organisation, parsed.form)
        if restored:
            messages.warning(
                request,
                "年度指标值按批复的绩效目标申报表保留，未采用修改：" + "、".join(restored),
            )
        try:
            diff = records.update(obj, parsed.form, request.user, version, stored=current)
        except records.EditConflict:
            obj = access.get_form(request.user, pk)  # as the other save left it
            access.require_edit(request.user, obj)
            return _conflict(request, obj, parsed.form)
        checked = 0
        if "scan_open" in request.POST:  # the page showed uncertain cells of a scan
            checked = scan_cells.after_save(obj, current, parsed.form, request.POST, request.user)
        said = f"已保存，修改了 {len(diff)} 处。" if diff else "没有修改。"
        messages.success(request, said + (f"已核对识别结果 {checked} 处。" if checked else ""))
        return redirect("form-detail", pk=obj.pk)
    fields = layout_fields.fields_of(current)
    values = editing.posted_values(request.POST, current, fields)
    ctx = _edit_context(obj, values, current, parsed, fields=fields)
    ctx["version"] = version if version is not None else obj.version
    ctx["unsaved"] = True
    return _edit_page(request, obj, ctx, 400, stored=current)


def _adopt(
    request: HttpRequest, obj: EvaluationForm, parsed: editing.Parsed, version: int | None
) -> HttpResponse:
    """The edit page again with the named field set to its computed value (not saved)."""
    base = obj.form
    fields = layout_fields.fields_of(base)
    values = editing.posted_values(request.POST, base, fields)
    if parsed.form is None:
        ctx = _edit_context(obj, values, base, parsed, fields=fields)
        return _edit_page(request, obj, ctx, 400)
    name = request.POST.get("adopt", "")
    computed = adoptable(core.assess(parsed.form).card).get(name)
    if computed is not None:
        if name.startswith("ind_score."):
            values["rows"][int(name.removeprefix("ind_score."))]["score"] = computed
        else:
            values[name] = computed
    form = editing.parse(_as_post(request.POST, name, computed), base).form or parsed.form
    ctx = _edit_context(obj, values, form, fields=fields)
    ctx["version"] = version if version is not None else obj.version
    ctx["unsaved"] = True
    ctx["notice"] = "已采用计算值，尚未保存。" if computed is not None else "该项已与计算值一致。"
    return _edit_page(request, obj, ctx)


def _as_post(post: Any, name: str, value: str | None) -> Any:
    """``post`` with field ``name`` (``ind_score.<i>`` for a row's 得分) set to ``value``."""
    data = post.copy()
    if value is None:
        return data
    if name.startswith("ind_score."):
        scores = data.getlist("ind_score")
        scores[int(name.removeprefix("ind_score."))] = value
        data.setlist("ind_score", scores)
    else:
        data[name] = value
    return data


def _conflict(request: HttpRequest, obj: EvaluationForm, mine: SelfEvaluation) -> HttpResponse:
    """The edit page after a lost race: the user's values in the fields, and beside them
    every field where the other save differs from what the user typed. The page carries
    the new version, so saving again applies the user's values knowingly."""
    saved = obj.form
    fields = layout_fields.fields_of(saved)
    values = editing.posted_values(request.POST, saved, fields)
    ctx = _edit_context(obj, values, mine, fields=fields)
    ctx["errors"] = [CONFLICT]
    ctx["conflicts"] = records.changes(saved, mine)
    ctx["unsaved"] = True
    return _edit_page(request, obj, ctx, 409, stored=saved)


@require_POST
def form_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the score panel and findings for what is on the edit page now (not saved)."""
    obj = access.get_form(request.user, pk)
    access.require_edit(request.user, obj)
    parsed = editing.parse(request.POST, obj.form)
    if parsed.form is None:
        return render(request, "web/_panel_errors.html", {"errors": parsed.messages()})
    a = plan_store.assess(obj.organisation, parsed.form)
    panel = score_panel(parsed.form, a, editing=True)
    return render(request, "web/_panel.jinja", {"panel": panel})


@require_http_methods(["GET", "POST"])
def form_new(request: HttpRequest) -> HttpResponse:
    access.require_create(request.user)
    units = access.units_for(request.user)
    errors: list[str] = []
    if request.method == "POST":
        new = editing.NewForm(request.POST, units)
        if new.is_valid():
            unit, year, project = (new.cleaned_data[k] for k in ("unit", "year", "project"))
            dept = unit.department
            approved = plan_store.started_from_approved(unit, project, year)
            if approved is not None:  # the targets as approved with the budget
                obj = records.create(unit, approved, request.user, comment=plan_store.FROM_APPROVED)
                messages.success(request, plan_store.FROM_APPROVED_NOTE)
                return redirect("form-edit", pk=obj.pk)
            form = editing.blank(year, project, dept.name if dept else "", unit.name)
            obj = records.create(unit, form, request.user)
            messages.success(request, "已新建表单，请填写内容。")
            return redirect("form-edit", pk=obj.pk)
        errors = new.messages()
    return render(
        request,
        "web/form_new.html",
        {
            "units": units,
            "errors": errors,
            "post": request.POST,
            "without_next": without_next_year(units),
        },
        status=400 if errors else 200,
    )


NEXT_YEAR_LIST = 300


def without_next_year(units: QuerySet[Organisation]) -> QuerySet[EvaluationForm]:
    """Forms of ``units`` (any year) that have no next-year form of the same unit and
    项目名称 yet: each can start one. Newest year first, then by project."""
    successor = EvaluationForm.objects.filter(
        organisation=OuterRef("organisation"),
        project=OuterRef("project"),
        year=OuterRef("year") + 1,
    )
    return (
        EvaluationForm.objects.filter(organisation__in=units)
        .exclude(year=None)
        .exclude(Exists(successor))
        .select_related("organisation")
        .only("id", "year", "project", "unit_name", "organisation__name")
        .order_by("-year", "project", "id")[:NEXT_YEAR_LIST]
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def form_next_year(request: HttpRequest, pk: int) -> HttpResponse:
    obj = access.get_form(request.user, pk)
    access.require_create(request.user, organisation=obj.organisation)
    form = editing.next_year(obj.form)
    existing = records.existing(obj.organisation, form)
    if existing is not None:
        messages.error(
            request, f"{form.year} 年度已有同名项目的表单（#{existing.pk}），未重复生成。"
        )
        return redirect("form-detail", pk=existing.pk)
    approved = plan_store.started_from_approved(obj.organisation, form.project, form.year)
    if approved is not None:  # that year's approved targets, not last year's
        new = records.create(
            obj.organisation, approved, request.user, comment=plan_store.FROM_APPROVED
        )
        messages.success(request, plan_store.FROM_APPROVED_NOTE)
        return redirect("form-edit", pk=new.pk)
    new = records.create(
        obj.organisation, form, request.user, comment=f"由 {obj.year} 年度表单（#{obj.pk}）生成"
    )
    messages.success(request, f"已根据 {obj.year} 年度表单生成 {form.year} 年度表单。")
    return redirect("form-edit", pk=new.pk)


@require_GET
def home(request: HttpRequest) -> HttpResponseRedirect:
    return redirect(reverse("form-list"))
