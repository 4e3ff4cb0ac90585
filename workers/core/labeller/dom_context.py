"""DOM context of HTML input for the line labeller: the DOM evidence of the lines around each
line (moving averages, neighbours, distances, page shares), computed from the html stage's
per-line DOM matrix. Names and reasons: ``workers.core.heuristics.line_features``
(DOM_SMOOTH_COLUMNS, DOM_WINDOW_COLUMNS, DOM_CONTEXT). Plain-text input has no DOM matrix:
these columns are NaN there, like the DOM columns themselves."""
from __future__ import annotations

import math

import numpy as np

from workers.core.heuristics import line_features as LF
from workers.core.heuristics.dom_features import DOM_FEATURES as _DOM_COLUMNS
from workers.core.labeller import native_columns as NC
from workers.core.labeller.arrays import dist_next, dist_prev, shift, smooth, stack, windows

# column names, in matrix order
DOM_CONTEXT_FEATURES: tuple[str, ...] = (
    tuple(f"dom:{c}~{w}" for w in LF.DOM_SMOOTH_WIDTHS for c in LF.DOM_SMOOTH_COLUMNS)
    + tuple(f"dom:{c}@{o:+d}" for o in LF.DOM_WINDOW_OFFSETS for c in LF.DOM_WINDOW_COLUMNS)
    + tuple(LF.DOM_CONTEXT))
_DI = {c: i for i, c in enumerate(_DOM_COLUMNS)}


def _gaps(mask: np.ndarray, cap: int, native: bool) -> tuple[np.ndarray, np.ndarray]:
    """``dist_prev`` and ``dist_next`` of ``mask``; ``native``: from the compiled extension when
    it is built (the same integers)."""
    if native and NC.AVAILABLE:
        return NC.mark_gaps(mask, cap)
    return dist_prev(mask, cap), dist_next(mask, cap)


def dom_context(dom: np.ndarray, native: bool = True) -> np.ndarray:
    """The DOM_CONTEXT_FEATURES columns of an HTML page from its DOM matrix (lines x DOM columns);
    ``native``: as ``_gaps``."""
    n, f32, cap = dom.shape[0], np.float32, LF.DIST_CAP
    D = np.nan_to_num(dom)
    col = lambda c: D[:, _DI[c]]  # noqa: E731
    averaged = smooth(D[:, [_DI[c] for c in LF.DOM_SMOOTH_COLUMNS]], LF.DOM_SMOOTH_WIDTHS)
    win = windows(D[:, [_DI[c] for c in LF.DOM_WINDOW_COLUMNS]], LF.DOM_WINDOW_OFFSETS)
    path, depth = col("path_bucket"), col("depth")
    same_prev = np.zeros(n, dtype=f32)
    same_prev[1:] = path[1:] == path[:-1]
    depth_delta = np.zeros(n, dtype=f32)
    depth_delta[1:] = np.clip(depth[1:] - depth[:-1], -8, 8)
    author = (col("rule_comment_author") > 0) | (col("itemprop_author") > 0)
    timed = (col("anc_time") > 0) | (col("itemprop_date") > 0)
    in_comments = col("rule_comments") > 0
    ar = np.arange(n)
    prev_author, next_author = _gaps(author, cap, native)
    prev_time, next_time = _gaps(timed, cap, native)
    first = int(np.argmax(in_comments)) if in_comments.any() else n
    section_pos = np.where(ar >= first, np.log1p(np.maximum(ar - first, 0)), -1.0)
    ctx = {
        "dom_same_path_prev": same_prev,
        "dom_same_path_next": shift(same_prev, 1),
        "dom_depth_delta_prev": depth_delta,
        "dom_log_dist_prev_author": np.log1p(prev_author),
        "dom_log_dist_next_author": np.log1p(next_author),
        "dom_log_dist_prev_time": np.log1p(prev_time),
        "dom_log_dist_next_time": np.log1p(next_time),
        "dom_comment_section_pos": section_pos,
        "page_dom_comment_share": np.full(n, float(in_comments.mean())),
        "page_dom_article_share": np.full(n, float((col("rule_article_level") >= 2).mean())),
        "page_dom_time_lines": np.full(n, math.log1p(float(timed.sum()))),
    }
    return np.concatenate([averaged, win, stack([ctx[c] for c in LF.DOM_CONTEXT]).astype(f32)], axis=1)
