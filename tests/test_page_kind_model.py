"""The trained page-kind classifier (workers/core/stages/page_kind_model.py) and its trainer."""
from __future__ import annotations

import numpy as np

from tests.test_html_meta import _enriched
from workers.core.stages import page_kind_model as PM
from workers.training import page_kind_train as T

PARAS = "".join(f"<p>The council met on Tuesday to discuss paragraph {i} of the river plan, and the residents "
                f"asked many questions about the flood defences along the old bridge.</p>" for i in range(8))


def test_committed_model_matches_the_feature_list():
    m = PM.load_model()
    assert m is not None, "workers/core/stages/data/page_kind.json missing or built for another feature list"
    assert m["classes"] == list(PM.KIND_NAMES) and m["_w"].shape == (len(PM.FEATURES), len(PM.KIND_NAMES))
    assert m["validation"]["accuracy"] > m["rules"]["accuracy"]   # why it is served instead of the rules


def test_model_names_clear_pages():
    article = _enriched("<html><head><meta property='og:type' content='article'><script type='application/ld+json'>"
                        '{"@type": "NewsArticle", "headline": "River", "datePublished": "2024-03-05"}</script>'
                        f"</head><body><article><h1>River</h1>{PARAS}</article></body></html>",
                        url="https://paper.example/news/2024/river-plan-flood-defences")
    assert article["metadata"]["page_kind"] == "article"
    tiles = "".join(f"<li><a href='/p/{i}'>Boot model {i}</a> <span class='price'>$ {40 + i}.99</span>"
                    f"<button>Add to cart</button></li>" for i in range(30))
    shop = _enriched("<html><head><meta property='og:type' content='website'><script type='application/ld+json'>"
                     '{"@type": "CollectionPage", "name": "Boots"}</script></head>'
                     f"<body><h1>Boots</h1><ul>{tiles}</ul></body></html>", url="https://shop.example/collections/boots")
    assert shop["metadata"]["page_kind"] in ("collection", "listing")


def test_features_are_deterministic_and_named():
    meta = {"og_type": "product", "ld_types": ["product", "offer"], "dom_stats": {"lines": 40, "link_share": 0.3}}
    a = PM.features(meta, "https://shop.example/p/boots-1", None, "product")
    b = PM.features(meta, "https://shop.example/p/boots-1", None, "product")
    assert a.shape == (len(PM.FEATURES),) and np.array_equal(a, b)
    on = {PM.FEATURES[i] for i in np.flatnonzero(a)}
    assert {"og:product", "ldkind:product", "ld:offer", "path:product", "rule:product"} <= on


def test_fit_separates_two_kinds_and_is_deterministic():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(0, 1, (40, 3)) + [2, 0, 0], rng.normal(0, 1, (40, 3)) - [2, 0, 0]])
    y = np.array([0] * 40 + [1] * 40)
    p1, p2 = T.fit(x, y, 2), T.fit(x, y, 2)
    assert p1 == p2
    pred = PM.scores(T._model(p1), x).argmax(axis=1)
    assert (pred == y).mean() > 0.9
    assert T.site_folds(["a.com", "a.com", "b.org"], 4)[0] == T.site_folds(["a.com"], 4)[0]


SERVICE = """<html><head><title>Acme Analytics | Dashboards for small teams</title>
<meta property="og:type" content="website"><meta property="og:site_name" content="Acme Analytics">
<script type="application/ld+json">{"@type": "SoftwareApplication", "name": "Acme Analytics"}</script></head>
<body><header><nav><a href="/pricing">Pricing</a> <a href="/login">Log in</a></nav></header>
<main><h1>Bring your numbers to life</h1><p>Start free</p><p>Book a demo</p>
<h2>Connect every source</h2><p>Sync data from your tools in minutes.</p>
<h2>Share with your team</h2><p>Invite your colleagues and plan together.</p></main></body></html>"""


def test_service_page_takes_the_head_title_over_a_slogan_heading():
    rec = _enriched(SERVICE, url="https://acme.example/")
    assert rec["metadata"]["page_kind"] == "service"
    # the head's title (or a part of it), not the slogan: the trained title chooser may keep or take
    # the site's name on a site's front page, as the WCXB gold does ("Hugging Face" on
    # huggingface.co); the rules alone cut it (enrich.from_html.rule_title)
    assert rec["title"] in ("Dashboards for small teams", "Acme Analytics | Dashboards for small teams",
                            "Acme Analytics")
    article = SERVICE.replace('"website"', '"article"').replace('"SoftwareApplication"', '"NewsArticle"') \
        .replace("<p>Start free</p><p>Book a demo</p>", PARAS)
    rec = _enriched(article, url="https://paper.example/news/2024/numbers-to-life")
    assert rec["metadata"]["page_kind"] == "article" and rec["title"] == "Bring your numbers to life"


def test_page_shape_counts_repeated_linked_entries_outside_chrome():
    from workers.core.stages.html import html_page
    nav = "<nav>" + "".join(f"<p><a href='/s{i}'>Section {i}</a></p>" for i in range(12)) + "</nav>"
    teasers = "".join(f"<div class='teaser'><h3><a href='/story-{i}'>Story number {i} of the day</a></h3>"
                      f"<p>A short summary of story {i}.</p></div>" for i in range(10))
    _l, _d, meta = html_page(f"<html><body>{nav}<main><h1>Latest news</h1>{teasers}</main></body></html>")
    listing = meta["dom_stats"]
    assert listing["linked_headings"] == 10 and listing["headings"] == 10
    assert listing["slot_share"] == listing["link_lines"] > 0.4   # the 10 linked titles share one slot
    _l, _d, meta = html_page(f"<html><body>{nav}<article><h1>Big news</h1>{PARAS}<h2>More</h2>{PARAS}"
                             "</article></body></html>")
    article = meta["dom_stats"]
    assert article["linked_headings"] == 0 and article["headings"] == 1
    assert article["link_lines"] == 0.0 and article["slot_share"] == 0.0   # the nav's links are chrome
