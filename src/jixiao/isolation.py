"""Run one function in a child process with a memory and a time limit.

For reading files nobody has checked yet: a file that would make a reader take gigabytes
or spin for minutes costs only the child, which the limits stop, and the caller gets a
:class:`LimitExceeded` that says, in Chinese, which limit stopped it. The child's address
space is capped with ``RLIMIT_AS`` (an allocation beyond it fails), its CPU time with
``RLIMIT_CPU``, and the parent waits no longer than the time limit (wall clock) before it
kills the child.

Children come from a fork server on Linux (a clean process started once, which forks
each child: cheap, and nothing of the caller's threads or database connections is
inherited); elsewhere they are spawned.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """What one child may use: address space in MB, seconds (CPU and wall clock)."""

    memory_mb: int = 1024
    seconds: float = 60.0


class LimitExceeded(RuntimeError):
    """The child ran out of memory or time, or died; ``str()`` is a Chinese sentence."""


class ChildFailed(RuntimeError):
    """The function raised in the child: its type and message."""


def _context() -> Any:
    if sys.platform == "linux":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["jixiao.ingest"])
        return context
    return multiprocessing.get_context("spawn")


def _apply_limits(limits: Limits) -> None:
    import resource

    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = math.ceil(limits.seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _child(
    conn: Connection,
    limits: Limits,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    reports: bool = False,
) -> None:
    try:
        _apply_limits(limits)
        if reports:
            result = fn(*args, progress=lambda *payload: conn.send(("progress", payload)))
        else:
            result = fn(*args)
        conn.send(("ok", result))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as err:
        conn.send(("error", f"{type(err).__name__}: {err}"))
    finally:
        conn.close()


def memory_message(limits: Limits) -> str:
    return f"读取时所需内存超过 {limits.memory_mb} MB，已停止（文件可能异常或过大）"


def time_message(limits: Limits) -> str:
    return f"读取超过 {limits.seconds:g} 秒仍未完成，已停止（文件可能异常或过大）"


def run_limited(
    fn: Callable[..., T],
    *args: Any,
    limits: Limits | None = None,
    on_progress: Callable[..., None] | None = None,
) -> T:
    """``fn(*args)`` in a child process under ``limits``; its result, which must pickle.

    With ``on_progress``, ``fn`` is called with a ``progress`` keyword: what the child passes
    to it is handed to ``on_progress`` in the parent as it comes (e.g. pages read).

    Raises :class:`LimitExceeded` when the child ran out of memory or time or died, and
    :class:`ChildFailed` when ``fn`` raised.
    """
    limits = limits or Limits()
    context = _context()
    parent_end, child_end = context.Pipe(duplex=False)
    reports = on_progress is not None
    proc = context.Process(target=_child, args=(child_end, limits, fn, args, reports), daemon=True)
    proc.start()
    child_end.close()
    deadline = time.monotonic() + limits.seconds
    try:
        while True:
            if not parent_end.poll(max(0.0, deadline - time.monotonic())):
                raise LimitExceeded(time_message(limits))
            try:
                kind, value = parent_end.recv()
            except (EOFError, MemoryError):
                kind, value = "died", None
            if kind == "progress" and on_progress is not None:
                on_progress(*value)
                continue
            break
        if kind == "died":
            proc.join(5)
            if proc.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                raise LimitExceeded(time_message(limits)) from None
            raise LimitExceeded(
                f"读取文件的进程意外退出（退出码 {proc.exitcode}），可能是内存不足或文件异常"
            ) from None
    finally:
        parent_end.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if kind == "memory":
        raise LimitExceeded(memory_message(limits))
    if kind == "error":
        raise ChildFailed(value)
    return value  # type: ignore[no-any-return]
