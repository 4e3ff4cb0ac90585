"""The three stages in flow order, as pure functions over wire values.

Each ``*_stage`` takes the Kafka value (bytes, JSON) of its input topic and returns
the record(s) for its output topic(s), or raises ``BadInput``. No Kafka, no asyncio:
the Faust agents (``workers.shell.app``) and the offline ``process`` command
(``workers.core.runner``) both call exactly these.
"""
from __future__ import annotations

from typing import Any

import orjson

from topics.records import CommentRecord, EnrichedDocument, RawDocument, SegmentedDocument, StrippedDocument
from workers.core.errors import BadInput
from workers.core.stages import enrich as _enrich
from workers.core.stages import segment as _segment
from workers.core.stages import strip as _strip
from workers.core.stages.ingest import check_record, decode_json_object, normalize


def encode(record: Any) -> bytes:
    """The wire format: orjson of the record dataclass."""
    return orjson.dumps(record)


def _decode_record(value: bytes, cls: Any, topic: str):
    """Decode and check an intermediate record: whatever a value on an intermediate topic
    is (not JSON, not an object, wrong field types), if it is not a record of that topic
    it is ``invalid_record``."""
    try:
        obj = decode_json_object(value)
    except BadInput as exc:
        raise BadInput("invalid_record", f"not a {topic} record: {exc.message}") from None
    check_record(obj, cls, f"{topic} record")
    try:
        return cls.from_dict(obj)
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        raise BadInput("invalid_record", f"not a valid {topic} record: {exc}") from None


def read_raw(value: bytes, max_document_bytes: int) -> RawDocument:
    """A documents.raw value as a checked, normalised RawDocument (or BadInput)."""
    return normalize(decode_json_object(value), max_document_bytes)


def strip_stage(value: bytes, profile: dict | None, max_document_bytes: int) -> StrippedDocument:
    return _strip.strip(read_raw(value, max_document_bytes), profile)


def segment_stage(value: bytes) -> SegmentedDocument:
    doc = _decode_record(value, StrippedDocument, "documents.stripped")
    return _segment.segment(doc)


def enrich_stage(value: bytes) -> tuple[EnrichedDocument, list[CommentRecord]]:
    doc = _decode_record(value, SegmentedDocument, "documents.segmented")
    out = _enrich.enrich(doc)
    return out, _enrich.comment_records(out)
