"""The C tree evaluator and the C column counts are optional at install time (no compiler:
LightGBM and numpy serve), so tests/test_native_trees.py and tests/test_native_columns.py skip
themselves when they are not built. This test keeps those skips honest: on a machine that has a
C compiler, `make install` must have built both extensions, so a broken build fails here
instead of passing silently as skips."""
from __future__ import annotations

import shutil
import sysconfig

import pytest

from workers.core.labeller import native_columns as NC
from workers.core.labeller import native_trees as N


def _compiler() -> str | None:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc)


def test_extension_built_where_a_compiler_exists():
    if _compiler() is None:
        pytest.skip("no C compiler on this machine: the install leaves the extension out by design")
    assert N.AVAILABLE, ("a C compiler is present but workers/core/labeller/_trees was not built: "
                         "rerun `make install` and read the build output")


def test_column_counts_built_where_a_compiler_exists():
    if _compiler() is None:
        pytest.skip("no C compiler on this machine: the install leaves the extension out by design")
    assert NC.AVAILABLE, ("a C compiler is present but workers/core/labeller/_columns was not built: "
                          "rerun `make install` and read the build output")
