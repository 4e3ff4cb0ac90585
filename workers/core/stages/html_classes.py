"""Class, id and itemprop words of an element, read once per distinct value (cached): the
inputs of the DOM rules (``html_rules``) and of the class-word / itemprop feature columns
(``workers.core.heuristics.dom_features``)."""
from __future__ import annotations

import re
import zlib
from functools import lru_cache

from workers.core.heuristics import dom_features as D
from workers.core.stages import html_rules as R

_WORD_SPLIT = re.compile(r"[-_:.\s/]+|(?<=[a-z])(?=[A-Z])")

TITLE_MARKERS: frozenset[str] = frozenset({
    "entry-title", "post-title", "article-title", "headline", "article-headline", "story-title",
    "page-title", "title-post", "post-header-title", "node-title", "single-title", "td-post-title",
})

# itemprop kinds -> bit (dom_features "itemprop_*")
IP_ANY, IP_BODY, IP_HEADLINE, IP_AUTHOR, IP_DATE, IP_COMMENT = 1, 2, 4, 8, 16, 32


@lru_cache(maxsize=65536)
def words(token: str) -> tuple[str, ...]:
    """Lower-case words of a class/id token (cached: class names repeat a lot)."""
    return tuple(map(str.lower, filter(None, _WORD_SPLIT.split(token))))


# words of a <header>/<footer> class that make it the article's own header/footer
_ENTRY_WORDS = frozenset({"entry", "post", "article", "story"})
NO_CLASS = ((), 0, 0, False, False, False, False, False, (None, None, None))


@lru_cache(maxsize=65536)
def class_info(cls: str | None, ident: str | None) -> tuple:
    """Everything the walk needs from an element's class and id, computed once per distinct
    (class, id) pair: (tokens, bucket mask of their words, CRC of the class string,
    article marker, comment container, comment-author marker, title marker, article-header
    word, boilerplate marker at level 0/1/2). Combined from each token's own answers
    (``token_info``, cached per token: tokens repeat across pages far more than pairs do):
    the masks OR-ed, the flags any-ed, the first token's marker per level."""
    tokens = tuple(cls.split()) if cls else ()
    if ident:
        tokens = tokens + (ident,)
    if not tokens:
        return NO_CLASS
    if len(tokens) == 1:
        mask, art, com, auth, title, entry, m0, m1, m2 = token_info(tokens[0])
    else:
        mask, art, com, auth, title, entry, m0, m1, m2 = 0, False, False, False, False, False, None, None, None
        for info in map(token_info, tokens):
            mask |= info[0]
            art = art or info[1]
            com = com or info[2]
            auth = auth or info[3]
            title = title or info[4]
            entry = entry or info[5]
            m0 = info[6] if m0 is None else m0
            m1 = info[7] if m1 is None else m1
            m2 = info[8] if m2 is None else m2
    return (tokens, mask, zlib.crc32((cls or "").encode()), art, com, auth, title, entry, (m0, m1, m2))


# marker words as sets: most tokens carry none, one set test each tells
_MARKER_WORDS = frozenset(R.BOILERPLATE_MARKERS)
_WHOLE_MARKERS = _MARKER_WORDS | frozenset(R.WHOLE_TOKEN_MARKERS)


@lru_cache(maxsize=16384)
def token_info(tok: str) -> tuple:
    """One class/id token's part of ``class_info``: (bucket mask of its words, article marker,
    comment container, comment-author marker, title marker, article-header word, boilerplate
    marker at level 0/1/2)."""
    low = tok.lower()
    ws = words(tok)
    mask = 0
    for w in ws:
        mask |= 1 << (zlib.crc32(w.encode()) % D.CLASS_BUCKETS)
    if low in _WHOLE_MARKERS or not _MARKER_WORDS.isdisjoint(ws):
        markers = (_token_marker(tok, 0), _token_marker(tok, 1), _token_marker(tok, 2))
    else:  # neither the whole token nor any of its words is a marker: none at any level
        markers = (None, None, None)
    return (mask, low in R.ARTICLE_MARKERS, _comment_token(tok), low in R.COMMENT_AUTHOR_MARKERS,
            low in TITLE_MARKERS, not _ENTRY_WORDS.isdisjoint(ws), *markers)


def _marker_reason(tokens: tuple[str, ...], level: int) -> str | None:
    """The BOILERPLATE_MARKERS word a class/id token list carries, or None. Inside
    <main> (level 1) only IN_MAIN_MARKERS count, inside the article only IN_BODY_MARKERS."""
    for tok in tokens:
        marker = _token_marker(tok, level)
        if marker is not None:
            return marker
    return None


def _token_marker(tok: str, level: int) -> str | None:
    """The marker one token carries at ``level`` (see ``_marker_reason``)."""
    allowed = None if level == 0 else (R.IN_MAIN_MARKERS if level == 1 else R.IN_BODY_MARKERS)
    low = tok.lower()
    if (low in R.BOILERPLATE_MARKERS or low in R.WHOLE_TOKEN_MARKERS) and (allowed is None or low in allowed):
        return low
    ws = words(tok)
    if not ws or any(w in R.MARKER_NEGATIVE_WORDS for w in ws):
        return None
    for w in ws:
        if w in R.BOILERPLATE_MARKERS and (allowed is None or w in allowed):
            return w
    return None


def _comment_token(tok: str) -> bool:
    """A token of a comment container (once per token: ``token_info`` is cached)."""
    if tok.lower() in R.COMMENT_CONTAINERS:
        return True
    ws = words(tok)
    return not R.COMMENT_WORDS.isdisjoint(ws) and R.COMMENT_NEGATIVE_WORDS.isdisjoint(ws)


@lru_cache(maxsize=4096)
def itemprop_bits(itemprop: str) -> int:
    bits = IP_ANY
    for word in itemprop.split():
        if word in D.ITEMPROP_BODY:
            bits |= IP_BODY
        if word in D.ITEMPROP_HEADLINE:
            bits |= IP_HEADLINE
        if word in D.ITEMPROP_AUTHOR:
            bits |= IP_AUTHOR
        if word in D.ITEMPROP_DATE:
            bits |= IP_DATE
        if word in D.ITEMPROP_COMMENT:
            bits |= IP_COMMENT
    return bits
