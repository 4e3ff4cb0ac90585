"""Comment authors from the markup (workers/core/stages/html_comment_authors.py): the author
elements of a comment section, the line each prints on, and which comment each belongs to."""
from __future__ import annotations

from tests.test_html_meta import _enriched
from workers.core.stages.html import flatten_html_lines
from workers.core.stages.html_comment_authors import apply_markup_authors

PARAS = "".join(f"<p>The council met on Tuesday to discuss paragraph {i} of the river plan, and the residents "
                f"asked many questions about the flood defences along the old bridge.</p>" for i in range(6))
NAMES = ("Annie Andre", "Carl Moss", "Rosa Lind")
TEXTS = ("I grew up by that bridge and the water reached our door twice in one winter.",
         "Thanks for writing this, the council should publish the flood maps for every street.",
         "We need the new defences before the next winter storms arrive here, Annie is right.")


def _page(item) -> str:
    items = "".join(item(i, n, t) for i, (n, t) in enumerate(zip(NAMES, TEXTS)))
    return (f"<html><head><title>River plan</title></head><body><article><h1>River plan</h1>{PARAS}</article>"
            f"<div id='comments'><h3>3 comments</h3><ol class='commentlist'>{items}</ol></div></body></html>")


# a bare <cite> after the date (the walk gives it no author hint)
BARE_CITE = _page(lambda i, n, t: f"<li class='comment'><div class='cmtinfo'><em> on <a href='#c{i}'>2012-10-2{i} at "
                                  f"8:0{i} am</a></em> <cite>{n}</cite></div><p>{t}</p></li>")
# an hCard block that prints the date and a "Follow" link beside the name link
VCARD = _page(lambda i, n, t: f"<li class='comment'><div class='comment-author vcard'><p class='comment-date'>"
                              f"November {i + 5}, 2012</p><p class='comment-name'><a class='url' href='http://x{i}.example'>"
                              f"{n}</a></p> <a class='follow' href='/f{i}'>Follow</a></div><p>{t}</p></li>")
# Stack Exchange style: the text first, then " – Name date"
UNDER = _page(lambda i, n, t: f"<li class='comment'><div class='comment-body'><div class='comment-copy'>{t}</div> – "
                              f"<a class='comment-user' href='/u/{i}'>{n}</a> <span class='comment-date'>"
                              f"Mar 2{i}, 2014 at 15:3{i}</span></div></li>")


def test_the_markup_names_and_their_lines():
    for html in (BARE_CITE, VCARD, UNDER):
        lines, meta = flatten_html_lines(html)
        found = meta["comment_authors"]["names"]
        assert [name for _n, name in found] == list(NAMES), (found, html[-400:])
        for n, name in found:
            assert name in lines[n].text
    assert flatten_html_lines(UNDER)[1]["comment_authors"]["under"] is True
    assert flatten_html_lines(VCARD)[1]["comment_authors"]["under"] is False


def test_no_section_or_no_author_element_gives_no_key():
    no_section = BARE_CITE.replace("id='comments'", "id='x'").replace("commentlist", "list")
    assert "comment_authors" not in flatten_html_lines(no_section)[1]
    plain = _page(lambda i, n, t: f"<li class='comment'><p>{n} wrote on 2012-10-2{i}</p><p>{t}</p></li>")
    assert "comment_authors" not in flatten_html_lines(plain)[1]


def test_markup_printed_as_text_is_no_name():
    from workers.core.stages.html_comment_authors import _name

    assert _name("<span>L.b. Found</span>") is None
    assert _name("Ann Lee says:") == "Ann Lee"
    assert _name("http://rickyleepotts.com/ rickyleepotts") == "rickyleepotts"
    assert _name("Trevor Shelley-de Brauw | Posted at 12:45pm") == "Trevor Shelley-de Brauw"
    assert _name("Profile") is None and _name("Anonymous") is None


def test_a_name_in_a_comments_text_or_a_quote_is_no_author_line():
    # "Annie is right" in the third text, and a <cite> quoted inside a long paragraph
    quoted = BARE_CITE.replace(TEXTS[1], TEXTS[1] + " As <cite>The River Book</cite> says, the water always comes "
                                         "back to the places it has been before, whatever the council builds.")
    names = [name for _n, name in flatten_html_lines(quoted)[1]["comment_authors"]["names"]]
    assert names == list(NAMES)


def test_records_get_the_markup_authors():
    for html in (BARE_CITE, VCARD, UNDER):
        rec = _enriched(html, url="https://paper.example/news/river-plan")
        pairs = [(c["author"], c["text"]) for c in rec["comments"]]
        assert pairs == list(zip(NAMES, TEXTS)), pairs


def _comments(spans):
    return [{"start": s, "first": f, "end": e, "author": None, "shown": None} for s, f, e in spans]


def test_each_comment_takes_its_own_element():
    # names above the text; the labeller kept the third header as the second comment's last line
    comments = _comments([(10, 11, 12), (14, 14, 17), (18, 18, 19)])
    apply_markup_authors(comments, {"names": [[10, "Ann"], [13, "Bo"], [17, "Cy"]], "under": False})
    assert [c["author"] for c in comments] == ["Ann", "Bo", "Cy"]
    # a wrong header line above the text (a signature the labeller read as the next header) is passed over
    comments = _comments([(5, 6, 6), (8, 10, 11)])
    comments[1]["author"] = "Signature"
    apply_markup_authors(comments, {"names": [[5, "Ann"], [10, "Bo"]], "under": False})
    assert [c["author"] for c in comments] == ["Ann", "Bo"]
    # names under the text: each comment takes the first one after its first line
    comments = _comments([(20, 20, 21), (23, 23, 23), (25, 25, 26)])
    apply_markup_authors(comments, {"names": [[22, "Ann"], [24, "Bo"], [27, "Cy"]], "under": True})
    assert [c["author"] for c in comments] == ["Ann", "Bo", "Cy"]
    # unknown side: names above, since one stands before the first comment's text
    comments = _comments([(20, 21, 21), (23, 24, 24)])
    apply_markup_authors(comments, {"names": [[20, "Ann"], [23, "Bo"]], "under": None})
    assert [c["author"] for c in comments] == ["Ann", "Bo"]
    # a comment with no element of its own keeps the header's name; no markup changes nothing
    comments = _comments([(1, 2, 3), (5, 6, 7)])
    comments[0]["author"] = "Parsed"
    apply_markup_authors(comments, {"names": [[5, "Bo"]], "under": False})
    assert [c["author"] for c in comments] == ["Parsed", "Bo"]
    apply_markup_authors(comments, None)
    assert [c["author"] for c in comments] == ["Parsed", "Bo"]


def test_the_measure_pairs_each_comment_with_its_item():
    from bench import eval_comment_authors as E

    items = E.markup_items(VCARD)
    assert [name for name, _t in items] == ["annie andre", "carl moss", "rosa lind"]
    right = {"comments": [{"author": n, "text": t} for n, t in zip(NAMES, TEXTS)]}
    assert E.score_pairs(items, right) == (3, 3, 0)
    shifted = {"comments": [{"author": n, "text": t} for n, t in zip(NAMES[1:] + NAMES[:1], TEXTS)]}
    assert E.score_pairs(items, shifted) == (3, 0, 3)
    unknown = {"comments": [{"author": None, "text": "A text that no comment of the page holds at all."}]}
    assert E.score_pairs(items, unknown) == (0, 0, 0)


def test_the_unseen_widget_proxy_hides_the_words_not_the_structure():
    from bench import eval_comment_authors as E

    for mode in E.HIDE_MODES:
        hidden = E.hide(VCARD, mode)
        assert E.markup_authors(VCARD) and not E.markup_authors(hidden)
        assert "id=\"comments\"" in hidden and "comment-author" not in hidden and "<cite" not in E.hide(BARE_CITE, mode)
        assert all(n in hidden for n in NAMES) and all(t in hidden for t in TEXTS)
    renamed = E.hide(VCARD, "renamed")
    assert renamed.count("<li class=\"w2\">") == 3   # the same word, the same neutral token on every comment
    assert E.hide("<p>No comments here.</p>", "renamed") == "<p>No comments here.</p>"


# an unseen widget: no class word of ours, no <cite>, no microdata; the name is the first short
# text of each repeated record, beside a date
NEUTRAL = _page(lambda i, n, t: f"<li class='x{i % 2}'><div class='h'><img src='a{i}.png' alt=''><b><a href='/u{i}'>{n}</a>"
                                f"</b> <span class='d'>March {i + 2}, 2014 at 1{i}:05</span> <a href='#r'>Reply</a></div>"
                                f"<div class='b'><p>{t}</p></div></li>")
# a header element before each text element, the date below the text (dt + dd)
PAIRS = (f"<html><head><title>River plan</title></head><body><article><h1>River plan</h1>{PARAS}</article>"
         f"<div id='comments'><dl>" + "".join(f"<dt><span><img src='a.png' alt=''></span><span>{n}</span></dt>"
                                             f"<dd><p>{t}</p><span>May 3, 2013</span></dd>" for n, t in zip(NAMES, TEXTS))
         + "</dl></div></body></html>")


def test_the_structure_names_the_authors_of_an_unseen_widget():
    for html in (NEUTRAL, PAIRS):
        lines, meta = flatten_html_lines(html)
        found = meta["comment_authors"]["names"]
        assert [name for _n, name in found] == list(NAMES), (found, html[-600:])
        for n, name in found:
            assert name in lines[n].text
    for m in ("renamed", "stripped"):
        from bench import eval_comment_authors as E

        assert [n for _l, n in flatten_html_lines(E.hide(VCARD, m))[1]["comment_authors"]["names"]] == list(NAMES)


def test_a_record_that_opens_with_its_text_or_a_subject_gives_no_name():
    from workers.core.stages.html_comment_items import _sentence

    sentences = _page(lambda i, n, t: f"<li><p><a href='#c{i}'>Thanks for this great post</a></p><p>{t}</p>"
                                      f"<span>May {i + 1}, 2013</span></li>")
    assert "comment_authors" not in flatten_html_lines(sentences)[1]
    subjects = _page(lambda i, n, t: f"<li><h4>Re: the bridge</h4> <span>May {i + 1}, 2013</span><p>{t}</p></li>")
    assert "comment_authors" not in flatten_html_lines(subjects)[1]
    assert _sentence("Re: Great post") and _sentence("It's sweet that you think that") and _sentence("psst... 11/13")
    assert not _sentence("Hanne B.") and not _sentence("Kim of The Made Thing") and not _sentence("phpguy")


def test_a_class_word_element_keeps_its_comment_from_the_structure():
    # the VCARD theme's records also print a date-shaped text first: the class word's name is kept
    lines, meta = flatten_html_lines(VCARD)
    assert [name for _n, name in meta["comment_authors"]["names"]] == list(NAMES)
