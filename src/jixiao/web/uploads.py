"""What every upload page needs: the file's own name made safe, the request's size before
its body is read, and one wording for a file over the size limit."""

from __future__ import annotations

import re

from django.http import HttpRequest

NAME_LIMIT = 120  # characters of a file name kept (the suffix always kept)
SUFFIX_LIMIT = 10
# Room for the multipart envelope (boundaries, headers, CSRF token) around one file.
ONE_FILE_OVERHEAD = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_name(raw: str | None) -> str:
    """The uploaded file's own name without folders or control characters, cut to
    NAME_LIMIT characters with its suffix kept (so a long name keeps its type)."""
    name = _CONTROL.sub("", (raw or "").replace("\\", "/").rpartition("/")[2]).strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or len(suffix) > SUFFIX_LIMIT:
        stem, suffix = name, ""
    suffix = f".{suffix}" if suffix else ""
    stem = stem[: NAME_LIMIT - len(suffix)].strip() or "文件"
    return stem + suffix


def content_length(request: HttpRequest) -> int:
    """The body's declared size (0 when absent or not a number)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_big(name: str, limit: int, action: str) -> str:
    """The message for a file over ``limit`` bytes that was therefore not ``action`` (导入,
    上传): ``名称：文件超过 10 MB，未导入`` (without a name when it is not known yet)."""
    mb = limit // (1024 * 1024)
    message = f"文件超过 {mb} MB，未{action}"
    return f"{name}：{message}" if name else message
