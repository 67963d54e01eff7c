"""The text importer against the hand-checked oracle of the nine seed forms."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from jixiao.ingest import read_forms
from jixiao.ingest.text import parse_text
from jixiao.model import FUND_COLUMNS, FUND_ROWS, SelfEvaluation

from .conftest import SEED_TEXT

TEXT_FIELDS = ("level1", "level2", "name", "target", "actual", "deviation")


def squash(text: str | None) -> str:
    return re.sub(r"\s", "", text or "")


def assert_same_form(got: SelfEvaluation, want: SelfEvaluation) -> None:
    """Every field of the canonical form: text without whitespace, numbers as decimals."""
    where = want.project
    assert got.year == want.year, where
    for name in ("title", "project", "department", "unit", "amount_unit", "grade"):
        assert squash(getattr(got, name)) == squash(getattr(want, name)), (where, name)
    assert got.total_weight == want.total_weight, where
    assert got.total_score == want.total_score, where
    for row in FUND_ROWS:
        for col in FUND_COLUMNS:
            a = getattr(getattr(got.funds, row), col)
            b = getattr(getattr(want.funds, row), col)
            assert a == b and (a is None) == (b is None), (where, row, col, a, b)
    assert squash(got.goals.expected) == squash(want.goals.expected), where
    assert squash(got.goals.achieved) == squash(want.goals.achieved), where
    assert len(got.indicators) == len(want.indicators), where
    for i, (x, y) in enumerate(zip(got.indicators, want.indicators, strict=True)):
        for name in TEXT_FIELDS:
            assert squash(getattr(x, name)) == squash(getattr(y, name)), (where, i, name)
        assert x.weight == y.weight and (x.weight is None) == (y.weight is None), (where, i)
        assert x.score == y.score and (x.score is None) == (y.score is None), (where, i)


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
