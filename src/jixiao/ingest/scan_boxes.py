"""The check boxes of a scanned form (``☑经常性项目 □一次性项目``), read from the image.

The OCR engine reads a printed □ as 口 and passes over a ☑, so a cell of check boxes is
read here from its pixels: :func:`find_boxes` matches the outline of a small square (a
blurred square frame, its inside not looked at) at every size from half to full the
height of a line of text, and :func:`tick` decides, by the ink inside the frame, whether
it is ticked — or says it cannot tell (between :data:`EMPTY_INK` and :data:`TICK_INK`).
:mod:`jixiao.ingest.scan` reads the text between the boxes as the options and writes the
cell as the form prints it (:func:`jixiao.model.checkbox_text`).

Only cells a check-box field of a declared layout owns are looked at (beside its label,
项目类别 | ☑… , or after it in the same cell): elsewhere a 口 or 回 is a character.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

MATCH = 0.80  # correlation with a square frame from which a box is taken (characters ≤ 0.75)
SIDE = (9, 19)  # a box's side at 150 dpi, pixels (the seed print: 13–15)
MARGIN = 3  # white pixels around the frame in the template
EMPTY_INK = 0.10  # share of ink inside the frame at or below which the box is empty
TICK_INK = 0.25  # at or above which it is ticked; between: not sure (a gap)
INK_LEVEL = 180  # grey below this is ink inside a box (a blurred tick is light)


@dataclass(frozen=True)
class Box:
    """One check box on the page: its frame (pixels) and whether it is ticked; ``sure``
    is False where the ink inside it does not say clearly."""

    x0: int
    y0: int
    x1: int
    y1: int
    ticked: bool
    sure: bool
    ink: float  # share of ink inside the frame


def _template(side: int, scale: float) -> tuple[Any, Any]:
    """A blurred square frame of ``side`` pixels with a white margin, and the mask that
    leaves its inside out (a tick is not part of the match)."""
    import cv2

    thick = max(1, round(scale))
    margin = max(2, round(MARGIN * scale))
    size = side + 2 * margin
    frame = np.full((size, size), 255, np.uint8)
    cv2.rectangle(frame, (margin, margin), (margin + side - 1, margin + side - 1), 0, thick)
    blurred = cv2.GaussianBlur(frame, (3, 3), 0.8 * scale)
    mask = np.full((size, size), 255, np.uint8)
    inner = margin + thick + 1
    mask[inner : size - inner, inner : size - inner] = 0
    return blurred, mask


def tick(grey: Any, x0: int, y0: int, x1: int, y1: int, scale: float) -> tuple[bool, bool, float]:
    """(ticked, sure, ink share) of the box framed by ``x0``–``x1``, ``y0``–``y1`` on the
    grey page: the ink inside the frame, its border band left out."""
    inset = max(2, round(3 * scale))
    inside = grey[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
    if inside.size == 0:
        return False, False, 0.0
    ink = float((inside < INK_LEVEL).mean())
    if ink >= TICK_INK:
        return True, True, ink
    if ink <= EMPTY_INK:
        return False, True, ink
    return ink >= (EMPTY_INK + TICK_INK) / 2, False, ink


def _apart(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """Whether two squares (x, y, side) do not overlap."""
    return a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[2] <= b[1] or b[1] + b[2] <= a[1]


def find_boxes(grey: Any, x0: int, y0: int, x1: int, y1: int, scale: float) -> list[Box]:
    """The check boxes inside ``x0``–``x1``, ``y0``–``y1`` of the grey page (a cell, its
    rules erased), left to right."""
    import cv2

    region = np.ascontiguousarray(grey[y0:y1, x0:x1])
    found: list[tuple[float, int, int, int]] = []
    low, high = max(5, round(SIDE[0] * scale)), max(6, round(SIDE[1] * scale))
    for side in range(low, high + 1):
        frame, mask = _template(side, scale)
        if region.shape[0] < frame.shape[0] or region.shape[1] < frame.shape[1]:
            break
        match = cv2.matchTemplate(region, frame, cv2.TM_CCOEFF_NORMED, mask=mask)
        match = np.nan_to_num(match, nan=-1.0, posinf=-1.0, neginf=-1.0)
        margin = (frame.shape[0] - side) // 2
        for y, x in zip(*np.nonzero(match >= MATCH), strict=True):
            found.append((float(match[y, x]), int(x) + margin, int(y) + margin, side))
    found.sort(reverse=True)
    kept: list[tuple[float, int, int, int]] = []
    for score, x, y, side in found:  # the best match of each place
        if all(_apart((x, y, side), (kx, ky, ks)) for _, kx, ky, ks in kept):
            kept.append((score, x, y, side))
    boxes = []
    for _score, x, y, side in sorted(kept, key=lambda k: k[1]):
        bx0, by0 = x0 + x, y0 + y
        ticked, sure, ink = tick(grey, bx0, by0, bx0 + side, by0 + side, scale)
        boxes.append(Box(bx0, by0, bx0 + side, by0 + side, ticked, sure, ink))
    return boxes
