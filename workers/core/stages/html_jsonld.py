"""JSON-LD of an HTML page (``html_meta`` reads the head through it): the scripts parsed with
orjson and walked with a bounded explicit stack (``MAX_LD_NODES``); which schema.org types
state an article (``ARTICLE_LD_TYPES``) is named data here.
"""
from __future__ import annotations

from typing import Any

import orjson


def norm_text(value: Any, limit: int = 1000) -> str | None:
    """``value`` with its white space runs as one space, cut at ``limit``; None if empty or not text."""
    if not isinstance(value, str):
        return None
    v = " ".join(value.split())  # str.split's white space is the same Py_UNICODE_ISSPACE as re's \s
    return v[:limit] if v else None


ARTICLE_LD_TYPES: frozenset[str] = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "techarticle", "scholarlyarticle", "socialmediaposting",
    "liveblogposting", "report", "webpage", "itempage", "posting", "discussionforumposting", "recipe", "review",
})
WEBPAGE_LD_TYPES: frozenset[str] = frozenset({"webpage", "itempage"})
MAX_LD_NODES = 2000
# JSON-LD @type values kept in html_meta["ld_types"] (page-kind evidence)
MAX_LD_TYPES = 20


def _ld_name(v: Any) -> str | None:
    if isinstance(v, list):
        names = [n for n in (_ld_name(x) for x in v[:5]) if n]
        if len(names) > 1:  # "A, B and C", as a byline prints several names (WCXB's gold too)
            return ", ".join(names[:-1]) + " and " + names[-1]
        return names[0] if names else None
    if isinstance(v, dict):
        return norm_text(v.get("name"), 300)
    return norm_text(v, 300)


# raw control characters inside JSON-LD strings (a CMS pasting an article body with its line
# breaks): invalid JSON that browsers' and search engines' readers accept; read as spaces
_JSON_CONTROL = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


def _ld_json(raw: str) -> Any:
    """A JSON-LD script's value, else the same with raw line breaks and tabs read as spaces,
    else None."""
    text = raw.strip()
    for attempt in (text, text.translate(_JSON_CONTROL)):
        try:
            return orjson.loads(attempt.encode("utf-8"))
        except (orjson.JSONDecodeError, UnicodeEncodeError):
            continue
    return None


def ld_found(texts: list[str]) -> tuple[dict[str, Any], set[str]]:
    """What the page's JSON-LD scripts (``texts``) state about the article (date and its
    source, headline, author, publisher or website name) and every ``@type`` seen, walked with
    a bounded explicit stack (``MAX_LD_NODES``); the first value of each key wins."""
    found: dict[str, Any] = {}
    all_types: set[str] = set()
    budget = MAX_LD_NODES
    for raw in texts:
        data = _ld_json(raw)
        if data is None:
            continue
        stack = [data]
        while stack and budget > 0:
            budget -= 1
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(reversed(obj[:200]))
                continue
            if not isinstance(obj, dict):
                continue
            typ = obj.get("@type")
            types = {str(x).lower() for x in (typ if isinstance(typ, list) else [typ]) if x}
            if types and len(all_types) < MAX_LD_TYPES:
                all_types.update(t.rsplit("/", 1)[-1][:60] for t in types)
            if types & ARTICLE_LD_TYPES:
                # a WebPage's datePublished dates the page (landing and product pages carry
                # one too), not an article: only article-like types date the article
                if not types <= WEBPAGE_LD_TYPES:
                    if obj.get("datePublished") and "published_at" not in found:
                        found["published_at"] = obj.get("datePublished")
                        found["published_at_source"] = "json-ld:" + "/".join(sorted(types))
                if "title" not in found and isinstance(obj.get("headline"), str):
                    found["title"] = obj["headline"]
                if "author" not in found and obj.get("author"):
                    a = _ld_name(obj["author"])
                    if a:
                        found["author"] = a
                pub = obj.get("publisher")
                if "site_name" not in found and pub:
                    p = _ld_name(pub)
                    if p:
                        found["site_name"] = p
                if not types & {"webpage", "itempage"}:
                    found["ld_article"] = True
            elif "website" in types and "site_name_ws" not in found:
                n = norm_text(obj.get("name"), 300)
                if n:
                    found["site_name_ws"] = n
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "isPartOf"):
                v = obj.get(key)
                if isinstance(v, (dict, list)):
                    stack.append(v)
    return found, all_types
