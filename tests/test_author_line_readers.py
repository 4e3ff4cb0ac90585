"""The author patterns that open with their name (stages/author_lines.py, ``_NameFirst``;
docs/performance.md, eleventh round) are read by searching the rest of the pattern at the
line's end: the same (name, time) as the whole pattern's match, on the corpus's lines, lines
built around the name's length bound and random texts, and the same parse."""
from __future__ import annotations

import random

from tests.test_comment_speed import _lines
from tests.test_path_speed import _random_texts
from workers.core.stages import author_lines as L
from workers.core.stages.text import normalise

NAMES = ("Mara", "M", "Zoë Ångström", "王明", "cpu6502", "Ann (MD) | A Blog", "x" * 49, "y" * 50, "z" * 51, "w" * 52,
         " Mara", "\tMara", "Ma\nra", "Mara\n", "  ", "on", "3", "Mara on", "March 3, 2012 Mara")
TAILS = (" on March 3, 2012", " on March 3, 2012 at 10:15 am", " | 12.03.2012", ", 3 May 2024 says:", "March 3, 2012",
         " - Tuesday, 12.03.2012 @ 10:15", " says:", " said...", " wrote: 3 days ago", " schreibt, gestern",
         "12.03.2012", "  on  Mar. 3rd, 2012", " says: on March 3, 2012 at 10:15 am")


def _texts() -> list[str]:
    texts = [t for t in _lines() if t.strip()]
    texts += [normalise(t) for t in texts]
    texts += [n + tail for n in NAMES for tail in TAILS]
    texts += [tail.strip() + tail for tail in TAILS] + [t + tail for t in texts[:300] for tail in TAILS[:4]]
    return texts + [t for t in _random_texts(random.Random(11)) if "\ud800" not in t and "\udfff" not in t]


def _name_first() -> list:
    return [(s, rx) for s, rx in L._AUTHORS + L._TRAILING if isinstance(L._READ[rx], L._NameFirst)]


def test_name_first_patterns_are_the_expensive_ones() -> None:
    assert {s.name for s, _ in _name_first()} >= {"name-on-date", "wp-says"}
    assert not L._one_branch("(?P<name>x)a|b") and L._one_branch(r"a(?:b|c)[|(]\|d") and L._one_branch("[]|]x")


def test_name_first_reads_as_the_whole_pattern() -> None:
    matched = 0
    for sig, rx in _name_first():
        whole = L._whole(rx)
        for t in _texts():
            want = whole(t)
            assert L._READ[rx](t) == want, (sig.name, t)
            matched += want is not None
    assert matched > 200


def test_parse_with_whole_patterns_only_is_the_same(monkeypatch) -> None:
    texts = [normalise(t) for t in _texts()]
    texts = [t for t in texts if len(t) <= L.AUTHOR_LINE_MAX_CHARS]
    parse = L._read_author.__wrapped__
    got = {(t, tr): parse(t, tr) for t in texts for tr in (False, True)}
    monkeypatch.setattr(L, "_READ", {rx: L._whole(rx) for _s, rx in L._AUTHORS + L._TRAILING})
    assert sum(v is not None for v in got.values()) > 100
    for (t, tr), v in got.items():
        assert parse(t, tr) == v, t
