"""The article's headline from the DOM and the head: which heading line gets the "title"
hint, and ``html_meta["headline"]`` (with ``headline_source``), the title the enriched
record carries for HTML input.

Order, most reliable first (measured on WCXB dev pages, see docs/html-and-metadata.md):
1. ``heading+head``: a heading whose text equals the head's title (og:title, JSON-LD
   headline or <title>) once the site's name is cut off: two independent sources agree;
2. ``dom``: the heading the DOM marks as the headline (entry-title, itemprop=headline, the
   page's only <h1>);
3. ``head``: the head's title without its site-name part ("Big news | The Paper").
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from workers.core.stages import html_features as F
from workers.core.stages.html_walk import DOM_REASON, HINT_HEADING, HINT_TITLE

_SEP = re.compile(r"(\s+[|\-–—:·•»/]+\s+|\s*::\s*)")
_SQUASH = re.compile(r"\W+")
# Host labels that never name the site ("www.example.co.uk" -> "example").
_GENERIC_HOST_LABELS = frozenset({"www", "com", "org", "net", "co", "uk", "io", "de", "fr", "edu", "gov", "m"})
# A heading shorter than this (normalised) is too short to confirm a title ("Home").
MIN_AGREE_KEY = 4


def _squash(text: str | None) -> str:
    return _SQUASH.sub("", (text or "").lower())


def _site_words(meta: dict[str, Any]) -> list[str]:
    out = [s for s in (_squash(meta.get("site_name")),) if s]
    url = meta.get("canonical_url")
    if isinstance(url, str):
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        out += [lab for lab in (_squash(x) for x in host.split(".") if x not in _GENERIC_HOST_LABELS) if lab]
    return out


def _site_like(part: str, site: list[str]) -> bool:
    p = _squash(part)
    if not p:
        return True
    return any(p == s or s in p or (len(p) >= 4 and p in s) for s in site)


def head_title(title: str | None, meta: dict[str, Any]) -> str | None:
    """The head's title without the site's name: parts naming the site (site_name, the
    host) are cut from either end, then a last " | part" (the usual site suffix)."""
    if not title:
        return None
    toks = _SEP.split(title)
    parts, seps = toks[0::2], toks[1::2]
    if len(parts) == 1:
        return title
    site = _site_words(meta)
    while len(parts) > 1 and _site_like(parts[-1], site):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and _site_like(parts[0], site):
        parts.pop(0)
        seps.pop(0)
    if len(parts) > 1 and "|" in seps[-1]:
        parts.pop()
        seps.pop()
    out = parts[0]
    for sep, part in zip(seps, parts[1:]):
        out += sep + part
    return out.strip() or None


def mark_title(lines: list[list], keys: set[str]) -> None:
    """Hint "title" on the article's headline when the DOM makes it clear: a heading
    marked as the entry title (class entry-title, itemprop=headline, ...), else the only
    <h1> of the page, else the heading that repeats the page's <title>/og:title (the
    <title> usually adds " | Site Name"). A headline the DOM had put inside page chrome
    (a hero <header>) but that repeats the page title is the headline: its reason is
    cleared."""
    marked = [ln for ln in lines if ln[4] and ln[1] is None and ln[2] == HINT_HEADING]
    if marked:
        marked[0][2] = HINT_TITLE
        return
    h1s = [ln for ln in lines if ln[3] and ln[1] is None and ln[2] == HINT_HEADING]
    if len(h1s) == 1:
        h1s[0][2] = HINT_TITLE
        return
    if not keys:
        return
    for ln in lines:
        if ln[2] != HINT_HEADING or ln[1] not in (None, DOM_REASON):
            continue
        k = F.title_key(ln[0])
        if len(k) >= F.MIN_TITLE_KEY and k in keys:
            ln[2] = HINT_TITLE
            ln[1] = None
            return


def headline(lines: list[list], meta: dict[str, Any]) -> tuple[str | None, str | None]:
    """(headline, source) of the page; see the module docstring for the order."""
    heads = [h for h in (head_title(meta.get(k), meta) for k in ("title", "page_title")) if h]
    keys = {F.title_key(h) for h in heads}
    keys = {k for k in keys if len(k) >= MIN_AGREE_KEY}
    dom = None
    for ln in lines:
        hint = ln[2]
        if hint not in (HINT_HEADING, HINT_TITLE):
            continue
        if keys and F.title_key(ln[0]) in keys:
            return ln[0], "heading+head"
        if hint == HINT_TITLE and dom is None:
            dom = ln[0]
    if dom:
        return dom, "dom"
    if heads:
        return heads[0], "head"
    return None, None
