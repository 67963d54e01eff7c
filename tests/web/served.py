"""`jixiao web` (what `make run` starts) run for a test: on a free port of 127.0.0.1 and its
own SQLite file, answered before the test goes on, its process group stopped after."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JIXIAO = Path(sys.executable).parent / "jixiao"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@dataclass
class Server:
    port: int
    proc: subprocess.Popen[bytes]
    output: str = ""  # what it printed, once stopped (with ``output=True``)


@contextmanager
def jixiao_web(data_dir: Path, *args: str, output: bool = False) -> Iterator[Server]:
    """``jixiao web ARGS --port P`` with ``JIXIAO_DATA_DIR=data_dir`` (and no DATABASE_URL:
    its own SQLite file, as it runs by default), once /login/ answers."""
    port = free_port()
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    out = subprocess.PIPE if output else subprocess.DEVNULL
    proc = subprocess.Popen(
        [str(JIXIAO), "web", *args, "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT if output else subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(port, proc)
    try:
        wait_for(f"http://127.0.0.1:{port}/login/")
        yield server
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        printed = proc.communicate(timeout=30)[0]
        server.output = printed.decode() if printed else ""
