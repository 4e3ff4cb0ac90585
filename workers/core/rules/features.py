"""Per-line features: word count, prose evidence, the first matching page/comment signature,
dateline, author-line shapes, and site-template membership. Memoised across pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from topics.records import Line
from workers.core.heuristics import thresholds as T
from workers.core.heuristics.header_lines import DATE_ANYWHERE, DATELINE
from workers.core.heuristics.signatures import SIGNATURES, Signature
from workers.core.stages.author_lines import parse_author_line
from workers.core.stages.patterns import OPTS, full_match, full_match_set
from workers.core.stages.templates import ViewCounts, template_key
from workers.core.stages.text import QUOTES_TAIL, normalise, words_of
from workers.core import re2_calls


# one RE2::Set per scope: most lines match no signature at all, and one pass finds those that do
PAGE_SIGS = tuple(s for s in SIGNATURES if s.scope != "comments")
COMMENT_SIGS = tuple(s for s in SIGNATURES if s.scope == "comments")
ANY_PAGE = full_match_set(PAGE_SIGS)
# lines longer than LONG_LINE_WORDS can only match the signatures without a small word limit
LONG_LINE_WORDS = 14
LONG_PAGE_SIGS = tuple(s for s in PAGE_SIGS if not s.max_words or s.max_words > LONG_LINE_WORDS)
ANY_LONG_PAGE = full_match_set(LONG_PAGE_SIGS)
ANY_COMMENT = full_match_set(COMMENT_SIGS)
DATELINE_RX = full_match(DATELINE)
DATE_IN = re2_calls.compile(DATE_ANYWHERE, OPTS)
_HAS_DIGIT = re.compile(r"\d")  # stdlib re: one character class


def is_dateline(norm: str) -> bool:
    """A short line whose core is a full date: the date plus at most a few other words
    ('Published 6 May 2024 · Updated 7 May 2024', 'January 22, 2024 · 7 min read')."""
    if not _HAS_DIGIT.search(norm):
        return False  # every full date has a number
    if DATELINE_RX.search(norm):
        return True
    m = DATE_IN.search(norm)
    if not m:
        return False
    rest = norm[: m.start()] + " " + norm[m.end():]
    m2 = DATE_IN.search(rest)
    if m2:
        rest = rest[: m2.start()] + " " + rest[m2.end():]
    return len(words_of(rest)) <= T.DATELINE_MAX_OTHER_WORDS


@dataclass(slots=True)
class LineFeatures:
    words: int
    good: bool
    sig: Signature | None        # page-scope signature
    csig: Signature | None       # comment-scope signature (evaluated for every line)
    dateline: bool
    author: tuple[str, str | None, str] | None
    template: bool
    trailing: tuple[str, str | None, str] | None = None


def _is_prose(norm: str, nw: int) -> bool:
    """A "good" line (jusText's term): long enough and sentence-like. A headline (no
    punctuation at all) or a short question is not prose."""
    seps = norm.count(" | ") + norm.count(" · ") + norm.count(" • ") + norm.count(" » ") + norm.count(" › ")
    if seps >= 3 or norm.count("|") >= 4 or (seps >= 2 and nw < T.GOOD_ALWAYS_WORDS):
        return False  # a row of links, however long
    if nw >= T.GOOD_ALWAYS_WORDS:
        return True
    t = norm.rstrip(QUOTES_TAIL + " ")
    if not t:
        return False
    if nw >= T.GOOD_MIN_WORDS:
        # no sentence end: prose only with inner sentence punctuation (a headline has none)
        return t[-1] in ".!?…:;" or ". " in t or "; " in t or (", " in t and nw >= 18)
    if nw >= T.GOOD_MIN_WORDS_WITH_PUNCT:
        if t[-1] in ".!…:":
            return not t.endswith("...") or nw >= 12
        if t[-1] == "?":
            return nw >= 12
    return False


def match_signature(norm: str, nwords: int, quick, sigs) -> Signature | None:
    """The first signature of ``sigs`` (in declaration order) that matches the whole line
    and allows its word count."""
    if len(norm) > T.MAX_SIGNATURE_CHARS:
        return None
    hits = quick.Match(norm)
    if not hits:
        return None
    for i in sorted(hits):
        sig = sigs[i]
        if not sig.max_words or nwords <= sig.max_words:
            return sig
    return None


# Per-line features depend on the line's text alone, so they are memoised across pages:
# chrome lines (menus, "Reply", "Guest", footers) repeat on every page of a site and are
# matched once. Bounded (cleared when full); prose lines are too long to be kept. The memo
# holds a line's LineFeatures as not in the site template, and a page gets that very object
# (no copy: nothing writes to a LineFeatures once made); a template line gets its own.
_LINE_CACHE: dict[str, LineFeatures] = {}


def _word_count(text: str) -> int:
    return len(words_of(text))


def line_features(lines: list[Line], profile: dict | None, view: set[str] | None = None,
                  word_count: Callable[[str], int] | None = None) -> list[LineFeatures]:
    """``view``: a remembered template view (see ``template_view``) used instead of the
    profile's current counts; ``word_count``: a line's ``\\w+`` tokens, ``len(words_of(line))``
    (the trained labeller passes its compiled count, ``native_columns.word_count``)."""
    word_count = word_count or _word_count
    counts: dict[str, Any] = {}
    use_template = isinstance(profile, dict) and int(profile.get("docs", 0) or 0) >= T.TEMPLATE_MIN_DOCS
    if use_template:
        counts = profile.get("lines") or {}
    if view is not None:
        use_template = bool(view)
        counts = ViewCounts(view)
    out: list[LineFeatures] = []
    cache = _LINE_CACHE
    if len(cache) > T.LINE_CACHE_ENTRIES:
        cache.clear()
    for ln in lines:
        # the keys are normalised lines, so a line found as it is was already normalised (a
        # line of an HTML page always is): normalise only the others
        norm = ln.text
        hit = cache.get(norm)
        if hit is None:
            norm = normalise(norm)
            hit = cache.get(norm)
        if hit is not None:
            if use_template and len(norm) <= T.MAX_LEARN_CHARS:
                ent = counts.get(template_key(norm))
                if ent is not None and int(ent[0] if isinstance(ent, list) else ent) >= T.TEMPLATE_MIN_DOCS:
                    hit = LineFeatures(hit.words, hit.good, hit.sig, hit.csig, hit.dateline, hit.author, True,
                                       hit.trailing)
            out.append(hit)
            continue
        key = norm
        nw = word_count(norm)   # len(words_of(norm)), without the token list
        good = _is_prose(norm, nw)
        short_enough = len(norm) <= T.MAX_SIGNATURE_CHARS
        if nw <= 4 and len(norm) > 2 and norm[0] in "[(|{" and norm[-1] in "])|}":
            norm = norm.strip("[](){}| ") or norm    # "[Reply]", "| Reply |"
        if not short_enough:
            sig = None
        elif nw <= LONG_LINE_WORDS:
            sig = match_signature(norm, nw, ANY_PAGE, PAGE_SIGS)
        else:
            sig = match_signature(norm, nw, ANY_LONG_PAGE, LONG_PAGE_SIGS)
        csig = match_signature(norm, nw, ANY_COMMENT, COMMENT_SIGS) if short_enough and nw <= 14 else None
        dl = bool(short_enough and nw <= 16 and is_dateline(norm))
        trailing = parse_author_line(norm, trailing=True) if nw <= 20 and "by" in norm.lower() else None
        author = None if trailing else (parse_author_line(norm) if nw <= 20 else None)
        tmpl = False
        if use_template and len(norm) <= T.MAX_LEARN_CHARS:
            ent = counts.get(template_key(norm))
            if ent is not None and int(ent[0] if isinstance(ent, list) else ent) >= T.TEMPLATE_MIN_DOCS:
                tmpl = True
        if sig is not None and good and sig.weak:
            sig = None
        feats = LineFeatures(nw, good and (sig is None or sig.weak), sig, csig, dl, author, False, trailing)
        if len(key) <= T.LINE_CACHE_MAX_CHARS:
            cache[key] = feats
        if tmpl:
            feats = LineFeatures(nw, feats.good, sig, csig, dl, author, True, trailing)
        out.append(feats)
    return out
