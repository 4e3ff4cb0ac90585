"""The trained page-kind classifier: a multinomial logistic regression over page-level
evidence (the head's og:type and JSON-LD @types, the URL, the DOM's shape, what the
segment stage kept, and the rules' own verdict), trained by
``python -m workers.training.page_kind_train`` on the WCXB development pages (site-split
validated; figures in the model file and docs/html-and-metadata.md).

Pure and deterministic: ``features`` builds one float vector (names in ``FEATURES``, the
order is the model file's contract), ``predict`` applies the committed weights
(``data/page_kind.json``). Without a model file the rules answer alone.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from workers.core.heuristics import page_kinds as K
from workers.core.stages.printed_times import count_printed_dates
from workers.core.model_file import read_model_file

MODEL_PATH = Path(__file__).resolve().parent / "data" / "page_kind.json"
KIND_NAMES: tuple[str, ...] = tuple(K.KINDS)
_DIGITS = re.compile(r"\d{4,}")
_SENTENCE_END_CHARS = frozenset('.!?…:;"”’)')
_STATS = ("lines", "link_share", "pre_share", "comment_lines", "article_lines")


def _names() -> tuple[str, ...]:
    out = [f"og:{t}" for t in K.OG_FEATURE_TYPES] + ["og:none"]
    out += [f"ldkind:{k}" for k in KIND_NAMES] + [f"ld:{t}" for t in K.LD_FEATURE_TYPES] + ["ld:none"]
    out += [f"host:{k}" for k in KIND_NAMES] + [f"path:{k}" for k in KIND_NAMES]
    out += ["path:article_word", "path_depth", "path_root", "slug_hyphens", "path_digits", "query", "path_ext"]
    out += ["log_lines", "link_share", "pre_share", "log_comment_lines", "article_share"]
    out += ["has_date", "has_author", "head:heading+head", "head:dom", "head:head", "head:none"]
    out += ["log_body_words", "log_paragraphs", "log_comments", "mean_par_words", "price_share", "cart_lines",
            "short_par_share", "sentence_share", "removed_share"]
    out += [f"rule:{k}" for k in KIND_NAMES]
    out += ["link_lines", "slot_share", "log_linked_headings", "log_headings", "linked_heading_share"]
    out += ["log_dates", "date_share", "pagination"]   # a listing's dated entries and page controls
    return tuple(out)


FEATURES: tuple[str, ...] = _names()
_INDEX = {n: i for i, n in enumerate(FEATURES)}


def _url_parts(url: Any) -> tuple[str, list[str], bool]:
    if not isinstance(url, str) or not url:
        return "", [], False
    try:
        p = urlsplit(url)
    except ValueError:
        return "", [], False
    return (p.hostname or "").lower(), [s for s in p.path.lower().split("/") if s], bool(p.query)


def _set(v: np.ndarray, name: str, value: float = 1.0) -> None:
    i = _INDEX.get(name)
    if i is not None:
        v[i] = value


def _num(d: Any, key: str) -> float:
    x = d.get(key) if isinstance(d, dict) else None
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0


def _head_features(v: np.ndarray, meta: dict[str, Any]) -> None:
    og = str(meta.get("og_type") or "").lower()
    _set(v, f"og:{og}" if og in K.OG_FEATURE_TYPES else "og:none")
    types = [t for t in meta.get("ld_types") or [] if isinstance(t, str)]
    for t in types:
        if t in K.LD_TYPE_KIND:
            _set(v, f"ldkind:{K.LD_TYPE_KIND[t]}")
        _set(v, f"ld:{t}")
    if not types:
        _set(v, "ld:none")
    _set(v, "has_date", float(bool(meta.get("published_at") or meta.get("published_at_byline"))))
    _set(v, "has_author", float(bool(meta.get("author"))))
    _set(v, f"head:{meta.get('headline_source') or 'none'}")


def _url_features(v: np.ndarray, url: Any) -> None:
    host, segs, query = _url_parts(url)
    first = host.split(".", 1)[0]
    if first in K.HOST_PREFIX_KIND:
        _set(v, f"host:{K.HOST_PREFIX_KIND[first]}")
    for s in segs[:4]:
        if s in K.URL_SEGMENT_KIND:
            _set(v, f"path:{K.URL_SEGMENT_KIND[s]}")
        if s in K.ARTICLE_PATH_WORDS:
            _set(v, "path:article_word")
    _set(v, "path_depth", min(len(segs), 6) / 6)
    _set(v, "path_root", float(not segs))
    last = segs[-1] if segs else ""
    _set(v, "slug_hyphens", math.log1p(last.count("-") + last.count("_")))
    _set(v, "path_digits", float(bool(_DIGITS.search("/".join(segs)))))
    _set(v, "query", float(query))
    _set(v, "path_ext", float(last.endswith((".html", ".htm", ".php", ".aspx", ".asp"))))


def _text_features(v: np.ndarray, doc: Any) -> None:
    """What the segment stage kept; one regex pass over the joined text per pattern."""
    pars = list(getattr(doc, "body_paragraphs", None) or [])
    n = len(pars)
    body = "\n".join(pars)
    words = len(body.split())
    _set(v, "log_body_words", math.log1p(words))
    _set(v, "log_paragraphs", math.log1p(n))
    _set(v, "log_comments", math.log1p(len(getattr(doc, "comments", None) or [])))
    if n:
        _set(v, "mean_par_words", math.log1p(words / n))
        _set(v, "price_share", min(1.0, sum(body.count(c) for c in K.CURRENCY_SIGNS) / n))
        _set(v, "short_par_share", sum(1 for p in pars if p.count(" ") < 4) / n)
        _set(v, "sentence_share", sum(1 for p in pars if p.rstrip()[-1:] in _SENTENCE_END_CHARS) / n)
    removed = list(getattr(doc, "removed", None) or [])
    low = (body + "\n" + "\n".join(r.text for r in removed)).lower()
    _set(v, "cart_lines", math.log1p(sum(low.count(c) for c in K.CART_PHRASES)))
    total = n + len(removed)
    _set(v, "removed_share", len(removed) / total if total else 0.0)
    _listing_features(v, doc, pars, removed)


_PAGINATION = re.compile(K.PAGINATION, re.I)
# what an ASCII line matching ``_PAGINATION`` holds, lower-cased: one of its opening words
# (``PAGINATION_OPENERS``) at its start, or "page " ("page 2 of 9"); its "«" / "»" are not ASCII.
# A line without either is not searched (the answer is the same: no match), so most removed
# lines skip the pattern
_PAGINATION_INSIDE = "page "


def _pagination(removed: list[Any]) -> bool:
    """A short removed line (``PAGINATION_MAX_CHARS``) that matches ``_PAGINATION``."""
    for r in removed:
        text = r.text
        if len(text) >= K.PAGINATION_MAX_CHARS:
            continue
        text = text.strip()
        if text.isascii():
            low = text.lower()
            if not low.startswith(K.PAGINATION_OPENERS) and _PAGINATION_INSIDE not in low:
                continue
        if _PAGINATION.search(text):
            return True
    return False


def _listing_features(v: np.ndarray, doc: Any, pars: list[str], removed: list[Any]) -> None:
    """The printed full dates outside the comments (a listing prints one per entry: count and
    per page line) and a pagination control among the removed lines."""
    texts = [r.text for r in removed if not r.reason.startswith(K.COMMENT_REASON_PREFIX)] + pars
    dated = count_printed_dates("\n".join(texts))
    lines = max(getattr(doc, "line_count", None) or 1, 1)
    _set(v, "log_dates", math.log1p(dated))
    _set(v, "date_share", dated / lines)
    _set(v, "pagination", float(_pagination(removed)))


def features(meta: dict[str, Any], url: Any, doc: Any, rule_kind: str | None) -> np.ndarray:
    """The page's evidence as one float64 vector in ``FEATURES`` order."""
    v = np.zeros(len(FEATURES), dtype=np.float64)
    _head_features(v, meta)
    _url_features(v, url or meta.get("canonical_url"))
    stats = meta.get("dom_stats")
    lines = _num(stats, "lines")
    _set(v, "log_lines", math.log1p(lines))
    _set(v, "link_share", _num(stats, "link_share"))
    _set(v, "pre_share", _num(stats, "pre_share"))
    _set(v, "log_comment_lines", math.log1p(_num(stats, "comment_lines")))
    _set(v, "article_share", _num(stats, "article_lines") / lines if lines else 0.0)
    # repeated linked entries outside chrome (html_shape.page_shape): teaser grids, product tiles
    _set(v, "link_lines", _num(stats, "link_lines"))
    _set(v, "slot_share", _num(stats, "slot_share"))
    _set(v, "log_linked_headings", math.log1p(_num(stats, "linked_headings")))
    _set(v, "log_headings", math.log1p(_num(stats, "headings")))
    headings = _num(stats, "headings")
    _set(v, "linked_heading_share", _num(stats, "linked_headings") / headings if headings else 0.0)
    _text_features(v, doc)
    if rule_kind:
        _set(v, f"rule:{rule_kind}")
    return v


@functools.lru_cache(maxsize=1)
def load_model(path: str = str(MODEL_PATH)) -> dict[str, Any] | None:
    """The committed model (weights, feature scaling, classes), or None when absent or
    built for another feature list."""
    data = read_model_file(path, FEATURES)
    if data is None:
        return None
    data["_w"] = np.asarray(data["weights"], dtype=np.float64)
    data["_b"] = np.asarray(data["bias"], dtype=np.float64)
    data["_mean"] = np.asarray(data["mean"], dtype=np.float64)
    data["_scale"] = np.asarray(data["scale"], dtype=np.float64)
    return data


def scores(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """Class probabilities (softmax) for one feature vector or a matrix of them."""
    z = ((x - model["_mean"]) / model["_scale"]) @ model["_w"] + model["_b"]
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def predict(meta: dict[str, Any], url: Any, doc: Any, rule_kind: str | None) -> str | None:
    model = load_model()
    if model is None:
        return None
    p = scores(model, features(meta, url, doc, rule_kind))
    return str(model["classes"][int(np.argmax(p))])
