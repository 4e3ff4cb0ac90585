"""Project page-level gold (content text, comment text, title) onto flattened lines.

Tokens are the benchmarks' scoring tokens, ``re.findall(r"\\w+", text.lower())``.

- **body**: walking the lines in page order, a line of 3 or more tokens is body when at least
  ``BODY_MIN_SHARE`` of its tokens lie in a token trigram that is still unconsumed in the gold
  content's trigram multiset (matched trigrams are consumed, so a repeated block - a teaser
  of the first paragraph, the same nav at top and bottom - matches once). Trigrams, not single
  tokens, so a nav line of common words does not match prose it merely shares words with.
  A line of 1-2 tokens is body when it equals a whole gold line (a subheading, a list item,
  a short paragraph), again consumed once.
- **comments** (Dragnet's ``comments`` gold): the same test against the comment text gives
  comment lines; ``silver.py`` then splits them into headers and text and labels the widget
  chrome around them.
- **title**: WCXB's gold ``title``; elsewhere the page's ``<h1>`` / ``og:title`` / ``<title>``
  text when it also opens the gold content (first ``TITLE_GOLD_WINDOW`` tokens). The first
  line equal to it (token-wise), preferring one before the body, is the title.
- everything else is boilerplate.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from topics.records import Line
from workers.core.labeller.labels import BODY, BOILERPLATE, COMMENT_TEXT, TITLE

# Share of a line's tokens that must be covered by unconsumed gold trigrams. Checked by hand
# on samples (docs/training-data.md): 0.5 let nav lines with one matched phrase in; 0.7 lost
# body lines with an inline link or figure caption glued on by the flattener.
BODY_MIN_SHARE = 0.6
# Lines shorter than this (in tokens) must equal a whole gold line.
NGRAM = 3
# The title candidate must occur in the first tokens of the gold content (headline first).
TITLE_GOLD_WINDOW = 60
# A WCXB title line may carry a few extra tokens (a site suffix glued on by a flattener).
TITLE_MAX_EXTRA = 0.25

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=8)
def _gold_counts(text: str) -> tuple[int, Counter, Counter]:
    """Token count, trigram multiset and short-line multiset of a gold text (cached: every
    flattening of a page projects the same gold)."""
    toks = tokens(text)
    grams: Counter = Counter(zip(toks, toks[1:], toks[2:]))
    short: Counter = Counter()
    for raw in text.splitlines():
        t = tuple(tokens(raw))
        if 0 < len(t) < NGRAM:
            short[t] += 1
    return len(toks), grams, short


class GoldText:
    """A gold text's trigram multiset and its short lines, consumed as lines match."""

    def __init__(self, text: str) -> None:
        size, grams, short = _gold_counts(text)
        self.size = size
        self.grams: Counter = grams.copy()
        self.short: Counter = short.copy()

    def share(self, toks: list[str]) -> float:
        """Share of ``toks`` covered by available gold trigrams (without consuming them)."""
        if len(toks) < NGRAM:
            return 1.0 if self.short.get(tuple(toks), 0) > 0 else 0.0
        covered = [False] * len(toks)
        grams = self.grams
        seen: dict[tuple[str, str, str], int] = {}  # this line's uses of each trigram so far
        for i, g in enumerate(zip(toks, toks[1:], toks[2:])):
            have = grams.get(g, 0)
            if have and have > seen.get(g, 0):
                seen[g] = seen.get(g, 0) + 1
                covered[i] = covered[i + 1] = covered[i + 2] = True
        return sum(covered) / len(toks)

    def consume(self, toks: list[str]) -> None:
        if len(toks) < NGRAM:
            t = tuple(toks)
            if self.short.get(t, 0) > 0:
                self.short[t] -= 1
            return
        for g in zip(toks, toks[1:], toks[2:]):
            if self.grams.get(g, 0) > 0:
                self.grams[g] -= 1


def match_lines(line_tokens: list[list[str]], gold: str, threshold: float = BODY_MIN_SHARE) -> list[bool]:
    """Which lines (given as token lists, in page order) are covered by the gold text."""
    return [k == 0 for k in match_two(line_tokens, gold, "", threshold)]


def match_two(line_tokens: list[list[str]], first: str, second: str,
              threshold: float = BODY_MIN_SHARE) -> list[int]:
    """Per line: 0 when covered by the ``first`` gold text, 1 by the ``second``, -1 by
    neither. A line covered by both goes to the one covering more of it (ties: first), so a
    comment quoting the article does not take the article's line, nor the reverse."""
    out = [-1] * len(line_tokens)
    golds = [GoldText(t) if t and t.strip() else None for t in (first, second)]
    if golds[0] is None and golds[1] is None:
        return out
    for i, toks in enumerate(line_tokens):
        if not toks:
            continue
        shares = [g.share(toks) if g is not None else 0.0 for g in golds]
        k = 0 if shares[0] >= shares[1] else 1
        if shares[k] >= threshold:
            out[i] = k
            golds[k].consume(toks)
    return out


def title_candidates(gold: dict, head: dict) -> list[tuple[str, ...]]:
    """Token tuples the title line may have: WCXB's gold title, else the page's h1 /
    og:title / <title> (and its parts around a separator) when they open the gold content."""
    if gold.get("title"):
        t = tuple(tokens(gold["title"]))
        return [t] if t else []
    start = tokens(gold.get("content") or "")[:TITLE_GOLD_WINDOW]
    if not start:
        return []
    joined = " " + " ".join(start) + " "
    out: list[tuple[str, ...]] = []
    for text in head.get("titles", ()):
        t = tuple(tokens(text))
        if len(t) >= 2 and (" " + " ".join(t) + " ") in joined and t not in out:
            out.append(t)
    return out


def find_title(line_tokens: list[list[str]], labels: list[str], cands: list[tuple[str, ...]],
               wcxb: bool) -> int | None:
    """Index of the title line: a line equal to a candidate (WCXB: allowing a few extra
    tokens), the last one before the first body line, else the first one."""
    if not cands:
        return None
    hits: list[int] = []
    for i, toks in enumerate(line_tokens):
        if not toks or labels[i] not in (BODY, BOILERPLATE):
            continue
        t = tuple(toks)
        for c in cands:
            if t == c or (wcxb and len(t) <= len(c) * (1 + TITLE_MAX_EXTRA) + 1
                          and len(c) >= 3 and _contains(t, c)):
                hits.append(i)
                break
    if not hits:
        return None
    first_body = next((i for i, lab in enumerate(labels) if lab == BODY), len(labels))
    before = [i for i in hits if i <= first_body]
    return before[-1] if before else hits[0]


def _contains(hay: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def project(lines: list[Line], gold: dict, head: dict, wcxb_title: bool = False) -> tuple[list[str], list[bool]]:
    """Labels title/body/comment_text/boilerplate for the lines from the page-level gold, and
    which lines are comment gold (for ``silver``). ``head``: the page's title texts
    (``{"titles": [...]}``, from the markup). A page flagged ``no_article`` is all boilerplate."""
    toks = [tokens(ln.text) for ln in lines]
    comments_text = gold.get("comments")
    comments_text = comments_text if isinstance(comments_text, str) else ""
    content = "" if gold.get("no_article") else (gold.get("content") or "")
    which = match_two(toks, content, comments_text)
    labels = [BODY if k == 0 else (COMMENT_TEXT if k == 1 else BOILERPLATE) for k in which]
    t = find_title(toks, labels, title_candidates(gold, head), wcxb_title)
    if t is not None:
        labels[t] = TITLE
    return labels, [k == 1 for k in which]
