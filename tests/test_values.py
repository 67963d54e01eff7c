"""The value grammar: every 年度指标值 / 实际完成值 of the seed, other spellings, any text."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.values import Deadline, Qualitative, Quantity, level_of, parse_value

# Every distinct target and actual of the 100 seed indicators (checked by hand):
# (text, kind, op | deadline form | level, number | amount, unit | "year-month").
SEED_VALUES = [
    ("不超预算额度", "qualitative", None, None, ""),
    ("达成指标", "qualitative", "met", None, ""),
    ("≤100.00(%)", "quantity", "≤", "100.00", "%"),
    ("100.00(%)", "quantity", None, "100.00", "%"),
    ("≤76.00(个)", "quantity", "≤", "76.00", "个"),
    ("76.00(个)", "quantity", None, "76.00", "个"),
    ("=6.00(个)", "quantity", "=", "6.00", "个"),
    ("6.00(个)", "quantity", None, "6.00", "个"),
    ("≥12.00(个)", "quantity", "≥", "12.00", "个"),
    ("12.00(个)", "quantity", None, "12.00", "个"),
    ("=80.00(%)", "quantity", "=", "80.00", "%"),
    ("80.00(%)", "quantity", None, "80.00", "%"),
    ("=100.00(%)", "quantity", "=", "100.00", "%"),
    ("10个工作日", "deadline", "duration", "10", "个工作日"),
    ("30分钟内到场", "deadline", "duration", "30", "分钟"),
    ("有效提升", "qualitative", None, None, ""),
    ("健全", "qualitative", None, None, ""),
    ("≥80.00(%)", "quantity", "≥", "80.00", "%"),
    ("85.00(%)", "quantity", None, "85.00", "%"),
    ("不高于5000/场", "quantity", "≤", "5000", "/场"),
    ("≥4.00(个)", "quantity", "≥", "4.00", "个"),
    ("4.00(个)", "quantity", None, "4.00", "个"),
    ("符合演练要求", "qualitative", "met", None, ""),
    ("按应急部门要求", "qualitative", None, None, ""),
    ("提升", "qualitative", None, None, ""),
    ("≥90.00(%)", "quantity", "≥", "90.00", "%"),
    ("95.00(%)", "quantity", None, "95.00", "%"),
    ("≤600.00(元/人)", "quantity", "≤", "600.00", "元/人"),
    ("600.00(元/人)", "quantity", None, "600.00", "元/人"),
    ("≤5700.00(元/人)", "quantity", "≤", "5700.00", "元/人"),
    ("5000.00(元/人)", "quantity", None, "5000.00", "元/人"),
    ("≤120.00(个)", "quantity", "≤", "120.00", "个"),
    ("120.00(个)", "quantity", None, "120.00", "个"),
    ("=67.00(个)", "quantity", "=", "67.00", "个"),
    ("67.00(个)", "quantity", None, "67.00", "个"),
    ("=1.00(个)", "quantity", "=", "1.00", "个"),
    ("1.00(个)", "quantity", None, "1.00", "个"),
    ("≤130.00(个)", "quantity", "≤", "130.00", "个"),
    ("130.00(个)", "quantity", None, "130.00", "个"),
    ("按合同约定", "qualitative", None, None, ""),
    ("全年", "deadline", "period", None, ""),
    ("及时", "deadline", "timely", None, ""),
    ("≤90.00(%)", "quantity", "≤", "90.00", "%"),
    ("90.00(%)", "quantity", None, "90.00", "%"),
    (">1.00(个)", "quantity", ">", "1.00", "个"),
    ("1.10(个)", "quantity", None, "1.10", "个"),
    ("=1(个)", "quantity", "=", "1", "个"),
    ("2024年11月前", "deadline", "date", None, "2024-11"),
    ("有效支撑", "qualitative", None, None, ""),
    ("=66.00(个)", "quantity", "=", "66.00", "个"),
    ("66.00(个)", "quantity", None, "66.00", "个"),
    ("=5.00(人)", "quantity", "=", "5.00", "人"),
    ("5.00(人)", "quantity", None, "5.00", "人"),
    ("充足", "qualitative", None, None, ""),
    ("不超预算总额", "qualitative", None, None, ""),
    ("按《嘉定区全勤网格评价工作方案》的工作要求", "qualitative", None, None, ""),
    ("=70(个)", "quantity", "=", "70", "个"),
    ("70.00(个)", "quantity", None, "70.00", "个"),
    ("=91(个)", "quantity", "=", "91", "个"),
    ("91.00(个)", "quantity", None, "91.00", "个"),
    ("=12(个)", "quantity", "=", "12", "个"),
    ("≤120(个)", "quantity", "≤", "120", "个"),
    ("2024年10月", "deadline", "date", None, "2024-10"),
    ("不高于145万元", "quantity", "≤", "145", "万元"),
    ("=3.00(个)", "quantity", "=", "3.00", "个"),
    ("3.00(个)", "quantity", None, "3.00", "个"),
    ("三级", "qualitative", None, None, ""),
    ("24小时内", "deadline", "duration", "24", "小时"),
    ("2小时内", "deadline", "duration", "2", "小时"),
    ("保障", "qualitative", None, None, ""),
    ("建立", "qualitative", None, None, ""),
    ("不高于300万元", "quantity", "≤", "300", "万元"),
    ("≥50.00(个)", "quantity", "≥", "50.00", "个"),
    ("50.00(个)", "quantity", None, "50.00", "个"),
    ("有效改善", "qualitative", None, None, ""),
]


def check(text: str, kind: str, a, b, c) -> None:
    v = parse_value(text)
    assert v.kind == kind, text
    assert v.text == text
    if kind == "quantity":
        assert isinstance(v, Quantity)
        assert (v.op, v.number, v.unit) == (a, Decimal(b), c)
        assert str(v.number) == b  # the written precision is kept
    elif kind == "deadline":
        assert isinstance(v, Deadline)
        assert v.form == a
        assert v.amount == (Decimal(b) if b is not None else None)
        assert (v.unit or (f"{v.year}-{v.month}" if v.year else "")) == c
    else:
        assert isinstance(v, Qualitative)
        assert v.level == a


@pytest.mark.parametrize(("text", "kind", "a", "b", "c"), SEED_VALUES)
def test_seed_value(text, kind, a, b, c):
    check(text, kind, a, b, c)


def test_table_covers_all_200_seed_values(oracle_forms):
    texts = [t for f in oracle_forms for i in f.indicators for t in (i.target, i.actual)]
    assert len(texts) == 200
    assert set(texts) == {row[0] for row in SEED_VALUES}


def test_seed_kinds_count(oracle_forms):
    kinds = [parse_value(i.target).kind for f in oracle_forms for i in f.indicators]
    assert (kinds.count("quantity"), kinds.count("deadline"), kinds.count("qualitative")) == (
        55,
        14,
        31,
    )


OTHER_SPELLINGS = [
    ("≧95%", "quantity", "≥", "95", "%"),
    ("＞＝90％", "quantity", "≥", "90", "%"),
    ("＞3次", "quantity", ">", "3", "次"),
    ("＝100％", "quantity", "=", "100", "%"),
    ("═100%", "quantity", "=", "100", "%"),
    ("≦5天", "quantity", "≤", "5", "天"),
    (">=4754人", "quantity", "≥", "4754", "人"),
    ("<=5300元/户", "quantity", "≤", "5300", "元/户"),
    ("<2%", "quantity", "<", "2", "%"),
    ("不低于98%", "quantity", "≥", "98", "%"),
    ("不少于10次", "quantity", "≥", "10", "次"),
    ("不高于5000/场", "quantity", "≤", "5000", "/场"),
    ("不超过3.5万元", "quantity", "≤", "3.5", "万元"),
    ("100人以上", "quantity", "≥", "100", "人"),
    ("5个以下", "quantity", "≤", "5", "个"),
    ("300万元以内", "quantity", "≤", "300", "万元"),
    ("≥12.00（个）", "quantity", "≥", "12.00", "个"),
    ("≥12.00 个", "quantity", "≥", "12.00", "个"),
    ("≥100百分比", "quantity", "≥", "100", "%"),
    ("1,245.54万元", "quantity", None, "1245.54", "万元"),
    ("387,664.62元", "quantity", None, "387664.62", "元"),
    ("≤600.00(元/人*月)", "quantity", "≤", "600.00", "元/人*月"),
    ("2024年11月前", "deadline", "date", None, "2024-11"),
    ("2024年底前", "deadline", "date", None, "2024-12"),
    ("完成时间为2022年12月30日", "deadline", "date", None, "2022-12"),  # sample 006
    ("截止日期:2023年6月", "deadline", "date", None, "2023-6"),
    ("24小时内", "deadline", "duration", "24", "小时"),
    ("30分钟内到场", "deadline", "duration", "30", "分钟"),
    ("10个工作日", "deadline", "duration", "10", "个工作日"),
    ("全年", "deadline", "period", None, ""),
    ("及时", "deadline", "timely", None, ""),
    ("健全", "qualitative", None, None, ""),
    ("有效提升", "qualitative", None, None, ""),
    ("达成年度指标", "qualitative", "met", None, ""),
    ("部分达成年度指标并具有一定效果", "qualitative", "partial", None, ""),
    ("未达成年度指标且效果较差", "qualitative", "unmet", None, ""),
    ("已完成", "qualitative", "met", None, ""),
]


@pytest.mark.parametrize(("text", "kind", "a", "b", "c"), OTHER_SPELLINGS)
def test_other_spellings(text, kind, a, b, c):
    check(text, kind, a, b, c)


def test_worded_operator_is_marked():
    assert parse_value("不高于145万元").worded
    assert parse_value("100人以上").worded
    assert not parse_value("≤145(万元)").worded


def test_unreadable_text_is_qualitative_with_note():
    v = parse_value("按《方案》第3条执行，约定每季度考核1次并通报")
    assert isinstance(v, Qualitative)
    assert "无法识别" in v.note
    assert parse_value("").note == "空值"
    assert parse_value(None).kind == "qualitative"


def test_levels_negative_before_positive():
    assert level_of("未完成") == "unmet"
    assert level_of("不符合要求") == "unmet"
    assert level_of("基本完成") == "partial"
    assert level_of("完成") == "met"
    assert level_of("健全") is None


@given(st.text(max_size=40))
def test_any_text_parses_without_exception(text):
    v = parse_value(text)
    assert v.text == text
    assert v.kind in ("quantity", "deadline", "qualitative")
    if isinstance(v, Quantity):
        assert isinstance(v.number, Decimal)


@given(
    st.sampled_from(["≥", "≤", "=", ">", "<", "不低于", "不高于", ""]),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["(个)", "(%)", "人", "万元", "(元/人)", ""]),
)
def test_quantity_roundtrip(op, number, unit):
    v = parse_value(f"{op}{number}{unit}")
    assert isinstance(v, Quantity)
    assert v.number == number
    assert v.unit == unit.strip("()")


def test_parse_value_is_cached_and_shared_results_are_frozen():
    import dataclasses

    first = parse_value("≥12.00(个)")
    assert parse_value("≥12.00(个)") is first  # the same texts recur across thousands of forms
    assert first == Quantity(text="≥12.00(个)", op="≥", number=Decimal("12.00"), unit="个")
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.unit = "%"  # type: ignore[misc]
