"""Forms as one flat table: one row per indicator, the form's fields repeated on each.

Column names are the canonical JSON field paths (``funds.total.initial``), so the CSV
and the JSON speak the same language. A form without indicators still has one row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from jixiao.model import FUND_PATHS, INDICATOR_LABELS, Indicator, SelfEvaluation, value_at

FORM_COLUMNS: tuple[str, ...] = (
    "source.file",
    "source.start_line",
    "source.end_line",
    "index",
    "title",
    "year",
    "project",
    "department",
    "unit",
    "amount_unit",
    *FUND_PATHS,
    "goals.expected",
    "goals.achieved",
    "total_weight",
    "total_score",
    "grade",
    "gaps",
)
INDICATOR_COLUMNS: tuple[str, ...] = ("indicator", *INDICATOR_LABELS)
COLUMNS = FORM_COLUMNS + INDICATOR_COLUMNS


def _cell(value: Any) -> str:
    if isinstance(value, list):  # the gaps
        return "；".join(value)
    return "" if value is None else str(value)


def _form_cells(form: SelfEvaluation) -> list[str]:
    return [_cell(value_at(form, path)) for path in FORM_COLUMNS]


def rows(forms: list[SelfEvaluation]) -> Iterator[list[str]]:
    for form in forms:
        head = _form_cells(form)
        indicators: list[Indicator | None] = list(form.indicators) or [None]
        for n, ind in enumerate(indicators, 1):
            if ind is None:
                yield head + [""] * len(INDICATOR_COLUMNS)
                continue
            yield head + [str(n)] + [_cell(getattr(ind, key)) for key in INDICATOR_LABELS]


def to_csv(forms: list[SelfEvaluation], bom: bool = True) -> str:
    """The CSV text (CRLF rows); with a BOM so that Excel and WPS read it as UTF-8."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    writer.writerows(rows(forms))
    return ("\ufeff" if bom else "") + buf.getvalue()
