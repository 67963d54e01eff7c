"""gunicorn's threaded worker (``gthread``) that takes a new connection only while it holds no
more connections than the least loaded of its live siblings (``jixiao web``'s worker class:
serve.gunicorn_args).

Kept-alive connections (a browser's, nginx's upstream keepalive) stay with the worker that
accepted them, and a worker runs Python on one core at a time (the GIL): a worker holding twice
the connections of another answers each of them about twice as slowly. Neither of gunicorn's
ways to share one port spreads them evenly: with one shared listening socket every worker is
woken for a new connection and mostly the same one wins (40 connections made one after the
other fell 19 / 15 / 5 / 1 on 4 workers); with a socket each (SO_REUSEPORT) the kernel picks
one by a hash of the client's address and port, at random (15 / 12 / 9 / 4). Here the workers
share one socket and publish, in memory shared from gunicorn's master, how many connections
each holds and when it last went round its loop; a worker holding more than the fewest of a
live sibling stops listening, so the next connection goes to a worker with the fewest
(10 / 10 / 10 / 10: tests/web/test_balance.py). A sibling that has not gone round its loop
for ``STALE`` seconds (dead, or stuck) is left out, so a stuck worker never stops the others
from listening, nor does one that is stopping (it takes no new connections); a worker that
stopped listening looks again every ``RECHECK`` seconds.

Only gunicorn's ``gthread`` worker is used (its ``nr_conns``, ``worker_connections`` and
``wait_for_and_dispatch_events``, as gunicorn 27 has them); with one worker it is ``gthread``."""

from __future__ import annotations

import ctypes
import multiprocessing
import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

SLOTS = 64  # more workers than ever run at once (a reload runs old and new side by side)
STALE = 5.0  # seconds without a round of its loop: the worker is dead or stuck
RECHECK = 0.05  # seconds: how often a worker that stopped listening looks again
GIVEN = 60.0  # seconds a slot given to a new worker is not given again while it starts

# Made when gunicorn's master imports this class, before it forks a worker: every worker sees
# the same memory. Per slot: the connections its worker holds, and when (time.monotonic(),
# the same clock in every process) the worker last went round its loop.
_held = multiprocessing.RawArray(ctypes.c_int, SLOTS)
_beat = multiprocessing.RawArray(ctypes.c_double, SLOTS)
_given: dict[int, float] = {}  # in the master: slot → when it was given to a new worker


def _free_slot() -> int | None:
    """In the master, as it makes a worker: a slot no live worker uses (none: no balancing)."""
    now = time.monotonic()
    for slot in range(SLOTS):
        if now - _beat[slot] > STALE and now - _given.get(slot, -GIVEN) > GIVEN:
            _given[slot] = now
            return slot
    return None


def fewest_elsewhere(slot: int, now: float) -> int | None:
    """The fewest connections a live sibling of the worker in ``slot`` holds (None: none)."""
    beats = _beat[:]
    held = _held[:]
    live = [held[i] for i in range(SLOTS) if i != slot and now - beats[i] <= STALE]
    return min(live, default=None)


class BalancedWorker(ThreadWorker):
    """``gthread``, listening only while it holds no more connections than any live sibling."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.slot = _free_slot()
        self._nr = 0
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def nr_conns(self) -> int:
        return self._nr

    @nr_conns.setter
    def nr_conns(self, n: int) -> None:
        self._nr = n
        if self.slot is not None:
            _held[self.slot] = n

    @property  # type: ignore[override]
    def worker_connections(self) -> int:
        """gthread's limit, read as it decides whether to listen: its own while this worker
        holds the fewest connections, else what it holds now (it listens while below)."""
        if self.slot is None or not self.alive:
            return self._limit
        now = time.monotonic()
        _beat[self.slot] = now
        fewest = fewest_elsewhere(self.slot, now)
        return self._limit if fewest is None or self._nr <= fewest else self._nr

    @worker_connections.setter
    def worker_connections(self, n: int) -> None:
        self._limit = n

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled)
        if not self.alive and self.slot is not None:
            _beat[self.slot] = 0.0  # stopping: left out by its siblings at once

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        # not listening: wake up soon to look again (a sibling may have taken connections)
        super().wait_for_and_dispatch_events(timeout if self._accepting else RECHECK)

    def run(self) -> None:
        try:
            super().run()
        finally:
            if self.slot is not None:
                _beat[self.slot] = 0.0  # the slot is free at once
