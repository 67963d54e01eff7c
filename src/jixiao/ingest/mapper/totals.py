"""The end of a form: 总分 (合计) with its 分值 and 得分 under the indicator columns, and
评分等级 (in its own row, or a 优/良/中/差 in the total row)."""

from __future__ import annotations

from jixiao.ingest.grid import join_lines
from jixiao.ingest.mapper.draft import Context, Draft, Row

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
            b.form.grade = join_lines(other.text)
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
            b.form.grade = join_lines(value.text) if value is not None else ""
            b.seen.add("grade")
            b.section = "end"
