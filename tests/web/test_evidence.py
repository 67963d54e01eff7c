"""佐证材料: type by content, size, who may add/delete/see them, rows, ZIP export, deletion, gc."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from jixiao.web import records, workflow
from jixiao.web.evidence import place
from jixiao.web.evidence_kinds import KINDS, Refused, detect, download_name
from jixiao.web.models import Attachment, EvaluationForm, Event
from jixiao.web.settings import file_storage
from jixiao.web.uploads import clean_name
from tests.web.conftest import login

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100


# --- test files ------------------------------------------------------------------------


def zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    """A Word document as Word writes one (content types, relationships, main part)."""
    types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    return zip_of(
        {
            "[Content_Types].xml": types,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document/>",
        }
    )


def xlsx() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "满意度调查"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def odt() -> bytes:
    return zip_of(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
    )


def compound_file(stream_name: str, size: int = 4096) -> bytes:
    """A minimal OLE2 compound document with one stream: the shape of a Word/Excel/PowerPoint
    97-2003 file (stream WordDocument / Workbook / PowerPoint Document) or of an .msi."""
    free, end, fat_sector, none = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    sectors = -(-size // 512)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,  # one FAT sector (sector 0)
        1,  # the directory in sector 1
        0,
        4096,
        end,
        0,
        end,
        0,
    ) + struct.pack("<109I", 0, *([free] * 108))
    fat = [fat_sector, end] + [3 + i for i in range(sectors - 1)] + [end]
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        colour = 1 if name else 0
        return struct.pack(
            "<64sHBBIII16sIQQIQ", raw, len(raw), kind, colour, none, none, child, b"\0" * 16,
            0, 0, 0, start, length,
        )  # fmt: skip

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry(stream_name, 2, none, 2, size)
        + entry("", 0, none, 0, 0) * 2
    )
    body = (b"jixiao" * size)[:size].ljust(sectors * 512, b"\0")
    return header + struct.pack("<128I", *fat) + directory + body


# --- kind by content --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (PNG, "png"),
        (b"GIF89a\x01\x00\x01\x00", "gif"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"BM" + b"\x00" * 12 + struct.pack("<I", 40) + b"\x00" * 40, "bmp"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (docx(), "docx"),
        (xlsx(), "xlsx"),
        (odt(), "odt"),
        (zip_of({"照片/1.jpg": b"\xff\xd8\xff", "说明.txt": "满意度".encode()}), "zip"),
        (compound_file("WordDocument"), "doc"),
        (compound_file("Workbook"), "xls"),
        (compound_file("PowerPoint Document"), "ppt"),
    ],
)
def test_kind_comes_from_the_content(data: bytes, kind: str) -> None:
    assert detect(io.BytesIO(data)).key == kind


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (EXE, "Windows 可执行程序"),
        (HTML, "网页（HTML）"),
        (b"", "空的"),
        (b"just some text\n", "无法识别的格式"),
        (b"PK\x03\x04" + b"\x00" * 60, "ZIP 文件已损坏"),
        (compound_file("\x05SummaryInformation"), "不是 Word、Excel 或 PowerPoint 文件"),
        (b"Rar!\x1a\x07\x00", "RAR 压缩包"),
    ],
)
def test_other_content_is_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        detect(io.BytesIO(data))


def test_a_zip_claiming_to_be_word_without_its_main_part_is_a_plain_zip() -> None:
    fake = zip_of({"[Content_Types].xml": b"wordprocessingml.document.main+xml", "a.exe": EXE})
    assert detect(io.BytesIO(fake)).key == "zip"


def test_names_fit_the_content() -> None:
    assert download_name("满意度调查.docx", KINDS["pdf"]) == "满意度调查.pdf"
    assert download_name("照片.JPG", KINDS["jpeg"]) == "照片.JPG"
    assert download_name("无后缀", KINDS["pdf"]) == "无后缀.pdf"
    assert download_name("台账.et", KINDS["xls"]) == "台账.et"
    long = "很长的名字" * 40 + ".pdf"
    cut = clean_name(long)
    assert len(cut) == 120 and cut.endswith(".pdf") and cut.startswith("很长的名字")
    assert clean_name("C:\\Users\\张三\\证明\x00.pdf") == "证明.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("") == "文件"


def test_file_storage_from_the_environment() -> None:
    assert file_storage({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    s3 = file_storage(
        {
            "JIXIAO_S3_BUCKET": "jixiao-evidence",
            "JIXIAO_S3_ENDPOINT_URL": "http://minio:9000",
            "JIXIAO_S3_ACCESS_KEY_ID": "ak",
            "JIXIAO_S3_SECRET_ACCESS_KEY": "sk",
            "JIXIAO_S3_PREFIX": "/jiading/",
        }
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"] == {
        "bucket_name": "jixiao-evidence",
        "location": "jiading",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "endpoint_url": "http://minio:9000",
        "access_key": "ak",
        "secret_key": "sk",
    }


# --- the web ----------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path / "media"


@pytest.fixture
def form(seed: list[EvaluationForm], media: Path) -> EvaluationForm:
    return seed[0]


def upload(client, obj: EvaluationForm, name: str, data: bytes, row: str = "", **extra):
    return client.post(
        f"/forms/{obj.pk}/evidence/upload/",
        {"file": SimpleUploadedFile(name, data), "row": row, "note": "第三方调查报告"},
        **extra,
    )


def stored(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_a_pdf_named_docx_is_stored_as_a_pdf(form, users, media) -> None:
    r = upload(login(users["filler"]), form, "满意度调查报告.docx", PDF, row="3")
    assert r.status_code == 302
    assert r["Location"] == f"/forms/{form.pk}/#evidence"
    att = Attachment.objects.get(form=form)
    assert (att.kind, att.content_type) == ("pdf", "application/pdf")
    assert (att.name, att.size, att.row) == ("满意度调查报告.docx", len(PDF), 3)
    assert att.indicator == form.form.indicators[2].name
    assert att.sha256 == hashlib.sha256(PDF).hexdigest()
    assert att.note == "第三方调查报告"
    assert att.uploaded_by == users["filler"]
    assert att.file.name.startswith(f"evidence/{form.pk}/") and att.file.name.endswith(".pdf")
    assert (media / att.file.name).read_bytes() == PDF
    event = form.events.get(kind=Event.Kind.EVIDENCE)
    assert event.user == users["filler"]
    assert event.comment.startswith(f"上传佐证材料：第3行“{att.indicator}” · 满意度调查报告.docx")
    # it downloads as what it is
    d = login(users["dept"]).get(f"/forms/{form.pk}/evidence/{att.pk}/")
    assert d.status_code == 200
    assert b"".join(d.streaming_content) == PDF
    assert d["Content-Type"] == "application/pdf"
    assert d["Content-Disposition"].startswith("attachment;")
    assert (
        "%E6%BB%A1%E6%84%8F%E5%BA%A6%E8%B0%83%E6%9F%A5%E6%8A%A5%E5%91%8A.pdf"
        in (d["Content-Disposition"])
    )
    assert d["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in d["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("调查报告.pdf", HTML, "网页（HTML）"),
        ("调查报告.docx", EXE, "Windows 可执行程序"),
    ],
)
def test_refused_content_is_not_stored(form, users, media, name, data, reason) -> None:
    r = upload(login(users["filler"]), form, name, data)
    assert r.status_code == 400
    message = r.context["ev_error"]
    assert message.startswith(f"{name}：文件内容是{reason}")
    assert message.endswith("未上传")
    assert message in r.content.decode()
    assert not Attachment.objects.exists()
    assert stored(media) == []


@pytest.mark.django_db
def test_real_office_files_and_zip_are_accepted(form, users, media) -> None:
    c = login(users["unit_reviewer"])
    files = (
        ("台账.docx", docx()),
        ("明细.xlsx", xlsx()),
        ("照片.zip", zip_of({"1.jpg": b"\xff\xd8\xff"})),
        ("旧台账.xls", compound_file("Workbook")),
    )
    for name, data in files:
        assert upload(c, form, name, data).status_code == 302, name
    kinds = dict(Attachment.objects.values_list("name", "content_type"))
    assert kinds == {
        "台账.docx": KINDS["docx"].content_type,
        "明细.xlsx": KINDS["xlsx"].content_type,
        "照片.zip": "application/zip",
        "旧台账.xls": "application/vnd.ms-excel",
    }
    assert len(stored(media)) == 4


@pytest.mark.django_db
def test_the_size_limit(form, users, media, settings) -> None:
    settings.EVIDENCE_MAX_BYTES = 1000
    c = login(users["filler"])
    big = PDF + b"%" * 2000
    r = upload(c, form, "大文件.pdf", big)
    assert r.status_code == 413
    assert r.context["ev_error"] == "大文件.pdf：文件超过 0 MB，未上传"
    # a request whose Content-Length is over the limit is refused before its body is read
    r = upload(c, form, "小文件.pdf", PDF, CONTENT_LENGTH=str(10 * 1024 * 1024))
    assert r.status_code == 413
    assert "文件超过" in r.content.decode()
    assert not Attachment.objects.exists()
    assert stored(media) == []
    assert upload(c, form, "小文件.pdf", PDF).status_code == 302


@pytest.mark.django_db
def test_the_same_file_twice_on_a_row_is_refused(form, users, media) -> None:
    c = login(users["filler"])
    assert upload(c, form, "a.pdf", PDF, row="1").status_code == 302
    r = upload(c, form, "b.pdf", PDF, row="1")
    assert r.status_code == 400
    assert r.context["ev_error"] == "b.pdf：与已上传的“a.pdf”内容相同，未重复上传"
    assert upload(c, form, "b.pdf", PDF, row="2").status_code == 302  # another row: fine
    bad_row = upload(c, form, "c.pdf", PDF, row="99")
    assert bad_row.status_code == 400
    assert "指标行“99”不存在" in bad_row.context["ev_error"]


@pytest.mark.django_db
def test_another_units_forms_and_files_do_not_exist(form, users, media) -> None:
    assert upload(login(users["filler"]), form, "a.pdf", PDF).status_code == 302
    att = Attachment.objects.get()
    for who in ("school_filler", "edu", "sq_filler"):
        c = login(users[who])
        assert c.get(f"/forms/{form.pk}/evidence/").status_code == 404, who
        assert c.get(f"/forms/{form.pk}/evidence/{att.pk}/").status_code == 404, who
        assert c.post(f"/forms/{form.pk}/evidence/{att.pk}/delete/").status_code == 404, who
        assert upload(c, form, "x.pdf", PDF).status_code == 404, who
        assert c.get(f"/forms/{form.pk}/export-evidence/?to=json").status_code == 404, who
        assert c.get(f"/forms/{form.pk}/delete/").status_code == 404, who
    # an attachment id of another form is not found through this one
    other = EvaluationForm.objects.exclude(pk=form.pk).filter(organisation=form.organisation)[0]
    c = login(users["filler"])
    assert c.get(f"/forms/{other.pk}/evidence/{att.pk}/").status_code == 404
    assert Attachment.objects.count() == 1 and len(stored(media)) == 1


@pytest.mark.django_db
def test_files_change_only_while_the_form_is_editable(
    form, users, media, django_capture_on_commit_callbacks
) -> None:
    filler = login(users["filler"])
    assert upload(filler, form, "a.pdf", PDF).status_code == 302
    att = Attachment.objects.get()
    # reviewers see and download but do not add or delete
    dept = login(users["dept"])
    assert dept.get(f"/forms/{form.pk}/evidence/").status_code == 200
    assert upload(dept, form, "b.pdf", PDF + b" ").status_code == 403
    assert dept.post(f"/forms/{form.pk}/evidence/{att.pk}/delete/").status_code == 403
    workflow.apply(users["filler"], form, "submit")
    r = upload(filler, form, "b.pdf", PDF + b" ")
    assert r.status_code == 403
    assert "表单状态为“单位审核中”，不能再上传或删除佐证材料" in r.content.decode()
    assert filler.post(f"/forms/{form.pk}/evidence/{att.pk}/delete/").status_code == 403
    assert filler.get(f"/forms/{form.pk}/evidence/{att.pk}/").status_code == 200
    assert Attachment.objects.count() == 1
    # returned: editable again; a deletion removes the stored file once committed
    workflow.apply(users["unit_reviewer"], form, "return", "请补充满意度调查的原始问卷")
    with django_capture_on_commit_callbacks(execute=True):
        r = filler.post(f"/forms/{form.pk}/evidence/{att.pk}/delete/?back=edit")
    assert r.status_code == 302 and r["Location"] == f"/forms/{form.pk}/edit/#evidence"
    assert not Attachment.objects.exists()
    assert not default_storage.exists(att.file.name)
    assert stored(media) == []
    history = list(form.events.filter(kind=Event.Kind.EVIDENCE).values_list("comment", flat=True))
    assert history == ["删除佐证材料：整表 · a.pdf", history[1]]
    assert history[1].startswith("上传佐证材料：整表 · a.pdf（PDF 文档，")


@pytest.mark.django_db
def test_row_files_are_shown_on_their_row_and_follow_it(form, users, media) -> None:
    c = login(users["filler"])
    names = [ind.name for ind in form.form.indicators]
    assert len(set(names[:3])) == 3
    assert upload(c, form, "问卷.pdf", PDF, row="3").status_code == 302
    assert upload(c, form, "总结.png", PNG).status_code == 302
    page = login(users["dept"]).get(f"/forms/{form.pk}/")
    html = page.content.decode()
    row3 = html[html.index('id="evidence-3"') :]
    row3 = row3[: row3.index("</tr>")]
    assert 'data-files="1"' in row3 and "问卷.pdf" in row3 and names[2] in row3
    whole = html[html.index('id="evidence-form"') :]
    assert "总结.png" in whole[: whole.index("</tr>")]
    assert 'id="evidence-1" class="" data-files="0"' in html
    assert "上传佐证材料：第3行" in html  # history
    # reorder: row 3 moves to the top; its file follows it by its 三级指标
    edited = form.form
    edited.indicators.insert(0, edited.indicators.pop(2))
    records.update(form, edited, users["filler"])
    html = c.get(f"/forms/{form.pk}/edit/").content.decode()
    row1 = html[html.index('id="evidence-1"') :]
    assert "问卷.pdf" in row1[: row1.index("</tr>")]
    assert 'type="file"' in row1  # the editor uploads per row
    # the row is removed: the file stays, shown apart under its old row
    edited.indicators.pop(0)
    records.update(form, edited, users["filler"])
    att = Attachment.objects.get(name="问卷.pdf")
    assert place(att, [i.name for i in edited.indicators]) is None
    html = c.get(f"/forms/{form.pk}/").content.decode()
    gone = html[html.index('id="evidence-gone-3"') :]
    assert "原第3行（该指标已修改或删除）" in gone and "问卷.pdf" in gone[: gone.index("</tr>")]


@pytest.mark.django_db
def test_htmx_upload_answers_with_the_section(form, users, media) -> None:
    r = upload(login(users["filler"]), form, "问卷.pdf", PDF, row="2", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert html.startswith('<section class="evidence" id="evidence">')
    assert "问卷.pdf" in html and "1 个文件" in html
    refused = upload(login(users["filler"]), form, "x.pdf", HTML, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    assert "x.pdf：文件内容是网页（HTML）" in refused.content.decode()


@pytest.mark.django_db
def test_export_with_evidence_is_one_zip_by_row(form, users, media) -> None:
    c = login(users["filler"])
    assert upload(c, form, "问卷.docx", PDF, row="3").status_code == 302
    assert upload(c, form, "问卷.pdf", PDF + b"\n", row="3").status_code == 302
    assert upload(c, form, "全景/照片:1.png", PNG).status_code == 302
    r = login(users["finance"]).get(f"/forms/{form.pk}/export-evidence/?to=pdf")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    assert "%E5%90%AB%E4%BD%90%E8%AF%81%E6%9D%90%E6%96%99.zip" in r["Content-Disposition"]
    data = b"".join(r.streaming_content)
    zf = zipfile.ZipFile(io.BytesIO(data))
    assert zf.testzip() is None
    indicator = form.form.indicators[2].name
    names = zf.namelist()
    assert names[0].endswith(".pdf") and zf.read(names[0]).startswith(b"%PDF")
    assert names[1:] == [
        "佐证材料/整表/照片_1.png",
        f"佐证材料/第3行-{indicator}/问卷.pdf",
        f"佐证材料/第3行-{indicator}/问卷（2）.pdf",
    ]
    assert zf.read(names[1]) == PNG
    assert zf.read(names[2]) == PDF and zf.read(names[3]) == PDF + b"\n"
    assert all(info.flag_bits & 0x800 for info in zf.infolist())  # UTF-8 names
    # JSON too; and no format beyond the exports
    j = c.get(f"/forms/{form.pk}/export-evidence/?to=json")
    assert (
        zipfile.ZipFile(io.BytesIO(b"".join(j.streaming_content))).namelist()[0].endswith(".json")
    )
    assert c.get(f"/forms/{form.pk}/export-evidence/?to=exe").status_code == 400


@pytest.mark.django_db
def test_deleting_a_draft_removes_its_files(
    form, users, media, django_capture_on_commit_callbacks
) -> None:
    c = login(users["filler"])
    assert upload(c, form, "a.pdf", PDF, row="1").status_code == 302
    assert upload(c, form, "b.png", PNG).status_code == 302
    assert len(stored(media)) == 2
    assert login(users["dept"]).get(f"/forms/{form.pk}/delete/").status_code == 403
    confirm = c.get(f"/forms/{form.pk}/delete/")
    assert confirm.status_code == 200
    assert "2 个佐证材料将一并删除" in confirm.content.decode().replace("和 ", "")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/forms/{form.pk}/delete/")
    assert r.status_code == 302 and r["Location"] == "/forms/"
    assert not EvaluationForm.objects.filter(pk=form.pk).exists()
    assert not Attachment.objects.exists()
    assert stored(media) == []


@pytest.mark.django_db
def test_only_drafts_are_deleted(form, users, media) -> None:
    workflow.apply(users["filler"], form, "submit")
    c = login(users["filler"])
    assert c.get(f"/forms/{form.pk}/delete/").status_code == 403
    r = c.post(f"/forms/{form.pk}/delete/")
    assert r.status_code == 403
    assert "只能删除草稿" in r.content.decode()
    assert EvaluationForm.objects.filter(pk=form.pk).exists()


@pytest.mark.django_db
def test_gc_lists_and_removes_files_nothing_refers_to(form, users, media) -> None:
    assert upload(login(users["filler"]), form, "a.pdf", PDF).status_code == 302
    kept = Attachment.objects.get().file.name
    orphan = default_storage.save("evidence/999/orphan.pdf", ContentFile(b"%PDF-1.4 x"))
    out = io.StringIO()
    call_command("jixiao_evidence_gc", "--min-age-hours", "0", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{orphan}\t10\xa0字节",
        "共 1 个无引用的文件（10\xa0字节）；加 --delete 删除。",
    ]
    assert default_storage.exists(orphan)
    young = io.StringIO()
    call_command("jixiao_evidence_gc", "--delete", stdout=young)  # younger than 24 hours
    assert young.getvalue() == "没有无引用的佐证材料文件。\n"
    out = io.StringIO()
    call_command("jixiao_evidence_gc", "--min-age-hours", "0", "--delete", stdout=out)
    assert out.getvalue().splitlines()[-1] == "已删除 1 个无引用的文件（10\xa0字节）。"
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept)


@pytest.mark.django_db
def test_a_file_lost_from_storage_is_said_so(form, users, media) -> None:
    c = login(users["filler"])
    assert upload(c, form, "问卷.pdf", PDF, row="2").status_code == 302
    att = Attachment.objects.get()
    (media / att.file.name).unlink()  # lost outside the system (a disk restored without it)
    r = c.get(f"/forms/{form.pk}/evidence/{att.pk}/")
    assert r.status_code == 404
    assert "文件在存储中已不存在" in r.content.decode()
    z = zipfile.ZipFile(
        io.BytesIO(b"".join(c.get(f"/forms/{form.pk}/export-evidence/?to=json").streaming_content))
    )
    folder = f"佐证材料/第2行-{form.form.indicators[1].name}"
    assert z.namelist()[1:] == [f"{folder}/问卷.pdf.缺失.txt"]
    assert z.read(z.namelist()[1]).decode() == "文件“问卷.pdf”在存储中已不存在，请联系管理员。\n"
