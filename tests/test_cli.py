"""The jixiao command: score and policies, exit codes, one-line Chinese errors."""

import json

from typer.testing import CliRunner

from jixiao.cli import app

from .conftest import ORACLE

runner = CliRunner()


def test_score_json_shows_all_nine_matching():
    result = runner.invoke(app, ["score", str(ORACLE), "--policy", "shanghai", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["policy"] == "shanghai"
    assert len(doc["forms"]) == 9
    assert all(f["scorecard"]["matches"] for f in doc["forms"])
    last = doc["forms"][-1]
    assert last["project"] == "城维工程类"
    assert last["scorecard"]["rate"] == {"declared": "79.43", "computed": "79.43", "matches": True}
    assert last["scorecard"]["total"]["computed"] == "97.94"
    assert len(last["scorecard"]["indicators"]) == 10


def test_score_table():
    result = runner.invoke(app, ["score", str(ORACLE), "-p", "shanghai"])
    assert result.exit_code == 0
    assert "共 9 张表，9 张与规则完全一致" in result.stdout
    assert "政府聘用辅助人员经费" in result.stdout
    assert "版式：shanghai-2024" in "".join(result.stdout.split())  # the title names it


def test_score_under_mof_shows_the_rounding_difference():
    result = runner.invoke(app, ["score", str(ORACLE), "-p", "mof-2020"])
    assert result.exit_code == 0
    assert "85.25 → 85.26" in result.stdout


def test_score_defaults_to_auto_and_says_what_it_chose():
    """The seed, scored without --policy, is scored as a Shanghai form: all consistent."""
    result = runner.invoke(app, ["score", str(ORACLE)])
    assert result.exit_code == 0
    assert result.stderr.strip() == "评分口径（auto）：shanghai 9 张（版式 shanghai-2024）"
    assert "共 9 张表，9 张与规则完全一致" in result.stdout


def test_unreadable_input_exits_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"forms": [{"total_score": "x"}]}', encoding="utf-8")
    for args, message in [
        (["score", str(tmp_path / "none.json")], "文件不存在"),
        (["score", str(bad)], "forms[0].total_score: 不是有效的数字"),
        (["score", str(ORACLE), "-p", "nope"], "未知的评分口径"),
        (["score", str(ORACLE), "-f", "xml"], "--format 只能是"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert message in result.stderr
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1


def test_policies_lists_profiles():
    result = runner.invoke(app, ["policies"])
    assert result.exit_code == 0
    assert "mof-2020" in result.stdout and "shanghai" in result.stdout
    assert "截断" in result.stdout


def test_policy_auto_says_what_it_chose(tmp_path):
    """--policy auto: the seed (上海市 units) under shanghai, a 中央部门 form under central-2021."""
    from jixiao.audit.examples import base_form

    central = base_form()
    central["department"] = "教育部"
    central["unit"] = "教育部考试中心"
    path = tmp_path / "forms.json"
    seed = json.loads(ORACLE.read_text(encoding="utf-8"))
    path.write_text(
        json.dumps({"forms": [*seed["forms"], central]}, ensure_ascii=False), encoding="utf-8"
    )
    result = runner.invoke(app, ["score", str(path), "--policy", "auto", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        "评分口径（auto）：shanghai 9 张（版式 shanghai-2024）；"
        "central-2021 1 张（版式 national-2020，主管部门为中央部门）"
    )
    doc = json.loads(result.stdout)
    assert doc["policy"] == "auto"
    assert [f["scorecard"]["policy"] for f in doc["forms"]] == ["shanghai"] * 9 + ["central-2021"]
    # the seed under auto is the seed under shanghai: every form matches
    assert all(f["scorecard"]["matches"] for f in doc["forms"][:9])
    last = doc["forms"][-1]["scorecard"]
    assert last["execution_basis"] == "财预〔2021〕101号 三（七）2"
    assert last["indicators"][6]["method"] == "satisfaction"

    audit = runner.invoke(app, ["audit", str(path), "--policy", "auto", "--format", "json"])
    assert "评分口径（auto）" in audit.stderr
    assert json.loads(audit.stdout)["policy"] == "shanghai"  # the most frequent one
