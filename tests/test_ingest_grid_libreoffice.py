"""An independent producer: LibreOffice (headless) opens jixiao's xlsx and writes PDF and
.xls; both import back to the seed forms. One batch conversion per target format."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.generate import generate_forms
from jixiao.ingest import read_forms
from jixiao.render import render_xlsx

from .forms import SOFFICE, assert_identical, lo_convert

pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (Debian libreoffice-calc-nogui) is not installed"
)

GENERATED = generate_forms(40, seed=1)


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, oracle_forms) -> Path:
    out = tmp_path_factory.mktemp("libreoffice")
    (out / "seed.xlsx").write_bytes(render_xlsx(oracle_forms))
    (out / "generated.xlsx").write_bytes(render_xlsx(GENERATED))
    lo_convert([out / "seed.xlsx", out / "generated.xlsx"], "pdf", out)
    lo_convert([out / "seed.xlsx"], "xls", out)
    return out


def test_libreoffice_xls_imports_identical(converted: Path, oracle_forms) -> None:
    forms = read_forms(converted / "seed.xls")
    assert_identical(oracle_forms, forms)


def test_libreoffice_pdf_of_the_workbook_imports_identical(converted: Path, oracle_forms) -> None:
    forms = read_forms(converted / "seed.pdf")
    assert_identical(oracle_forms, forms)
    assert forms[0].source is not None and forms[0].source.page == 2  # page 1: the 汇总 sheet
    assert [f.project for f in forms] == [f.project for f in oracle_forms]


def test_libreoffice_pdf_of_generated_forms_imports_identical(converted: Path) -> None:
    assert_identical(GENERATED, read_forms(converted / "generated.pdf"))
