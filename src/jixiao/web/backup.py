"""Backup and restore of the whole system: the database and every stored file.

A backup is one ``.tar.gz``:

- ``manifest.json`` — when, from which database engine, how many rows of each table, how many
  files, and the format of the database part;
- ``database.json`` — every table as Django's serialised data (``dumpdata``; ids kept,
  references to Django's own tables by natural key): the same file restores onto SQLite or
  PostgreSQL, so it is also the way from one to the other. On PostgreSQL with ``pg_dump`` on
  the PATH, ``database.pgdump`` (custom format) is written instead, and restored with
  ``pg_restore`` onto PostgreSQL (``jixiao backup --portable`` writes ``database.json``
  there too);
- ``files/…`` — every file in the default storage (佐证材料, task results), by its storage name.

Restoring replaces everything: the database is emptied first and the stored files are put
back; files that the backup does not hold are left alone (``jixiao_evidence_gc`` finds them).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.core.management import call_command
from django.db import connection

FORMAT = 1
# Django's own bookkeeping, rebuilt by migrate; sessions are not worth keeping; the form
# pages' parts (web.formview) are drawn again from the forms (web/form_cache.py).
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "admin.logentry", "web.formview")


class BackupError(ValueError):
    """A backup that cannot be written or read (the message is for the user, in Chinese)."""


@dataclass
class Summary:
    """What a backup holds (or what a restore put back)."""

    created: str
    engine: str
    database: str  # "json" or "pgdump"
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def lines(self) -> list[str]:
        rows = sum(self.rows.values())
        return [
            f"备份时间：{self.created}",
            f"数据库：{self.engine}（{'pg_dump 格式' if self.database == 'pgdump' else 'JSON'}）",
            f"数据：{len(self.rows)} 张表，共 {rows} 行",
            f"文件：{self.files} 个",
        ]


def _models() -> list[Any]:
    skip = {e for e in EXCLUDED if "." in e}
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in EXCLUDED and m._meta.label_lower not in skip
    ]


def row_counts() -> dict[str, int]:
    """Rows per table (``app.model``) of every table a backup holds."""
    return {m._meta.label_lower: m._default_manager.count() for m in _models()}


def _storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for d in dirs:
        yield from _storage_files(storage, f"{folder}/{d}" if folder else d)


def _pg_tool(name: str) -> str | None:
    return shutil.which(name) if connection.vendor == "postgresql" else None


def _pg_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["--host", s["HOST"] or "127.0.0.1", "--username", s["USER"], "--dbname", s["NAME"]]
    if s["PORT"]:
        args += ["--port", str(s["PORT"])]
    return args, {**os.environ, "PGPASSWORD": s["PASSWORD"] or ""}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(target: Path, portable: bool = False) -> Summary:
    """Write the whole system to ``target`` (.tar.gz), atomically: a half-written backup never
    carries the final name. ``portable``: the database as Django's serialised data even on
    PostgreSQL with ``pg_dump`` (restorable onto SQLite too)."""
    storage = storages["default"]
    use_pg = not portable and _pg_tool("pg_dump") is not None
    summary = Summary(
        created=datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        engine=connection.vendor,
        database="pgdump" if use_pg else "json",
        rows=row_counts(),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".tar.gz", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tarfile.open(tmp, "w:gz") as tar, tempfile.TemporaryDirectory() as work:
            if use_pg:
                dump = Path(work) / "database.pgdump"
                args, env = _pg_env()
                connection.close()  # nothing of ours open while pg_dump reads
                done = subprocess.run(
                    [_pg_tool("pg_dump") or "pg_dump", "-Fc", "--no-owner", "-f", str(dump), *args],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    raise BackupError(f"pg_dump 失败：{done.stderr.strip()[:500]}")
                tar.add(dump, "database.pgdump")
            else:
                data = Path(work) / "database.json"
                call_command(
                    "dumpdata",
                    *[m._meta.label for m in _models()],
                    natural_foreign=True,
                    output=str(data),
                    verbosity=0,
                )
                tar.add(data, "database.json")
            for name in _storage_files(storage):
                with storage.open(name, "rb") as f:
                    info = tarfile.TarInfo(f"files/{name}")
                    info.size = storage.size(name)
                    tar.addfile(info, f)
                summary.files += 1
            manifest = {"format": FORMAT, **summary.__dict__}
            _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return summary


def read_manifest(tar: tarfile.TarFile, source: Path) -> Summary:
    try:
        member = tar.extractfile("manifest.json")
        data = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{source}: 不是 jixiao 备份文件（缺少或无法识别 manifest.json）")
    return Summary(
        created=str(data.get("created", "")),
        engine=str(data.get("engine", "")),
        database=str(data.get("database", "json")),
        rows={str(k): int(v) for k, v in dict(data.get("rows", {})).items()},
        files=int(data.get("files", 0)),
    )


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def restore(source: Path) -> Summary:
    """Replace the database's content and put the stored files back from ``source``."""
    try:
        tar = tarfile.open(source, "r:gz")  # noqa: SIM115  (closed by the with below)
    except FileNotFoundError:
        raise BackupError(f"{source}: 文件不存在") from None
    except (tarfile.TarError, OSError) as err:
        raise BackupError(f"{source}: 无法读取备份文件（{err}）") from None
    with tar, tempfile.TemporaryDirectory() as work:
        summary = read_manifest(tar, source)
        if summary.database == "pgdump":
            if _pg_tool("pg_restore") is None:
                raise BackupError(
                    f"{source}: 这是 PostgreSQL（pg_dump）备份，只能恢复到装有 pg_restore 的"
                    " PostgreSQL 数据库"
                )
            dump = Path(work) / "database.pgdump"
            _extract(tar, "database.pgdump", dump, source)
            args, env = _pg_env()
            connection.close()  # no lock of ours in the way of pg_restore's DROP TABLE
            pg_restore = _pg_tool("pg_restore") or "pg_restore"
            options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
            done = subprocess.run(
                [pg_restore, *options, *args, str(dump)],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_restore 失败：{done.stderr.strip()[:500]}")
        else:
            data = Path(work) / "database.json"
            _extract(tar, "database.json", data, source)
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(data), verbosity=0)
            _reset_sequences()
        storage = storages["default"]
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith("files/"):
                continue
            name = member.name.removeprefix("files/")
            if not _safe_name(name):
                raise BackupError(f"{source}: 备份中的文件名不安全：{name}")
            f = tar.extractfile(member)
            if f is None:
                continue
            if storage.exists(name):
                storage.delete(name)
            storage.save(name, File(f, name=name))
    return summary


def _extract(tar: tarfile.TarFile, name: str, target: Path, source: Path) -> None:
    member = tar.extractfile(name) if name in tar.getnames() else None
    if member is None:
        raise BackupError(f"{source}: 备份中缺少 {name}")
    with target.open("wb") as out:
        shutil.copyfileobj(member, out)


def _reset_sequences() -> None:
    """After loading rows with their ids, PostgreSQL's id sequences must move past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    sql = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
