"""A fund header whose labels wrapped in their cells, in text with no positions
(``pdftotext -raw`` of a table whose columns are narrow: 四川's fund block, its columns
scaled to fit A4): the pieces joined back by the vocabulary (``vocabulary.joined_wraps``),
the header read, the forms kept; a number wrapped too is never read into a column."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.flattenings import pdftotext
from jixiao.generate import layout_forms
from jixiao.ingest import read_text
from jixiao.ingest import vocabulary as V
from jixiao.ingest.flattening import flattening_of
from jixiao.ingest.text import _fund_column
from jixiao.layouts import all_layouts
from jixiao.render.pdf import render_pdf

from .forms import assert_identical, judge

# every fund column label the layouts declare, as the reader knows them
LABELS = sorted(
    w
    for w in {w for lay in all_layouts() for c in lay.fund_columns for w in (c.label, *c.synonyms)}
    if _fund_column(w)
)
# a label any text may follow (偏差原因…: ``(偏差|未完成)原因.*``) ends a header: the last column
OPEN = [w for w in LABELS if _fund_column(w + "分析")]
CLOSED = [w for w in LABELS if w not in OPEN]


def test_a_wrapped_header_is_joined_by_the_vocabulary():
    words = [
        "年初预算数", "调整后预算", "数", "预算执行数", "权重", "预算执行", "率", "得分", "原因",
    ]  # fmt: skip
    assert V.joined_wraps(words, _fund_column) == [
        "年初预算数", "调整后预算数", "预算执行数", "权重", "预算执行率", "得分", "原因",
    ]  # fmt: skip
    # two labels side by side stay two (年初 | 预算数 would both be labels: not joined)
    assert V.joined_wraps(["得分", "原因"], _fund_column) == ["得分", "原因"]
    assert V.joined_wraps(["年初", "预算数"], _fund_column) == ["年初", "预算数"]


@st.composite
def wrapped(draw):
    labels = draw(st.lists(st.sampled_from(CLOSED), min_size=1, max_size=8, unique=True))
    labels += draw(st.lists(st.sampled_from(OPEN), max_size=1))
    pieces: list[str] = []
    for label in labels:
        cut = draw(st.integers(0, len(label) - 1))
        head, tail = label[:cut], label[cut:]
        if head and not (_fund_column(head) and _fund_column(tail)):
            pieces += [head, tail]
        else:
            pieces.append(label)
    return labels, pieces


@given(wrapped())
def test_labels_wrapped_anywhere_come_back_whole(case):
    """Any header of known labels (each once, one any text may follow only last), each cut
    anywhere its pieces are not both labels, joins back to its labels, in order (no piece of
    one label joins the label before it)."""
    labels, pieces = case
    assert V.joined_wraps(pieces, _fund_column) == labels


pytestmark_pdf = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no pdftotext")


@pytestmark_pdf
def test_sichuans_pdf_read_with_pdftotext_raw_keeps_its_forms():
    """四川's fund header (年初预算数 调整后预算数 … 原因 in seven narrow columns) wraps in
    ``pdftotext -raw`` (年初预算数 | 调整后预算 | 数 | 预算执行数 权重 …): still the words
    of lines, not cells one a line, and its rows are read under the header's columns. Before
    the header was joined the text was taken for cells one a line and both forms were lost."""
    forms = layout_forms(2, "sichuan", seed=3)
    text = pdftotext(render_pdf(forms), "-raw")
    assert "\n调整后预算\n数\n" in text  # the header wraps
    assert flattening_of(text) == "seed"
    got = read_text(text, "sichuan-raw.txt")
    assert [f.project for f in got] == [f.project for f in forms]
    for back, form in zip(got, forms, strict=True):
        assert back.funds.total.model_dump(exclude={"extras"}) == form.funds.total.model_dump(
            exclude={"extras"}
        )
    verdict = judge(got, forms)
    assert verdict.wrong == 0 and verdict.missing == 0, verdict


@pytestmark_pdf
def test_a_wrapped_number_under_a_wrapped_header_is_never_read_into_a_column():
    """The header joined, a row whose number wrapped too (``1304215.9`` | ``0``, LibreOffice's
    PDF of narrow cells) is not read: its numbers cannot be told apart, so each is a gap."""
    forms = layout_forms(2, "sichuan", seed=3)
    text = pdftotext(render_pdf(forms), "-raw")
    lines = text.split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("总额 "))
    label, first, *rest = lines[k].split(" ")
    lines[k : k + 1] = [label, first[:-1], first[-1] + " " + " ".join(rest)]
    got = read_text("\n".join(lines), "sichuan-raw-wrapped.txt")
    verdict = judge(got, forms)
    assert verdict.wrong == 0, verdict.details
    assert got[0].gaps


def test_a_header_whose_last_labels_wrapped_onto_lines_of_their_own_is_read(oracle_forms):
    """LibreOffice's PDF of jixiao's Word file, ``pdftotext -raw``: the fund header's first
    labels on one line, 执行率(%) wrapped in its cell and 得分 after it on lines of their
    own. The header is joined and the rows read; before, 执行率(%)得分 was taken for the
    first row's label and the whole block was a gap."""
    from .conftest import SEED_TEXT

    header = "年初预算数 全年预算数 全年执行数 分数 执行率(%) 得分"
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert text.count(header) == len(oracle_forms)
    wrapped = text.replace(header, "年初预算数 全年预算数 全年执行数 分数\n执行率\n(%)\n得分")
    got = read_text(wrapped, "seed-wrapped-header.txt")
    assert_identical(oracle_forms, got)
