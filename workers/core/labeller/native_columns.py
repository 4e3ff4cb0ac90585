"""The line labeller's per-line counts computed by the compiled ``_columns`` extension.

``text_columns`` builds the feature columns from integer counts: characters of each class
per line, UTF-8 bytes per line, each line's first and last character, stopword tokens per
line and language, repeats of each line's normalised text. The Python path computes them
with numpy and the standard library and stays the reference; ``_columns.c`` computes the
same integers in one pass over the page's code points, and the columns are then built by the
same numpy code, so the feature matrix is the same bit for bit (tests/test_native_columns.py).
The comment-structure columns' distances to marked lines and their line-shape gaps and window
counts (``arrays.dist_prev`` / ``dist_next``, ``text_columns``' shapes) are integers too.

``make install`` builds the extension (setuptools ``ext-modules`` in pyproject.toml, optional:
an install without a C compiler still succeeds and the Python path serves, after one warning
at import); ``AVAILABLE`` says whether it was built.
"""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np

from workers.core.labeller import char_classes as CC
from workers.core.native import optional_module
from workers.core.stages.text import words_of

log = logging.getLogger(__name__)

# not built (no compiler at install time): text_columns counts with numpy
_columns = optional_module("workers.core.labeller._columns", log,
                           "line labeller: the compiled column counts (_columns) are not built; numpy counts "
                           "them (same features, slower; make install builds it)")

AVAILABLE = _columns is not None

_TABLE = CC.code_point_table() if AVAILABLE else None


def py_word_count(text: str) -> int:
    """The ``\\w+`` tokens of ``text``: ``len(words_of(text))``, the reference of ``word_count``."""
    return len(words_of(text))


# the rule labeller's word count of a line (rules/features.py): the compiled count, no token list
word_count = getattr(_columns, "word_count", None) or py_word_count
_REQUIRED = np.array([bits for _, bits in CC.COUNTS], dtype=np.int64)


def entry_rows(required: np.ndarray, word_start: int) -> np.ndarray:
    """The entry table ``line_counts``' C loop adds a character's row of: per class set (the
    class bits with ``word_start`` on a word's first character) a 1 byte for each entry of
    ``required`` whose bits the set holds, 16 bytes a row (uint8, (2 * word_start) x 16)."""
    sets = np.arange(2 * word_start, dtype=np.int64)[:, None]
    rows = np.zeros((2 * word_start, 16), dtype=np.uint8)
    rows[:, :required.size] = (sets & required) == required
    return rows


_ENTRIES = entry_rows(_REQUIRED, CC.WORD_START) if AVAILABLE else None


def line_counts(texts: Sequence[str]) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """Per line of ``"\\n".join(texts)``: the ``char_classes.COUNTS`` counts (float32 columns, as
    ``char_classes.line_counts`` gives them), UTF-8 bytes with the line's newline (int64), and
    its first and last code point (uint32; 32 for an empty line)."""
    texts = texts if type(texts) is list else list(texts)
    n = len(texts)
    counts = np.empty((n, _REQUIRED.size), dtype=np.float32)
    blens = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.uint32)
    last = np.empty(n, dtype=np.uint32)
    _columns.line_counts(texts, _TABLE, _ENTRIES, _REQUIRED.size, CC.BIT["word"], CC.WORD_START,
                         counts, blens, first, last)
    return {name: counts[:, j] for j, (name, _) in enumerate(CC.COUNTS)}, blens, first, last


def vocab(bits: dict[str, int]) -> object:
    """``bits`` (token -> int) as the compiled table ``stop_counts`` reads (built once)."""
    return _columns.vocab(bits)


def stop_counts(page: str | list[str], table: object, nlang: int, n: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The ``\\w+`` tokens of ``page`` (a str, or a list of lines read as ``"\\n".join(page)``):
    per line (the first ``n``) its tokens, those that the table (``vocab``) gives nonzero bits,
    those with each of ``nlang`` language bits (lines x nlang); per language the page's tokens
    with its bit; the page's tokens (all int64)."""
    words = np.empty(n, dtype=np.int64)
    hits = np.empty(n, dtype=np.int64)
    lang = np.empty((n, nlang), dtype=np.int64)
    totals = np.empty(nlang, dtype=np.int64)
    tokens = _columns.stop_counts(page, table, nlang, words, hits, lang, totals)
    return words, hits, lang, totals, tokens


def repeat_counts(page: str | list[str], n: int) -> np.ndarray:
    """Per line (the first ``n`` of ``page``'s lines; a list of lines is read as
    ``"\\n".join(page)``) how many lines have its text with whitespace runs made one space
    (``" ".join(line.split())``), int64."""
    out = np.empty(n, dtype=np.int64)
    _columns.repeat_counts(page, out)
    return out


def mark_gaps(mask: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """``(arrays.dist_prev(mask, cap), arrays.dist_next(mask, cap))`` (int64) of a bool mask."""
    mask = np.ascontiguousarray(mask, dtype=bool)
    prev = np.empty(mask.size, dtype=np.int64)
    nxt = np.empty(mask.size, dtype=np.int64)
    _columns.mark_gaps(mask, cap, prev, nxt)
    return prev, nxt


def shape_counts(code: np.ndarray, window: int, cap: int) -> tuple[np.ndarray, ...]:
    """Per line of shape ``code`` (int64, >= 0): the gaps back and on to the nearest line of the
    same code (capped at ``cap``; ``cap`` when none), how many other lines of its code the window
    of ``window`` lines either side holds, and how many other lines that window holds (at least
    1); all int64."""
    code = np.ascontiguousarray(code, dtype=np.int64)
    gp, gn, num, den = (np.empty(code.size, dtype=np.int64) for _ in range(4))
    _columns.shape_counts(code, window, cap, gp, gn, num, den)
    return gp, gn, num, den
