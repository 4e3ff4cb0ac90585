"""The article's author from the byline markup (workers/core/stages/html_author.py)."""
from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from workers.core.stages.html import html_page
from workers.core.stages.html_author import clean_name, dom_author, twitter_author


def test_clean_name_cuts_cues_dates_and_roles():
    assert clean_name("By Summer Swann - June 12, 2025") == "Summer Swann"
    assert clean_name("Written by:\n\n  Tom May\n Editor") == "Tom May"
    assert clean_name("December 4, 2025\nby Ann Lee") == "Ann Lee"
    assert clean_name("Posted by David at December 16, 2025 07:12 PM") == "David"
    assert clean_name("Posted by David at 7:12 PM") == "David"
    assert clean_name("Jane at Acme Corp") == "Jane at Acme Corp"   # "at" before a name stays
    assert clean_name("Jared Newman and Sam Singleton") == "Jared Newman and Sam Singleton"
    assert clean_name("Posted by admin") is None            # a CMS placeholder
    assert clean_name("Learn about our editorial process") is None  # a phrase, not a name
    assert clean_name("https://example.org/author/ann") is None
    assert clean_name("262588213843476") is None
    assert clean_name("page.head.extra.author") is None      # an unresolved template variable
    assert clean_name("sara.r.peter") == "sara.r.peter"      # a user handle is a name
    assert clean_name("") is None and clean_name(None) is None


def _author(html: str):
    return dom_author(LexborHTMLParser(html))


def test_byline_element_wins_over_a_comment_author():
    page = """<html><body><div id="comments"><span class="comment-author">Joe Reader</span></div>
    <article><h1>Title</h1><div class="post-author">By <a href="/a/ann">Ann Lee</a> · 3 min read</div>
    <p>Text.</p></article></body></html>"""
    assert _author(page) == ("Ann Lee", "class")
    only_comments = page.replace('class="post-author">By ', 'class="entry-meta">')
    assert _author(only_comments) is None   # a comment's author is never the article's
    cued = page.replace('class="post-author"', 'class="entry-meta"')
    assert _author(cued) == ("Ann Lee", "cue")   # "By <name>" in the meta block, not the comment's


def test_cued_byline_in_a_date_block():
    page = """<html><body><article><h1>Title</h1><div class="article__meta"><span>Dec 5, 2025</span>
    <p class="text-with-icon">By Amy Wilhelm</p></div><p>Text of the article.</p></article></body></html>"""
    assert _author(page) == ("Amy Wilhelm", "cue")
    assert _author(page.replace("By Amy", "Amy")) is None     # no cue: a date block's text is no name
    in_comments = page.replace("<article>", '<div class="comments"><div class="post-meta">By Joe Reader</div></div><article>')
    assert _author(in_comments.replace("By Amy", "Amy")) is None


def test_forum_poster_name():
    page = """<html><body><h1>Wrong refresh rate</h1><div class="post"><dl class="postprofile">
    <dt><a class="username" href="/u/9">microfast</a></dt><dd>Posts: 12</dd></dl>
    <div class="content">My card shows the wrong rate.</div></div><div class="post"><dl class="postprofile">
    <dt><a class="username" href="/u/2">helper</a></dt></dl><div class="content">Try this.</div></div></body></html>"""
    assert _author(page) == ("microfast", "poster")           # the first post's poster
    greeting = '<html><body><div class="username">Hi</div><p>Shop.</p></body></html>'
    assert _author(greeting) is None                          # a signed-in greeting is no name


def test_itemprop_and_rel_author():
    assert _author('<p itemprop="author" itemscope><span itemprop="name">Kim Berg</span> (staff)</p>') \
        == ("Kim Berg", "itemprop")
    assert _author('<p>Words: <a rel="author" href="/u/1">Lena Falk</a></p>') == ("Lena Falk", "rel")
    # an author box's bio is not a byline
    assert _author('<div class="author-bio">Ann has written about rivers for twenty years and lives '
                   'in the valley with her two dogs.</div>') is None


def test_twitter_written_by_pair_and_html_meta_provenance():
    head = ('<meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Ann Lee">'
            '<meta name="twitter:label2" content="Est. reading time"><meta name="twitter:data2" content="3 minutes">')
    assert twitter_author(LexborHTMLParser(head).css("meta")) == "Ann Lee"
    _l, _d, meta = html_page(f"<html><head>{head}<meta name='author' content='Site Admin Team'></head>"
                             "<body><p>Text of the page.</p></body></html>")
    assert meta["author"] == "Ann Lee" and meta["author_source"] == "meta:twitter:data"
    _l, _d, meta = html_page("<html><head><meta name='author' content='1234'></head><body>"
                             "<div class='byline'>By Ann Lee</div><p>Text.</p></body></html>")
    assert meta["author"] == "Ann Lee" and meta["author_source"] == "dom:class"


def test_byline_date_outside_comments_chrome_and_updates():
    from workers.core.stages.html_author import byline_date
    page = """<html><body><aside><span class="post-date">May 1, 2020</span></aside>
    <div class="comments"><span class="comment-date">June 2, 2024</span></div>
    <article><h1>T</h1><div class="entry-meta">Updated March 3, 2024 · Published <b>Feb 9, 2024</b></div>
    <p>Text.</p></article></body></html>"""
    assert byline_date(LexborHTMLParser(page)) is None   # only an update date, a sidebar's and a comment's
    assert byline_date(LexborHTMLParser(page.replace("Updated March 3, 2024 · ", ""))) == "2024-02-09"
    assert byline_date(LexborHTMLParser('<p class="release-date">Release date: 1 May 2020</p>')) is None


def test_byline_date_is_the_last_resort_and_only_on_articles():
    from tests.test_html_meta import _enriched
    body = "<p>The river rose by two metres overnight, the town council said on Tuesday morning.</p>" * 3
    meta_line = "<div class='post-meta'>Listed on 9 February 2024 by the team, ships in two days from our store</div>"
    art = _enriched(f"<html><head><meta property='og:type' content='article'></head><body><article><h1>River</h1>"
                    f"{meta_line}{body}</article></body></html>")
    assert art["metadata"]["page_kind"] == "article"
    assert art["metadata"]["published_at"] == "2024-02-09" and art["metadata"]["published_at_source"] == "byline"
    prod = _enriched(f"<html><head><meta property='og:type' content='product'></head><body><h1>Boots</h1>"
                     f"{meta_line}{body}</body></html>", url="https://shop.example/p/1")
    assert prod["metadata"]["page_kind"] == "product" and prod["metadata"]["published_at"] is None


def test_byline_date_from_a_time_element_and_a_phpbb_author_line():
    from workers.core.stages.html_author import byline_date
    lobsters = ('<div class="byline"><a class="u-author">scvalex</a> <time datetime="2024-08-12 10:00:23">1 year '
                'ago</time></div>')
    assert byline_date(LexborHTMLParser(lobsters)) == "2024-08-12"
    phpbb = '<p class="author">by <strong>Outer</strong> » Tue Aug 27, 2019 1:47 am</p>'
    assert byline_date(LexborHTMLParser(phpbb)) == "2019-08-27"
    updated = '<div class="byline">Updated <time datetime="2024-08-12">1 year ago</time></div>'
    assert byline_date(LexborHTMLParser(updated)) is None


def test_enriched_record_says_where_the_author_came_from():
    """metadata.author_source names the markup that gave metadata.author (schema v3)."""
    from workers import clean

    body = "<p>" + "The river rose again this spring, and the town met to plan. " * 6 + "</p>"
    pages = {
        "json-ld": '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Floods",'
                   ' "author": {"@type": "Person", "name": "Kim Berg"}}</script>',
        "microdata": '<p itemprop="author" itemscope><span itemprop="name">Kim Berg</span></p>',
        "byline": '<div class="post-author">By <a href="/a/kim">Kim Berg</a></div>',
    }
    for want, markup in pages.items():
        html = f"<html><head><title>Floods</title></head><body><article><h1>Floods</h1>{markup}{body}</article></body></html>"
        doc, _ = clean(html, content_type="text/html", url=f"https://news.example.org/{want}")
        assert (doc.metadata.author, doc.metadata.author_source) == ("Kim Berg", want), want
    doc, _ = clean("Floods\n\n" + body[3:-4], content_type="text/plain", url="https://news.example.org/t")
    assert doc.metadata.author is None and doc.metadata.author_source is None
