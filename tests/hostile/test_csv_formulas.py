"""Exports that Excel or WPS open: no text cell can run as a formula (issue 11, part 7)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.model import Indicator, SelfEvaluation
from jixiao.render.xlsx import render_xlsx
from jixiao.tabular import COLUMNS, spreadsheet_safe, to_csv

runner = CliRunner()


@pytest.mark.parametrize(
    "text,written",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","点击")', '\'=HYPERLINK("http://x","点击")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("-3.5", "-3.5"),  # a number written as text stays a number
        ("+12", "+12"),
        ("-", "-"),  # the form's dash for "none"
        ("—", "—"),
        ("≥95%", "≥95%"),
        ("城市运行", "城市运行"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(text, written):
    assert spreadsheet_safe(text) == written


def _hostile_form() -> SelfEvaluation:
    return SelfEvaluation(
        project="=1+1",
        department="@部门",
        unit="-单位",
        funds={"total": {"initial": "-3.5", "adjusted": "100"}},
        indicators=[
            Indicator(
                level1="+产出",
                name="\t指标",
                target="-3.5",
                actual="=cmd|' /C calc'!A0",
                weight=Decimal("-3.5"),
                score=Decimal("2"),
                deviation="\r说明",
            )
        ],
    )


def test_csv_cells_cannot_run_and_numbers_stay_numbers():
    rows = list(csv.reader(io.StringIO(to_csv([_hostile_form()], bom=False))))
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["project"] == "'=1+1"
    assert row["department"] == "'@部门"
    assert row["unit"] == "'-单位"
    assert row["level1"] == "'+产出"
    assert row["name"] == "'\t指标"
    assert row["actual"] == "'=cmd|' /C calc'!A0"
    assert row["deviation"] == "'\r说明"
    assert row["target"] == "-3.5"
    assert row["funds.total.initial"] == "-3.5"  # a numeric column: a number
    assert row["weight"] == "-3.5"
    for value in rows[1]:
        assert not value.startswith(("=", "+", "@", "\t", "\r")) or value.startswith("'")


def test_cli_import_csv_is_safe(tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"forms": [_hostile_form().to_json_dict()]}), encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert (row["project"], row["actual"], row["weight"]) == (
        "'=1+1",
        "'=cmd|' /C calc'!A0",
        "-3.5",
    )


def test_excel_export_writes_formula_text_as_text():
    form = _hostile_form()
    form.title = '=HYPERLINK("http://x","点击")'
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx([form])))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value]
    texts = {c.value: c.data_type for c in cells if isinstance(c.value, str)}
    assert texts['=HYPERLINK("http://x","点击")'] == "s"  # a string, not a formula
    assert texts["=1+1"] == "s"
    assert all(c.data_type != "f" for c in cells)
