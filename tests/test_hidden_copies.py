"""bench/hidden_copies.py and hidden_copies_oof.py: the training copies' hiding (whole page, repeated blocks, comment
sections) and the experimental page-level column."""
from types import SimpleNamespace

import numpy as np

from bench import hidden_copies as H
from bench import hidden_copies_oof as O
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


def test_path_prose_share():
    long = "x" * O.PROSE_CHARS
    dom = np.zeros((4, len(O.DF.DOM_FEATURES)), dtype=np.float32)
    dom[:, O._PATH] = [3, 3, 7, 7]
    page = SimpleNamespace(lines=[Line(i, t, False, None, None) for i, t in enumerate([long, "short", long, long])],
                           dom=dom)
    # the short line counts no prose of its own but gets its path's share
    assert np.allclose(O.path_prose_share(page), [1 / 3, 1 / 3, 2 / 3, 2 / 3])
    assert np.isnan(O.path_prose_share(SimpleNamespace(lines=page.lines, dom=None))).all()
