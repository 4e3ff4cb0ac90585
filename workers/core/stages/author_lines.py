"""Comment-widget author lines: which author pattern a line is ("X says:", "Submitted by X on
...", a name and the comment's date), the name and printed time it holds, and the comment record
builder's reading of a header line (``header_author``). The names themselves are read by
``stages/authors.py``. Shared by strip (finding author lines) and segment (reading them).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from workers.core.heuristics.comment_numbers import HASH_NUMBER_CLOSED
from workers.core.heuristics.header_lines import (AUTHOR_PATTERNS, HEADER_LEAD_MARKS, NAME_LEAD_WORDS,
                                                  TRAILING_AUTHOR_PATTERNS)
from workers.core.heuristics.signatures import Signature
from workers.core.stages.authors import (AUTHOR_CACHE_LINES, NAME_LEAD, TIMEISH, drop_handle, is_name_like,
                                         loose_name, tidy_name)
from workers.core.stages.patterns import OPTS, LineSet, full_match
from workers.core.stages.text import normalise
from workers.core import re2_calls


_AUTHORS: tuple[tuple[Signature, Any], ...] = tuple((s, full_match(s.pattern)) for s in AUTHOR_PATTERNS)
_TRAILING: tuple[tuple[Signature, Any], ...] = tuple((s, full_match(s.pattern)) for s in TRAILING_AUTHOR_PATTERNS)
# the same patterns as one set each: one pass tells which of them may match a line at all
# (most lines match none), so only those are searched for their groups (the search
# confirms them: the sets are unconfirmed supersets, see patterns.LineSet)
AUTHOR_SET = LineSet((s.pattern for s in AUTHOR_PATTERNS), confirm=False)
TRAILING_SET = LineSet((s.pattern for s in TRAILING_AUTHOR_PATTERNS), confirm=False)

# RE2's \s: the characters a name's first character is not
_RE2_SPACE = frozenset("\t\n\f\r ")
# an author pattern that opens with its name, "(?P<name>[^\s].{0,N}?)REST" ("name-on-date",
# "wp-says"): the whole pattern's DFA holds N copies of the name's repeat and builds new states
# on almost every new line (~60-90 us a search)
_NAME_FIRST = re.compile(r"\(\?P<name>\[\^\\s\]\.\{0,(\d+)\}\?\)")


class _NameFirst:
    """One name-first author pattern, read without its name's repeat: the name is the line's
    shortest opening (1 to N + 1 characters, not starting with a space, no line break) after
    which REST matches the rest of the line whole, so "REST$" is searched anywhere in the line
    (RE2 runs it backwards from the line's end) and its leftmost start past the first
    character ends the name. The same match as the whole pattern: its non-greedy name tries
    the shortest opening first, and REST's own choices come after the name's (REST is searched
    in the whole line, so an assertion in it sees the same characters; tests/test_author_line_readers.py)."""

    __slots__ = ("bound", "rest", "when")

    def __init__(self, pattern: str, head: re.Match[str]):
        self.bound = int(head.group(1)) + 1
        self.rest = re2_calls.compile("(?:" + pattern[head.end():] + ")$", OPTS)
        self.when = self.rest.groupindex.get("when")

    def __call__(self, t: str) -> tuple[str, str | None] | None:
        if not t or t[0] in _RE2_SPACE:
            return None
        m = self.rest.search(t)
        if m is not None and m.start() == 0:   # the name holds one character at least
            m = self.rest.search(t, 1)
        if m is None or m.start() > self.bound or "\n" in t[1:m.start()]:
            return None
        return t[:m.start()], (m.group(self.when) if self.when is not None else None)


def _whole(rx) -> Any:
    """The (name, time) groups of an author regex's match on a line (None: no match)."""
    name_at, when_at = rx.groupindex["name"], rx.groupindex.get("when")

    def read(t: str) -> tuple[str | None, str | None] | None:
        m = rx.search(t)
        if m is None:
            return None
        return m.group(name_at), (m.group(when_at) if when_at is not None else None)   # by number: a name
    return read                                                  # lookup rebuilds the wrapper's name table


def _one_branch(pattern: str) -> bool:
    """No "|" outside a group or class: ``pattern`` is one sequence (the name then the rest)."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            i += pattern[i + 1:i + 2] == "^"
            i += pattern[i + 1:i + 2] == "]"   # a "]" first in a class is a literal
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return True


def _reader(sig: Signature, rx) -> Any:
    head = _NAME_FIRST.match(sig.pattern)
    if head is not None and _one_branch(sig.pattern[head.end():]):
        return _NameFirst(sig.pattern, head)
    return _whole(rx)


# per author pattern, what reads its (name, time) off a line
_READ = {rx: _reader(s, rx) for s, rx in _AUTHORS + _TRAILING}


# a comment-widget author line is at most this long (normalised): a longer one is a text line
AUTHOR_LINE_MAX_CHARS = 140


def parse_author_line(text: str, trailing: bool = False) -> tuple[str, str | None, str] | None:
    """(name, printed time or None, pattern name) when ``text`` is a comment-widget author
    line (``trailing``: one printed under the comment text)."""
    t = normalise(text)
    if len(t) > AUTHOR_LINE_MAX_CHARS:
        return None
    return _parse_author(t, trailing)


def _parse_author(t: str, trailing: bool) -> tuple[str, str | None, str] | None:
    """``parse_author_line`` of a normalised line of at most AUTHOR_LINE_MAX_CHARS characters:
    the pattern set's pass each time (most lines match none of them: ~1 us, nothing to keep),
    the reads of a line it may match remembered (``_read_author``: ~10-60 us a pattern). The
    cache holds only such lines, so a page's comment texts (thousands of distinct lines no
    pattern matches) do not push the author-like lines out of it."""
    if not (TRAILING_SET if trailing else AUTHOR_SET).Match(t):
        return None
    return _read_author(t, trailing)


@lru_cache(maxsize=AUTHOR_CACHE_LINES)
def _read_author(t: str, trailing: bool) -> tuple[str, str | None, str] | None:
    """``_parse_author`` itself (uncached: ``_read_author.__wrapped__``)."""
    hits = (TRAILING_SET if trailing else AUTHOR_SET).Match(t)
    if not hits:
        return None
    patterns = _TRAILING if trailing else _AUTHORS
    for i in sorted(hits):
        sig, rx = patterns[i]
        read = _READ[rx](t)
        if read is None:
            continue
        name = drop_handle((read[0] or "").strip(" -–—|,:"))
        when = (read[1] or "").strip() or None
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
_HEADER_LEAD = re2_calls.compile(rf"^(?:{HASH_NUMBER_CLOSED}|{HEADER_LEAD_MARKS})\s*")
_USER_ID = re.compile(r"(?<=\S)\s\(\d{3,12}\)(?=\s|$)")
# what every _USER_ID match holds: searched first (sre finds its "(" by a literal scan, where
# _USER_ID's lookbehind is tried at every position: ~0.8 against ~12 us on a 200-character
# line; 244 of the 1,391 bench lines that hold a "(" hold a user id)
_USER_ID_CORE = re.compile(r"\(\d{3,12}\)")
# first characters after which _HEADER_LEAD and NAME_LEAD match only "" (header_author skips
# them there): ASCII characters none of their openings starts with, i.e. not a lead mark's
# ("*", "(", "#", a digit; the other bullets are not ASCII) nor, in either case, a lead word's
# first letter. An ASCII character folds only to its ASCII case pair in RE2, so the guard is
# exact; a non-ASCII first character is always searched (tests/test_header_author_guard.py)
_HEADER_LEAD_OPENINGS = frozenset("*(#0123456789")
_LEAD_OPENINGS = _HEADER_LEAD_OPENINGS | frozenset("".join(w[0] + w[0].upper() for w in NAME_LEAD_WORDS))
_NO_LEAD_STARTS = frozenset(chr(c) for c in range(128)) - _LEAD_OPENINGS | {""}
# _HEADER_LEAD alone (a lead mark, no lead word: nothing optional) matches nothing after the
# ASCII characters no mark opens with, a lead word's letters included (the most common openings
# the first guard lets through: "by", "Posted by")
_NO_HEADER_LEAD_STARTS = frozenset(chr(c) for c in range(128)) - _HEADER_LEAD_OPENINGS | {""}


def _max_chars(pattern: str) -> int | None:
    """The most characters ``pattern`` matches at the start of a normalised text (None: no
    bound): its width as Python's regex parser reads it with each ``\\s*`` / ``\\s+`` taking one
    character at most, as on a text without two whitespace characters in a row."""
    if "\\\\" in pattern:   # an escaped backslash: the replacements below would misread it
        return None
    try:
        from re import _parser
        hi = _parser.parse(pattern.replace(r"\s*", r"\s?").replace(r"\s+", r"\s")).getwidth()[1]
    except Exception:   # noqa: BLE001 - another Python's parser, or a syntax it lacks: no bound
        return None
    return hi if hi < _parser.MAXREPEAT else None


# a normalised line longer than this, without a "(" (no user id to drop), is read by no pattern:
# without either lead (at most _LEAD_CHARS characters) it is still longer than AUTHOR_LINE_MAX_CHARS
_LEAD_CHARS = [_max_chars(_HEADER_LEAD.pattern), _max_chars(NAME_LEAD.pattern)]
UNREAD_CHARS = (AUTHOR_LINE_MAX_CHARS + 1 + max(_LEAD_CHARS)) if None not in _LEAD_CHARS else None


def header_author(text: str, trailing: bool = False) -> tuple[str, str | None, str] | None:
    """``parse_author_line`` as the record builder reads a comment's header line: a bullet or
    the comment's number before the header is not part of it ("1. 09. Jul, 2012 / Courtney
    says:", "• Mara says:"), and the name comes without its decorations (``tidy_name``)."""
    t = normalise(text)
    if UNREAD_CHARS is not None and len(t) > UNREAD_CHARS and "(" not in t:
        return None   # (a comment's long text line: no lead search, no pattern set)
    # parse_author_line(text, trailing), with the line normalised once for both reads
    parsed = _parse_author(t, trailing) if len(t) <= AUTHOR_LINE_MAX_CHARS else None
    if parsed is None:
        lead = t[:1] not in _NO_LEAD_STARTS   # else neither lead pattern matches more than ""
        m = _HEADER_LEAD.search(t) if lead and t[:1] not in _NO_HEADER_LEAD_STARTS else None
        if m is not None and m.end() < len(t):
            parsed = parse_author_line(t[m.end():], trailing)
        if parsed is None:   # "by cpu6502 (1960974) writes:": read without the lead and the user id
            m = NAME_LEAD.search(t) if lead else None
            bare = t[m.end():] if m is not None else t
            if "(" in bare and _USER_ID_CORE.search(bare):   # _USER_ID needs both
                bare = _USER_ID.sub("", bare)
            if bare != t and bare:
                parsed = parse_author_line(bare, trailing)
    if parsed is None:
        return None
    return tidy_name(parsed[0]), parsed[1], parsed[2]
