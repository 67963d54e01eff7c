"""Backup and restore through ``jixiao backup`` / ``jixiao restore`` (and the functions they
call): back up, wipe, restore, and every form, history row and file is back."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from typer.testing import CliRunner

from jixiao.cli import app
from jixiao.web import backup, records, workflow
from jixiao.web.models import EvaluationForm, Event, Organisation, Profile

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    storages._storages.clear()  # the default storage again, on the new MEDIA_ROOT
    yield
    storages._storages.clear()


def stored_files(media: Path) -> dict[str, bytes]:
    """Every stored file by its storage name, read from the disk under MEDIA_ROOT."""
    return {
        p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()
    }


def snapshot() -> dict[str, object]:
    from django.conf import settings

    return {
        "forms": {
            f.pk: (f.organisation.name, f.status, f.body.document, f.body.findings_json)
            for f in EvaluationForm.objects.select_related("organisation", "body")
        },
        "events": sorted(
            (e.form_id, e.kind, e.comment, e.changes_json, e.user.username if e.user else "")
            for e in Event.objects.select_related("user")
        ),
        "orgs": sorted(Organisation.objects.values_list("id", "name", "path")),
        "profiles": sorted(Profile.objects.values_list("user__username", "role", "organisation")),
        "rows": backup.row_counts(),
        "files": stored_files(Path(settings.MEDIA_ROOT)),
    }


def fill(seed, users) -> None:
    workflow.comment(users["dept"], seed[0], "请补充偏差原因")
    storage = storages["default"]
    storage.save("evidence/1/满意度调查.pdf", ContentFile(b"%PDF-1.4 test\n" * 100))
    storage.save("evidence/2/照片.jpg", ContentFile(b"\xff\xd8\xff" + bytes(range(256)) * 40))


def wipe() -> None:
    from django.conf import settings
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert EvaluationForm.objects.count() == 0 and not stored_files(Path(settings.MEDIA_ROOT))


@pytest.mark.parametrize("native", [True, False], ids=["native", "json"])
def test_backup_wipe_restore_gives_everything_back(seed, users, tmp_path, native):
    if native and connection.vendor != "postgresql":
        pytest.skip("pg_dump applies to PostgreSQL")
    fill(seed, users)
    before = snapshot()
    assert len(before["forms"]) == 9 and len(before["files"]) == 2

    target = tmp_path / "out" / "jixiao-backup.tar.gz"
    summary = backup.backup(target, portable=not native)
    assert summary.files == 2
    assert summary.rows["web.evaluationform"] == 9
    assert summary.database == ("pgdump" if native else "json")
    with tarfile.open(target) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "files/evidence/1/满意度调查.pdf"} <= names
    assert not list(target.parent.glob(".backup-*"))  # no temporary file left behind

    wipe()
    restored = backup.restore(target)
    assert restored.rows == summary.rows
    assert snapshot() == before
    # the restored system goes on: new rows get new ids
    obj = records.create(seed[0].organisation, seed[0].form, users["filler"])
    assert obj.pk not in before["forms"]


def test_restore_refuses_what_is_not_a_backup(tmp_path, users):
    plain = tmp_path / "x.tar.gz"
    with tarfile.open(plain, "w:gz") as tar:
        tar.add(__file__, "database.json")
    with pytest.raises(backup.BackupError, match="不是 jixiao 备份文件"):
        backup.restore(plain)
    text = tmp_path / "y.tar.gz"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(backup.BackupError, match="无法读取备份文件"):
        backup.restore(text)
    with pytest.raises(backup.BackupError, match="文件不存在"):
        backup.restore(tmp_path / "none.tar.gz")
    assert Profile.objects.count() == len(users)  # nothing was touched


def test_restore_refuses_unsafe_file_names(tmp_path, seed, users):
    target = tmp_path / "b.tar.gz"
    backup.backup(target)
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(target) as src, tarfile.open(evil, "w:gz") as out:
        for m in src.getmembers():
            out.addfile(m, src.extractfile(m))
        data = b"x"
        info = tarfile.TarInfo("files/../../escape.txt")
        info.size = len(data)
        import io

        out.addfile(info, io.BytesIO(data))
    with pytest.raises(backup.BackupError, match="文件名不安全"):
        backup.restore(evil)
    assert not (tmp_path / "escape.txt").exists()


def test_manifest_counts(seed, users, tmp_path):
    target = tmp_path / "b.tar.gz"
    backup.backup(target)
    with tarfile.open(target) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["rows"]["web.evaluationform"] == 9
    assert manifest["rows"]["auth.user"] == len(users)


def _unwrapped(text: str) -> str:
    """``text`` without its white space: the console wraps long lines (a long temporary
    path) at a space, or inside a word, so a line break may stand for a space or nothing."""
    return "".join(text.split())


def test_the_commands_back_up_and_restore(seed, users, tmp_path):
    """``jixiao backup`` and ``jixiao restore --yes``: what a cron job runs."""
    fill(seed, users)
    before = snapshot()
    target = tmp_path / "nightly.tar.gz"
    done = runner.invoke(app, ["backup", str(target), "--portable"])
    assert done.exit_code == 0, done.output
    said = _unwrapped(done.stdout)
    assert _unwrapped(f"已备份到 {target}") in said and "文件：2个" in said
    with tarfile.open(target) as tar:
        assert "database.json" in tar.getnames()  # --portable: JSON on PostgreSQL as well
    wipe()
    asked = runner.invoke(app, ["restore", str(target)], input="n\n")
    assert asked.exit_code == 2 and EvaluationForm.objects.count() == 0  # refused: nothing done
    done = runner.invoke(app, ["restore", str(target), "--yes"])
    assert done.exit_code == 0, done.output
    assert _unwrapped(f"已从 {target} 恢复") in _unwrapped(done.stdout)
    assert snapshot() == before
    missing = runner.invoke(app, ["restore", str(tmp_path / "none.tar.gz"), "--yes"])
    assert missing.exit_code == 2 and "文件不存在" in missing.stderr
