"""Segment stage: title, body, comments with authors, times and threading."""
from __future__ import annotations

from topics.records import RawDocument
from workers.core.stages import segment as G
from workers.core.stages.printed_times import parse_printed_time
from workers.core.stages.strip import strip
from tests.texts import ARTICLE, P1, P2, P3


def _seg(text, url="https://valley.example/news/new-bridge-opens-to-cyclists-and-walkers", fetched="2024-03-10T00:00:00Z"):
    raw = RawDocument(content=text, id="t", url=url, content_type="text/plain", fetched_at=fetched)
    return G.segment(strip(raw, None))


def test_title_body_and_removed():
    seg = _seg(ARTICLE)
    assert seg.title == "New bridge opens to cyclists and walkers"
    assert seg.body_paragraphs == [P1, "How it was built", P2, "1954", P3]
    reasons = {r.text: r.reason for r in seg.removed}
    assert reasons["By Ann Example"] == "byline"
    assert "Tom Tester says:" not in reasons          # author lines are consumed, not boilerplate
    assert reasons["Anonymous says:"] == "placeholder-author"
    assert seg.line_count == len([x for x in ARTICLE.split("\n") if x.strip()])


def test_comments_authors_times_and_reply_to():
    seg = _seg(ARTICLE)
    assert [c.author for c in seg.comments] == ["Tom Tester", None, "Rita Q"]
    assert [c.index for c in seg.comments] == [0, 1, 2]
    assert seg.comments[0].posted_text == "March 4, 2024 at 9:12 pm"
    assert seg.comments[0].posted_at == "2024-03-04T21:12"
    assert seg.comments[2].reply_to == 1               # "@Anonymous" at the start
    assert seg.comments[0].reply_to is None


def test_bare_names_blank_slots_and_multi_paragraph_comments():
    text = "\n".join([
        "A headline for the test", "", P1, "", P2, "", "Notify of", "View all comments", "",
        "First comment without a name, and it is long enough to be a sentence.", "",
        "Jane Roe", "", "Second comment first paragraph.", "", "Second comment second paragraph.", "", "",
        "Third comment in an empty author slot.", "", "Would love your thoughts, please comment.x",
    ])
    seg = _seg(text, url=None)
    assert [(c.author, c.text) for c in seg.comments] == [
        (None, "First comment without a name, and it is long enough to be a sentence."),
        ("Jane Roe", "Second comment first paragraph.\n\nSecond comment second paragraph."),
        (None, "Third comment in an empty author slot."),
    ]
    assert seg.body_paragraphs == [P1, P2]


def test_wpdiscuz_reply_to_marker_and_relative_time():
    text = "\n".join([
        "A headline for the test", P1, P2, "2 Comments", "Newest Most Voted", "Guest", "Sam Doe", "2 days ago",
        "Is the car park free on Sundays?", "3", "Reply", "Guest", "Kim Lee", "1 day ago", "Reply to  Sam Doe",
        "Yes, all day.", "0", "Reply", "Load More Comments",
    ])
    seg = _seg(text, url=None)
    assert [c.author for c in seg.comments] == ["Sam Doe", "Kim Lee"]
    assert seg.comments[1].reply_to == 0
    assert seg.comments[0].posted_text == "2 days ago"
    assert seg.comments[0].posted_at == "2024-03-08"


def test_drupal_in_reply_to_and_typed_subject():
    text = "\n".join([
        "A headline for the test", P1, P2, "Comments",
        "Submitted by alice on Fri, 02/09/2024 - 19:47", "Permalink", "Great work",
        "Thanks for running the survey this year.", "Log in or register to post comments",
        "Submitted by bob (not verified) on Sat, 02/10/2024 - 09:12", "In reply to Great work by alice",
        "Permalink", "I agree with you…", "I agree with you, and I would help next year.",
        "Log in or register to post comments",
    ])
    seg = _seg(text, url=None)
    assert [(c.author, c.text) for c in seg.comments] == [
        ("alice", "Great work\n\nThanks for running the survey this year."),
        ("bob", "I agree with you, and I would help next year."),
    ]
    assert seg.comments[1].reply_to == 0
    assert seg.comments[0].posted_at == "2024-02-09T19:47"   # the weekday picks m/d/Y


def test_removed_comment_is_not_a_comment():
    text = "\n".join([
        "A headline for the test", P1, P2, "2 comments:", "Anonymous said...",
        "This comment has been removed by a blog administrator.", "May 1, 2024 at 2:11 AM",
        "Lena said...", "Lovely, thank you.", "May 2, 2024 at 4:22 PM", "Post a Comment",
    ])
    seg = _seg(text, url=None)
    assert [(c.author, c.text, c.posted_at) for c in seg.comments] == [("Lena", "Lovely, thank you.", "2024-05-02T16:22")]


def test_parse_date_formats():
    assert parse_printed_time("11. Juni 2024 um 17:52 Uhr") == "2024-06-11T17:52"
    assert parse_printed_time("5 de marzo de 2024 12:40") == "2024-03-05T12:40"
    assert parse_printed_time("Posted 14/11/2023") == "2023-11-14"
    assert parse_printed_time("last month", "2024-04-16T07:41:09Z") == "2024-03-17"
    assert parse_printed_time("no date here") is None


def test_documents_without_role_hints_fall_back():
    from topics.records import Line, StrippedDocument
    doc = StrippedDocument(id="x", url=None, content_type="text/plain", fetched_at=None, source=None, site="unknown",
                           lines=[Line(n=0, text="A title"), Line(n=1, text=P3), Line(n=2, text="Menu", reason="navigation")])
    seg = G.segment(doc)
    assert seg.title == "A title" and seg.body_paragraphs == [P3]
    assert [(r.text, r.reason) for r in seg.removed] == [("Menu", "navigation")]


def test_trailing_author_lines_belong_to_the_comment_above():
    text = "\n".join([
        "A headline for the test", P1, P2, "Comments",
        "You can follow this conversation by subscribing to the comment feed for this post.",
        "Great piece, I shared it with my whole team this morning.",
        "Posted by: Maya | June 15, 2012 at 09:38 AM",
        "I disagree with the second half, but the numbers are interesting.",
        "Posted by: Jon P | June 16, 2012 at 10:00 PM",
        "Post a comment",
    ])
    seg = _seg(text, url=None)
    assert [(c.author, c.posted_at) for c in seg.comments] == [("Maya", "2012-06-15T09:38"), ("Jon P", "2012-06-16T22:00")]
    assert seg.comments[1].text.startswith("I disagree")


def test_many_comments_stay_linear():
    import time
    names = ["Ann Lee", "Bob Roe", "Cy Tan", "Di Moss", "Ed Hale"]
    rows = ["A headline for the test", P1, P2, "9 thoughts on “x”"]
    for i in range(3000):
        rows += [f"{names[i % 5]} says:", f"May {i % 28 + 1}, 2023 at 9:{i % 60:02d} pm",
                 f"@{names[(i + 1) % 5]} reply number {i} with enough words in it.", "Reply"]
    t0 = time.perf_counter()
    seg = _seg("\n".join(rows), url=None)
    assert time.perf_counter() - t0 < 3.0
    assert len(seg.comments) == 3000
    assert seg.comments[10].reply_to == 6 and seg.comments[10].author == "Ann Lee"  # latest "Bob Roe" before it
