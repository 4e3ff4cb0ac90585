"""html_meta._microdata_date asks the page once whether any published-date selector matches
before asking them one by one (docs/performance.md, eleventh round): the same answer as asking
them one by one, on real pages and on pages built to match each selector."""
from __future__ import annotations

import itertools

from selectolax.lexbor import LexborHTMLParser

from bench.loaders import html_dev_pages
from workers.core.stages import html_meta as M
from workers.core.stages.html_author import any_ancestor
from workers.core.stages.html_meta import norm_date


def _former(tree):
    for sel in M._PUBLISHED_SELECTORS:
        try:
            els = tree.css(sel)
        except Exception:  # noqa: BLE001
            els = []
        for el in els[:M.MAX_MICRODATA_ELEMENTS]:
            ea = el.attributes
            d = norm_date(ea.get("datetime") or ea.get("content") or ea.get("title") or el.text())
            if d and not any_ancestor(el, M._not_the_article):
                return d, "dom:" + sel
    return None


BUILT = ('<time itemprop="datePublished" datetime="2024-03-05">x</time>', '<span itemprop="datePublished">5 March 2024</span>',
         '<time pubdate datetime="2023-01-02"></time>', '<abbr class="published" title="2022-02-03">Feb</abbr>',
         '<time class="published">2021-04-05</time>', '<time class="entry-date">May 6, 2020</time>',
         '<time itemprop="dateCreated" datetime="2019-07-08"></time>', '<div class="comments"><time pubdate>2018-01-01</time></div>',
         '<p>no date here</p>', '')


def test_microdata_date_answers_as_before() -> None:
    pages = [f"<html><body>{a}{b}</body></html>" for a, b in itertools.product(BUILT, repeat=2)]
    for name in ("wcxb-dev.jsonl.gz", "dragnet-train.jsonl.gz"):
        pages += [p["html"] for p in itertools.islice(html_dev_pages(name), 40)]
    found = 0
    for html in pages:
        tree = LexborHTMLParser(html)
        want = _former(tree)
        assert M._microdata_date(tree) == want
        found += want is not None
    assert found > 50
