"""Import many files and directories: what was read, what was not, and why."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.ingest import read_documents
from jixiao.ingest.errors import IngestError
from jixiao.model import FormFileError, SelfEvaluation
from jixiao.plans import Documents, Monitoring, TargetDeclaration

# Files taken from a directory (a file named on the command line is always tried).
IMPORTABLE = (
    ".txt", ".json", ".pdf", ".xlsx", ".xls", ".docx", ".doc", ".wps", ".html", ".htm",
    ".png", ".jpg", ".jpeg", ".tif", ".tiff",
)  # fmt: skip


@dataclass
class FileResult:
    """The outcome for one file: its forms (自评表), 申报表 and 监控表 and the tables it
    skipped with why, or the error (Chinese) that stopped it."""

    path: Path
    forms: list[SelfEvaluation] = field(default_factory=list)
    error: str | None = None
    declarations: list[TargetDeclaration] = field(default_factory=list)
    monitorings: list[Monitoring] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, path: Path, docs: Documents) -> FileResult:
        return cls(
            path,
            forms=docs.forms,
            declarations=docs.declarations,
            monitorings=docs.monitorings,
            skipped=docs.skipped,
        )

    @property
    def partial(self) -> list[SelfEvaluation]:
        return [f for f in self.forms if f.partial]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the importable files under directories named (sorted, recursive)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = (f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in IMPORTABLE)
            out.extend(sorted(found))
        else:
            out.append(p)
    return out


def import_file(path: Path, progress: Callable[[int, int], None] | None = None) -> FileResult:
    """One file's forms or its error; ``progress`` hears of each page of a scan."""
    if not path.exists():
        return FileResult(path, error=f"{path}: 文件不存在")
    try:
        return FileResult.of(path, read_documents(path, progress))
    except (IngestError, FormFileError) as e:
        return FileResult(path, error=str(e))
    except Exception as e:  # a defect in an importer must not stop a batch of thousands
        return FileResult(path, error=f"{path}: 导入时出现内部错误（{type(e).__name__}: {e}）")


def import_files(
    files: list[Path], on_file: Callable[[FileResult], None] | None = None
) -> list[FileResult]:
    """Every file in order; ``on_file`` is told after each one (for a progress bar)."""
    results = []
    for path in files:
        result = import_file(path)
        results.append(result)
        if on_file is not None:
            on_file(result)
    return results


def summary(results: list[FileResult]) -> list[str]:
    """Lines (Chinese) saying what was imported and what was not."""
    forms = [f for r in results for f in r.forms]
    partial = [(r, f) for r in results for f in r.partial]
    failed = [r for r in results if r.error]
    declarations = sum(len(r.declarations) for r in results)
    monitorings = sum(len(r.monitorings) for r in results)
    plans = "".join(
        f"，{what} {count} 张"
        for what, count in (("绩效目标申报表", declarations), ("执行监控表", monitorings))
        if count
    )
    lines = [
        f"共 {len(results)} 个文件：导入 {len(forms)} 张表"
        f"（其中 {len(partial)} 张不完整）{plans}，{len(failed)} 个文件未能导入。"
    ]
    for r in failed:
        lines.append(f"  未导入 {r.error}")
    for r in results:
        lines.extend(f"  跳过 {r.path} {note}" for note in r.skipped)
    for r in results:
        for doc in (*r.declarations, *r.monitorings):
            if doc.gaps:
                shown = "；".join(doc.gaps[:3]) + ("…" if len(doc.gaps) > 3 else "")
                lines.append(f"  不完整 {r.path} {doc.title}（{doc.label}）：{shown}")
    for r, f in partial:
        shown = "；".join(f.gaps[:3]) + ("…" if len(f.gaps) > 3 else "")
        name = f"（{f.project}）" if f.project else ""
        lines.append(f"  不完整 {r.path} 第{f.index}张表{name}：{shown}")
    return lines
