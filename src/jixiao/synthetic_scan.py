"""Scans made the way real ones come, for the tests and the benchmark of the scan reader.

A rendered form (PDF) is rasterised by pdftoppm, then printed and scanned in imitation: a
red seal stamped over cells, the page turned a little, blurred, speckled with noise and
JPEG-compressed; the pages may be packed into an image-only PDF as a scanner writes it.
Deterministic for a given random seed.
"""

from __future__ import annotations

import io
import math
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np


def rasterise(
    pdf: bytes, dpi: int = 150, first: int | None = None, last: int | None = None
) -> list[Any]:
    """The pages of ``pdf`` as BGR arrays at ``dpi`` (pdftoppm)."""
    import cv2

    with tempfile.TemporaryDirectory(prefix="jixiao-raster-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        command = ["pdftoppm", "-r", str(dpi), "-png"]
        if first is not None:
            command += ["-f", str(first)]
        if last is not None:
            command += ["-l", str(last)]
        subprocess.run([*command, str(source), str(Path(tmp) / "p")], check=True)
        files = sorted(Path(tmp).glob("p*.png"), key=lambda p: int(p.stem.rpartition("-")[2]))
        return [cv2.imread(str(f), cv2.IMREAD_COLOR) for f in files]


def stamp(page: Any, centre: tuple[int, int], radius: int) -> Any:
    """``page`` with a red seal (ring, star, a ring of marks like characters) printed over
    it: red multiplies the page, so black print under it stays black."""
    import cv2

    seal = np.full(page.shape[:2], 255, np.uint8)
    thick = max(2, radius // 14)
    cv2.circle(seal, centre, radius, 0, thick, cv2.LINE_AA)
    cx, cy = centre
    star = []
    for k in range(10):
        r = radius * 0.28 if k % 2 == 0 else radius * 0.11
        a = -math.pi / 2 + k * math.pi / 5
        star.append((int(cx + r * math.cos(a)), int(cy + r * math.sin(a))))
    cv2.fillPoly(seal, [np.array(star, np.int32)], 0)
    for k in range(14):  # the unit's name around the ring
        a = math.pi * (0.85 + k * 1.3 / 13)
        x, y = cx + 0.72 * radius * math.cos(a), cy + 0.72 * radius * math.sin(a)
        size = radius // 8
        cv2.rectangle(seal, (int(x - size), int(y - size)), (int(x + size), int(y + size)), 0, -1)
    # a seal is never solid: the ink leaves grainy gaps
    rng = np.random.default_rng(cx * 7919 + cy)
    grain = max(2, radius // 30)
    coarse = rng.random((seal.shape[0] // grain + 1, seal.shape[1] // grain + 1)) < 0.2
    holes = np.kron(coarse, np.ones((grain, grain), bool))[: seal.shape[0], : seal.shape[1]]
    seal[holes] = 255
    seal = cv2.GaussianBlur(seal, (0, 0), 0.8)
    red = np.array([70, 60, 230], np.float32) / 255.0  # BGR
    mask = (255 - seal).astype(np.float32)[:, :, None] / 255.0
    tint = 1.0 - mask * (1.0 - red)
    return (page.astype(np.float32) * tint).clip(0, 255).astype(np.uint8)


def degrade(
    page: Any,
    seed: int,
    skew: float | None = None,
    seal: tuple[float, float] | None = (0.7, 0.6),
    blur: float = 0.7,
    noise: float = 6.0,
    quality: int = 70,
) -> Any:
    """``page`` printed and scanned: a seal stamped with its centre near ``seal`` (x, y
    as shares of the page's width and height; None: no seal), turned by ``skew`` degrees
    (random within ±2° when None), blurred, speckled and JPEG-compressed at ``quality``."""
    import cv2

    rng = np.random.default_rng(seed)
    h, w = page.shape[:2]
    if seal is not None:
        radius = int(w * 0.085)
        x, y = seal[0] + rng.uniform(-0.05, 0.05), seal[1] + rng.uniform(-0.05, 0.05)
        page = stamp(page, (int(w * x), int(h * y)), radius)
    angle = float(rng.uniform(-2.0, 2.0)) if skew is None else skew
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    page = cv2.warpAffine(
        page, m, (w, h), borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255)
    )
    if blur:
        page = cv2.GaussianBlur(page, (0, 0), blur)
    if noise:
        grain = rng.normal(0, noise, page.shape[:2])[:, :, None]
        page = (page.astype(np.float32) + grain).clip(0, 255).astype(np.uint8)
        specks = rng.random(page.shape[:2]) < 0.0005
        page[specks] = 0
    ok, jpeg = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)


def encode(page: Any, kind: str = "png", quality: int = 85) -> bytes:
    """One page as a PNG, JPEG or TIFF file."""
    import cv2

    params = [cv2.IMWRITE_JPEG_QUALITY, quality] if kind == "jpeg" else []
    ok, data = cv2.imencode({"png": ".png", "jpeg": ".jpg", "tiff": ".tif"}[kind], page, params)
    assert ok
    return bytes(data)


def scanned_pdf(pages: list[Any], dpi: int = 150, quality: int = 80) -> bytes:
    """Pages packed into an image-only PDF, one JPEG a page, as a scanner writes it."""
    from PIL import Image

    images = [Image.fromarray(p[:, :, ::-1]) for p in pages]
    out = io.BytesIO()
    images[0].save(
        out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi), quality=quality
    )
    return out.getvalue()
