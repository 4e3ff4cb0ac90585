"""No orphans: children die with their parent, and a parent stops its children on
SIGTERM, SIGINT and SIGHUP.

- ``die_with_parent(sig)`` is a ``preexec_fn`` for ``subprocess.Popen``: the child
  asks the kernel (Linux ``prctl(PR_SET_PDEATHSIG)``) to get ``sig`` when the thread
  that started it exits, whatever the reason (SIGKILL included).
- ``stop_on_signals()`` turns SIGTERM and SIGHUP into a ``Stopped`` exception in the
  main thread (SIGINT already raises ``KeyboardInterrupt``, a parent of ``Stopped``'s
  handling below), so a command's ``finally`` blocks stop what it started.
- ``exit_code(exc)``: 128 + the signal number, the shell convention.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
from contextlib import contextmanager
from typing import Callable, Iterator

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
HANDLED = (signal.SIGTERM, signal.SIGHUP)  # SIGINT: Python's KeyboardInterrupt


class Stopped(Exception):
    """The process got SIGTERM or SIGHUP."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code(exc: BaseException) -> int:
    if isinstance(exc, Stopped):
        return 128 + exc.signum
    return 128 + signal.SIGINT  # KeyboardInterrupt


def die_with_parent(sig: int = signal.SIGKILL) -> Callable[[], None]:
    """A ``preexec_fn``: the child gets ``sig`` when its parent dies. Linux only; a
    no-op elsewhere (the parent's signal handling still stops the child)."""
    parent = os.getpid()
    libc_name = ctypes.util.find_library("c")
    prctl = ctypes.CDLL(libc_name, use_errno=True).prctl if libc_name else None  # loaded before the fork

    def preexec() -> None:
        if prctl is None:
            return
        prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), sig)

    return preexec


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``Stopped`` in the main thread."""
    def handler(signum, _frame):
        raise Stopped(signum)

    previous = {s: signal.signal(s, handler) for s in HANDLED}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
