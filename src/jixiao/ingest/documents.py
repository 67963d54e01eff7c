"""A file's grids sorted into documents: 自评表, 申报表, 监控表, and what is skipped.

A workbook's sheets are told apart one by one (:func:`sheet_documents`,
:func:`jixiao.ingest.kinds.classify`): the 自评表 sheets go to the label mapper
(:func:`jixiao.ingest.mapper.map_forms`), a 申报表 or 监控表 to its reader
(:mod:`jixiao.ingest.plan_tables`), and every other sheet is named with the reason it is
skipped ("项目支出计划：不是绩效表，已跳过"), never read as a form.

A PDF, Word or HTML file is a run of tables and text lines (:func:`table_documents`): each
table is classified with the lines above it (the title and year printed outside the
table), and the run is cut into documents where a table's title names a kind, or where an
untitled table's labels mark another kind than the document before it; an untitled table
of no kind continues the document before it (a 自评表's indicator table, a page's rest).
A file with no 申报表, no 监控表 and no titled other content goes to the mapper whole, as
it always has.
A 申报表 or 监控表 in several tables is read as one grid, its parts stacked
(:func:`stacked`); the 自评表 parts go to the mapper in document order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from jixiao.ingest.errors import GridImportError
from jixiao.ingest.grid import Cell, Grid
from jixiao.ingest.kinds import (
    KIND_NAMES,
    TITLE_ROWS,
    Kind,
    Verdict,
    classify,
    is_document_title,
    skipped_note,
    title_kind,
)
from jixiao.ingest.mapper import map_forms
from jixiao.ingest.plan_tables import read_declaration, read_monitoring
from jixiao.plans import Documents


def sheet_documents(grids: Sequence[Grid], name: str) -> Documents:
    """The documents of a workbook, one kind per sheet (``grids`` one per sheet)."""
    out = Documents()
    forms: list[Grid] = []
    for grid in grids:
        verdict = classify(grid)
        if verdict.kind is Kind.SELF_EVALUATION:
            forms.append(grid)
        elif verdict.kind is Kind.DECLARATION:
            out.declarations.append(read_declaration(grid, name, len(out.declarations) + 1))
        elif verdict.kind is Kind.MONITORING:
            out.monitorings.append(read_monitoring(grid, name, len(out.monitorings) + 1))
        else:
            out.skipped.append(skipped_note(grid, verdict))
    out.forms = map_forms(forms, name)
    return out


@dataclass
class _Part:
    """One document's run of grids (text lines and tables) in a PDF, Word or HTML file."""

    verdict: Verdict
    grids: list[Grid] = field(default_factory=list)

    @property
    def first_table(self) -> Grid:
        return next(g for g in self.grids if not g.is_text)


def stacked(grids: Sequence[Grid]) -> Grid:
    """One grid holding ``grids`` one under the other (a text line as a cell of its own
    row), each cell's place still named as in its own grid. A table right under a wider
    one is its continuation on the next page, which lost the columns merged down on its
    left (绩效指标): it is put under the wider one's right-hand columns."""
    cells: list[Cell] = []
    starts: list[tuple[int, int, Grid]] = []
    top = 0
    above: Grid | None = None
    for grid in grids:
        shift = 0
        if above is not None and not above.is_text and not grid.is_text:
            shift = max(above.ncols - grid.ncols, 0)
        starts.append((top, shift, grid))
        for c in grid.cells:
            cells.append(Cell(c.row + top, c.col + shift, c.rowspan, c.colspan, c.text, c.value))
        top += max(grid.nrows, 1)
        above = grid

    def address(row: int, col: int) -> str:
        for first, shift, grid in reversed(starts):
            if row >= first:
                return grid.place(row - first, max(col - shift, 0))
        return f"第{row + 1}行第{col + 1}列"

    pages = [grid.page_of(r) or 0 for grid in grids for r in range(max(grid.nrows, 1))]
    first_page = next((g.page for g in grids if g.page is not None), None)
    return Grid(cells, origin="", page=first_page, address=address, row_pages=pages or None)


def _verdict(lines: Sequence[Grid], table: Grid) -> Verdict:
    """A table's kind with the text lines printed above it: a line among the last few that
    names a kind (nearest first: "附件2" and "单位：万元" around the title do not count),
    else :func:`classify` of the table with those lines as its first rows."""
    near = lines[-TITLE_ROWS:]
    for line in reversed(near):
        text = line.cells[0].text.strip()
        kind = title_kind(text)
        if kind is not None:
            return Verdict(kind, text)
    verdict = classify(stacked([*near, table]) if near else table)
    if verdict.kind is Kind.OTHER or is_document_title(verdict.title):
        return verdict
    titles = [g.cells[0].text.strip() for g in near if is_document_title(g.cells[0].text)]
    return Verdict(verdict.kind, titles[-1] if titles else "", verdict.reason)


def _continues(part: _Part | None, verdict: Verdict) -> bool:
    """Whether a table (``verdict``, read with the lines above it) goes on with ``part``:
    it has no title of its own, and it is of no kind or of the part's kind."""
    if part is None or is_document_title(verdict.title):
        return False
    return verdict.kind is Kind.OTHER or verdict.kind is part.verdict.kind


def _parts(grids: Sequence[Grid]) -> list[_Part]:
    parts: list[_Part] = []
    pending: list[Grid] = []  # text lines since the last table
    current: _Part | None = None
    for grid in grids:
        if grid.is_text:
            pending.append(grid)
            continue
        verdict = _verdict(pending, grid)
        if _continues(current, verdict) and current is not None:
            current.grids.extend((*pending, grid))
        else:
            current = _Part(verdict, [*pending, grid])
            parts.append(current)
        pending = []
    if current is not None:
        current.grids.extend(pending)
    return _joined(parts)


def _joined(parts: list[_Part]) -> list[_Part]:
    """An untitled part of no kind before an untitled part of a kind (a 自评表's head in a
    table of its own, its funds and indicators in the next) is that part's beginning."""
    out: list[_Part] = []
    for i, part in enumerate(parts):
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if (
            part.verdict.kind is Kind.OTHER
            and not is_document_title(part.verdict.title)
            and nxt is not None
            and nxt.verdict.kind is not Kind.OTHER
            and not is_document_title(nxt.verdict.title)
        ):
            nxt.grids[:0] = part.grids
            continue
        out.append(part)
    return out


def _part_name(part: _Part) -> str:
    """A skipped part in words: its title, else where its first table is."""
    if part.verdict.title:
        return part.verdict.title
    table = part.first_table
    if table.origin:
        return table.origin
    return f"第{table.page}页的表格" if table.page is not None else "表格"


def _plain_form_part(part: _Part) -> bool:
    """A 自评表, or an untitled table of no kind (the mapper decides what it holds)."""
    kind = part.verdict.kind
    return kind is Kind.SELF_EVALUATION or (
        kind is Kind.OTHER and not is_document_title(part.verdict.title)
    )


def table_documents(grids: Sequence[Grid], name: str) -> Documents:
    """The documents of a PDF, Word or HTML file, from its tables and text lines in
    document order (see the module's text)."""
    out = Documents()
    parts = _parts(grids)
    if all(_plain_form_part(part) for part in parts):
        # nothing but 自评表 and untitled tables: the mapper reads them all, as it always has
        out.forms = map_forms(grids, name)
        return out
    forms: list[Grid] = []
    for part in parts:
        kind = part.verdict.kind
        if kind is Kind.SELF_EVALUATION:
            forms.extend(part.grids)
        elif kind is Kind.DECLARATION:
            grid = stacked(part.grids)
            out.declarations.append(read_declaration(grid, name, len(out.declarations) + 1))
        elif kind is Kind.MONITORING:
            grid = stacked(part.grids)
            out.monitorings.append(read_monitoring(grid, name, len(out.monitorings) + 1))
        else:
            reason = part.verdict.reason or "不是绩效表"
            out.skipped.append(f"{_part_name(part)}：{reason}，已跳过")
    out.forms = map_forms(forms, name)
    return out


def require_documents(docs: Documents, name: str, what: str) -> Documents:
    """Raise a clear error when a file held no document at all (naming what it skipped)."""
    if len(docs) == 0:
        skipped = "；".join(docs.skipped[:5]) + ("…" if len(docs.skipped) > 5 else "")
        seen = f"（{skipped}）" if skipped else "（未见“项目名称”“三级指标”等栏目）"
        raise GridImportError(
            f"{name}: {what}中没有找到财政项目支出绩效自评表、绩效目标申报表或执行监控表{seen}"
        )
    return docs


def require_self_evaluations(docs: Documents, name: str, what: str) -> Documents:
    """Raise when a file holds no 自评表; the message says what it holds instead."""
    if docs.forms:
        return docs
    require_documents(docs, name, what)
    others = [
        f"{KIND_NAMES[Kind.DECLARATION]} {len(docs.declarations)} 张" if docs.declarations else "",
        f"{KIND_NAMES[Kind.MONITORING]} {len(docs.monitorings)} 张" if docs.monitorings else "",
    ]
    held = "、".join(o for o in others if o)
    raise GridImportError(
        f"{name}: {what}中没有财政项目支出绩效自评表（只有{held}；用 jixiao import 可导入这些表）"
    )


__all__ = [
    "require_documents",
    "require_self_evaluations",
    "sheet_documents",
    "stacked",
    "table_documents",
]
