"""The grammar of 年度指标值 and 实际完成值.

A written value becomes one of three kinds:

- :class:`Quantity` — an operator, a number and a unit: ``≥12.00(个)``, ``不高于145万元``,
  ``100.00(%)`` (an actual usually has no operator);
- :class:`Deadline` — a date, a duration or a period: ``2024年11月前``, ``30分钟内到场``,
  ``10个工作日``, ``全年``, ``及时``;
- :class:`Qualitative` — anything else: ``健全``, ``有效提升``, ``达成指标``.

Parsing never raises: text that cannot be read is kept as :class:`Qualitative` with a note.
The original text is kept verbatim in ``text``; only the parse uses a normalised copy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

Op = Literal["≥", ">", "=", "≤", "<"]
Level = Literal["met", "partial", "unmet"]

LEVEL_LABELS: dict[str, str] = {"met": "达成", "partial": "部分达成", "unmet": "未达成"}

# The one list of what a form writes for "no value": a cell (or a field) holding only one
# of these holds nothing. Whitespace is removed before comparing. Every reader and rule
# that asks "is this empty?" uses it or a subset derived from it (ingest's NULL_TOKENS,
# DASHES below, audit's placeholders, the web editor's empty number cells).
EMPTY_VALUES: frozenset[str] = frozenset(
    {"", "无", "-", "--", "－", "—", "——", "–", "/", "／", "——/——"}
)
# The dashes alone: a template's placeholder left unfilled (audit F05); a "/" may mean
# "not applicable" and "无" may be the value itself.
DASHES: frozenset[str] = frozenset(
    t for t in EMPTY_VALUES if t and t != "无" and not {"/", "／"} & set(t)
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with an optional comparison operator and unit."""

    text: str
    op: Op | None
    number: Decimal
    unit: str = ""
    worded: bool = False  # the operator was written in words (不高于, 以上 …)
    note: str = ""

    kind = "quantity"

    @property
    def direction(self) -> Literal["positive", "reverse", "equal"] | None:
        """正向 (≥ >), 反向 (≤ <), 等于 (=); None when no operator was written."""
        if self.op in ("≥", ">"):
            return "positive"
        if self.op in ("≤", "<"):
            return "reverse"
        if self.op == "=":
            return "equal"
        return None


@dataclass(frozen=True, slots=True)
class Deadline:
    """A time target or actual: a date, a duration, a period or a bare 及时."""

    text: str
    form: Literal["date", "duration", "period", "timely"]
    year: int | None = None
    month: int | None = None
    day: int | None = None
    amount: Decimal | None = None
    unit: str = ""  # 小时, 分钟, 工作日, 天, 个月, 周 …
    bound: Literal["before", "within", "at"] | None = None
    rest: str = ""  # what follows, e.g. 到场
    note: str = ""

    kind = "deadline"


@dataclass(frozen=True, slots=True)
class Qualitative:
    """Text without a readable number or time; ``level`` when it states 达成 / 部分 / 未达成."""

    text: str
    level: Level | None = None
    note: str = ""

    kind = "qualitative"


Value = Quantity | Deadline | Qualitative

# --- vocabulary -------------------------------------------------------------------------

_SIGNS: dict[str, Op] = {
    "≥": "≥",
    "≧": "≥",
    ">=": "≥",
    "⩾": "≥",
    ">": ">",
    "=": "=",
    "==": "=",
    "═": "=",
    "≤": "≤",
    "≦": "≤",
    "<=": "≤",
    "⩽": "≤",
    "<": "<",
}
_PREFIX_WORDS: dict[str, Op] = {
    "不低于": "≥",
    "不少于": "≥",
    "不小于": "≥",
    "大于等于": "≥",
    "大于或等于": "≥",
    "至少": "≥",
    "达到": "≥",
    "不高于": "≤",
    "不超过": "≤",
    "不超出": "≤",
    "不多于": "≤",
    "不大于": "≤",
    "小于等于": "≤",
    "小于或等于": "≤",
    "最多": "≤",
    "控制在": "≤",
    "高于": ">",
    "大于": ">",
    "多于": ">",
    "超过": ">",
    "低于": "<",
    "小于": "<",
    "少于": "<",
    "等于": "=",
}
_SUFFIX_WORDS: dict[str, Op] = {
    "及以上": "≥",
    "以上": "≥",
    "及以下": "≤",
    "以下": "≤",
    "以内": "≤",
    "之内": "≤",
}
_UNIT_ALIASES = {"百分比": "%", "％": "%", "百分之": "%"}
_TIME_UNITS = ("个工作日", "工作日", "小时", "分钟", "个月", "天", "日", "周", "秒", "年")

_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SIGN_RE = "|".join(re.escape(s) for s in sorted(_SIGNS, key=len, reverse=True))
_PREFIX_RE = "|".join(sorted(_PREFIX_WORDS, key=len, reverse=True))
_SUFFIX_RE = "|".join(sorted(_SUFFIX_WORDS, key=len, reverse=True))

_QUANTITY = re.compile(
    rf"^(?P<word>{_PREFIX_RE})?(?P<sign>{_SIGN_RE})?(?P<num>{_NUM})"
    rf"(?P<unit>.*?)(?P<suffix>{_SUFFIX_RE})?$"
)
_DATE = re.compile(
    # a lead-in as forms write it: 完成时间为 / 截止日期: / 于 2022年…
    r"^(?:(?:完成|截止|办结)?(?:时间|日期)(?:为|是|:)?|于)?"
    r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})[日号])?|(?P<end>底|末|年底))?"
    r"(?P<bound>之前|以前|前|底前|内|止)?(?P<rest>.*)$"
)
_DURATION = re.compile(
    rf"^(?P<word>{_PREFIX_RE})?(?P<num>{_NUM})"
    rf"(?P<unit>{'|'.join(_TIME_UNITS)})(?P<bound>以内|之内|内)?(?P<rest>.*)$"
)
_PERIODS = ("全年", "年内", "年度内", "当年", "全年度", "年底前", "年末前", "长期", "常态化")
_TIMELY = ("及时", "按时", "按期", "准时", "如期", "按计划", "按时完成", "及时完成")

_UNMET = (
    "未达成",
    "未完成",
    "未达到",
    "未实现",
    "没有完成",
    "未能完成",
    "未达标",
    "不达标",
    "不符合",
    "不合格",
    "不满足",
    "程度较低",  # 财预〔2021〕101号 三（七）3: 实现目标程度较低
)
_PARTIAL = ("部分达成", "部分完成", "部分实现", "基本达成", "基本完成", "基本实现", "部分达到")
_MET = ("达成", "完成", "达到", "实现", "已完成", "达标", "合格", "满足", "符合", "是")


def normalize(text: str) -> str:
    """The text used for parsing: NFKC (full-width → half-width), no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def to_decimal(number: str) -> Decimal | None:
    """A written number without thousands separators as Decimal; None if it is not one."""
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None


def level_of(text: str) -> Level | None:
    """The 三档 a completion text states: 达成 / 部分达成 / 未达成, or None."""
    t = normalize(text)
    if not t:
        return None
    if any(w in t for w in _UNMET) or t in ("否", "无"):
        return "unmet"
    if any(w in t for w in _PARTIAL):
        return "partial"
    if any(w in t for w in _MET):
        return "met"
    return None


def _unit(raw: str) -> str | None:
    """The unit behind a number, brackets removed; None when it reads as a sentence."""
    unit = raw.strip()
    if unit.startswith("(") and unit.endswith(")"):
        unit = unit[1:-1]
    elif unit.startswith("(") and ")" not in unit:
        unit = unit[1:]
    unit = _UNIT_ALIASES.get(unit, unit)
    if len(unit) > 8 or re.search(r"\d|[,;。，；:：]", unit):
        return None
    return unit


def _parse_quantity(text: str, t: str) -> Quantity | None:
    m = _QUANTITY.match(t)
    if not m:
        return None
    unit = _unit(m["unit"])
    number = to_decimal(m["num"])
    if unit is None or number is None:
        return None
    op: Op | None = None
    worded = False
    if m["sign"]:
        op = _SIGNS[m["sign"]]
    if m["word"]:
        op = op or _PREFIX_WORDS[m["word"]]
        worded = True
    if m["suffix"]:
        op = op or _SUFFIX_WORDS[m["suffix"]]
        worded = True
    return Quantity(text=text, op=op, number=number, unit=unit, worded=worded)


def _parse_deadline(text: str, t: str) -> Deadline | None:
    m = _DATE.match(t)
    if m and len(m["rest"]) <= 6:
        bound = m["bound"]
        month = int(m["m"]) if m["m"] else (12 if m["end"] else None)
        if month is not None and not 1 <= month <= 12:
            return None
        return Deadline(
            text=text,
            form="date",
            year=int(m["y"]),
            month=month,
            day=int(m["d"]) if m["d"] else None,
            bound="before" if bound in ("之前", "以前", "前", "底前", "内", "止") else "at",
            rest=m["rest"],
        )
    m = _DURATION.match(t)
    if m and len(m["rest"]) <= 6:
        return Deadline(
            text=text,
            form="duration",
            amount=to_decimal(m["num"]),
            unit=m["unit"],
            bound="within" if m["bound"] or m["word"] else None,
            rest=m["rest"],
        )
    if t in _PERIODS:
        return Deadline(text=text, form="period", bound="within")
    if t in _TIMELY:
        return Deadline(text=text, form="timely")
    return None


@lru_cache(maxsize=1 << 16)
def parse_value(text: str | None) -> Value:
    """Classify a written 年度指标值 or 实际完成值. Never raises.

    Cached: the same texts recur across forms, and the values are frozen (safe to share).
    """
    raw = text or ""
    t = normalize(raw)
    if not t:
        return Qualitative(text=raw, note="空值")
    found = _parse_deadline(raw, t) or _parse_quantity(raw, t)
    if found is not None:
        return found
    note = "含数字但无法识别为数量或时限，按定性处理" if re.search(r"\d", t) else ""
    return Qualitative(text=raw, level=level_of(t), note=note)
