"""Policies are data: built-in profiles, user TOML files, clear errors naming the key."""

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.policy import PolicyError, builtin_names, load_policy, quantize

POLICIES = Path(__file__).parents[1] / "src" / "jixiao" / "policies"


def test_builtin_profiles():
    assert {"mof-2020", "shanghai"} <= set(builtin_names())
    sh = load_policy("shanghai")
    assert sh.execution.rate_rounding == "down"
    assert sh.execution.weight == Decimal(10)
    assert sh.indicators.qualitative_met == Decimal("0.8")
    assert sh.audit.overrun_ratio == Decimal("1.2")
    assert load_policy("mof-2020").execution.rate_rounding == "half_up"


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
        ("0", "差"),
    ],
)
def test_grade_bands_lower_bound_inclusive(total, grade):
    assert load_policy("mof-2020").grade_for(Decimal(total)) == grade


def test_user_file_overrides_a_base(tmp_path):
    path = tmp_path / "hubei.toml"
    path.write_text(
        'base = "mof-2020"\n[execution]\nweight = 20\n[indicators]\nqualitative_partial = 0.5\n'
        "[audit]\noverrun_ratio = 1.3\n",
        encoding="utf-8",
    )
    pol = load_policy(path)
    assert pol.name == "hubei"
    assert pol.execution.weight == Decimal(20)
    assert pol.indicators.qualitative_partial == Decimal("0.5")
    assert pol.audit.overrun_ratio == Decimal("1.3")
    assert pol.execution.rate_rounding == "half_up"  # inherited


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'base = "mof-2020"\n[execution]\nrate_rounding = "up"\n',
            "execution.rate_rounding: 取值不在允许范围内",
        ),
        ('base = "mof-2020"\n[execution]\nwieght = 10\n', "execution.wieght: 不认识的键"),
        ('base = "mof-2020"\n[audit]\nexec_rate_warn = 180\n', "audit.exec_rate_warn: 取值过大"),
        ('base = "nope"\n', "未知的评分口径 'nope'"),
        ('name = "x"\n', "execution: 缺少此字段"),
        ("[execution\n", "TOML 格式错误"),
        (
            'base = "mof-2020"\n[indicators]\nqualitative_partial = 0.9\n',
            "qualitative_partial 不能大于",
        ),
    ],
)
def test_invalid_policy_names_the_key(tmp_path, content, message):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    assert str(path) in str(err.value) or "未知的评分口径" in str(err.value)
    assert message in str(err.value)


def test_unknown_builtin():
    known = "central-2021、hebei、hubei、mof-2020、shanghai、sichuan、transfer、yunnan-baoshan"
    with pytest.raises(PolicyError, match=f"内置：{known}"):
        load_policy("beijing")


@pytest.mark.parametrize(
    ("value", "mode", "expected"),
    [
        ("8.525", "half_up", "8.53"),
        ("8.525", "half_even", "8.52"),
        ("85.2557", "down", "85.25"),
        ("-1.005", "half_up", "-1.01"),
    ],
)
def test_quantize_names_its_mode(value, mode, expected):
    assert quantize(Decimal(value), 2, mode) == Decimal(expected)


def test_a_complete_file_without_basis_cites_the_2020_articles(tmp_path):
    """A standalone policy (no base) written before [basis] existed still loads."""
    content = (POLICIES / "mof-2020.toml").read_text(encoding="utf-8")
    content = content[: content.index("[basis]")] + content[content.index("[[grades]]") :]
    path = tmp_path / "old.toml"
    path.write_text(content, encoding="utf-8")
    pol = load_policy(path)
    assert "basis" not in content
    assert pol.basis.execution == "财预〔2020〕10号 第十三条"
    assert pol.basis.quantitative == "财预〔2020〕10号 第十六条"
    assert pol.basis.grades == "财预〔2020〕10号 第十八条"
