"""Large pages: the labeller's per-character and per-token passes run over runs of whole lines
(``text_columns.COUNT_CHUNK_CHARS``), and a page of ``LARGE_PAGE_LINES`` lines or more fills its
base columns one at a time, to bound memory (bench/memory_pages.py). Each must give the same
feature matrix, bit for bit, as the page read at once; no timing or memory is asserted here."""
from __future__ import annotations

import random

import numpy as np
import pytest

from tests.test_path_speed import _random_texts
from topics.records import Line
from workers.core.labeller import features as F
from workers.core.labeller import text_columns as T
from workers.core.labeller.evidence import rule_evidence


def _page(rnd: random.Random, n_lines: int) -> list[str]:
    # (no lone surrogates: the ingest stage never lets one through to the labeller)
    pieces = [t for t in _random_texts(rnd) if not any(0xD800 <= ord(c) < 0xE000 for c in t)]
    words = "the river council said: 12.05.2023, 07:41 Reply · Share ¿qué? 日本語 😀".split()
    lines = []
    for _ in range(n_lines):
        r = rnd.random()
        lines.append("" if r < 0.1 else rnd.choice(pieces)[:120].replace("\n", " ") if r < 0.3
                     else " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 25))))
    return lines


def _matrix(texts: list[str]) -> np.ndarray:
    lines = [Line(n=k, text=t) for k, t in enumerate(texts)]
    ev = rule_evidence(lines, None, None, None)
    return F.page_features(texts, [0] * len(texts), ev)


@pytest.mark.parametrize("seed", [1, 2])
def test_chunked_passes_give_the_same_matrix(monkeypatch, seed):
    texts = _page(random.Random(seed), 3000)
    whole = _matrix(texts)
    monkeypatch.setattr(T, "COUNT_CHUNK_CHARS", 97)        # many runs, some of a single line
    monkeypatch.setattr(F, "LARGE_PAGE_LINES", 10)         # the column-at-a-time fill
    chunked = _matrix(texts)
    assert chunked.shape == whole.shape and chunked.dtype == whole.dtype
    assert chunked.tobytes() == whole.tobytes()


def test_token_codes_in_runs_equal_the_whole_page(monkeypatch):
    text = "\n".join(_page(random.Random(3), 800)).lower()
    whole = T.token_codes(text)
    monkeypatch.setattr(T, "COUNT_CHUNK_CHARS", 50)
    assert np.array_equal(T.token_codes(text), whole) and whole.size > 1000
    assert T.token_codes("").size == 0


def _evidence(texts: list[str]):
    return rule_evidence([Line(n=k, text=t) for k, t in enumerate(texts)], None, None, None)


@pytest.mark.parametrize("with_dom", [False, True])
def test_rows_of_the_parts_equal_the_whole_matrix(with_dom):
    """``page_rows(...).rows(a, b)``: the rows of the whole matrix, at the page's edges (the
    window and moving-average columns reach across a run's ends) and inside it."""
    rnd = random.Random(4)
    texts = _page(rnd, 700)
    ev = _evidence(texts)
    dom = None
    if with_dom:  # a DOM matrix of plausible values (depths, counts, shares, NaN)
        dom = np.asarray([[rnd.choice((0.0, 1.0, 0.5, 3.0, 12.0, np.nan)) for _ in F._DOM_COLUMNS]
                          for _ in texts], dtype=np.float32)
    whole = F.page_features(texts, [k % 3 for k in range(len(texts))], ev, dom=dom)
    parts = F.page_rows(texts, [k % 3 for k in range(len(texts))], ev, dom=dom)
    for a, b in [(0, 1), (0, 5), (1, 4), (3, 60), (250, 251), (690, 700), (697, 700), (0, 700)]:
        got = parts.rows(a, b)
        assert got.shape == (b - a, whole.shape[1]) and got.tobytes() == whole[a:b].tobytes(), (a, b)


def test_large_page_scored_in_runs_equals_the_whole_matrix(monkeypatch):
    """A large page's probabilities, scored a run of rows at a time (``predict.page_proba``),
    equal the model's probabilities of the whole matrix bit for bit."""
    from workers.core.labeller import predict as P
    from workers.core.labeller.model import available, load

    if not available():
        pytest.skip("no model installed")
    model = load()
    texts = _page(random.Random(6), 1500)
    blanks = [k % 2 for k in range(len(texts))]
    ev = _evidence(texts)
    whole = model.predict(F.page_features(texts, blanks, ev))
    monkeypatch.setattr(F, "LARGE_PAGE_LINES", 10)
    monkeypatch.setattr(P, "SCORE_CHUNK_LINES", 97)   # runs that end anywhere, a short last one
    got = P.page_proba(model, texts, blanks, ev)
    assert got.dtype == whole.dtype and got.shape == whole.shape == (1500, 6)
    assert got.tobytes() == whole.tobytes()
