"""Training of the line labeller (``make train`` = ``python -m workers.training``).

1. the training pages (``workers.training.dataset.build_dataset``: the html-dev pages
   flattened several ways with projected gold, text-dev with exact gold, synthetic comment
   sections), the rule labeller's evidence and the feature matrix per page;
2. site-split k-fold (pages grouped by site, so no site is in both halves): a model per
   fold, out-of-fold scores for every page, the decoder's two weights chosen on them;
3. the final model on all pages, saved with its metadata under
   ``workers/core/labeller/data/``;
4. figures: validation (out-of-fold) next to training figures and to the rules' figures on
   the same pages, per dataset and page type.

Deterministic: fixed seeds, pages in ``page_id`` order, LightGBM ``deterministic``.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from workers.core.labeller import model as M
from workers.core.labeller.decode import transition_matrix
from workers.core.labeller.evidence import rule_evidence
from workers.core.labeller.features import Evidence, feature_names, page_features
from workers.core.labeller.labels import (
    BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, LABEL_ID, TITLE,
)
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.training import inject as INJ
from workers.training import pseudo as PS
from workers.training import models as MD
from workers.training import report as R
from workers.training.dataset import gc_paused
from workers.training.pools import can_fork, fork_map
from workers.training.decoders import (  # noqa: F401 - re-exported (tests, experiments)
    choose_decoders, comments_of, decode_labels, score, score_in_pool,
)
from workers.training.models import (  # noqa: F401 - re-exported (tests, experiments)
    CLASS_WEIGHT, KINDS, MAX_ROWS, MODEL_ROWS, PAGE_LINES, SEED, WORKERS, _is_html, _kind, _predict_split,
    _trained, fit, fit_models, model_items, predict_items, training_matrix,
)

FOLDS = 2
TRAIN_FIGURE_PAGES = 1500   # training figures on an evenly spaced sample of fold 1's training pages


@dataclass
class Item:
    page: Any
    X: np.ndarray
    y: np.ndarray
    ev: Evidence


def _featurize_one(p: Any) -> tuple[np.ndarray, np.ndarray, Evidence]:
    ev = rule_evidence(p.lines, None, p.url, p.page_id)
    X = page_features([ln.text for ln in p.lines], [ln.blank_before for ln in p.lines], ev, dom=p.dom)
    y = np.fromiter((LABEL_ID[lb] for lb in p.labels), dtype=np.int64, count=len(p.labels))
    return X, y, ev


def featurize(pages: Sequence[Any], log: Callable[[str], None] = print, workers: int = WORKERS) -> list[Item]:
    """Evidence and features of every page (``workers`` processes; same result as one)."""
    out = []
    t0 = time.monotonic()
    if workers > 1 and len(pages) > 200 and can_fork():
        # the workers read the pages from their fork (no page is pickled to them)
        for i, (p, r) in enumerate(zip(pages, fork_map(_featurize_one, pages, workers, chunksize=16))):
            out.append(Item(p, *r))
            if (i + 1) % 2000 == 0:
                log(f"  features: {i + 1}/{len(pages)} pages, {time.monotonic() - t0:.0f} s")
    else:
        out = [Item(p, *_featurize_one(p)) for p in pages]
    return out


def site_folds(items: Sequence[Item], k: int = FOLDS) -> np.ndarray:
    """Fold id per page: sites (hash-ordered, deterministic) dealt to the fold with the
    fewest lines so far; all pages of a site in one fold. The injected pages do not count
    in the loads (the folds are the same with or without them; each is in its source's)."""
    lines: dict[str, int] = {}
    for it in items:
        n = 0 if INJ.is_injected(it.page.dataset) else len(it.y)
        lines[it.page.site] = lines.get(it.page.site, 0) + n
    order = sorted(lines, key=lambda s: hashlib.blake2b(f"{SEED}:{s}".encode(), digest_size=8).digest())
    load = [0] * k
    fold_of: dict[str, int] = {}
    for s in order:
        f = min(range(k), key=lambda j: (load[j], j))
        fold_of[s] = f
        load[f] += lines[s]
    return np.array([fold_of[it.page.site] for it in items], dtype=np.int64)


def decoder_meta(items: Sequence[Item]) -> dict[str, Any]:
    log_t, prior = transition_matrix(it.y for it in items)
    return {"transitions": log_t.tolist(), "prior": prior.tolist()}


_RULE_ROLE_LABEL = {"title": TITLE, "body": BODY, "comment-author": COMMENT_HEAD, "comment-start": COMMENT_TEXT,
                    "comment": COMMENT_TEXT, "comment-author-after": COMMENT_HEAD}


def rule_labels(ev: Evidence) -> list[str]:
    """The rule labeller's answer as labels (for the rules-vs-model comparison)."""
    out = []
    for r, role in zip(ev.reasons, ev.roles):
        if r is None:
            out.append(_RULE_ROLE_LABEL.get(role or "body", BODY))
        elif r in COMMENT_REASONS:
            out.append(COMMENT_HEAD if r == "placeholder-author" else COMMENT_CHROME)
        else:
            out.append(BOILERPLATE)
    return out


def _grouped(scores: Sequence[R.PageScore]) -> dict[str, list[R.PageScore]]:
    g: dict[str, list[R.PageScore]] = {}
    for s in scores:
        if INJ.is_injected(s.dataset):  # the unseen-widget proxy: apart from every real figure
            part = INJ.partition(s.dataset)
            keys = (f"inject-{part}", f"inject-{part}/{s.dataset.split('-', 2)[2]}")
        elif PS.is_pseudo(s.dataset):  # the unseen-language proxy: apart from every real figure
            keys: tuple[str, ...] = ("pseudo", R.group_key(s), *(k.replace("by-flattener/", "pseudo-flattener/")
                                                                    for k in R.flattener_keys(s)))
        else:
            keys = ("all", f"{'synthetic' if s.dataset == 'synthetic' else 'real'}", R.group_key(s),
                    *R.flattener_keys(s))
        for key in keys:
            g.setdefault(key, []).append(s)
    return g


def run(pages: Sequence[Any], *, folds: int = FOLDS, rounds: int = M.ROUNDS, save_dir=M.DATA_DIR,
        log: Callable[[str], None] = print, pseudo_share: float = PS.SHARE, shared=None,
        inject_share: float = INJ.SHARE, inject_train: bool = INJ.TRAIN) -> dict[str, Any]:
    """Train, validate by site, save; returns the report (also printed through ``log``).
    ``pseudo_share``: share of the real pages also trained on (and validated) in a
    pseudo-language form (``pseudo.py``; 0: none). ``shared`` (the ../shared directory):
    a share ``inject_share`` of the html-dev sources also gets a version with injected
    widgets (``inject.py``), validated apart; trained on (the seen partition in the folds,
    both in the final model) when ``inject_train``."""
    t0 = time.monotonic()
    with gc_paused():  # the pages and feature rows made here live to the end
        items = _items(pages, t0, log, pseudo_share, shared, inject_share)
    fold = site_folds(items, folds) if folds > 1 else np.zeros(len(items), dtype=np.int64)
    oof: list[np.ndarray | None] = [None] * len(items)
    fold_meta: list[dict | None] = [None] * len(items)
    train_fig: tuple = ([], {}, {})
    for f in range(folds if folds > 1 else 0):
        tr = [it for it, fi in zip(items, fold) if fi != f and _trained(it, inject_train, final=False)]
        va_idx = [i for i, fi in enumerate(fold) if fi == f]
        boosters = fit_models([it for it, fi in zip(items, fold) if fi != f], f + 1, rounds, inject_train, final=False)
        meta_f = decoder_meta(_real(tr))
        for i, P in zip(va_idx, predict_items(boosters, [items[i] for i in va_idx])):
            oof[i], fold_meta[i] = P, meta_f
        if f == 0:
            sample = tr[::max(1, len(tr) // TRAIN_FIGURE_PAGES)]
            train_fig = (sample, {id(x): p for x, p in zip(sample, predict_items(boosters, sample))}, meta_f)
        log(f"fold {f + 1}/{folds}: {len(tr)} training pages, {len(va_idx)} validation pages, "
            f"{time.monotonic() - t0:.0f} s")
    report: dict[str, Any] = {"pages": len(items), "folds": folds}
    dec: dict[str, Any] = {"transition_weight": 1.0, "prior_weight": 0.0, "boilerplate_floor": None}
    dec_html: dict[str, Any] = dict(dec)
    if folds > 1:
        t1 = time.monotonic()
        dec, dec_html, val_scores = choose_decoders(items, oof, fold_meta, log)
        log(f"decoders chosen: {time.monotonic() - t1:.0f} s ({time.monotonic() - t0:.0f} s in all)")
        sample, probs, meta_t = train_fig  # training figures decoded with the chosen decoders too
        rule_scores, label_scores, train_scores = score_in_pool([
            (items, lambda it: rule_labels(it.ev)),
            (items, lambda it: list(it.page.labels)),  # the labels' own ceiling
            (sample, lambda it: decode_labels(probs[id(it)], meta_t, dec_html if _is_html(it) else dec,
                                              [ln.text for ln in it.page.lines]))])
        groups: dict[str, dict[str, dict]] = {}
        for col, sc in (("train", train_scores), ("validation", val_scores), ("rules", rule_scores),
                        ("labels", label_scores)):
            for key, ss in _grouped(sc).items():
                groups.setdefault(key, {})[col] = R.aggregate(ss)
        report["groups"] = groups
        log("site-split validation (out of fold) next to training figures (fold 1's training pages), "
            "the rule labeller on the same pages and the training labels themselves:")
        for row in R.table(groups, R.COLUMNS):
            log("  " + row)
        log(f"figures: {time.monotonic() - t1:.0f} s since the folds ({time.monotonic() - t0:.0f} s in all)")
    t1 = time.monotonic()
    trained = [it for it in items if _trained(it, inject_train, final=True)]
    boosters = fit_models(items, 0, rounds, inject_train, final=True)
    meta = dict(decoder_meta(_real(trained)))
    meta.update({
        "feature_names": feature_names(),
        "decoder": dec,
        "decoder_html": dec_html,
        "params": M.PARAMS, "rounds": rounds,
        "kinds": {k: dict(zip(("rounds", "params"), MD.kind_setup(k, rounds))) for k in KINDS},
        "folds": folds,
        "report": report.get("groups", {}),
    })
    if MD.SPLIT_MODELS:
        meta["trained_on"] = {k: _trained_on(model_items(items, k, inject_train, final=True)) for k in KINDS}
        meta["model_rows"] = dict(MODEL_ROWS)
    else:
        meta["trained_on"] = _trained_on(trained)
    booster = boosters["text"]
    log(f"final model: {time.monotonic() - t1:.0f} s")
    if save_dir is not None:
        report["version"] = M.save(booster, meta, save_dir,
                                   booster_html=boosters["html"] if MD.SPLIT_MODELS else None)
        log(f"model {report['version']} saved to {save_dir} ({time.monotonic() - t0:.0f} s in all)")
    report["booster"] = booster
    report["meta"] = meta
    return report


def _items(pages: Sequence[Any], t0: float, log: Callable[[str], None], pseudo_share: float, shared,
           inject_share: float) -> list[Item]:
    """Every page's features: the pages given, their pseudo-language and injected versions."""
    if pseudo_share > 0:
        extra = PS.make_pages(list(pages), pseudo_share)
        log(f"pseudo-language pages: {len(extra)} ({pseudo_share:.0%} of the real pages' sources), "
            f"{time.monotonic() - t0:.0f} s")
        pages = sorted(list(pages) + extra, key=lambda p: p.page_id)
    if shared is not None and inject_share > 0:
        extra = INJ.make_pages(shared, pages, inject_share, log=log)
        pages = sorted(list(pages) + extra, key=lambda p: p.page_id)
        log(f"  injected pages made by {time.monotonic() - t0:.0f} s")
    items = featurize(pages, log)
    log(f"features: {len(items)} pages, {sum(len(it.y) for it in items)} lines, "
        f"{len(feature_names())} features, {time.monotonic() - t0:.0f} s")
    return items


def _trained_on(items: Sequence[Item]) -> dict[str, Any]:
    return {"pages": len(items), "lines": int(sum(len(it.y) for it in items)),
            "sites": len({it.page.site for it in items}),
            "datasets": dict(sorted(_count(_dataset_group(it.page.dataset) for it in items).items()))}


def _real(items: Sequence[Item]) -> list[Item]:
    """The items that are not pseudo-language or injected pages (the decoder's transitions are theirs)."""
    return [it for it in items if not (PS.is_pseudo(it.page.dataset) or INJ.is_injected(it.page.dataset))]


def _dataset_group(dataset: str) -> str:
    """The injected pages' datasets counted as one per partition in the model's metadata."""
    return f"{INJ.DATASET_PREFIX}{INJ.partition(dataset)}" if INJ.is_injected(dataset) else dataset


def _count(xs) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in xs:
        out[x] = out.get(x, 0) + 1
    return out
