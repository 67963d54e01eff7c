"""jixiao import: canonical JSON or a flat CSV, a summary, clear errors and exit codes."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.model import forms_from_json_text
from jixiao.tabular import COLUMNS
from jixiao.textform import write_forms

from .conftest import DATA, SEED_TEXT
from .forms import assert_same_form

runner = CliRunner()


def test_import_text_to_canonical_json(tmp_path, oracle_forms):
    out = tmp_path / "forms.json"
    result = runner.invoke(app, ["import", str(SEED_TEXT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "导入 9 张表（其中 0 张不完整），0 个文件未能导入" in result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == ["forms"] and len(doc["forms"]) == 9
    assert doc["forms"][0]["funds"]["total"]["initial"] == "1245.54"
    assert doc["forms"][0]["source"] == {
        "file": str(SEED_TEXT),
        "start_line": 2,
        "end_line": 176,
        "page": None,
    }
    for got, want in zip(forms_from_json_text(out.read_text("utf-8")), oracle_forms, strict=True):
        assert_same_form(got, want)


def test_import_json_to_stdout_reads_back(oracle_forms):
    result = runner.invoke(app, ["import", str(SEED_TEXT)])
    assert result.exit_code == 0
    forms = forms_from_json_text(result.stdout)
    assert [f.project for f in forms] == [f.project for f in oracle_forms]


def test_import_csv_one_row_per_indicator_with_bom(tmp_path):
    out = tmp_path / "forms.csv"
    result = runner.invoke(app, ["import", str(SEED_TEXT), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 100
    assert list(rows[0]) == list(COLUMNS)
    first = rows[0]
    assert first["project"] == "其他人员经费" and first["funds.total.initial"] == "1245.54"
    assert first["funds.fiscal.weight"] == ""  # "-" on the form
    assert first["name"] == "其他人员公用经费" and first["weight"] == "10.00"
    assert rows[-1]["project"] == "城维工程类" and rows[-1]["indicator"] == "10"
    assert rows[-1]["total_score"] == "97.94"


def test_import_directory_with_progress_and_summary(tmp_path, oracle_forms):
    for n in range(25):
        text = write_forms([oracle_forms[n % 9]])
        (tmp_path / f"f{n:02}.txt").write_text(text, encoding="gb18030" if n % 2 else "utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "ignored.gif").write_bytes(b"GIF89a")
    out = tmp_path / "all.json"
    result = runner.invoke(app, ["import", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 1  # one file could not be imported
    assert "共 26 个文件：导入 25 张表（其中 0 张不完整），1 个文件未能导入。" in result.stderr
    assert "broken.txt: 不是文本文件" in result.stderr
    assert len(json.loads(out.read_text("utf-8"))["forms"]) == 25


def test_import_reports_partial_forms(tmp_path):
    result = runner.invoke(app, ["import", str(DATA / "samples"), "-f", "csv"])
    assert result.exit_code == 0
    assert "张不完整" in result.stderr and "不完整 " in result.stderr
    assert result.stdout.startswith("source.file,")  # no BOM on standard output


def test_import_errors_exit_2_with_one_line(tmp_path):
    result = runner.invoke(app, ["import", str(tmp_path / "none.txt")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"错误：{tmp_path / 'none.txt'}: 文件不存在"
    other = tmp_path / "other.txt"
    other.write_text("会议纪要\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(other)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误：{other}: 未找到绩效自评表")
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["import", str(SEED_TEXT), "--format", "xml"])
    assert result.exit_code == 2 and "--format 只能是 json 或 csv" in result.stderr


def test_score_reads_text_directly():
    result = runner.invoke(app, ["score", str(SEED_TEXT), "-p", "shanghai", "-f", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["forms"]) == 9
    assert all(f["scorecard"]["matches"] for f in doc["forms"])


def test_a_defect_in_an_importer_is_reported_not_raised(tmp_path, monkeypatch):
    import jixiao.ingest.batch as batch

    def broken(path, progress=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(batch, "read_documents", broken)
    result = batch.import_file(SEED_TEXT)
    assert result.forms == [] and "内部错误（RuntimeError: boom）" in result.error


def test_import_of_a_json_file_without_forms_says_so(tmp_path):
    empty = tmp_path / "空.json"
    empty.write_text('{"forms": []}', encoding="utf-8")
    result = runner.invoke(app, ["import", str(empty)])
    assert result.exit_code == 2
    assert f"{empty}: 文件中没有自评表（forms 为空列表）" in result.stderr


def test_unwritable_output_is_explained_in_chinese(tmp_path):
    out = tmp_path / "没有这个目录" / "forms.json"
    result = runner.invoke(app, ["import", str(SEED_TEXT), "-o", str(out)])
    assert result.exit_code == 2
    assert f"{out}: 无法写入（文件或目录不存在）" in result.stderr


def test_os_reason_falls_back_to_the_system_words():
    from jixiao.messages import os_reason

    assert os_reason(PermissionError(13, "Permission denied")) == "没有访问权限"
    assert os_reason(OSError(5, "Input/output error")) == "Input/output error"
