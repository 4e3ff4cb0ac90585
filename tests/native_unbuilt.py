"""A compiled module's Python wrapper loaded as if the module had not been built (what an
install without a C compiler gives), for the tests of the fallback and its one warning."""
from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def load_unbuilt(monkeypatch, wrapper: ModuleType, extension: str) -> ModuleType:
    """A fresh copy of ``wrapper`` executed while the compiled module ``extension`` (dotted name)
    cannot be imported; the loaded ``wrapper`` itself is left as it is."""
    package, _, name = extension.rpartition(".")
    monkeypatch.setitem(sys.modules, extension, None)
    monkeypatch.delattr(sys.modules[package], name, raising=False)
    spec = importlib.util.spec_from_file_location(f"_{name.lstrip('_')}_unbuilt", wrapper.__file__)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
