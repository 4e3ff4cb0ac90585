"""The page kind's listing evidence (#10): printed dates outside the comments and a
pagination control among the removed lines (page_kind_model._listing_features)."""
from __future__ import annotations

import math

from topics.records import Removed, SegmentedDocument
from workers.core.stages import page_kind_model as PM


def _doc(pars, removed):
    return SegmentedDocument(id="d", url="https://news.example/section/", content_type="text/html", fetched_at=None,
                             source=None, site=None, title="Section", body_paragraphs=pars, comments=[],
                             removed=[Removed(n, t, r) for n, (t, r) in enumerate(removed)], html_meta={},
                             line_count=len(pars) + len(removed))


def _f(doc):
    v = PM.features({}, doc.url, doc, None)
    return {k: v[PM.FEATURES.index(k)] for k in ("log_dates", "date_share", "pagination")}


def test_listing_dates_and_pagination():
    entries = [f"River plan, part {i}: March {i + 1}, 2024" for i in range(6)]
    got = _f(_doc(entries, [("Older posts", "navigation"), ("Page 2 of 9", "html-dom")]))
    assert got["log_dates"] == math.log1p(6) and got["date_share"] == 6 / 8 and got["pagination"] == 1.0
    # a comment section's dates are the comments', and running text is no pagination control
    got = _f(_doc(["One article about the river plan and its flood defences."],
                  [("Ann says: March 2, 2024 at 9:12 pm", "comment-header"),
                   ("Next, the council will publish the flood maps for every street.", "related")]))
    assert got == {"log_dates": 0.0, "date_share": 0.0, "pagination": 0.0}
