"""Page kind (``metadata.page_kind``) of an HTML page from its markup: JSON-LD ``@type``,
``og:type``, the URL's section names and the DOM's shape. Rules only (no trained model);
the evidence is named data in ``workers.core.heuristics.page_kinds``.

Returns ``(kind, source)``, source one of ``json-ld``, ``og``, ``url``, ``structure``,
``default``; ``(None, None)`` for input without HTML metadata (plain text).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from workers.core.heuristics import page_kinds as K

# JSON-LD / og kinds that name the page outright, in order of strength
_STRONG = ("forum", "product", "documentation", "collection", "listing")


def _ld_kinds(meta: dict[str, Any]) -> set[str]:
    types = meta.get("ld_types") or []
    return {K.LD_TYPE_KIND[t] for t in types if isinstance(t, str) and t in K.LD_TYPE_KIND}


def _url_kind(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    first = host.split(".", 1)[0]
    if first in K.HOST_PREFIX_KIND:
        return K.HOST_PREFIX_KIND[first]
    for seg in parts.path.lower().split("/")[:4]:
        if seg in K.URL_SEGMENT_KIND:
            return K.URL_SEGMENT_KIND[seg]
    return None


def _structure_kind(stats: dict[str, Any]) -> str | None:
    lines = stats.get("lines") or 0
    if not lines:
        return None
    if stats.get("pre_share", 0) >= K.DOC_PRE_SHARE:
        return "documentation"
    if lines >= K.LISTING_MIN_LINES and stats.get("link_share", 0) >= K.LISTING_LINK_SHARE:
        return "listing"
    if stats.get("comment_lines", 0) >= K.FORUM_MIN_POST_LINES and not stats.get("article_lines"):
        return "forum"
    return None


def page_kind(meta: dict[str, Any] | None, url: str | None) -> tuple[str | None, str | None]:
    if not meta:
        return None, None
    ld = _ld_kinds(meta)
    og = K.OG_TYPE_KIND.get(str(meta.get("og_type") or "").lower())
    for kind in _STRONG:
        if kind in ld:
            return kind, "json-ld"
        if og == kind:
            return kind, "og"
    kind = _url_kind(url or meta.get("canonical_url"))
    if kind:
        return kind, "url"
    kind = _structure_kind(meta.get("dom_stats") or {})
    if kind:
        return kind, "structure"
    if "article" in ld:
        return "article", "json-ld"
    if og == "article":
        return "article", "og"
    if "service" in ld:
        return "service", "json-ld"
    path = urlsplit(url).path if url else ""
    if url and path in ("", "/") and not meta.get("published_at"):
        return "service", "url"  # a site's front page without a date: its landing page
    return "article", "default"
