"""The blind HTML pages themselves are well formed (tests/data/heldout3/): every page parses with
balanced tags, its gold file has the fields the HTML evaluations read, and every gold text
(title, content paragraphs, comments, their authors) occurs in the page's visible text, in page
order, after whitespace normalisation. This checks the gold files only; it never runs an
extractor (the figures: ``python bench/eval_html.py --sets heldout-html``)."""
from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser

import pytest

from tests.heldout import HELDOUT3, heldout3_pages

PAGES = heldout3_pages()
KINDS = {"article", "forum", "listing", "collection", "product", "documentation", "service"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HIDDEN = {"script", "style", "template", "noscript", "head"}  # text a reader never sees in the page
BLOCK = {"address", "article", "aside", "blockquote", "body", "br", "button", "dd", "details", "div", "dl", "dt",
         "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
         "html", "label", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "select", "summary",
         "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "ul"}


def norm(text: str) -> str:
    return " ".join(text.split())


class Page(HTMLParser):
    """Visible text (a space at every block boundary), head facts, and tag balance errors."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.title = ""
        self.html_lang = None
        self.dates: list[str] = []   # dates the head's markup states for the article
        self._script_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "meta" and a.get("property") == "article:published_time":
            self.dates.append(a.get("content") or "")
        if tag in BLOCK:
            self.text.append(" ")
        if tag not in VOID:
            self.stack.append(tag)
            self._script_ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag in BLOCK:
            self.text.append(" ")

    def handle_data(self, data):
        if self._script_ld and self.stack and self.stack[-1] == "script":
            self.dates += re.findall(r'"datePublished"\s*:\s*"([^"]+)"', data)
            json.loads(data)  # JSON-LD must be valid JSON
        if "title" in self.stack:
            self.title += data
        if not HIDDEN.intersection(self.stack):
            self.text.append(data)


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    return p


def find_in_order(visible: str, paragraphs: list[str], start: int = 0) -> int:
    for para in paragraphs:
        i = visible.find(norm(para), start)
        assert i >= 0, f"not in the page's visible text (after position {start}): {para[:80]!r}"
        start = i + len(norm(para))
    return start


def test_the_set():
    langs = {p["gold"]["language"] for p in PAGES}
    assert len(PAGES) >= 20 and len(langs) >= 8
    assert len(langs & {"ru", "ja", "zh", "ar", "he", "hi", "th", "ko", "el", "uk", "fa"}) >= 5  # non-Latin scripts
    assert {p["page_type"] for p in PAGES} >= {"article", "forum", "listing", "product", "documentation"}
    with_comments = [p for p in PAGES if p["gold"]["comment_list"]]
    assert 8 <= len(with_comments) <= len(PAGES) - 6   # pages with and without comments
    assert sorted(HELDOUT3.glob("*.json")) == [p.with_suffix(".json") for p in sorted(HELDOUT3.glob("*.html"))]


@pytest.mark.parametrize("page", PAGES, ids=[p["id"] for p in PAGES])
def test_page_is_well_formed(page):
    gold = page["gold"]
    doc = parse(page["html"])
    assert not doc.errors and not doc.stack, (doc.errors[:3], doc.stack)
    assert doc.html_lang and doc.html_lang.split("-")[0] == gold["language"]
    assert norm(doc.title)
    assert page["page_type"] in KINDS and gold["notes"]
    assert re.fullmatch(r"https://[a-z0-9.-]+\.example/\S*", page["url"])
    visible = norm("".join(doc.text))

    assert gold["title"] and norm(gold["title"]) in visible
    assert gold["content"].strip()
    paras = [p for p in gold["content"].split("\n\n")]
    assert all(p.strip() for p in paras)
    find_in_order(visible, paras)
    if gold["publish_date"] is not None:
        published = datetime.date.fromisoformat(gold["publish_date"])
        assert str(published.year) in page["html"] or str(published.year + 543) in visible  # th: Buddhist era
    for d in doc.dates:  # what the head's markup says must agree with the gold
        assert d[:10] == gold["publish_date"], d
    if gold["author"] is not None:
        assert norm(gold["author"]) in visible or gold["author"] in page["html"]

    comments = gold["comment_list"]
    if page["page_type"] == "forum":
        assert not comments, "forum posts are content, not comments"
    pos = 0
    for i, c in enumerate(comments):
        cparas = c["text"].split("\n\n")
        assert all(p.strip() for p in cparas)
        assert not any(norm(p) in paras for p in cparas), "a text is both content and comment"
        pos = find_in_order(visible, cparas, pos)
        if c["author"] is not None:
            assert norm(c["author"]) in visible.replace(norm(c["text"]), "")
        assert c["reply_to"] is None or 0 <= c["reply_to"] < i
    if comments:
        assert visible.find(norm(comments[0]["text"].split("\n\n")[0])) > visible.find(norm(paras[0]))
