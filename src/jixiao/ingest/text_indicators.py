"""The indicator table of a 自评表 in flattened text: 一级 / 二级 labels and rows.

The labels are merged cells: their fragments come before the rows they cover, 一级
before 二级 on a page, and a page break may cut one (``可持`` / ``续影`` / ``响指`` … ``标``).
A row ends with 分值 and 得分; 偏差原因 follows on that line and the lines directly below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, pairwise
from operator import attrgetter

from jixiao.ingest import vocabulary as V
from jixiao.ingest.text_columns import settle_rows
from jixiao.ingest.text_lines import Line, clip, starts
from jixiao.ingest.text_wraps import WIDTH_COST, decompose, decompose_cost, units_joined

_text = attrgetter("text")  # a line's text (asked of many lines by ``map``, no call a line)

LABEL_LINES = 10  # a level label printed a character a line (LibreOffice's narrow cells)
AHEAD_LINES = 3  # a label is spelt out by the fragments on at most this many lines more


# A unit of measure printed apart from its number ("492071.45 元", "3 个工作日": LibreOffice
# spaces each run of another font): never a cell of its own, so joined to the number before
# it (:func:`units_joined`). (A date's "2023 年 7 月" is not: the seed's "2024年 10" … "月" is
# a cell cut by a page break.)
# (searched from its space, a character a regular expression finds fast, the digit before
# it looked behind for: ``\d (?:…)`` would try every character of the text)
_SPACED_UNIT = re.compile(
    r" (?<=\d )(?:["
    + "".join(sorted({w[0] for w in V.UNIT_WORDS} | {w for w in V.DURATION_WORDS if len(w) == 1}))
    + "]|"
    + "|".join(w for w in V.DURATION_WORDS if len(w) > 1)
    + ")"
)


# A whole date LibreOffice prints spaced ("2023 年 7 月", "2023 年 7 月 31 日"): one cell. A
# date cut by a page break or wrapped ("2024年 10" … "月") is not whole here, and stays.
_SPACED_DATE = re.compile(r"(?<!\S)(\d{4}) 年 (\d{1,2}) 月(?: (\d{1,2}) 日)?(?!\S)")


def _date_joined(m: re.Match[str]) -> str:
    return f"{m.group(1)}年{m.group(2)}月" + (f"{m.group(3)}日" if m.group(3) else "")


# A comparison word printed apart from the number after it (不低于 19 次: LibreOffice spaces
# each run of another font): one cell with it (asked only by :meth:`TableReader._whole`)
_COMPARISON = re.compile(r"(?:不?[低高少多大小]于|不超过|达到)")
_NUMBER_START = re.compile(r"[≥≤<>=]?\d")


# A comparison word printed apart from the number after it (不低于 95%: LibreOffice spaces
# each run of another font), as :meth:`TableReader._whole` takes it
_COMPARISON_APART = re.compile(r"(?<!\S)((?:不?[低高少多大小]于|不超过|达到)) (?=[≥≤<>=]?\d)")


# Latin letters printed apart from the Chinese before them (按 B/, 得分计算方法 北京's: 完成值
# … 未达到按 B/A×分值记分; LibreOffice spaces each run of another font): one cell with it
_LATIN_APART = re.compile(r"(?<=[\u4e00-\u9fff，。、；：]) (?=[A-Za-z])")


def _printed_apart(text: str) -> bool:
    """Does ``text`` hold a piece LibreOffice printed apart from its cell (a unit, a
    comparison word, Latin letters: each run of another font is spaced)?"""
    return bool(
        _SPACED_UNIT.search(text) or _COMPARISON_APART.search(text) or _LATIN_APART.search(text)
    )


def _apart_split(text: str) -> list[str]:
    """The words of ``text`` with what :func:`_printed_apart` finds joined to its cell."""
    return units_joined(_LATIN_APART.sub("", _COMPARISON_APART.sub(r"\1", text)).split())


def _apart_words(words: list[str]) -> list[str]:
    """A line's words with a unit or a comparison word printed apart from its number
    joined to it, and Latin letters apart from the Chinese before them
    (:func:`_apart_joined`)."""
    text = " ".join(words)
    return _apart_split(text) if _printed_apart(text) else words


def _apart_joined(text: str) -> str:
    """A line of a row's cells with a unit or a comparison word printed apart from its
    number joined to it (``不低于 14 场`` is ``不低于14场``), Latin letters apart from the
    Chinese before them (``按 B/``): never a cell of its own."""
    return " ".join(_apart_split(text)) if _printed_apart(text) else text


def _not_by_words(lines: list[str], tail: list[str]) -> bool:
    """Is a row of a table with added text columns (its lines and the words before 分值 on
    its numbers line) one whose words do not part its cells: a date printed apart
    (LibreOffice may also set the next cell's first piece against its last: ``2024 年
    11月2024 年 9 月``), or a line ending a sentence (no cell's line does: a 偏差原因 printed
    under the row before, LibreOffice's Word file)?"""
    if any(map(V.ends_sentence, lines)):
        return True
    return any(map(_DATE_APART.search, lines)) or _DATE_APART.search(" ".join(tail)) is not None


# A date's pieces printed apart (2024 年 11月, 2024年 10: a page break's cut as well)
_DATE_APART = re.compile(r"\d [年月日]|\d年 \d")


def _tokens(text: str) -> list[str]:
    """A line's cells: parted by spaces, a unit or a whole date printed apart joined."""
    if "年 " in text:
        text = _SPACED_DATE.sub(_date_joined, text)
    return units_joined(text.split()) if _SPACED_UNIT.search(text) else text.split()


def _lines_tokens(texts: list[str], joined: str) -> list[list[str]]:
    """:func:`_tokens` of each line (``joined``: the texts joined by newlines); a date or
    unit printed apart (rare) is looked for once in all of them, and where there is none
    each line is only split. A ``年`` before a space (most tables: ``2024年 10`` … ``月``)
    sends only its own lines to :func:`_tokens` when no unit is printed apart."""
    if _SPACED_UNIT.search(joined):
        return [_tokens(text) for text in texts]
    if "年 " in joined:
        return [_tokens(text) if "年 " in text else text.split() for text in texts]
    return [text.split() for text in texts]


# A 一级 label's printed weight wrapped onto lines of its own under the label (成本 / 指标 /
# (10 / 分)): not a cell of the table, but the label's (read back into it, as 成本指标(10分)).
_WEIGHT_PIECE = re.compile(r"[（(]\d+(?:\.\d+)?(?:分[)）]?)?|分[)）]")
_WEIGHT = re.compile(r"[（(](\d+(?:\.\d+)?)分[)）]")


def _bracket_starts(joined: str) -> bool:
    """Does a line of ``joined`` (texts joined by newlines) start with an opening bracket
    (or is one empty): ``any(text[:1] in "(（" for text in texts)``, found by the C search of
    a few strings instead of a test a line."""
    if joined[:1] in "(（\n" or joined.endswith("\n"):
        return True
    return "\n(" in joined or "\n（" in joined or "\n\n" in joined


# A line that is only a weight's piece, spaces around it allowed (``fullmatch`` of this is
# that of _WEIGHT_PIECE on the stripped line).
_WEIGHT_PIECE_LINE = re.compile(rf"\s*(?:{_WEIGHT_PIECE.pattern})\s*")


# A line of texts joined by newlines that is only a weight's piece (``fullmatch`` of
# _WEIGHT_PIECE_LINE): one C search of the table's text instead of a test a line, which
# most tables (none of the seed's) do not need. The first line is matched where it stands,
# the others searched from the newline before them (a literal first: the search goes from
# newline to newline at C speed instead of trying the pattern at every character).
_WEIGHT_PIECE_FIRST = re.compile(rf"[^\S\n]*(?:{_WEIGHT_PIECE.pattern})[^\S\n]*(?:\n|\Z)")
_WEIGHT_PIECE_NEXT = re.compile(rf"\n[^\S\n]*(?:{_WEIGHT_PIECE.pattern})[^\S\n]*(?:\n|\Z)")


def _weight_piece_line(joined: str) -> bool:
    """Is a line of ``joined`` (texts joined by newlines) only a weight's piece?"""
    return bool(_WEIGHT_PIECE_FIRST.match(joined) or _WEIGHT_PIECE_NEXT.search(joined))


def _weight_pieces(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str]]]:
    """``lines`` without the lines that only hold a piece of a 一级 label's printed weight
    (right after a label's piece or another such piece), and each whole weight taken with
    the line number of its first piece: (number, "(10分)")."""
    if not _weight_piece_after_label(lines):
        return list(lines), []  # (the first piece taken out comes right after a label's)
    return _weight_pieces_taken(lines)


def _weight_piece_after_label(lines: list[Line]) -> bool:
    """Is a line a weight's piece right after a line that is a label's piece?"""
    piece = _WEIGHT_PIECE_LINE.fullmatch
    return any(piece(b.text) and _label_piece(a.text.strip()) for a, b in pairwise(lines))


def _weight_pieces_taken(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str]]]:
    """:func:`_weight_pieces`, line by line."""
    out: list[Line] = []
    weights: list[tuple[int, str]] = []
    after_label = False
    acc, first = "", 0
    for ln in lines:
        text = ln.text.strip()
        if after_label and _WEIGHT_PIECE.fullmatch(text):
            acc, first = acc + text, first or ln.no
            if _WEIGHT.fullmatch(acc):
                weights.append((first, acc))
                acc, first = "", 0
            continue
        if acc and " " in text:  # the weight's last piece beside a label's (分) 数量)
            head, rest = text.split(None, 1)
            if _WEIGHT.fullmatch(acc + head) and _label_piece(rest):
                weights.append((first, acc + head))
                ln = Line(ln.no, rest, ln.blank)
                text = rest
        acc, first = "", 0
        after_label = _label_piece(text)
        out.append(ln)
    return out, weights


# Every piece of a 一级 / 二级 label (a substring of one), in one set.
_LABEL_PIECES = frozenset(
    label[a:b]
    for label in V.ALL_LEVEL_LABELS
    for a in range(len(label))
    for b in range(a, len(label) + 1)
)


def _label_piece(text: str) -> bool:
    """Is ``text`` a piece of a 一级 / 二级 label (inside one of them)?"""
    return text in _LABEL_PIECES


class _Scores(dict[str, bool]):
    """Is a token a 分值 / 得分 cell (:func:`V.is_score_token`), remembered: the same few
    numbers (5.00, 10.00, -) come on row after row. Asked as ``_SCORES[token]`` (a dict's
    subscript, cheaper than a call); forgotten when too many are kept."""

    def __missing__(self, token: str) -> bool:
        if len(self) >= 4096:
            self.clear()
        score = self[token] = V.is_score_token(token)
        return score


_SCORES = _Scores()
_is_score = _SCORES.__getitem__


def _numbers_at(toks: list[str]) -> int | None:
    """Where 分值 is: the last two numbers side by side ("-" for a blank score)."""
    score = _SCORES
    for i in range(len(toks) - 2, -1, -1):
        if score[toks[i + 1]] and score[toks[i]]:
            return i
    return None


def _lines_numbers(toks: list[list[str]], count: int = 2) -> list[int | None]:
    """:func:`_numbers_at` of each line of more than one token (None for the others); a
    line that ends in its two numbers, most of them, told without a call. ``count``: the
    numbers side by side a row has (more than 分值 and 得分 where the table adds number
    columns after them: :func:`_run_at`)."""
    if count != 2:
        return [_run_at(t, count) for t in toks]
    score = _SCORES
    return [
        (n - 2 if score[t[-1]] and score[t[-2]] else _numbers_at(t)) if (n := len(t)) > 1 else None
        for t in toks
    ]


def _run_at(toks: list[str], count: int) -> int | None:
    """Where the last ``count`` numbers side by side begin (:func:`_numbers_at` of a row with
    number columns after 得分)."""
    for i in range(len(toks) - count, -1, -1):
        if all(map(_is_score, toks[i : i + count])):
            return i
    return None


@lru_cache(maxsize=4096)
def _measures(text: str) -> tuple[int, int, int]:
    """What the 偏差原因 reading measures of a line's ``text``: the width of its printed
    head (:func:`V.printed_head`) with the error of measuring it (:func:`V.width_slack`),
    the text's width (:attr:`Line.width`) and the error of measuring that. Remembered by
    the text (the lines of a 偏差原因 come again form after form: about half of those a
    table asks are known), the head's width by the head's (a character, ``(次)，``, a
    number begin line after line)."""
    width = V.text_width(text)
    return _printed_head_width(V.printed_head(text)), width, V.width_slack(text, width)


@lru_cache(maxsize=4096)
def _printed_head_width(head: str) -> int:
    """The width of a printed head and the error of measuring it."""
    width = V.text_width(head)
    return width + V.width_slack(head, width)


@lru_cache(maxsize=4096)
def _label_width(tok: str) -> int:
    """Width of a label fragment (the same few fragments come again and again)."""
    return V.text_width(tok)


# Labels as :func:`_spells` asks for them: the set of them and the set of their prefixes.
Labels = tuple[frozenset[str], frozenset[str]]


def _spells(tok: str, toks: list[list[str]], i: int, j: int, stop: int, labels: Labels) -> bool:
    """Do ``tok`` and the fragments after it spell out one of ``labels``? The fragments
    are the tokens (``toks``, by line) from token ``j`` of line ``i`` on, before line
    ``stop``, read only as far as they go on spelling a label."""
    whole, prefixes = labels
    text = tok
    line = toks[i] if i < stop else ()
    while text not in whole:
        while j >= len(line):
            i += 1
            if i >= stop:
                return False
            line, j = toks[i], 0
        longer = text + line[j]
        if longer not in prefixes:
            return False
        text = longer
        j += 1
    return True


@lru_cache(maxsize=64)
def _level2_under(level1: str | None) -> Labels:
    """The 二级 labels that may stand under the 一级 label ``level1`` (None: none yet),
    and their prefixes."""
    allowed = V.LEVEL2_LABELS if level1 is None else V.LEVELS.get(level1, V.LEVEL2_LABELS)
    return frozenset(allowed), V.label_prefixes(allowed)


@lru_cache(maxsize=4096)
def _number(token: str) -> str | None:
    """The plain decimal text of a token known to be a number (or "-": None); remembered
    (5.00, 10.00, - on row after row)."""
    if token in V.NULL_TOKENS:
        return None
    if token.isascii() and "," not in token:
        return token.rstrip("%")
    return V.parse_number_token(token)[1]


_LEVEL1_SET = frozenset(V.LEVEL1_LABELS)

_LEVEL2_SET = frozenset(V.LEVEL2_LABELS)

_PREFIXES1 = V.label_prefixes(V.LEVEL1_LABELS)

_LEVEL1: Labels = (_LEVEL1_SET, _PREFIXES1)


# An indicator row as the table gives it: its fields (the model's, INDICATOR_FIELDS) in
# order, 分值 and 得分 as plain decimal texts (None: blank).
IndicatorRow = tuple[str, str, str, str, str, str | None, str | None, str]
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")

# What taking a token as a label fragment did (:meth:`TableReader._take_label`).
NOT_TAKEN, GOES_ON1, GOES_ON2, NEW1, NEW2 = range(5)

# Lines of label pieces read before (:meth:`TableReader._label_lines`): what was read of
# them and what taking them did, by the labels open, the column widths, the pieces and
# what was read after them. The same runs (成本 / 指标 / 经济 / 成本 / 指标) head the
# groups of form after form; forgotten when too many are kept.
_LABEL_RUNS: dict[tuple[object, ...], tuple[tuple[int, str, int], ...]] = {}
_LABEL_RUNS_MOST = 4096


def _merged(moves: list[tuple[int, str, int]]) -> tuple[tuple[int, str, int], ...]:
    """Recorded moves of a run of label pieces with each ``GOES_ON1`` / ``GOES_ON2`` joined
    to the move before it of the same level in the run (成本 + 指标: one ``NEW1`` of 成本指标),
    so that replaying them extends each label once. The labels end as the moves one by one
    leave them: nothing between two moves of a run reads a label's text, and a ``NEW1``
    (which ends the 二级 label) comes before any 二级 move that goes on after it."""
    out: list[tuple[int, str, int]] = []
    last = {1: -1, 2: -1}  # the place in ``out`` of the last move of each level
    for move, tok, at in moves:
        level = 1 if move in (GOES_ON1, NEW1) else 2
        if move == NEW1:
            last[2] = -1
        k = last[level]
        if k >= 0 and move in (GOES_ON1, GOES_ON2):
            before, text, first = out[k]
            out[k] = (before, text + tok, first)
        else:
            last[level] = len(out)
            out.append((move, tok, at))
    return tuple(out)


class _Label:
    """A 一级 (``level`` 1) or 二级 (2) label as read so far, from line number ``no``; the
    rows under it; ``complete``: its text is a whole label of its level."""

    __slots__ = ("complete", "level", "no", "rows", "text")

    def __init__(self, level: int, text: str, no: int, rows: int = 0) -> None:
        self.level, self.text, self.no, self.rows = level, text, no, rows
        self.complete = text in (_LEVEL1_SET if level == 1 else _LEVEL2_SET)

    def extend(self, fragment: str) -> None:
        self.text += fragment
        self.complete = self.text in (_LEVEL1_SET if self.level == 1 else _LEVEL2_SET)


@dataclass(slots=True)
class _Row:
    l1: _Label | None
    l2: _Label | None
    cells: list[str]
    weight: str | None
    score: str | None
    deviation: str
    no: int
    widths: list[int | None] | None = None  # last-line widths of wrapped cells
    empty: bool = False
    more: list[str] | None = None  # the numbers of the columns after 得分, if the table has any
    # a table with added text columns: the row's lines and the words before 分值 on its
    # numbers line, read into cells once the whole table is read (:func:`read_rows`)
    raw: tuple[list[str], list[str]] | None = None


@lru_cache(maxsize=256)
def _label_widths(header: tuple[str, ...]) -> tuple[tuple[int | None, int | None], tuple[int, ...]]:
    """Widths of the 一级 / 二级 columns, from the texts of the table header's lines: at
    most (known when their header labels wrapped) and at least (the widest header line of
    the column). Remembered: the same header heads form after form."""
    acc = ""
    w1: list[int] = []
    w2: list[int] = []
    for text in header:
        f = V.fold(text)
        lo, acc = len(acc), acc + f
        if len(acc) <= 4:
            w1.append(V.text_width(text))
        elif lo >= 4 and len(acc) <= 8:
            w2.append(V.text_width(text))
    most = (max(w1) if len(w1) > 1 else None), (max(w2) if len(w2) > 1 else None)
    head = V.text_width(V.TABLE_HEADER[0])
    return most, (0, max(w1, default=head), max(w2, default=head))


def _pieces(header: list[str]) -> list[str]:
    """The lines of an indicator header between its 三级指标 line and its 分值 / 得分 line:
    the added columns' labels wrapped a piece a line (得分计 / 算方法)."""
    start = next((i for i, text in enumerate(header) if V.TABLE_ANCHOR in V.fold(text)), None)
    if start is None:
        return []
    out: list[str] = []
    for text in header[start + 1 :]:
        if " " in text.strip():
            break
        out.append(text.strip())
    return out


def _no_deviation_from(line: Line) -> bool:
    """Is ``line`` one no 偏差原因 printed under its row takes (:meth:`TableReader.
    _deviation_below`): a label's piece (可持 / 续影 …) or text after a page break (a cell
    cut by it: 2024年 10 … 月), what they are is not told there."""
    return line.text in _LABEL_PIECES or line.blank >= V.PAGE_BREAK_BLANKS


def _sentence_ended(dev: list[Line]) -> int:
    """How many lines of a 偏差原因 ``dev`` go up to its last line that ends a sentence (0:
    none does). A 偏差原因 the next row's cells follow ends with a sentence's end (as in
    :meth:`TableReader._deviation_parted`), and no cell of a row has a line that does, so
    only the lines after that one may be the next row's: in a table with added text columns
    they are (jixiao's PDF ``-raw``, 北京, seed 201: …跟踪整改。 / 维修校舍面积 / ≥2400平方,
    the 。 line full, so no width told them apart); in any other, at most they are (seed 409,
    the national layout: …；将加强 / 与相关部门的沟通协 / 调，及时跟踪整改。 / 新增馆藏图书数量 /
    ≥24000.00( …, read as a row named 与相关部门的沟通协, its cells less costly by the
    measured widths than the row's own)."""
    for m in range(len(dev), 0, -1):
        if V.ends_sentence(dev[m - 1].text):
            return m
    return 0


class TableReader:
    """The indicator rows between the table header and 总分."""

    def __init__(
        self,
        lines: list[Line],
        header: list[Line],
        gap,
        known: tuple[list[str], str] | None = None,
        added: tuple[str, ...] = (),
        columns: tuple[str, ...] = (),
        by_order: bool = True,
        joins: bool = False,
    ) -> None:
        """``known``: the texts of ``lines`` and them joined by newlines, when the caller
        has them; ``added``: the fields of number columns the header has after 得分 (河北's
        ``share`` and ``adjusted_score``), whose numbers follow 得分 on a row's line;
        ``columns``: the labels of text columns it has between 实际完成值 and 分值 (北京's
        得分计算方法 …), each row's cells in its ``extras``; ``by_order``: the text prints
        cells in the table's order (:func:`~jixiao.ingest.text.parse_text`); ``joins``: a
        cell wrapped over two lines may begin on the line before (:func:`settle_rows`)."""
        self.weights: list[tuple[int, str]] = []  # 一级 weights printed apart (line, text)
        if known is None:
            texts = [ln.text for ln in lines]
            joined = "\n".join(texts)
        else:
            texts, joined = known
        if _bracket_starts(joined) and _weight_piece_line(joined):
            lines, self.weights = _weight_pieces(lines)
            texts = [ln.text for ln in lines]
            joined = "\n".join(texts)
        self.lines = lines
        self.gap = gap
        # each line's tokens, and where its 分值 is (None: no numbers on it), worked out once
        self.toks = _lines_tokens(texts, joined)
        self.added = added
        self.texts = columns
        self.by_order = by_order
        self.joins = joins
        if columns:  # the header's lines, whose labels bound the added columns' widths
            self.header = [ln.text for ln in header]
        self.count = 2 + len(added)  # numbers side by side on a row's line
        self.nums = _lines_numbers(self.toks, self.count)
        self.numbers: list[dict[str, str | None]] = []  # each row's ``added`` numbers
        self.l1: _Label | None = None
        self.l2: _Label | None = None
        self.labels: list[_Label] = []  # every label begun, in order
        self.open = False  # is a label begun and not yet whole (set by :meth:`_apply`)
        self.rows: list[_Row] = []
        self.l2_since_row = False
        (self.max1, self.max2), self.least = _label_widths(tuple(map(_text, header)))
        self._floor_cache: list[int] | None = None
        self._deviation_cache: int | None = None

    @property
    def floors(self) -> list[int]:
        if self._floor_cache is None:
            self._floor_cache = self._floors()
        return self._floor_cache

    def _floors(self) -> list[int]:
        """Widths each of name / target / actual is known to reach (one-line rows)."""
        floors = [0, 0, 0]
        for toks, k in zip(self.toks, self.nums, strict=True):
            bare = k == 3 and len(toks) == 3 + self.count
            if bare and V.is_bare_number(toks[3]) and V.is_bare_number(toks[4]):
                for c in range(3):
                    floors[c] = max(floors[c], V.text_width(toks[c]))
        return floors

    # -- labels ----------------------------------------------------------------------------
    def _allowed2(self) -> Labels:
        """The 二级 labels that may stand under the current 一级 one."""
        return _level2_under(None if self.l1 is None else self.l1.text)

    def _may_be_label(self, tok: str) -> bool:
        """Cheap test before :meth:`_take_label`: a label prefix, or an open label (the
        reading asks it inline where it goes line by line)."""
        return tok in V.ALL_LEVEL_PREFIXES or self.open

    def _ahead(self, i: int, j: int) -> list[str]:
        """The tokens after token ``j`` of line ``i``: the rest of its line, then the next
        lines'."""
        toks = self.toks
        out = toks[i][j + 1 :]
        for t in toks[i + 1 : i + 1 + AHEAD_LINES]:
            out += t
        return out

    def _take_label(self, i: int, j: int, in_row: bool) -> int:
        """Take token ``j`` of line ``i`` as a fragment of a 一级 / 二级 label if the
        vocabulary allows it. A new label must not repeat the current one, and must be
        spelt out completely by the fragments that follow unless the group before it is
        done (has rows) and no row is open (a page break may cut the label short).
        Returns what it did (:meth:`_apply`), ``NOT_TAKEN`` (0) when it did not."""
        tok = self.toks[i][j]
        l1, l2 = self.l1, self.l2
        width = _label_width(tok)
        fits1 = self.max1 is None or width <= self.max1
        if not in_row:  # an open row is cut by a page break only before a new label
            # on one page the 一级 fragments come before the 二级 ones: after a 二级
            # fragment the 一级 label can only go on after a row (the next page)
            go_on1 = l1 is not None and not l1.complete and not self.l2_since_row
            if l1 is not None and go_on1 and fits1 and l1.text + tok in _PREFIXES1:
                return self._apply(GOES_ON1, tok, 0)
        allowed = _level2_under(None if l1 is None else l1.text)
        prefixes2 = allowed[1]
        fits2 = self.max2 is None or width <= self.max2
        if not in_row and l2 and not l2.complete and fits2 and l2.text + tok in prefixes2:
            return self._apply(GOES_ON2, tok, 0)

        can1 = fits1 and tok in _PREFIXES1
        can2 = fits2 and tok in prefixes2
        if can1 and l1 is not None and l1.complete and l1.text.startswith(tok):
            can1 = False
        if can2 and l2 is not None and l2.complete and l2.text.startswith(tok):
            can2 = False
        if not (can1 or can2):
            return NOT_TAKEN
        toks, stop = self.toks, min(i + 1 + AHEAD_LINES, len(self.toks))
        # a label cut short by a page break: the group before it is done, no row is
        # open, and its last line here is full (one more character would not fit)
        done = (l2 is None or l2.rows > 0 or l2.complete) and not in_row
        full = width + 2 > self.least[1]
        if can1 and not _spells(tok, toks, i, j + 1, stop, _LEVEL1):
            can1 = done and full
        full = width + 2 > self.least[2]
        if can2 and not _spells(tok, toks, i, j + 1, stop, allowed):
            can2 = done and full
        if can1 and can2 and self.l1 is not None:
            can1 = self._opens_group(tok, self._ahead(i, j))
        if can1:
            return self._apply(NEW1, tok, self.lines[i].no)
        if can2:
            return self._apply(NEW2, tok, self.lines[i].no)
        return NOT_TAKEN

    def _apply(self, move: int, tok: str, no: int) -> int:
        """Take ``tok`` (on line number ``no``) as :meth:`_take_label` decided: the 一级 or
        the 二级 label goes on (``GOES_ON1`` / ``GOES_ON2``), or a new one begins (``NEW1`` /
        ``NEW2``, closing the group before). Returns ``move``."""
        if move == GOES_ON1:
            self.l1.extend(tok)  # type: ignore[union-attr]  # (decided: there is one)
        elif move == GOES_ON2:
            self.l2.extend(tok)  # type: ignore[union-attr]
            self.l2_since_row = True
        elif move == NEW1:
            self._close_group()
            self.l1, self.l2 = _Label(1, tok, no), None
            self.labels.append(self.l1)
            self.l2_since_row = False
        else:
            self._close_group()
            self.l2 = _Label(2, tok, no)
            self.labels.append(self.l2)
            self.l2_since_row = True
        l1, l2 = self.l1, self.l2
        self.open = (l1 is not None and not l1.complete) or (l2 is not None and not l2.complete)
        return move

    def _label_lines(self, i: int) -> tuple[int, int]:
        """Take the label fragments of line ``i`` and the lines after it (no row open, a
        label may begin at line ``i``: :meth:`_may_be_label`), as the reading does line by
        line (:meth:`_label_lines_long`), the whole lines of label pieces at once where
        lines of the same pieces were read before with the same labels open and the same
        column widths (:data:`_LABEL_RUNS`): the first line not taken whole, and how many
        of its tokens were taken."""
        toks, n = self.toks, len(self.toks)
        run: list[object] = []
        end = i
        while end < n:  # the lines that are label pieces only (the others are not taken whole)
            t = toks[end]
            if len(t) == 1:
                if t[0] not in _LABEL_PIECES:
                    break
                run.append(t[0])
            elif t[0] in _LABEL_PIECES and _LABEL_PIECES.issuperset(t):  # (most lines that
                run.append(tuple(t))  # end a run are a row's: told without making a set)
            else:
                break
            end += 1
        if end == i:
            return self._label_lines_long(i, n)
        l1, l2 = self.l1, self.l2
        key = (
            None if l1 is None else l1.text,
            None if l2 is None else (l2.text, l2.rows > 0),
            self.l2_since_row,
            self.max1,
            self.max2,
            self.least,
            tuple(run),
            self._read_after(end),
        )
        runs = _LABEL_RUNS
        moves = runs.get(key)
        if moves is None:
            recorded: list[tuple[int, str, int]] = []
            stop, j = self._label_lines_long(i, end, recorded)
            if stop < end:  # a line of pieces not taken whole: not remembered
                return stop, j
            if len(runs) >= _LABEL_RUNS_MOST:
                runs.clear()
            runs[key] = _merged(recorded)
        else:
            lines = self.lines
            for move, tok, at in moves:
                self._apply(move, tok, lines[i + at].no)
        if end == n or not (toks[end][0] in V.ALL_LEVEL_PREFIXES or self.open):
            return end, 0  # (what _label_lines_long finds at once: most runs end in a row)
        return self._label_lines_long(end, n, first=False)  # (no line after is whole)

    def _read_after(self, end: int) -> object:
        """What taking the label pieces of the lines before line ``end`` may read of the
        lines from ``end`` on: the tokens of the next ``AHEAD_LINES`` lines, those that
        are no label piece as None (a fragment only ever goes on with a piece, and no more
        is asked of the others); nothing past the first token when that is no piece (no
        label is spelt through it); None when the table ends before ``end``."""
        toks = self.toks
        if end >= len(toks):
            return None
        if toks[end][0] not in _LABEL_PIECES:
            return 0
        return tuple(
            tuple(x if x in _LABEL_PIECES else None for x in t)
            for t in toks[end : end + AHEAD_LINES]
        )

    def _label_lines_long(
        self, i: int, stop: int, moves: list[tuple[int, str, int]] | None = None, first=True
    ) -> tuple[int, int]:
        """:meth:`_label_lines` line by line, from line ``i`` up to line ``stop`` at most
        (the loop of :meth:`read`): each line's tokens taken as label fragments while they
        may be, the next line looked at only when this one was taken whole (and when its
        first token may begin or go on with a label; ``first``: line ``i``'s was seen to).
        Each move is added to ``moves`` (with the token and the line's place after ``i``)."""
        toks, n = self.toks, len(self.toks)
        start = i
        while i < min(stop, n):
            line = toks[i]
            if not first and not self._may_be_label(line[0]):
                return i, 0
            first = False
            j = 0
            while j < len(line):
                move = self._take_label(i, j, False)
                if not move:
                    return i, j
                if moves is not None:
                    moves.append((move, line[j], i - start))
                j += 1
            i += 1
        return i, 0

    @staticmethod
    def _opens_group(tok: str, ahead: list[str]) -> bool:
        """Is ``tok`` a new 一级 label? Only if a 二级 label under it follows (the 一级
        label itself may be cut short by a page break)."""
        text, rest = tok, list(ahead)
        while text not in V.LEVELS and rest and V.is_label_prefix(text + rest[0], V.LEVEL1_LABELS):
            text += rest.pop(0)
        if not rest:
            return False
        heads = [k for k in V.LEVELS if k.startswith(text)]
        return any(V.is_label_prefix(rest[0], V.LEVELS[k]) for k in heads)

    def _close_group(self) -> None:
        """A 二级 label that had no rows is an empty row of the table."""
        if self.l2 is not None and self.l2.rows == 0:
            self.rows.append(
                _Row(self.l1, self.l2, ["", "", ""], None, None, "", self.l2.no, empty=True)
            )
            self.l2.rows = 1

    # -- rows ------------------------------------------------------------------------------
    @property
    def deviation_width(self) -> int:
        """Width the 偏差原因 column is known to reach: its widest first line (the one
        beside 分值 and 得分) in the table."""
        if self._deviation_cache is None:
            widest = 0
            for toks, k in zip(self.toks, self.nums, strict=True):
                if k is not None and k + self.count < len(toks):
                    widest = max(widest, V.text_width(" ".join(toks[k + self.count :])))
            self._deviation_cache = widest
        return self._deviation_cache

    def _deviation_lines(self, dev: list[Line], i: int) -> int:
        """The lines from ``i`` on that continue the 偏差原因 cell begun beside the numbers
        (``dev``, its first line), added to ``dev``; returns the first line not taken. Not
        after a blank line, nor a line with 分值 / 得分, 总分 or a 一级 / 二级 label. A
        cell's lines are full up to its last: it ended if its last line had room for the
        first piece of the next one, or if that line is wider than the column can be (the
        last line plus that piece did not fit in it). One loop, each line's width measured
        once."""
        lines, nums, toks, n = self.lines, self.nums, self.toks, len(self.lines)
        least = self.deviation_width
        last = widest = dev[0].width
        total, total0 = V.TOTAL_LABEL, V.TOTAL_LABEL[0]
        while i < n:
            ln = lines[i]
            text = ln.text
            if ln.blank or nums[i] is not None:
                break
            if text.startswith(total0) and starts(ln, total):  # (starts: it begins so)
                break
            if toks[i][0] in V.ALL_LEVEL_PREFIXES and self._label_ahead(i):
                break
            head, width, slack = _measures(text)  # (one call: the line's width, its head's)
            column = max(least, widest)
            room = column - last - head  # (:meth:`_room`)
            if room > 0:
                break
            if width > column - room + slack:
                break
            dev.append(ln)
            last, widest = width, max(widest, width)
            i += 1
        return i

    @staticmethod
    def _room(last: int, text: str, column: int) -> int:
        """Room a line ``last`` wide in a column ``column`` wide had for the beginning of
        ``text`` (as printers break lines, give or take the error of measuring it)."""
        return column - last - _measures(text)[0]

    def _deviation_cost(self, dev: list[Line], column: int) -> int:
        """Room left on the lines of a 偏差原因 cell that did wrap, squared (0: all full)."""
        cost = 0
        for a, b in pairwise(dev):
            d = self._room(a.width, b.text, column)
            if d > 0:
                cost += WIDTH_COST * d * d
        return cost

    def _lines_of_next_row(self, dev: list[Line], i: int) -> int:
        """How many of the lines taken for 偏差原因 (``dev``, its first one beside the
        numbers; line ``i`` is the first one not taken) belong to the next row instead.
        When the next numbers line, just below, has too few tokens before 分值 for the
        row's cells, they are on the lines before it: the last lines of ``dev`` may be
        theirs, unless a 一级 / 二级 label comes first (the row's cells follow its labels).
        The split is where the two layouts together cost least, the cell's column as wide
        as the lines it keeps."""
        L = self.lines
        if len(dev) < 2 or i >= len(L) or L[i].blank:
            return 0
        if self.toks[i][0] in V.ALL_LEVEL_PREFIXES and self._label_ahead(i):
            return 0  # a 一级 / 二级 label next: the next row's cells come after it
        j = i  # the next numbers line, with no blank line before it
        # (a table with added text columns: their cells wrap above the numbers too)
        most = V.CELL_MAX_LINES * (1 + len(self.texts))
        while j < len(L) and j - i <= most and (j == i or not L[j].blank):
            k = self.nums[j]
            if k is not None:
                break
            j += 1
        else:
            return 0
        if k >= 3:
            return 0
        ended = _sentence_ended(dev)  # (no line that ends a sentence, nor one before it)
        if self.texts:  # (a table with added text columns: its widths decide the cells)
            return len(dev) - ended if 0 < ended < len(dev) else 0
        toks = self.toks[j]
        # the column as wide as the lines the cell keeps (a wide line of the next row's,
        # taken by _deviation_lines, would leave room on every line of the cell)
        columns = list(accumulate((x.width for x in dev), max, initial=self.deviation_width))
        best, best_q = None, 0
        for q in range(0 if j > i else 1, len(dev) - ended + 1 if ended else len(dev)):
            row = decompose_cost(dev[len(dev) - q :] + L[i:j], toks[:k], self)
            if row is None:
                continue
            cost = row[0] + self._deviation_cost(dev[: len(dev) - q], columns[len(dev) - q])
            if best is None or cost < best:
                best, best_q = cost, q
        return best_q

    def _label_ahead(self, i: int) -> bool:
        """Do the tokens from line ``i`` on spell out a 一级 or 二级 label that may come
        here (a label cut by a page break is not seen: the page break ends the cell)?"""
        toks = self.toks
        tok = toks[i][0]
        if tok not in V.ALL_LEVEL_PREFIXES:
            return False
        stop = min(i + 1 + AHEAD_LINES, len(toks))
        return _spells(tok, toks, i, 1, stop, _LEVEL1) or _spells(
            tok, toks, i, 1, stop, self._allowed2()
        )

    def read(self) -> list[IndicatorRow]:
        L, TOKS, NUMS = self.lines, self.toks, self.nums
        count = self.count
        whole = 3 + count  # tokens of a row all on one line
        plain = not self.texts  # (a row's cells are read once the table is, else)
        prefixes = V.ALL_LEVEL_PREFIXES  # (:meth:`_may_be_label`, asked inline)
        pending: list[Line] = []
        pending_after_break = False
        i = 0
        while i < len(L):
            ln, toks, k = L[i], TOKS[i], NUMS[i]
            j = 0
            if not pending and (toks[0] in prefixes or self.open):
                i, j = self._label_lines(i)  # the lines taken whole as labels, and more
                if i == len(L):
                    break
                ln, toks, k = L[i], TOKS[i], NUMS[i]
                if j:
                    ln = Line(ln.no, " ".join(toks[j:]), ln.blank)
                    toks = toks[j:]
                    k = None if k is None else k - j  # labels are not numbers: k >= j
            elif pending_after_break and (toks[0] in prefixes or self.open):
                took = False
                while j < len(toks) and self._take_label(i, j, True):
                    j += 1
                    took = True
                if took:
                    self._orphans(pending)
                    pending = []
                if j == len(toks):
                    i += 1
                    continue
                if j:
                    ln = Line(ln.no, " ".join(toks[j:]), ln.blank)
                    toks = toks[j:]
                    k = None if k is None else k - j  # labels are not numbers: k >= j
            self.l2_since_row = False
            if plain and not pending and k == 3 and len(toks) == whole:
                # the common row: all five cells on one line, no 偏差原因
                if self.l2 is not None:
                    self.l2.rows += 1
                number = _number
                if i + 1 == len(L) or NUMS[i + 1] is not None:
                    deviation = ""  # the next line is a row's (or none): no 偏差原因 below
                    i += 1
                else:
                    dev, nxt = self._deviation_below(i + 1)
                    if dev:
                        deviation, i = "".join(map(_text, dev)), nxt
                    else:
                        deviation, i = "", i + 1
                row = _Row(
                    self.l1,
                    self.l2,
                    toks[:3],
                    number(toks[3]),
                    number(toks[4]),
                    deviation,
                    ln.no,
                )
                if count > 2:
                    row.more = toks[5:whole]
                self.rows.append(row)
                continue
            if k is None:
                if not pending:
                    pending_after_break = ln.blank >= V.PAGE_BREAK_BLANKS and bool(self.rows)
                pending.append(ln)
                i += 1
                continue
            i += 1
            after = k + count
            dev = [Line(ln.no, " ".join(toks[after:]), 0)] if after < len(toks) else []
            if dev:
                i = self._deviation_lines(dev, i)
                back = self._lines_of_next_row(dev, i)
                if back:
                    del dev[-back:]
                    i -= back
            else:
                dev, i = self._deviation_below(i)
            deviation = "".join(map(_text, dev)) if dev else ""
            self._row(pending, toks[:k], toks[k], toks[k + 1], deviation, ln.no)
            if count > 2:
                self.rows[-1].more = toks[k + 2 : after]
            pending, pending_after_break = [], False
        if pending:
            if pending_after_break:
                self._orphans(pending)
            else:
                self.gap(
                    pending[0].no,
                    "指标行不完整（缺少分值和得分）：" + clip("".join(x.text for x in pending)),
                )
        self._close_group()
        if self.texts:
            self._read_cells()
        for no, weight in self.weights:
            # the weight goes with the 一级 label printed last above it
            labels = [r.l1 for r in self.rows if r.l1 is not None and r.l1.no <= no]
            if labels and not _WEIGHT.search(labels[-1].text):
                labels[-1].text += weight
        rows = self.rows
        if not self._rows_plain():
            for r in rows:
                self._row_done(r)
        return [
            (
                r.l1.text if r.l1 else "",
                r.l2.text if r.l2 else "",
                r.cells[0],
                r.cells[1],
                r.cells[2],
                r.weight,
                r.score,
                r.deviation,
            )
            for r in rows
        ]

    def _row(self, P: list[Line], T: list[str], w: str, s: str, dev: str, no: int) -> None:
        if self.texts:  # read once the whole table is (:meth:`_read_cells`)
            if self.l2 is not None:
                self.l2.rows += 1
            row = _Row(self.l1, self.l2, [], _number(w), _number(s), dev, P[0].no if P else no)
            row.raw = ([x.text for x in P], list(T))
            self.rows.append(row)
            return
        found = decompose(P, T, self)
        if found is None:
            text = "".join(x.text for x in P) + " ".join(T)
            self.gap(no, f"无法拆分指标行的三级指标 / 指标值 / 完成值：{clip(text)}")
            cells, widths = ["", "", ""], None
        else:
            cells, widths = found
        if self.l2 is not None:
            self.l2.rows += 1
        self.rows.append(
            _Row(
                self.l1,
                self.l2,
                cells,
                _number(w),
                _number(s),
                dev,
                P[0].no if P else no,
                widths,
            )
        )

    def _read_cells(self) -> None:
        """The cells of every row of a table with added text columns, read together: the
        widths of each column are the same in every row (:func:`settle_rows`). The cells the
        text settles are read; a gap names the row, the columns it does not settle and
        their text, and leaves those cells empty (the whole row where no reading fits)."""
        raw = [(r, r.raw) for r in self.rows if r.raw is not None]
        n = 3 + len(self.texts)
        rows = [x for _, x in raw]
        unread = [False] * len(rows)
        if self.by_order:
            # LibreOffice sets apart a run of another font: a unit or a comparison word
            # printed apart from its number is one word with it (as the seed's columns take
            # them)
            rows = [(list(map(_apart_joined, lines)), _apart_words(tail)) for lines, tail in rows]
            unread = [_not_by_words(lines, tail) for lines, tail in rows]
        kept = [x for x, u in zip(rows, unread, strict=True) if not u]
        settled = iter(
            settle_rows(kept, self.texts, _pieces(self.header), self.by_order, self.joins)
        )
        found = [None if u else next(settled) for u in unread]
        names = ("三级指标", "年度指标值", "实际完成值", *self.texts)
        for (row, (lines, tail)), got in zip(raw, found, strict=True):
            if got is None:
                text = "".join(lines) + " ".join(tail)
                self.gap(
                    row.no,
                    "绩效指标行的格折行印出，按文字的先后和各栏的宽度分不出各格所在的栏"
                    f"（{'、'.join(self.texts)} 等），未读入：{clip(text, 200)}",
                )
                row.cells = [""] * n
                continue
            row.cells = [c or "" for c in got.cells]
            if got.rest:
                unsettled = (name for name, c in zip(names, got.cells, strict=True) if c is None)
                name = f"“{got.cells[0]}”" if got.cells[0] else ""
                self.gap(
                    row.no,
                    f"绩效指标行{name}的格折行印出，按文字的先后和各栏的宽度分不出各格所在的栏"
                    f"（{'、'.join(unsettled)}），这几栏未读入，其文字依次为：{got.rest}",
                )

    def _deviation_below(self, i: int) -> tuple[list[Line], int]:
        """A row whose numbers line ends without its 偏差原因, then lines of text up to the
        next 一级 / 二级 label or the table's end (LibreOffice prints the cell under its
        row): those lines are its 偏差原因 (another row's lines would end in its numbers).
        Nothing when the first line is one no 偏差原因 takes (:func:`_no_deviation_from`: most
        rows are followed by a label's piece, 质量 / 指标), told without the search below."""
        if i < len(self.lines) and _no_deviation_from(self.lines[i]):
            return [], i
        return self._deviation_searched(i)

    def _deviation_searched(self, i: int) -> tuple[list[Line], int]:
        """:meth:`_deviation_below`, the lines below searched."""
        j, n, nums, toks = i, len(self.lines), self.nums, self.toks
        prefixes = V.ALL_LEVEL_PREFIXES  # (the first test of _label_below, made here)
        while (
            j < n and nums[j] is None and (toks[j][0] not in prefixes or not self._label_below(j))
        ):
            j += 1
        if j == i:
            return [], i  # (a line without numbers the loop stopped at is a label's)
        lines = self.lines[i:j]
        if (
            j < n
            and nums[j] is not None
            and (toks[j][0] not in prefixes or not self._label_below(j))
        ):
            if self.texts:
                # a table with added text columns: the next row's cells may wrap above its
                # numbers however few its line holds (定性 rows leave 度量单位 blank), and a
                # 偏差原因 ends with a sentence: the lines after the last sentence's end are
                # the next row's (LibreOffice's PDF of the Word file, ``-raw``: … 行监控。 /
                # 家庭医生签约服务长效管理机 / 制 / 建立 达成指标 定性 5.00 5.00), all of them
                # when none ends one, unless the next row's line holds every cell
                end = _sentence_ended(lines)
                if not end and nums[j] == 3 + len(self.texts) and not self.lines[j].blank:
                    end = len(lines)
                return lines[:end], i + end
            if not self._whole(j):
                return self._deviation_parted(lines, j)
        if any(map(_no_deviation_from, lines)):
            return self._deviation_before(lines, i)
        return lines, j

    @staticmethod
    def _deviation_before(lines: list[Line], i: int) -> tuple[list[Line], int]:
        """Lines from ``i`` of which one is no 偏差原因's (:func:`_no_deviation_from`): the
        lines before the first such one when they end with a sentence's end (推进。 / 质 / 量,
        质量指标 cut by a page break: LibreOffice's ``-raw``), else none."""
        q = next(q for q, x in enumerate(lines) if _no_deviation_from(x))
        if q and V.ends_sentence(lines[q - 1].text):
            return lines[:q], i + q
        return [], i

    def _deviation_parted(self, lines: list[Line], j: int) -> tuple[list[Line], int]:
        """:meth:`_deviation_searched` when the next numbers line (``j``) may have its
        cells on the lines above it (``lines``): the first lines may still be this row's
        偏差原因 and the rest the next row's cells (LibreOffice's PDF of the Word file,
        ``-raw``: 偏差原因 … 提升服务质 / 量。 / 防汛防台完成时间 / 2023 年 8 月 / 前 / 达成指标
        5.00 5.00). The part where both layouts together cost least, a 偏差原因 ending with a
        sentence's end and holding no label's piece nor page break; on a tie, the fewer
        lines to 偏差原因 (none: every line the next row's, as before), and a gap names the
        lines."""
        i = j - len(lines)
        for x in lines:
            if V.ends_sentence(x.text):
                break
        else:
            return [], i  # (no 偏差原因 can end among them: every line the next row's)
        top = len(lines)
        if any(map(_no_deviation_from, lines)):
            # a label's piece or a page break among them: the 偏差原因 ends before it
            # (推进。 / 质 / 量), or the next row's wrapped cell ends on one (达成预期指 / 标)
            top = next(q for q, x in enumerate(lines) if _no_deviation_from(x))
            if top and V.ends_sentence(lines[top - 1].text):
                return lines[:top], i + top
        k = self.nums[j]
        assert k is not None
        T = self.toks[j][:k]
        least = self.deviation_width
        best, best_m, tie = None, 0, False
        widest = 0
        for m in range(top + 1):
            if m:
                widest = max(widest, lines[m - 1].width)
                if not V.ends_sentence(lines[m - 1].text):
                    continue
            row = decompose_cost(lines[m:], T, self)
            if row is None:
                continue
            cost = row[0] + (self._deviation_cost(lines[:m], max(least, widest)) if m else 0)
            # a sentence's end (进度。) ends a 偏差原因, not a line of an indicator's cells
            cost += sum(1 for x in lines[m:] if V.ends_sentence(x.text))
            if best is None or cost < best:
                best, best_m, tie = cost, m, False
            elif cost == best:
                tie = True
        if tie:
            self.gap(
                lines[0].no,
                "指标行下的几行文字是上一行的偏差原因还是下一行的三级指标 / 指标值 / 完成值，"
                "按各栏的宽度分不清，请核对：" + clip("".join(map(_text, lines))),
            )
        return lines[:best_m], i + best_m

    def _whole(self, j: int) -> bool:
        """Line ``j`` is a row all on its own line (三级指标, 指标值, 完成值, 分值, 得分 and no
        more, or a comparison word apart from its number), after no blank line: the text lines
        above it are not its cells."""
        k = self.nums[j]
        if k == 4 and len(self.toks[j]) == 4 + self.count and not self.lines[j].blank:
            # its 指标值's comparison word printed apart (建设智能应用场景数量 不低于 6 个 6 个
            # 4.00 4.00, LibreOffice's ``-raw``): still three cells
            toks = self.toks[j]
            return bool(_COMPARISON.fullmatch(toks[1]) and _NUMBER_START.match(toks[2]))
        if k != 3 or len(self.toks[j]) != 3 + self.count or self.lines[j].blank:
            return False
        # (a comparison word is no 三级指标: 不少于 5 场 5 场 is 指标值 and 完成值, the row's
        # 三级指标 wrapped above them, LibreOffice's ``-raw``)
        toks = self.toks[j]
        return not (_COMPARISON.fullmatch(toks[0]) and _NUMBER_START.match(toks[1]))

    def _label_below(self, i: int) -> bool:
        """Lines from ``i`` on spell a 一级 / 二级 label, a character a line or more."""
        toks = self.toks
        tok = toks[i][0]
        if tok not in V.ALL_LEVEL_PREFIXES:
            return False
        stop = min(i + 1 + LABEL_LINES, len(toks))
        return _spells(tok, toks, i + 1, 0, stop, _LEVEL1) or _spells(
            tok, toks, i + 1, 0, stop, self._allowed2()
        )

    def _orphans(self, pending: list[Line]) -> None:
        """Text cut off a row by a page break (``2024年 10`` … ``月``): it continues the cell
        of the row above whose last line had no room for it."""
        if not self.rows or self.rows[-1].empty or self.texts:
            self.gap(pending[0].no, "无法归属的文本：" + clip("".join(x.text for x in pending)))
            return
        row = self.rows[-1]
        text = "".join(x.text for x in pending)
        unit = V.first_unit_width(text)
        best = None
        for c in range(3):
            last = row.cells[c].split()[-1] if row.cells[c].split() else ""
            width = row.widths[c] if row.widths else None
            if width is None:  # a single-line cell: its own width
                width = V.text_width(row.cells[c])
            room = self.floors[c] - width - unit
            if room > 2:
                continue
            joins_number = last[-1:].isdigit() and not text[0].isdigit()
            rank = (0 if joins_number else 1, room)
            if best is None or rank < best[0]:
                best = (rank, c)
        if best is None:
            self.gap(pending[0].no, "无法归属的文本：" + clip(text))
            return
        row.cells[best[1]] += text

    def _rows_plain(self) -> bool:
        """Do the rows add nothing once the table is read (:meth:`_row_done`): no added
        columns, and every label begun is whole?"""
        return not (self.added or self.texts) and all(x.complete for x in self.labels)

    def _row_done(self, r: _Row) -> None:
        """What a row adds once the table is read: its added numbers and text cells (to
        ``numbers``), and a gap for each of its labels that is not whole."""
        if self.added or self.texts:  # (an empty row, a 二级 label's with no rows, has none)
            more = [_number(t) for t in r.more] if r.more else [None] * len(self.added)
            fields: dict = dict(zip(self.added, more, strict=True))
            if self.texts:  # an empty cell is no value (as the web editor keeps it)
                cells = zip(self.texts, r.cells[3:], strict=False)
                fields["extras"] = {label: text for label, text in cells if text}
            self.numbers.append(fields)
        if r.l1 is not None and not r.l1.complete:
            self.gap(r.l1.no, f"一级指标“{r.l1.text}”不完整或不在词表中")
            r.l1.level = 0  # report once
        if r.l2 is not None and not r.l2.complete and r.l2.level == 2:
            self.gap(r.l2.no, f"二级指标“{r.l2.text}”不完整或不在词表中")
            r.l2.level = 0
