"""Exact cuts of the HTML path (docs/performance.md, twentieth round): the comment sections are
taken in the order Lexbor answers their compound query (page order) and the page's element order
is read only when structural names are merged; a section's records are grouped by parent in one
walk; the DOM walk asks ``dom_reason`` only where it can answer; the page kind's pagination test
skips an ASCII line that holds none of the pattern's words. Each compared with its former
definition on real pages and on pages built for the edge cases."""
from __future__ import annotations

import itertools
import re

from selectolax.lexbor import LexborHTMLParser

from bench.loaders import html_dev_pages
from topics.records import Removed
from workers.core.heuristics import page_kinds as K
from workers.core.stages import html_comment_items as I
from workers.core.stages import page_kind_model as PM


def _pages(n: int) -> list[str]:
    out = ["", "<p>one line</p>", "<svg><title>only svg</title></svg><p>text</p>"]
    for name in ("wcxb-dev.jsonl.gz", "dragnet-train.jsonl.gz"):
        out += [p["html"] for p in itertools.islice(html_dev_pages(name), n)]
    return out


def _ids(nodes) -> list[int]:
    return [n.mem_id for n in nodes]


def _former_sections(tree) -> list:
    """sections as written before: the candidates de-duplicated and sorted by page order, then
    the same outermost filter."""
    found = list({n.mem_id: n for n in tree.css(I.SECTION_QUERY)}.values())
    order = {n.mem_id: i for i, n in enumerate(tree.root.traverse(include_text=False))}
    found.sort(key=lambda n: order.get(n.mem_id, -1))
    return I.outermost(found)


SECTIONS = (
    "<div id='comments'><div class='comment'><p>a</p></div><div class='commentlist'><p>b</p></div></div>"
    "<template><div class='comments'><p>in a template</p></div></template><svg><g class='comments'></g></svg>"
    "<section class='Comments-Area'><div id='disqus_thread'></div></section><div class='no-comments-here'></div>"
    "<ol class='commentlist'><li class='comment'>x</li></ol><div class='wpdiscuz'></div>",
)


def test_sections_as_before() -> None:
    found = 0
    for html in _pages(80) + list(SECTIONS):
        tree = LexborHTMLParser(html)
        got = I.sections(tree)
        assert _ids(got) == _ids(_former_sections(tree))
        found += len(got)
    assert found > 20


def test_comment_authors_as_before(monkeypatch) -> None:
    """The markup authors of real pages, with the former sections and with the new."""
    from workers.core.stages import html as H
    pages = _pages(60)
    now = [H.flatten_html_lines(p)[1].get("comment_authors") for p in pages]
    monkeypatch.setattr(I, "sections", _former_sections)
    before = [H.flatten_html_lines(p)[1].get("comment_authors") for p in pages]
    assert now == before
    assert sum(1 for a in now if a) > 5


def _former_pagination(removed) -> bool:
    return any(len(r.text) < K.PAGINATION_MAX_CHARS and PM._PAGINATION.search(r.text.strip()) for r in removed)


LINES = ("Next", "NEXT »", "next page", "Nextdoor", "Previous", "prev", "Older posts", "newer", "Load more", "SHOW MORE",
         "More posts", "Page 2 of 9", "page 10 of 12 ", "Pages 2 of 9", "« Back", "Back »", "Read more", "", "   ",
         " next", "Seite 2 von 9", "ſhow more", "prevİous", "nexṫ", "Page 2 of 9" + "x" * 40, "1 2 3 … 9 Next",
         "See the next page", "page\u00a02 of 9", "PAGE 3 OF 4", "Older\n", "x" * 39, "Ｎext")


def test_pagination_as_before() -> None:
    # the pattern is its openers (what the shortcut looks for at a line's start), "page N of M"
    # (its "page " inside) and the non-ASCII arrows: an alternative beyond these fails here
    assert K.PAGINATION == r"^(?:" + "|".join(K.PAGINATION_OPENERS) + r")\b" + r"|\bpage \d+ of \d+\b|^«|»$"
    assert PM._PAGINATION_INSIDE == "page "
    hits = 0
    for text in LINES:
        removed = [Removed(0, text, "navigation")]
        assert PM._pagination(removed) == _former_pagination(removed), text
        hits += PM._pagination(removed)
    assert hits > 10
    for n in range(len(LINES)):
        removed = [Removed(i, t, "navigation") for i, t in enumerate(LINES[n:] + LINES[:n])]
        assert PM._pagination(removed) == _former_pagination(removed)
    assert PM._PAGINATION.pattern == K.PAGINATION and PM._PAGINATION.flags & re.I


RECORDS = (
    "<div id='comments'><template><ul><li>" + "x" * 40 + "</li><li>" + "y" * 40 + "</li></ul></template><ol><li>"
    + "a" * 40 + "</li><li>" + "b" * 40 + "</li></ol><!-- c --><div><div>" + "q" * 40 + "</div><!--x--><div>"
    + "r" * 40 + "</div></div><span><div><dl><dt>Ann</dt><dd>" + "t" * 40 + "</dd><dt>Bo</dt><dd>" + "u" * 40
    + "</dd></dl></div></span><div>" + "s" * 40 + "</div></div>",
    # a parent's first record-tag child after a nested list's records: the parent's records first
    "<div class='comments'><span><ul><li>" + "a" * 40 + "</li><li>" + "b" * 40 + "</li></ul></span><div>" + "c" * 40
    + "</div><div>" + "d" * 40 + "</div></div>",
)


def test_records_grouped_by_parent_as_before(monkeypatch) -> None:
    """``_records`` from one walk that puts each element under its parent: the records of the
    former node-by-node reading, also where a section runs past ``MAX_SECTION_NODES``."""
    from tests.test_comment_items_speed import _former_records
    from workers.core.heuristics import bylines as B
    trees = [LexborHTMLParser(h) for h in _pages(60) + list(RECORDS)]
    for cap in (B.MAX_SECTION_NODES, 40, 7, 1):
        monkeypatch.setattr(B, "MAX_SECTION_NODES", cap)
        records = 0
        for tree in trees:
            for sec in I.sections(tree):
                got = I._records(sec)
                assert _ids(got) == _ids(_former_records(sec)), cap
                records += len(got)
        assert records > (100 if cap > 7 else 0)


class _Everything:
    def __contains__(self, _item) -> bool:
        return True


class _Untouchable:
    """A node that fails on any use (no subtree check may be made)."""
    def __getattr__(self, name):
        raise AssertionError(f"node.{name} read")


def test_walk_asks_dom_reason_only_where_it_can_answer(monkeypatch) -> None:
    """The walk skips ``dom_reason`` for an element that is no chrome tag and has no role and no
    class/id marker of its level outside comments: the same lines, contexts, dates and check
    budget as asking it about every such element (``_CHROME_TAGS`` holding every tag)."""
    from workers.core.stages import html_walk as W
    from workers.core.stages.html_chrome import dom_reason
    from workers.core.stages.html_classes import class_info

    def walk(html):
        tree = LexborHTMLParser(html)
        root = tree.body or tree.root
        w = W.Walker(root)
        if root is not None:
            w.walk(root)
        return w.lines, w.ctx, w.counts, w.frames, w.times, w.checks

    pages = _pages(60) + list(SECTIONS) + list(RECORDS)
    now = [walk(p) for p in pages]
    monkeypatch.setattr(W, "_CHROME_TAGS", _Everything())
    assert now == [walk(p) for p in pages]
    assert sum(1 for lines, *_ in now for ln in lines if ln[1] == W.DOM_REASON) > 100
    # and dom_reason itself: None without touching the node wherever the walk does not ask it
    w = W.Walker(None)
    tags = ("div", "p", "section", "li", "span", "table", "main", "article", "form", "nav", "aside", "header", "footer")
    values = ("", "sidebar", "widget-area", "entry-content", "comments", "menu nav", "share-buttons", "post", "footer")
    for tag in tags:
        for cls in values:
            ci = class_info(cls or None, None)
            for level in (0, 1, 2):
                for comments in (False, True):
                    asked = tag in W._CHROME_TAGS or bool(ci[0]) and not comments and ci[8][level] is not None
                    if not asked:
                        assert dom_reason(w, _Untouchable(), tag, ci, "", level, comments) is None
                        assert w.checks == W.MAX_SUBTREE_CHECKS
