"""The per-line DOM feature matrix (``DOM_FEATURES`` columns) from one walk's raw context.

The walker (``workers.core.stages.html_walk``) records per line a tuple of ints (its block's
context) and its character/link counts, and per block element its totals; everything here
is a handful of numpy passes over those arrays, never a Python loop over nodes.
"""
from __future__ import annotations

import re
from itertools import chain
from typing import Any

import numpy as np

from workers.core.heuristics import dom_features as D
from workers.core.stages import html_walk as W

N_FEATURES = len(D.DOM_FEATURES)
_COL = D.DOM_FEATURE_INDEX
_CTX = {name: i for i, name in enumerate(W.CTX_FIELDS)}
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]+\s+|\s*::\s*")
_NON_WORD = re.compile(r"[^\w\s]")
# A title part shorter than this is a site-name fragment, not a headline.
MIN_TITLE_KEY = 8
_IP_COLUMNS = (("itemprop_any", W.IP_ANY), ("itemprop_body", W.IP_BODY), ("itemprop_headline", W.IP_HEADLINE),
               ("itemprop_author", W.IP_AUTHOR), ("itemprop_date", W.IP_DATE),
               ("itemprop_comment", W.IP_COMMENT))


def _runs(columns: list[str], bits: list[int]) -> tuple[tuple[int, int, int], ...]:
    """Bit-flag columns as block copies: ``(first column, first bit, end bit)`` for each run of
    consecutive matrix columns fed by consecutive bits (column ``columns[i]`` is bit ``bits[i]``
    of a field), so a page's 0/1 columns are a few slice assignments from ``_bits``."""
    runs: list[list[int]] = []
    for name, bit in zip(columns, bits):
        col = _COL[name]
        if runs and runs[-1][0] + runs[-1][2] - runs[-1][1] == col and runs[-1][2] == bit:
            runs[-1][2] += 1
        else:
            runs.append([col, bit, bit + 1])
    return tuple((c, a, b) for c, a, b in runs)


_FLAG_RUNS = _runs(list(W.FLAG_NAMES), list(range(len(W.FLAG_NAMES))))
_IP_BITS = [bit.bit_length() - 1 for _, bit in _IP_COLUMNS]  # each itemprop kind is one bit
_IP_RUNS = _runs([name for name, _ in _IP_COLUMNS], _IP_BITS)


def empty() -> np.ndarray:
    return np.zeros((0, N_FEATURES), dtype=np.float32)


def title_key(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def title_keys(meta: dict[str, Any]) -> set[str]:
    """Normalised forms of the page's <title>/og:title and of their " | " / " - " parts."""
    keys: set[str] = set()
    for t in (meta.get("title"), meta.get("page_title")):
        if t:
            keys.add(title_key(t))
            for part in _TITLE_SEPARATORS.split(t):
                if len(part) >= MIN_TITLE_KEY:
                    keys.add(title_key(part))
    keys.discard("")
    return keys


def _title_match(lines: list[list], keys: set[str]) -> np.ndarray:
    out = np.zeros(len(lines), dtype=np.float32)
    if not keys:
        return out
    lo = max(MIN_TITLE_KEY, min(len(k) for k in keys) - 4)
    hi = max(len(k) for k in keys) + 12
    # a line's key is its lower-cased text's word runs, so a line whose lower-cased text holds
    # no key's first word has none of the keys (one substring test instead of a key per line)
    firsts = tuple({k.split()[0] for k in keys})
    for i, ln in enumerate(lines):
        text = ln[0]
        if lo <= len(text) <= hi:
            low = text.lower()
            for f in firsts:
                if f in low:
                    if title_key(text) in keys:
                        out[i] = 1.0
                    break
    return out


def _bits(values: np.ndarray, n: int) -> np.ndarray:
    return ((values[:, None] >> np.arange(n, dtype=np.int64)) & 1).astype(np.float32)


def _rows(rows: list, width: int, dtype) -> np.ndarray:
    """``np.array(rows, dtype)`` for a list of equal-length int tuples/lists, read as one flat
    iterator (a third faster than numpy's nested-sequence conversion)."""
    return np.fromiter(chain.from_iterable(rows), dtype=dtype, count=len(rows) * width).reshape(len(rows), width)


def feature_matrix(walker: W.Walker, lines: list[list], keys: set[str]) -> np.ndarray:
    """float32 [len(lines) x len(DOM_FEATURES)] for the lines of one walk (after title marking)."""
    n = len(lines)
    if n == 0:
        return empty()
    ctx = _rows(walker.ctx, len(W.CTX_FIELDS), np.int64)
    counts = _rows(walker.counts, 3, np.float64)
    frames = np.fromiter(walker.frames, dtype=np.int64, count=len(walker.frames)).reshape(-1, W.FRAME_WIDTH)
    out = np.zeros((n, N_FEATURES), dtype=np.float32)

    def put(name: str, values) -> None:
        out[:, _COL[name]] = values

    put("depth", ctx[:, _CTX["depth"]])
    put("block_tag", ctx[:, _CTX["block_code"]])
    put("start_tag", ctx[:, _CTX["start_code"]])
    put("heading_level", ctx[:, _CTX["heading_level"]])
    path = ctx[:, _CTX["path"]]
    put("path_bucket", path % D.PATH_BUCKETS)
    _, inv, cnt = np.unique(path, return_inverse=True, return_counts=True)
    put("path_share", cnt[inv] / n)
    pathc = (path.astype(np.uint64) << np.uint64(32)) | ctx[:, _CTX["class_crc"]].astype(np.uint64)
    _, inv, cnt = np.unique(pathc, return_inverse=True, return_counts=True)
    put("path_class_share", cnt[inv] / n)

    put("link_density", counts[:, 0] / np.maximum(counts[:, 1], 1.0))
    container = frames[ctx[:, _CTX["frame"]], 0]
    c_chars = frames[container, 4].astype(np.float64)
    c_lines = frames[container, 6].astype(np.float64)
    put("container_link_density", frames[container, 5] / np.maximum(c_chars, 1.0))
    put("container_lines", np.log2(1.0 + c_lines))
    put("container_chars_per_line", np.log2(1.0 + c_chars / np.maximum(c_lines, 1.0)))
    put("line_links", np.minimum(counts[:, 2], 15))

    flag_bits = _bits(ctx[:, _CTX["flags"]], len(W.FLAG_NAMES))
    for c, a, b in _FLAG_RUNS:
        out[:, c:c + b - a] = flag_bits[:, a:b]
    put("list_depth", np.minimum(ctx[:, _CTX["lists"]], 4))
    put("table_depth", np.minimum(ctx[:, _CTX["tables"]], 4))
    ip_bits = _bits(ctx[:, _CTX["itemprops"]], max(_IP_BITS) + 1)
    for c, a, b in _IP_RUNS:
        out[:, c:c + b - a] = ip_bits[:, a:b]
    own = ctx[:, _CTX["cls_own"]]
    anc = own | ctx[:, _CTX["cls_1"]] | ctx[:, _CTX["cls_2"]] | ctx[:, _CTX["cls_3"]]
    first = _COL["class_own_0"]
    out[:, first:first + D.CLASS_BUCKETS] = _bits(own, D.CLASS_BUCKETS)
    first = _COL["class_anc_0"]
    out[:, first:first + D.CLASS_BUCKETS] = _bits(anc, D.CLASS_BUCKETS)

    put("rule_html_dom", [ln[1] == W.DOM_REASON for ln in lines])
    put("rule_article_level", ctx[:, _CTX["level"]])
    put("rule_comments", ctx[:, _CTX["comments"]])
    hints = [ln[2] for ln in lines]
    put("rule_comment_author", [h == W.HINT_COMMENT_AUTHOR for h in hints])
    put("rule_title", [h == W.HINT_TITLE for h in hints])
    put("rule_title_marked", [ln[4] for ln in lines])
    put("rule_title_match", _title_match(lines, keys))
    return out
