"""A scan's uncertain cells in the web: kept with the form at import (the field each fed,
page, box, what was read, a crop of the scan through storage), marked in the editor with
the crop beside the field and listed at its top, checked at a save; the crop only for
those who may see the form."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest
from django.core.files.storage import storages

from jixiao.model import ScanCell
from jixiao.web import scan_cells
from jixiao.web.models import EvaluationForm, UncertainCell
from tests.web.conftest import login, page_fields_of
from tests.web.test_transfer import import_files, imported_forms, upload


def _png(text: str = "5.00") -> bytes:
    image = np.full((40, 160), 255, np.uint8)
    cv2.putText(image, text, (8, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2)
    return cv2.imencode(".png", image)[1].tobytes()


def _cells(obj: EvaluationForm) -> list[ScanCell]:
    """Three uncertain cells as the importer keeps them: a head field, a fund cell, an
    indicator row's 实际完成值, and one that fed no field."""
    form = obj.form
    return [
        ScanCell(
            path="project",
            page=1,
            box=(182, 120, 630, 155),
            text=form.project,
            confidence=0.83,
            note=f"第1页表格第2行第2列：文字识别存疑（置信度 0.83），读作“{form.project}”",
            crop=_png("project"),
        ),
        ScanCell(
            path="funds.total.executed",
            page=1,
            box=(500, 300, 630, 335),
            text=str(form.funds.total.executed),
            confidence=0.61,
            note="第1页表格第6行第4列（年度资金总额·全年执行数）：文字识别存疑（置信度 0.61）",
            crop=_png("956.64"),
        ),
        ScanCell(
            path="indicators.2.actual",
            page=1,
            box=(632, 784, 762, 819),
            text=form.indicators[2].actual,
            confidence=0.7,
            note="第1页表格第13行第6列（实际完成值）：文字识别存疑（置信度 0.70）",
            crop=_png("100%"),
        ),
        ScanCell(
            path="",
            page=1,
            box=(10, 10, 300, 40),
            text="绩效自评表",
            confidence=0.5,
            note="第1页表格外文字：文字识别存疑（置信度 0.50）",
            crop=_png("title"),
        ),
    ]


def _cell(path: str, text: str, confidence: float, note: str) -> ScanCell:
    """One uncertain cell of page 1 as the importer keeps it, with a crop of ``text``."""
    box = (500, 400, 630, 435)
    return ScanCell(
        path=path, page=1, box=box, text=text, confidence=confidence, note=note, crop=_png(text)
    )


@pytest.fixture
def scanned(seed, users) -> EvaluationForm:
    obj = seed[0]
    scan_cells.keep(obj, _cells(obj))
    return obj


def _marked(html: str) -> dict[str, str]:
    """Inputs marked uncertain: name → title."""
    out = {}
    for tag in re.findall(r"<(?:input|textarea)[^>]*\bclass=\"[^\"]*uncertain[^\"]*\"[^>]*>", html):
        out[re.search(r'name="([^"]+)"', tag)[1]] = re.search(r'title="([^"]+)"', tag)[1]
    return out


def test_the_editor_marks_each_uncertain_field_with_its_crop(scanned, users) -> None:
    client = login(users["filler"])
    html = client.get(f"/forms/{scanned.pk}/edit/").content.decode()
    assert "待核对的识别结果（4 处）" in html
    assert _marked(html) == {
        "project": "识别不确定：请对照扫描件核对（置信度 0.83）",
        "funds.total.executed": "识别不确定：请对照扫描件核对（置信度 0.61）",
        "ind_actual": "识别不确定：请对照扫描件核对（置信度 0.70）",
    }
    cells = list(UncertainCell.objects.filter(form=scanned))
    for cell in cells:
        assert f'src="/forms/{scanned.pk}/scan/{cell.pk}.png"' in html
    linked = re.findall(r'<a href="#scan-(\d+)">', html)
    assert sorted(map(int, linked)) == sorted(c.pk for c in cells if c.path)
    # the one that fed no field is listed with its crop, not linked
    assert "第1页表格外文字：文字识别存疑（置信度 0.50）（未对应到可编辑的字段）" in html
    # the indicator mark is on row 3 (stored position 2) only
    rows = re.findall(r'<tr class="indicator-row">.*?</tr>', html, re.S)
    assert ["uncertain" in r for r in rows[:4]] == [False, False, True, False]


def test_the_crop_is_served_to_those_who_may_see_the_form(scanned, users) -> None:
    cell = UncertainCell.objects.filter(form=scanned).first()
    url = f"/forms/{scanned.pk}/scan/{cell.pk}.png"
    for who in ("filler", "dept", "finance"):
        r = login(users[who]).get(url)
        assert r.status_code == 200, who
        assert r["Content-Type"] == "image/png"
        assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    for who in ("school_filler", "edu", "sq_filler"):
        assert login(users[who]).get(url).status_code == 404, who
    other = UncertainCell.objects.create(
        form=EvaluationForm.objects.exclude(pk=scanned.pk).first(),
        page=1, x0=0, y0=0, x1=1, y1=1, confidence=0.5, note="x",
    )  # fmt: skip
    # a cell of another form under this form's URL: not found
    assert login(users["filler"]).get(f"/forms/{scanned.pk}/scan/{other.pk}.png").status_code == 404
    r = login(users["filler"]).get(f"/forms/{scanned.pk}/scan/999999.png")
    assert r.status_code == 404
    from django.test import Client

    assert Client().get(url).status_code in (302, 404)  # not signed in: never the image


def test_saving_checks_the_ticked_and_the_changed_cells(scanned, users) -> None:
    client = login(users["filler"])
    cells = {c.path: c for c in UncertainCell.objects.filter(form=scanned)}
    data = page_fields_of(scanned)
    data["scan_open"] = "1"
    data["scan_checked"] = [str(cells["project"].pk)]  # confirmed as read
    data["funds.total.executed"] = "956.00"  # corrected
    # rows moved: the first row goes last; the uncertain row (stored 2) is now the second
    order = [1, 2, 3, 0, *range(4, len(data["ind_origin"]))]
    for key, values in list(data.items()):
        if key.startswith("ind_"):
            data[key] = [values[i] for i in order]
    r = client.post(f"/forms/{scanned.pk}/edit/", data)
    assert r.status_code == 302
    after = {c.pk: c for c in UncertainCell.objects.filter(form=scanned)}
    assert after[cells["project"].pk].checked_by == users["filler"]
    assert after[cells["funds.total.executed"].pk].checked_at is not None
    moved = after[cells["indicators.2.actual"].pk]
    assert moved.checked_at is None and moved.path == "indicators.1.actual"
    assert after[cells[""].pk].checked_at is None
    html = client.get(f"/forms/{scanned.pk}/edit/").content.decode()
    assert "待核对的识别结果（2 处）" in html
    assert list(_marked(html)) == ["ind_actual"]
    rows = re.findall(r'<tr class="indicator-row">.*?</tr>', html, re.S)
    assert ["uncertain" in r for r in rows[:3]] == [False, True, False]
    # deleting the row checks its cell; the crops stay for the record
    data = page_fields_of(EvaluationForm.objects.get(pk=scanned.pk))
    data["scan_open"] = "1"
    for key, values in list(data.items()):
        if key.startswith("ind_"):
            data[key] = values[:1] + values[2:]
    assert client.post(f"/forms/{scanned.pk}/edit/", data).status_code == 302
    assert UncertainCell.objects.get(pk=moved.pk).checked_at is not None
    assert storages["default"].exists(UncertainCell.objects.get(pk=moved.pk).crop.name)


def test_a_form_without_scan_cells_shows_no_list(seed, users) -> None:
    html = login(users["filler"]).get(f"/forms/{seed[0].pk}/edit/").content.decode()
    assert "待核对的识别结果" not in html and "uncertain" not in html
    assert 'name="scan_open"' not in html


def test_a_scan_imported_keeps_its_uncertain_cells_with_crops(tree, users, seed_forms, monkeypatch):
    """One sealed, skewed, speckled page through the web import and real OCR: each
    uncertain cell is stored with its field, page, box and a crop in storage, named in
    the form's gaps, and marked in the editor."""
    from jixiao.model import field_values
    from jixiao.render.pdf import render_pdf
    from jixiao.synthetic_scan import degrade, encode, rasterise

    monkeypatch.setenv("JIXIAO_OCR_THREADS", "1")
    [page] = rasterise(render_pdf(seed_forms[:1]), 150)
    scan = encode(degrade(page, seed=0, skew=1.8), "png")
    client = login(users["filler"])
    [report] = import_files(client, [upload("扫描件.png", scan)]).context["job"].report
    [obj] = imported_forms(report)
    cells = list(UncertainCell.objects.filter(form=obj))
    assert cells
    form = obj.form
    values = dict(field_values(form))
    for cell in cells:
        assert cell.note in form.gaps
        assert cell.page == 1 and 0 <= cell.x0 < cell.x1 <= 1300 and 0 <= cell.y0 < cell.y1 <= 1800
        assert cell.checked_at is None
        with storages["default"].open(cell.crop.name, "rb") as f:
            png = f.read()
        assert png.startswith(b"\x89PNG") and len(png) < 20_000
        if cell.path:
            assert cell.path in values
    placed = [c for c in cells if c.path]
    assert len(placed) >= 0.8 * len(cells)
    html = client.get(f"/forms/{obj.pk}/edit/").content.decode()
    assert f"待核对的识别结果（{len(cells)} 处）" in html
    marked = _marked(html)
    assert marked and all(
        t.startswith("识别不确定：请对照扫描件核对（置信度 0.") for t in marked.values()
    )


def _ticked(html: str) -> dict[int, bool]:
    """Each 已核对 box on the page: cell → ticked."""
    boxes = re.findall(r'name="scan_checked" value="(\d+)" form="edit-form"( checked)?', html)
    return {int(pk): bool(on) for pk, on in boxes}


def test_adopting_a_computed_value_keeps_the_ticked_boxes(scanned, users) -> None:
    """采用计算值 without JavaScript draws the page again, not saved: the 已核对 boxes the
    user ticked are ticked again, and nothing is checked yet."""
    client = login(users["filler"])
    cells = {c.path: c.pk for c in UncertainCell.objects.filter(form=scanned)}
    data = page_fields_of(scanned)
    data["scan_open"] = "1"
    data["scan_checked"] = [str(cells["project"]), str(cells[""])]
    data["total_score"] = "1.00"  # not the sum: 采用计算值 has something to fill in
    data["adopt"] = "total_score"
    r = client.post(f"/forms/{scanned.pk}/edit/", data)
    assert r.status_code == 200
    html = r.content.decode()
    assert "已采用计算值，尚未保存。" in html
    assert _ticked(html) == {pk: path in ("project", "") for path, pk in cells.items()}
    assert not UncertainCell.objects.filter(form=scanned, checked_at__isnull=False).exists()
    # a failed save draws the ticks again too
    data.pop("adopt")
    data["year"] = "二〇二四"
    r = client.post(f"/forms/{scanned.pk}/edit/", data)
    assert r.status_code == 400
    assert _ticked(r.content.decode()) == {
        pk: path in ("project", "") for path, pk in cells.items()
    }


def test_a_target_an_approved_declaration_locks_is_marked_on_its_input(tree, users) -> None:
    from django.urls import reverse

    from jixiao.generate_plans import generate_year
    from tests.web.test_plans_web import _approved

    docs = generate_year(1, seed=21)
    plan = docs.declarations[0]
    _approved(tree, users, docs)
    client = login(users["filler"])
    client.post(
        reverse("form-new"),
        {"unit": tree.chengyun.pk, "year": str(plan.year), "project": plan.project},
    )
    obj = EvaluationForm.objects.get()
    target = plan.indicators[1].target
    note = "第1页表格第13行第4列（年度指标值）：文字识别存疑（置信度 0.66）"
    scan_cells.keep(
        obj,
        [_cell("indicators.1.target", target, 0.66, note)],
    )
    cell = UncertainCell.objects.get(form=obj)
    html = client.get(f"/forms/{obj.pk}/edit/").content.decode()
    assert f'<a href="#scan-{cell.pk}">{note}</a>' in html  # listed, linked …
    rows = re.findall(r'<tr class="indicator-row">.*?</tr>', html, re.S)
    [tag] = re.findall(r'<input name="ind_target"[^>]*>', rows[1])
    assert f'id="scan-{cell.pk}"' in tag  # … to its input, which stays read-only
    assert 'readonly class="approved uncertain"' in tag
    assert 'title="批复的年度指标值，不能修改；识别不确定：请对照扫描件核对（置信度 0.66）"' in tag
    assert f'id="scan-note-{cell.pk}"' in rows[1]  # the crop and 已核对 beside it
    assert "uncertain" not in rows[0] + rows[2]


def test_a_cell_of_an_added_fund_row_is_marked_and_checked_when_corrected(
    tree, users, seed_forms
) -> None:
    from decimal import Decimal

    from jixiao.model import FundRow, field_values
    from jixiao.web import records

    form = seed_forms[0].model_copy(deep=True)
    label = "其中：财政专户管理资金"  # the layout's row is 财政专户管理资金: the same row
    form.funds.extras[label] = FundRow(initial=Decimal("10.00"), executed=Decimal("8.00"))
    obj = records.create(tree.chengyun, form, users["filler"])
    path = f"funds.extras.{label}.executed"
    assert dict(field_values(obj.form))[path] == Decimal("8.00")
    note = "第1页表格第9行第4列（财政专户管理资金·全年执行数）：文字识别存疑（置信度 0.55）"
    scan_cells.keep(obj, [_cell(path, "8.00", 0.55, note)])
    cell = UncertainCell.objects.get(form=obj)
    client = login(users["filler"])
    html = client.get(f"/forms/{obj.pk}/edit/").content.decode()
    assert _marked(html) == {"fundx.0.executed": "识别不确定：请对照扫描件核对（置信度 0.55）"}
    assert f'<a href="#scan-{cell.pk}">' in html
    # saved unchanged: still waiting; corrected: checked
    data = page_fields_of(obj)
    data.update({"scan_open": "1", "fundx.0.initial": "10.00", "fundx.0.executed": "8.00"})
    assert client.post(f"/forms/{obj.pk}/edit/", data).status_code == 302
    assert UncertainCell.objects.get(pk=cell.pk).checked_at is None
    obj.refresh_from_db()
    data = page_fields_of(obj)
    data.update({"scan_open": "1", "fundx.0.initial": "10.00", "fundx.0.executed": "9.00"})
    assert client.post(f"/forms/{obj.pk}/edit/", data).status_code == 302
    assert UncertainCell.objects.get(pk=cell.pk).checked_by == users["filler"]
    obj.refresh_from_db()
    assert obj.form.funds.extras[label].executed == Decimal("9.00")


def test_the_forms_page_says_how_many_cells_wait_to_be_checked(scanned, users) -> None:
    client = login(users["filler"])
    html = client.get(f"/forms/{scanned.pk}/").content.decode()
    notice = re.search(r'<p class="note scan-pending" id="scan-pending"[^>]*>(.*?)</p>', html, re.S)
    assert notice is not None
    text = re.sub(r"<[^>]+>", "", notice[1])
    assert text == (
        "本表由扫描件文字识别读入，有 4 处识别结果待核对：到编辑页对照扫描件核对。"
        "审核等操作不会将其视为已核对。"
    )
    assert f'href="/forms/{scanned.pk}/edit/#scan-doubts"' in notice[1]
    # a reviewer (who may not edit) is told who checks them, with no link to the editor
    html = login(users["dept"]).get(f"/forms/{scanned.pk}/").content.decode()
    assert "有 <b>4</b> 处识别结果待核对，由可编辑本表的人员在编辑页对照扫描件核对" in html
    # checked in the editor: the count goes down, and at none the notice is gone
    cells = list(UncertainCell.objects.filter(form=scanned))
    data = page_fields_of(scanned)
    data["scan_open"] = "1"
    data["scan_checked"] = [str(c.pk) for c in cells[:3]]
    assert client.post(f"/forms/{scanned.pk}/edit/", data).status_code == 302
    html = client.get(f"/forms/{scanned.pk}/").content.decode()
    assert "有 <b>1</b> 处识别结果待核对" in html
    data = page_fields_of(EvaluationForm.objects.get(pk=scanned.pk))
    data["scan_open"] = "1"
    data["scan_checked"] = [str(cells[3].pk)]
    assert client.post(f"/forms/{scanned.pk}/edit/", data).status_code == 302
    assert 'id="scan-pending"' not in client.get(f"/forms/{scanned.pk}/").content.decode()


def test_a_reviewers_step_checks_no_cell_and_says_they_wait(scanned, users) -> None:
    """Only a save in the editor checks a cell: 送审 and 审核通过 leave them waiting, and
    the step's confirmation page says how many."""
    from django.urls import reverse

    filler = login(users["filler"])
    url = reverse("form-transition", args=[scanned.pk])
    page = filler.get(url, {"action": "submit"}).content.decode()
    assert "尚有 <b>4</b> 处识别结果待核对；“送审”不会将其视为已核对" in page
    assert f'<a href="/forms/{scanned.pk}/edit/#scan-doubts">到编辑页对照扫描件核对</a>' in page
    assert filler.post(url, {"action": "submit", "confirm": "1"}).status_code == 302
    scanned.refresh_from_db()
    assert scanned.status == "unit_review"
    reviewer = login(users["unit_reviewer"])
    page = reviewer.get(url, {"action": "approve"}).content.decode()
    assert "尚有 <b>4</b> 处识别结果待核对；“审核通过”不会将其视为已核对" in page
    assert reviewer.post(url, {"action": "approve", "confirm": "1"}).status_code == 302
    scanned.refresh_from_db()
    assert scanned.status == "department_review"
    assert UncertainCell.objects.filter(form=scanned, checked_at__isnull=True).count() == 4
