"""LightGBM for scoring the committed models, imported without its plotting helpers.

``import lightgbm`` imports matplotlib (and graphviz) when installed, for its plotting
helpers only; a worker never plots, and matplotlib alone cost 14 MB of a worker's RSS
(measured: the import of lightgbm +18.3 MB with matplotlib installed, +4.3 MB with it
hidden). The model loaders call ``lightgbm()``, which hides them during lightgbm's first
import only: they stay importable afterwards (lightgbm's plot functions then say matplotlib
is not installed, in that process). Scoring does not depend on them.
"""
from __future__ import annotations

import sys
from types import ModuleType

# Optional imports of lightgbm that only its plotting helpers use (lightgbm/compat.py).
PLOTTING_ONLY = ("matplotlib", "graphviz")


def lightgbm() -> ModuleType:
    """The ``lightgbm`` module; its first import here skips ``PLOTTING_ONLY``."""
    mod = sys.modules.get("lightgbm")
    if mod is not None:
        return mod
    hidden = [name for name in PLOTTING_ONLY if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import lightgbm as lgb
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return lgb
