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
    return tuple(w.lower() for w in _WORD_SPLIT.split(token) if w)


# words of a <header>/<footer> class that make it the article's own header/footer
_ENTRY_WORDS = frozenset({"entry", "post", "article", "story"})
NO_CLASS = ((), 0, 0, False, False, False, False, False, (None, None, None))


@lru_cache(maxsize=65536)
def class_info(cls: str | None, ident: str | None) -> tuple:
    """Everything the walk needs from an element's class and id, computed once per distinct
    (class, id) pair: (tokens, bucket mask of their words, CRC of the class string,
    article marker, comment container, comment-author marker, title marker, article-header
    word, boilerplate marker at level 0/1/2)."""
    tokens = tuple(cls.split()) if cls else ()
    if ident:
        tokens = tokens + (ident,)
    if not tokens:
        return NO_CLASS
    mask = 0
    for tok in tokens:
        for w in words(tok):
            mask |= 1 << (zlib.crc32(w.encode()) % D.CLASS_BUCKETS)
    lows = [t.lower() for t in tokens]
    return (tokens, mask, zlib.crc32((cls or "").encode()),
            any(t in R.ARTICLE_MARKERS for t in lows),
            any(_comment_token(t) for t in tokens),
            any(t in R.COMMENT_AUTHOR_MARKERS for t in lows),
            any(t in TITLE_MARKERS for t in lows),
            any(w in _ENTRY_WORDS for t in tokens for w in words(t)),
            tuple(_marker_reason(tokens, level) for level in (0, 1, 2)))


def _marker_reason(tokens: tuple[str, ...], level: int) -> str | None:
    """The BOILERPLATE_MARKERS word a class/id token list carries, or None. Inside
    <main> (level 1) only IN_MAIN_MARKERS count, inside the article only IN_BODY_MARKERS."""
    allowed = None if level == 0 else (R.IN_MAIN_MARKERS if level == 1 else R.IN_BODY_MARKERS)
    for tok in tokens:
        low = tok.lower()
        if (low in R.BOILERPLATE_MARKERS or low in R.WHOLE_TOKEN_MARKERS) and (allowed is None or low in allowed):
            return low
        ws = words(tok)
        if not ws or any(w in R.MARKER_NEGATIVE_WORDS for w in ws):
            continue
        for w in ws:
            if w in R.BOILERPLATE_MARKERS and (allowed is None or w in allowed):
                return w
    return None


@lru_cache(maxsize=65536)
def _comment_token(tok: str) -> bool:
    low = tok.lower()
    if low in R.COMMENT_CONTAINERS:
        return True
    ws = words(tok)
    return any(w in R.COMMENT_WORDS for w in ws) and not any(w in R.COMMENT_NEGATIVE_WORDS for w in ws)


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
