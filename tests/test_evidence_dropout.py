"""Evidence dropout in the labeller's training rows (workers/training/models.py)."""
from types import SimpleNamespace

import numpy as np

from workers.core.heuristics.line_features import WORDING_COLUMNS
from workers.core.labeller.features import feature_names
from workers.training import models as MD


def _items(n_pages: int, lines: int = 20):
    rng = np.random.default_rng(3)
    k = len(feature_names())
    return [SimpleNamespace(page=SimpleNamespace(page_id=f"set:{i}:dom"),
                            X=rng.normal(size=(lines, k)).astype(np.float32),
                            y=rng.integers(0, 6, size=lines)) for i in range(n_pages)]


def test_dropout_columns_are_the_named_groups():
    names = feature_names()
    cols = {names[i] for i in MD.dropout_columns()}
    assert "stop_share" in cols and "stop_share~41" in cols and "sig_page" in cols
    assert "dom:class_own_0" in cols and "dom:class_anc_7" in cols and "rule_template" in cols
    assert "log_words" not in cols and "dom:link_density" not in cols and "dom:depth" not in cols
    assert all(n.split("@")[0].split("~")[0] in WORDING_COLUMNS or n.startswith("dom:class_")
               or n in ("dom:path_bucket", "rule_template", "rule_group_template") for n in cols)


def test_dropout_sets_the_columns_of_the_chosen_pages_to_nan_only():
    items = _items(40)
    X0, y0, w0 = MD.training_matrix(items, np.random.default_rng(1))
    X1, y1, w1 = MD.training_matrix(items, np.random.default_rng(1), dropout=0.5)
    assert np.array_equal(y0, y1) and np.array_equal(w0, w1)
    cols = MD.dropout_columns()
    other = np.setdiff1d(np.arange(X0.shape[1]), cols)
    assert np.array_equal(X0[:, other], X1[:, other])
    chosen = [MD.dropped(it.page.page_id, 0.5) for it in items]
    assert 5 < sum(chosen) < 35  # about half, chosen per page
    per_page = np.repeat(chosen, 20)
    assert np.isnan(X1[per_page][:, cols]).all()
    assert np.array_equal(X0[~per_page][:, cols], X1[~per_page][:, cols])
    assert not np.isnan(X0).any()
    # the items' own matrices are untouched, and the choice is the same every time
    assert not any(np.isnan(it.X).any() for it in items)
    X2, _, _ = MD.training_matrix(items, np.random.default_rng(1), dropout=0.5)
    assert np.array_equal(X1, X2, equal_nan=True)
    assert not MD.dropped("set:0:dom", 0.0)
