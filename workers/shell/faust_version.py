"""The one faust-streaming version Winnow's Faust patch (``faust_patch.py``) was written
and tested for. The patch replaces Faust internals (the commit rule, acks, seeks, gaps)
whose code it reproduces; under another Faust those internals may differ silently and
the at-least-once guarantee would no longer hold, so a worker refuses to start (one
line, exit code 4) rather than run on an untested Faust. This module imports nothing
from Faust, so the check runs before any Faust internal is touched.

To move to another Faust: re-read the patched functions in the new release, adapt
``faust_patch.py`` and ``tests/test_commit_rule.py``, run the crash test
(``make crash-test``), then change ``WRITTEN_FOR`` and the pin in ``constraints.txt``
and ``pyproject.toml`` together.
"""
from __future__ import annotations

from importlib import metadata

WRITTEN_FOR = "0.15.3"  # faust-streaming release whose internals faust_patch.py replaces
DISTRIBUTION = "faust-streaming"


class FaustVersionMismatch(RuntimeError):
    """The installed faust-streaming is not the release the patch was written for."""


def installed() -> str | None:
    """The installed faust-streaming version, or None when it is not installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


def check(version: str | None = None) -> None:
    """Raise ``FaustVersionMismatch`` (one-line message) unless ``version`` (default: the
    installed one) is ``WRITTEN_FOR``."""
    found = installed() if version is None else version
    if found == WRITTEN_FOR:
        return
    what = f"faust-streaming {found} is installed" if found else "faust-streaming is not installed"
    raise FaustVersionMismatch(
        f"{what}, but the worker's Faust patch (workers/shell/faust_patch.py) is written for "
        f"faust-streaming {WRITTEN_FOR} only: install the pinned version (make install, constraints.txt)")
