"""The HTML path's whole-tree queries answered in one walk (``html_select.Page``, the compiled
``_domwalk.select``) give ``tree.css``'s nodes in ``tree.css``'s order, duplicates included (a
selector list reports an element once per alternative it matches): on the html-dev pages (skipped
without the shared corpus), on edge cases (a match inside <template>, nested matches, no <head>,
upper-case tags, attributes and values, SVG, long and non-ASCII values, no value) and through
the whole HTML walk; without the extension ``tree.css`` answers."""
from __future__ import annotations

import itertools

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import CORPUS, corpus_or_skip
from workers.core.stages import html as H
from workers.core.stages import html_select as S

pytestmark = pytest.mark.skipif(not S.AVAILABLE, reason="the _domwalk extension is not built (make install)")

EDGE_PAGES = [
    # a match inside <template> (tree.css does not enter its content), nested matches
    "<html><head><title>T</title><meta name=author content=A></head><body>"
    "<template><meta name=x><div class='author byline'>in template</div><cite>c</cite></template>"
    "<div class='byline author-date' id=authorbox><span class=author><span class='AUTHOR'>n</span></span></div>"
    "<div id=comments class=comment-list><ol class=commentlist><li class='comment'><cite class=fn>Ann</cite>"
    "<div class=comment-author><span class=fn>Bob</span></div></li></ol></div></body></html>",
    # no <head>, upper-case tags, attributes and values
    "<BODY><TITLE>Up</TITLE><META NAME=AUTHOR CONTENT=X><LINK REL=CANONICAL HREF=/a><link rel=canonical href=/b>"
    "<SCRIPT TYPE='APPLICATION/LD+JSON'>{}</SCRIPT><script type='application/ld+json'>{}</script>"
    "<DIV CLASS='ByLine PostDate' ID=Comments>x</DIV><A REL='Author me' HREF=/u>U</A><a rel=author>v</a>"
    "<SPAN ITEMPROP=Author>no</SPAN><span itemprop=author>yes</span><TIME CLASS=Published>t</TIME>"
    "<abbr class=published title=2020-01-01>a</abbr><p class=UserName>u</p></BODY>",
    # SVG (a title and a class there), attributes without a value, empty, tabs, long and non-ASCII values
    "<svg><title>svg title</title><g class='author'><a rel=author>s</a></g></svg><div class>none</div>"
    "<div class=''>empty</div><div id>no id</div><p class='x\tbyline\ny'>tab</p>"
    f"<p class='{'z' * 3000} author'>long</p><p class='{'z' * 3000}'>long, none</p>"
    "<p class='Autor dáte àuthor'>non-ASCII</p><p class='ａuthor'>fullwidth</p><p data-class=author>data</p>"
    "<p xml:lang=en class=writer>w</p><div itemprop>no value</div><time itemprop=datePublished>d</time>",
    # nothing at all, a text-only page, a comment
    "",
    "just text",
    "<!-- <meta name=author content=x> --><p>p</p>",
]


def _ids(nodes) -> list[int]:
    return [n.mem_id for n in nodes]


def _same_on(tree: LexborHTMLParser) -> int:
    """Every query the same on ``tree`` both ways (css and css_first); the matches counted."""
    page = S.Page(tree)
    found = 0
    for q in S.QUERIES:
        want = tree.css(q)
        assert _ids(page.css(q)) == _ids(want), q
        first = page.css_first(q)
        assert (first.mem_id if first is not None else None) == (want[0].mem_id if want else None), q
        found += len(want)
    return found


def test_edge_pages_as_tree_css() -> None:
    found = sum(_same_on(LexborHTMLParser(html)) for html in EDGE_PAGES)
    assert found >= 40


def test_duplicates_and_order_of_a_selector_list() -> None:
    """An element matching several alternatives of the byline list comes once per alternative,
    in page order, as Lexbor gives it."""
    tree = LexborHTMLParser("<div class='byline author' id=date1>a</div><p class=writer>b</p>")
    got = [n.tag for n in S.Page(tree).css(S.BYLINE_SELECTOR)]
    assert got == [n.tag for n in tree.css(S.BYLINE_SELECTOR)]
    assert got.count("div") == 3 and got[-1] == "p"


def test_html_dev_pages_as_tree_css() -> None:
    corpus_or_skip()
    files = sorted((CORPUS / "html-dev").glob("*.jsonl.gz"))
    assert files
    from bench.loaders import html_dev_pages
    pages = found = 0
    for path in files:
        for rec in itertools.islice(html_dev_pages(path.name), 60):
            html = rec.get("html") or ""
            found += _same_on(LexborHTMLParser(html))
            pages += 1
    assert pages >= 250 and found > 10_000


def test_the_walk_is_the_same_either_way(monkeypatch) -> None:
    """``html_page``'s lines, features and metadata with the one-walk queries and with tree.css."""
    corpus_or_skip()
    from bench.loaders import html_dev_pages
    pages = [r.get("html") or "" for r in itertools.islice(html_dev_pages("wcxb-dev.jsonl.gz"), 30)] + EDGE_PAGES
    new = [H.html_page(p) for p in pages]
    monkeypatch.setattr(S, "AVAILABLE", False)
    old = [H.html_page(p) for p in pages]
    for (lines, dom, meta), (lines0, dom0, meta0) in zip(new, old):
        assert lines == lines0 and meta == meta0
        assert dom.tobytes() == dom0.tobytes()


def test_without_the_extension_the_tree_answers(monkeypatch) -> None:
    monkeypatch.setattr(S, "AVAILABLE", False)
    tree = LexborHTMLParser(EDGE_PAGES[0])
    page = S.Page(tree)
    monkeypatch.setattr(S, "_domwalk", None)  # never asked
    for q in S.QUERIES:
        assert _ids(page.css(q)) == _ids(tree.css(q))
    assert page.root.mem_id == tree.root.mem_id and page.body.mem_id == tree.body.mem_id


def test_a_gate_that_misses_matches_is_caught(monkeypatch) -> None:
    """The import-time check compares every query with tree.css on a probe page: a gate that
    would skip a match (here the author elements gated on a tag they do not have) fails it."""
    wrong = dict(S.QUERIES)
    wrong[S.AUTHOR_QUERY] = (("meta", None, ()),)
    monkeypatch.setattr(S, "QUERIES", wrong)
    try:
        assert S._configure() is False
    finally:
        monkeypatch.undo()
        assert S._configure() is True
