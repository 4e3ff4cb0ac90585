"""Strip stage: label every line of a document as content or boilerplate (with a reason).

PLACEHOLDER, to be replaced by the real rules: keeps every line.
"""
from __future__ import annotations

from typing import Any

from topics.records import Line, RawDocument, StrippedDocument
from workers.stages.ingest import site_key


def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    blank = 0
    for n, raw in enumerate(text.split("\n")):
        t = raw.strip()
        if not t:
            blank += 1
            continue
        out.append(Line(n=n, text=t, blank_before=blank))
        blank = 0
    return out


def strip(raw: RawDocument, profile: dict[str, Any] | None = None) -> StrippedDocument:
    text, html_meta = raw.content, {}
    if raw.content_type == "text/html":
        from workers.stages.html import flatten_html

        text, html_meta = flatten_html(raw.content)
    return StrippedDocument(
        id=raw.id or "", url=raw.url, content_type=raw.content_type or "text/plain",
        fetched_at=raw.fetched_at, source=raw.source, site=site_key(raw.url, raw.source),
        lines=split_lines(text), html_meta=html_meta,
    )
