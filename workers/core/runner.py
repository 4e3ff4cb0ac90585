"""The stage runner shared by the Faust agents and the offline ``process`` command.

``StageRunner.handle(stage, value, ...)`` is the one loop body every stage uses
(datatrove's idea: the base loop owns stats and rejects): it calls the pure stage
function under a time budget, encodes the outputs keyed by document id, turns any
failure into a dead-letter record with a reason, and records the metrics. It never
raises for a bad record. It does no I/O: callers send what it returns.
"""
from __future__ import annotations

import base64
import gc
import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Iterator, Mapping, MutableMapping

import orjson

from topics import DEAD_LETTER, RAW, by_name
from topics.records import DeadLetter, SourcePosition
from workers.core import metrics as M
from workers.core.budget import time_budget
from workers.core.errors import BadInput
from workers.core.flow import FLOW, Stage, next_stage
from workers.core.stages import encode
from workers.settings import Settings, with_overrides


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


class RecentInputs:
    """Bounded memory of (document id -> digest of the input value, where it was read)
    per stage, so an upstream duplicate (same id, same bytes, at a later offset: an
    upstream stage re-produced it after a redelivery) is recognised and skipped.

    The *same* record read again at the *same* position (a redelivery after a
    rebalance or a failed commit) is never skipped: its first outputs may not have
    been published, so it is processed again (at-least-once)."""

    def __init__(self, size: int):
        self.size = size
        self._seen: OrderedDict[str, tuple[bytes, Any]] = OrderedDict()

    def seen(self, doc_id: str, value: bytes, position: Any = None) -> bool:
        if self.size <= 0:
            return False
        digest = hashlib.blake2b(value, digest_size=16).digest()
        prev = self._seen.get(doc_id)
        if prev is not None and prev[0] == digest and (position is None or prev[1] != position):
            self._seen.move_to_end(doc_id)
            return True
        self._seen[doc_id] = (digest, position)
        self._seen.move_to_end(doc_id)
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return False


_RECORD_OVERHEAD = 1024  # record batch/record headers and our ingest header

_heap_frozen = False  # set once per process by _freeze_warm_heap()


def _freeze_warm_heap() -> None:
    """Once per process, after the first warm-up: collect, then move every object alive
    (the models, language tables, compiled patterns, imported modules: some 47,000
    tracked objects that live as long as the process) out of the collector's sight with
    ``gc.freeze()``. A full (generation-2) collection otherwise walks all of them again
    every few hundred pages to find no garbage among them: measured at 0.12-0.15 ms a
    text page and 0.9 ms an HTML page (docs/performance.md, "Tenth round"). A frozen
    object is still freed when its last reference goes; only a reference cycle among them
    would stay (they live as long as the process). What is created later (the pages, the
    caches) is collected as before. Later warm-ups (a new runner in the same
    process) do not freeze again: a collection of the whole heap each time would cost
    more than it saves."""
    global _heap_frozen
    if _heap_frozen:
        return
    _heap_frozen = True
    gc.collect()
    gc.freeze()


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
    """Runs the stages of ``flow`` (default ``FLOW``) one record at a time. ``stores``:
    the backing mapping of each stateful stage's state, by stage name (a Faust table
    in a worker); a stage without one gets a dict."""

    def __init__(self, settings: Settings, stores: Mapping[str, MutableMapping[str, Any]] | None = None,
                 dedupe_window: int = 10_000, flow: tuple[Stage, ...] = FLOW):
        self.settings = settings
        self.stages = {s.name: s for s in flow}
        for s in flow:
            s.load()
        self.warm = False  # set by warm_up()
        self.states = {s.name: s.open_state((stores or {}).get(s.name), settings) for s in flow}
        self._recent = {s.name: RecentInputs(dedupe_window) for s in flow}

    def warm_up(self) -> float:
        """Run this runner's stages once on small built-in documents, outside any time
        budget, so lazy imports and model loading (over a second on a cold start) do not
        count against the first real record's budget and dead-letter it as a timeout.
        Pure calls on throwaway state: no metrics, no learning. Returns seconds.

        Only this runner's stages load their models: a stage before them still runs, to
        give them their input, but with the rule labeller, and the chain stops after the
        last of them. A one-stage worker so holds only its own stage's models (RSS after
        warm-up, measured: strip 113, segment 77, enrich 206 MB, instead of 210 MB each)."""
        start = time.perf_counter()
        self.warm = True
        samples = (
            {"id": "warm-up-text", "url": "https://warm-up.invalid/a", "content_type": "text/plain",
             "content": "Warm-up title\n\nA short paragraph of English text, for warming up the stages.\n"},
            {"id": "warm-up-html", "url": "https://warm-up.invalid/b", "content_type": "text/html",
             "content": "<html><head><title>Warm-up</title></head><body><h1>Warm-up</h1>"
                        "<p>A short paragraph of English text, for warming up the stages.</p></body></html>"},
        )
        chain = FLOW[:max(i for i, st in enumerate(FLOW) if st.name in self.stages) + 1]
        feeder = with_overrides(self.settings, labeller="rules")  # an earlier stage: input only
        for sample in samples:
            value = orjson.dumps(sample)
            try:
                for stage in chain:  # a later stage's input is the earlier's output
                    settings = self.settings if stage.name in self.stages else feeder
                    emits = stage.run(stage.read(value, settings), stage.open_state(None, settings))
                    value = encode(emits[0].record)
            except Exception:  # noqa: BLE001 - a warm-up failure shows up on real records anyway
                pass
        _freeze_warm_heap()
        return time.perf_counter() - start

    def _run(self, stage: Stage, value: bytes) -> list[Output]:
        stage.measure_input(value)
        emits = stage.run(stage.read(value, self.settings), self.states[stage.name])
        stage.measure(value, emits)
        return [Output(e.topic.name, e.key, encode(e.record)) for e in emits]

    def measure_states(self) -> None:
        """Report the size of every stage's state (the worker calls this periodically)."""
        for name, stage in self.stages.items():
            if self.states[name] is not None:
                stage.measure_state(self.states[name])

    # --- the loop body -------------------------------------------------------------

    def handle(self, stage: str, value: bytes | None, *, key: bytes | str | None = None,
               topic: str | None = None, partition: int | None = None, offset: int | None = None) -> Outcome:
        """Process one input record of ``stage``; never raises for bad input."""
        st = self.stages[stage]
        M.records_consumed.labels(stage).inc()
        if isinstance(key, bytes):
            key = key.decode("utf-8", "replace")
        if value is None:
            value = b""
        # Keys on the input topic are the producers' (not trusted as document ids).
        doc_id = key if st.source is not RAW else None
        position = (topic, partition, offset) if offset is not None else None
        if doc_id and self._recent[stage].seen(doc_id, value, position):
            M.duplicates_skipped.labels(stage).inc()
            return Outcome(duplicate=True, document_id=doc_id)
        start = time.perf_counter()
        try:
            with time_budget(stage, self.settings.stage_timeout_s):
                outputs = self._run(st, value)
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
        problem = self._check_outputs(outputs)
        if problem is not None:
            reason, error = problem
            return self._dead(stage, reason, error, value, key, topic, partition, offset)
        for out in outputs:
            M.records_produced.labels(stage, out.topic).inc()
        return Outcome(outputs=outputs, document_id=outputs[0].key if outputs else doc_id)

    def _limit(self, topic: str) -> int:
        """The largest value (plus key and record overhead) a topic accepts."""
        return by_name(topic).max_message_bytes(self.settings.max_message_bytes) - _RECORD_OVERHEAD

    def _check_outputs(self, outputs: list[Output]) -> tuple[str, str] | None:
        """Outputs the agent can actually send: str keys, bytes values, under the
        topic's size limit (a record over it would fail at publish time, after the
        input was read: the worker would crash on it again after every restart)."""
        for out in outputs:
            if not isinstance(out.key, str) or not out.key or not isinstance(out.value, bytes):
                return "invalid_record", f"stage produced a {out.topic} record without a usable id/key"
            size = len(out.value) + len(out.key.encode("utf-8", "surrogatepass"))
            if size > self._limit(out.topic):
                return "too_large", (f"output record for {out.topic} is {size} bytes, over the topic limit of "
                                     f"{self._limit(out.topic)} bytes (WINNOW_MAX_MESSAGE_BYTES)")
        return None

    def dead_letter(self, stage: str, reason: str, error: str, value: bytes | None, *, key: bytes | str | None = None,
                    topic: str | None = None, partition: int | None = None, offset: int | None = None) -> Outcome:
        """A dead-letter outcome for a record (for callers that fail outside ``handle``)."""
        if isinstance(key, bytes):
            key = key.decode("utf-8", "replace")
        return self._dead(stage, reason, error, value or b"", key, topic, partition, offset)

    def _dead(self, stage: str, reason: str, error: str, value: bytes, key: str | None, topic: str | None,
              partition: int | None, offset: int | None) -> Outcome:
        payload, encoding = _payload_fields(value)
        doc_id = key or _peek_id(value)
        limit = self._limit(DEAD_LETTER.name) - 64 * 1024  # room for the envelope
        if len(payload) > limit:  # never let the dead letter itself be unsendable
            error = f"{error} [payload truncated from {len(payload)} to {limit} characters]"
            payload = payload[:limit]
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


def process_values(values: Iterable[bytes], settings: Settings, runner: StageRunner | None = None
                   ) -> Iterator[tuple[str, Outcome]]:
    """Run raw input values through the flow in input order, exactly as the Kafka path
    does (same stages, same wire bytes between them).

    Yields ``(stage, outcome)`` for the last stage each record reached: the last stage
    with all its outputs, or the stage that dead-lettered it."""
    if runner is None:
        runner = StageRunner(settings, dedupe_window=0)
    if not runner.warm:
        runner.warm_up()
    first = FLOW[0]
    for i, value in enumerate(values):
        stage: Stage | None = first
        key, topic = None, first.source.name
        while stage is not None:
            out = runner.handle(stage.name, value, key=key, topic=topic, partition=None, offset=i)
            following = next_stage(stage)
            if out.dead_letter is not None or following is None:
                yield stage.name, out
                break
            handed = out.outputs[0]
            key, value, topic = handed.key, handed.value, handed.topic
            stage = following
