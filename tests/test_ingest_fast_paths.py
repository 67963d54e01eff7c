"""The seed reader's shortcuts (#15 item 5) decide as the long way does: each is checked
against the long way on the same input, and the input the shortcut does not take goes the
long way."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import limits
from jixiao.generate import generate_forms
from jixiao.ingest import decode, read_bytes
from jixiao.model import FUND_COLUMNS, FUND_ROWS, FundRow, Indicator, OpenModel, SelfEvaluation
from jixiao.textform import TextLayout, write_forms

from .conftest import SEED_TEXT


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.characters(codec="utf-8")
        | st.sampled_from("\x00\x01\x08\t\n\r\x0b\x0c\x0e\x1f\x7f\x80\x85\x9f\xa0·×\ufffd\ufeff")
    )
)
def test_utf8_bytes_are_judged_clean_exactly_when_their_text_has_no_control_character(text):
    data = text.encode("utf-8")
    assert decode._clean_utf8(data) == (decode._CONTROL.search(text) is None)


def test_a_utf8_file_with_control_characters_is_still_judged_on_its_text():
    few = ("项目名称 甲\x07" + "乙" * 400 + "\n").encode()  # a bell now and then: still text
    assert decode.decode_bytes(few, "x.txt")[0].startswith("项目名称")
    many = ("\x07\x08" * 50 + "项目名称").encode()
    try:
        decode.decode_bytes(many, "x.txt")
    except decode.IngestError as e:
        assert "控制字符" in str(e)
    else:
        raise AssertionError("binary-looking text accepted")


def test_rows_made_by_a_checked_maker_are_those_from_checked_and_validation_make():
    row = {"level1": "产出指标", "level2": "数量指标", "name": "甲", "target": "≥1", "actual": "1"}
    row |= {"weight": Decimal("5.00"), "score": None, "deviation": ""}
    make = Indicator.checked_maker(tuple(row))
    for built in (make(row), Indicator.from_checked(row)):
        assert built == Indicator.model_validate(row)
        assert list(built.__dict__) == list(Indicator.model_validate(row).__dict__)
        assert built.model_fields_set == Indicator.model_validate(row).model_fields_set
        assert built.extras == {} and built.extras is not make(row).extras  # a dict each
    fund = dict(zip(FUND_COLUMNS, map(Decimal, ["1", "2", "3", "4", "5", "6"]), strict=True))
    made = FundRow.checked_maker(FUND_COLUMNS)(fund)
    assert made == FundRow.model_validate(fund)
    assert made.model_fields_set == FundRow.model_validate(fund).model_fields_set


def test_remembered_amounts_are_checked_against_the_limits_in_force():
    from jixiao.ingest.text import _amounts

    assert _amounts()["123456.78"] == Decimal("123456.78")
    with limits.use(max_number_digits=4):
        try:
            _amounts()["123456.78"]
        except ValueError:
            pass
        else:
            raise AssertionError("an amount beyond the lowered limits passed")
        assert _amounts()["1.5"] == Decimal("1.5")
        assert "123456.78" not in _amounts()  # (refused: not remembered)
    assert _amounts()["123456.78"] == Decimal("123456.78")
    assert _amounts()[None] is None


# -- the whole reading: shortcuts on, and every one replaced by the long way it stands for


@contextmanager
def _the_long_way() -> Iterator[None]:
    """The seed reader with each shortcut replaced by what it stands for: text judged on
    its characters, every width measured afresh, every line folded, compared folded and
    tokenised by its rules, every token read afresh, every form validated (no checked
    values, no remembered amounts, the layout assigned with validation) and its signs
    gathered the plain way, plan titles searched for in every text."""
    from jixiao.ingest import plan_text, text, text_indicators, text_lines, vocabulary
    from jixiao.layouts import recognition

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(decode, "_clean_utf8", lambda data: False)
        mp.setattr(vocabulary, "_FOLDED", re.compile(""))  # always "something to fold"
        mp.setattr(vocabulary, "text_width", vocabulary.text_width.__wrapped__)  # measured
        mp.setattr(vocabulary, "first_unit_width", vocabulary.first_unit_width.__wrapped__)
        mp.setattr(  # both pieces measured, the ideograph's shortcut not taken
            vocabulary, "first_piece_width", lambda t: vocabulary._piece_width_scanned(t.lstrip())
        )
        mp.setattr(text_lines, "_plain", lambda label: False)  # every line folded to compare
        mp.setattr(text, "_TITLE_LAST", "")  # every line with 评 folded and matched
        mp.setattr(text, "_number_token", vocabulary.parse_number_token)
        mp.setattr(recognition, "_form_signs", _signs_the_plain_way)
        mp.setattr(
            text_indicators,
            "_lines_tokens",
            lambda texts, joined: [text_indicators._tokens(t) for t in texts],
        )
        mp.setattr(text_indicators, "_SPACED_UNIT", re.compile(_SPACED_UNIT_BEFORE))
        mp.setattr(
            text_indicators,
            "_bracket_starts",
            lambda joined: any(t[:1] in "(（" for t in joined.split("\n")),
        )
        mp.setattr(text_indicators, "_weight_piece_after_label", lambda lines: True)
        mp.setattr(text_indicators, "_weight_piece_line", lambda joined: True)  # always "found"
        mp.setattr(text_indicators, "_measures", text_indicators._measures.__wrapped__)
        mp.setattr(
            text_indicators, "_printed_head_width", text_indicators._printed_head_width.__wrapped__
        )
        reader = text_indicators.TableReader
        mp.setattr(reader, "_deviation_below", reader._deviation_searched)  # every line searched
        mp.setattr(reader, "_rows_plain", lambda self: False)  # every row's labels asked
        mp.setattr(text_indicators, "_label_widths", text_indicators._label_widths.__wrapped__)
        mp.setattr(text_indicators, "_SCORES", _ScoresAfresh())
        mp.setattr(
            text_indicators.TableReader,
            "_label_lines",
            lambda self, i: self._label_lines_long(i, len(self.toks)),
        )
        mp.setattr(text._Draft, "_typed", lambda draft: None)
        mp.setattr(OpenModel, "set_checked", lambda self, name, value: setattr(self, name, value))
        mp.setattr(plan_text, "_PLAN_WORDS", ("",))
        mp.setattr(text_lines, "_fold", vocabulary.fold)  # every line folded afresh
        mp.setattr(text, "split_lines", _lines_the_long_way)
        mp.setattr(text, "find_start", _find_start_the_long_way)
        mp.setattr(text, "find_containing", _find_containing_the_long_way)
        mp.setattr(text, "_has_anchor", _has_anchor_the_long_way)
        mp.setattr(text, "_opens_a_line", _opens_a_line_the_long_way)
        yield


class _ScoresAfresh:
    """``_SCORES[token]`` the long way: every token's 分值 test made afresh."""

    def __getitem__(self, token: str) -> bool:
        from jixiao.ingest import vocabulary

        return vocabulary.is_score_token(token)


def _lines_the_long_way(text: str, mark: str = ""):
    """:func:`text_lines.split_lines` with each line made by ``Line(...)``, and the lines
    holding ``mark`` found by a pass over them."""
    from jixiao.ingest.text_lines import Line, split_lines

    lines = [Line(ln.no, ln.text, ln.blank) for ln in split_lines(text)[0]]
    return lines, [i for i, ln in enumerate(lines) if mark in ln.text]


def _find_start_the_long_way(lines, label, start=0):
    from jixiao.ingest.text_lines import starts

    return next((i for i in range(start, len(lines)) if starts(lines[i], label)), None)


def _find_containing_the_long_way(lines, label, start=0):
    from jixiao.ingest.text_lines import contains

    return next((i for i in range(start, len(lines)) if contains(lines[i], label)), None)


def _has_anchor_the_long_way(line) -> bool:
    """A form's anchor in the line's folded text (what ``text._has_anchor`` decides)."""
    from jixiao.ingest import vocabulary as V

    return any(a in V.fold(line.text) for a in V.FORM_ANCHORS)


def _opens_a_line_the_long_way(joined: str, first: str) -> bool:
    return any(t.startswith(first) for t in joined.split("\n"))


# The spaced unit's pattern as it was (tried from every character): the same matches.
_SPACED_UNIT_BEFORE = (
    r"\d (?:[元%个次人户家项台套场名件份册亩公平万处头张种天剂吨辆]|分钟|小时|工作日)"
)


def _read_both(data: bytes) -> tuple[list[SelfEvaluation], list[SelfEvaluation]]:
    fast = read_bytes(data, "x.txt")
    # read again: what the first reading remembered (label runs, amounts) is used now
    _assert_same_forms(read_bytes(data, "x.txt"), fast)
    with _the_long_way():
        slow = read_bytes(data, "x.txt")
    return fast, slow


def _assert_same_forms(fast: list[SelfEvaluation], slow: list[SelfEvaluation]) -> None:
    assert len(fast) == len(slow) > 0
    for a, b in zip(fast, slow, strict=True):
        assert a.model_dump() == b.model_dump()
        assert a.model_fields_set == b.model_fields_set
        assert a.gaps == b.gaps
        for x, y in zip(a.indicators, b.indicators, strict=True):  # each row as validated
            assert list(x.__dict__) == list(y.__dict__)
            assert x.model_fields_set == y.model_fields_set
            assert x.extras == {} and x.extras is not y.extras
        # the funds, each fund row, the goals and the source as validated too
        parts = [(a.funds, b.funds), (a.goals, b.goals), (a.source, b.source)]
        parts += [(getattr(a.funds, k), getattr(b.funds, k)) for k in FUND_ROWS]
        for x, y in parts:
            assert (x is None) == (y is None)
            if x is not None:
                assert list(x.__dict__) == list(y.__dict__)
                assert x.model_fields_set == y.model_fields_set


def test_the_seed_reads_the_same_with_and_without_the_shortcuts():
    data = SEED_TEXT.read_bytes()
    fast, slow = _read_both(data)
    assert len(fast) == 9
    _assert_same_forms(fast, slow)
    # and damaged: values cut, labels renamed (forms with gaps, read both ways alike)
    text = data.decode("utf-8")
    for damaged in (text[: len(text) // 2], text.replace("总分", "合计").replace("-", "")):
        _assert_same_forms(*_read_both(damaged.encode("utf-8")))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    count=st.integers(1, 6),
    layout=st.builds(
        TextLayout,
        name_width=st.integers(12, 40),
        target_width=st.integers(6, 16),
        actual_width=st.integers(6, 16),
        deviation_width=st.integers(8, 30),
        expected_width=st.integers(20, 60),
        achieved_width=st.integers(20, 60),
        page_lines=st.integers(25, 90),
        newline=st.sampled_from(["\n", "\r\n"]),
        fullwidth=st.booleans(),
        thousands=st.booleans(),
    ),
    cut=st.sampled_from([None, "总分", "评分等级", "项目资金", "三级指标"]),
)
def test_generated_seed_layout_forms_read_the_same_with_and_without_the_shortcuts(
    seed, count, layout, cut
):
    text = write_forms(generate_forms(count, seed=seed), layout)
    if cut is not None:  # a part lost: forms with gaps, read both ways alike
        text = text.replace(cut, "", 1)
    _assert_same_forms(*_read_both(text.encode("utf-8")))


def _folded_the_long_way(text: str) -> str:
    """What :func:`V.fold` stands for: each full-width mark translated, whitespace gone."""
    from jixiao.ingest import vocabulary as V

    return "".join(text.translate(str.maketrans(dict(V._FOLD))).split())


def test_fold_and_its_shortcut_agree_on_every_character():
    from jixiao.ingest import vocabulary as V

    for cp in range(0x10000):
        if 0xD800 <= cp < 0xE000:
            continue
        text = f"甲{chr(cp)}乙"
        assert V.fold(text) == _folded_the_long_way(text), hex(cp)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("（）：，；！？％＝＜＞():,% \t\u3000\n甲a1")))
def test_fold_replaces_each_mark_as_translating_every_character_does(text):
    from jixiao.ingest import vocabulary as V

    assert V.fold(text) == _folded_the_long_way(text)


def test_every_character_the_text_check_refuses_is_unprintable():
    # (model.texts_pass passes printable text without searching it for BAD_TEXT)
    from jixiao.limits import BAD_TEXT

    refused = [chr(cp) for cp in range(0x110000) if BAD_TEXT.match(chr(cp))]
    assert len(refused) == 2110 and not any(ch.isprintable() for ch in refused)


def test_a_label_piece_is_any_part_of_a_level_label():
    from jixiao.ingest import text_indicators as TI
    from jixiao.ingest import vocabulary as V

    for label in V.ALL_LEVEL_LABELS:
        for a in range(len(label)):
            for b in range(a + 1, len(label) + 1):
                assert TI._label_piece(label[a:b])
    for text in ("指标甲", "产出 指标", "满意度指标满意度", "x"):
        assert TI._label_piece(text) == any(text in label for label in V.ALL_LEVEL_LABELS)


def _signs_the_plain_way(form: SelfEvaluation, labels=()):
    """Recognition's signs of a form as they were gathered before it asked each kept
    mapping at once (the reference for :func:`recognition._form_signs`)."""
    from jixiao.layouts import recognition as R
    from jixiao.layouts.declaration import label_key
    from jixiao.model import FUND_ROW_LABELS, INDICATOR_NUMBER_LABELS
    from jixiao.values import normalize

    keys = {label_key(t) for t in labels if t}
    keys.update(label_key(k) for k in form.extras)
    keys.update(label_key(c.label) for c in form.checkboxes)
    keys.update(label_key(k) for k in form.funds.extras)
    for name in FUND_ROW_LABELS:
        keys.update(label_key(k) for k in getattr(form.funds, name).extras)
    for row in form.funds.extras.values():
        keys.update(label_key(k) for k in row.extras)
    for ind in form.indicators:
        keys.update(label_key(k) for k in ind.extras)
    for field, word in INDICATOR_NUMBER_LABELS.items():
        if any(getattr(ind, field) is not None for ind in form.indicators):
            keys.add(word)
    if form.grade:
        keys.add("评分等级")
    return R._Signs(
        texts=frozenset(keys & R._sign_keys()),
        titles=(normalize(form.title),),
        execution_weight=form.funds.total.weight,
        places=(form.department, form.unit),
    )


def test_a_forms_signs_of_its_layout_are_gathered_as_before(oracle_forms):
    from jixiao.generate import layout_forms
    from jixiao.layouts import all_layouts
    from jixiao.layouts import recognition as R

    forms = [*oracle_forms]
    for layout in all_layouts():
        forms += layout_forms(3, layout.id, seed=5)
    kinds = set()
    for form in forms:
        for labels in ((), ("主管部门及代码", "")):
            assert R._form_signs(form, labels) == _signs_the_plain_way(form, labels)
        kinds.update(R._form_signs(form).texts)
    assert len(kinds) >= 5  # forms with kept cells, check boxes, added number columns


# -- the indicator table's shortcuts, each against its long way on varied input


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("12 元万%个次人平方米a年月（(\u3000分钟小时工作日")))
def test_a_spaced_unit_is_found_from_its_space_as_from_every_character(text):
    from jixiao.ingest import text_indicators as TI

    before = re.compile(_SPACED_UNIT_BEFORE)
    assert (TI._SPACED_UNIT.search(text) is None) == (before.search(text) is None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("(（分a 甲)"), max_size=4), min_size=1, max_size=6))
def test_lines_opening_with_a_bracket_are_found_in_their_joined_text(texts):
    from jixiao.ingest import text_indicators as TI

    assert TI._bracket_starts("\n".join(texts)) == any(t[:1] in "(（" for t in texts)
    # (no line joins to "" as one empty line does: a table of no lines has nothing to take)
    assert TI._weight_pieces([]) == ([], [])


_LINES = [
    "成本",
    "指标",
    "质量",
    "可持",
    "续影",
    "甲乙",
    "由于部分",
    "5.00 5.00",
    "甲 乙 丙 5.00 5.00",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_LINES), st.sampled_from([0, 0, 1, 2])), min_size=1),
    st.sampled_from([None, "产出指标", "效益指标"]),
)
def test_no_deviation_below_a_row_begins_at_a_label_piece_as_the_search_finds(lines, level1):
    from jixiao.ingest import text_indicators as TI
    from jixiao.ingest.text_lines import Line

    table = TI.TableReader(
        [Line(no, text, blank) for no, (text, blank) in enumerate(lines, 1)], [], lambda *a: 0
    )
    if level1 is not None:
        table.l1 = TI._Label(1, level1, 1)
    for i in range(len(lines) + 1):
        assert table._deviation_below(i) == table._deviation_searched(i)


_PIECES = ["成本", "指标", "产出", "(10", "（5", "分)", "分）", "(10分)", "(", "甲", " (10 ", "分"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10))
def test_weight_pieces_are_taken_out_as_line_by_line(texts):
    from jixiao.ingest import text_indicators as TI
    from jixiao.ingest.text_lines import Line

    lines = [Line(no, text, 0) for no, text in enumerate(texts, 1)]
    fast, slow = TI._weight_pieces(lines), TI._weight_pieces_taken(lines)
    assert [ln.no for ln in fast[0]] == [ln.no for ln in slow[0]]
    assert fast[1] == slow[1]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("(（分)）1.5 \t\x1f甲成本"), max_size=6), min_size=1))
def test_a_weight_piece_line_is_found_in_the_joined_text_as_line_by_line(texts):
    from jixiao.ingest import text_indicators as TI

    one_by_one = any(TI._WEIGHT_PIECE_LINE.fullmatch(t) for t in texts)
    assert TI._weight_piece_line("\n".join(texts)) == one_by_one


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["5.00", "-", "甲", "10", "1,000", "≥1", "%"]))))
def test_where_each_lines_numbers_are_is_told_as_line_by_line(toks):
    from jixiao.ingest import text_indicators as TI

    expected = [TI._numbers_at(t) if len(t) > 1 else None for t in toks]
    assert TI._lines_numbers(toks) == expected


def test_a_remembered_score_test_answers_as_the_test_and_forgets_when_full():
    from jixiao.ingest import text_indicators as TI
    from jixiao.ingest import vocabulary as V

    tokens = [f"{k}.00" for k in range(5000)] + ["-", "甲", "1,000", "≥1", "5%", "１０"]
    for token in tokens:
        assert TI._SCORES[token] == V.is_score_token(token)
    assert 0 < len(TI._SCORES) <= 4096
    assert TI._SCORES["5.00"] and not TI._SCORES["甲"]


_WRAP_CHARS = "甲乙，。（）(%)12.5a "


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from(_WRAP_CHARS), min_size=1, max_size=8), max_size=5))
def test_a_cell_is_full_to_its_last_line_exactly_when_its_wrapping_costs_nothing(texts):
    from jixiao.ingest.text_lines import Line
    from jixiao.ingest.text_wraps import is_full, wrap_cost

    cell = [Line(no, text.strip() or "甲", 0) for no, text in enumerate(texts, 1)]
    assert is_full(cell) == (wrap_cost(cell, 0) == 0)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("甲乙、。，）」(（「%≥1.5a \u3000—…々"), max_size=8))
def test_a_printed_head_of_one_ideograph_is_what_the_scan_finds(text):
    from jixiao.ingest import vocabulary as V

    stripped = text.lstrip()
    assert V.printed_head(text) == (V._head_scanned(stripped, len(stripped)) if stripped else "")


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("甲乙“”‘’\"'、。，）」(（「%≥1.5a \u3000—…々"), max_size=8))
def test_a_first_piece_of_one_ideograph_is_what_both_measures_find(text):
    from jixiao.ingest import vocabulary as V

    stripped = text.lstrip()
    width = V.first_piece_width.__wrapped__(text)
    assert width == V._piece_width_scanned(stripped) >= V.first_unit_width(text)


_MOVES = st.lists(
    st.tuples(
        st.sampled_from([1, 2, 3, 4]), st.sampled_from(["成本", "指标", "产出", "数量", "经济"])
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(moves=_MOVES, open1=st.booleans(), open2=st.sampled_from([None, 0, 1]))
def test_label_moves_replayed_joined_leave_the_labels_as_one_by_one(moves, open1, open2):
    from jixiao.ingest import text_indicators as TI
    from jixiao.ingest.text_lines import Line

    def reader():
        table = TI.TableReader([Line(no, "甲", 0) for no in range(1, 12)], [], lambda *a: None)
        if open1:
            table.l1 = TI._Label(1, "产出", 1)
        if open2 is not None:
            table.l2 = TI._Label(2, "数量", 2, rows=open2)
        return table

    has1, has2, recorded = open1, open2 is not None, []
    for at, (move, tok) in enumerate(moves):  # (a label goes on only where there is one)
        if (move == TI.GOES_ON1 and not has1) or (move == TI.GOES_ON2 and not has2):
            continue
        has1, has2 = has1 or move == TI.NEW1, (has2 and move != TI.NEW1) or move == TI.NEW2
        recorded.append((move, tok, at))
    one_by_one, joined = reader(), reader()
    for move, tok, at in recorded:
        one_by_one._apply(move, tok, at + 3)
    for move, tok, at in TI._merged(recorded):
        joined._apply(move, tok, at + 3)

    def state(t):
        def label(x):
            return None if x is None else (x.level, x.text, x.no, x.rows, x.complete)

        rows = [(label(r.l1), label(r.l2), r.empty) for r in t.rows]
        return label(t.l1), label(t.l2), t.l2_since_row, rows

    assert state(joined) == state(one_by_one)
    assert len(TI._merged(recorded)) <= len(recorded)
    if recorded:  # (the labels set above by hand are not moves)
        for t in (one_by_one, joined):  # the open label kept as the labels leave it
            l1, l2 = t.l1, t.l2
            assert t.open == ((l1 is not None and not l1.complete) or bool(l2 and not l2.complete))


def _place_the_plain_way(signs):
    """Recognition's placement of ``signs`` as it was made before it kept the points of
    all but the places apart from the regions (the reference for :func:`recognition._place`)."""
    from jixiao.layouts import recognition as R

    best = None
    for sig in R._signals():
        points, found = 0, []
        for word, w in sig.titles:
            if any(w in t for t in signs.titles):
                points += 3
                found.append(f"标题含“{word}”")
        for label, key in sig.labels:
            if key in signs.texts:
                points += 2
                found.append(f"有“{label}”栏")
            elif len(key) >= 4 and any(key in t for t in signs.flat):
                points += 1
                found.append(f"连排文字中有“{label}”")
        weight = signs.execution_weight
        if weight is not None and weight in sig.weights:
            points += 2
            found.append(f"预算执行分值为 {weight}")
        for pattern in sig.regions:
            if any(pattern.search(p) for p in signs.places if p):
                points += 1
                found.append("地区相符")
                break
        if points >= sig.layout.recognise.min_points and (best is None or points > best[0]):
            best = (points, sig.layout, found)
    if best is None:
        return None
    return best[1].id, "按内容识别：" + "、".join(best[2]), best[0]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    places=st.lists(
        st.sampled_from(["", "崇明区城桥镇", "石家庄市", "武汉市", "成都市", "乌鲁木齐", "朝阳区"]),
        max_size=2,
    ),
    seed=st.integers(0, 50),
)
def test_a_layout_is_placed_as_by_the_points_of_every_sign_at_once(oracle_forms, places, seed):
    from jixiao.generate import layout_forms
    from jixiao.layouts import all_layouts
    from jixiao.layouts import recognition as R

    forms = [*oracle_forms[:3]]
    for layout in all_layouts():
        forms += layout_forms(1, layout.id, seed=seed)
    for form in forms:
        signs = R._form_signs(form)
        for varied in (signs, signs._replace(places=tuple(places))):
            placed = R._place(varied)
            plain = _place_the_plain_way(varied)
            if plain is None:
                assert placed.layout.id == R.FALLBACK and placed.points == 0
            else:
                assert (placed.layout.id, placed.reason, placed.points) == plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["北京", "湖北", "上海", "新疆", "伊犁", "保山", "市", "甲", " "])))
def test_a_layouts_regions_are_found_in_one_search_as_one_by_one(words):
    from jixiao.layouts import recognition as R

    place = "".join(words)
    for sig in R._signals():
        one_by_one = any(pattern.search(place) for pattern in sig.regions)
        assert (sig.region is not None and sig.region.search(place) is not None) == one_by_one
    assert R._regions_in(place, R.SELF_EVALUATION) == tuple(
        any(pattern.search(place) for pattern in sig.regions) for sig in R._signals()
    )


def test_an_execution_weight_is_named_as_written_whichever_form_came_first(oracle_forms):
    from decimal import Decimal

    from jixiao.layouts import recognition as R

    signs = R._form_signs(oracle_forms[0])
    for places in (("甲镇", "乙中心"), ("丙镇", "丁中心")):
        for written in ("10", "10.00", "20", "20.0"):
            varied = signs._replace(execution_weight=Decimal(written), places=places)
            placed = R._place(varied)
            assert (placed.layout.id, placed.reason, placed.points) == (
                _place_the_plain_way(varied) or (R.FALLBACK, placed.reason, 0)
            )


# -- the reader's lines and the labels found among them, each against its long way


def test_lines_split_at_once_are_those_their_constructor_makes():
    from jixiao.ingest import text_lines

    text = SEED_TEXT.read_text(encoding="utf-8")
    for source in (text, text.replace("\n", "\r\n"), "\n\n甲 \n\u3000\n 乙｜丙\n"):
        lines, _ = text_lines.split_lines(source)
        assert lines
        for line, made in zip(lines, _lines_the_long_way(source)[0], strict=True):
            assert [getattr(line, k) for k in text_lines.Line.__slots__] == [
                getattr(made, k) for k in text_lines.Line.__slots__
            ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["评", "评分等级 优", "甲", " ", "", "\f", "乙 评", "-1-"]), max_size=12
    ),
    st.sampled_from(["\n", "\r\n"]),
)
def test_the_lines_holding_a_mark_are_told_while_the_lines_are_split(pieces, newline):
    from jixiao.ingest import text_lines

    source = newline.join(pieces)
    lines, marked = text_lines.split_lines(source, "评")
    assert marked == [i for i, ln in enumerate(lines) if "评" in ln.text]
    assert [ln.text for ln in lines] == [ln.text for ln in _lines_the_long_way(source)[0]]


_LABEL_TEXTS = ["项目名称", "项 目 名 称", "预期目标：", "（预期目标）", "总分", "总 分", "甲", ""]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.lists(st.sampled_from(_LABEL_TEXTS), max_size=3).map("".join), max_size=6),
    label=st.sampled_from(["项目名称", "预期目标", "(预期目标)", "总分", "项目名称:"]),
    start=st.integers(0, 3),
)
def test_labels_are_found_as_line_by_line(texts, label, start):
    from jixiao.ingest import text, text_lines
    from jixiao.ingest.text_lines import Line

    lines = [Line(no, t, 0) for no, t in enumerate(texts, 1)]
    assert text_lines.find_start(lines, label, start) == _find_start_the_long_way(
        lines, label, start
    )
    assert text_lines.find_containing(lines, label, start) == _find_containing_the_long_way(
        lines, label, start
    )
    for line in lines:
        assert text._has_anchor(line) == _has_anchor_the_long_way(line)
        assert line.folded == _folded_the_long_way(line.text)
    joined = "\n".join(texts)
    for first in ("一", "项", "总"):
        assert text._opens_a_line(joined, first) == _opens_a_line_the_long_way(joined, first)


def test_every_line_of_the_seed_is_told_an_anchor_as_by_its_folded_text():
    from jixiao.ingest import text, text_lines

    lines, _ = text_lines.split_lines(SEED_TEXT.read_text(encoding="utf-8"))
    told = [text._has_anchor(ln) for ln in lines]
    assert told == [_has_anchor_the_long_way(ln) for ln in lines] and sum(told) >= 9 * 3


def _spelled_the_long_way(text: str, tail: str) -> int | None:
    """``template_fields._spelled`` character by character (no ``startswith`` first)."""
    pos = 0
    for ch in tail:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text) or text[pos] != ch:
            return None
        pos += 1
    return pos


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(st.sampled_from("及代码 \t甲"), max_size=8),
    tail=st.sampled_from(["及代码", "代码", "名称", "及"]),
)
def test_a_wrapped_labels_tail_is_found_as_character_by_character(text, tail):
    from jixiao.ingest import template_fields as TF

    assert TF._spelled(text, tail) == _spelled_the_long_way(text, tail)
    for label in ("主管部门", "主 管 部 门：", "实施单位", "甲"):
        assert TF._tails_of(label) == TF.label_tails(TF._SPACE.sub("", label).rstrip(":："))


# -- the label mapper: a cell's label told at once when it names nothing


def _label_the_long_way(raw: str):
    """A cell's :class:`Label` with every pattern tried, none skipped as naming nothing."""
    from jixiao.ingest.mapper import labels

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(labels, "_NAMES_A_PART", re.compile(""))  # always "may name a part"
        return labels._label(raw)


_LABEL_PIECES = st.text(st.sampled_from("其中年度资金（(:： )原因分析指标值1-"), max_size=3)


def _label_texts():
    from jixiao.ingest.mapper.labels import NAMES_A_PART_PATTERNS

    return st.one_of(*(st.from_regex(p) for p in NAMES_A_PART_PATTERNS))


@settings(max_examples=500, deadline=None)
@given(
    _label_texts(),
    st.sampled_from(["其中", "其中其中", "其"]) | _LABEL_PIECES,
    _LABEL_PIECES,
)
def test_a_cells_label_is_what_every_pattern_tells(text, before, after):
    from jixiao.ingest.mapper.labels import _label

    for raw in (text, before + text, text + after, before + text + after):
        assert _label(raw) == _label_the_long_way(raw)


def test_the_seeds_cells_are_labelled_as_by_every_pattern():
    from jixiao.ingest.mapper.labels import _NAMES_A_PART, _label

    texts = {c for line in SEED_TEXT.read_text("utf-8").splitlines() for c in line.split()}
    values = [t for t in texts if _NAMES_A_PART.match(t) is None]
    assert len(values) > 100 and len(texts) - len(values) > 20  # both ways are taken
    for raw in texts:
        assert _label(raw) == _label_the_long_way(raw)


@pytest.mark.parametrize("how", ["cell_per_line", "pipes"])
def test_the_mappers_indicators_made_at_once_are_those_validation_makes(how):
    from jixiao import flattenings
    from jixiao.ingest.mapper import indicators

    forms = generate_forms(12, seed=7)
    data = ("\n".join(getattr(flattenings, how)(forms)) + "\n").encode("utf-8")
    fast = read_bytes(data, "x.txt")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(indicators, "_indicator", lambda values: Indicator(**values))
        slow = read_bytes(data, "x.txt")
    assert sum(len(f.indicators) for f in fast) > 100
    _assert_same_forms(fast, slow)


@pytest.mark.parametrize("how", ["cell_per_line", "pipes"])
def test_the_mappers_texts_set_at_once_are_those_validated_assignments_set(how):
    """The mapper sets a form's head fields, title, grade and goals by ``set_checked`` (at
    once when the text passes): the same forms as validated assignments make."""
    from jixiao import flattenings

    forms = generate_forms(12, seed=7)
    data = ("\n".join(getattr(flattenings, how)(forms)) + "\n").encode("utf-8")
    fast = read_bytes(data, "x.txt")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(OpenModel, "set_checked", lambda self, name, value: setattr(self, name, value))
        slow = read_bytes(data, "x.txt")
    assert all(f.project and f.goals.expected and f.grade for f in fast)
    _assert_same_forms(fast, slow)


def _centred_groups_every_cut(centres, tops, bottoms):
    """What ``layout._centred_groups`` stands for, by trying every cut of the rows into
    one run per label: the cut of least squared distance from each run's middle to its
    label's centre; None when two cuts fit as well."""
    from itertools import combinations

    n, k = len(tops), len(centres)
    if k == 0 or k > n:
        return None
    costs = {}
    for cuts in combinations(range(1, n), k - 1):
        starts, ends = (0, *cuts), (*(c - 1 for c in cuts), n - 1)
        groups = list(zip(starts, ends, strict=True))
        costs[tuple(groups)] = sum(
            ((tops[s] + bottoms[e]) / 2 - c) ** 2 for (s, e), c in zip(groups, centres, strict=True)
        )
    least = min(costs.values())
    best = [g for g, cost in costs.items() if cost == least]
    return list(best[0]) if len(best) == 1 else None


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_level_labels_are_centred_on_their_rows_as_by_every_cut(data):
    from jixiao.ingest.layout import _centred_groups

    n = data.draw(st.integers(1, 9))
    heights = data.draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    tops, bottoms, at = [], [], 0.0  # rows on half lines: every cost exact
    for h in heights:
        tops.append(at)
        bottoms.append(at + h / 2)
        at += h / 2 + 0.5
    k = data.draw(st.integers(1, n))
    centres = sorted(data.draw(st.lists(st.integers(0, int(2 * at)), min_size=k, max_size=k)))
    centres = [c / 2 for c in centres]
    if data.draw(st.booleans()):  # rows out of order (the cut tries every run then)
        order = data.draw(st.permutations(range(n)))
        tops, bottoms = [tops[r] for r in order], [bottoms[r] for r in order]
    assert _centred_groups(centres, tops, bottoms) == _centred_groups_every_cut(
        centres, tops, bottoms
    )


def _still_open_the_long_way(open_, starts, ends):
    """Each open stack tried against every word of the line."""
    return [
        o
        for o in open_
        if not any(o.last[0] < e and s < o.last[1] for s, e in zip(starts, ends, strict=True))
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(st.sampled_from("年度 指标值  实际完成值 1 "), max_size=24), max_size=7))
def test_words_are_stacked_as_by_every_word_of_each_line(lines):
    from jixiao.ingest import layout

    fast = [(s.text, s.x0, s.x1, s.top, s.bottom) for s in layout.stacked(lines)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(layout, "_still_open", _still_open_the_long_way)
        slow = [(s.text, s.x0, s.x1, s.top, s.bottom) for s in layout.stacked(lines)]
    assert fast == slow


_LINE_WORDS = st.lists(
    st.tuples(st.integers(0, 3), st.sampled_from(["5.00", "-", "甲乙", "达成指标", "≥1", "10"])),
    min_size=1,
    max_size=6,
)
_COLUMNS = st.lists(
    st.tuples(st.integers(1, 12), st.integers(2, 10), st.booleans()), min_size=1, max_size=7
)


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(_LINE_WORDS, min_size=1, max_size=3), columns=_COLUMNS, numbers=st.booleans())
def test_a_lines_words_are_placed_as_by_placing_then_finding_the_unclear(lines, columns, numbers):
    """``layout._place_line`` (each word's nearest column remembered for the header)
    against ``_placed`` and ``_unclear`` of its placing, line after line on one memo."""
    from jixiao.ingest import layout

    spans, one, x = [], [], 0
    for gap, width, number in columns:
        spans.append((x + gap, x + gap + width, x + gap + width / 2))
        one.append(number)
        x += gap + width
    measured = (spans, one)
    memo: dict = {}
    for k, words in enumerate(lines):
        ws, x = [], 0
        for gap, text in words:
            ws.append(layout.Word(text, k, x + gap, 0))
            x += gap + len(text)
        placed = layout._placed(ws, measured, numbers)
        slow = placed, None if placed is None else layout._unclear(ws, placed, measured, numbers)
        marks = [layout._NUMBER.match(w.text) is not None for w in ws] if numbers else None
        assert layout._place_line(ws, marks, measured, memo) == slow


_ROW_TEXTS = [
    *("项目名称", "主管部门", "项目类别", "年初预算数", "全年执行数", "执行率", "三级指标"),
    *("分值", "得分", "一级指标", "预期目标", "实际完成情况", "年度总体目标"),
    *("其中：上年结转", "总分", "评分等级", "优", "第 1 页", "（2024年度）"),
    *("单位：万元", "财政项目支出绩效自评表", "", "5.00", "达成指标", "≥98%"),
    "完成了全年的工作任务",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_ROW_TEXTS), max_size=6))
def test_a_rows_roles_are_told_as_by_reading_every_label(texts):
    """``labels.row_roles`` answers a row of values at once; the long way reads each
    label (``_NAMES`` patched to say every label names a part)."""
    from jixiao.ingest.mapper import labels as M

    row = tuple(M.label_of(t) for t in texts)
    fast = M.row_roles(row)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(M, "_NAMES", lambda label: True)
        assert M.row_roles(row) == fast
    # labels, then values (a unit line and the title: roles of a row of one cell)
    assert all(M.label_of(t).names for t in _ROW_TEXTS[:19])
    assert not any(M.label_of(t).names for t in _ROW_TEXTS[19:])


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("12.5-１甲a( \t\u3000\xa0\n"), max_size=16))
def test_a_line_holds_a_number_word_as_one_search_of_it_tells(raw):
    """``layout._has_number`` (the line's words tried one by one) against the one search
    of the whole line it replaces."""
    from jixiao.ingest.layout import _has_number

    whole = re.compile(r"(?:^|\s)(?:\d+(?:\.\d+)?|-)(?=\s|$)")
    assert _has_number(raw) == (whole.search(raw) is not None)


_CHROME_PIECES = ["第", "共", "页", "-", "/", "、", "1", "12", "3", " ", "\u3000", "甲", "5.00"]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_CHROME_PIECES), max_size=6).map("".join), max_size=8),
    st.sampled_from(["\n", "\r\n", "\u2028"]),
)
def test_the_lines_that_may_be_page_chrome_are_those_every_line_tried_tells(lines, newline):
    """``tokens._maybe_chrome`` (the lines holding a mark found by one search of the whole
    text, or each line matched where other line breaks than "\\n" stand) finds every line
    one of the chrome patterns takes, each tried on every stripped line (the long way),
    in both of its ways."""
    from jixiao.ingest import tokens as T

    text = newline.join(lines)
    split = text.splitlines()
    found = list(T._maybe_chrome(text, split))
    assert found == sorted(set(found))
    patterns = (T.PDF_PAGE, T.COUNTED_PAGE, T.SITE_SPLIT)
    chrome = [k for k, line in enumerate(split) if any(p.match(line.strip()) for p in patterns)]
    assert set(chrome) <= set(found)
    per_line = [k for k, line in enumerate(split) if T._MAYBE_CHROME.match(line)]
    assert found == per_line  # the two ways agree


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("（(万元)） \t\u3000甲，。“《a1"), min_size=1, max_size=12))
def test_a_paragraphs_line_is_tried_as_columns_or_a_unit_only_where_it_may_be_one(body):
    """``tokens._paragraph_tokens`` searches a line for two columns side by side only when
    it holds a space, and tries it as an amount unit only when it holds 元: the patterns
    find nothing elsewhere."""
    from jixiao.ingest import vocabulary as V

    if V.SIDE_BY_SIDE.search(body):
        assert " " in body or "\t" in body or "\u3000" in body
    if V.AMOUNT_UNIT_PATTERN.fullmatch(V.fold(body).strip()):
        assert "元" in body


def test_a_stray_label_is_named_by_the_text_it_is_in():
    """``flattening.name_stray_labels`` names the text a label strayed into by its place
    (the head's fields, then each indicator's three texts), as it did when it named every
    text first."""
    from jixiao.ingest.flattening import name_stray_labels

    form = SelfEvaluation(project="甲", unit="乙")
    form.indicators = [Indicator(name=f"指标{k}", target="≥1", actual="1") for k in range(3)]
    form.indicators[1].actual = "1 全年预算数"
    form.indicators[2].name = "实施单位"
    form.goals.achieved = "年度总体目标完成"
    name_stray_labels([form])
    assert form.gaps == [
        "实际完成情况中混有栏目名“年度总体目标”，可能串入了别的格的文字，请核对",
        "第2个指标的实际完成值中混有栏目名“全年预算数”，可能串入了别的格的文字，请核对",
        "第3个指标的三级指标中混有栏目名“实施单位”，可能串入了别的格的文字，请核对",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12), st.text(st.sampled_from("偏差原因\x00\x07 a"), max_size=8))
def test_an_unmapped_cell_made_at_once_is_the_one_validation_makes(place, text):
    """``mapper.finish._unmapped`` (made at once when both texts pass) against
    ``Unmapped(place=…, text=…)``: the same object, or the same refusal."""
    from pydantic import ValidationError

    from jixiao.ingest.mapper.finish import _unmapped
    from jixiao.model import Unmapped

    try:
        valid = Unmapped(place=place, text=text)
    except ValidationError:
        with pytest.raises(ValidationError):
            _unmapped(place, text)
        return
    made = _unmapped(place, text)
    assert made == valid
    assert list(made.__dict__) == list(valid.__dict__)
    assert made.model_fields_set == valid.model_fields_set


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 4), st.integers(1, 3), st.integers(1, 3)),
        max_size=10,
    )
)
def test_a_grids_rows_are_indexed_as_by_every_row_a_cell_spans(spans):
    """``Grid.index`` (a cell of one row put in its row at once) against each cell put in
    every row it spans, then each row's cells sorted by column."""
    from jixiao.ingest.grid import Cell, Grid

    cells = [Cell(r, c, rs, cs, f"{k}") for k, (r, c, rs, cs) in enumerate(spans)]
    grid = Grid(cells)
    by_row: dict[int, list[Cell]] = {}
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            by_row.setdefault(r, []).append(cell)
    expected = {r: sorted(by_row[r], key=lambda c: c.col) for r in sorted(by_row)}
    assert list(grid._by_row) == list(expected)
    assert all([id(c) for c in grid._by_row[r]] == [id(c) for c in expected[r]] for r in expected)
    assert grid.nrows == max((c.row + c.rowspan for c in cells), default=0)
    assert grid.ncols == max((c.col + c.colspan for c in cells), default=0)


def _row_keys_texts():
    from jixiao.ingest import rows as R

    tables = (R._HEAD, R._FUND_COL, R._FUND_ROW, R._IND_COL)
    return st.one_of(*(st.from_regex(p) for keys in tables for _, p in keys.patterns))


@settings(max_examples=500, deadline=None)
@given(_row_keys_texts(), _LABEL_PIECES, _LABEL_PIECES)
def test_a_labels_key_in_each_table_of_the_row_reader_is_its_first_patterns(text, before, after):
    """``rows._Keys``: a label no pattern of the table matches told by one pattern of
    them all, else the key of the first that matches, as trying each pattern in turn."""
    from jixiao.ingest import rows as R

    for keys in (R._HEAD, R._FUND_COL, R._FUND_ROW, R._IND_COL):
        for label in (text, before + text, text + after, before + text + after):
            label = R.label(label)
            first = next((key for key, p in keys.patterns if p.match(label)), None)
            assert keys._first(label) == first


def test_the_seeds_cells_get_their_keys_in_the_row_reader_as_by_every_pattern():
    from jixiao.ingest import rows as R

    texts = {R.label(c) for line in SEED_TEXT.read_text("utf-8").splitlines() for c in line.split()}
    for keys in (R._HEAD, R._FUND_COL, R._FUND_ROW, R._IND_COL):
        told = [t for t in texts if keys.any.match(t)]
        assert told and len(texts) - len(told) > 100  # both ways are taken
        for label in texts:
            first = next((key for key, p in keys.patterns if p.match(label)), None)
            assert keys._first(label) == first


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("ab甲乙5.- \t\u3000\xa0\x1c"), max_size=24))
def test_a_lines_words_and_cells_are_found_as_their_patterns_find_them(raw):
    """``layout._word_starts`` / ``_cell_starts`` (the line split, each word found after
    the one before) against the patterns they stand for."""
    from jixiao.ingest import layout

    assert layout._word_starts(raw) == [(m.group(), m.start()) for m in re.finditer(r"\S+", raw)]
    spaced = re.finditer(r"\S+(?: \S+)*", raw)
    assert layout._cell_starts(raw) == [(m.group(), m.start()) for m in spaced]


def _readings_the_long_way(labels, band):
    """Every cut of the rows into one run per label tried whole."""
    from jixiao.ingest.layout import _fits

    n, k = len(band.up), len(labels)
    ways = 0
    for cuts in itertools.combinations(range(1, n), k - 1):
        starts, ends = [0, *cuts], [*(c - 1 for c in cuts), n - 1]
        ways += all(
            _fits(label, s, e, band) for label, s, e in zip(labels, starts, ends, strict=True)
        )
    return min(ways, 2)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_cuts_every_label_fits_are_counted_as_by_trying_every_cut(data):
    """``layout._cuts`` with ``_fits`` (runs ending on each row, counted up to two) against
    every cut of the rows tried whole; rows on lines in order, labels' pieces on lines
    among them."""
    from jixiao.ingest.layout import Band, _cuts, _fits, _likely

    n = data.draw(st.integers(1, 8))
    up = sorted(data.draw(st.lists(st.integers(0, 40), min_size=n, max_size=n, unique=True)))
    ends = [*up[1:], 99]
    down = [min(u + data.draw(st.integers(0, 2)), e - 1) for u, e in zip(up, ends, strict=True)]
    labels = []
    for _ in range(data.draw(st.integers(1, n))):
        first = data.draw(st.integers(0, 44))
        last = first + data.draw(st.integers(0, 3))
        labels.append(("数量指标", (first + last) / 2, first, last))
    labels.sort(key=lambda label: label[2])
    band = Band(up, down, 46)
    assert _cuts(labels, band, _likely, _fits)[0] == _readings_the_long_way(labels, band)


def _every_cut(n, k):
    """Every cut of rows 0…n-1 into k runs, in order: the runs' (first, last) rows."""
    for cuts in itertools.combinations(range(1, n), k - 1):
        starts, ends = [0, *cuts], [*(c - 1 for c in cuts), n - 1]
        yield list(zip(starts, ends, strict=True))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_likeliest_cuts_are_found_as_by_trying_every_cut(data):
    """``layout._cuts`` with ``_fits`` (how many cuts let every label stand, and the
    likeliest of them) and without (the likeliest of all cuts, and whether alone) against
    every cut tried whole; rows on lines in order over one or two pages, labels' pieces on
    lines among them."""
    from jixiao.ingest.layout import Band, _cuts, _fits, _likely, _units

    n = data.draw(st.integers(1, 7))
    up = sorted(data.draw(st.lists(st.integers(0, 40), min_size=n, max_size=n, unique=True)))
    ends = [*up[1:], 99]
    down = [min(u + data.draw(st.integers(0, 2)), e - 1) for u, e in zip(up, ends, strict=True)]
    brk = data.draw(st.integers(0, 46))  # the first line of page 2
    lines = [(k + 1, "x", 1 + (k >= brk)) for k in range(46)]
    rows = {k for u, d in zip(up, down, strict=True) for k in range(u, d + 1)}
    labels = []
    for _ in range(data.draw(st.integers(1, n))):
        first = data.draw(st.integers(0, 44))
        last = first + data.draw(st.integers(0, 1))
        labels.append(("数量指标", (first + last) / 2, first, last))
    labels.sort(key=lambda label: label[2])
    band = Band(up, down, 46, [lines[u][2] for u in up], _units(lines, rows))

    def cost(cut):
        return sum(_likely(lab, s, e, band) for lab, (s, e) in zip(labels, cut, strict=True))

    every = list(_every_cut(n, len(labels)))
    fitting = [
        c
        for c in every
        if all(_fits(lab, s, e, band) for lab, (s, e) in zip(labels, c, strict=True))
    ]
    ways, best, _ = _cuts(labels, band, _likely, _fits)
    assert ways == min(len(fitting), 2)
    if fitting:
        assert best in fitting and cost(best) == pytest.approx(min(map(cost, fitting)))
    _, likeliest, alone = _cuts(labels, band, _likely)
    least = min(map(cost, every))
    assert cost(likeliest) == pytest.approx(least)
    assert alone == (sum(cost(c) == pytest.approx(least) for c in every) == 1)
