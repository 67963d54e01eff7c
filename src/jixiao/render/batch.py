"""Render many forms: into one file, or into a folder with one file per form."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from jixiao.audit import FormAudit
from jixiao.model import SelfEvaluation
from jixiao.render.form_docx import render_form_docx
from jixiao.render.html import render_html
from jixiao.render.parallel import render_pdf_parallel
from jixiao.render.review import Review
from jixiao.render.xlsx import render_xlsx

Progress = Callable[[SelfEvaluation], None]
FORMATS: tuple[str, ...] = ("pdf", "xlsx", "docx", "html")


def render_bytes(
    forms: Sequence[SelfEvaluation],
    to: str,
    reviews: Sequence[Review | None] | None = None,
    progress: Progress | None = None,
    processes: int | None = None,
    *,
    audits: Sequence[FormAudit | None] | None = None,
    states: Sequence[str | None] | None = None,
) -> bytes:
    """All ``forms`` as one document in format ``to`` (pdf, xlsx, docx or html).

    Excel and Word carry what the forms declare, and in its 汇总 sheet the computed values and
    findings of ``audits`` and the ``states`` where given; reviewer notes are for pdf and
    html. A PDF of many forms is laid out on ``processes`` processes (default: every core).
    """
    if to == "pdf":
        return render_pdf_parallel(forms, reviews, progress, processes)
    if to == "html":
        data = render_html(forms, reviews).encode("utf-8")
    elif to == "xlsx":
        data = render_xlsx(forms, audits, states)
    elif to == "docx":
        data = render_form_docx(forms)
    else:
        raise ValueError(f"unknown format: {to}")
    if progress is not None:
        for form in forms:
            progress(form)
    return data


def file_name(form: SelfEvaluation, number: int, to: str) -> str:
    """``003-信息化项目建设.pdf``: position, then the project name made file-safe."""
    project = re.sub(r'[\\/:*?"<>|\s]+', "_", form.project).strip("._") or "未命名"
    return f"{number:03d}-{project[:60]}.{to}"


def render_folder(
    forms: Sequence[SelfEvaluation],
    to: str,
    folder: Path,
    reviews: Sequence[Review | None] | None = None,
    progress: Progress | None = None,
    audits: Sequence[FormAudit | None] | None = None,
) -> list[Path]:
    """One file per form in ``folder`` (created if missing); returns the paths written."""
    if reviews is None:
        reviews = [None] * len(forms)
    if audits is None:
        audits = [None] * len(forms)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (form, review, audit) in enumerate(
        zip(forms, reviews, audits, strict=True), start=1
    ):
        path = folder / file_name(form, number, to)
        path.write_bytes(render_bytes([form], to, [review], audits=[audit]))
        written.append(path)
        if progress is not None:
            progress(form)
    return written


def default_output(first_input: Path, to: str) -> Path:
    """Without ``-o``: the first input's name with the format's suffix, in the working dir."""
    return Path(f"{first_input.stem}.{to}")


def write_output(
    forms: Sequence[SelfEvaluation],
    to: str,
    output: Path,
    reviews: Sequence[Review | None] | None = None,
    progress: Progress | None = None,
    audits: Sequence[FormAudit | None] | None = None,
) -> list[Path]:
    """Write ``forms`` to ``output``: one file when it ends in ``.<to>``, else a folder."""
    if to not in FORMATS:
        raise ValueError(f"unknown format: {to}")
    if output.suffix.lower() == f".{to}":
        data = render_bytes(forms, to, reviews, progress, audits=audits)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
        return [output]
    return render_folder(forms, to, output, reviews, progress, audits)
