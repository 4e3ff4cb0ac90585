"""Printed comment times that ``stages/printed_times.parse_printed_time`` does not read: relative
times in more languages ("2 godzin temu", "3日前", "gisteren"), dates with a ru/pl/sv/tr month
name or in CJK digits, on comment header lines only. The vocabulary is the one date
vocabulary, ``heuristics/dates.py`` (``RELATIVE_AGO_EXTRA``, ``MONTHS_EXTRA``, …). Everything
else about printed times is ``stages/printed_times.py``; this only extends what a comment's ``posted_text`` can be.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import re2

from workers.core.heuristics.dates import MONTHS_EXTRA, RELATIVE_AGO_EXTRA, RELATIVE_UNIT_DAYS, SHORT_AGO_UNITS
from workers.core.stages.printed_times import parse_printed_time
from workers.core.stages.text import normalise
from workers.core import re2_calls

_OPTS = re2.Options()
_OPTS.case_sensitive = False
_WHOLE = tuple(re2_calls.compile(rf"^(?:{p})$", _OPTS) for p in RELATIVE_AGO_EXTRA)
# the same patterns as one alternation, groups unnamed: a line matches it iff it matches one of
# them (one search instead of one per pattern, for ``is_extra_time``'s yes/no)
_ANY = "|".join("(?:" + re.sub(r"[(][?]P<[a-z]+>", "(?:", p) + ")" for p in RELATIVE_AGO_EXTRA)
_WHOLE_ANY = re2_calls.compile(rf"^(?:{_ANY})$", _OPTS)
_TAIL = tuple(re2_calls.compile(rf"(?:^|[\s,|·•–—-])(?P<t>{p})$", _OPTS) for p in RELATIVE_AGO_EXTRA)
# the same for a line's tail: one search says whether any of them ends the line (most lines: none)
_TAIL_ANY = re2_calls.compile(rf"(?:^|[\s,|·•–—-])(?:{_ANY})$", _OPTS)
_WORD_COUNTS = {"een": 1, "één": 1, "en": 1, "ett": 1, "et": 1, "bir": 1}
_SHORT = re2_calls.compile(rf"^(?P<n>\d{{1,3}})\s?(?P<unit>{'|'.join(sorted((re2.escape(u) for u in SHORT_AGO_UNITS), key=len, reverse=True))})$",
                     _OPTS)
# a whole line that either of _WHOLE_ANY and _SHORT matches, as one capture-free alternation (a
# line matches it iff it matches one of them): ``is_extra_time``'s one search instead of two
_SHORT_SPANS = re2_calls.groupless(_SHORT)
_WHOLE_OR_SHORT = re2_calls.compile(f"(?:{_WHOLE_ANY.pattern})|(?:{_SHORT_SPANS.pattern})", _SHORT_SPANS.options)
_TIME = r"(?:\D{0,12}?(?P<hh>\d{1,2})[:.](?P<mm>\d{2}))?"
# "17 Kasım 2012", "27. ноября 2015 в 22:57"; "2024年12月20日 2:45"
_DATE_EXTRA = re2_calls.compile(rf"(?P<d>\d{{1,2}})\.?\s+(?P<mon>\p{{L}}+)\s+(?P<y>\d{{4}}){_TIME}", _OPTS)
_DATE_CJK = re2_calls.compile(rf"(?P<y>\d{{4}})年(?P<mon>\d{{1,2}})月(?P<d>\d{{1,2}})日{_TIME}")


_DIGITS = frozenset("0123456789")
# unit prefixes, longest first (the most specific prefix a unit word starts with wins)
_UNIT_DAYS = tuple(sorted(RELATIVE_UNIT_DAYS.items(), key=lambda x: -len(x[0])))


def is_extra_time(text: str) -> bool:
    """The whole line is such a relative time (or a compact one: "22 d", "16 min"), or a
    date with such a month name ("17 Kasım 2012", "2024年12月20日")."""
    t = normalise(text)
    return bool(_WHOLE_OR_SHORT.search(t) is not None or _absolute(t, whole=True))


def _absolute(t: str, whole: bool = False) -> str | None:
    """ISO date (and time) of a date with a month name of ``MONTHS_EXTRA`` or in CJK digits
    (``whole``: only when the date is the whole text)."""
    if whole and t[:1] not in _DIGITS:   # both date shapes open with an ASCII digit (re2's \d)
        return None
    m = _DATE_CJK.search(t)
    mon = int(m.group("mon")) if m else None
    if m is None:
        m = _DATE_EXTRA.search(t)
        mon = MONTHS_EXTRA.get(m.group("mon").lower()) if m else None
    if m is None or mon is None or not 1 <= int(m.group("d")) <= 31 or whole and (m.start(), m.end()) != (0, len(t)):
        return None
    day = f"{int(m.group('y')):04d}-{mon:02d}-{int(m.group('d')):02d}"
    hh, mm = m.group("hh"), m.group("mm")
    if hh is not None and int(hh) < 24 and int(mm) < 60:
        return f"{day}T{int(hh):02d}:{int(mm):02d}"
    return day


def extra_time_tail(text: str) -> str | None:
    """Such a relative time ending the line ("Mara Lind – 2 godzin temu" -> "2 godzin temu")."""
    t = normalise(text)
    if _TAIL_ANY.search(t) is None:
        return None
    for rx in _TAIL:
        m = rx.search(t)
        if m:
            return m.group("t")
    return None


def _days(text: str) -> int | None:
    t = normalise(text)
    m = _SHORT.search(t)
    if m:
        return SHORT_AGO_UNITS[m.group("unit").lower()] * int(m.group("n"))
    for rx in _WHOLE:
        m = rx.search(t)
        if not m:
            continue
        unit = m.group("unit").lower()
        per = next((d for p, d in _UNIT_DAYS if unit.startswith(p)), None)
        if per is None:
            return None
        raw = m.groupdict().get("n")
        n = 1 if not raw else (int(raw) if raw.isdigit() else _WORD_COUNTS.get(raw.lower(), 1))
        return per * n
    return None


def parse_comment_time(text: str, fetched_at: str | None = None) -> str | None:
    """``printed_times.parse_printed_time``, then these relative times, resolved against
    ``fetched_at`` to the day."""
    got = parse_printed_time(text, fetched_at) or _absolute(normalise(text))
    if got is not None or not fetched_at:
        return got
    days = _days(text)
    if days is None:
        return None
    try:
        base = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (base - timedelta(days=days)).date().isoformat()
