"""The commit rule behind "no record lost after SIGKILL" (workers/shell/faust_patch.py):
a partition's commit advances only through acknowledged offsets, starting exactly
at the committed offset. Faust's own rule lets the commit jump over the record at
the committed offset (seen in a crash-test log: committed 241, acked 242..249,
Faust committed 250, so record 241 was never processed again)."""
from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from faust.types import TP
from intervaltree import IntervalTree

from workers.shell import faust_patch

TP0 = TP("documents.stripped", 1)


def consumer_state(committed, acked, gaps=()):
    state = SimpleNamespace(_acked=defaultdict(list), _acked_index=defaultdict(set), _gap=defaultdict(IntervalTree),
                            _committed_offset=defaultdict(lambda: None))
    state._acked[TP0] = list(acked)
    state._acked_index[TP0] = set(acked)
    state._committed_offset[TP0] = committed
    for begin, end in gaps:
        state._gap[TP0].addi(begin, end)
    return state


def test_faust_commits_past_the_unacknowledged_record_at_the_committed_offset():
    # The evidence: Faust's rule, on the state logged in the crash test.
    assert faust_patch.FAUST_NEW_OFFSET(consumer_state(241, range(242, 250)), TP0) == 250
    # ... and from offset 0 (committed 0 or never committed) it skips any number.
    assert faust_patch.FAUST_NEW_OFFSET(consumer_state(0, range(5, 9)), TP0) == 9
    assert faust_patch.FAUST_NEW_OFFSET(consumer_state(None, range(5, 9)), TP0) == 9


def test_winnow_holds_the_commit_until_the_committed_offset_is_acknowledged():
    state = consumer_state(241, range(242, 250))
    assert faust_patch._new_offset(state, TP0) is None
    assert faust_patch._new_offset(consumer_state(0, range(5, 9)), TP0) is None
    assert faust_patch._new_offset(consumer_state(None, range(0, 9)), TP0) is None  # start unknown: wait
    # once 241 is acknowledged, the commit covers the whole run
    state._acked[TP0].append(241)
    state._acked_index[TP0].add(241)
    assert faust_patch._new_offset(state, TP0) == 250
    assert state._acked[TP0] == [] and state._acked_index[TP0] == set()


def test_winnow_commits_consecutive_runs_and_real_gaps_as_faust_does():
    assert faust_patch._new_offset(consumer_state(10, [10, 11, 12, 14]), TP0) == 13
    assert faust_patch._new_offset(consumer_state(0, [0, 1, 2]), TP0) == 3
    # offsets 13..15 removed by compaction (a gap recorded by the fetcher) count as done
    assert faust_patch._new_offset(consumer_state(10, [10, 11, 12, 16], gaps=[(13, 16)]), TP0) == 17


def test_redelivered_offsets_below_the_committed_one_are_dropped():
    state = consumer_state(20, [18, 19, 20, 21])
    assert faust_patch._new_offset(state, TP0) == 22
    assert state._acked[TP0] == []


def _ack_state():
    topics = SimpleNamespace(acks_enabled_for=lambda topic: True)
    return SimpleNamespace(app=SimpleNamespace(topics=topics), _committed_offset=defaultdict(lambda: None),
                           _acked=defaultdict(list), _acked_index=defaultdict(set), _unacked_messages=set(),
                           _n_acked=0, _waiting_for_ack=None)


def test_only_records_the_agent_finished_count_as_acknowledged():
    from faust.types.tuples import Message

    faust_patch._guarded_topics.add(TP0.topic)
    state = _ack_state()
    skipped = Message(TP0.topic, TP0.partition, 241, 0.0, 0, None, b"k", b"v", None, tp=TP0)
    done = Message(TP0.topic, TP0.partition, 242, 0.0, 0, None, b"k", b"v", None, tp=TP0)
    # Faust acks an event it skipped (stale generation, stopped flow) without processing it:
    assert faust_patch._ack(state, skipped) is False
    assert state._acked[TP0] == []
    faust_patch.mark_handled(done)  # the agent sent its outputs
    assert faust_patch._ack(state, done) is True
    assert state._acked[TP0] == [242]
    # so the commit waits for 241 instead of jumping over it
    state._committed_offset[TP0] = 241
    state._gap = defaultdict(IntervalTree)
    assert faust_patch._new_offset(state, TP0) is None
