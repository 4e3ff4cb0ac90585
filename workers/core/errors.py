"""The project's own bad-input error and the fixed set of failure reasons.

A stage raises ``BadInput(reason, message)`` for anything it cannot handle; the
stage runner (Kafka or offline) turns it into a dead-letter record. Any other
exception escaping a stage is a bug and is dead-lettered as ``internal_error``.
"""
from __future__ import annotations

# Fixed set (bounded metric label values). Order: roughly where in the flow it happens.
REASONS: tuple[str, ...] = (
    "invalid_json",              # value is not valid JSON
    "not_an_object",             # JSON, but not an object
    "invalid_utf8",              # bytes are not UTF-8 (binary junk)
    "missing_content",           # no "content" field
    "wrong_type",                # a field has the wrong type (content not a string, ...)
    "empty_document",            # content is empty or whitespace only
    "too_large",                 # over WINNOW_MAX_DOCUMENT_BYTES
    "unsupported_content_type",  # a content type the pipeline does not handle
    "invalid_record",            # an intermediate record that does not match its topic's schema
    "timeout",                   # the stage exceeded its per-record time budget
    "internal_error",            # a bug: an unexpected exception in a stage
)


class BadInput(Exception):
    """A record a stage cannot process. ``reason`` is one of ``REASONS``."""

    def __init__(self, reason: str, message: str):
        if reason not in REASONS:
            raise ValueError(f"unknown failure reason {reason!r}")
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return f"{self.reason}: {self.message}"


class StageTimeout(BadInput):
    def __init__(self, stage: str, budget_s: float):
        super().__init__("timeout", f"stage {stage} exceeded its per-record time budget of {budget_s:g} s")
