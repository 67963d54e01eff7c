"""Forms flattened to plain text the ways real forms reach jixiao (for round-trip tests
and the benchmark; :mod:`jixiao.textform` writes the seed's own layout).

Each flattening starts from the official table (:mod:`jixiao.render.view`) as an HTML
export holds it: its rows in document order, a merged cell only in the row where it
starts. From there:

- :func:`cell_per_line`: every cell on a line of its own (an empty cell an empty line);
- :func:`paragraphs`: every cell a paragraph wrapped at a width, empty lines between;
- :func:`pipes`: cells ended by ``" |"``, one table row a line, or led by ``"| "`` (an HTML
  table flattened), or reflowed a few cells a line whatever the rows (``per_line``);
- :func:`glued`: one cell a line, but a fund row's label and its numbers, and every run of
  numbers (分值 and 得分, 总分's two), glued with no separator (``年度资金总额：1245.54956.64…``);
- :func:`paginate`: page chrome between pages ("第 2 页 共 5 页", "-2-", "2/5") or a
  doc-site split, where the page's number is glued in front of the rest of a cut line
  (``实现科学管`` … ``2、理``);
- :func:`pdftotext`: what poppler's ``pdftotext`` prints for a PDF (default, ``-layout``,
  ``-raw``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from jixiao.ingest import vocabulary as V
from jixiao.layouts import Layout, get_layout
from jixiao.model import (
    FUND_ROWS,
    INDICATOR_LABELS,
    INDICATOR_NUMBER_LABELS,
    Checkbox,
    SelfEvaluation,
)
from jixiao.render.view import form_view, show_number

DASH = "-"


def form_rows(form: SelfEvaluation) -> list[list[str]]:
    """The official table's rows as an HTML export holds them, title and year first, in
    the form's layout: its words for the head, fund rows and columns, its check boxes, its
    added fund and indicator columns in the order it declares them, its 一级 weights in the
    一级 cells (``产出指标(50分)``), and 评分等级 only where it has one."""
    view = form_view(form)
    layout = get_layout(view.layout)
    head = {h.field: h.label for h in layout.head if h.field}
    rows: list[list[str]] = [[form.title], [view.year_line]]
    rows.append([head.get("project", "项目名称"), form.project])
    second = [head.get("department", "主管部门"), form.department]
    rows.append([*second, head["unit"], form.unit] if "unit" in head else second)
    rows += [[box.label, checkbox_text(box)] for box in form.checkboxes]
    added = [c.label for c in layout.fund_columns if c.field is None]
    rows.append([f"项目资金{view.amount_caption}", "", *view.fund_headers, *added])
    for line in view.funds:
        if line.key in FUND_ROWS:
            row = getattr(form.funds, line.key)
        else:
            row = form.funds.extras[line.key.removeprefix("extras.")]
        rows.append([line.caption, *line.cells, *(row.extras.get(a, "") for a in added)])
    rows.append(["年度总体目标", "预期目标", "实际完成情况"])
    rows.append([form.goals.expected, form.goals.achieved])
    columns = indicator_columns(form, layout, view.indicator_headers, view.extra_headers)
    rows.append([header for _, header in columns])
    weights = {w.label: w.weight for w in form.level1_weights}
    for ind_line in view.indicators:
        ind = ind_line.indicator
        row = []
        if ind_line.level1_span:
            weight = weights.get(ind.level1)
            row.append(ind.level1 if weight is None else f"{ind.level1}({show_number(weight)}分)")
        row += [ind.level2] if ind_line.level2_span else []
        for key, header in columns[2:]:
            if key == "weight":
                row.append(ind_line.weight)
            elif key == "score":
                row.append(ind_line.score)
            elif key in INDICATOR_NUMBER_LABELS:
                row.append(show_number(getattr(ind, key)))
            elif key in INDICATOR_LABELS:
                row.append(getattr(ind, key))
            else:
                row.append(ind.extras.get(header, ""))
        rows.append(row)
    rows.append(["总分", view.total_weight, view.total_score, ""])
    if layout.fields.grade or form.grade:
        rows.append(["评分等级", view.grade])
    return rows


def indicator_columns(
    form: SelfEvaluation, layout: Layout, headers: tuple[str, ...], extra: tuple[str, ...]
) -> list[tuple[str, str]]:
    """The indicator table's columns as (field or ``""`` for an added text column, header),
    in the order the layout declares them: the view's headers for the model's fields, the
    layout's words for its number columns (权重占比), its added text columns some row fills."""
    words = dict(zip(INDICATOR_LABELS, headers, strict=True))
    out: list[tuple[str, str]] = []
    for column in layout.indicator_columns:
        if column.field in words:
            out.append((column.field, words.pop(column.field)))
        elif column.field in INDICATOR_NUMBER_LABELS:
            if any(getattr(i, column.field) is not None for i in form.indicators):
                out.append((column.field, column.label))
        elif column.field is None and column.label in extra:
            out.append(("", column.label))
    out += list(words.items())  # fields the declaration leaves out, at the end
    return out


def checkbox_text(box: Checkbox) -> str:
    """A check box as forms print it: ``☑经常性项目 □一次性项目``."""
    return " ".join(("☑" if o in box.checked else "□") + o for o in box.options)


def _fund_captions(forms: Iterable[SelfEvaluation]) -> set[str]:
    return {line.caption for form in forms for line in form_view(form).funds}


def _rows(forms: Iterable[SelfEvaluation]) -> list[list[str]]:
    return [row for form in forms for row in form_rows(form)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def cell_per_line(forms: Iterable[SelfEvaluation]) -> list[str]:
    """Every cell on its own line; an empty cell is an empty line."""
    return [_one_line(cell) for row in _rows(forms) for cell in row]


def paragraphs(forms: Iterable[SelfEvaluation], width: int = 30) -> list[str]:
    """Every cell a paragraph: its text wrapped at ``width`` (half-width units), an empty
    line after it; an empty cell a line of one space."""
    out: list[str] = []
    for row in _rows(forms):
        for cell in row:
            text = "".join(cell.split())
            out += [*(V.wrap(text, width) if text else [" "]), ""]
    return out


def pipes(
    forms: Iterable[SelfEvaluation], lead: bool = False, per_line: int | None = None
) -> list[str]:
    """Cells ended by ``" |"``: a row a line (``lead``: led by ``"| "`` too, as HTML
    tables are flattened), or ``per_line`` cells a line whatever the rows."""
    rows = _rows(forms)
    if per_line:
        cells = [_one_line(c) for row in rows for c in row]
        rows = [cells[k : k + per_line] for k in range(0, len(cells), per_line)]
    out = []
    for row in rows:
        cells = [_one_line(c) for c in row]
        if lead:
            out.append("| " + " | ".join(cells) + " |")
        else:
            out.append(" ".join(f"{c} |" if c else "|" for c in cells))
    return out


def _is_number(cell: str) -> bool:
    return cell == DASH or cell.replace(".", "", 1).isdigit()


def glued(forms: Iterable[SelfEvaluation]) -> list[str]:
    """One cell a line, runs of numbers glued into one line, a fund row's label glued to its
    numbers; "-" (no value) glued like a number."""
    forms = list(forms)
    captions = _fund_captions(forms)
    out: list[str] = []
    for row in _rows(forms):
        run: list[str] = []
        fund = row and row[0] in captions
        for k, cell in enumerate(row):
            if _is_number(cell) and k != 0:
                run.append(cell)
                continue
            if run:
                out.append("".join(run))
                run = []
            if not (fund and k == 0):
                out.append(_one_line(cell))
            else:
                run.append(cell)
        if run:
            out.append("".join(run))
    return out


def paginate(lines: list[str], every: int, chrome: str) -> list[str]:
    """``lines`` with a page break after every ``every`` lines: ``chrome`` is "pdf"
    ("第 i 页 共 n 页"), "dash" ("-i-"), "slash" ("i/n") or "site" (a doc site's split: the
    line at the break cut in two, the next page's number glued to its second half, "i、")."""
    every = max(every, 1)
    if chrome == "site":
        return _site_pages(lines, every)
    pages = [lines[k : k + every] for k in range(0, len(lines), every)] or [[]]
    n = len(pages)
    out: list[str] = list(pages[0])
    for i, page in enumerate(pages[1:], start=2):
        mark = {"pdf": f"第 {i - 1} 页 共 {n} 页", "dash": f"-{i - 1}-", "slash": f"{i - 1}/{n}"}
        out += [mark[chrome], *page]
    return out


def _site_pages(lines: list[str], every: int) -> list[str]:
    """A doc site's pages: each break cuts a line of two characters or more in two (the
    last such line before the break), the second half led by the next page's number."""
    out: list[str] = []
    start, page = 0, 2
    while start < len(lines):
        end = start + every
        cut = next(
            (j for j in range(min(end, len(lines)) - 1, start, -1) if len(lines[j]) >= 2), None
        )
        if end >= len(lines) or cut is None:
            out += lines[start:end]
            start = end
            continue
        text = lines[cut]
        half = len(text) // 2
        out += [*lines[start:cut], text[:half], "", f"{page}、{text[half:]}"]
        start, page = cut + 1, page + 1
    return out


def pdftotext(pdf: bytes, mode: str = "") -> str:
    """poppler's ``pdftotext`` of ``pdf``: ``mode`` "" (its default), "-layout" or "-raw"."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("pdftotext (Debian poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        args = [exe, *([mode] if mode else []), str(src), "-"]
        done = subprocess.run(args, check=True, capture_output=True, timeout=300)
    return done.stdout.decode("utf-8")
