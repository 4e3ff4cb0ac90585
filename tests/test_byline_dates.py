"""Byline-shaped date lines (dates.byline_shaped) as the article's date in enrich."""
from __future__ import annotations

from tests.test_html_meta import _enriched
from workers.core.stages.dates import byline_shaped

PARAS = "".join(f"<p>The council met on Tuesday to discuss paragraph {i} of the river plan, and the residents "
                f"asked many questions about the flood defences along the old bridge.</p>" for i in range(6))


def test_byline_shaped_lines():
    for line in ("Faith Katunga•Oct 20, 2025", "23.07.2025 · 6 min read", "by: Ziyi Xu, Dec 17, 2025",
                 "December 18, 2025 ・ 3 min read", "Ann Lee | 5 March 2024 | 4 minute read"):
        assert byline_shaped(line), line
    for line in ("Dec 26, 2025 • Mahua Das in Project Management and Planning",   # a phrase, not a name
                 "The council met on Oct 20, 2025 to discuss the plan",            # a sentence
                 "Oct 20, 2025",                                                   # bare: date_span_ratio's job
                 "Ann Lee • 6 min read",                                           # no date
                 "Comments | Oct 20, 2025 | Share this story with your friends now"):
        assert not byline_shaped(line), line


def test_byline_shaped_line_dates_the_article():
    html = ("<html><head><title>River plan</title></head><body><article><h1>River plan</h1>"
            f"<p>Faith Katunga • Oct 20, 2024</p>{PARAS}</article></body></html>")
    rec = _enriched(html, url="https://paper.example/news/river-plan")
    assert rec["metadata"]["published_at"] == "2024-10-20"
    updated = html.replace("Faith Katunga • Oct 20, 2024", "Faith Katunga • Updated Oct 20, 2024")
    rec = _enriched(updated, url="https://paper.example/news/river-plan")
    # an "Updated" date is not the publication date: taken only as the last resort, and said so
    assert rec["metadata"]["published_at"] == "2024-10-20" and rec["metadata"]["published_at_source"] == "updated"
