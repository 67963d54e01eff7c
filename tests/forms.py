"""Comparing forms as DESIGN §3 says: text without whitespace, numbers as numbers.

One comparison for every round trip (text writer, PDF text, PDF cells, Excel, HTML,
LibreOffice): provenance (source, index, gaps) is not content and is left out.
"""

from __future__ import annotations

import re
from typing import Any

from jixiao.layouts import layout_of
from jixiao.model import SelfEvaluation

_SPACE = re.compile(r"\s+")
PROVENANCE = {"source", "index", "gaps"}


def squash(text: str | None) -> str:
    """Text as tests compare it: all whitespace removed."""
    return _SPACE.sub("", text or "")


def comparable(form: SelfEvaluation) -> dict[str, Any]:
    """The declared content: typed values (Decimal compares 10 == 10.00), text squashed;
    the layout as the one the form is in (named, or recognised from its content: an
    importer names the layout it recognised)."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str):
            return squash(value)
        return value

    data = walk(form.model_dump(exclude=PROVENANCE))
    data["layout"] = layout_of(form).layout.id
    return data


def differences(got: SelfEvaluation, want: SelfEvaluation) -> list[str]:
    """Every field that differs, as ``path: got != want``; empty for the identical form."""
    out: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(a.keys() | b.keys(), key=str):
                walk(a.get(key), b.get(key), f"{path}.{key}" if path else key)
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}[{i}]")
        elif a != b or (a is None) != (b is None):
            out.append(f"{path}: {a!r} != {b!r}")

    walk(comparable(got), comparable(want), "")
    return out


def assert_same_form(got: SelfEvaluation, want: SelfEvaluation) -> None:
    """One form read back is ``want``: every field equal (provenance aside)."""
    assert differences(got, want) == [], want.project


def assert_identical(want: list[SelfEvaluation], got: list[SelfEvaluation]) -> None:
    """``got`` (read back) is ``want``: same forms in order, complete, every field equal."""
    assert [f.project for f in got] == [f.project for f in want]
    assert not [(f.project, f.gaps) for f in got if f.gaps]
    report = {
        f"{w.index} {w.project}": d[:3]
        for g, w in zip(got, want, strict=True)
        if (d := differences(g, w))
    }
    assert not report, f"{len(report)} of {len(want)} forms differ: {report}"


# What a gap must name for a field that was not read as written (one of these words).
_GAP_WORDS = {
    "title": ("表头",),
    "year": ("年度",),
    "project": ("项目名称",),
    "department": ("主管部门",),
    "unit": ("实施单位",),
    "amount_unit": ("金额单位", "项目资金"),
    "funds": ("项目资金", "年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"),
    "goals": ("年度总体目标", "预期目标", "实际完成情况"),
    "indicators": ("指标",),
    "total_weight": ("总分",),
    "total_score": ("总分",),
    "grade": ("评分等级",),
}


def unexplained(got: SelfEvaluation, want: SelfEvaluation) -> list[str]:
    """The differences no gap of ``got`` names: a wrong value nobody was told about."""
    text = " ".join(got.gaps)
    out = []
    for diff in differences(got, want):
        field = re.split(r"[.\[:]", diff, maxsplit=1)[0]
        if field in ("extras", "unmapped"):
            continue  # kept aside, not a declared value
        if field == "layout" and got.gaps:
            continue  # recognised from what was read: a form read in part may look another
        if not any(word in text for word in _GAP_WORDS.get(field, (field,))):
            out.append(diff)
    return out


def leaves(value: Any, path: str = "") -> dict[str, Any]:
    """Every scalar of a JSON value by its path (``funds.total.rate``, ``indicators[2].name``)."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(leaves(item, f"{path}.{key}" if path else key))
        return out
    if isinstance(value, list):
        out = {}
        for i, item in enumerate(value):
            out.update(leaves(item, f"{path}[{i}]"))
        return out
    return {path: value}
