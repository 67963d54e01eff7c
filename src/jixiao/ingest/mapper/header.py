"""The head of a form: title, year and amount unit lines, and the label–value rows
(项目名称 | x, 主管部门 | y | 实施单位 | z, other head fields into ``extras``)."""

from __future__ import annotations

import re

from jixiao.ingest.grid import join_lines
from jixiao.ingest.mapper.draft import Context, Row
from jixiao.ingest.mapper.labels import Label
from jixiao.ingest.template_fields import head_label_tail
from jixiao.ingest.vocabulary import GRID_YEAR, GRID_YEAR_LINE

_ANNEX = re.compile(r"^附件\s*\d*|^\d+、")  # 附件2; a doc site's page mark "1、"
# A page's own title run into the form's by a flattening ("(临时救助)绩效目标自评表绩效目标
# 自评表"): the form's, the last, is kept.
_PAGE_TITLE = re.compile(r"^.*?自评表\s*(?=.*自评表)")
_YEAR_SUFFIX = re.compile(r"[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）]$")


def title_text(text: str) -> tuple[str, int | None]:
    """A title as the form names itself, and the year it mentions: "附件2" dropped, a
    trailing "（2024年度）" moved out ("…自评表（2024年度）" → "…自评表", 2024)."""
    title = _ANNEX.sub("", join_lines(text)).strip()
    title = _PAGE_TITLE.sub("", title).strip()
    m = GRID_YEAR.search(title)
    year = int(m.group(1)) if m else None
    if year is not None or GRID_YEAR_LINE.search(title[-10:] if len(title) > 10 else title):
        title = _YEAR_SUFFIX.sub("", title).strip() or title
    return title, year


def title_line(ctx: Context, row: Row) -> bool:
    """…自评表: a second title after a form's 项目名称 (or indicators) starts the next form."""
    b = ctx.draft
    if b.started and ("project" in b.seen or b.form.indicators):
        b = ctx.new_form()
    b.touch(row)
    title, year = title_text(row.cells[0].text)
    b.form.set_checked("title", title)
    if year is not None:
        b.form.year = year
        b.seen.add("year")
    return True


def year_line(ctx: Context, row: Row) -> bool:
    """（2024年度）: a second year line after a form's 项目名称 and year starts the next."""
    b = ctx.draft
    if b.started and "project" in b.seen and "year" in b.seen:
        b = ctx.new_form()
    b.touch(row)
    b.form.year = row.labels[0].year
    b.seen.add("year")
    return True


def amount_unit_line(ctx: Context, row: Row) -> bool:
    """单位：万元 (or 元) on a line of its own."""
    unit = row.labels[0].amount_unit
    if unit is not None:
        ctx.draft.form.amount_unit = unit
    return True


def is_fund_header(labels: tuple[Label, ...]) -> bool:
    """A row of fund columns (two or more, one of them an amount): 年初预算数 | 全年预算数 …"""
    funds = {lab.fund_column for lab in labels if lab.fund_column}
    return len(funds) >= 2 and any(lab.money_column for lab in labels)


def head_row(ctx: Context, row: Row) -> bool:
    """Label/value pairs: 项目名称 | x, 主管部门 | y | 实施单位 | z, other head fields (into
    ``extras``). A second 项目名称 starts the next form. A row of other head fields only
    (项目类别 | …) is read while the form is still in its head."""
    labels = row.labels
    keys = [lab.head for lab in labels]
    other = len(row.cells) <= 2 and labels[0].other_head
    if not any(keys) and ctx.draft.section != "head" and not other:
        return False  # (评价结论 | text, a row of its own, is read anywhere)
    if is_fund_header(labels):
        return False  # 项目资金 | 项目名称 | 年初预算数 …: 项目名称 heads the rows' labels
    if "project" in keys and "project" in ctx.draft.seen:
        ctx.new_form()
    b = ctx.draft
    b.touch(row)
    i = 0
    while i < len(row.cells):
        cell, label, key = row.cells[i], labels[i], keys[i]
        if key is None and not label.other_head:
            if label.text:
                b.unmap(row, cell)
            i += 1
            continue
        # the cell after a label is its value, unless it is a head label itself
        takes = (
            i + 1 < len(row.cells) and labels[i + 1].head is None and not labels[i + 1].other_head
        )
        value = join_lines(row.cells[i + 1].text) if takes else ""
        if key is not None:
            label_text, value = head_label_tail(join_lines(cell.text), value)  # 及代码 wrapped
            if not takes and i + 1 < len(row.cells):  # another head label next: no value cell
                b.gap(f"{row.place(cell)}：“{label_text}”后没有读到它的内容")
            b.form.set_checked(key, value)  # (a text: at once when it passes)
            b.seen.add(key)
            b.head_labels.append(label_text)
        else:
            b.extras[join_lines(cell.text).rstrip(":：").strip()] = value
        i += 2 if takes else 1
    return True
