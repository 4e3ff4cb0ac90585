"""The flow, declared once: ``FLOW = (Strip(), Segment(), Enrich())``.

    documents.raw ──strip──▶ documents.stripped ──segment──▶ documents.segmented
                  ──enrich──▶ documents.enriched (+ comments.enriched, one per comment)

A stage is an object with a name, the topic it reads, the topics it writes, the
state it owns (or none), and a pure ``run(record, state) -> [Emit]``: no Kafka, no
asyncio. The stage runner (``workers.core.runner``), the Faust app, the offline
``process`` loop, the demo, the benchmark and the metrics all iterate ``FLOW``.

This module stays light to import (the CLI reads the stage names from it): the
stage code is imported on first use.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, MutableMapping, Protocol

from topics import COMMENTS, ENRICHED, RAW, SEGMENTED, SITE_TEMPLATES_CHANGELOG, STRIPPED, TopicSpec
from workers.core.state import StateSpec
from workers.settings import Settings


@dataclass(frozen=True, slots=True)
class Emit:
    """One output record of a stage: the topic, its key (the document id), the record."""

    topic: TopicSpec
    key: str
    record: Any


class Stage(Protocol):
    name: str
    source: TopicSpec  # the topic it reads
    sinks: tuple[TopicSpec, ...]  # the topics it writes, in order
    state: StateSpec | None  # the state it owns, or None

    def load(self) -> None:
        """Import the stage's code (the runner calls this when it is built, so imports
        never run inside a record's time budget)."""

    def read(self, value: bytes, settings: Settings) -> Any:
        """The input value (wire bytes) as a checked record, or ``BadInput``."""

    def run(self, record: Any, state: Any) -> list[Emit]:
        """Pure: one record in, its output records out (and the stage's state updated)."""

    def open_state(self, store: MutableMapping[str, Any] | None, settings: Settings) -> Any:
        """The stage's state over ``store`` (a dict offline, a Faust table in a worker)."""

    def measure_input(self, value: bytes) -> None:
        """Record the stage's input metrics for one record (before it is read)."""

    def measure(self, value: bytes, emits: list[Emit]) -> None:
        """Record the stage's content metrics for one processed record."""

    def measure_state(self, state: Any) -> None:
        """Record the size of the stage's state (called periodically by the worker)."""


class _Stateless:
    state: StateSpec | None = None

    def open_state(self, store: MutableMapping[str, Any] | None, settings: Settings) -> None:
        return None

    def measure_input(self, value: bytes) -> None:
        return None

    def measure_state(self, state: Any) -> None:
        return None


class Strip:
    """Raw document → every line labelled (kept, or boilerplate with a reason). Owns the
    site templates: reads the site's profile, labels the page, learns the page."""

    name = "strip"
    source = RAW
    sinks = (STRIPPED,)
    state = StateSpec("site-templates", SITE_TEMPLATES_CHANGELOG)

    def load(self) -> None:
        from workers.core.stages import ingest, strip, templates  # noqa: F401

    def read(self, value: bytes, settings: Settings) -> Any:
        from workers.core.stages import read_raw

        return read_raw(value, settings.max_document_bytes)

    def run(self, record: Any, state: Any) -> list[Emit]:
        from workers.core.stages.ingest import site_key
        from workers.core.stages.strip import strip

        site = site_key(record.url, record.source)
        doc = strip(record, state.profile(site), site=site, labeller=state.labeller)
        state.learn(site, doc)
        return [Emit(STRIPPED, doc.id, doc)]

    def open_state(self, store: MutableMapping[str, Any] | None, settings: Settings) -> Any:
        from workers.core.stages.templates import SiteTemplates

        return SiteTemplates(store, settings.template_max_sites, settings.template_max_lines, settings.labeller)

    def measure_input(self, value: bytes) -> None:
        from workers.core import metrics as M

        M.document_size_bytes.observe(len(value))

    def measure(self, value: bytes, emits: list[Emit]) -> None:
        from workers.core import metrics as M

        lines = emits[0].record.lines
        if lines:
            M.boilerplate_ratio.observe(sum(1 for ln in lines if ln.reason is not None) / len(lines))

    def measure_state(self, state: Any) -> None:
        from workers.core import metrics as M

        sites, entries = state.sizes()
        M.site_templates_sites.set(sites)
        M.site_templates_entries.set(entries)


class Segment(_Stateless):
    """Labelled lines → title, body paragraphs and comments (with authors)."""

    name = "segment"
    source = STRIPPED
    sinks = (SEGMENTED,)

    def load(self) -> None:
        from workers.core.stages import segment  # noqa: F401

    def read(self, value: bytes, settings: Settings) -> Any:
        from workers.core.stages import decode_record

        return decode_record(value, STRIPPED)

    def run(self, record: Any, state: Any) -> list[Emit]:
        from workers.core.stages.segment import segment

        doc = segment(record)
        return [Emit(SEGMENTED, doc.id, doc)]

    def measure(self, value: bytes, emits: list[Emit]) -> None:
        return None


class Enrich(_Stateless):
    """Segmented document → the clean record with metadata, plus one record per comment."""

    name = "enrich"
    source = SEGMENTED
    sinks = (ENRICHED, COMMENTS)

    def load(self) -> None:
        from workers.core.stages import enrich  # noqa: F401

    def read(self, value: bytes, settings: Settings) -> Any:
        from workers.core.stages import decode_record

        return decode_record(value, SEGMENTED)

    def run(self, record: Any, state: Any) -> list[Emit]:
        from workers.core.stages.enrich import comment_records, enrich

        doc = enrich(record)
        return [Emit(ENRICHED, doc.id, doc), *(Emit(COMMENTS, doc.id, c) for c in comment_records(doc))]

    def measure(self, value: bytes, emits: list[Emit]) -> None:
        from workers.core import metrics as M

        doc = emits[0].record
        M.comments_per_document.observe(len(doc.comments))
        M.documents_by_language.labels(M.language_label(doc.metadata.language)).inc()


FLOW: tuple[Stage, ...] = (Strip(), Segment(), Enrich())
STAGE_NAMES: tuple[str, ...] = tuple(s.name for s in FLOW)


def stage_named(name: str) -> Stage:
    for s in FLOW:
        if s.name == name:
            return s
    raise KeyError(name)


def next_stage(stage: Stage) -> Stage | None:
    """The stage that reads what ``stage`` writes first, or None after the last."""
    i = FLOW.index(stage)
    return FLOW[i + 1] if i + 1 < len(FLOW) else None
