"""Text fields without control characters, numbers of a sane magnitude, decoded text
without lone surrogates, spans kept as rectangles — in the model and every importer."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from jixiao import limits
from jixiao.cli import app
from jixiao.ingest import IngestError, read_bytes
from jixiao.ingest.decode import decode_bytes
from jixiao.ingest.grid import Cell, Grid, check_extent
from jixiao.model import Indicator, SelfEvaluation, forms_from_json_text

from . import corpus

runner = CliRunner()


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\ud800"])
def test_control_characters_are_refused_in_every_text_field(bad):
    with pytest.raises(ValidationError, match=f"U\\+{ord(bad):04X}"):
        SelfEvaluation(project=f"城市{bad}运行")
    form = SelfEvaluation(project="城市运行")
    with pytest.raises(ValidationError, match="不允许"):
        form.unit = "某" + bad  # the web editor assigns fields one by one
    with pytest.raises(ValidationError):
        Indicator(name="x", deviation=bad)
    with pytest.raises(ValidationError, match="extras"):
        Indicator(name="x", extras={"佐证资料": bad})
    assert form.unit == ""


def test_tab_and_line_breaks_are_text():
    form = SelfEvaluation(project="城市\t运行", goals={"expected": "一、\r\n二、\n三、"})
    assert form.goals.expected == "一、\r\n二、\n三、"


def test_text_length_is_bounded():
    with limits.use(max_text_chars=10):
        with pytest.raises(ValidationError, match="文字长度 11 字超过上限（最多 10 字）"):
            SelfEvaluation(project="项" * 11)
        SelfEvaluation(project="项" * 10)


def test_each_text_is_bounded_alone_and_the_bad_field_is_named():
    """An object's texts are tested together first (the usual case, in one test): texts
    each within the limit pass however long together; a bad one is named by its field, in
    a list of texts too, and a bad amount by its field."""
    with limits.use(max_text_chars=10):
        ind = Indicator(name="项" * 10, target="值" * 10, deviation="因" * 10)
        assert (ind.name, ind.deviation) == ("项" * 10, "因" * 10)
        with pytest.raises(ValidationError, match="deviation: 文字长度 11 字"):
            Indicator(name="项" * 10, target="值" * 10, deviation="因" * 11)
    with pytest.raises(ValidationError, match=r"gaps: 含不允许的控制字符 U\+0001"):
        SelfEvaluation(project="城市", gaps=["第1行：缺少“总分”行", "第2行：\x01"])
    with pytest.raises(ValidationError, match="score: 数字过大"):
        Indicator(name="x", weight=Decimal("10"), score=Decimal("1e30"))
    form = SelfEvaluation(project="项" * 10, gaps=["缺" * 10] * 3)
    assert form.gaps == ["缺" * 10] * 3


@pytest.mark.parametrize(
    "value,problem",
    [
        ("1e999999999", "数字过大（超过上限 10^20）"),
        ("-1e20", "数字过大"),
        ("1e-999999999", "数字过小"),
        ("1" * 41, "41 位有效数字"),
    ],
)
def test_numbers_beyond_a_sane_magnitude_are_refused(value, problem):
    with pytest.raises(ValidationError, match=re.escape(problem)):
        Indicator(name="x", weight=value)


@pytest.mark.parametrize(
    "value", ["99999999999999999999", "-3.5", "0.00000000000000000001", "0E-50"]
)
def test_numbers_of_real_forms_are_kept_exactly(value):
    assert Indicator(name="x", weight=value).weight == Decimal(value)


def test_json_lone_surrogates_are_refused_in_keys_and_extras_too():
    with pytest.raises(ValueError, match=r"a.json: forms\[0\].extras.note: 含孤立代理字符 U\+DC00"):
        forms_from_json_text(
            '{"forms": [{"project": "p", "extras": {"note": "x\\udc00"}}]}', "a.json"
        )
    with pytest.raises(ValueError, match=r"forms\[0\].\\udfff（键名）|键名"):
        forms_from_json_text('{"forms": [{"project": "p", "\\udfff": 1}]}', "a.json")


def test_json_integers_of_thousands_of_digits_are_an_error_not_a_crash():
    with pytest.raises(ValueError, match=r"a\.json: 不是有效的 JSON"):
        forms_from_json_text('{"year": ' + "9" * 5000 + "}", "a.json")


def test_json_size_and_containers_are_bounded():
    with (
        limits.use(max_json_bytes=100),
        pytest.raises(ValueError, match=r"JSON 文件大小 .* 超过上限"),
    ):
        forms_from_json_text(json.dumps({"forms": [{"project": "项目" * 50}]}), "a.json")
    with limits.use(max_forms=1), pytest.raises(ValueError, match="个对象和列表，超过上限"):
        forms_from_json_text("[" * 30 + "]" * 30 + "," + "{}," * 200, "a.json")


def test_decoded_text_with_a_lone_surrogate_is_refused():
    # UTF-16 with BOM holding an unpaired high surrogate: Python's decoder refuses it.
    data = "\ufeff项目".encode("utf-16-le") + b"\x00\xd8" + "名".encode("utf-16-le")
    with pytest.raises(IngestError, match=r"x\.txt: 带 BOM 的文件无法按 utf-16 解码"):
        decode_bytes(b"\xff\xfe" + data[2:], "x.txt")
    # An encoded surrogate is not UTF-8; as GB18030 it is refused, never decoded to one.
    with pytest.raises(IngestError):
        decode_bytes("项目名称".encode() + b"\xed\xa0\x80", "x.txt")


def test_a_control_character_read_from_a_file_is_refused_with_the_field():
    page = ("<p>" + "财政项目支出绩效自评表" * 30 + "</p>").encode()
    page += "<table><tr><td>项目名称</td><td>城市\x01运行</td></tr></table>".encode()
    with pytest.raises(IngestError, match=r"a.html: project: 含不允许的控制字符 U\+0001"):
        read_bytes(page, "a.html")


def test_spans_are_rectangles_never_expanded():
    tall = Cell(0, 0, rowspan=5000, colspan=2, text="一级指标")
    cells = [tall] + [Cell(r, 2, text=f"第{r}行") for r in range(5000)]
    grid = Grid(cells)
    assert grid.at(4999, 1) is tall and grid.at(4999, 2).text == "第4999行"
    assert grid.at(5000, 0) is None and grid.at(3, 3) is None
    assert grid.row_cells(10) == [tall, cells[11]]
    assert sum(len(v) for v in grid._by_row.values()) == 10_000  # per row, not per position
    with (
        limits.use(max_span_cells=9_999),
        pytest.raises(
            limits.LimitExceeded,
            match=r"a\.pdf: 合并单元格 第1行第1列:第5000行第2列 超过上限（最多 9999 个单元格）",
        ),
    ):
        check_extent(cells, "a.pdf", "")


def test_audit_score_and_render_refuse_1e999999999_without_a_traceback(tmp_path):
    path = corpus.huge_amount_json(tmp_path)
    for command in (
        ["audit"],
        ["score"],
        ["render", "--to", "html", "-o", str(tmp_path / "x.html")],
    ):
        result = runner.invoke(app, [*command, str(path)])
        assert result.exit_code == 2, (command, result.output)
        assert "数字过大（超过上限 10^20）" in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_forms_per_file_are_bounded_in_text_and_tables():
    text = "财政项目支出绩效自评表\n项目名称 x\n" * 30
    with (
        limits.use(max_forms=20),
        pytest.raises(
            IngestError,
            match=r"x\.txt: 文件中有 30 个表头“财政项目支出绩效自评表”，"
            r"超过上限（每个文件最多 20 张表）",
        ),
    ):
        read_bytes(text.encode(), "x.txt")
    rows = "".join(f"<tr><td>项目名称</td><td>项目{i}</td></tr>" for i in range(30))
    page = f"<table>{rows}</table>".encode()
    assert len(read_bytes(page, "x.html")) == 30
    with (
        limits.use(max_forms=20),
        pytest.raises(IngestError, match=r"x\.html: 文件中的自评表超过上限（每个文件最多 20 张）"),
    ):
        read_bytes(page, "x.html")
