"""The line labeller's trees in C (workers/core/labeller/_trees.c) give LightGBM's probabilities
bit for bit: on the benchmark pages' real feature rows (both tree sets), on random rows full of
the values where a tree's decision is delicate, on zero rows and one row; the same errors for a
wrong input; the served path uses the C evaluator when it is built."""
from __future__ import annotations

import gzip

import numpy as np
import pytest

from tests.conftest import corpus_or_skip
from workers.core.labeller import model as M
from workers.core.labeller import native_trees as N

pytestmark = pytest.mark.skipif(not N.AVAILABLE, reason="the _trees extension is not built (make install)")

TREE_FILES = (M.MODEL_FILE, M.HTML_MODEL_FILE)
# the values where LightGBM's reading of a row is delicate: NaN, signed zeros, magnitudes at and
# below its zero threshold (1e-35 as a float), infinities
SPECIAL = np.array([np.nan, 0.0, -0.0, 1e-36, -1e-36, 1e-35, -1e-35, float(np.float32(1e-35)),
                    -float(np.float32(1e-35)), np.nextafter(float(np.float32(1e-35)), 1.0),
                    np.inf, -np.inf, 1e300, -1e300, 5e-324])


def _texts() -> dict[str, str]:
    if not (M.DATA_DIR / M.MODEL_FILE).is_file():
        pytest.skip("no model installed")
    out = {}
    for name in TREE_FILES:
        path = M.DATA_DIR / name
        if path.is_file():
            with gzip.open(path, "rt", encoding="utf-8") as f:
                out[name] = f.read()
    return out


@pytest.fixture(scope="module")
def models():
    from workers.core.lgb import lightgbm

    lgb = lightgbm()
    return {name: (lgb.Booster(model_str=text), N.NativeTrees(text)) for name, text in _texts().items()}


def _same(booster, trees, X: np.ndarray) -> None:
    want = booster.predict(X, num_threads=1)
    got = trees.predict(X)
    assert got.dtype == np.float64 and got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=True)
    assert got.tobytes() == want.tobytes()


def _delicate_rows(arrays: dict, n: int, seed: int) -> np.ndarray:
    """Random rows whose split columns often hold a split's threshold or its float neighbours,
    with special values sprinkled in."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, arrays["num_feature"])) * rng.choice([0.0, 1e-3, 1.0, 20.0], size=(n, arrays["num_feature"]))
    thr, feat = arrays["threshold"], arrays["feature"]
    for i in range(n):
        j = rng.integers(0, len(thr), size=80)
        v = thr[j]
        pick = rng.integers(0, 3, size=80)
        v = np.where(pick == 1, np.nextafter(v, np.inf), np.where(pick == 2, np.nextafter(v, -np.inf), v))
        X[i, feat[j]] = v
    mask = rng.random(X.shape) < 0.08
    X[mask] = rng.choice(SPECIAL, size=int(mask.sum()))
    return X


def test_models_use_numerical_splits_only():
    """What the C evaluator covers: the committed models are multiclass of numerical splits
    (a categorical one would be refused at load and served by LightGBM)."""
    for text in _texts().values():
        a = N.parse(text)
        assert a["num_class"] == 6 and not (a["decision_type"] & 1).any()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_and_delicate_rows(models, seed):
    for name, (booster, trees) in models.items():
        X = _delicate_rows(N.parse(_texts()[name]), 600, seed)
        _same(booster, trees, X)
        with np.errstate(over="ignore"):  # 1e300 becomes inf in float32
            X32 = X.astype(np.float32)
        _same(booster, trees, X32)  # a float32 matrix is widened the same way


def test_every_special_value_in_every_column(models):
    for booster, trees in models.values():
        n_feat = trees.num_feature
        X = np.zeros((len(SPECIAL), n_feat))
        X[:] = SPECIAL[:, None]
        _same(booster, trees, X)
        _same(booster, trees, np.roll(X, 1, axis=1) * -1.0)


def test_zero_rows_and_one_row(models):
    for booster, trees in models.values():
        empty = trees.predict(np.zeros((0, trees.num_feature)))
        assert empty.shape == (0, 6) and empty.dtype == np.float64
        _same(booster, trees, np.zeros((1, trees.num_feature)))
        _same(booster, trees, np.full((1, trees.num_feature), np.nan))


def test_inputs_converted_as_lightgbm_converts_them(models):
    """Non-contiguous, Fortran-ordered and integer matrices: converted (integers through
    float32, as LightGBM's predict does), the same probabilities."""
    booster, trees = next(iter(models.values()))
    X = _delicate_rows(N.parse(_texts()[M.MODEL_FILE]), 50, 7)
    _same(booster, trees, X[::2])
    _same(booster, trees, np.asfortranarray(X))
    ints = np.random.default_rng(3).integers(-(2 ** 30), 2 ** 30, size=(20, trees.num_feature))
    _same(booster, trees, ints)


def test_wrong_shapes_are_errors(models):
    booster, trees = next(iter(models.values()))
    for bad in (np.zeros((3, trees.num_feature + 1)), np.zeros((3, trees.num_feature - 1))):
        with pytest.raises(Exception):
            booster.predict(bad, num_threads=1)
        with pytest.raises(ValueError, match="number of features"):
            trees.predict(bad)
    with pytest.raises(ValueError, match="2 dimensional"):
        trees.predict(np.zeros(trees.num_feature))
    with pytest.raises(ValueError, match="2-D C-contiguous float64 or float32"):
        trees.forest.predict(np.zeros((2, trees.num_feature), dtype=np.float16), np.empty((2, 6)))
    with pytest.raises(ValueError, match="out must be a 2-D C-contiguous float64"):
        trees.forest.predict(np.zeros((2, trees.num_feature)), np.empty((2, 6), dtype=np.float32))
    with pytest.raises(ValueError, match="model wants"):
        trees.forest.predict(np.zeros((2, trees.num_feature)), np.empty((3, 6)))


def test_unsupported_models_are_refused():
    text = _texts()[M.MODEL_FILE]
    with pytest.raises(ValueError, match="categorical"):
        N.NativeTrees(text.replace("num_cat=0", "num_cat=1", 1))
    with pytest.raises(ValueError, match="multiclass"):
        N.NativeTrees(text.replace("objective=multiclass", "objective=multiclassova", 1))
    a = N.parse(text)
    bad = dict(a, left=np.where(a["left"] >= 0, 0, a["left"]).astype(np.int32))  # a node leading back
    with pytest.raises(ValueError, match="child out of range"):
        N._trees.Forest(**bad)
    with pytest.raises(ValueError, match="feature"):
        N._trees.Forest(**dict(a, feature=np.full_like(a["feature"], a["num_feature"])))
    forest = N._trees.Forest(**a)
    with pytest.raises(TypeError, match="already"):
        forest.__init__(**a)


def test_one_leaf_trees():
    """A tree of one leaf (LightGBM writes one when no split gains) adds its value."""
    from workers.core.lgb import lightgbm

    lgb = lightgbm()
    rng = np.random.default_rng(5)
    X = rng.normal(size=(300, 4))
    y = rng.integers(0, 3, size=300)
    params = {"objective": "multiclass", "num_class": 3, "verbose": -1, "min_data_in_leaf": 200,
              "num_threads": 1, "deterministic": True}
    booster = lgb.train(params, lgb.Dataset(X, label=y), num_boost_round=5)
    text = booster.model_to_string()
    assert "num_leaves=1\n" in text
    trees = N.NativeTrees(text)
    _same(booster, trees, np.vstack([X, np.full((1, 4), np.nan), np.zeros((1, 4))]))


def test_served_path_uses_the_c_trees(monkeypatch):
    """Labeller.predict: the C evaluator when built (LightGBM's predict is not called)."""
    lab = M.load()
    assert isinstance(lab.trees, N.NativeTrees)
    assert (lab.trees_html is not None) == (lab.booster_html is not None)
    X = np.zeros((2, len(lab.feature_names)))
    want = {h: lab.predict(X, html=h) for h in (False, True)}

    def fail(*a, **k):
        raise AssertionError("LightGBM predicted")
    monkeypatch.setattr(type(lab.booster), "predict", fail)
    for h in (False, True):
        assert lab.predict(X, html=h).tobytes() == want[h].tobytes()


def test_without_the_extension_lightgbm_serves(monkeypatch, caplog):
    monkeypatch.setattr(N, "AVAILABLE", False)
    trees = M._native("unused", None)
    assert trees == (None, None)
    assert "not built" in caplog.text


@pytest.mark.slow
def test_bench_pages_real_rows(models, monkeypatch):
    """The benchmark's text and HTML pages through the offline path: every feature matrix
    the labeller is handed, scored by both evaluators."""
    corpus_or_skip()
    from bench.profile_parts import _values
    from workers.core.runner import StageRunner, process_values
    from workers.settings import from_env

    seen: list[tuple[np.ndarray, bool]] = []
    real = M.Labeller.predict

    def spy(self, X, html=False):
        seen.append((np.array(X), html))
        return real(self, X, html=html)
    monkeypatch.setattr(M.Labeller, "predict", spy)
    settings = from_env()
    for corpus in ("text", "html"):
        for _ in process_values(_values(corpus), settings, StageRunner(settings, dedupe_window=0)):
            pass
    lab = M.load()
    by_kind = {False: models[M.MODEL_FILE], True: models.get(M.HTML_MODEL_FILE, models[M.MODEL_FILE])}
    assert sum(h for _, h in seen) > 100 and sum(not h for _, h in seen) > 100
    for X, html in seen:
        booster, trees = by_kind[html and lab.booster_html is not None]
        _same(booster, trees, X)


def test_missing_type_zero_and_nan_nodes():
    """A model trained with zero as missing (LightGBM missing type Zero: 0.0 and NaN go to the
    default side) and one with NaN as missing, on rows full of zeros, NaN and special values:
    the slower step with the zero check, and NaN sent both ways."""
    from workers.core.lgb import lightgbm

    lgb = lightgbm()
    rng = np.random.default_rng(11)
    X = rng.normal(size=(900, 6)) * rng.choice([0.0, 1.0], size=(900, 6), p=[0.3, 0.7])
    X[rng.random(X.shape) < 0.15] = np.nan
    y = ((np.nan_to_num(X[:, 0]) > 0) + (X[:, 1] == 0) + np.isnan(X[:, 2])).astype(int)
    kinds = set()
    for zero_as_missing in (True, False):
        params = {"objective": "multiclass", "num_class": 3, "verbose": -1, "min_data_in_leaf": 5,
                  "num_threads": 1, "deterministic": True, "zero_as_missing": zero_as_missing}
        booster = lgb.train(params, lgb.Dataset(X, label=y), num_boost_round=8)
        text = booster.model_to_string()
        trees = N.NativeTrees(text)
        kinds |= {(int(d) >> 2) & 3 for d in N.parse(text)["decision_type"]}
        test = rng.normal(size=(400, 6)) * rng.choice([0.0, 1.0], size=(400, 6))
        mask = rng.random(test.shape) < 0.2
        test[mask] = rng.choice(SPECIAL, size=int(mask.sum()))
        _same(booster, trees, np.vstack([X, test]))
        _same(booster, trees, np.vstack([X, test]).astype(np.float32))
    assert kinds >= {1, 2}  # missing types Zero and NaN both met


def _float32_delicate_rows(arrays: dict, n: int, seed: int) -> np.ndarray:
    """float32 rows whose split columns hold the float nearest a split's threshold or one of its
    float neighbours (where a float's reading as double meets the double threshold), with
    special values sprinkled in."""
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(n, arrays["num_feature"])) * 10).astype(np.float32)
    thr, feat = arrays["threshold"], arrays["feature"]
    for i in range(n):
        j = rng.integers(0, len(thr), size=80)
        v = thr[j].astype(np.float32)
        pick = rng.integers(0, 3, size=80)
        v = np.where(pick == 1, np.nextafter(v, np.float32(np.inf)), np.where(pick == 2, np.nextafter(v, np.float32(-np.inf)), v))
        X[i, feat[j]] = v
    mask = rng.random(X.shape) < 0.1
    X[mask] = rng.choice(SPECIAL, size=int(mask.sum())).astype(np.float32)
    return X


def test_float32_rows_by_leaf_masks(models):
    """The labeller's float32 rows go through the leaf masks (both committed tree sets allow
    them): LightGBM's probabilities on rows at the float neighbours of every kind of threshold,
    on special values in every column, and on one row and a block's remainder."""
    for name, (booster, trees) in models.items():
        assert trees.forest.masks, name
        a = N.parse(booster.model_to_string())
        for seed in range(3):
            _same(booster, trees, _float32_delicate_rows(a, 157, seed))
        X = np.zeros((len(SPECIAL), a["num_feature"]), dtype=np.float32)
        for i, v in enumerate(SPECIAL):
            X[i, :] = v
        _same(booster, trees, X)
        _same(booster, trees, X[:1])
        _same(booster, trees, np.vstack([X] * 3)[:33])


def test_leaf_masks_only_where_they_apply():
    """Trees of over 32 leaves (33), and missing-type-Zero nodes, are walked (no masks); a forest of
    one-leaf trees and small trees gets masks; float32 rows give LightGBM's values either way."""
    from workers.core.lgb import lightgbm

    lgb = lightgbm()
    rng = np.random.default_rng(8)
    X = rng.normal(size=(3000, 5))
    X[rng.random(X.shape) < 0.1] = np.nan
    y = (np.nan_to_num(X[:, 0]) * 3 + np.nan_to_num(X[:, 1]) > 0).astype(int) + (np.nan_to_num(X[:, 2]) > 1)
    for leaves, min_data, masks in ((33, 5, False), (32, 5, True), (8, 2500, True)):
        params = {"objective": "multiclass", "num_class": 3, "verbose": -1, "num_leaves": leaves,
                  "min_data_in_leaf": min_data, "num_threads": 1, "deterministic": True}
        booster = lgb.train(params, lgb.Dataset(X, label=y), num_boost_round=4)
        text = booster.model_to_string()
        most = max(int(ln.split("=")[1]) for ln in text.splitlines() if ln.startswith("num_leaves="))
        assert most <= leaves
        if leaves in (32, 33):
            assert most == leaves  # a mask of all 32 bits; one leaf too many for a mask
        if min_data == 2500:
            assert "num_leaves=1\n" in text
        trees = N.NativeTrees(text)
        assert trees.forest.masks is masks, leaves
        test = np.vstack([X[:400], np.full((1, 5), np.nan), np.zeros((1, 5))]).astype(np.float32)
        _same(booster, trees, test)
    params = {"objective": "multiclass", "num_class": 3, "verbose": -1, "zero_as_missing": True,
              "num_threads": 1, "deterministic": True}
    zero = N.NativeTrees(lgb.train(params, lgb.Dataset(X, label=y), num_boost_round=3).model_to_string())
    assert not zero.forest.masks
