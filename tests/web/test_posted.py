"""A form's POST body read by web/posted.py: the QueryDict Django builds, for any body, and
the editor's save posted as a browser posts it goes that way."""

from __future__ import annotations

import sys
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.http import request as django_request
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.web import posted
from tests.web.conftest import login
from tests.web.served import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_load import form_fields  # (the load benchmark's reading of a page's fields)


def djangos(body: bytes) -> list[tuple[str, list[str]]]:
    return list(QueryDict(body, encoding="utf-8").lists())


# the pieces a body is made of: separators, plus signs, percent signs followed by hex digits
# or not, escapes of any byte (valid UTF-8 or not) and plain ASCII
ESCAPE = st.integers(0, 255).map(lambda b: f"%{b:02X}" if b % 2 else f"%{b:02x}")
PIECE = st.one_of(
    st.sampled_from(["&", "=", "+", "%", "%4", "%g1", "%%41", "&&", "=="]),
    ESCAPE,
    st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=4),
    st.text(max_size=3).map(lambda t: urlencode({"k": t})[2:]),  # a text as a browser sends it
)


@settings(max_examples=800, deadline=None)
@given(st.lists(PIECE, max_size=40).map("".join))
def test_any_ascii_body_reads_as_django_reads_it(text):
    body = text.encode("ascii")
    got = posted.parse(body)
    assert got is not None
    assert list(got.lists()) == djangos(body)
    assert got.encoding == "utf-8"
    with pytest.raises(AttributeError):  # immutable, as request.POST is
        got["x"] = "y"


def test_a_browsers_post_reads_the_same():
    fields = [("goals.achieved", "完成率 100%，“达标”+1 & 其他"), ("ind_score", "1")]
    fields += [("ind_score", ""), ("csrfmiddlewaretoken", "abc"), ("空", ""), ("a=b", "c=d")]
    body = urlencode(fields).encode()
    assert list(posted.parse(body).lists()) == djangos(body)  # type: ignore[union-attr]
    assert posted.parse(body).getlist("ind_score") == ["1", ""]  # type: ignore[union-attr]
    assert posted.parse(b"") is not None and djangos(b"") == []


def test_what_it_leaves_to_django():
    assert posted.parse("a=年".encode()) is None  # a non-ASCII byte
    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=3):
        assert posted.parse(b"a=1&b=2&c=3") is not None
        assert posted.parse(b"a=1&b=2&c=3&") is None  # Django counts the empty fourth too


@pytest.mark.django_db
def test_the_editors_save_is_read_without_parse_qsl(seed, users, monkeypatch):
    obj = seed[0]
    client = login(users["filler"])
    url = f"/forms/{obj.pk}/edit/"
    fields = form_fields(client.get(url).content.decode("utf-8"), url)
    fields = [(k, "改过的完成情况 100%+" if k == "goals.achieved" else v) for k, v in fields]

    parse_qsl = django_request.parse_qsl

    def refused(text, **kwargs):  # type: ignore[no-untyped-def]
        assert "goals.achieved" not in text, "the body went through parse_qsl"
        return parse_qsl(text, **kwargs)  # an empty QueryDict, request.GET

    monkeypatch.setattr("django.http.request.parse_qsl", refused)
    sent = client.post(url, urlencode(fields), content_type=posted.FORM)
    assert sent.status_code == 302, sent.content[:500]
    obj.refresh_from_db()
    assert obj.form.goals.achieved == "改过的完成情况 100%+"
    # a body Django reads (a non-ASCII byte) still reads as before
    monkeypatch.undo()
    fields = [(k, str(obj.version) if k == "version" else v) for k, v in fields]
    raw = urlencode(fields).replace("%E5%AE%8C%E6%88%90", "完成").encode("utf-8")
    assert client.post(url, raw, content_type=posted.FORM).status_code == 302
