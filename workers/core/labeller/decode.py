"""Decode a page as a whole: Viterbi over the per-line label scores.

Emission score of label y on a line: log p(y | features) - prior_weight * log p(y) (a
hybrid HMM: the classifier's posterior turned into a scaled likelihood); transition score:
transition_weight * log P(y_t | y_{t-1}), learned from the training pages' label sequences
(the body is a coherent span, a comment section a run of head/text/chrome records).
Optionally, a line the path made body but that the model itself calls boilerplate with at
least ``boilerplate_floor`` probability stays boilerplate, and the comment labels' probabilities
are scaled by ``exp(comment_bias)`` before decoding (an operating point between missed comment
sections and false ones), and the boilerplate label's by ``exp(boilerplate_bias)`` (an operating
point between kept widgets and lost body lines, chosen on the unseen-widget proxy at a bounded
cost to the real pages: ``workers.training.decoders.choose_boilerplate_bias``). All weights
are chosen out of fold by ``make train``, one set for plain-text input and one for HTML input
(``decoder_for``).
"""
from __future__ import annotations

from operator import add

import numpy as np

from workers.core.labeller import native_viterbi
from workers.core.labeller.labels import BODY, BOILERPLATE, LABELS, SECTION_LABELS

_BODY, _BOILERPLATE = LABELS.index(BODY), LABELS.index(BOILERPLATE)
_COMMENT_IDS = [LABELS.index(lb) for lb in SECTION_LABELS]


def decoder_for(meta: dict, html: bool) -> dict:
    """The decoder settings of a model for one kind of input: ``decoder_html`` for HTML input
    when the model has it, else ``decoder``."""
    return dict(meta.get("decoder_html") or meta.get("decoder") or {}) if html else dict(meta.get("decoder") or {})


def with_biases(proba: np.ndarray, bias: float | None, boilerplate_bias: float | None = None) -> np.ndarray:
    """``proba`` with the comment labels' probabilities scaled by ``exp(bias)`` and the
    boilerplate label's by ``exp(boilerplate_bias)``, rows renormalised (``proba`` itself when
    both are 0 or None)."""
    if (not bias and not boilerplate_bias) or proba.size == 0:
        return proba
    q = proba.copy()
    if bias:
        q[:, _COMMENT_IDS] *= float(np.exp(bias))
    if boilerplate_bias:
        q[:, _BOILERPLATE] *= float(np.exp(boilerplate_bias))
    q /= q.sum(axis=1, keepdims=True)
    return q


def transition_matrix(sequences, smoothing: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(log transition matrix [from, to], label prior) from label-id sequences, add-one smoothed."""
    k = len(LABELS)
    counts = np.full((k, k), smoothing, dtype=np.float64)
    prior = np.full(k, smoothing, dtype=np.float64)
    for seq in sequences:
        s = np.asarray(seq, dtype=np.int64)
        if s.size:
            np.add.at(prior, s, 1)
        if s.size > 1:
            np.add.at(counts, (s[:-1], s[1:]), 1)
    return np.log(counts / counts.sum(axis=1, keepdims=True)), prior / prior.sum()


def viterbi(proba: np.ndarray, log_trans: np.ndarray, log_prior: np.ndarray,
            transition_weight: float = 1.0, prior_weight: float = 0.0) -> np.ndarray:
    """The best label-id sequence for per-line probabilities ``proba`` (lines x labels)."""
    n, k = proba.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    emit = np.log(np.clip(proba, 1e-9, 1.0)) - prior_weight * log_prior[None, :]
    if transition_weight == 0.0:
        return emit.argmax(axis=1)
    A = transition_weight * log_trans
    if native_viterbi.fits(emit, A):
        return native_viterbi.path(emit, A)
    return path_python(emit, A)


def path_python(emit: np.ndarray, A: np.ndarray) -> np.ndarray:
    """The Viterbi path of emission scores ``emit`` (lines x labels, at least one line) under
    transition scores ``A``: the reference of the compiled ``native_viterbi.path``."""
    n = emit.shape[0]
    # forward pass: the best score per label and step only (the max of the same sums the
    # argmax below sees, so the path is the one a per-step argmax would give); the
    # back-pointers are then one vectorised argmax over the stored scores
    score = forward(emit, A)
    back = (score[:-1, :, None] + A[None, :, :]).argmax(axis=1).tolist()
    j = int(score[-1].argmax())
    out = [j] * n
    for t in range(n - 1, 0, -1):
        j = back[t - 1][j]
        out[t - 1] = j
    return np.asarray(out, dtype=np.int64)


# how much more than the transitions' spread a leading label must lead by (rounding room)
FORWARD_MARGIN = 1e-6


def forward_numpy(emit: np.ndarray, A: np.ndarray) -> np.ndarray:
    """The forward scores by definition: ``score[t] = max_i(score[t-1][i] + A[i]) + emit[t]``."""
    score = np.empty(emit.shape)
    score[0] = s = emit[0]
    for t, e in enumerate(emit[1:], 1):
        s = (s[:, None] + A).max(axis=0) + e
        score[t] = s
    return score


def forward(emit: np.ndarray, A: np.ndarray) -> np.ndarray:
    """``forward_numpy``'s scores, bit for bit, in Python floats (the same IEEE additions and
    maxima; numpy's per-call cost dominates 6-label steps). A step where one label's score
    leads every other label ``i`` by more than ``A[i] - A[lead]`` anywhere is that label's row
    plus the emission (no sum of another label can reach the maximum; rounding is monotone,
    so the float maximum is that row's float sum); other steps take every maximum."""
    if emit.shape[0] < 2 or not np.isfinite(emit).all() or not np.isfinite(A).all():
        return forward_numpy(emit, A)
    rows, cols = A.tolist(), A.T.tolist()
    # need[lead][i] = max_j (A[i, j] - A[lead, j]): how far ``lead`` must lead ``i``, plus room
    # for rounding: a step lowers the scores by at most ~40, so even a page of millions of
    # lines stays within |score| < 1e9, where a double's spacing (1.2e-7) is below the margin
    need = (A[None, :, :] - A[:, None, :]).max(axis=2) + FORWARD_MARGIN
    np.fill_diagonal(need, -np.inf)
    need = need.tolist()
    out = emit.tolist()
    s = out[0]
    for t in range(1, len(out)):
        m = max(s)
        lead = s.index(m)
        if max(map(add, s, need[lead])) < m:  # every other label short of the lead by its margin
            s = list(map(add, map(m.__add__, rows[lead]), out[t]))
        else:
            s = [max(map(add, s, c)) + x for c, x in zip(cols, out[t])]
        out[t] = s
    return np.asarray(out, dtype=np.float64)


def keep_confident_boilerplate(ids: np.ndarray, proba: np.ndarray, floor: float | None) -> np.ndarray:
    """Lines the path made body although their own boilerplate probability is at least
    ``floor`` stay boilerplate: the transitions must not absorb a confident widget line
    between a title and the body (None: off)."""
    if floor is None or ids.size == 0:
        return ids
    out = ids.copy()
    out[(ids == _BODY) & (proba[:, _BOILERPLATE] >= floor)] = _BOILERPLATE
    return out


def decode(proba: np.ndarray, log_trans: np.ndarray, log_prior: np.ndarray,
           dec: dict) -> tuple[np.ndarray, np.ndarray]:
    """One page decoded with the settings ``dec`` (``decoder_for``): the comment and boilerplate
    biases, the Viterbi path, then confident boilerplate kept. Returns (the probabilities the path was
    decoded from, label ids). Serving (``apply.decode_page``) and training's out-of-fold
    trials (``workers.training.train``) both decode through here."""
    proba, ids = decode_path(proba, log_trans, log_prior, dec)
    return proba, keep_confident_boilerplate(ids, proba, dec.get("boilerplate_floor"))


# the settings the Viterbi path depends on (``boilerplate_floor`` only edits the path after)
PATH_SETTINGS = ("comment_bias", "boilerplate_bias", "transition_weight", "prior_weight")


def decode_path(proba: np.ndarray, log_trans: np.ndarray, log_prior: np.ndarray,
                dec: dict) -> tuple[np.ndarray, np.ndarray]:
    """``decode`` before the boilerplate floor: (the biased probabilities, the Viterbi path),
    a function of ``dec``'s PATH_SETTINGS alone."""
    proba = with_biases(proba, dec.get("comment_bias"), dec.get("boilerplate_bias"))
    ids = viterbi(proba, log_trans, log_prior,
                  float(dec.get("transition_weight", 1.0)), float(dec.get("prior_weight", 0.0)))
    return proba, ids
