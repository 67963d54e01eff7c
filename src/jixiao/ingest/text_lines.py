"""Lines of flattened text: numbered, with the blank lines before each, and the few
ways the readers look for a label among them."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import compress

from jixiao.ingest import vocabulary as V


class Line:
    """One non-blank line: its number (1-based), text, and blank lines directly before.
    Width, first unit and folded text are worked out from the text when asked for
    (each remembered by text: the same labels and units come on line after line)."""

    __slots__ = ("blank", "no", "text")

    def __init__(self, no: int, text: str, blank: int) -> None:
        self.no = no
        self.text = text
        self.blank = blank

    def __repr__(self) -> str:
        return f"Line({self.no}, {self.text!r}, {self.blank})"

    @property
    def width(self) -> int:
        return V.text_width(self.text)

    @property
    def unit(self) -> int:
        """Width of the line's first unbreakable piece (what did not fit on the line above)."""
        return V.first_unit_width(self.text)

    @property
    def folded(self) -> str:
        return _fold(self.text)


# A line's folded text remembered by its text (:func:`V.fold` tests every character with
# a regular expression, 100–150 instructions each): the lines folded are mostly labels and
# headers, the same in every form of a template.
_fold = lru_cache(maxsize=4096)(V.fold)


_SPACES = ("\u3000", "\xa0", "|", "｜")
# Stands for a page end inside the text: whitespace to str.strip and str.split, but not a
# line boundary to str.splitlines (a form feed is), so line numbers stay those of the file.
_PAGE_MARK = "\x1f"


def split_lines(text: str, mark: str = "") -> tuple[list[Line], list[int]]:
    """The non-blank lines with their numbers and the count of blank lines before each,
    and where the lines holding ``mark`` are (their places in the list: told while they
    are made, not by another pass over them). Page chrome goes
    (:data:`~jixiao.ingest.vocabulary.PAGE_NUMBER_LINE`); a page break counts as
    :data:`~jixiao.ingest.vocabulary.PAGE_BREAK_BLANKS` blank lines at least."""
    if any(hint in text for hint in V.PAGE_NUMBER_HINT):
        text = V.PAGE_NUMBER_LINE.sub(V.PAGE_END, text)
    for odd in _SPACES:  # str.replace is much faster than translate on long text
        if odd in text:
            text = text.replace(odd, " ")
    if V.PAGE_END in text:
        lines = _split_pages(text.replace(V.PAGE_END, _PAGE_MARK))
        return lines, [i for i, ln in enumerate(lines) if mark in ln.text]
    out: list[Line] = []
    marked: list[int] = []
    append = out.append
    new = _MadeLine
    after = 1  # the number of the line after the last non-blank one
    raws = text.splitlines()
    # the empty lines (most blank lines) passed over by ``compress``, not by the loop
    for no, raw in compress(enumerate(raws, 1), raws):
        if stripped := raw.strip():
            if mark in stripped:
                marked.append(len(out))
            # Line(no, stripped, no - after) without a Python call: the same slots set
            # (:class:`_MadeLine`; tests/test_ingest_fast_paths.py compares)
            line = new()
            line.no, line.text, line.blank = no, stripped, no - after
            append(line)
            after = no + 1
    return out, marked


class _MadeLine(Line):
    """A :class:`Line` as :func:`split_lines` makes it: made with no argument and no Python
    call (``object.__init__``: a type's call all in C), its slots set after. About 280
    instructions a line less than ``object.__new__(Line)`` (which parses its arguments
    and looks for the type's base), which was a fifth less than ``Line(...)``."""

    __slots__ = ()
    __init__ = object.__init__


def _split_pages(text: str) -> list[Line]:
    """The lines :func:`split_lines` makes of text with page ends (``_PAGE_MARK``) in it."""
    out: list[Line] = []
    prev = 0
    page_break = False
    counted = 0  # the last page number a "-i-" / "i/n" line at a page's end gave
    for no, raw in enumerate(text.splitlines(), 1):
        if _PAGE_MARK in raw:
            page_break = True
            raw = raw.replace(_PAGE_MARK, " ")
            n = _counted_page(out[-1].text) if out else None
            if n is not None and n == counted + 1:  # the page's number, at its foot
                counted = n
                out.pop()
        stripped = raw.strip()
        if stripped:
            blank = no - prev - 1
            if page_break:
                blank, page_break = max(blank, V.PAGE_BREAK_BLANKS), False
            out.append(Line(no, stripped, blank))
            prev = no
    return out


_COUNTED_PAGE = re.compile(r"^-\s*(\d+)\s*-$|^(\d+)\s*/\s*(\d+)$")


def _counted_page(text: str) -> int | None:
    """The page number a line gives ("-3-", "3/9"), else None."""
    m = _COUNTED_PAGE.match(text)
    if m is None or (m.group(3) is not None and int(m.group(2)) > int(m.group(3))):
        return None
    return int(m.group(1) or m.group(2))


def starts(line: Line, label: str) -> bool:
    """Does the line start with ``label`` once folded (:func:`~V.fold`)? At once when its
    text does (a label folding to itself: every label the readers look for)."""
    text = line.text
    if text.startswith(label) and _plain(label):
        return True
    return text.startswith(label[0]) and line.folded.startswith(label)


def contains(line: Line, label: str) -> bool:
    """Does the line hold ``label`` once folded? At once when its text does (as above)."""
    text = line.text
    if label in text and _plain(label):
        return True
    return label[0] in text and label in line.folded


@lru_cache(maxsize=256)
def _plain(label: str) -> bool:
    """A label that folds to itself: where a text holds it, the folded text holds it too."""
    return V.fold(label) == label


def find_start(lines: list[Line], label: str, start: int = 0) -> int | None:
    """The first line from ``start`` on that starts with ``label`` (:func:`starts`, its
    test written out here: a call a line was most of the search's cost)."""
    first, plain = label[0], _plain(label)
    for i in range(start, len(lines)):
        line = lines[i]
        text = line.text
        if text.startswith(first) and (
            (plain and text.startswith(label)) or line.folded.startswith(label)
        ):
            return i
    return None


def find_containing(lines: list[Line], label: str, start: int = 0) -> int | None:
    """The first line from ``start`` on that holds ``label`` (:func:`contains`, written
    out as in :func:`find_start`)."""
    first, plain = label[0], _plain(label)
    for i in range(start, len(lines)):
        line = lines[i]
        text = line.text
        if first in text and ((plain and label in text) or label in line.folded):
            return i
    return None


def find_last(lines: list[Line], pred, start: int = 0) -> int | None:
    """The last line from ``start`` on that matches (searched from the end: the 总分 row
    ends a form, so this does not walk through the table)."""
    for i in range(len(lines) - 1, start - 1, -1):
        if pred(lines[i]):
            return i
    return None


def find(lines: list[Line], pred, start: int = 0, stop: int | None = None) -> int | None:
    for i in range(start, len(lines) if stop is None else stop):
        if pred(lines[i]):
            return i
    return None


def clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"
