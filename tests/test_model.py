"""The canonical JSON model: lossless load/dump of the oracle, unknown fields kept, clear errors."""

import json
from decimal import Decimal

import pytest

from jixiao.model import (
    FUND_PATHS,
    FormFileError,
    SelfEvaluation,
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
