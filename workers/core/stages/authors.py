"""Commenter names: whether a text reads as one, a name line without its decorations (bare
name lines, a widget author line's name, a header's name), placeholders, names that are a time
or a count. Which author pattern a line is and the header-line reading are in
``stages/author_lines.py``. Shared by strip, the comment record builder and segment.
"""
from __future__ import annotations

import re
from functools import lru_cache

from workers.core.heuristics import thresholds as T
from workers.core.heuristics.dates import FULL_DATE, MONTH, MONTHS, RELATIVE_TIME, TIME, WEEKDAYS
from workers.core.heuristics.comment_numbers import HASH_NUMBER_CLOSED
from workers.core.heuristics.header_lines import (COMMENT_NUMBER, COMMENT_NUMBER_OR_BARE, HEADER_LEAD_MARKS,
                                                  NAME_LEAD_WORDS, NOT_AUTHOR_WORDS, PLACEHOLDER_AUTHORS)
from workers.core.stages.patterns import OPTS, full_match
from workers.core.stages.comment_times import extra_time_tail, is_extra_time
from workers.core.stages.printed_times import looks_like_time
from workers.core.stages.text import normalise
from workers.core import re2_calls


TIMEISH = full_match(rf"(?:posted |edited )?(?:{RELATIVE_TIME}|.{{0,20}}(?:{FULL_DATE}).{{0,30}}|\d{{1,2}}[:.]\d{{2}}\s?(?:[ap]\.?m\.?|uhr|h)?)")
_UPPER_START = re2_calls.compile(r"^[\p{Lu}\p{Lt}]")
# name particles allowed in lower case inside a capitalised name ("Ludwig van Beethoven")
_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le", "al", "el",
                        "bin", "ibn", "y", "e", "of", "the", "ter", "zu", "dos", "das"})


# characters a commenter name never holds (sentence punctuation, brackets, symbols)
_NOT_IN_NAME = frozenset(",;:!?\"“”„()[]{}<>|/\\=+*#%$€£@…")


def is_name_like(text: str, strict: bool = False) -> bool:
    """A commenter name: 1-5 words, short, no sentence punctuation; ``strict`` also asks for
    capitalised words (a bare name line with no other cue)."""
    t = normalise(text)
    if not t or len(t) > T.AUTHOR_MAX_CHARS:
        return False
    if not _NOT_IN_NAME.isdisjoint(t):
        return False
    ws = t.split(" ")
    if len(ws) > T.AUTHOR_MAX_WORDS:
        return False
    if t.endswith(".") and not (len(ws[-1]) <= 3 and ws[-1][:-1].isalpha()):  # "Hanne B." ok, "done." not
        return False
    letters = sum(map(str.isalpha, t))
    if letters < 2 or letters < len(t.replace(" ", "")) / 2:
        return False
    if strict:
        if len(ws) > 1 and t.upper() == t:  # "GO HUSKIES"
            return False
        caps = 0
        for w in ws:
            if _UPPER_START.search(w) or w[0].isdigit():
                caps += 1
            elif w.lower() not in _PARTICLES:
                return False
        return caps >= 1
    return True


# characters a name printed with its comment's date may hold besides a plain name's: a blog
# name or a site after it ("Diane, A Broad", "Loretta | A Finn In The Kitchen", "Monique @
# Ambitious Kitchen", "Desiree {CHIC COASTAL LIVING}", "Annie (MD)"), a username ("cpu6502")
_LOOSE_NAME_CHARS = frozenset(",|@{}()&")
_LOOSE_NAME_MAX_WORDS = 8


def loose_name(text: str) -> bool:
    """A name read by a widget author pattern that vouches for it (the comment's date on the
    same line, "X says:", "by X (1234)"): blog names and usernames pass too (no sentence
    punctuation, at most ``_LOOSE_NAME_MAX_WORDS`` words, at least half of them not lower-case)."""
    t = normalise(text)
    if not t or len(t) > 60 or len(t.split(" ")) > _LOOSE_NAME_MAX_WORDS:
        return False
    if not (_NOT_IN_NAME - _LOOSE_NAME_CHARS).isdisjoint(t) or t[-1] in ".!?:;":
        return False
    words = [w for w in t.split(" ") if any(c.isalpha() for c in w)]
    # a sentence ("Thanks, I agree with you") is mostly lower-case words; a name is not
    return len(words) == 1 or bool(words) and sum(not w[0].islower() for w in words) * 2 >= len(words)


_NUMBER_STARTS = frozenset("#+-0123456789")   # the first characters a numbering can start with
# a comment's number (after a vote count: "+4 #1 Name") before the name: "#3 Bram", "12. Karl"
_VOTE_LEAD = r"(?:[+-]\d{1,4}\s+)?"
_NUMBERING = re2_calls.compile(rf"^{_VOTE_LEAD}{COMMENT_NUMBER}\s+")
_ROLE_SUFFIX = re2_calls.compile(r"\s+(?:[-–—|·•]\s+.{1,40}|\((?:author|admin|op|editor|moderator|staff)\))$", OPTS)


# every _NUMBERING match starts with "#" or a digit, every _ROLE_SUFFIX match holds one of
# these characters: lines without them (most) skip the substitution
_ROLE_MARK = re.compile("[-–—|·•(]")  # stdlib re: one character class
# a name followed by the comment's printed date or time on the same line: "Mara Lind 3 days
# ago", "Mara Lind, 03.05.2023 07:41", "Mara Lind on May 3, 2023" (any widget, any language
# of the date vocabulary)
_DATE_TAIL = re2_calls.compile(
    rf"^(?P<name>.{{2,48}}?)\s*(?:[,·•]\s*|\s(?:on|at|am|le|el|il|em|om|op)\s+|\s)"
    rf"(?:{RELATIVE_TIME}|{FULL_DATE}|{TIME}|\d{{1,2}}\s?(?:h|d|w|min|std\.?))"
    rf"(?:,?\s*(?:at\s|um\s|à\s|alle\s|a las\s|klo\s)?{TIME})?\.?$", OPTS)


def bare_name(text: str) -> str:
    """A bare author line without its decorations: '#3 Bram | Bramus!' -> 'Bram',
    'Robert Nyman - author' -> 'Robert Nyman', 'Mara Lind 3 days ago' -> 'Mara Lind'."""
    t = normalise(text)
    if t[:1] in _NUMBER_STARTS:
        t = _NUMBERING.sub("", t, 1)
    if _ROLE_MARK.search(t):
        t = _ROLE_SUFFIX.sub("", t, 1) or t
    if " " in t and not is_name_like(t, strict=True):  # a one-word line has no date tail
        m = _DATE_TAIL.search(t)
        if m and is_name_like(m.group("name"), strict=True):
            return m.group("name")
    return t


# what follows a commenter's name on an author line that is not a bare name: "says: ...", a
# date or a relative time, and the words joining them ("Laura (Tutti Dolci) 09. Aug, 2012 at
# 4:27 pm #", "Harry @ GoalsOnTrack says:", "QueenSashy added 1 day ago")
_SAYS_TAIL = re2_calls.compile(r"\s+(?:says|said|wrote|writes|sagt|schrieb|dijo|a dit|a écrit|disse)\b.*$", OPTS)
_DATE_IN = re2_calls.compile(rf"(?:{FULL_DATE}|{RELATIVE_TIME})", OPTS)
_JOINERS = re.compile(r"(?:[\s,;:/#|·•–—-]|\b(?:on|at|added|posted|am|le|el|il|em|om|op)\b)+$", re.I)


# a social handle printed after the name ("Mara Lind @maralind12 · 3h"): not part of the name
_HANDLE_TAIL = re.compile(r"\s+@[\w.]{2,30}$")  # stdlib re: \w is any script
# a verb of saying between the name and a colon, in any language ("Mara pisze:", "Mara sa:",
# "현호 님의 말:", "王明 说："): one or two words that do not start upper-case, then the colon
_SAYING_TAIL = re2_calls.compile(r"^(?P<name>\S.*?)(?:\s+[^\s\p{Lu}\p{Lt}\d@#(\[][^\s]{0,15}){1,2}\s*[:：]$")


# a name, then a social handle, then anything (a date in any language): the handle ends the name
_NAME_THEN_HANDLE = re.compile(r"^(?P<name>[^@]{2,48}?)\s+@[\w.]{2,30}(?=$|\s|[,·•|–—-])")


def drop_handle(name: str) -> str:
    """``name`` without a trailing "@handle" ("Mara Lind @maralind12" -> "Mara Lind")."""
    return _HANDLE_TAIL.sub("", name, 1) if "@" in name else name


def author_line_name(text: str) -> str:
    """The name on a line known to be a comment's author line: ``bare_name``, and when that
    still carries a "says:" tail (any language's verb before a colon), a date or a trailing
    "@handle", the text before them ("Harry @ GoalsOnTrack says:" -> "Harry @ GoalsOnTrack",
    "Mara pisze:" -> "Mara"). Only for lines already labelled as author lines
    (``bare_name`` also decides whether a line looks like a name at all)."""
    t = bare_name(text)
    m = _SAYING_TAIL.search(t) if t[-1:] in ":：" else None
    if m and is_name_like(m.group("name")):
        return m.group("name")
    m = _NAME_THEN_HANDLE.search(t) if "@" in t else None
    if m and is_name_like(m.group("name")) and not not_a_name(m.group("name")):
        return m.group("name")
    s = _SAYS_TAIL.sub("", t, 1)
    m = _DATE_IN.search(s)
    if m:
        s = s[:m.start()]
    s = drop_handle(_JOINERS.sub("", s).strip())
    if s != t and 2 <= len(s) <= T.AUTHOR_MAX_CHARS and any(c.isalpha() for c in s):
        return s
    return t


def placeholder(name: str | None) -> bool:
    return name is not None and normalise(name).lower().strip(" .") in PLACEHOLDER_AUTHORS


# lines whose author-line reading is remembered: the strip stage's line features, the comment
# record builder and the segment stage read the same header lines of a page (a pure function
# of the normalised line; a page has a few hundred lines)
AUTHOR_CACHE_LINES = 4096


# what a comment header prints around the name besides it (the record builder's reading; the
# rules' patterns read the names with them): a bullet or the comment's number, a "by" lead, a
# user id after the name ("by cpu6502 (1960974) writes:"), a verb of saying without a colon
NAME_LEAD = re2_calls.compile(rf"^(?:(?:{HASH_NUMBER_CLOSED}|{HEADER_LEAD_MARKS})\s*)?(?:(?:{'|'.join(NAME_LEAD_WORDS)}):?\s+)?", OPTS)
_NAME_ID_TAIL = re.compile(r"\s*\((?:\d{3,12}|#\d{1,12})\)$")


def tidy_name(name: str) -> str:
    """A name read on a comment header without the header's decorations around it:
    '• Holger' -> 'Holger', 'by cpu6502 (1960974)' -> 'cpu6502', 'written by mike' -> 'mike',
    'Anonymous Coward writes' -> 'Anonymous Coward' (the name itself when nothing is left)."""
    n = normalise(name)
    m = NAME_LEAD.search(n)
    rest = n[m.end():] if m is not None and m.end() < len(n) else n
    rest = _NAME_ID_TAIL.sub("", rest, 1) or rest
    rest = _SAYS_TAIL.sub("", rest, 1) or rest
    if rest.endswith(".."):
        rest = rest.rstrip(" .…")   # "Tumko na bool paayenge ....."
    return rest.strip(" -–—|,:：") or n   # "：" the full-width colon of CJK headers ("陈丽：")


def vouched_name(text: str) -> str | None:
    """The name on a header line whose decorations vouch for it ("by cpu6502 (1960974) writes:
    on …": a "by" lead, a user id, a verb of saying): the name once they are taken off, when it
    reads as a name or a username (``loose_name``), else None."""
    shown = author_line_name(text)
    name = tidy_name(shown)
    if name == normalise(shown) or not (is_name_like(name) or loose_name(name)) or not_a_name(name):
        return None
    return name


# _NUMBERING, and a bare number too, on a text known to be a name ("1 Tami", "+4 #1 munya"):
# the same set of matches as the former "\d{1,4}[.)]?" (tests/test_heuristics.py)
_NAME_NUMBERING = re2_calls.compile(rf"^{_VOTE_LEAD}{COMMENT_NUMBER_OR_BARE}\s+")


# a date where a name should be ("23 October 2012", "October 2012"): a date header, no author
_MONTH_YEAR = full_match(rf"(?:{MONTH})\s+\d{{4}}")


def _date_first(text: str) -> bool:
    """The text opens with a number, a month or a weekday (it may be a date, not a name)."""
    first = text.split(" ", 1)[0].lower().strip(".,")
    return first[:1].isdigit() or first in MONTHS or first in WEEKDAYS


def clean_author(name: str | None) -> str | None:
    if name is None or placeholder(name):
        return None
    n = normalise(name)
    if n.lower().strip(" .:") in NOT_AUTHOR_WORDS or _date_first(n) and (TIMEISH.search(n) or _MONTH_YEAR.search(n)):
        return None
    if n[:1] in _NUMBER_STARTS:
        n = _NAME_NUMBERING.sub("", n, 1)
    if n.lower().endswith("(not verified)"):
        n = n[: -len("(not verified)")].strip()
    return n or None

# "[by|—] NAME <separator> REST": the separators a header prints between a name and a time
_NAME_SEP_TIME = re2_calls.compile(r"^(?:by\s+|[—–-]\s*)?(?P<name>[^,|·•]{2,48}?)\s*(?:,|\||·|•|\s[-–—]|\s(?:on|am|le|el|il|em|op|om|den))"
                             r"\s+(?P<rest>\S.{0,59})$", OPTS)
_NAME_SPACE_TIME = re2_calls.compile(r"^(?:by\s+|[—–-]\s*)?(?P<name>[^,|·•]{2,48}?)\s+(?P<rest>\d.{0,59})$", OPTS)
_NUMERIC_SHAPE = re2_calls.compile(r"\d{1,4}[./:-]\d{1,2}")
_LEAD = re2_calls.compile(r"^(?:by\s+|[—–-]\s*)?(?P<name>.{2,48})$", OPTS)
_MAX_TIME_WORDS = 6   # "17 Kasım 2012 saat 4:13"
# a run of two or more spaces between a name and a time is a separator as "|" or "·" are
# ("Сорара C.  55 часов назад", "Urlu  23 října 2016": the text lines keep it, normalise drops it)
_WIDE_GAP = re.compile(r"\s{2,}")


def not_a_name(name: str) -> bool:
    """A name-shaped text that is a time or a count: a token that starts with a digit ("3 d",
    "56時間前", "12 Kommentare"; a username ends with digits, a time starts with them), or a
    printed date/relative time. A comment's number before the name ("#3 Bram", "3. Bram") is
    not part of it."""
    c = clean_author(name)
    ws = c.split(" ") if c else []
    # a month and a day ("Dec 6th"), a long month name alone ("September"; "May", "June" are names)
    if c is None or _date_first(c) and (len(ws) > 1 and ws[1][:1].isdigit()
                                        or len(ws) == 1 and len(c) >= 6 and c.lower().strip(".,") in MONTHS):
        return True
    n = normalise(name)
    if n[:1] in _NUMBER_STARTS:
        n = _NUMBERING.sub("", n, 1)
    return any(w[:1].isdigit() for w in n.split(" ")) or looks_like_time(n) or is_extra_time(n)


def _wide_gap_split(text: str) -> tuple[str, str] | None:
    """(name, time) of "NAME<two or more spaces>TIME" (``_WIDE_GAP``; a comment's number before
    the name dropped: "6) Мара Каанка  23. ноября 2013"), the time opening on a digit or being a
    known time, in at most ``_MAX_TIME_WORDS`` words."""
    raw = text.strip()
    m = _WIDE_GAP.search(raw)
    if m is None:
        return None
    rest = normalise(raw[m.end():])
    if len(rest.split(" ")) > _MAX_TIME_WORDS or not (rest[:1].isdigit() or looks_like_time(rest)
                                                      or is_extra_time(rest)):
        return None
    name = normalise(raw[:m.start()])
    if name[:1] in _NUMBER_STARTS:
        name = _NAME_NUMBERING.sub("", name, 1)
    return name, rest


def split_name_time(text: str) -> tuple[str, str] | None:
    """(name, printed time) of a header line that prints a name, a separator and a time the
    date vocabulary may not read ("Olmaso N. , 17 Kasım 2012", "by Ana Ruiz on 1 Haziran
    2015", "Mara – 2 godzin temu"): the time part holds a number or a known relative time."""
    t = normalise(text)
    tail = extra_time_tail(t)
    cands: list[tuple[str, str]] = []
    wide = _wide_gap_split(text)
    if wide is not None:
        cands.append(wide)
    if tail is not None:
        m = _LEAD.search(t[: len(t) - len(tail)].rstrip(" ,|·•–—-").rstrip())
        cands.append((m.group("name") if m else "", tail))
    else:
        m = _NAME_SEP_TIME.search(t)
        if m and any(w[:1].isdigit() for w in m.group("rest").split(" ")) \
                and len(m.group("rest").split(" ")) <= _MAX_TIME_WORDS:
            cands.append((m.group("name"), m.group("rest")))
        # no separator: "Deel Tosaur 9.7.2024 om 1:37" (the time then has a date shape)
        m = _NAME_SPACE_TIME.search(t)
        if m and len(m.group("rest").split(" ")) <= _MAX_TIME_WORDS \
                and m.group("name").rsplit(" ", 1)[-1].lower().strip(".,") not in MONTHS and (
                _NUMERIC_SHAPE.search(m.group("rest")) or looks_like_time(m.group("rest"))
                or is_extra_time(m.group("rest"))):
            cands.append((m.group("name"), m.group("rest")))
    for name, rest in cands:
        name = drop_handle(_JOINERS.sub("", name).strip(" ,"))   # "QueenSashy added 1 day ago"
        if name and is_name_like(name) and not not_a_name(name):
            return name, rest
    return None


# The comment record builder and the segment stage read one header line with several of these
# in turn (a line's bare_name three times: as a placeholder, as a name, inside author_line_name),
# so their answers for the last AUTHOR_CACHE_LINES distinct texts are remembered: each is a pure
# function of its one text (or None) and answers an immutable value. Texts longer than
# REMEMBERED_TEXT_CHARS are not kept (a bounded count of bounded texts).
REMEMBERED_TEXT_CHARS = 500


def _remembered(fn):
    cached = lru_cache(maxsize=AUTHOR_CACHE_LINES)(fn)

    def call(text):
        if type(text) is str and len(text) <= REMEMBERED_TEXT_CHARS:
            return cached(text)
        return fn(text)

    call.__name__, call.__qualname__, call.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    call.__wrapped__, call.cache_clear = fn, cached.cache_clear
    return call


bare_name = _remembered(bare_name)
author_line_name = _remembered(author_line_name)
tidy_name = _remembered(tidy_name)
clean_author = _remembered(clean_author)
not_a_name = _remembered(not_a_name)
split_name_time = _remembered(split_name_time)
