"""The text writer and the text importer are inverses: forms written at any layout
(widths, page length, line ends, punctuation, separators) import back to the same data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.ingest import read_bytes
from jixiao.ingest.text import parse_text
from jixiao.model import Indicator, SelfEvaluation
from jixiao.textform import TextLayout, write_forms

from .forms import assert_same_form

generate = pytest.importorskip("jixiao.generate")

SEED_LIKE = TextLayout()

layouts = st.builds(
    TextLayout,
    level1_width=st.integers(2, 20),
    level2_width=st.integers(2, 24),
    name_width=st.integers(8, 50),  # narrower, a wrapped name is a label: "社会" / "影响"
    target_width=st.integers(3, 30),
    actual_width=st.integers(3, 30),
    deviation_width=st.integers(3, 40),
    header_width=st.integers(4, 60),
    fund_label_width=st.integers(4, 30),
    goal_label_width=st.integers(2, 14),
    expected_width=st.integers(6, 80),
    achieved_width=st.integers(6, 80),
    page_lines=st.integers(3, 80),
    newline=st.sampled_from(["\n", "\r\n"]),
    fullwidth=st.booleans(),
    thousands=st.booleans(),
)


def round_trip(forms: list[SelfEvaluation], layout: TextLayout) -> list[SelfEvaluation]:
    back = parse_text(write_forms(forms, layout), "generated.txt")
    assert len(back) == len(forms)
    for got, want in zip(back, forms, strict=True):
        assert got.gaps == [], got.gaps
        assert_same_form(got, want)
    return back


def test_oracle_forms_written_import_back_identical(oracle_forms):
    text = write_forms(oracle_forms, SEED_LIKE)
    assert "可持\n续影\n响指\n标" in text or "可持\n续影\n响指" in text
    back = round_trip(oracle_forms, SEED_LIKE)
    assert [f.index for f in back] == list(range(1, 10))


def test_written_text_looks_like_the_seed(oracle_forms):
    text = write_forms(oracle_forms[:1], SEED_LIKE)
    assert "年度资金总额： 1,245.54 956.64 815.59 10.00 85.25 8.53" in text
    assert "其中：当年财政\n拨款\n1,245.54 956.64 815.59 - 85.25 -" in text
    assert "总成本控制率 ≤100.00(%) 100.00(%) 10.00 10.00" in text
    assert "\n\n\n\n" in text  # a page break inside the table
    assert text.splitlines()[1] == "财政项目支出绩效自评表"


@pytest.mark.parametrize("page_lines", [3, 7, 12, 25, 60, 500])
@pytest.mark.parametrize("narrow", [False, True])
def test_oracle_forms_at_many_page_lengths(oracle_forms, page_lines, narrow):
    layout = TextLayout(
        page_lines=page_lines,
        level1_width=2 if narrow else 4,
        level2_width=2 if narrow else 6,
        name_width=8 if narrow else 28,
        target_width=5 if narrow else 12,
        actual_width=5 if narrow else 12,
        expected_width=20 if narrow else 48,
        achieved_width=18 if narrow else 46,
    )
    round_trip(oracle_forms, layout)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layout=layouts, seed=st.integers(0, 10_000), count=st.integers(1, 3))
def test_generated_forms_round_trip_at_any_layout(layout, seed, count):
    forms = generate.generate_forms(count, seed=seed)
    round_trip(forms, layout)


def test_generated_forms_cover_what_the_issue_asks_for():
    """The generated corpus has 元 and 万元, filled 偏差原因 and 5–25 indicators, and all of
    it survives the default layout."""
    forms = generate.generate_forms(60, seed=3)
    assert {f.amount_unit for f in forms} == {"元", "万元"}
    assert any(i.deviation for f in forms for i in f.indicators)
    assert any(f.funds.total.initial >= Decimal(1000) for f in forms)  # thousands separator
    round_trip(forms, SEED_LIKE)
    round_trip(forms, TextLayout(newline="\r\n", fullwidth=False, thousands=False))


def with_empty_level2_rows(form: SelfEvaluation) -> SelfEvaluation:
    """The form with an empty 二级 row (labels only) added in two of its groups."""
    out = form.model_copy(deep=True)
    rows = list(out.indicators)
    first_benefit = next(i for i, r in enumerate(rows) if r.level1 == "效益指标")
    rows.insert(first_benefit, Indicator(level1="效益指标", level2="生态效益指标"))
    if not any(r.level2 == "生态环境成本指标" for r in rows):
        k = max(i for i, r in enumerate(rows) if r.level1 == "成本指标")
        rows.insert(k + 1, Indicator(level1="成本指标", level2="生态环境成本指标"))
    out.indicators = [r for r in rows if r.level2 != "经济效益指标" or r.name]
    return out


@settings(max_examples=25, deadline=None)
@given(layout=layouts, seed=st.integers(0, 10_000))
def test_empty_level2_rows_round_trip(layout, seed):
    form = with_empty_level2_rows(generate.generate_forms(1, seed=seed)[0])
    [back] = round_trip([form], layout)
    empty = [i for i in back.indicators if not i.name]
    assert empty and all(i.weight is None and i.score is None and i.level2 for i in empty)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_are_detected(oracle_forms, encoding):
    data = write_forms(oracle_forms[:3], TextLayout(newline="\r\n")).encode(encoding)
    back = read_bytes(data, f"forms.{encoding}.txt")
    for got, want in zip(back, oracle_forms[:3], strict=True):
        assert_same_form(got, want)
        assert got.source.file == f"forms.{encoding}.txt"


def test_unscored_rows_round_trip():
    """A row whose 分值 / 得分 were left blank is written "-" and read back as null."""
    form = generate.generate_forms(1, seed=5)[0].model_copy(deep=True)
    form.indicators[2].weight = None
    form.indicators[2].score = None
    form.indicators[4].score = None
    [back] = round_trip([form], SEED_LIKE)
    assert back.indicators[2].weight is None and back.indicators[2].score is None
    assert back.indicators[4].score is None and back.indicators[4].weight is not None
