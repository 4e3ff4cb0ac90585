"""The body's language: py3langid restricted to two-letter codes, loaded once.

py3langid walks its byte n-gram automaton one byte at a time in Python. The automaton is
an Aho-Corasick automaton whose states are at most ``_DEPTH`` bytes deep (checked by
tests/test_enrich.py for the pinned version), so the state after byte i depends only on the
last ``_DEPTH`` bytes: the walk is computed for all positions at once in ``_DEPTH`` numpy
gathers (``_Walk.visit_counts``), giving the same feature counts in the same first-seen
order, hence the same scores (~0.1 ms instead of ~0.25 ms for the 1,000 characters read).

When the compiled ``_langid`` is built (``native_langid``), it walks the bytes in C instead (in
pieces that start ``_DEPTH`` bytes early, the same property) and copies the scored table rows
from float16 to float32 as numpy's cast does; the numpy walk and py3langid's ``_sparse_score``
stay the reference, and the C walk serves only after it gave the self-check text's features,
counts and rows as they do (``_native_agrees``).
"""
from __future__ import annotations

import re
from collections import Counter
from importlib import metadata

import numpy as np

from topics.records import SegmentedDocument
from workers.core.stages.enrich import native_langid
from workers.core.stages.enrich.quality import round4


_LANGID = None
# Bytes an automaton state can stand for at most (py3langid 0.4's model: 6).
_DEPTH = 6
# py3langid versions whose automaton depth tests/test_enrich.py checked (a breadth-first
# pass over all states, too slow for every worker start); others keep their own walk.
_CHECKED_VERSIONS = ("0.4.0",)
# A text the walk is checked on when the model loads (several scripts, repeats).
_SELF_CHECK = ("Le vélo du canal ouvert, the ferry leaves at 7:40 — Straße über die Brücke; "
               "日本語のテキスト، مرحبا بالعالم Привет мир ¡Hola! " * 3)


def _identifier():
    """py3langid's identifier restricted to ISO 639-1 (two-letter) languages, loaded once."""
    global _LANGID
    if _LANGID is None:
        from py3langid.langid import MODEL_FILE

        li = _identifier_class().from_model_file(MODEL_FILE, norm_probs=True)
        li.set_languages([c for c in li.nb_classes if len(c) == 2])
        # py3langid keeps the unrestricted table (all 142 languages, 28 MB) to reset the
        # restriction, which is never undone here: only the restricted one is kept (dropped
        # here, before the row-major copy below, so the two tables never coexist)
        li._full_model = (li.nb_ptc, li.nb_pc, li.nb_classes)
        # the restricted table comes out column-major, so each document's gather of its
        # feature rows was strided: the same values row-major (same memory) gather ~5x faster
        li.nb_ptc = np.ascontiguousarray(li.nb_ptc)
        li._full_model = (li.nb_ptc, li.nb_pc, li.nb_classes)
        li.walk = _vector_walk(li)
        if li.walk is not None:
            # py3langid's own walk is no longer used: its Python lists (8 MB) can go
            li._rowbase, li.tk_output = [], []
        _LANGID = li
    return _LANGID


def _identifier_class():
    """py3langid's ``LanguageIdentifier`` with the byte walk of ``_Walk`` (its instances
    have slots, so the walk is swapped in a subclass)."""
    from py3langid.langid import LanguageIdentifier

    class Identifier(LanguageIdentifier):
        __slots__ = ("walk",)

        def _raw_score(self, text):
            walk = getattr(self, "walk", None)
            if walk is None:
                return super()._raw_score(text)  # no vector walk: py3langid's own
            if walk.native:  # the same features, counts and float32 rows from C (numpy casts
                # the float16 rows to float32 before its matmul: the same product)
                got = native_langid.features(walk.nm, walk.rowbase, walk.out, text, _DEPTH)
                if got is not None:
                    idx, counts = got
                    return np.log1p(counts) @ native_langid.rows_float32(self.nb_ptc, idx) + self.nb_pc
            else:
                visits = walk.visit_counts(text)
                if visits:
                    return self._sparse_score(visits, self.nb_ptc)
            # no feature: py3langid's score of a text without one (its walk of an empty
            # text reads none of the tables the walk replaced, which are dropped)
            return super()._raw_score(b"")

    return Identifier


class _Walk:
    """The automaton as numpy arrays: next state = nm[rowbase[state] + byte]; out[state] the
    feature a state emits (-1: none)."""

    def __init__(self, li) -> None:
        self.nm = np.frombuffer(li.tk_nextmove, dtype=np.uint32)  # a view, not a copy (39 MB)
        self.rowbase = np.asarray(li._rowbase, dtype=np.int32)  # < 2^24 (rows x 256)
        self.out = np.asarray(li.tk_output, dtype=np.int32)
        self.native = False  # the walk and the table rows by native_langid (set when checked)

    def visit_counts(self, text: bytes) -> Counter | None:
        """{feature: count} in first-visit order, as py3langid's ``visit_counts``."""
        b = np.frombuffer(text, dtype=np.uint8).astype(np.intp)
        nm, rowbase = self.nm, self.rowbase
        s = nm[rowbase[0] + b]  # the state after each byte, started that many bytes back
        for k in range(1, min(_DEPTH, b.size)):
            s[k:] = nm[rowbase[s[k - 1:-1]] + b[k:]]  # s[:k]: the whole prefix already
        f = self.out[s]
        f = f[f >= 0]
        if not f.size:
            return None
        return Counter(f.tolist())


def _vector_walk(li) -> _Walk | None:
    """``_Walk`` for the identifier when this py3langid has the same automaton layout, the
    automaton was checked to be at most ``_DEPTH`` deep and both walks agree on a sample;
    else None (py3langid's own walk)."""
    try:
        from py3langid.langid import visit_counts

        if metadata.version("py3langid") not in _CHECKED_VERSIONS:
            return None
        walk = _Walk(li)
        sample = li._encode(_SELF_CHECK)
        want = visit_counts(li.tk_nextmove, li._rowbase, li.tk_output, sample)
        got = walk.visit_counts(sample)
        if got is None or want is None or list(got.items()) != list(want.items()):
            return None
        walk.native = _native_agrees(walk, li, sample, got)
    except (AttributeError, ImportError, TypeError, ValueError, metadata.PackageNotFoundError):
        return None
    return walk


def _native_agrees(walk: _Walk, li, sample: bytes, visits: Counter) -> bool:
    """The compiled walk serves: it is built, the table is float16 (the rows it converts) and
    it gives the sample's features, counts and rows as the numpy walk and numpy's cast do."""
    if not native_langid.AVAILABLE or li.nb_ptc.dtype != np.float16 or li.nb_ptc.ndim != 2:
        return False
    got = native_langid.features(walk.nm, walk.rowbase, walk.out, sample, _DEPTH)
    if got is None or got[0].tolist() != list(visits) or got[1].tolist() != list(visits.values()):
        return False
    rows = native_langid.rows_float32(li.nb_ptc, got[0])
    return rows.tobytes() == li.nb_ptc[got[0]].astype(np.float32).tobytes()


def _max_depth(walk: _Walk) -> int:
    """Length of the longest shortest byte string leading from state 0 to a state
    (breadth first over all 256 bytes); a large value when some state is unreachable."""
    seen = np.zeros(walk.rowbase.size, dtype=bool)
    seen[0] = True
    frontier = np.zeros(1, dtype=np.intp)
    depth = 0
    byte = np.arange(256, dtype=np.intp)
    while True:
        found = [walk.nm[(walk.rowbase[frontier[i:i + 1024]][:, None] + byte).ravel()]
                 for i in range(0, frontier.size, 1024)]  # in chunks: bounded memory
        nxt = np.unique(np.concatenate(found))
        nxt = nxt[~seen[nxt]]
        if not nxt.size:
            return depth if seen.all() else 1 << 30
        seen[nxt] = True
        frontier = nxt
        depth += 1


def detect_language(doc: SegmentedDocument, body: str) -> tuple[str | None, float | None]:
    text = body[:1000]
    letters = sum(map(str.isalpha, text[:400]))
    if letters < 40:
        extra = " ".join([doc.title or ""] + [c.text for c in doc.comments[:20]])
        text = (text + "\n" + extra)[:1000]
    if sum(map(str.isalpha, text[:400])) < 40:
        # nothing left but chrome (an error page): the page's own words still tell the language
        extra = " ".join(r.text for r in doc.removed[:200])
        text = (text + "\n" + extra)[:1000]
    if sum(map(str.isalpha, text[:400])) < 10:
        lang = str((doc.html_meta or {}).get("lang") or "").lower()
        code = re.split(r"[-_]", lang)[0] if lang else ""
        return (code, None) if len(code) == 2 and code.isalpha() else (None, None)
    code, prob = _identifier().classify(text)
    return code, round4(prob)
