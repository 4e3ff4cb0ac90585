"""The worker processes of ``make train``: forked pools whose workers die with the process that
made them, and ``fork_map``, the one way a training phase hands its pages to them.

A worker busy with a task when ``make train`` is killed (SIGKILL included) would otherwise run on
to the end of its task; the kernel's parent-death signal
(``workers.shell.signals.die_with_parent``) ends it with its parent.
"""
from __future__ import annotations

import multiprocessing as mp
import signal
from multiprocessing.pool import Pool
from typing import Any, Callable, Iterator, Sequence, TypeVar

from workers.shell.signals import die_with_parent

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def fork_pool(workers: int) -> Pool:
    """A pool of ``workers`` forked processes, each killed (SIGKILL) when its parent dies."""
    return mp.get_context("fork").Pool(workers, initializer=die_with_parent(signal.SIGKILL))


_SHARED: list[Any] = []  # (fn, items) of the running fork_map, read by its forked workers


def _shared_call(i: int) -> Any:
    fn, items = _SHARED
    return fn(items[i])


def fork_map(fn: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 1) -> Iterator[R]:
    """``fn(item)`` of each of ``items``, in order, computed in ``workers`` forked processes
    (``fork_pool``; the pool lives while the results are read). ``fn`` and the items reach the
    workers through the fork, never pickled (a closure or a partial will do); only the results
    come back pickled."""
    _SHARED[:] = [fn, items]
    try:
        with fork_pool(workers) as pool:
            yield from pool.imap(_shared_call, range(len(items)), chunksize=chunksize)
    finally:
        _SHARED.clear()
