"""The end of a form: 总分 (合计) with its 分值 and 得分 under the indicator columns, and
评分等级 (in its own row, or a 优/良/中/差 in the total row)."""

from __future__ import annotations

from decimal import Decimal

from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.grid import join_lines
from jixiao.ingest.mapper.draft import Context, Draft, Row
from jixiao.model import SelfEvaluation

# The sections a 总分 row may close (in the head it is text, not a total).
_TOTAL_AFTER = ("indicators", "goals", "funds", "end")


def total_row(ctx: Context, row: Row) -> bool:
    """总分 | … | 100 | 95.5 (| 优): the form's total under the 分值 and 得分 columns (or,
    where 得分 is blank there, under 折算得分)."""
    b = ctx.draft
    if b.section not in _TOTAL_AFTER or (b.section == "funds" and not b.ind_cols):
        return False  # 合计 as a fund row, or text before the tables
    cell = next(c for c, lab in zip(row.cells, row.labels, strict=True) if lab.text)
    b.touch(row)
    b.seen.add("total")
    weight = b.ind_cols.get("weight")
    score = b.ind_cols.get("score")
    wc = weight.value_cell(row) if weight else None
    sc = score.value_cell(row) if score else None
    wc = None if wc is cell else wc
    sc = None if sc is cell else sc
    adjusted = b.ind_cols.get("adjusted_score")
    if adjusted is not None and (sc is None or not join_lines(sc.text)):
        # 河北: the total is the sum of the 折算得分, printed under that column
        ac = adjusted.value_cell(row)
        sc = ac if ac is not None and ac is not cell and join_lines(ac.text) else sc
    b.form.total_weight = b.number(wc, "总分分值", row)
    b.form.total_score = b.number(sc, "总分得分", row)
    astray: list[str] = []
    for other, label in zip(row.cells, row.labels, strict=True):
        if other is cell or other is wc or other is sc:
            continue
        if label.grade_value:
            b.form.set_checked("grade", join_lines(other.text))
            b.seen.add("grade")
        elif label.text and not label.grade:
            b.unmap(row, other)
            astray.append(join_lines(other.text))
    if astray and (b.form.total_weight is None or b.form.total_score is None):
        b.gap(
            f"{row.place(cell)}：总分行的“{' '.join(astray)}”不在分值 / 得分栏下，"
            "总分的分值 / 得分未读全"
        )
    _grade_in_row(b, row)
    b.section = "end"
    return True


def grade_row(ctx: Context, row: Row) -> bool:
    """评分等级 | 优, once a form has started."""
    b = ctx.draft
    if not b.started:
        return False
    _grade_in_row(b, row)
    return True


def _grade_in_row(b: Draft, row: Row) -> None:
    """The grade after a 评分等级 label of ``row`` (the next cell with text, or none)."""
    for i, label in enumerate(row.labels):
        if label.grade:
            after = zip(row.cells[i + 1 :], row.labels[i + 1 :], strict=True)
            value = next((c for c, lab in after if lab.text), None)
            b.touch(row)
            b.form.set_checked("grade", join_lines(value.text) if value is not None else "")
            b.seen.add("grade")
            b.section = "end"


def total_by_sums(form: SelfEvaluation, numbers: list[str]) -> bool:
    """总分's 分值 and 得分 printed apart from its label, among ``numbers`` (those after the
    label to the form's end, in order: ``pdftotext`` default prints a page's 分值 / 得分
    column after 总分, a row's pair after the other, 总分's at the bottom). The last pair is
    taken for 总分 when the sums decide it: its 分值 is the form's other 分值 (the rows read,
    the pairs before it, the 项目资金 分值) added up, and its 得分 their 得分 likewise. Else
    nothing is taken (the form keeps its gap). Returns whether the total was set."""
    if len(numbers) < 2 or len(numbers) % 2 or form.total_weight is not None:
        return False
    try:
        values = [parse_amount(n) for n in numbers]
    except NotANumber:
        return False
    if any(v is None for v in values):
        return False
    pairs = [(values[i], values[i + 1]) for i in range(0, len(values), 2)]
    *rows, (weight, score) = pairs
    funds = form.funds.total
    weights = [i.weight for i in form.indicators] + [w for w, _ in rows] + [funds.weight]
    scores = [i.score for i in form.indicators] + [s for _, s in rows] + [funds.score]
    if sum((w for w in weights if w is not None), Decimal(0)) != weight:
        return False
    if sum((s for s in scores if s is not None), Decimal(0)) != score:
        return False
    form.total_weight, form.total_score = weight, score
    return True
