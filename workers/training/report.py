"""Validation figures of the line labeller (and of the rules, on the same pages).

Per page, from the decoded labels: body P/R/F1 (title + body lines vs the gold content,
token multisets, the public benchmarks' convention), comment token F1 (pages with gold
comments) measured two ways: ``comment_f1`` the comment-text lines only, ``comment_f1_heads``
the comment-header and comment-text lines (Dragnet's gold convention: its gold comments carry
each comment's name and date lines inline, ``../shared/corpus/README.md``; the text-dev and
synthetic gold comments are the texts alone), exact comment count and author accuracy (pages whose comment split is exact
gold, i.e. text-dev/synthetic; Dragnet's comment split is silver), false comments (pages
without gold comments that get any). Aggregated per dataset and page type, real and
synthetic pages apart; also per input flattener (``by-flattener/...``) and, for the pages
flattened as the HTML path does it (``dom``), per dataset (``html-path/...``).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from workers.core.labeller.labels import BODY, COMMENT_HEAD, COMMENT_TEXT, TITLE
from workers.training import flatten as F

_TOK = re.compile(r"\w+")
# the lines the gold's comment text holds: Dragnet's gold comments include each comment's
# name and date lines (``comment_f1_heads``); ``comment_f1`` scores the text lines alone
_COMMENT_WITH_HEADS = (COMMENT_HEAD, COMMENT_TEXT)


def tokens(text: str) -> Counter:
    return Counter(_TOK.findall(text.lower()))


def prf(out: str, gold: str, both_empty: float = 1.0) -> tuple[float, float, float]:
    o, g = tokens(out), tokens(gold)
    no, ng = sum(o.values()), sum(g.values())
    if no == 0 and ng == 0:
        return both_empty, both_empty, both_empty
    if no == 0 or ng == 0:
        return 0.0, 0.0, 0.0
    common = sum((o & g).values())
    p, r = common / no, common / ng
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class PageScore:
    dataset: str
    page_type: str
    flattener: str
    body: tuple[float, float, float]
    comment_f1: float | None        # pages with gold comments only; comment-text lines only
    comment_f1_heads: float | None  # the same pages; comment-header + comment-text lines (the gold's convention)
    has_comments: bool
    n_comments: int
    count_ok: bool | None           # exact-gold pages only
    authors: tuple[int, int] | None  # (right, gold comments) on exact-gold pages


def _gold_body(gold: dict) -> str:
    parts = [gold.get("title") or ""]
    content = gold.get("content")
    if isinstance(content, str):
        parts.append(content)
    return "\n".join(p for p in parts if p)


def score_page(page: Any, labels: Sequence[str], comments: list[dict]) -> PageScore:
    """``comments``: the output comment records [{author, text}] of the page."""
    texts = [ln.text for ln in page.lines]
    out_body = "\n".join(t for t, lb in zip(texts, labels) if lb in (TITLE, BODY))
    gold = page.gold or {}
    body = prf(out_body, _gold_body(gold))
    gtext = gold.get("comments_text") or ""
    has_c = bool(gtext.strip())
    out_c = "\n".join(t for t, lb in zip(texts, labels) if lb == COMMENT_TEXT)
    cf = prf(out_c, gtext)[2] if has_c else None
    out_ch = "\n".join(t for t, lb in zip(texts, labels) if lb in _COMMENT_WITH_HEADS)
    cfh = prf(out_ch, gtext)[2] if has_c else None
    exact = not gold.get("comments_silver", False)
    count_ok = authors = None
    if exact:
        gc = gold.get("comments") or []
        count_ok = len(gc) == len(comments)
        right = 0
        for g in gc:
            gt = tokens(g.get("text") or "")
            best = max(comments, key=lambda c: sum((tokens(c["text"]) & gt).values()), default=None)
            if best is not None and (best.get("author") or None) == (g.get("author") or None):
                right += 1
        authors = (right, len(gc))
    return PageScore(page.dataset, page.page_type, getattr(page, "flattener", "text"), body, cf, cfh, has_c,
                     len(comments), count_ok, authors)


def aggregate(scores: Iterable[PageScore]) -> dict[str, float | int | None]:
    s = list(scores)
    if not s:
        return {}
    mean = lambda xs: (sum(xs) / len(xs)) if xs else None  # noqa: E731
    withc = [x.comment_f1 for x in s if x.comment_f1 is not None]
    withc_h = [x.comment_f1_heads for x in s if x.comment_f1_heads is not None]
    noc = [x for x in s if not x.has_comments]
    counts = [1.0 if x.count_ok else 0.0 for x in s if x.count_ok is not None and (x.has_comments or x.n_comments)]
    auth = [x.authors for x in s if x.authors and x.authors[1]]
    return {
        "pages": len(s),
        "body_p": mean([x.body[0] for x in s]),
        "body_r": mean([x.body[1] for x in s]),
        "body_f1": mean([x.body[2] for x in s]),
        "comment_f1": mean(withc),
        "comment_f1_heads": mean(withc_h),
        "count_exact": mean(counts),
        "author_acc": (sum(a for a, _ in auth) / sum(b for _, b in auth)) if auth else None,
        "false_comments": mean([1.0 if x.n_comments else 0.0 for x in noc]),
    }


def group_key(x: PageScore) -> str:
    kind = ("synthetic" if x.dataset == "synthetic" else "pseudo" if x.dataset.startswith("pseudo-")
            else "real")
    return f"{kind}/{x.dataset}/{x.page_type}"


# the flattener that flattens as the strip stage's HTML path does (what the model sees on HTML)
HTML_PATH_FLATTENER = F.DOM


# the sets whose pages are of several page types (the HTML path's figures also per type)
TYPED_SETS = frozenset({"wcxb"})


def flattener_keys(x: PageScore) -> list[str]:
    """Groups by input flattening: ``by-flattener/<flattener>``, and ``html-path/<dataset>``
    for the pages flattened as the HTML path flattens them (what the model sees on HTML),
    with ``html-path/<dataset>/<page type>`` for the sets of several page types."""
    keys = [f"by-flattener/{x.flattener}"]
    if x.flattener == HTML_PATH_FLATTENER:
        keys.append(f"html-path/{x.dataset}")
        if x.dataset in TYPED_SETS:
            keys.append(f"html-path/{x.dataset}/{x.page_type}")
    return keys


METRICS = ("body_p", "body_r", "body_f1", "comment_f1", "comment_f1_heads", "count_exact", "author_acc",
           "false_comments")
# the figures of a group: fold 1's training pages, out of fold, the rule labeller, the training labels
COLUMNS = ("train", "validation", "rules", "labels")
# what the two comment figures count (printed under the table's header)
METRIC_NOTES = ("comment_f1 = comment-text lines only; comment_f1_heads = comment-header + comment-text lines "
                "(Dragnet's gold convention: its gold comments hold each comment's name and date lines; the text-dev "
                "and synthetic gold holds the texts alone, comment_f1 is theirs); "
                "the 'labels' rows = the training labels themselves scored so (the ceiling of each measure)")


def table(groups: dict[str, dict[str, dict]], columns: Sequence[str]) -> list[str]:
    """Printable rows: per group, one row per column (e.g. train / validation / rules);
    ``groups[name][column] = aggregate(...)``."""
    rows = [f"{'group':38s} {'figures':11s} {'pages':>5s} " + " ".join(f"{m:>16s}" for m in METRICS),
            "  " + METRIC_NOTES]
    for name in sorted(groups):
        for c in columns:
            g = groups[name].get(c)
            if not g:
                continue
            cells = " ".join(f"{'-' if g.get(m) is None else format(g[m], '.3f'):>16s}" for m in METRICS)
            rows.append(f"{name:38s} {c:11s} {g['pages']:>5d} {cells}")
    return rows
