"""The OCR engine: PP-OCRv4 Chinese detection and recognition on ONNX Runtime (CPU),
through ``rapidocr_onnxruntime``, whose wheel carries the models: nothing is fetched at
run time.

:func:`read_text_boxes` returns every text line found on a page with its box and two
confidences: the line's mean and its least sure character's (a single misread digit shows
in the second). The angle classifier is not used (scanned forms are upright; the page's
skew is corrected before). ONNX Runtime's threads: ``JIXIAO_OCR_THREADS`` (default: every
core, at most 4).
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
            _engine = RapidOCR(
                intra_op_num_threads=n,
                inter_op_num_threads=1,
                # one line at a time, padded to REC_MIN_WIDTH only: the engine's batches pad
                # every line to the widest of six and to at least 320 pixels, which doubles
                # the recognition's time on a form's short cells (less padding than
                # REC_MIN_WIDTH loses a short line's first character: 一级 read 级)
                rec_batch_num=1,
                rec_img_shape=[3, REC_HEIGHT, REC_MIN_WIDTH],
            )
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
    counted = [c for ch, c in zip(text, confidences, strict=True) if ch not in MINOR]
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


def recognise(image: Any, boxes: list[tuple[float, float, float, float]]) -> list[TextBox]:
    """The text in each box of ``image`` (upright: the page was deskewed), one
    :class:`TextBox` a box (empty for a box too small to hold a character)."""
    ocr = engine()
    image = _bgr(image)
    h, w = image.shape[:2]
    crops, kept = [], []
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        a, b = max(0, int(x0)), max(0, int(y0))
        c, d = min(w, int(x1 + 0.999)), min(h, int(y1 + 0.999))
        if c - a >= 2 and d - b >= 2:
            crops.append(image[b:d, a:c])
            kept.append(i)
    out = [TextBox(*box, text="", score=0.0, least=0.0) for box in boxes]
    if crops:
        results, _elapsed = ocr.text_rec(crops, True)
        for i, result in zip(kept, results, strict=True):
            text, score = result[0], float(result[1])
            least = _least(text, result[2][4] if len(result) > 2 else [score])
            out[i] = TextBox(*boxes[i], text=text, score=score, least=least)
    return out
