"""The only place Winnow changes Faust's behaviour (faust-streaming 0.15.3, and only
that release: ``faust_version.check`` refuses any other before this module is imported
by a worker, and ``apply`` checks again). Applied once by ``apply(settings)`` before the
app is built; each patch says why.

1. **Fetch wait.** Faust hard-codes the consumer's ``fetch_max_wait_ms=1500``, which
   adds up to ~0.75 s per hop on a quiet topic; use ``WINNOW_FETCH_MAX_WAIT_MS``.

2. **Never commit past a record that was not acknowledged** (the cause of records
   lost after a SIGKILL under load). Faust commits, per partition, up to the end of
   the first run of consecutive acknowledged offsets, and guards the start of that
   run with ``if committed and min(acked) - committed > 1: return None``. That guard
   is off by one and has a hole:

   - the committed offset is the *next* offset to process, so the run must start
     exactly at it; ``> 1`` lets a run that starts one later through, so the record
     at the committed offset itself is skipped;
   - it is skipped entirely when the committed offset is 0 or unknown (``if
     committed``), e.g. a partition this group never committed.

   The record at the committed offset is the first one a worker handles after a
   restart or rebalance, which is when Faust drops buffered events
   (``flow_control.clear()``) and re-seeks; under CPU load the seek and the drop
   race with the fetcher, that first record is not acknowledged, and the next
   commit jumps over it. Killed before it is re-read, the record is lost (the
   crash test saw ``committed=241, min(acked)=242 -> commit 250``).
   Winnow's rule: a partition's commit advances only through offsets that were
   acknowledged, starting exactly at the committed offset; a partition never
   committed starts at its earliest offset (``auto_offset_reset=earliest``).

3. **Gaps do not include the record being delivered.** When a fetched offset jumps
   past the last one read, Faust marks the skipped offsets as done ("gaps": records
   removed by compaction or transaction markers), but its interval includes the
   offset being delivered too, so a record still being processed counts as done.
   The gap stops before it.

4. **Only records the agent finished count as acknowledged.** Faust's stream skips
   events of a stale consumer generation, or that arrive while the flow is stopped
   (a rebalance), and *acknowledges them without processing them* (``streams.py``:
   "We want to ack the filtered out message"). That ack can carry a commit past a
   record that was never processed. Winnow's agents call ``mark_handled(message)``
   once a record's outputs are sent; on the agents' input topics only those acks count.
   A skipped record thus leaves a hole, which holds the commit back (rule 2).

A commit held back for ``STUCK_AFTER_S`` while later offsets are acknowledged means a
record was dropped and will not come again by itself (within a partition records are
processed in order): the consumer seeks back to the committed offsets and the record
is processed again (duplicates, never a loss). In the crash test this happened after
about one restart in four of the strip worker (``committed offset N not acknowledged
after 10 s (first acknowledged: N+1)``), each time the exact record Faust's own rule
would have committed past.
"""
from __future__ import annotations

import asyncio
import logging
import time
import weakref
from typing import Iterable, Optional

from faust.transport import consumer as faust_consumer
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP
from faust.utils.functional import consecutive_numbers

from workers.shell import faust_version

log = logging.getLogger("winnow.faust_patch")

STUCK_AFTER_S = 10.0  # a partition whose commit is held back this long is re-read from its committed offset

_state = {"fetch_max_wait_ms": 100, "applied": False}
_guarded_topics: set[str] = set()  # the agents' input topics
_handled: "weakref.WeakSet" = weakref.WeakSet()  # messages whose outputs the agent sent
_original_create = faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer
_original_perform_seek = faust_consumer.Consumer.perform_seek
_original_add_gap = faust_consumer.Consumer._add_gap
FAUST_NEW_OFFSET = faust_consumer.Consumer._new_offset  # kept for the test that shows its off-by-one
_original_ack = faust_consumer.Consumer.ack


def _create_worker_consumer(self, transport):
    consumer = _original_create(self, transport)
    consumer._fetch_max_wait_ms = _state["fetch_max_wait_ms"]
    return consumer


def _merge_gaps(self, tp: TP, acked: list[int]) -> None:
    """Faust's own gap folding (unchanged): gap intervals up to the highest acked
    offset count as acknowledged."""
    gaps = self._gap[tp]
    if not gaps:
        return
    max_offset = max(acked)
    candidates = sorted(gaps.overlap(0, max_offset), key=lambda iv: iv.begin)
    if candidates:
        extra: list[int] = []
        for iv in candidates:
            extra.extend(range(iv.begin, iv.end))
        acked.extend(extra)
        gaps.chop(0, max(extra[-1], max_offset + 1))


def _new_offset(self, tp: TP) -> Optional[int]:
    """The offset to commit for ``tp``: one past the run of acknowledged offsets that
    starts exactly at the committed offset; None while that offset is not acked."""
    acked = self._acked[tp]
    if not acked:
        return None
    _merge_gaps(self, tp, acked)
    acked.sort()
    committed = self._committed_offset[tp]
    if committed is not None and acked[0] < committed:
        # Re-delivered records below the committed offset: already committed.
        stale = [o for o in acked if o < committed]
        del acked[:len(stale)]
        self._acked_index[tp].difference_update(stale)
        if not acked:
            return None
    if committed is None or acked[0] != committed:
        _note_held_back(self, tp, committed, acked[0])
        return None
    _held_back(self).pop(tp, None)
    batch = next(consecutive_numbers(acked))
    del acked[:len(batch)]
    self._acked_index[tp].difference_update(batch)
    return batch[-1] + 1


def _held_back(self) -> dict:
    try:
        return self._winnow_held_back
    except AttributeError:
        self._winnow_held_back = {}
        return self._winnow_held_back


def _note_held_back(self, tp: TP, committed: Optional[int], first_acked: int) -> None:
    """A commit held back for ``STUCK_AFTER_S``: the record at the committed offset was
    dropped and will not come again by itself, so re-read the partition from there
    (re-processing gives duplicates, never a loss)."""
    since = _held_back(self).setdefault(tp, time.monotonic())
    if time.monotonic() - since <= STUCK_AFTER_S:
        return
    _held_back(self).pop(tp, None)
    log.warning("%s: committed offset %s not acknowledged after %.0f s (first acknowledged: %s); "
                "re-reading from the committed offsets", tp, committed, STUCK_AFTER_S, first_acked)
    self._acked[tp].clear()
    self._acked_index[tp].clear()
    if not _state.get("rereading"):
        asyncio.ensure_future(_reread(self))


async def _reread(consumer) -> None:
    """Re-read every partition from its committed offset the way Faust does at a
    rebalance: stop the flow (the fetcher abandons the rest of its current batch),
    drop the events buffered in the streams (not processed, so not acknowledged),
    seek, resume. Without the stop, records already fetched past the committed offset
    arrive first, and Faust then drops the re-read record as older than the last read."""
    app = consumer.app
    _state["rereading"] = True
    try:
        consumer.stop_flow()
        app.flow_control.suspend()
        app.flow_control.clear()
        await consumer.perform_seek()
    finally:
        consumer.resume_flow()
        app.flow_control.resume()
        _state["rereading"] = False


async def _perform_seek(self) -> None:
    """Faust's seek to the committed offsets, then: partitions with no committed
    offset are sought to their earliest offset (where ``auto_offset_reset=earliest``
    puts a new consumer), and that becomes their committed offset for the rule above.
    Faust records a committed 0 as None; it is 0 here.

    The explicit seek matters for a re-read (``_reread``): aiokafka's
    ``seek_to_committed`` moves only partitions with a committed offset above 0, so
    without it a partition never committed kept its position past the dropped record,
    and the re-read re-read nothing (seen after a broker restart under load: "committed
    offset 0 not acknowledged after 10 s", then the record never came)."""
    await _original_perform_seek(self)
    missing = [tp for tp in self.assignment()
               if self._committed_offset.get(tp) is None and self.app.topics.acks_enabled_for(tp.topic)]
    if missing:
        earliest = await self.earliest_offsets(*missing)
        seek = {tp: earliest[tp] for tp in missing
                if self._committed_offset.get(tp) is None and earliest.get(tp) is not None}
        if seek:
            await self.seek_wait(seek)
        self._committed_offset.update(seek)


async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
    # Faust passes the offset being delivered as offset_to (inclusive): stop before it.
    await _original_add_gap(self, tp, offset_from, offset_to - 1)


def mark_handled(message) -> None:
    """Called by an agent once the outputs of ``message`` are sent: from then on its
    acknowledgement counts (rule 4)."""
    _handled.add(message)


def _ack(self, message) -> bool:
    if message.topic in _guarded_topics and message not in _handled:
        log.debug("%s@%s acknowledged by Faust without being processed: not counted", message.tp, message.offset)
        return False
    _handled.discard(message)
    return _original_ack(self, message)


def apply(fetch_max_wait_ms: int, guarded_topics: Iterable[str] = ()) -> None:
    """Install the patches (idempotent); ``fetch_max_wait_ms`` may change per call.
    ``guarded_topics``: the agents' input topics, whose acks count only after
    ``mark_handled``. Raises ``faust_version.FaustVersionMismatch`` under any Faust but
    the one the patches were written for."""
    faust_version.check()
    _state["fetch_max_wait_ms"] = fetch_max_wait_ms
    _guarded_topics.update(guarded_topics)
    if _state["applied"]:
        return
    faust_consumer.Consumer.ack = _ack
    faust_aiokafka.AIOKafkaConsumerThread._create_worker_consumer = _create_worker_consumer
    faust_consumer.Consumer._new_offset = _new_offset
    faust_consumer.Consumer.perform_seek = _perform_seek
    faust_consumer.Consumer._add_gap = _add_gap
    _state["applied"] = True
