"""Bad and partial input: partial forms with their gaps (and line numbers), or a clear
Chinese IngestError naming the file — never a traceback, never an invented value."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.ingest import IngestError, read_bytes, read_forms, read_text
from jixiao.ingest.decode import decode_bytes
from jixiao.ingest.text import parse_text
from jixiao.model import FUND_COLUMNS, FUND_ROWS, SelfEvaluation

from .conftest import DATA, SEED_TEXT
from .forms import assert_same_form, squash

SEED = SEED_TEXT.read_text(encoding="utf-8")
SEED_LINES = SEED.splitlines()


def cut(first: int, last: int | None = None) -> str:
    """The seed text without lines first..last (1-based, inclusive) or up to ``first``."""
    if last is None:
        return "\n".join(SEED_LINES[: first - 1]) + "\n"
    return "\n".join(SEED_LINES[: first - 1] + SEED_LINES[last:]) + "\n"


def numbers_in(form: SelfEvaluation) -> list[str]:
    vals = [form.total_weight, form.total_score]
    for row in FUND_ROWS:
        vals += [getattr(getattr(form.funds, row), c) for c in FUND_COLUMNS]
    for ind in form.indicators:
        vals += [ind.weight, ind.score]
    return [str(v) for v in vals if v is not None]


def in_pieces(cell: str, plain: str, pieces: int = 3) -> bool:
    """``cell`` is made of at most ``pieces`` runs of the input (a cell that a page break
    cut comes back from two places)."""
    if not cell or cell in plain:
        return True
    if pieces == 1:
        return False
    k = len(cell)
    while k > 0 and cell[:k] not in plain:
        k -= 1
    return k > 0 and in_pieces(cell[k:], plain, pieces - 1)


def assert_nothing_invented(forms: list[SelfEvaluation], text: str) -> None:
    """Every number read is in the input, every text cell is made of the input's text."""
    plain = squash(text).replace("|", "")
    digits = re.sub(r"(?<=\d)[,，](?=\d{3})", "", plain).replace("%", "")
    for form in forms:
        for value in numbers_in(form):
            assert value in digits, value
        for ind in form.indicators:
            for cell in (ind.name, ind.target, ind.actual, ind.deviation, ind.level2):
                assert in_pieces(squash(cell), plain), cell
        for cell in (form.project, form.unit, form.goals.expected, form.goals.achieved):
            assert in_pieces(squash(cell), plain), cell


def test_truncated_form_keeps_what_is_there_and_lists_the_rest(oracle_forms):
    text = cut(1499)  # form 9 stops after 工程审价报告达标率 and 设计方案规范性
    forms = parse_text(text, "cut.txt")
    assert len(forms) == 9
    for got, want in zip(forms[:8], oracle_forms[:8], strict=True):
        assert_same_form(got, want)
        assert not got.gaps
    last, want = forms[8], oracle_forms[8]
    assert last.partial
    assert last.funds == want.funds
    assert [i.name for i in last.indicators] == [i.name for i in want.indicators[:4]]
    assert last.total_score is None and last.grade is None  # not invented
    assert "缺少“总分”行" in last.gaps and "缺少“评分等级”" in last.gaps
    assert last.source.end_line == 1498
    assert_nothing_invented(forms, text)


def test_row_cut_before_its_numbers_is_reported_with_its_line():
    text = cut(1504)  # ... 时效 / 指标, then 托底处置维修完成时间 / 2024年 11 / 月前 cut off
    text += "托底处置维修完成时间\n2024年 11\n"
    [*_, last] = parse_text(text, "cut.txt")
    assert any(g.startswith("第1504行：指标行不完整") for g in last.gaps), last.gaps
    assert all(i.name != "托底处置维修完成时间" for i in last.indicators)


def test_form_without_funds_block(oracle_forms):
    text = cut(13, 28)  # 项目资金 … 其他资金 of the first form
    forms = parse_text(text, "nofunds.txt")
    first, want = forms[0], oracle_forms[0]
    assert first.partial and any("项目资金" in g for g in first.gaps)
    assert all(getattr(first.funds.total, c) is None for c in FUND_COLUMNS)
    assert first.project == want.project
    assert [i.name for i in first.indicators] == [i.name for i in want.indicators]
    assert squash(first.goals.expected) == squash(want.goals.expected)
    assert first.total_score == want.total_score
    for got, want in zip(forms[1:], oracle_forms[1:], strict=True):
        assert_same_form(got, want)


def test_form_missing_a_fund_row_names_it(oracle_forms):
    text = cut(26, 26)  # 上年结转资金 of the first form
    first = parse_text(text, "x.txt")[0]
    assert any("上年结转资金" in g for g in first.gaps)
    assert first.funds.carryover.initial is None
    assert first.funds.total == oracle_forms[0].funds.total


def test_other_text_is_a_clear_error(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("会议纪要\n一、关于年度工作安排\n二、其他事项\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"notes\.txt: 未找到绩效自评表（第 1–3 行中"):
        read_forms(p)


def test_title_without_any_form_is_a_clear_error():
    with pytest.raises(IngestError, match="只有表头"):
        parse_text("\n财政项目支出绩效自评表\n\n（空）\n", "t.txt")


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", b"\xef\xbb\xbf"])
def test_empty_file_is_a_clear_error(data):
    with pytest.raises(IngestError, match=r"^empty\.txt: 文件为空$"):
        read_bytes(data, "empty.txt")


def test_binary_file_is_a_clear_error(tmp_path):
    p = tmp_path / "data.bin"
    p.write_bytes(b"\x00\x01\x02BIN\x00" + bytes(range(256)) * 4)
    with pytest.raises(IngestError, match=r"data\.bin: 不是文本文件"):
        read_forms(p)


def test_a_broken_image_is_a_clear_error(tmp_path):
    """PNG bytes are a scan for OCR; a damaged one says so, naming the file."""
    p = tmp_path / "image.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(IngestError, match=r"image\.png: 图像文件无法打开"):
        read_forms(p)


def test_missing_file_and_directory_are_clear_errors(tmp_path):
    with pytest.raises(IngestError, match="无法读取文件"):
        read_forms(tmp_path / "none.txt")
    with pytest.raises(IngestError, match="是目录"):
        read_forms(tmp_path)


@pytest.mark.parametrize("path", sorted((DATA / "samples").glob("*.txt")), ids=lambda p: p.name)
def test_samples_of_other_layouts_do_not_crash(path):
    """Other provinces' layouts: partial forms honestly marked, or (003, 四川, whose template
    has no 评分等级) complete ones; nothing invented either way."""
    text = path.read_text(encoding="utf-8")
    try:
        forms = read_forms(path)
    except IngestError as e:
        assert str(e).startswith(str(path))
        return
    assert forms and all(f.partial for f in forms if not path.name.startswith("003_"))
    for f in forms:
        assert all(isinstance(g, str) and g for g in f.gaps)
    assert_nothing_invented(forms, text)


def test_sample_with_a_usable_header_keeps_it():
    [form] = read_forms(DATA / "samples" / "006_anhui_yuan_wlj_wenwubaohu_2022.txt")
    assert form.project == "市级文物保护专项经费"
    assert form.partial


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=st.lists(st.tuples(st.integers(1, len(SEED_LINES)), st.integers(0, 40)), max_size=4))
def test_seed_with_lines_removed_never_crashes_nor_invents(cuts):
    lines = list(SEED_LINES)
    for start, length in cuts:
        del lines[start - 1 : start - 1 + length]
    text = "\n".join(lines)
    try:
        forms = parse_text(text, "damaged.txt")
    except IngestError as e:
        assert str(e).startswith("damaged.txt: ")
        return
    assert_nothing_invented(forms, text)
    for f in forms:
        for g in f.gaps:
            m = re.match(r"第(\d+)行", g)
            assert m is None or 1 <= int(m.group(1)) <= len(lines)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400) | st.text(max_size=300).map(lambda s: s.encode("utf-8")))
def test_arbitrary_bytes_as_text_give_forms_or_a_clear_error(data):
    try:
        text, _ = decode_bytes(data, "fuzz.txt")
        forms = read_text(text, "fuzz.txt")
    except IngestError as e:
        assert re.match(r"fuzz\.txt[:：] ?\S", str(e)), str(e)
    else:
        assert all(isinstance(f, SelfEvaluation) for f in forms)


def test_truncated_pdf_is_a_clear_error():
    with pytest.raises(IngestError):
        read_bytes(b"%PDF-", "broken.pdf")
