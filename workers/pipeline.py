"""The stage runner shared by the Faust agents and the offline ``process`` command.

``StageRunner.handle(stage, value, ...)`` is the one loop body every stage uses
(datatrove's idea: the base loop owns stats and rejects): it calls the pure stage
function under a time budget, encodes the outputs keyed by document id, turns any
failure into a dead-letter record with a reason, and records the metrics. It never
raises for a bad record. It does no I/O: callers send what it returns.
"""
from __future__ import annotations

import base64
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, MutableMapping

import orjson

from topics import COMMENTS, DEAD_LETTER, ENRICHED, SEGMENTED, STRIPPED
from topics.records import DeadLetter, SourcePosition
from workers import metrics as M
from workers.budget import time_budget
from workers.errors import BadInput
from workers.settings import Settings
from workers.stages import encode, enrich_stage, segment_stage, strip_stage
from workers.stages.ingest import decode_json_object
from workers.stages.templates import learn


@dataclass(slots=True)
class Output:
    topic: str
    key: str
    value: bytes


@dataclass(slots=True)
class Outcome:
    outputs: list[Output] = field(default_factory=list)
    dead_letter: DeadLetter | None = None
    duplicate: bool = False
    document_id: str | None = None


class SiteProfiles:
    """Site-template profiles over any mutable mapping (a dict offline, a Faust table
    in a worker), with least-recently-used eviction beyond ``max_sites``."""

    def __init__(self, store: MutableMapping[str, Any], max_sites: int, max_lines: int):
        self.store = store
        self.max_sites = max_sites
        self.max_lines = max_lines
        self._order: OrderedDict[str, None] = OrderedDict((k, None) for k in list(store.keys()))

    def get(self, site: str) -> dict[str, Any] | None:
        return self.store.get(site)

    def update(self, site: str, doc) -> None:
        self.store[site] = learn(self.store.get(site), doc, self.max_lines)
        if len(self._order) < len(self.store) - 1:
            # Sites restored into the store after construction (a Faust table recovered
            # from its changelog): track them too, as the oldest, so the bound holds.
            restored = [k for k in list(self.store.keys()) if k not in self._order]
            self._order = OrderedDict([*((k, None) for k in restored), *self._order.items()])
        self._order[site] = None
        self._order.move_to_end(site)
        while len(self._order) > self.max_sites:
            old, _ = self._order.popitem(last=False)
            try:
                del self.store[old]
            except KeyError:
                pass

    def sizes(self) -> tuple[int, int]:
        sites = 0
        entries = 0
        for v in self.store.values():
            sites += 1
            entries += len(v.get("lines", ())) if isinstance(v, dict) else 0
        return sites, entries


class RecentInputs:
    """Bounded memory of (document id -> digest of the input value) per stage, so an
    exact redelivery (same id, same bytes) is recognised and skipped."""

    def __init__(self, size: int):
        self.size = size
        self._seen: OrderedDict[str, bytes] = OrderedDict()

    def seen(self, doc_id: str, value: bytes) -> bool:
        if self.size <= 0:
            return False
        digest = hashlib.blake2b(value, digest_size=16).digest()
        if self._seen.get(doc_id) == digest:
            self._seen.move_to_end(doc_id)
            return True
        self._seen[doc_id] = digest
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False


def _utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _payload_fields(value: bytes) -> tuple[str, str]:
    try:
        return value.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(value).decode("ascii"), "base64"


def _peek_id(value: bytes) -> str | None:
    try:
        obj = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    if isinstance(obj, dict) and isinstance(obj.get("id"), str):
        return obj["id"]
    return None


class StageRunner:
    def __init__(self, settings: Settings, profile_store: MutableMapping[str, Any] | None = None,
                 dedupe_window: int = 10_000):
        self.settings = settings
        self.profiles = SiteProfiles(profile_store if profile_store is not None else {},
                                     settings.template_max_sites, settings.template_max_lines)
        self._recent = {s: RecentInputs(dedupe_window) for s in ("strip", "segment", "enrich")}

    # --- the pure calls, one per stage -------------------------------------------

    def _strip(self, value: bytes) -> list[Output]:
        M.document_size_bytes.observe(len(value))
        from workers.stages.ingest import normalize, site_key

        raw = normalize(decode_json_object(value), self.settings.max_document_bytes)
        site = site_key(raw.url, raw.source)
        from workers.stages.strip import strip

        doc = strip(raw, self.profiles.get(site))
        self.profiles.update(site, doc)
        if doc.lines:
            removed = sum(1 for ln in doc.lines if ln.reason is not None)
            M.boilerplate_ratio.observe(removed / len(doc.lines))
        return [Output(STRIPPED.name, doc.id, encode(doc))]

    def _segment(self, value: bytes) -> list[Output]:
        doc = segment_stage(value)
        return [Output(SEGMENTED.name, doc.id, encode(doc))]

    def _enrich(self, value: bytes) -> list[Output]:
        doc, comments = enrich_stage(value)
        M.comments_per_document.observe(len(doc.comments))
        M.documents_by_language.labels(M.language_label(doc.metadata.language)).inc()
        outs = [Output(ENRICHED.name, doc.id, encode(doc))]
        outs.extend(Output(COMMENTS.name, doc.id, encode(c)) for c in comments)
        return outs

    # --- the loop body -------------------------------------------------------------

    def handle(self, stage: str, value: bytes | None, *, key: bytes | str | None = None,
               topic: str | None = None, partition: int | None = None, offset: int | None = None) -> Outcome:
        """Process one input record of ``stage``; never raises for bad input."""
        fn = {"strip": self._strip, "segment": self._segment, "enrich": self._enrich}[stage]
        M.records_consumed.labels(stage).inc()
        if isinstance(key, bytes):
            key = key.decode("utf-8", "replace")
        if value is None:
            value = b""
        doc_id = key if stage != "strip" else None
        if doc_id and self._recent[stage].seen(doc_id, value):
            M.duplicates_skipped.labels(stage).inc()
            return Outcome(duplicate=True, document_id=doc_id)
        start = time.perf_counter()
        try:
            with time_budget(stage, self.settings.stage_timeout_s):
                outputs = fn(value)
        except BadInput as exc:
            return self._dead(stage, exc.reason, str(exc.message), value, key, topic, partition, offset)
        except RecursionError as exc:
            return self._dead(stage, "timeout", f"input too deeply nested: {exc}", value, key, topic, partition,
                              offset)
        except Exception as exc:  # a bug in a stage: keep going, keep the record
            return self._dead(stage, "internal_error", f"{type(exc).__name__}: {exc}", value, key, topic,
                              partition, offset)
        finally:
            M.processing_seconds.labels(stage).observe(time.perf_counter() - start)
        for out in outputs:
            M.records_produced.labels(stage, out.topic).inc()
        return Outcome(outputs=outputs, document_id=outputs[0].key if outputs else doc_id)

    def _dead(self, stage: str, reason: str, error: str, value: bytes, key: str | None, topic: str | None,
              partition: int | None, offset: int | None) -> Outcome:
        payload, encoding = _payload_fields(value)
        doc_id = key or _peek_id(value)
        dl = DeadLetter(
            stage=stage, reason=reason, error=error[:2000],
            source=SourcePosition(topic=topic, partition=partition, offset=offset),
            payload=payload, payload_encoding=encoding, document_id=doc_id, key=key, failed_at=_utc_now_iso(),
        )
        M.records_failed.labels(stage, reason).inc()
        M.dead_letters.labels(stage, reason).inc()
        out = Output(DEAD_LETTER.name, doc_id or "", encode(dl))
        return Outcome(outputs=[out], dead_letter=dl, document_id=doc_id)


# --- offline mode ------------------------------------------------------------------


@dataclass(slots=True)
class OfflineResult:
    enriched: list[bytes] = field(default_factory=list)
    comments: list[bytes] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)


def process_values(values: Iterable[bytes], settings: Settings, runner: StageRunner | None = None
                   ) -> Iterator[tuple[str, Outcome]]:
    """Run raw input values through strip → segment → enrich in input order, exactly
    as the Kafka path does (same functions, same wire bytes between stages).

    Yields ``(stage, outcome)`` for the last stage each record reached: "enrich" with
    the enriched + comment outputs, or the stage that dead-lettered it."""
    runner = runner or StageRunner(settings, dedupe_window=0)
    for i, value in enumerate(values):
        out = runner.handle("strip", value, topic="documents.raw", partition=None, offset=i)
        if out.dead_letter is not None:
            yield "strip", out
            continue
        stripped = out.outputs[0]
        out = runner.handle("segment", stripped.value, key=stripped.key, topic=STRIPPED.name, offset=i)
        if out.dead_letter is not None:
            yield "segment", out
            continue
        seg = out.outputs[0]
        out = runner.handle("enrich", seg.value, key=seg.key, topic=SEGMENTED.name, offset=i)
        yield ("enrich", out)
