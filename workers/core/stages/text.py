"""Small text utilities every stage shares: whitespace, words, sentence ends, lines.
"""
from __future__ import annotations

import re
from functools import lru_cache

from topics.records import Line


_WORD = re.compile(r"\w+")  # stdlib re: a single character class, no nesting, linear
_SENT_END = ".!?…"
QUOTES_TAIL = "\"'”“’»)]*"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# normalise() is asked about the same line ~5 times per page (features, templates, authors,
# dates, title...): lines up to this long are remembered (most recent CACHED_LINES of them),
# longer ones recomputed: well under 1 MB held for ordinary lines, a few MB at worst.
CACHED_LINE_CHARS = 500
CACHED_LINES = 2048


def normalise(text: str) -> str:
    """Whitespace runs -> one space, no leading/trailing whitespace."""
    if len(text) > CACHED_LINE_CHARS:
        return " ".join(text.split())
    return _normalise_cached(text)


@lru_cache(maxsize=CACHED_LINES)
def _normalise_cached(text: str) -> str:
    return " ".join(text.split())


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def ends_sentence(text: str) -> bool:
    t = text.rstrip(QUOTES_TAIL + " ")
    return bool(t) and t[-1] in _SENT_END


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    blank = 0
    for n, raw in enumerate(text.split("\n")):
        t = raw.strip()
        # strip(_INVISIBLE).strip() changes only a line that opens or ends with an invisible
        # character (t already holds no whitespace at its ends): 3 lines of 43,099 on the bench
        if t and (t[0] in _INVISIBLE or t[-1] in _INVISIBLE):
            t = t.strip(_INVISIBLE).strip()
        if not t:
            blank += 1
            continue
        out.append(Line(n, t, blank))  # (n, text, blank_before)
        blank = 0
    return out
