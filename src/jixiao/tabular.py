"""Forms as one flat table: one row per indicator, the form's fields repeated on each.

Column names are the canonical JSON field paths (``funds.total.initial``), so the CSV
and the JSON speak the same language. A form without indicators still has one row.

Text that Excel or WPS would run as a formula (a cell beginning with ``= + - @``, a tab
or a carriage return) is written with a leading apostrophe, as the spreadsheets
themselves mark text; numbers, and text that is just a number or a dash, stay as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal
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


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Text that a spreadsheet reads as a plain number or shows as a dash: never a formula.
_INERT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?$|^-+$")


def spreadsheet_safe(text: str) -> str:
    """``text`` so that Excel and WPS cannot run it as a formula ("=1+1" → "'=1+1")."""
    if text.startswith(FORMULA_START) and not _INERT.match(text):
        return "'" + text
    return text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int):  # numbers stay numbers ("-3.5")
        return str(value)
    if isinstance(value, list):  # the gaps
        return spreadsheet_safe("；".join(value))
    return spreadsheet_safe(str(value))


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
