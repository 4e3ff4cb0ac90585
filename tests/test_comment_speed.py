"""The comment record builder's shortcuts (docs/performance.md, fourth round) against their
plain definitions: ``is_extra_time`` with one alternation and a first-character test, and a
page's header lines read once each (``comment_shape.PageLines``)."""
from __future__ import annotations

import json
from pathlib import Path

from workers.core.heuristics.dates import RELATIVE_AGO_EXTRA
from workers.core.labeller import comment_shape as S
from workers.core.stages import comment_times as CT
from workers.core.stages.author_lines import header_author, parse_author_line
from workers.core.stages.authors import clean_author, not_a_name, placeholder
from workers.core.stages.text import normalise

# comment header lines of the shapes the vocabulary reads, and near misses
HEADER_LINES = (
    "2 godzin temu", "Mara – 2 godzin temu", "3日前", "gisteren", "een dag geleden", "5 дней назад", "вчера",
    "en vecka sedan", "bir gün önce", "22 d", "5 w", "16 min", "3 Std.", "17 Kasım 2012", "27. ноября 2015 в 22:57",
    "2024年12月20日 2:45", "2024年12月20日", "x 2024年12月20日", "Olmaso N. , 17 Kasım 2012", "17 Kasım 2012 saat 4:13",
    "Anonymous", "Anonymous • 3 years ago", "Gary Pruett", "Reply to Gary", "@Gary thanks", "Response to Ann",
    "Jane Doe says:", "September 5, 2012 at 3:01 pm", "Submitted by Ann on Mon, 05/03/2012 - 10:15",
    "1 Tami November 7, 2012", "QueenSashy added 1 day ago", "12 Comments", "Reply", "Permalink", "",
    " ", "32 godzin temu x", "1 2", "٣ d", "2 d ago", "guest 5 min",
)


def _lines() -> list[str]:
    lines = set(HEADER_LINES)
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    for f in sorted(corpus.glob("*/*.json")):
        text = json.loads(f.read_text(encoding="utf-8"))["input"]["content"]
        lines.update(x for x in text.split("\n") if len(x) <= 200)
    return sorted(lines)


def _plain_is_extra_time(text: str) -> bool:
    t = normalise(text)
    whole = [CT.re2.compile(rf"^(?:{p})$", CT._OPTS) for p in RELATIVE_AGO_EXTRA]
    m = CT._DATE_CJK.search(t)
    mon = int(m.group("mon")) if m else None
    if m is None:
        m = CT._DATE_EXTRA.search(t)
        mon = CT.MONTHS_EXTRA.get(m.group("mon").lower()) if m else None
    absolute = not (m is None or mon is None or not 1 <= int(m.group("d")) <= 31 or (m.start(), m.end()) != (0, len(t)))
    return any(rx.search(t) for rx in whole) or bool(CT._SHORT.search(t)) or absolute


def _plain_kind(text: str) -> tuple[str, bool]:
    if text.lstrip()[:1] == "@" or S._REPLY.search(normalise(text)):
        return S.META, False
    parsed = header_author(text)
    if parsed is not None:
        if placeholder(parsed[0]):
            return S.PLACEHOLDER, False
        if not not_a_name(clean_author(parsed[0]) or ""):
            return S.NAME, False
    return S._kind_rest(text)


def _plain_pattern_name(text: str) -> bool:
    parsed = header_author(text)
    return parsed is not None and not placeholder(parsed[0]) and not not_a_name(clean_author(parsed[0]) or "")


def test_is_extra_time_equals_its_plain_definition():
    lines = _lines()
    hits = 0
    for t in lines:
        want = _plain_is_extra_time(t)
        assert CT.is_extra_time(t) == want, t
        hits += want
    assert hits >= 15   # the header lines above that are such times, at least


def test_page_lines_read_as_kind_and_pattern_name():
    page = S.PageLines()
    kinds = set()
    for t in _lines()[:4000] + list(HEADER_LINES):   # the header lines twice: once from the memo
        want = (*_plain_kind(t), _plain_pattern_name(t))
        assert page.read(t) == want, t
        assert page.parsed(t) == header_author(t), t
        assert S.line_kind(t) == want[0] and S.pattern_name(t) == want[2], t
        kinds.add(want[0])
    assert kinds == {S.NAME, S.PLACEHOLDER, S.DATE, S.META}


def test_parse_author_line_cached_equals_uncached():
    """``parse_author_line`` remembers its answers per normalised line: read twice (the second
    time from the cache) it answers as the uncached parse, for both pattern lists."""
    from workers.core.stages import author_lines as A

    lines = _lines() + ["x" * 141 + " says:", "Jane  Doe\tsays:", " Posted by: Ann | June 15, 2012 at 09:38 AM"]
    found = 0
    for _ in range(2):
        for t in lines:
            for trailing in (False, True):
                norm = normalise(t)
                want = A._read_author.__wrapped__(norm, trailing) if len(norm) <= 140 else None
                assert A.parse_author_line(t, trailing) == want, t
                found += want is not None
    assert A._read_author.cache_info().hits > 0
    assert found >= 20
