"""Printed times, for the segment stage: a comment header's timestamp (a full date with an
optional time of day, or a relative time resolved against ``fetched_at``), a ``<time
datetime>`` value, and how many printed dates a page holds (page kind). RE2 over the one date
vocabulary, ``workers.core.heuristics.dates``; publication dates are ``stages/dates.py``, and
relative times of more languages ``stages/comment_times.py``."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from workers.core.heuristics import dates as V
from workers.core.stages.dates import calendar_date, full_year
from workers.core.stages.patterns import CASELESS as _RE2_OPTS
from workers.core.stages.text import normalise
from workers.core import re2_calls


_PRINTED_DATE = re2_calls.compile(rf"(?P<date>{V.FULL_DATE})(?:\s*(?:at|um|a las|à|alle|às|-|–|,|@)?\s*(?P<time>{V.TIME}))?", _RE2_OPTS)
_PRINTED_REL = re2_calls.compile(rf"(?P<rel>{V.RELATIVE_TIME})", _RE2_OPTS)
# RE2's \d is ASCII [0-9]; a clock time's digits are read with stdlib re (the wrapper's findall
# is a Python loop, ~18 us a line; this one ~0.5 us)
_DIGITS = re.compile(r"[0-9]+")
# the groups read off a match, by number (a name lookup rebuilds the wrapper's name table)
_DATE_AT, _TIME_AT = _PRINTED_DATE.groupindex["date"], _PRINTED_DATE.groupindex["time"]
_REL_AT = _PRINTED_REL.groupindex["rel"]
# the same matches without capturing groups (re2_calls.groupless), for the callers that read only
# where or whether they match: RE2 then skips the submatch search a match with groups ends in;
# a printed date or relative time as one pattern (a text holds a match of the alternation iff
# it holds one of either), one search instead of two
_DATE_SPANS, _REL_SPANS = re2_calls.groupless(_PRINTED_DATE), re2_calls.groupless(_PRINTED_REL)
_DATE_OR_REL = re2_calls.compile(f"(?:{_DATE_SPANS.pattern})|(?:{_REL_SPANS.pattern})", _DATE_SPANS.options)


def count_printed_dates(text: str) -> int:
    """How many printed full dates ``text`` holds (one RE2 pass; a listing prints one per entry).
    The starts of ``finditer``'s matches over the UTF-8 bytes, without a match object each: every
    match holds a digit (no empty match), so each step goes to the match's end, in the bytes as in
    the text, and the matches are the same."""
    return len(re2_calls.match_starts(_DATE_SPANS, text.encode("utf-8")))


def looks_like_time(text: str) -> bool:
    """A printed date or relative time somewhere in ``text``."""
    return _DATE_OR_REL.search(text) is not None


def _parse_time(t: str | None) -> tuple[int, int] | None:
    if not t:
        return None
    nums = _DIGITS.findall(t)
    if len(nums) < 2:
        return None
    h, m = int(nums[0]), int(nums[1])
    low = t.lower().replace(".", "")
    if "pm" in low and h < 12:
        h += 12
    if "am" in low and h == 12:
        h = 0
    if h > 23 or m > 59:
        return None
    return h, m


def _weekday_of(text: str) -> int | None:
    for w in normalise(text).lower().replace(",", " ").split(" "):
        w = w.strip(".")
        if len(w) > 2 and w in V.WEEKDAYS:
            return V.WEEKDAYS[w]
    return None


def parse_printed_time(text: str, fetched_at: str | None = None) -> str | None:
    """ISO 8601 date (or date and time) of a printed time, or None.

    Absolute dates in the common orders and languages; numeric dates are read D/M/Y
    unless that is impossible or the printed weekday says M/D/Y. Relative times ("3 days
    ago", "last month") are resolved against ``fetched_at`` (to the day)."""
    if not text:
        return None
    t = normalise(text)
    m = _PRINTED_DATE.search(t)
    if m:
        d = _date_parts(m.group(_DATE_AT), _weekday_of(t))
        if d is None:
            return None
        y, mo, da = d
        hm = _parse_time(m.group(_TIME_AT))
        if hm:
            return f"{y:04d}-{mo:02d}-{da:02d}T{hm[0]:02d}:{hm[1]:02d}"
        return f"{y:04d}-{mo:02d}-{da:02d}"
    r = _PRINTED_REL.search(t)
    if r and fetched_at:
        base = _parse_iso(fetched_at)
        if base is None:
            return None
        delta = _relative_delta(r.group(_REL_AT).lower())
        if delta is None:
            return None
        return (base - delta).date().isoformat()
    return None


_MACHINE_TIME = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def machine_time(value: str | None) -> str | None:
    """A ``<time datetime>`` value as ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (the clock time as
    written, its offset dropped, as a printed time is read), or None when it is not a date."""
    m = _MACHINE_TIME.match(value or "")
    if m is None or calendar_date(int(m.group(1)), int(m.group(2)), int(m.group(3))) is None:
        return None
    day = f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    if m.group(4) is not None and int(m.group(4)) < 24 and int(m.group(5)) < 60:
        return f"{day}T{m.group(4)}:{m.group(5)}"
    return day


def _parse_iso(s: str) -> datetime | None:
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None


def _relative_delta(rel: str) -> timedelta | None:
    if rel in ("just now", "right now", "today"):
        return timedelta(0)
    if rel == "yesterday":
        return timedelta(days=1)
    if rel.startswith("last "):
        unit = rel[5:]
        return timedelta(days={"week": 7, "month": 30, "year": 365, "night": 1}.get(unit, 0))
    nums = _DIGITS.findall(rel)
    k = int(nums[0]) if nums else 1
    ws = rel.replace("ago", " ").replace("vor ", " ").replace("hace ", " ").replace("il y a ", " ").split()
    for w in ws:
        for prefix, days in V.RELATIVE_TIME_UNIT_DAYS.items():
            if w.startswith(prefix):
                return timedelta(days=days * k)
    return None


def _date_parts(s: str, weekday: int | None) -> tuple[int, int, int] | None:
    s = s.lower().replace(",", " ").replace(" de ", " ")
    toks = [x for x in s.replace(".", " ").replace("/", " ").replace("-", " ").split() if x]
    nums = [x for x in toks if x.isdigit()]
    month_word = None
    for x in toks:
        x2 = x.strip(".")
        if not x2.isdigit() and x2 in V.MONTHS:
            month_word = V.MONTHS[x2]
            break
    day_tok = [x.rstrip("stndrh") for x in toks if x[:1].isdigit() and not x.isdigit()]
    nums = nums + [x for x in day_tok if x.isdigit()]
    try:
        if month_word is not None:
            year = next(int(x) for x in nums if len(x) == 4)
            day = next(int(x) for x in nums if len(x) <= 2)
            return _valid_ymd(year, month_word, day)
        if len(nums) >= 3:
            a, b, c = nums[0], nums[1], nums[2]
            if len(a) == 4:
                return _valid_ymd(int(a), int(b), int(c))
            y = full_year(c)
            x1, x2 = int(a), int(b)
            dmy, mdy = _valid_ymd(y, x2, x1), _valid_ymd(y, x1, x2)
            if dmy and mdy and weekday is not None:
                for cand in (dmy, mdy):
                    if datetime(*cand).weekday() == weekday:
                        return cand
            return dmy or mdy
    except StopIteration:
        return None
    return None


def _valid_ymd(y: int, m: int, d: int) -> tuple[int, int, int] | None:
    try:
        datetime(y, m, d, tzinfo=timezone.utc)
    except ValueError:
        return None
    return y, m, d
