"""``python -m jixiao.web jixiao_evidence_gc [--delete]``: stored 佐证材料 files that no
attachment refers to (left by an upload that failed half-way, or by a restore of an older
database), listed, and with ``--delete`` removed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from jixiao.web.models import Attachment

ROOT = "evidence"


def stored_files(storage: Storage, folder: str = ROOT) -> Iterator[str]:
    """Every stored file under ``folder`` (recursively), as storage names."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{folder}/{name}"
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}")


class Command(BaseCommand):
    help = "列出存储中没有任何佐证材料记录引用的文件；加 --delete 时删除它们"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="删除列出的文件")
        parser.add_argument(
            "--min-age-hours",
            type=float,
            default=24,
            help="只处理至少这么多小时前写入的文件（默认 24；正在上传的文件不受影响）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        storage = default_storage
        cutoff = timezone.now() - timedelta(hours=options["min_age_hours"])
        referenced = set(Attachment.objects.values_list("file", flat=True))
        orphans: list[tuple[str, int]] = []
        for name in stored_files(storage):
            if name in referenced or storage.get_modified_time(name) > cutoff:
                continue
            orphans.append((name, storage.size(name)))
        for name, size in orphans:
            self.stdout.write(f"{name}\t{filesizeformat(size)}")
        total = filesizeformat(sum(size for _, size in orphans))
        if not orphans:
            self.stdout.write("没有无引用的佐证材料文件。")
        elif options["delete"]:
            for name, _ in orphans:
                storage.delete(name)
            self.stdout.write(f"已删除 {len(orphans)} 个无引用的文件（{total}）。")
        else:
            self.stdout.write(f"共 {len(orphans)} 个无引用的文件（{total}）；加 --delete 删除。")
