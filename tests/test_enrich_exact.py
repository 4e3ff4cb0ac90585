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
