"""The DOM walk in C (workers/core/stages/_domwalk*.c) gives the Python walk's result: the same
lines, per-line context and counts, frames, <time> entries and subtree-check budget as
``Walker.walk`` on every benchmark HTML page, on adversarial markup (deep nesting, attributes
without values or empty, <pre> line breaks, hidden elements, comments and doctypes, non-ASCII and
undecodable bytes, huge text nodes, custom and foreign elements), on the DOM rules' subtree checks
(matches below the element and on itself, text at each threshold, quirks-mode class matching) and
on random tag soup; a walk that differs in one field is caught; the served path uses it when built, and without it (or with
another selectolax) the module warns once and the Python walk serves."""
from __future__ import annotations

import importlib.util
import logging
import random
from unittest import mock

import pytest
import selectolax
from selectolax import lexbor
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import corpus_or_skip
from tests.native_unbuilt import load_unbuilt
from workers.core.stages import html as H
from workers.core.stages import html_walk as W
from workers.core.stages import native_walk as NW

pytestmark = pytest.mark.skipif(not NW.AVAILABLE, reason="the _domwalk extension is not built (make install)")

# everything a walk leaves in the walker
RESULT_SLOTS = ("lines", "ctx", "counts", "frames", "times", "checks", "page_chars", "chars", "link_chars",
                "n_links", "n_links_seen")


def _root(tree):
    return tree.body if tree.body is not None else tree.root


def _walks(html: str | bytes) -> tuple[W.Walker, W.Walker]:
    """(the Python walk, the compiled walk) of ``html``, each on its own parse."""
    ref_root = _root(LexborHTMLParser(html))
    ref = W.Walker(ref_root)
    ref.walk(ref_root)
    root = _root(LexborHTMLParser(html))
    got = W.Walker(root)
    NW.walk(got, root)
    return ref, got


def _same(ref: W.Walker, got: W.Walker, label: str) -> None:
    for slot in RESULT_SLOTS:
        assert getattr(got, slot) == getattr(ref, slot), (label, slot)


def test_bench_pages_walk_the_same():
    corpus_or_skip()
    from bench.loaders import load_html_records
    dragnet, wcxb = load_html_records(120, 42)
    pages = dragnet + wcxb
    assert len(pages) >= 150
    lines = 0
    for page in pages:
        ref, got = _walks(page["content"])
        _same(ref, got, page["id"])
        lines += len(ref.lines)
    assert lines > 10_000  # the pages are real pages, not empty walks


ADVERSARIAL = {
    "deep nesting": "<div class=a>" * 3000 + "deep" + "</div>" * 3000 + "<p>after</p>",
    "deep inline": "<p>" + "<b>" * 2000 + "x" + "</b>" * 2000 + "y</p>",
    "attributes": "<div class id role itemprop hidden2 data-x><p class=''>one</p><p id=''>two</p>"
                  "<section role='' itemprop=''>three</section><a href>four</a><p CLASS='Post'>five</p></div>",
    "valueless hidden": "<div hidden>gone</div><div hidden=''>gone</div><p>kept</p><span hidden>x</span>",
    "styles": "<p style='display:none'>a</p><p style='DISPLAY : NONE'>b</p><p style='visibility:\thidden'>c</p>"
              "<p style='display:block;border:none'>d</p><p style='overflow:hidden'>e</p><p style>f</p>"
              "<p style=''>g</p><p style='none'>h</p><b style='display:none'></b><br style='display:none'>"
              "<p>tail<br style='display:none'>x<hr style='visibility:hidden'>y</p>",
    "pre": "<pre>line one\nline two\n\n  indented\n</pre><pre><b>bold\nbreak</b>\n<i>x</i></pre>"
           "<pre>\n</pre><p>a<pre>b\nc</pre>d</p><code>x\ny</code>",
    "comments and doctype": "<!DOCTYPE html><!-- top --><p>a<!-- mid -->b</p><![CDATA[x]]><?pi x?><p>c</p>",
    "non-ASCII": "<p class='été 日本'>Ünïcödé — “quotes” 日本語 עברית</p><h1 itemprop=headline>Tïtle ✓</h1>"
                 "<my-élément>custom</my-élément><p id='ñ'>\u00a0\u2003spaces\u3000</p>",
    "huge text": "<article><p>" + "word " * 200_000 + "</p><p>" + "x" * 300_000 + "</p></article>",
    "empty blocks and breaks": "<p>a<div></div>b<br>c<hr>d<br/><img>e<p></p>f</p><div> </div><div>\n</div>",
    "skipped": "<p>a<script>x()</script><style>p{}</style>b<select><option>o</option></select>"
               "<template><p>t</p></template><svg><text>s</text></svg><math><mi>m</mi></math>c</p>",
    "chrome": "<header class=site-header><nav>menu <a href=/>home</a></nav></header><main><article>"
              "<header class=entry-header><h1 class=entry-title>Title</h1><time datetime=2024-05-01>May</time>"
              "</header><div class=share-buttons>share</div><p>body</p><aside>side</aside>"
              "<form><input><label>Search</label></form></article><section class=comments id=comments>"
              "<div class=comment><cite class=fn>Ann</cite> says <time datetime=2024-05-02>x</time>"
              "<p itemprop=author>Bob</p></div></section></main><footer role=contentinfo>foot</footer>"
              "<div role=navigation>nav</div><div role=Banner>b</div>",
    "tables and lists": "<table><tr><td>a<td>b<tr><th>c</table><ul><li>1<li>2<ol><li>3</ol></ul><dl><dt>t<dd>d</dl>",
    "foreign": "<svg:rect>x</svg:rect><foo:bar class=x>y</foo:bar><-x>z</-x><p>q</p>",
    "frameset": "<frameset><frame></frameset>",
    "whitespace only": "   \n\t ",
    "empty": "",
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_markup_walks_the_same(name):
    ref, got = _walks(ADVERSARIAL[name])
    _same(ref, got, name)


def _nav_share(nav: str, rest: str) -> str:
    """a <nav> holding ``nav`` beside ``rest``: chrome unless its text is over 60 % of the page's"""
    return f"<nav>{nav}</nav><p>{rest}</p>"


# html_chrome.dom_reason's subtree checks (Lexbor's selector engine and text lengths in C): a match
# below the element, the element itself matching, text at each threshold (counted in code points
# of the joined text nodes: entities, multi-byte and undecodable bytes, script text and
# whitespace counted, comments not), quirks-mode class matching, case in attribute selectors
CHROME_CHECKS = {
    "nested match": "<nav><div><div><article><p>x</p></article></div></div></nav><aside><main>m</main></aside>"
                    "<nav><span class='a post-content b'>p</span></nav><nav><h1>h</h1></nav><p>tail</p>",
    "self match": "<aside class=entry-content><p>side</p></aside><p>" + "w" * 50 + "</p>"
                  "<nav role=main><p>n</p></nav><aside class=entry-content><div class=post-content>x</div></aside>",
    "self and text share": "<nav class=entry-title>" + "s" * 61 + "</nav><p>" + "r" * 40 + "</p>"
                           "<aside class=post-title>" + "t" * 5 + "</aside>",
    "header and footer selectors": "<header><h1>Title</h1></header><footer><h1>Foot</h1></footer>"
                                   "<header class=entry-header><h1>x</h1></header><footer>" + "f" * 10 + "</footer>"
                                   "<p>" + "b" * 100 + "</p>",
    "quirks class case": "<nav><div class=Entry-Content>x</div></nav><p>" + "b" * 100 + "</p>",
    "standards class case": "<!DOCTYPE html><nav><div class=Entry-Content>x</div></nav><p>" + "b" * 100 + "</p>",
    "attribute case": "<nav><div role=MAIN>x</div></nav><aside><div itemprop='articleBody x'>y</div></aside>"
                      "<nav><div itemprop=articlebody>z</div></nav><nav><div ROLE=main>w</div></nav>"
                      "<p>" + "b" * 100 + "</p>",
    "text kinds": "<nav>a &amp; b&nbsp;c<!-- a long comment " + "c" * 200 + " --><script>var s = 1;</script>"
                  "<style>p{}</style> \n\t <b>é日本</b></nav><p>" + "b" * 40 + "</p>",
    "form thresholds": "<form>" + "x" * 4000 + "</form><form>" + "y" * 4001 + "</form><form><h1>t</h1></form>"
                       "<p>" + "z" * 20000 + "</p>",
    "in-body markers": "<article><div class=share>" + "a" * 1500 + "</div><div class=share>" + "b" * 1501 +
                       "</div><div class=related>" + "é" * 1501 + "</div><p>body</p></article>",
    "nested candidates": "<nav><aside><form><nav>deep</nav></form></aside></nav><div class=sidebar><div class=widget>"
                         "<nav>x</nav></div></div><p>" + "b" * 30 + "</p>",
}

# (chrome, not chrome) pairs on either side of a threshold: the Python walk's verdict flips
THRESHOLD_PAIRS = {
    "page share": (_nav_share("n" * 60, "r" * 40), _nav_share("n" * 61, "r" * 40)),
    "page share, entities": (_nav_share("&amp;" * 60, "r" * 40), _nav_share("&amp;" * 61, "r" * 40)),
    "page share, multi-byte": (_nav_share("日" * 60, "é" * 40), _nav_share("日" * 61, "é" * 40)),
    "page share, script text": (_nav_share("v<script>" + "s" * 59 + "</script>", "r" * 40),
                                _nav_share("v<script>" + "s" * 60 + "</script>", "r" * 40)),
    "page share, comments": (_nav_share("n" * 60 + "<!--" + "c" * 99 + "-->", "r" * 40),
                             _nav_share("n" * 61 + "<!--" + "c" * 99 + "-->", "r" * 40)),
    "page share, whitespace": (_nav_share("n" * 50 + " " * 10, "r" * 40), _nav_share("n" * 50 + " " * 11, "r" * 40)),
    "form size": ("<form>" + "x" * 4000 + "</form><p>" + "z" * 9000 + "</p>",
                  "<form>" + "x" * 4001 + "</form><p>" + "z" * 9000 + "</p>"),
    "in-body marker size": ("<article><div class=share>" + "é" * 1500 + "</div><p>body</p></article>",
                            "<article><div class=share>" + "é" * 1501 + "</div><p>body</p></article>"),
}


def _chrome_lines(walker: W.Walker) -> int:
    return sum(1 for line in walker.lines if line[1] == W.DOM_REASON)


@pytest.mark.parametrize("name", sorted(CHROME_CHECKS))
def test_chrome_checks_walk_the_same(name):
    ref, got = _walks(CHROME_CHECKS[name])
    _same(ref, got, name)
    assert ref.checks < W.MAX_SUBTREE_CHECKS  # the page reaches the subtree checks


@pytest.mark.parametrize("name", sorted(THRESHOLD_PAIRS))
def test_chrome_thresholds_walk_the_same(name):
    marked, kept = THRESHOLD_PAIRS[name]
    ref_marked, got_marked = _walks(marked)
    ref_kept, got_kept = _walks(kept)
    _same(ref_marked, got_marked, name)
    _same(ref_kept, got_kept, name)
    assert _chrome_lines(ref_marked) == 1 and _chrome_lines(ref_kept) == 0, name  # at the threshold


def test_undecodable_text_is_counted_as_selectolax_decodes_it():
    """Bytes Lexbor passes through undecodable count as selectolax's text() decodes the joined
    text nodes: a two-byte character split over two text nodes is one character (60 + 40: the
    <nav> is chrome), each lone byte one replacement character (61 + 40: it is not)."""
    split = b"<nav>\xc3<b>\xa9</b>" + b"n" * 59 + b"</nav><p>" + b"r" * 40 + b"</p>"
    lone = b"<nav>\xc3<b>\xff</b>" + b"n" * 59 + b"</nav><p>" + b"r" * 40 + b"</p>"
    for html, chrome in ((split, 1), (lone, 0)):
        ref, got = _walks(html)
        _same(ref, got, html)
        assert _chrome_lines(ref) == chrome, html
    node = LexborHTMLParser(split).css_first("nav")
    assert len(node.text()) == 60


# pieces of text bytes: ASCII runs (the eight-byte steps and their ends), characters of two to four
# bytes, and bytes that are not UTF-8 on their own (lone continuation or start bytes, overlong
# forms, surrogates, beyond U+10FFFF); split over text nodes by tags
VALID_TEXT_BYTES = (b"a", b"abcdefgh", b"abcdefghijklmnopq", b" \t\n", "é".encode(), "日".encode(),
                    "😀".encode(), b"<b>", b"</b>", b"<!--c-->", b"&amp;", b"<script>abcdefghij</script>")
TEXT_BYTES = VALID_TEXT_BYTES + (b"\x80", b"\xbf", b"\xc3", b"\xe6\x97", b"\xf0\x9f\x98", b"\xc0\xaf",
                                 b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xff")


def test_text_lengths_are_selectolax_s_on_random_bytes():
    """The page's text length (read by the first containment check, kept in the walker) equals
    len(body.text()) on pages of random text bytes, valid UTF-8 (counted without decoding) or
    not (decoded), split over text nodes."""
    rng = random.Random(22)
    lone = [b"abcdefghij " + piece + b" \xc3\xa9" for piece in TEXT_BYTES[len(VALID_TEXT_BYTES):]]
    for i in range(400 + len(lone)):
        pieces = VALID_TEXT_BYTES if i % 2 else TEXT_BYTES  # every text node valid, or some not
        text = lone[i - 400] if i >= 400 else b"".join(rng.choice(pieces) for _ in range(rng.randrange(1, 60)))
        html = b"<nav>" + text + b"</nav><p>" + text[::-1] + b"</p>"
        ref, got = _walks(html)
        _same(ref, got, html)
        assert ref.page_chars == len(LexborHTMLParser(html).body.text()) >= 0, html


# random tag soup: the walk's tags, the class/id words and roles its rules read, hiding styles,
# text with spaces, line breaks and non-ASCII; end tags sometimes left out or stray
SOUP_TAGS = ("div", "p", "span", "b", "a", "li", "ul", "ol", "pre", "code", "h1", "h2", "h3", "nav", "aside",
             "header", "footer", "form", "article", "main", "section", "time", "cite", "br", "hr", "table",
             "td", "blockquote", "figure", "label", "script", "select", "my-widget", "dl", "dd")
SOUP_ATTRS = ("class='comments'", "class='comment-author vcard'", "class='sidebar widget'", "class='entry-content'",
              "class='post-title'", "class='menu nav-menu'", "class='share-buttons'", "class='entry-header'",
              "class=''", "class", "id='comments'", "id='respond'", "id", "role=main", "role=navigation",
              "role=Article", "role=banner", "role=contentinfo", "role=complementary", "itemprop=articleBody",
              "itemprop=headline", "itemprop=author", "itemprop='datePublished'", "style='display:none'",
              "style='visibility : hidden'", "style='color:none-ish'", "hidden", "datetime='2024-03-04'",
              "datetime", "href='/x'", "data-x=1")
SOUP_TEXT = ("word", " ", "\n", "  two words ", "é ü 日本", "\u00a0", "x" * 130, "line\nbreak", "\t")


def _soup(rng) -> str:
    out = []
    for _ in range(rng.randrange(1, 120)):
        r = rng.random()
        if r < 0.45:
            tag = rng.choice(SOUP_TAGS)
            attrs = " ".join(rng.sample(SOUP_ATTRS, rng.randrange(0, 3)))
            out.append(f"<{tag} {attrs}>" if attrs else f"<{tag}>")
        elif r < 0.7:
            out.append(f"</{rng.choice(SOUP_TAGS)}>")
        elif r < 0.73:
            out.append("<!-- note -->")
        else:
            out.append(rng.choice(SOUP_TEXT))
    return "".join(out)


def test_random_tag_soup_walks_the_same():
    rng = random.Random(10)
    reasons = hints = 0
    for i in range(600):
        html = _soup(rng)
        ref, got = _walks(html)
        _same(ref, got, html)
        reasons += sum(1 for line in ref.lines if line[1])
        hints += sum(1 for line in ref.lines if line[2])
    assert reasons > 50 and hints > 200  # the soup reaches the DOM rules and the hints


def test_undecodable_bytes_walk_the_same():
    html = b"<p class='\xff\xfe'>bad \xc3\x28 bytes \xed\xa0\x80</p><\xe9l>x</\xe9l><p id='\xfa'>y</p>"
    ref, got = _walks(html)
    _same(ref, got, "bytes")
    assert any("\ufffd" in line[0] for line in ref.lines)


def test_many_chrome_candidates_spend_the_same_budget():
    html = "".join(f"<div class=sidebar-widget><p>w{i}</p></div>" for i in range(W.MAX_SUBTREE_CHECKS + 50))
    ref, got = _walks(html + "<article><p>text</p></article>")
    _same(ref, got, "budget")
    assert ref.checks == 0


@pytest.fixture
def reconfigure():
    """configure the extension with some rules changed; the right rules again afterwards"""
    def apply(**changes):
        body = LexborHTMLParser(NW.PROBE).body
        NW._domwalk.configure(lexbor.__file__, body, body.mem_id, {**NW.rules(), **changes})
    yield apply
    apply()


def test_one_differing_field_is_caught(reconfigure):
    """The comparison reads every field, not lengths: the C walk given a wrong block code, a wrong
    author-line limit or a wrong class CRC makes as many lines, and the comparison fails."""
    html = ADVERSARIAL["chrome"]
    ref, got = _walks(html)
    _same(ref, got, "right rules")
    assert any(line[2] == W.HINT_COMMENT_AUTHOR for line in ref.lines)
    wrong_rules = {
        "block_code": {t: c + 1 for t, c in W._BLOCK_CODE.items()},
        "max_author_line": 2,
        "class_info": lambda cls, ident: (lambda ci: ci[:2] + (ci[2] ^ 1,) + ci[3:])(W.class_info(cls, ident)),
    }
    for name, value in wrong_rules.items():
        reconfigure(**{name: value})
        _ref, wrong = _walks(html)
        assert len(wrong.lines) == len(ref.lines) and len(wrong.ctx) == len(ref.ctx), name
        with pytest.raises(AssertionError):
            _same(ref, wrong, name)
    reconfigure()
    _same(ref, _walks(html)[1], "right rules again")


def test_served_path_takes_the_compiled_walk(monkeypatch):
    def refuse(self, root):
        raise AssertionError("the Python walk ran")
    monkeypatch.setattr(W.Walker, "walk", refuse)
    w, _meta, _keys = H._walk("<html><body><article><p>Hello there, world.</p></article></body></html>")
    assert [line[0] for line in w.lines] == ["Hello there, world."]


def test_without_the_extension_python_walks_after_one_warning(monkeypatch, caplog):
    with caplog.at_level(logging.WARNING):
        mod = load_unbuilt(monkeypatch, NW, "workers.core.stages._domwalk")
    assert not mod.AVAILABLE
    assert sum("_domwalk" in r.getMessage() for r in caplog.records) == 1
    tree = LexborHTMLParser(ADVERSARIAL["chrome"])
    w = W.Walker(tree.body)
    mod.walk(w, tree.body)
    ref, _ = _walks(ADVERSARIAL["chrome"])
    _same(ref, w, "unbuilt")


def test_another_selectolax_version_keeps_the_python_walk(monkeypatch, caplog):
    """A fresh copy of native_walk under a selectolax release it was not checked against: one
    warning, not AVAILABLE, and its walk is the Python walk's."""
    monkeypatch.setattr(selectolax, "__version__", "0.0.0")
    spec = importlib.util.spec_from_file_location("_native_walk_other_selectolax", NW.__file__)
    mod = importlib.util.module_from_spec(spec)
    with caplog.at_level(logging.WARNING):
        spec.loader.exec_module(mod)
    assert mod._domwalk is not None and not mod.AVAILABLE
    assert sum("selectolax 0.0.0" in r.getMessage() for r in caplog.records) == 1


def _fresh_native_walk(name: str):
    """a fresh copy of native_walk, imported (its _check run) now"""
    spec = importlib.util.spec_from_file_location(name, NW.__file__)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("error", [TypeError, RuntimeError])
def test_a_configure_error_keeps_the_python_walk(reconfigure, caplog, error):
    """configure failing with another error than ImportError (a rule of the wrong type, or any
    error of the extension) leaves a fresh native_walk importable, not AVAILABLE, after one
    warning; its walk is the Python walk's. (The fixture configures the extension again after.)"""
    from workers.core.stages import html_chrome as C
    if error is TypeError:  # a threshold of the wrong type: the extension's own TypeError
        patch = mock.patch.object(C, "MAX_CHROME_SHARE", "0.6")
    else:
        patch = mock.patch.object(NW._domwalk, "configure", side_effect=error("boom"))
    with patch, caplog.at_level(logging.WARNING):
        mod = _fresh_native_walk("_native_walk_configure_error")
    assert mod._domwalk is not None and not mod.AVAILABLE
    assert sum(error.__name__ in r.getMessage() for r in caplog.records) == 1
    tree = LexborHTMLParser(ADVERSARIAL["chrome"])
    w = W.Walker(tree.body)
    mod.walk(w, tree.body)
    ref_root = LexborHTMLParser(ADVERSARIAL["chrome"]).body
    ref = W.Walker(ref_root)
    ref.walk(ref_root)
    _same(ref, w, "configure error")
