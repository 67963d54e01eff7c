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


# -------------------------------------------------------------------- flattened text


@pytest.fixture(scope="module")
def mixed_pdf() -> tuple[list[Doc], bytes]:
    """申报表, 自评表, 监控表, 自评表, 申报表 in one PDF (the text tests flatten it)."""
    from .documents import pdf_of

    docs: list[Doc] = [
        YEAR.declarations[0],
        YEAR.forms[0],
        YEAR.monitorings[0],
        YEAR.forms[1],
        YEAR.declarations[1],
    ]
    return docs, pdf_of(docs)


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value in (None, "", [], {})


def _right_or_named(got: Doc, expected: Doc) -> list[str]:
    """The fields of ``got`` that differ from ``expected``; each must be left empty (never
    a wrong value) and the document must carry gaps."""
    a, b = _plain(got), _plain(expected)
    a.pop("gaps", None)
    b.pop("gaps", None)
    wrong = [k for k in a if a[k] != b[k]]
    for key in wrong:
        if isinstance(a[key], dict):  # funds: each amount right or missing
            for part, value in a[key].items():
                assert value == b[key][part] or _empty(value), (key, part, value)
        else:
            assert _empty(a[key]), (got.project, key, a[key])
    assert got.gaps[-1] == "按文字版读入（表格的栏位已失去，按单元格的先后读）"
    return wrong


@pytest.mark.parametrize("options", [(), ("-layout",), ("-raw",)], ids=["default", "layout", "raw"])
def test_text_of_several_kinds_is_sorted_by_kind(mixed_pdf, options) -> None:
    from .documents import text_of

    _docs, pdf = mixed_pdf
    text = text_of(pdf, *options).encode("utf-8")
    got = read_documents_bytes(text, "year.txt")
    assert (len(got.forms), len(got.declarations), len(got.monitorings)) == (2, 2, 1)
    assert got.skipped == []
    assert [f.project for f in got.forms] == [YEAR.forms[0].project, YEAR.forms[1].project]
    # the 自评表 read as the flattened-text readers read them alone, lines numbered in the file
    lines = text.decode("utf-8").split("\n")
    for form in got.forms:
        assert form.source is not None and form.source.start_line is not None
        start = form.source.start_line  # its title or year line, as in the file
        assert "自评表" in "".join(lines[max(start - 2, 0) : start]), lines[start - 2 : start]
    # the forms-only reader: the 自评表 alone
    assert [f.project for f in read_bytes(text, "year.txt")] == [f.project for f in got.forms]
    for doc, expected in zip(
        [*got.declarations, *got.monitorings],
        [YEAR.declarations[0], YEAR.declarations[1], YEAR.monitorings[0]],
        strict=True,
    ):
        assert doc.year == expected.year
        _right_or_named(doc, expected)


def test_pdftotext_of_a_declaration_reads_it_whole(mixed_pdf) -> None:
    """Cells one a paragraph (pdftotext's default): the first 申报表 comes back with its
    head, funds, goals and every indicator (pdftotext prints its 项目属性 after its value:
    left out, named)."""
    from .documents import text_of

    _docs, pdf = mixed_pdf
    got = read_documents_bytes(text_of(pdf).encode("utf-8"), "year.txt")
    assert _right_or_named(got.declarations[0], YEAR.declarations[0]) == ["extras"]
    assert got.declarations[0].gaps[0] == "表中未找到：项目属性"
    assert len(got.declarations[0].indicators) == len(YEAR.declarations[0].indicators) > 5


def test_text_before_the_first_title_is_named_when_it_is_no_form() -> None:
    from jixiao.ingest.plan_text import text_documents

    text = (
        "附件：项目支出计划\n设备购置 80.00\n\n"
        "项目支出绩效目标执行监控表\n（2024年度）\n项目名称\n\n甲\n\n实施单位\n\n乙\n"
    )
    got = text_documents(text, "t.txt", lambda _t, _n: [])
    assert got.skipped == ["第1–3行：不是绩效表，已跳过"]
    assert [m.project for m in got.monitorings] == ["甲"]
    assert got.monitorings[0].year == 2024
