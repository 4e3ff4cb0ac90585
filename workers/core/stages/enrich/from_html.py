"""What the enriched record takes from the HTML head and markup (``html_meta``, written by
``workers.core.stages.html``): the headline as the record's title, the provenance of
``published_at``, the article's author and the page kind. All null for plain text."""
from __future__ import annotations

from typing import Any

from topics.records import SegmentedDocument
from workers.core.stages.html_meta import AUTHOR_SOURCE_KIND, date_source_kind, source_kind
from workers.core.stages.html_title import head_title
from workers.core.stages.html_title_model import choose
from workers.core.stages.page_kind import page_kind


def title(doc: SegmentedDocument, meta_in: dict[str, Any]) -> str | None:
    """HTML input: the trained title chooser's pick among the page's title candidates
    (workers/core/stages/html_title_model.py), else the rules (``rule_title``)."""
    rule = rule_title(doc, meta_in)
    if meta_in.get("title_candidates"):
        chosen = choose(meta_in, "\n".join(doc.body_paragraphs), doc.url, rule)
        if chosen:
            return chosen
    return rule


def rule_title(doc: SegmentedDocument, meta_in: dict[str, Any]) -> str | None:
    """The headline the head and markup agree on (html_meta["headline"], see
    workers/core/stages/html_title.py), else the segment stage's title line. On a service
    page whose heading and head disagree, the head's title (``HEAD_TITLE_KINDS``)."""
    head = meta_in.get("headline")
    if isinstance(head, str) and head.strip():
        if meta_in.get("headline_source") == "dom" and kind(doc, meta_in) in HEAD_TITLE_KINDS:
            return head_title(meta_in.get("title"), meta_in) or head
        return head
    return doc.title


def date_source(meta_in: dict[str, Any], published_at: str | None) -> str | None:
    """Provenance of published_at: the kind of html_meta source when the date is the
    head's/markup's, "text" when a line of the page gave it, None without a date."""
    if published_at is None:
        return None
    head = meta_in.get("published_at")
    if isinstance(head, str) and head[:10] == published_at:
        return date_source_kind(meta_in.get("published_at_source"))
    if meta_in.get("published_at_byline") == published_at:
        return "byline"
    return "text"


def author(meta_in: dict[str, Any]) -> str | None:
    value = meta_in.get("author")
    return value if isinstance(value, str) and value.strip() else None



def author_source(meta_in: dict[str, Any]) -> str | None:
    """Provenance of ``author`` (null when there is none)."""
    if author(meta_in) is None:
        return None
    return source_kind(meta_in.get("author_source"), AUTHOR_SOURCE_KIND)


# Page kinds whose headline is the head's title when the page's heading says something else: a
# landing page's <h1> is a slogan ("Bring your strategy to life"), its <title> names the
# service (WCXB dev half A: the head's title was right on 8 such service pages, the <h1> on 4)
HEAD_TITLE_KINDS: frozenset[str] = frozenset({"service"})
# (doc, kind) of the last record asked about: enrich asks for one record's kind up to three
# times; replaced as one tuple, so a thread never reads another record's pair
_LAST: tuple[Any, str | None] = (None, None)


def kind(doc: SegmentedDocument, meta_in: dict[str, Any]) -> str | None:
    global _LAST
    last = _LAST
    if last[0] is doc:
        return last[1]
    found = page_kind(meta_in, doc.url, doc)[0]
    _LAST = (doc, found)
    return found
