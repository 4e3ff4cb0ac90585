"""Out-of-fold labels for ``bench/eval_comment_text.py --oof K``: the plain-text trees
retrained without the evaluated pages' sites, so the figures say what a site the model never
saw gets (the committed model trained on every Dragnet page, which flatters it).

A reduced form of ``make train``'s plain-text trees (``workers/training``): the same training
pages of the text kind (every flattener but the HTML path's ``dom``: Dragnet, WCXB,
CleanEval, CleanPortalEval, Readability, text-dev, the synthetic pages), the same features,
class weights, page weights and LightGBM parameters; fewer rows (every title / comment row,
``ROW_RATE`` of the body and boilerplate rows, weighted up by its inverse, as ``make train``
subsamples) and ``ROUNDS`` rounds; no pseudo-language pages. The evaluated pages' sites are
dealt to ``K`` folds (by a hash of the site); fold ``f``'s pages are labelled by trees trained
on every page whose site is not one of fold ``f``'s (all other sites stay in). The decoder is
the committed model's (its transitions, prior and settings). About 3 GB at the peak and
several minutes on 2 cores: do not run it beside ``make train``. The real pages' rows are cached
under ``.cache/comment-text-oof/`` (keyed by the training-data cache and the feature code);
the synthetic pages' rows are built again on every run, so a change of the widget grammar
(``workers/training/synthetic*.py``, ``widget_vocab.py``) is measured by running it again.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import time
import zlib
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

ROUNDS = 30          # boosting rounds (make train: 60)
ROW_RATE = 0.05      # share of the body / boilerplate rows kept (make train keeps about 1 in 20 too)
WORKERS = 2
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "comment-text-oof"


def fold_of_site(site: str, k: int) -> int:
    return zlib.crc32(f"oof:{site}".encode("utf-8")) % k


def _rows_one(p: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The reduced training rows of one page: (X, y, weights)."""
    from workers.core.labeller.labels import BODY, BOILERPLATE, LABEL_ID
    from workers.training.models import row_weights
    from workers.training.train import _featurize_one

    X, y, _ev = _featurize_one(p)
    w = row_weights(y)
    rng = np.random.default_rng(zlib.crc32(p.page_id.encode("utf-8")))
    common = np.isin(y, [LABEL_ID[BODY], LABEL_ID[BOILERPLATE]])
    keep = ~common | (rng.random(len(y)) < ROW_RATE)
    w[common] /= ROW_RATE
    return X[keep].astype(np.float32), y[keep], w[keep]


def _rows(pages: Sequence[Any], log: Callable[[str], None]) -> dict[str, np.ndarray]:
    """The rows of ``pages`` and the site index of every row."""
    sites = sorted({p.site for p in pages})
    sid = {s: i for i, s in enumerate(sites)}
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    t0 = time.monotonic()
    with mp.get_context("fork").Pool(WORKERS) as pool:
        for i, r in enumerate(pool.imap(_rows_one, pages, chunksize=16)):
            parts.append(r)
            if (i + 1) % 2000 == 0:
                log(f"  oof rows: {i + 1}/{len(pages)} pages, {time.monotonic() - t0:.0f} s")
    site_idx = np.concatenate([np.full(len(r[1]), sid[p.site], dtype=np.int32) for p, r in zip(pages, parts)])
    return {"X": np.concatenate([r[0] for r in parts]), "y": np.concatenate([r[1] for r in parts]),
            "w": np.concatenate([r[2] for r in parts]), "site": site_idx, "sites": np.array(sites, dtype=object)}


def _code_key() -> str:
    """The feature code and the rows' settings (the training data itself: its cache's name)."""
    h = hashlib.blake2b(digest_size=10)
    h.update(repr((ROW_RATE, "v1")).encode())
    core = ROOT / "workers" / "core"
    for d in ("labeller", "heuristics", "rules"):
        for p in sorted((core / d).glob("*.py")):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def training_rows(shared: Path, log: Callable[[str], None] = print) -> tuple[dict, dict]:
    """(real pages' rows, synthetic pages' rows) of the plain-text kind."""
    from workers.training.dataset import build_dataset

    pages = build_dataset(shared, cache=ROOT / ".cache", verbose=False)
    text = [p for p in pages if p.flattener != "dom"]
    real = [p for p in text if p.dataset != "synthetic"]
    synth = [p for p in text if p.dataset == "synthetic"]
    data_key = sorted((ROOT / ".cache" / "training-data").glob("*.pkl"))
    key = f"{data_key[0].stem if data_key else 'none'}-{_code_key()}"
    path = CACHE / f"real-{key}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=True) as z:
            real_rows = {k: z[k] for k in z.files}
    else:
        log(f"oof: rows of {len(real)} real text pages (cached after this run)")
        real_rows = _rows(real, log)
        CACHE.mkdir(parents=True, exist_ok=True)
        for old in CACHE.glob("real-*.npz"):
            old.unlink()
        np.savez(path, **real_rows)
    log(f"oof: rows of {len(synth)} synthetic pages")
    return real_rows, _rows(synth, log)


def oof_labels(eval_pages: list[dict], shared: Path, k: int = 2, rounds: int = ROUNDS,
               log: Callable[[str], None] = print, save_trees: Path | None = None) -> dict[str, Any]:
    """Sets ``p["model_labels"]`` of every evaluated page (each needs ``site``) to the labels
    of trees that never saw its site; returns what was trained (rows, synthetic share).
    ``save_trees``: also fit the same reduced trees on every page and save them there
    (``bench/eval_comment_records.py --text-trees``: the same reduced model on its sections)."""
    from workers.core.labeller import model as M
    from workers.core.labeller.apply import label_page
    from workers.core.labeller.features import feature_names

    real, synth = training_rows(shared, log)
    base = M.load()
    info: dict[str, Any] = {"rounds": rounds, "folds": k}
    for f in range(k):
        out = {p["site"] for p in eval_pages if fold_of_site(p["site"], k) == f}
        keep_r = ~np.isin(real["sites"][real["site"]], list(out))
        keep_s = ~np.isin(synth["sites"][synth["site"]], list(out))
        X = np.concatenate([real["X"][keep_r], synth["X"][keep_s]])
        y = np.concatenate([real["y"][keep_r], synth["y"][keep_s]])
        w = np.concatenate([real["w"][keep_r], synth["w"][keep_s]])
        info[f"fold{f}"] = {"rows": int(len(y)), "synthetic_rows": int(keep_s.sum()),
                            "synthetic_weight": float(w[len(y) - int(keep_s.sum()):].sum() / w.sum())}
        t0 = time.monotonic()
        params = dict(M.PARAMS, seed=M.PARAMS["seed"] + 100 + f)
        booster = M.train_booster(X, y, w, feature_names(), rounds=rounds, params=params)
        del X, y, w
        lab = M.Labeller(booster=booster, meta=base.meta)
        todo = [p for p in eval_pages if fold_of_site(p["site"], k) == f]
        for p in todo:
            p["model_labels"] = label_page(p["lines"], None, p["url"], p["id"], model=lab).labels
        log(f"oof fold {f + 1}/{k}: {info[f'fold{f}']['rows']} rows "
            f"(synthetic {info[f'fold{f}']['synthetic_rows']}, {info[f'fold{f}']['synthetic_weight']:.1%} of the weight), "
            f"{len(out)} sites held out, {len(todo)} pages labelled, {time.monotonic() - t0:.0f} s")
    if save_trees is not None:
        t0 = time.monotonic()
        X = np.concatenate([real["X"], synth["X"]])
        y = np.concatenate([real["y"], synth["y"]])
        w = np.concatenate([real["w"], synth["w"]])
        booster = M.train_booster(X, y, w, feature_names(), rounds=rounds, params=dict(M.PARAMS, seed=M.PARAMS["seed"] + 99))
        Path(save_trees).parent.mkdir(parents=True, exist_ok=True)
        booster.save_model(str(save_trees))
        info["all"] = {"rows": int(len(y)), "synthetic_rows": int(len(synth["y"])),
                       "synthetic_weight": float(synth["w"].sum() / w.sum())}
        log(f"oof: trees on every page ({len(y)} rows, synthetic {info['all']['synthetic_weight']:.1%} of the weight) "
            f"saved to {save_trees}, {time.monotonic() - t0:.0f} s")
    return info
