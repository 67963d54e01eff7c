"""Measuring a scan's reading against the form it was made from: exact fields, and the
fields that are not exact, each either named in the form's gaps or caught by an audit rule
(one of the form's arithmetic, or one on that indicator's row) that the form as printed
does not raise (a wrong value nothing flags is a failure)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from jixiao.audit import audit_form
from jixiao.layouts import layout_of
from jixiao.model import SelfEvaluation
from jixiao.policy import Policy

from .forms import PROVENANCE, leaves

# Rules of the form's own arithmetic: a misread number breaks one of them.
ARITHMETIC = {"S03", "W01", "W04", "W05", "W06", "X01", "X02", "Q01", "Q02", "Q03", "Q05"}
_SPACE = re.compile(r"\s+")


def same_text(text: str | None) -> str:
    """Text as printed: whitespace removed, full-width and half-width forms one (NFKC: a
    scan cannot tell （ from ( )."""
    return unicodedata.normalize("NFKC", _SPACE.sub("", text or ""))


def fields_of(form: SelfEvaluation) -> dict[str, Any]:
    dumped = form.model_dump(exclude=PROVENANCE | {"extras", "unmapped"})
    dumped["layout"] = layout_of(form).layout.id  # named, or recognised (as importers name it)
    return {
        k: same_text(v) if isinstance(v, str) else v
        for k, v in leaves(dumped).items()
        if ".extras" not in k
    }


@dataclass
class Reading:
    """How one form read back from its scan."""

    fields: int = 0
    exact: int = 0
    flagged: list[str] = field(default_factory=list)  # not exact, named in the gaps
    caught: list[str] = field(default_factory=list)  # not exact, an arithmetic rule fires
    silent: list[str] = field(default_factory=list)  # not exact and nothing says so


def _named(value: Any, gaps: str) -> bool:
    """Whether a gap names the value as read (“…”), or — a value not read at all — says
    that something was not read or found."""
    if value is None or value == "":
        return any(w in gaps for w in ("未读入", "未识别", "表中未找到", "存疑"))
    return f"“{value}" in gaps or same_text(str(value)) in gaps


_ROW = re.compile(r"^indicators\[(\d+)\]")


def _caught(path: str, new: set[tuple[str, int | None]]) -> bool:
    """Whether an audit finding the scan's misreading raised points at ``path``: a rule of
    the form's arithmetic anywhere, or any rule on that indicator row (F06: a 指标值 without
    its sign, F09: a rate without %, …)."""
    if any(rule in ARITHMETIC for rule, _ in new):
        return True
    row = _ROW.match(path)
    return row is not None and any(pos == int(row.group(1)) + 1 for _, pos in new)


def compare(got: SelfEvaluation, want: SelfEvaluation, policy: Policy) -> Reading:
    """``got`` (read from the scan of ``want``) field by field."""
    have, truth = fields_of(got), fields_of(want)
    reading = Reading(fields=len(truth))
    gaps = same_text(" ".join(got.gaps))
    before = {(f.rule, f.position) for f in audit_form(want, policy)}
    new = {(f.rule, f.position) for f in audit_form(got, policy)} - before
    for path in sorted(truth.keys() | have.keys()):
        a, b = have.get(path), truth.get(path)
        if a == b:
            reading.exact += path in truth
            continue
        line = f"{path}: {a!r} != {b!r}"
        if _named(a, gaps):
            reading.flagged.append(line)
        elif _caught(path, new):
            reading.caught.append(line)
        else:
            reading.silent.append(line)
    return reading
