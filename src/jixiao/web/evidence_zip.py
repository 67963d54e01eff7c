"""The ZIP of 导出（含佐证材料）: the form's document plus its 佐证材料 in folders by row,
written piece by piece while it is sent (each stored file is read in chunks, never whole).

Names are made safe for every unzip program: no folder separators, control characters or
characters Windows forbids, limited length, unique within their folder; non-ASCII names
carry the ZIP's UTF-8 flag (Python's zipfile sets it).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from jixiao.web.evidence_kinds import KINDS, download_name

if TYPE_CHECKING:
    from jixiao.web.evidence import Group
    from jixiao.web.models import Attachment

ROOT = "佐证材料"
CHUNK = 256 * 1024
# Most 佐证材料 are compressed already (PDF, JPEG, PNG, Office files, ZIP) and barely shrink at
# any level: they get the fastest deflate level (deflate, not stored, because some unzip
# programs refuse stored entries written as a stream); the form's document the default.
FILE_LEVEL = 1
PART_LIMIT = 80  # characters of one folder or file name
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


@dataclass
class Member:
    """One entry of the ZIP: its path and either bytes or a stored attachment."""

    path: str
    data: bytes | None = None
    attachment: Attachment | None = None


def safe(text: str, limit: int = PART_LIMIT) -> str:
    """One path part that every unzip program accepts, the suffix kept when cut."""
    text = _UNSAFE.sub("_", text).strip().strip(".").strip()
    if len(text) > limit:
        stem, dot, suffix = text.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            text = f"{stem[: limit - len(suffix) - 1]}.{suffix}"
        else:
            text = text[:limit]
    return text or "_"


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}（{n}）{dot}{suffix}"
    taken.add(candidate.lower())
    return candidate


def members(document: str, data: bytes, groups: list[Group]) -> list[Member]:
    """The form's document first, then each group's files under 佐证材料/<folder>/."""
    out = [Member(safe(document, 200), data=data)]
    for group in groups:
        if not group.files:
            continue
        folder = f"{ROOT}/{safe(group.folder)}"
        taken: set[str] = set()
        for att in group.files:
            kind = KINDS.get(att.kind)
            name = download_name(att.name, kind) if kind else att.name
            out.append(Member(f"{folder}/{_unique(safe(name), taken)}", attachment=att))
    return out


class _Sink:
    """A write-only file for zipfile that hands over what was written so far."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def _info(path: str, when: datetime, size: int, level: int | None = None) -> zipfile.ZipInfo:
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    info = zipfile.ZipInfo(path, date_time=local.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = level  # the entry's level (public as compress_level from 3.13)
    info.file_size = size  # lets zipfile choose ZIP64 up front for a huge member
    return info


def stream(entries: Iterable[Member]) -> Iterator[bytes]:
    """The ZIP of ``entries``, in pieces as they are written."""
    sink = _Sink()
    now = timezone.now()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as zf:  # type: ignore[arg-type]
        for entry in entries:
            att = entry.attachment
            if att is None:
                with zf.open(_info(entry.path, now, len(entry.data or b"")), "w") as out:
                    out.write(entry.data or b"")
                yield sink.take()
                continue
            try:
                stored = att.file.open("rb")
            except OSError:
                note = f"文件“{att.name}”在存储中已不存在，请联系管理员。\n".encode()
                zf.writestr(_info(f"{entry.path}.缺失.txt", now, len(note)), note)
                yield sink.take()
                continue
            info = _info(entry.path, att.uploaded_at, att.size, FILE_LEVEL)
            with stored, zf.open(info, "w") as out:
                while chunk := stored.read(CHUNK):
                    out.write(chunk)
                    yield sink.take()
            yield sink.take()
    yield sink.take()
