"""The OCR engine: PP-OCRv4 Chinese detection and recognition on ONNX Runtime (CPU),
through ``rapidocr_onnxruntime``, whose wheel carries the models: nothing is fetched at
run time.

:func:`detect` finds the text lines of a page; :func:`recognise` reads each line with
two confidences: the line's mean and its least sure character's (a single misread digit
shows in the second). The recognition's output is decoded here, column by column, so that
two more things are known:

- a character the decoding passed over: a column read as "nothing" while a character had
  a fair chance there (``100.00()`` for ``100.00(%)``) makes the line as unsure as that
  chance (:func:`_decode`);
- the comparison sign that opens a value (≤ 100.00): the engine reads the slanted ≤ of a
  Chinese font as < or 《 now and then, unsure; the glyph itself is measured
  (:func:`sign_glyph`): a ≤ or ≥ has its bar below, so it stands as tall as the digits
  after it, a < or > some two thirds of that, and its point shows which way it opens.
  A sign the glyph settles is taken from the glyph and counts as sure; otherwise the
  engine's reading and its confidence stand.

The angle classifier is not used (scanned forms are upright; the page's skew is corrected
before). ONNX Runtime's threads: ``JIXIAO_OCR_THREADS`` (default: every core, at most 4).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

from jixiao.ingest.errors import IngestError


@dataclass(frozen=True)
class TextBox:
    """A line of text the engine read: its box in page pixels and confidences (0–1)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float  # the line's mean character confidence
    least: float  # its least sure character's confidence

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


REC_HEIGHT = 48  # pixels: the recognition model's input height
REC_MIN_WIDTH = 160  # pixels: a short line is padded to this width

_engine: Any = None
_lock = threading.Lock()


def threads() -> int:
    """ONNX Runtime threads per model: ``JIXIAO_OCR_THREADS``, else the cores (at most 4)."""
    raw = os.environ.get("JIXIAO_OCR_THREADS", "").strip()
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    return max(1, min(os.cpu_count() or 1, 4))


def engine() -> Any:
    """The engine, made once per process (loading the models takes a fraction of a second)."""
    global _engine
    with _lock:
        if _engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as err:  # an installation without the OCR dependencies
                raise IngestError(
                    f"文字识别（OCR）组件未安装（{err}），请运行 make setup 重新安装"
                ) from None
            n = threads()
            _engine = RapidOCR(intra_op_num_threads=n, inter_op_num_threads=1)
        return _engine


# Characters whose confidence does not count: brackets, colons and separators are often
# read unsure and change no value (a misread decimal point or digit does).
MINOR = frozenset("()（）:：·，,、;；")


def _least(text: str, confidences: list[float]) -> float:
    """The confidence of the least sure character that counts."""
    if not text:
        return 0.0
    if len(confidences) != len(text):
        return float(min(confidences))
    # between two digits a colon or comma may be a misread decimal point: it counts there
    counted = [
        c
        for i, (ch, c) in enumerate(zip(text, confidences, strict=True))
        if ch not in MINOR or (text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit())
    ]
    return float(min(counted or confidences))


def _bgr(image: Any) -> Any:
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def detect(image: Any) -> list[tuple[float, float, float, float]]:
    """The boxes (x0, y0, x1, y1) of the text lines on ``image`` (a BGR or grey page),
    top to bottom."""
    import numpy as np

    ocr = engine()
    boxes, _elapsed = ocr.text_det(_bgr(image))
    if boxes is None or len(boxes) == 0:
        return []
    out = []
    for quad in ocr.sorted_boxes(boxes):
        pts = np.asarray(quad, dtype=np.float32)
        out.append(
            (
                float(pts[:, 0].min()),
                float(pts[:, 1].min()),
                float(pts[:, 0].max()),
                float(pts[:, 1].max()),
            )
        )
    return out


@dataclass(frozen=True)
class Decoded:
    """One line as the recognition model read it: its text, each character's confidence
    and column (of the model's output, 8 input pixels each), and the confidence that no
    character was passed over (1.0: none had a fair chance)."""

    text: str
    confidences: list[float]
    columns: list[int]
    dropped: float


def _decode(preds: Any, characters: list[str]) -> Decoded:
    """CTC decoding of ``preds`` (columns × characters, blank first): a character where a
    column's best is not blank and not the one before. A blank column away from every
    character (not right beside one: its edges) says how sure the model is that nothing
    stands there; where its best other guess is minor (a bracket, a space), it does not
    count."""
    import numpy as np

    best = preds.argmax(axis=1)
    prob = preds[np.arange(len(best)), best]
    text, confidences, columns = [], [], []
    for t, k in enumerate(best):
        if k != 0 and (t == 0 or best[t - 1] != k):
            text.append(characters[k])
            confidences.append(float(prob[t]))
            columns.append(t)
    near: set[int] = set()
    for e in np.flatnonzero(best != 0).tolist():
        near.update((e - 1, e, e + 1))
    dropped = 1.0
    for b in np.flatnonzero(best == 0).tolist():
        if b in near or prob[b] >= dropped:
            continue
        ch = characters[int(preds[b, 1:].argmax()) + 1]
        if ch not in MINOR and not ch.isspace():
            dropped = float(prob[b])
    return Decoded("".join(text), confidences, columns, dropped)


LESS = "<《≤＜"  # read for a sign that opens to the right
MORE = ">》≥＞"
BAR_HEIGHT = 0.85  # a sign as tall as this share of the digit after it has its bar
NO_BAR_HEIGHT = 0.75  # one no taller than this has none
INK_LEVEL = 200  # grey below this is ink (the page without specks and rules)


def _runs_of(flags: Any) -> list[tuple[int, int]]:
    """The runs (first, last) of true values in a 1-D array."""
    out = []
    start = None
    for i, on in enumerate(flags):
        if on and start is None:
            start = i
        elif not on and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(flags) - 1))
    return out


def sign_glyph(grey: Any) -> str | None:
    """The comparison sign that opens the line ``grey`` (a crop of the page), measured:
    "≤", "≥", "<" or ">", or None when its glyph does not say clearly. Its glyph is the
    first run of ink columns, the digit's the next; the side where the glyph's ink is
    narrowest is its point."""
    import numpy as np

    ink = grey < INK_LEVEL
    runs = [r for r in _runs_of(ink.any(axis=0)) if r[1] - r[0] >= 2]
    if len(runs) < 2:
        return None
    (a, b), (c, d) = runs[0], runs[1]
    glyph, digit = ink[:, a : b + 1], ink[:, c : d + 1]

    def height(part: Any) -> int:
        rows = np.flatnonzero(part.any(axis=1))
        return int(rows[-1] - rows[0] + 1) if len(rows) else 0

    tall, digit_tall = height(glyph), height(digit)
    if digit_tall < 6 or b - a + 1 > 1.3 * digit_tall:
        return None
    left, right = height(glyph[:, :2]), height(glyph[:, -2:])
    if left <= 0.6 * right:
        opens = "<"
    elif right <= 0.6 * left:
        opens = ">"
    else:
        return None
    share = tall / digit_tall
    if share >= BAR_HEIGHT:
        return "≤" if opens == "<" else "≥"
    if share <= NO_BAR_HEIGHT:
        return opens
    return None


def _settle_sign(decoded: Decoded, grey: Any) -> Decoded:
    """``decoded`` with the sign that opens it taken from its glyph (and sure), where the
    glyph settles it and points the way the engine read."""
    text = decoded.text
    if len(text) < 2 or text[0] not in LESS + MORE or not text[1].isdigit():
        return decoded
    sign = sign_glyph(grey)
    if sign is None or (sign in "<≤") != (text[0] in LESS):
        return decoded
    return Decoded(
        sign + text[1:], [1.0, *decoded.confidences[1:]], decoded.columns, decoded.dropped
    )


def read_line(crop: Any) -> tuple[Decoded, float]:
    """One line (a BGR crop of the page) read by the recognition model, and its mean
    confidence."""
    import cv2
    import numpy as np

    rec = engine().text_rec
    h, w = crop.shape[:2]
    # as wide as the line is, padded to REC_MIN_WIDTH only: the engine's own batches pad
    # every line to the widest of six and to at least 320 pixels, which doubles the time
    # on a form's short cells (less padding than REC_MIN_WIDTH loses a short line's first
    # character: 一级 read 级)
    ratio = max(w / h, REC_MIN_WIDTH / REC_HEIGHT)
    batch = rec.resize_norm_img(crop, ratio)[np.newaxis].astype(np.float32)
    preds = rec.session(batch)[0][0]
    decoded = _decode(preds, rec.postprocess_op.character)
    decoded = _settle_sign(decoded, cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY))
    mean = float(np.mean(decoded.confidences)) if decoded.confidences else 0.0
    return decoded, mean


def recognise(image: Any, boxes: list[tuple[float, float, float, float]]) -> list[TextBox]:
    """The text in each box of ``image`` (upright: the page was deskewed), one
    :class:`TextBox` a box (empty for a box too small to hold a character); a box's least
    confidence is also the chance that no character was passed over."""
    image = _bgr(image)
    h, w = image.shape[:2]
    out = []
    for x0, y0, x1, y1 in boxes:
        a, b = max(0, int(x0)), max(0, int(y0))
        c, d = min(w, int(x1 + 0.999)), min(h, int(y1 + 0.999))
        if c - a < 2 or d - b < 2:
            out.append(TextBox(x0, y0, x1, y1, text="", score=0.0, least=0.0))
            continue
        decoded, score = read_line(image[b:d, a:c])
        least = min(_least(decoded.text, decoded.confidences), decoded.dropped)
        out.append(TextBox(x0, y0, x1, y1, text=decoded.text, score=score, least=least))
    return out
