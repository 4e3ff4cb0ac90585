"""The "Updated" date as published_at's last resort (enrich/published.py, dates.updated_date)."""
from __future__ import annotations

from tests.test_html_meta import _enriched
from workers.core.stages.dates import updated_date

PARAS = "".join(f"<p>The council met on Tuesday to discuss paragraph {i} of the river plan, and the residents "
                f"asked many questions about the flood defences along the old bridge.</p>" for i in range(6))


def _page(dateline: str, head: str = "") -> str:
    return (f"<html><head><title>River plan</title>{head}</head><body><article><h1>River plan</h1>"
            f"<p>{dateline}</p>{PARAS}</article></body></html>")


def test_updated_date_reads_the_date_after_its_cue():
    assert str(updated_date("Last updated on 17 December 2025")) == "2025-12-17"
    assert str(updated_date("David Hartshorne•Updated on Jul 4, 2024 •28 min read")) == "2024-07-04"
    assert str(updated_date("Zuletzt aktualisiert: 3. März 2024")) == "2024-03-03"
    assert updated_date("Published 6 May 2024") is None                      # no update cue
    assert updated_date("Updated our privacy policy, read it before 6 May 2024") is None  # date too far
    assert updated_date("Outdated advice from 6 May 2024") is None           # a word, not the cue


def test_updated_date_stands_in_only_when_the_article_states_no_other():
    md = _enriched(_page("Last updated on 17 December 2024"))["metadata"]
    assert md["published_at"] == "2024-12-17" and md["published_at_source"] == "updated"
    md = _enriched(_page("Published 6 May 2024 · Updated 7 May 2024"))["metadata"]
    assert md["published_at"] == "2024-05-06" and md["published_at_source"] == "text"
    head = '<meta property="article:published_time" content="2024-02-01">'
    md = _enriched(_page("Last updated on 17 December 2024", head))["metadata"]
    assert md["published_at"] == "2024-02-01" and md["published_at_source"] == "meta"


def test_updated_date_never_after_fetched_at_nor_on_a_product_page():
    md = _enriched(_page("Last updated on 17 December 2025"))["metadata"]   # fetched 2025-01-01
    assert md["published_at"] is None
    product = _page("Last updated on 17 December 2024", '<meta property="og:type" content="product">')
    md = _enriched(product, url="https://shop.example/product/river-kit")["metadata"]
    assert md["page_kind"] == "product" and md["published_at"] is None
