"""The language identifier's walk and table rows in C (workers/core/stages/enrich/_langid.c) are
the numpy ones: the same features, counts and order as ``_Walk.visit_counts`` on random bytes
of every length around the walk's pieces, on mixed scripts and on every benchmark page's text;
the same float32 rows as numpy's cast of ``table[idx]`` for every float16 bit pattern; the same
scores bit for bit; wrong inputs are errors; the served path uses it when built, and without it
the module warns once and the numpy walk serves."""
from __future__ import annotations

import logging
import random

import numpy as np
import pytest

from tests.conftest import corpus_or_skip
from tests.native_unbuilt import load_unbuilt
from workers.core.stages.enrich import language as L
from workers.core.stages.enrich import native_langid as NL

pytestmark = pytest.mark.skipif(not NL.AVAILABLE, reason="the _langid extension is not built (make install)")

ALPHABET = "abcxyz ÄéßøЖжλ日本語ابت\n.,!?0123456789"


@pytest.fixture(scope="module")
def li():
    ident = L._identifier()
    assert ident.walk is not None and ident.walk.native  # the pinned py3langid takes the C walk
    return ident


def _same_features(li, data: bytes) -> None:
    w = li.walk
    want = w.visit_counts(data)
    got = NL.features(w.nm, w.rowbase, w.out, data, L._DEPTH)
    if want is None:
        assert got is None, data[:40]
        return
    assert got is not None, data[:40]
    assert got[0].dtype == np.int64 and got[1].dtype == np.float32
    assert got[0].tolist() == list(want) and got[1].tolist() == list(want.values()), data[:40]


def test_features_on_random_bytes_and_scripts(li):
    rng = random.Random(21)
    for n in list(range(0, 80)) + [95, 96, 97, 1000, 1001, 4099, 20_000]:
        _same_features(li, bytes(rng.randrange(256) for _ in range(n)))
        _same_features(li, "".join(rng.choice(ALPHABET) for _ in range(n)).encode()[:n])
    for _ in range(200):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 1200)))
        _same_features(li, li._encode(text))
    _same_features(li, b"the " * 500)  # one feature counted many times
    _same_features(li, bytes(range(256)) * 3)
    _same_features(li, L._SELF_CHECK.encode())
    _same_features(li, bytearray(b"bytes-like input"))


def test_rows_every_half_pattern(li):
    table = np.arange(1 << 16, dtype=np.uint16).reshape(4096, 16).view(np.float16)
    rng = np.random.default_rng(3)
    for idx in (np.arange(4096), rng.integers(0, 4096, size=5000), np.array([7, 7, 0, 4095]),
                np.zeros(0, dtype=np.intp)):
        idx = idx.astype(np.intp)
        got = NL.rows_float32(table, idx)
        assert got.dtype == np.float32 and got.shape == (idx.size, 16)
        assert got.tobytes() == table[idx].astype(np.float32).tobytes()
    idx = rng.integers(0, li.nb_ptc.shape[0], size=2000).astype(np.intp)
    assert NL.rows_float32(li.nb_ptc, idx).tobytes() == li.nb_ptc[idx].astype(np.float32).tobytes()


def _scores(li, data: bytes, native: bool) -> bytes:
    li.walk.native = native
    try:
        return li._decide(data).tobytes()
    finally:
        li.walk.native = True


def test_scores_bit_for_bit(li):
    rng = random.Random(22)
    texts = ["Die Fähre nach Skerrin fährt heute nicht, der Wind ist zu stark.", "", "1234 !!", L._SELF_CHECK]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 1000))) for _ in range(100)]
    for text in texts:
        data = li._encode(text)
        assert _scores(li, data, True) == _scores(li, data, False), text[:40]
    assert li.classify("Die Fähre nach Skerrin fährt heute nicht, der Wind ist zu stark.")[0] == "de"


def test_wrong_inputs_are_errors(li):
    w = li.walk
    with pytest.raises(ValueError, match="depth"):
        NL.features(w.nm, w.rowbase, w.out, b"abc", 0)
    with pytest.raises(ValueError, match="differ"):
        NL.features(w.nm, w.rowbase, w.out[:-1], b"abc", 6)
    rowbase = np.full(4, 1 << 30, dtype=np.int32)  # rows beyond the table
    with pytest.raises(ValueError, match="outside"):
        NL.features(np.zeros(8, dtype=np.uint32), rowbase, np.zeros(4, dtype=np.int32), b"a", 6)
    nm = np.full(256 * 4, 9, dtype=np.uint32)  # a next state beyond the states
    with pytest.raises(ValueError, match="outside"):
        NL.features(nm, np.zeros(4, dtype=np.int32), np.zeros(4, dtype=np.int32), b"ab", 6)
    with pytest.raises(TypeError):
        NL.features(w.nm, w.rowbase, w.out, "a str", 6)
    table = np.zeros((4, 3), dtype=np.float16)
    with pytest.raises(IndexError):
        NL.rows_float32(table, np.array([0, 4], dtype=np.intp))
    with pytest.raises(IndexError):
        NL.rows_float32(table, np.array([-1], dtype=np.intp))
    with pytest.raises(ValueError, match="features: 8 bytes of 4-byte items"):  # native_buffer.h
        NL._langid.rows_float32(table, np.array([0, 0], dtype=np.int32), NL.HALFS, np.empty((1, 3), np.float32))
    with pytest.raises(ValueError, match="float16"):
        NL.rows_float32(table.astype(np.float32), np.array([0], dtype=np.intp))
    with pytest.raises(ValueError, match="65536"):
        NL._langid.rows_float32(table, np.array([0], dtype=np.intp), NL.HALFS[:-1], np.empty((1, 3), np.float32))
    with pytest.raises(ValueError, match="65536"):
        NL._langid.rows_float32(table, np.array([0], dtype=np.intp), NL.HALFS, np.empty((2, 3), np.float32))


@pytest.mark.slow
def test_bench_pages_language(li, monkeypatch):
    """Every text the benchmark's text and HTML pages hand the identifier: the same features and
    the same scores, bit for bit."""
    corpus_or_skip()
    from bench.profile_parts import _values
    from workers.core.runner import StageRunner, process_values
    from workers.settings import from_env

    seen: list[bytes] = []
    real = type(li)._raw_score

    def spy(self, text):
        seen.append(bytes(text))
        return real(self, text)
    monkeypatch.setattr(type(li), "_raw_score", spy)
    settings = from_env()
    for corpus in ("text", "html"):
        for _ in process_values(_values(corpus), settings, StageRunner(settings, dedupe_window=0)):
            pass
    monkeypatch.undo()
    assert len(seen) > 300
    for data in seen:
        _same_features(li, data)
        assert _scores(li, data, True) == _scores(li, data, False)


def test_served_path_uses_the_extension(li, monkeypatch):
    calls: list[int] = []
    real = NL.features

    def spy(*args):
        calls.append(len(args[3]))
        return real(*args)
    monkeypatch.setattr(NL, "features", spy)
    assert li.classify("The ferry leaves the harbour at seven in the morning.")[0] == "en"
    assert calls


def test_without_the_extension_numpy_serves_after_one_warning(monkeypatch, caplog):
    """The module loaded as if ``_langid`` were not built: one warning, not AVAILABLE; the
    walk's check then keeps the numpy walk."""
    with caplog.at_level(logging.WARNING):
        mod = load_unbuilt(monkeypatch, NL, "workers.core.stages.enrich._langid")
    assert not mod.AVAILABLE
    assert sum("_langid" in r.getMessage() for r in caplog.records) == 1
    li = L._identifier()
    monkeypatch.setattr(L, "native_langid", mod)
    sample = li._encode(L._SELF_CHECK)
    assert not L._native_agrees(li.walk, li, sample, li.walk.visit_counts(sample))
