"""No orphans in ``make train``: its pool workers and its cache writer die with it when it is
SIGKILLed mid-task (the kernel's parent-death signal, ``workers.training.pools``)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]

# a pool whose two workers are each in a 60-second task when the parent is killed (each task
# prints its worker's pid as it starts; the barrier holds both until both have started)
POOL_SCRIPT = """
import os, sys, time
import multiprocessing as mp
from workers.training.pools import fork_pool
started = mp.get_context("fork").Barrier(2)
def nap(_):
    started.wait()
    os.write(1, f"{os.getpid()}\\n".encode())  # one write: the two lines never interleave
    time.sleep(60)
pool = fork_pool(2)
pool.map(nap, range(2), chunksize=1)
"""

# the cache writer, pickling a page that takes 60 seconds to pickle, when the parent is killed
WRITER_SCRIPT = """
import sys, time
from pathlib import Path
from workers.training import dataset as DS
class SlowPage:
    def __reduce__(self):
        time.sleep(60)
        return (SlowPage, ())
DS._store(Path(sys.argv[1]) / "training-data" / "k.pkl", [SlowPage()])
print(DS._WRITERS[0], flush=True)
time.sleep(60)
"""


def _alive(pids: list[int], timeout: float) -> list[int]:
    """The processes of ``pids`` still alive (not zombies) after at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def _run_and_kill(script: str, *args: str) -> list[int]:
    """Start ``script``, read the child pids it prints, SIGKILL it; the pids it printed."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=REPO, stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        pids = [int(x) for x in proc.stdout.readline().split()]
        if script is POOL_SCRIPT:
            pids += [int(x) for x in proc.stdout.readline().split()]
        assert pids, "the script printed no child pid"
        assert _alive(pids, 0) == pids  # busy, not yet done
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        return pids
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_pool_workers_die_with_a_killed_parent():
    pids = _run_and_kill(POOL_SCRIPT)
    assert len(pids) == 2
    left = _alive(pids, 10)
    for pid in left:  # clean up before failing
        os.kill(pid, signal.SIGKILL)
    assert not left, f"pool workers outlived their SIGKILLed parent: {left}"


def test_cache_writer_dies_with_a_killed_parent(tmp_path):
    pids = _run_and_kill(WRITER_SCRIPT, str(tmp_path))
    left = _alive(pids, 10)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"the cache writer outlived its SIGKILLed parent: {left}"
    assert not list((tmp_path / "training-data").glob("*.pkl"))  # nothing half-written is left as a cache


class _Unpicklable:
    """An item that cannot be pickled: it can reach a worker only through the fork."""

    def __init__(self, n: int):
        self.n = n

    def __reduce__(self):
        raise TypeError("pickled")


def test_fork_map_gives_every_result_in_order_without_pickling_the_function_or_the_items():
    from workers.training.pools import _SHARED, fork_map
    items = [_Unpicklable(n) for n in range(40)]
    offset = 3
    got = list(fork_map(lambda it: (it.n + offset, os.getpid()), items, 2, chunksize=3))  # a lambda: not picklable
    assert [v for v, _ in got] == [n + offset for n in range(40)]
    assert os.getpid() not in {pid for _, pid in got}  # computed in the workers
    assert _SHARED == []  # nothing kept after the map
