"""Hostile or careless requests get a Chinese answer, never a 500: ids no row can have,
digits that are not ASCII, long CJK file names, control characters in text fields."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.access import parse_id, parse_ids
from jixiao.web.models import EvaluationForm, Job
from tests.web.conftest import SEED_TEXT, login, page_fields_of

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
BAD_IDS = [HUGE, str(2**63), "①", "١٢", "1e9", "-3", "0", " ", "abc"]


def test_parse_id():
    assert parse_id("42") == 42
    assert parse_id(" 7 ") == 7
    assert parse_id(str(2**63 - 1)) == 2**63 - 1
    for bad in [*BAD_IDS, None, ""]:
        assert parse_id(bad) is None, bad
    assert parse_ids(["3", HUGE, "①", "3", "5"]) == [3, 5]


@pytest.mark.parametrize(
    "url",
    [
        f"/forms/{HUGE}/",
        f"/forms/{HUGE}/edit/",
        f"/forms/{2**63}/export/pdf/",
        f"/jobs/{HUGE}/",
        f"/rounds/{HUGE}/",
        f"/forms/{HUGE}/evidence/",
    ],
)
def test_ids_beyond_any_row_are_not_found(users, url):
    r = login(users["finance"]).get(url)
    assert r.status_code == 404
    assert "未找到" in r.content.decode()


@pytest.mark.parametrize("value", BAD_IDS)
def test_bad_ids_in_filters_and_ticked_lists_are_ignored(seed, users, value):
    c = login(users["admin"])
    for url in [
        f"/forms/?year={value}&unit={value}",
        f"/dashboard/?year={value}",
        f"/manage/users/?unit={value}",
        f"/manage/units/new/?parent={value}",
    ]:
        assert c.get(url).status_code == 200, url
    r = c.post("/forms/inbox/step/", {"action": "approve", "ids": [value]})
    assert r.status_code == 302  # "请先勾选表单"
    r = c.post("/forms/export/", {"to": "json", "ids": [value]})
    assert r.status_code == 302  # back to the list with "请先勾选要导出的表单"
    assert login(users["filler"]).post("/notifications/read/", {"ids": [value]}).status_code == 302


def test_a_long_cjk_file_name_is_imported_under_a_shortened_name(users):
    name = "江桥镇" * 100 + ".txt"  # 300 characters before the suffix
    r = login(users["filler"]).post(
        "/import/", {"files": [SimpleUploadedFile(name, SEED_TEXT.read_bytes())]}
    )
    assert r.status_code == 302
    job = Job.objects.get()
    [report] = job.report
    assert report["name"].endswith(".txt") and len(report["name"]) <= 120
    assert len(report["imported"]) == 9 and report["failed"] == []
    assert EvaluationForm.objects.count() == 9


def test_a_control_character_in_a_text_field_is_refused(seed, users):
    obj = seed[0]
    data = page_fields_of(obj)
    data["project"] = "微型消防站\x00运行经费"
    data["version"] = str(obj.version) if hasattr(obj, "version") else obj.updated_at.isoformat()
    r = login(users["filler"]).post(f"/forms/{obj.pk}/edit/", data)
    assert r.status_code == 400
    assert "控制字符" in r.content.decode()
    assert EvaluationForm.objects.get(pk=obj.pk).project == obj.project


@pytest.mark.parametrize("value", ["①", HUGE, "0", "99"])
def test_bad_row_numbers_in_notes_and_evidence_are_refused_in_chinese(seed, users, value):
    obj = seed[0]
    dept = login(users["dept"])
    r = dept.post(f"/forms/{obj.pk}/notes/", {"position": value, "text": "请补充"})
    assert r.status_code == 302  # back to the form with "请选择要批注的指标行"
    r = dept.post(f"/forms/{obj.pk}/notes/", {"reply_to": value, "text": "回复"})
    assert r.status_code == 404
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    r = login(users["filler"]).post(
        f"/forms/{obj.pk}/evidence/upload/", {"file": upload, "row": value}
    )
    assert r.status_code == 400
    assert "不存在，请刷新页面后重新选择" in r.content.decode()
