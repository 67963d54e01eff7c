"""Kept-alive connections are spread evenly over gunicorn's workers (web/balanced.py): a
worker holding more than its share answers each of its clients more slowly."""

from __future__ import annotations

import http.client
import os
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.web.served import JIXIAO, jixiao_web


def children(pid: int) -> list[int]:
    return [
        int(child)
        for task in Path(f"/proc/{pid}/task").glob("*/children")
        for child in task.read_text().split()
    ]


def gunicorn_workers(web_pid: int) -> list[int]:
    """The worker processes of the gunicorn that `jixiao web` (``web_pid``) started."""
    for child in children(web_pid):
        if b"gunicorn" in Path(f"/proc/{child}/cmdline").read_bytes():
            return children(child)
    raise AssertionError("no gunicorn under jixiao web")


def connections_held(workers: list[int], port: int) -> Counter[int]:
    """How many established connections to ``port`` each worker holds (its sockets in
    /proc/PID/fd matched with /proc/net/tcp)."""
    owner: dict[int, int] = {}
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd)
            if target.startswith("socket:["):
                owner[int(target[8:-1])] = pid
    held: Counter[int] = Counter({pid: 0 for pid in workers})
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        field = line.split()
        local, state, inode = field[1], field[3], int(field[9])
        if int(local.rsplit(":", 1)[1], 16) == port and state == "01" and inode in owner:
            held[owner[inode]] += 1
    return held


@pytest.mark.skipif(not JIXIAO.exists(), reason="needs the installed jixiao command")
def test_kept_alive_connections_are_spread_evenly_over_the_workers(tmp_path):
    # Before, one shared socket sent most of them to one worker, and a socket per worker
    # (SO_REUSEPORT) by a hash of the client's port: e.g. 16, 12, 12 and 10 of 50.
    with jixiao_web(tmp_path, "--no-demo", "--workers", "4", "--threads", "2") as web:
        workers = gunicorn_workers(web.proc.pid)
        for _ in range(100):  # gunicorn forks them a moment apart
            if len(workers) == 4:
                break
            time.sleep(0.1)
            workers = gunicorn_workers(web.proc.pid)
        assert len(workers) == 4
        time.sleep(1)  # each in its loop
        kept = []
        try:
            for _ in range(40):  # one after the other, as clients logging in come
                conn = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
                conn.request("GET", "/login/")
                response = conn.getresponse()
                assert response.status == 200
                response.read()
                assert not response.will_close  # kept alive
                kept.append(conn)
            held = connections_held(workers, web.port)
        finally:
            for conn in kept:
                conn.close()
    assert sum(held.values()) == 40
    assert max(held.values()) - min(held.values()) <= 1, held
