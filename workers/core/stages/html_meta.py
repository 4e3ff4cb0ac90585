"""Head metadata of an HTML page (``html_meta``): title, site name, publication date with its
source, language, canonical URL, description, author.

Sources and their order are named data here (``META_KEYS``) and in ``html_jsonld``
(``ARTICLE_LD_TYPES``, the JSON-LD walk); see docs/html-and-metadata.md for the table.
"""
from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from workers.core.stages.html_author import (any_ancestor, attributes, author_from_twitter, byline_candidates, byline_date,
                                             clean_name, comment_container, dom_author, twitter_pair)
from workers.core.stages.html_jsonld import MAX_LD_TYPES, ld_found, norm_text as _norm

_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")


# html_meta["published_at_source"] prefix -> the record's metadata.published_at_source
DATE_SOURCE_KIND: dict[str, str] = {
    "meta": "meta", "json-ld": "json-ld", "dom": "microdata", "time-element": "time-element",
}


# html_meta["author_source"] (whole, else its prefix) -> the record's metadata.author_source
AUTHOR_SOURCE_KIND: dict[str, str] = {
    "json-ld": "json-ld",          # JSON-LD author.name
    "meta": "meta",                # <meta name=author>, twitter "Written by", article:author
    "dom:itemprop": "microdata",   # an element with itemprop=author
    "dom:rel": "byline",           # a rel=author link in the byline
    "dom:class": "byline",         # a byline element named by its class/id words
    "dom:cue": "byline",           # "By <name>" in a date / meta block
    "dom:poster": "byline",        # a forum post's poster name (the first post's)
}


def source_kind(source: Any, kinds: dict[str, str]) -> str:
    """The record's provenance name of an html_meta source: ``kinds`` of the whole source,
    else of its prefix before ":", else "meta" ("meta:article:published_time" -> "meta",
    "dom:time[pubdate]" -> "microdata" with DATE_SOURCE_KIND)."""
    if not isinstance(source, str):
        return "meta"
    return kinds.get(source, kinds.get(source.split(":", 1)[0], "meta"))


def date_source_kind(source: Any) -> str:
    """The record's provenance name of an html_meta date source."""
    return source_kind(source, DATE_SOURCE_KIND)


# the head's whole-tree queries (html_select answers them in one walk)
META_SELECTOR = "meta"
TITLE_SELECTOR = "title"
LD_JSON_SELECTOR = 'script[type="application/ld+json"]'
CANONICAL_SELECTOR = 'link[rel="canonical"]'


def _title_text(tree: LexborHTMLParser) -> str | None:
    """The document's title: the first HTML <title> element's text (not an SVG <title>)."""
    for node in tree.css(TITLE_SELECTOR):
        parent = node.parent
        inside_svg = False
        while parent is not None:
            if parent.tag == "svg":
                inside_svg = True
                break
            parent = parent.parent
        if not inside_svg:
            return node.text()
    return None


def norm_date(value: Any) -> str | None:
    v = _norm(value, 100)
    if not v:
        return None
    if _ISO_DATE.match(v):
        return v
    try:
        from workers.core.stages.dates import parse_date_text
    except ImportError:  # pragma: no cover
        return None
    d = parse_date_text(v)
    return d


# --- metadata -------------------------------------------------------------------------

# meta name/property (lower-case) -> html_meta key, in priority order per key
META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "site_name": ("og:site_name", "application-name", "apple-mobile-web-app-title", "al:android:app_name",
                  "publisher"),
    "published_at": ("article:published_time", "og:published_time", "og:article:published_time",
                     "datepublished", "date_published", "publishdate", "publish-date", "publish_date",
                     "pubdate", "publication_date", "article.published", "sailthru.date", "parsely-pub-date",
                     "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created",
                     "date", "originalpublicationdate", "article_date_original", "cxenseparse:recs:publishtime",
                     "ms.date"),  # Microsoft Learn's documentation pages: the date they print
    "description": ("description", "og:description", "twitter:description", "dc.description"),
    "author": ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author", "byl"),
    "og_type": ("og:type",),
}
_META_LOOKUP: dict[str, tuple[str, int]] = {
    name: (key, i) for key, names in META_KEYS.items() for i, name in enumerate(names)
}
def _read_json_ld(texts: list[str], meta: dict[str, Any]) -> None:
    found, all_types = ld_found(texts)
    if "site_name" not in found and "site_name_ws" in found:
        found["site_name"] = found["site_name_ws"]
    if all_types:
        meta["ld_types"] = sorted(all_types)[:MAX_LD_TYPES]
    for key in ("title", "site_name", "author"):
        if key in found and not meta.get(key):
            v = _norm(found[key], 500)
            if v:
                meta[key] = v
                if key == "author":
                    meta["author_source"] = "json-ld"
    if "published_at" in found and not meta.get("published_at"):
        d = norm_date(found["published_at"])
        if d:
            meta["published_at"] = d
            meta["published_at_source"] = found.get("published_at_source", "json-ld")


# microdata / hAtom elements that claim to be the publication date, most explicit first; a Q&A
# page's question states when it was asked as ``dateCreated`` (schema.org Question)
_PUBLISHED_SELECTORS = ("time[itemprop=datePublished]", "[itemprop=datePublished]", "time[pubdate]",
                        "abbr.published", "time.published", "time.entry-date", "time[itemprop=dateCreated]")
# every one of them as one selector list: a page none of them matches (most pages) is asked once
PUBLISHED_ANY = ", ".join(_PUBLISHED_SELECTORS)
# elements of one selector looked at (the first ones may be a comment's, skipped)
MAX_MICRODATA_ELEMENTS = 20
# microdata items whose dates are not the page's: a comment, a Q&A page's answers
NOT_ARTICLE_ITEMPROPS: frozenset[str] = frozenset({"comment", "answer", "acceptedanswer", "suggestedanswer"})
NOT_ARTICLE_ITEMTYPES: tuple[str, ...] = ("/comment", "/answer")
_META_ORDER = ("title", "page_title", "site_name", "published_at", "published_at_source", "published_at_byline",
               "lang", "canonical_url",
               "description", "author", "author_source", "og_type", "ld_types")


def _best_meta_tags(metas, twitter: tuple[dict, dict]) -> dict[str, tuple[int, str]]:
    """The best-ranked value of each known ``<meta>`` key (``_META_LOOKUP``); the twitter
    label/data pairs go to ``twitter``."""
    best: dict[str, tuple[int, str]] = {}
    for i, m in enumerate(metas):
        if i > 2000:
            break
        a = m.attributes
        name = (a.get("property") or a.get("name") or a.get("itemprop") or "").strip().lower()
        if not name:
            continue
        hit = _META_LOOKUP.get(name)
        if hit is None:
            if name.startswith("twitter:"):
                twitter_pair(name, a.get("content"), *twitter)
            continue
        key, rank = hit
        content = a.get("content")
        if key == "published_at":
            content = norm_date(content)
        else:
            content = _norm(content, 1000)
        if not content:
            continue
        if key == "author" and content.startswith(("http://", "https://")):
            continue
        if key not in best or rank < best[key][0]:
            best[key] = (rank, content)
            if key == "published_at":
                best["published_at_source"] = (0, "meta:" + name)
    return best


def _microdata_date(tree: LexborHTMLParser) -> tuple[str, str] | None:
    """(date, source) of the first dated element that claims to be the publication date,
    outside comment sections (a comment's ``datePublished`` is the comment's)."""
    try:
        if tree.css_first(PUBLISHED_ANY) is None:   # a list matches what one of its selectors does
            return None
    except Exception:  # noqa: BLE001 - asked one by one below
        pass
    for sel in _PUBLISHED_SELECTORS:
        try:
            els = tree.css(sel)
        except Exception:  # noqa: BLE001
            els = []
        for el in els[:MAX_MICRODATA_ELEMENTS]:
            ea = el.attributes
            d = norm_date(ea.get("datetime") or ea.get("content") or ea.get("title") or el.text())
            if d and not any_ancestor(el, _not_the_article):
                return d, "dom:" + sel
    return None


def _not_the_article(node) -> bool:
    """A comment section, or a microdata comment or answer (``NOT_ARTICLE_ITEMPROPS`` /
    ``_ITEMTYPES``): an element whose dates are not the page's."""
    if comment_container(node):
        return True
    a = attributes(node)
    prop, kind = (a.get("itemprop") or "").lower(), (a.get("itemtype") or "").lower()
    return bool(prop and set(prop.split()) & NOT_ARTICLE_ITEMPROPS or kind.endswith(NOT_ARTICLE_ITEMTYPES))


def _canonical_url(tree: LexborHTMLParser, metas) -> str | None:
    """``<link rel=canonical>``, else ``og:url``."""
    try:
        link = tree.css_first(CANONICAL_SELECTOR)
    except Exception:  # noqa: BLE001
        link = None
    canonical = _norm(link.attributes.get("href"), 2000) if link is not None else None
    if not canonical:
        for m in metas:
            if (m.attributes.get("property") or "").lower() == "og:url":
                canonical = _norm(m.attributes.get("content"), 2000)
                break
    return canonical


def _author(tree: LexborHTMLParser, twitter: tuple[dict, dict], meta: dict[str, Any], candidates) -> None:
    """``author`` and ``author_source``: Yoast's "Written by" twitter pair, else the meta /
    JSON-LD author (a name, not a URL or a number), else the byline markup (``html_author``)."""
    tw = author_from_twitter(*twitter)
    if tw:
        meta["author"], meta["author_source"] = tw, "meta:twitter:data"
        return
    head = clean_name(meta.get("author"))
    if head:
        meta["author"], meta["author_source"] = head, meta.get("author_source", "meta")
        return
    meta.pop("author", None)
    meta.pop("author_source", None)
    found = dom_author(tree, candidates())
    if found:
        meta["author"], meta["author_source"] = found[0], "dom:" + found[1]


def read_meta(tree: LexborHTMLParser) -> dict[str, Any]:
    """``html_meta`` of a parsed page: title, site_name, published_at, lang,
    canonical_url, description, author (only the keys the page provides)."""
    meta: dict[str, Any] = {}
    try:
        metas = tree.css(META_SELECTOR)
    except Exception:  # noqa: BLE001
        metas = []
    twitter: tuple[dict, dict] = ({}, {})
    best = _best_meta_tags(metas, twitter)
    page_title = _norm(_title_text(tree), 1000)
    if "title" in best:
        meta["title"] = best["title"][1]
    if page_title:
        meta["page_title"] = page_title
    for key in ("site_name", "published_at", "published_at_source", "author", "description", "og_type"):
        if key in best:
            meta[key] = best[key][1]
    if "author" in meta:
        meta["author_source"] = "meta"

    try:
        scripts = tree.css(LD_JSON_SELECTOR)
        _read_json_ld([s.text() for s in scripts[:20]], meta)
    except Exception:  # noqa: BLE001
        pass
    if "title" not in meta and page_title:
        meta["title"] = page_title
    canonical = _canonical_url(tree, metas)
    if canonical:
        meta["canonical_url"] = canonical
    box: list = []

    def candidates() -> list:  # the byline elements, looked up once for author and date
        if not box:
            box.append(byline_candidates(tree))
        return box[0]

    _author(tree, twitter, meta, candidates)
    if "published_at" not in meta:
        found = _microdata_date(tree)
        if found:
            meta["published_at"], meta["published_at_source"] = found
        else:
            shown = byline_date(tree, candidates())
            if shown:
                meta["published_at_byline"] = shown

    html_el = tree.root
    if html_el is not None:
        ha = html_el.attributes
        lang = _norm(ha.get("lang") or ha.get("xml:lang"), 35)
        if lang:
            meta["lang"] = lang
    return {k: meta[k] for k in _META_ORDER if k in meta}


# ``<time datetime>`` elements of comment sections kept per page (a comment's header time)
MAX_COMMENT_TIMES = 1000


def comment_times(times: list[tuple]) -> list[list]:
    """``[line, datetime]`` of each ``<time datetime>`` inside a comment section (the walker's
    ``times``: value, article level, in comments, DOM reason, index of the line its text
    opens), for the segment stage: a comment whose header carries one is posted then."""
    out = []
    for value, _level, in_comments_, _reason, line in times:
        if in_comments_ and isinstance(value, str) and value.strip():
            out.append([line, value.strip()[:64]])
            if len(out) >= MAX_COMMENT_TIMES:
                break
    return out
