"""Scanned pages as images: PNG, JPEG and TIFF files by their magic bytes, and the pages of
an image-only PDF rasterised by pdftoppm (poppler-utils).

Every page is bounded before it is decoded: the pages of a file (``max_scan_pages``) and
the pixels of a page (``max_scan_pixels``), each refusal a Chinese line naming the file,
the page and the limit. Pages come one at a time (a 20-page scan never sits in memory
whole), as BGR numpy arrays, scaled to at most :data:`OCR_LONG_SIDE` pixels on their long
side (≈ 230 dpi for A4: finer scans cost time and read no better).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jixiao.ingest.errors import IngestError
from jixiao.limits import LimitExceeded, current

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
TIFF_MAGICS = (b"II*\x00", b"MM\x00*")
PDF_DPI = 150  # image-only PDF pages are rasterised at this resolution
OCR_LONG_SIDE = 2700  # pixels: larger pages are scaled down before reading
RASTER_SECONDS = 60  # pdftoppm on one page


def image_kind(head: bytes) -> str | None:
    """ "png", "jpeg", "tiff" or None."""
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head[:4] in TIFF_MAGICS:
        return "tiff"
    return None


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
PROBE_PAGES = 3  # a PDF with no text on its first pages is taken for a scan
PROBE_SECONDS = 20  # pdftotext / pdfinfo on those pages
PROBE_MEMORY_MB = 512  # address space of each of them


def likely_scan_pages(data: bytes) -> int:
    """How many pages of OCR a file may need, told before a reader runs (for the time limit
    it gets): 0 for what is not a scan; a PNG or JPEG 1; a TIFF one page a 300 KB; a PDF
    where no font shows in its bytes is asked by its content: poppler's ``pdftotext`` on its
    first :data:`PROBE_PAGES` pages (fonts inside compressed object streams cannot be seen
    in the bytes) — any text there, and it is not a scan; none, and ``pdfinfo`` counts its
    pages. Both run in a child process with a time and memory limit; where they fail, the
    page objects seen in the bytes are counted (a scan, to be safe). At most
    ``max_scan_pages``."""
    head = data[:8]
    kind = image_kind(head)
    if kind in ("png", "jpeg"):
        pages = 1
    elif kind == "tiff":
        pages = len(data) // (300 * 1024) + 1
    elif head.lstrip(b"\x00\t\r\n ").startswith(b"%PDF-") and b"/Font" not in data:
        probed = _probe_pdf(data)
        if probed is None:
            pages = max(1, len(_PAGE_OBJECT.findall(data)))
        elif probed[0]:
            return 0
        else:
            pages = max(1, probed[1])
    else:
        return 0
    return min(pages, current().max_scan_pages)


def _poppler(tool: str, args: list[str], data: bytes) -> str | None:
    """What a poppler tool prints for the PDF ``data`` (given on its standard input), under
    PROBE_SECONDS and PROBE_MEMORY_MB; None when it is missing, fails or runs too long."""
    exe = shutil.which(tool)
    if exe is None:
        return None
    limit = f'ulimit -v {PROBE_MEMORY_MB * 1024}; exec "$0" "$@"'
    try:
        done = subprocess.run(
            ["sh", "-c", limit, exe, *args],
            input=data,
            capture_output=True,
            timeout=PROBE_SECONDS,
            check=True,
        )
    except (subprocess.SubprocessError, OSError):
        return None
    return done.stdout.decode("utf-8", "replace")


def _probe_pdf(data: bytes) -> tuple[bool, int] | None:
    """(whether its first pages hold text, its page count), or None where poppler cannot
    say."""
    text = _poppler("pdftotext", ["-q", "-f", "1", "-l", str(PROBE_PAGES), "-", "-"], data)
    if text is None:
        return None
    if any(not ch.isspace() for ch in text):
        return True, 0
    info = _poppler("pdfinfo", ["-"], data)
    found = re.search(r"^Pages:\s*(\d+)", info or "", re.MULTILINE)
    if found is None:
        return None
    return False, int(found.group(1))


def _check_pixels(name: str, number: int, width: int, height: int) -> None:
    limit = current().max_scan_pixels
    if width * height > limit:
        raise LimitExceeded(
            f"{name}: 第 {number} 页图像 {width}×{height} 像素，超过上限（每页最多 {limit} 像素）"
        )


def _check_pages(name: str, count: int) -> None:
    limit = current().max_scan_pages
    if count > limit:
        raise LimitExceeded(
            f"{name}: 扫描件有 {count} 页，超过上限（每个扫描件最多 {limit} 页，"
            "文字识别每页需数秒）"
        )


def fit(image: Any) -> Any:
    """``image`` scaled down to at most OCR_LONG_SIDE pixels on its long side."""
    import cv2

    long_side = max(image.shape[:2])
    if long_side <= OCR_LONG_SIDE:
        return image
    factor = OCR_LONG_SIDE / long_side
    return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)


def page_count(data: bytes, name: str) -> int:
    """The pages (frames) of an image file."""
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # our own limit is checked before decoding
    try:
        with Image.open(io.BytesIO(data)) as picture:
            return int(getattr(picture, "n_frames", 1))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise IngestError(f"{name}: 图像文件无法打开（{err}）") from None


def image_pages(data: bytes, name: str) -> Iterator[Any]:
    """The pages of a PNG, JPEG or (multi-page) TIFF file, as BGR arrays."""
    import numpy as np
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # our own limit is checked before decoding
    try:
        picture = Image.open(io.BytesIO(data))
        frames = getattr(picture, "n_frames", 1)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as err:
        raise IngestError(f"{name}: 图像文件无法打开（{err}）") from None
    _check_pages(name, frames)
    for number, frame in enumerate(ImageSequence.Iterator(picture), start=1):
        if number > frames:
            break
        _check_pixels(name, number, *frame.size)
        try:
            rgb = frame.convert("RGB")
        except (OSError, ValueError, SyntaxError) as err:
            raise IngestError(f"{name}: 第 {number} 页图像已损坏，无法读取（{err}）") from None
        yield fit(np.asarray(rgb)[:, :, ::-1].copy())


def pdf_pages(data: bytes, name: str, sizes: list[tuple[float, float]]) -> Iterator[Any]:
    """The pages of an image-only PDF (``sizes``: each page's width and height in points),
    rasterised one by one at PDF_DPI, or less where a page is so large that its pixels
    would pass the limit."""
    import cv2

    _check_pages(name, len(sizes))
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise IngestError(
            f"{name}: PDF 是扫描件，需要 pdftoppm（poppler-utils）把页面转成图像，"
            "但系统中没有安装；请运行 make setup"
        )
    lim = current()
    with tempfile.TemporaryDirectory(prefix="jixiao-scan-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        for number, (width, height) in enumerate(sizes, start=1):
            out = Path(tmp) / f"p{number}"
            inches = max(width, 1.0) * max(height, 1.0) / 72 / 72
            dpi = max(1, min(PDF_DPI, int((lim.max_scan_pixels / inches) ** 0.5)))
            command = [tool, "-r", str(dpi), "-f", str(number), "-l", str(number)]
            command += ["-singlefile", "-png", str(source), str(out)]
            try:
                subprocess.run(command, capture_output=True, timeout=RASTER_SECONDS, check=True)
            except subprocess.TimeoutExpired:
                raise IngestError(
                    f"{name}: 第 {number} 页转为图像超过 {RASTER_SECONDS} 秒，已停止"
                ) from None
            except subprocess.CalledProcessError as err:
                reason = err.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                raise IngestError(f"{name}: 第 {number} 页无法转为图像（{reason[0]}）") from None
            image = cv2.imread(str(out.with_suffix(".png")), cv2.IMREAD_COLOR)
            out.with_suffix(".png").unlink(missing_ok=True)
            if image is None:
                raise IngestError(f"{name}: 第 {number} 页无法转为图像")
            _check_pixels(name, number, image.shape[1], image.shape[0])
            yield fit(image)
