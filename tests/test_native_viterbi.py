"""The line labeller's Viterbi path in C (workers/core/labeller/_viterbi.c) is the Python path
(decode.path_python), label for label: on the decoder inputs of the benchmark's text and HTML
pages (each with its own decoder settings), on adversarial scores (exact ties between labels
and between paths, equal transition rows, -inf and +inf scores, NaN, zero probabilities, one
line, many labels, a large page) and on random pages; the served path uses it when built, and
without it the module warns once and the Python path serves."""
from __future__ import annotations

import logging

import numpy as np
import pytest

from tests.conftest import corpus_or_skip
from tests.native_unbuilt import load_unbuilt
from workers.core.labeller import decode as D
from workers.core.labeller import native_viterbi as NV

pytestmark = pytest.mark.skipif(not NV.AVAILABLE, reason="the _viterbi extension is not built (make install)")


def _same(emit: np.ndarray, A: np.ndarray) -> None:
    assert NV.fits(emit, A)
    got, want = NV.path(emit, A), D.path_python(emit, A)
    assert got.dtype == want.dtype == np.int64 and got.shape == want.shape
    assert np.array_equal(got, want), np.flatnonzero(got != want)[:5]


def _scores(proba: np.ndarray, log_trans: np.ndarray, log_prior: np.ndarray, w: float,
            prior_weight: float) -> tuple[np.ndarray, np.ndarray]:
    """``viterbi``'s emission and transition scores."""
    emit = np.log(np.clip(proba, 1e-9, 1.0)) - prior_weight * log_prior[None, :]
    return emit, w * log_trans


@pytest.mark.slow
def test_bench_pages_decoder_inputs(monkeypatch):
    """Every page the benchmark's text and HTML sets decode: the same path from both, under the
    text and the HTML decoder settings the pages were decoded with."""
    corpus_or_skip()
    from bench.profile_parts import _values
    from workers.core.runner import StageRunner, process_values
    from workers.settings import from_env

    seen: list[tuple] = []
    real = D.viterbi

    def spy(proba, log_trans, log_prior, transition_weight=1.0, prior_weight=0.0):
        seen.append((np.array(proba), np.array(log_trans), np.array(log_prior), transition_weight, prior_weight))
        return real(proba, log_trans, log_prior, transition_weight, prior_weight)
    monkeypatch.setattr(D, "viterbi", spy)
    settings = from_env()
    for corpus in ("text", "html"):
        for _ in process_values(_values(corpus), settings, StageRunner(settings, dedupe_window=0)):
            pass
    assert len(seen) > 300
    assert len({(w, p) for *_, w, p in seen}) >= 2  # the text and the HTML settings
    lines = 0
    for proba, log_trans, log_prior, w, pw in seen:
        if proba.shape[0] and w != 0.0:
            _same(*_scores(proba, log_trans, log_prior, w, pw))
            lines += proba.shape[0]
    assert lines > 20_000


def test_random_pages_at_several_weights():
    rng = np.random.default_rng(20261130)
    for case in range(400):
        n, k = int(rng.integers(1, 300)), int(rng.integers(1, 9))
        proba = rng.dirichlet(np.full(k, 0.3), size=n)
        if case % 5 == 0:
            proba[rng.random(n) < 0.3] = 1.0 / k            # exact ties between labels
        if case % 6 == 0:
            proba[rng.random((n, k)) < 0.2] = 0.0            # zero probabilities (clipped)
        log_trans = np.log(rng.dirichlet(np.ones(k), size=k))
        if case % 7 == 0 and k > 1:
            log_trans[1] = log_trans[0]                      # two labels with the same row
        log_prior = np.log(rng.dirichlet(np.ones(k)))
        for w in (0.1, 1.0, 3.0):
            emit, A = _scores(proba, log_trans, log_prior, w, 0.5)
            _same(emit, A)
            if case % 11 == 0:
                _same(emit - 1e6, A)                         # large magnitudes


def test_exact_ties_everywhere():
    """Small integer scores: many paths of the same score, maxima shared by several labels at
    every step; the first label of a maximum wins in both."""
    rng = np.random.default_rng(7)
    for _ in range(300):
        n, k = int(rng.integers(1, 60)), int(rng.integers(2, 7))
        emit = rng.integers(-2, 1, size=(n, k)).astype(np.float64)
        A = rng.integers(-2, 1, size=(k, k)).astype(np.float64)
        _same(emit, A)
    for n in (1, 2, 5):
        _same(np.zeros((n, 6)), np.zeros((6, 6)))            # every path ties: all label 0
        assert NV.path(np.zeros((n, 6)), np.zeros((6, 6))).tolist() == [0] * n


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning", "ignore:divide by zero:RuntimeWarning")
def test_infinite_and_nan_scores():
    """-inf transitions (a forbidden step), -inf and +inf emissions, NaN emissions and NaN
    transitions: the numpy definition's maxima (NaN wins) and argmax (the first NaN)."""
    rng = np.random.default_rng(11)
    specials = np.array([-np.inf, np.inf, np.nan, 0.0, -0.0])
    for case in range(600):
        n, k = int(rng.integers(1, 40)), int(rng.integers(1, 7))
        emit = rng.normal(size=(n, k)) * 3
        A = rng.normal(size=(k, k))
        for M, share in ((emit, 0.1 if case % 2 else 0.02), (A, 0.15 if case % 3 == 0 else 0.0)):
            hit = rng.random(M.shape) < share
            M[hit] = specials[rng.integers(0, len(specials) - (case % 4 != 0) * 3, hit.sum())]
        _same(emit, A)
    for bad in (-np.inf, np.inf, np.nan):
        _same(np.full((4, 3), bad), np.zeros((3, 3)))
        _same(np.zeros((4, 3)), np.full((3, 3), bad))
    A = np.log(np.array([[0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5]]))  # log(0): -inf steps
    _same(rng.normal(size=(50, 3)), A)


def test_one_line_zero_lines_many_labels_and_a_large_page():
    rng = np.random.default_rng(5)
    _same(np.array([[0.1, 0.3, 0.3]]), np.zeros((3, 3)))
    assert NV.path(np.array([[0.1, 0.3, 0.3]]), np.zeros((3, 3))).tolist() == [1]
    assert D.viterbi(np.zeros((0, 6)), np.zeros((6, 6)), np.zeros(6)).shape == (0,)
    assert not NV.fits(np.zeros((0, 6)), np.zeros((6, 6)))
    _same(rng.normal(size=(30, NV.MAX_LABELS)), rng.normal(size=(NV.MAX_LABELS, NV.MAX_LABELS)))
    assert not NV.fits(np.zeros((3, NV.MAX_LABELS + 1)), np.zeros((NV.MAX_LABELS + 1,) * 2))
    assert not NV.fits(np.zeros((3, 6), dtype=np.float32), np.zeros((6, 6)))
    proba = rng.dirichlet(np.full(6, 0.3), size=200_000)
    _same(*_scores(proba, np.log(rng.dirichlet(np.ones(6), size=6)), np.log(np.full(6, 1 / 6)), 1.0, 0.5))


def test_strided_inputs_and_wrong_buffers():
    """Non-contiguous scores are copied first; a wrong-sized buffer is an error, not a read."""
    rng = np.random.default_rng(9)
    wide = rng.normal(size=(40, 12))
    emit, A = wide[:, ::2], rng.normal(size=(12, 12))[::2, ::2]
    _same(emit, A)
    from workers.core.labeller import _viterbi
    with pytest.raises(ValueError):
        _viterbi.path(np.zeros((4, 6)), np.zeros((6, 6)), 5, np.empty(5, dtype=np.int64), 6)
    with pytest.raises(ValueError):
        _viterbi.path(np.zeros((4, 6)), np.zeros((6, 6)), 4, np.empty(4, dtype=np.int32), 6)
    with pytest.raises(ValueError):
        _viterbi.path(np.zeros((4, 6)), np.zeros((6, 6)), 0, np.empty(0, dtype=np.int64), 6)


def test_served_viterbi_uses_the_compiled_path(monkeypatch):
    calls: list[int] = []
    real = NV.path

    def spy(emit, A):
        calls.append(emit.shape[0])
        return real(emit, A)
    monkeypatch.setattr(NV, "path", spy)
    rng = np.random.default_rng(1)
    proba = rng.dirichlet(np.ones(6), size=25)
    ids = D.viterbi(proba, np.log(rng.dirichlet(np.ones(6), size=6)), np.log(np.full(6, 1 / 6)), 1.0, 0.5)
    assert calls == [25] and ids.shape == (25,)


def test_without_the_extension_python_serves_after_one_warning(monkeypatch, caplog):
    """The module loaded as if ``_viterbi`` were not built: one warning, not AVAILABLE."""
    with caplog.at_level(logging.WARNING):
        mod = load_unbuilt(monkeypatch, NV, "workers.core.labeller._viterbi")
    assert not mod.AVAILABLE and not mod.fits(np.zeros((3, 6)), np.zeros((6, 6)))
    assert sum("_viterbi" in r.getMessage() for r in caplog.records) == 1
