"""The enrich stage's simhash in C (workers/core/stages/enrich/_simhash.c) is the Python one
(quality.simhash_python): its own BLAKE2b gives hashlib's 8-byte digest on every length 0-300,
on block edges, long and random inputs; the simhash is equal on every benchmark page's body
words and on random word lists (non-ASCII, astral, empty and long words, one, two and three
words, many chunks); a lone surrogate fails as str.encode fails; the served path uses it when
built, and without it the module warns once and the Python path serves."""
from __future__ import annotations

import hashlib
import logging
import random

import pytest

from tests.conftest import corpus_or_skip
from tests.native_unbuilt import load_unbuilt
from workers.core.stages.enrich import native_simhash as NS
from workers.core.stages.enrich import quality as Q

pytestmark = pytest.mark.skipif(not NS.AVAILABLE, reason="the _simhash extension is not built (make install)")


def _want(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=8).digest()


def test_blake2b_every_length_and_block_edges():
    rng = random.Random(1)
    for n in range(301):
        for data in (rng.randbytes(n), bytes(n), b"\xff" * n, bytes(range(256)) * 2):
            assert NS.blake2b_8(data[:n]) == _want(data[:n]), n
    for n in (383, 384, 385, 511, 512, 513, 1000, 4096, 65_537, 1 << 20):
        data = rng.randbytes(n)
        assert NS.blake2b_8(data) == _want(data), n
    assert NS.blake2b_8(b"") == _want(b"")
    text = "Grüße, 日本語, emoji \U0001F600 and an astral \U00010348".encode()
    assert NS.blake2b_8(text) == _want(text)
    assert NS.blake2b_8(bytearray(b"abc")) == _want(b"abc") and NS.blake2b_8(memoryview(b"abc")) == _want(b"abc")


def test_blake2b_many_random_inputs():
    rng = random.Random(2)
    for _ in range(3000):
        data = rng.randbytes(rng.randrange(0, 700))
        assert NS.blake2b_8(data) == _want(data)


def _same(words: list[str]) -> str:
    got, want = NS.simhash(words), Q.simhash_python(words)
    assert got == want, words[:10]
    return got


WORDS = ["river", "bridge", "Brücke", "ferry", "日本", "ó", "a", "the", "", "x" * 200, "\U0001F600",
         "\U00010348abc", "\U00020000\U0002A6DF", "\U0010FFFF", "ß", "İstanbul", "\u00e9\u0301", "\x00", "Ω" * 70, "a b", "end\n"]


def test_random_word_lists():
    rng = random.Random(3)
    seen = set()
    for n in list(range(1, 40)) + [100, 301, 1000, 5000]:
        for _ in range(3):
            seen.add(_same([rng.choice(WORDS) for _ in range(n)]))
    assert len(seen) > 50
    _same(["only"])
    _same(["", ""])
    _same([""])
    _same(("a", "tuple", "of", "words"))  # type: ignore[arg-type]
    assert Q.simhash([]) is None


def test_repeated_shingles():
    """Every shingle the same (a bit set in every hash, past any small counter's range): the
    simhash is that shingle's hash."""
    for n in (254, 255, 256, 257, 511, 1000, 70_000):
        value = _same(["same"] * n)
        assert value == _want(b"same same same").hex()
    _same(["a", "b", "c"] * 400)


def test_many_chunks():
    """More shingles than one chunk of the extension: the counts carry across chunks."""
    rng = random.Random(4)
    words = [rng.choice(WORDS[:8]) + str(rng.randrange(50)) for _ in range(150_003)]
    _same(words)


def test_errors_as_the_python_path():
    for bad in (["a", "\ud800", "b"], ["\udfff"]):
        with pytest.raises(UnicodeEncodeError):
            Q.simhash_python(bad)
        with pytest.raises(UnicodeEncodeError):
            NS.simhash(bad)
    for bad in (["a", 3, "b"], [None]):
        with pytest.raises(TypeError):
            Q.simhash_python(bad)
        with pytest.raises(TypeError):
            NS.simhash(bad)


@pytest.mark.slow
def test_bench_pages_body_words(monkeypatch):
    """Every word list the benchmark's text and HTML pages hand the simhash: the same value."""
    corpus_or_skip()
    from bench.profile_parts import _values
    from workers.core.runner import StageRunner, process_values
    from workers.core.stages import enrich as E
    from workers.settings import from_env

    seen: list[list[str]] = []
    real = E.simhash

    def spy(words):
        seen.append(list(words))
        return real(words)
    monkeypatch.setattr(E, "simhash", spy)
    settings = from_env()
    for corpus in ("text", "html"):
        for _ in process_values(_values(corpus), settings, StageRunner(settings, dedupe_window=0)):
            pass
    assert len(seen) > 300 and sum(map(len, seen)) > 100_000
    for words in seen:
        assert Q.simhash(words) == Q.simhash_python(words)


def test_served_simhash_uses_the_extension(monkeypatch):
    calls: list[int] = []
    real = NS.simhash

    def spy(words):
        calls.append(len(words))
        return real(words)
    monkeypatch.setattr(NS, "simhash", spy)
    assert Q.simhash(["a", "b", "c", "d"]) == Q.simhash_python(["a", "b", "c", "d"])
    assert calls == [4]


def test_without_the_extension_python_serves_after_one_warning(monkeypatch, caplog):
    """The module loaded as if ``_simhash`` were not built: one warning, not AVAILABLE."""
    with caplog.at_level(logging.WARNING):
        mod = load_unbuilt(monkeypatch, NS, "workers.core.stages.enrich._simhash")
    assert not mod.AVAILABLE
    assert sum("_simhash" in r.getMessage() for r in caplog.records) == 1
