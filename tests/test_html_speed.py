"""The HTML path's speedups compute exactly what the plain definitions compute
(docs/performance.md, third round): each test compares a fast form with the definition it
replaced, on the DOM rules' own vocabulary and on random inputs built from it."""
from __future__ import annotations

import random
import zlib

from selectolax.lexbor import LexborHTMLParser

from workers.core.heuristics import dom_features as D
from workers.core.stages import html_classes as C
from workers.core.stages import html_rules as R

# --- the definition of class_info before it was combined from per-token answers ----------


def _ref_comment_token(tok: str) -> bool:
    low = tok.lower()
    if low in R.COMMENT_CONTAINERS:
        return True
    ws = C.words(tok)
    return any(w in R.COMMENT_WORDS for w in ws) and not any(w in R.COMMENT_NEGATIVE_WORDS for w in ws)


def _ref_marker_reason(tokens: tuple[str, ...], level: int) -> str | None:
    allowed = None if level == 0 else (R.IN_MAIN_MARKERS if level == 1 else R.IN_BODY_MARKERS)
    for tok in tokens:
        low = tok.lower()
        if (low in R.BOILERPLATE_MARKERS or low in R.WHOLE_TOKEN_MARKERS) and (allowed is None or low in allowed):
            return low
        ws = C.words(tok)
        if not ws or any(w in R.MARKER_NEGATIVE_WORDS for w in ws):
            continue
        for w in ws:
            if w in R.BOILERPLATE_MARKERS and (allowed is None or w in allowed):
                return w
    return None


def _ref_class_info(cls: str | None, ident: str | None) -> tuple:
    tokens = tuple(cls.split()) if cls else ()
    if ident:
        tokens = tokens + (ident,)
    if not tokens:
        return C.NO_CLASS
    mask = 0
    for tok in tokens:
        for w in C.words(tok):
            mask |= 1 << (zlib.crc32(w.encode()) % D.CLASS_BUCKETS)
    lows = [t.lower() for t in tokens]
    return (tokens, mask, zlib.crc32((cls or "").encode()),
            any(t in R.ARTICLE_MARKERS for t in lows),
            any(_ref_comment_token(t) for t in tokens),
            any(t in R.COMMENT_AUTHOR_MARKERS for t in lows),
            any(t in C.TITLE_MARKERS for t in lows),
            any(w in C._ENTRY_WORDS for t in tokens for w in C.words(t)),
            tuple(_ref_marker_reason(tokens, level) for level in (0, 1, 2)))


def _vocabulary() -> list[str]:
    words = [*R.BOILERPLATE_MARKERS, *R.WHOLE_TOKEN_MARKERS, *R.COMMENT_CONTAINERS, *R.MARKER_NEGATIVE_WORDS,
             *R.COMMENT_WORDS, *R.COMMENT_NEGATIVE_WORDS, *R.IN_MAIN_MARKERS, *R.IN_BODY_MARKERS,
             *R.ARTICLE_MARKERS, *R.COMMENT_AUTHOR_MARKERS, *C.TITLE_MARKERS, *C._ENTRY_WORDS]
    return sorted(set(words)) + ["x", "Foo", "barBaz", "wrap", "col-md-8", "ÉTÉ", "İ"]


def _token(rnd: random.Random, vocab: list[str]) -> str:
    parts = [rnd.choice(vocab) for _ in range(rnd.randint(1, 3))]
    tok = rnd.choice(["-", "_", "", ":", ".", "/"]).join(parts)
    if rnd.random() < 0.15:
        tok = tok.upper()
    elif rnd.random() < 0.15:
        tok = tok[:1].upper() + tok[1:]
    return tok


def test_class_info_equals_its_definition():
    rnd = random.Random(20261129)
    vocab = _vocabulary()
    cases = [(None, None), ("", None), (None, ""), ("  ", "x")]
    cases += [(w, None) for w in vocab] + [(None, w) for w in vocab]
    for _ in range(20_000):
        k = rnd.randint(0, 4)
        cls = " ".join(_token(rnd, vocab) for _ in range(k)) if k else rnd.choice([None, ""])
        cases.append((cls, rnd.choice([None, "", _token(rnd, vocab)])))
    marked = 0
    for cls, ident in cases:
        got, want = C.class_info(cls, ident), _ref_class_info(cls, ident)
        assert got == want, (cls, ident)
        assert [type(v) for v in got] == [type(v) for v in want], (cls, ident)
        marked += want[8] != (None, None, None)
    assert marked > 1000  # the vocabulary exercises the marker branches, not only the fast path


def test_same_element_check_by_address_equals_node_equality():
    """``_contains_article`` asks whether the first match of a selector under an element is
    the element itself: by address, as ``==`` answers it (``==`` compares serialised HTML,
    and a descendant's HTML is always shorter than its ancestor's)."""
    html = ("<body><div class='a'><article><p>x</p><article><p>x</p></article></article></div>"
            "<main><main></main></main><div><div></div></div><h1>t</h1><div><h1>t</h1></div></body>")
    tree = LexborHTMLParser(html)
    pairs = 0
    for node in tree.body.traverse():
        for sel in ("article", "main", "div", "h1", "p"):
            hit = node.css_first(sel)
            if hit is not None:
                assert (hit.mem_id == node.mem_id) == (hit == node)
                pairs += 1
    assert pairs > 20


# --- the Viterbi forward pass in Python floats against its numpy definition ----------------


def test_forward_pass_equals_its_numpy_definition():
    import numpy as np

    from workers.core.labeller.decode import forward, forward_numpy, viterbi

    rng = np.random.default_rng(20261129)
    steps = 0  # w=0.1 takes the lead row at most steps, w=3.0 mostly every maximum
    for case in range(300):
        n, k = int(rng.integers(1, 400)), 6
        proba = rng.dirichlet(np.full(k, 0.3), size=n)
        if case % 5 == 0:
            proba[rng.random(n) < 0.3] = 1.0 / k            # exact ties between labels
        log_trans = np.log(rng.dirichlet(np.ones(k), size=k))
        if case % 7 == 0:
            log_trans[1] = log_trans[0]                      # two labels with the same row
        for w in (0.1, 1.0, 3.0):
            A = w * log_trans
            emit = np.log(np.clip(proba, 1e-9, 1.0)) - 0.5 * np.log(np.full(k, 1 / k))[None, :]
            if case % 11 == 0:
                emit -= 1e6                                  # large magnitudes
            got, want = forward(emit, A), forward_numpy(emit, A)
            assert got.dtype == want.dtype and got.shape == want.shape
            assert got.tobytes() == want.tobytes(), (case, w)
            steps += n
            assert viterbi(proba, log_trans, np.log(np.full(k, 1 / k)), w, 0.5).dtype == np.int64
    assert steps > 10_000
    emit = np.zeros((5, 6))
    emit[2, 3] = np.nan                                      # not finite: the numpy definition itself
    assert np.array_equal(forward(emit, np.zeros((6, 6))), forward_numpy(emit, np.zeros((6, 6))), equal_nan=True)


# --- the labeller's character classes: one table lookup and one count per set of classes ----


def test_character_class_table_and_counts_equal_their_definition():
    """``classes`` (the BMP table, the definition above it) answers ``class_masks`` for every
    code point, and ``line_counts`` gives per line the count of one ``bincount`` per class
    (word starts and capitalised word starts included), on every BMP code point, random
    astral ones and random pages mixing scripts, emoji, digits and separators."""
    import numpy as np

    from workers.core.labeller import char_classes as CC

    def masks_as_bits(cp):
        m = CC.class_masks(cp)
        return sum(m[name].astype(np.int64) << i for i, name in enumerate(CC.NAMES))

    rng = np.random.default_rng(20261130)
    every = np.arange(CC.BMP, dtype=np.uint32)
    astral = rng.integers(CC.BMP, 0x110000, size=20000).astype(np.uint32)
    for cp in (every, astral, np.concatenate([astral[:50], every[:3000:7], astral[50:90]])):
        assert (CC.classes(cp).astype(np.int64) == masks_as_bits(cp)).all()
    pools = [every[:0x250], every[0x370:0x530], every[0x3000:0x3100], every[0x4E00:0x4E40],
             np.array([0x1F600, 0x1F44D, 0x10348, 0x2014, 0xB7, 0x2022, 0x3001, 0xFF0C], dtype=np.uint32)]
    for page in range(300):
        n = int(rng.integers(1, 40))
        lens = rng.integers(0, 60, size=n)
        pool = pools[page % len(pools)] if page % 3 else np.concatenate(pools)
        chars = [rng.choice(pool, size=int(k)) for k in lens]
        cp = np.concatenate([np.append(c, 10) for c in chars])[:-1].astype(np.uint32)  # lines joined by \n
        line_of = np.repeat(np.arange(n), lens + 1)[: cp.size]
        got = CC.line_counts(CC.classes(cp), line_of, n)
        m = CC.class_masks(cp)
        start = m["word"].copy()
        start[1:] &= ~m["word"][:-1]
        want = {**{name: m[name] for name in CC.NAMES if name != "word"}, "wordchars": m["word"],
                "words": start, "capw": start & m["upper"]}
        assert set(got) == set(want)
        for name, mask in want.items():
            ref = np.bincount(line_of[mask], minlength=n)[:n].astype(np.float32)
            assert got[name].dtype == ref.dtype and (got[name] == ref).all(), (page, name)
