"""The canonical JSON model: lossless load/dump of the oracle, unknown fields kept, clear errors."""

import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from jixiao.model import (
    FUND_PATHS,
    FormFileError,
    Indicator,
    Level1Weight,
    SelfEvaluation,
    Source,
    Unmapped,
    checkbox_from_text,
    dump_forms,
    forms_from_json_text,
    load_forms,
    value_at,
)

from .conftest import ORACLE


def _strip(value):
    """Numbers as numbers, text without whitespace, for comparing JSON documents."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return "".join(value.split())
    return value


def test_oracle_loads_nine_forms_hundred_indicators(oracle_forms):
    assert len(oracle_forms) == 9
    assert sum(len(f.indicators) for f in oracle_forms) == 100
    first = oracle_forms[0]
    assert first.project == "其他人员经费"
    assert first.funds.total.initial == Decimal("1245.54")
    assert first.funds.total.rate == Decimal("85.25")
    assert first.funds.fiscal.weight is None
    assert first.total_score == Decimal("98.53")
    assert first.indicators[0].weight == Decimal("10.00")
    assert isinstance(first.indicators[0].score, Decimal)


def test_oracle_dumps_back_to_the_same_values(oracle_forms):
    original = json.loads(ORACLE.read_text(encoding="utf-8"))["forms"]
    dumped = json.loads(dump_forms(oracle_forms))["forms"]
    for form in dumped:
        form.pop("source", None)
    assert dumped == original  # exact strings: "10.00" stays "10.00"
    assert _strip(dumped) == _strip(original)


def test_unknown_fields_are_kept():
    doc = {
        "project": "测试项目",
        "项目类别": "专项",
        "funds": {"total": {"executed": "1.00", "佐证": "附件1"}},
        "indicators": [{"name": "数量", "指标性质": "正向", "weight": "5"}],
    }
    form = forms_from_json_text(json.dumps(doc, ensure_ascii=False))[0]
    back = form.to_json_dict()
    assert back["项目类别"] == "专项"
    assert back["funds"]["total"]["佐证"] == "附件1"
    assert back["indicators"][0]["指标性质"] == "正向"


def test_json_numbers_never_pass_through_float():
    form = forms_from_json_text(
        '{"funds": {"total": {"executed": 0.1, "adjusted": 12345678901.123456}}}'
    )[0]
    assert form.funds.total.executed == Decimal("0.1")
    assert str(form.funds.total.adjusted) == "12345678901.123456"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"forms": [{"project": "甲"}, {"funds": {"total": {"rate": "abc"}}}]}',
            "forms[1].funds.total.rate: 不是有效的数字",
        ),
        ('{"indicators": [{"weight": "5"}, {"score": "NaN"}]}', "indicators[1].score"),
        ('{"year": "二〇二四"}', "year: 应为整数"),
        ('{"forms": {}}', "forms 应为列表"),
        ("[1, 2]", "应为表单对象"),
        ('{"project": ', "不是有效的 JSON（第 1 行"),
        ("{}", "（根）: 不是自评表（没有项目名称、项目资金、绩效指标等任何栏目）"),
        ('{"forms": [{"project": "甲"}, {"备注": "x"}]}', "forms[1]: 不是自评表"),
    ],
)
def test_bad_json_names_the_field(text, message):
    with pytest.raises(FormFileError) as err:
        forms_from_json_text(text)
    assert message in str(err.value)


def test_load_names_the_file(tmp_path):
    bad = tmp_path / "坏表.json"
    bad.write_text('{"total_score": "九十"}', encoding="utf-8")
    with pytest.raises(FormFileError, match=r"坏表\.json: total_score: 不是有效的数字"):
        load_forms(bad)
    with pytest.raises(FormFileError, match="无法读取"):
        load_forms(tmp_path / "missing.json")


def test_bom_and_single_form_object(tmp_path):
    path = tmp_path / "one.json"
    path.write_bytes('\ufeff{"project": "单表", "year": 2024}'.encode())
    (form,) = load_forms(path)
    assert form.project == "单表"
    assert form.source is not None and form.source.file == str(path)


def test_partial_form_reports_gaps():
    form = SelfEvaluation(project="x", gaps=["缺少项目资金（第 3 行）"])
    assert form.partial
    assert form.to_json_dict()["gaps"] == ["缺少项目资金（第 3 行）"]
    assert "gaps" not in SelfEvaluation(project="y").to_json_dict()


def test_python_dump_keeps_decimals(oracle_forms):
    dumped = oracle_forms[0].model_dump()
    assert dumped["funds"]["total"]["rate"] == Decimal("85.25")
    assert isinstance(dumped["indicators"][0]["weight"], Decimal)
    assert oracle_forms[0].to_json_dict()["funds"]["total"]["rate"] == "85.25"


def test_value_at_reads_dotted_paths(oracle_forms):
    form = oracle_forms[0]
    assert value_at(form, "funds.total.rate") == Decimal("85.25")
    assert value_at(form, "goals.expected") == form.goals.expected
    assert value_at(form, "source.file").endswith("expected.json")
    assert value_at(SelfEvaluation(), "source.file") is None  # no source: None, no error
    assert len(FUND_PATHS) == 24 and FUND_PATHS[0] == "funds.total.initial"


def test_source_dict_keeps_only_known_parts():
    assert SelfEvaluation().source_dict() is None
    form = SelfEvaluation.model_validate({"source": {"file": "a.txt", "start_line": 3}})
    assert form.source_dict() == {"file": "a.txt", "start_line": 3}


def test_what_importers_keep_is_declared_and_round_trips():
    """extras (form, fund block, fund row, indicator), unmapped with its place and the
    source's end page are fields of the model, written to JSON and read back."""
    form = SelfEvaluation(
        project="p",
        extras={"项目类别": "经常性项目"},
        unmapped=[Unmapped(place="工作表“自评表”B7", text="分值：三十")],
        source=Source(file="a.pdf", page=2, end_page=3),
    )
    form.funds.extras = {"单位资金": {"initial": "0.00", "原因": ""}}
    form.funds.total.extras = {"得分计算方法": "执行率*该指标分值"}
    form.indicators.append(Indicator(name="人数", extras={"度量单位": "人"}))
    data = form.to_json_dict()
    assert data["extras"] == {"项目类别": "经常性项目"}
    assert data["unmapped"] == [{"place": "工作表“自评表”B7", "text": "分值：三十"}]
    assert data["source"] == {
        "file": "a.pdf", "start_line": None, "end_line": None, "page": 2, "end_page": 3,
    }  # fmt: skip
    # a fund row beyond the four is typed: its numbers Decimal, its other cells in extras
    assert form.funds.extras["单位资金"].initial == Decimal("0.00")
    assert data["funds"]["extras"]["单位资金"] == {"initial": "0.00", "extras": {"原因": ""}}
    assert data["funds"]["total"]["extras"] == {"得分计算方法": "执行率*该指标分值"}
    assert data["indicators"][0]["extras"] == {"度量单位": "人"}
    [back] = forms_from_json_text(dump_forms([form]))
    assert back == form
    assert str(back.unmapped[0]) == "工作表“自评表”B7：分值：三十"


def test_forms_without_what_importers_keep_are_written_as_before(oracle_forms):
    """Empty extras, unmapped and end_page are left out: the oracle's JSON is byte for byte
    what it was before they were declared (and the file itself has none of them)."""
    text = ORACLE.read_text(encoding="utf-8")
    assert "extras" not in text and "unmapped" not in text and "end_page" not in text
    data = oracle_forms[0].to_json_dict()
    assert not {"extras", "unmapped"} & data.keys()
    assert "extras" not in data["funds"] and "extras" not in data["funds"]["total"]
    assert all("extras" not in i for i in data["indicators"])
    assert "end_page" not in data["source"]
    assert list(data) == [
        "title", "year", "project", "department", "unit", "amount_unit", "funds", "goals",
        "indicators", "total_weight", "total_score", "grade", "index", "source",
    ]  # fmt: skip


def test_older_json_with_unmapped_strings_and_undeclared_extras_loads():
    """Files written while these fields were undeclared: unmapped as "place：text" strings."""
    doc = {
        "project": "p",
        "extras": {"联系电话": "123"},
        "unmapped": ["第2页表格第3行第1列：备注", "无处可放"],
        "source": {"file": "x.pdf", "page": 1, "end_page": 2},
    }
    form = forms_from_json_text(json.dumps(doc, ensure_ascii=False))[0]
    assert form.extras == {"联系电话": "123"}
    assert form.unmapped == [
        Unmapped(place="第2页表格第3行第1列", text="备注"),
        Unmapped(place="", text="无处可放"),
    ]
    assert form.source is not None and form.source.end_page == 2
    with pytest.raises(FormFileError, match="extras"):
        forms_from_json_text('{"project": "p", "extras": {"a": ["not", "text"]}}')


def test_text_kept_by_importers_obeys_the_text_rules():
    """extras keys and values, at every level, are refused with a control character, in the
    constructor and on assignment, naming the field."""
    where = r"funds.extras.单位资金\n  extras: 年初预算数: 含不允许的控制字符"
    with pytest.raises(ValidationError, match=where):
        SelfEvaluation(funds={"extras": {"单位资金": {"initial": "1\x00"}}})
    form = SelfEvaluation()
    with pytest.raises(ValidationError, match="extras"):
        form.extras = {"项目类别\x07": "x"}
    with pytest.raises(ValidationError, match="extras"):
        form.funds.total.extras = {"原因": "\x1b"}
    with pytest.raises(ValidationError, match="text"):
        Unmapped(place="B7", text="\x00")
    assert form.extras == {} and form.funds.total.extras == {}


def test_fund_rows_written_as_text_load_typed():
    """A fund row beyond the four, as importers and older JSON wrote it (text by column),
    loads as a typed row: numbers (with their % or 万 sign) as Decimal, empty cells None,
    a text that is no number kept in the row's extras under the column's words."""
    form = SelfEvaluation.model_validate(
        {
            "funds": {
                "extras": {
                    "单位资金": {
                        "initial": "1,245.50",
                        "adjusted": "150万",
                        "executed": "—",
                        "rate": "83.5%",
                        "score": "见说明",
                        "原因": "进度慢",
                    }
                }
            }
        }
    )
    row = form.funds.extras["单位资金"]
    assert (row.initial, row.adjusted, row.executed, row.rate, row.score) == (
        Decimal("1245.50"), Decimal("150"), None, Decimal("83.5"), None,
    )  # fmt: skip
    assert row.extras == {"得分": "见说明", "原因": "进度慢"}
    assert form.funds.rows()[-1] == ("单位资金", row)
    assert [label for label, _ in form.funds.rows()][:4] == [
        "年度资金总额", "当年财政拨款", "上年结转资金", "其他资金",
    ]  # fmt: skip
    data = form.to_json_dict()["funds"]["extras"]["单位资金"]
    assert data == {
        "initial": "1245.50",
        "adjusted": "150",
        "rate": "83.5",
        "extras": {"得分": "见说明", "原因": "进度慢"},
    }
    [back] = forms_from_json_text(dump_forms([form]))
    assert back.funds.extras == form.funds.extras


def test_what_a_layout_has_is_typed_and_round_trips():
    """layout, 一级 weights, check boxes, 权重占比 and 折算得分: written when present, left out
    when not (a form without them is written as before)."""
    form = SelfEvaluation(
        project="p",
        source=Source(file="a.json"),
        layout="hebei",
        level1_weights=[Level1Weight(label="产出指标", weight=Decimal(60))],
        checkboxes=[checkbox_from_text("项目类别", "☑经常性项目 □一次性项目")],
        indicators=[Indicator(name="a", share=Decimal("10"), adjusted_score=Decimal("9.5"))],
    )
    data = form.to_json_dict()
    assert data["layout"] == "hebei"
    assert data["level1_weights"] == [{"label": "产出指标", "weight": "60"}]
    assert data["checkboxes"] == [
        {"label": "项目类别", "options": ["经常性项目", "一次性项目"], "checked": ["经常性项目"]}
    ]
    assert data["indicators"][0]["share"] == "10"
    assert data["indicators"][0]["adjusted_score"] == "9.5"
    [back] = forms_from_json_text(dump_forms([form]))
    assert back == form
    plain = SelfEvaluation(indicators=[Indicator(name="a")]).to_json_dict()
    assert not {"layout", "level1_weights", "checkboxes"} & plain.keys()
    assert not {"share", "adjusted_score"} & plain["indicators"][0].keys()


@pytest.mark.parametrize(
    ("text", "options", "checked"),
    [
        ("☑经常性项目 □一次性项目", ["经常性项目", "一次性项目"], ["经常性项目"]),
        ("□新增项目 ■延续项目", ["新增项目", "延续项目"], ["延续项目"]),
        ("经常性项目√ 一次性项目", ["经常性项目", "一次性项目"], ["经常性项目"]),
        ("□甲 □乙", ["甲", "乙"], []),
        # glued by a flattening, or an option wrapped over two lines: marks come first
        ("☑经常性项目□一次性项目", ["经常性项目", "一次性项目"], ["经常性项目"]),
        ("□经常性项目☑一次性项目", ["经常性项目", "一次性项目"], ["一次性项目"]),
        ("□新增项\n目 ☑延续项目", ["新增项目", "延续项目"], ["延续项目"]),
    ],
)
def test_checkbox_from_text(text, options, checked):
    box = checkbox_from_text("项目类别", text)
    assert box is not None and (box.options, box.checked) == (options, checked)


def test_checkbox_from_text_without_a_box_is_none():
    assert checkbox_from_text("项目类别", "经常性项目") is None
