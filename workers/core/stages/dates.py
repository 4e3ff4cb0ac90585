"""Publication dates, for enrich and the HTML metadata. Printed comment times (segment) are
``stages/printed_times.py``; the RE2 date patterns strip's signatures use and every word of
every language are the one date vocabulary, ``workers.core.heuristics.dates``.

Everything language-specific is named data in ``workers.core.heuristics.dates`` (one
vocabulary for all stages): month names and abbreviations and weekday names in en, de,
fr, es, it, pt, nl (``find_dates`` also reads the ru/pl/sv/tr month names of
``MONTHS_EXTRA``); the words that introduce a publication date ("Posted on",
"Veröffentlicht", ...) and the words that introduce a *different* date that must not be
taken ("Updated", "Aktualisiert", ...).

``find_dates(text)`` returns every full date (a day, a month and a year) in a string
with its position and what kind of pattern matched. Numeric day/month order is
resolved with, in order: impossible values (a "month" above 12), a weekday printed
next to the date, the separator (``11.06.2024`` is always D.M.Y), a caller cue
(``month_first`` from the page's locale), else D/M/Y (the most common order world-wide).
Month-only dates ("APRIL 2024", archive months) and bare years are never a date.
"""
from __future__ import annotations

import re
from datetime import date

from workers.core.heuristics import dates as V
from workers.core.heuristics.dates import (BYLINE_LINE_CUES, BYLINE_LINE_MAX_CHARS, BYLINE_LINE_MAX_WORDS,
                                           BYLINE_SEPARATORS, MONTHS, NON_PUBLICATION_CUES, PUBLISHED_CUES,
                                           READING_TIME, UPDATED_CUES, UPDATED_DATE_WINDOW, WEEKDAYS)

# month names ``find_dates`` reads: the seven main languages and ru/pl/sv/tr (``MONTHS_EXTRA``;
# the RE2 patterns below keep ``MONTHS`` alone, see heuristics/dates.py)
_FIND_MONTHS: dict[str, int] = {**V.MONTHS_EXTRA, **MONTHS}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _FIND_MONTHS), key=len, reverse=True))
_WD_ALT = "|".join(sorted((re.escape(w) for w in WEEKDAYS), key=len, reverse=True))

# name-based patterns; groups: d (day), m (month name), y (year)
_NAME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # March 12, 2024 / Mar. 12th 2024 / September 14 2023
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b",
                       re.I)),
    # 6 May 2024 / 11. Juni 2024 / 5 de marzo de 2024 / le 3 mars 2024 / 3rd of May, 2024
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+|of\s+)?(?P<m>{_MONTH_ALT})\.?"
                       rf",?\s*(?:de\s+|del\s+)?(?P<y>\d{{4}})\b", re.I)),
)
# numeric patterns
_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_NUM = re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2}|\d{2})\b")
_CJK = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_WEEKDAY_RE = re.compile(rf"\b(?P<w>{_WD_ALT})\b\.?", re.I)
_DIGIT = re.compile(r"\d")  # the same \d as the date patterns (stdlib re, Unicode digits)
# "02/09/2024 - 10:30": Drupal's default medium date format is m/d/Y - H:i
_DRUPAL_MDY = re.compile(r"\b\d{2}/\d{2}/\d{4} - \d{1,2}:\d{2}\b")

MIN_YEAR = 1990
MAX_YEAR = 2100


def calendar_date(y: int, m: int, d: int) -> date | None:
    """The date, or None when it does not exist or its year is outside MIN_YEAR..MAX_YEAR."""
    if not (MIN_YEAR <= y <= MAX_YEAR):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def full_year(s: str) -> int:
    """A printed year; two digits pivot at 70 ("99" -> 1999, "24" -> 2024), for every stage."""
    y = int(s)
    if len(s) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _weekday_near(text: str, start: int, end: int) -> int | None:
    """A weekday name printed right before (or right after) a date."""
    before = text[max(0, start - 16):start]
    for m in _WEEKDAY_RE.finditer(before):
        tail = before[m.end():]
        if re.fullmatch(r"[\s,.]*(?:den\s+|le\s+|el\s+|il\s+)?", tail, re.I):
            return WEEKDAYS.get(m.group("w").lower())
    after = text[end:end + 16]
    m = re.match(rf"\s*[,(]?\s*(?P<w>{_WD_ALT})\b", after, re.I)
    if m:
        return WEEKDAYS.get(m.group("w").lower())
    return None


class _Spans:
    """The character spans of the dates found so far (a later pattern never re-reads them)."""

    def __init__(self) -> None:
        self.taken: list[tuple[int, int]] = []

    def free(self, s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in self.taken)


def _name_dates(text: str, spans: _Spans, out: list[tuple[int, date, str]]) -> None:
    """Dates with the month written as a word (a printed weekday must agree)."""
    for _kind, rx in _NAME_PATTERNS:
        for m in rx.finditer(text):
            if not spans.free(m.start(), m.end()):
                continue
            mon = _FIND_MONTHS.get(m.group("m").lower().rstrip("."))
            if mon is None:
                continue
            d = calendar_date(int(m.group("y")), mon, int(m.group("d")))
            if d is None:
                continue
            wd = _weekday_near(text, m.start(), m.end())
            if wd is not None and wd != d.weekday():
                continue
            out.append((m.start(), d, "name"))
            spans.taken.append((m.start(), m.end()))


def _ymd_dates(text: str, spans: _Spans, out: list[tuple[int, date, str]]) -> None:
    """Year-first dates: ISO (2024-03-12, 2024.03.12) and CJK (2024年3月12日)."""
    for rx, kind in ((_ISO, "iso"), (_CJK, "cjk")):
        for m in rx.finditer(text):
            if not spans.free(m.start(), m.end()):
                continue
            d = calendar_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            if d is not None:
                out.append((m.start(), d, kind))
                spans.taken.append((m.start(), m.end()))


def _numeric_order(text: str, m: re.Match[str], dmy: date | None, mdy: date | None,
                   month_first: bool | None) -> date | None:
    """D/M/Y or M/D/Y of an ambiguous numeric date: a printed weekday, the separator (dots:
    D.M.Y), Drupal's "mm/dd/yyyy - hh:mm", the caller's locale cue, else D/M/Y."""
    if dmy is None or mdy is None or dmy == mdy:
        return dmy or mdy
    wd = _weekday_near(text, m.start(), m.end())
    if wd is not None and (dmy.weekday() == wd) != (mdy.weekday() == wd):
        return dmy if dmy.weekday() == wd else mdy
    if m.group("sep") == ".":
        return dmy
    drupal = _DRUPAL_MDY.search(text, m.start())
    if drupal and drupal.start() == m.start():
        return mdy
    if month_first is not None:
        return mdy if month_first else dmy
    return dmy


def _numeric_dates(text: str, spans: _Spans, out: list[tuple[int, date, str]], month_first: bool | None) -> None:
    """D/M/Y and M/D/Y dates (two-digit years pivot at 70)."""
    for m in _NUM.finditer(text):
        if not spans.free(m.start(), m.end()):
            continue
        a, b, y = int(m.group("a")), int(m.group("b")), full_year(m.group("y"))
        dmy, mdy = calendar_date(y, b, a), calendar_date(y, a, b)
        if dmy is None and mdy is None:
            continue
        d = _numeric_order(text, m, dmy, mdy, month_first)
        wd = _weekday_near(text, m.start(), m.end())
        if d is None or wd is not None and d.weekday() != wd:
            continue
        out.append((m.start(), d, "numeric"))
        spans.taken.append((m.start(), m.end()))


def find_dates(text: str, month_first: bool | None = None) -> list[tuple[int, date, str]]:
    """Every full date in ``text`` as (start offset, date, kind), in text order.

    kind: "name" (month written as a word), "iso" (Y-M-D), "numeric" (D/M/Y or M/D/Y),
    "cjk". ``month_first`` is the caller's locale cue for ambiguous numeric dates."""
    if not text or len(text) > 5000:
        text = (text or "")[:5000]
    if _DIGIT.search(text) is None:
        return []  # every date pattern holds \d: most lines of a page have no digit at all
    out: list[tuple[int, date, str]] = []
    spans = _Spans()
    _name_dates(text, spans, out)
    _ymd_dates(text, spans, out)
    _numeric_dates(text, spans, out, month_first)
    out.sort(key=lambda x: x[0])
    return out


def has_digit(text: str) -> bool:
    """Whether ``text`` holds a digit (``\\d``, which every date pattern needs): without one,
    ``find_dates`` answers [] for the text and for any part of it."""
    return _DIGIT.search(text) is not None


def publication_part(text: str) -> str:
    """The part of a line before any "Updated"-like cue (the rest names another date)."""
    low = text.lower()
    cut = len(text)
    for cue in NON_PUBLICATION_CUES:
        i = low.find(cue)
        while i != -1:
            if i == 0 or not low[i - 1].isalpha():
                cut = min(cut, i)
                break
            i = low.find(cue, i + 1)
    return text[:cut]


def updated_date(text: str, month_first: bool | None = None) -> date | None:
    """The date a line gives as the page's last update: the first full date that follows an
    "Updated"-like cue (``UPDATED_CUES``) within ``UPDATED_DATE_WINDOW`` characters."""
    low = text.lower()
    for cue in UPDATED_CUES:
        i = low.find(cue)
        while i != -1:
            end = i + len(cue)
            if (i == 0 or not low[i - 1].isalpha()) and (end == len(low) or not low[end].isalpha()):
                hits = find_dates(text[end:], month_first)
                if hits and hits[0][0] <= UPDATED_DATE_WINDOW:
                    return hits[0][1]
            i = low.find(cue, i + 1)
    return None


_CUED = re.compile(rf"(?:^|[-|•·–—]\s*)(?:{'|'.join(sorted(map(re.escape, V.DATE_CUES), key=len, reverse=True))}){V.DATE_CUE_GAP}$",
                   re.I)


def cued_date(text: str, month_first: bool | None = None) -> date | None:
    """The first full date right after a date cue (``DATE_CUES``) that opens the line or follows
    a separator: "Essay - Published: 2025.12.17 | essays", "Posted on the 15/12/2025 at 19:00"."""
    for pos, d, _kind in find_dates(text, month_first):
        if _CUED.search(text[max(0, pos - 40):pos]):
            return d
    return None


def has_published_cue(text: str) -> bool:
    low = text.lower().lstrip(" •·|-—–")
    return any(low.startswith(c) for c in PUBLISHED_CUES)


def parse_date_text(text: str, month_first: bool | None = None) -> str | None:
    """The first full date in ``text`` (ignoring "Updated ..." parts) as YYYY-MM-DD."""
    found = find_dates(publication_part(text or ""), month_first)
    return found[0][1].isoformat() if found else None


def _without_dates(text: str) -> str:
    """``text`` with its dates, weekdays and times of day blanked out."""
    rest = text
    for rx in (_NAME_PATTERNS[0][1], _NAME_PATTERNS[1][1], _ISO, _NUM, _CJK, _WEEKDAY_RE):
        rest = rx.sub(" ", rest)
    return re.sub(r"\b\d{1,2}[:.h]\d{2}(?:\s*[ap]\.?m\.?)?\b|\b(?:at|um|à|a las|alle|om|uhr)\b", " ", rest, flags=re.I)


def date_span_ratio(text: str, month_first: bool | None = None) -> float:
    """How much of a line the dates (plus weekday, time and punctuation) take up: 1.0 for
    a bare date header like "Thursday, September 14, 2023"."""
    if not text:
        return 0.0
    rest = re.sub(r"[\W_]+", "", _without_dates(text))
    return 1.0 - len(rest) / max(1, len(re.sub(r"[\W_]+", "", text)))


_READING_TIME = re.compile(READING_TIME, re.I)
_BYLINE_LINE_CUE = re.compile(BYLINE_LINE_CUES, re.I)
_LETTER_WORD = re.compile(r"[^\W\d_]+")


def byline_shaped(text: str, month_first: bool | None = None) -> bool:
    """A byline-shaped date line: a full date with, around it, only a reading time, a
    separator (``BYLINE_SEPARATORS``), a byline cue and a short name ("Ann Lee • Oct 20, 2025",
    "23.07.2025 · 6 min read", "by: Bo Xu, Dec 17, 2025")."""
    if not text or len(text) > BYLINE_LINE_MAX_CHARS or not find_dates(text, month_first):
        return False
    rest = _without_dates(text)
    shaped = False
    if _READING_TIME.search(rest):
        rest, shaped = _READING_TIME.sub(" ", rest), True
    if _BYLINE_LINE_CUE.match(rest):
        rest, shaped = _BYLINE_LINE_CUE.sub(" ", rest, count=1), True
    shaped = shaped or any(c in text for c in BYLINE_SEPARATORS)
    return shaped and len(_LETTER_WORD.findall(rest)) <= BYLINE_LINE_MAX_WORDS
