"""HTML flattening: WET-like lines, DOM reasons and hints, head metadata."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from workers.core.stages.html import flatten_html, flatten_html_lines

PAGE = """<!doctype html><html lang="en-GB"><head>
<title>Big news - The Paper</title>
<meta property="og:site_name" content="The Paper">
<meta property="article:published_time" content="2024-03-01T10:00:00Z">
<link rel="canonical" href="https://paper.example/big-news">
<meta name="description" content="All about the big news.">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Big news",
 "author": {"@type": "Person", "name": "Ann Lee"}}</script>
<style>p { color: red }</style>
</head><body>
<header class="site-header"><a href="/">The Paper</a>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav></header>
<div class="cookie-banner">We use cookies.</div>
<main>
<article>
  <h1 class="entry-title">Big news</h1>
  <p>First <b>para</b>graph of the story.<br>Second line of it.</p>
  <h2>A subheading</h2>
  <ul><li>point one</li><li>point two</li></ul>
  <footer class="entry-footer">Filed under news</footer>
</article>
<aside class="widget"><h3>Recent posts</h3><ul><li>Other story</li></ul></aside>
<div id="comments" class="comments-area">
  <h2>2 thoughts on “Big news”</h2>
  <ol class="comment-list">
    <li class="comment"><div class="comment-author vcard"><cite class="fn">Bob Stone</cite>
      <span class="says">says:</span></div><p>Nice post, thanks.</p></li>
  </ol>
  <div id="respond"><form id="commentform"><p>Leave a Reply</p><input type="submit" value="Post"></form></div>
</div>
</main>
<footer class="site-footer">&copy; 2024 The Paper. All rights reserved.</footer>
<div style="display: none">invisible text</div>
<div hidden>also invisible</div>
<script>document.write("no")</script>
</body></html>"""


def _by_text(lines):
    return {ln.text: ln for ln in lines}


def test_flatten_html_one_line_per_block_keeps_all_visible_text():
    text, meta = flatten_html(PAGE)
    lines = text.split("\n")
    assert "Home" in lines and "World" in lines  # navigation kept, WET style
    assert "First paragraph of the story." in lines  # inline elements joined
    assert "Second line of it." in lines  # <br> breaks the line
    assert "© 2024 The Paper. All rights reserved." in lines  # footer kept
    assert "Bob Stone says:" in lines
    assert "invisible text" not in text and "also invisible" not in text
    assert "document.write" not in text and "color: red" not in text
    assert "Big news - The Paper" not in lines  # <title> is metadata, not a line
    assert all(ln.strip() == ln and ln for ln in lines)


def test_flatten_html_lines_matches_flatten_html():
    text, meta = flatten_html(PAGE)
    lines, meta2 = flatten_html_lines(PAGE)
    assert [ln.text for ln in lines] == text.split("\n")
    assert meta == meta2
    assert [ln.n for ln in lines] == list(range(len(lines)))


def test_dom_reasons_on_chrome_never_in_article():
    lines, _ = flatten_html_lines(PAGE)
    by = _by_text(lines)
    for chrome in ("The Paper", "Home", "World", "We use cookies.", "Recent posts", "Other story",
                   "© 2024 The Paper. All rights reserved.", "Leave a Reply"):
        assert by[chrome].reason == "html-dom", chrome
    for article in ("Big news", "First paragraph of the story.", "A subheading", "point one",
                    "Filed under news"):
        assert by[article].reason is None, article
    assert by["Nice post, thanks."].reason is None


def test_hints():
    lines, _ = flatten_html_lines(PAGE)
    by = _by_text(lines)
    assert by["Big news"].hint == "title"
    assert by["A subheading"].hint == "heading"
    assert by["point one"].hint == "list-item"
    assert by["Bob Stone says:"].hint == "comment-author"
    assert by["Nice post, thanks."].hint == "comments"
    assert by["2 thoughts on “Big news”"].hint == "comments"
    assert by["First paragraph of the story."].hint is None


def test_html_meta():
    _, meta = flatten_html(PAGE)
    assert meta["site_name"] == "The Paper"
    assert meta["published_at"].startswith("2024-03-01")
    assert meta["lang"] == "en-GB"
    assert meta["canonical_url"] == "https://paper.example/big-news"
    assert meta["description"] == "All about the big news."
    assert meta["author"] == "Ann Lee"
    assert meta["title"] == "Big news"  # JSON-LD headline before the <title> with its suffix
    assert meta["page_title"] == "Big news - The Paper"


def test_json_ld_graph_and_microdata_date():
    html = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Garden Notes"},
      {"@type": "BlogPosting", "headline": "Plums", "datePublished": "2023-09-14T08:00:00+02:00"}]}
    </script></head><body><p>x</p></body></html>"""
    _, meta = flatten_html(html)
    assert meta["site_name"] == "Garden Notes"
    assert meta["published_at"].startswith("2023-09-14")
    html2 = '<html><body><time itemprop="datePublished" datetime="2022-01-05">5 Jan</time><p>x</p></body></html>'
    assert flatten_html(html2)[1]["published_at"] == "2022-01-05"


def test_page_wrapping_form_and_layout_classes_are_not_chrome():
    html = """<html><body><form id="aspnetForm"><div class="sidebar-left-layout has-sidebar">
    <div id="content"><h1>Report</h1><p>The actual article text is here.</p></div></div>
    <div class="sidebar"><p>Links</p></div></form></body></html>"""
    lines, _ = flatten_html_lines(html)
    by = _by_text(lines)
    assert by["The actual article text is here."].reason is None
    assert by["Report"].reason is None and by["Report"].hint == "title"
    assert by["Links"].reason == "html-dom"


def test_deeply_nested_html_does_not_recurse():
    depth = 20000
    html = "<div>" * depth + "<p>deep text</p>" + "</div>" * depth
    text, _ = flatten_html(html)
    assert "deep text" in text


def test_pre_keeps_line_breaks_and_table_cells_are_lines():
    html = "<body><pre>line a\nline b</pre><table><tr><td>c1</td><td>c2</td></tr></table></body>"
    assert flatten_html(html)[0].split("\n") == ["line a", "line b", "c1", "c2"]


def test_empty_and_garbage_input():
    assert flatten_html("") == ("", {})
    assert flatten_html_lines("   ") == ([], {})
    text, meta = flatten_html("<<<>>>&&&</p></div>")
    assert isinstance(text, str) and isinstance(meta, dict)


_html_bits = st.sampled_from([
    "<div>", "</div>", "<p>", "</p>", "<nav>", "</nav>", "<li>", "<ul>", "</ul>", "<br>", "<h1>", "</h1>",
    "<div id='comments'>", "<span class='fn'>", "</span>", "<script>", "</script>", "<pre>", "</pre>",
    "<article>", "</article>", "<form>", "</form>", "&amp;", "&nbsp;", "<!--", "-->", "<title>", "</title>",
    "<meta property='og:site_name' content='X'>", "<html lang='de'>",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_html_bits, st.text(max_size=20)), max_size=40))
def test_flatten_never_raises_and_is_deterministic(parts):
    html = "".join(parts)
    a = flatten_html(html)
    b = flatten_html(html)
    assert a == b
    lines, meta = flatten_html_lines(html)
    assert [ln.text for ln in lines] == ([x for x in a[0].split("\n")] if a[0] else [])
    assert all(ln.text and "\n" not in ln.text for ln in lines)
