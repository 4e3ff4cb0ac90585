"""The comment-structure counts in C (workers/core/labeller/_columns_marks.h): the distances to
marked lines and the line-shape gaps and window counts are the integers the numpy reference
(arrays.dist_prev / dist_next, text_columns' shapes) gives, on edge cases and random pages,
and the structure and DOM context columns built from them are the same bit for bit."""
from __future__ import annotations

import numpy as np
import pytest

from workers.core.heuristics.dom_features import DOM_FEATURES
from workers.core.labeller import arrays as A
from workers.core.labeller import dom_context as D
from workers.core.labeller import native_columns as NC
from workers.core.labeller import text_columns as T

pytestmark = pytest.mark.skipif(not NC.AVAILABLE, reason="the _columns extension is not built (make install)")


def _numpy_shape(code: np.ndarray, window: int, cap: int) -> tuple[np.ndarray, ...]:
    """The reference's integers (text_columns._shape_features' numpy path, window and cap given)."""
    n = code.size
    ar = np.arange(n)
    order = np.lexsort((ar, code))
    same = code[order[1:]] == code[order[:-1]]
    prev, nxt = np.full(n, -1), np.full(n, -1)
    prev[order[1:][same]] = order[:-1][same]
    nxt[order[:-1][same]] = order[1:][same]
    gp = np.where(prev >= 0, np.minimum(ar - prev, cap), cap)
    gn = np.where(nxt >= 0, np.minimum(nxt - ar, cap), cap)
    lo, hi = np.maximum(ar - window, 0), np.minimum(ar + window + 1, n)
    num = np.array([int(np.count_nonzero(code[a:b] == c)) - 1 for a, b, c in zip(lo, hi, code)], dtype=np.int64)
    return gp, gn, num, np.maximum(hi - lo - 1, 1)


MASKS = [[], [True], [False], [True] * 7, [False] * 7, [True, False, False, True],
         [False, False, True, False, False, False, False, False, False, True]]


@pytest.mark.parametrize("mask", MASKS)
@pytest.mark.parametrize("cap", [0, 1, 2, 3, 64, 512])
def test_mark_gaps_edges(mask, cap):
    m = np.array(mask, dtype=bool)
    prev, nxt = NC.mark_gaps(m, cap)
    assert prev.dtype == nxt.dtype == np.int64
    if m.size:
        assert prev.tolist() == A.dist_prev(m, cap).tolist() and nxt.tolist() == A.dist_next(m, cap).tolist()
    else:
        assert prev.size == nxt.size == 0


def test_mark_gaps_random():
    rng = np.random.default_rng(5)
    for _ in range(200):
        m = rng.random(int(rng.integers(1, 300))) < rng.random()
        cap = int(rng.integers(1, 80))
        prev, nxt = NC.mark_gaps(m, cap)
        assert np.array_equal(prev, A.dist_prev(m, cap)) and np.array_equal(nxt, A.dist_next(m, cap))


def test_mark_gaps_by_hand():
    prev, nxt = NC.mark_gaps(np.array([0, 1, 0, 0, 1, 0], dtype=bool), 3)
    assert prev.tolist() == [3, 3, 1, 2, 3, 1] and nxt.tolist() == [1, 3, 2, 1, 3, 3]


@pytest.mark.parametrize("code", [[0], [5], [0, 0], [0, 1, 0, 1, 0, 1], [3] * 40, list(range(30)),
                                  [7, 0, 7, 7, 0, 1 << 19, 7]])
@pytest.mark.parametrize("window", [0, 1, 8, 100])
def test_shape_counts_edges(code, window):
    c = np.array(code, dtype=np.int64)
    got = NC.shape_counts(c, window, 5)
    for g, w in zip(got, _numpy_shape(c, window, 5)):
        assert g.tolist() == w.tolist()


def test_shape_counts_random():
    rng = np.random.default_rng(9)
    for _ in range(150):
        n = int(rng.integers(1, 250))
        c = rng.integers(0, int(rng.integers(1, 40)), n).astype(np.int64)
        window, cap = int(rng.integers(0, 20)), int(rng.integers(1, 70))
        for g, w in zip(NC.shape_counts(c, window, cap), _numpy_shape(c, window, cap)):
            assert np.array_equal(g, w)


def test_shape_counts_bad_input():
    out = np.empty(2, dtype=np.int64)
    with pytest.raises(ValueError, match="code"):
        NC.shape_counts(np.array([0, -1]), 3, 4)
    with pytest.raises(ValueError, match="window"):
        NC.shape_counts(np.array([0, 1]), -1, 4)
    with pytest.raises(ValueError, match="out"):
        NC._columns.shape_counts(np.array([0, 1]), 3, 4, out, out, out, np.empty(3, dtype=np.int64))
    with pytest.raises(ValueError, match="prev"):
        NC._columns.mark_gaps(np.zeros(3, dtype=bool), 4, out, np.empty(3, dtype=np.int64))


def _structure_inputs(n: int, seed: int) -> tuple[dict, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    f32 = np.float32
    col = {name: (rng.random(n) < 0.2).astype(f32)
           for name in ("numeric_dates", "times", "relative_times", "month_names", "sig_start", "sig_end",
                        "name_like", "ends_sentence")}
    col["digit_share"] = (rng.random(n) * (rng.random(n) < 0.5)).astype(f32)
    words = rng.integers(0, 30, n).astype(f32)
    return col, words, rng.integers(0, 4, n).astype(f32)


@pytest.mark.parametrize("n", [1, 2, 9, 130, 2000])
def test_structure_columns_equal(n):
    for seed in range(3):
        col, words, blank = _structure_inputs(n, seed)
        want = T.structure_features(col, words, blank, n, native=False)
        got = T.structure_features(col, words, blank, n, native=True)
        assert list(got) == list(want)
        for name in want:
            assert got[name].dtype == want[name].dtype and got[name].tobytes() == want[name].tobytes(), name


@pytest.mark.parametrize("n", [1, 3, 70, 600])
def test_dom_context_equal(n):
    rng = np.random.default_rng(n)
    dom = rng.random((n, len(DOM_FEATURES))).astype(np.float32)
    dom[rng.random(dom.shape) < 0.4] = 0
    dom[rng.random(dom.shape) < 0.05] = np.nan
    want, got = D.dom_context(dom, native=False), D.dom_context(dom, native=True)
    assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


def test_served_structure_uses_the_c_counts(monkeypatch):
    col, words, blank = _structure_inputs(50, 1)
    want = T.structure_features(col, words, blank, 50, native=False)

    def fail(*a, **k):
        raise AssertionError("the numpy path computed the gaps")
    for name in ("_dist_prev", "_dist_next"):
        monkeypatch.setattr(T, name, fail)
    calls: list[int] = []
    real = NC.shape_counts
    monkeypatch.setattr(NC, "shape_counts", lambda *a: calls.append(1) or real(*a))
    got = T.structure_features(col, words, blank, 50)
    assert all(got[k].tobytes() == want[k].tobytes() for k in want) and calls == [1]
