"""PDF, Word, HTML (and Excel) files holding several kinds of document, in any order: each
申报表, 监控表 and 自评表 comes back as its own document, exactly as generated; other
content is named and skipped, never read as a 自评表 (tests/documents.py writes the files
with the project's renderers)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.generate_plans import generate_year
from jixiao.ingest import read_bytes, read_documents_bytes
from jixiao.plans import Documents

from .documents import OTHER_TITLE, WRITERS, Doc, html_of

YEAR = generate_year(3, seed=11)
SKIPPED = [f"{OTHER_TITLE}：不是绩效表，已跳过"]
# the 申报表's stage (申报 / 批复 / 调整) is not printed on it
LEFT_OUT = {"source", "index", "stage"}


def _pool() -> list[Doc]:
    return [*YEAR.declarations[:2], *YEAR.monitorings[:2], *YEAR.forms[:2]]


def _same(got: Documents, docs: list[Doc]) -> None:
    """``got`` holds exactly ``docs``, each kind in the order written, with no gap and
    nothing left unplaced."""
    expected = Documents()
    for doc in docs:
        expected.extend(Documents(**{_list_of(doc): [doc]}))
    for key in ("forms", "declarations", "monitorings"):
        mine, theirs = getattr(got, key), getattr(expected, key)
        assert [d.project for d in mine] == [d.project for d in theirs], key
        for a, b in zip(mine, theirs, strict=True):
            assert a.gaps == [] and a.unmapped == [], (key, a.project, a.gaps, a.unmapped)
            assert _plain(a) == _plain(b), (key, a.project)


def _list_of(doc: Doc) -> str:
    return {"TargetDeclaration": "declarations", "Monitoring": "monitorings"}.get(
        type(doc).__name__, "forms"
    )


def _plain(doc: Doc) -> dict[str, Any]:
    data = doc.model_dump(mode="json", exclude=LEFT_OUT)
    data.pop("layout", None)  # a 自评表's layout is recognised on import
    return data


@pytest.mark.parametrize(
    ("kind", "order", "other_at"),
    [
        ("pdf", [0, 4, 2], 1),  # 申报表, 自评表 (two pages), 监控表; other content after the first
        ("docx", [2, 0, 5, 1], 4),  # 监控表 first; the other content at the end
        ("docx", [4, 5, 3], None),
        ("html", [5, 2, 0, 4, 1, 3], 3),
        ("xlsx", [1, 4, 3, 0], None),
    ],
)
def test_each_kind_comes_back_as_its_own_document(
    kind: str, order: list[int], other_at: int | None
) -> None:
    pool = _pool()
    docs = [pool[i] for i in order]
    data = WRITERS[kind](docs, other_at)
    got = read_documents_bytes(data, f"year.{kind}")
    _same(got, docs)
    assert got.skipped == (SKIPPED if other_at is not None else [])
    # the forms-only reader (score, audit) gives the 自评表 alone, never a spurious one
    forms = [d for d in docs if _list_of(d) == "forms"]
    if forms:
        assert [f.project for f in read_bytes(data, f"year.{kind}")] == [f.project for f in forms]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(6)), st.integers(min_value=0, max_value=6), st.randoms())
def test_html_pages_in_any_order(order: list[int], other_at: int, rnd: random.Random) -> None:
    pool = _pool()
    docs = [pool[i] for i in order[: rnd.randint(1, 6)]]
    at = min(other_at, len(docs))
    got = read_documents_bytes(html_of(docs, at), "year.html")
    _same(got, docs)
    assert got.skipped == SKIPPED


def test_a_file_of_plans_alone_is_no_self_evaluation() -> None:
    from jixiao.ingest import IngestError

    data = html_of([YEAR.declarations[0], YEAR.monitorings[1]], 1)
    with pytest.raises(IngestError) as refused:
        read_bytes(data, "plans.html")
    assert str(refused.value) == (
        "plans.html: 网页中没有财政项目支出绩效自评表"
        "（只有绩效目标申报表 1 张、绩效目标执行监控表 1 张；用 jixiao import 可导入这些表）"
    )


def test_jixiao_import_writes_each_kind_and_names_what_it_skipped(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from jixiao.cli import app

    page = tmp_path / "year.html"
    page.write_bytes(html_of([YEAR.declarations[0], YEAR.forms[0], YEAR.monitorings[0]], 1))
    out = tmp_path / "year.json"
    result = CliRunner().invoke(app, ["import", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["kind"] for d in data["declarations"]] == ["declaration"]
    assert [d["kind"] for d in data["monitorings"]] == ["monitoring"]
    assert [f["project"] for f in data["forms"]] == [YEAR.forms[0].project]
    assert f"跳过 {page} {OTHER_TITLE}：不是绩效表，已跳过" in result.output
    assert "绩效目标申报表 1 张，执行监控表 1 张" in result.output
