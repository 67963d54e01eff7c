"""Batch rendering: one file or a folder, with progress."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jixiao.model import SelfEvaluation
from jixiao.render.batch import file_name, render_bytes, render_folder


def test_file_names_are_numbered_and_safe() -> None:
    assert file_name(SelfEvaluation(project="信息化项目建设"), 3, "pdf") == "003-信息化项目建设.pdf"
    assert file_name(SelfEvaluation(project='a/b:c*"d" e'), 12, "xlsx") == "012-a_b_c_d_e.xlsx"
    assert file_name(SelfEvaluation(), 1, "html") == "001-未命名.html"


def test_folder_gets_one_file_per_form(oracle_forms: list[SelfEvaluation], tmp_path) -> None:
    seen: list[str] = []
    paths = render_folder(
        oracle_forms[:3], "xlsx", tmp_path / "out", progress=lambda f: seen.append(f.project)
    )
    assert [p.name for p in paths] == [
        "001-其他人员经费.xlsx",
        "002-活动经费.xlsx",
        "003-后勤保障经费.xlsx",
    ]
    assert seen == ["其他人员经费", "活动经费", "后勤保障经费"]
    book = openpyxl.load_workbook(paths[1])
    assert book["自评表"]["C3"].value == "活动经费"


@pytest.mark.parametrize("to", ["html", "xlsx", "pdf"])
def test_one_file_reports_progress_per_form(oracle_forms: list[SelfEvaluation], to: str) -> None:
    seen: list[int | None] = []
    data = render_bytes(oracle_forms[:2], to, progress=lambda f: seen.append(f.index))
    assert seen == [1, 2]
    magic = {"html": b"<!DOCTYPE html>", "xlsx": b"PK", "pdf": b"%PDF-"}[to]
    assert data.startswith(magic)
    if to == "xlsx":
        assert (
            len(openpyxl.load_workbook(io.BytesIO(data)).sheetnames) == 4
        )  # 汇总, two forms, 指标明细


def test_unknown_format_is_refused(oracle_forms: list[SelfEvaluation]) -> None:
    with pytest.raises(ValueError):
        render_bytes(oracle_forms[:1], "odt")
