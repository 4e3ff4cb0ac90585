"""The C tree evaluator, the C column counts, the C Viterbi path, the C simhash, the C language
walk and the C DOM walk are optional at install time (no compiler: LightGBM, numpy and Python
serve), so tests/test_native_trees.py, tests/test_native_columns.py, tests/test_native_viterbi.py,
tests/test_native_simhash.py, tests/test_native_langid.py and tests/test_native_walk.py skip
themselves when they are not built. This test keeps those skips honest: on a machine that has a C compiler, `make install`
must have built every extension, so a broken build fails here instead of passing silently as
skips."""
from __future__ import annotations

import shutil
import sysconfig

import pytest

from workers.core.labeller import native_columns as NC
from workers.core.labeller import native_trees as N
from workers.core.labeller import native_viterbi as NV
from workers.core.stages import native_walk as NW
from workers.core.stages.enrich import native_langid as NLI
from workers.core.stages.enrich import native_simhash as NS


def _compiler() -> str | None:
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(cc)


@pytest.mark.parametrize("wrapper, module", [
    (N, "workers/core/labeller/_trees"),
    (NC, "workers/core/labeller/_columns"),
    (NV, "workers/core/labeller/_viterbi"),
    (NS, "workers/core/stages/enrich/_simhash"),
    (NLI, "workers/core/stages/enrich/_langid"),
    (NW, "workers/core/stages/_domwalk"),
], ids=["trees", "columns", "viterbi", "simhash", "langid", "domwalk"])
def test_extension_built_where_a_compiler_exists(wrapper, module):
    if _compiler() is None:
        pytest.skip("no C compiler on this machine: the install leaves the extension out by design")
    assert wrapper.AVAILABLE, (f"a C compiler is present but {module} was not built: "
                               "rerun `make install` and read the build output")
