"""The language identifier's byte walk and table rows computed by the compiled ``_langid``
extension.

``language.py``'s numpy walk (``_Walk.visit_counts``: a ``Counter`` in first-visit order) and
py3langid's ``_sparse_score`` (``table[idx]``, a float16 gather numpy casts to float32 for the
matmul) stay the reference. ``_langid.c`` gives the same features and counts in the same order,
and the same float32 rows (each float16 pattern converted through numpy's own conversion of
all 65,536 patterns, ``HALFS``); the matmul stays numpy's (tests/test_native_langid.py).

``make install`` builds the extension (optional: without it the numpy path serves, after one
warning at import); ``AVAILABLE`` says whether it was built.
"""
from __future__ import annotations

import logging

import numpy as np

from workers.core.native import optional_module

log = logging.getLogger(__name__)

_langid = optional_module("workers.core.stages.enrich._langid", log,
                          "enrich: the compiled language walk (_langid) is not built; numpy "
                          "computes it (same language, slower; make install builds it)")

AVAILABLE = _langid is not None

# every float16 bit pattern as numpy converts it to float32 (the table rows' conversion)
HALFS = np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32)


def features(nm: np.ndarray, rowbase: np.ndarray, out: np.ndarray, text: bytes,
             depth: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(feature indices as int64, counts as float32) in first-visit order of the automaton walk
    over ``text`` (``_Walk.visit_counts``'s keys and values), or None: no feature. ``depth``:
    the most bytes a state stands for (the walk runs in pieces that start that far back)."""
    got = _langid.features(nm, rowbase, out, text, depth)
    if got is None:
        return None
    return np.frombuffer(got[0], dtype=np.int64), np.frombuffer(got[1], dtype=np.float32)


def rows_float32(table: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """``table[idx].astype(np.float32)`` for a float16 ``table``, bit for bit."""
    into = np.empty((idx.size, table.shape[1]), dtype=np.float32)
    _langid.rows_float32(table, np.ascontiguousarray(idx, dtype=np.int64), HALFS, into)
    return into
