"""The model's per-line probabilities for one page, a run of lines at a time on a large page.

A page of ``features.LARGE_PAGE_LINES`` lines or more is scored ``SCORE_CHUNK_LINES`` rows at
a time from its feature matrix's parts (``features.page_rows``), so its whole matrix (~1.4 KB
a line: ~140 MB for an 8 MB page of text) is never held at once (bench/memory_pages.py). The
model scores each row on its own (LightGBM: the trees of one row), so the probabilities are
the same, bit for bit, as those of the whole matrix (tests/test_large_page_features.py).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from workers.core.labeller import features as F
from workers.core.labeller.labels import LABELS
from workers.core.labeller.model import Labeller

SCORE_CHUNK_LINES = 4096  # rows scored at once on a large page (~5.7 MB of float32 features)


def page_proba(model: Labeller, texts: list[str], blank_before: Sequence[int], ev: F.Evidence,
               dom: np.ndarray | None = None) -> np.ndarray:
    """(lines x labels) probabilities of ``model`` for the page's lines; ``dom``: the html
    stage's per-line DOM matrix for HTML input (scored as HTML: ``Labeller.predict``), None
    for text."""
    n, html = len(texts), dom is not None
    if n < F.LARGE_PAGE_LINES:
        return model.predict(F.page_features(texts, blank_before, ev, dom=dom), html=html)
    parts = F.page_rows(texts, blank_before, ev, dom)
    out = np.empty((n, len(LABELS)), dtype=np.float64)
    buf = np.empty((min(SCORE_CHUNK_LINES, n), parts.width), dtype=np.float32)
    for a in range(0, n, SCORE_CHUNK_LINES):
        b = min(a + SCORE_CHUNK_LINES, n)
        out[a:b] = model.predict(parts.rows(a, b, out=buf[:b - a]), html=html)
    return out
