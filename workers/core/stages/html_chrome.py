"""The DOM rules' verdict on one element of the walk: page chrome (reason ``html-dom``) or not.

Structural chrome (``<nav>``, ``<aside>``, a page-level ``<header>``/``<footer>``, a widget
``<form>``, ARIA chrome roles) and elements whose class/id marks them as chrome
(``html_rules``' markers, per article level), unless the element holds the article. The only
subtree operations of the walk are here: the containment checks, capped per page
(``MAX_SUBTREE_CHECKS``, counted on the walker), so the walk stays linear in the page size.

``dom_reason`` is the reference: the compiled walk makes it in C (``_domwalk_chrome.c``, given
this module's tags, roles, selectors and thresholds by ``native_walk.rules``; a change here is
made there too, and tests/test_native_walk.py compares the two).
"""
from __future__ import annotations

from workers.core.stages import html_rules as R

DOM_REASON = "html-dom"

# Subtree queries (containment / text size checks) allowed per page: bounds the
# worst case on pages with thousands of marked elements.
MAX_SUBTREE_CHECKS = 300
# A candidate chrome element holding more than this share of the page's text is a
# layout wrapper (div#header around the whole page), not chrome.
MAX_CHROME_SHARE = 0.6
# A <form> with more text than this wraps the page (ASP.NET), it is not a widget.
MAX_FORM_CHARS = 4000

# Containment check: a candidate chrome element holding any of these holds the article.
ARTICLE_SELECTOR = ("article, main, [role=main], [itemprop=articleBody], [itemprop=headline], "
                    ".entry-content, .post-content, .entry-title, .post-title, .article-body, h1")
HEADER_SELECTOR = ("article, main, [role=main], [itemprop=articleBody], [itemprop=headline], "
                   ".entry-content, .post-content, .entry-title, .post-title, .article-body")


def contains_article(w, node, selector: str) -> bool:
    """Whether ``node`` holds the article (a descendant matching ``selector``) or most of the
    page's text; True once the walker ``w``'s check budget is spent (do not mark)."""
    if w.checks <= 0:
        return True  # budget spent: do not mark (the safe side)
    w.checks -= 1
    try:
        hit = node.css_first(selector)
        if hit is not None:
            # the same element, not a descendant (its address: ``==`` would compare the two
            # subtrees' serialised HTML, which differ whenever the elements do)
            if hit.mem_id != node.mem_id:
                return True
            # the element itself matches: the question is about its descendants, i.e. any
            # match in its subtree but itself (one query; the selectors are simple ones, so
            # an element matches whatever the query's root: the same answer as asking each
            # child's subtree in turn, without parsing the selector once per child)
            for hit in node.css(selector):
                if hit.mem_id != node.mem_id:
                    return True
    except Exception:  # noqa: BLE001 - a selector error must not kill the page
        return True
    # a "header"/"sidebar" that holds most of the page's text is a layout wrapper
    if w.page_chars < 0:
        w.page_chars = len(w.root.text()) if w.root is not None else 0
    return len(node.text()) > MAX_CHROME_SHARE * w.page_chars


# the tags marked as chrome by their tag alone (``dom_reason``'s structural branch; the walk asks
# dom_reason about an element without a role or a class/id marker only for these):
# a widget form (unless it holds the article or is large enough to wrap the page)
FORM_TAG = "form"
# navigation and sidebars, outside the article
SIDE_TAGS: tuple[str, ...] = ("nav", "aside")
# a page-level header / footer, and the selector of what makes one hold the article
EDGE_SELECTORS: dict[str, str] = {"header": HEADER_SELECTOR, "footer": ARTICLE_SELECTOR}
CHROME_TAGS: tuple[str, ...] = (FORM_TAG, *SIDE_TAGS, *EDGE_SELECTORS)
# landmark roles of the page's masthead and footer: not chrome inside <main> or the article
EDGE_ROLES: frozenset[str] = frozenset({"banner", "contentinfo"})


def dom_reason(w, node, tag: str, ci: tuple, role: str, level: int, comments: bool) -> str | None:
    """``DOM_REASON`` when the element (tag, ``class_info`` answers ``ci``, ARIA role, article
    level, inside a comment section or not) is page chrome, else None."""
    # structural chrome (tags and ARIA roles)
    if level < 2:
        if tag == FORM_TAG:
            if contains_article(w, node, ARTICLE_SELECTOR):
                return None
            if len(node.text()) > MAX_FORM_CHARS:
                return None
            return DOM_REASON
        if comments:
            return None
        if tag in SIDE_TAGS or role in R.BOILERPLATE_ROLES:
            if level >= 1 and role in EDGE_ROLES:
                return None
            if not contains_article(w, node, ARTICLE_SELECTOR):
                return DOM_REASON
            return None
        if tag in EDGE_SELECTORS and level == 0:
            if ci[7]:
                return None
            if not contains_article(w, node, EDGE_SELECTORS[tag]):
                return DOM_REASON
            return None
    if comments or not ci[0]:
        return None
    marker = ci[8][level]
    if marker is None:
        return None
    if level >= 2:
        if w.checks <= 0:
            return None
        w.checks -= 1
        if len(node.text()) > R.MAX_IN_BODY_MARKER_CHARS:
            return None
        return DOM_REASON
    if not contains_article(w, node, ARTICLE_SELECTOR):
        return DOM_REASON
    return None
