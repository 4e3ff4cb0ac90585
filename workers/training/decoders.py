"""The decoder settings ``make train`` chooses out of fold (``train.run`` calls
``choose_decoders``), and the scoring of decoded pages they are chosen by.

One decoder per kind of input: plain text over DECODER_GRID, HTML over DECODER_GRID_HTML x
COMMENT_BIASES_HTML, each then with a boilerplate floor; for HTML then a boilerplate bias
calibrated on the unseen-widget proxy at a bounded cost to the real pages
(``choose_boilerplate_bias``). The trials decode the out-of-fold probabilities in WORKERS
forked processes (the pages are read from ``_TRIAL``, shared by the fork).
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, Sequence

import numpy as np

from workers.core.labeller.apply import _one_title
from workers.core.labeller.comments import comment_roles
from workers.core.labeller.decode import PATH_SETTINGS, decode_path, keep_confident_boilerplate
from workers.core.labeller.features import Evidence
from workers.core.labeller.labels import LABELS
from workers.training import corpus as C
from workers.training import inject as INJ
from workers.training import pseudo as PS
from workers.training import report as R
from workers.training.models import WORKERS, _is_html
from workers.training.pools import can_fork, fork_map, fork_pool

# Decoder settings tried out of fold, chosen apart for plain-text input and for HTML input
# (the DOM columns make the HTML pages' scores sharper: they need fewer transitions)
# text: (transition, prior) weights. (0, 0) and (0.3, 0) were tried until labeller-1-b13efde7 and lost
# by 0.09 / 0.06 of the objective (body F1 + comment F1 - false comments; docs/model.md "Twelfth
# round"); the text trials decode three quarters of the pages, so they went for make train's time
DECODER_GRID = ((0.15, 0.3), (0.3, 0.3))
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
# Then, for HTML input, a boilerplate bias (the boilerplate label's probability x e^bias before
# decoding): on unseen pages the model keeps too much (the blind HTML set's precision 0.766 at
# recall 0.954; docs/model.md "Ninth round"), which a site split cannot show. Calibrated on the
# proxy of unseen pages, the injected widgets of kinds and languages no fold trains on: the bias
# with the best precision there whose cost to the real pages' out-of-fold mean of five sets is
# at most BOILERPLATE_BIAS_MAX_COST (0 when none is); grid small so make train stays in its time
BOILERPLATE_BIASES_HTML = (0.1, 0.15, 0.2, 0.3)
BOILERPLATE_BIAS_MAX_COST = 0.002  # body F1, mean of the five real sets' out-of-fold means


def decode_labels(proba: np.ndarray, meta: dict[str, Any], dec: dict[str, Any], texts: list[str]) -> list[str]:
    return _labels(decode_path(proba, np.asarray(meta["transitions"]), np.log(np.asarray(meta["prior"])), dec),
                   dec, texts)


def _labels(path: tuple[np.ndarray, np.ndarray], dec: dict[str, Any], texts: list[str]) -> list[str]:
    """The labels of a decoded path (``decode_path``) with ``dec``'s boilerplate floor and one title."""
    proba, ids = path
    labels = [LABELS[i] for i in keep_confident_boilerplate(ids, proba, dec.get("boilerplate_floor"))]
    _one_title(labels, proba, texts)
    return labels


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


def score(items: Sequence[Any], labels_of: Callable[[Any], list[str]]) -> list[R.PageScore]:
    out = []
    for it in items:
        labels = labels_of(it)
        out.append(R.score_page(it.page, labels, comments_of(it.page, labels, it.ev)))
    return out


def score_in_pool(jobs: Sequence[tuple[Sequence[Any], Callable[[Any], list[str]]]],
                  workers: int = WORKERS, min_pages: int = 200) -> list[list[R.PageScore]]:
    """``[score(items, labels_of) for items, labels_of in jobs]``, the pages dealt to ``workers``
    forked processes (the same scores in the same order; make train's report figures)."""
    n = sum(len(items) for items, _ in jobs)
    if workers <= 1 or n <= min_pages or not can_fork():
        return [score(items, labels_of) for items, labels_of in jobs]
    parts = [(j, list(range(k, len(items), workers))) for j, (items, _) in enumerate(jobs) for k in range(workers)]
    got = list(fork_map(partial(_score_part, jobs=jobs), parts, workers))
    out: list[list[R.PageScore]] = []
    for j, (items, _) in enumerate(jobs):
        at = {i: s for (jj, idx), ss in zip(parts, got) if jj == j for i, s in zip(idx, ss)}
        out.append([at[i] for i in range(len(items))])
    return out


def _score_part(part: tuple[int, list[int]], jobs: Sequence[tuple[Sequence[Any], Callable[[Any], list[str]]]]
                ) -> list[R.PageScore]:
    j, idx = part
    items, labels_of = jobs[j]
    return score([items[i] for i in idx], labels_of)


# the pages and scores the decoder trials read, shared with forked workers
_TRIAL: dict[str, Any] = {}


def _trial_scores(job: tuple[list[dict[str, Any]], list[int]]) -> list[list[R.PageScore]]:
    """The scores of the pages ``idx`` decoded with each of ``decs``. A page's Viterbi path is
    decoded once for the decoders that differ in their boilerplate floor alone (it edits the
    path after). A page's score depends on its labels alone, and most trials change few pages'
    labels: a page decoded to labels it had in an earlier trial (in this process) gets that
    trial's score, without building its comments and scoring it again (the same figures, in a
    fraction of the time)."""
    decs, idx = job
    items, oof, fold_meta = _TRIAL["items"], _TRIAL["oof"], _TRIAL["fold_meta"]
    memo = _TRIAL.setdefault("memo", {})
    out: list[list[R.PageScore]] = [[] for _ in decs]
    for i in idx:
        it = items[i]
        texts = [ln.text for ln in it.page.lines]
        meta = fold_meta[i]
        paths: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        for d, dec in enumerate(decs):
            at = tuple(dec.get(k) for k in PATH_SETTINGS)
            if at not in paths:
                paths[at] = decode_path(oof[i], np.asarray(meta["transitions"]), np.log(np.asarray(meta["prior"])),
                                        dec)
            labels = _labels(paths[at], dec, texts)
            key = (i, "\n".join(labels))
            if key not in memo:
                memo[key] = R.score_page(it.page, labels, comments_of(it.page, labels, it.ev))
            out[d].append(memo[key])
    return out


def _decoded_scores(idx: list[int], dec: dict[str, Any], pool) -> list[R.PageScore]:
    """Out-of-fold scores of the pages ``idx`` decoded with ``dec``."""
    return _decoded_scores_many(idx, [dec], pool)[0]


def _decoded_scores_many(idx: list[int], decs: list[dict[str, Any]], pool) -> list[list[R.PageScore]]:
    """Out-of-fold scores of the pages ``idx`` decoded with each of ``decs`` (one list per decoder)."""
    if pool is None:
        return _trial_scores((decs, idx))
    # pages dealt round-robin to the workers, scores put back in page order; a worker is a
    # process of its own, so the same pages go to the same process (and its score memo) each trial
    parts = [idx[k::len(pool)] for k in range(len(pool))]
    got = [a.get() for a in [w.apply_async(_trial_scores, ((decs, p),)) for w, p in zip(pool, parts)]]
    out = []
    for d in range(len(decs)):
        at = {i: s for p, ss in zip(parts, got) for i, s in zip(p, ss[d])}
        out.append([at[i] for i in idx])
    return out


def _choose(idx: list[int], grid: Sequence[dict[str, Any]], pool, label: str,
            log: Callable[[str], None]) -> tuple[dict[str, Any], list[R.PageScore]]:
    """The best of ``grid`` (body F1 + comment F1 - false comments, out of fold) on the pages
    ``idx``, then a boilerplate floor for it."""
    best: tuple[float, dict[str, Any], list] = (-1.0, {}, [])

    def trial(dec: dict[str, Any], sc: list[R.PageScore] | None = None) -> None:
        nonlocal best
        sc = _decoded_scores(idx, dec, pool) if sc is None else sc
        agg = R.aggregate(sc)
        v = agg["body_f1"] + (agg["comment_f1"] or 0.0) - (agg["false_comments"] or 0.0)
        log(f"decoder ({label}) {dec}: body F1 {agg['body_f1']:.3f}, comment F1 {agg['comment_f1'] or 0:.3f}, "
            f"false comments {agg['false_comments'] or 0:.3f}")
        if v > best[0]:
            best = (v, dec, sc)
    for dec in grid:
        trial(dict(dec, boilerplate_floor=None))
    weights = dict(best[1])
    floors = [dict(weights, boilerplate_floor=floor) for floor in BOILERPLATE_FLOORS]
    for dec, sc in zip(floors, _decoded_scores_many(idx, floors, pool)):  # one Viterbi path per page for all
        trial(dec, sc)
    return best[1], best[2]


def choose_decoders(items: Sequence[Any], oof: list, fold_meta: list, log: Callable[[str], None]
                    ) -> tuple[dict[str, Any], dict[str, Any], list[R.PageScore]]:
    """(text decoder, HTML decoder, out-of-fold scores of every page decoded with its kind's):
    each chosen on its own kind of pages, the text one over DECODER_GRID, the HTML one over
    DECODER_GRID_HTML x COMMENT_BIASES_HTML, then a boilerplate floor for each. Chosen on
    the real and synthetic pages (the HTML one also on the pseudo-language `dom` pages with
    ``HTML_DECODER_ON_PSEUDO``); the other pseudo-language and injected pages are decoded with the choice."""
    # a fresh memo: a page's remembered score is keyed by its index, valid for these items only
    _TRIAL.update(items=items, oof=oof, fold_meta=fold_meta, memo={})
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
    pool = ([fork_pool(1) for _ in range(WORKERS)] if WORKERS > 1 and len(items) > 200
            and can_fork() else None)
    try:
        dec_text, sc_text = _choose(text, text_grid, pool, "text", log) if text else ({}, [])
        dec_html, sc_html = _choose(html, html_grid, pool, "html", log) if html else (dict(dec_text), [])
        unseen = [i for i in pseudo if INJ.partition(items[i].page.dataset) == "unseen"]
        if html and unseen:
            dec_html, sc_html = choose_boilerplate_bias(html, sc_html, unseen, dec_html, pool, log)
        at = dict(zip(text, sc_text)) | dict(zip(html, sc_html))
        for kind_idx, dec in (([i for i in pseudo if _is_html(items[i])], dec_html),
                              ([i for i in pseudo if not _is_html(items[i])], dec_text)):
            if kind_idx:
                at.update(zip(kind_idx, _decoded_scores(kind_idx, dec, pool)))
    finally:
        for w in pool or ():
            w.close()
            w.join()
        _TRIAL.clear()
    return dec_text, dec_html, [at[i] for i in range(len(items))]


def mean_of_sets(scores: Sequence[R.PageScore]) -> float:
    """Body F1: the mean of the real sets' means (the five html-dev sets; the pages given)."""
    per = [R.aggregate([s for s in scores if s.dataset == d])["body_f1"] for d in C.HTML_DATASETS
           if any(s.dataset == d for s in scores)]
    return sum(per) / len(per) if per else 0.0


def choose_boilerplate_bias(html: list[int], sc_html: list[R.PageScore], unseen: list[int], dec: dict[str, Any],
                            pool, log: Callable[[str], None]) -> tuple[dict[str, Any], list[R.PageScore]]:
    """``dec`` with the boilerplate bias of BOILERPLATE_BIASES_HTML that gives the best body
    precision on the unseen-widget pages ``unseen`` at a cost of at most BOILERPLATE_BIAS_MAX_COST
    to the real pages' mean of five sets (out of fold), and the scores of ``html`` under it."""
    items = _TRIAL["items"]
    real = [k for k, i in enumerate(html) if not PS.is_pseudo(items[i].page.dataset)]
    real_idx = [html[k] for k in real]
    base_sets = mean_of_sets([sc_html[k] for k in real])

    def row(b: float, real_sc: list[R.PageScore], unseen_sc: list[R.PageScore]) -> float:
        u, d = R.aggregate(unseen_sc), R.aggregate([s for s in real_sc if s.dataset == "dragnet"])
        m = mean_of_sets(real_sc)
        log(f"boilerplate bias (html) {b}: real mean of five {m:.4f} (cost {base_sets - m:+.4f}), unseen widgets "
            f"P/R/F1 {u['body_p']:.3f}/{u['body_r']:.3f}/{u['body_f1']:.3f}, Dragnet comment F1 text / with heads "
            f"{d.get('comment_f1') or 0:.3f} / {d.get('comment_f1_heads') or 0:.3f}, false comments "
            f"{d.get('false_comments') or 0:.3f}")
        return m
    base_unseen = _decoded_scores(unseen, dec, pool)
    trials = [(0.0, row(0.0, [sc_html[k] for k in real], base_unseen), R.aggregate(base_unseen)["body_p"])]
    real_of: dict[float, list[R.PageScore]] = {}
    for b in BOILERPLATE_BIASES_HTML:
        trial = dict(dec, boilerplate_bias=b)
        real_sc, unseen_sc = _decoded_scores(real_idx, trial, pool), _decoded_scores(unseen, trial, pool)
        real_of[b] = real_sc
        trials.append((b, row(b, real_sc, unseen_sc), R.aggregate(unseen_sc)["body_p"]))
    b = pick_boilerplate_bias(trials)
    log(f"boilerplate bias (html): {b or 'none'} (best unseen-widget precision within a cost of "
        f"{BOILERPLATE_BIAS_MAX_COST} to the real mean of five)")
    if not b:
        return dec, sc_html
    chosen = dict(dec, boilerplate_bias=b)
    # the real pages' scores under the chosen bias are its trial's; only the other pages are decoded again
    at = dict(zip(real, real_of[b]))
    rest = [k for k in range(len(html)) if k not in at]
    at.update(zip(rest, _decoded_scores([html[k] for k in rest], chosen, pool)))
    return chosen, [at[k] for k in range(len(html))]


def pick_boilerplate_bias(trials: Sequence[tuple[float, float, float]], max_cost: float = BOILERPLATE_BIAS_MAX_COST
                          ) -> float:
    """From (bias, real mean of five, unseen-widget precision) trials, the first being bias 0: the
    bias of the best precision among those costing at most ``max_cost`` of the mean (ties: the
    smaller bias; 0 when none beats no bias)."""
    base = trials[0][1]
    best_p, best_b = trials[0][2], 0.0
    for b, m, p in trials[1:]:
        if base - m <= max_cost and p > best_p:
            best_p, best_b = p, b
    return best_b
