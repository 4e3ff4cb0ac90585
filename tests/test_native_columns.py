"""The line labeller's per-line counts in C (workers/core/labeller/_columns.c) give the feature
matrix the numpy path gives, bit for bit: on the benchmark's text and HTML pages, on pages of
awkward text (astral code points, combining marks, a sample of every Unicode category, lone
surrogates, NUL, \\r, whitespace Python splits on, very long lines, empty and one-line pages)
and on random pages; the counts themselves for every code point; the served path uses the C
counts when they are built."""
from __future__ import annotations

import re
import sys
import unicodedata

import numpy as np
import pytest

from tests.conftest import corpus_or_skip
from topics.records import Line
from workers.core.labeller import char_classes as CC
from workers.core.labeller import features as F
from workers.core.labeller import native_columns as NC
from workers.core.labeller import text_columns as T

pytestmark = pytest.mark.skipif(not NC.AVAILABLE, reason="the _columns extension is not built (make install)")


def _evidence(n: int, seed: int = 0) -> F.Evidence:
    rng = np.random.default_rng(seed)
    reasons = [None, "navigation", "share", "comment-header", "byline", "site-template"]
    roles = [None, "title", "body", "comment-author", "comment-start", "comment"]
    pick = lambda xs: [xs[i] for i in rng.integers(0, len(xs), n)]  # noqa: E731
    flags = lambda: list(rng.random(n) < 0.2)  # noqa: E731
    return F.Evidence(reasons=pick(reasons), roles=pick(roles), template=flags(), prose=flags(),
                      sig_page=list(rng.integers(0, 3, n)), sig_comment=flags(), sig_author=flags(),
                      dateline=flags(), sig_role=pick([None, "start", "end"]), dom_removed=flags(),
                      dom_hints=pick([None, "heading", "list-item", "comments", "title", "comment-author"]))


def _same_matrix(texts: list[str], dom: np.ndarray | None = None, seed: int = 0) -> None:
    n = len(texts)
    blank = list(np.random.default_rng(seed).integers(0, 4, n))
    ev = _evidence(n, seed)
    want = F.page_features(texts, blank, ev, dom=dom, native=False)
    got = F.page_features(texts, blank, ev, dom=dom, native=True)
    assert got.dtype == want.dtype == np.float32 and got.shape == want.shape
    assert np.array_equal(got, want, equal_nan=True), np.argwhere(~((got == want) | np.isnan(want)))[:5]
    assert got.tobytes() == want.tobytes()


def _category_samples() -> str:
    """The first code point of every general category (Cs: a lone surrogate; Cn: unassigned)."""
    seen: dict[str, str] = {}
    for cp in range(sys.maxunicode + 1):
        cat = unicodedata.category(chr(cp))
        if cat not in seen:
            seen[cat] = chr(cp)
    return "".join(seen.values())


ASTRAL = "\U00010000\U0001d400\U0001eFFF\U0001F000\U0001F600\U0001F44D\U00020000\U0010FFFF"
AWKWARD_LINES = [
    "", "   ", "\t\x0b\x0c", "\r", "a\rb", "\x00", "x\x00y", "\ud800", "\udfff lone", "a\ud83dz",
    "e\u0301te\u0301 cafe\u0300", "Ünïcödé ÀÉÎ", "İstanbul İSTANBUL ǅemal ß ẞ", "ΑΒΓ δεζ АБВ где",
    ASTRAL, "emoji 👍 3 😀😀", "日本語のテキストです。", "ภาษาไทย", "한국어 그리고 이 것", "١٢٣ ٤٥٦ ۱۲۳",
    "x\x1cy\x1dz\x1e\x1f", "a\x85b\u2028c\u2029d", "\u00a0nbsp\u3000ideo", "_under_score_ __",
    "the and of to in is", "Der die das und ist nicht", "le la les et est", "и в не на что",
    "theoretically and", "»Quote« “x” ‘y’ — – • · › | »", "Name Surname", "03.05.2023, 07:41",
    "3 days ago", "http://example.com www.x.org a@b.de", "- item", "• bullet", "@Reply to X:",
    "ALL CAPS LINE HERE", "Question?", "End.", "Trailing,", "(paren)", _category_samples(),
    "ΟΔΟΣ ΟΔΟΣ. ΑΣ'", "Σ", "ΑΣ", "'Σ", "Σ'", "ΑΣ\u0301", "\u0301Σ", "İİ ǅǄǆ ΣΑΣ\u00adΣ",
]


@pytest.mark.parametrize("texts", [
    ["one line"], ["x"], ["", ""], ["", "a"], ["a", ""], [""] * 5, ["   ", "a  b", "a b", "A B "],
    AWKWARD_LINES, AWKWARD_LINES[::-1], [AWKWARD_LINES[-1]], ["a\nb", "c"],
])
def test_awkward_pages(texts):
    _same_matrix(list(texts))


def test_one_empty_line():
    """A page of one empty line (no code points at all) has a matrix on both paths."""
    _same_matrix([""])


def test_very_long_lines():
    """Lines longer than the numpy path's runs (COUNT_CHUNK_CHARS), words across them."""
    long = ("word " * (T.COUNT_CHUNK_CHARS // 3)) + "x" * (T.COUNT_CHUNK_CHARS + 7)
    _same_matrix(["Title", long, "the end.", long[::-1] + ASTRAL, ""])


def test_random_pages():
    rng = np.random.default_rng(11)
    pool = list("aAzZ09_ .,;:!?-'\"@#|»•\t\r\x00\u00a0\u0301ßİéÉΩω Жж日テ한\u2028") + [ASTRAL[i] for i in range(8)]
    words = ["the", "and", "der", "und", "le", "et", "и", "the.", "The", "AND", "Reply", "2023", "07:41"]
    for seed in range(40):
        n = int(rng.integers(1, 60))
        texts = []
        for _ in range(n):
            parts = [rng.choice(words) if rng.random() < 0.5 else "".join(rng.choice(pool, int(rng.integers(0, 9))))
                     for _ in range(int(rng.integers(0, 12)))]
            texts.append(" ".join(parts))
        _same_matrix(texts, seed=seed)


def test_large_page_and_dom_matrix():
    """A page past LARGE_PAGE_LINES (base columns one at a time) and an HTML page's DOM matrix."""
    rng = np.random.default_rng(3)
    texts = [AWKWARD_LINES[i] for i in rng.integers(0, len(AWKWARD_LINES), F.LARGE_PAGE_LINES + 17)]
    _same_matrix(texts)
    from workers.core.heuristics.dom_features import DOM_FEATURES
    dom = rng.random((200, len(DOM_FEATURES))).astype(np.float32)
    dom[rng.random(dom.shape) < 0.05] = np.nan
    _same_matrix(texts[:200], dom=dom)


def test_counts_for_every_code_point():
    """One code point a line, every code point but the newline: the class counts, UTF-8 bytes
    and first/last characters (C vs numpy), and the \\w+ tokens (C vs Python's re)."""
    cps = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    cps = cps[cps != 10]
    text = cps.tobytes().decode("utf-32-le", "surrogatepass")
    texts = list(text)
    n = len(texts)
    lens = np.ones(n, dtype=np.int64)
    starts = np.arange(n, dtype=np.int64) * 2
    want, want_b = T._line_counts(np.frombuffer(("\n".join(texts)).encode("utf-32-le", "surrogatepass"),
                                                dtype=np.uint32), lens, starts, n)
    got, got_b, first, last = NC.line_counts(texts)
    for name, _ in CC.COUNTS:
        assert got[name].tobytes() == want[name].tobytes(), name
    assert np.array_equal(got_b, want_b) and np.array_equal(first, cps) and np.array_equal(last, cps)
    words, hits, lang, totals, tokens = NC.stop_counts("\n".join(texts), NC.vocab({"x": 1}), 1, n)
    is_word = np.array([re.fullmatch(r"\w", t) is not None for t in texts])
    assert np.array_equal(words, is_word.astype(np.int64)) and tokens == int(is_word.sum())
    assert hits.sum() == lang.sum() == totals.sum() == 1


def test_word_count_as_re():
    """The rule labeller's word count (C) is ``len(re.findall(r"\\w+", text))``: on every code
    point alone, on all of them in one text (with and without spaces between), on the awkward
    lines and on random texts."""
    cps = [chr(c) for c in range(sys.maxunicode + 1)]
    assert [NC.word_count(c) for c in cps] == [NC.py_word_count(c) for c in cps]
    for text in ("".join(cps), " ".join(cps), "_".join(cps), "-".join(cps[::-1])):
        assert NC.word_count(text) == NC.py_word_count(text) > 0
    for text in AWKWARD_LINES + ["\n".join(AWKWARD_LINES), "x" * 100_000, "x " * 50_000]:
        assert NC.word_count(text) == NC.py_word_count(text), repr(text)
    rng = np.random.default_rng(7)
    pool = cps[:0x3000] + list(ASTRAL) + [" ", "_", "\ud800"] * 200
    for _ in range(300):
        text = "".join(rng.choice(pool, size=int(rng.integers(0, 80))))
        assert NC.word_count(text) == NC.py_word_count(text), repr(text)
    with pytest.raises(TypeError):
        NC.word_count(b"bytes")


def test_rule_evidence_counts_words_in_c(monkeypatch):
    """The trained labeller hands the rule features the compiled word count when it is built
    (the rules import no labeller module), and the features are the same with the Python count."""
    from workers.core.labeller import evidence as E
    from workers.core.rules import features as RF

    texts = [t for t in AWKWARD_LINES if t.strip() and not re.search("[\ud800-\udfff]", t)]  # (RE2: UTF-8 only)
    lines = [Line(k, t, 0) for k, t in enumerate(texts + ["Posted by Jane Doe on May 3, 2012", "x " * 300])]
    counts = []
    real = E.line_features

    def spy(*a, **kw):
        counts.append(kw.get("word_count"))
        return real(*a, **kw)
    monkeypatch.setattr(E, "line_features", spy)
    E.rule_evidence(lines)
    assert counts == [NC.word_count] and NC.word_count is not NC.py_word_count
    RF._LINE_CACHE.clear()
    got = RF.line_features(lines, None, word_count=NC.word_count)
    RF._LINE_CACHE.clear()
    assert RF.line_features(lines, None) == got
    RF._LINE_CACHE.clear()


def test_stop_counts_tokens_and_lines_past_n():
    """Tokens are whole \\w+ runs (a key's prefix or extension is not the key); lines past n
    count in the page's totals only; many keys (collisions in the table) all found."""
    table = NC.vocab({"ab": 1, "abc": 3, "é": 2, "\U0001D400x": 1, "😀": 1})
    text = "ab abc abcd a\nabc x é \U0001D400x 😀\nab"
    words, hits, lang, totals, tokens = NC.stop_counts(text, table, 2, 2)
    assert words.tolist() == [4, 4] and hits.tolist() == [2, 3]
    assert lang.tolist() == [[2, 1], [2, 2]] and totals.tolist() == [5, 3] and tokens == 9
    keys = {f"k{i}": i + 1 for i in range(3000)}
    text = " ".join(keys) + " k3000 k"
    words, hits, lang, totals, tokens = NC.stop_counts(text, NC.vocab(keys), 12, 1)
    assert tokens == 3002 and hits.tolist() == [3000]
    assert totals.tolist() == [sum((v >> b) & 1 for v in keys.values()) for b in range(12)]


def test_counts_past_a_byte():
    """The C loop adds 8-bit counts and moves them to the line's counts every 255 characters:
    lines of 254-258 and ~3 * 255 characters of each class, and pages of one class, count as numpy does."""
    for m in (1, 254, 255, 256, 257, 258, 510, 766):
        for chunk in ("a", "A", "Ab", "1", ",", "日", "テ", "é", "_", " x", "\U0001F600", "|»"):
            texts = [(chunk * m)[:m + 3], chunk * 2, (chunk * m)[:m]]
            n = len(texts)
            lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
            starts = np.concatenate([[0], np.cumsum(lens[:-1] + 1)])
            cp = np.frombuffer("\n".join(texts).encode("utf-32-le"), dtype=np.uint32)
            want, want_b = T._line_counts(cp, lens, starts, n)
            got, got_b, _, _ = NC.line_counts(texts)
            assert got_b.tolist() == want_b.tolist()
            for name, _ in CC.COUNTS:
                assert got[name].tobytes() == want[name].tobytes(), (m, chunk, name)


def test_stop_counts_language_bits():
    """Per token, each language bit of its code below nlang counts (bits past nlang and a
    negative code's high bits do not), per line and for the page, as the bit-by-bit sums."""
    bits = {"a": 0b101 | (1 << 40), "b": -1, "c": 0b010, "dd": 1 << 61}
    text = "a b c\nx a a\n\nb dd c a\nlast b"
    for nlang in (0, 1, 3, 62):
        words, hits, lang, totals, tokens = NC.stop_counts(text, NC.vocab(bits), nlang, 4)
        lines = [ln.split() for ln in text.split("\n")]
        want = [[sum((bits.get(t, 0) >> b) & 1 for t in ln) for b in range(nlang)] for ln in lines]
        assert lang.tolist() == want[:4]
        assert totals.tolist() == [sum(row[b] for row in want) for b in range(nlang)]
        assert words.tolist() == [len(ln) for ln in lines[:4]] and tokens == sum(map(len, lines))
        assert hits.tolist() == [sum(t in bits for t in ln) for ln in lines[:4]]


def test_repeat_counts():
    text = "a  b\n a b \nA B\n\n \t\nx\u2028y\nx y"
    assert NC.repeat_counts(text, 7).tolist() == [2, 2, 1, 2, 2, 2, 2]
    assert NC.repeat_counts(text, 3).tolist() == [2, 2, 1]
    with pytest.raises(ValueError, match="fewer lines"):
        NC.repeat_counts("a\nb", 3)
    with pytest.raises(ValueError, match="fewer lines"):
        NC.repeat_counts(["a", "b"], 3)
    with pytest.raises(TypeError):
        NC.repeat_counts(["a", 3], 2)
    with pytest.raises(TypeError):
        NC.stop_counts(("a", "b"), NC.vocab({}), 1, 2)
    assert NC.repeat_counts([], 1).tolist() == NC.repeat_counts("", 1).tolist() == [1]  # one empty line


def test_repeat_counts_of_lines_alike_in_low_bits():
    """Lines whose code points differ only above bit 16 (FNV-1a's low bits are the same for
    all of them) are told apart and counted as the reference counts them: 17**3 distinct
    lines, each twice."""
    chars = [chr(0x61 + (plane << 16)) for plane in range(17)]
    lines = [a + b + c for a in chars for b in chars for c in chars] * 2
    n = len(lines)
    reference = np.exp(T.log_repeat(lines, n, native=False)).round().astype(int).tolist()
    assert reference == [2] * n
    assert NC.repeat_counts(lines, n).tolist() == reference


def _lines_of_every_kind(rng: np.random.Generator, n: int) -> list[str]:
    pool = list("aAbB  \t\u00a0\u3000\u2028\n.,ΣσςΑé日") + ["\U0001F600", "the", "und", "\u0301"]
    return ["".join(rng.choice(pool, int(rng.integers(0, 6)))) for _ in range(n)]


def test_page_as_lines():
    """stop_counts and repeat_counts read a list of lines as the str of the lines joined by
    newlines (lines holding newlines too), and many distinct lines (the table grows) and
    repeated ones count as the reference's Counter does."""
    rng = np.random.default_rng(5)
    table = NC.vocab({"the": 1, "und": 2, "σας": 3, "a": 4})
    for size in (1, 2, 7, 300, 3000):
        lines = _lines_of_every_kind(rng, size)
        text = "\n".join(lines)
        n = text.count("\n") + 1
        want = [" ".join(t.split()) for t in text.split("\n")]
        counts = {k: want.count(k) for k in set(want)}
        assert NC.repeat_counts(lines, n).tolist() == NC.repeat_counts(text, n).tolist() == [counts[k] for k in want]
        got, ref = NC.stop_counts(lines, table, 3, n), NC.stop_counts(text, table, 3, n)
        assert all(np.array_equal(a, b) for a, b in zip(got[:4], ref[:4])) and got[4] == ref[4]


def test_lines_lowered_one_by_one():
    """lower_page's lines lower-cased one by one are the page lower-cased (a final sigma looks
    at its neighbours, never across a newline), on random lines of sigmas, cased, uncased and
    case-ignorable characters."""
    rng = np.random.default_rng(9)
    pool = list("ΣσΑα aA.'\u00ad\u0301\u02b0-İ\n1日") + ["\U00010400"]
    for _ in range(3000):
        lines = ["".join(rng.choice(pool, int(rng.integers(0, 7)))) for _ in range(int(rng.integers(1, 5)))]
        text = "\n".join(lines)
        assert "\n".join(T.lower_page(lines, text)) == text.lower()
    assert T.lower_page(["AB"], "AB", native=False) == "ab"


def test_wrong_buffers_are_errors():
    out = np.empty(2, dtype=np.int64)
    k, f32, u32 = NC._REQUIRED.size, np.empty(12, dtype=np.float32), np.empty(1, dtype=np.uint32)
    with pytest.raises(ValueError, match="table"):
        NC._columns.line_counts(["a"], np.zeros(10, dtype=np.uint16), NC._ENTRIES, k, 1, 2, f32, out[:1], u32, u32)
    with pytest.raises(ValueError, match="incs: fewer rows"):  # a class set past the entry table
        NC._columns.line_counts(["a"], NC._TABLE, NC._ENTRIES[:4], k, CC.BIT["word"], CC.WORD_START,
                                f32, out[:1], u32, u32)
    with pytest.raises(ValueError, match="incs: rows of 16"):
        NC._columns.line_counts(["a"], NC._TABLE, NC._ENTRIES.ravel()[:-1], k, CC.BIT["word"], CC.WORD_START,
                                f32, out[:1], u32, u32)
    with pytest.raises(ValueError, match="k: 0..16"):
        NC._columns.line_counts(["a"], NC._TABLE, NC._ENTRIES, 17, CC.BIT["word"], CC.WORD_START,
                                f32, out[:1], u32, u32)
    with pytest.raises(ValueError, match="hits"):
        NC._columns.stop_counts("a", NC.vocab({}), 1, out, np.empty(3, dtype=np.int64), out, out)
    with pytest.raises(ValueError):  # not a table
        NC._columns.stop_counts("a", object(), 1, out, out, out, out)
    halves = np.empty(2, dtype=np.int32)  # the right bytes, the wrong items (native_buffer.h)
    with pytest.raises(ValueError, match="words: 8 bytes of 4-byte items"):
        NC._columns.stop_counts("a", NC.vocab({}), 1, halves, out, out, out)
    with pytest.raises(TypeError):
        NC.vocab({1: 2})
    with pytest.raises(TypeError):
        NC.line_counts(["a", 3])


def test_served_path_uses_the_c_counts(monkeypatch):
    """page_features by default: the compiled counts (the numpy counting is not called)."""
    texts = AWKWARD_LINES[:20]
    ev = _evidence(len(texts))
    want = F.page_features(texts, [0] * len(texts), ev, native=False)

    def fail(*a, **k):
        raise AssertionError("the numpy path counted")
    for name in ("_line_counts", "token_codes", "code_points"):
        monkeypatch.setattr(T, name, fail)
    monkeypatch.setattr(T, "Counter", fail)
    got = F.page_features(texts, [0] * len(texts), ev)
    assert got.tobytes() == want.tobytes()


def test_without_the_extension_numpy_counts(monkeypatch):
    """Not built (AVAILABLE false): page_features counts with numpy, the same matrix."""
    texts = AWKWARD_LINES[:20]
    ev = _evidence(len(texts))
    want = F.page_features(texts, [0] * len(texts), ev)

    def fail(*a, **k):
        raise AssertionError("the compiled counts were called")
    monkeypatch.setattr(NC, "AVAILABLE", False)
    for name in ("line_counts", "stop_counts", "repeat_counts", "mark_gaps", "shape_counts"):
        monkeypatch.setattr(NC, name, fail)
    assert F.page_features(texts, [0] * len(texts), ev).tobytes() == want.tobytes()


@pytest.mark.slow
def test_bench_pages(monkeypatch):
    """Every page the benchmark's text and HTML sets hand the labeller: the same matrix."""
    corpus_or_skip()
    from bench.profile_parts import _values
    from workers.core.labeller import evidence as E
    from workers.core.labeller import predict as P
    from workers.core.stages.text import normalise
    from workers.core.runner import StageRunner, process_values
    from workers.settings import from_env

    seen: list[tuple] = []
    real = F.page_features
    lines: set[str] = set()
    real_rules = E.line_features

    def spy_rules(page_lines, *a, **kw):
        lines.update(ln.text for ln in page_lines)
        return real_rules(page_lines, *a, **kw)
    monkeypatch.setattr(E, "line_features", spy_rules)

    def spy(texts, blank_before, ev, dom=None, **kw):
        want = real(texts, blank_before, ev, dom=dom, native=False, **kw)
        got = real(texts, blank_before, ev, dom=dom, native=True, **kw)
        seen.append((dom is not None, np.array_equal(got, want, equal_nan=True) and got.tobytes() == want.tobytes()))
        return got
    monkeypatch.setattr(P.F, "page_features", spy)
    settings = from_env()
    for corpus in ("text", "html"):
        for _ in process_values(_values(corpus), settings, StageRunner(settings, dedupe_window=0)):
            pass
    assert sum(h for h, _ in seen) > 100 and sum(not h for h, _ in seen) > 100
    assert all(ok for _, ok in seen)
    # the rule labeller's word count of every line of those pages, as it reads them and normalised
    assert len(lines) > 10_000
    assert all(NC.word_count(t) == NC.py_word_count(t) for t in lines)
    assert all(NC.word_count(normalise(t)) == NC.py_word_count(normalise(t)) for t in lines)
