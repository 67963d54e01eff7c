"""The text importer against the hand-checked oracle of the nine seed forms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.generate import generate_forms
from jixiao.ingest import read_forms
from jixiao.ingest.text import parse_text
from jixiao.ingest.text_lines import split_lines
from jixiao.model import SelfEvaluation
from jixiao.textform import TextLayout, write_forms

from .conftest import SEED_TEXT
from .forms import assert_same_form, differences, squash


@pytest.fixture(scope="module")
def seed_forms() -> list[SelfEvaluation]:
    return read_forms(SEED_TEXT)


def test_seed_reads_all_nine_forms_and_hundred_indicators(seed_forms, oracle_forms):
    assert len(seed_forms) == 9
    assert sum(len(f.indicators) for f in seed_forms) == 100
    assert [f.project for f in seed_forms] == [f.project for f in oracle_forms]
    assert all(not f.gaps for f in seed_forms)


@pytest.mark.parametrize("n", range(9))
def test_seed_form_equals_oracle(seed_forms, oracle_forms, n):
    assert_same_form(seed_forms[n], oracle_forms[n])
    assert seed_forms[n].index == oracle_forms[n].index == n + 1


def test_seed_source_spans(seed_forms):
    spans = [(f.source.start_line, f.source.end_line) for f in seed_forms]
    assert spans[0] == (2, 176)
    assert spans[-1] == (1396, 1558)
    assert all(f.source.file == str(SEED_TEXT) for f in seed_forms)
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    for start, end in spans:
        assert lines[start - 1] == "财政项目支出绩效自评表"
        assert lines[end - 1].startswith("评分等级")


def test_seed_hard_cells(seed_forms):
    """The places the seed wraps or breaks across pages, checked one by one."""
    f1, f2, f4, f7 = seed_forms[0], seed_forms[1], seed_forms[3], seed_forms[6]
    assert f1.funds.total.initial == Decimal("1245.54")
    assert f1.funds.fiscal.weight is None and f1.funds.fiscal.rate == Decimal("85.25")
    assert f1.indicators[0].target == "不超预算额度"
    assert f1.indicators[5].name == "城运中心信息员服务质量考核达标率"
    assert f1.indicators[8].target == "30分钟内到场"
    assert f1.indicators[10].level2 == "可持续影响指标"  # label continued after a page break
    assert f2.indicators[-1].level1 == "满意度指标"
    assert f2.indicators[-1].level2 == "服务对象满意度指标"
    assert f2.indicators[-1].name == "演练、集训轮训人员满意度"
    assert f4.indicators[9].name == "“一网统管”系统常态化运维机制"
    assert f4.goals.expected.endswith("内容。") and f4.goals.achieved.startswith("全年已经")
    assert squash(f7.indicators[1].target) == "按《嘉定区全勤网格评价工作方案》的工作要求"
    assert squash(f7.indicators[10].target) == "2024年10月"  # "月" after the page break
    assert f7.funds.other.executed == Decimal("67.37")


def test_crlf_and_text_api_agree(seed_forms):
    text = SEED_TEXT.read_text(encoding="utf-8")
    again = parse_text(text.replace("\n", "\r\n"), "x.txt")
    for a, b in zip(again, seed_forms, strict=True):
        assert_same_form(a, b)
        assert a.source.start_line == b.source.start_line


# -- page chrome and text without blank lines (as ``pdftotext -raw`` prints a PDF) ---------

HEADER_AS_PRINTED = [
    "一级",
    "指标",
    "二级",
    "指标",
    "三级指标 年度指标值 实际完成值 分值 得分",
    "偏差原因分析",
    "及改进措施",
]


def with_page_chrome(text: str) -> str:
    """The seed as a printed PDF comes out of pdftotext: a page number at the foot of each
    page, a form feed, and the table header again at the top of a continuation page."""
    out: list[str] = []
    blank = 0
    for line in text.split("\n"):
        if not line.strip():
            blank += 1
            out.append(line)
            continue
        if blank >= 3:  # the seed's page break
            out[-blank] = "第 1 页 共 2 页"
            if line == "财政项目支出绩效自评表":
                line = "\f" + line
            else:
                out += ["\f" + HEADER_AS_PRINTED[0], *HEADER_AS_PRINTED[1:]]
        blank = 0
        out.append(line)
    return "\n".join(out)


def test_seed_with_page_numbers_and_repeated_headers(oracle_forms):
    text = with_page_chrome(SEED_TEXT.read_text(encoding="utf-8"))
    assert text.count("第 1 页 共 2 页") >= 15 and text.count("\f一级") >= 5
    forms = parse_text(text, "printed.txt")
    assert len(forms) == len(oracle_forms)
    for got, want in zip(forms, oracle_forms, strict=True):
        assert_same_form(got, want)
        assert not got.gaps
    lines = text.split("\n")
    for form in forms:
        assert lines[form.source.start_line - 1].strip() == "财政项目支出绩效自评表"
        assert lines[form.source.end_line - 1].startswith("评分等级")


def test_page_number_lines_go_and_leave_a_page_break():
    text = "甲\r\n第 1 页 共 2 页\r\n\f乙 第 2 页\r\n第3页/共9页\r\nPage 4 of 9\r\n丙\r\n"
    lines = split_lines(text)
    assert [(ln.no, ln.text) for ln in lines] == [(1, "甲"), (3, "乙 第 2 页"), (6, "丙")]
    assert lines[1].blank >= 2 and lines[2].blank >= 2


def test_deviation_without_blank_lines_ends_before_labels_and_the_next_row():
    """Without blank lines between cells the 偏差原因 cell ends where its last line had room
    for the next line's first piece: before a 一级 / 二级 label, before the next row."""
    forms = generate_forms(120, seed=11)
    assert sum(1 for f in forms if any(r.deviation for r in f.indicators)) >= 30
    for layout in (TextLayout(page_lines=10**6), TextLayout(page_lines=10**6, deviation_width=30)):
        text = write_forms(forms, layout)
        text = "\n".join(line for line in text.split("\n") if line.strip())
        got = parse_text(text, "raw.txt")
        assert len(got) == len(forms)
        for g, w in zip(got, forms, strict=True):
            table = [d for d in differences(g, w) if d.startswith("indicators")]
            assert table == [], w.project


def _assert_built_alike(fast: object, validated: object, where: str = "form") -> None:
    """The same object, down to what ``==`` does not look at: each model's type, fields
    set, extra fields and the order of its fields, each value's type (a ``Decimal`` with
    its exponent, not a string)."""
    assert type(fast) is type(validated), where
    if isinstance(fast, SelfEvaluation.__mro__[1]):  # OpenModel
        assert list(fast.__dict__) == list(validated.__dict__), where
        assert fast.model_fields_set == validated.model_fields_set, where
        assert fast.__pydantic_extra__ == validated.__pydantic_extra__ == {}, where
        for name, value in fast.__dict__.items():
            _assert_built_alike(value, validated.__dict__[name], f"{where}.{name}")
    elif isinstance(fast, list | dict):
        assert len(fast) == len(validated), where
        pairs = (
            zip(fast, validated, strict=True)
            if isinstance(fast, list)
            else ((fast[k], validated[k]) for k in fast)
        )
        for k, (a, b) in enumerate(pairs):
            _assert_built_alike(a, b, f"{where}[{k}]")
    else:
        assert fast == validated and str(fast) == str(validated), where


def test_the_fast_reader_builds_each_form_as_validation_would(monkeypatch, oracle_forms):
    """The seed's reader builds its forms from values it typed and checked at once, not
    through validation object by object (:meth:`OpenModel.from_checked`): each form is the
    one ``model_validate`` makes of the same values — the seed, generated forms at several
    text layouts, forms with gaps (values left out or empty)."""
    from jixiao.ingest import text

    built: list[SelfEvaluation] = []
    typed = text._Draft._typed

    def both(draft):
        fast = typed(draft)
        assert fast is not None
        _assert_built_alike(fast, SelfEvaluation.model_validate(vars(draft)))
        built.append(fast)
        return fast

    monkeypatch.setattr(text._Draft, "_typed", both)
    seed = SEED_TEXT.read_text(encoding="utf-8")
    texts = [seed, seed[: len(seed) // 2], seed.replace("总分", "合计").replace("-", "")]
    forms = generate_forms(40, seed=7)
    texts += [write_forms(forms[k : k + 10], TextLayout(thousands=k > 10)) for k in (0, 10)]
    texts.append(write_forms(forms[20:], TextLayout(name_width=20, page_lines=30)))
    read = [f for t in texts for f in parse_text(t, "x.txt")]
    assert len(built) == len(read) >= 9 + 40
    assert any(f.gaps for f in read) and any(not f.gaps for f in read)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("江桥镇", "江\x01桥镇", r"department: 含不允许的控制字符 U\+0001"),
        ("10.00 10.00", "10.00 1" + "0" * 45, r"indicators\[0\]\.score: 数字有 46 位有效数字"),
    ],
)
def test_a_value_the_model_refuses_is_named_as_validation_names_it(old, new, message):
    """A value the fast reader's one test does not pass is validated, which names it."""
    from jixiao.ingest import IngestError, read_text

    text = SEED_TEXT.read_text(encoding="utf-8").replace(old, new, 1)
    with pytest.raises(IngestError, match=message):
        read_text(text, "x.txt")


def test_the_limits_in_force_are_those_the_fast_reader_checks_against():
    """Lowered limits refuse what validation refuses, with its words, all of it named."""
    from jixiao import limits
    from jixiao.ingest import IngestError, read_text

    text = SEED_TEXT.read_text(encoding="utf-8")
    with limits.use(max_number_digits=4, max_text_chars=60), pytest.raises(IngestError) as refused:
        read_text(text, "x.txt")
    assert str(refused.value).startswith(
        "x.txt: funds.total.initial: 数字有 6 位有效数字，超过上限（最多 4 位）"
    )
    assert "goals.expected: 文字长度 134 字超过上限（最多 60 字）" in str(refused.value)
