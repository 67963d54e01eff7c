"""The engine: policy thresholds and severities, finding places, inflation, batches."""

from __future__ import annotations

from decimal import Decimal

from jixiao.audit import ApprovedTargets, audit_form, audit_forms, inflation, source_span
from jixiao.audit.examples import build, row, spend
from jixiao.audit.registry import Finding, place_label, place_words
from jixiao.model import SelfEvaluation, Source
from jixiao.policy import load_policy
from jixiao.scoring import score_form


def _policy(tmp_path, body: str):
    path = tmp_path / "custom.toml"
    path.write_text('base = "shanghai"\n' + body, encoding="utf-8")
    return load_policy(path)


def _activity(forms):
    return next(f for f in forms if f.project == "活动经费")


def test_thresholds_come_from_the_policy(oracle_forms, shanghai, tmp_path):
    form = _activity(oracle_forms)
    assert "X05" in {f.rule for f in audit_form(form, shanghai)}
    lenient = _policy(tmp_path, "[audit]\nexec_rate_warn = 30\ngrade_exec_rate = 30\n")
    rules = {f.rule for f in audit_form(form, lenient)}
    assert "X05" not in rules and "P10" not in rules
    assert "P01" in rules


def test_severity_overrides_come_from_the_policy(oracle_forms, shanghai, tmp_path):
    form = _activity(oracle_forms)
    strict = _policy(tmp_path, '[audit.severity]\nX05 = "error"\nW03 = "info"\n')
    by_rule = {f.rule: f.severity for f in audit_form(form, strict)}
    assert by_rule["X05"] == "error" and by_rule["W03"] == "info"
    findings = audit_form(form, strict)
    order = {"error": 0, "warning": 1, "info": 2}
    assert [order[f.severity] for f in findings] == sorted(order[f.severity] for f in findings)
    assert findings[0].rule == "F03"  # errors first, then catalogue order


def test_finding_points_to_the_row(oracle_forms, shanghai):
    form = next(f for f in oracle_forms if f.project == "后勤保障经费")
    f07s = [f for f in audit_form(form, shanghai) if f.rule == "F07"]
    assert [f.position for f in f07s] == [3, 6, 15]
    f07 = f07s[-1]
    assert f07.form == "后勤保障经费"
    assert f07.where == "indicators[14].target"
    assert (f07.position, f07.indicator) == (15, "装备使用人员满意度")
    assert (f07.declared, f07.expected) == ("≤90.00(%)", "≥90.00(%)")
    assert f07.place == "第15行“装备使用人员满意度” 年度指标值"
    assert f07.source == "tests/data/expected.json" or f07.source.endswith("expected.json")
    assert f07.fix


def test_form_level_place_in_words(oracle_forms, shanghai):
    x05 = next(f for f in audit_form(_activity(oracle_forms), shanghai) if f.rule == "X05")
    assert x05.place == "年度资金总额·执行率"


def test_places_never_show_field_paths() -> None:
    assert place_label("indicators[2].actual") == "第3行 实际完成值"
    assert place_label("funds.carryover.executed") == "上年结转资金·全年执行数"
    assert place_label("indicators[*].score") == "各指标得分"
    assert place_words("indicators[0]", 1, None) == "第1行"
    assert place_words("no.such.path", None, None) == "整张表"


def test_finding_round_trips_through_its_dict(oracle_forms, shanghai) -> None:
    for f in audit_form(oracle_forms[1], shanghai):
        data = f.to_dict()
        assert "[" not in data["place"] and data["severity_label"] in {"错误", "警告", "提示"}
        back = Finding.from_dict(data, form=f.form, source=f.source)
        assert back.to_dict() == data
        assert (back.place, back.values_text) == (f.place, f.values_text)


def test_inflation_is_points_of_completion_above_spending(mof):
    form = build(spend("35.00", "35.00", "3.50", "93.50"))
    assert inflation(form, score_form(form, mof)) == Decimal("65.00")
    clean = build(None)
    assert inflation(clean, score_form(clean, mof)) == Decimal("0.00")
    honest = build(
        row(2, actual="50.00(台)", score="10.00", deviation="只采购一半，余款已收回财政。")
    )
    # 80/90 = 88.89 % completion against 100 % spent: negative, money ahead of results
    assert inflation(honest, score_form(honest, mof)) == Decimal("-11.11")


def test_boilerplate_across_forms(mof):
    text = "受疫情影响进度滞后，下一步将加快推进，确保完成。"
    forms = [build(row(2, actual="90.00(台)", score="18.00", deviation=text)) for _ in range(3)]
    for i, f in enumerate(forms):
        f.project = f"项目{i}"
    alone = audit_form(forms[0], mof)
    assert "D04" not in {f.rule for f in alone}
    batch = audit_forms(forms, mof)
    d04 = [f for a in batch for f in a.findings if f.rule == "D04"]
    assert len(d04) == 3 and "本批 3 张表" in d04[0].message


def test_p09_only_with_targets(mof):
    form = build(None)
    assert "P09" not in {f.rule for f in audit_form(form, mof)}
    approved = ApprovedTargets.from_forms([build(row(7, target="≥92.00(%)"))])
    p09 = [f for f in audit_form(form, mof, approved) if f.rule == "P09"]
    assert [(f.position, f.declared, f.expected) for f in p09] == [(7, "≥90.00(%)", "≥92.00(%)")]


_ODD = [None, "", "0", "-1", "  ", "-", "XX", "≥", "abc", "≥0(%)", "=0(个)", "2025年13月", "未达成"]


def test_broken_forms_never_crash_the_audit(oracle_forms, shanghai, mof):
    """Blanks, zeros, negatives and junk anywhere: findings, never an exception."""
    import copy
    import random

    from jixiao.model import form_from_dict

    rng = random.Random(4)
    bases = [f.to_json_dict() for f in oracle_forms]
    audited = 0
    for _ in range(300):
        data = copy.deepcopy(rng.choice(bases))
        for _ in range(rng.randint(1, 6)):
            if rng.random() < 0.6 and data["indicators"]:
                r = rng.choice(data["indicators"])
                key = rng.choice(["target", "actual", "name", "level1", "level2", "deviation"])
                r[key] = rng.choice(_ODD) or ""
                r[rng.choice(["weight", "score"])] = rng.choice([None, "0", "-1", "200"])
            else:
                row = rng.choice(["total", "fiscal", "carryover", "other"])
                col = rng.choice(["initial", "adjusted", "executed", "weight", "rate", "score"])
                data["funds"][row][col] = rng.choice([None, "0", "-5", "1000000"])
        form = form_from_dict(data)
        for policy in (shanghai, mof):
            findings = audit_form(form, policy)
            assert all(f.message and f.where and f.fix for f in findings)
            audited += 1
    assert audited == 600


def test_generated_forms_inflated_ones_caught_honest_ones_clean(shanghai):
    """On generated forms with known truth: every unit that inflated its scores is caught;
    no form computed honestly gets an arithmetic finding."""
    from jixiao.generate import generate_cases

    arithmetic = {"S03", "W01", "W04", "W05", "W06", "X01", "X02", "Q01", "Q02", "Q05"}
    caught = {"Q01", "Q02", "Q03", "Q05", "P02"}
    cases = generate_cases(300, 11)
    inflated = [c for c in cases if c.inflated]
    assert len(inflated) >= 20
    for case in cases:
        rules = {f.rule for f in audit_form(case.form, shanghai)}
        if case.inflated:
            assert rules & caught, case.form.project
        else:
            assert not rules & arithmetic, (case.form.project, rules & arithmetic)


def test_source_span_names_lines_or_pages() -> None:
    assert (
        source_span(SelfEvaluation(source=Source(file="s.txt", start_line=2, end_line=176)))
        == "s.txt:2-176"
    )
    assert source_span(SelfEvaluation(source=Source(file="a.pdf", page=2))) == "a.pdf 第2页"
    assert (
        source_span(SelfEvaluation(source=Source(file="a.pdf", page=2, end_page=3)))
        == "a.pdf 第2–3页"
    )
    assert source_span(SelfEvaluation()) is None
