"""The seed reader's shortcuts (#15 item 5) decide as the long way does: each is checked
against the long way on the same input, and the input the shortcut does not take goes the
long way."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao import limits
from jixiao.ingest import decode
from jixiao.model import FUND_COLUMNS, FundRow, Indicator


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.characters(codec="utf-8")
        | st.sampled_from("\x00\x01\x08\t\n\r\x0b\x0c\x0e\x1f\x7f\x80\x85\x9f\xa0·×\ufffd\ufeff")
    )
)
def test_utf8_bytes_are_judged_clean_exactly_when_their_text_has_no_control_character(text):
    data = text.encode("utf-8")
    assert decode._clean_utf8(data) == (decode._CONTROL.search(text) is None)


def test_a_utf8_file_with_control_characters_is_still_judged_on_its_text():
    few = ("项目名称 甲\x07" + "乙" * 400 + "\n").encode()  # a bell now and then: still text
    assert decode.decode_bytes(few, "x.txt")[0].startswith("项目名称")
    many = ("\x07\x08" * 50 + "项目名称").encode()
    try:
        decode.decode_bytes(many, "x.txt")
    except decode.IngestError as e:
        assert "控制字符" in str(e)
    else:
        raise AssertionError("binary-looking text accepted")


def test_rows_made_by_a_checked_maker_are_those_from_checked_and_validation_make():
    row = {"level1": "产出指标", "level2": "数量指标", "name": "甲", "target": "≥1", "actual": "1"}
    row |= {"weight": Decimal("5.00"), "score": None, "deviation": ""}
    make = Indicator.checked_maker(tuple(row))
    for built in (make(row), Indicator.from_checked(row)):
        assert built == Indicator.model_validate(row)
        assert list(built.__dict__) == list(Indicator.model_validate(row).__dict__)
        assert built.model_fields_set == Indicator.model_validate(row).model_fields_set
        assert built.extras == {} and built.extras is not make(row).extras  # a dict each
    fund = dict(zip(FUND_COLUMNS, map(Decimal, ["1", "2", "3", "4", "5", "6"]), strict=True))
    made = FundRow.checked_maker(FUND_COLUMNS)(fund)
    assert made == FundRow.model_validate(fund)
    assert made.model_fields_set == FundRow.model_validate(fund).model_fields_set


def test_remembered_amounts_are_checked_against_the_limits_in_force():
    from jixiao.ingest.text import _amounts

    assert _amounts()("123456.78") == Decimal("123456.78")
    with limits.use(max_number_digits=4):
        try:
            _amounts()("123456.78")
        except ValueError:
            pass
        else:
            raise AssertionError("an amount beyond the lowered limits passed")
        assert _amounts()("1.5") == Decimal("1.5")
    assert _amounts()("123456.78") == Decimal("123456.78")
    assert _amounts()(None) is None
