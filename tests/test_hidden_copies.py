"""bench/hidden_copies.py and hidden_copies_oof.py: the training copies' hiding (whole page, repeated blocks, comment
sections) and the experimental page-level columns (bench/page_columns.py)."""
from types import SimpleNamespace

import numpy as np

from bench import hidden_copies as H
from bench import hidden_copies_oof as O  # noqa: F401  (imports cleanly)
from bench import page_columns as P
from topics.records import Line

PAGE = ('<html><body><div class="site-nav"><ul class="menu"><li class="item">Home</li><li class="item">News</li>'
        '<li class="item">About</li></ul></div>'
        '<article class="post"><p class="lead">Story text.</p></article>'
        '<div id="comments" class="comments-area"><ol class="comment-list">'
        '<li class="comment"><cite class="fn">Ann</cite><p>First comment text here.</p></li></ol></div>'
        '<div class="footer">Footer</div></body></html>')


def test_whole_page_hiding_leaves_no_word_and_the_text():
    renamed = H.hide_page(PAGE, "renamed", "page-1")
    for word in ("site-nav", "menu", "post", "lead", "comments", "comment-list", "footer", "fn"):
        assert word not in renamed.replace("First comment text", "")
    assert "First comment text here." in renamed and "Story text." in renamed
    assert "<cite" not in renamed                  # printed as <span>, as the evaluation's hiding does
    assert ' w1' not in renamed and '"w1' not in renamed  # the copy's own tokens, not the evaluation's
    assert H.hide_page(PAGE, "renamed", "page-1") == renamed  # fixed tokens for a page
    stripped = H.hide_page(PAGE, "stripped", "page-1")
    assert "class=" not in stripped and "id=" not in stripped


def test_repeated_hiding_takes_lists_and_comment_sections_only():
    out = H.hide_repeated(PAGE, "stripped", "page-1")
    assert 'class="menu"' not in out and 'class="item"' not in out   # three records of one shape
    assert "comment-list" not in out and 'id="comments"' not in out  # the comment section
    assert 'class="post"' in out and 'class="lead"' in out and 'class="footer"' in out
    assert H.hide_repeated("<html><body><p class='x'>one</p></body></html>", "stripped") == \
        "<html><body><p class='x'>one</p></body></html>"  # nothing repeated: the page unchanged


def test_section_hiding_is_the_comment_sections():
    out = H.hide_section(PAGE, "stripped")
    assert "comment-list" not in out and 'class="menu"' in out and 'class="post"' in out


def _page(texts, paths):
    dom = np.zeros((len(texts), len(P.DF.DOM_FEATURES)), dtype=np.float32)
    dom[:, P._PATH] = paths
    return SimpleNamespace(lines=[Line(i, t, False, None, None) for i, t in enumerate(texts)], dom=dom)


LONG = "x" * P.PROSE_CHARS


def test_path_prose_share():
    page = _page([LONG, "short", LONG, LONG], [3, 3, 7, 7])
    # the short line counts no prose of its own but gets its path's share
    assert np.allclose(P.columns(page, ("path_prose_share",))[:, 0], [1 / 3, 1 / 3, 2 / 3, 2 / 3])
    assert np.isnan(P.columns(SimpleNamespace(lines=page.lines, dom=None), ("path_prose_share",))).all()


def test_prose_before_a_run_tells_a_thread_under_an_article_from_a_thread_that_opens_the_content():
    names = ("prose_before", "run_prose_before", "other_path_prose")
    # an article (path 3) of two paragraphs, then a thread (path 5: a name line, a post) of two posts
    under = P.columns(_page([LONG, LONG, "Ann", LONG, "Bob", LONG], [3, 3, 5, 5, 5, 5]), names)
    assert np.allclose(under[:, 0], [0, 1 / 4, 1 / 2, 1 / 2, 3 / 4, 3 / 4])
    assert np.allclose(under[2:, 1], 1 / 2)   # the whole thread: half the prose came before it
    assert np.allclose(under[:2, 1], 0)       # the article opens the content
    assert np.allclose(under[:, 2], 1 / 2)    # the other path holds the other half
    # a board: the posts are the page's prose, a short menu (path 2) before them
    board = P.columns(_page(["Home", "Ann", LONG, "Bob", LONG], [2, 5, 5, 5, 5]), names)
    assert np.allclose(board[1:, 1], 0) and np.allclose(board[1:, 2], 0)
    assert np.allclose(board[0, 2], 1)        # the menu line: one path holds all the prose


def test_append_columns_adds_the_named_columns():
    it = SimpleNamespace(page=_page([LONG, "short"], [1, 1]), X=np.zeros((2, 4), dtype=np.float32))
    P.append_columns([it], ("prose_before", "path_prose_share"))
    assert it.X.shape == (2, 6) and np.allclose(it.X[:, 4:], [[0, 1], [1, 1]])


def test_article_run_columns():
    # two consecutive paragraphs (the article run), then a thread of name lines and posts
    page = _page([LONG, LONG, "Ann", LONG, "Bob", LONG], [3, 3, 5, 5, 5, 5])
    cols = P.columns(page, ("article_share", "after_article", "after_article_chars"))
    assert np.allclose(cols[:, 0], 1 / 2)
    assert np.allclose(cols[:, 1], [0, 0, 1 / 2, 1 / 2, 1 / 2, 1 / 2])
    assert np.allclose(cols[2:, 2], np.log2(1 + 2 * P.PROSE_CHARS)) and np.allclose(cols[:2, 2], 0)


def test_url_post_series_is_the_url_rules_forum():
    page = _page([LONG], [1])
    page.url = "http://example.org/forums/thread-12.html"
    assert P.columns(page, ("url_post_series",))[0, 0] == 1
    page.url = "http://example.org/2007/05/story.html"
    assert P.columns(page, ("url_post_series",))[0, 0] == 0
    page.url = None
    assert np.isnan(P.columns(page, ("url_post_series",))[0, 0])
    assert P.columns(page, ("url_post_series_filled",))[0, 0] == 0   # no URL: not the data set's NaN
