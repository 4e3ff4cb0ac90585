"""``body_words`` is ``WORD.findall`` (same words, same order) on long texts read a chunk at
a time, words across every chunk boundary included; equal words are shared."""
from __future__ import annotations

import random
import re

from tests.conftest import gold_cases
from workers.core.stages.enrich import quality as Q


def test_same_words_as_findall_on_long_texts():
    rng = random.Random(3)
    vocab = ["river", "Straße", "日本語", "x", "a_b", "12", "ümlaut", "word" * 50, "éé"]
    for trial in range(4):
        seps = [" ", " ", " ", ", ", ". ", " — ", "  "] if trial % 2 else [" "]
        parts: list[str] = []
        size = 0
        while size < Q.SHARED_WORDS_FROM + 200_000:
            w = rng.choice(vocab) + rng.choice(["", "", "ing", "9"])
            parts.append(w + rng.choice(seps))
            size += len(parts[-1])
        text = "".join(parts).strip() + rng.choice(["", " tail", "!"])
        got = Q.body_words(text)
        assert got == Q.WORD.findall(text)
        assert len(set(map(id, got))) == len(set(got))  # one string per distinct word


def test_short_texts_unchanged():
    assert Q.body_words("a b c") == ["a", "b", "c"] and Q.body_words("") == []


def test_no_word_character_splits():
    """``body_words`` splits on what is left after the non-word characters are made spaces:
    that is ``WORD``'s runs only if no word character is a separator of ``str.split``."""
    word = re.compile(Q.WORD.pattern, Q.WORD.flags)
    for c in range(0x110000):
        ch = chr(c)
        if word.fullmatch(ch) is not None:
            assert len(("a" + ch + "a").split()) == 1, hex(c)


def test_same_words_as_findall_on_short_texts():
    rng = random.Random(9)
    alphabet = "ab Z_9 ,.!?\n\t-éßЖλ日本語ابت٣²½\u0301\u200b\u00a0\u1680\u2028\x1c\x85𝒜😀\ud800'’"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 80))) for _ in range(3000)]
    texts += ["".join(map(chr, range(lo, lo + 4096))) for lo in range(0, 0x10000, 4096)]
    texts += [case["input"]["content"] for case in gold_cases()]
    texts += ["", " ", "_", "a", "😀", "a😀b", "\ud800", "x" * (Q.SHARED_WORDS_FROM - 1)]
    for text in texts:
        assert Q.body_words(text) == Q.WORD.findall(text), text[:80]
