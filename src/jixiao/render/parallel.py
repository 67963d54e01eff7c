"""A batch PDF rendered on every core: the forms in slices, one process per slice.

Laying out forms is what costs (WeasyPrint, one process per core at most), so each
process lays out its slice of the batch, tells the parent how many pages that made, and
is told back where its pages start in the batch and how many the batch has. It then
numbers its pages exactly as :func:`jixiao.render.pdf.render_pdf` does ("57 / 230"
before each form's own "第 i 页 共 n 页"), writes its PDF, and the parent joins the
slices in order with pypdf. The pages and their text are those of the one-process PDF.

Processes are started with ``spawn`` (no state inherited from the caller: safe in a
threaded server or a task worker, and the same on every OS). A process that dies takes
the whole render with it: :class:`RenderFailed`, never a PDF with pages missing.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from collections.abc import Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from jixiao.model import SelfEvaluation
from jixiao.render.pdf import Progress, layout, number_batch_pages, render_pdf
from jixiao.render.review import Review

# Below this many forms per process the start-up of a process (about a second to import
# WeasyPrint) costs more than it saves.
MIN_FORMS_PER_PROCESS = 8


class RenderFailed(RuntimeError):
    """A process of the pool failed or died; the message says which slice and why."""


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def slices(count: int, parts: int) -> list[range]:
    """``range(count)`` cut into ``parts`` consecutive slices of nearly equal length."""
    size, extra = divmod(count, parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(range(start, end))
        start = end
    return out


def _render_slice(
    conn: Connection, forms: list[SelfEvaluation], reviews: list[Review | None]
) -> None:
    """In a pool process: lay out, report the page count, wait for the place in the
    batch, number the pages, send the PDF."""
    try:
        documents = []
        for form, review in zip(forms, reviews, strict=True):
            documents.append(layout(form, review))
            conn.send(("form", None))
        pages = [page for document in documents for page in document.pages]
        conn.send(("pages", len(pages)))
        first, total = conn.recv()
        documents.append(number_batch_pages(pages, first, total))  # kept until written
        conn.send(("pdf", bytes(documents[0].copy(pages).write_pdf())))
    except BaseException as err:  # reported to the parent, which stops the render
        conn.send(("error", f"{type(err).__name__}: {err}"))
    finally:
        conn.close()


def render_pdf_parallel(
    forms: Sequence[SelfEvaluation],
    reviews: Sequence[Review | None] | None = None,
    progress: Progress | None = None,
    processes: int | None = None,
) -> bytes:
    """All ``forms`` in one A4 PDF as :func:`render_pdf` makes it, on ``processes``
    processes (default: every available core); ``progress`` after each form laid out.

    A batch too small to gain from more processes is rendered in this process.
    """
    if not forms:
        raise ValueError("no forms to render")
    reviews = list(reviews) if reviews is not None else [None] * len(forms)
    if len(reviews) != len(forms):
        raise ValueError("reviews must match forms one to one")
    wanted = processes if processes is not None else available_cores()
    parts = min(wanted, len(forms) // MIN_FORMS_PER_PROCESS)
    if parts <= 1:
        return render_pdf(forms, reviews, progress)

    context = multiprocessing.get_context("spawn")
    pieces = slices(len(forms), parts)
    workers: list[Any] = []
    conns: dict[Connection, int] = {}
    try:
        for number, piece in enumerate(pieces):
            parent_end, child_end = context.Pipe()
            proc = context.Process(
                target=_render_slice,
                args=(child_end, [forms[i] for i in piece], [reviews[i] for i in piece]),
                daemon=True,
            )
            proc.start()
            child_end.close()
            workers.append(proc)
            conns[parent_end] = number
        return _collect(forms, pieces, conns, progress)
    finally:
        for proc in workers:
            if proc.is_alive():
                proc.terminate()
            proc.join()
        for conn in conns:
            conn.close()


def _collect(
    forms: Sequence[SelfEvaluation],
    pieces: list[range],
    conns: dict[Connection, int],
    progress: Progress | None,
) -> bytes:
    """Drive the pool: progress, page counts, places in the batch, the slices' PDFs."""
    laid = [0] * len(pieces)
    page_counts: dict[int, int] = {}
    pdfs: dict[int, bytes] = {}
    open_conns = list(conns)
    while open_conns:
        for conn in wait(open_conns):
            assert isinstance(conn, Connection)
            number = conns[conn]
            try:
                kind, value = conn.recv()
            except EOFError:
                raise RenderFailed(
                    f"渲染进程意外退出（第 {pieces[number].start + 1}–{pieces[number].stop} 张表）"
                ) from None
            if kind == "form":
                if progress is not None:
                    progress(forms[pieces[number].start + laid[number]])
                laid[number] += 1
            elif kind == "pages":
                page_counts[number] = value
                if len(page_counts) == len(pieces):  # every slice laid out: give places
                    total = sum(page_counts.values())
                    for other, i in conns.items():
                        other.send((1 + sum(page_counts[k] for k in range(i)), total))
            elif kind == "pdf":
                pdfs[number] = value
                open_conns.remove(conn)
            else:
                raise RenderFailed(
                    f"渲染第 {pieces[number].start + 1}–{pieces[number].stop} 张表时出错：{value}"
                )
    return join_pdfs([pdfs[i] for i in range(len(pieces))])


def join_pdfs(pdfs: Sequence[bytes]) -> bytes:
    """The pages of ``pdfs`` in order as one PDF."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
