"""Unit tests of the training-data library (workers/training): tiny inline pages, no corpus."""
from __future__ import annotations

from workers.core.labeller.labels import (
    BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, LABELS, TITLE,
)
from workers.training import corpus as C
from workers.training import flatten as F
from workers.training import shapes
from workers.training.dataset import comment_records, page_from_text, pages_from_html
from workers.training.pages import TrainPage
from workers.training.project import match_lines, project, tokens
from workers.training.textdev import label_exact

ARTICLE = ("The harbour library reopened on Monday after two years of repairs to its roof and "
           "its reading rooms, and the first visitors queued from early morning.")
ARTICLE2 = ("Staff said the new rooms hold twice as many books as before, and the children's corner "
            "now has its own entrance from the garden side of the building.")
PAGE = f"""<html><head><title>Library reopens | Harbour Post</title>
<meta property="og:title" content="Library reopens"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article><h1>Library reopens</h1><p>{ARTICLE}</p><p>{ARTICLE2}</p></article>
<div id="comments"><h3>2 Comments</h3>
<ol class="commentlist">
<li class="comment"><div class="comment-meta"><cite class="fn">Mara Quist</cite> on May 3, 2023 at 7:41 pm</div>
<p>Finally! We waited so long for this and the roof looks great from the street.</p>
<a class="reply">Reply</a></li>
<li class="comment"><div class="comment-meta"><cite class="fn">Olu Bent</cite> on May 4, 2023 at 9:02 am</div>
<p>The garden entrance is a lovely idea for the little ones, well done to the staff.</p>
<a class="reply">Reply</a></li></ol></div>
<footer><p>Copyright Harbour Post</p></footer></body></html>"""
GOLD = {"content": f"Library reopens\n{ARTICLE}\n{ARTICLE2}",
        "comments": ("Mara Quist on May 3, 2023 at 7:41 pm\nFinally! We waited so long for this and the roof "
                     "looks great from the street.\nOlu Bent on May 4, 2023 at 9:02 am\nThe garden entrance "
                     "is a lovely idea for the little ones, well done to the staff.")}


def _src(html=PAGE, gold=GOLD, url="https://www.harbourpost.co.uk/news/library"):
    return C.SourcePage(dataset="dragnet", id="t1", url=url, site=C.site_of(url, html, "x"),
                        page_type="article", content=html, content_type="text/html", gold=dict(gold))


def test_registrable_domain_and_site():
    assert C.registrable_domain("news.bbc.co.uk") == "bbc.co.uk"
    assert C.registrable_domain("www.example.com") == "example.com"
    assert C.registrable_domain("myblog.blogspot.com") == "myblog.blogspot.com"
    html = '<link rel="canonical" href="https://blog.riverbend.org/a/b">'
    assert C.site_of(None, html, "fallback") == "riverbend.org"
    links = '<a href="https://twitter.com/x">t</a>' + '<a href="http://www.post.net/a">a</a>' * 3
    assert C.site_of(None, links, "fallback") == "post.net"
    assert C.site_of(None, "<p>no links</p>", "fallback") == "fallback"


def test_flatteners_give_strip_stage_lines():
    for name in F.FLATTENERS:
        lines, _dom, _meta = F.flatten(PAGE, name)
        texts = [ln.text for ln in lines]
        assert ARTICLE in texts, name
        assert [ln.n for ln in lines] == sorted(ln.n for ln in lines)
    blocks, _, _ = F.flatten(PAGE, F.BLOCKS)
    tight, _, _ = F.flatten(PAGE, F.BLOCKS_TIGHT)
    assert [ln.text for ln in blocks] == [ln.text for ln in tight]
    assert all(ln.blank_before == 1 for ln in blocks[1:]) and all(ln.blank_before == 0 for ln in tight)
    # text lines are the strip stage's own split (blank counts, stripped text)
    lines = F.text_lines("  a line \r\n\r\n\r\nnext\n")
    assert [(ln.n, ln.text, ln.blank_before) for ln in lines] == [(0, "a line", 0), (3, "next", 2)]


def test_block_walk_skips_scripts_and_keeps_table_rows_on_one_line():
    html = "<body><script>var x = 1;</script><table><tr><td>Name</td><td>Price</td></tr></table><p>a<br>b</p></body>"
    assert F.block_lines(html) == ["Name Price", "a", "b"]


def test_body_projection_threshold_and_consumption():
    gold = "one two three four five six seven eight nine ten"
    lines = [tokens(t) for t in ("one two three four five six seven eight nine ten",
                                 "one two three four five six seven eight nine ten",  # repeated: consumed
                                 "one two three and then something else entirely here")]
    assert match_lines(lines, gold) == [True, False, False]
    # a short line must equal a whole gold line
    assert match_lines([["subheading"], ["home"]], "Subheading\nbody text here and more") == [True, False]


def test_project_title_body_comments():
    lines, _, _ = F.flatten(PAGE, F.RESILIPARSE)
    labels, is_comment = project(lines, GOLD, {"titles": ["Library reopens"]})
    by_text = dict(zip((ln.text for ln in lines), labels))
    assert by_text["Library reopens"] == TITLE
    assert by_text[ARTICLE] == BODY and by_text[ARTICLE2] == BODY
    assert by_text["Copyright Harbour Post"] == BOILERPLATE
    assert sum(is_comment) >= 2


def test_html_page_silver_heads_authors_and_chrome():
    pages = pages_from_html(_src())
    assert {p.flattener for p in pages} == set(F.FLATTENERS)
    for p in pages:
        assert isinstance(p, TrainPage) and len(p.lines) == len(p.labels) == len(p.authors)
        assert set(p.labels) <= set(LABELS)
        assert p.site == "harbourpost.co.uk" and p.page_id == f"dragnet:t1:{p.flattener}"
        assert p.content_type == ("text/html" if p.flattener == F.DOM else "text/plain")
        heads = [(ln.text, a) for ln, lab, a in zip(p.lines, p.labels, p.authors) if lab == COMMENT_HEAD]
        assert [a for _t, a in heads] == ["Mara Quist", "Olu Bent"], (p.flattener, heads)
        chrome = [ln.text for ln, lab in zip(p.lines, p.labels) if lab == COMMENT_CHROME]
        assert "Reply" in chrome, p.flattener
        assert [c["author"] for c in p.gold["comments"]] == ["Mara Quist", "Olu Bent"]
        assert p.gold["comments_silver"] is True


def test_no_article_page_is_all_boilerplate():
    pages = pages_from_html(_src(gold={"content": "ignored", "no_article": True}))
    assert pages and all(set(p.labels) <= {BOILERPLATE, TITLE} for p in pages)


def test_comment_records_leading_and_trailing_headers():
    from topics.records import Line
    lines = [Line(n=i, text=t) for i, t in enumerate(["A says:", "hi", "B says:", "yo"])]
    lead = comment_records(lines, [COMMENT_HEAD, COMMENT_TEXT, COMMENT_HEAD, COMMENT_TEXT], ["A", None, "B", None])
    assert lead == [{"author": "A", "text": "hi"}, {"author": "B", "text": "yo"}]
    lines = [Line(n=i, text=t) for i, t in enumerate(["hi", "by A on 1 May", "yo", "by B on 2 May"])]
    trail = comment_records(lines, [COMMENT_TEXT, COMMENT_HEAD, COMMENT_TEXT, COMMENT_HEAD], [None, "A", None, "B"])
    assert trail == [{"author": "A", "text": "hi"}, {"author": "B", "text": "yo"}]


def test_text_page_exact_labels():
    content = "\n".join(["Menu", "Night trains return", "First paragraph of the story.", "Second paragraph.",
                         "3 Comments", "Guest", "Ana Lima", "03.05.2023, 07:41", "Great news for us.", "Reply",
                         "vor 3 Stunden", "Anonymous reply text.", "Reply", "Footer"])
    expected = {"title": "Night trains return",
                "body_paragraphs": ["First paragraph of the story.", "Second paragraph."],
                "comments": [{"author": "Ana Lima", "text": "Great news for us."},
                             {"author": None, "text": "Anonymous reply text."}],
                "boilerplate_lines": []}
    src = C.SourcePage(dataset="text-dev", id="x", url=None, site="text-dev:x", page_type="article",
                       content=content, content_type="text/plain", gold=expected)
    page = page_from_text(src)
    got = dict(zip((ln.text for ln in page.lines), zip(page.labels, page.authors)))
    assert got["Night trains return"] == (TITLE, None)
    assert got["Ana Lima"] == (COMMENT_HEAD, "Ana Lima")
    assert got["03.05.2023, 07:41"] == (COMMENT_HEAD, None)
    assert got["vor 3 Stunden"] == (COMMENT_HEAD, None)
    assert got["Great news for us."] == (COMMENT_TEXT, None)
    assert got["Guest"][0] == COMMENT_CHROME
    assert got["Menu"][0] == BOILERPLATE and got["Footer"][0] == BOILERPLATE
    assert page.flattener == F.TEXT and page.gold["comments_silver"] is False
    labels, _ = label_exact(page.lines, expected)
    assert labels == page.labels


def test_header_shapes():
    assert shapes.is_head_shaped("03.05.2023, 07:41")
    assert shapes.is_head_shaped("Courtney says:") and shapes.author_of("09. Jul, 2012 / Courtney says:") == "Courtney"
    assert shapes.author_of("by Taco Cowboy (5327) on Monday July 23, @08:35PM") == "Taco Cowboy"
    assert shapes.is_head_shaped("il y a 3 jours") and shapes.is_head_shaped("hace 5 minutos")
    assert not shapes.is_head_shaped("This is a long sentence about 3 things that happen every day of the week in 2012.")
    assert not shapes.is_head_shaped("Gary Pruett")


def test_synthetic_sections_label_every_line():
    import random
    from workers.training import synthetic
    rnd = random.Random(1)
    seen_shapes = set()
    for _ in range(30):
        section = synthetic.comment_section(rnd, ["A real paragraph that somebody wrote about the matter."], "T")
        labels = [lab for _t, lab, _a in section.rows]
        assert COMMENT_TEXT in labels and set(labels) <= {COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME}
        assert len(section.blanks) == len(section.rows) and section.records
        assert all(r["text"] for r in section.records)
        assert {r["author"] for r in section.records} - {None} <= {a for _t, _l, a in section.rows}
        for text, lab, author in section.rows:
            assert text.strip() == text and "\n" not in text
            assert author is None or (lab == COMMENT_HEAD and author in text)
        seen_shapes.add(tuple(labels[:3]))
    assert len(seen_shapes) > 3


def test_synthetic_blank_slot_sections_mark_guests_with_one_more_blank_line():
    import random
    from workers.training import synthetic
    rnd = random.Random(3)
    seen_guest = False
    for _ in range(200):
        sec = synthetic.comment_section(rnd, ["A real paragraph that somebody wrote about the matter."], "T")
        # a guest's text follows one more blank line than the section's usual gap, and no name line
        guests = [k for k, ((_t, lab, _a), b) in enumerate(zip(sec.rows, sec.blanks))
                  if lab == COMMENT_TEXT and b == 2]
        for k in guests:
            seen_guest = True
            assert sec.rows[k - 1][1] != COMMENT_HEAD
        assert sum(r["author"] is None for r in sec.records) >= len(guests)
    assert seen_guest


def _ferry_page():
    body = [f"Paragraph {k} of the article tells the story of the ferry in plenty of words." for k in range(4)]
    content = "\n".join(["Menu", "Ferry news"] + body + ["Footer line"])
    expected = {"title": "Ferry news", "body_paragraphs": body, "comments": [], "boilerplate_lines": []}
    src = C.SourcePage(dataset="dragnet", id="p", url=None, site="ferry.org", page_type="article",
                       content=content, content_type="text/plain", gold=expected)
    real = page_from_text(src)
    real.flattener = "resiliparse"
    return real, body


def test_synthetic_pages_keep_real_body_and_source_site():
    from workers.training import synthetic_mix
    real, body = _ferry_page()
    out = synthetic_mix.make_pages([real] * 40, n_pages=2, n_negative=0)
    assert len(out) == 2
    for p in out:
        assert p.dataset == "synthetic" and p.site == "ferry.org" and len(p.lines) == len(p.labels)
        texts = [ln.text for ln in p.lines]
        assert texts[-1] == "Footer line" and p.labels[-1] == BOILERPLATE
        assert [t for t, lab in zip(texts, p.labels) if lab == BODY] == body
        assert COMMENT_TEXT in p.labels and p.gold["comments"]


def test_synthetic_negative_pages_keep_the_page_frame_and_label_entries_as_content():
    from workers.training import synthetic_mix
    real, body = _ferry_page()
    out = synthetic_mix.make_pages([real] * 400, n_pages=0, n_negative=40)
    assert len(out) == 40 and {p.page_type for p in out} == {"article", "listing"}
    for p in out:
        texts = [ln.text for ln in p.lines]
        assert p.site == "ferry.org" and texts[0] == "Menu" and texts[-1] == "Footer line"
        assert p.labels[0] == p.labels[-1] == BOILERPLATE
        has_comments = COMMENT_TEXT in p.labels
        assert bool(p.gold["comments"]) == has_comments
        if p.page_type == "listing":  # entries replace the article: content, never comments
            assert not has_comments and BODY in p.labels and "Ferry news" not in texts
            assert p.gold["content"] == "\n".join(t for t, lab in zip(texts, p.labels) if lab == BODY)
        else:  # widgets after the article: the article's body stays the only body
            assert [t for t, lab in zip(texts, p.labels) if lab == BODY] == body
            assert p.labels.count(BOILERPLATE) > 2


def test_held_out_widget_shapes_languages_and_entry_kinds_never_reach_training_pages():
    import random
    from workers.training import synthetic, synthetic_negative as neg
    from workers.training.widget_vocab import HOLDOUT_LANGS
    rnd = random.Random(5)
    texts = ["A real paragraph that somebody wrote about the matter, long enough to be a teaser."]
    drawn = {(s.shape, s.lang) for s in (synthetic.comment_section(rnd, texts, "T") for _ in range(400))}
    assert not {s for s, _l in drawn} & set(synthetic.HOLDOUT_SHAPES)
    assert not {lang for _s, lang in drawn} & set(HOLDOUT_LANGS)
    assert {s for s, _l in drawn} == set(synthetic.TRAIN_SHAPES)
    kinds = {neg.negative_section(rnd, texts, "T")[0] for _ in range(200)}
    assert kinds == set(neg.TRAIN_KINDS) | {"widgets"}
    held = synthetic.comment_section(rnd, texts, "T", langs=HOLDOUT_LANGS, shapes=synthetic.HOLDOUT_SHAPES)
    assert held.shape in synthetic.HOLDOUT_SHAPES and held.lang in HOLDOUT_LANGS


def test_comment_section_is_the_main_cluster_not_a_far_quote():
    from topics.records import Line
    from workers.training.silver import Markup, label_comments
    texts = ["Headline quoted by a commenter"] + [f"sidebar link {k}" for k in range(70)] + [
        ARTICLE, "Mara Quist on May 3, 2023 at 7:41 pm", "Headline quoted by a commenter, and I agree with it.", "Reply"]
    lines = [Line(n=i, text=t) for i, t in enumerate(texts)]
    labels = [COMMENT_TEXT] + [BOILERPLATE] * 70 + [BODY, COMMENT_TEXT, COMMENT_TEXT, BOILERPLATE]
    is_comment = [lab == COMMENT_TEXT for lab in labels]
    m = Markup(snippets=[("mara", "quist"), ("may", "3", "2023", "at", "7", "41", "pm")],
               authors=[("mara", "quist")], author_text={("mara", "quist"): "Mara Quist"})
    out, authors, from_markup = label_comments(lines, labels, is_comment, m)
    assert out[0] == BOILERPLATE and out[5] == BOILERPLATE          # the far match and the sidebar
    assert out[72] == COMMENT_HEAD and authors[72] == "Mara Quist" and from_markup
    assert out[73] == COMMENT_TEXT and out[71] == BODY


def test_pages_whose_content_the_flattener_lost_are_left_out():
    hidden = PAGE.replace(f"<p>{ARTICLE}</p><p>{ARTICLE2}</p>", f"<noscript><p>{ARTICLE}</p><p>{ARTICLE2}</p></noscript>")
    gold = {"content": f"{ARTICLE}\n{ARTICLE2}"}
    flat = {p.flattener for p in pages_from_html(_src(hidden, gold))}
    assert F.RESILIPARSE not in flat  # resiliparse drops <noscript>: no body left to learn from
    kept = pages_from_html(_src(gold=gold))
    assert kept and all(p.gold["projection_recall"] > 0.9 for p in kept)


def test_dom_pages_carry_one_feature_row_per_line_when_the_html_stage_gives_them():
    for p in pages_from_html(_src()):
        if p.flattener == F.DOM and p.dom is not None:
            assert p.dom.shape[0] == len(p.lines)
        elif p.flattener != F.DOM:
            assert p.dom is None


def test_check_pages_rejects_broken_contract():
    import pytest
    from workers.training.dataset import check_pages
    good = pages_from_html(_src())
    check_pages(good)
    bad = pages_from_html(_src())[0]
    bad.labels = bad.labels[:-1]
    with pytest.raises(ValueError):
        check_pages([bad])
    dup = pages_from_html(_src())
    with pytest.raises(ValueError):
        check_pages(dup + dup[:1])
