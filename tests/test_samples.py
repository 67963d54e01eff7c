"""The real 自评表 of other provinces (``tests/data/samples/``, see its README) against
their hand-checked expected JSON (``tests/data/samples/expected/NNN.json``).

An expected file holds each sample's *legible* fields in the canonical JSON shape
(docs/form.md), as printed: declared values, never corrected; a blank cell is ``null`` or
``""``; a cell cut off by the source's truncation (or not decidable from the text) is
absent. What the template has is checked too: ``layout`` (the declaration the form is
written in, as recognised), ``level1_weights`` (产出指标(50分)), ``checkboxes``, and the
extra indicator columns in ``extras``. Fidelity is counted field by field: a legible
field is right when the import holds exactly its value; a field the import fills that is
not legible counts as wrong too (a value invented for a truncated or absent cell).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.ingest import read_forms
from jixiao.ingest.errors import IngestError

from .forms import leaves

SAMPLES = Path(__file__).parent / "data" / "samples"
EXPECTED = SAMPLES / "expected"
FILES = sorted(SAMPLES.glob("*.txt"))

# What an importer adds about the reading, not fields of the form.
_NOT_FIELDS = ("source", "index", "gaps", "unmapped")

# The share of legible fields each sample must have right (raised as the reader learns).
FLOOR: dict[str, float] = {
    "001": 1.0,
    "003": 1.0,
    "006": 1.0,
    "008": 1.0,
    "011": 1.0,
    "013": 1.0,
    "019": 1.0,
    # its two goal texts run together with no mark between them: not parted
    "021": 0.94,
}
OVERALL_FLOOR = 0.99


def _shown(value: Any) -> str:
    """A field's value for comparison: null and "" are one blank; numbers as written."""
    return "" if value is None else str(value)


def compare(expected: dict[str, Any], imported: dict[str, Any]) -> tuple[int, list[str]]:
    """(fields right, what is wrong): each legible field of ``expected`` against the
    import, then each field the import fills that ``expected`` does not hold."""
    want = leaves(expected)
    got = {
        path: value
        for path, value in leaves(imported).items()
        if path.split(".")[0].split("[")[0] not in _NOT_FIELDS
    }
    right = 0
    wrong: list[str] = []
    for path, value in want.items():
        # a blank kept beyond the template may be left out of the JSON (extras)
        present = path in got or ".extras." in f".{path}"
        if present and _shown(got.get(path)) == _shown(value):
            right += 1
        else:
            wrong.append(f"{path}: 应为 {value!r}，读到 {got.get(path, '（无）')!r}")
    for path, value in got.items():
        if path not in want and _shown(value) != "":
            wrong.append(f"{path}: 表上不可辨认，却读到 {value!r}")
    return right, wrong


def expected_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXPECTED / f"{path.name[:3]}.json").read_text("utf-8"))
    return data


def fidelity(path: Path) -> tuple[int, int, list[str]]:
    """(fields right, fields counted, what is wrong) for one sample."""
    expected = expected_of(path)
    try:
        forms = read_forms(path)
    except IngestError as e:
        return 0, len(leaves(expected)), [f"未能导入：{e}"]
    right, wrong = compare(expected, forms[0].to_json_dict())
    if len(forms) > 1:
        wrong.append(f"读出 {len(forms)} 张表，应为 1 张")
    return right, right + len(wrong), wrong


def _texts(value: Any) -> list[str]:
    """The printed texts of an expected form (``layout`` is the template's id, not text)."""
    return [v for k, v in leaves(value).items() if isinstance(v, str) and v and k != "layout"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:3])
def test_expected_texts_are_printed_in_the_sample(path):
    """The hand-checked values are the sample's own text (wraps, cell marks and a doc
    site's page markers aside), so a typo in an expected file cannot pass unseen."""
    source = re.sub(r"\s+|\|", "", path.read_text("utf-8"))
    source = re.sub(r"\d、", "", source)  # a doc site's page markers (021)
    for text in _texts(expected_of(path)):
        assert re.sub(r"\s+", "", text) in source or text in ("万元", "元"), text


def test_every_sample_has_its_expected_file():
    assert [p.name[:3] for p in FILES] == sorted(p.stem for p in EXPECTED.glob("*.json"))
    assert len(FILES) == 8


def test_import_fidelity_on_the_real_samples():
    """Per file and overall, the share of legible fields imported right."""
    total_right = total = 0
    report = []
    failures = []
    for path in FILES:
        right, counted, wrong = fidelity(path)
        total_right += right
        total += counted
        key = path.name[:3]
        report.append(f"{key}: {right}/{counted} = {right / counted:.1%}")
        if right / counted < FLOOR[key]:
            failures.append(f"{key} below {FLOOR[key]:.0%}:\n  " + "\n  ".join(wrong))
    report.append(f"overall: {total_right}/{total} = {total_right / total:.1%}")
    print("\n".join(report))
    assert not failures, "\n".join(failures)
    assert total_right / total >= OVERALL_FLOOR, "\n".join(report)


def test_compare_counts_wrong_and_invented_fields():
    expected = {"project": "甲", "funds": {"total": {"rate": "0.958", "score": None}}}
    imported = {
        "project": "甲",
        "funds": {"total": {"rate": "95.8", "score": None, "initial": "0"}},
        "gaps": ["x"],
    }
    right, wrong = compare(expected, imported)
    assert right == 2
    assert wrong == [
        "funds.total.rate: 应为 '0.958'，读到 '95.8'",
        "funds.total.initial: 表上不可辨认，却读到 '0'",
    ]


# Where each truncated sample stops (its last, cut-off cell): named in a gap, never a value.
CUT = {"001": "公众满", "006": "可", "008": "岗", "019": ">=9", "021": "是否达到国"}


@pytest.mark.parametrize("key", sorted(CUT))
def test_a_cut_off_form_names_where_it_stops(key):
    [path] = [p for p in FILES if p.name.startswith(key)]
    [form] = read_forms(path)
    assert any(f"“{CUT[key]}”处中断" in gap for gap in form.gaps), form.gaps
    texts = [v for v in leaves(form.to_json_dict()).values() if isinstance(v, str)]
    assert CUT[key] not in texts  # the cut cell is in no field


def test_every_sample_is_one_form_with_its_gaps_named():
    for path in FILES:
        forms = read_forms(path)
        assert len(forms) == 1, path.name
        assert all(isinstance(g, str) and g for g in forms[0].gaps)
        if "total_score" not in expected_of(path):  # no 总分 on the page: said so
            assert forms[0].partial, path.name


def test_blank_fund_rows_and_a_unit_beside_the_header_are_no_gaps():
    """Rows printed blank (其他资金 with no cell) are blank rows, not a gap; the unit in a
    cell next to the fund header (四川: 年度预算数(万元)) is the form's unit."""
    [form] = read_forms(FILES[0])  # 001: 上年结转资金 / 其他资金 with no cells
    assert not [g for g in form.gaps if "项目资金" in g]
    assert form.funds.other.initial is None
    [form] = read_forms(FILES[1])  # 003
    assert form.amount_unit == "万元"
    assert not [g for g in form.gaps if "金额单位" in g]
