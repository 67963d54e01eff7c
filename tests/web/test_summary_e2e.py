"""The 自评总结报告 in a real browser under the site's real CSP: a 主管部门 reviewer finds the
button on 统计分析, chooses the forms and gets the Word file from the job page; 财政 starts
from a unit's row on the unit tree, is told why a choice gives nothing, and gets the PDF."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from pypdf import PdfReader

from tests.web import test_e2e, test_summary_web  # skips this module when Playwright is missing
from tests.web.test_e2e import log_in

pytestmark = test_e2e.pytestmark
browser = test_e2e.browser
strict_page = test_e2e.strict_page
states = test_summary_web.states
rnd = test_summary_web.rnd


def test_a_department_reviewer_downloads_the_word_report(strict_page, users, tree, states, rnd):
    page = strict_page
    log_in(page, "dept")
    page.click("nav a:has-text('统计分析')")
    page.click("#summary-button")
    page.wait_for_url("**/summary/?node=*")
    assert page.locator("#id_node option:checked").inner_text().strip() == "江桥镇（主管部门）"
    page.select_option("#id_round", label="2024年度项目支出绩效自评（2024年度）")
    page.check("input[name=states][value=approved]")
    page.click("#summary-docx")
    page.wait_for_url("**/jobs/*/")
    assert page.locator("h1").inner_text() == "总结报告（Word）：江桥镇 2024年度"
    with page.expect_download() as info:
        page.click("#job-download")
    download = info.value
    assert download.suggested_filename == "江桥镇2024年度项目支出绩效自评总结报告.docx"
    texts = [p.text for p in Document(io.BytesIO(Path(download.path()).read_bytes())).paragraphs]
    assert texts[0] == "江桥镇2024年度部门项目支出绩效自评总结报告"
    assert "应开展绩效自评的项目 11 个，已提交自评表 6 张，自评覆盖率 54.55%。" in texts


def test_finance_starts_from_the_unit_tree_and_gets_the_pdf(
    strict_page, users, tree, states, school_form
):
    page = strict_page
    log_in(page, "finance")
    page.click("nav a:has-text('系统管理')")
    page.click(f"tr[data-unit='{tree.school.pk}'] a.summary-link")
    page.wait_for_url(f"**/summary/?node={tree.school.pk}")
    page.click("#summary-pdf")  # 已送审 by default: the school's one form is a draft
    alert = page.locator("#summary-errors").inner_text()
    assert "没有符合条件的表，请换一个年度，或选择统计全部表" in alert
    page.check("input[name=states][value=all]")
    page.click("#summary-pdf")
    page.wait_for_url("**/jobs/*/")
    with page.expect_download() as info:
        page.click("#job-download")
    pdf = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    text = "".join("".join(p.extract_text().split()) for p in pdf.pages)
    assert "上海市嘉定区实验小学2024年度部门项目支出绩效自评总结报告" in text
    assert "实验小学校园安保服务" in text
