"""The reply-marker test's first-character guard (labeller/comment_shape.py) answers as the plain
search: ``_REPLY`` is asked only of lines whose first character some marker may open with."""
from __future__ import annotations

from tests.test_comment_speed import _lines
from workers.core.heuristics.header_lines import REPLY_TO_WORDS
from workers.core.labeller import comment_shape as S
from workers.core.stages.text import normalise

TAILS = ("", " ", "x", "eply to Mara", "EPLY TO Mara", "n reply to Mara", "ntwort an Mara", " reply to Mara")
# RE2's case folding reaches past ASCII: the Kelvin sign folds with "k", the long s with "s"
EXTRA = ("\u212aeply to Mara", "\u017ftill", "ſvar till Mara", "Ответ для Mara", "ответ для Mara", "", " ",
         "\u00a0Reply to Mara", "\tin reply to Mara", "reply to", "Reply to Mara " + "x " * 20)


def _plain_marker(text: str) -> bool:
    t = normalise(text)
    return t.count(" ") < S.REPLY_MARKER_MAX_WORDS and S._REPLY.search(t) is not None


def test_markers_open_with_a_literal_letter() -> None:
    # the guard reads a marker's first character as a literal (not a class, group or escape)
    assert all(w[:1].isalpha() for w in REPLY_TO_WORDS)


def test_no_reply_starts_match_no_marker() -> None:
    for c in sorted(S._NO_REPLY_STARTS - {""}):
        for w in REPLY_TO_WORDS:
            for t in (c + w[1:].replace(":?", "") + " Mara", *(c + tail for tail in TAILS)):
                assert S._REPLY.search(normalise(t)) is None, repr(t)
    for w in REPLY_TO_WORDS:   # every marker passes the guard, in either case
        for t in (w.replace(":?", "") + " Mara", w.replace(":?", ":").upper() + " Mara"):
            assert S._REPLY.search(t) is not None and t[0] not in S._NO_REPLY_STARTS, t


def test_reply_marker_answers_as_plain() -> None:
    texts = [t for t in _lines() if t.strip()] + list(EXTRA)
    texts += [c + t for t in TAILS + EXTRA for c in map(chr, range(128))]
    found = 0
    for t in texts:
        want = _plain_marker(t)
        assert S.reply_marker(t) == want, repr(t)
        assert S._reply_to(t) == (S._REPLY.search(normalise(t)) is not None), repr(t)
        found += want
    assert found >= 10
