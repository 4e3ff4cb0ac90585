"""The segment stage remembers whether a meta line is a printed time (``segment._time_text``, an
LRU of ``TIME_CACHE_LINES`` texts): the answer is the uncached test's on every line of the
seed and text-dev pages and on printed times of every shape, asked once, asked again, and after
the cache was filled past its bound."""
from __future__ import annotations

import json

from tests.conftest import corpus_or_skip
from workers.core.stages import segment as G
from workers.core.stages.comment_times import is_extra_time
from workers.core.stages.printed_times import looks_like_time
from workers.core.stages.text import normalise, split_lines

TIMES = ["3 days ago", "March 3, 2012 at 10:15 am", "2 godzin temu", "3日前", "17 Kasım 2012", "22 d",
         "2024年12月20日 2:45", "Re: (Score:2)", "Flag as Inappropriate", "", "x" * 81, "March 3, 2012 " + "x" * 70,
         "yesterday", "gisteren", "16 min", "Reply to Mara", "12:30", "03/05/2013 - 10:15"]


def _reference(text: str) -> bool:
    return len(text) <= 80 and (looks_like_time(text) or is_extra_time(text))


def _lines() -> list[str]:
    corpus = corpus_or_skip()
    files = [corpus / "seed" / "southfront-ghouta.json", *sorted((corpus / "text-dev").glob("*.json"))]
    out = list(TIMES)
    for f in files:
        out += [normalise(ln.text) for ln in split_lines(json.loads(f.read_text(encoding="utf-8"))["input"]["content"])]
    return out


def test_cached_answer_is_the_uncached_one():
    lines = _lines()
    assert len(lines) > 500 and sum(map(_reference, lines)) > 20
    G._time_text.cache_clear()
    for _ in range(2):   # first asked, then remembered
        for t in lines:
            assert G._is_time(t) is _reference(t), t
    for i in range(G.TIME_CACHE_LINES + 10):   # past the bound: the first ones forgotten
        G._is_time(f"line {i}")
    assert G._time_text.cache_info().currsize == G.TIME_CACHE_LINES
    for t in lines:
        assert G._is_time(t) is _reference(t), t
        assert G._time_text.__wrapped__(t) is (looks_like_time(t) or is_extra_time(t))
