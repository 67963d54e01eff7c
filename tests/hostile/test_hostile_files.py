"""The hostile corpus (issue 11): every file is refused with a Chinese message naming the
file, the place and the limit, in bounded memory, and ``jixiao import`` exits 2 with one
line and no traceback."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jixiao import limits
from jixiao.cli import app
from jixiao.ingest import IngestError, read_forms

from . import corpus

runner = CliRunner()
MB = 1024 * 1024

# (builder, its arguments, what the message must say)
REFUSED: dict[str, tuple[Callable[..., Path], dict[str, int], tuple[str, ...]]] = {
    "merge_bomb": (
        corpus.merge_bomb_xlsx,
        {},
        ("工作表“Sheet1”合并单元格 K1:XFD1048576 超过上限（最多 10000 个单元格）",),
    ),
    "far_cell": (corpus.far_cell_xlsx, {}, ("工作表“Sheet1”单元格 XFD1048576 超出上限",)),
    "zip_bomb": (
        corpus.zip_bomb_xlsx,
        {},
        ("部件 xl/worksheets/sheet1.xml 解压后大小", "超过上限（最多 50 MB）"),
    ),
    "shared_strings": (
        corpus.shared_strings_bomb_xlsx,
        {},
        ("共享字符串部件 xl/sharedStrings.xml 解压后大小", "超过上限（最多 20 MB）"),
    ),
    "cells_streamed": (
        corpus.many_cells_xlsx,
        {"cells": 250_000},
        ("工作表“Sheet1”的单元格超过上限（最多 200000 个）",),
    ),
    "huge_number_xlsx": (
        corpus.huge_number_xlsx,
        {},
        ("工作表“Sheet1”单元格 D5：数字超出范围",),
    ),
    "colspan": (
        corpus.colspan_html,
        {},
        ("第1个表格的单元格超过上限（最多 200000 个，含合并单元格覆盖的）",),
    ),
    "rowspan": (corpus.rowspan_html, {}, ("第1个表格的单元格超过上限",)),
    "tables": (
        corpus.many_tables_html,
        {},
        ("网页的表格、行、单元格和文字行超过上限（最多 200000 个，超出处在第200001个表格）",),
    ),
    "pages": (corpus.many_pages_pdf, {}, ("PDF 有 5000 页，超过上限（最多 2000 页）",)),
    "ruled_grid": (
        corpus.ruled_grid_pdf,
        {"lines": 100},
        ("第 1 页的表格线有 101 条横线、101 条竖线，超过上限（每页最多 5000 个交叉位置）",),
    ),
    "pages_lying": (
        corpus.many_pages_pdf,
        {"pages": 2100, "declared": 1},
        ("PDF 的页数超过上限（最多 2000 页）",),
    ),
    "huge_stream": (
        corpus.huge_stream_pdf,
        {},
        ("第 1 页的内容流解压后超过上限（每页最多 8 MB）",),
    ),
    "many_forms": (
        corpus.many_forms_json,
        {},
        ("文件中有 450000 张表，超过上限（每个文件最多 10000 张）",),
    ),
    "deep": (corpus.deep_json, {}, ("JSON 嵌套层数超过上限（最多 40 层）",)),
    "surrogate": (
        corpus.surrogate_json,
        {},
        ("forms[0].project: 含孤立代理字符 U+D800（第 1 个字符）",),
    ),
    "huge_amount": (
        corpus.huge_amount_json,
        {},
        ("forms[0].funds.total.executed: 数字过大（超过上限 10^20）",),
    ),
    "nul": (corpus.nul_json, {}, ("forms[0].project: 含不允许的控制字符 U+0000（第 3 个字符）",)),
    "gridspan_docx": (
        corpus.gridspan_docx,
        {},
        ("第1个表格第1行的单元格超出列数上限（最多 1000 列）",),
    ),
    "vmerge_docx": (
        corpus.vmerge_docx,
        {},
        ("第1个表格合并单元格 第1行第1列:第10001行第1列 超过上限（最多 10000 个单元格）",),
    ),
    "zip_bomb_docx": (
        corpus.zip_bomb_docx,
        {},
        ("部件 word/document.xml 解压后大小", "超过上限（最多 20 MB）"),
    ),
    "ratio_docx": (
        corpus.zip_bomb_docx,
        {"expanded": 8 * MB},
        ("部件 word/document.xml 的压缩比", "超过上限（最多 200:1，可能是压缩炸弹）"),
    ),
    "deep_docx": (corpus.deep_docx, {}, ("Word 文档正文的 XML 嵌套超过上限（最多 256 层）",)),
    "nested_docx": (
        corpus.deep_docx,
        {"depth": 40},
        ("第17个表格嵌套超过上限（表格里的表格最多 16 层）",),
    ),
    "paragraphs_docx": (
        corpus.many_paragraphs_docx,
        {},
        ("Word 文档的表格、行、单元格和段落超过上限（最多 200000 个，超出处在正文第200001段）",),
    ),
    "attributes_docx": (
        corpus.attributes_docx,
        {},
        ("Word 文档正文第2个段落或表格中有一个 XML 标签的属性超过上限（最多 10000 个）",),
    ),
    "crowded_cell_docx": (
        corpus.crowded_cell_docx,
        {"paragraphs": 800_000},
        ("Word 文档正文第2个段落或表格的 XML 元素超过上限（最多 400000 个）",),
    ),
}


@pytest.fixture(autouse=True)
def _default_limits():
    """The CLI puts its limits in force for the process: each test starts from the defaults."""
    limits.configure(None)
    yield
    limits.configure(None)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    """Every file of the corpus, built once (a few seconds for the compressed bombs)."""
    out = {}
    for key, (build, kwargs, _) in REFUSED.items():
        folder = tmp_path_factory.mktemp(key)
        out[key] = build(folder, **kwargs)
    return out


@pytest.mark.parametrize("key", list(REFUSED))
def test_refused_with_the_place_and_the_limit(hostile, key):
    path = hostile[key]
    tracemalloc.start()
    try:
        with pytest.raises(IngestError) as caught:
            read_forms(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    for part in REFUSED[key][2]:
        assert part in message, message
    assert "Traceback" not in message and "\n" not in message
    # Python-level allocations stay small (the file on disk is at most a few MB).
    assert peak < 200 * MB, f"{key}: peak {peak / MB:.0f} MB"


@pytest.mark.parametrize("key", ["merge_bomb", "zip_bomb", "pages", "huge_amount", "surrogate"])
def test_cli_import_exits_2_with_one_chinese_line(hostile, key):
    result = runner.invoke(app, ["import", str(hostile[key])])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert (len(lines) == 1 and lines[0].startswith("错误：") and "上限" in lines[0]) or (
        "代理字符" in lines[0]
    ), result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def _peak_rss_growth(path: Path) -> float:
    """MB the resident set grows by while one file is imported, in a fresh process."""
    code = (
        "import resource, sys\n"
        "from jixiao.ingest import IngestError, read_forms\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    read_forms(sys.argv[1])\n"
        "except IngestError:\n"
        "    pass\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print((after - before) / 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


@pytest.mark.parametrize(
    "key",
    [
        "zip_bomb",
        "cells_streamed",
        "many_forms",
        "pages",
        "rowspan",
        "paragraphs_docx",
        "crowded_cell_docx",
        "attributes_docx",
        "vmerge_docx",
    ],
)
def test_peak_memory_of_a_hostile_import_is_bounded(hostile, key):
    assert _peak_rss_growth(hostile[key]) < 300


def test_the_20_million_cell_workbook_is_refused_before_reading(tmp_path):
    path = corpus.many_cells_xlsx(tmp_path, cells=4_000_000)  # a 60 MB sheet part
    with pytest.raises(IngestError, match=r"部件 xl/worksheets/sheet1\.xml 解压后大小"):
        read_forms(path)


def test_a_zip_bomb_under_the_size_limit_is_refused_by_its_ratio(tmp_path):
    path = corpus.zip_bomb_xlsx(tmp_path, expanded=8 * MB)
    with pytest.raises(IngestError, match=r"压缩比 \d+:1 超过上限（最多 200:1，可能是压缩炸弹）"):
        read_forms(path)


def test_limits_lowered_for_one_run_refuse_what_the_defaults_accept(tmp_path):
    pdf = corpus.many_pages_pdf(tmp_path, pages=30)
    with (
        limits.use(max_pages=20),
        pytest.raises(IngestError, match="PDF 有 30 页，超过上限（最多 20 页）"),
    ):
        read_forms(pdf)
    with pytest.raises(IngestError) as caught:  # 30 pages are allowed: read, no form in them
        read_forms(pdf)
    assert "上限" not in str(caught.value)


def test_cli_options_override_the_limits(tmp_path):
    pdf = corpus.many_pages_pdf(tmp_path, pages=30)
    result = runner.invoke(app, ["--max-pages", "20", "import", str(pdf)])
    assert result.exit_code == 2
    assert "PDF 有 30 页，超过上限（最多 20 页）" in result.stderr
    result = runner.invoke(
        app, ["--limit", "max_forms=1", "import", str(corpus.many_forms_json(tmp_path, 3))]
    )
    assert result.exit_code == 2
    assert "文件中有 3 张表，超过上限（每个文件最多 1 张）" in result.stderr
    result = runner.invoke(app, ["--limit", "max_nothing=1", "import", str(pdf)])
    assert result.exit_code == 2 and "没有名为 max_nothing 的上限" in result.stderr


def test_environment_variables_set_the_limits():
    got = limits.Limits.from_env({"JIXIAO_MAX_PAGES": "3000", "JIXIAO_MAX_CELLS": "1_000"})
    assert (got.max_pages, got.max_cells, got.max_forms) == (3000, 1000, 10_000)
    with pytest.raises(ValueError, match="应为正整数"):
        limits.Limits.from_env({"JIXIAO_MAX_PAGES": "many"})
