"""bench/container_columns.py: the record-container columns of the hidden-copies harness (issue #10), on
small synthetic pages: an article then a comment thread, a board of posts, a listing, a page's layout."""
import pickle
from types import SimpleNamespace

import numpy as np

from bench import container_columns as K
from bench import hidden_copies as H
from bench import hidden_copies_oof as O
from workers.core.labeller.labels import BODY, COMMENT_TEXT
from workers.training import flatten as F

PROSE = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt. "
MENU = '<div class="nav"><ul><li><a href="/">Home</a></li><li><a href="/n">News</a></li><li><a href="/a">About</a></li></ul></div>'


def _comment(i: int, replies: str = "") -> str:
    return f'<li class="comment"><div class="meta"><b>Name{i}</b> said on May {i + 1}</div><p>{PROSE}{i}</p>{replies}</li>'


ARTICLE_THEN_THREAD = (
    f'<html><body>{MENU}<div class="post"><h1>Title</h1>' + "".join(f"<p>{PROSE * 3}{i}</p>" for i in range(6))
    + '</div><div id="comments"><h3>5 comments</h3><ol class="comment-list">' + "".join(_comment(i) for i in range(5))
    + '</ol></div><div class="footer">Footer</div></body></html>')
BOARD = ('<html><body>' + MENU + '<div class="thread"><h1>Board thread</h1>'
         + "".join(f'<div class="post"><div class="who">User{i} posted</div><div class="text">{PROSE * 2}</div></div>'
                   for i in range(6)) + '</div></body></html>')
# the article the first record of the container its comments are in (the post and its comments
# siblings of one tag), as on most Dragnet pages the board gate takes
ARTICLE_IN_THREAD = (
    '<html><body><div class="entries"><div class="entry"><h1>Title</h1>' + "".join(f"<p>{PROSE * 3}{i}</p>" for i in range(6))
    + "</div>" + "".join(f'<div class="comment"><div class="who">Name{i} said</div><div class="text">{PROSE * 2}{i}</div></div>'
                         for i in range(12)) + "</div></body></html>")
LISTING = ('<html><body>' + MENU + '<div class="grid">'
           + "".join(f'<div class="card"><h2><a href="/s{i}">Story {i}</a></h2><p>A short teaser {i}.</p></div>'
                     for i in range(4)) + '</div></body></html>')


def _cols(html: str) -> tuple[list[str], dict[str, np.ndarray]]:
    lines, _dom, _meta = F.flatten(html, F.DOM)
    x = K.columns(html, SimpleNamespace(lines=lines), K.NAMES)
    return [ln.text for ln in lines], {c: x[:, k] for k, c in enumerate(K.NAMES)}


def test_a_thread_under_an_article_has_the_article_before_it():
    texts, c = _cols(ARTICLE_THEN_THREAD)
    thread = [i for i, t in enumerate(texts) if t.startswith("Name") or t.startswith(PROSE.strip()) and len(t) < 200]
    article = [i for i, t in enumerate(texts) if len(t) > 200]
    assert len(thread) == 10 and len(article) == 6
    assert (c["ctr_in"][thread] == 1).all() and (c["ctr_in"][article] == 0).all()
    assert np.allclose(c["ctr_records"][thread], np.log2(1 + 5))
    # the article's six long paragraphs come before the five comments: most of the page's prose
    assert (c["ctr_prose_before"][thread] > 0.7).all() and (c["ctr_prose_share"][thread] < 0.3).all()
    assert (c["ctr_run_before"][thread] > 0.7).all()
    # the menu (one-line records) and the heading outside the records are in no container
    assert c["ctr_in"][texts.index("Home")] == 0 and c["ctr_in"][texts.index("5 comments")] == 0


def test_a_board_of_posts_holds_the_page_prose_with_nothing_before_it():
    texts, c = _cols(BOARD)
    posts = [i for i, t in enumerate(texts) if t.startswith("User") or t.startswith("Lorem")]
    assert len(posts) == 12 and (c["ctr_in"][posts] == 1).all()
    assert np.allclose(c["ctr_prose_share"][posts], 1) and np.allclose(c["ctr_prose_before"][posts], 0)
    assert np.allclose(c["ctr_run_before"][posts], 0) and np.allclose(c["ctr_run_before_chars"][posts], 0)
    assert c["ctr_in"][texts.index("Board thread")] == 0


def test_a_listing_is_a_container_without_prose():
    texts, c = _cols(LISTING)
    cards = [i for i, t in enumerate(texts) if t.startswith("Story") or t.startswith("A short")]
    assert (c["ctr_in"][cards] == 1).all() and np.allclose(c["ctr_records"][cards], np.log2(1 + 4))
    assert np.allclose(c["ctr_prose_share"][cards], 0)  # teasers are no prose


def test_layout_columns_and_one_line_records_are_no_container():
    # three layout blocks, one of which holds most of the text (the content), are not records
    html = (f"<html><body><div><p>Site</p><p>Tagline</p></div><div>{''.join(f'<p>{PROSE * 4}</p>' for _ in range(4))}"
            "</div><div><p>Footer</p><p>Legal</p></div></body></html>")
    _texts, c = _cols(html)
    assert (c["ctr_in"] == 0).all()


def test_replies_nested_in_a_thread_belong_to_the_thread():
    replies = '<ul class="children">' + "".join(_comment(10 + i) for i in range(3)) + "</ul>"
    html = ARTICLE_THEN_THREAD.replace(_comment(1), _comment(1, replies))
    texts, c = _cols(html)
    nested = [texts.index(f"Name{10 + i} said on May {11 + i}") for i in range(3)]
    top = texts.index("Name0 said on May 1")
    assert (c["ctr_in"][nested] == 1).all()
    # the reply lines get the thread's container (5 records), not the replies' list (3 records)
    assert np.allclose(c["ctr_records"][nested], c["ctr_records"][top]) and np.isclose(c["ctr_records"][top], np.log2(6))


def test_records_in_document_order_with_their_sizes():
    texts, c = _cols(ARTICLE_IN_THREAD)
    article = [i for i, t in enumerate(texts) if len(t) > 250] + [texts.index("Title")]
    heads = [texts.index(f"Name{k} said") for k in range(12)]
    assert len(article) == 7 and (c["ctr_in"][article + heads] == 1).all()
    assert np.allclose(c["ctr_records"][heads], np.log2(1 + 13))
    # the article is the container's first record, the comment k its record k + 1
    assert (c["rec_is_first"][article] == 1).all() and (c["rec_is_first"][heads] == 0).all()
    assert np.allclose(c["rec_index"][article], 0) and np.allclose(c["rec_index"][heads], np.log2(2 + np.arange(12)))
    # every comment has the article's prose before it in the container, the first comment no larger record
    art_chars = sum(len(texts[i]) for i in article)
    prose = sum(len(t) for t in texts if len(t) >= 60)
    assert np.allclose(c["rec_prose_before"][heads[0]], (art_chars - len("Title")) / prose)
    comment_chars = len(texts[heads[0]]) + len(texts[heads[0] + 1])
    assert np.allclose(c["rec_largest_before"][heads], np.log2((1 + art_chars) / (1 + comment_chars)), atol=1e-3)
    assert np.allclose(c["rec_largest_before"][article], 0)
    # the article is far larger than the comments' median record: first-record evidence on every line
    assert np.allclose(c["rec_first_ratio"][heads], np.log2((1 + art_chars) / (1 + comment_chars)), atol=1e-3)
    assert (c["rec_first_ratio"] [heads] > np.log2(K.FIRST_RATIO)).all()
    assert (c["rec_first_chars"][heads] > 0.3).all() and (c["rec_first_prose"][heads] > 0.3).all()
    assert (c["rec_size"][article] > 2).all() and np.allclose(c["rec_size"][heads[0]], 0, atol=0.05)
    # outside a container every per-record column is 0
    out = c["ctr_in"] == 0
    assert all((c[n][out] == 0).all() for n in K.REC_NAMES)


def test_a_board_has_no_first_record_larger_than_the_rest():
    texts, c = _cols(BOARD)
    posts = [i for i, t in enumerate(texts) if t.startswith("User")]
    assert np.allclose(c["rec_first_ratio"][posts], 0) and np.allclose(c["rec_first_chars"][posts], 1 / 6)
    assert np.allclose(c["rec_index"][posts], np.log2(1 + np.arange(6)))
    assert np.allclose(c["rec_prose_before"][posts], np.arange(6) / 6)


def test_the_record_gate_keeps_an_article_s_comments_in_its_own_container():
    for html, board, record in ((BOARD, True, True), (ARTICLE_IN_THREAD, True, False), (ARTICLE_THEN_THREAD, False, False)):
        lines, _dom, _meta = F.flatten(html, F.DOM)
        x = K.columns(html, SimpleNamespace(lines=lines), K.NAMES)
        inside = x[:, 0] == 1
        assert (K.board_lines(x) == (inside & board)).all()
        assert (K.record_board_lines(x) == (inside & record)).all()
        # the earlier-record gate: the comments after the article are kept, the article's own lines gated
        first = x[:, K.NAMES.index("rec_is_first")] == 1
        assert (K.earlier_board_lines(x) == (inside & (record | (first if board else False)))).all()


def test_the_hiding_leaves_the_columns_as_they_are():
    assert set(K.REC_NAMES) < set(K.NAMES) and set(K.CTR_NAMES) < set(K.NAMES)
    seen = set()
    for html in (ARTICLE_THEN_THREAD, ARTICLE_IN_THREAD, BOARD, LISTING):
        _t, c = _cols(html)
        seen |= {n for n in K.NAMES if c[n].any()}
        for mode in ("renamed", "stripped"):
            hidden = H.hide_page(html, mode, "p")
            assert 'class="' not in hidden or mode == "renamed"
            lines, _dom, _meta = F.flatten(html, F.DOM)
            x = K.columns(hidden, SimpleNamespace(lines=lines), K.NAMES)
            assert np.array_equal(x, np.stack([c[n] for n in K.NAMES], axis=1))
    assert seen == set(K.NAMES)   # every column, the per-record ones too, is checked on non-zero values


def test_no_html_or_other_lines_give_nan():
    lines, _dom, _meta = F.flatten(BOARD, F.DOM)
    page = SimpleNamespace(lines=lines)
    assert np.isnan(K.columns(None, page, K.NAMES)).all()
    assert np.isnan(K.columns(LISTING, page, ("ctr_in",))).all()   # the walk's lines are not the page's


def test_the_harness_appends_page_and_container_columns_in_the_order_named():
    lines, _dom, _meta = F.flatten(BOARD, F.DOM)
    page = SimpleNamespace(lines=lines, dom=None, page_id="board")
    it = SimpleNamespace(page=page, X=np.zeros((len(lines), 2), dtype=np.float32))
    O.append_columns([it], ("ctr_prose_share", "prose_before", "ctr_in"), {"board": BOARD})
    _t, c = _cols(BOARD)
    assert it.X.shape == (len(lines), 5)
    assert np.array_equal(it.X[:, 2], c["ctr_prose_share"]) and np.array_equal(it.X[:, 4], c["ctr_in"])
    assert np.isnan(it.X[:, 3]).all()   # a page-level column without a DOM


def test_the_container_gate_keeps_a_thread_under_an_article_and_gives_a_board_its_posts():
    for html, changed in ((BOARD, True), (ARTICLE_THEN_THREAD, False)):
        lines, _dom, _meta = F.flatten(html, F.DOM)
        O._ctr["p"] = K.columns(html, SimpleNamespace(lines=lines), K.NAMES)
        inside = O._ctr["p"][:, 0] == 1
        labels = [COMMENT_TEXT if x else "boilerplate" for x in inside]
        out = O.gate("p", labels)
        assert out == ([BODY if x else "boilerplate" for x in inside] if changed else labels)
    assert O.gate("other", ["comment_text"]) == ["comment_text"]   # no columns: unchanged
    del O._ctr["p"]


def test_the_record_gate_in_the_harness():
    lines, _dom, _meta = F.flatten(ARTICLE_IN_THREAD, F.DOM)
    O._ctr["p"] = K.columns(ARTICLE_IN_THREAD, SimpleNamespace(lines=lines), K.NAMES)
    labels = [COMMENT_TEXT] * len(lines)
    assert O.gate("p", labels, "off") == labels and O.gate("p", labels, "record") == labels
    first = O._ctr["p"][:, K.NAMES.index("rec_is_first")] == 1
    assert O.gate("p", labels, "earlier") == [BODY if x else COMMENT_TEXT for x in first]
    assert O.gate("p", labels, "board") == [BODY if x else COMMENT_TEXT for x in O._ctr["p"][:, 0] == 1]
    del O._ctr["p"]


def test_the_column_cache_is_keyed_by_page_content_and_column_code(tmp_path, monkeypatch):
    monkeypatch.setattr(O, "_ctr_disk", {})
    monkeypatch.setattr(O, "_ctr", {})
    calls = []
    real = K.columns
    monkeypatch.setattr(K, "columns", lambda html, page, names: calls.append(html) or real(html, page, names))
    lines, _dom, _meta = F.flatten(BOARD, F.DOM)
    page = SimpleNamespace(lines=lines, page_id="p")
    a = O.container_rows(page, BOARD)
    assert np.array_equal(O.container_rows(page, BOARD), a) and len(calls) == 1     # reused
    other = BOARD.replace("User0", "Someone")  # the same id, other content: computed anew
    O.container_rows(SimpleNamespace(lines=F.flatten(other, F.DOM)[0], page_id="p"), other)
    assert len(calls) == 2 and len(O._ctr_disk) == 2
    path = tmp_path / "ctr.pkl"
    O.save_ctr_cache(path)
    O._ctr_disk.clear()
    O.load_ctr_cache(path)
    assert O.ctr_key("p", BOARD) in O._ctr_disk and len(O._ctr_disk) == 2
    # rows computed by other column code, or keyed by page id alone (the old cache), are not read
    O._ctr_disk.clear()
    with path.open("wb") as fh:
        pickle.dump({("p", O.ctr_key("p", BOARD)[1], "other-code"): a * 0, "p": a * 0}, fh)
    O.load_ctr_cache(path)
    assert not O._ctr_disk
    assert np.array_equal(O.container_rows(page, BOARD), a) and len(calls) == 3


def test_the_code_hash_follows_the_column_code(monkeypatch):
    before, code = K.code_hash(), K.COLUMN_CODE
    assert K.code_hash() == before
    monkeypatch.setattr(K, "MAX_RECORD_SHARE", 0.6)    # a threshold of the columns
    assert K.code_hash() != before
    monkeypatch.setattr(K, "MAX_RECORD_SHARE", 0.5)
    monkeypatch.setattr(K, "COLUMN_CODE", K.COLUMN_CODE[:-1] + (K.per_set,))   # a function's source
    assert K.code_hash() != before
    monkeypatch.setattr(K, "COLUMN_CODE", code)
    monkeypatch.setattr(K, "FIRST_RATIO", 8.0)          # a gate's threshold is no column code
    assert K.code_hash() == before
