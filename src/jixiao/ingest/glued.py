"""Numbers glued without a separator (``1245.54956.64815.5910.0085.258.53``, ``1010100%20``):
split only where the form decides it.

A run of digits, points, "%" and "-" is cut into exactly the count of numbers its row
needs; each cut must give well-formed numbers (no leading zero, "-" for an empty cell) and
the row's arithmetic must hold: for a fund row 执行率 = 执行数 / 预算数 (to the places it
is written) and 得分 ≤ 分值; for 分值 / 得分, 得分 ≤ 分值. The split is taken only when
exactly one cut passes; otherwise the caller names a gap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache

GLUED = re.compile(r"^[\d.,%\-—]+$")
_EMPTIES = re.compile(r"^[-—]{2,}$")  # empty cells glued: one "-" a cell
_PIECE = re.compile(r"^(?:-|—|(?:0|[1-9]\d*)(?:\.\d+)?%?)$")
MAX_LENGTH = 48  # longer runs are not split (the cuts grow too many)
MAX_CUTS = 2000

Check = Callable[[list[Decimal | None]], bool]


def is_glued(text: str) -> bool:
    return bool(GLUED.match(text)) and any(ch.isdigit() for ch in text)


def _value(piece: str) -> Decimal | None:
    if piece in ("-", "—"):
        return None
    try:
        return Decimal(piece.rstrip("%"))
    except InvalidOperation:  # pragma: no cover - _PIECE admits only numbers
        return None


@lru_cache(maxsize=4096)
def _cuts(text: str, count: int, places: int | None) -> tuple[tuple[str, ...], ...] | None:
    """Every way to cut ``text`` into ``count`` well-formed pieces, each number with
    ``places`` decimals (any when None); None past MAX_CUTS."""
    if count == 1:
        return ((text,),) if _fits(text, places) else ()
    out: list[tuple[str, ...]] = []
    for k in range(1, len(text) - count + 2):
        head = text[:k]
        if not _fits(head, places):
            continue
        rest = _cuts(text[k:], count - 1, places)
        if rest is None:
            return None
        out += [(head, *r) for r in rest]
        if len(out) > MAX_CUTS:
            return None
    return tuple(out)


def _fits(piece: str, places: int | None) -> bool:
    if not _PIECE.match(piece):
        return False
    return places is None or piece in ("-", "—") or _places_of(piece) == places


def split_glued(text: str, count: int, check: Check) -> list[str] | None:
    """The one cut of ``text`` into ``count`` numbers whose values pass ``check``: the only
    one written with the same decimal places throughout; only when no cut has even places,
    the only one at all."""
    text = text.replace(",", "")
    if count < 1 or len(text) > MAX_LENGTH or not (is_glued(text) or _EMPTIES.match(text)):
        return None
    even = _even_cuts(text, count)
    if even is None:
        return None
    any_uniform = bool(even)
    uniform = [list(c) for c in even if check([_value(p) for p in c])]
    if len(uniform) == 1:
        return uniform[0]
    if any_uniform:  # written with even places but not adding up, or ambiguous: no cut
        return None
    cuts = _cuts(text, count, None)
    if cuts is None:
        return None
    valid = [list(c) for c in cuts if check([_value(p) for p in c])]
    return valid[0] if len(valid) == 1 else None


_EVEN = {d: re.compile(rf"(?:-|—|(?:0|[1-9]\d*)\.\d{{{d}}}%?)") for d in range(1, 5)}


def _even_cuts(text: str, count: int) -> list[tuple[str, ...]] | None:
    """The cuts whose numbers all have the same places. With a point in the text each
    number has one, so a cut is fixed by its places: one regular expression per places."""
    if "." not in text:
        cuts = _cuts(text, count, 0)
        return None if cuts is None else list(cuts)
    out = []
    for pattern in _EVEN.values():
        pieces = pattern.findall(text)
        if len(pieces) == count and "".join(pieces) == text:
            out.append(tuple(pieces))
    return out


def _places_of(piece: str) -> int:
    _, dot, tail = piece.rstrip("%").partition(".")
    return len(tail) if dot else 0


def _places(value: Decimal) -> int:
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def rate_holds(done: Decimal | None, budget: Decimal | None, rate: Decimal | None) -> bool:
    """执行率 (a percent, or a fraction ≤ 1) = ``done`` / ``budget`` to its written places."""
    if rate is None or done is None or budget is None:
        return True
    if budget == 0:
        return rate == 0
    exact = done / budget * 100
    tol = Decimal(1).scaleb(-_places(rate)) + Decimal("1e-9")  # rounded or cut
    if abs(exact - rate) <= tol:
        return True
    return rate <= 1 and abs(exact / 100 - rate) <= tol


def fund_check(columns: Sequence[str]) -> Check:
    """The arithmetic of a fund row with these columns (keys of the model's FUND_COLUMNS)."""
    idx = {c: i for i, c in enumerate(columns)}

    def get(values: list[Decimal | None], key: str) -> Decimal | None:
        return values[idx[key]] if key in idx else None

    def check(values: list[Decimal | None]) -> bool:
        weight, score = get(values, "weight"), get(values, "score")
        if weight is not None and score is not None and score > weight:
            return False
        rate = get(values, "rate")
        budget = get(values, "adjusted")
        if budget is None:
            budget = get(values, "initial")
        if rate is None:
            return True
        return rate_holds(get(values, "executed"), budget, rate)

    return check


def score_check(columns: Sequence[str]) -> Check:
    """分值 / 得分 cells: 得分 ≤ 分值."""
    idx = {c: i for i, c in enumerate(columns)}

    def check(values: list[Decimal | None]) -> bool:
        if "weight" in idx and "score" in idx:
            w, s = values[idx["weight"]], values[idx["score"]]
            return w is None or s is None or s <= w
        return True

    return check
