"""Label a page with the trained model: evidence -> features -> scores -> Viterbi -> roles.

The output is the strip stage's contract: per line a removal reason (None = kept) and, for
kept lines, a role hint ("title", "body", "comment-author", "comment-start", "comment").
A boilerplate line keeps the rule labeller's reason when the rules explain it, else the
generic "boilerplate".
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from topics.records import Line
from workers.core.labeller import comments as C
from workers.core.labeller.decode import decode, decoder_for
from workers.core.labeller.evidence import rule_evidence
from workers.core.labeller.features import Evidence
from workers.core.labeller.labels import BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, LABELS, TITLE
from workers.core.labeller.model import Labeller, load
from workers.core.labeller.predict import page_proba
from workers.core.heuristics.dom_features import DOM_FEATURES
from workers.core.heuristics.reasons import COMMENT_REASONS

GENERIC_REASON = "boilerplate"
# rule reasons of the article's metadata lines ("By X", "Posted 14/11/2023"): on plain text a
# line the model calls body keeps them (removed; enrich reads the author and date from them)
_METADATA_REASONS = frozenset({"byline", "dateline"})
_TITLE_ID = LABELS.index(TITLE)
_DEPTH = list(DOM_FEATURES).index("depth")   # the DOM matrix column of a line's element depth


@dataclass(slots=True)
class PageLabels:
    labels: list[str]            # decoded label per line
    proba: np.ndarray            # lines x labels
    reasons: list[str | None]
    roles: list[str | None]


def decode_page(model: Labeller, proba: np.ndarray, html: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities the path was decoded from, label ids) from the model's probabilities
    (``predict.page_proba``); ``html``: decode with the model's settings for HTML input."""
    return decode(proba, model.transitions, model.log_prior, decoder_for(model.meta, html))


def _one_title(labels: list[str], proba: np.ndarray, texts: list[str]) -> int | None:
    """Keep one title line (the most probable); other title-labelled lines become body
    (a subtitle) or, when they repeat the title, boilerplate."""
    idx = [k for k, lb in enumerate(labels) if lb == TITLE]
    if not idx:
        return None
    best = max(idx, key=lambda k: proba[k, _TITLE_ID])
    for k in idx:
        if k != best:
            labels[k] = BOILERPLATE if texts[k].strip().lower() == texts[best].strip().lower() else BODY
    return best


def roles_from_labels(texts: list[str], blank_before: list[int], labels: list[str],
                      ev: Evidence, dom: np.ndarray | None = None) -> tuple[list[str | None], list[str | None]]:
    depth = dom[:, _DEPTH].tolist() if dom is not None and len(dom) == len(texts) else None
    signature = [C.STRONG if p == 1 or c else (C.WEAK if p else 0) for p, c in zip(ev.sig_page, ev.sig_comment)]
    reasons, roles = C.comment_roles(texts, blank_before, labels, ev.reasons, depth, signature)
    for k, lb in enumerate(labels):
        if lb == TITLE:
            roles[k] = "title"
        elif lb == BODY and dom is None and ev.reasons[k] in _METADATA_REASONS:
            reasons[k] = ev.reasons[k]   # plain text: the article's byline / date line is metadata
        elif lb == BODY and roles[k] is None:  # (not taken into a comment by the builder)
            roles[k] = "body"
        elif lb == BOILERPLATE and reasons[k] is None and roles[k] is None:  # not taken into a comment
            r = ev.reasons[k]
            reasons[k] = r if (r is not None and r not in COMMENT_REASONS) else GENERIC_REASON
    return reasons, roles


def model_available() -> bool:
    from workers.core.labeller.model import ready

    return ready()


def model_version() -> str:
    return load().version


def label_page(lines: list[Line], profile: dict | None = None, url: str | None = None,
               doc_id: str | None = None, model: Labeller | None = None,
               dom: np.ndarray | None = None, proba: np.ndarray | None = None) -> PageLabels:
    """Labels of ``lines``; ``dom``: the html stage's per-line DOM matrix for HTML input
    (``html_page``), None for text; ``proba``: the model's (lines x labels) probabilities when
    the caller has them already (``predict.page_proba``; tests perturb them), else computed."""
    model = model or load()
    texts = [ln.text for ln in lines]
    blanks = [ln.blank_before for ln in lines]
    ev = rule_evidence(lines, profile, url, doc_id)
    if proba is None:
        proba = page_proba(model, texts, blanks, ev, dom)
    proba, ids = decode_page(model, proba, html=dom is not None)
    labels = [LABELS[i] for i in ids]
    _one_title(labels, proba, texts)
    reasons, roles = roles_from_labels(texts, blanks, labels, ev, dom)
    return PageLabels(labels, proba, reasons, roles)


__all__ = ["label_page", "PageLabels", "roles_from_labels", "GENERIC_REASON", "BODY", "BOILERPLATE",
           "COMMENT_CHROME", "COMMENT_HEAD", "COMMENT_TEXT"]
