"""No orphans: every command that starts children (``winnow broker``, ``winnow run
--keep-running``) stops them on SIGTERM, SIGINT and SIGHUP, exits 128 + the signal,
and its children die with it when it is SIGKILLed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from workers.shell.broker import free_port, wait_for_port

pytestmark = pytest.mark.broker
REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "workers" / "samples" / "harbour-library-reopens.txt"
SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]


def _start(*args: str, log: Path) -> subprocess.Popen:
    # Its own session, so the signals below reach only the command, as from
    # `kill`, systemd or a closed terminal. Its temporary files go under the test's own
    # directory: a SIGKILLed `winnow run` cannot remove its log directory itself.
    # SIGINT at its default, as for a command started from a terminal: a shell starts
    # background jobs with SIGINT ignored, which the command (and Python) then keeps
    # ignoring by convention, so a suite run from such a job would otherwise test nothing
    # of SIGINT and time out.
    env = {**os.environ, "TMPDIR": str(log.parent)}
    return subprocess.Popen([sys.executable, "-m", "workers.cli.main", *args], cwd=REPO, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True, env=env,
                            preexec_fn=_default_sigint)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _gone(procs: list[psutil.Process], timeout: float) -> list[str]:
    """The processes still alive (not zombies) after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for p in procs:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{p.pid}:{' '.join(p.cmdline()[:4])}")
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def _kill_all(procs: list[psutil.Process]) -> None:
    for p in procs:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass


def _wait_for(log: Path, text: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        assert proc.poll() is None, log.read_text(errors="replace")
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not printed within {timeout} s:\n{log.read_text(errors='replace')}")


def _broker(tmp_path: Path, tag: str) -> tuple[subprocess.Popen, list[psutil.Process]]:
    port = free_port()
    proc = _start("broker", "--port", str(port), log=tmp_path / f"broker-{tag}.log")
    assert wait_for_port("127.0.0.1", port, 30), (tmp_path / f"broker-{tag}.log").read_text()
    children = _descendants(proc.pid)
    assert children, "winnow broker started no Tansu child"
    return proc, children


def _run_keep_running(tmp_path: Path, tag: str, *extra: str) -> tuple[subprocess.Popen, list[psutil.Process]]:
    log = tmp_path / f"run-{tag}.log"
    proc = _start("run", "--keep-running", *extra, str(SAMPLE), log=log)
    _wait_for(log, "keeping broker and workers running", proc, 240)
    children = _descendants(proc.pid)
    assert len(children) >= 2, "winnow run should have a broker and at least one worker"
    return proc, children


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_broker_stops_its_child_on_signal(tmp_path, sig):
    proc, children = _broker(tmp_path, sig.name)
    try:
        proc.send_signal(sig)
        assert proc.wait(20) == 128 + sig
        assert _gone(children, 5) == []
    finally:
        proc.kill()
        _kill_all(children)


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_run_keep_running_stops_broker_and_workers_on_signal(tmp_path, sig):
    extra = () if sig == signal.SIGTERM else ("--one-process",)  # per-stage once: 3 workers + broker
    proc, children = _run_keep_running(tmp_path, sig.name, *extra)
    try:
        proc.send_signal(sig)
        assert proc.wait(40) == 128 + sig
        assert _gone(children, 5) == []
    finally:
        proc.kill()
        _kill_all(children)


def test_children_die_with_a_sigkilled_parent(tmp_path):
    broker, broker_children = _broker(tmp_path, "kill")
    run, run_children = _run_keep_running(tmp_path, "kill", "--one-process")
    try:
        os.kill(broker.pid, signal.SIGKILL)
        os.kill(run.pid, signal.SIGKILL)
        broker.wait(10)
        run.wait(10)
        assert _gone(broker_children, 5) == []
        # Workers get SIGTERM (a clean stop: commit, leave the group), the broker SIGKILL.
        assert _gone(run_children, 30) == []
    finally:
        _kill_all(broker_children + run_children)
