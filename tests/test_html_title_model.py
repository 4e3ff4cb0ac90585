"""The title candidates (html_title.title_candidates), the trained title chooser
(workers/core/stages/html_title_model.py) and its trainer."""
from __future__ import annotations

import numpy as np

from tests.test_html_meta import _enriched
from workers.core.stages import html_title_model as TM
from workers.core.stages.html import html_page
from workers.training import title_train as T

PARAS = "".join(f"<p>The council met on Tuesday to discuss paragraph {i} of the river plan, and the residents "
                f"asked many questions about the flood defences along the old bridge.</p>" for i in range(6))
PAGE = ("<html><head><title>Flood defences approved | The Riverside Paper</title>"
        "<meta property='og:site_name' content='The Riverside Paper'><meta property='og:type' content='article'>"
        "</head><body><nav><h2>Sections</h2><a href='/'>Home</a></nav>"
        f"<article><h1>Flood defences approved</h1>{PARAS}<h2>What happens next</h2>{PARAS}</article></body></html>")


def _sources(meta: dict) -> dict[str, list[str]]:
    return {c[0]: c[1] for c in meta["title_candidates"]}


def test_candidates_merge_sources_of_the_same_text():
    _lines, _dom, meta = html_page(PAGE)
    by_text = _sources(meta)
    assert set(by_text["Flood defences approved | The Riverside Paper"]) >= {"og", "title"}
    assert set(by_text["Flood defences approved"]) >= {"og_cut", "title_cut", "h1", "rule"}
    assert "Sections" not in by_text      # a heading inside <nav> is no candidate
    pos = {c[0]: c[2] for c in meta["title_candidates"]}
    assert pos["Flood defences approved | The Riverside Paper"] == -1.0 and 0 <= pos["Flood defences approved"] < 1


def test_first_part_before_a_separator_is_a_candidate():
    _l, _d, meta = html_page("<html><head><title>Wedding Planning Tools – Caterer Comparison Sheet | Plan It"
                             "</title></head><body><p>Some text here.</p></body></html>")
    by_text = _sources(meta)
    assert "title_first" in by_text.get("Wedding Planning Tools", [])
    _l, _d, meta = html_page("<html><head><title>Wedding Planning Tools | Plan It</title></head>"
                             "<body><p>Some text here.</p></body></html>")
    assert {"title_first", "title_cut"} <= set(_sources(meta)["Wedding Planning Tools"])
    _l, _d, meta = html_page("<html><head><title>Wedding Planning Tools</title></head>"
                             "<body><p>Some text here.</p></body></html>")
    assert not any("title_first" in s for s in _sources(meta).values())


def test_head_parts_and_site_name_are_candidates():
    _l, _d, meta = html_page("<html><head><title>Webcams - Yosemite National Park | Park Service</title>"
                             "<meta property='og:site_name' content='Park Service'></head>"
                             "<body><p>Some text here.</p></body></html>")
    by_text = _sources(meta)
    assert "title_rest" in by_text["Yosemite National Park | Park Service"]   # without the first part
    assert {"title_last", "site_name"} <= set(by_text["Park Service"])
    _l, _d, meta = html_page("<html><head><title>Webcams</title></head><body><p>Some text.</p></body></html>")
    assert not any(s.endswith(("_rest", "_last")) for srcs in _sources(meta).values() for s in srcs)


def test_head_without_its_last_part_is_a_candidate_from_three_parts():
    _l, _d, meta = html_page("<html><head><title>Agency Portfolio | Denver Web Design | Blennd</title></head>"
                             "<body><p>Some text here.</p></body></html>")
    assert "title_init" in _sources(meta)["Agency Portfolio | Denver Web Design"]
    _l, _d, meta = html_page("<html><head><title>Agency Portfolio | Blennd</title></head>"
                             "<body><p>Some text here.</p></body></html>")
    assert not any(s.endswith("_init") for srcs in _sources(meta).values() for s in srcs)   # two parts: the first


def test_candidate_text_is_repaired():
    from workers.core.stages.html_title import repair
    assert repair("A DIY Investor\u00e2\u0080\u0099s Guide") == "A DIY Investor\u2019s Guide"  # UTF-8 read as Latin-1
    assert repair("The Cream with TFC8&reg; Face") == "The Cream with TFC8\u00ae Face"
    assert repair("Caf\u00e9 & bar \u2014 Men\u00fc") == "Caf\u00e9 & bar \u2014 Men\u00fc"  # right text unchanged
    assert repair("Home Repair Assis\u00adtance Program") == "Home Repair Assistance Program"  # soft hyphen
    assert repair("Keep Your Teeth Healthy\u200b | Blue") == "Keep Your Teeth Healthy | Blue"  # zero-width space
    assert repair('A 2024 "status symbol"? \u2261\u0192\u00f1\u00f6') == 'A 2024 "status symbol"? \U0001f914'  # DOS code page
    assert repair("News: \u0111\x9f\x97\x9e\u010f\u00b8\x8f Using AI") == "News: \U0001f5de\ufe0f Using AI"  # cp1250
    assert repair("REI Co-op\u00c2 Trail 25 Pack") == "REI Co-op Trail 25 Pack"  # a no-break space's lone lead
    assert repair("\u00c2GE \u00c2 LA \u010ce\u0161tina \u2261 \u0111 x") == "\u00c2GE \u00c2 LA \u010ce\u0161tina \u2261 \u0111 x"


def test_invisible_characters_do_not_split_a_candidate_word():
    _l, _d, meta = html_page(PAGE.replace("<h1>Flood defences approved", "<h1>Flood de&shy;fences ap\u200bproved"))
    by_text = _sources(meta)
    assert {"h1", "og_cut"} <= set(by_text["Flood defences approved"])   # one candidate, both sources
    assert not any("\u00ad" in t or "\u200b" in t for t in by_text)


def test_committed_model_matches_the_feature_list_and_beats_the_rules():
    m = TM.load_model()
    assert m is not None, "workers/core/stages/data/title_chooser.json missing or built for another feature list"
    assert m["validation"]["accuracy"] > m["validation"]["rules"]   # why it is served instead of the rules


def test_record_title_is_the_headline_without_the_site_name():
    rec = _enriched(PAGE, url="https://riverside.example/news/flood-defences-approved")
    assert rec["title"] == "Flood defences approved"


def test_features_are_deterministic_and_named():
    _l, _d, meta = html_page(PAGE)
    cands = TM._valid(meta["title_candidates"])
    url = "https://riverside.example/news/flood-defences-approved"
    a = TM.features(cands, meta, "The council met", url, "Flood defences approved")
    b = TM.features(cands, meta, "The council met", url, "Flood defences approved")
    assert a.shape == (len(cands), len(TM.FEATURES)) and np.array_equal(a, b)
    i = [c[0] for c in cands].index("Flood defences approved")
    on = {TM.FEATURES[j] for j in np.flatnonzero(a[i])}
    assert {"src:h1", "src:title_cut", "rule_final"} <= on
    assert a[i, TM.FEATURES.index("slug_cover")] == 1.0
    j = [c[0] for c in cands].index("Flood defences approved | The Riverside Paper")
    assert a[j, TM.FEATURES.index("site_word")] == 1.0 and a[i, TM.FEATURES.index("site_word")] == 0.0


def test_choose_without_candidates_or_model_leaves_the_rules():
    assert TM.choose({}, "") is None
    assert TM.choose({"title_candidates": "not a list"}, "") is None


def test_fit_ranks_by_a_feature_and_is_deterministic():
    rng = np.random.default_rng(0)
    data = []
    for _ in range(60):
        x = rng.normal(0, 1, (4, len(TM.FEATURES)))
        y = np.zeros(4)
        y[int(np.argmax(x[:, 0]))] = 1.0     # the right candidate is the one with the largest column 0
        data.append({"x": x, "y": y})
    b1, b2 = T.fit(data), T.fit(data)
    assert b1.model_to_string() == b2.model_to_string()
    assert T.accuracy(b1, data) > 0.9
    assert T.norm("Ünïcode – Title!") == "ünïcode title"


def test_derived_candidates_cut_a_kicker_a_glued_site_name_and_a_parenthesis():
    page = ("<html><head><title>{t}</title><link rel='canonical' href='https://davidbau.com/a/b.html'></head>"
            "<body><h1>{h}</h1><p>Some text here.</p></body></html>")
    _l, _d, meta = html_page(page.format(t="davidbau.com Vibe Coding", h="Collection: Sennheiser"))
    by_text = _sources(meta)
    assert "title_cut_site" in by_text["Vibe Coding"] and "h1_kicker" in by_text["Sennheiser"]
    _l, _d, meta = html_page(page.format(t="Best Books Ever (77141 books)", h="Notes: one: two"))
    by_text = _sources(meta)
    assert "title_cut_paren" in by_text["Best Books Ever"]
    assert "one: two" not in by_text and "Notes" not in by_text   # two colons: no kicker cut
