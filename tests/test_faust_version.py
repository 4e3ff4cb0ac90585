"""The worker's Faust patch (workers/shell/faust_patch.py) replaces internals of one
faust-streaming release: under any other release a worker refuses to start, with one
line and exit code 4, before it touches Faust or waits for a broker."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workers.cli.main import EXIT_INSTALL
from workers.shell import faust_version
from workers.shell.broker import free_port

REPO = Path(__file__).resolve().parents[1]


def test_the_installed_faust_is_the_one_the_patch_was_written_for():
    assert faust_version.installed() == faust_version.WRITTEN_FOR
    faust_version.check()  # no exception
    pins = {f: re.findall(r"faust-streaming==([0-9][^\s\"',]*)", (REPO / f).read_text())
            for f in ("constraints.txt", "pyproject.toml")}
    assert pins == {f: [faust_version.WRITTEN_FOR] for f in pins}, "pin and patch disagree"


@pytest.mark.parametrize("version", ["0.15.2", "0.16.0", "0.15.3.post1", None])
def test_any_other_release_is_refused_with_one_line(version):
    with pytest.raises(faust_version.FaustVersionMismatch) as exc:
        faust_version.check(version) if version else _check_not_installed()
    msg = str(exc.value)
    assert "\n" not in msg and faust_version.WRITTEN_FOR in msg and "faust_patch.py" in msg
    assert (f"faust-streaming {version} is installed" if version else "faust-streaming is not installed") in msg


def _check_not_installed():
    real = faust_version.installed
    faust_version.installed = lambda: None
    try:
        faust_version.check()
    finally:
        faust_version.installed = real


def _fake_install(root: Path, version: str) -> Path:
    """A site directory whose faust-streaming metadata says ``version``; first on
    PYTHONPATH, it is what importlib.metadata reports (the Faust code stays the real one)."""
    info = root / f"faust_streaming-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: faust-streaming\nVersion: {version}\n")
    return root


@pytest.mark.parametrize("command", ["worker", "run"])
def test_a_worker_under_another_faust_refuses_to_start(tmp_path, command):
    site = _fake_install(tmp_path / "site", "0.16.0")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(site), "HOME": str(tmp_path)}
    # No broker at that port: a worker would wait for one for ever; this one must not get that far.
    args = (["worker", "--stage", "strip", "--broker", f"127.0.0.1:{free_port()}"] if command == "worker"
            else ["run", "--timeout", "5"])
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "workers.cli.main", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_INSTALL == 4, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"winnow {command}: faust-streaming 0.16.0 is installed")
    assert f"written for faust-streaming {faust_version.WRITTEN_FOR} only" in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert time.monotonic() - t0 < 30
