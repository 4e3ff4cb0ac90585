"""Enrich's faster readers give their former answers (docs/performance.md, "Fifteenth round"):
each one against the definition it replaced, on corpus pages and on random texts."""
from __future__ import annotations

import random
import re

from tests.conftest import gold_cases
from workers.core.stages.enrich import quality as Q

# characters that stress the word pattern: word and non-word, digits of other scripts,
# underscores, combining marks, astral letters and symbols, a lone surrogate
_ALPHABET = "ab Z_9 ,.!?\n\t-éßЖλ日本語ابت٣²½\u0301\u200b\u00a0𝒜😀\ud800'’"


def _corpus_texts() -> list[str]:
    texts = []
    for case in gold_cases():
        lines = case["input"]["content"].splitlines()
        texts += ["\n".join(lines[i:i + 5]) for i in range(0, len(lines), 5)]
    return texts


def _random_texts(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 60))) for _ in range(n)]


def test_word_count_is_the_number_of_words_found():
    def former(texts: list[str]) -> int:
        return sum(len(Q.WORD.findall(t)) for t in texts)

    rng = random.Random(15)
    corpus = _corpus_texts()
    assert len(corpus) > 100
    groups = [corpus[i:i + rng.randrange(1, 30)] for i in range(0, len(corpus), 7)]
    groups += [_random_texts(rng, rng.randrange(0, 12)) for _ in range(400)]
    groups += [[], [""], ["", ""], ["_"], ["a", "b"], ["a\n", "\nb"], ["😀a"], ["\ud800x"]]
    for texts in groups:
        assert Q.word_count(texts) == former(texts), texts
    long = ["word, " * (Q.SHARED_WORDS_FROM // 6), "tail end"]
    assert Q.word_count(long) == former(long)


def test_the_word_table_is_the_patterns_reading():
    word = re.compile(Q.WORD.pattern, Q.WORD.flags)
    for c in range(0, Q._COUNTED_CODE_POINTS):
        assert Q._WORD_CHARS[c] == (word.fullmatch(chr(c)) is not None), hex(c)


def _segmented_pages() -> list:
    """The seed and text-dev pages and 24 raw HTML pages (Dragnet, WCXB), through strip and
    segment as the flow runs them."""
    import orjson

    from bench.loaders import html_dev_pages
    from workers.core.stages import segment_stage, strip_stage

    raw = [dict(case["input"], id=f"gold-{i}", content_type="text/plain") for i, case in enumerate(gold_cases())]
    for name in ("dragnet-train.jsonl.gz", "wcxb-dev.jsonl.gz"):
        for i, d in zip(range(12), html_dev_pages(name)):
            raw.append({"id": f"{name}-{i}", "url": d.get("url"), "content": d["html"], "content_type": "text/html"})
    docs = []
    for r in raw:
        value = orjson.dumps({k: r[k] for k in ("id", "url", "content", "content_type") if k in r})
        docs.append(segment_stage(orjson.dumps(strip_stage(value, None, 50_000_000))))
    return docs


def test_published_date_readers_skip_lines_without_a_digit():
    """The date readers skip a line without a digit before reading it; before, they read it
    and found nothing (every date pattern needs a digit). Same (date, source) on the corpus
    pages as with the skip switched off."""
    import importlib

    from workers.core.stages import dates as D
    from workers.core.stages.enrich import _domain

    P = importlib.import_module("workers.core.stages.enrich.published")
    docs = _segmented_pages()
    got = [P.published(d, _domain(d.url)) for d in docs]
    real = D.has_digit
    try:
        D.has_digit = lambda text: True
        want = [P.published(d, _domain(d.url)) for d in docs]
    finally:
        D.has_digit = real
    assert got == want and sum(1 for g in got if g[0]) > 10


def test_no_digit_no_date():
    rng = random.Random(9)
    alphabet = "ab Z,.:-/|年月日 Posted on Updated March Mai Thursday à"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80))) for _ in range(500)]
    texts += ["Posted on March , ", "Updated: Thursday, May", "年 月 日", ""]
    from workers.core.stages import dates as D

    for t in texts:
        assert not D.has_digit(t)
        assert D.find_dates(t) == [] and D.cued_date(t) is None and D.updated_date(t) is None
    assert D.has_digit("٣") and D.find_dates("12 March 2024")


def test_punctuated_is_the_paragraph_end_pattern():
    rng = random.Random(4)
    marks = ".!?…:;。！？\"'”’»)][( aZ9\n\t\u3000\x1c"
    texts = [line for t in _corpus_texts() for line in t.splitlines()]
    texts += ["".join(rng.choice(marks) for _ in range(rng.randrange(0, 9))) for _ in range(50_000)]
    texts += _random_texts(rng, 2000)
    for t in texts:
        assert Q.punctuated(t) == bool(Q._PARA_END.search(t.rstrip())), repr(t)


def test_site_name_readers_as_before():
    """``copyright_name`` answers None at once for a line with neither ©, "(" nor, lowercased,
    "pyr" (the pattern opens with ©, (c) or copyright, case-insensitive: the characters it
    takes for ©, (, p, y and r are only those whose lower case is that character);
    ``_name_like`` reads NOT_A_NAME as one set and one tuple of openings."""
    from workers.core.stages.enrich import site_name as S

    every = "".join(map(chr, range(0x110000)))
    for ch in "©(pyr":
        takes = {m.group() for m in re.finditer(re.escape(ch), every, re.I)}
        assert all(c.lower() == ch for c in takes), (ch, takes)

    def former_copyright(line: str):
        m = S._COPYRIGHT.search(line)
        if not m:
            return None
        name = S._clean_company(m.group("name"))
        return name if S._name_like(name) else None

    def former_not_a_name(low: str) -> bool:
        return any(low == p or low.startswith(p + " ") or low.startswith(p) and len(p) > 6 for p in S.NOT_A_NAME)

    rng = random.Random(21)
    lines = [line for t in _corpus_texts() for line in t.splitlines()]
    lines += ["© 2024 Northline Monitor. All rights reserved.", "(c) Acme Media Ltd", "COPYRıGHT 2020 Foo Bar",
              "Copyright Zeta Verlag GmbH", "(C)  2019-2024 by Omega", "copyleft", "skip to content", "menu",
              "searching", "newsletters", "Navigation bar", "breadcrumbs here", "Accept all"]
    lines += ["".join(rng.choice("©(c)Copyrightıİ PYR 2024 Ltd.|,ab") for _ in range(rng.randrange(0, 40)))
              for _ in range(20_000)]
    for line in lines:
        assert S.copyright_name(line) == former_copyright(line), line
        low = line.strip().lower()
        assert (low in S._NOT_A_NAME_LINES or low.startswith(S._NOT_A_NAME_OPENINGS)) == former_not_a_name(low), line
