"""Shared fixtures: the hand-checked oracle of the nine 2024 Jiangqiao forms."""

from pathlib import Path

import pytest

from jixiao.model import SelfEvaluation, load_forms
from jixiao.policy import Policy, load_policy

DATA = Path(__file__).parent / "data"
ORACLE = DATA / "expected.json"
SEED_TEXT = DATA / "000_7288eb4107761ee7.txt"


@pytest.fixture(scope="session")
def oracle_forms() -> list[SelfEvaluation]:
    return load_forms(ORACLE)


@pytest.fixture(scope="session")
def shanghai() -> Policy:
    return load_policy("shanghai")


@pytest.fixture(scope="session")
def mof() -> Policy:
    return load_policy("mof-2020")


GENERATED = 200  # the issues' "≥ 200 generated forms" for every round trip


@pytest.fixture(scope="session")
def generated_forms() -> list[SelfEvaluation]:
    from jixiao.generate import generate_forms

    return generate_forms(GENERATED, seed=0)


def _render_chunk(forms: list[SelfEvaluation]) -> tuple[bytes, list[int]]:
    """One PDF of ``forms`` (as ``render_pdf`` makes it) and each form's page count."""
    from jixiao.render.pdf import layout

    documents = [layout(form) for form in forms]
    pages = [page for document in documents for page in document.pages]
    return bytes(documents[0].copy(pages).write_pdf()), [len(d.pages) for d in documents]


@pytest.fixture(scope="session")
def generated_pdfs(generated_forms) -> list[tuple[bytes, list[int]]]:
    """The generated forms as two PDFs (rendered in parallel, once per test session), each
    with its forms' page counts; every PDF round trip reads these."""
    from concurrent.futures import ProcessPoolExecutor

    half = len(generated_forms) // 2
    with ProcessPoolExecutor(max_workers=2) as pool:
        return list(pool.map(_render_chunk, [generated_forms[:half], generated_forms[half:]]))
