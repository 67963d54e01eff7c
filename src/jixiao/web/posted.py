"""A form's POST body (``application/x-www-form-urlencoded``) read into ``request.POST``
with its escapes decoded in C: the same QueryDict Django builds, for less.

Django reads such a body with ``urllib.parse.parse_qsl``, whose ``unquote`` turns each
``%XX`` into its byte in Python, one list item per escape: Chinese text is three escapes a
character, and the editor's save (about 140 fields, 1,400 escapes) spent a quarter of its
instructions reading its body (7.4 of 30.6 M). Here the escapes become bytes through
Python's ``unicode_escape`` codec (``%XX`` written as ``\\xXX``), the whole body at once
when no escape is of a separator (``&``, ``=``) and every ``%`` is an escape, else each
name and value on its own (one with a ``%`` that is no escape by ``urllib``'s decoding).

The result equals Django's for any body (``tests/web/test_posted.py`` compares the two on
generated bodies): the body is split on ``&``, empty parts skipped, each part split at its
first ``=`` (no ``=``: an empty value), ``+`` read as a space, a ``%`` not followed by two
hex digits kept as it is, and each name and value decoded as UTF-8 with undecodable bytes
replaced (U+FFFD), as ``parse_qsl`` decodes an all-ASCII text. Anything else is left to
Django, which then reads the body as before: a body with a non-ASCII byte (``parse_qsl``
decodes each ASCII run of such a text on its own), more fields than
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (Django's error), another charset (Django's error), a
body that cannot be read (too big: Django's error; a broken connection: an empty POST,
which fails the CSRF check as before).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, QueryDict, RawPostDataException
from django.utils.datastructures import MultiValueDict

FORM = "application/x-www-form-urlencoded"
_STRAY = re.compile(rb"%(?![0-9A-Fa-f]{2})")  # a "%" that is no escape


def _unescape(raw: bytes) -> bytes:
    """``raw`` with each ``%XX`` as its byte: Python's ``unicode_escape`` decoding of the
    same bytes with ``\\xXX`` for ``%XX`` (a backslash of ``raw`` doubled), all in C; a
    ``%`` that is no escape raises UnicodeDecodeError (a truncated ``\\x`` escape)."""
    escaped = raw.replace(b"\\", b"\\\\").replace(b"%", b"\\x")
    return escaped.decode("unicode_escape").encode("latin-1")


def _text(raw: bytes) -> str:
    """A name or value as ``parse_qsl`` reads it from an ASCII text."""
    raw = raw.replace(b"+", b" ")
    if b"%" in raw:
        raw = unquote_to_bytes(raw) if _STRAY.search(raw) else _unescape(raw)
    return raw.decode("utf-8", "replace")


def _whole(body: bytes) -> str | None:
    """``body`` decoded at once, when its ``&`` and ``=`` are all its own (none decoded
    from an escape, so the text splits as the body does) and every ``%`` is an escape;
    else None."""
    raw = body.replace(b"+", b" ")
    try:
        data = _unescape(raw)
    except UnicodeDecodeError:
        return None
    if data.count(b"&") != raw.count(b"&") or data.count(b"=") != raw.count(b"="):
        return None
    return data.decode("utf-8", "replace")


def parse(body: bytes) -> QueryDict | None:
    """``body``'s fields as ``QueryDict(body, encoding="utf-8")`` has them (immutable), or
    None when Django should read it (a non-ASCII byte, too many fields)."""
    if not body.isascii():
        return None
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is not None and body and body.count(b"&") + 1 > limit:
        return None
    out = QueryDict(mutable=True, encoding="utf-8")
    lists = dict.setdefault  # MultiValueDict is a dict of lists, as appendlist fills it
    text = _whole(body)
    if text is not None:
        for part in text.split("&"):
            if part:
                name, _, value = part.partition("=")
                lists(out, name, []).append(value)
    else:  # each name and value decoded on its own
        for part in body.split(b"&"):
            if part:
                name, _, value = part.partition(b"=")
                lists(out, _text(name), []).append(_text(value))
    out._mutable = False
    return out


def middleware(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Read a form's POST body with :func:`parse` before anything asks for ``request.POST``
    (the CSRF check is the first); what it leaves is Django's as before."""

    def read_form(request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.content_type == FORM
            and (request.encoding or "utf-8").lower() == "utf-8"  # else Django's error
            and not hasattr(request, "_post")
        ):
            try:
                body = request.body
            except (RequestDataTooBig, RawPostDataException, OSError):
                body = None  # Django's own reading of request.POST answers as it did
            post = parse(body) if body is not None else None
            if post is not None:
                request._post = post  # type: ignore[attr-defined]
                request._files = MultiValueDict()  # type: ignore[attr-defined]
        return get_response(request)

    return read_form
