"""html_comment_items reads a comment section's records and their leading names with less work
(docs/performance.md, twelfth round): ``_records`` skips a node with fewer record-tag children
than ``MIN_COMMENT_RECORDS`` before grouping them and looks for header elements only beside text
elements, ``_lead`` walks no whitespace-only text node and stops when the comment's text begins
before a name (thirteenth round: the dates after it were read for nothing), ``is_date_text``
remembers the short texts' date shape, both selector lists are asked as one ``:is()``. The same records, leads,
elements and markup authors as their former definitions, on real pages."""
from __future__ import annotations

import collections
import itertools

import pytest
from selectolax.lexbor import LexborHTMLParser

from bench.loaders import html_dev_pages
from workers.core.heuristics import bylines as B
from workers.core.stages import html as H
from workers.core.stages import html_comment_authors as A
from workers.core.stages import html_comment_items as I


def _former_records(section):
    """_records as written before: every node's children grouped by tag."""
    out = []
    for i, node in enumerate(section.traverse(include_text=False)):
        if i >= B.MAX_SECTION_NODES:
            break
        by_tag = collections.defaultdict(list)
        for kid in node.iter(include_text=False):
            if kid.tag in I._RECORD_TAGS:
                by_tag[kid.tag].append(kid)
        full = {}
        short = []
        for kids in by_tag.values():
            if len(kids) < B.MIN_COMMENT_RECORDS:
                continue
            long = [k for k in kids if len(k.text(deep=True, separator=" ").strip()) >= B.MIN_COMMENT_RECORD_CHARS]
            if len(long) >= B.MIN_COMMENT_RECORDS:
                full.update((k.mem_id, k) for k in long)
            else:
                short.extend(kids)
        heads = [k for k in short if (nxt := I._next_element(k)) is not None and nxt.mem_id in full]
        out.extend(full.values())
        if len(heads) >= B.MIN_COMMENT_RECORDS:
            out.extend(heads)
    return out


def _former_is_date_text(text: str) -> bool:
    return len(text) <= B.MAX_DATE_CHARS and I._DATE_SHAPE.search(text) is not None


def _former_lead(record, name_of):
    """_lead as written before: every text node walked, whitespace-only ones too."""
    seen = 0
    dated = False
    found = None
    looking = True
    first = False
    for tn in record.traverse(include_text=True):
        if not tn.is_text_node:
            continue
        t = " ".join((tn.text(deep=False) or "").split())
        if not t:
            continue
        el = tn.parent
        if el is None or el.tag in I._NOT_TAGS and el.tag != "time":
            continue
        seen += 1
        if seen > B.MAX_DATE_TEXTS or dated and not looking:
            break
        if el.tag == "time" or _former_is_date_text(t):
            dated = True
            continue
        if not looking:
            continue
        if seen > B.MAX_LEAD_TEXTS or len(t) > B.MAX_LEAD_NAME_CHARS:
            looking = False
            continue
        whole = " ".join(el.text(deep=True, separator="").split()) if el.mem_id != record.mem_id else ""
        if whole == t and not I._sentence(t) and name_of(t) is not None:
            found, looking, first = el, False, seen == 1
    if found is None:
        return None
    path, n = [], found
    while n is not None and n.mem_id != record.mem_id:
        path.append(n.tag)
        n = n.parent
    if len(path) > 1 and path[0] == "a":
        path = path[1:]
    return found, tuple(reversed(path)), dated, first


def _ids(nodes) -> list[int]:
    return [n.mem_id for n in nodes]


def _lead_key(lead):
    return None if lead is None else (lead[0].mem_id, *lead[1:])


def _pages(n: int):
    for name in ("dragnet-train.jsonl.gz", "wcxb-dev.jsonl.gz"):
        yield from itertools.islice(html_dev_pages(name), n)


def test_records_and_leads_as_before() -> None:
    records = 0
    for page in _pages(60):
        tree = LexborHTMLParser(page["html"])
        for sec in I.sections(tree):
            got = I._records(sec)
            assert _ids(got) == _ids(_former_records(sec))
            records += len(got)
            # every element of the section as a record: leads of any element agree
            for node in itertools.islice(sec.traverse(include_text=False), 400):
                assert _lead_key(I._lead(node, A._name)) == _lead_key(_former_lead(node, A._name))
    assert records > 100


def test_date_text_as_before() -> None:
    for text in ("Reply", "March 3, 2012 at 4:15 pm", "12:45", "3 days ago", "x" * 121, "", "Ann on 2012-10-20"):
        for _ in range(2):   # once computed, once remembered
            assert I.is_date_text(text) == _former_is_date_text(text)


@pytest.fixture()
def former(monkeypatch):
    def use():
        monkeypatch.setattr(I, "_records", _former_records)
        monkeypatch.setattr(I, "_lead", _former_lead)
        monkeypatch.setattr(I, "is_date_text", _former_is_date_text)
        monkeypatch.setattr(A, "is_date_text", _former_is_date_text)
    return use


def test_markup_authors_as_before(former) -> None:
    pages = [p["html"] for p in _pages(60)]
    new = [H._walk(html)[1].get("comment_authors") for html in pages]
    former()
    old = [H._walk(html)[1].get("comment_authors") for html in pages]
    assert new == old
    assert sum(1 for a in new if a) >= 10


def test_compound_queries_match_the_lists() -> None:
    """``:is(list)`` (one walk of the tree) finds the elements the selector list finds."""
    found = 0
    for page in _pages(60):
        tree = LexborHTMLParser(page["html"])
        for listed, compound in ((I.SECTION_SELECTOR, I.SECTION_QUERY), (A.SELECTOR, A.QUERY)):
            want = {n.mem_id for n in tree.css(listed)}
            got = [n.mem_id for n in tree.css(compound)]
            assert sorted(got) == sorted(want) and len(got) == len(want)
            found += len(got)
    assert found > 100


def test_lead_stops_where_the_text_begins() -> None:
    """A record whose text begins before a name has no lead, whatever follows (a date, a name);
    a name before the text keeps its lead and the date after it, as the former definition."""
    text = "This is the comment's text, long enough to be no name at all."
    pages = [
        f"<ul><li><p>{text}</p><span>March 3, 2012 at 4:15 pm</span><b>Ann Smith</b></li></ul>",
        f"<ul><li><b>Ann Smith</b><p>{text}</p><span>March 3, 2012 at 4:15 pm</span></li></ul>",
        f"<ul><li><b>Ann Smith</b><span>March 3, 2012</span><p>{text}</p></li></ul>",
        "<ul><li>" + "".join(f"<i>so true {i}!</i>" for i in range(30)) + "<b>Ann Smith</b></li></ul>",
    ]
    leads = []
    for html in pages:
        li = LexborHTMLParser(html).css_first("li")
        got = I._lead(li, A._name)
        assert _lead_key(got) == _lead_key(_former_lead(li, A._name))
        leads.append(got)
    assert leads[0] is None and leads[3] is None
    assert leads[1] is not None and leads[1][2] and leads[2] is not None and leads[2][2]


def test_author_elements_come_in_page_order_each_once() -> None:
    """``comment_authors`` takes the compound selector's matches as they come (no walk of the
    page for its order on the common path): they are the former page-order sort of the
    de-duplicated matches, on real pages."""
    checked = 0
    for page in _pages(60):
        tree = LexborHTMLParser(page["html"])
        got = tree.css(A.QUERY)
        order = {n.mem_id: i for i, n in enumerate(tree.root.traverse(include_text=False))}
        unique = {e.mem_id: e for e in got}
        assert _ids(got) == _ids(sorted(unique.values(), key=lambda e: order.get(e.mem_id, -1)))
        checked += len(got)
    assert checked > 100


def test_compound_queries_on_awkward_attributes() -> None:
    """The compound queries (each attribute's words behind the attribute) find what the
    selector lists find where the attribute is upper-case, empty, valueless, tab-separated or
    only an id, and on ``cite`` inside SVG."""
    page = ('<div CLASS="Comment-Author">a</div><div class="x FN y">b</div><div class>c</div>'
            '<div class="">d</div><div id="COMMENTS">e</div><div class="comment\tauthor">f</div>'
            '<cite>z</cite><p itemprop="author">q</p><p itemprop="Author">r</p><svg><cite>s</cite></svg>'
            '<div id="myComments" class="">m</div><div class="DISQUS_thread">n</div><span id="x">o</span>')
    tree = LexborHTMLParser(page)
    for listed, compound in ((I.SECTION_SELECTOR, I.SECTION_QUERY), (A.SELECTOR, A.QUERY)):
        want = [n.mem_id for n in tree.css(f":is({listed})")]
        assert [n.mem_id for n in tree.css(compound)] == want
        assert len(want) >= 4
