"""A function run in a child process under memory and time limits: its result, or a Chinese
message saying which limit stopped it; the caller's process is never at risk."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from jixiao.ingest.batch import import_file
from jixiao.isolation import ChildFailed, LimitExceeded, Limits, run_limited

DATA = Path(__file__).parent / "data"


def allocate(mb: int) -> int:
    return len(bytearray(mb * 1024 * 1024))


def spin() -> None:
    while True:
        pass


def die() -> None:
    os._exit(3)


def fail() -> None:
    raise ValueError("坏了")


def test_the_result_comes_back() -> None:
    result = run_limited(import_file, DATA / "000_7288eb4107761ee7.txt")
    assert result.error is None
    assert len(result.forms) == 9
    assert run_limited(allocate, 50, limits=Limits(memory_mb=1024)) == 50 * 1024 * 1024


def test_too_much_memory_is_refused() -> None:
    with pytest.raises(LimitExceeded, match="读取时所需内存超过 600 MB，已停止"):
        run_limited(allocate, 2000, limits=Limits(memory_mb=600))


def test_too_much_time_is_stopped() -> None:
    start = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"读取超过 1\.5 秒仍未完成，已停止"):
        run_limited(spin, limits=Limits(seconds=1.5))
    assert time.monotonic() - start < 10


def test_a_child_that_dies_or_raises_is_reported() -> None:
    with pytest.raises(LimitExceeded, match="进程意外退出（退出码 3）"):
        run_limited(die)
    with pytest.raises(ChildFailed, match="ValueError: 坏了"):
        run_limited(fail)


def _count_pages(n: int, progress) -> int:
    for page in range(1, n + 1):
        progress(page, n)
    return n * 10


def test_the_child_reports_progress_as_it_goes() -> None:
    heard: list[tuple[int, int]] = []
    result = run_limited(
        _count_pages, 3, on_progress=lambda done, total: heard.append((done, total))
    )
    assert result == 30
    assert heard == [(1, 3), (2, 3), (3, 3)]
