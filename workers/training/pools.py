"""The worker processes of ``make train``: forked pools whose workers die with the process that
made them. A worker busy with a task when ``make train`` is killed (SIGKILL included) would
otherwise run on to the end of its task; the kernel's parent-death signal
(``workers.shell.signals.die_with_parent``) ends it with its parent.
"""
from __future__ import annotations

import multiprocessing as mp
import signal
from multiprocessing.pool import Pool

from workers.shell.signals import die_with_parent


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def fork_pool(workers: int) -> Pool:
    """A pool of ``workers`` forked processes, each killed (SIGKILL) when its parent dies."""
    return mp.get_context("fork").Pool(workers, initializer=die_with_parent(signal.SIGKILL))
