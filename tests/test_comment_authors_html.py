"""Comment authors on HTML: the markup's author elements become the comments' authors
(html_walk hints, the author-line patterns), and bench/eval_comment_authors.py's measure."""
from __future__ import annotations

from bench import eval_comment_authors as E
from tests.test_html_meta import _enriched
from workers.core.stages.html import flatten_html_lines
from workers.core.stages.segment import _author_of

PARAS = "".join(f"<p>The council met on Tuesday to discuss paragraph {i} of the river plan, and the residents "
                f"asked many questions about the flood defences along the old bridge.</p>" for i in range(6))
REPLIES = ("I grew up by that bridge and the water reached our door twice.",
           "Thanks for writing this, the council should publish the flood maps.",
           "We need the new defences before the next winter storms arrive here.")


def _wp_comments(meta) -> str:
    items = "".join(f"<li class='comment' id='comment-{i}'><div class='comment-body'>{meta(i, name)}"
                    f"<p>{text}</p></div></li>"
                    for i, (name, text) in enumerate(zip(("Annie Andre", "Carl Moss", "Rosa Lind"), REPLIES)))
    return (f"<html><head><title>River plan</title></head><body><article><h1>River plan</h1>{PARAS}</article>"
            f"<div id='comments'><h3>3 comments</h3><ol class='commentlist'>{items}</ol></div></body></html>")


# WordPress themes: the author link (a.url) in a comment-meta block after the date; a <cite>
# after the permalink date (a <cite> without any attribute stays a transparent inline element
# for the walk, not hinted); the author in .comment_author
DATE_FIRST = _wp_comments(lambda i, n: f"<p class='comment-meta'><a href='#c{i}'>On August 2{i}, 2012 at 11:09 am</a> "
                                       f"<cite class='name'>{n}</cite> said:</p>")
META_LINK = _wp_comments(lambda i, n: f"<p class='comment-meta'><a class='url' href='http://x{i}.example'>{n}</a> "
                                      f"on August 2{i}, 2012 at 11:09 am said:</p>")
UNDERSCORE = _wp_comments(lambda i, n: f"<div class='comment-head'><span class='comment_author'>{i + 1} {n}</span></div>")


def test_cite_url_and_underscore_authors_get_the_hint():
    for html in (DATE_FIRST, META_LINK, UNDERSCORE):
        lines, _meta = flatten_html_lines(html)
        hinted = [ln.text for ln in lines if ln.hint == "comment-author"]
        assert len(hinted) == 3, (hinted, html[:80])


def test_author_lines_with_the_date_around_the_name():
    assert _author_of("On August 24, 2012 at 11:09 am Annie Andre said:")[0] == "Annie Andre"
    assert _author_of("On October 29, 2012 at 2:35am, Rosa said...")[0] == "Rosa"
    assert _author_of("Gregg N. on 10/26/2012 at 12:49 PM said:")[0] == "Gregg N."
    assert _author_of("Anton 07.08.12 at 01:31")[0] == "Anton"       # "on"/"at" are words, not name endings
    assert _author_of("1 Melinda October 22, 2012 at 1:57 pm")[0] == "Melinda"
    assert _author_of("1 Tami")[0] == "Tami"                           # the comment's number is not the name
    assert _author_of("Mara Lind on May 3, 2023")[0] == "Mara Lind"
    # a line labelled as an author line keeps the name, not the widget words around it
    assert _author_of("Laura (Tutti Dolci) 09. Aug, 2012 at 4:27 pm #")[0] == "Laura (Tutti Dolci)"
    assert _author_of("Harry @ GoalsOnTrack says:")[0] == "Harry @ GoalsOnTrack"
    assert _author_of("QueenSashy added 1 day ago")[0] == "QueenSashy"
    assert _author_of("+4 #1 munya 2011-06-02 13:28")[0] == "munya"
    assert _author_of("Anonymous")[0] is None
    # a date or a widget word where the name would be is no author
    assert _author_of("23 October 2012")[0] is None
    assert _author_of("Permalink")[0] is None
    assert _author_of("May Lee")[0] == "May Lee"                       # a month name can open a name


def test_records_carry_the_markup_authors():
    for html in (DATE_FIRST, META_LINK):
        rec = _enriched(html, url="https://paper.example/news/river-plan")
        authors = [c["author"] for c in rec["comments"]]
        assert authors == ["Annie Andre", "Carl Moss", "Rosa Lind"], authors


def test_markup_measure():
    assert E.markup_authors(META_LINK) == ["annie andre", "carl moss", "rosa lind"]
    assert E.markup_authors(DATE_FIRST) == ["annie andre", "carl moss", "rosa lind"]
    form = META_LINK.replace("</ol>", "</ol><form><input class='author' value='Your name'></form>")
    assert E.markup_authors(form) == ["annie andre", "carl moss", "rosa lind"]   # the comment form is no comment
    no_section = META_LINK.replace("id='comments'", "id='x'").replace("commentlist", "list")
    assert E.markup_authors(no_section) == []
    rec = {"comments": [{"author": "Annie Andre"}, {"author": "Carl"}, {"author": None}]}
    assert E.score_page(["annie andre", "carl moss", "rosa lind"], rec) == (3, 1, 2, 1)
