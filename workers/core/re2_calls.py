"""The one place Winnow changes google-re2's Python wrapper: faster ``search`` / ``match`` /
``fullmatch`` calls on a ``str`` (google-re2 1.1.20251105 only; any other release keeps the
wrapper as it is).

The wrapper runs every call through a generator (``_Regexp._match``) that encodes the text,
maps byte offsets to character offsets and builds a match object per step: ~2 us of Python
around a ~1-2 us RE2 call, ~300 calls per plain-text page (author lines, dates, times, reply
markers). The replacement encodes a ``str`` once (the wrapper's own ``str.encode('utf-8')``,
so a lone surrogate raises the same error) and asks the compiled RE2 object directly:

- no match: ``None``, as the wrapper returns;
- a match on a text of ASCII characters only (its byte offsets are its character offsets):
  the wrapper's own match object (``re2._Match``) over the same spans, as the wrapper builds;
- anything else (a match on a non-ASCII text, a ``pos`` / ``endpos``, bytes): the wrapper's
  own code.

``match_starts`` gives the start of every match in a bytes text (the line labeller's whole-page
scans) from the same loop as the wrapper's ``finditer``, without a match object per match.

So every call answers exactly as before (tests/test_re2_calls.py compares both on every corpus
line and random texts). ``install`` is called once, by ``workers.core``; it checks the
release and the answers on a few texts first, and leaves the wrapper alone when either differs.
"""
from __future__ import annotations

from pathlib import Path

import re2

RELEASE = "1.1.20251105"  # the wrapper these calls were written against (constraints.txt)
_ORIGINAL = {name: getattr(re2._Regexp, name) for name in ("search", "match", "fullmatch")}
_ANCHORS = {"search": "UNANCHORED", "match": "ANCHOR_START", "fullmatch": "ANCHOR_BOTH"}


def _fast(anchor):
    null, match_class = re2._NULL_SPAN, re2._Match

    def call(self, text, pos=None, endpos=None):
        if pos is None and endpos is None and type(text) is str:
            encoded = text.encode("utf-8")
            spans = self._regexp.Match(anchor, encoded, 0, len(encoded))
            if spans[0] == null:
                return None
            if len(encoded) == len(text):
                return match_class(self, text, 0, len(text), spans)
        return next(self._match(anchor, text, pos, endpos), None)

    return call


def match_starts(rx, data: bytes) -> list[int]:
    """``[m.start() for m in rx.finditer(data)]`` for bytes ``data``: the wrapper's bytes loop
    (the same steps past an empty match) without a match object per match; the wrapper's own
    ``finditer`` when the calls are not installed."""
    if not getattr(re2._Regexp, "_winnow_fast", False):
        return [m.start() for m in rx.finditer(data)]
    match, anchor, null = rx._regexp.Match, re2._Anchor.UNANCHORED, re2._NULL_SPAN
    out: list[int] = []
    pos, end = 0, len(data)
    while True:
        span = match(anchor, data, pos, end)[0]
        if span == null:
            return out
        out.append(span[0])
        if pos == end:
            return out
        pos = pos + 1 if pos == span[1] else span[1]


def _release() -> str | None:
    """google-re2's installed release, from its dist-info directory (no metadata import)."""
    found = sorted(Path(re2.__file__).resolve().parent.parent.glob("google_re2-*.dist-info"))
    return found[0].name[len("google_re2-"):-len(".dist-info")] if len(found) == 1 else None


def _same_answers() -> bool:
    """The replacement answers as the wrapper on a few texts (groups, no match, non-ASCII)."""
    rx = re2.compile(r"(?P<a>\w+)\s?(\d+)?$")
    for text in ("abc 12", "abc", "", "x y", "ü 7", "日本 3", "!!"):
        for name, anchor in _ANCHORS.items():
            if answer(rx, _fast(getattr(re2._Anchor, anchor))(rx, text)) != answer(rx, _ORIGINAL[name](rx, text)):
                return False
    return True


def answer(rx, m) -> tuple | None:
    """What a caller can read of a match object (None: no match)."""
    if m is None:
        return None
    return (tuple(m.span(g) for g in range(rx.groups + 1)), m.groups(), m.groupdict(), m.string, m.pos,
            m.endpos, m.lastindex, m.lastgroup, m.re is rx)


def install() -> bool:
    """Replace the three calls (once per process); False when the wrapper is left as it is."""
    if getattr(re2._Regexp, "_winnow_fast", False):
        return True
    try:
        if _release() != RELEASE or not _same_answers():
            return False
    except (AttributeError, TypeError, ValueError):  # another wrapper layout: leave it alone
        return False
    for name, anchor in _ANCHORS.items():
        setattr(re2._Regexp, name, _fast(getattr(re2._Anchor, anchor)))
    re2._Regexp._winnow_fast = True
    return True


def uninstall() -> None:
    """The wrapper's own calls again (tests)."""
    for name, call in _ORIGINAL.items():
        setattr(re2._Regexp, name, call)
    re2._Regexp._winnow_fast = False
