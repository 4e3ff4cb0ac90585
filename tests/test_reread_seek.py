"""The re-read of a held-back partition (workers/shell/faust_patch.py) must move the
consumer back even on a partition that was never committed: aiokafka's
``seek_to_committed`` only moves partitions whose committed offset is above 0, so such
a partition kept its position past the dropped record and the re-read re-read nothing
(seen after a broker restart under load). Replayed on Faust's own ``perform_seek`` with
the state a worker holds, as tests/test_commit_rule.py does for the commit rule."""
from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace

from faust.types import TP

from workers.shell import faust_patch

RAW0, RAW1 = TP("documents.raw", 0), TP("documents.raw", 1)
CHANGELOG = TP("winnow-site-templates-changelog", 0)


def consumer(committed: dict, earliest: dict):
    """A Faust consumer's seek-related state; ``committed``: what the broker returns
    (None: never committed); ``sought``: every seek the patch asked for."""
    sought: dict = {}

    async def seek_to_committed():
        return dict(committed)  # aiokafka moves only offsets > 0 itself; Faust returns the map

    async def earliest_offsets(*tps):
        return {tp: earliest[tp] for tp in tps}

    async def seek_wait(partitions):
        sought.update(partitions)

    state = SimpleNamespace(
        _read_offset=defaultdict(lambda: None), _committed_offset=defaultdict(lambda: None),
        seek_to_committed=seek_to_committed, earliest_offsets=earliest_offsets, seek_wait=seek_wait,
        assignment=lambda: set(committed),
        app=SimpleNamespace(topics=SimpleNamespace(acks_enabled_for=lambda topic: not topic.endswith("-changelog"))))
    return state, sought


def test_a_partition_never_committed_is_sought_to_its_earliest_offset():
    state, sought = consumer({RAW0: None, RAW1: 7, CHANGELOG: None}, {RAW0: 0, RAW1: 0, CHANGELOG: 0})
    asyncio.run(faust_patch._perform_seek(state))
    assert sought == {RAW0: 0}  # RAW1 was moved by seek_to_committed; changelogs are not acked
    assert state._committed_offset[RAW0] == 0 and state._committed_offset[RAW1] == 7
    assert state._read_offset[RAW0] is None  # the record at offset 0 is read again


def test_a_committed_zero_counts_as_never_committed():
    # Faust records a committed 0 as None, and aiokafka does not seek to 0: the patch does.
    state, sought = consumer({RAW0: 0}, {RAW0: 0})
    asyncio.run(faust_patch._perform_seek(state))
    assert sought == {RAW0: 0} and state._committed_offset[RAW0] == 0


def test_partitions_with_a_committed_offset_are_left_to_faust():
    state, sought = consumer({RAW0: 3, RAW1: 12}, {RAW0: 0, RAW1: 0})
    asyncio.run(faust_patch._perform_seek(state))
    assert sought == {}
    assert dict(state._committed_offset) == {RAW0: 3, RAW1: 12}
