"""The line labeller's per-line columns read from the page's text alone: character classes,
words and capitals per line (``np.bincount`` over the page's code points), whole-text regex
scans for dates, times and URLs mapped to lines, one token scan for stopwords per language,
name-like lines, and the comment-structure columns built on them (distances to date- and
name-like lines, repeating line shapes). ``features.py`` assembles them with the rule
evidence, windows and moving averages into the feature matrix; names, vocabularies and
thresholds are data in ``workers.core.heuristics.line_features``.
"""
from __future__ import annotations

import re
from collections import Counter
from itertools import chain, repeat

import numpy as np

from workers.core import re2_calls
from workers.core.code_points import code_points
from workers.core.heuristics import line_features as LF
from workers.core.heuristics.dates import MONTH, RELATIVE_TIME, YEAR
from workers.core.labeller import char_classes as CC
from workers.core.labeller import native_columns as NC
from workers.core.labeller.arrays import dist_next as _dist_next, dist_prev as _dist_prev
from workers.core.re2_calls import match_starts as _match_starts
from workers.core.stages.patterns import CASELESS as _OPTS

# whole-text scans (RE2: linear time); each match is mapped to its line
_RX_NUM_DATE = re2_calls.compile(r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2})\b", _OPTS)
_RX_TIME = re2_calls.compile(r"\b\d{1,2}[:h]\d{2}(?:[:.]\d{2})?|\b\d{1,2}\.\d{2}\s?(?:[ap]\.?m|uhr|h)\b"
                       r"|\b\d{1,2}\s?[ap]\.?m\b", _OPTS)
_RX_MONTH = re2_calls.compile(rf"\b{MONTH}(?:\s|,|$)", _OPTS)
_RX_REL = re2_calls.compile(rf"\b(?:{RELATIVE_TIME})\b", _OPTS)
_RX_YEAR = re2_calls.compile(rf"\b{YEAR}\b", _OPTS)
_RX_URL = re2_calls.compile(r"https?://|www\.|\b[\w.-]+@[\w-]+\.\w|\b\w+\.(?:com|org|net|de|fr|uk|io)\b", _OPTS)
SCANS = (("url_like", _RX_URL), ("numeric_dates", _RX_NUM_DATE), ("times", _RX_TIME),
          ("month_names", _RX_MONTH), ("relative_times", _RX_REL), ("years", _RX_YEAR))
_TOKENS = re.compile(r"\w+|\n")  # stdlib re: one character class or a newline, linear

_BULLETS = frozenset("•◦▪▫‣∙●○■□➢➤►-–—*·>")

_LANGS = tuple(LF.STOPWORDS)
# stopword -> bit set of the languages that list it; a newline token gets its own bit
_STOP_BITS: dict[str, int] = {}
for _i, _lang in enumerate(_LANGS):
    for _w in LF.STOPWORDS[_lang].split():
        _STOP_BITS[_w] = _STOP_BITS.get(_w, 0) | (1 << _i)
_NEWLINE_BIT = 1 << 40
_STOP_BITS["\n"] = _NEWLINE_BIT
_STOP_TABLE = NC.vocab(_STOP_BITS) if NC.AVAILABLE else None  # the same, for the compiled scan


def _per_line_counts(line_of: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(line_of[mask], minlength=n)[:n].astype(np.float32)


def scan_lines(scans, text_b: bytes, starts_b: np.ndarray, n: int) -> dict[str, np.ndarray]:
    """Per ``(name, rx)`` of ``scans``, the matches of ``rx`` per line: one whole-text scan each
    over the UTF-8 bytes (byte offsets need no conversion), every scan's match offsets mapped
    to lines and counted at once (float32 counts)."""
    pos = [_match_starts(rx, text_b) for _, rx in scans]
    sizes = np.fromiter(map(len, pos), dtype=np.int64, count=len(pos))
    total = int(sizes.sum())
    if not total:
        return {name: np.zeros(n, dtype=np.float32) for name, _ in scans}
    line = np.searchsorted(starts_b, np.fromiter(chain.from_iterable(pos), dtype=np.int64, count=total),
                           side="right") - 1
    line += np.repeat(np.arange(len(pos)) * n, sizes)  # scan i's lines count at i * n + line
    counts = np.bincount(line, minlength=len(pos) * n).astype(np.float32).reshape(len(pos), n)
    return {name: counts[i] for i, (name, _) in enumerate(scans)}


_END_SENT = CC.bmp_table(".!?…。！？")
_END_OTHER = CC.bmp_table("\"'”“’»)]},")
_START_BULLET = CC.bmp_table("".join(_BULLETS))
_T_UPPER, _T_DIGIT, _member = CC.T_UPPER, CC.T_DIGIT, CC.member
_B = CC.BIT


# per-character work runs over runs of whole lines of about this many characters: its arrays are
# 8 bytes a character each, ~30 MB apiece for a 4 MB page at once (bench/memory_pages.py)
COUNT_CHUNK_CHARS = 1 << 18


def _line_counts(cp: np.ndarray, lens: np.ndarray, starts: np.ndarray, n: int
                 ) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Per line: characters of each class (``char_classes.line_counts``) and UTF-8 bytes with
    its newline, from the page's code points ``cp``; integer counts, so the same figures
    whether the lines are counted at once or in runs of about ``COUNT_CHUNK_CHARS``."""
    cuts = [0]
    while cuts[-1] < n:
        a = cuts[-1]
        cuts.append(max(int(np.searchsorted(starts, starts[a] + COUNT_CHUNK_CHARS, "right")), a + 1))
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        lo, hi = int(starts[a]), (int(starts[b]) if b < n else cp.size)
        seg = cp[lo:hi]
        line_of = np.repeat(np.arange(b - a), lens[a:b] + 1)[: seg.size]
        c = CC.line_counts(CC.classes(seg), line_of, b - a)
        utf8 = 1 + (seg >= 0x80).astype(np.int64) + (seg >= 0x800) + (seg >= 0x10000)
        parts.append((c, np.bincount(line_of, weights=utf8, minlength=b - a)[:b - a].astype(np.int64)))
    if len(parts) == 1:
        return parts[0]
    return ({k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]},
            np.concatenate([p[1] for p in parts]))


def _ends(cp: np.ndarray, lens: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's first and last code point (32 for an empty line)."""
    if not cp.size:  # one empty line
        return np.full(lens.size, 32, dtype=np.uint32), np.full(lens.size, 32, dtype=np.uint32)
    first = cp[np.minimum(starts, cp.size - 1)]
    last = cp[np.minimum(np.maximum(starts + lens - 1, 0), cp.size - 1)]  # np.clip's definition
    first[lens == 0] = 32
    last[lens == 0] = 32
    return first, last


def char_features(texts: list[str], text: str, n: int, native: bool = True) -> dict[str, np.ndarray]:
    """The character-class columns; ``native``: count with the compiled extension when it is
    built (the same integers as the numpy counts, so the same columns)."""
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    if native and NC.AVAILABLE:
        c, blens, first, last = NC.line_counts(texts)
    else:
        starts = np.zeros(n, dtype=np.int64)
        if n > 1:
            starts[1:] = np.cumsum(lens[:-1] + 1)
        cp = code_points(text)
        c, blens = _line_counts(cp, lens, starts, n)
        first, last = _ends(cp, lens, starts)
    starts_b = np.zeros(n, dtype=np.int64)
    if n > 1:
        starts_b[1:] = np.cumsum(blens[:-1])  # each line's count includes its newline
    fa = np.where(first < 128, first, 0).astype(np.intp)
    L = np.maximum(lens, 1).astype(np.float32)
    # scripts written without spaces (Japanese, Chinese, Thai): a \w+ run is a whole phrase;
    # estimate their words as one per SPACELESS_CHARS_PER_WORD characters
    words = c["words"] + c["spaceless"] / LF.SPACELESS_CHARS_PER_WORD
    W = np.maximum(words, 1)
    f32 = np.float32
    return {
        "log_chars": np.log1p(lens).astype(f32),
        "log_words": np.log1p(words),
        "mean_word_len": c["wordchars"] / W,
        "letter_share": c["letter"] / L,
        "digit_share": c["digit"] / L,
        "upper_share": c["upper"] / np.maximum(c["letter"], 1),
        "punct_share": c["punct"] / L,
        "nonascii_share": c["nonascii"] / L,
        "cap_word_share": c["capw"] / W,
        "all_caps": ((c["upper"] >= 0.9 * c["letter"]) & (c["letter"] >= 3)).astype(f32),
        "glyph_only": (c["letter"] == 0).astype(f32),
        "ends_sentence": _member(_END_SENT, last).astype(f32),
        "ends_colon": (last == 58).astype(f32),
        "ends_other": _member(_END_OTHER, last).astype(f32),
        "question": (last == 63).astype(f32),
        "starts_bullet": _member(_START_BULLET, first).astype(f32),
        "starts_digit": (_T_DIGIT[fa] & (first < 128)).astype(f32),
        "starts_upper": ((_T_UPPER[fa] & (first < 128)) | ((first >= 0xC0) & (first <= 0xDE))).astype(f32),
        "starts_at": (first == 64).astype(f32),
        "separators": c["seps"],
        "commas_per_word": c["commas"] / W,
        "kana_share": c["kana"] / L,
        "_words": words, "_starts_b": starts_b,
    }


def token_codes(text_lower: str) -> np.ndarray:
    """The stopword bits of each token (``\\w+`` or a newline) of the page, in page order; read
    in runs of whole lines of about ``COUNT_CHUNK_CHARS`` characters (no token spans a newline,
    so the same codes), keeping a run's token strings alive rather than the whole page's."""
    parts, pos, size = [], 0, len(text_lower)
    while pos < size:
        end = text_lower.find("\n", pos + COUNT_CHUNK_CHARS)
        end = size if end < 0 else end + 1
        toks = _TOKENS.findall(text_lower[pos:end] if pos or end < size else text_lower)
        parts.append(np.fromiter(map(_STOP_BITS.get, toks, repeat(0)), dtype=np.int64, count=len(toks)))
        pos = end
    return parts[0] if len(parts) == 1 else np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def lower_page(texts: list[str], text: str, native: bool = True) -> str | list[str]:
    """The page (``text``, its ``texts`` joined by newlines) lower-cased: ``text.lower()``, or
    for the compiled counts (``native`` and built) its lines lower-cased one by one, which the
    counts read as joined by newlines. The same code points: lower-casing maps each character
    alone except a capital sigma, whose final form depends on the cased and case-ignorable
    characters around it, and a newline is neither, so no context crosses one (a line that
    is all ASCII is lower-cased by a fast path; one non-ASCII character sends the whole page
    down the slow one)."""
    if native and NC.AVAILABLE:
        return [t.lower() for t in texts]
    return text.lower()


def _joined(text_lower: str | list[str]) -> str:
    """``lower_page``'s result as one string (its lines joined by newlines), for the numpy
    reference paths; a string as it is."""
    return text_lower if isinstance(text_lower, str) else "\n".join(text_lower)


def stop_features(text_lower: str | list[str], n: int, native: bool = True) -> tuple[np.ndarray, np.ndarray, float]:
    """Per line the share of its tokens that are stopwords of the page's language (the one with
    the most stopword tokens) and of any language, and that language's share of the page's
    tokens; ``text_lower``: the page lower-cased (``lower_page``); ``native``: count with the
    compiled extension when it is built."""
    if native and NC.AVAILABLE:
        return _stop_shares(*NC.stop_counts(text_lower, _STOP_TABLE, len(_LANGS), n))
    codes = token_codes(_joined(text_lower))
    if not codes.size:
        z = np.zeros(n, dtype=np.float32)
        return z, z, 0.0
    nl = codes == _NEWLINE_BIT
    line = np.cumsum(nl)[~nl]
    codes = codes[~nl]
    per_word = np.maximum(np.bincount(line, minlength=n)[:n], 1).astype(np.float32)
    hit = codes > 0
    share_any = np.bincount(line[hit], minlength=n)[:n] / per_word
    per_lang = [int(np.count_nonzero(codes & (1 << i))) for i in range(len(_LANGS))]
    best = int(np.argmax(per_lang))
    mine = (codes & (1 << best)) > 0
    share = np.bincount(line[mine], minlength=n)[:n] / per_word
    conf = per_lang[best] / max(codes.size, 1)
    return share.astype(np.float32), share_any.astype(np.float32), float(conf)


def _stop_shares(words: np.ndarray, hits: np.ndarray, lang: np.ndarray, totals: np.ndarray,
                 tokens: int) -> tuple[np.ndarray, np.ndarray, float]:
    """``stop_features`` from the compiled token counts, with the same arithmetic (a page
    without tokens: per-word 1, so zero shares and confidence, as the Python path's zeros)."""
    per_word = np.maximum(words, 1).astype(np.float32)
    share_any = hits / per_word
    best = int(np.argmax(totals))
    share = lang[:, best] / per_word
    conf = int(totals[best]) / max(tokens, 1)
    return share.astype(np.float32), share_any.astype(np.float32), float(conf)


def log_repeat(text_lower: str | list[str], n: int, native: bool = True) -> np.ndarray:
    """Per line the log of how often its normalised text (lower case, whitespace runs made one
    space) occurs in the page; ``text_lower``: as ``stop_features``'; ``native``: count with
    the compiled extension when it is built."""
    if native and NC.AVAILABLE:
        return np.log(NC.repeat_counts(text_lower, n).astype(np.float32))
    norm = [" ".join(t.split()) for t in _joined(text_lower).split("\n")]  # lower() never makes or removes a newline
    counts = Counter(norm)
    return np.log(np.fromiter(map(counts.__getitem__, norm), dtype=np.float32, count=n))


def name_like_lines(texts: list[str], words: np.ndarray, capw: np.ndarray, punct: np.ndarray,
               last_bad: np.ndarray) -> np.ndarray:
    ok = (words >= 1) & (words <= 5) & (capw >= np.maximum(words - 1, 1)) & (punct <= 0.08)
    return (ok & ~last_bad).astype(np.float32)


def _shape_features(code: np.ndarray, n: int, native: bool = True) -> dict[str, np.ndarray]:
    """Period of the coarse line shape: the gap to the previous line of the same shape, whether
    it recurs at the same gap after the line, and the shape's share in a window; ``native``: the
    gaps and window counts from the compiled extension when it is built (the same integers)."""
    cap = LF.DIST_CAP
    if native and NC.AVAILABLE:
        gp, gn, num, den = NC.shape_counts(code, LF.SHAPE_WINDOW, cap)
        return _shape_columns(gp, gn, num / den, cap)
    ar = np.arange(n)
    order = np.lexsort((ar, code))
    same = code[order[1:]] == code[order[:-1]]
    prev = np.full(n, -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    prev[order[1:][same]] = order[:-1][same]
    nxt[order[:-1][same]] = order[1:][same]
    gp = np.where(prev >= 0, np.minimum(ar - prev, cap), cap)
    gn = np.where(nxt >= 0, np.minimum(nxt - ar, cap), cap)
    _, inv = np.unique(code, return_inverse=True)
    onehot = np.zeros((n + 1, int(inv.max()) + 1), dtype=np.int32)
    onehot[ar + 1, inv] = 1
    cs = np.cumsum(onehot, axis=0)
    w = LF.SHAPE_WINDOW
    lo, hi = np.maximum(ar - w, 0), np.minimum(ar + w + 1, n)  # np.clip(., 0, n) of each
    share = (cs[hi, inv] - cs[lo, inv] - 1) / np.maximum(hi - lo - 1, 1)
    return _shape_columns(gp, gn, share, cap)


def _shape_columns(gp: np.ndarray, gn: np.ndarray, share: np.ndarray, cap: int) -> dict[str, np.ndarray]:
    return {"shape_gap_prev": np.log1p(gp).astype(np.float32),
            "shape_period_regular": ((gp == gn) & (gp > 1) & (gp < cap)).astype(np.float32),
            "shape_repeat_share": share.astype(np.float32)}


def _gaps(mask: np.ndarray, cap: int, native: bool) -> tuple[np.ndarray, np.ndarray]:
    """Lines back to the previous and on to the next line of ``mask`` (``arrays.dist_prev`` /
    ``dist_next``); ``native``: from the compiled extension when it is built."""
    if native and NC.AVAILABLE:
        return NC.mark_gaps(mask, cap)
    return _dist_prev(mask, cap), _dist_next(mask, cap)


def structure_features(col: dict[str, np.ndarray], words: np.ndarray, blank_before: np.ndarray,
                        n: int, native: bool = True) -> dict[str, np.ndarray]:
    """Comment-structure evidence: date-like lines, empty author slots, the comment-section
    openers above / closers below, distances to name- and date-like lines, shape periods;
    ``native``: the distances and shape counts from the compiled extension when it is built."""
    cap, f32 = LF.DIST_CAP, np.float32
    datey = ((col["numeric_dates"] + col["times"] + col["relative_times"]) > 0) | (
        (col["month_names"] > 0) & (col["digit_share"] > 0))
    datey &= words <= LF.DATE_LINE_MAX_WORDS
    gaps = blank_before[1:]
    med = float(np.median(gaps)) if gaps.size else 0.0
    since = _gaps(col["sig_start"] > 0, 8 * cap, native)[0]
    to_end = _gaps(col["sig_end"] > 0, 8 * cap, native)[1]
    name = col["name_like"] > 0
    prev_name, next_name = _gaps(name, cap, native)
    prev_date, next_date = _gaps(datey, cap, native)
    out = {
        "date_like": datey.astype(f32),
        "extra_blank": np.clip(blank_before - med, -1, 2).astype(f32),
        "after_section_start": (since < 8 * cap).astype(f32),
        "log_since_section_start": np.log1p(since).astype(f32),
        "section_end_below": (to_end < 8 * cap).astype(f32),
        "log_dist_prev_name": np.log1p(prev_name).astype(f32),
        "log_dist_next_name": np.log1p(next_name).astype(f32),
        "log_dist_prev_date": np.log1p(prev_date).astype(f32),
        "log_dist_next_date": np.log1p(next_date).astype(f32),
    }
    bucket = np.searchsorted(np.asarray(LF.SHAPE_WORD_BUCKETS), words, side="right")
    code = bucket * 8 + name * 4 + datey * 2 + (col["ends_sentence"] > 0)
    out.update(_shape_features(code.astype(np.int64), n, native))
    return out
