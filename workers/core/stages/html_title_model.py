"""The trained title chooser: which of a page's title candidates (``html_meta
["title_candidates"]``, built by ``html_title.title_candidates``: the head's og:title and
<title>, with and without the site's name, the first <h1>, the marked entry title, ...) is
the article's title. A linear score per candidate (its sources, how many sources agree on
it, its length, whether it names the site, how it relates to the other candidates, whether
the body repeats it, how much of the URL's slug it covers), ranked by a
small LightGBM ranker (lambdarank, 7 leaves, 100 trees); trained by ``python -m workers.training.title_train`` on the WCXB development pages
(site-split validated; figures in the model file and docs/html-and-metadata.md).

Pure and deterministic; without a model file (or one built for another feature list)
``choose`` returns None and the rules' headline stands.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from workers.core.code_points import code_points, pattern_table
from workers.core.model_file import read_model_file
from workers.core.stages import html_features as F
from workers.core.stages.html_title import DERIVED_FROM, _site_like, _site_words

MODEL_PATH = Path(__file__).resolve().parent / "data" / "title_chooser.json"
# candidate sources (html_title.title_candidates), one indicator each
SOURCES: tuple[str, ...] = ("og", "title", "og_cut", "title_cut", "og_first", "title_first", "rule", "marked",
                            "h1", "h1_any", "hint", "heading", "og_rest", "title_rest", "og_last", "title_last",
                            "og_init", "title_init", "site_name") + tuple(
    f"{s}_{k}" for s in DERIVED_FROM for k in ("kicker", "site", "paren"))
# No page-kind features (the kind and its crosses with the sources, until round 2): WCXB dev,
# site-split out of fold, mean of 5 fold splits: 0.812 with them, 0.820 without; with them
# every page-kind retrain moved the titles
_SEP = re.compile(r"\s+[|\-–—:·•»/]+\s+|\s*::\s*")
_URL_WORD = re.compile(r"[a-z0-9]+")
# body words compared with a candidate (the body's opening)
BODY_WORDS = 300


# Page columns, the same on every candidate row: what the head's markup and the DOM's shape say
# about the page (an article keeps its <h1>, a landing page's <h1> is a slogan), read from the
# html stage's meta only, never from the line labeller, so a labeller retrain does not move them
# (WCXB dev, mean of 10 site-split fold splits: 0.8175 without, 0.8189 with)
PAGE_FEATURES: tuple[str, ...] = ("pg:og_article", "pg:ld_article", "pg:ld_product", "pg:article_share",
                                  "pg:link_share", "pg:linked_headings", "pg:date", "pg:author")
# JSON-LD @type words (lower case) naming an article or a post, and a product
LD_ARTICLE_WORDS: tuple[str, ...] = ("article", "posting")
LD_PRODUCT_WORDS: tuple[str, ...] = ("product",)


def page_row(meta: dict[str, Any]) -> list[float]:
    """The ``PAGE_FEATURES`` of a page (its ``html_meta``)."""
    ds = meta.get("dom_stats") if isinstance(meta.get("dom_stats"), dict) else {}
    types = [str(t).lower() for t in (meta.get("ld_types") or []) if isinstance(t, str)]
    lines = max(float(ds.get("lines") or 0), 1.0)
    return [float(str(meta.get("og_type") or "").lower() == "article"),
            float(any(w in t for t in types for w in LD_ARTICLE_WORDS)),
            float(any(w in t for t in types for w in LD_PRODUCT_WORDS)),
            float(ds.get("article_lines") or 0) / lines, float(ds.get("link_share") or 0.0),
            float(ds.get("linked_headings") or 0) / max(float(ds.get("headings") or 0), 1.0),
            float(bool(meta.get("published_at"))), float(bool(meta.get("author")))]


def _names() -> tuple[str, ...]:
    out = [f"src:{s}" for s in SOURCES]
    out += ["n_sources", "n_head", "n_dom", "log_words", "one_word", "long", "has_sep", "site_word", "upper",
            "prefix_of_other", "contains_other", "in_other", "pos", "no_pos", "body_share", "body_first",
            "n_candidates", "rule_src:heading+head", "rule_src:dom", "rule_src:head", "rule_final", "url_share",
            "slug_cover", "f1_head", "f1_dom"]
    out += list(PAGE_FEATURES)
    return tuple(out)


FEATURES: tuple[str, ...] = _names()
_INDEX = {n: i for i, n in enumerate(FEATURES)}
_HEAD = frozenset({"og", "title", "og_cut", "title_cut", "og_first", "title_first"})
_DOM = frozenset({"marked", "h1", "h1_any", "hint", "heading"})


def _valid(cands: Any) -> list[list]:
    if not isinstance(cands, list):
        return []
    return [c for c in cands if isinstance(c, list) and len(c) == 3 and isinstance(c[0], str)
            and isinstance(c[1], list)]


def _url_words(url: Any) -> tuple[set[str], set[str]]:
    """The words of the URL's path, and of its last path segment (the slug)."""
    if not isinstance(url, str):
        return set(), set()
    try:
        path = urlsplit(url).path if "//" in url else url
    except ValueError:  # an unparsable URL ("https://[::1/"): no URL words, as the other URL readers
        return set(), set()
    segs = [s for s in path.lower().split("/") if s]
    words = set(_URL_WORD.findall(path.lower()))
    return words, set(_URL_WORD.findall(segs[-1])) if segs else set()


def _f1_counted(a: Counter, len_a: int, b: Counter, len_b: int) -> float:
    """Token F1 of two word lists from their counts and lengths (each list counted once per page)."""
    common = sum((a & b).values())
    return 2 * common / (len_a + len_b) if common else 0.0


# body characters read for the body's words (BODY_WORDS of them)
BODY_CHARS = 4000
# the characters ``html_features.title_key`` keeps (a word or a space character: its
# ``_NON_WORD`` blanks every other), per BMP code point, read from the pattern itself
_KEPT = ~pattern_table(F._NON_WORD)


def _body_words(body: str) -> list[str]:
    """``F.title_key(body[:BODY_CHARS]).split()[:BODY_WORDS]``: the lower-cased text with each
    character ``title_key`` blanks made a space, split. The blanking is one array pass over
    the code points (a text above the BMP: the pattern), instead of the pattern trying every
    position; ``title_key``'s join and the split after it give the split's words."""
    text = body[:BODY_CHARS].lower()
    cp = code_points(text)
    if cp.size and int(cp.max()) < _KEPT.size:
        text = np.where(_KEPT[cp], cp, np.uint32(32)).astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    else:
        text = F._NON_WORD.sub(" ", text)
    return text.split()[:BODY_WORDS]


def features(cands: list[list], meta: dict[str, Any], body: str, url: Any = None,
             rule: str | None = None) -> np.ndarray:
    """One row per candidate (columns ``FEATURES``)."""
    x = np.zeros((len(cands), len(FEATURES)), dtype=np.float64)
    keys = [F.title_key(c[0]) for c in cands]
    rule_key = F.title_key(rule) if rule else None
    url_words, slug = _url_words(url if isinstance(url, str) else meta.get("canonical_url"))
    head_keys = [k.split() for c, k in zip(cands, keys) if set(c[1]) & _HEAD]
    dom_keys = [k.split() for c, k in zip(cands, keys) if set(c[1]) & _DOM]
    head_counts = [(o, Counter(o), len(o)) for o in head_keys]
    dom_counts = [(o, Counter(o), len(o)) for o in dom_keys]
    site = _site_words(meta)
    body_words = _body_words(body)
    body_set, body_head = set(body_words), " ".join(body_words[:40])
    rsrc = meta.get("headline_source")
    if len(cands):
        x[:, _INDEX[PAGE_FEATURES[0]]:_INDEX[PAGE_FEATURES[-1]] + 1] = page_row(meta)
    for i, (c, key) in enumerate(zip(cands, keys)):
        v = x[i]
        srcs = {s for s in c[1] if s in SOURCES}
        for s in srcs:
            v[_INDEX[f"src:{s}"]] = 1.0
        words = key.split()
        v[_INDEX["n_sources"]] = len(srcs)
        v[_INDEX["n_head"]] = len(srcs & _HEAD)
        v[_INDEX["n_dom"]] = len(srcs & _DOM)
        v[_INDEX["log_words"]] = math.log1p(len(words))
        v[_INDEX["one_word"]] = float(len(words) <= 1)
        v[_INDEX["long"]] = float(len(words) > 14)
        v[_INDEX["has_sep"]] = float(bool(_SEP.search(c[0])))
        v[_INDEX["site_word"]] = float(any(_site_like(p, site) for p in _SEP.split(c[0])) if site else 0.0)
        letters = [ch for ch in c[0] if ch.isalpha()]
        v[_INDEX["upper"]] = float(len(letters) > 3 and all(ch.isupper() for ch in letters))
        others = [o for j, o in enumerate(keys) if j != i and o]
        v[_INDEX["prefix_of_other"]] = float(any(o != key and o.startswith(key) for o in others))
        v[_INDEX["contains_other"]] = float(any(o != key and o in key for o in others))
        v[_INDEX["in_other"]] = float(any(o != key and key in o for o in others))
        pos = c[2] if isinstance(c[2], (int, float)) else -1.0
        v[_INDEX["pos"]] = max(float(pos), 0.0)
        v[_INDEX["no_pos"]] = float(pos < 0)
        v[_INDEX["body_share"]] = sum(w in body_set for w in words) / len(words) if words else 0.0
        v[_INDEX["body_first"]] = float(bool(key) and key in body_head)
        v[_INDEX["n_candidates"]] = len(cands)
        if f"rule_src:{rsrc}" in _INDEX:
            v[_INDEX[f"rule_src:{rsrc}"]] = 1.0
        v[_INDEX["rule_final"]] = float(key == rule_key)
        if words:
            v[_INDEX["url_share"]] = sum(w in url_words for w in words) / len(words)
        if slug:
            v[_INDEX["slug_cover"]] = len(slug & set(words)) / len(slug)
        counted = Counter(words)
        v[_INDEX["f1_head"]] = max((_f1_counted(counted, len(words), c, n) for o, c, n in head_counts if o != words),
                                   default=0.0)
        v[_INDEX["f1_dom"]] = max((_f1_counted(counted, len(words), c, n) for o, c, n in dom_counts if o != words),
                                  default=0.0)
    return x


@functools.lru_cache(maxsize=1)
def load_model(path: str = str(MODEL_PATH)) -> dict[str, Any] | None:
    """The committed ranker (a LightGBM model string in the JSON file), or None when absent
    or built for another feature list."""
    data = read_model_file(path, FEATURES)
    if data is None:
        return None
    from workers.core.lgb import lightgbm

    data["_booster"] = lightgbm().Booster(model_str=data["model"])
    return data


def scores(model: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """One score per candidate row (higher = more likely the title)."""
    return np.asarray(model["_booster"].predict(x, num_threads=1), dtype=np.float64)


def choose(meta: dict[str, Any], body: str, url: Any = None, rule: str | None = None) -> str | None:
    """The chosen title among ``meta["title_candidates"]`` (``rule``: the rules' answer), or
    None (no model, no candidate)."""
    cands = _valid(meta.get("title_candidates"))
    model = load_model()
    if model is None or not cands:
        return None
    s = scores(model, features(cands, meta, body, url, rule))
    return cands[int(np.argmax(s))][0]
