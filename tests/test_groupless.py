"""Capture-free twins and alternations of the time patterns (re2_calls.groupless; printed_times,
comment_times) answer as the patterns with their groups, searched one by one: the same match
starts, the same yes / no, on the corpus's lines and pages, date-shaped texts and random texts."""
from __future__ import annotations

import json
import random
from pathlib import Path

import re2

from tests.test_comment_speed import _lines
from workers.core import re2_calls
from workers.core.stages import comment_times as CT
from workers.core.stages import printed_times as P
from workers.core.stages.text import normalise

SHAPES = ("3 days ago", "vor 2 Tagen", "22 d", "16 min", "7h", "2 godzin temu", "3日前", "gisteren",
          "March 3, 2012 at 10:15 am", "3. März 2012 um 10:15", "2012-03-03", "03/03/2012 10:15",
          "17 Kasım 2012", "2024年12月20日 2:45", "yesterday", "Sept. 4, 2019", "4 sept 2019 à 9h12")
ALPHABET = "0123456789 :./-,amphAMPHdaysgoJnueMrchKk\u212a\u017f年月日 \t"


def _texts() -> list[str]:
    texts = [t for t in _lines() if t.strip()] + list(SHAPES)
    texts += [a + " " + b for a in SHAPES for b in SHAPES]
    texts += ["x" + s for s in SHAPES] + [s + "x" for s in SHAPES] + [s.upper() for s in SHAPES]
    rng = random.Random(9)
    for _ in range(20000):
        texts.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))))
    return texts


def test_groupless_twins() -> None:
    for rx in (P._PRINTED_DATE, P._PRINTED_REL, CT._SHORT, CT._DATE_EXTRA):
        twin = re2_calls.groupless(rx)
        assert twin.groups == 0 and twin.options.case_sensitive == rx.options.case_sensitive
        for t in _texts()[:5000]:
            a, b = rx.search(t), twin.search(t)
            assert (a and a.span()) == (b and b.span()), (rx.pattern[:40], t)
    # a name after an escaped backslash is left to RE2 and keeps its group: the pattern itself
    rx = re2_calls.compile(r"\\(?P<x>a)")
    assert re2_calls.groupless(rx) is rx


def test_looks_like_time_as_two_searches() -> None:
    found = 0
    for t in _texts():
        want = bool(P._PRINTED_DATE.search(t) or P._PRINTED_REL.search(t))
        assert P.looks_like_time(t) == want, repr(t)
        found += want
    assert found >= 100


def test_is_extra_time_as_two_searches() -> None:
    found = 0
    for text in _texts():
        t = normalise(text)
        want = bool(CT._WHOLE_ANY.search(t) or CT._SHORT.search(t) or CT._absolute(t, whole=True))
        assert CT.is_extra_time(text) == want, repr(text)
        found += want
    assert found >= 20


def test_count_printed_dates_as_finditer() -> None:
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    pages = [json.loads(f.read_text(encoding="utf-8"))["input"]["content"] for f in sorted(corpus.glob("*/*.json"))]
    pages += ["\n".join(SHAPES) * 3, " ".join(_texts()[-3000:])]
    total = 0
    for page in pages:
        want = [m.start() for m in re2.compile(P._PRINTED_DATE.pattern, P._PRINTED_DATE.options).finditer(page)]
        assert P.count_printed_dates(page) == len(want)
        data = page.encode("utf-8")
        assert re2_calls.match_starts(P._DATE_SPANS, data) == re2_calls.match_starts(P._PRINTED_DATE, data)
        total += len(want)
    assert total >= 50
