"""The leaf-mask evaluation of float32 rows (workers/core/labeller/_trees_masks.h) in both of its
builds, the portable one and the AVX2 one the module picks where the CPU has it: LightGBM's
probabilities bit for bit on every committed tree set, for every block length (1-8 rows of a
vector, up to eight vectors of a 64-row block, and a block's remainder), on rows full of NaN,
signed zeros, negative values, values at and below LightGBM's zero threshold and infinities.
The committed models have no categorical splits (a categorical model is refused at load and
LightGBM serves: tests/test_native_trees.py)."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from workers.core.labeller import model as M
from workers.core.labeller import native_trees as N

pytestmark = pytest.mark.skipif(not N.AVAILABLE, reason="the _trees extension is not built (make install)")

# row counts around each vector (8 rows) and block (64 rows) boundary
ROW_COUNTS = (1, 7, 8, 9, 15, 16, 17, 24, 31, 33, 40, 47, 56, 63, 64, 65, 72, 127, 128, 129, 200)
# float32 values where LightGBM's reading of a row is delicate (as float32)
SPECIAL32 = np.array([np.nan, 0.0, -0.0, 1e-36, -1e-36, 1e-35, -1e-35,
                      np.nextafter(np.float32(1e-35), np.float32(1)), np.inf, -np.inf,
                      3.4e38, -3.4e38, 1e-45, -1e-45], dtype=np.float32)


def _builds() -> list[bool]:
    """The evaluation builds this CPU runs: the portable one, and the AVX2 one where it has it."""
    return [False, True] if N._trees.CPU_AVX2 else [False]


@pytest.fixture(scope="module")
def models():
    from workers.core.lgb import lightgbm

    if not (M.DATA_DIR / M.MODEL_FILE).is_file():
        pytest.skip("no model installed")
    lgb = lightgbm()
    out = {}
    for name in (M.MODEL_FILE, M.HTML_MODEL_FILE):
        path = M.DATA_DIR / name
        if path.is_file():
            with gzip.open(path, "rt", encoding="utf-8") as f:
                text = f.read()
            out[name] = (lgb.Booster(model_str=text), N.NativeTrees(text), N.parse(text))
    return out


@pytest.fixture
def restore_build():
    default = N._trees.avx2()
    yield
    N._trees.avx2(default)


def _rows(arrays: dict, n: int, seed: int) -> np.ndarray:
    """float32 rows: negative and positive values of several scales, split columns at a split's
    threshold or its float neighbours, a fifth of all values NaN, zeros or other special values."""
    rng = np.random.default_rng(seed)
    F = arrays["num_feature"]
    X = (rng.normal(size=(n, F)) * rng.choice([1e-3, 1.0, 50.0], size=(n, F))).astype(np.float32)
    thr, feat = arrays["threshold"], arrays["feature"]
    for i in range(n):
        j = rng.integers(0, len(thr), size=60)
        v = thr[j].astype(np.float32)
        pick = rng.integers(0, 3, size=60)
        up, down = np.nextafter(v, np.float32(np.inf)), np.nextafter(v, np.float32(-np.inf))
        X[i, feat[j]] = np.where(pick == 1, up, np.where(pick == 2, down, v))
    mask = rng.random(X.shape) < 0.2
    X[mask] = rng.choice(SPECIAL32, size=int(mask.sum()))
    return X


def _check(booster, trees, X: np.ndarray) -> None:
    want = booster.predict(X, num_threads=1)
    got = trees.predict(X)
    assert got.dtype == np.float64 and got.shape == want.shape
    assert got.tobytes() == want.tobytes()


def test_the_module_picks_avx2_where_the_cpu_has_it(restore_build):
    assert N._trees.avx2() is bool(N._trees.CPU_AVX2)  # the default, before any test chose
    assert N._trees.avx2(False) is False and N._trees.avx2() is False
    if True in _builds():
        assert N._trees.avx2(True) is True
    else:
        with pytest.raises(ValueError, match="AVX2"):
            N._trees.avx2(True)


@pytest.mark.parametrize("avx2", [False, True])
def test_every_block_length_in_both_builds(models, restore_build, avx2):
    if avx2 not in _builds():
        pytest.skip("no AVX2 on this CPU")
    N._trees.avx2(avx2)
    for booster, trees, arrays in models.values():
        assert trees.forest.masks
        for seed, n in enumerate(ROW_COUNTS):
            _check(booster, trees, _rows(arrays, n, seed))


@pytest.mark.parametrize("avx2", [False, True])
def test_special_values_in_every_column_in_both_builds(models, restore_build, avx2):
    if avx2 not in _builds():
        pytest.skip("no AVX2 on this CPU")
    N._trees.avx2(avx2)
    for booster, trees, arrays in models.values():
        F = arrays["num_feature"]
        X = np.repeat(SPECIAL32[:, None], F, axis=1)
        rolled = np.vstack([np.roll(X, s, axis=0) for s in range(len(SPECIAL32))])  # 196 rows
        _check(booster, trees, X)
        _check(booster, trees, rolled)
        _check(booster, trees, -rolled[:65])


def test_both_builds_give_the_same_bytes(models, restore_build):
    """The two builds on the same rows: the same probabilities, byte for byte (and the float64
    walk on the same values, widened, too)."""
    for _, trees, arrays in models.values():
        X = _rows(arrays, 150, 99)
        got = {}
        for avx2 in _builds():
            N._trees.avx2(avx2)
            got[avx2] = trees.predict(X).tobytes()
        assert len(set(got.values())) == 1
        assert trees.predict(X.astype(np.float64)).tobytes() == got[False]
