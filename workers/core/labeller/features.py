"""Per-page feature matrix of the trained line labeller (lines x features, float32).

Computed in a few vectorised passes over the whole page: the page's text as one array of
code points (character classes, words, capitals per line by ``np.bincount``), whole-text
regex scans for dates and times mapped to lines by ``np.searchsorted``, one token scan for
stopwords, then windows and moving averages as array shifts and cumulative sums. The
rule labeller's verdicts and signature hits enter as evidence columns. Names, vocabularies
and reasons are data in ``workers.core.heuristics.line_features``.
"""
from __future__ import annotations

import math
from itertools import repeat
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from workers.core.heuristics import line_features as LF
from workers.core.heuristics.dom_features import DOM_FEATURES as _DOM_COLUMNS
from workers.core.labeller.arrays import padded as _padded, shift as _shift, small_rows as _small_rows
from workers.core.labeller.arrays import smooth_sums as _smooth_sums, stack as _stack
from workers.core.labeller.arrays import stack_into as _stack_into
from workers.core.labeller.rows import PageRows
from workers.core.labeller.dom_context import DOM_CONTEXT_FEATURES, dom_context as _dom_context
from workers.core.labeller.span import span_columns as _span_columns
from workers.core.labeller.text_columns import (SCANS, char_features, log_repeat, lower_page, name_like_lines,
                                                 scan_lines, stop_features, structure_features)


@dataclass(slots=True)
class Evidence:
    """What the rule labeller says about each line (all lists have one entry per line)."""
    reasons: Sequence[str | None]
    roles: Sequence[str | None]
    template: Sequence[bool]
    prose: Sequence[bool]
    sig_page: Sequence[int]      # 0 none, 1 strong, 2 weak
    sig_comment: Sequence[bool]
    sig_author: Sequence[bool]
    dateline: Sequence[bool]
    sig_role: Sequence[str | None]
    dom_removed: Sequence[bool]
    dom_hints: Sequence[str | None] = ()


def _rule_columns() -> list[str]:
    return ([f"rule_group_{g}" for g in LF.RULE_GROUPS] + [f"rule_role_{r}" for r in LF.RULE_ROLES]
            + ["rule_kept", "rule_comment"])


# DOM columns of the html stage's ``html_page`` matrix (HTML input); NaN for text input
# (LightGBM sends a missing value down its learned default branch)
DOM_FEATURES: tuple[str, ...] = tuple(f"dom:{c}" for c in _DOM_COLUMNS)
def feature_names(dom: Sequence[str] = DOM_FEATURES) -> list[str]:
    """Column names; ``dom``: the DOM columns (empty: a matrix without DOM columns nor their context)."""
    base = list(LF.BASE) + _rule_columns()
    win = [f"{c}@{o:+d}" for o in LF.WINDOW_OFFSETS for c in LF.WINDOW_COLUMNS]
    smooth = [f"{c}~{w}" for w in LF.SMOOTH_WIDTHS for c in LF.SMOOTH_COLUMNS]
    context = list(DOM_CONTEXT_FEATURES) if dom else []
    return base + win + smooth + list(LF.PAGE) + list(LF.SPAN) + list(dom) + context


_BASE_NAMES = list(LF.BASE) + _rule_columns()
_NB = len(_BASE_NAMES)
_NW = _NB + len(LF.WINDOW_OFFSETS) * len(LF.WINDOW_COLUMNS)
_NS = _NW + len(LF.SMOOTH_WIDTHS) * len(LF.SMOOTH_COLUMNS)
_NP = _NS + len(LF.PAGE)
_NX = _NP + len(LF.SPAN)  # the main prose span's columns (span.py)
_LINK_DENSITY = list(_DOM_COLUMNS).index("link_density")



_GROUP_ID = {g: i for i, g in enumerate(LF.RULE_GROUPS)}
_REASON_GID = {r: _GROUP_ID[g] for g, rs in LF.RULE_GROUPS.items() for r in rs}
_REASON_GID_NONE: dict[str | None, int] = {None: 0, **_REASON_GID}  # None = kept (group 0)
_ROLE_ID = {r: i for i, r in enumerate(LF.RULE_ROLES)}
_SIG_ROLE_ID = {"start": 1, "end": 2}
_HINT_ID = {h: i for i, h in enumerate(LF.DOM_HINTS)}


# one-hot rows: a line's group / role / hint id picks its row (row 0 of roles and hints: none)
_GROUP_ROWS = np.eye(len(_GROUP_ID), dtype=np.float32)
_ROLE_ROWS = np.eye(len(_ROLE_ID) + 1, dtype=np.float32)[:, 1:]
_HINT_ROWS = np.eye(len(_HINT_ID) + 1, dtype=np.float32)[:, 1:]
_FLAGS = ("rule_template", "rule_prose", "sig_comment", "sig_author", "sig_dateline", "dom_removed")


def _rule_features(ev: Evidence, n: int) -> dict[str, np.ndarray]:
    """The rule evidence columns (float32 0/1): each id's column is a column of its one-hot
    rows (the same values as ``(id == i)`` cast), the flags one array of the lists (read as
    bytes when they are lists of bools: the same values as ``np.array`` of them)."""
    other = _GROUP_ID["other"]
    gid = np.fromiter(map(_REASON_GID_NONE.get, ev.reasons, repeat(other)), dtype=np.int8, count=n)
    rid = np.fromiter(map(_ROLE_ID.get, ev.roles, repeat(-1)), dtype=np.int8, count=n)
    hid = (np.fromiter(map(_HINT_ID.get, ev.dom_hints, repeat(-1)), dtype=np.int8, count=n)
           if len(ev.dom_hints) else np.full(n, -1, dtype=np.int8))
    groups, roles, hints = _GROUP_ROWS[gid], _ROLE_ROWS[rid + 1], _HINT_ROWS[hid + 1]
    out: dict[str, np.ndarray] = {f"rule_group_{g}": groups[:, i] for g, i in _GROUP_ID.items()}
    out.update((f"rule_role_{r}", roles[:, i]) for r, i in _ROLE_ID.items())
    out.update((name, hints[:, _HINT_ID[hint]]) for hint, name in LF.DOM_HINTS.items())
    out["rule_kept"] = out["rule_group_kept"]
    out["rule_comment"] = ((gid == _GROUP_ID["comment"]) | (rid >= _ROLE_ID["comment-author"])).astype(np.float32)
    lists = [ev.template, ev.prose, ev.sig_comment, ev.sig_author, ev.dateline, ev.dom_removed]
    flags = _small_rows(lists, n, np.float32).reshape(len(_FLAGS), n)
    out.update(zip(_FLAGS, flags.astype(np.float32, copy=False)))
    sp = _small_rows([ev.sig_page], n, np.int8)[0]
    out["sig_page"] = (sp > 0).astype(np.float32)
    out["sig_weak"] = (sp == 2).astype(np.float32)
    sr = np.fromiter(map(_SIG_ROLE_ID.get, ev.sig_role, repeat(0)), dtype=np.int8, count=n)
    out["sig_start"] = (sr == 1).astype(np.float32)
    out["sig_end"] = (sr == 2).astype(np.float32)
    return out


# a page of at least this many lines fills its base columns one at a time (bench/memory_pages.py:
# the one-call stack's float64 intermediate is ~30 MB on a 4 MB page; per column costs ~0.1 ms)
LARGE_PAGE_LINES = 5000
_WIDTH: dict[tuple, int] = {}  # DOM column names -> the matrix's column count (feature_names)


def _width(dom_names: Sequence[str]) -> int:
    """The matrix's column count for these DOM columns (from their names, built once)."""
    key = tuple(dom_names)  # (a tuple: itself)
    width = _WIDTH.get(key)
    if width is None:
        width = _WIDTH[key] = len(feature_names(key))
    return width


def page_rows(texts: list[str], blank_before: Sequence[int], ev: Evidence,
              dom: np.ndarray | None = None, dom_names: Sequence[str] = DOM_FEATURES,
              base_out: np.ndarray | None = None, native: bool = True) -> PageRows:
    """The parts of ``page_features``' matrix (``rows.PageRows``); ``base_out``: where the base
    columns go (lines x _NB float32, e.g. the whole matrix's first columns); ``native``: count
    with the compiled extension when it is built (False: the numpy reference; the same matrix)."""
    n = len(texts)
    col = _columns(texts, blank_before, ev, dom, n, native)
    base = np.empty((n, _NB), dtype=np.float32) if base_out is None else base_out
    if n < LARGE_PAGE_LINES:
        base[:] = _stack([col[c] for c in _BASE_NAMES])
    else:  # the same values, without a (lines x columns) float64 intermediate
        _stack_into(base, [col[c] for c in _BASE_NAMES])
    words, stop = col.pop("_words"), col["stop_share"]
    return PageRows(
        base=base,
        padded=_padded(_stack([col[c] for c in LF.WINDOW_COLUMNS])),
        sums=_smooth_sums(_stack([col[c] for c in LF.SMOOTH_COLUMNS])),
        page=_stack([col[c] for c in LF.PAGE]),
        span=_span_columns(words, col["ends_sentence"], stop, None if dom is None else dom[:, _LINK_DENSITY]),
        dom=dom if dom_names else None,
        context=_dom_context(dom, native) if dom_names and dom is not None else None,
        width=_width(dom_names), dom_width=len(dom_names), bounds=(_NB, _NW, _NS, _NP, _NX))


def _columns(texts: list[str], blank_before: Sequence[int], ev: Evidence, dom: np.ndarray | None,
             n: int, native: bool) -> dict[str, np.ndarray]:
    """Every named column of the page (base, window and smooth sources, page), plus its word
    counts as ``_words``; ``native``: the counts from the compiled extension when it is built."""
    text = "\n".join(texts)
    col: dict[str, np.ndarray] = char_features(texts, text, n, native)
    words, starts_b = col["_words"], col.pop("_starts_b")
    text_b = text.encode("utf-8", "surrogatepass")
    col.update(scan_lines(SCANS, text_b, starts_b, n))
    lower = lower_page(texts, text, native)
    stop, stop_any, conf = stop_features(lower, n, native)
    col["stop_share"], col["stop_share_any"] = stop, stop_any
    blanks = _small_rows([blank_before], n, np.float32)[0].astype(np.float32, copy=False)
    bb = np.minimum(blanks, 3)
    col["blank_before"] = bb
    col["blank_after"] = _shift(bb, 1)
    ar = np.arange(n, dtype=np.float32)
    col["rel_pos"] = ar / max(n - 1, 1)
    cw = np.cumsum(words) - words
    col["rel_word_pos"] = cw / max(float(words.sum()), 1.0)
    col["log_lines_to_end"] = np.log1p(n - 1 - ar)
    col["log_repeat"] = log_repeat(lower, n, native)
    last_bad = (col["ends_sentence"] + col["ends_colon"] + col["ends_other"]) > 0
    col["name_like"] = name_like_lines(texts, words, col["cap_word_share"] * words, col["punct_share"], last_bad)
    col.update(_rule_features(ev, n))
    col.update(structure_features(col, words, blanks, n, native))
    col["page_log_lines"] = np.full(n, math.log1p(n), dtype=np.float32)
    col["page_rule_comment_share"] = np.full(n, float(col["rule_comment"].mean()), dtype=np.float32)
    col["page_author_lines"] = np.full(n, math.log1p(float(col["sig_author"].sum())), dtype=np.float32)
    col["page_lang_conf"] = np.full(n, conf, dtype=np.float32)
    return col


def page_features(texts: list[str], blank_before: Sequence[int], ev: Evidence,
                  dom: np.ndarray | None = None, dom_names: Sequence[str] = DOM_FEATURES,
                  native: bool = True) -> np.ndarray:
    """The (lines x features) float32 matrix of one page, columns in ``feature_names(dom_names)``;
    ``native``: as ``page_rows``."""
    n = len(texts)
    X = np.empty((n, _width(dom_names)), dtype=np.float32)
    if n == 0:
        return X
    return page_rows(texts, blank_before, ev, dom, dom_names, base_out=X[:, :_NB], native=native).rows(0, n, out=X)
