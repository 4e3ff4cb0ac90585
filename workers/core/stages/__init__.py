"""The stage code, and the wire format between stages.

``encode`` is the wire format (orjson of the record dataclass, written by
``topics.record_json.dumps``: the same bytes, faster); ``read_raw`` and
``decode_record`` turn an input value into a checked record or raise ``BadInput``.
The ``*_stage`` helpers run one stage on one wire value without state (tests, fuzzing
and the benchmark's pure-function timings); the flow itself is ``workers.core.flow``.
Importing this package is cheap: the stage modules load on first use.
"""
from __future__ import annotations

from typing import Any

from topics import SEGMENTED, STRIPPED, TopicSpec, record_json
from topics.records import (
    CommentRecord, EnrichedDocument, RawDocument, RecordError, SegmentedDocument, StrippedDocument, check_record,
)
from workers.core.errors import BadInput
from workers.core.stages.ingest import decode_json_object, normalize


def encode(record: Any) -> bytes:
    """The wire format: orjson of the record dataclass (``record_json.dumps``: the same bytes)."""
    return record_json.dumps(record)


def decode_record(value: bytes, spec: TopicSpec):
    """Decode and check an intermediate record: whatever a value on an intermediate topic
    is (not JSON, not an object, wrong field types), if it is not a record of that topic
    it is ``invalid_record``."""
    cls, topic = spec.record, spec.name
    try:
        obj = decode_json_object(value)
    except BadInput as exc:
        raise BadInput("invalid_record", f"not a {topic} record: {exc.message}") from None
    try:
        check_record(obj, cls, f"{topic} record")
    except RecordError as exc:
        raise BadInput("invalid_record", str(exc)) from None
    try:
        return cls.from_dict(obj)
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        raise BadInput("invalid_record", f"not a valid {topic} record: {exc}") from None


def read_raw(value: bytes, max_document_bytes: int) -> RawDocument:
    """A documents.raw value as a checked, normalised RawDocument (or BadInput)."""
    return normalize(decode_json_object(value), max_document_bytes)


def strip_stage(value: bytes, profile: dict | None, max_document_bytes: int,
                labeller: str = "rules") -> StrippedDocument:
    """The strip stage's pure function; ``labeller``: WINNOW_LABELLER's value ("rules" unless
    given: the served default is the settings' ``labeller``, which callers that measure or
    compare the served path must pass)."""
    from workers.core.stages.strip import strip

    return strip(read_raw(value, max_document_bytes), profile, labeller=labeller)


def segment_stage(value: bytes) -> SegmentedDocument:
    from workers.core.stages.segment import segment

    return segment(decode_record(value, STRIPPED))


def enrich_stage(value: bytes) -> tuple[EnrichedDocument, list[CommentRecord]]:
    from workers.core.stages.enrich import comment_records, enrich

    out = enrich(decode_record(value, SEGMENTED))
    return out, comment_records(out)
