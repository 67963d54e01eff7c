"""Comparing forms as DESIGN §3 says: text without whitespace, numbers as numbers.

One comparison for every round trip (text writer, PDF text, PDF cells, Excel, HTML,
LibreOffice): provenance (source, index, gaps) is not content and is left out.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
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
    # the layout it is written in: named, else placed by its content (jixiao.layouts)
    data["layout"] = layout_of(form).layout.id
    return data


def differences(got: SelfEvaluation, want: SelfEvaluation) -> list[str]:
    """Every field that differs, as ``path: got != want``; empty for the identical form."""
    return _differences(comparable(got), comparable(want))


def _differences(have: dict[str, Any], written: dict[str, Any]) -> list[str]:
    """:func:`differences` of two forms made :func:`comparable`."""
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

    walk(have, written, "")
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


def blank_extras_dropped(form: SelfEvaluation) -> SelfEvaluation:
    """``form`` without the blank cells under added columns (a blank cell and no cell are
    one on paper: the file shows the column, so a blank reads back as "")."""
    out = form.model_copy(deep=True)
    for _, row in out.funds.rows():
        row.extras = {k: v for k, v in row.extras.items() if v.strip()}
    for ind in out.indicators:
        ind.extras = {k: v for k, v in ind.extras.items() if v.strip()}
    return out


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
    "total_weight": ("总分",),
    "total_score": ("总分",),
    "grade": ("评分等级",),
    "checkboxes": ("项目类别", "项目属性", "勾选"),
    "level1_weights": ("一级指标",),
}


# A gap about the indicators (指标) with one of these speaks for the whole table, or for every
# row from one on (“第12行起：…”): any row's values may be the ones it names.
_TABLE_WORDS = ("起：", "各行", "本表", "绩效指标表", "换页前几行")


def _rows_unnamed(have: list[dict], written: list[dict], text: str) -> list[str]:
    """The indicator rows read other than written that no gap names, by the row's 三级指标 as
    read or as written, or by its level labels (:func:`_levels_named`). Rows pair by place
    when as many are read as written, else by name (a row with no pair is a difference
    too). ``have``, ``written``: the rows read and written, :func:`comparable`."""
    if len(have) == len(written):
        pairs = list(zip(have, written, strict=True))
    else:
        by_name = {row["name"]: row for row in have}
        written_names = {row["name"] for row in written}
        pairs = [(by_name.get(row["name"]), row) for row in written]
        pairs += [(row, None) for row in have if row["name"] not in written_names]
    out = []
    for i, (a, b) in enumerate(pairs):
        if a == b:
            continue
        names = [row["name"] for row in (a, b) if row and row["name"]]
        if any(name in text for name in names):
            continue
        if a and b and _levels_named(a, b, text):
            continue
        out.append(f"indicators[{i}] {names[-1] if names else ''}: {a!r} != {b!r}")
    return out


def _levels_named(a: dict[str, Any], b: dict[str, Any], text: str) -> bool:
    """Row ``a`` differs from ``b`` only in level labels the gaps name: one read otherwise
    quoted as read (it stands for every row read under it), one left blank where a gap
    says the table's levels are not read."""
    return all(
        key in ("level1", "level2")
        and (f"“{a[key]}”" in text if a[key] else "一级/二级指标未读入" in text)
        for key in b
        if a[key] != b[key]
    )


def unexplained(got: SelfEvaluation, want: SelfEvaluation) -> list[str]:
    """The differences no gap of ``got`` names: a wrong value nobody was told about. A
    difference in an indicator row is named only by a gap that names the row (its 三级指标,
    as read or as written: :func:`_rows_unnamed`) or speaks for the whole table
    (``_TABLE_WORDS``)."""
    text = " ".join(got.gaps)
    out = []
    table = any("指标" in gap and any(w in gap for w in _TABLE_WORDS) for gap in got.gaps)
    have, written = comparable(got), comparable(want)
    for diff in _differences(have, written):
        field = re.split(r"[.\[:]", diff, maxsplit=1)[0]
        if field in ("extras", "unmapped"):
            continue  # kept aside, not a declared value
        if field == "indicators":
            continue  # named for the table, or row by row below
        words = _GAP_WORDS.get(field, (field,))
        if field == "layout":
            # placed by its content: explained where a gap names the layout, or a sign of
            # the written layout that the reading lost (评分等级 of the Shanghai form, the
            # 主管部门 / 实施单位 its region is read from)
            signs = layout_of(want).layout.recognise
            words = ("版式", *signs.labels, *(("主管部门", "实施单位") if signs.regions else ()))
        if not any(word in text for word in words):
            out.append(diff)
    if not table:
        out += _rows_unnamed(have["indicators"], written["indicators"], squash(text))
    return out


@dataclass
class Verdict:
    """How a reading of a flattening compares with the forms written: each form read is
    ``exact`` (every field equal, no gap), ``partial`` (every difference named by a gap) or
    ``wrong`` (a difference no gap names: what must never happen); ``missing`` counts the
    written forms not found, ``unplaced`` the forms read that are none of them but say what
    they lack, ``strays`` those that do not. A written form is lost (wrong) unless a form
    read without its 项目名称 may be it: more missing than unplaced."""

    exact: int = 0
    partial: int = 0
    wrong: int = 0
    missing: int = 0
    unplaced: int = 0
    strays: int = 0
    details: list[str] = field(default_factory=list)  # the first unexplained differences
    fields: Counter[str] = field(default_factory=Counter)  # the written fields: field_tally

    @property
    def outcome(self) -> str:
        """The flattening's outcome in one word, the worst of its forms'."""
        if self.wrong or self.strays or self.missing > self.unplaced:
            return "wrong"
        return "partial" if self.partial or self.missing else "exact"


def judge(got: list[SelfEvaluation], want: list[SelfEvaluation]) -> Verdict:
    """Each form read against the written form it is: the one of the same project (generated
    forms share projects) it differs least from. A form that is none of them counts as a
    stray unless it says what it lacks (its gaps); forms read without their 项目名称 are
    judged against the forms not found, in order, when there are as many of each."""
    verdict = Verdict()
    found: set[int] = set()
    unplaced: list[SelfEvaluation] = []
    for form in got:
        candidates = [w for w in want if squash(w.project) == squash(form.project)]
        if not candidates:
            if form.gaps:
                verdict.partial += 1
                verdict.unplaced += 1
                unplaced.append(form)
            else:
                verdict.strays += 1
                verdict.details.append(f"a form that is none of the forms: {form.project}")
            continue
        w = min(candidates, key=lambda w: (len(unexplained(form, w)), id(w) in found))
        found.add(id(w))
        verdict.fields += field_tally(form, w)
        wrong = unexplained(form, w)
        if wrong:
            verdict.wrong += 1
            verdict.details += [f"{w.project}: {d}" for d in wrong[:3]]
        elif form.gaps or differences(form, w):
            verdict.partial += 1
        else:
            verdict.exact += 1
    lost = [w for w in want if id(w) not in found]
    verdict.missing = len(lost)
    if unplaced and len(unplaced) == len(lost):
        # read without their 项目名称, in the order written: each against its own, a value
        # no gap names is wrong here too (the form is counted partial above)
        for form, w in zip(unplaced, lost, strict=True):
            verdict.fields += field_tally(form, w)
            if wrong := unexplained(form, w):
                verdict.partial -= 1
                verdict.wrong += 1
                verdict.details += [
                    f"{w.project} (read without its 项目名称): {d}" for d in wrong[:3]
                ]
    return verdict


def field_tally(got: SelfEvaluation, want: SelfEvaluation) -> Counter[str]:
    """The fields written on ``want`` (every scalar that is not blank), each as read in
    ``got``: ``right`` (equal), ``blank`` (not read: absent, None or "") or ``other`` (read
    as something else, whether or not a gap names it). A field is its path: an indicator
    read on another row counts as other on both rows."""
    have, written = leaves(comparable(got)), leaves(comparable(want))
    tally: Counter[str] = Counter()
    for path, value in written.items():
        if value is None or value == "":
            continue
        read = have.get(path)
        tally["right" if read == value else "blank" if read is None or read == "" else "other"] += 1
    return tally


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


LO_TEXTS = Path(__file__).parent / "data" / "lo-texts"


def lo_excerpt(layout: str, source: str, seed: int, mode: str, index: int) -> str:
    """One form's part of ``pdftotext``'s text of LibreOffice's PDF of ``layout_forms(4,
    layout, seed)`` (``source`` lo-xlsx / lo-docx), kept in ``tests/data/lo-texts`` (making
    it again needs LibreOffice)."""
    return (LO_TEXTS / f"{layout}-{source}-{seed}-{mode}-{index}.txt").read_text(encoding="utf-8")


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def lo_convert(
    files: list[Path], target: str, out: Path, timeout: int = 900, profile: Path | None = None
) -> None:
    """One LibreOffice run converting ``files`` to ``target`` (pdf, xls …) into ``out``,
    with a profile of its own (``out``/lo-profile unless ``profile``) so that parallel runs
    never share one."""
    assert SOFFICE is not None, "LibreOffice is not installed"
    home = (profile or out / "lo-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={home}",
            *("--headless", "--norestore", "--convert-to", target, "--outdir", str(out)),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
