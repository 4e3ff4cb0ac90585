"""header_author's shortcuts (stages/author_lines.py; docs/performance.md, tenth round) answer as its
plain definition: the two lead patterns are searched only where a line can open with a lead,
the user-id pattern only where the text holds a "(", and the line is normalised once."""
from __future__ import annotations

from tests.test_comment_speed import _lines
from workers.core.heuristics.header_lines import NAME_LEAD_WORDS
from workers.core.stages import author_lines as A
from workers.core.stages.authors import NAME_LEAD, tidy_name
from workers.core.stages.text import normalise

TAILS = ("", " ", "x", "y Mara", "osted by Mara", " Mara says:", "3 Mara", ") Mara", ": Mara", "(12) Mara")
EXTRA = ("by cpu6502 (1960974) writes:", "• Mara says:", "(1) Mike says:", "1. 09. Jul, 2012 / Courtney says:",
         "#3 Bram", "# 12 Bram says:", "Posted by Mara (12345) on May 3, 2012", "ſubmitted by Mara",
         "Commented by: Mara", "DOOR Mara op 3 mei 2012", "przez Mara", "* Mara said...", "", " ",
         "Mara " + "x" * 150 + " (123456) says:", "by Mara" + " (123456)" * 30 + " writes:")


def _plain(text: str, trailing: bool = False):
    """header_author as written before the shortcuts."""
    parsed = A.parse_author_line(text, trailing)
    if parsed is None:
        t = normalise(text)
        m = A._HEADER_LEAD.search(t)
        if m is not None and m.end() < len(t):
            parsed = A.parse_author_line(t[m.end():], trailing)
        if parsed is None:
            m = NAME_LEAD.search(t)
            bare = A._USER_ID.sub("", t[m.end():] if m is not None else t)
            if bare != t and bare:
                parsed = A.parse_author_line(bare, trailing)
    if parsed is None:
        return None
    return tidy_name(parsed[0]), parsed[1], parsed[2]


def test_no_lead_starts_match_no_lead() -> None:
    for c in sorted(A._NO_LEAD_STARTS - {""}):
        for tail in TAILS:
            assert A._HEADER_LEAD.search(c + tail) is None, repr(c + tail)
            assert NAME_LEAD.search(c + tail).end() == 0, repr(c + tail)
    for w in NAME_LEAD_WORDS:   # every lead word is one the guard lets through, in either case
        for t in (w + " Mara", w.upper() + ": Mara"):
            assert NAME_LEAD.search(t).end() > 0 and t[0] not in A._NO_LEAD_STARTS


def test_header_author_answers_as_plain() -> None:
    texts = [t for t in _lines() if t.strip()] + list(EXTRA)
    texts += [p + t for t in texts[:2000] for p in ("by ", "#3 ", "• ", "(12) ", "Posted by ", "3. ")]
    for trailing in (False, True):
        for t in texts:
            assert A.header_author(t, trailing) == _plain(t, trailing), (t, trailing)
