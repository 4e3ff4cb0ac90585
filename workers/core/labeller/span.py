"""The page's main prose span and each line's place relative to it (line labeller features).

The article body of a page is one coherent run of prose; boilerplate that reads like prose
(a newsletter pitch, an "about us" blurb, teasers of related articles) sits away from it.
Per line a value: its words when it is prose-like (``SPAN_PROSE_MIN_WORDS``+ words, a
sentence end or function words, little link text), else a penalty growing with its words;
the span is the maximum-sum run of lines (one cumulative sum and a running minimum). The
columns (names and reasons: ``workers.core.heuristics.line_features.SPAN``) say whether the
line is inside the span, how far it is from it in lines and in words, on which side, how
much of the page the span holds, and what share of the page's prose lies before / after the
line. Works on plain text and on HTML (link density from the DOM matrix, 0 for text).
"""
from __future__ import annotations

import numpy as np

from workers.core.heuristics import line_features as LF


def span_columns(words: np.ndarray, ends_sentence: np.ndarray, stop_share: np.ndarray,
                 link_density: np.ndarray | None) -> np.ndarray:
    """(lines x len(LF.SPAN)) float32, columns in ``LF.SPAN`` order."""
    n = words.size
    w = words.astype(np.float64)
    ld = np.zeros(n) if link_density is None else np.nan_to_num(link_density.astype(np.float64))
    prose = (w >= LF.SPAN_PROSE_MIN_WORDS) & ((ends_sentence > 0) | (stop_share >= LF.SPAN_PROSE_STOP_SHARE)) \
        & (ld < LF.SPAN_MAX_LINK_DENSITY)
    value = np.where(prose, np.minimum(w, LF.SPAN_WORDS_CAP),
                     -(LF.SPAN_PENALTY + LF.SPAN_PENALTY_PER_WORD * np.minimum(w, LF.SPAN_PENALTY_WORDS_CAP)))
    out = np.zeros((n, len(LF.SPAN)), dtype=np.float32)
    if n == 0:
        return out
    pw = np.where(prose, w, 0.0)
    total = pw.sum()
    before = np.cumsum(pw) - pw
    if total > 0:
        out[:, 5] = before / total
        out[:, 6] = np.maximum(total - before - pw, 0.0) / total
    csum = np.concatenate([[0.0], np.cumsum(value)])
    gain = csum[1:] - np.minimum.accumulate(csum[:-1])
    if gain.max() <= 0:  # no prose at all: every line far from a span that is not there
        out[:, 1] = np.log1p(LF.SPAN_LINE_CAP)
        out[:, 4] = np.log1p(LF.SPAN_WORD_CAP)
        return out
    b = int(gain.argmax())
    a = int(np.argmin(csum[:b + 1]))
    ar = np.arange(n)
    before_span, after_span = ar < a, ar > b
    out[:, 0] = ~(before_span | after_span)
    out[:, 1] = np.log1p(np.minimum(np.where(before_span, a - ar, np.where(after_span, ar - b, 0)), LF.SPAN_LINE_CAP))
    out[:, 2] = np.where(before_span, -1.0, np.where(after_span, 1.0, 0.0))
    out[:, 3] = w[a:b + 1].sum() / max(w.sum(), 1.0)
    cw = np.cumsum(w) - w
    gap = np.where(before_span, cw[a] - cw - w, np.where(after_span, cw - (cw[b] + w[b]), 0.0))
    out[:, 4] = np.log1p(np.clip(gap, 0.0, LF.SPAN_WORD_CAP))
    return out
