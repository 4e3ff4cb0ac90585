"""Content fingerprints (simhash over word 3-shingles) and cheap quality signals.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter

import numpy as np

from topics.records import SegmentedDocument
from workers.core.code_points import BMP, code_points, pattern_table
from workers.core.stages.enrich import native_simhash


# a few of the most frequent words per language (for a cheap stopword ratio)
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to a in is that it for was on with as by at be this are from or have an but not "
                    "they his her we you he she had were which their has been".split()),
    "de": frozenset("der die das und in zu den nicht von sie ist des sich mit dem dass er es ein ich auf so eine "
                    "auch als an nach wie im für man aber aus bei".split()),
    "fr": frozenset("de la le et les des en un une du est que pour qui dans ne pas au sur se par plus il elle "
                    "ce avec son sont".split()),
    "es": frozenset("de la que el en y a los del se las por un para con no una su al lo como más pero sus le "
                    "es ya o".split()),
    "it": frozenset("di e il la che in a per un del non è le una sono i da con si al della lo gli come ma".split()),
    "pt": frozenset("de a o que e do da em um para com não uma os no se na por mais as dos como mas ao ele "
                    "das".split()),
    "nl": frozenset("de het een en van in is dat op te zijn met voor niet aan er maar om ook als dan bij of uit "
                    "door".split()),
}
_SENT_END = re.compile(r"[.!?…。！？]+(?:[\"'”’»)\]]+)?(?=\s|$)")
_PARA_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$|[\"”’»]$")
# the three character sets of _PARA_END (the definition): an end mark, then closing marks, then
# the end; or a closing quote at the end (``punctuated`` reads them without scanning the text)
_END_MARKS = frozenset(".!?…:;。！？")
_CLOSERS = "\"'”’»)]"
_CLOSING_QUOTES = frozenset("\"”’»")
WORD = re.compile(r"\w+", re.U)
# characters counted as symbols in symbol_word_ratio
SYMBOLS = "#…|•►▼→←©®™$€£%*@^~<>{}[]\\"


def round4(x: float) -> float:
    return round(float(x), 4)


_BLAKE2B_8 = hashlib.blake2b(digest_size=8)  # never updated: only copied
# From this many characters a text's words are read a chunk at a time and each distinct word
# is kept once: one string per word of an 8 MB page's body took ~70 MB, shared ~10 MB.
SHARED_WORDS_FROM = 1 << 18
_WORDS_CHUNK = 1 << 16  # characters per chunk (cut at a space)


# code points below this are counted by one array pass (``char_counts``); a text holding any
# above it (supplementary planes), or longer than SHARED_WORDS_FROM characters, by ``Counter``:
# the count array stays small and a large page's body is not copied as 4 bytes per character
_COUNTED_CODE_POINTS = BMP

# for each BMP code point, whether ``WORD`` reads it as part of a word (a word character is one
# by itself, whatever its neighbours)
_WORD_CHARS = pattern_table(WORD)
_SPACE = np.uint32(ord(" "))  # what a non-word character becomes before the split


def body_words(text: str) -> list[str]:
    """``WORD.findall(text)``: the same words in the same order. Below SHARED_WORDS_FROM
    characters, in the BMP: every character ``WORD`` does not read (``_WORD_CHARS``) made a
    space in one array pass, then ``split()``: no word character is a ``split`` separator
    (checked over every code point), so the split's pieces are the maximal runs of word
    characters, ``\\w+``'s matches, without the pattern's match per word. For a long text,
    equal words are one string object. A chunk ends before a space, which no word contains,
    so no word is cut."""
    if len(text) < SHARED_WORDS_FROM:
        cp = code_points(text)
        if not cp.size or int(cp.max()) >= _COUNTED_CODE_POINTS:
            return WORD.findall(text)
        return np.where(_WORD_CHARS[cp], cp, _SPACE).tobytes().decode("utf-32-le", "surrogatepass").split()
    seen: dict[str, str] = {}
    keep = seen.setdefault
    words: list[str] = []
    start, n = 0, len(text)
    while start < n:
        end = text.find(" ", start + _WORDS_CHUNK)
        if end < 0:
            end = n
        words.extend([keep(w, w) for w in WORD.findall(text, start, end)])
        start = end
    return words


def word_count(texts: list[str]) -> int:
    """``sum(len(WORD.findall(t)) for t in texts)`` without building the words: ``WORD`` (a
    run of word characters, greedy) finds each maximal run once, so the count is the number
    of word characters that do not follow one. The texts are joined by a line break (not a
    word character: no run spans two texts) and read as one array of code points. A text
    with a character above the BMP, or longer than SHARED_WORDS_FROM (no array that size),
    is counted by the pattern."""
    text = "\n".join(texts)
    if len(text) >= SHARED_WORDS_FROM:
        return sum(len(WORD.findall(t)) for t in texts)
    cp = code_points(text)
    if not cp.size:
        return 0
    if int(cp.max()) >= _COUNTED_CODE_POINTS:
        return len(WORD.findall(text))
    w = _WORD_CHARS[cp]
    return int(w[0]) + int(np.count_nonzero(w[1:] > w[:-1]))


_SIMHASH_CHUNK = 1 << 16  # shingle hashes unpacked to bits at a time (64 bytes each)


def simhash(words: list[str]) -> str | None:
    """64-bit simhash over word 3-shingles (None without words): ``simhash_python``'s value, by
    the compiled extension when it is built (``native_simhash``)."""
    if words and native_simhash.AVAILABLE:
        return native_simhash.simhash(words)
    return simhash_python(words)


def simhash_python(words: list[str]) -> str | None:
    """64-bit simhash over word 3-shingles: bit b is set when more than half of the
    shingle hashes (8-byte BLAKE2b, read big-endian) have bit b set. The hashes are counted as one array (their 8 big-endian
    bytes unpacked to 64 bit columns), a chunk at a time so memory stays bounded."""
    if not words:
        return None
    import numpy as np

    shingles = map(" ".join, zip(words, words[1:], words[2:])) if len(words) >= 3 else (" ".join(words),)
    # a copy of an empty 8-byte BLAKE2b hasher, fed the shingle: the same digest as a new
    # hasher per shingle, a third faster than the constructor's keyword parsing
    buf = bytearray()
    copy = _BLAKE2B_8.copy
    for s in shingles:
        h = copy()
        h.update(s.encode())
        buf += h.digest()
    digests = np.frombuffer(bytes(buf), dtype=np.uint8).reshape(-1, 8)
    n = digests.shape[0]
    counts = np.zeros(64, dtype=np.int64)  # column j: bit 63 - j of the big-endian hash
    for lo in range(0, n, _SIMHASH_CHUNK):
        counts += np.unpackbits(digests[lo:lo + _SIMHASH_CHUNK], axis=1).sum(axis=0, dtype=np.int64)
    value = 0
    for j in np.flatnonzero(2 * counts > n).tolist():
        value |= 1 << (63 - j)
    return f"{value:016x}"


def char_counts(text: str) -> Counter:
    """``Counter(text)``: the same count per character (in code point order instead of first
    seen; every use below sums them), from one ``np.bincount`` over the code points, 4x
    faster on a body of a few thousand characters."""
    if len(text) >= SHARED_WORDS_FROM:
        return Counter(text)
    cp = code_points(text)
    if not cp.size or int(cp.max()) >= _COUNTED_CODE_POINTS:
        return Counter(text)
    counts = np.bincount(cp)
    seen = np.flatnonzero(counts)
    return Counter(dict(zip(map(chr, seen.tolist()), counts[seen].tolist())))


def punctuated(paragraph: str) -> bool:
    """``_PARA_END.search(paragraph.rstrip())``, read from the text's end: the end mark must
    stand right before the closing marks that end the text (no end mark is a closing mark),
    so it is the last character once they are stripped. The regex scanned the whole text."""
    text = paragraph.rstrip()  # so the text ends at its end ($ also matches before a final \n)
    bare = text.rstrip(_CLOSERS)
    return (bare != "" and bare[-1] in _END_MARKS) or (text != "" and text[-1] in _CLOSING_QUOTES)


def quality_signals(doc: SegmentedDocument, body: str, words: list[str], language: str | None,
             comment_words: int) -> dict:
    paras = doc.body_paragraphs
    sentences = [s for s in _SENT_END.split(body) if WORD.search(s)] if body else []
    n_words = len(words)
    stop = STOPWORDS.get(language or "")
    # one counting pass over the body (C speed); each per-character count below reads it
    # (same counts as a pass per character class)
    chars = char_counts(body)
    symbols = sum(map(chars.__getitem__, SYMBOLS))
    letters = sum(k for ch, k in chars.items() if ch.isalpha())
    upper = sum(k for ch, k in chars.items() if ch.isupper())
    digits = sum(k for ch, k in chars.items() if ch.isdigit())
    return {
        "has_title": bool(doc.title),
        "mean_sentence_words": round4(n_words / len(sentences)) if sentences else 0.0,
        "mean_word_chars": round4(sum(map(len, words)) / n_words) if n_words else 0.0,
        "punctuated_paragraph_ratio": round4(sum(map(punctuated, paras)) / len(paras))
        if paras else 0.0,
        "stopword_ratio": round4(sum(map(stop.__contains__, words)) / n_words) if stop and n_words else None,
        "symbol_word_ratio": round4(symbols / n_words) if n_words else 0.0,
        "uppercase_ratio": round4(upper / letters) if letters else 0.0,
        "digit_ratio": round4(digits / len(body)) if body else 0.0,
        "comment_ratio": round4(comment_words / (comment_words + n_words)) if comment_words + n_words else 0.0,
    }
