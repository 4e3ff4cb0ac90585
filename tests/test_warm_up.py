"""A worker's warm-up loads its own stages' models and no other's: a strip worker holds
the line labeller but not the language tables or the title chooser, a segment worker
none of them, an enrich worker the language tables and the title chooser. Each case runs
in a fresh interpreter (a test process has every model loaded already). None imports
matplotlib through lightgbm."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workers.core.flow import STAGE_NAMES

_PROBE = """
import json, sys
from workers.core.flow import FLOW
from workers.core.runner import StageRunner
from workers.settings import Settings
stages = sys.argv[1].split(",")
runner = StageRunner(Settings(), flow=tuple(s for s in FLOW if s.name in stages))
runner.warm_up()
from workers.core.stages.enrich import language
from workers.core.labeller import model
from workers.core.stages import html_title_model
print(json.dumps({"language": language._LANGID is not None,
                  "labeller": bool(model._CACHE),
                  "title_chooser": html_title_model.load_model.cache_info().currsize > 0,
                  "lightgbm": "lightgbm" in sys.modules, "matplotlib": "matplotlib" in sys.modules}))
"""


def _loaded(stages: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE, stages], capture_output=True, text=True, check=True,
                         timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("stages, language, title_chooser, lightgbm", [
    ("strip", False, False, True),  # the trained labeller serves HTML by default
    ("segment", False, False, False),
    ("enrich", True, True, True),
    (",".join(STAGE_NAMES), True, True, True),
])
def test_warm_up_loads_only_the_runners_stages(stages, language, title_chooser, lightgbm):
    got = _loaded(stages)
    assert (got["language"], got["title_chooser"], got["lightgbm"]) == (language, title_chooser, lightgbm)
    assert got["labeller"] == ("strip" in stages)
    assert not got["matplotlib"]  # lightgbm's plotting helpers are not imported (workers/core/lgb.py)


def test_lightgbm_without_its_plotting_helpers_leaves_them_importable():
    code = ("import sys; from workers.core.lgb import lightgbm; lgb = lightgbm(); "
            "print('matplotlib' in sys.modules, lightgbm() is lgb); import matplotlib; print(matplotlib.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.split() == ["False", "True", "matplotlib"]
