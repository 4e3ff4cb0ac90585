"""The segment stage's guards before its reply and addressing patterns (stages/segment.py): a text
the guard turns away is one the pattern does not match, on the corpus's lines, texts built
around each guard's edges and random texts of the characters the patterns care about."""
from __future__ import annotations

import random

from tests.test_comment_speed import _lines
from workers.core.heuristics.header_lines import REPLY_TO_WORDS
from workers.core.stages import segment as S
from workers.core.stages.text import normalise

# RE2's case folding reaches past ASCII (the Kelvin sign with "k", the long s with "s"); capitals
# and letters in and out of ASCII, the separators and the spaces the patterns read
ALPHABET = ("aAbBeEiIkKrRsSzZ@,:.'- \t\u212a\u017f\u0130\u0131ÉéÜüЖжΣσ日\u00a0")


def _texts() -> list[str]:
    texts = [t for t in _lines() if t.strip()]
    for w in (*REPLY_TO_WORDS, "in reply to"):
        for c in map(chr, range(128)):
            texts += [c + w[1:].replace(":?", "") + " Mara", c + w[1:] + " Re: old by Mara"]
        texts += [w.replace(":?", "") + " Mara", w.upper().replace(":?", ":") + " Mara",
                  "in reply to " + w + " by Mara"]
    for n in range(55, 72):   # a separator on either side of _NAME_OPENING's last place for it
        for sep in (",", ":"):
            texts += ["A" + "b" * (n - 1) + sep + " x", "Ab Cd" + "e" * (n - 5) + sep + " x",
                      "Ab" + "c" * 30 + " D" + "e" * (n - 34) + " " + sep + " x", "É" + "b" * n + sep + " x"]
    texts += ["@" + t for t in ("mara", "Mara Lind", "", " x", "日本")] + ["x@mara", " @mara", "＠mara"]
    rng = random.Random(23)
    for _ in range(20000):
        texts.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 80))))
    return texts


def test_reply_guard_turns_away_only_non_matches() -> None:
    found = 0
    for text in _texts():
        t = normalise(text)
        hit = S._REPLY_TO.search(t) is not None or S._IN_REPLY_TO.search(t) is not None
        assert not hit or t[:1] not in S._NO_REPLY_STARTS, repr(t)
        found += hit
    assert found >= 50


def test_addressing_guards_turn_away_only_non_matches() -> None:
    at = opening = 0
    for t in _texts():
        if S._AT_NAME.search(t) is not None:
            assert t[:1] == "@", repr(t)
            at += 1
        if S._NAME_OPENING.search(t) is not None:
            assert S._may_open_with_name(t), repr(t)
            opening += 1
    assert at >= 3 and opening >= 50


def test_name_opening_guard_bound_is_tight() -> None:
    # a match with its separator at the last place the guard reads (character 64)
    t = "A" + "b" * 30 + " C" + "d" * 30 + " :" + " x"
    assert t.index(":") == S._OPENING_SEP_WITHIN - 1
    assert S._NAME_OPENING.search(t) is not None and S._may_open_with_name(t)
