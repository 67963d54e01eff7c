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
from jixiao.model import SelfEvaluation
from jixiao.render.view import form_view

DASH = "-"


def form_rows(form: SelfEvaluation) -> list[list[str]]:
    """The official table's rows as an HTML export holds them, title and year first."""
    view = form_view(form)
    rows: list[list[str]] = [[form.title], [view.year_line]]
    rows.append(["项目名称", form.project])
    rows.append(["主管部门", form.department, "实施单位", form.unit])
    rows.append([f"项目资金{view.amount_caption}", "", *view.fund_headers])
    rows += [[line.caption, *line.cells] for line in view.funds]
    rows.append(["年度总体目标", "预期目标", "实际完成情况"])
    rows.append([form.goals.expected, form.goals.achieved])
    rows.append(list(view.indicator_headers))
    for line in view.indicators:
        ind = line.indicator
        row = [ind.level1] if line.level1_span else []
        row += [ind.level2] if line.level2_span else []
        row += [ind.name, ind.target, ind.actual, line.weight, line.score, ind.deviation]
        rows.append(row)
    rows.append(["总分", view.total_weight, view.total_score, ""])
    rows.append(["评分等级", view.grade])
    return rows


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
    out: list[str] = []
    for row in _rows(forms):
        run: list[str] = []
        fund = row and row[0].endswith(("总额：", "拨款", "结转资金", "其他资金"))
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
