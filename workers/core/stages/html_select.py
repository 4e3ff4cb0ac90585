"""The HTML path's whole-tree selector queries, answered several in one walk (issue #10).

``read_meta`` and the comment-author step ask Lexbor about the whole tree a dozen times a page
(``tree.css``: one walk of the tree each, every element run against the selector). ``Page`` wraps
a parsed page with the same ``css`` / ``css_first``: a query named in ``QUERIES`` is answered by
the compiled ``_domwalk.select`` (``_domwalk_select.c``), which walks the tree once for its group
(``GROUPS``: the queries a step asks together) and runs an element against a query's selector,
by Lexbor's own matcher, only when the element passes the query's gate (a tag, an attribute, words
its value holds: what every match of the selector has). The same nodes in the same order as ``tree.css``
(tests/test_html_select.py: the dev pages and edge cases); ``tree.css`` stays the reference and
serves any other query, and every query when the extension is not built (``AVAILABLE``).
"""
from __future__ import annotations

from typing import Any

from selectolax.lexbor import LexborHTMLParser

from workers.core.heuristics.bylines import POSTER_CLASS_WORDS
from workers.core.stages import native_walk
from workers.core.stages.html_author import (AUTHOR_SUBSTRINGS, BYLINE_SELECTOR, DATE_SUBSTRINGS, ITEMPROP_AUTHOR_SELECTOR,
                                             POSTER_SELECTOR, REL_AUTHOR_SELECTOR)
from workers.core.stages.html_comment_authors import MARKERS as AUTHOR_MARKERS, QUERY as AUTHOR_QUERY
from workers.core.stages.html_comment_items import SECTION_QUERY, SECTION_WORDS
from workers.core.stages.html_meta import (CANONICAL_SELECTOR, LD_JSON_SELECTOR, META_SELECTOR, PUBLISHED_ANY,
                                           TITLE_SELECTOR)

# selector -> its gate: alternatives (tag, attribute, words), one of which every element the
# selector matches passes: the tag (None: any), the attribute present (None: any), its value
# holding one of the words ASCII case-insensitively (a word of ``[a*="w" i]``, ``[a~="w" i]`` or
# ``[a="w"]``; (): any value). Only an element that passes is run against the selector.
_AUTHOR_WORDS = tuple(dict.fromkeys(AUTHOR_SUBSTRINGS + DATE_SUBSTRINGS))
QUERIES: dict[str, tuple[tuple[str | None, str | None, tuple[str, ...]], ...]] = {
    META_SELECTOR: (("meta", None, ()),),
    TITLE_SELECTOR: (("title", None, ()),),
    LD_JSON_SELECTOR: (("script", "type", ("application/ld+json",)),),
    CANONICAL_SELECTOR: (("link", "rel", ("canonical",)),),
    ITEMPROP_AUTHOR_SELECTOR: ((None, "itemprop", ("author",)),),
    REL_AUTHOR_SELECTOR: (("a", "rel", ("author",)),),
    # time[itemprop=...], [itemprop=datePublished], time[pubdate], abbr.published, time.published, ...
    PUBLISHED_ANY: (("time", None, ()), ("abbr", None, ()), (None, "itemprop", ("datepublished",))),
    BYLINE_SELECTOR: ((None, "class", _AUTHOR_WORDS), (None, "id", AUTHOR_SUBSTRINGS + ("date",))),
    POSTER_SELECTOR: ((None, "class", tuple(POSTER_CLASS_WORDS)),),
    AUTHOR_QUERY: ((None, "class", AUTHOR_MARKERS), ("cite", None, ()), (None, "itemprop", ("author",))),
    SECTION_QUERY: ((None, "class", tuple(SECTION_WORDS)), (None, "id", tuple(SECTION_WORDS))),
}
# queries answered together (one walk): read_meta asks the first group on (nearly) every page;
# the others are asked on some pages only, each alone
GROUPS: tuple[tuple[str, ...], ...] = (
    (META_SELECTOR, TITLE_SELECTOR, LD_JSON_SELECTOR, CANONICAL_SELECTOR, ITEMPROP_AUTHOR_SELECTOR, REL_AUTHOR_SELECTOR,
     PUBLISHED_ANY, BYLINE_SELECTOR),
    (POSTER_SELECTOR,), (AUTHOR_QUERY,), (SECTION_QUERY,),
)
_NUMBER = {q: i for i, q in enumerate(QUERIES)}
_GROUP_OF = {q: tuple(_NUMBER[g] for g in group) for group in GROUPS for q in group}
# the gate tags, parsed once for their Lexbor tag ids
_TAGS = sorted({alt[0] for gate in QUERIES.values() for alt in gate if alt[0]})
_TAG_PROBE = "<html><head></head><body>" + "".join(f"<{t}></{t}>" for t in _TAGS) + "</body></html>"


class Page:
    """A parsed page whose whole-tree queries of ``QUERIES`` are answered by group; anything else
    is the tree's (``root``, ``body``, other selectors). A group's answers are kept for the page,
    so the tree must not change while a ``Page`` serves it (the HTML path never changes a tree)."""

    __slots__ = ("tree", "_found")

    def __init__(self, tree: LexborHTMLParser):
        self.tree = tree
        self._found: dict[str, list] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tree, name)

    def css(self, query: str) -> list:
        found = self._found.get(query)
        if found is None:
            group = _GROUP_OF.get(query) if AVAILABLE else None
            if group is None:
                return self.tree.css(query)
            root = self.tree.root
            lists = _domwalk.select(root, group) if root is not None else [[] for _ in group]
            for i, nodes in zip(group, lists):
                self._found[_QUERY_OF[i]] = nodes
            found = self._found[query]
        return list(found)

    def css_first(self, query: str, default: Any = None, strict: bool = False) -> Any:
        if strict or query not in _GROUP_OF or not AVAILABLE:
            return self.tree.css_first(query, default, strict)
        found = self.css(query)
        return found[0] if found else default


_QUERY_OF = list(QUERIES)
_domwalk = native_walk._domwalk


def _same(tree: LexborHTMLParser) -> bool:
    """Every query of ``QUERIES`` gives ``tree.css``'s nodes on ``tree``, in one walk."""
    got = _domwalk.select(tree.root, tuple(range(len(QUERIES))))
    return all([n.mem_id for n in nodes] == [n.mem_id for n in tree.css(q)] for q, nodes in zip(QUERIES, got))


def _alternative(alt: tuple, ids: dict[str, int]) -> tuple[int, bytes | None, tuple[bytes, ...]]:
    """A gate's alternative as the extension takes it: the tag's Lexbor id (0: any), the attribute
    name and the words as lower-case ASCII bytes (Lexbor's "i" folds ASCII letters only)."""
    tag, attr, words = alt
    if not all(w and w.isascii() for w in words):
        raise ValueError(f"a gate word is empty or not ASCII: {words}")
    return ids[tag] if tag else 0, attr.encode() if attr else None, tuple(w.lower().encode() for w in words)


def _configure() -> bool:
    """Give the extension the queries and check them on a probe page; False (after one warning)
    when they must not serve."""
    if not native_walk.AVAILABLE:
        return False
    return native_walk.probed("the compiled whole-tree queries", "Lexbor answers each", _probe_queries)


def _probe_queries() -> bool:
    """Configure the queries; whether they answer a probe page as ``tree.css`` does."""
    probe = LexborHTMLParser(_TAG_PROBE)
    ids = {t: probe.css_first(t).tag_id for t in _TAGS}
    gates = tuple((q, tuple(_alternative(alt, ids) for alt in gate)) for q, gate in QUERIES.items())
    _domwalk.configure_queries(gates)
    return _same(LexborHTMLParser(native_walk.PROBE + _PROBE_TAIL))


# a probe page's tail with a match of every query (checked at import)
_PROBE_TAIL = ("<meta name=author content=x><title>t2</title><script type='application/ld+json'>{}</script>"
               "<link rel=canonical href=/x><span itemprop=author class='byline author'>A</span>"
               "<a rel=author href=/a>A</a><time class=published datetime=2024-01-01>1</time>"
               "<div class=username>u</div><div id=comments><cite class=fn>C</cite></div>")

AVAILABLE = _configure()
