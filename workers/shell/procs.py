"""Starting and stopping worker processes (used by ``winnow run``, the tests and the
benchmark): one ``winnow worker`` subprocess per stage, or one for all stages."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from workers.shell.broker import free_port
from workers.shell.signals import die_with_parent

DATA_DIR_PREFIX = "winnow-faust-"  # + the worker's pid + "-": its parent finds it after a SIGKILL


def temp_data_dir() -> str:
    """A Faust data dir of this process's own, for when WINNOW_DATA_DIR is not set."""
    return tempfile.mkdtemp(prefix=f"{DATA_DIR_PREFIX}{os.getpid()}-")


def remove_temp_data_dirs(pid: int) -> None:
    """Remove the temporary Faust data dirs a worker process ``pid`` made (it may be gone)."""
    for d in Path(tempfile.gettempdir()).glob(f"{DATA_DIR_PREFIX}{pid}-*"):
        shutil.rmtree(d, ignore_errors=True)


@dataclass
class WorkerProcess:
    stage: str
    broker: str
    web_port: int = 0
    env: dict[str, str] = field(default_factory=dict)
    log_path: str | None = None
    proc: subprocess.Popen | None = None

    def start(self) -> "WorkerProcess":
        if not self.web_port:
            self.web_port = free_port()
        env = dict(os.environ)
        env.update(self.env)
        env["WINNOW_BROKER"] = self.broker
        env["WINNOW_WEB_PORT"] = str(self.web_port)
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        # Own session (our caller decides when it stops); SIGTERM when we die, so it
        # commits and leaves its group even if we were SIGKILLed.
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workers.cli.main", "worker", "--stage", self.stage],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            preexec_fn=die_with_parent(signal.SIGTERM),
        )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def get(self, path: str, timeout: float = 1.0) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def wait_ready(self, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return False
            try:
                status, _ = self.get("/readyz")
                if status == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def stop(self, timeout: float = 15.0) -> float | None:
        """SIGTERM, wait, then SIGKILL. Returns the seconds the clean stop took, or None
        if it had to be killed (or was not running)."""
        if self.proc is None or self.proc.poll() is not None:
            return None
        start = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
            self.remove_data_dirs()
            return time.monotonic() - start
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def terminate(self) -> None:
        """Send SIGTERM (see ``stop_all`` to wait for several at once)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)
        self.remove_data_dirs()

    def remove_data_dirs(self) -> None:
        """After the worker ended: its temporary Faust data dir, which a worker that was
        SIGKILLed could not remove itself (one that stops normally removes its own)."""
        if self.proc is not None and self.proc.poll() is not None:
            remove_temp_data_dirs(self.proc.pid)


def stop_all(workers: list[WorkerProcess], timeout: float = 15.0) -> None:
    """SIGTERM every worker at once, wait up to ``timeout`` s in all, SIGKILL the rest."""
    for w in workers:
        w.terminate()
    deadline = time.monotonic() + timeout
    for w in workers:
        if w.proc is None:
            continue
        try:
            w.proc.wait(max(0.0, deadline - time.monotonic()))
            w.remove_data_dirs()
        except subprocess.TimeoutExpired:
            w.kill()
