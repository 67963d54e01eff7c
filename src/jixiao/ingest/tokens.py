"""Stage 1 of reading a flattened form: text → cell tokens in reading order.

A :class:`Token` is one cell's text with the line (1-based) and column where it starts
and its page. How cells are delimited is told by the text itself:

- ``pipes``: cells ended (or led) by ``|``; line breaks are where the flattening wrapped
  and end nothing (HTML tables flattened row by row, or a few cells a line);
- ``lines``: one cell a line, an empty line an empty cell;
- ``words``: cells parted by spaces (a form flattened to one line, or to lines of cells
  parted by spaces; CJK text holds no spaces), "项目资金 (万元)" kept one cell;
- ``glued``: labels and values run together into long lines (a doc site's text of a
  Word file): cut at the labels of :data:`~jixiao.ingest.vocabulary.GLUED_ANCHORS`, at
  spaces, and where a run of numbers starts or ends a piece (a run inside text stays);
- ``paragraphs``: cells separated by empty lines, a cell's wrapped lines joined (what
  ``pdftotext`` prints in its default mode), a line of spaces an empty cell; a line that is
  a label of the form on its own stays a cell of its own.

Page chrome is dropped on the way: "第 1 页 共 2 页", and "-3-" or "3/9" when they count the
pages in order; a doc site's split ("…实现科学管" ⏎ ⏎ "2、理，充分…") is joined back into
the cell it cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, pairwise, repeat

from jixiao.ingest import vocabulary as V

PDF_PAGE = re.compile(
    r"^第\s*\d+\s*页(?:\s*[,，/／、]?\s*共\s*\d+\s*页)?$|^共\s*\d+\s*页\s*第\s*\d+\s*页$"
)
COUNTED_PAGE = re.compile(r"^-\s*(\d+)\s*-$|^(\d+)\s*/\s*(\d+)$")
SITE_SPLIT = re.compile(r"^(\d+)、")
_YEAR_ALONE = re.compile(r"^(?:\(\s*\d{4}\s*年度?\s*\)|\d{4}\s*年度)$")  # (2024年度), not (2024年


@dataclass(slots=True)
class Token:
    """One cell: its text (stripped), line and column (1-based), page (1-based).
    ``mixed``: its lines held text of another column beside it (two columns printed side
    by side), so its text is not one cell's. ``problem``: the cells here could not be
    told apart, and why (a gap of the form)."""

    text: str
    line: int
    col: int = 1
    page: int = 1
    mixed: bool = False
    problem: str | None = None  # why the cells here could not be read (a gap)
    doubts: list[str] | None = None  # what was inferred here, not read (gaps)
    lines: list[str] | None = None  # a ``mixed`` paragraph's lines, as printed


def kind_of(text: str) -> str:
    """``pipes`` when there are at least half as many ``|`` as lines (cells ended by
    one: most lines hold one or more), else ``lines``. Two counts, no split."""
    pipes = text.count("|")
    return "pipes" if pipes and pipes * 2 >= text.count("\n") + 1 else "lines"


# What a line of page chrome (PDF_PAGE, COUNTED_PAGE, SITE_SPLIT) starts with, after its
# spaces (those str.strip takes: \s): 第 / 共, "-" and a digit (-3-), digits and a "/" or
# a "、" (3/9, 3、): only such lines are tried against those patterns. Each holds one of
# _CHROME_MARKS: where every line break is a "\n", the lines holding one are found by
# searching the whole text for them, and only those lines are matched.
_MAYBE_CHROME = re.compile(r"\s*(?:[第共]|-\s*\d|\d+\s*[/、])")
_CHROME_MARKS = re.compile("[第共/、-]")
_OTHER_BREAK = re.compile("[\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # str.splitlines' but "\n"


def _maybe_chrome(text: str, lines: list[str]) -> Iterator[int]:
    """The indexes of the ``lines`` of ``text`` (its lines) that may be page chrome
    (:data:`_MAYBE_CHROME`), in order."""
    if _OTHER_BREAK.search(text) is not None:
        yield from compress(range(len(lines)), map(_MAYBE_CHROME.match, lines))
        return
    k = at = 0  # the line of the mark found, and the place in the text of the one before
    tried = -1  # the last line matched
    for m in _CHROME_MARKS.finditer(text):
        k += text.count("\n", at, m.start())
        at = m.start()
        if k != tried:
            tried = k
            if _MAYBE_CHROME.match(lines[k]):
                yield k


def clean_lines(text: str) -> list[tuple[int, str, int]]:
    """(line number, text, page) of every line, page chrome dropped and doc-site splits
    joined to the line they cut."""
    text = text.replace("\f", "\n")
    lines = text.splitlines()
    out: list[tuple[int, str, int]] = []
    page = 1
    counted = 0  # the last page number a "-i-" / "i/n" / "i、" marker gave
    start = 0  # the first line not in ``out`` yet
    # (the lines between two that may be chrome go into ``out`` at once, with their page; a
    # line of splitlines ends with no "\r" nor "\n": each is a line break)
    for k in _maybe_chrome(text, lines):
        out += zip(range(start + 1, k + 1), lines[start:k], repeat(page))
        start = k + 1
        no, raw = k + 1, lines[k]
        line = raw.strip()
        if PDF_PAGE.match(line):
            page += 1
            continue
        m = COUNTED_PAGE.match(line)
        if m:
            n = int(m.group(1) or m.group(2))
            if n in (counted + 1, 1) and (m.group(3) is None or int(m.group(3)) >= n):
                counted = n
                page += 1
                continue
        m = SITE_SPLIT.match(line)
        if m and int(m.group(1)) in (counted + 1, 2) and int(m.group(1)) > 1:
            counted = int(m.group(1))
            page += 1
            rest = line[m.end() :]
            while out and not out[-1][1]:
                out.pop()  # the blank lines the site put between its pages
            if out:
                prev_no, prev, prev_page = out.pop()
                out.append((prev_no, prev + rest, prev_page))
            else:
                out.append((no, rest, page))
            continue
        out.append((no, raw, page))
    out += zip(range(start + 1, len(lines) + 1), lines[start:], repeat(page))
    return out


def split_tokens(text: str, kind: str) -> list[Token]:
    """The cells of ``text`` flattened as ``kind`` (see the module's docstring)."""
    lines = clean_lines(text)
    if kind == "pipes":
        return _pipe_tokens(lines)
    if kind == "paragraphs":
        return _paragraph_tokens(lines)
    if kind == "words":
        return _word_tokens(lines)
    if kind == "glued":
        return _glued_tokens(lines)
    tokens = _head_lines_apart(
        _labels_joined(
            [Token(t.strip(), no, len(t) - len(t.lstrip()) + 1, page) for no, t, page in lines]
        )
    )
    while tokens and not tokens[0].text:
        tokens.pop(0)
    while tokens and not tokens[-1].text:
        tokens.pop()
    return tokens


_TAIL = 4  # the wrapped end of a label is short (代码, 位）名称, 值)


def _piece(text: str) -> bool:
    """A label's last characters wrapped onto a line of their own (值 of 实际完成 / 值): no
    value, number or placeholder."""
    return len(text) <= 2 and not text[0].isdigit() and text not in V.NULL_TOKENS and text != "无"


def _labels_joined(tokens: list[Token]) -> list[Token]:
    """Cells one a line: a label wrapped in its cell over two lines (部门（单 / 位）名称,
    主管部门及 / 代码) one cell, when neither piece is a label of its own."""
    out: list[Token] = []
    for tok in tokens:
        prev = out[-1] if out else None
        if (
            prev is not None
            and 0 < len(tok.text) <= _TAIL
            and 0 < len(prev.text) < _LONGEST_LABEL
            and not tok.text[0].isdigit()
            and not prev.text[0].isdigit()
            and wrapped_label(prev.text + tok.text)
            and (_piece(tok.text) or not (wrapped_label(prev.text) or prev.text in _STANDALONE))
            and not wrapped_label(tok.text)
            and tok.text not in _STANDALONE
        ):
            prev.text += tok.text
            continue
        out.append(tok)
    return out


def _pipe_tokens(lines: list[tuple[int, str, int]]) -> list[Token]:
    """Cells ended by ``|``; when most lines also start with one ("| a | b |", an HTML
    table flattened) that first ``|`` ends nothing."""
    piped = [t.strip() for _, t, _ in lines if "|" in t and t.strip() != "|"]
    led = sum(1 for t in piped if t.startswith("|")) * 2 > len(piped)
    out: list[Token] = []
    pending: Token | None = None  # a cell whose text went on past the end of its line
    for no, text, page in lines:
        if "|" not in text:
            if text.strip():
                if pending is None:
                    pending = Token(text.strip(), no, 1, page)
                else:
                    pending.text += text.strip()
            continue
        parts = text.split("|")
        col = 1
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            body = part.strip()
            if k == 0 and pending is not None:
                pending.text += body
                out.append(pending)
                pending = None
            elif last:
                if body:
                    pending = Token(body, no, col, page)
            elif k == 0 and not body and led:
                pass  # a line led by "|"
            else:
                out.append(Token(body, no, col, page))
            col += len(part) + 1
    if pending is not None:
        out.append(pending)
    return out


@lru_cache(maxsize=8192)  # (asked of most lines: labels and numbers repeat form to form)
def _alone(line: str) -> bool:
    """A line that is a cell of its own inside a paragraph: a label of the form, a year."""
    f = V.grid_label(line)
    if not f:
        return False
    return bool(
        V.TITLE_PATTERN.search(f)
        or _YEAR_ALONE.match(f)
        or f in _STANDALONE
        or V.GRID_FUNDS_BLOCK.match(f)
    )


_COLUMN_LABELS = re.compile(
    "^(?:"
    + "|".join(
        p
        for table in (V.GRID_HEAD_LABELS, V.GRID_FUND_COLUMNS, V.GRID_INDICATOR_COLUMNS)
        for patterns in table.values()
        for p in patterns
    )
    + ")$"
)


@lru_cache(maxsize=4096)
def wrapped_label(text: str) -> bool:
    """A head or column label of four characters or more (one of its pieces may be a label
    of its own: 主管部门 of 主管部门及代码)."""
    if len(text) > _LONGEST_LABEL:
        return False
    f = V.grid_label(text)
    return len(f) >= 4 and bool(_COLUMN_LABELS.match(f))


_LONGEST_LABEL = 24


def _levels_head(line: str) -> bool:
    """The first line of the indicator header's merged 一级 / 二级 cells ("一级 二级")."""
    return line.startswith("一级") and "二级" in line


_STANDALONE = frozenset(
    {
        V.PROJECT_LABEL,
        V.DEPARTMENT_LABEL,
        V.UNIT_LABEL,
        V.GOALS_LABEL,
        V.GOAL_EXPECTED_LABEL,
        V.GOAL_ACHIEVED_LABEL,
        V.TOTAL_LABEL,
        V.GRADE_LABEL,
        *V.TABLE_HEADER,
    }
)


def _paragraph_tokens(lines: list[tuple[int, str, int]]) -> list[Token]:
    out: list[Token] = []
    cur: Token | None = None
    held: list[str] = []  # the lines of ``cur``
    mixed: list[tuple[int, list[str]]] = []  # (index in ``out``, lines) of mixed paragraphs
    held_of: dict[int, list[str]] = {}  # each paragraph's lines, by its token's id
    for no, text, page in lines:
        body = text.strip()
        if not body:
            if text.strip("\r\n"):  # a line of spaces: an empty cell (an empty line parts cells)
                out.append(Token("", no, 1, page))
            cur = None
            continue
        # (most lines hold no space, which SIDE_BY_SIDE needs, and no 元: neither pattern
        # tried there)
        spaced = " " in body or "\t" in body or "\u3000" in body
        side = spaced and bool(V.SIDE_BY_SIDE.search(body))
        unit = (
            cur is not None
            and "元" in body
            and V.AMOUNT_UNIT_PATTERN.fullmatch(V.fold(body).strip())
        )
        if unit and cur is not None and _funds_block(cur):
            cur.text += body  # 项目资金 / （万元）: one cell
            continue
        if cur is not None and len(held) == 1 and wrapped_label(cur.text + body):
            cur.text += body  # 主管部门 / 及代码, 单项指标 / 得分: a label wrapped in its cell
            held.append(body)
            continue
        if cur is None or _alone(body) or _alone(cur.text) or _levels_head(body):
            label, value = _head_apart(body) if " " in body else (body, "")
            if value:  # 部门（单位）名称 动物疫病防控经费: a head label and its value
                out.append(Token(label, no, 1, page))
                body = value
            cur = Token(body, no, 1, page, side)
            out.append(cur)
            held = held_of[id(cur)] = [body]
            if side:
                mixed.append((len(out) - 1, held))
        else:
            cur.text += body
            held.append(body)
            if side and not cur.mixed:
                mixed.append((len(out) - 1, held))
            cur.mixed = cur.mixed or side
    for k, body_lines in reversed(mixed):
        out[k].lines = body_lines
        out[k : k + 1] = _goal_columns(out[k], body_lines)
    _head_values_apart(out, held_of)
    for tok in out:
        paragraph = held_of.get(id(tok))
        if paragraph is not None and len(paragraph) >= 4:
            _goal_label_apart(tok, paragraph)
    return out


def _goal_label_apart(tok: Token, held: list[str]) -> None:
    """A paragraph whose lines are interleaved with the characters of 年度总体目标 one a line
    (度 / 根据…加 / 总 / 强慢性病… / 体 / …: the label's merged cell beside the goal's,
    LibreOffice's Word file in ``pdftotext``'s default mode): the text without them, with
    a doubt (what else of the label's column ran into it is not known)."""
    singles = [k for k, line in enumerate(held) if len(line) == 1]
    if len(singles) < 3 or len(held) - len(singles) < 2:
        return
    spelled = "".join(held[k] for k in singles)
    if spelled not in V.GOALS_LABEL:
        return
    kept = [line for k, line in enumerate(held) if k not in singles]
    tok.text = "".join(kept)
    doubt = (
        f"第{tok.line}行起：{V.GOALS_LABEL}的文字中夹着一字一行印出的栏目名“{spelled}”，"
        "已略去，这一段的文字请核对"
    )
    tok.doubts = [*(tok.doubts or ()), doubt]


def _head_values_apart(out: list[Token], held_of: dict[int, list[str]]) -> None:
    """Head labels printed one under another (项目名称 / 主管部门 / 项目类别: the label column's
    cells as one block, LibreOffice's Word file in ``pdftotext``'s default mode) and their
    values next, a paragraph with a line for each: :func:`_paired`."""
    k = len(out) - 1
    while k > 0:
        first = k
        while first > 0 and _head_label(out[first - 1]):
            first -= 1
        value = out[k]
        if k - first < 2 or _head_label(value) or value.page != out[first].page:
            k = first - 1 if first < k else k - 1
            continue
        block: list[Token] = []
        if _funds_block(value):
            # the fund block's label printed between the head labels and their values
            # (项目名称 / 主管部门 / / 项目资金（万元） / / 教师培训专项经费 浦东新区教育局), and
            # after it labels printed a character a line (年 / 度 / 总 / 体 …): the values are
            # the next paragraph, those labels kept after them
            n = k + 1
            while n < len(out) and _spelled_down(held_of.get(id(out[n]), [out[n].text])):
                n += 1
            if n < len(out) and not _head_label(out[n]) and out[n].page == value.page:
                block, value = out[k:n], out[n]
        held = held_of.get(id(value), [value.text])
        values = [Token(text, value.line + i, 1, value.page) for i, text in enumerate(held)]
        out[first : k + 1 + len(block)] = _paired(out[first:k], values) + block
        k = first - 1


def _spelled_down(held: list[str]) -> bool:
    """Lines of one character each: a label printed down its merged cell."""
    return len(held) > 1 and all(len(line) == 1 for line in held)


def _funds_block(tok: Token) -> bool:
    """Is ``tok`` the fund block's label (项目资金（万元） …)?"""
    return bool(V.GRID_FUNDS_BLOCK.match(V.grid_label(tok.text)))


def _head_lines_apart(tokens: list[Token]) -> list[Token]:
    """:func:`_head_values_apart` for cells one a line: the labels' lines, an empty line,
    the values' lines up to the next empty line. Once a text has printed its head so, its
    empty lines part paragraphs, not cells: the empty line after a head label is no value
    (实施单位 / / 上海市青浦区博物馆: the label and its value; 实施单位 / / 年初预算数: no value
    read)."""
    out: list[Token] = []
    i = 0
    blocks = False  # a head printed as blocks seen: empty lines part paragraphs
    while i < len(tokens):
        j = i
        while j < len(tokens) and tokens[j].text and _head_label(tokens[j]):
            j += 1
        if j - i == 1 and blocks and j < len(tokens) and not tokens[j].text:
            out.append(tokens[i])  # (the empty line after it parts paragraphs)
            i = j + 1
            continue
        if j - i < 2 or j + 1 >= len(tokens) or tokens[j].text:
            out += tokens[i : max(j, i + 1)]
            i = max(j, i + 1)
            continue
        end = j + 1
        while end < len(tokens) and tokens[end].text and not _head_label(tokens[end]):
            end += 1
        values = tokens[j + 1 : end]
        if not values or values[0].page != tokens[i].page:
            out += tokens[i:j]
            i = j
            continue
        out += _paired(tokens[i:j], values)
        blocks = True
        i = end + 1 if end < len(tokens) and not tokens[end].text else end
    return out


# In the gap of head labels printed apart from their values (:func:`_paired`): the sign that
# the text prints its tables a column at a time (:func:`jixiao.ingest.flattening.read_staged`).
HEAD_APART = "与其内容分开印出"


def _paired(labels: list[Token], values: list[Token]) -> list[Token]:
    """Each head label followed by its value, the values taken in order when there is one
    for each label, with a doubt (a value left empty beside one wrapped prints as many
    lines); else the labels alone, a gap keeping the values' text. A column's label ending
    the values (年初预算数) is kept after them."""
    after: list[Token] = []
    while len(values) > len(labels) and _COLUMN_LABELS.match(V.grid_label(values[-1].text)):
        after.insert(0, values[-1])
        values = values[:-1]
    names = "、".join(f"“{tok.text}”" for tok in labels)
    where = f"第{labels[0].line}行起：{names}{HEAD_APART}，"
    if len(values) == len(labels):
        doubt = where + "按先后对应，请核对"
        out = [tok for pair in zip(labels, values, strict=True) for tok in pair]
    else:
        text = "".join(tok.text for tok in values)
        doubt = where + f"内容印成 {len(values)} 行，无法对应，未读入：{text}"
        out = [*labels]
    out[0].doubts = [*(out[0].doubts or ()), doubt]
    return out + after


def _head_label(tok: Token) -> bool:
    return len(tok.text) <= _LONGEST_LABEL and _head_label_text(tok.text)


@lru_cache(maxsize=4096)
def _head_label_text(text: str) -> bool:
    """A head label, the model's (项目名称 …) or another (项目类别 …)."""
    label = V.grid_label(text)
    return bool(_HEAD_LABEL.match(label) or _OTHER_HEAD_LABEL.match(label))


_HEAD_LABEL = re.compile(
    "^(?:" + "|".join(p for ps in V.GRID_HEAD_LABELS.values() for p in ps) + ")$"
)


_OTHER_HEAD_LABEL = re.compile("^(?:" + "|".join(V.GRID_OTHER_HEAD_LABELS) + ")$")


def _head_apart(body: str) -> tuple[str, str]:
    """A paragraph that is a head label, one space, and its value (the label's cell filled
    to its edge: 部门（单位）名称 动物疫病防控经费): the label and the value; else the
    paragraph and "" (as for a paragraph with no space, not asked)."""
    label, space, value = body.partition(" ")
    if not space or not value.strip() or not _HEAD_LABEL.match(V.grid_label(label)):
        return body, ""
    return label, value.strip()


_GOAL_PIECES = frozenset({"年度", "总体", "目标", "年度总体目标", "年度总", "体目标"})


def _wrapped(lines: list[str]) -> bool:
    """Lines of one cell wrapped at its width: each but the last had no room for the first
    piece of the next."""
    widths = [V.text_width(line) for line in lines]
    most = max(widths)
    return all(
        most - w <= V.first_unit_width(nxt) for w, nxt in zip(widths, lines[1:], strict=False)
    )


def _goal_columns(tok: Token, lines: list[str]) -> list[Token]:
    """A paragraph whose lines hold words parted by a space: the goals' two columns
    printed side by side (``pdftotext`` default), the pieces of the 年度总体目标 label
    before some lines. Their two texts as two cells when the lines tell them apart: the
    lines holding both columns come first; after them, lines led by a piece of the label
    are 预期目标's (the label stands left of it), and other lines are the column's whose
    last line had no room for their first piece (of two full ones, the one that did not
    end a sentence). Else the paragraph as it was (a gap: not told apart)."""
    rows: list[list[str]] = []
    led: list[bool] = []
    label = ""
    for line in lines:
        words = line.split()
        if len(words) == 1 and words[0] in _GOAL_PIECES and not rows:
            label += words[0]  # 年度 on a line of its own above the lines it leads
            continue
        lead = len(words) > 1 and words[0] in _GOAL_PIECES
        if lead:
            label += words.pop(0)
        rows.append(words)
        led.append(lead)
    if label != V.GOALS_LABEL:
        return [tok]  # not the goals (or not all of the label's pieces): not told apart
    if all(len(r) == 1 for r in rows):  # one column, led by the label's pieces
        return [Token("".join(r[0] for r in rows), tok.line, tok.col, tok.page)]
    both = 0
    while both < len(rows) and len(rows[both]) == 2:
        both += 1
    rest = rows[both:]
    if not both or any(len(r) != 1 for r in rest):
        return [tok]
    left = [r[0] for r in rows[:both]]
    right = [r[1] for r in rows[:both]]
    if all(led[both:]):
        left += [r[0] for r in rest]
    elif any(led[both:]) or both < 2:
        return [tok]
    else:
        unit = V.first_unit_width(rest[0][0])
        room = [max(map(V.text_width, c)) - V.text_width(c[-1]) for c in (left, right)]
        on = [r <= unit for r in room]  # it may go on (no room, or just one piece's)
        widest = min(max(map(V.text_width, c)) for c in (left, right))
        first, second = (r[0] for r in rest) if len(rest) == 2 else ("", "")
        if all(on) and first and V.text_width(first) + V.first_unit_width(second) < widest:
            # both full, two lines more, the first with room left in either column (so the
            # last of its column): one line each, on one baseline, the left printed first
            left.append(rest[0][0])
            right.append(rest[1][0])
        else:
            if all(on):  # both full: the one that did not end a sentence goes on
                on = [c[-1][-1] not in V.SENTENCE_END for c in (left, right)]
            elif any(r == unit + 1 for r in room):
                return [tok]  # one column has room for just a little more: not sure
            if on[0] == on[1]:
                return [tok]
            (left if on[0] else right).extend(r[0] for r in rest)
    if not (_wrapped(left) and _wrapped(right)):
        return [tok]  # a line short of its column's width before the column's end
    return [
        Token("".join(left), tok.line, tok.col, tok.page),
        Token("".join(right), tok.line, tok.col, tok.page),
    ]


_WORD = re.compile(r"\S+")


def _word_tokens(lines: list[tuple[int, str, int]]) -> list[Token]:
    out: list[Token] = []
    for no, text, page in lines:
        for m in _WORD.finditer(text):
            word = m.group()
            prev = out[-1] if out else None
            if (
                prev is not None
                and V.AMOUNT_UNIT_PATTERN.fullmatch(V.fold(word))
                and _funds_block(prev)
            ):
                prev.text += word  # 项目资金 (万元): one cell
                continue
            out.append(Token(word, no, m.start() + 1, page))
    return out


_ANCHOR = re.compile(
    r"[一-龥]{2,4}指标\(\d+分\)|其中:[一-龥]{2,12}(?:拨款|资金)|"
    + "|".join(re.escape(a) for a in sorted(V.GLUED_ANCHORS, key=len, reverse=True))
)
GLUED_LINE = 200  # a line this long without cells parted: labels and values run together


def looks_glued(text: str) -> bool:
    return any(len(line) >= GLUED_LINE for line in text.splitlines())


def _glued_tokens(lines: list[tuple[int, str, int]]) -> list[Token]:
    out: list[Token] = []
    for no, text, page in lines:
        for m in _WORD.finditer(text.translate(_FOLD_COLON)):
            word, col = m.group(), m.start() + 1
            cuts = sorted({0, len(word), *(x for a in _ANCHOR.finditer(word) for x in a.span())})
            for a, b in pairwise(cuts):
                for piece in _edge_numbers(word[a:b].lstrip(":")):
                    if piece:
                        out.append(Token(piece, no, col + a, page))
    return out


_FOLD_COLON = str.maketrans({"：": ":", "（": "(", "）": ")"})


def _edge_numbers(piece: str) -> list[str]:
    """A run of numbers that starts or ends a piece of text, cut from it."""
    m = re.match(r"^([\d.,%]*\d[\d.,%]*)(?=[^\d.,%])", piece)
    if m and m.group(1).count(".") + m.group(1).count("%") >= 1:
        return [m.group(1), *_edge_numbers(piece[m.end() :])]
    m = re.search(r"(?<=[^\d.,%])([\d.,%]*\d[\d.,%]*)$", piece)
    if m and (m.group(1).count(".") >= 2 or len(m.group(1)) >= 3 or "." in m.group(1)):
        return [*_edge_numbers(piece[: m.start()]), m.group(1)]
    inner = re.search(r"(?<=[^\d.,%])(\d+\.\d+(?:\.\d+){2,})(?=[^\d.,%])", piece)
    if inner:  # three or more numbers glued inside text: cells, not a date
        return [piece[: inner.start()], inner.group(1), *_edge_numbers(piece[inner.end() :])]
    return [piece]
