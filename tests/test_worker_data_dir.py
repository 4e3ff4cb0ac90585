"""A worker started without WINNOW_DATA_DIR keeps Faust's data dir in a temporary
directory of its own (``winnow-faust-<pid>-*``) and leaves nothing behind: it removes the
directory when it stops, and its parent removes it when the worker had to be SIGKILLed."""
from __future__ import annotations

import signal
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.broker


def _data_dirs(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"winnow-faust-{pid}-*"))


def test_a_worker_removes_its_temporary_data_dir_when_it_stops(kafka):
    w = kafka.worker("strip")
    assert w.wait_ready(90), "worker did not become ready"
    dirs = _data_dirs(w.pid)
    assert len(dirs) == 1 and dirs[0].is_dir()
    w.proc.send_signal(signal.SIGTERM)   # the worker's own shutdown, not WorkerProcess.stop's clean-up
    assert w.proc.wait(30) is not None
    assert not dirs[0].exists()


def test_the_parent_removes_the_data_dir_of_a_sigkilled_worker(kafka):
    w = kafka.worker("strip")
    assert w.wait_ready(90), "worker did not become ready"
    dirs = _data_dirs(w.pid)
    assert len(dirs) == 1 and dirs[0].is_dir()
    w.kill()
    assert w.proc.returncode == -signal.SIGKILL
    assert not dirs[0].exists()


def test_a_configured_data_dir_is_left_alone(kafka, tmp_path):
    d = tmp_path / "faust-data"
    w = kafka.worker("strip", WINNOW_DATA_DIR=str(d))
    assert w.wait_ready(90), "worker did not become ready"
    assert not _data_dirs(w.pid) and d.is_dir()
    w.stop(30)
    assert d.is_dir()
