"""Enrich stage: metadata (site, domain, language, date, counts, fingerprints, quality).

PLACEHOLDER, to be replaced.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from topics.records import CommentRecord, EnrichedDocument, Metadata, SegmentedDocument


def enrich(doc: SegmentedDocument) -> EnrichedDocument:
    domain = urlsplit(doc.url).hostname if doc.url else None
    body = "\n\n".join(doc.body_paragraphs)
    meta = Metadata(site_name=None, domain=domain, language=None, published_at=None,
                    word_count=len(body.split()), paragraph_count=len(doc.body_paragraphs),
                    comment_count=len(doc.comments))
    return EnrichedDocument(
        id=doc.id, url=doc.url, fetched_at=doc.fetched_at, content_type=doc.content_type,
        source=doc.source, title=doc.title, body=body, comments=doc.comments,
        removed=doc.removed, metadata=meta,
    )


def comment_records(doc: EnrichedDocument) -> list[CommentRecord]:
    return [
        CommentRecord(
            id=f"{doc.id}#{c.index}", document_id=doc.id, index=c.index, text=c.text,
            author=c.author, posted_at=c.posted_at, reply_to=c.reply_to, url=doc.url,
            site_name=doc.metadata.site_name, language=doc.metadata.language,
        )
        for c in doc.comments
    ]
