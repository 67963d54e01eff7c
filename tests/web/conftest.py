"""Fixtures for the web tests: an organisation tree, one user per role, seed forms."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.model import SelfEvaluation, load_forms
from jixiao.web import records
from jixiao.web.models import EvaluationForm, Organisation, Profile, Role

DATA = Path(__file__).parent.parent / "data"
SEED_JSON = DATA / "expected.json"
SEED_TEXT = DATA / "000_7288eb4107761ee7.txt"
SEED_UNIT = "上海市嘉定区江桥镇城市运行管理中心"
PASSWORD = "pw-for-tests-0"


# In-process tests name static files plainly, whatever manifest a `make run` left in var/:
# pytest-django's live server serves /static/ from the package by plain name only. The
# hashed names are tested against `jixiao web` itself (test_front.py).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@dataclass
class Tree:
    finance: Organisation
    jiangqiao: Organisation
    chengyun: Organisation  # the seed unit, under 江桥镇
    shequ: Organisation  # another unit under 江桥镇
    education: Organisation  # another 主管部门
    school: Organisation  # a unit under it


@pytest.fixture(autouse=True)
def fast_hasher(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def tasks_in_the_request(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tasks run at once, inside the request that queues them (tests/web/workers.py runs a
    real worker instead); stored files go to a folder of the test's own."""
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """SQLite tests use a file, not memory, so that a task worker in another process can
    share the test database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if str(db["ENGINE"]).endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture
def tree(db: None) -> Tree:
    finance = Organisation.objects.create(name="嘉定区财政局", kind="finance")
    jq = Organisation.objects.create(name="江桥镇", kind="department", parent=finance)
    cy = Organisation.objects.create(name=SEED_UNIT, kind="unit", parent=jq)
    sq = Organisation.objects.create(name="江桥镇社区事务受理服务中心", kind="unit", parent=jq)
    edu = Organisation.objects.create(name="嘉定区教育局", kind="department", parent=finance)
    school = Organisation.objects.create(name="上海市嘉定区实验小学", kind="unit", parent=edu)
    return Tree(finance, jq, cy, sq, edu, school)


def make_user(username: str, org: Organisation, role: str) -> object:
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=username)
    Profile.objects.create(user=user, organisation=org, role=role)
    return user


@pytest.fixture
def users(tree: Tree) -> dict[str, object]:
    return {
        "filler": make_user("filler", tree.chengyun, Role.FILLER),
        "unit_reviewer": make_user("unitrev", tree.chengyun, Role.UNIT_REVIEWER),
        "dept": make_user("dept", tree.jiangqiao, Role.DEPARTMENT_REVIEWER),
        "finance": make_user("finance", tree.finance, Role.FINANCE_REVIEWER),
        "admin": make_user("admin", tree.finance, Role.ADMIN),
        "school_filler": make_user("school", tree.school, Role.FILLER),
        "edu": make_user("edu", tree.education, Role.DEPARTMENT_REVIEWER),
        "sq_filler": make_user("sqfiller", tree.shequ, Role.FILLER),
    }


@pytest.fixture(scope="session")
def seed_forms() -> list[SelfEvaluation]:
    return load_forms(SEED_JSON)


@pytest.fixture
def seed(
    tree: Tree, users: dict[str, object], seed_forms: list[SelfEvaluation]
) -> list[EvaluationForm]:
    """The nine seed forms, stored for the seed unit."""
    return [
        records.create(tree.chengyun, f.model_copy(deep=True), users["filler"]) for f in seed_forms
    ]


@pytest.fixture
def school_form(
    tree: Tree, users: dict[str, object], seed_forms: list[SelfEvaluation]
) -> EvaluationForm:
    """A form of another 主管部门's unit."""
    form = seed_forms[1].model_copy(deep=True)
    form.unit = tree.school.name
    form.department = tree.education.name
    form.project = "实验小学校园安保服务"
    return records.create(tree.school, form, users["school_filler"])


def login(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def page_fields_of(obj: EvaluationForm) -> dict[str, object]:
    """The POST the edit page sends for ``obj`` unchanged (rows in order)."""
    form = obj.form
    data: dict[str, object] = {
        "version": str(obj.version),
        "year": str(form.year),
        "project": form.project,
        "department": form.department,
        "unit": form.unit,
        "amount_unit": form.amount_unit,
        "goals.expected": form.goals.expected,
        "goals.achieved": form.goals.achieved,
        "total_weight": str(form.total_weight or ""),
        "total_score": str(form.total_score or ""),
        "grade": form.grade or "",
    }
    for row in ("total", "fiscal", "carryover", "other"):
        cells = getattr(form.funds, row)
        for col in ("initial", "adjusted", "executed", "weight", "rate", "score"):
            v = getattr(cells, col)
            data[f"funds.{row}.{col}"] = "" if v is None else str(v)
    rows = form.indicators
    data["ind_origin"] = [str(i) for i in range(len(rows))]
    for k in ("level1", "level2", "name", "target", "actual", "deviation"):
        data[f"ind_{k}"] = [getattr(r, k) for r in rows]
    for k in ("weight", "score"):
        data[f"ind_{k}"] = ["" if getattr(r, k) is None else str(getattr(r, k)) for r in rows]
    return data
