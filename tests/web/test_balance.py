"""Kept-alive connections are spread evenly over gunicorn's workers (web/balanced.py): a
worker holding more than its share answers each of its clients more slowly."""

from __future__ import annotations

import http.client
import os
import signal
import threading
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


def test_a_stale_sibling_is_left_out():
    from jixiao.web import balanced

    saved = balanced._held[:], balanced._beat[:]
    now = time.monotonic()
    try:
        balanced._beat[:] = [0.0] * balanced.SLOTS  # no worker
        assert balanced.fewest_elsewhere(0, now) is None
        balanced._held[0], balanced._beat[0] = 7, now  # this worker
        balanced._held[1], balanced._beat[1] = 9, now - 1
        balanced._held[2], balanced._beat[2] = 2, now - balanced.STALE - 1  # dead or stuck
        assert balanced.fewest_elsewhere(0, now) == 9
        balanced._beat[2] = now - balanced.STALE + 1
        assert balanced.fewest_elsewhere(0, now) == 2
    finally:
        balanced._held[:], balanced._beat[:] = saved


@pytest.mark.skipif(not JIXIAO.exists(), reason="needs the installed jixiao command")
def test_a_stuck_worker_does_not_stop_the_others_listening(tmp_path):
    # The worker holding no connection is stopped (SIGSTOP): the other, holding one (kept
    # busy, so that gunicorn's keep-alive timeout does not close it), takes the next
    # connection once the stopped one has not gone round its loop for STALE seconds.
    from jixiao.web.balanced import STALE

    with jixiao_web(tmp_path, "--no-demo", "--workers", "2", "--threads", "2") as web:
        for _ in range(100):
            workers = gunicorn_workers(web.proc.pid)
            if len(workers) == 2:
                break
            time.sleep(0.1)
        time.sleep(1)
        first = http.client.HTTPConnection("127.0.0.1", web.port, timeout=10)
        first.request("GET", "/login/")
        first.getresponse().read()
        held = connections_held(workers, web.port)
        idle = min(held, key=lambda pid: held[pid])
        assert held[idle] == 0
        os.kill(idle, signal.SIGSTOP)
        done = threading.Event()

        def keep_busy() -> None:
            while not done.wait(1):
                first.request("GET", "/login/")
                first.getresponse().read()

        keeper = threading.Thread(target=keep_busy)
        keeper.start()
        try:
            start = time.monotonic()
            second = http.client.HTTPConnection("127.0.0.1", web.port, timeout=3 * STALE)
            second.request("GET", "/login/")
            assert second.getresponse().status == 200
            assert time.monotonic() - start < STALE + 2
            second.close()
        finally:
            done.set()
            keeper.join()
            os.kill(idle, signal.SIGCONT)
            first.close()
