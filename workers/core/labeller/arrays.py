"""Per-page array helpers of the line labeller's features: shifts, windows, centred moving
averages and distances to the previous / next marked line, each a few numpy operations over
the whole page (no Python loop over lines)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from workers.core.heuristics import line_features as LF


def dist_prev(mask: np.ndarray, cap: int) -> np.ndarray:
    """Lines back to the previous line where ``mask`` holds (not the line itself), capped."""
    n = mask.size
    last = np.maximum.accumulate(np.where(mask, np.arange(n), -cap - n))
    prev = np.empty(n, dtype=np.int64)
    prev[0] = -cap - n
    prev[1:] = last[:-1]
    return np.minimum(np.arange(n) - prev, cap)


def dist_next(mask: np.ndarray, cap: int) -> np.ndarray:
    return dist_prev(mask[::-1], cap)[::-1]


def stack(cols: Sequence[np.ndarray]) -> np.ndarray:
    """``np.column_stack(cols)`` of equal-length 1-D arrays, as one array call: the same dtype
    (their result type) and values (each cast once), a transposed view (lines x columns)."""
    return np.array(cols, dtype=np.result_type(*cols)).T


def byte_rows(seqs: Sequence[Sequence[int]], n: int) -> np.ndarray | None:
    """``seqs`` as a (len(seqs) x n) uint8 array when each holds ``n`` integers 0..255 (lists of
    bools, small ids): ``bytes`` reads a list of ints in one C loop, where ``np.array`` converts
    item by item (~10x the instructions on a page). None when one does not (a float, a numpy
    scalar, a value past 255, another length, or ``seqs`` holding anything but lists and
    tuples, e.g. an array whose bytes are not its values): the caller converts it as before."""
    if not all(type(s) in (list, tuple) for s in seqs):
        return None
    try:
        raw = [bytes(s) for s in seqs]
    except (TypeError, ValueError):
        return None
    if any(len(r) != n for r in raw):
        return None
    return np.frombuffer(b"".join(raw), dtype=np.uint8).reshape(len(raw), n)


def small_rows(seqs: Sequence[Sequence[int]], n: int, dtype) -> np.ndarray:
    """``seqs`` as a (len(seqs) x n) array of their values: ``byte_rows`` (uint8) when it reads
    them, else ``np.array(seqs, dtype=dtype)`` (the same values for 0..255 integers and bools)."""
    rows = byte_rows(seqs, n)
    return np.array(seqs, dtype=dtype) if rows is None else rows


def shift(col: np.ndarray, o: int) -> np.ndarray:
    out = np.zeros_like(col)
    if o > 0:
        out[:-o] = col[o:]
    elif o < 0:
        out[-o:] = col[:o]
    return out


def stack_into(out: np.ndarray, cols: Sequence[np.ndarray]) -> None:
    """``out[:] = stack(cols)`` one column at a time: each column cast once to ``out``'s dtype,
    the same values, without the (lines x columns) intermediate of the column's result type
    (for a large page, where that intermediate is tens of MB)."""
    for j, c in enumerate(cols):
        out[:, j] = c


def padded(M: np.ndarray, offsets: Sequence[int] = LF.WINDOW_OFFSETS) -> np.ndarray:
    """``M`` (lines x k) as float32 with as many zero rows above and below as the largest of
    ``offsets`` (what ``window_rows`` reads)."""
    n, k = M.shape
    h = max(abs(o) for o in offsets)
    P = np.zeros((n + 2 * h, k), dtype=np.float32)
    P[h:h + n] = M
    return P


def window_rows(P: np.ndarray, a: int, b: int, offsets: Sequence[int] = LF.WINDOW_OFFSETS,
                out: np.ndarray | None = None) -> np.ndarray:
    """Rows ``a:b`` of the window columns of the padded columns ``P`` (``padded``): each column
    at each of ``offsets``, zero beyond the page; written into ``out`` when given."""
    k = P.shape[1]
    h = max(abs(o) for o in offsets)
    if out is None:
        out = np.empty((b - a, k * len(offsets)), dtype=np.float32)
    for i, o in enumerate(offsets):
        out[:, i * k:(i + 1) * k] = P[h + o + a:h + o + b]
    return out


def windows(M: np.ndarray, offsets: Sequence[int] = LF.WINDOW_OFFSETS,
            out: np.ndarray | None = None) -> np.ndarray:
    """Columns of ``M`` (lines x k) at each of ``offsets`` (zero beyond the page); written into
    ``out`` (lines x k * len(offsets)) when given, with no concatenated intermediate."""
    return window_rows(padded(M, offsets), 0, M.shape[0], offsets, out)


def smooth_sums(M: np.ndarray) -> np.ndarray:
    """The cumulative sums of the columns of ``M`` (lines x k) that ``smooth_rows`` reads:
    (lines + 1) x k float64, a zero row first."""
    n, k = M.shape
    cs = np.zeros((n + 1, k), dtype=np.float64)
    np.cumsum(M, axis=0, out=cs[1:])
    return cs


def smooth_rows(cs: np.ndarray, a: int, b: int, n: int, widths: Sequence[int] = LF.SMOOTH_WIDTHS,
                out: np.ndarray | None = None) -> np.ndarray:
    """Rows ``a:b`` of the centred moving averages (float32) of a page of ``n`` lines whose
    columns' cumulative sums are ``cs`` (``smooth_sums``), for each of ``widths``."""
    k = cs.shape[1]
    ar = np.arange(a, b)
    if out is None:
        out = np.empty((b - a, k * len(widths)), dtype=np.float32)
    for i, w in enumerate(widths):
        lo = np.maximum(ar - w // 2, 0)  # np.clip(., 0, n): never above n - 1 - w // 2
        hi = np.minimum(ar + w // 2 + 1, n)  # np.clip(., 0, n): never below 1
        out[:, i * k:(i + 1) * k] = (cs[hi] - cs[lo]) / (hi - lo)[:, None]  # float64 -> out's dtype
    return out


def smooth(M: np.ndarray, widths: Sequence[int] = LF.SMOOTH_WIDTHS,
           out: np.ndarray | None = None) -> np.ndarray:
    """Centred moving averages of the columns of ``M`` for each of ``widths`` (float32); written
    into ``out`` (lines x k * len(widths)) when given, one width at a time."""
    n = M.shape[0]
    return smooth_rows(smooth_sums(M), 0, n, n, widths, out)
