"""A file's grids sorted into documents: 自评表, 申报表, 监控表, and what is skipped.

A workbook's sheets are told apart one by one (:func:`jixiao.ingest.kinds.classify`): the
自评表 sheets go to the label mapper (:func:`jixiao.ingest.mapper.map_forms`), a 申报表 or
监控表 to its reader (:mod:`jixiao.ingest.plan_tables`), and every other sheet is named
with the reason it is skipped ("项目支出计划：不是绩效表，已跳过"), never read as a form.
Other files (PDF, Word, HTML, text) go to the mapper whole, as before: their tables are not
sorted by kind yet.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.ingest.errors import GridImportError
from jixiao.ingest.grid import Grid
from jixiao.ingest.kinds import KIND_NAMES, Kind, classify, skipped_note
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
]
