"""Comparing forms as DESIGN §3 says: text without whitespace, numbers as numbers.

One comparison for every round trip (text writer, PDF text, PDF cells, Excel, HTML,
LibreOffice): provenance (source, index, gaps) is not content and is left out.
"""

from __future__ import annotations

import re
from typing import Any

from jixiao.model import SelfEvaluation

_SPACE = re.compile(r"\s+")
PROVENANCE = {"source", "index", "gaps"}


def squash(text: str | None) -> str:
    """Text as tests compare it: all whitespace removed."""
    return _SPACE.sub("", text or "")


def comparable(form: SelfEvaluation) -> dict[str, Any]:
    """The declared content: typed values (Decimal compares 10 == 10.00), text squashed."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str):
            return squash(value)
        return value

    return walk(form.model_dump(exclude=PROVENANCE))


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
