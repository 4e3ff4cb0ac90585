"""Every Prometheus metric Winnow exports, declared in one place.

Conventions: ``winnow_`` prefix, base units (seconds, bytes, ratio), ``_total`` on
counters, bounded labels only (stage, reason, topic, partition, language from a
fixed list), and every known label value pre-initialised so series exist at zero.
"""
from __future__ import annotations

from typing import Any, Sequence

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, Info, disable_created_metrics

# One series per counter/histogram, not an extra *_created gauge beside each.
disable_created_metrics()

from workers.version import __version__
from workers.core.errors import REASONS

# Languages reported by name; everything else is "other" (bounded label set).
LANGUAGES: tuple[str, ...] = (
    "en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "sv", "tr", "ar", "zh", "ja", "ko", "other", "unknown",
)

# Sub-millisecond to tens of seconds.
DURATION_BUCKETS = (
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 3600.0)
SIZE_BUCKETS = (256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216)
RATIO_BUCKETS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
COUNT_BUCKETS = (0, 1, 2, 5, 10, 20, 50, 100, 200, 500)

R = REGISTRY

records_consumed = Counter(
    "winnow_records_consumed_total", "Records read from the stage's input topic.", ["stage"], registry=R)
records_produced = Counter(
    "winnow_records_produced_total", "Records written to the stage's output topics.", ["stage", "topic"], registry=R)
records_failed = Counter(
    "winnow_records_failed_total", "Records a stage could not process, by reason.", ["stage", "reason"], registry=R)
dead_letters = Counter(
    "winnow_dead_letter_records_total", "Records written to the dead-letter topic, by reason.",
    ["stage", "reason"], registry=R)
duplicates_skipped = Counter(
    "winnow_duplicates_skipped_total", "Input records skipped because their document id was just processed.",
    ["stage"], registry=R)
processing_seconds = Histogram(
    "winnow_processing_duration_seconds", "Time spent in the stage function per record.", ["stage"],
    buckets=DURATION_BUCKETS, registry=R)
e2e_latency_seconds = Histogram(
    "winnow_end_to_end_latency_seconds",
    "Time from the document entering the pipeline (raw produce time) to this stage's output.", ["stage"],
    buckets=LATENCY_BUCKETS, registry=R)
records_in_flight = Gauge(
    "winnow_records_in_flight", "Records taken from the input and not yet acknowledged downstream.", ["stage"],
    registry=R)
last_processed = Gauge(
    "winnow_last_processed_timestamp_seconds", "Unix time of the last record the stage finished.", ["stage"],
    registry=R)
consumer_lag_messages = Gauge(
    "winnow_consumer_lag_messages", "End offset minus committed offset, per input partition.",
    ["stage", "topic", "partition"], registry=R)
consumer_lag_seconds = Gauge(
    "winnow_consumer_lag_seconds",
    "Age of the oldest unconsumed record (now minus its timestamp), 0 when caught up.",
    ["stage", "topic", "partition"], registry=R)
broker_up = Gauge(
    "winnow_broker_up", "1 when the worker's last broker request succeeded, else 0.", registry=R)
worker_ready = Gauge(
    "winnow_worker_ready", "1 when the worker has partitions assigned and is consuming.", ["stage"], registry=R)

# Content signals.
document_size_bytes = Histogram(
    "winnow_document_size_bytes", "Size of input documents.", buckets=SIZE_BUCKETS, registry=R)
boilerplate_ratio = Histogram(
    "winnow_boilerplate_line_ratio", "Share of a document's lines removed as boilerplate.",
    buckets=RATIO_BUCKETS, registry=R)
comments_per_document = Histogram(
    "winnow_comments_per_document", "Comments found per document.", buckets=COUNT_BUCKETS, registry=R)
documents_by_language = Counter(
    "winnow_documents_by_language_total", "Enriched documents by detected language.", ["language"], registry=R)
site_templates_sites = Gauge(
    "winnow_site_templates_sites", "Sites held in the site-template table.", registry=R)
site_templates_entries = Gauge(
    "winnow_site_templates_entries", "Line hashes held in the site-template table, all sites.", registry=R)

build_info = Info("winnow_build", "Winnow build information.", registry=R)


def init_labels(flow: Sequence[Any] = (), partitions: int = 0, labeller: str = "rules") -> None:
    """Create every known label combination at zero so dashboards and alerts see series
    (``flow``: the worker's stages, each with ``name``, ``source`` and ``sinks``, as
    ``workers.core.flow`` declares them; the caller passes them, so this module does not
    import the flow that reports through it), and say in ``winnow_build_info`` which line
    labeller the worker uses (``labeller``: the WINNOW_LABELLER setting): ``model_version``
    is what the records' ``metadata.model_version`` carries."""
    from workers.core.stages.strip import labeller_version

    build_info.info({"version": __version__, "model_version": labeller_version(labeller)})
    broker_up.set(0)
    for spec in flow:
        stage = spec.name
        records_consumed.labels(stage)
        duplicates_skipped.labels(stage)
        processing_seconds.labels(stage)
        e2e_latency_seconds.labels(stage)
        records_in_flight.labels(stage)
        last_processed.labels(stage)
        worker_ready.labels(stage).set(0)
        src = spec.source
        for out in spec.sinks:
            records_produced.labels(stage, out.name)
        for reason in REASONS:
            records_failed.labels(stage, reason)
            dead_letters.labels(stage, reason)
        for p in range(partitions):
            consumer_lag_messages.labels(stage, src.name, str(p))
            consumer_lag_seconds.labels(stage, src.name, str(p))
    for lang in LANGUAGES:
        documents_by_language.labels(lang)


def language_label(lang: str | None) -> str:
    if not lang:
        return "unknown"
    return lang if lang in LANGUAGES else "other"
