"""Comment-widget author lines: which author pattern a line is ("X says:", "Submitted by X on
...", a name and the comment's date), the name and printed time it holds, and the comment record
builder's reading of a header line (``header_author``). The names themselves are read by
``stages/authors.py``. Shared by strip (finding author lines) and segment (reading them).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from workers.core.heuristics.header_lines import (AUTHOR_PATTERNS, HEADER_LEAD_MARKS, NAME_LEAD_WORDS,
                                                  TRAILING_AUTHOR_PATTERNS)
from workers.core.heuristics.signatures import Signature
from workers.core.stages.authors import (AUTHOR_CACHE_LINES, NAME_LEAD, TIMEISH, drop_handle, is_name_like,
                                         loose_name, tidy_name)
from workers.core.stages.patterns import LineSet, full_match
from workers.core.stages.text import normalise
from workers.core import re2_calls


_AUTHORS: tuple[tuple[Signature, Any], ...] = tuple((s, full_match(s.pattern)) for s in AUTHOR_PATTERNS)
_TRAILING: tuple[tuple[Signature, Any], ...] = tuple((s, full_match(s.pattern)) for s in TRAILING_AUTHOR_PATTERNS)
# the same patterns as one set each: one pass tells which of them may match a line at all
# (most lines match none), so only those are searched for their groups (the search
# confirms them: the sets are unconfirmed supersets, see patterns.LineSet)
# group numbers of "name" and "when" (None: the pattern prints no time) per author regex
_GROUPS = {rx: (rx.groupindex["name"], rx.groupindex.get("when")) for _s, rx in _AUTHORS + _TRAILING}
AUTHOR_SET = LineSet((s.pattern for s in AUTHOR_PATTERNS), confirm=False)
TRAILING_SET = LineSet((s.pattern for s in TRAILING_AUTHOR_PATTERNS), confirm=False)


# a comment-widget author line is at most this long (normalised): a longer one is a text line
AUTHOR_LINE_MAX_CHARS = 140


def parse_author_line(text: str, trailing: bool = False) -> tuple[str, str | None, str] | None:
    """(name, printed time or None, pattern name) when ``text`` is a comment-widget author
    line (``trailing``: one printed under the comment text)."""
    t = normalise(text)
    if len(t) > AUTHOR_LINE_MAX_CHARS:
        return None
    return _parse_author(t, trailing)


@lru_cache(maxsize=AUTHOR_CACHE_LINES)
def _parse_author(t: str, trailing: bool) -> tuple[str, str | None, str] | None:
    """``parse_author_line`` of a normalised line of at most AUTHOR_LINE_MAX_CHARS characters."""
    hits = (TRAILING_SET if trailing else AUTHOR_SET).Match(t)
    if not hits:
        return None
    patterns = _TRAILING if trailing else _AUTHORS
    for i in sorted(hits):
        sig, rx = patterns[i]
        m = rx.search(t)
        if not m:
            continue
        name_at, when_at = _GROUPS[rx]  # by number: a name lookup rebuilds the wrapper's name table
        name = drop_handle((m.group(name_at) or "").strip(" -–—|,:"))
        when = m.group(when_at) if when_at is not None else None
        when = (when or "").strip() or None
        if sig.name == "drupal-submitted":
            if name.lower().endswith("(not verified)"):
                name = name[: -len("(not verified)")].strip()
        elif when is not None and not TIMEISH.search(when):
            continue
        if sig.name == "wp-says" and t.rstrip().endswith(".") and not t.endswith("..."):
            continue
        vouched = when is not None or sig.name == "wp-says" or sig.name == "by-name" and " " not in name
        if not name or not (is_name_like(name) or vouched and loose_name(name)):
            continue
        return name, when, sig.name
    return None


# what the record builder reads off a header line before its author pattern: a bullet or the
# comment's number before it, a user id after the name ("by cpu6502 (1960974) writes:")
_HEADER_LEAD = re2_calls.compile(rf"^{HEADER_LEAD_MARKS}\s*")
_USER_ID = re.compile(r"(?<=\S)\s\(\d{3,12}\)(?=\s|$)")
# first characters after which _HEADER_LEAD and NAME_LEAD match only "" (header_author skips
# them there): ASCII characters none of their openings starts with, i.e. not a lead mark's
# ("*", "(", "#", a digit; the other bullets are not ASCII) nor, in either case, a lead word's
# first letter. An ASCII character folds only to its ASCII case pair in RE2, so the guard is
# exact; a non-ASCII first character is always searched (tests/test_header_author_guard.py)
_LEAD_OPENINGS = frozenset("*(#0123456789" + "".join(w[0] + w[0].upper() for w in NAME_LEAD_WORDS))
_NO_LEAD_STARTS = frozenset(chr(c) for c in range(128)) - _LEAD_OPENINGS | {""}


def header_author(text: str, trailing: bool = False) -> tuple[str, str | None, str] | None:
    """``parse_author_line`` as the record builder reads a comment's header line: a bullet or
    the comment's number before the header is not part of it ("1. 09. Jul, 2012 / Courtney
    says:", "• Mara says:"), and the name comes without its decorations (``tidy_name``)."""
    t = normalise(text)
    # parse_author_line(text, trailing), with the line normalised once for both reads
    parsed = _parse_author(t, trailing) if len(t) <= AUTHOR_LINE_MAX_CHARS else None
    if parsed is None:
        lead = t[:1] not in _NO_LEAD_STARTS   # else neither lead pattern matches more than ""
        m = _HEADER_LEAD.search(t) if lead else None
        if m is not None and m.end() < len(t):
            parsed = parse_author_line(t[m.end():], trailing)
        if parsed is None:   # "by cpu6502 (1960974) writes:": read without the lead and the user id
            m = NAME_LEAD.search(t) if lead else None
            bare = t[m.end():] if m is not None else t
            if "(" in bare:   # _USER_ID needs one
                bare = _USER_ID.sub("", bare)
            if bare != t and bare:
                parsed = parse_author_line(bare, trailing)
    if parsed is None:
        return None
    return tidy_name(parsed[0]), parsed[1], parsed[2]
