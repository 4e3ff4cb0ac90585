"""``body_words`` is ``WORD.findall`` (same words, same order) on long texts read a chunk at
a time, words across every chunk boundary included; equal words are shared."""
from __future__ import annotations

import random

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
