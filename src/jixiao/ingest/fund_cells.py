"""A fund row of a flattening with fewer numbers than its block has columns: which column
each number is under, decided by the form's arithmetic (a stage of
:mod:`jixiao.ingest.rows`).

Flattenings drop empty cells: ``其中:本年财政拨款 90 89.974 89.974`` (the row's 分值 / 执行率
/ 得分 left blank), or ``年度资金总额 | 387664.62 | 387664.62 | 10 | 100% | 10`` (one of the
three amounts blank, 云南). The numbers keep their order, so a reading is a choice of
columns in order; it must be well formed (a percentage only under 执行率; 分值 / 得分 no
more than 100; 得分 ≤ 分值) and hold the row's arithmetic (执行率 = 执行数 / 预算数, to its
places, against 全年预算数 where the block has that column). A reading whose 执行率 checks
out is taken over one that cannot be checked; then one whose amounts stand in columns the
row above filled (rows of one block leave the same cells blank); then the one whose blanks
are all at the end of the row. A tie
is no reading (the caller names a gap).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import combinations

from jixiao.ingest.amounts import NotANumber, parse_amount
from jixiao.ingest.glued import rate_holds

AMOUNTS = ("initial", "adjusted", "executed")
_MAX_COLUMNS = 9  # a fund header is never wider; combinations stay few


def _number(text: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except NotANumber:
        return None


def _well_formed(cols: Sequence[str], values: dict[str, str]) -> bool:
    for key, text in values.items():
        if "%" in text and key != "rate":
            return False
        value = _number(text)
        if key in ("weight", "score") and value is not None and value > 100:
            return False
    weight, score = _number(values.get("weight", "")), _number(values.get("score", ""))
    return weight is None or score is None or score <= weight


def _verified(cols: Sequence[str], values: dict[str, str]) -> bool | None:
    """True / False: the 执行率 holds or not; None: it cannot be checked."""
    budget_key = "adjusted" if "adjusted" in cols else "initial"
    rate = _number(values.get("rate", ""))
    done = _number(values.get("executed", ""))
    budget = _number(values.get(budget_key, ""))
    if rate is None or done is None or budget is None:
        return None
    return rate_holds(done, budget, rate)


def rate_fails(cols: Sequence[str], pieces: Sequence[str]) -> bool:
    """Do ``pieces`` read in order under ``cols`` give a 执行率 that the row's 执行数 and
    预算数 contradict? (False when it cannot be checked.)"""
    return _verified(cols, dict(zip(cols, pieces, strict=False))) is False


def place_short(
    pieces: Sequence[str], cols: Sequence[str], like: Sequence[int] | None = None
) -> list[int] | None:
    """For each of ``pieces`` (fewer than ``cols``), the index of its column; None when
    no one reading is best (see the module's docstring). ``like``: the columns the row
    above was read into."""
    n, m = len(cols), len(pieces)
    if not 0 < m < n or n > _MAX_COLUMNS:
        return None
    ranked: list[tuple[tuple[int, int, int], tuple[int, ...]]] = []
    for chosen in combinations(range(n), m):
        values = {cols[c]: p for c, p in zip(chosen, pieces, strict=True)}
        if not _well_formed(cols, values):
            continue
        verified = _verified(cols, values)
        if verified is False:
            continue
        holes = sum(1 for c in range(max(chosen)) if c not in chosen)
        same = 0
        if like is not None:
            mine = {
                c
                for c, p in zip(chosen, pieces, strict=True)
                if cols[c] in AMOUNTS and _number(p) is not None
            }
            theirs = {c for c in like if cols[c] in AMOUNTS}
            same = 0 if mine <= theirs and mine else 1
        ranked.append(((0 if verified else 1, same, holes), chosen))
    if not ranked:
        return None
    ranked.sort()
    if len(ranked) > 1 and ranked[0][0] == ranked[1][0]:
        return None
    return list(ranked[0][1])


def _inserted(
    cols: Sequence[str], missing: Sequence[str], order: Sequence[str]
) -> list[str] | None:
    """``cols`` (a header's column keys, its added columns, "extra", last) with the columns
    ``missing`` put where the declared ``order`` (a layout's fund columns) has them: each
    after the last column the order puts before it. None when the order lacks one of
    ``missing`` (the layout has no such column)."""
    numeric = [c for c in cols if c != "extra"]
    extras = list(cols[len(numeric) :])
    if any(c != "extra" for c in extras) or any(m not in order for m in missing):
        return None
    for m in sorted(missing, key=order.index):
        rank = order.index(m)
        before = [i for i, c in enumerate(numeric) if c in order and order.index(c) < rank]
        numeric.insert(before[-1] + 1 if before else 0, m)
    return numeric + extras


def _holds(values: dict[str, str]) -> bool | None:
    """The row's 执行率 against its 执行数 and its 全年预算数, or its 年初预算数 where the
    全年预算数 is blank (北京's layout has none: its cells print ``-``); None: no check."""
    rate, done = _number(values.get("rate", "")), _number(values.get("executed", ""))
    budget = _number(values.get("adjusted", ""))
    budget = _number(values.get("initial", "")) if budget is None else budget
    if rate is None or done is None or budget is None:
        return None
    return rate_holds(done, budget, rate)


def restored_columns(
    cols: Sequence[str],
    missing: Sequence[str],
    rows: Sequence[Sequence[str]],
    orders: Sequence[Sequence[str]],
) -> list[str] | None:
    """A fund header's columns ``cols`` with the columns ``missing`` (printed apart from it:
    LibreOffice's ``-raw`` text of a workbook prints a label of mixed scripts, 执行率(%),
    after the table) put back where a declared layout (``orders``, each a layout's fund
    column keys in order) puts them, when the block's ``rows`` (each its values in order)
    decide where: the one placement of those the layouts declare under which no row's 执行率
    is contradicted by its 执行数 and 预算数 (nor a row ill formed) and some row's holds.
    None when no placement, or more than one, is left."""
    candidates: list[list[str]] = []
    for order in orders:
        full = _inserted(cols, missing, order)
        if full is not None and full not in candidates:
            candidates.append(full)
    left: list[tuple[list[str], bool]] = []
    for full in candidates:
        numeric = [c for c in full if c != "extra"]
        verdicts = []
        for pieces in rows:
            values = dict(zip(numeric, pieces, strict=False))
            verdicts.append(_holds(values) if _well_formed(numeric, values) else False)
        if False not in verdicts:
            left.append((full, True in verdicts))
    if len(left) != 1 or not left[0][1]:
        return None
    return left[0][0]
