"""Enrich stage: metadata (site, domain, language, date, counts, fingerprints, quality).

Pure and deterministic: the same segmented record always gives byte-identical output
(no clock, no randomness, no ``hash()`` of str (salted per process), dicts built in a
fixed key order, floats rounded).

* ``domain``: host of the url (or of ``html_meta.canonical_url``) without ``www.``.
* ``site_name``: ``html_meta.site_name`` (og:site_name, application-name, JSON-LD
  publisher), else the name the page prints: the masthead line, "Support X", or
  "© 2024 X. All rights reserved." (``site_name.py``), else null.
* ``language``: py3langid (a NumPy re-implementation of langid.py that ships its model
  inside the wheel: no download, ~0.25 ms per document with its byte walk in numpy
  (``language.py``), 97 ISO 639-1 languages, a normalised probability as confidence) on
  the body, falling back to title + comments.
* ``published_at``: only a date the page states for the article (``published.py``);
  ``published_at_source``, ``author``, ``page_kind`` and the HTML title: ``from_html.py``.
* fingerprints and quality signals: ``quality.py``; language: ``language.py``.
"""
from __future__ import annotations

import hashlib
import unicodedata
from operator import attrgetter
from urllib.parse import urlsplit

from topics.records import CommentRecord, EnrichedDocument, Metadata, SegmentedDocument
from workers.core.heuristics.reasons import NOT_BOILERPLATE
from workers.core.stages.enrich import from_html
from workers.core.stages.enrich.language import detect_language
from workers.core.stages.enrich.published import published
from workers.core.stages.enrich.quality import body_words, quality_signals, round4, simhash, word_count
from workers.core.stages.enrich.site_name import copyright_name, find_site_name, support_name  # noqa: F401 (API)


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def _normalise_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def enrich(doc: SegmentedDocument) -> EnrichedDocument:
    body = "\n\n".join(doc.body_paragraphs)
    meta_in = doc.html_meta or {}
    domain = _domain(doc.url) or _domain(meta_in.get("canonical_url") if isinstance(
        meta_in.get("canonical_url"), str) else None)
    norm = _normalise_text(body)
    words = body_words(norm)
    language, confidence = detect_language(doc, body)
    comment_words = word_count([c.text for c in doc.comments])
    boiler = len(doc.removed) - sum(map(NOT_BOILERPLATE.__contains__, map(attrgetter("reason"), doc.removed)))
    line_count = doc.line_count or 0
    published_at, date_source = published(doc, domain)
    meta = Metadata(
        site_name=find_site_name(doc, domain),
        domain=domain,
        language=language,
        published_at=published_at,
        language_confidence=confidence,
        word_count=len(words),
        paragraph_count=len(doc.body_paragraphs),
        comment_count=len(doc.comments),
        commenter_count=len({c.author.strip().lower() for c in doc.comments if c.author and c.author.strip()}),
        boilerplate_line_ratio=round4(min(1.0, boiler / line_count)) if line_count else 0.0,
        content_sha1=hashlib.sha1(norm.encode("utf-8")).hexdigest() if norm else None,
        simhash=simhash(words),
        quality=quality_signals(doc, body, words, language, comment_words),
        published_at_source=date_source or from_html.date_source(meta_in, published_at),
        page_kind=from_html.kind(doc, meta_in),
        author=from_html.author(meta_in),
        author_source=from_html.author_source(meta_in),
        model_version=doc.model_version,
    )
    return EnrichedDocument(
        id=doc.id, url=doc.url, fetched_at=doc.fetched_at, content_type=doc.content_type,
        source=doc.source, title=from_html.title(doc, meta_in), body=body, comments=list(doc.comments),
        removed=list(doc.removed), metadata=meta,
    )


def comment_records(doc: EnrichedDocument) -> list[CommentRecord]:
    return [
        CommentRecord(
            id=f"{doc.id}#{c.index}", document_id=doc.id, index=c.index, text=c.text,
            author=c.author, posted_at=c.posted_at, reply_to=c.reply_to, url=doc.url,
            site_name=doc.metadata.site_name, language=doc.metadata.language,
            model_version=doc.metadata.model_version,
        )
        for c in doc.comments
    ]
