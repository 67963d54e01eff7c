"""The PDF: A4 pages, embedded Noto CJK, the form's text, page numbers, long forms."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from jixiao.model import SelfEvaluation
from jixiao.render.pdf import render_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)


def pdf_text(pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True)
    return run.stdout.decode("utf-8")


def pdf_info(pdf: bytes, tmp_path: Path, tool: str = "pdfinfo") -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path)], capture_output=True, check=True, text=True).stdout


@pytest.fixture(scope="module")
def seed_pdf(oracle_forms: list[SelfEvaluation]) -> bytes:
    return render_pdf(oracle_forms)


def test_one_a4_page_per_seed_form_with_embedded_cjk_fonts(seed_pdf: bytes, tmp_path) -> None:
    info = pdf_info(seed_pdf, tmp_path)
    assert re.search(r"^Pages:\s+9$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    fonts = pdf_info(seed_pdf, tmp_path, "pdffonts")
    assert "NotoSerifCJK" in fonts.replace("-", "")
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # emb


def test_text_rows_come_out_in_form_order(seed_pdf: bytes, tmp_path) -> None:
    lines = pdf_text(seed_pdf, tmp_path, "-raw", "-f", "1", "-l", "1").splitlines()
    assert lines[:4] == [
        "财政项目支出绩效自评表",
        "（2024年度）",
        "项目名称 其他人员经费",
        "主管部门 江桥镇 实施单位 上海市嘉定区江桥镇城市运行管理中心",
    ]
    assert "年度资金总额： 1245.54 956.64 815.59 10.00 85.25 8.53" in lines
    assert "总成本控制率 ≤100.00(%) 100.00(%) 10.00 10.00" in lines
    assert [x for x in lines if x][-4:] == [
        "总分 100.00 98.53",
        "评分等级 优",
        "1 / 9",
        "第 1 页 共 1 页",
    ]


def test_every_project_and_total_is_in_the_text(
    seed_pdf: bytes, tmp_path, oracle_forms: list[SelfEvaluation]
) -> None:
    text = pdf_text(seed_pdf, tmp_path, "-raw")
    for form in oracle_forms:
        assert f"项目名称 {form.project}" in text
        assert f"总分 {form.total_weight} {form.total_score}" in text


def test_long_form_continues_with_header_repeated(
    oracle_forms: list[SelfEvaluation], tmp_path
) -> None:
    form = oracle_forms[6].model_copy(deep=True)
    form.indicators = form.indicators * 4  # 60 rows
    text = pdf_text(render_pdf([form]), tmp_path, "-raw")
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 3
    assert "第 1 页 共 " in pages[0]
    for page in pages[1:]:
        if page.strip():
            assert "三级指标 年度指标值 实际完成值 分值 得分" in page
    assert text.count("岗亭数量 =91(个) 91.00(个) 5.00 5.00") == 4


def test_reviewer_pdf_carries_the_annotations(
    oracle_forms: list[SelfEvaluation], shanghai, tmp_path
) -> None:
    from jixiao.render.reviewer import review_form

    form = oracle_forms[1]
    text = pdf_text(render_pdf([form], [review_form(form, shanghai)]), tmp_path, "-raw")
    assert "审核人视图" in text
    assert "计算一致" in text


def test_no_forms_is_an_error() -> None:
    with pytest.raises(ValueError):
        render_pdf([])
