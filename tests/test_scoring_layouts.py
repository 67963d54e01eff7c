"""Scoring by the layout's rules: the declared execution 分值 (20 on the 20-point layout),
执行率 over the layout's budget column or the source rows, 分值 derived from printed 一级
weights, targets joined from 指标性质 / 度量单位, 折算得分, and --policy auto in the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from jixiao.audit.examples import base_form
from jixiao.cli import app
from jixiao.layouts import choose, get_layout
from jixiao.model import Level1Weight, SelfEvaluation, dump_forms, form_from_dict
from jixiao.policy import load_policy, quantize
from jixiao.scoring import derived_weights, score_form

D = Decimal
runner = CliRunner()
MOF = load_policy("mof-2020")
HUBEI = load_policy("hubei")
BAOSHAN = load_policy("yunnan-baoshan")


def _hubei(adjusted: str = "150.00", executed: str = "149.40") -> dict[str, Any]:
    """The base form as a 20-point form: 预算执行 20, indicators 80 (产出 50 / 效益 20 /
    满意度 10), every indicator met; the declared values are what the rules give."""
    data = base_form()
    data["layout"] = "hubei-20"
    data["unit"] = "湖北省示例中心"
    total = data["funds"]["total"]
    total.update(adjusted=adjusted, initial=adjusted, executed=executed, weight="20")
    rate = D(executed) / D(adjusted) * 100
    total["rate"] = str(quantize(rate, 2, "half_up"))
    total["score"] = str(quantize(min(rate, D(100)) * 20 / 100, 2, "half_up"))
    data["funds"]["fiscal"].update(adjusted=adjusted, initial=adjusted, executed=executed)
    data["indicators"][4]["weight"] = data["indicators"][4]["score"] = "10.00"
    data["total_score"] = str(D(total["score"]) + 80)
    data["grade"] = "优"
    return data


def test_a_20_point_form_scores_20_times_the_rate_and_adds_up():
    form = form_from_dict(_hubei())
    card = score_form(form, HUBEI)
    assert card.layout == "hubei-20"
    assert card.execution_weight == D(20)
    assert card.execution_weight_note == "表上填报的预算执行分值"
    assert card.rate.computed == D("99.60")
    assert card.execution_score.computed == D("19.92")
    assert card.total.computed == D("99.92")
    assert card.matches  # consistent under its own layout's rules
    # under the national layout's rules the same form would not add up
    national = score_form(form, MOF, get_layout("national-2020"))
    assert national.execution_weight == D(10) and not national.matches
    assert "20 不是此版式允许的分值（10）" in national.execution_weight_note


@given(
    st.integers(1, 10**8).map(lambda c: D(c).scaleb(-2)),
    st.integers(0, 2 * 10**8).map(lambda c: D(c).scaleb(-2)),
)
def test_any_20_point_form_filled_by_the_rule_is_consistent(budget, executed):
    """Whatever the amounts: 得分 = min(执行率, 100 %) × 20 (rounded half up, no threshold),
    and a form that declares exactly that adds up under its layout."""
    form = form_from_dict(_hubei(str(budget), str(executed)))
    for policy in (HUBEI, BAOSHAN):
        card = score_form(form, policy)
        expected = quantize(min(executed / budget * 100, D(100)) * 20 / 100, 2, "half_up")
        assert card.execution_score.computed == expected
        assert D(0) <= expected <= D(20)
        assert card.total.computed == expected + 80
        assert card.execution_score.matches and card.total.matches


def test_an_execution_weight_the_layout_does_not_allow_is_never_used():
    """Sample 008: 100 in the funds 分值 of a 10-point form: scored out of 10, and said so."""
    data = base_form()
    data["funds"]["total"].update(adjusted="150", executed="125.25", weight="100", score="98")
    card = score_form(form_from_dict(data), MOF)
    assert card.layout == "national-2020"
    assert card.execution_weight == D(10)
    assert card.execution_score.computed == D("8.35")
    assert (
        card.execution_weight_note == "表上预算执行分值 100 不是此版式允许的分值（10），按 10 分计"
    )


def test_a_zero_total_row_takes_the_rate_from_the_source_rows():
    """Sample 001: 年度资金总额 left 0, 本年财政拨款 90 / 89.974 spent: 99.97 %, not 0."""
    data = base_form()
    data["funds"]["total"].update(initial="0", adjusted="0", executed="0", rate="0", score="0")
    data["funds"]["fiscal"].update(initial="90", adjusted="90", executed="89.974")
    card = score_form(form_from_dict(data), MOF)
    assert card.rate.computed == D("99.97")
    assert card.execution_score.computed == D("10.00")
    assert card.notes == ["年度资金总额行未填或为 0，执行率按其下各资金来源行的合计计算"]


def test_rows_beyond_the_four_count_in_the_source_sums():
    """四川: 财政资金 + 财政专户管理资金 + 单位资金 + 其他资金 make up the 总额."""
    data = base_form()
    data["layout"] = "sichuan"
    data["funds"]["total"].update(adjusted=None, executed=None)
    data["funds"]["fiscal"].update(adjusted="60", executed="60")
    data["funds"]["extras"] = {"单位资金": {"adjusted": "40", "executed": "20"}}
    card = score_form(form_from_dict(data), MOF)
    assert card.rate.computed == D("80.00")  # (60 + 20) / (60 + 40)


def _zero_total(data: dict[str, Any]) -> dict[str, Any]:
    data["funds"]["total"].update(initial="0", adjusted="0", executed="0", rate="0", score="0")
    for row in ("fiscal", "carryover", "other"):
        data["funds"][row].update(initial=None, adjusted=None, executed=None)
    return data


def test_a_row_nested_under_fiscal_is_not_counted_twice():
    """其中：一般公共预算拨款 60 / 60 under 财政拨款 100 / 90: 90 %, not 150 / 160."""
    data = _zero_total(base_form())
    data["funds"]["fiscal"].update(adjusted="100", executed="90")
    data["funds"]["extras"] = {"其中：一般公共预算拨款": {"adjusted": "60", "executed": "60"}}
    card = score_form(form_from_dict(data), MOF)
    assert card.rate.computed == D("90.00")
    assert card.notes == ["年度资金总额行未填或为 0，执行率按其下各资金来源行的合计计算"]


def test_two_breakdowns_of_the_total_are_read_one_at_a_time():
    """转移支付: 本年财政拨款 + 其他资金 and 中央补助 + 地方资金 are the same money twice; a
    部门整体 form's 基本支出 + 项目支出 are read when its sources are blank."""
    data = _zero_total(base_form())
    data["layout"] = "transfer"
    data["funds"]["fiscal"].update(adjusted="80", executed="76")
    data["funds"]["other"].update(adjusted="20", executed="20")
    data["funds"]["extras"] = {"中央补助": {"adjusted": "70", "executed": "66"}}
    card = score_form(form_from_dict(data), load_policy("transfer"))
    assert card.rate.computed == D("96.00")  # 96 / 100, not (96 + 66) / (100 + 70)
    data["funds"]["fiscal"].update(adjusted=None, executed=None)
    data["funds"]["other"].update(adjusted=None, executed=None)
    data["funds"]["extras"]["地方资金"] = {"adjusted": "30", "executed": "24"}
    card = score_form(form_from_dict(data), load_policy("transfer"))
    assert card.rate.computed == D("90.00")  # (66 + 24) / (70 + 30): the second breakdown
    data = _zero_total(base_form())
    data["layout"] = "department-wide"
    data["funds"]["extras"] = {
        "基本支出": {"adjusted": "50", "executed": "50"},
        "项目支出": {"adjusted": "50", "executed": "40"},
    }
    card = score_form(form_from_dict(data), MOF)
    assert card.rate.computed == D("90.00")


def test_the_beijing_layout_divides_by_the_initial_budget():
    """Sample 021: 年初预算数(A) 310.2, 全年执行数(B) 154.74, no 全年预算数: 49.88 %, 4.99."""
    data = base_form()
    data["department"] = "北京市海淀区人民政府学院路街道办事处"
    data["funds"]["total"].update(initial="310.2", adjusted=None, executed="154.74")
    data["funds"]["total"]["extras"] = {"得分计算方法": "执行率*该指标分值,最高不得超过分值上限"}
    form = form_from_dict(data)
    choice = choose(form)
    assert choice.layout.id == "beijing-district"
    card = score_form(form, choice.policy)
    assert card.rate.computed == D("49.88")
    assert card.execution_score.computed == D("4.99")


def _no_row_weights(n_output: int) -> SelfEvaluation:
    data = base_form()
    rows = [
        {"level1": "产出指标(60分)", "level2": "数量指标", "name": f"产出{i}",
         "target": "≥1(个)", "actual": "1(个)", "weight": None, "score": None}
        for i in range(n_output)
    ]  # fmt: skip
    rows.append(
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度",
         "target": "≥90%", "actual": "95%", "weight": None, "score": None}
    )  # fmt: skip
    data["indicators"] = rows
    data["level1_weights"] = [{"label": "产出指标", "weight": "60"}]
    return form_from_dict(data)


def test_row_weights_implied_by_printed_level1_weights_are_derived_and_marked():
    form = _no_row_weights(7)
    card = score_form(form, HUBEI, get_layout("hubei-20"))
    output = card.indicators[:7]
    assert [r.weight for r in output] == [D("8.57")] * 6 + [D("8.58")]
    assert sum((r.weight for r in output if r.weight), D(0)) == D(60)
    assert all(r.weight_derived for r in output)
    assert [r.recommended for r in output] == [r.weight for r in output]
    last = card.indicators[7]  # 满意度: no printed weight, nothing derived
    assert last.weight is None and not last.weight_derived
    assert card.to_dict()["indicators"][0]["weight_derived"] is True
    assert "按一级指标的分值平均推算" in card.notes[0]


@given(st.integers(1, 40), st.integers(1, 10_000).map(lambda c: D(c).scaleb(-2)))
def test_derived_weights_add_up_to_the_printed_weight(n, printed):
    form = _no_row_weights(n)
    form.level1_weights = [Level1Weight(label="产出指标", weight=printed)]
    found = derived_weights(form, MOF)
    if not found:  # only when rounding each share up would leave the last row below 0
        assert quantize(printed / n, 2, "half_up") * (n - 1) > printed
        return
    assert sorted(found) == list(range(n))
    assert sum(found.values(), D(0)) == printed
    assert all(abs(w - printed / n) <= D("0.01") * n for w in found.values())
    assert all(w.as_tuple().exponent >= -2 for w in found.values())


def test_a_row_with_its_own_weight_is_never_derived():
    form = _no_row_weights(3)
    form.indicators[0].weight = D(20)
    assert derived_weights(form, MOF) == {}


def test_the_sichuan_target_is_joined_from_its_columns():
    """指标性质 ≥ / 指标值 24 / 度量单位 人, 完成值 20: a positive target missed, 分值 × 20/24."""
    data = base_form()
    data["layout"] = "sichuan"
    data["indicators"][1].update(target="24", actual="20", score="16.67")
    data["indicators"][1]["extras"] = {"指标性质": "≥", "度量单位": "人"}
    data["indicators"][2].update(target="100", actual="100")
    data["indicators"][2]["extras"] = {"指标性质": "═", "度量单位": "%"}
    data["indicators"][5]["extras"] = {"指标性质": "定性"}
    card = score_form(form_from_dict(data), load_policy("sichuan"))
    second, third = card.indicators[1], card.indicators[2]
    assert (second.method, second.recommended) == ("positive", D("16.67"))
    assert second.reason.startswith("正向指标未达成：分值 × B/A = 20.00 × 20/24")
    assert (third.method, third.recommended) == ("equal", D("10.00"))
    assert card.indicators[5].method == "qualitative"


def test_hebei_adjusted_scores_are_score_times_share_and_make_the_total():
    data = base_form()
    data["layout"] = "hebei"
    shares = ["10", "20", "10", "10", "20", "10", "10"]
    for row, share in zip(data["indicators"], shares, strict=True):
        row["share"] = share
        row["adjusted_score"] = str(D(row["weight"]) * D(share) / 100)
    data["indicators"][1].update(actual="80.00(台)", score="16.00")
    data["indicators"][1]["adjusted_score"] = "3.20"
    form = form_from_dict(data)
    card = score_form(form, load_policy("hebei"))
    adjusted = [r.adjusted for r in card.indicators]
    assert all(a is not None and a.matches for a in adjusted)
    assert adjusted[1] is not None and adjusted[1].computed == D("3.20")
    expected = sum((D(r["adjusted_score"]) for r in data["indicators"]), D(0))
    assert card.indicator_score.computed == expected
    assert card.total.computed == D("10.00") + expected
    assert "折算得分" in card.notes[-1]
    # a wrong 折算得分 makes its row disagree
    form.indicators[0].adjusted_score = D("5")
    assert not score_form(form, load_policy("hebei")).indicators[0].matches


def test_score_defaults_to_auto_and_names_the_layout(tmp_path):
    path = tmp_path / "hubei.json"
    path.write_text(json.dumps(_hubei(), ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "评分口径（auto）：hubei 1 张（版式 hubei-20）"
    card = json.loads(result.stdout)["forms"][0]["scorecard"]
    assert card["policy"] == "hubei" and card["layout"] == "hubei-20"
    assert card["execution_weight"] == "20"
    assert card["total"] == {"declared": "99.92", "computed": "99.92", "matches": True}
    assert card["matches"] is True


def test_the_score_table_names_the_layout_marks_derived_weights_and_says_what_changed(tmp_path):
    form = _no_row_weights(3)
    form.layout = "hubei-20"
    form.indicators[0].score = D(5)  # 20 derived, 5 declared: shown among the differences
    form.funds.total.weight = D(100)
    path = tmp_path / "forms.json"
    path.write_text(dump_forms([form]), encoding="utf-8")
    result = runner.invoke(app, ["score", str(path)])
    assert result.exit_code == 0, result.output
    shown = "".join(result.stdout.split())  # the table wraps to the terminal's width
    assert "hubei-20" in shown
    assert "表上预算执行分值100不是此版式允许的分值（20），按20分计" in shown
    assert "表上无逐行分值，按一级指标的分值平均推算（标为推算）" in shown
    assert "20.00（推算）" in shown
