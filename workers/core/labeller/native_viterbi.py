"""The line labeller's Viterbi path computed by the compiled ``_viterbi`` extension.

``decode.viterbi`` turns the per-line probabilities into emission scores and weighted
transitions with numpy, then finds the best path. The Python forward pass and backtrack
(``decode.path_python``) stay the reference; ``_viterbi.c`` does the same float64 additions
and maxima in the same order and breaks ties the same way (the first label of a maximum, a
NaN sum as numpy's ``argmax`` takes it), so the path is the same label for label
(tests/test_native_viterbi.py).

``make install`` builds the extension (setuptools ``ext-modules`` in pyproject.toml, optional:
an install without a C compiler still succeeds and the Python path serves, after one warning
at import); ``AVAILABLE`` says whether it was built.
"""
from __future__ import annotations

import logging

import numpy as np

from workers.core.native import optional_module

log = logging.getLogger(__name__)

# not built (no compiler at install time): decode.py's Python path serves
_viterbi = optional_module("workers.core.labeller._viterbi", log,
                           "line labeller: the compiled Viterbi path (_viterbi) is not built; Python finds it "
                           "(same path, slower; make install builds it)")

AVAILABLE = _viterbi is not None

# the most labels the compiled path takes (its back-pointers are one byte a label)
MAX_LABELS = 64


def fits(emit: np.ndarray, A: np.ndarray) -> bool:
    """Whether the compiled path takes these scores: built, float64, at least one line, at most
    MAX_LABELS labels, transitions labels x labels."""
    return (AVAILABLE and emit.dtype == np.float64 and A.dtype == np.float64 and emit.ndim == 2
            and emit.shape[0] > 0 and 0 < emit.shape[1] <= MAX_LABELS
            and A.shape == (emit.shape[1], emit.shape[1]))


def path(emit: np.ndarray, A: np.ndarray) -> np.ndarray:
    """The Viterbi label ids (int64) of emission scores ``emit`` (lines x labels) under
    transition scores ``A`` ([from, to]); ``fits(emit, A)`` must hold."""
    n, k = emit.shape
    out = np.empty(n, dtype=np.int64)
    _viterbi.path(np.ascontiguousarray(emit), np.ascontiguousarray(A), n, out, k)
    return out
