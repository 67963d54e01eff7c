"""A stored form's scorecard and official layout, kept per process by what they are made of.

The form page draws the official layout with the reviewer's notes (``core.official_html``,
about 2 ms of CPU) from the scorecard computed again from the stored findings
(``core.stored_assessment``, about 1 ms); the editor needs that scorecard too. Both are
functions of the stored document, the findings and inflation stored with it at its last
save or re-audit, and the policy ``JIXIAO_POLICY`` forces (the layouts and policies are
files of the package, read once per process). So they are kept under a digest of exactly
those: a save (a new document), a re-audit (new findings), a layout chosen in the editor
(part of the document) or another forced policy makes a new key, and a page never shows an
old one. Nothing else needs forgetting; a key no page asks for again falls out as newer ones
come (least recently used first, :data:`SIZE` of each).

What is kept is shared by the server's threads and only read: the scorecard's consumers
(the panel, the templates) never change it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings

from jixiao.model import SelfEvaluation
from jixiao.web import core
from jixiao.web.models import EvaluationForm

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


ASSESSMENTS = Kept(SIZE)
OFFICIAL = Kept(SIZE)


def content_key(obj: EvaluationForm) -> bytes:
    """A digest of what the form's stored scorecard and official layout are made of: its
    document, its stored findings and inflation, and the forced policy (if any)."""
    body = obj.body
    h = hashlib.blake2b(digest_size=20)
    for part in (body.document, body.findings_json, repr(obj.inflation), settings.JIXIAO_POLICY):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()


def assessment(obj: EvaluationForm, form: SelfEvaluation) -> core.Assessment:
    """``core.stored_assessment`` of the stored form ``obj`` (``form``: ``obj.form``)."""
    return ASSESSMENTS.get(
        content_key(obj),
        lambda: core.stored_assessment(form, obj.findings, obj.inflation_value),
    )


def official_html(
    obj: EvaluationForm, form: SelfEvaluation, a: core.Assessment, *, notes: bool
) -> str:
    """``core.official_html`` of the stored form ``obj`` with its stored assessment ``a``
    (:func:`assessment`)."""
    return OFFICIAL.get((content_key(obj), notes), lambda: core.official_html(form, a, notes=notes))
