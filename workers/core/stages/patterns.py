"""RE2 compilation of the named signatures: linear-time, case-insensitive, anchored.
"""
from __future__ import annotations

import re
from typing import Iterable

import re2

from workers.core.heuristics.signatures import Signature
from workers.core import re2_calls


OPTS = re2.Options()
OPTS.max_mem = 64 << 20
OPTS.case_sensitive = False
# the same without the signatures' larger memory budget: the other modules' case-insensitive
# patterns (segment, printed times, the labeller's whole-text scans), one object for all
CASELESS = re2.Options()
CASELESS.max_mem = 32 << 20
CASELESS.case_sensitive = False

_BOUNDED = re.compile(r"\{(\d+),(\d+)\}")  # stdlib re: a bounded repeat {m,n}, no nesting


def full_match(pattern: str):
    return re2_calls.compile("^(?:" + pattern + ")$", OPTS)


def relax_repeats(pattern: str) -> str:
    """``pattern`` with every bounded repeat ``{m,n}`` outside character classes opened to
    ``{m,}``: it matches every string ``pattern`` matches (and some more). RE2's DFA for
    ``.{0,300}`` counts positions, so every new line built new DFA states (~40 us per long
    line for the page signatures); the relaxed patterns need few states."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":  # an escape (\p{L}, \{, \]) is copied whole
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            out.append(c)
            i += 1
            for lead in ("^", "]"):  # "[^]...]", "[]...]": the first "]" is a member
                if i < n and pattern[i] == lead:
                    out.append(lead)
                    i += 1
            continue
        elif c == "{":
            m = _BOUNDED.match(pattern, i)
            if m:
                out.append("{" + m.group(1) + ",}")
                i = m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out)


class LineSet:
    """Which of ``patterns`` match a whole line, in one pass: an RE2::Set of the relaxed
    patterns (``relax_repeats``) finds the candidates, and a candidate whose pattern was
    relaxed is confirmed by the pattern itself, so ``Match`` answers exactly as the
    patterns do (indices of the matching ones, or None). ``confirm=False``: the candidates
    unconfirmed (a superset), for a caller that searches each of them anyway."""

    def __init__(self, patterns: Iterable[str], confirm: bool = True):
        self._set = re2.Set.FullMatchSet(OPTS)
        self._exact: dict[int, object] = {}
        for i, pattern in enumerate(patterns):
            relaxed = relax_repeats(pattern)
            self._set.Add(relaxed)
            if relaxed != pattern and confirm:
                self._exact[i] = full_match(pattern)
        self._set.Compile()
        # the compiled RE2::Set's own Match, asked with the text encoded as the wrapper's
        # ``Set.Match`` encodes it (one Python call per line instead of three); only with the
        # wrapper release re2_calls checked (its ``Pattern``), else the wrapper's method
        self._raw = self._set._set.Match if re2_calls.Pattern is not None else None

    def Match(self, text: str) -> list[int] | None:  # noqa: N802 - the RE2::Set method name
        raw = self._raw
        hits = (raw(text.encode("utf-8")) or None) if raw is not None and type(text) is str else self._set.Match(text)
        if not hits or not self._exact:
            return hits
        exact = self._exact
        hits = [i for i in hits if i not in exact or exact[i].search(text)]
        return hits or None


def full_match_set(sigs: tuple[Signature, ...]) -> LineSet:
    """All of ``sigs`` in one set (anchored at both ends): one pass over a line tells which
    signatures match it fully, in linear time."""
    return LineSet(sig.pattern for sig in sigs)
