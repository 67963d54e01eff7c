"""Flattenings no reader can bring back exactly (#16 item 4): two different forms whose text,
as the flattening prints it, is the same byte for byte. No reader can give each of them
back; what jixiao does instead is read what the text decides and name the rest in a gap,
so that neither form's values are taken silently (``unexplained`` is empty against both).

- ``pdftotext``'s default mode prints the merged 一级 / 二级 cells as a block apart from
  the rows (after them, or before the first), with nothing that ties a label to its rows:
  rows moved from one 二级 group to the next print the same.
- LibreOffice draws a sheet in two passes: first the cells of plain text (one script, one
  line), row by row, then the cells its edit engine lays out (mixed scripts, such as
  ``2小时内``, or wrapped text), row by row. ``pdftotext -raw`` keeps that order, so a row
  prints its plain cells on its line and its mixed-script cells after the table: which of
  年度指标值 / 实际完成值 a row's plain cell was is not in the text."""

from __future__ import annotations

import shutil

import pytest

from jixiao.flattenings import pdftotext
from jixiao.generate import layout_forms
from jixiao.ingest import read_text
from jixiao.model import SelfEvaluation
from jixiao.render import render_xlsx
from jixiao.render.pdf import render_pdf

from .forms import SOFFICE, lo_convert, unexplained

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils) is not installed"
)


def _form() -> SelfEvaluation:
    [form] = layout_forms(1, "national-2020", seed=100)
    return form


def _honest_to_both(text: str, a: SelfEvaluation, b: SelfEvaluation) -> SelfEvaluation:
    """The form read from ``text``: every field in which it differs from ``a`` or from
    ``b`` is named by a gap."""
    [got] = read_text(text, "flattened.txt")
    assert unexplained(got, a) == []
    assert unexplained(got, b) == []
    return got


def test_default_mode_prints_two_groupings_of_the_rows_alike():
    a = _form()
    k = 8  # the first 质量指标 row, after seven 数量指标 rows
    assert [r.level2 for r in a.indicators[k - 1 : k + 2]] == ["数量指标", "质量指标", "质量指标"]
    b = a.model_copy(deep=True)
    b.indicators[k].level2 = "数量指标"  # eight 数量指标 rows, then five 质量指标
    text = pdftotext(render_pdf([a]), "")
    assert pdftotext(render_pdf([b]), "") == text
    # the level labels stand after the rows, as a block of their own
    assert text.index("课后服务督导检查次数") < text.index("数量\n指标\n\n产出\n指标\n质量\n指标")
    got = _honest_to_both(text, a, b)
    assert any("一级 / 二级指标的文字与指标行分开印出" in gap for gap in got.gaps)
    assert {(r.level1, r.level2) for r in got.indicators} == {("", "")}
    # the rows' own cells are what the text decides, and they come back
    want = [(r.name, r.target, r.actual, r.weight, r.score) for r in a.indicators]
    assert [(r.name, r.target, r.actual, r.weight, r.score) for r in got.indicators][:5] == want[:5]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_prints_a_rows_mixed_script_cell_after_the_table(tmp_path):
    a = _form()
    k = 15
    row = a.indicators[k]
    assert (row.name, row.target, row.actual) == ("教学设备更新响应时间", "2小时内", "已完成")
    b = a.model_copy(deep=True)
    b.indicators[k].target, b.indicators[k].actual = row.actual, row.target
    (tmp_path / "a.xlsx").write_bytes(render_xlsx([a]))
    (tmp_path / "b.xlsx").write_bytes(render_xlsx([b]))
    lo_convert([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], "pdf", tmp_path)
    text = pdftotext((tmp_path / "a.pdf").read_bytes(), "-raw")
    assert pdftotext((tmp_path / "b.pdf").read_bytes(), "-raw") == text
    # the plain cell on the row's line, the mixed-script one after 总分
    assert "\n教学设备更新响应时间 已完成 3.00 3.00\n" in text
    assert text.index("\n2小时内\n") > text.index("\n总分 ")
    got = _honest_to_both(text, a, b)
    assert any("教学设备更新响应时间" in gap for gap in got.gaps)
