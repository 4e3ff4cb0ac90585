"""After the first warm-up the process's long-lived objects (models, tables, modules) are
frozen out of the garbage collector's sight (runner._freeze_warm_heap), once per process:
a second runner's warm-up does not freeze again. Runs in a fresh interpreter."""
from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import gc, json
from workers.core import runner as R
from workers.settings import Settings
before = gc.get_freeze_count()
R.StageRunner(Settings(), dedupe_window=0).warm_up()
first = gc.get_freeze_count()
junk = [[i] for i in range(1000)]  # new objects: not frozen by a later warm-up
R.StageRunner(Settings(), dedupe_window=0).warm_up()
print(json.dumps({"before": before, "first": first, "second": gc.get_freeze_count(), "flag": R._heap_frozen}))
"""


def test_warm_up_freezes_the_heap_once():
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=180)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["before"] == 0
    assert got["first"] > 10_000           # the models and modules loaded by the warm-up
    # once per process: the 1,000 new lists stay outside (a frozen object can still be freed)
    assert got["second"] <= got["first"]
    assert got["flag"] is True
