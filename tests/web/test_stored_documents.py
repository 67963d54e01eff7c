"""Forms stored before the model refused control characters still open: the text is shown
without them, the page says which fields held them, and the next save stores it clean."""

from __future__ import annotations

import json

import pytest

from jixiao.model import form_from_stored
from jixiao.web.models import EvaluationForm, FormDocument

from .conftest import login, page_fields_of


def _poison(obj: EvaluationForm) -> None:
    """Write control characters into the stored document as an older version could have."""
    data = json.loads(obj.body.document)
    data["project"] = data["project"] + "\x00"
    data["indicators"][1]["name"] = "\x07" + data["indicators"][1]["name"]
    data["goals"]["achieved"] = data["goals"]["achieved"] + "\x1b\x85"
    FormDocument.objects.filter(form=obj).update(document=json.dumps(data, ensure_ascii=False))


def test_the_core_reads_such_a_document_with_the_characters_named():
    data = {
        "project": "城市\x00运行",
        "indicators": [{"name": "满意度"}, {"name": "\x07及时率", "target": "≥95%"}],
        "goals": {"expected": "一、\n二、", "achieved": "完成\x1b"},
    }
    form, notes = form_from_stored(data)
    assert form.project == "城市运行"
    assert form.indicators[1].name == "及时率"
    assert form.goals.expected == "一、\n二、"  # line breaks are text
    assert form.goals.achieved == "完成"
    assert notes == [
        "项目名称：去掉了控制字符 U+0000",
        "第2行指标·三级指标：去掉了控制字符 U+0007",
        "年度总体目标·实际完成情况：去掉了控制字符 U+001B",
    ]
    clean, none = form_from_stored({"project": "城市运行"})
    assert clean.project == "城市运行" and none == []


def test_other_problems_are_still_refused():
    from jixiao.model import FormFileError

    with pytest.raises(FormFileError, match="数字过大"):
        form_from_stored({"project": "p", "total_score": "1e999999999"})


def test_the_pages_work_and_name_the_fields(seed, users):
    obj = seed[0]
    _poison(obj)
    stored = EvaluationForm.objects.select_related("body").get(pk=obj.pk)
    assert stored.form.project == seed[0].project  # no exception: read without the characters
    assert "项目名称：去掉了控制字符 U+0000" in stored.document_notes
    c = login(users["filler"])
    page = c.get(f"/forms/{obj.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "含有不允许的控制字符" in text
    assert "第2行指标·三级指标：去掉了控制字符 U+0007" in text
    assert "年度总体目标·实际完成情况：去掉了控制字符 U+001B、U+0085" in text
    edit = c.get(f"/forms/{obj.pk}/edit/")
    assert edit.status_code == 200 and "含有不允许的控制字符" in edit.content.decode()
    for to in ("json", "html"):
        assert c.get(f"/forms/{obj.pk}/export/{to}/").status_code == 200
    # saving stores the text without them; the notice is gone
    fields = page_fields_of(stored)
    saved = c.post(f"/forms/{obj.pk}/edit/", fields)
    assert saved.status_code == 302
    again = EvaluationForm.objects.select_related("body").get(pk=obj.pk)
    assert "\\u0000" not in again.body.document and "\x85" not in again.body.document
    assert again.document_notes == []
    assert "含有不允许的控制字符" not in c.get(f"/forms/{obj.pk}/").content.decode()


def test_a_clean_document_has_no_notes(seed):
    obj = EvaluationForm.objects.select_related("body").get(pk=seed[0].pk)
    assert obj.document_notes == []
