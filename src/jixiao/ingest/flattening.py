"""The staged reader of flattened forms, and the choice between it and the fast one.

Stages: text → cell tokens (:mod:`jixiao.ingest.tokens`) → rows laid out as a grid
(:mod:`jixiao.ingest.rows`, glued numbers cut by :mod:`jixiao.ingest.glued`) → the one
label mapper the PDF, Excel and HTML importers use (:func:`jixiao.ingest.grid.map_forms`).

:func:`read_flattened` is what :func:`jixiao.ingest.read_text` calls. The seed's layout
(``pdftotext -raw`` style, blocks of lines) goes to the fast reader
(:mod:`jixiao.ingest.text`) and stays there when it reads every form whole. Text that is
cell-delimited (most lines hold a ``|``) goes to the staged reader directly; otherwise the
staged reader is tried when the fast one leaves a gap, as cells one a line and as cells
one a paragraph, and the reading with the most whole forms, then the most values
placed, wins (the fast one on a tie).
"""

from __future__ import annotations

from jixiao.ingest.errors import IngestError
from jixiao.ingest.grid import map_forms
from jixiao.ingest.rows import RowBuilder
from jixiao.ingest.tokens import kind_of, split_tokens
from jixiao.model import SelfEvaluation


def read_staged(text: str, name: str, kind: str) -> list[SelfEvaluation]:
    """Forms of ``text`` read as cells delimited the ``kind`` way (see :mod:`tokens`)."""
    tokens = split_tokens(text, kind)
    forms: list[SelfEvaluation] = []
    for rows in RowBuilder(tokens).build():
        found = map_forms([rows.grid(origin="")], name)
        if not found:
            continue
        form = found[-1] if len(found) == 1 else _merge_gaps(found)
        for gap in rows.gaps:
            if gap not in form.gaps:
                form.gaps.append(gap)
        if form.source is not None and rows.first is not None and rows.last is not None:
            form.source.start_line = rows.first.line
            form.source.end_line = rows.last.line
            form.source.page = rows.first.page if len(rows.pages) > 1 else None
        form.index = len(forms) + 1
        forms.append(form)
    return forms


def _merge_gaps(found: list[SelfEvaluation]) -> SelfEvaluation:
    """Rows the mapper read as more than one form: the first, with a gap saying so."""
    form = found[0]
    form.gaps.append(f"表中有 {len(found)} 个表头，只读入第一张表")
    return form


def _leaves(value: object) -> int:
    if isinstance(value, dict):
        return sum(_leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(_leaves(v) for v in value)
    return 0 if value in (None, "") else 1


_NOT_READ = {"source", "index", "gaps", "unmapped", "extras", "title"}


def _score(forms: list[SelfEvaluation]) -> tuple[int, int]:
    """How much of the forms a reading got: (whole forms, values placed)."""
    whole = sum(1 for f in forms if not f.gaps)
    return whole, sum(_leaves(f.model_dump(exclude=_NOT_READ)) for f in forms)


def read_flattened(text: str, name: str) -> list[SelfEvaluation]:
    """Every form in flattened ``text`` (see the module's docstring)."""
    from jixiao.ingest.text import parse_text

    if kind_of(text) == "pipes":
        forms = read_staged(text, name, "pipes")
        if forms:
            return forms
        raise IngestError(f"{name}: 未找到绩效自评表（没有“项目名称”“三级指标”等栏目）")
    try:
        fast: list[SelfEvaluation] | None = parse_text(text, name)
    except IngestError:
        fast = None
    if fast and not any(f.gaps for f in fast):
        return fast
    best, best_score = fast, _score(fast) if fast else None
    for kind in ("lines", "paragraphs"):
        staged = read_staged(text, name, kind)
        if staged and (best_score is None or _score(staged) > best_score):
            best, best_score = staged, _score(staged)
        if staged and not any(f.gaps for f in staged):
            break
    if best is None:
        return parse_text(text, name)  # raises the fast reader's message
    return best
