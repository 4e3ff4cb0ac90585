"""A text as an array of its code points, and a regular expression's answer for every code point
of the Basic Multilingual Plane as a table: the two halves of reading a per-character pattern in
one array pass instead of the pattern trying every position (enrich's word count, the title
chooser's body words)."""
from __future__ import annotations

import re

import numpy as np

BMP = 0x10000  # code points below this are read from a table; a text holding any above it is not


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (uint32; a lone surrogate as itself)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def pattern_table(pattern: re.Pattern) -> np.ndarray:
    """For each BMP code point, whether a match of ``pattern`` over the string of all of them
    covers it: the pattern's own answer, for a pattern that reads each character by itself
    (a character class, or a run of one)."""
    table = np.zeros(BMP, dtype=bool)
    for m in pattern.finditer("".join(map(chr, range(BMP)))):
        table[m.start():m.end()] = True
    return table
