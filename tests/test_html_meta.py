"""HTML metadata: headline, article <time> date and its provenance, page kind, author."""
from __future__ import annotations

import orjson

from topics import ENRICHED
from workers.core.runner import StageRunner, process_values
from workers.core.stages.html import html_page
from workers.core.stages.html_title import head_title
from workers.core.stages.page_kind import page_kind
from workers.settings import from_env

# quality checks, not timing: a loaded machine must not turn a slow first call into a timeout
SETTINGS = from_env(env={}, stage_timeout_s=60.0)


def _enriched(html: str, url: str = "https://paper.example/news/big-news") -> dict:
    settings = SETTINGS
    value = orjson.dumps({"id": "d1", "url": url, "content": html, "content_type": "text/html",
                          "fetched_at": "2025-01-01T00:00:00Z"})
    for stage, outcome in process_values([value], settings, StageRunner(settings, dedupe_window=0)):
        for out in outcome.outputs:
            if stage == "enrich" and out.topic == ENRICHED.name:
                return orjson.loads(out.value)
    raise AssertionError("no enriched record")


ARTICLE = """<html><head><title>Big news on the river | The Paper</title>
<meta property="og:site_name" content="The Paper"><meta name="author" content="Ann Lee">
</head><body><nav><a href="/">Home</a> <time datetime="2020-01-01">menu date</time></nav>
<article><h1>Big news on the river</h1><p>By Ann Lee, <time datetime="2024-03-05T10:00">5 March</time></p>
<p>The river rose by two metres overnight, the town council said on Tuesday morning.</p>
<p>Residents near the old bridge were asked to leave their houses before noon.</p>
<div class="comments"><p>Joe: <time datetime="2024-03-06">6 March</time></p><p>Stay safe everyone.</p></div>
</article></body></html>"""


def test_head_title_cuts_the_site_name_only():
    meta = {"site_name": "The Paper", "canonical_url": "https://www.paper.example/x"}
    assert head_title("Big news | The Paper", meta) == "Big news"
    assert head_title("The Paper - Big news - Local", meta) == "Big news - Local"
    assert head_title("Functions - JavaScript | MDN", {}) == "Functions - JavaScript"
    assert head_title("No separators here", meta) == "No separators here"
    assert head_title("Paper | Big news", {"canonical_url": "https://paper.example/"}) == "Big news"


def test_headline_time_date_and_sources():
    lines, _dom, meta = html_page(ARTICLE)
    assert meta["headline"] == "Big news on the river" and meta["headline_source"] == "heading+head"
    # the article's <time>, not the menu's (chrome) nor the comment's
    assert meta["published_at"] == "2024-03-05T10:00" and meta["published_at_source"] == "time-element"
    assert meta["dom_stats"]["lines"] == len(lines) and meta["dom_stats"]["comment_lines"] == 2
    no_article = ARTICLE.replace("<article>", "<div>").replace("</article>", "</div>")
    _l, _d, meta2 = html_page(no_article.replace('<div class="comments"><p>Joe: <time datetime="2024-03-06">',
                                                 '<div class="comments"><p>Joe: <time>'))
    assert meta2["published_at"] == "2024-03-05T10:00"  # top half of a page without article markup


def test_enriched_record_carries_title_date_source_kind_author():
    rec = _enriched(ARTICLE)
    md = rec["metadata"]
    assert rec["title"] == "Big news on the river"
    assert md["published_at"] == "2024-03-05" and md["published_at_source"] == "time-element"
    assert md["author"] == "Ann Lee" and md["page_kind"] == "article"
    dated = ARTICLE.replace("<head>", '<head><meta property="article:published_time" content="2024-03-04">')
    md = _enriched(dated)["metadata"]
    assert md["published_at"] == "2024-03-04" and md["published_at_source"] == "meta"


def test_text_input_has_no_page_kind_and_text_date_source():
    settings = SETTINGS
    text = ("Harbour news\nPosted on 12 May 2024\nThe harbour reopened on Monday after two weeks of repairs "
            "to the north pier, the port authority said.\nBoats queued at dawn to get back in.")
    value = orjson.dumps({"id": "t1", "content": text, "content_type": "text/plain"})
    recs = [orjson.loads(o.value) for stage, outc in process_values([value], settings, StageRunner(settings))
            for o in outc.outputs if stage == "enrich" and o.topic == ENRICHED.name]
    md = recs[0]["metadata"]
    assert md["page_kind"] is None and md["author"] is None
    assert md["published_at"] == "2024-05-12" and md["published_at_source"] == "text"


def test_page_kind_evidence_order():
    assert page_kind({}, "https://x.example/") == (None, None)
    assert page_kind({"ld_types": ["webpage", "discussionforumposting"]}, None) == ("forum", "json-ld")
    assert page_kind({"og_type": "product"}, "https://shop.example/") == ("product", "og")
    assert page_kind({"og_type": "article"}, "https://x.example/docs/intro") == ("documentation", "url")
    assert page_kind({"og_type": "website"}, "https://docs.x.example/intro") == ("documentation", "url")
    assert page_kind({"dom_stats": {"lines": 80, "link_share": 0.7, "pre_share": 0}}, "https://x.example/a/b") \
        == ("listing", "structure")
    assert page_kind({"og_type": "website"}, "https://x.example/") == ("service", "url")
    assert page_kind({"published_at": "2024-01-01", "title": "t"}, "https://x.example/") == ("article", "default")


def test_page_kind_never_raises_on_odd_metadata():
    odd = [{"ld_types": "product"}, {"dom_stats": "x"}, {"dom_stats": {"lines": "9", "pre_share": None}},
           {"canonical_url": 5}, {"og_type": ["article"]}, {"title": ""}]
    for meta in odd:
        for url in (None, "https://[::1/", "not a url", "https://x.example/"):
            kind, source = page_kind(meta, url)
            assert kind in (None, "article", "service") and (kind is None) == (source is None)


def test_json_ld_with_raw_line_breaks_in_its_strings_is_read():
    ld = ('<script type="application/ld+json">{"@type": "DiscussionForumPosting", "headline": "River plan",\n'
          '"articleBody": "First line\nsecond line\tand a tab", "datePublished": "2024-02-21 13:00:00"}</script>')
    _l, _d, meta = html_page(f"<html><head>{ld}</head><body><p>Some text here.</p></body></html>")
    assert meta["published_at"][:10] == "2024-02-21" and meta["published_at_source"].startswith("json-ld:")
    broken = ld.replace('"River plan",', '"River plan"')   # not JSON at all: still ignored
    _l, _d, meta = html_page(f"<html><head>{broken}</head><body><p>Some text here.</p></body></html>")
    assert "published_at" not in meta


def test_json_ld_authors_are_joined_as_a_byline_prints_them():
    def author(names: str) -> str | None:
        ld = f'<script type="application/ld+json">{{"@type": "NewsArticle", "author": [{names}]}}</script>'
        return html_page(f"<html><head>{ld}</head><body><p>Some text here.</p></body></html>")[2].get("author")
    assert author('{"name": "Ann Lee"}, {"name": "Bo Chen"}, {"name": "Cy Diaz"}') == "Ann Lee, Bo Chen and Cy Diaz"
    assert author('{"name": "Ann Lee"}, {"name": "Bo Chen"}') == "Ann Lee and Bo Chen"
    assert author('{"name": "Ann Lee"}') == "Ann Lee"
