"""Character classes of the line labeller's per-line counts (letters, capitals, digits,
punctuation, word characters, ...), read for a whole page with one lookup per code point.

``class_masks`` is the definition (ranges and ASCII tables); ``TABLE`` holds its answer for
every code point of the Basic Multilingual Plane as one bit set (built once, from the
definition itself), so ``classes`` is one gather instead of ~40 array comparisons per page.
Code points above the BMP (rare: emoji, historic scripts) are answered by the definition.
"""
from __future__ import annotations

import numpy as np

BMP = 0x10000


def ascii_table(chars: str) -> np.ndarray:
    t = np.zeros(128, dtype=bool)
    for c in chars:
        t[ord(c)] = True
    return t


def bmp_table(chars: str) -> np.ndarray:
    """Membership table over the Basic Multilingual Plane (look up ``t[min(cp, 0xFFFF)]``;
    no listed character is U+FFFF): one array index instead of a set search per call."""
    t = np.zeros(BMP, dtype=bool)
    for c in chars:
        t[ord(c)] = True
    return t


def member(table: np.ndarray, cps: np.ndarray) -> np.ndarray:
    return table[np.minimum(cps, BMP - 1)]


T_UPPER = ascii_table("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
T_LOWER = ascii_table("abcdefghijklmnopqrstuvwxyz")
T_DIGIT = ascii_table("0123456789")
T_PUNCT = ascii_table("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
SEPS = ("|", "»", "›", "·", "•")  # title / breadcrumb separators
SEP_CHARS = bmp_table("".join(SEPS))

# the classes, one bit each, in the order of ``class_masks``
NAMES: tuple[str, ...] = ("upper", "letter", "digit", "punct", "word", "nonascii", "commas", "spaceless",
                          "seps", "kana")
BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(NAMES)}


def class_masks(cp: np.ndarray) -> dict[str, np.ndarray]:
    """The definition: per code point of ``cp`` (uint32), one boolean array per class."""
    asc = cp < 128
    a = np.where(asc, cp, 0).astype(np.intp)
    upper = T_UPPER[a] & asc
    upper |= (~asc) & (((cp >= 0xC0) & (cp <= 0xDE) & (cp != 0xD7)) | ((cp >= 0x391) & (cp <= 0x3A9))
                       | ((cp >= 0x410) & (cp <= 0x42F)))
    sym = (~asc) & (((cp >= 0x2000) & (cp <= 0x2BFF)) | ((cp >= 0x3000) & (cp <= 0x303F)) | (cp >= 0x1F000)
                    | ((cp >= 0xA0) & (cp <= 0xBF)) | (cp == 0xD7) | (cp == 0xF7))
    letter = (T_UPPER[a] | T_LOWER[a]) & asc | ((~asc) & (cp >= 0xC0) & ~sym)
    digit = T_DIGIT[a] & asc
    return {
        "upper": upper,
        "letter": letter,
        "digit": digit,
        "punct": (T_PUNCT[a] & asc) | sym,
        "word": letter | digit | (cp == 95),
        "nonascii": ~asc,
        "commas": (cp == 44) | (cp == 0x3001) | (cp == 0xFF0C),
        "spaceless": ((cp >= 0x3040) & (cp <= 0x30FF)) | ((cp >= 0x3400) & (cp <= 0x9FFF))
        | ((cp >= 0x0E00) & (cp <= 0x0E7F)),
        "seps": member(SEP_CHARS, cp),
        "kana": (cp >= 0x3040) & (cp <= 0x309F),
    }


def _bits(masks: dict[str, np.ndarray], size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.uint16)
    for name in NAMES:
        out[masks[name]] |= BIT[name]
    return out


TABLE = _bits(class_masks(np.arange(BMP, dtype=np.uint32)), BMP)


def classes(cp: np.ndarray) -> np.ndarray:
    """Per code point of ``cp`` (uint32) its classes as bits (``BIT``): ``class_masks`` read
    from ``TABLE``, above the BMP from the definition."""
    out = TABLE[np.minimum(cp, BMP - 1)]
    if cp.size and int(cp.max()) >= BMP:
        big = cp >= BMP
        out[big] = _bits(class_masks(cp[big]), int(np.count_nonzero(big)))
    return out


# per-line counts: (name, the class bits a counted character has); a word's first character
# (WORD_START) depends on the character before it, so it is set per page
WORD_START = 1 << len(NAMES)
COUNTS: tuple[tuple[str, int], ...] = (
    ("upper", BIT["upper"]), ("letter", BIT["letter"]), ("digit", BIT["digit"]), ("punct", BIT["punct"]),
    ("words", WORD_START), ("capw", WORD_START | BIT["upper"]), ("nonascii", BIT["nonascii"]),
    ("wordchars", BIT["word"]), ("commas", BIT["commas"]), ("spaceless", BIT["spaceless"]),
    ("seps", BIT["seps"]), ("kana", BIT["kana"]))
_REQUIRED = np.array([bits for _, bits in COUNTS], dtype=np.intp)


def line_counts(cls: np.ndarray, line_of: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Per line (``line_of``: each character's line, all below ``n``) the number of its
    characters with each ``COUNTS`` entry's bits, float32. One count per (line, set of bits)
    for the few distinct sets on a page, then summed per entry (exact integer sums): the
    same numbers as one ``bincount`` per entry."""
    word = (cls & BIT["word"]) != 0
    start = word.copy()
    start[1:] &= ~word[:-1]
    code = cls.astype(np.intp)
    code[start] |= WORD_START
    present = np.flatnonzero(np.bincount(code, minlength=1))
    k = present.size
    remap = np.zeros(WORD_START << 1, dtype=np.intp)
    remap[present] = np.arange(k)
    per_set = np.bincount(line_of * k + remap[code], minlength=n * k).reshape(n, k)
    has = ((present[:, None] & _REQUIRED) == _REQUIRED).astype(np.float64)  # set x entry
    counts = (per_set.astype(np.float64) @ has).astype(np.float32)
    return {name: counts[:, j] for j, (name, _) in enumerate(COUNTS)}


NUM_CODE_POINTS = 0x110000


def code_point_table() -> np.ndarray:
    """``TABLE`` extended to every code point (uint16, 0x110000 entries; above the BMP the
    definition's answer): the table the compiled per-line counts read (``native_columns``)."""
    out = np.empty(NUM_CODE_POINTS, dtype=np.uint16)
    out[:BMP] = TABLE
    out[BMP:] = _bits(class_masks(np.arange(BMP, NUM_CODE_POINTS, dtype=np.uint32)), NUM_CODE_POINTS - BMP)
    return out
