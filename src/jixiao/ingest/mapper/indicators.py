"""The indicator table: its header (columns by label, in any order; other columns into each
indicator's ``extras``), the first row of a two-row header, and the indicator rows (a
merged 一级 / 二级 cell gives its text to every row it spans)."""

from __future__ import annotations

from jixiao.ingest.grid import Cell, join_lines
from jixiao.ingest.mapper.draft import Column, Context, Row
from jixiao.ingest.mapper.labels import INDICATOR_BLOCK
from jixiao.ingest.vocabulary import INDICATOR_HEADER_LABELS, level_pieces
from jixiao.model import Indicator, amount_passes, texts_pass

_CONTENT = ("name", "target", "actual", "weight", "score")
_TEXTS = ("level1", "level2", "name", "target", "actual", "deviation")
_NUMBERS = ("weight", "score", "share", "adjusted_score")
_CHECKED = Indicator.checked_maker((*_TEXTS, *_NUMBERS, "extras"))


def _indicator(values: dict) -> Indicator:
    """The indicator of a row's ``values`` (every field): made at once when its texts and
    numbers pass the model's checks and it has no added columns (the usual row), else
    validated (the same object: ``tests/test_ingest_fast_paths.py``)."""
    if (
        not values["extras"]
        and texts_pass([values[k] for k in _TEXTS])
        and all(values[k] is None or amount_passes(values[k]) for k in _NUMBERS)
    ):
        return _CHECKED(values)
    return Indicator(**values)


def _own_cell(cell: Cell | None) -> bool:
    """The row's own 二级 cell (not one merged from above that it only continues)."""
    return cell is not None and cell.rowspan == 1


def indicator_header(ctx: Context, row: Row) -> bool:
    """一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 …"""
    b = ctx.draft
    b.touch(row)
    b.section = "indicators"
    b.seen.add("indicators")
    found: dict[str, Column] = {}
    extra: dict[str, Column] = {}
    for cell, label in zip(row.cells, row.labels, strict=True):
        key = label.indicator_column
        if key is not None and key not in found:
            found[key] = Column(cell, row.grid)
        elif label.text and not INDICATOR_BLOCK.match(label.text):
            extra[join_lines(cell.text)] = Column(cell, row.grid)
    b.ind_cols = found
    b.ind_extra_cols = extra
    b.head_labels.extend(label.text for label in row.labels if label.text)  # layout signs
    b.use(row.cells)
    return True


def indicator_prelude(ctx: Context, row: Row) -> bool:
    """The first row of a two-row indicator header (绩效指标 | 年度指标值 | 实际完成值 …
    over 一级 | 二级 | 三级 | 指标值 | 度量单位): its cells that span down are read with the
    next row; the row itself holds no values. Only before the indicator table starts."""
    b = ctx.draft
    if b.section not in ("head", "funds", "goals"):
        return False
    b.touch(row)
    return True


def indicator_row(ctx: Context, row: Row) -> bool:
    """One indicator, a row that only continues merged 一级 / 二级 cells (taken, empty), or
    a piece of the header printed apart (taken)."""
    b = ctx.draft
    if any(lab.names for lab in row.labels) and all(
        text in INDICATOR_HEADER_LABELS for lab in row.labels if (text := lab.text)
    ):  # (a row of values names nothing: asked at once)
        b.touch(row)  # a piece of the header printed apart (偏差原因分析及改进措施)
        return True
    texts: dict[str, str] = {}
    cells: dict[str, Cell | None] = {}
    for key, col in b.ind_cols.items():
        cell = col.value_cell(row)
        if cell is not None and id(cell) in b.used and key not in ("level1", "level2"):
            cell = None
        cells[key] = cell
        texts[key] = join_lines(cell.text) if cell is not None else ""
    for key in ("level1", "level2"):
        cell = cells.get(key)
        if cell is not None and id(cell) in b.used and cell.rowspan == 1:
            texts[key] = ""
    if not any(texts.get(k, "") for k in _CONTENT):
        own = (texts.get("level1", ""), texts.get("level2", ""))
        if own[1] and own != b.last_level and _own_cell(cells.get("level2")):
            # a 二级 printed with no 三级 under it: a row of the form, its cells blank
            b.touch(row)
            level1 = own[0] or b.last_level[0]
            b.last_level = (level1, own[1])
            b.form.indicators.append(Indicator(level1=level1, level2=own[1]))
            return True
        return bool(texts.get("level1") or texts.get("level2")) or not any(
            lab.text for lab in row.labels
        )
    if not (texts.get("weight") or texts.get("score")) and level_pieces(
        "".join(t for k, t in texts.items() if k not in ("level1", "level2"))
    ):
        return False  # level text printed apart from the rows (kept as unmapped)
    b.touch(row)
    level1 = texts.get("level1", "")
    level2 = texts.get("level2", "")
    if not level1 and not level2 and b.form.indicators:
        level1, level2 = b.last_level  # rows under merged cells a reader did not span
    elif not level2 and level1 == b.last_level[0] and b.last_level[1] and "level2" in cells:
        # a 二级 box of its own left empty in the 一级 of the row above (LibreOffice draws a
        # merged 二级 cell a row short): the 二级 above, said to be taken so
        level2 = b.last_level[1]
        place = row.place(cells["level2"])
        b.gap(f"{place}：二级指标的格是空的，按上一行记为“{level2}”，请核对")
    b.last_level = (level1, level2)
    extras = {}
    for name, col in b.ind_extra_cols.items():
        cell = col.value_cell(row)
        if cell is not None and id(cell) not in b.used and (text := join_lines(cell.text)):
            extras[name] = text  # an empty cell is no value (as the web editor keeps it)
    values = {
        "level1": level1,
        "level2": level2,
        "name": texts.get("name", ""),
        "target": texts.get("target", ""),
        "actual": texts.get("actual", ""),
        "weight": b.number(cells.get("weight"), "分值", row),
        "score": b.number(cells.get("score"), "得分", row),
        "deviation": texts.get("deviation", ""),
        "share": b.number(cells.get("share"), "权重占比", row) if "share" in cells else None,
        "adjusted_score": (
            b.number(cells.get("adjusted_score"), "折算得分", row)
            if "adjusted_score" in cells
            else None
        ),
        "extras": extras,
    }
    b.form.indicators.append(_indicator(values))
    return True
