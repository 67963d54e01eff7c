"""抽查复核 samples (财预〔2020〕10号 第十九条): per department, by count or share, at random
with a recorded seed (reproducible whatever the input order) or by rule."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from jixiao.audit import audit_forms
from jixiao.cli import app
from jixiao.generate import generate_forms
from jixiao.policy import load_policy
from jixiao.sampling import draw_sample, sample_size

from .conftest import ORACLE

runner = CliRunner()


@pytest.mark.parametrize(
    ("population", "count", "share", "size"),
    [
        (9, 2, None, 2),
        (9, 20, None, 9),
        (9, None, Decimal("0.3"), 3),  # 2.7 rounded up
        (9, None, Decimal("0.01"), 1),  # at least one
        (10, None, Decimal("0.2"), 2),
        (0, 3, None, 0),
    ],
)
def test_sample_size(population, count, share, size):
    assert sample_size(population, count, share) == size


@pytest.fixture(scope="module")
def seed_audits(oracle_forms, shanghai):
    return audit_forms(oracle_forms, shanghai)


def test_by_inflation_and_by_errors(seed_audits):
    s = draw_sample(seed_audits, "inflation", count=3)
    (dep,) = s.departments
    assert (dep.department, dep.population, s.seed) == ("江桥镇", 9, None)
    assert [(x.project, x.inflation) for x in dep.drawn] == [
        ("活动经费", Decimal("65.00")),
        ("政府聘用辅助人员经费", Decimal("59.04")),
        ("城维工程类", Decimal("20.57")),
    ]
    errors = draw_sample(seed_audits, "errors", count=3).departments[0].drawn
    assert [(x.project, x.errors) for x in errors] == [
        ("活动经费", 3),
        ("信息化项目运维", 1),
        ("城维工程类", 1),
    ]


def test_random_is_reproducible_and_independent_of_input_order(seed_audits):
    a = draw_sample(seed_audits, "random", share=Decimal("0.3"), seed=7)
    b = draw_sample(list(reversed(seed_audits)), "random", share=Decimal("0.3"), seed=7)
    assert a == b
    assert a.seed == 7
    assert [x.project for x in a.departments[0].drawn] == [
        "信息化项目运维",
        "城维工程类",
        "活动经费",
    ]
    others = {
        tuple(
            x.project
            for x in draw_sample(seed_audits, "random", count=3, seed=s).departments[0].drawn
        )
        for s in range(20)
    }
    assert len(others) > 5  # different seeds draw different forms


def test_random_without_a_seed_records_one(seed_audits):
    s = draw_sample(seed_audits, "random", count=2)
    assert s.seed is not None
    assert draw_sample(seed_audits, "random", count=2, seed=s.seed) == s


def test_per_department():
    mof = load_policy("mof-2020")
    forms = generate_forms(40, seed=5)
    s = draw_sample(audit_forms(forms, mof), "random", share=Decimal("0.5"), seed=1)
    departments = {f.department for f in forms}
    assert {d.department for d in s.departments} == departments
    for d in s.departments:
        assert len(d.drawn) == sample_size(d.population, None, Decimal("0.5"))
        assert sum(1 for f in forms if f.department == d.department) == d.population


def test_cli_sample(tmp_path):
    out = tmp_path / "sample.json"
    args = ["sample", str(ORACLE), "--share", "0.3", "--seed", "7", "-p", "shanghai"]
    result = runner.invoke(app, [*args, "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc == json.loads(out.read_text(encoding="utf-8"))
    assert (doc["basis"], doc["method"], doc["seed"], doc["share"]) == (
        "财预〔2020〕10号 第十九条",
        "random",
        7,
        "0.3",
    )
    assert [x["project"] for x in doc["departments"][0]["sample"]] == [
        "信息化项目运维",
        "城维工程类",
        "活动经费",
    ]
    table = runner.invoke(app, args)
    assert "共 1 个主管部门，抽取 3 张表。" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "请给出 --count 或 --share 之一"),
        (["-n", "2", "--share", "0.5"], "请给出 --count 或 --share 之一"),
        (["--share", "1.5"], "--share 应为 0 到 1 之间的小数"),
        (["--share", "x"], "--share 应为 0 到 1 之间的小数"),
        (["-n", "2", "--by", "size"], "--by 只能是 random、inflation 或 errors"),
    ],
)
def test_cli_sample_errors(args, message):
    result = runner.invoke(app, ["sample", str(ORACLE), *args])
    assert result.exit_code == 2
    assert message in result.stderr
