"""Strip stage: line splitting and labelling on small synthetic pages."""
from __future__ import annotations

from topics.records import Line, RawDocument
from tests.texts import ARTICLE, P1, P2, P3
from workers.core.stages.author_lines import parse_author_line
from workers.core.stages.authors import clean_author, is_name_like
from workers.core.stages.strip import strip
from workers.core.stages.text import split_lines


def _doc(text, url="https://valley.example/news/new-bridge-opens-to-cyclists-and-walkers", profile=None):
    return strip(RawDocument(content=text, id="t1", url=url, content_type="text/plain"), profile)


def _by_text(doc):
    return {ln.text: ln for ln in doc.lines}


def test_split_lines_numbers_and_blank_counts():
    lines = split_lines("a\n\n\n  b  \nc\n\n")
    assert [(ln.n, ln.text, ln.blank_before) for ln in lines] == [(0, "a", 0), (3, "b", 2), (4, "c", 0)]


def test_article_body_title_and_chrome():
    doc = _doc(ARTICLE)
    by = _by_text(doc)
    assert doc.site == "valley.example"
    assert by["New bridge opens to cyclists and walkers"].hint == "title"
    for t in (P1, P2, P3, "How it was built", "1954"):
        assert by[t].reason is None and by[t].hint == "body", t
    expect = {"Skip to content": "navigation", "Valley Gazette": "site-header", "Home": "navigation",
              "By Ann Example": "byline", "March 3, 2024": "dateline", "Advertisement": "advertisement",
              "Share this:": "share", "Tags: bridges, river": "tags", "3 Comments": "comment-chrome",
              "Reply": "comment-action", "Leave a Reply": "comment-form", "Δ": "comment-form",
              "© 2024 Valley Gazette": "copyright"}
    for t, r in expect.items():
        assert by[t].reason == r, (t, by[t].reason)


def test_comment_lines_authors_and_placeholders():
    doc = _doc(ARTICLE)
    by = _by_text(doc)
    assert by["Tom Tester says:"].reason is None and by["Tom Tester says:"].hint == "comment-author"
    assert by["Anonymous says:"].reason == "placeholder-author"
    assert by["March 4, 2024 at 9:12 pm"].reason == "comment-meta"
    starts = [ln.text for ln in doc.lines if ln.hint == "comment-start"]
    assert len(starts) == 3 and starts[0].startswith("Finally!")


def test_every_line_is_labelled_with_a_known_reason_or_kept():
    from workers.core.heuristics.reasons import REASONS
    doc = _doc(ARTICLE)
    for ln in doc.lines:
        assert ln.reason is None or ln.reason in REASONS
        if ln.reason is None:
            assert ln.hint in ("title", "body", "comment-author", "comment-start", "comment", "comment-author-after")


def test_hard_negatives_stay_content():
    text = "\n\n".join([
        "Harvest notes",
        "We picked the last of the beans this week and here is what we used:",
        "200 g butter", "3 eggs", "FAQ",
        "“The frost came early,” she wrote, “and the leaves turned black overnight.”",
        "What to plant next:",
        "Garlic, in rows a hand apart, before the ground freezes hard in the first cold week of November.",
    ])
    doc = _doc(text, url=None)
    kept = [ln.text for ln in doc.lines if ln.reason is None]
    assert kept == [ln.text for ln in doc.lines]  # nothing removed
    assert doc.lines[0].hint == "title"


def test_error_page_is_all_boilerplate():
    text = "Metro Site\nNews\nPage not found\nSorry, we couldn't find the page you were looking for.\nHome\n"
    doc = _doc(text)
    assert all(ln.reason is not None for ln in doc.lines)


def test_unrendered_widget_yields_no_comments():
    text = ARTICLE.split("3 Comments")[0] + "Please enable JavaScript to view the comments powered by Disqus.\n" \
        "comments powered by Disqus\nLatest\nAnother headline about something else\n"
    doc = _doc(text)
    assert not any(ln.hint in ("comment-start", "comment-author") for ln in doc.lines)
    by = _by_text(doc)
    assert by["Another headline about something else"].reason is not None


def test_donation_month_banner_is_not_a_dateline():
    text = "0 $\n2,500 $\n480 $\nMAY 2023\n\nA headline for the test\n\n" + P1 + "\n\n" + P2 + "\n"
    doc = _doc(text, url=None)
    by = _by_text(doc)
    assert by["MAY 2023"].reason == "donation"
    assert by["480 $"].reason == "donation"


def test_html_input_goes_through_the_html_flattener(monkeypatch):
    from workers.core.stages import html as H
    calls = []

    def fake(html):
        calls.append(html)
        return ([Line(n=0, text="Menu", reason="html-dom"), Line(n=1, text="A headline that is here"),
                 Line(n=2, text=P1), Line(n=3, text=P2)], {"lang": "en"})

    monkeypatch.setattr(H, "flatten_html_lines", fake, raising=False)
    doc = strip(RawDocument(content="<html>x</html>", id="h", content_type="text/html"), None)
    assert calls == ["<html>x</html>"]
    assert doc.lines[0].reason == "html-dom"          # DOM reasons are respected
    assert doc.html_meta == {"lang": "en"}
    assert [ln.hint for ln in doc.lines[1:]] == ["title", "body", "body"]


def test_author_line_parsing():
    assert parse_author_line("Ben Otieno says:")[:2] == ("Ben Otieno", None)
    assert parse_author_line("Hanne B. said...")[:2] == ("Hanne B.", None)
    assert parse_author_line("Submitted by Pauline (not verified) on Sun, 02/11/2024 - 08:15")[0] == "Pauline"
    assert parse_author_line("Wiebke•last month")[:2] == ("Wiebke", "last month")
    assert parse_author_line("by garaged (579941)")[0] == "garaged"
    assert parse_author_line("Ruth from number 14 says: they arrive at the same minute every night.") is None
    assert clean_author("Anónimo") is None
    assert is_name_like("Pave Way IV", strict=True)
    assert not is_name_like("GO HUSKIES", strict=True)
    assert not is_name_like("thank you!!")
    # each of these characters alone makes a line not a name (the set is checked, not a loop)
    assert is_name_like("Mara Lind") and is_name_like("Mara-Lind")
    for ch in ",;:!?\"“”„()[]{}<>|/\\=+*#%$€£@…":
        assert not is_name_like(f"Mara{ch}Lind"), ch


def test_newsletter_blurb_goes_with_its_box():
    text = "\n".join([
        "A headline for the newsletter test", P1, P2, P3,
        "Sign up to our morning newsletter",
        "The valley's news before breakfast, every weekday.",
        "Email address",
        "Sign up",
        "© 2024 Valley Gazette",
    ])
    by = _by_text(_doc(text, url=None))
    assert by["The valley's news before breakfast, every weekday."].reason == "newsletter"
    assert by[P3].reason is None and by[P3].hint == "body"


def test_short_list_before_comment_widget_stays_body():
    items = ["What you will need", "a ladder long enough for the gutter", "a bucket and a garden trowel",
             "gloves"]
    text = "\n".join(["Clearing the gutters before winter", P1, P2, P3] + items + [
        "Add a comment", "Comment anonymously", "Add Comment", "Upvotes", "Newest", "Oldest",
        "jo_b", "3 days ago", "Done it last week, took an hour and a half for the whole house.", "Reply",
        "Commento"])
    by = _by_text(_doc(text, url=None))
    for t in items:
        assert by[t].reason is None and by[t].hint == "body", t
    # a column of Title Case headlines there is a related list, not the article
    related = ["Repairing a Leaking Downpipe in an Afternoon", "Choosing Gutter Guards That Actually Work",
               "Why Your Gutters Overflow in Heavy Rain"]
    text = "\n".join(["Clearing the gutters before winter", P1, P2, P3, "More from the blog"] + related + [
        "Add a comment", "Upvotes", "Newest", "jo_b", "3 days ago",
        "Done it last week, took an hour and a half for the whole house.", "Reply"])
    by = _by_text(_doc(text, url=None))
    for t in related:
        assert by[t].reason is not None, t


def test_glued_comment_form_title_is_not_a_comment():
    text = ARTICLE.replace("Leave a Reply\n", "Laisser un commentaire Annuler la réponse\n")
    doc = _doc(text)
    by = _by_text(doc)
    assert by["Laisser un commentaire Annuler la réponse"].reason == "comment-form"
    assert len([ln for ln in doc.lines if ln.hint == "comment-start"]) == 3


def test_giscus_editor_tabs_are_chrome():
    text = ARTICLE.split("Leave a Reply")[0] + "Write\nPreview\nSign in to comment\n– powered by giscus\n"
    by = _by_text(_doc(text))
    assert by["Write"].reason is not None
    assert by["@Anonymous yes, the sign at the east end says so."].hint == "comment-start"


def test_widget_author_lines_with_role_label_or_day_at_time():
    head = ARTICLE.split("3 Comments")[0]
    coral = head + "\n".join([
        "Join the conversation", "All Comments", "Sort By", "Newest",
        "greenfinger", "2 days ago", "Which probe did you use? The cheap ones corrode within weeks.", "Reply",
        "soilnotes", "Staff", "yesterday", "Replying to: greenfinger",
        "A capacitive one, for exactly that reason. It has survived the season.", "Reply", "Load More"])
    remark = head + "\n".join([
        "Sort by", "Best", "Newest", "Oldest",
        "greenfinger", "2 days ago", "Which probe did you use? The cheap ones corrode within weeks.", "Reply",
        "soilnotes", "yesterday at 18:20", "A capacitive one, for exactly that reason. It has survived the season.",
        "Reply", "Powered by Remark42"])
    for text in (coral, remark):
        by = _by_text(_doc(text))
        assert by["soilnotes"].hint == "comment-author"
        assert by["A capacitive one, for exactly that reason. It has survived the season."].hint == "comment-start"
