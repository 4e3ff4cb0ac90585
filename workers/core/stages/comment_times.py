"""Printed comment times that the shared date vocabulary does not read: relative times in
more languages ("2 godzin temu", "3日前", "gisteren"), on comment header lines only (the
vocabulary is ``heuristics/header_lines.RELATIVE_AGO_EXTRA``). Everything else about dates
is ``stages/dates.py``; this only extends what a comment's ``posted_text`` can be.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import re2

from workers.core.heuristics.header_lines import RELATIVE_AGO_EXTRA, RELATIVE_UNIT_DAYS
from workers.core.stages.dates import parse_printed_time
from workers.core.stages.text import normalise

_OPTS = re2.Options()
_OPTS.case_sensitive = False
_WHOLE = tuple(re2.compile(rf"^(?:{p})$", _OPTS) for p in RELATIVE_AGO_EXTRA)
_TAIL = tuple(re2.compile(rf"(?:^|[\s,|·•–—-])(?P<t>{p})$", _OPTS) for p in RELATIVE_AGO_EXTRA)
_WORD_COUNTS = {"een": 1, "één": 1, "en": 1, "ett": 1, "bir": 1}


def is_extra_time(text: str) -> bool:
    """The whole line is such a relative time."""
    t = normalise(text)
    return any(rx.search(t) for rx in _WHOLE)


def extra_time_tail(text: str) -> str | None:
    """Such a relative time ending the line ("Mara Lind – 2 godzin temu" -> "2 godzin temu")."""
    t = normalise(text)
    for rx in _TAIL:
        m = rx.search(t)
        if m:
            return m.group("t")
    return None


def _days(text: str) -> int | None:
    t = normalise(text)
    for rx in _WHOLE:
        m = rx.search(t)
        if not m:
            continue
        unit = m.group("unit").lower()
        per = next((d for p, d in sorted(RELATIVE_UNIT_DAYS.items(), key=lambda x: -len(x[0]))
                    if unit.startswith(p)), None)
        if per is None:
            return None
        raw = m.groupdict().get("n")
        n = 1 if not raw else (int(raw) if raw.isdigit() else _WORD_COUNTS.get(raw.lower(), 1))
        return per * n
    return None


def parse_comment_time(text: str, fetched_at: str | None = None) -> str | None:
    """``dates.parse_printed_time``, then these relative times, resolved against
    ``fetched_at`` to the day."""
    got = parse_printed_time(text, fetched_at)
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
