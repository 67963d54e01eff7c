"""Word files that LibreOffice wrote from jixiao's .docx: Word 97-2003 (.doc, and the same
file named .wps as WPS saves it), OpenDocument (.odt) and back to .docx, and LibreOffice's
own re-save of the .docx; each imports as the same canonical JSON. The .doc, .wps and .odt
go through LibreOffice again on import (``ingest/libreoffice.py``). Conversions are done
once per session: soffice takes seconds a run."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from jixiao import limits
from jixiao.generate import generate_forms
from jixiao.ingest import IngestError, read_forms
from jixiao.ingest import libreoffice as lo
from jixiao.ingest.table_files import table_kind
from jixiao.render import render_form_docx

from .forms import SOFFICE, lo_convert
from .test_ingest_word import assert_same_json

needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (Debian libreoffice-writer-nogui) is not installed"
)
GENERATED = generate_forms(40, seed=2)


@pytest.fixture(scope="session")
def word_files(tmp_path_factory: pytest.TempPathFactory, oracle_forms) -> Path:
    """seed/generated .docx by jixiao, then by LibreOffice: .doc, .odt, .odt → .docx and
    a re-saved .docx (in ``resaved/``)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("word")
    seed, generated = out / "seed.docx", out / "generated.docx"
    seed.write_bytes(render_form_docx(oracle_forms))
    generated.write_bytes(render_form_docx(GENERATED))
    lo_convert([seed, generated], "doc", out)
    lo_convert([seed], "odt", out)
    (out / "back").mkdir()
    lo_convert([out / "seed.odt"], "docx", out / "back")
    (out / "resaved").mkdir()
    lo_convert([seed, generated], "docx", out / "resaved")
    shutil.copy(out / "seed.doc", out / "seed.wps")
    return out


@needs_soffice
def test_doc_written_by_libreoffice_imports_the_seed(word_files: Path, oracle_forms) -> None:
    assert_same_json(oracle_forms, read_forms(word_files / "seed.doc"))


@needs_soffice
def test_doc_of_generated_forms_imports_them(word_files: Path) -> None:
    assert_same_json(GENERATED, read_forms(word_files / "generated.doc"))


@needs_soffice
def test_wps_named_file_imports_by_its_content(word_files: Path, oracle_forms) -> None:
    forms = read_forms(word_files / "seed.wps")
    assert_same_json(oracle_forms, forms)
    assert forms[0].source is not None and forms[0].source.file.endswith("seed.wps")


@needs_soffice
def test_odt_and_odt_back_to_docx(word_files: Path, oracle_forms) -> None:
    assert_same_json(oracle_forms, read_forms(word_files / "back" / "seed.docx"))
    assert_same_json(oracle_forms, read_forms(word_files / "seed.odt"))


@needs_soffice
def test_libreoffice_resave_of_the_docx(word_files: Path, oracle_forms) -> None:
    assert_same_json(oracle_forms, read_forms(word_files / "resaved" / "seed.docx"))
    assert_same_json(GENERATED, read_forms(word_files / "resaved" / "generated.docx"))


@needs_soffice
def test_kinds_told_by_content(word_files: Path) -> None:
    assert table_kind((word_files / "seed.wps").read_bytes()) == "doc"  # its WordDocument stream
    assert table_kind((word_files / "seed.odt").read_bytes()) == "odt"
    assert table_kind((word_files / "resaved" / "seed.docx").read_bytes()) == "docx"


def test_without_libreoffice_a_doc_is_refused_with_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(lo, "soffice", lambda: None)
    with pytest.raises(IngestError) as caught:
        lo.convert_to_docx(b"...", "旧表.doc", "doc")
    message = str(caught.value)
    assert message.startswith("旧表.doc: 是Word 97-2003 文档（.doc）或 WPS 文字文档（.wps）")
    assert "libreoffice-writer-nogui" in message and "另存为 .docx" in message


def test_a_conversion_that_hangs_is_stopped_at_the_time_limit(monkeypatch, tmp_path) -> None:
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(lo, "soffice", lambda: str(program))
    with limits.use(max_convert_seconds=1), pytest.raises(IngestError) as caught:
        lo.convert_to_docx(b"...", "慢.wps", "doc")
    assert str(caught.value).startswith("慢.wps: 用 LibreOffice 转换")
    assert "超过 1 秒仍未完成，已停止" in str(caught.value)


def test_a_conversion_that_fails_names_the_reason(monkeypatch, tmp_path) -> None:
    program = tmp_path / "soffice"
    program.write_text("#!/bin/sh\necho 'Error: source file could not be loaded'\nexit 1\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(lo, "soffice", lambda: str(program))
    with pytest.raises(IngestError, match=r"^坏\.doc: LibreOffice 无法把这个.*could not be loaded"):
        lo.convert_to_docx(b"...", "坏.doc", "doc")
