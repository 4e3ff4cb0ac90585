"""HTML input: flatten raw HTML to WET-like text (one line per block) plus head metadata.

Parsing uses Resiliparse (``resiliparse.parse.html.HTMLTree``), a Python binding of
the Lexbor HTML5 parser: a spec-conformant, error-tolerant C parser that builds the
DOM of a 100 kB page in well under a millisecond and does not recurse in Python.
Lexbor is the same parser Resiliparse's own ``html2text`` uses to produce
Common-Crawl-style plain text, so our lines look like a WET record: every visible
text block on its own line, navigation, footers and comments included.

We walk the DOM ourselves instead of calling ``extract_plain_text`` because the strip
stage needs to know, per line, *where* in the DOM the text came from (inside
``<nav>``, inside a comment list, the author element of a comment, a heading, ...).
The walk is iterative (an explicit stack, never Python recursion), visits each node
once, and the few subtree queries it makes (containment checks of candidate chrome
elements) are capped per page, so the cost is linear in the page size and deeply
nested pages cannot overflow the stack.

All tag / class / id rules are named data in ``workers.core.stages.html_rules``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import orjson
from resiliparse.parse.html import ELEMENT, TEXT, HTMLTree

from topics.records import Line
from workers.core.stages import html_rules as R

HINT_COMMENTS = "comments"
HINT_COMMENT_AUTHOR = "comment-author"
HINT_HEADING = "heading"
HINT_LIST_ITEM = "list-item"
HINT_TITLE = "title"
DOM_REASON = "html-dom"

# Subtree queries (containment / text size checks) allowed per page: bounds the
# worst case on pages with thousands of marked elements.
MAX_SUBTREE_CHECKS = 300
# A comment author line longer than this is a comment paragraph that merely
# contains an author element, not an author line.
MAX_AUTHOR_LINE = 120
# A candidate chrome element holding more than this share of the page's text is a
# layout wrapper (div#header around the whole page), not chrome.
MAX_CHROME_SHARE = 0.6
# A <form> with more text than this wraps the page (ASP.NET), it is not a widget.
MAX_FORM_CHARS = 4000

_WORD_SPLIT = re.compile(r"[-_:.\s/]+|(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
_WS = re.compile(r"\s+")

# Containment check: a candidate chrome element holding any of these holds the article.
_ARTICLE_SELECTOR = ("article, main, [role=main], [itemprop=articleBody], [itemprop=headline], "
                     ".entry-content, .post-content, .entry-title, .post-title, .article-body, h1")
_HEADER_SELECTOR = ("article, main, [role=main], [itemprop=articleBody], [itemprop=headline], "
                    ".entry-content, .post-content, .entry-title, .post-title, .article-body")
TITLE_MARKERS: frozenset[str] = frozenset({
    "entry-title", "post-title", "article-title", "headline", "article-headline", "story-title",
    "page-title", "title-post", "post-header-title", "node-title", "single-title", "td-post-title",
})

# Frame states (tuples for speed): (reason, level, comments, author, heading, li, pre, title)
# level: 0 page, 1 inside <main>, 2 inside the article (<article>, articleBody, entry-content)
_ROOT_STATE = (None, 0, False, False, None, False, False, False)


@lru_cache(maxsize=65536)
def _words(token: str) -> tuple[str, ...]:
    """Lower-case words of a class/id token (cached: class names repeat a lot)."""
    return tuple(w.lower() for w in _WORD_SPLIT.split(token) if w)


def _tokens(node, names: tuple) -> list[str]:
    out: list[str] = []
    if "class" in names:
        cls = node.class_name
        if cls:
            out.extend(cls.split())
    if "id" in names:
        i = node.id
        if i:
            out.append(i)
    return out


def _marker_reason(tokens: list[str], level: int) -> str | None:
    """The BOILERPLATE_MARKERS word a class/id token list carries, or None. Inside
    <main> (level 1) only IN_MAIN_MARKERS count, inside the article only IN_BODY_MARKERS."""
    allowed = None if level == 0 else (R.IN_MAIN_MARKERS if level == 1 else R.IN_BODY_MARKERS)
    for tok in tokens:
        low = tok.lower()
        if (low in R.BOILERPLATE_MARKERS or low in R.WHOLE_TOKEN_MARKERS) and (allowed is None or low in allowed):
            return low
        ws = _words(tok)
        if not ws or any(w in R.MARKER_NEGATIVE_WORDS for w in ws):
            continue
        for w in ws:
            if w in R.BOILERPLATE_MARKERS and (allowed is None or w in allowed):
                return w
    return None


@lru_cache(maxsize=65536)
def _comment_token(tok: str) -> bool:
    low = tok.lower()
    if low in R.COMMENT_CONTAINERS:
        return True
    ws = _words(tok)
    return any(w in R.COMMENT_WORDS for w in ws) and not any(w in R.COMMENT_NEGATIVE_WORDS for w in ws)


def _is_comment_container(tokens: list[str]) -> bool:
    return any(_comment_token(t) for t in tokens)


class _Walker:
    __slots__ = ("lines", "buf", "buf_state", "buf_author", "checks", "page_chars")

    def __init__(self, page_chars: int = 0) -> None:
        self.page_chars = page_chars
        self.lines: list[list] = []  # [text, reason, hint, is_h1, title_marked]
        self.buf: list[str] = []
        self.buf_state: tuple | None = None
        self.buf_author = False
        self.checks = MAX_SUBTREE_CHECKS

    # --- line assembly ------------------------------------------------------------

    def add_text(self, text: str, state: tuple) -> None:
        if state[6] and "\n" in text:  # <pre>: keep its line breaks
            parts = text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self.flush()
                self._add(part, state)
            return
        self._add(text, state)

    def _add(self, text: str, state: tuple) -> None:
        if not text:
            return
        if self.buf_state is None:
            if text.isspace():
                return
            self.buf_state = state
        if state[3]:
            self.buf_author = True
        self.buf.append(text)

    def flush(self) -> None:
        if self.buf_state is None:
            self.buf.clear()
            return
        text = _WS.sub(" ", "".join(self.buf)).strip()
        st = self.buf_state
        self.buf.clear()
        self.buf_state = None
        author = self.buf_author
        self.buf_author = False
        if not text:
            return
        reason, _level, comments, _a, heading, li, _pre, title_marked = st
        if comments and author and len(text) <= MAX_AUTHOR_LINE:
            hint = HINT_COMMENT_AUTHOR
        elif comments:
            hint = HINT_COMMENTS
        elif heading:
            hint = HINT_HEADING
        elif li:
            hint = HINT_LIST_ITEM
        else:
            hint = None
        self.lines.append([text, reason, hint, heading == "h1", title_marked and bool(heading)])

    # --- element state -------------------------------------------------------------

    def _contains_article(self, node, selector: str) -> bool:
        if self.checks <= 0:
            return True  # budget spent: do not mark (the safe side)
        self.checks -= 1
        try:
            if node.query_selector(selector) is not None:
                return True
        except Exception:  # noqa: BLE001 - a selector error must not kill the page
            return True
        # a "header"/"sidebar" that holds most of the page's text is a layout wrapper
        return len(node.text) > MAX_CHROME_SHARE * self.page_chars

    def enter(self, node, tag: str, names: tuple, state: tuple) -> tuple:
        reason, level, comments, author, heading, li, pre, title_marked = state
        tokens = _tokens(node, names) if names else []
        role = (node.getattr("role") or "").lower() if "role" in names else ""
        itemprop = (node.getattr("itemprop") or "").lower() if "itemprop" in names else ""

        # the article: nothing inside gets a DOM reason (IN_BODY_MARKERS aside)
        if reason is None:
            if tag == "article" or role == "article" or itemprop in R.ARTICLE_ITEMPROPS:
                level = 2
            elif tag == "main" or role == "main":
                level = max(level, 1)
            elif tokens and any(t.lower() in R.ARTICLE_MARKERS for t in tokens):
                level = 2

        if tokens and not comments and _is_comment_container(tokens):
            comments = True
        elif comments and tokens and not author:
            if any(t.lower() in R.COMMENT_AUTHOR_MARKERS for t in tokens):
                author = True
        if comments and itemprop == "author":
            author = True

        if reason is None:
            reason = self._dom_reason(node, tag, tokens, role, level, comments)

        if tag in R.HEADING_TAGS:
            heading = tag
            if (itemprop == "headline" or any(t.lower() in TITLE_MARKERS for t in tokens)) and not comments:
                title_marked = True
        elif tag == "li":
            li = True
        elif tag == "pre":
            pre = True
        if not title_marked and not comments and (itemprop == "headline"
                                                  or any(t.lower() in TITLE_MARKERS for t in tokens)):
            title_marked = True
        return (reason, level, comments, author, heading, li, pre, title_marked)

    def _dom_reason(self, node, tag: str, tokens: list[str], role: str, level: int, comments: bool) -> str | None:
        # structural chrome (tags and ARIA roles)
        if level < 2:
            if tag == "form":
                if self._contains_article(node, _ARTICLE_SELECTOR):
                    return None
                if len(node.text) > MAX_FORM_CHARS:
                    return None
                return DOM_REASON
            if comments:
                return None
            if tag in ("nav", "aside") or role in R.BOILERPLATE_ROLES:
                if level >= 1 and role in ("banner", "contentinfo"):
                    return None
                if not self._contains_article(node, _ARTICLE_SELECTOR):
                    return DOM_REASON
                return None
            if tag in ("header", "footer") and level == 0:
                if tokens and any(w in ("entry", "post", "article", "story") for t in tokens
                                  for w in _words(t)):
                    return None
                sel = _HEADER_SELECTOR if tag == "header" else _ARTICLE_SELECTOR
                if not self._contains_article(node, sel):
                    return DOM_REASON
                return None
        if comments or not tokens:
            return None
        marker = _marker_reason(tokens, level)
        if marker is None:
            return None
        if level >= 2:
            if self.checks <= 0:
                return None
            self.checks -= 1
            if len(node.text) > R.MAX_IN_BODY_MARKER_CHARS:
                return None
            return DOM_REASON
        if not self._contains_article(node, _ARTICLE_SELECTOR):
            return DOM_REASON
        return None

    # --- traversal -------------------------------------------------------------------

    def walk(self, root) -> None:
        stack: list[tuple] = []  # (element node, state of its parent)
        state = _ROOT_STATE
        node = root.first_child
        skip_tags = R.SKIP_TAGS
        block_tags = R.BLOCK_TAGS
        break_tags = R.BREAK_TAGS
        while node is not None:
            t = node.node_type
            if t == TEXT:
                self.add_text(node.text, state)
            elif t == ELEMENT:
                tag = node.tag
                if tag not in skip_tags:
                    names = node.attrs
                    hidden = False
                    if names:
                        if "hidden" in names:
                            hidden = True
                        elif "style" in names:
                            style = node.getattr("style") or ""
                            if "none" in style or "hidden" in style:
                                hidden = bool(_HIDDEN_STYLE.search(style))
                    if not hidden:
                        if tag in block_tags or tag in break_tags:
                            self.flush()
                        child = node.first_child
                        if child is not None:
                            new_state = self.enter(node, tag, names, state) if (
                                names or tag in block_tags or tag == "li") else state
                            stack.append((node, tag, state))
                            state = new_state
                            node = child
                            continue
            # next node: sibling, or climb until an ancestor has a sibling
            while True:
                nxt = node.next_sibling
                if nxt is not None:
                    node = nxt
                    break
                if not stack:
                    node = None
                    break
                node, tag, state = stack.pop()
                if tag in block_tags:
                    self.flush()
        self.flush()


def _norm(value: Any, limit: int = 1000) -> str | None:
    if not isinstance(value, str):
        return None
    v = _WS.sub(" ", value).strip()
    return v[:limit] if v else None


def _norm_date(value: Any) -> str | None:
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
                     "date", "originalpublicationdate", "article_date_original", "cxenseparse:recs:publishtime"),
    "description": ("description", "og:description", "twitter:description", "dc.description"),
    "author": ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author", "byl"),
}
_META_LOOKUP: dict[str, tuple[str, int]] = {
    name: (key, i) for key, names in META_KEYS.items() for i, name in enumerate(names)
}
ARTICLE_LD_TYPES: frozenset[str] = frozenset({
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "reviewnewsarticle", "backgroundnewsarticle", "techarticle", "scholarlyarticle", "socialmediaposting",
    "liveblogposting", "report", "webpage", "itempage", "posting", "discussionforumposting", "recipe", "review",
})
WEBPAGE_LD_TYPES: frozenset[str] = frozenset({"webpage", "itempage"})
MAX_LD_NODES = 2000


def _ld_name(v: Any) -> str | None:
    if isinstance(v, list):
        names = [n for n in (_ld_name(x) for x in v[:5]) if n]
        return ", ".join(names) if names else None
    if isinstance(v, dict):
        return _norm(v.get("name"), 300)
    return _norm(v, 300)


def _read_json_ld(texts: list[str], meta: dict[str, Any]) -> None:
    found: dict[str, Any] = {}
    budget = MAX_LD_NODES
    for raw in texts:
        try:
            data = orjson.loads(raw.strip().encode("utf-8"))
        except (orjson.JSONDecodeError, UnicodeEncodeError):
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
                n = _norm(obj.get("name"), 300)
                if n:
                    found["site_name_ws"] = n
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "isPartOf"):
                v = obj.get(key)
                if isinstance(v, (dict, list)):
                    stack.append(v)
    if "site_name" not in found and "site_name_ws" in found:
        found["site_name"] = found["site_name_ws"]
    for key in ("title", "site_name", "author"):
        if key in found and not meta.get(key):
            v = _norm(found[key], 500)
            if v:
                meta[key] = v
    if "published_at" in found and not meta.get("published_at"):
        d = _norm_date(found["published_at"])
        if d:
            meta["published_at"] = d
            meta["published_at_source"] = found.get("published_at_source", "json-ld")


def read_meta(tree: HTMLTree) -> dict[str, Any]:
    """``html_meta`` of a parsed page: title, site_name, published_at, lang,
    canonical_url, description, author (only the keys the page provides)."""
    meta: dict[str, Any] = {}
    doc = tree.document
    best: dict[str, tuple[int, str]] = {}
    try:
        metas = doc.query_selector_all("meta")
    except Exception:  # noqa: BLE001
        metas = []
    for i, m in enumerate(metas):
        if i > 2000:
            break
        name = (m.getattr("property") or m.getattr("name") or m.getattr("itemprop") or "").strip().lower()
        if not name:
            continue
        hit = _META_LOOKUP.get(name)
        if hit is None:
            continue
        key, rank = hit
        content = m.getattr("content")
        if key == "published_at":
            content = _norm_date(content)
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
    page_title = _norm(tree.title, 1000)
    if "title" in best:
        meta["title"] = best["title"][1]
    if page_title:
        meta["page_title"] = page_title
    for key in ("site_name", "published_at", "published_at_source", "author", "description"):
        if key in best:
            meta[key] = best[key][1]

    try:
        scripts = doc.query_selector_all('script[type="application/ld+json"]')
        _read_json_ld([s.text for s in list(scripts)[:20]], meta)
    except Exception:  # noqa: BLE001
        pass
    if "title" not in meta and page_title:
        meta["title"] = page_title

    if "published_at" not in meta:
        # microdata / hAtom: the first dated element that claims to be the publication date
        for sel in ("time[itemprop=datePublished]", "[itemprop=datePublished]", "time[pubdate]",
                    "abbr.published", "time.published", "time.entry-date"):
            try:
                el = doc.query_selector(sel)
            except Exception:  # noqa: BLE001
                el = None
            if el is None:
                continue
            d = _norm_date(el.getattr("datetime") or el.getattr("content") or el.getattr("title") or el.text)
            if d:
                meta["published_at"] = d
                meta["published_at_source"] = "dom:" + sel
                break

    html_el = doc.first_element_child if hasattr(doc, "first_element_child") else None
    if html_el is None:
        try:
            html_el = doc.query_selector("html")
        except Exception:  # noqa: BLE001
            html_el = None
    if html_el is not None:
        lang = _norm(html_el.getattr("lang") or html_el.getattr("xml:lang"), 35)
        if lang:
            meta["lang"] = lang
    try:
        link = doc.query_selector('link[rel="canonical"]')
    except Exception:  # noqa: BLE001
        link = None
    canonical = _norm(link.getattr("href"), 2000) if link is not None else None
    if not canonical:
        for m in metas:
            if (m.getattr("property") or "").lower() == "og:url":
                canonical = _norm(m.getattr("content"), 2000)
                break
    if canonical:
        meta["canonical_url"] = canonical
    order = ("title", "page_title", "site_name", "published_at", "published_at_source", "lang", "canonical_url", "description", "author")
    return {k: meta[k] for k in order if k in meta}


# --- public API -----------------------------------------------------------------------


def _parse(html: str) -> HTMLTree:
    return HTMLTree.parse(html)


def _walk_lines(tree: HTMLTree, meta: dict[str, Any]) -> list[list]:
    body = tree.body
    root = body if body is not None else tree.document
    w = _Walker(len(root.text) if root is not None else 0)
    if root is not None:
        w.walk(root)
    lines = w.lines
    _mark_title(lines, meta)
    return lines


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»/]+\s+|\s*::\s*")


def _title_key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _mark_title(lines: list[list], meta: dict[str, Any]) -> None:
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
    keys: set[str] = set()
    for t in (meta.get("title"), meta.get("page_title")):
        if t:
            keys.add(_title_key(t))
            for part in _TITLE_SEPARATORS.split(t):
                if len(part) >= 8:
                    keys.add(_title_key(part))
    keys.discard("")
    if not keys:
        return
    for ln in lines:
        if ln[2] != HINT_HEADING or ln[1] not in (None, DOM_REASON):
            continue
        k = _title_key(ln[0])
        if len(k) >= 8 and k in keys:
            ln[2] = HINT_TITLE
            ln[1] = None
            return


def flatten_html_lines(html: str) -> tuple[list[Line], dict[str, Any]]:
    """The page as ``Line`` records (one per visible block, no blank lines, WET style),
    with ``reason="html-dom"`` on lines the DOM proves are page chrome and structural
    ``hint``s, plus ``html_meta``."""
    if not html or not html.strip():
        return [], {}
    tree = _parse(html)
    meta = read_meta(tree)
    raw = _walk_lines(tree, meta)
    return [Line(n=i, text=t, blank_before=0, reason=r, hint=h) for i, (t, r, h, _a, _b) in enumerate(raw)], meta


def flatten_html(html: str) -> tuple[str, dict[str, Any]]:
    """WET-like plain text: every visible text block on its own line (navigation,
    footers and comments included; scripts, styles and hidden elements dropped),
    plus ``html_meta`` (see ``read_meta``)."""
    if not html or not html.strip():
        return "", {}
    tree = _parse(html)
    meta = read_meta(tree)
    raw = _walk_lines(tree, meta)
    return "\n".join(ln[0] for ln in raw), meta
