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
