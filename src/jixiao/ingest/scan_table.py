"""The ruled tables of a scanned page, found with OpenCV: cells with their boxes.

One page goes through:

1. :func:`drop_red` — the page as grey from its red channel, with strongly red pixels made
   white: a red seal over the cells vanishes, black print under it stays black;
2. :func:`deskew` — the angle (±3°) at which the rows of ink line up best (a projection
   profile on a reduced copy), then the page turned back by it;
3. :func:`find_tables` — ruled lines by morphological opening (horizontal and vertical
   runs longer than any stroke of a character; a vertical run counts only where it joins
   horizontal rules at both ends), tables as connected sets of rules, and each cell as a
   connected region inside them. A table is closed at its top and bottom before its cells
   are taken, and a cell whose border there was not drawn is marked open (a merged cell cut
   by a page break).

Boxes are in pixels of the deskewed page. :mod:`jixiao.ingest.scan` puts the text the OCR
engine read into these cells and builds the same :class:`~jixiao.ingest.grid.Grid` the
other importers produce.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

A4_LONG_150 = 1754  # pixels of an A4 page's long side at 150 dpi: the unit of every size here
MAX_SKEW = 3.0  # degrees looked at either way
REACH = True
FAINT = 5  # grey levels: a rule the seal hid is still this much darker than beside it
RED_WHITE = 200  # red-channel level taken as white (a seal's red is lighter than this)


@dataclass
class CellBox:
    """One cell of a table: its box (x0, y0, x1, y1) and whether its top or bottom border
    was left open (a cut merged cell)."""

    x0: int
    y0: int
    x1: int
    y1: int
    open_top: bool = False
    open_bottom: bool = False
    ink: float = 0.0  # share of dark pixels inside (text the OCR may have missed)


@dataclass
class TableBox:
    """A ruled table of a page: its box and cells."""

    x0: int
    y0: int
    x1: int
    y1: int
    cells: list[CellBox] = field(default_factory=list)


def scale_of(image: Any) -> float:
    """Sizes scale with the page: 1.0 for an A4 page at 150 dpi."""
    return float(max(image.shape[:2])) / A4_LONG_150


def drop_red(bgr: Any) -> tuple[Any, Any]:
    """Grey page without red, and the mask of where the red was (None for a grey page).

    The grey is the red channel (red ink is bright in it, black print under it stays
    dark); where the page is red it is lifted so that a seal's red reaches white."""
    import cv2

    if bgr.ndim == 2:
        return bgr, None
    if bgr.shape[2] == 4:
        bgr = cv2.cvtColor(bgr, cv2.COLOR_BGRA2BGR)
    red = bgr[:, :, 2]
    b, g = bgr[:, :, 0], bgr[:, :, 1]
    reddish = (red.astype(np.int16) - np.maximum(g, b)) > 40
    lift = np.clip(np.arange(256, dtype=np.float32) * (255.0 / RED_WHITE), 0, 255)
    grey = red.copy()
    grey[reddish] = lift.astype(np.uint8)[red[reddish]]
    return grey, reddish.astype(np.uint8) * 255


def despeckle(grey: Any, scale: float) -> Any:
    """``grey`` without specks: marks of a few pixels (dust, scanner noise), smaller than
    a printed decimal point (some 8 pixels at 150 dpi)."""
    import cv2

    marks = (grey < 210).astype(np.uint8)
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(marks, connectivity=8)
    drop = stats[:, cv2.CC_STAT_AREA] <= max(4, int(4 * scale * scale))
    drop[0] = False
    out = grey.copy()
    out[drop[labels]] = 255
    return out


def binary(grey: Any, scale: float) -> Any:
    """Ink as 255 on 0, by a threshold local to the neighbourhood (uneven scans)."""
    import cv2

    block = max(15, int(31 * scale)) | 1
    return cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15
    )


def skew_angle(ink: Any) -> float:
    """The angle (degrees) that, turning the page, lines up its rows of ink best."""
    import cv2

    factor = 600.0 / max(ink.shape[:2])
    small = cv2.resize(ink, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    centre = (w / 2, h / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_LINEAR)
        rows = turned.sum(axis=1, dtype=np.float64)
        return float((rows * rows).sum())

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    return float(max(fine, key=score))


def deskew(grey: Any, scale: float) -> tuple[Any, float]:
    """The page turned so that its rules are level, and the angle it was turned by."""
    angle = skew_angle(binary(grey, scale))
    return turn(grey, angle, 255), angle


def turn(image: Any, angle: float, border: int) -> Any:
    """``image`` turned by ``angle`` degrees about its centre (``border`` fills the corners)."""
    import cv2

    if abs(angle) < 0.05:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )


def _runs(ink: Any, horizontal: bool, length: int) -> Any:
    import cv2

    # a thin rule scanned may come out dotted: its dots are joined first
    dots = (3, 1) if horizontal else (1, 3)
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, dots))
    size = (length, 1) if horizontal else (1, length)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, size)
    lines = cv2.morphologyEx(joined, cv2.MORPH_OPEN, kernel)
    # bridge breaks of a scanned rule (a seal over it), shorter than the narrowest cell
    bridge = max(3, length // 2)
    size = (bridge, 1) if horizontal else (1, bridge)
    return cv2.morphologyEx(lines, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, size))


def _mend(lines: Any, seal: Any | None, horizontal: bool, scale: float) -> Any:
    """Rules broken where a seal lies over them, joined again across the seal (only there:
    elsewhere a break is the table's own, e.g. beside a merged cell)."""
    import cv2

    if seal is None or not seal.any():
        return lines
    reach = max(40, int(220 * scale))
    size = (reach, 1) if horizontal else (1, reach)
    joined = cv2.morphologyEx(
        lines, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, size)
    )
    under = cv2.dilate(seal, np.ones((max(3, int(7 * scale)),) * 2, np.uint8))
    return cv2.bitwise_or(lines, cv2.bitwise_and(joined, under))


def rule_masks(
    ink: Any, scale: float, seal: Any | None = None, grey: Any | None = None
) -> tuple[Any, Any]:
    """Horizontal and vertical rules (255 on 0). A short vertical run is a rule only where
    it meets horizontal rules at its top and its bottom (a stroke of a character does not)."""
    import cv2

    length = max(20, int(45 * scale))
    horizontal = _mend(_runs(ink, True, length), seal, True, scale)
    stroke = max(10, int(16 * scale))
    runs = _runs(ink, False, stroke)
    reach = max(3, int(5 * scale))
    # three times a character's height is a rule whatever its ends meet; a horizontal run
    # shorter than three times the shortest rule must meet vertical rules at both ends
    # (strokes of characters in a line of text can line up: 众知晓 blurred), and the
    # vertical runs are judged again against what is left
    vertical = _framed(runs, horizontal, 3 * stroke, reach)
    horizontal = _framed(horizontal.T, vertical.T, 3 * length, reach).T
    vertical = _framed(runs, horizontal, 3 * stroke, reach)
    vertical = _mend(vertical, seal, False, scale)
    if seal is not None and grey is not None and seal.any():
        wide = cv2.dilate(seal, np.ones((max(3, int(9 * scale)),) * 2, np.uint8))
        if REACH:
            _reach_rules(horizontal.T, vertical.T, wide.T, grey.T, scale)
            _reach_rules(vertical, horizontal, wide, grey, scale)
    return horizontal, vertical


def _framed(lines: Any, across: Any, long: int, reach: int) -> Any:
    """The vertical runs of ``lines`` (pass transposed arrays for horizontal ones) that are
    ``long`` pixels or more, or meet a rule of ``across`` at their top and their bottom."""
    import cv2

    lines, across = np.ascontiguousarray(lines), np.ascontiguousarray(across)
    near = cv2.dilate(across, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, 2 * reach + 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    keep = np.zeros(count, dtype=bool)
    h = lines.shape[0]
    for i in range(1, count):
        x, y, w, hh, _area = stats[i]
        top = near[max(0, y - 1) : min(h, y + 2), x : x + w]
        bottom = near[max(0, y + hh - 2) : min(h, y + hh + 1), x : x + w]
        keep[i] = hh >= long or bool(top.any() and bottom.any())
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def _reach_rules(lines: Any, across: Any, seal: Any, grey: Any, scale: float) -> None:
    """Under a seal, carry each rule of ``lines`` (vertical: pass transposed views for
    horizontal ones) on from an end that meets no rule of ``across`` to the next one, where
    a faint line runs on there (the part of it the seal hid), in place."""
    import cv2

    reach = max(30, int(160 * scale))
    near = max(2, int(3 * scale))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(
        np.ascontiguousarray(lines), connectivity=8
    )
    h = lines.shape[0]
    for i in range(1, count):
        x, y, w, hh, _area = stats[i]
        cx = x + w // 2
        column = across[:, max(0, cx - 1) : cx + 2].any(axis=1)
        for end, step in ((y, -1), (y + hh - 1, 1)):
            if not seal[
                max(0, end - near) : end + near + 1, max(0, cx - near) : cx + near + 1
            ].any():
                continue
            if column[max(0, end - near) : min(h, end + near + 1)].any():
                continue  # it meets a rule already
            stop = min(max(end + step * reach, 0), h - 1)
            hit = next((yy for yy in range(end + step, stop, step) if column[yy]), None)
            if hit is None:
                continue
            a, b = sorted((end, hit))
            on = grey[a : b + 1, cx].astype(np.float32).mean()
            beside = grey[a : b + 1, [max(0, cx - 4 - w), min(grey.shape[1] - 1, cx + 4 + w)]]
            if beside.astype(np.float32).mean() - on >= FAINT:
                lines[a : b + 1, x : x + w] = 255


def find_tables(
    grey: Any, scale: float, seal: Any | None = None, red: Any | None = None
) -> tuple[list[TableBox], Any]:
    """The ruled tables of a (deskewed, red-free) page, and the mask of its rules;
    ``seal``: where a red seal lay, ``red``: the page's red channel as it was (the rules
    under the seal are mended where they still show faintly in it)."""
    import cv2

    ink = binary(grey, scale)
    horizontal, vertical = rule_masks(ink, scale, seal, grey if red is None else red)
    rules = cv2.bitwise_or(horizontal, vertical)
    joined = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    page_w = grey.shape[1]
    tables = []
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        if w < 0.2 * page_w or h < 40 * scale:
            continue
        table = TableBox(int(x), int(y), int(x + w), int(y + h))
        table.cells = _cells(table, joined, horizontal, ink, scale)
        if len(table.cells) >= 2:
            tables.append(table)
    tables.sort(key=lambda t: (t.y0, t.x0))
    return tables, rules


def page_tables(image: Any) -> tuple[Any, list[TableBox], Any]:
    """A page (BGR or grey) made ready and its tables found: the grey page without red,
    turned level; its tables; the mask of its rules."""
    scale = scale_of(image)
    grey, seal = drop_red(image)
    grey, angle = deskew(grey, scale)
    red = None
    if seal is not None:
        seal = turn(seal, angle, 0)
        red = turn(image[:, :, 2], angle, 255)
    tables, rules = find_tables(grey, scale, seal, red)
    return grey, tables, rules


def _cells(table: TableBox, joined: Any, horizontal: Any, ink: Any, scale: float) -> list[CellBox]:
    import cv2

    x0, y0, x1, y1 = table.x0, table.y0, table.x1, table.y1
    crop = joined[y0:y1, x0:x1].copy()
    h, w = crop.shape
    # Close the table at its ends (a table cut by a page break has no rule there).
    cv2.rectangle(crop, (0, 0), (w - 1, h - 1), 255, 2)
    space = cv2.bitwise_not(crop)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(space, connectivity=4)
    least = (8 * scale) ** 2
    band = max(2, int(4 * scale))
    pad = 2  # half a rule: neighbouring cells meet on the rule's middle
    cells = []
    for i in range(1, count):
        cx, cy, cw, ch, area = stats[i]
        if area < least or cw < 6 * scale or ch < 6 * scale:
            continue
        box = CellBox(
            int(x0 + cx - pad), int(y0 + cy - pad), int(x0 + cx + cw + pad), int(y0 + cy + ch + pad)
        )
        if cy <= band + 2:
            box.open_top = not _ruled(horizontal, box.x0, box.x1, y0, band)
        if cy + ch >= h - band - 2:
            box.open_bottom = not _ruled(horizontal, box.x0, box.x1, y1 - 1, band)
        inner = ink[
            box.y0 + band + pad : box.y1 - band - pad, box.x0 + band + pad : box.x1 - band - pad
        ]
        box.ink = float(inner.mean() / 255.0) if inner.size else 0.0
        cells.append(box)
    return cells


def _ruled(horizontal: Any, x0: int, x1: int, y: int, band: int) -> bool:
    """Whether a horizontal rule near ``y`` covers most of ``x0``–``x1``."""
    rows = horizontal[max(0, y - band) : y + band + 1, x0:x1]
    if rows.size == 0:
        return False
    return float(rows.any(axis=0).mean()) >= 0.8
