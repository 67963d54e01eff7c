"""How much one input may hold: the same limits for every importer, set in one place.

The defaults are far beyond any real 自评表 (a form is some 40 rows of 10 columns, one or
two PDF pages, a few kilobytes of text) and far below what would exhaust a server. Each
limit can be changed by an environment variable ``JIXIAO_`` + its name in capitals
(``JIXIAO_MAX_PAGES=3000``) or, for one run, by the CLI (``jixiao --max-pages 3000 …``,
``jixiao --limit max_cells=500000 …``). Every refusal is a :class:`LimitExceeded` whose
Chinese message names the file, the place and the limit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from decimal import Decimal

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds of one input file (see the module docstring for how to change them)."""

    max_file_bytes: int = 100 * MB  # any file (PDF, Excel) as stored
    max_text_bytes: int = 10 * MB  # a text or HTML file
    max_json_bytes: int = 20 * MB  # a canonical JSON file
    max_json_depth: int = 40  # nesting of JSON objects and lists
    max_forms: int = 10_000  # forms in one file
    max_pages: int = 2_000  # pages of one PDF
    max_page_stream_bytes: int = 8 * MB  # decompressed content of one PDF page
    max_page_chars: int = 100_000  # characters on one PDF page
    max_page_grid: int = 5_000  # ruled positions of one PDF page (rows × columns of its lines)
    max_scan_pages: int = 100  # pages of one scan (image-only PDF, TIFF): OCR takes seconds a page
    max_scan_pixels: int = 40_000_000  # pixels of one scanned page (A4 at 600 dpi is 35 million)
    max_cells: int = 200_000  # filled cells of one sheet or table
    max_rows: int = 100_000  # rows of one sheet or table
    max_cols: int = 1_000  # columns of one sheet or table (browsers cap colspan at 1000)
    max_span_cells: int = 10_000  # cells one merged range covers
    max_part_bytes: int = 50 * MB  # one uncompressed part of an .xlsx or .docx
    max_unzipped_bytes: int = 200 * MB  # all parts of an .xlsx or .docx, uncompressed
    max_zip_ratio: int = 200  # uncompressed / compressed size of a large part
    max_shared_strings_bytes: int = 20 * MB  # a part read whole: shared strings, document.xml …
    max_number_digits: int = 40  # significant digits of a number
    max_number_exponent: int = 20  # a number's magnitude: below 10^20, not below 10^-20
    max_text_chars: int = 100_000  # characters of one text field
    max_convert_seconds: int = 60  # LibreOffice converting one .doc/.wps/.odt to .docx

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, with ``JIXIAO_<NAME>`` variables applied."""
        env = os.environ if environ is None else environ
        given: dict[str, str | int] = {}
        for f in fields(cls):
            raw = env.get(f"JIXIAO_{f.name.upper()}")
            if raw is not None:
                given[f.name] = raw
        return cls().with_values(given, source="环境变量 JIXIAO_")

    def with_values(self, values: dict[str, str | int], source: str = "") -> Limits:
        """A copy with some limits changed; :class:`ValueError` (Chinese) on a bad name or value."""
        names = {f.name for f in fields(self)}
        changes: dict[str, int] = {}
        for name, raw in values.items():
            key = name.strip().lower().replace("-", "_")
            if key not in names:
                known = "、".join(sorted(names))
                raise ValueError(f"{source}没有名为 {name} 的上限（可用：{known}）")
            try:
                value = int(str(raw).strip().replace("_", ""))
            except ValueError:
                raise ValueError(f"{source}{name} 应为正整数（收到 {raw!r}）") from None
            if value < 1:
                raise ValueError(f"{source}{name} 应为正整数（收到 {raw!r}）")
            changes[key] = value
        return replace(self, **changes)


class LimitExceeded(ValueError):
    """An input beyond one of the :class:`Limits`; the message names file, place and limit.

    Not an :class:`~jixiao.ingest.errors.IngestError` only because the model checks
    limits too and must not import the importers; callers catch both."""


_active: Limits | None = None


def current() -> Limits:
    """The limits in force: set by :func:`use`, else the defaults with the environment's."""
    global _active
    if _active is None:
        _active = Limits.from_env()
    return _active


def configure(limits: Limits | None) -> None:
    """Put ``limits`` in force for this process (None: back to defaults and environment)."""
    global _active
    _active = limits


@contextmanager
def use(**changes: int) -> Iterator[Limits]:
    """Within the block, the current limits with ``changes`` (for tests and one-off runs)."""
    before = _active
    limits = replace(current(), **changes)
    configure(limits)
    try:
        yield limits
    finally:
        configure(before)


# ------------------------------------------------------------------------- shared checks


def size_text(n: int) -> str:
    """Bytes for a message: "1.5 GB", "32 KB"."""
    for unit, size in (("GB", 1024**3), ("MB", MB), ("KB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".0 ", " ")
    return f"{n} 字节"


def check_bytes(size: int, limit: int, name: str, what: str) -> None:
    """Refuse ``size`` bytes of ``what`` beyond ``limit``."""
    if size > limit:
        raise LimitExceeded(
            f"{name}: {what}大小 {size_text(size)} 超过上限（最多 {size_text(limit)}）"
        )


def number_problem(value: Decimal, limits: Limits | None = None) -> str | None:
    """Why ``value`` is beyond a sane magnitude (Chinese), or None when it is fine: at
    most ``max_number_digits`` significant digits, and 10^-bound ≤ |value| < 10^bound
    (bound = ``max_number_exponent``) unless it is zero."""
    lim = limits or current()
    if not value.is_finite():
        return "数字不能是无穷大或 NaN"
    bound = lim.max_number_exponent
    magnitude = value.adjusted()
    # str() shows every digit of the coefficient: a short one decides without as_tuple()
    if -bound <= magnitude < bound and len(str(value)) <= lim.max_number_digits:
        return None
    digits = len(value.as_tuple().digits)
    if digits > lim.max_number_digits:
        return f"数字有 {digits} 位有效数字，超过上限（最多 {lim.max_number_digits} 位）"
    if value.is_zero() or -bound <= magnitude < bound:
        return None
    if magnitude >= bound:
        return f"数字过大（超过上限 10^{bound}）"
    return f"数字过小（绝对值小于 10^-{bound}）"


# Control characters a text field must not hold: C0 except tab, newline and carriage
# return, DEL, C1, and lone surrogates (which no encoding can write).
BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(text: str, limits: Limits | None = None) -> str | None:
    """Why ``text`` cannot be a field's value (Chinese), or None when it is fine."""
    lim = limits or current()
    if len(text) > lim.max_text_chars:
        return f"文字长度 {len(text)} 字超过上限（最多 {lim.max_text_chars} 字）"
    m = BAD_TEXT.search(text)
    if m is None:
        return None
    ch = m.group(0)
    kind = "孤立代理字符" if "\ud800" <= ch <= "\udfff" else "控制字符"
    return f"含不允许的{kind} U+{ord(ch):04X}（第 {m.start() + 1} 个字符）"


def lone_surrogate(text: str) -> int | None:
    """The position of the first lone surrogate in ``text``, or None."""
    m = re.search("[\ud800-\udfff]", text)
    return m.start() if m else None
