"""The optional compiled modules (built by ``make install`` when a C compiler is present): each
mirrors Python code that stays its reference and serves in its place when it is not built."""
from __future__ import annotations

import importlib
import logging
from types import ModuleType


def optional_module(name: str, log: logging.Logger, warning: str) -> ModuleType | None:
    """The compiled module ``name``, or None after logging ``warning`` once (at the caller's
    import) when it was not built."""
    try:
        return importlib.import_module(name)
    except ImportError:
        log.warning(warning)
        return None
