"""A stored form's scorecard and the parts of its page, kept by what they are made of.

The form page shows the official layout with the reviewer's notes (``core.official_html``)
and the panel of computed results (``panel.panel_html``), both from the scorecard computed
again from the stored document (``core.stored_assessment``): about 13 M instructions, more
than the rest of the page. Both are functions of the stored document, the findings and
inflation stored with it at its last save or re-audit, the policy ``JIXIAO_POLICY`` forces
and the package's code (its layouts, policies and templates are files of the package). So
they are kept under a digest of exactly those (:func:`key_of`): a save (a new document), a
re-audit (new findings), a layout chosen in the editor (part of the document), another
forced policy or another version of the code makes a new key, and a page never shows an old
one.

They are kept twice:

- with the form in the database (``FormView``), drawn when the form is stored (records:
  created, imported, saved, re-audited; ``python -m jixiao.web jixiao_form_pages`` draws
  those of forms stored before, or by another version of the code), so that the first view
  of a form by any server process is drawn from there: a read of one row, not a drawing;
- per process, least recently used first out (:data:`SIZE` of each), with the editor's
  scorecard and the layout without notes (``?view=plain``).

What is kept is shared by the server's threads and only read: the scorecard's consumers
(the panel, the templates) never change it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from markupsafe import Markup

import jixiao
from jixiao.model import SelfEvaluation
from jixiao.web import core
from jixiao.web.models import EvaluationForm, FormView, form_from_document, from_hundredths
from jixiao.web.panel import panel_html

SIZE = 256  # forms a process keeps (an official layout is some tens of kB of HTML)
T = TypeVar("T")


class Kept:
    """A small least-recently-used map, safe for the server's threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Any, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]  # type: ignore[no-any-return]
            self.misses += 1
        value = make()  # outside the lock: two threads may make the same value once each
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


ASSESSMENTS = Kept(SIZE)  # the editor's stored scorecard
PLAIN = Kept(SIZE)  # the official layout without notes (?view=plain)
PAGES = Kept(SIZE)  # the form page's parts


@dataclass(frozen=True)
class Parts:
    """The form page's parts drawn from the stored form: the official layout with the
    reviewer's notes and the panel of computed results."""

    official: str
    panel: Markup


@cache
def code_digest() -> bytes:
    """A digest of every file of the jixiao package (its code, templates, layouts and
    policies: what draws the parts), read once per process (web/warm.py: in gunicorn's
    master)."""
    root = Path(jixiao.__file__).resolve().parent
    h = hashlib.blake2b(digest_size=20)
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode("utf-8"))
            h.update(b"\x00")
            h.update(path.read_bytes())
            h.update(b"\x00")
    return h.digest()


def key_of(document: str, findings_json: str, inflation: int | None) -> bytes:
    """A digest of what a stored form's scorecard and page parts are made of: its document,
    its stored findings and inflation (hundredths, as stored), the forced policy (if any) and
    the package's code."""
    h = hashlib.blake2b(code_digest(), digest_size=20)
    for part in (document, findings_json, repr(inflation), settings.JIXIAO_POLICY):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()


def content_key(obj: EvaluationForm) -> bytes:
    """:func:`key_of` the stored form ``obj`` (with its ``body``)."""
    return key_of(obj.body.document, obj.body.findings_json, obj.inflation)


def assessment(obj: EvaluationForm, form: SelfEvaluation) -> core.Assessment:
    """``core.stored_assessment`` of the stored form ``obj`` (``form``: ``obj.form``)."""
    return ASSESSMENTS.get(
        content_key(obj),
        lambda: core.stored_assessment(form, obj.findings, obj.inflation_value),
    )


def plain_html(obj: EvaluationForm, form: SelfEvaluation) -> str:
    """``core.official_html`` of the stored form ``obj`` without notes (``form``:
    ``obj.form``)."""
    return PLAIN.get(content_key(obj), lambda: core.official_html(form, notes=False))


def draw(
    document: str,
    findings_json: str,
    inflation: int | None,
    form: SelfEvaluation | None = None,
    scored: core.Assessment | None = None,
) -> Parts:
    """The page parts of the form stored as ``document`` with ``findings_json`` and
    ``inflation`` (``form``: the document read, when the caller has it; ``scored``: its
    assessment under its own policy)."""
    if form is None:
        form = form_from_document(document)
    findings = json.loads(findings_json)
    a = core.stored_assessment(form, findings, from_hundredths(inflation), scored)
    return Parts(core.official_html(form, a, notes=True), panel_html(form, a))


def page_parts(obj: EvaluationForm, form: SelfEvaluation) -> Parts:
    """The page parts of the stored form ``obj`` (``form``: ``obj.form``): kept by this
    process, else kept with the form, else drawn."""
    key = content_key(obj)
    body = obj.body
    return PAGES.get(
        key,
        lambda: (
            _stored(obj.pk, key) or draw(body.document, body.findings_json, obj.inflation, form)
        ),
    )


def _stored(pk: int, key: bytes) -> Parts | None:
    row = FormView.objects.filter(pk=pk).values_list("key", "official", "panel").first()
    if row is None or bytes(row[0]) != key:
        return None
    return Parts(_text(row[1]), Markup(_text(row[2])))


def _text(data: bytes | memoryview) -> str:
    return zlib.decompress(data).decode("utf-8")


def _packed(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def drawn(
    pk: int,
    document: str,
    findings_json: str,
    inflation: int | None,
    form: SelfEvaluation | None = None,
    scored: core.Assessment | None = None,
) -> FormView:
    """The page parts of the form ``pk`` as it is being stored (its document, findings and
    inflation as written), ready to be kept with it (:func:`keep`); kept by this process
    too."""
    key = key_of(document, findings_json, inflation)
    parts = PAGES.get(key, lambda: draw(document, findings_json, inflation, form, scored))
    return FormView(
        form_id=pk, key=key, official=_packed(parts.official), panel=_packed(parts.panel)
    )


def keep(views: Iterable[FormView]) -> None:
    """Store page parts with their forms, replacing what was kept before (one statement a
    batch)."""
    FormView.objects.bulk_create(
        list(views),
        batch_size=200,
        update_conflicts=True,
        unique_fields=["form"],
        update_fields=["key", "official", "panel"],
    )


def draw_missing(batch: int = 200, progress: Callable[[int], None] | None = None) -> int:
    """Draw and keep the page parts of every stored form whose kept parts are missing or
    were drawn from something else (another version of the code, another forced policy);
    ``progress(done)`` after each batch. Returns how many were drawn."""
    ids = list(EvaluationForm.objects.order_by("id").values_list("id", flat=True))
    count = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        kept = dict(FormView.objects.filter(pk__in=chunk).values_list("pk", "key"))
        forms = EvaluationForm.objects.filter(pk__in=chunk).select_related("body")
        views = []
        for obj in forms.only("id", "inflation", "body__document", "body__findings_json"):
            if obj.pk in kept and bytes(kept[obj.pk]) == content_key(obj):
                continue
            body = obj.body
            views.append(drawn(obj.pk, body.document, body.findings_json, obj.inflation))
        keep(views)
        count += len(views)
        if progress is not None:
            progress(start + len(chunk))
    return count
