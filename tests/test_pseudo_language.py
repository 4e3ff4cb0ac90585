"""Pseudo-language training pages (workers/training/pseudo.py): same shape, no wording."""
from __future__ import annotations

import re

from topics.records import Line
from workers.core.heuristics import line_features as LF
from workers.core.labeller.evidence import rule_evidence
from workers.core.labeller.features import feature_names, page_features
from workers.core.stages.strip import split_lines
from workers.training import pseudo as PS
from workers.training.pages import TrainPage

TEXT = """Harbour News

The harbour board said on Tuesday that the evening ferry will leave twenty minutes later from the first of May.

Posted on March 3, 2021 at 7:41pm by the board. Visit www.harbour-news.com for the tables.

3 Comments

Mara Lind says:
That is good news for those of us who work late at the fish market.
Reply
"""


def _page(page_id: str = "dragnet:7:dom") -> TrainPage:
    lines = split_lines(TEXT)
    labels = ["title"] + ["body"] * 2 + ["boilerplate"] * (len(lines) - 3)
    authors = [None] * len(lines)
    gold = {"content": "The harbour board said on Tuesday", "title": "Harbour News",
            "comments_text": "That is good news", "comments": [{"author": "Mara Lind", "text": "That is good news"}]}
    return TrainPage(page_id, "harbour-news.com", "dragnet", "article", "dom", "text/html", None,
                     lines, None, labels, authors, gold)


def _shape(s: str) -> str:
    return re.sub(r"[^\W\d_]", "a", s)


def test_pseudo_page_keeps_shape_digits_urls_and_labels_and_maps_gold_alike():
    src = _page()
    ps = PS.pseudo_page(src)
    assert ps.page_id == "pseudo-dragnet:7:dom" and ps.dataset == "pseudo-dragnet" and ps.site == src.site
    assert ps.labels == src.labels and len(ps.lines) == len(src.lines)
    same_length = PS.page_mapping(src).lang is None  # else function words become another language's
    for a, b in zip(src.lines, ps.lines):
        assert (a.n, a.blank_before, a.reason) == (b.n, b.blank_before, b.reason)
        assert re.findall(r"\d", a.text) == re.findall(r"\d", b.text)
        assert len(a.text) == len(b.text) or not same_length
    assert "www.harbour-news.com" in ps.lines[2].text
    assert ps.lines[1].text != src.lines[1].text
    # one bijection per page: the gold's words are the lines' words
    words = set(re.findall(r"\w+", "\n".join(ln.text.lower() for ln in ps.lines)))
    assert set(re.findall(r"\w+", ps.gold["content"].lower())) <= words
    assert ps.gold["comments"][0]["author"] and ps.gold["comments"][0]["author"] in ps.lines[-3].text
    assert PS.pseudo_page(src).lines == ps.lines  # deterministic


def test_pseudo_pages_silence_english_wording_evidence():
    """Month names, English stopwords and the rules' English author pattern stop firing
    (the point of the proxy); the line shapes stay."""
    names = feature_names()
    col = {n: i for i, n in enumerate(names)}
    src = _page()
    seen_lang = set()
    for k in range(12):
        page = _page(f"dragnet:{k}:dom")
        ps = PS.pseudo_page(page)
        if PS.page_mapping(page).lang is None:  # an unknown language: every word keeps its shape
            assert [_shape(a.text) for a in src.lines] == [_shape(b.text) for b in ps.lines]
        ev = rule_evidence(ps.lines)
        X = page_features([ln.text for ln in ps.lines], [ln.blank_before for ln in ps.lines], ev)
        assert X[:, col["month_names"]].sum() == 0
        assert not any(ev.sig_author)
        stop = X[1, col["stop_share_any"]]  # the prose line (the URL line keeps its "com")
        assert (stop > 0) == (PS.page_mapping(page).lang is not None)
        seen_lang.add(stop > 0)
    assert seen_lang == {True, False}  # some pages in a known other language, some in none


def test_a_share_of_real_sources_with_all_their_flatteners():
    pages = [_page(f"dragnet:{k}:{f}") for k in range(200) for f in ("dom", "blocks")]
    pages.append(_page("synthetic:1:text"))
    out = PS.make_pages(pages)
    share = len(out) / 400
    assert 0.15 < share < 0.35
    sources = {p.page_id.rsplit(":", 1)[0] for p in out}
    assert len(out) == 2 * len(sources)  # both flatteners of a chosen source
    assert not any("synthetic" in p.page_id for p in out)
    assert PS.make_pages(pages, share=0.0) == []


def test_wording_columns_are_named_feature_columns():
    names = set(feature_names())
    assert LF.WORDING_COLUMNS and set(LF.WORDING_COLUMNS) <= names
