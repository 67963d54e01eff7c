"""Every declared layout, every flattening (#15 item 2, #16 item 4): generated forms of each
layout (``jixiao.generate.layout_forms``: its own fund rows, added indicator columns, 一级
weights, execution 分值 …) written out in every flattening and read back: the writer's
(``jixiao.flattenings``: cells a line or a paragraph, pipes, glued, page chrome, doc-site
splits) and ``pdftotext`` default / ``-layout`` / ``-raw`` of jixiao's PDF and of
LibreOffice's PDF of jixiao's xlsx and docx. Each comes back the same forms, or partial
forms whose gaps name every difference; never a wrong value with no gap
(``tests.forms.judge``). ``KNOWN`` lists every case that is not exact yet, with why."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jixiao.flattenings import (
    cell_per_line,
    glued,
    paginate,
    paragraphs,
    pdftotext,
    pipes,
)
from jixiao.generate import layout_forms
from jixiao.ingest import read_bytes, read_text
from jixiao.layouts import builtin_ids
from jixiao.model import SelfEvaluation
from jixiao.render import render_form_docx, render_xlsx
from jixiao.render.pdf import render_pdf

from .forms import (
    SOFFICE,
    Verdict,
    assert_identical,
    blank_extras_dropped,
    differences,
    judge,
    lo_convert,
)
from .test_flattenings import FLATTENINGS

LAYOUTS = builtin_ids()
FORMS = 6  # a layout's forms in one text file
PDF_FORMS = 2  # … in one PDF (rendering and LibreOffice are slow)
MODES = {"default": "", "layout": "-layout", "raw": "-raw"}
SOURCES = ("jixiao-pdf", "lo-xlsx", "lo-docx")
WRITER_ALL = sorted(FLATTENINGS)  # the writer's twelve flattenings


def _known(
    groups: list[tuple[str, str, str, list[str]]],
) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (layout, name): (outcome, why) for layout, outcome, why, names in groups for name in names
    }


# (layout, flattening) → (outcome, why) for every case not read back exactly. "partial": every
# difference is named by a gap; "wrong": a difference no gap names (xfail, strict: to be fixed).
KNOWN = _known(
    [
        (
            "beijing-district",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "jixiao-pdf-raw",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
                "lo-docx-raw",
            ],
        ),
        (
            "department-wide",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
                "lo-docx-raw",
            ],
        ),
        (
            "hebei",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
                "lo-docx-raw",
            ],
        ),
        (
            "hubei-20",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
                "lo-docx-raw",
            ],
        ),
        (
            "national-2020",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
            ],
        ),
        (
            "shanghai-2024",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
            ],
        ),
        (
            "sichuan",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
                "lo-docx-raw",
            ],
        ),
        (
            "transfer",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
                "lo-docx-raw",
            ],
        ),
        (
            "xinjiang",
            "partial",
            "",
            [
                "jixiao-pdf-default",
                "jixiao-pdf-layout",
                "jixiao-pdf-raw",
                "lo-xlsx-default",
                "lo-xlsx-layout",
                "lo-xlsx-raw",
                "lo-docx-default",
                "lo-docx-layout",
                "lo-docx-raw",
            ],
        ),
    ]
)


def read_back(text: str, name: str) -> list[SelfEvaluation]:
    return read_text(text, name)


def verdict_of(got: list[SelfEvaluation], want: list[SelfEvaluation]) -> Verdict:
    return judge(got, want)


def _cases(flattenings: list[str]) -> list:
    out = []
    for layout in LAYOUTS:
        for name in flattenings:
            outcome, why = KNOWN.get((layout, name), ("exact", ""))
            marks = [pytest.mark.xfail(strict=True, reason=why)] if outcome == "wrong" else []
            out.append(pytest.param(layout, name, outcome, marks=marks, id=f"{layout}-{name}"))
    return out


@pytest.fixture(scope="session")
def forms_of() -> dict[str, list[SelfEvaluation]]:
    return {layout: layout_forms(FORMS, layout, seed=3) for layout in LAYOUTS}


def check(verdict: Verdict, outcome: str) -> None:
    """The reading is never wrong, and is what the table says of it. A case the table
    knows as wrong (strict xfail) passes as soon as it is not wrong, so the table must
    then say what it is (an unexpected pass fails)."""
    assert verdict.outcome != "wrong", verdict.details
    if outcome != "wrong":
        assert verdict.outcome == outcome, verdict


@pytest.mark.parametrize(("layout", "flattening", "outcome"), _cases(sorted(FLATTENINGS)))
def test_writer_flattenings_of_every_layout(forms_of, layout, flattening, outcome):
    forms = forms_of[layout]
    text = "\n".join(FLATTENINGS[flattening](forms)) + "\n"
    check(verdict_of(read_back(text, f"{layout}-{flattening}.txt"), forms), outcome)


# Forms whose merged 一级 / 二级 cells LibreOffice cuts at a page break in other ways than
# seed 3's (its PDF of a Word file: a label's end not printed, 社会效 / 益指 and 社会 / 效益; a
# part empty above the label; a 一级 weight's 分) lost; a cell drawn ending a row early on
# one page; of a workbook: the cut cell's text printed again over the repeated header,
# interleaved): (layout, source, seed).
CUT_CELLS = [
    ("national-2020", "lo-docx", 16),
    ("department-wide", "lo-docx", 16),
    ("hubei-20", "lo-docx", 7),
    ("xinjiang", "lo-xlsx", 9),
    ("sichuan", "lo-docx", 14),  # within a page: 社会效益指 / 标 in two boxes
]
# LibreOffice's PDF of seed 6's Word file draws the 数量指标 cell a row short, an empty box
# under it, and 时效指标's 指 under its cell in a row with no box (its 标 not printed).
DRAWN_WRONG = ("national-2020", "lo-docx", 6)


@pytest.fixture(scope="session")
def layout_pdfs(tmp_path_factory) -> dict[tuple[str, str, int], bytes]:
    """(layout, source, seed) → jixiao's PDF of the layout's forms (seed 3) and LibreOffice's
    PDFs of jixiao's xlsx and docx of them and of ``CUT_CELLS`` (one LibreOffice run)."""
    out = tmp_path_factory.mktemp("layouts-pdf")
    pdfs: dict[tuple[str, str, int], bytes] = {}
    wanted = [(layout, kind, 3) for layout in LAYOUTS for kind in ("xlsx", "docx")]
    wanted += [
        (layout, source.removeprefix("lo-"), seed)
        for layout, source, seed in (*CUT_CELLS, DRAWN_WRONG)
    ]
    for layout in LAYOUTS:
        pdfs[layout, "jixiao-pdf", 3] = render_pdf(layout_forms(PDF_FORMS, layout, seed=3))
    for layout, kind, seed in wanted:
        forms = layout_forms(PDF_FORMS, layout, seed=seed)
        write = render_xlsx if kind == "xlsx" else render_form_docx
        (out / f"{layout}-{seed}-{kind}.{kind}").write_bytes(write(forms))
    if SOFFICE is not None:
        lo_convert(sorted(p for p in out.iterdir() if p.suffix in (".xlsx", ".docx")), "pdf", out)
        for layout, kind, seed in wanted:
            pdfs[layout, f"lo-{kind}", seed] = (out / f"{layout}-{seed}-{kind}.pdf").read_bytes()
    return pdfs


@pytest.fixture(scope="session")
def pdf_texts(layout_pdfs) -> dict[tuple[str, str], str]:
    """(layout, "source-mode") → pdftotext's text of each PDF of seed 3's forms."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    return Texts(
        {
            (layout, f"{source}-{mode}"): pdftotext(pdf, flag)
            for (layout, source, seed), pdf in layout_pdfs.items()
            if seed == 3
            for mode, flag in MODES.items()
        }
    )


@pytest.mark.parametrize(
    ("layout", "source", "seed"),
    [(layout, source, 3) for layout in LAYOUTS for source in SOURCES] + CUT_CELLS,
)
def test_the_pdf_files_of_every_layout_come_back_exactly(layout_pdfs, layout, source, seed):
    """The PDFs themselves, read by the PDF importer (their ruled tables, ingest/pdf.py),
    come back exactly: jixiao's, and LibreOffice's of jixiao's workbook and Word file, whose
    merged 一级 / 二级 cells cut by a page break LibreOffice draws in their own ways."""
    if (layout, source, seed) not in layout_pdfs:
        pytest.skip("LibreOffice is not installed")
    forms = layout_forms(PDF_FORMS, layout, seed=seed)
    back = read_bytes(layout_pdfs[layout, source, seed], f"{layout}-{source}.pdf")
    assert [f.layout for f in back] == [layout] * len(forms)
    assert_identical(
        [blank_extras_dropped(f) for f in forms], [blank_extras_dropped(f) for f in back]
    )


def test_a_pdf_libreoffice_draws_wrong_names_the_cell_it_cannot_tell(layout_pdfs):
    """An empty 二级 box under a 二级 cell drawn a row short is the one cell the reading
    cannot tell (the 二级 above, with a gap that names the box); 时效 / 指, its 标 not
    printed, is 时效指标; everything else comes back as written."""
    if DRAWN_WRONG not in layout_pdfs:
        pytest.skip("LibreOffice is not installed")
    layout, _, seed = DRAWN_WRONG
    forms = [blank_extras_dropped(f) for f in layout_forms(PDF_FORMS, layout, seed=seed)]
    back = [blank_extras_dropped(f) for f in read_bytes(layout_pdfs[DRAWN_WRONG], "drawn.pdf")]
    assert [f.project for f in back] == [f.project for f in forms]
    assert [f.gaps for f in back] == [
        [],
        ["第3页表格第12行第2列：二级指标的格是空的，按上一行记为“数量指标”，请核对"],
    ]
    assert [(i.level2, i.name) for i in back[1].indicators[9:11]] == [
        ("数量指标", "系统运维督导检查次数"),
        ("数量指标", "网络安全防护宣传活动场次"),
    ]
    assert [i.level2 for i in back[1].indicators[16:19]] == ["时效指标"] * 3
    assert [differences(g, w) for g, w in zip(back, forms, strict=True)] == [[], []]


class Texts(dict):
    """The texts, shown short (Hypothesis prints its arguments when an example fails)."""

    def __repr__(self) -> str:
        return f"<{len(self)} pdftotext texts>"


PDF_FLATTENINGS = [f"{source}-{mode}" for source in SOURCES for mode in MODES]


@pytest.mark.parametrize(("layout", "flattening", "outcome"), _cases(PDF_FLATTENINGS))
def test_pdftotext_of_every_layout(pdf_texts, layout, flattening, outcome):
    if (layout, flattening) not in pdf_texts:
        pytest.skip("LibreOffice is not installed")
    forms = layout_forms(PDF_FORMS, layout, seed=3)
    got = read_back(pdf_texts[layout, flattening], f"{layout}-{flattening}.txt")
    check(verdict_of(got, forms), outcome)


# --- Hypothesis: any flattening of any layout, the pdftotext modes among them ---------------

WRITER = {
    "lines": lambda forms, p: cell_per_line(forms),
    "paragraphs": lambda forms, p: paragraphs(forms, p["width"]),
    "pipes": lambda forms, p: pipes(forms),
    "pipes-lead": lambda forms, p: pipes(forms, lead=True),
    "reflowed": lambda forms, p: pipes(forms, lead=True, per_line=p["per_line"]),
    "glued": lambda forms, p: glued(forms),
}
# the writer's flattening each of WRITER is a case of in the table above
WRITER_CASE = {
    "lines": "cell-per-line",
    "paragraphs": "paragraphs",
    "pipes": "pipes-rows",
    "pipes-lead": "pipes-html",
    "reflowed": "pipes-reflowed",
    "glued": "glued",
}


def _known_wrong(layout: str, flattening: str) -> bool:
    return KNOWN.get((layout, flattening), ("exact", ""))[0] == "wrong"


FOOTERS = {"pdf": "第 {i} 页 共 {n} 页", "dash": "-{i}-", "slash": "{i}/{n}"}


def with_footers(text: str, footer: str) -> list[str]:
    """A PDF's text with a page footer (:data:`FOOTERS`) at each of its page breaks."""
    pages = text.split("\f")
    mark = FOOTERS[footer]
    return "".join(
        f"{page}\n{mark.format(i=i, n=len(pages))}\n\f" if i < len(pages) else page
        for i, page in enumerate(pages, start=1)
    ).split("\n")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    layout=st.sampled_from(LAYOUTS),
    how=st.sampled_from([*WRITER, *PDF_FLATTENINGS]),
    seed=st.integers(0, 10_000),
    width=st.integers(6, 60),
    per_line=st.integers(2, 12),
    every=st.integers(5, 80),
    chrome=st.sampled_from([None, "pdf", "dash", "slash", "site"]),
    crlf=st.booleans(),
)
def test_any_flattening_of_any_layout_names_its_gaps(
    pdf_texts, layout, how, seed, width, per_line, every, chrome, crlf
):
    """Hypothesis picks the layout, the flattening (the writer's with its widths, or
    pdftotext's text of a PDF in any mode), page chrome and line ends: every form read is
    the form written or names its gaps, as the table says of that flattening."""
    if how in WRITER:
        assume(not _known_wrong(layout, WRITER_CASE[how]))
        forms = layout_forms(2, layout, seed=seed)
        lines = WRITER[how](forms, {"width": width, "per_line": per_line})
    else:
        assume((layout, how) in pdf_texts and not _known_wrong(layout, how))
        footer = chrome if chrome in FOOTERS else "pdf"
        forms = layout_forms(PDF_FORMS, layout, seed=3)
        lines = pdf_texts[layout, how].split("\n")
    if chrome is not None and how in WRITER:
        lines = paginate(lines, every, chrome)
    elif chrome is not None:  # a PDF's text: a page footer at each of its page breaks
        lines = with_footers("\n".join(lines), footer)
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"
    verdict = verdict_of(read_back(text, f"{layout}-{how}.txt"), forms)
    assert verdict.outcome != "wrong", (layout, how, chrome, verdict.details[:3])
