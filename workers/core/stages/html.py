"""HTML input: raw HTML -> WET-like lines (one per block), per-line DOM features, head metadata.

Parsing uses Lexbor, a spec-conformant, error-tolerant C HTML5 parser (the WHATWG tree
construction, so broken markup parses the way a browser parses it), through selectolax's
binding. Lexbor is the parser Resiliparse's ``extract_plain_text`` uses too, so our lines
look like a WET record: every visible text block on its own line, navigation, footers and
comments included.

We walk the DOM ourselves (``workers.core.stages.html_walk``) instead of calling a text extractor
because the strip stage needs to know, per line, *where* in the DOM the text came from. The
modules, one job each:

* ``html_walk``: the one-pass walk (lines, hints, per-line context);
* ``native_walk``: the same walk's traversal in C (``_domwalk.c``) when it is built;
* ``html_chrome``: the DOM rules' verdict on an element (reason ``html-dom``);
* ``html_features``: the per-line DOM feature matrix (``workers.core.heuristics.dom_features``);
* ``html_meta``: head metadata (``html_meta``);
* ``html_select``: the whole-tree selector queries, several in one walk;
* ``html_title``: the headline (title hint, ``html_meta["headline"]``);
* this module: the public API, the article's <time> date, the page's shape.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from topics.records import Line
from workers.core.stages import html_features as F
from workers.core.stages import native_walk
from workers.core.stages.html_comment_authors import comment_authors
from workers.core.stages.html_meta import comment_times, norm_date, read_meta
from workers.core.stages.html_select import Page
from workers.core.stages.html_shape import page_shape
from workers.core.stages.html_title import headline, mark_title, title_candidates
from workers.core.stages.html_walk import (DOM_REASON, HINT_COMMENT_AUTHOR, HINT_COMMENTS, HINT_HEADING,  # noqa: F401
                                      HINT_LIST_ITEM, HINT_TITLE, MAX_SUBTREE_CHECKS, FLAG_BIT, Walker)

# A <time> outside any article markup dates the article only in the top part of the page.
TIME_TOP_SHARE = 0.5


# Lexbor's tree builder scans the stack of open elements for many start tags, so its cost
# grows with (start tags x nesting depth): 16,000 nested <div>s take a second, 100,000 a
# minute. Above this much work (sum of the open-element depth at each start tag, ~0.8 s at
# worst; 99 % of the dev pages stay below 10^6) the page is flattened by Resiliparse's linear-time extractor instead,
# without DOM evidence.
MAX_NESTING_WORK = 100_000_000
# Start tags that open an element (not void, not closed implicitly by the next sibling).
_NESTING_TAG = re.compile(r"<(/?)(?!(?:p|li|dt|dd|td|th|tr|option|optgroup|br|img|input|meta|link|hr|area|"
                          r"base|col|embed|source|track|wbr|param|keygen|image|rb|rt|rp)[\s/>])[a-zA-Z]")
_DELTA = {"": 1, "/": -1}


def nesting_work(html: str) -> int:
    """Sum over start tags of the nesting depth they open at (an upper-bound estimate of
    the tree builder's scope scans). Cheap: 0 without a scan when the page has too few
    tags to reach ``MAX_NESTING_WORK``."""
    n = html.count("<")
    if n * n // 2 <= MAX_NESTING_WORK:
        return 0
    found = _NESTING_TAG.findall(html)
    if not found:
        return 0
    step = np.fromiter(map(_DELTA.__getitem__, found), dtype=np.int64, count=len(found))
    total = np.cumsum(step)
    depth = total - np.minimum(np.minimum.accumulate(total), 0)  # stray end tags do not go below 0
    return int(depth[step > 0].sum())


def _fallback_lines(html: str) -> list[list]:
    """Lines of a pathologically nested page, from Resiliparse (linear time, no DOM rules)."""
    from resiliparse.extract.html2text import extract_plain_text
    text = extract_plain_text(html, preserve_formatting=True, main_content=False, alt_texts=False,
                              links=False, list_bullets=False, noscript=True)
    out = []
    for raw in text.split("\n"):
        t = " ".join(raw.split())
        if t:
            out.append([t, None, None, False, False])
    return out


def _walk(html: str) -> tuple[Walker, dict[str, Any], set[str]]:
    tree = Page(LexborHTMLParser(html))  # the whole-tree queries answered by group (html_select)
    meta = read_meta(tree)
    root = tree.body
    if root is None:
        root = tree.root
    w = Walker(root)
    if root is not None:
        native_walk.walk(w, root)  # the compiled walk when built, else w.walk(root)
    keys = F.title_keys(meta)
    mark_title(w.lines, keys)
    meta["headline"], meta["headline_source"] = headline(w.lines, meta)
    if meta["headline"] is None:
        del meta["headline"], meta["headline_source"]
    meta["title_candidates"] = title_candidates(w.lines, meta)
    _time_date(w, meta)
    if any(t[2] for t in w.times):
        meta["comment_times"] = comment_times(w.times)  # a comment header's <time datetime> (segment)
    authors = comment_authors(tree, w.lines)
    if authors:
        meta["comment_authors"] = authors  # a comment's author element and its line (segment)
    meta["dom_stats"] = {**_dom_stats(w), **page_shape(w)}  # html_shape: the page kind's repeated entries
    return w, meta, keys


def _time_date(w: Walker, meta: dict[str, Any]) -> None:
    """``published_at`` from a ``<time datetime>`` of the article when the head has none:
    the first one inside the article (else inside <main>, else in the top half of a page
    without article markup), never inside a comment section or page chrome."""
    if meta.get("published_at") or not w.times:
        return
    n = max(len(w.lines), 1)
    for want in (2, 1, 0):
        for value, level, comments, reason, line in w.times:
            if comments or reason is not None or level != want:
                continue
            if want == 0 and (line > TIME_TOP_SHARE * n or any(t[1] for t in w.times)):
                continue
            d = norm_date(value)
            if d:
                meta["published_at"] = d
                meta["published_at_source"] = "time-element"
                return


def _dom_stats(w: Walker) -> dict[str, Any]:
    """Page-level shape for the page kind: lines, link share of the text, share of lines in
    code blocks, lines in comment sections, lines inside the article."""
    ctx = w.ctx
    pre = FLAG_BIT["anc_pre"]
    return {
        "lines": len(ctx),
        "link_share": round(w.link_chars / w.chars, 4) if w.chars else 0.0,
        "pre_share": round(sum(1 for c in ctx if c[0] & pre) / len(ctx), 4) if ctx else 0.0,
        "comment_lines": sum(c[-1] for c in ctx),
        "article_lines": sum(1 for c in ctx if c[-2] == 2),
    }


def _to_lines(raw: list[list]) -> list[Line]:
    return [Line(i, t, 0, r, h) for i, (t, r, h, _a, _b) in enumerate(raw)]  # (n, text, blank_before, reason, hint)


def html_page(html: str) -> tuple[list[Line], np.ndarray, dict[str, Any]]:
    """The page as ``Line`` records (one per visible block, no blank lines, WET style; the
    same lines as ``flatten_html_lines``), a float32 matrix of per-line DOM features
    (``len(lines) x len(DOM_FEATURES)``, columns named in ``workers.core.heuristics.dom_features``),
    and ``html_meta``."""
    if not html or html.isspace():  # (as strip() to nothing, without a copy of the page)
        return [], F.empty(), {}
    if nesting_work(html) > MAX_NESTING_WORK:
        raw = _fallback_lines(html)
        return _to_lines(raw), np.full((len(raw), F.N_FEATURES), np.nan, dtype=np.float32), {}
    w, meta, keys = _walk(html)
    return _to_lines(w.lines), F.feature_matrix(w, w.lines, keys), meta


def flatten_html_lines(html: str) -> tuple[list[Line], dict[str, Any]]:
    """The page as ``Line`` records (one per visible block, no blank lines, WET style),
    with ``reason="html-dom"`` on lines the DOM proves are page chrome and structural
    ``hint``s, plus ``html_meta``."""
    if not html or html.isspace():
        return [], {}
    if nesting_work(html) > MAX_NESTING_WORK:
        return _to_lines(_fallback_lines(html)), {}
    w, meta, _keys = _walk(html)
    return _to_lines(w.lines), meta


def flatten_html(html: str) -> tuple[str, dict[str, Any]]:
    """WET-like plain text: every visible text block on its own line (navigation,
    footers and comments included; scripts, styles and hidden elements dropped),
    plus ``html_meta`` (see ``workers.core.stages.html_meta.read_meta``)."""
    if not html or html.isspace():
        return "", {}
    if nesting_work(html) > MAX_NESTING_WORK:
        return "\n".join(ln[0] for ln in _fallback_lines(html)), {}
    w, meta, _keys = _walk(html)
    return "\n".join(ln[0] for ln in w.lines), meta
