"""Reusable scoring functions for Winnow's quality evaluation.

Token convention of the public extraction benchmarks (and ours): tokens are
``re.findall(r"\\w+", text.lower())``; per page, precision and recall of the token
*multiset* against the gold, F1 per page, then the mean over pages. An empty output
scores 0, except where a caller decides that "both empty" is a perfect answer (pages
without comments, the all-boilerplate 404 page).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

_TOKEN = re.compile(r"\w+")


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall((text or "").lower())


@dataclass(slots=True)
class PRF:
    precision: float
    recall: float
    f1: float


def prf(pred: Sequence[str] | Counter, gold: Sequence[str] | Counter, *, both_empty: float = 0.0) -> PRF:
    """Multiset token precision / recall / F1. ``both_empty`` is the score when both
    sides are empty (0 by the benchmark convention; callers pass 1.0 where "nothing" is
    the right answer)."""
    p = pred if isinstance(pred, Counter) else Counter(pred)
    g = gold if isinstance(gold, Counter) else Counter(gold)
    np_, ng = sum(p.values()), sum(g.values())
    if np_ == 0 and ng == 0:
        return PRF(both_empty, both_empty, both_empty)
    if np_ == 0 or ng == 0:
        return PRF(0.0, 0.0, 0.0)
    common = sum((p & g).values())
    if common == 0:
        return PRF(0.0, 0.0, 0.0)
    pr, rc = common / np_, common / ng
    return PRF(pr, rc, 2 * pr * rc / (pr + rc))


def text_prf(pred: str | None, gold: str | None, *, both_empty: float = 0.0) -> PRF:
    return prf(tokens(pred), tokens(gold), both_empty=both_empty)


def mean(xs: Iterable[float]) -> float:
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float("nan")


def align_comments(pred_texts: Sequence[str], gold_texts: Sequence[str], min_f1: float = 0.5) -> list[int | None]:
    """Greedy one-to-one alignment of gold comments to predicted ones by token F1 (best
    pairs first). Returns, for each gold comment, the index of its predicted comment or
    None when no predicted comment reaches ``min_f1``."""
    pairs = []
    ptoks = [Counter(tokens(t)) for t in pred_texts]
    for gi, gt in enumerate(gold_texts):
        gc = Counter(tokens(gt))
        for pi, pc in enumerate(ptoks):
            f = prf(pc, gc).f1
            if f >= min_f1:
                pairs.append((f, gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    out: list[int | None] = [None] * len(gold_texts)
    used: set[int] = set()
    for f, gi, pi in pairs:
        if out[gi] is None and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


def author_hits(pred: Sequence[tuple[str, str | None]], gold: Sequence[tuple[str, str | None]]) -> tuple[int, int]:
    """(correct, total) over gold comments: a gold comment counts as correct when it is
    aligned (by text) to a predicted comment with the same author (None == None). A gold
    comment with no aligned prediction counts as wrong."""
    idx = align_comments([t for t, _ in pred], [t for t, _ in gold])
    ok = 0
    for gi, pi in enumerate(idx):
        if pi is not None and _norm_author(pred[pi][1]) == _norm_author(gold[gi][1]):
            ok += 1
    return ok, len(gold)


def _norm_author(a: str | None) -> str | None:
    if a is None:
        return None
    a = " ".join(a.split()).casefold()
    return a or None


def kept_lines(title: str | None, body_paragraphs: Sequence[str], comment_texts: Sequence[str]) -> Counter:
    """The multiset of output lines (title, body paragraphs, comment paragraphs)."""
    c: Counter = Counter()
    if title:
        c[title.strip()] += 1
    for p in body_paragraphs:
        for ln in p.split("\n"):
            if ln.strip():
                c[ln.strip()] += 1
    for t in comment_texts:
        for ln in t.split("\n"):
            if ln.strip():
                c[ln.strip()] += 1
    return c


def leaked_boilerplate(out_lines: Counter, gold_lines: Counter, gold_boilerplate: Sequence[str]) -> int:
    """Gold boilerplate lines that survive as output lines: for each boilerplate text,
    the output count beyond what the gold itself keeps of that text (a title repeated
    in 'Recent Posts' is one kept line plus one boilerplate line), capped at the number
    of boilerplate occurrences. Author lines are not boilerplate in the gold, so they are
    never counted here."""
    bp = Counter(s.strip() for s in gold_boilerplate)
    leaked = 0
    for t, n in bp.items():
        extra = out_lines.get(t, 0) - gold_lines.get(t, 0)
        if extra > 0:
            leaked += min(extra, n)
    return leaked


def same_text(a: str | None, b: str | None) -> bool:
    na = " ".join((a or "").split()).casefold()
    nb = " ".join((b or "").split()).casefold()
    return na == nb


def comments_with_heads(comments: Sequence[dict]) -> str:
    """A record's comments as author + printed time + text each: how they are scored against
    Dragnet's gold comments, which carry each comment's author and date inline."""
    return "\n".join(" ".join(filter(None, [c.get("author"), c.get("posted_text")])) + "\n" + (c.get("text") or "")
                     for c in comments)
