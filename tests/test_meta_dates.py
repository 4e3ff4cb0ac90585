"""Round 3 of the publication date (#10): microdata dates of comments and answers skipped,
a Q&A page's dateCreated, camel-case byline classes, cued dates anywhere in the article and
a date line removed as page chrome next to the title (html_meta.py, html_author.py,
enrich/published.py, dates.cued_date)."""
from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from tests.test_html_meta import _enriched
from workers.core.stages.comment_times import parse_comment_time
from workers.core.stages.dates import cued_date, parse_date_text
from workers.core.stages.html import flatten_html_lines
from workers.core.stages.html_author import byline_candidates, byline_date
from workers.core.stages.html_meta import _microdata_date

PARAS = "".join(f"<p>The council met on Tuesday to discuss paragraph {i} of the river plan, and the residents "
                f"asked many questions about the flood defences along the old bridge.</p>" for i in range(6))


def test_microdata_skips_comment_and_answer_dates_and_reads_the_question():
    html = ("<html><body><div itemscope itemtype='https://schema.org/Question'><h1>How to back up?</h1>"
            "<time itemprop='dateCreated' datetime='2011-02-11 23:49:17Z'>Feb 11, 2011</time>"
            "<p>I want to back up my whole system.</p>"
            "<div itemprop='comment' itemscope itemtype='https://schema.org/Comment'>"
            "<time itemprop='datePublished'>2019-01-21T21:40:59Z</time> nice question</div>"
            "<div itemprop='acceptedAnswer' itemscope itemtype='https://schema.org/Answer'>"
            "<time itemprop='dateCreated' datetime='2011-02-12 01:01:43Z'>Feb 12</time> use rsync</div>"
            "</div></body></html>")
    assert _microdata_date(LexborHTMLParser(html)) == ("2011-02-11 23:49:17Z", "dom:time[itemprop=dateCreated]")
    # the comment's datePublished alone is no date of the page
    only_comment = html.replace("itemprop='dateCreated' datetime='2011-02-11 23:49:17Z'", "")
    assert _microdata_date(LexborHTMLParser(only_comment)) is None
    # an article's own datePublished still wins over everything below it
    article = html.replace("<h1>", "<time itemprop='datePublished' datetime='2011-02-10'></time><h1>")
    assert _microdata_date(LexborHTMLParser(article)) == ("2011-02-10", "dom:time[itemprop=datePublished]")


def test_byline_classes_match_whatever_their_case():
    html = ("<html><body><article><h1>Hotspots</h1><div class='Author_content'><p class='Author_name'>Nick Mead"
            "</p><span class='Author_publicationTime__F2lab'>2022-11-23T08:10+02:00</span></div>"
            f"{PARAS}</article></body></html>")
    tree = LexborHTMLParser(html)
    assert byline_date(tree, byline_candidates(tree)) == "2022-11-23"
    lower = html.replace("Author_publicationTime__F2lab", "author-publicationtime")
    tree = LexborHTMLParser(lower)
    assert byline_date(tree, byline_candidates(tree)) == "2022-11-23"


def test_cued_date_needs_the_cue_at_the_start_or_after_a_separator():
    assert str(cued_date("Posted on the 15/12/2025 at 19:00 by @ann")) == "2025-12-15"
    assert str(cued_date("Essay - Published: 2025.12.17 | programming | create")) == "2025-12-17"
    assert str(cued_date("Veröffentlicht am 3. März 2024")) == "2024-03-03"
    assert cued_date("The study we published on 3 March 2021 found more floods") is None   # running text
    assert cued_date("By Ann Lee 3 March 2021") is None          # a name cue: byline_shaped's job
    assert cued_date("Posted in Gardening, 3 March 2021") is None   # the cue is not right before the date


def test_cued_line_at_the_article_bottom_dates_it():
    html = ("<html><head><title>Rust GCC backend</title></head><body><article><h1>Rust GCC backend</h1>"
            f"{PARAS}<p>Posted on the 15/12/2024 at 19:00 by @ann</p></article></body></html>")
    md = _enriched(html, url="https://blog.example/articles/rust-gcc")["metadata"]
    assert md["published_at"] == "2024-12-15" and md["published_at_source"] == "text"
    # the same line in running text, or without its cue, dates nothing
    for line in ("We said it was posted on 15/12/2024 at 19:00 by @ann, and more text follows here.",
                 "Seen on the 15/12/2024 at 19:00 by @ann"):
        md = _enriched(html.replace("Posted on the 15/12/2024 at 19:00 by @ann", line),
                       url="https://blog.example/articles/rust-gcc")["metadata"]
        assert md["published_at"] is None, line


def test_a_date_line_removed_as_chrome_next_to_the_title_dates_the_article():
    nav = "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(6))
    html = ("<html><head><title>Climate hotspots</title></head><body><nav><ul>{nav}</ul></nav>"
            "<h1>Climate hotspots</h1><aside><p>2022-11-23T08:10+02:00</p></aside>"
            f"<main>{PARAS}</main><footer><p>2019-01-01</p></footer></body></html>").replace("{nav}", nav)
    lines, _meta = flatten_html_lines(html)
    assert any(ln.text == "2022-11-23T08:10+02:00" and ln.reason == "html-dom" for ln in lines)
    md = _enriched(html, url="https://energy.example/insights/climate-hotspots")["metadata"]
    assert md["published_at"] == "2022-11-23" and md["published_at_source"] == "text"
    # far from the title (the footer's date), a chrome line dates nothing
    far = html.replace("<aside><p>2022-11-23T08:10+02:00</p></aside>", "")
    md = _enriched(far, url="https://energy.example/insights/climate-hotspots")["metadata"]
    assert md["published_at"] is None


def test_publication_dates_read_the_month_names_of_the_comment_vocabulary():
    # one date vocabulary (heuristics/dates.py): the ru/pl/sv/tr month names comment headers are
    # read with (MONTHS_EXTRA) date articles too
    assert str(parse_date_text("27 ноября 2015 в 22:57")) == "2015-11-27"
    assert str(parse_date_text("Opublikowano 3 maja 2021")) == "2021-05-03"
    assert str(parse_date_text("17 Kasım 2012")) == "2012-11-17"
    assert parse_date_text("Kasım 2012") is None           # a month without its day is no date
    html = ("<html lang='ru'><head><title>Река</title></head><body><article><h1>Река</h1><p>27 ноября 2015</p>"
            + "".join(f"<p>Совет обсудил пункт {i} плана реки, жители задали много вопросов о дамбах.</p>"
                      for i in range(6)) + "</article></body></html>")
    md = _enriched(html, url="https://gazeta.example/news/reka")["metadata"]
    assert md["published_at"] == "2015-11-27"
    assert parse_comment_time("27 ноября 2015 в 22:57") == "2015-11-27T22:57"   # comment times as before


def test_a_comment_headers_time_datetime_is_its_posted_at():
    from tests.test_comment_authors_html import _wp_comments
    # printed day-first-or-month-first ("6/7/2021"): the markup's datetime says which
    html = _wp_comments(lambda i, n: f"<div class='comment-meta'><cite class='fn'>{n}</cite> "
                                     f"<time datetime='2021-06-0{i + 1}T23:5{i}:00+00:00'>6/0{i + 1}/2021 at 11:5{i}pm"
                                     f"</time></div>")
    _lines, meta = flatten_html_lines(html)
    assert [t[1][:10] for t in meta["comment_times"]] == ["2021-06-01", "2021-06-02", "2021-06-03"]
    rec = _enriched(html, url="https://paper.example/news/river-plan")
    got = [(c["author"], c["posted_at"]) for c in rec["comments"]]
    assert got == [("Annie Andre", "2021-06-01T23:50"), ("Carl Moss", "2021-06-02T23:51"),
                   ("Rosa Lind", "2021-06-03T23:52")], got
    # without the datetime the printed text is read as before (day first: no locale cue here)
    printed = html.replace("<time datetime=", "<time data-x=")
    rec = _enriched(printed, url="https://paper.example/news/river-plan")
    assert [c["posted_at"] for c in rec["comments"]][0] == "2021-01-06T23:50"
    assert "comment_times" not in flatten_html_lines(printed)[1]


def test_machine_time_reads_dates_and_clock_times_only():
    from workers.core.stages.printed_times import machine_time
    assert machine_time("2021-06-01T23:50:00+02:00") == "2021-06-01T23:50"
    assert machine_time("2021-06-01") == "2021-06-01"
    assert machine_time("2021-06-01 07:05") == "2021-06-01T07:05"
    assert machine_time("2021-02-30") is None and machine_time("PT5M") is None and machine_time("") is None
