"""RE2 compilation of the named signatures: linear-time, case-insensitive, anchored.
"""
from __future__ import annotations

import re2

from workers.core.heuristics.signatures import Signature


OPTS = re2.Options()
OPTS.max_mem = 64 << 20
OPTS.case_sensitive = False


def full_match(pattern: str):
    return re2.compile("^(?:" + pattern + ")$", OPTS)


def full_match_set(sigs: tuple[Signature, ...]):
    """All of ``sigs`` in one RE2::Set (anchored at both ends): one pass over a line tells
    which signatures match it fully, in linear time."""
    rset = re2.Set.FullMatchSet(OPTS)
    for sig in sigs:
        rset.Add(sig.pattern)
    rset.Compile()
    return rset
