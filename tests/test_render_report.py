"""审核意见书 (HTML and PDF) and the reviewer mode fed by the audit."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from jixiao.audit import audit_forms
from jixiao.model import SelfEvaluation
from jixiao.render.html import render_html
from jixiao.render.report import render_report_html, render_report_pdf, write_report
from jixiao.render.reviewer import review_audit


class Rows(HTMLParser):
    """Rows of the summary table body, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: str | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = ""

    def handle_endtag(self, tag) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data) -> None:
        if self._cell is not None:
            self._cell += data


@pytest.fixture(scope="module")
def audits(oracle_forms: list[SelfEvaluation], shanghai):
    return audit_forms(oracle_forms, shanghai)


def test_summary_has_one_row_per_form_with_declared_and_computed(audits, shanghai) -> None:
    html = render_report_html(audits, shanghai)
    parser = Rows()
    parser.feed(html)
    rows = parser.rows
    assert len(rows) == 9
    activity = rows[1]  # 活动经费: 35 % spent, every indicator full marks
    assert activity[:7] == ["2", "活动经费", "35.00", "35.00", "93.50", "93.50", "优"]
    counts = [audits[1].count(s) for s in ("error", "warning", "info")]
    assert activity[7:10] == [str(n) for n in counts]
    assert counts[0] > 0
    assert activity[10] == "65.00"  # inflation: 100 % completion claimed vs 35 % spent
    assert html.count('<section class="form">') == 9


def test_each_finding_appears_with_place_and_fix(audits, shanghai) -> None:
    html = render_report_html(audits[1:2], shanghai)
    for f in audits[1].findings:
        assert f.rule in html
        assert f.title in html
    assert "审核结论：退回修改" in html
    assert "修改意见：" in html


def test_text_from_the_form_is_escaped(oracle_forms, shanghai) -> None:
    form = oracle_forms[0].model_copy(deep=True)
    form.project = "<script>x()</script>"
    html = render_report_html(audit_forms([form], shanghai), shanghai)
    assert "<script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_reviewer_mode_lists_the_audit_findings(audits, shanghai) -> None:
    review = review_audit(audits[1], shanghai)
    assert [f.rule for f in review.findings][: len(audits[1].findings)] == [
        f.rule for f in audits[1].findings
    ]
    html = render_html([audits[1].form], [review])
    assert f"审核意见（{len(review.findings)} 条）" in html
    assert "〔错误〕" in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_report_pdf_text(audits, shanghai, tmp_path) -> None:
    path = tmp_path / "r.pdf"
    path.write_bytes(render_report_pdf(audits[:2], shanghai))
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert text.startswith("审核意见书")
    assert "2 活动经费 35.00 35.00 93.50 93.50 优" in text
    assert "审核意见 2：活动经费" in text


def test_write_report_one_file_or_one_per_form(audits, shanghai, tmp_path) -> None:
    one = write_report(audits[:3], shanghai, "html", tmp_path / "all.html")
    assert one == [tmp_path / "all.html"]
    many = write_report(audits[:3], shanghai, "html", tmp_path / "dir")
    assert [p.name for p in many] == [
        "001-其他人员经费-审核意见.html",
        "002-活动经费-审核意见.html",
        "003-后勤保障经费-审核意见.html",
    ]
    assert "审核意见 1：活动经费" in many[1].read_text(encoding="utf-8")
