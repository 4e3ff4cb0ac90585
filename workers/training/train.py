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
import multiprocessing as mp
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from workers.core.labeller import model as M
from workers.core.labeller.apply import _one_title
from workers.core.labeller.comments import comment_roles
from workers.core.labeller.decode import decode, transition_matrix
from workers.core.labeller.evidence import rule_evidence
from workers.core.labeller.features import Evidence, feature_names, page_features
from workers.core.labeller.labels import (
    BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, LABEL_ID, LABELS, TITLE,
)
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.training import inject as INJ
from workers.training import pseudo as PS
from workers.training import models as MD
from workers.training import report as R
from workers.training.models import (  # noqa: F401 - re-exported (tests, experiments)
    CLASS_WEIGHT, KINDS, MAX_ROWS, MODEL_ROWS, PAGE_LINES, SEED, _is_html, _kind, _predict_split,
    _trained, fit, fit_models, model_items, predict_items, training_matrix,
)

FOLDS = 2
WORKERS = 2
# Decoder settings tried out of fold, chosen apart for plain-text input and for HTML input
# (the DOM columns make the HTML pages' scores sharper: they need fewer transitions)
DECODER_GRID = ((0.0, 0.0), (0.3, 0.0), (0.15, 0.3), (0.3, 0.3))  # text: (transition, prior) weights
# HTML: the same; since labeller-1-d3f12cf0 only the points near the earlier choices (0, 0.3),
# (0.05, 0.3), (0.15, 0.3) and a comment bias of 0 were never chosen (docs/model.md), so the
# trials of the larger comment biases fit in make train's time
DECODER_GRID_HTML = ((0.05, 0.5), (0.1, 0.3), (0.1, 0.5))
COMMENT_BIASES_HTML = (0.3, 0.7, 1.0)  # HTML: comment labels' log-probability bias (the missed / false comments trade)
# the HTML decoder is chosen on the real and the pseudo-language `dom` pages: the HTML path serves
# pages in languages the vocabularies do not know, where the comment labels are less sure
# (docs/model.md "Eighth round": chosen on the real pages alone, the bias left the pseudo pages'
# comment sections unfound)
HTML_DECODER_ON_PSEUDO = True
BOILERPLATE_FLOORS = (0.6, 0.7, 0.8)  # then, with the best weights: confident boilerplate kept (None = off)
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
    if workers > 1 and len(pages) > 200 and "fork" in mp.get_all_start_methods():
        with mp.get_context("fork").Pool(workers) as pool:
            results = pool.imap(_featurize_one, pages, chunksize=16)
            for i, (p, r) in enumerate(zip(pages, results)):
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


def decode_labels(proba: np.ndarray, meta: dict[str, Any], dec: dict[str, Any], texts: list[str]) -> list[str]:
    proba, ids = decode(proba, np.asarray(meta["transitions"]), np.log(np.asarray(meta["prior"])), dec)
    labels = [LABELS[i] for i in ids]
    _one_title(labels, proba, texts)
    return labels


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


def comments_of(page: Any, labels: Sequence[str], ev: Evidence) -> list[dict]:
    """The comment records [{author, text}] the pipeline would output for these labels (the
    segment stage's own record builder over the roles the labeller gives them)."""
    from topics.records import Line, StrippedDocument
    from workers.core.stages.segment import _build_comments

    texts = [ln.text for ln in page.lines]
    reasons, roles = comment_roles(texts, [ln.blank_before for ln in page.lines], labels, ev.reasons)
    lines = [Line(ln.n, ln.text, ln.blank_before, r, h if r is None else None)
             for ln, r, h in zip(page.lines, reasons, roles)]
    doc = StrippedDocument(id=page.page_id, url=page.url, content_type=page.content_type, fetched_at=None,
                           source=None, site=page.site, lines=lines)
    return [{"author": c.author, "text": c.text} for c in _build_comments(doc)]


def score(items: Sequence[Item], labels_of: Callable[[Item], list[str]]) -> list[R.PageScore]:
    out = []
    for it in items:
        labels = labels_of(it)
        out.append(R.score_page(it.page, labels, comments_of(it.page, labels, it.ev)))
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
    if pseudo_share > 0:
        extra = PS.make_pages(list(pages), pseudo_share)
        log(f"pseudo-language pages: {len(extra)} ({pseudo_share:.0%} of the real pages' sources)")
        pages = sorted(list(pages) + extra, key=lambda p: p.page_id)
    if shared is not None and inject_share > 0:
        extra = INJ.make_pages(shared, pages, inject_share, log=log)
        pages = sorted(list(pages) + extra, key=lambda p: p.page_id)
    items = featurize(pages, log)
    log(f"features: {len(items)} pages, {sum(len(it.y) for it in items)} lines, "
        f"{len(feature_names())} features, {time.monotonic() - t0:.0f} s")
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
        dec, dec_html, val_scores = choose_decoders(items, oof, fold_meta, log)
        rule_scores = score(items, lambda it: rule_labels(it.ev))
        sample, probs, meta_t = train_fig  # training figures decoded with the chosen decoders too
        train_scores = score(sample, lambda it: decode_labels(probs[id(it)], meta_t, dec_html if _is_html(it) else dec,
                                                              [ln.text for ln in it.page.lines]))
        groups: dict[str, dict[str, dict]] = {}
        for col, sc in (("train", train_scores), ("validation", val_scores), ("rules", rule_scores)):
            for key, ss in _grouped(sc).items():
                groups.setdefault(key, {})[col] = R.aggregate(ss)
        report["groups"] = groups
        log("site-split validation (out of fold) next to training figures (fold 1's training pages) and "
            "the rule labeller on the same pages:")
        for row in R.table(groups, ("train", "validation", "rules")):
            log("  " + row)
    trained = [it for it in items if _trained(it, inject_train, final=True)]
    boosters = fit_models(items, 0, rounds, inject_train, final=True)
    meta = dict(decoder_meta(_real(trained)))
    meta.update({
        "feature_names": feature_names(),
        "decoder": dec,
        "decoder_html": dec_html,
        "params": M.PARAMS, "rounds": rounds,
        "folds": folds,
        "report": report.get("groups", {}),
    })
    if MD.SPLIT_MODELS:
        meta["trained_on"] = {k: _trained_on(model_items(items, k, inject_train, final=True)) for k in KINDS}
        meta["model_rows"] = dict(MODEL_ROWS)
    else:
        meta["trained_on"] = _trained_on(trained)
    booster = boosters["text"]
    if save_dir is not None:
        report["version"] = M.save(booster, meta, save_dir,
                                   booster_html=boosters["html"] if MD.SPLIT_MODELS else None)
        log(f"model {report['version']} saved to {save_dir} ({time.monotonic() - t0:.0f} s in all)")
    report["booster"] = booster
    report["meta"] = meta
    return report


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


# the pages and scores the decoder trials read, shared with forked workers
_TRIAL: dict[str, Any] = {}


def _trial_scores(job: tuple[dict[str, Any], list[int]]) -> list[R.PageScore]:
    dec, idx = job
    items, oof, fold_meta = _TRIAL["items"], _TRIAL["oof"], _TRIAL["fold_meta"]
    return score([items[i] for i in idx],
                 lambda it: decode_labels(oof[_TRIAL["pos"][id(it)]], fold_meta[_TRIAL["pos"][id(it)]], dec,
                                          [ln.text for ln in it.page.lines]))


def _decoded_scores(idx: list[int], dec: dict[str, Any], pool) -> list[R.PageScore]:
    """Out-of-fold scores of the pages ``idx`` decoded with ``dec``."""
    if pool is None:
        return _trial_scores((dec, idx))
    # pages dealt round-robin to the workers, scores put back in page order
    parts = [idx[k::WORKERS] for k in range(WORKERS)]
    got = pool.map(_trial_scores, [(dec, p) for p in parts])
    at = {i: s for p, ss in zip(parts, got) for i, s in zip(p, ss)}
    return [at[i] for i in idx]


def _choose(idx: list[int], grid: Sequence[dict[str, Any]], pool, label: str,
            log: Callable[[str], None]) -> tuple[dict[str, Any], list[R.PageScore]]:
    """The best of ``grid`` (body F1 + comment F1 - false comments, out of fold) on the pages
    ``idx``, then a boilerplate floor for it."""
    best: tuple[float, dict[str, Any], list] = (-1.0, {}, [])

    def trial(dec: dict[str, Any]) -> None:
        nonlocal best
        sc = _decoded_scores(idx, dec, pool)
        agg = R.aggregate(sc)
        v = agg["body_f1"] + (agg["comment_f1"] or 0.0) - (agg["false_comments"] or 0.0)
        log(f"decoder ({label}) {dec}: body F1 {agg['body_f1']:.3f}, comment F1 {agg['comment_f1'] or 0:.3f}, "
            f"false comments {agg['false_comments'] or 0:.3f}")
        if v > best[0]:
            best = (v, dec, sc)
    for dec in grid:
        trial(dict(dec, boilerplate_floor=None))
    weights = dict(best[1])
    for floor in BOILERPLATE_FLOORS:
        trial(dict(weights, boilerplate_floor=floor))
    return best[1], best[2]


def choose_decoders(items: Sequence[Item], oof: list, fold_meta: list, log: Callable[[str], None]
                    ) -> tuple[dict[str, Any], dict[str, Any], list[R.PageScore]]:
    """(text decoder, HTML decoder, out-of-fold scores of every page decoded with its kind's):
    each chosen on its own kind of pages, the text one over DECODER_GRID, the HTML one over
    DECODER_GRID_HTML x COMMENT_BIASES_HTML, then a boilerplate floor for each. Chosen on
    the real and synthetic pages (the HTML one also on the pseudo-language `dom` pages with
    ``HTML_DECODER_ON_PSEUDO``); the other pseudo-language and injected pages are decoded with the choice."""
    _TRIAL.update(items=items, oof=oof, fold_meta=fold_meta, pos={id(it): i for i, it in enumerate(items)})
    pseudo = [i for i, it in enumerate(items) if PS.is_pseudo(it.page.dataset) or INJ.is_injected(it.page.dataset)]
    html_pseudo = [i for i in pseudo if HTML_DECODER_ON_PSEUDO and PS.is_pseudo(items[i].page.dataset)
                   and _is_html(items[i])]
    apart = set(pseudo)
    chosen_on = [i for i in range(len(items)) if i not in apart]
    html = sorted([i for i in chosen_on if _is_html(items[i])] + html_pseudo)
    in_html = set(html_pseudo)
    pseudo = [i for i in pseudo if i not in in_html]
    text = [i for i in chosen_on if not _is_html(items[i])]
    text_grid = [{"transition_weight": t, "prior_weight": p} for t, p in DECODER_GRID]
    html_grid = [{"transition_weight": t, "prior_weight": p, "comment_bias": b}
                 for t, p in DECODER_GRID_HTML for b in COMMENT_BIASES_HTML]
    pool = (mp.get_context("fork").Pool(WORKERS) if WORKERS > 1 and len(items) > 200
            and "fork" in mp.get_all_start_methods() else None)
    try:
        dec_text, sc_text = _choose(text, text_grid, pool, "text", log) if text else ({}, [])
        dec_html, sc_html = _choose(html, html_grid, pool, "html", log) if html else (dict(dec_text), [])
        at = dict(zip(text, sc_text)) | dict(zip(html, sc_html))
        for kind_idx, dec in (([i for i in pseudo if _is_html(items[i])], dec_html),
                              ([i for i in pseudo if not _is_html(items[i])], dec_text)):
            if kind_idx:
                at.update(zip(kind_idx, _decoded_scores(kind_idx, dec, pool)))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        _TRIAL.clear()
    return dec_text, dec_html, [at[i] for i in range(len(items))]


def _count(xs) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in xs:
        out[x] = out.get(x, 0) + 1
    return out
