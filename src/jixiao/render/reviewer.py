"""Build the reviewer annotations of a form from its scorecard (and audit findings).

The numbers come from :mod:`jixiao.scoring`; this module only decides where on the
form each computed value is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from jixiao.audit import FormAudit
from jixiao.audit.registry import Finding
from jixiao.model import FUND_COLUMNS, FUND_ROWS, SelfEvaluation
from jixiao.policy import Policy
from jixiao.render.review import Note, Review
from jixiao.render.view import show_number, show_value
from jixiao.scoring import Compared, IndicatorScore, Scorecard, execution_rate, score_form

RATE_COLUMN = FUND_COLUMNS.index("rate")
SCORE_COLUMN = FUND_COLUMNS.index("score")


def compared_note(c: Compared) -> Note:
    """A declared/computed pair as a note (agreement compares numbers as numbers)."""
    return Note(None if c.computed is None else show_value(c.computed), not c.matches)


def indicator_note(row: IndicatorScore) -> Note:
    """The recommended 得分, or the allowed range when the rules give one."""
    if row.recommended is None:
        return Note(None, True)
    if row.low is not None and row.high is not None and row.low != row.high:
        computed = f"{show_number(row.low)}～{show_number(row.high)}"
    else:
        computed = show_number(row.recommended)
    return Note(computed, not row.matches)


def review_from_scorecard(
    form: SelfEvaluation,
    card: Scorecard,
    policy: Policy,
    findings: Iterable[Finding] = (),
) -> Review:
    """Notes beside every value the rules compute: 执行率 of each fund row, the execution
    得分, each indicator 得分, 总分 and 评分等级."""
    notes: dict[str, Note] = {}
    for key in FUND_ROWS:
        row = getattr(form.funds, key)
        if key == "total":
            notes[f"funds.total.{RATE_COLUMN}"] = compared_note(card.rate)
            notes[f"funds.total.{SCORE_COLUMN}"] = compared_note(card.execution_score)
            continue
        rate = execution_rate(row.executed, row.adjusted, policy)
        if rate is not None:  # a part with no budget has no rate to check
            notes[f"funds.{key}.{RATE_COLUMN}"] = compared_note(Compared(row.rate, rate))
    for i, row_score in enumerate(card.indicators):
        notes[f"indicators.{i}.score"] = indicator_note(row_score)
    notes["total_score"] = compared_note(card.total)
    notes["grade"] = compared_note(card.grade)
    unscored = [unscored_finding(form, line) for line in card.unscored]
    return Review(notes=notes, findings=[*findings, *unscored])


def unscored_finding(form: SelfEvaluation, line: str) -> Finding:
    """What the rules could not score, listed as an information beside the findings."""
    return Finding(
        rule="—",
        family="",
        severity="info",
        title="无法计分",
        form=form.label,
        source=None,
        where="",
        message=line,
        fix="补全或更正该项后重新计算",
    )


def review_form(form: SelfEvaluation, policy: Policy, findings: Iterable[Finding] = ()) -> Review:
    """Score ``form`` under ``policy`` and annotate it."""
    return review_from_scorecard(form, score_form(form, policy), policy, findings)


def review_audit(audit: FormAudit, policy: Policy) -> Review:
    """Computed values from the audit's scorecard, and its findings (most severe first)."""
    return review_from_scorecard(audit.form, audit.scorecard, policy, audit.findings)
