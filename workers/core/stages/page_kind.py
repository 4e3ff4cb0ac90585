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
    types = meta.get("ld_types")
    if not isinstance(types, list):
        return set()
    return {K.LD_TYPE_KIND[t] for t in types if isinstance(t, str) and t in K.LD_TYPE_KIND}


def _path(url: Any) -> str | None:
    if not isinstance(url, str) or not url:
        return None
    try:
        return urlsplit(url).path
    except ValueError:
        return None


def _url_kind(url: Any) -> str | None:
    if not isinstance(url, str) or not url:
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


def _num(stats: dict, key: str) -> float:
    v = stats.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else 0.0


def _structure_kind(stats: Any) -> str | None:
    if not isinstance(stats, dict):
        return None
    lines = _num(stats, "lines")
    if not lines:
        return None
    if _num(stats, "pre_share") >= K.DOC_PRE_SHARE:
        return "documentation"
    if lines >= K.LISTING_MIN_LINES and _num(stats, "link_share") >= K.LISTING_LINK_SHARE:
        return "listing"
    if _num(stats, "comment_lines") >= K.FORUM_MIN_POST_LINES and not _num(stats, "article_lines"):
        return "forum"
    return None


def page_kind(meta: dict[str, Any] | None, url: str | None, doc: Any = None) -> tuple[str | None, str | None]:
    """(kind, source): the trained classifier's verdict (source ``model``) when the
    committed model is present and the segmented record is given, else the rules'."""
    kind, source = rule_page_kind(meta, url)
    if kind is None or doc is None:
        return kind, source
    from workers.core.stages.page_kind_model import predict
    learned = predict(meta or {}, url, doc, kind)
    return (learned, "model") if learned else (kind, source)


def rule_page_kind(meta: dict[str, Any] | None, url: str | None) -> tuple[str | None, str | None]:
    """The rules' verdict (see the module docstring), first match wins."""
    if not meta or not isinstance(meta, dict):
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
    kind = _structure_kind(meta.get("dom_stats"))
    if kind:
        return kind, "structure"
    if "article" in ld:
        return "article", "json-ld"
    if og == "article":
        return "article", "og"
    if "service" in ld:
        return "service", "json-ld"
    if _path(url) in ("", "/") and not meta.get("published_at"):
        return "service", "url"  # a site's front page without a date: its landing page
    return "article", "default"
