"""What the benchmarks share: one line describing the machine, for every report, and the
options of a benchmark over generated forms."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable


def generated_forms_parser(
    doc: str | None, count: int = 10_000, *, policy: bool = False
) -> argparse.ArgumentParser:
    """``--count`` and ``--seed`` of ``generate_forms(count, seed)``, and ``--policy`` (the
    scoring policy's name) when asked; the caller may add its own options."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--count", type=int, default=count)
    parser.add_argument("--seed", type=int, default=0)
    if policy:
        parser.add_argument("--policy", default="shanghai")
    return parser


def one_core() -> str:
    """Pin this process to one CPU (a one-core figure); says which, or that it could not."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


def load() -> str:
    """The one-minute load average, for the report (figures under load are slower)."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` calls of ``fn``, in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def describe() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
