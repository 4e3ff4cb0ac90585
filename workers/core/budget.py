"""Per-record time budget for a stage call.

A stage function is synchronous and runs on the main thread (the Faust event loop
or the offline loop). ``time_budget`` arms a one-shot interval timer; if the call
is still running when it fires, ``StageTimeout`` is raised inside it, so the runner
dead-letters the record and moves on. Off the main thread (where signals cannot be
delivered) the budget is measured after the fact instead.

The timer keeps firing every ``REFIRE_S`` until the call returns: a stage that
swallows the first ``StageTimeout`` (a broad ``except Exception``) gets it again
instead of running on unbounded. Code inside one long C call (a parser, a regex
engine that never checks for signals) is interrupted when that call returns.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from workers.core.errors import StageTimeout


REFIRE_S = 0.05


class _Armed:
    active: tuple[str, float] | None = None


def _on_alarm(signum, frame):  # pragma: no cover - exercised through time_budget
    armed = _Armed.active
    if armed is not None:
        raise StageTimeout(*armed)


@contextmanager
def time_budget(stage: str, seconds: float) -> Iterator[None]:
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        start = time.perf_counter()
        yield
        if time.perf_counter() - start > seconds:
            raise StageTimeout(stage, seconds)
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    _Armed.active = (stage, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE_S)
    try:
        yield
    finally:
        _Armed.active = None  # first: a late alarm is now a no-op
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
