"""Declared numbers as table cells write them (金额, 分值, 得分, 执行率)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from jixiao.values import EMPTY_VALUES

_WS = re.compile(r"\s+")
_NUMBER = re.compile(
    r"^(?P<sign>[-−+]?)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+)"
    r"(?P<unit>%|％|万元|万|元|分)?$"
)


class NotANumber(ValueError):
    """Cell text that is neither empty nor a number."""


def parse_amount(text: str) -> Decimal | None:
    """A declared number as written: thousands separators and a unit suffix dropped;
    an empty value (:data:`~jixiao.values.EMPTY_VALUES`: "", "-", "—", "/",
    "无" …) → None. Anything else raises :class:`NotANumber`."""
    t = _WS.sub("", text)
    if t in EMPTY_VALUES:
        return None
    m = _NUMBER.match(t)
    if not m:
        raise NotANumber(text)
    num = m["num"].replace(",", "")
    if num.endswith("."):
        num = num[:-1]
    try:
        value = Decimal(num)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise NotANumber(text) from None
    return -value if m["sign"] in "-−" and m["sign"] else value
