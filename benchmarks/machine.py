"""What the benchmarks share: one line describing the machine, for every report, the
options of a benchmark over generated forms, and counting instructions under callgrind."""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
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


# Counting instructions: the load of the machine does not move them, so two versions of the
# code compare to a percent on a busy machine. The benchmark runs itself again under
# valgrind's callgrind with collection off (``rerun_under_callgrind``); in that run,
# ``callgrind_output()`` is the output file's path and the benchmark switches collection on
# only around what it measures (``callgrind("--instr=on")`` … ``callgrind("--dump=…")``).
CALLGRIND_OUT = "JIXIAO_CALLGRIND_OUT"


def callgrind_output() -> str | None:
    """The callgrind output file's path when this is the run under callgrind, else None."""
    return os.environ.get(CALLGRIND_OUT)


def rerun_under_callgrind(env: dict[str, str] | None = None) -> None:
    """Run this script again, same arguments, under callgrind (collection off at the start),
    with ``env`` added to its environment (what the caller prepared outside callgrind);
    exit with its return code."""
    with tempfile.TemporaryDirectory() as folder:
        out = str(os.path.join(folder, "callgrind.out"))
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
        command += [f"--callgrind-out-file={out}", sys.executable, *sys.argv]
        env = {**os.environ, **(env or {}), CALLGRIND_OUT: out}
        sys.exit(subprocess.run(command, env=env, stderr=subprocess.DEVNULL).returncode)


def callgrind(*command: str) -> None:
    """``callgrind_control`` on this process; it acts when this process runs, so wait busy."""
    control = subprocess.Popen(
        ["callgrind_control", *command, str(os.getpid())], stdout=subprocess.DEVNULL
    )
    while control.poll() is None:
        pass


def callgrind_total(path: str) -> int:
    """The instructions counted in one callgrind dump."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("totals:"):
                return int(line.split()[1])
    raise SystemExit(f"no totals in {path}")
