"""The line labeller's boosters as ``make train`` fits them (``train.py`` runs the folds):
the training rows of a set of pages (subsampled, weighted), one booster per kind of input
(plain text, HTML) on the pages ``model_items`` gives it, and the out-of-fold probabilities
of each page from its kind's booster.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from workers.core.labeller import model as M
from workers.core.labeller.features import feature_names
from workers.core.labeller.labels import (
    BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, LABEL_ID, LABELS, TITLE,
)
from workers.training import inject as INJ
from workers.training import report as R

SEED = 20261129
WORKERS = 2                 # processes of the feature pass and of the decoder trials (2 cores)
MAX_ROWS = 150_000          # rows per model (body and boilerplate lines are subsampled beyond it)
PAGE_LINES = 150            # lines of a page at full weight (bigger pages weigh the same in total)
CLASS_WEIGHT = {TITLE: 4.0, BODY: 1.0, BOILERPLATE: 1.0, COMMENT_HEAD: 2.0, COMMENT_TEXT: 1.5,
                COMMENT_CHROME: 1.5}
# Two sets of trees, one per kind of input (docs/model.md "Two models"): the HTML input's
# trees train on the widget-injected pages too, the plain-text ones never (one model for both
# read the seed page's comment section as body once the injected pages were in). Which pages
# each trains on: "all" real / synthetic / pseudo pages, or "own" (only its kind's pages). The
# HTML trees on their own pages: out of fold mean of five 0.912 vs 0.904 on all pages (0.902
# for one model without the injected pages); the text trees as the one model was (seed kept)
SPLIT_MODELS = True
MODEL_ROWS = {"text": "all", "html": "own"}
KINDS = ("text", "html")
# Per kind of input, its trees' boosting rounds and parameters where they differ from
# model.ROUNDS / model.PARAMS (with SPLIT_MODELS; rounds None: the run's rounds)
KIND_ROUNDS: dict[str, int | None] = {"text": None, "html": None}
KIND_PARAMS: dict[str, dict[str, Any]] = {"text": {}, "html": {}}


# CLASS_WEIGHT per label id (LABELS order), built once for row_weights
_CLASS_WEIGHTS = np.array([CLASS_WEIGHT[lb] for lb in LABELS], dtype=np.float32)


def row_weights(y: np.ndarray) -> np.ndarray:
    """The training weight of each line of one page (label ids ``y``): the page weight (a page
    weighs at most PAGE_LINES lines in all) times its label's CLASS_WEIGHT."""
    return np.full(len(y), min(1.0, PAGE_LINES / max(len(y), 1)), dtype=np.float32) * _CLASS_WEIGHTS[y]


def training_matrix(items: Sequence[Any], rng: np.random.Generator, max_rows: int = MAX_ROWS,
                    page_weights: Sequence[float] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows, labels and weights the trees train on; ``page_weights``: a factor per item on
    its rows' weights (None: 1 for every page; bench/hidden_copies_oof.py weighs copies apart)."""
    y = np.concatenate([it.y for it in items])
    w = np.concatenate([row_weights(it.y) for it in items] if page_weights is None else
                       [row_weights(it.y) * np.float32(f) for it, f in zip(items, page_weights, strict=True)])
    rows = np.arange(len(y))
    if len(y) > max_rows:
        # keep every line of the rare labels; subsample body and boilerplate lines uniformly
        # (their weight scaled up by the inverse rate, so the class balance stays the same)
        common = np.isin(y, [LABEL_ID[BODY], LABEL_ID[BOILERPLATE]])
        rare = np.flatnonzero(~common)
        pool = np.flatnonzero(common)
        take = max(max_rows - len(rare), len(pool) // 20)
        if take < len(pool):
            pick = rng.choice(pool, size=take, replace=False)
            w[pick] *= len(pool) / take
            rows = np.sort(np.concatenate([rare, pick]))
    # gather the chosen rows page by page (the full matrix of all pages is never built)
    ends = np.cumsum([len(it.y) for it in items])
    starts = ends - np.array([len(it.y) for it in items])
    cut = np.searchsorted(rows, starts)  # rows are sorted: page i's rows are rows[cut[i]:cut[i + 1]]
    cut = np.append(cut, len(rows))
    parts = [items[i].X[rows[cut[i]:cut[i + 1]] - starts[i]] for i in range(len(items)) if cut[i] < cut[i + 1]]
    return np.concatenate(parts), y[rows], w[rows]


def fit(items: Sequence[Any], seed_offset: int = 0, rounds: int = M.ROUNDS, params: dict[str, Any] | None = None):
    """A booster on ``items``' training rows; ``params``: overrides of model.PARAMS."""
    rng = np.random.default_rng(SEED + seed_offset)
    X, y, w = training_matrix(items, rng)
    params = dict(M.PARAMS, **(params or {}), seed=M.PARAMS["seed"] + seed_offset)
    return M.train_booster(X, y, w, feature_names(), rounds=rounds, params=params)


def kind_setup(kind: str, rounds: int) -> tuple[int, dict[str, Any]]:
    """(rounds, parameter overrides) of the ``kind`` trees in a run of ``rounds``."""
    return KIND_ROUNDS.get(kind) or rounds, dict(KIND_PARAMS.get(kind) or {})


def model_items(items: Sequence[Any], kind: str | None, inject_train: bool, final: bool) -> list[Any]:
    """The pages the ``kind`` model trains on (None: the one model for both kinds): injected
    pages only in the HTML model (and per ``_trained``), other pages as ``MODEL_ROWS`` says."""
    out = []
    for it in items:
        if INJ.is_injected(it.page.dataset):
            if kind != "text" and _trained(it, inject_train, final):
                out.append(it)
        elif kind is None or MODEL_ROWS[kind] == "all" or _kind(it) == kind:
            out.append(it)
    return out


def fit_models(items: Sequence[Any], seed_offset: int, rounds: int, inject_train: bool,
               final: bool) -> dict[str, Any]:
    """{kind: booster} for both kinds of input (the same booster twice without ``SPLIT_MODELS``)."""
    if not SPLIT_MODELS:
        b = fit(model_items(items, None, inject_train, final), seed_offset=seed_offset, rounds=rounds)
        return {k: b for k in KINDS}
    out = {}
    for k in KINDS:
        r, extra = kind_setup(k, rounds)
        out[k] = fit(model_items(items, k, inject_train, final), seed_offset=seed_offset, rounds=r, params=extra)
    return out


def predict_items(boosters: dict[str, Any], items: Sequence[Any]) -> list[np.ndarray]:
    """Probabilities per page, each page scored by its kind's booster (page order kept)."""
    out: list[np.ndarray | None] = [None] * len(items)
    for k in KINDS:
        idx = [i for i, it in enumerate(items) if _kind(it) == k]
        for i, P in zip(idx, _predict_split(boosters[k], [items[i] for i in idx])):
            out[i] = P
    return out  # type: ignore[return-value]


def _predict_split(booster, items: Sequence[Any], batch: int = 400) -> list[np.ndarray]:
    """Probabilities per page, predicted in batches of pages."""
    out: list[np.ndarray] = []
    for b in range(0, len(items), batch):
        part = items[b:b + batch]
        P = booster.predict(np.concatenate([it.X for it in part]), num_threads=M.PARAMS["num_threads"])
        out.extend(np.split(P, np.cumsum([len(it.y) for it in part])[:-1]))
    return out


def _kind(it: Any) -> str:
    """The kind of input the page stands for: "html" (the HTML path's flattening) or "text"."""
    return "html" if _is_html(it) else "text"


def _trained(it: Any, inject_train: bool, final: bool) -> bool:
    """Whether a model is trained on the page: an injected page only with ``inject_train``,
    and one of the unseen partition only in the final model (the folds never see it)."""
    if not INJ.is_injected(it.page.dataset):
        return True
    return inject_train and (final or INJ.partition(it.page.dataset) == "seen")


def _is_html(it: Any) -> bool:
    """The page is flattened as the strip stage's HTML path flattens it (decoded as HTML)."""
    return it.page.flattener == R.HTML_PATH_FLATTENER
