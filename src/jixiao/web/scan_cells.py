"""The cells of a scanned form that OCR read uncertainly, in the web: kept with the form at
import (rows of :class:`~jixiao.web.models.UncertainCell`, each cell's crop through
Django's storage), marked in the editor with the crop beside the field, and checked at a
save.

A cell stays marked until it is checked: the user ticks its 已核对 box and saves (the
value as read is confirmed), or saves a changed value of its field (the user corrected it),
or deletes its indicator row. An indicator row's cell follows its row when rows are moved
(the editor sends each row's stored position, ``ind_origin``). A checked cell keeps its row
(who checked it, when) and its crop; the editor no longer shows it.

Only a save in the editor checks a cell. A reviewer's step (送审, 审核通过, 退回 …) checks
none: passing a form on is no comparison of its values with the scan, and a cell checked
that way would let an uncertain value pass as certain. The step's confirmation page and
the form's page say how many cells still wait (:func:`pending`), with a link to the
editor; they stay listed there until someone who may edit the form checks them.

Field names: the cell's ``path`` is :func:`jixiao.model.field_values`'; the editor's input
for it is named by :func:`input_name` (indicator rows by their stored position).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from jixiao.layouts.declaration import label_key
from jixiao.model import FUND_COLUMNS, ScanCell, SelfEvaluation, field_values
from jixiao.web import access
from jixiao.web.models import EvaluationForm, UncertainCell


def keep(obj: EvaluationForm, cells: list[ScanCell]) -> None:
    """Store the uncertain cells of ``obj`` as its importer read them, each crop as a PNG
    file in storage."""
    for cell in cells:
        row = UncertainCell(
            form=obj,
            path=cell.path,
            page=cell.page,
            x0=max(0, cell.box[0]),
            y0=max(0, cell.box[1]),
            x1=max(0, cell.box[2]),
            y1=max(0, cell.box[3]),
            text=cell.text,
            confidence=cell.confidence,
            note=cell.note,
        )
        if cell.crop:
            row.crop.save("crop.png", ContentFile(cell.crop), save=False)
        row.save()


@dataclass
class Mark:
    """One unchecked cell as the editor shows it."""

    pk: int
    path: str
    note: str
    text: str
    confidence: float
    crop_url: str
    on_page: bool = False  # an input of the editor is marked (else listed only)

    @property
    def title(self) -> str:
        return f"识别不确定：请对照扫描件核对（置信度 {self.confidence:.2f}）"


def marks(obj: EvaluationForm) -> list[Mark]:
    """The form's unchecked uncertain cells, top to bottom of its pages."""
    rows = UncertainCell.objects.filter(form=obj, checked_at__isnull=True)
    return [
        Mark(
            pk=c.pk,
            path=c.path,
            note=c.note,
            text=c.text,
            confidence=c.confidence,
            crop_url=reverse("scan-crop", args=[obj.pk, c.pk]) if c.crop else "",
        )
        for c in rows
    ]


def pending(obj: EvaluationForm) -> int:
    """How many uncertain cells of ``obj`` wait to be checked."""
    return UncertainCell.objects.filter(form=obj, checked_at__isnull=True).count()


_ADDED_FUND = re.compile(
    rf"^funds\.extras\.(?P<row>.+?)\.(?P<rest>(?:{'|'.join(FUND_COLUMNS)})|extras\..+)$"
)


def _canonical(path: str) -> str:
    """``path`` as the editor's inputs are looked up: a fund row the layout adds by its
    label as compared (:func:`~jixiao.layouts.declaration.label_key`: the form may write
    其中：财政专户管理资金 where the layout says 财政专户管理资金)."""
    added = _ADDED_FUND.match(path)
    if added is None:
        return path
    return f"funds.extras.{label_key(added['row'])}.{added['rest']}"


def by_path(found: list[Mark]) -> dict[str, Mark]:
    return {_canonical(m.path): m for m in reversed(found) if m.path}


def row_path(origin: str, key: str, extra: str | None = None) -> str:
    """The path of an indicator row's field by its stored position (``ind_origin``)."""
    return f"indicators.{origin}.extras.{extra}" if extra else f"indicators.{origin}.{key}"


def fund_path(row: str | None, key: str, extra: str | None = None, caption: str = "") -> str:
    """The path of a fund cell as :func:`by_path` keys it (``row`` None: a row the layout
    adds, named by its ``caption``)."""
    column = f"extras.{extra}" if extra else key
    if row is None:
        return f"funds.extras.{label_key(caption)}.{column}"
    return f"funds.{row}.{column}"


def _origins(post: QueryDict) -> dict[str, int]:
    """Each stored row position sent by the editor → its position now."""
    return {o: i for i, o in enumerate(post.getlist("ind_origin")) if o != ""}


def _moved(path: str, origins: dict[str, int], rows_sent: bool) -> str | None:
    """``path`` after the rows were moved; None when its row was deleted."""
    if not path.startswith("indicators.") or not rows_sent:
        return path
    _, origin, rest = path.split(".", 2)
    now = origins.get(origin)
    return None if now is None else f"indicators.{now}.{rest}"


def after_save(
    obj: EvaluationForm, old: SelfEvaluation, new: SelfEvaluation, post: QueryDict, user: Any
) -> int:
    """Check the cells of a saved form: ticked 已核对, or their field changed, or their
    row deleted; the others follow their rows. Returns how many were checked."""
    ticked = {int(v) for v in post.getlist("scan_checked") if v.isdigit()}
    origins = _origins(post)
    rows_sent = "ind_name" in post
    before, after = dict(field_values(old)), dict(field_values(new))
    now = timezone.now()
    checked = 0
    for cell in UncertainCell.objects.filter(form=obj, checked_at__isnull=True):
        path = _moved(cell.path, origins, rows_sent) if cell.path else ""
        done = cell.pk in ticked or path is None
        if not done and cell.path:
            done = before.get(cell.path) != after.get(path or "")
        if done:
            cell.checked_at, cell.checked_by = now, user
            cell.save(update_fields=["checked_at", "checked_by"])
            checked += 1
        elif path != cell.path:
            cell.path = path or ""
            cell.save(update_fields=["path"])
    return checked


@require_GET
def scan_crop(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    """An uncertain cell's crop of the scan, to whoever may see its form (404 otherwise)."""
    obj = access.get_form(request.user, pk)
    cell = UncertainCell.objects.filter(form=obj, pk=cid).first()
    if cell is None or not cell.crop:
        raise Http404("没有找到该截图")
    try:
        stored = cell.crop.open("rb")
    except OSError:
        raise Http404("截图在存储中已不存在") from None
    response = FileResponse(stored, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
