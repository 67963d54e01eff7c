"""jixiao render: one file or a folder, reviewer mode, one-line Chinese errors (exit 2)."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from jixiao.cli import app

from .conftest import ORACLE

runner = CliRunner()


def test_render_html_to_one_file(tmp_path) -> None:
    target = tmp_path / "forms.html"
    result = runner.invoke(app, ["render", str(ORACLE), "--to", "html", "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.count('<section class="sheet">') == 9
    assert "计算" not in html
    assert "已输出 9 张表" in result.stdout


def test_render_xlsx_to_a_folder(tmp_path) -> None:
    folder = tmp_path / "out"
    result = runner.invoke(app, ["render", str(ORACLE), "--to", "xlsx", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 9
    assert names[3] == "004-信息化项目建设.xlsx"
    ws = openpyxl.load_workbook(folder / names[3])["自评表"]
    assert ws["C3"].value == "信息化项目建设"


def test_reviewer_html_annotates(tmp_path) -> None:
    target = tmp_path / "r.html"
    args = ["render", str(ORACLE), "--to", "html", "--reviewer", "-p", "shanghai", "-o"]
    result = runner.invoke(app, [*args, str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").count("审核人视图") == 9


def test_errors_are_one_chinese_line_with_exit_2(tmp_path) -> None:
    cases = [
        ["render", str(tmp_path / "missing.json")],
        ["render", str(ORACLE), "--to", "odt"],
        ["render", str(ORACLE), "--to", "docx", "--report"],
        ["render", str(ORACLE), "--to", "xlsx", "--reviewer"],
        ["render", str(ORACLE), "--to", "xlsx", "--report"],
        ["render", str(ORACLE), "--reviewer", "-p", "no-such-policy"],
    ]
    for args in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.strip().startswith("错误：")
        assert "Traceback" not in result.output


def test_report_from_the_seed_text(tmp_path) -> None:
    from .conftest import SEED_TEXT

    target = tmp_path / "审核意见书.html"
    args = ["render", str(SEED_TEXT), "--report", "-p", "shanghai", "--to", "html", "-o"]
    result = runner.invoke(app, [*args, str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.count('<section class="form">') == 9
    assert "审核意见 9：城维工程类" in html
