"""Segment stage: split a stripped document into title, body paragraphs and comments.

PLACEHOLDER, to be replaced: first kept line is the title, the rest is body.
"""
from __future__ import annotations

from topics.records import Removed, SegmentedDocument, StrippedDocument


def segment(doc: StrippedDocument) -> SegmentedDocument:
    kept = [ln for ln in doc.lines if ln.reason is None]
    removed = [Removed(n=ln.n, text=ln.text, reason=ln.reason) for ln in doc.lines if ln.reason is not None]
    title = kept[0].text if kept else None
    return SegmentedDocument(
        id=doc.id, url=doc.url, content_type=doc.content_type, fetched_at=doc.fetched_at,
        source=doc.source, site=doc.site, title=title,
        body_paragraphs=[ln.text for ln in kept[1:]], comments=[], removed=removed,
        html_meta=doc.html_meta, line_count=len(doc.lines),
    )
