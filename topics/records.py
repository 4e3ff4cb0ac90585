"""Record types: one per topic, the contract users code against.

Every record is a plain dataclass. The wire format is the record serialised by
``orjson.dumps`` (orjson encodes dataclasses natively, field order preserved), so
no framework metadata ever leaks into a value; the runner writes the same bytes faster with
``topics.record_json.dumps``. ``from_dict`` builds a record back
from a decoded JSON object and ignores unknown keys, so producers may add fields;
``check_record`` (``topics/record_checks.py``, re-exported here) checks a decoded object
against its type first. Both are generic, read once per class from the declared field
types.

Records carry no wall-clock timestamps of their own processing: re-processing the
same input must give byte-identical output (idempotent stages). Timing travels in
Kafka headers instead (see ``workers/shell/app.py``).
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field, fields
from operator import itemgetter
from typing import Any, Callable


_FIELD_NAMES: dict[type, frozenset[str]] = {}
_NESTED: dict[type, dict[str, Any]] = {}
# class -> (number of fields, getter of their values in __init__'s order) or None
_POSITIONAL: dict[type, tuple[int, Callable[[dict], tuple]] | None] = {}


def _positional(cls: type) -> tuple[int, Callable[[dict], tuple]] | None:
    """For a record whose fields are all positional ``__init__`` parameters (two or more):
    their number and an ``itemgetter`` of their values in declaration order. An object with
    exactly that many keys, all of them found, holds exactly the fields, so ``cls(*get(obj))``
    is ``cls(**obj)`` (the same value for each parameter)."""
    if cls not in _POSITIONAL:
        fs = fields(cls)
        ok = len(fs) >= 2 and all(f.init and not f.kw_only for f in fs)
        _POSITIONAL[cls] = (len(fs), itemgetter(*(f.name for f in fs))) if ok else None
    return _POSITIONAL[cls]


def _record_type(tp: Any) -> type | None:
    """The record class of a field typed ``R`` or ``R | None``, else None."""
    args = [a for a in typing.get_args(tp) if a is not type(None)] if typing.get_origin(tp) in (
        typing.Union, types.UnionType) else [tp]
    if len(args) == 1 and isinstance(args[0], type) and issubclass(args[0], _Record):
        return args[0]
    return None


def _nested(cls: type) -> dict[str, Any]:
    """field name -> builder for the fields holding records (``R``, ``R | None``,
    ``list[R]``), read once per class from the declared types."""
    out = _NESTED.get(cls)
    if out is None:
        out = {}
        for name, tp in typing.get_type_hints(cls).items():
            if name not in cls._field_names():
                continue
            if typing.get_origin(tp) is list:
                item = _record_type((typing.get_args(tp) or (Any,))[0])
                if item is not None:
                    out[name] = _list_builder(item)
                continue
            rec = _record_type(tp)
            if rec is not None:
                out[name] = lambda v, r=rec: r.from_dict(v) if isinstance(v, dict) else v
        _NESTED[cls] = out
    return out


def _list_builder(r: type) -> Callable[[list], list]:
    """Builder of a ``list[R]`` field: ``R.from_dict`` of each object; for a record without
    nested records, objects without unknown keys are built directly (same keywords)."""
    if _nested(r):
        return lambda v: [r.from_dict(x) if isinstance(x, dict) else x for x in v]
    names = r._field_names()
    fast = _positional(r)
    if fast is None:
        return lambda v: [(r(**x) if names.issuperset(x) else r.from_dict(x)) if isinstance(x, dict) else x for x in v]
    n, get = fast

    def build(v: list) -> list:
        out = []
        append = out.append
        for x in v:
            if isinstance(x, dict):
                if len(x) == n:  # every field, nothing else (the encoder's output): positional
                    try:
                        values = get(x)
                    except KeyError:
                        pass
                    else:
                        append(r(*values))
                        continue
                append(r(**x) if names.issuperset(x) else r.from_dict(x))
            else:
                append(x)
        return out

    return build


class _Record:
    """Base of every record: one generic, typed ``from_dict``."""

    __slots__ = ()

    @classmethod
    def _field_names(cls) -> frozenset[str]:
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
        return names

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """The record from a decoded JSON object: unknown keys ignored (producers may add
        fields), nested records built from their objects as the field types declare."""
        names = cls._field_names()
        # the common case (no unknown keys) builds from the object itself: same keywords
        rec = cls(**data) if names.issuperset(data) else cls(**{k: v for k, v in data.items() if k in names})
        for name, build in _nested(cls).items():
            setattr(rec, name, build(getattr(rec, name)))
        return rec


# Checking a decoded record against its type: topics/record_checks.py (re-exported here).
from topics.record_checks import RecordError, check_record  # noqa: E402,F401


# --- documents.raw --------------------------------------------------------------


@dataclass(slots=True)
class RawDocument(_Record):
    """What users produce. Only ``content`` is required.

    ``id`` missing: derived from url + content (same document, same id).
    ``content_type`` missing: sniffed ("text/html" when the content looks like HTML).
    """

    content: str
    id: str | None = None
    url: str | None = None
    content_type: str | None = None
    fetched_at: str | None = None
    source: str | None = None
    # Version of this record's JSON Schema (topics/schemas/); bump on any change (make schemas).
    schema_version: int = 1


# --- documents.stripped ---------------------------------------------------------


@dataclass(slots=True)
class Line(_Record):
    """One non-blank line of the (flattened) document, labelled by the strip stage.

    ``n`` is the 0-based line number in the normalised text, ``blank_before`` the
    number of blank lines right before it. ``reason`` is None for a kept line, else
    one of ``workers.core.heuristics.reasons.REASONS`` (why it is boilerplate). Line numbers
    count every line, blank ones included.
    """

    n: int
    text: str
    blank_before: int = 0
    reason: str | None = None
    # The line's role. From the HTML DOM for text/html input ("comments", "heading",
    # "list-item", ...); set by the strip stage on kept lines for both input kinds
    # ("title", "body", "comment-start", "comment", "comment-author", ...), and read by
    # the segment stage.
    hint: str | None = None


@dataclass(slots=True)
class StrippedDocument(_Record):
    id: str
    url: str | None
    content_type: str
    fetched_at: str | None
    source: str | None
    site: str
    lines: list[Line]
    # Metadata read from the HTML head (title, site_name, published_at, lang, ...);
    # empty for text/plain input.
    html_meta: dict[str, Any] = field(default_factory=dict)
    # Which line labeller labelled the page: "rules", or the trained model's version
    # (e.g. "labeller-1-cd3199d1"; WINNOW_LABELLER). Null only in records of schema v1,
    # which did not carry it.
    model_version: str | None = None
    # Version of this record's JSON Schema (topics/schemas/); bump on any change (make schemas).
    # v2: model_version.
    schema_version: int = 2

    @property
    def text(self) -> str:
        """The kept lines, a blank line where the original had one."""
        out: list[str] = []
        for ln in self.lines:
            if ln.reason is None:
                if out and ln.blank_before:
                    out.append("")
                out.append(ln.text)
        return "\n".join(out)


# --- documents.segmented --------------------------------------------------------


@dataclass(slots=True)
class Comment(_Record):
    """One user comment. ``reply_to`` is the index of the parent comment when the
    page shows it; ``posted_at`` is an ISO 8601 date/datetime when the page shows an
    absolute one (or a relative one resolvable against ``fetched_at``), and
    ``posted_text`` the time as printed."""

    index: int
    text: str
    author: str | None = None
    posted_at: str | None = None
    posted_text: str | None = None
    reply_to: int | None = None


@dataclass(slots=True)
class Removed(_Record):
    """A piece of boilerplate taken out, for audit: the line, its number, the reason."""

    n: int
    text: str
    reason: str


@dataclass(slots=True)
class SegmentedDocument(_Record):
    id: str
    url: str | None
    content_type: str
    fetched_at: str | None
    source: str | None
    site: str
    title: str | None
    body_paragraphs: list[str]
    comments: list[Comment]
    removed: list[Removed]
    html_meta: dict[str, Any] = field(default_factory=dict)
    # Lines that are neither body, title nor comment text but carry metadata for the
    # enrich stage: comment author lines, and the removed bylines/datelines are in
    # ``removed`` with their reasons.
    line_count: int = 0
    # The labeller that labelled the page, from the stripped record (see StrippedDocument).
    model_version: str | None = None
    # Version of this record's JSON Schema (topics/schemas/); bump on any change (make schemas).
    # v2: model_version.
    schema_version: int = 2


# --- documents.enriched ---------------------------------------------------------


@dataclass(slots=True)
class Metadata(_Record):
    site_name: str | None
    domain: str | None
    language: str | None
    published_at: str | None
    language_confidence: float | None = None
    word_count: int = 0
    paragraph_count: int = 0
    comment_count: int = 0
    commenter_count: int = 0
    boilerplate_line_ratio: float = 0.0
    content_sha1: str | None = None
    simhash: str | None = None
    quality: dict[str, Any] = field(default_factory=dict)
    # Where published_at came from: "json-ld", "meta", "microdata", "time-element" (the
    # article's <time datetime>), "byline" (the date printed in the byline markup), "text"
    # (a dateline / date line of the page), "updated" (an article that states only when it
    # was last updated: that date), or null.
    published_at_source: str | None = None
    # What the page is (HTML input; null for plain text): article, forum, listing,
    # collection, product, documentation, service. See docs/html-and-metadata.md.
    page_kind: str | None = None
    # The article's author as the markup names it (meta author, JSON-LD author.name).
    author: str | None = None
    # Where author came from: "json-ld", "meta", "microdata" (itemprop=author), "byline"
    # (rel=author or a byline element's class/id), or null without an author. Since v3.
    author_source: str | None = None
    # Which line labeller labelled the page: "rules", or the trained model's version
    # (e.g. "labeller-1-cd3199d1"). Null only in records of schema v1, which did not carry it.
    model_version: str | None = None


@dataclass(slots=True)
class EnrichedDocument(_Record):
    id: str
    url: str | None
    fetched_at: str | None
    content_type: str
    source: str | None
    title: str | None
    body: str
    comments: list[Comment]
    removed: list[Removed]
    metadata: Metadata
    # Version of this record's JSON Schema (topics/schemas/); bump on any change (make schemas).
    # v2: metadata.model_version. v3: metadata.author_source.
    schema_version: int = 3


# --- comments.enriched ----------------------------------------------------------


@dataclass(slots=True)
class CommentRecord(_Record):
    """One comment as its own record (key = document id), for moderation/analysis."""

    id: str  # "<document id>#<index>"
    document_id: str
    index: int
    text: str
    author: str | None
    posted_at: str | None
    reply_to: int | None
    url: str | None
    site_name: str | None
    language: str | None
    # The labeller that labelled the page (the enriched record's metadata.model_version).
    model_version: str | None = None
    # Version of this record's JSON Schema (topics/schemas/); bump on any change (make schemas).
    # v2: model_version.
    schema_version: int = 2


# --- documents.dead-letter ------------------------------------------------------


@dataclass(slots=True)
class SourcePosition(_Record):
    topic: str | None
    partition: int | None
    offset: int | None


@dataclass(slots=True)
class DeadLetter(_Record):
    """Anything a stage could not process, with the original payload.

    ``payload`` is the original value decoded as UTF-8 when it is valid UTF-8
    (``payload_encoding="utf-8"``), else base64 (``payload_encoding="base64"``).
    ``reason`` is one of ``workers.core.errors.REASONS``.
    """

    stage: str
    reason: str
    error: str
    source: SourcePosition
    payload: str
    payload_encoding: str
    document_id: str | None = None
    key: str | None = None
    failed_at: str | None = None
    # Version of this record's JSON Schema (topics/schemas/); bump on any change (make schemas).
    schema_version: int = 1
