"""Winnow's RE2 patterns: ``compile`` gives a google-re2 pattern whose ``search`` / ``match`` /
``fullmatch`` on a ``str`` are faster, with the same answers. google-re2 itself is left as it is:
only the patterns compiled here behave differently, so other code in the process is untouched.

The wrapper runs every call through a generator (``_Regexp._match``) that encodes the text,
maps byte offsets to character offsets and builds a match object per step: ~2 us of Python
around a ~1-2 us RE2 call, ~300 calls per plain-text page (author lines, dates, times, reply
markers). ``Pattern`` (a subclass of the wrapper's pattern class) encodes a ``str`` once (the
wrapper's own ``str.encode('utf-8')``, so a lone surrogate raises the same error) and asks the
compiled RE2 object directly:

- no match: ``None``, as the wrapper returns;
- a match on a text of ASCII characters only (its byte offsets are its character offsets):
  the wrapper's own match object (``re2._Match``) over the same spans, as the wrapper builds;
- a match on a non-ASCII text: the same match object over the spans mapped to characters as
  the wrapper maps them (``_char_spans``: each piece between two offsets decoded, where the
  wrapper counts its UTF-8 lead bytes), without the wrapper's generator, second encoding and
  one C call per offset;
- anything else (a ``pos`` / ``endpos``, bytes, a span inside a character): the wrapper's own
  code.

The match objects these calls build are ``Match`` (a subclass of the wrapper's ``re2._Match``)
whose ``group`` / ``start`` / ``end`` / ``span`` of one group by number read the match's spans
directly: the wrapper's own methods ask the compiled pattern for its group count first (a C call
through pybind, ~4 k instructions, on every ``m.group(1)`` / ``m.end()``), and a match's span list
holds exactly one span per group and one for the whole match, so the bound check is the same.
A name, several groups or a number out of range go to the wrapper's methods.

``groupless`` gives a pattern's capture-free twin, for callers that read only where (or whether)
it matches.

``match_starts`` gives the start of every match in a bytes text (the line labeller's whole-page
scans) from the same loop as the wrapper's ``finditer``, without a match object per match.

The subclass relies on the wrapper's internals, so it is used only with the release it was
written against (``RELEASE``) and after a check of its answers at import; otherwise ``compile``
is ``re2.compile`` and ``match_starts`` the wrapper's ``finditer``. tests/test_re2_calls.py
compares both on every project pattern, the corpus's lines and random texts.
"""
from __future__ import annotations

import re
from pathlib import Path

import re2

RELEASE = "1.1.20251105"  # the wrapper these calls were written against (constraints.txt)
_ANCHORS = {"search": "UNANCHORED", "match": "ANCHOR_START", "fullmatch": "ANCHOR_BOTH"}


def _match_class():
    """``re2._Match`` with ``group`` / ``start`` / ``end`` / ``span`` of one group number read
    off the spans (``len(spans)`` is the group count + 1: RE2 fills one span per submatch)."""
    null, base = re2._NULL_SPAN, re2._Match

    def group(self, *groups):
        if len(groups) == 1:
            g = groups[0]
            if type(g) is int and 0 <= g < len(self._spans):
                span = self._spans[g]
                return None if span == null else self._text[span[0]:span[1]]
        return base.group(self, *groups)

    def start(self, group=0):
        if type(group) is int and 0 <= group < len(self._spans):
            return self._spans[group][0]
        return base.start(self, group)

    def end(self, group=0):
        if type(group) is int and 0 <= group < len(self._spans):
            return self._spans[group][1]
        return base.end(self, group)

    def span(self, group=0):
        if type(group) is int and 0 <= group < len(self._spans):
            return self._spans[group]
        return base.span(self, group)

    return type("Match", (base,), {"__slots__": (), "__module__": __name__, "group": group, "start": start,
                                   "end": end, "span": span})


Match = _match_class()


def _fast(anchor):
    null, match_class = re2._NULL_SPAN, Match

    def call(self, text, pos=None, endpos=None):
        if pos is None and endpos is None and type(text) is str:
            encoded = text.encode("utf-8")
            spans = self._regexp.Match(anchor, encoded, 0, len(encoded))
            if spans[0] == null:
                return None
            if len(encoded) == len(text):
                return match_class(self, text, 0, len(text), spans)
            chars = _char_spans(encoded, spans, null)
            if chars is not None:
                return match_class(self, text, 0, len(text), chars)
        return next(self._match(anchor, text, pos, endpos), None)

    return call


def _char_spans(encoded: bytes, spans: list, null: tuple) -> list | None:
    """``spans`` (byte offsets into ``encoded``) as character offsets, as the wrapper maps them:
    each offset past the one before it by the characters between them (the wrapper counts them
    by UTF-8 lead bytes; here by decoding them, the same count for whole characters). None when
    a piece between two offsets is not whole characters (the wrapper's own code then)."""
    chars, last, at = {}, 0, 0
    try:
        for offset in sorted({o for span in spans for o in span if o >= 0}):
            at += len(encoded[last:offset].decode("utf-8"))
            chars[offset], last = at, offset
    except UnicodeDecodeError:
        return None
    return [span if span == null else (chars[span[0]], chars[span[1]]) for span in spans]


def _release() -> str | None:
    """google-re2's installed release, from its dist-info directory (no metadata import)."""
    found = sorted(Path(re2.__file__).resolve().parent.parent.glob("google_re2-*.dist-info"))
    return found[0].name[len("google_re2-"):-len(".dist-info")] if len(found) == 1 else None


def answer(rx, m) -> tuple | None:
    """What a caller can read of a match object (None: no match)."""
    if m is None:
        return None
    every = range(rx.groups + 1)
    return (tuple(m.span(g) for g in every), tuple(m.group(g) for g in every), tuple(m.start(g) for g in every),
            tuple(m.end(g) for g in every), m.group(), m.span(), m.start(), m.end(), m.groups(), m.groupdict(),
            m.string, m.pos, m.endpos, m.lastindex, m.lastgroup, m.re is rx)


def _pattern_class():
    """The faster pattern class, or None when the wrapper is another release or answers
    differently on a few texts (groups, no match, non-ASCII)."""
    try:
        if _release() != RELEASE:
            return None
        cls = type("Pattern", (re2._Regexp,), {
            "__slots__": (), "__module__": __name__,
            **{name: _fast(getattr(re2._Anchor, anchor)) for name, anchor in _ANCHORS.items()}})
        plain, fast = re2.compile(r"(?P<a>\w+)\s?(\d+)?$"), cls._make(r"(?P<a>\w+)\s?(\d+)?$", _values(None))
        for text in ("abc 12", "abc", "", "x y", "ü 7", "日本 3", "!!"):
            for name in _ANCHORS:
                mine = getattr(fast, name)(text)
                if answer(fast, mine) != answer(plain, getattr(plain, name)(text)):
                    return None
                if mine is not None and len(mine._spans) != fast.groups + 1:   # Match's bound check
                    return None
        return cls
    except (AttributeError, TypeError, ValueError):  # another wrapper layout
        return None


def _values(options) -> tuple:
    """The option values the wrapper's ``compile`` keys its pattern cache on."""
    options = options or re2.Options()
    return tuple(getattr(options, name) for name in re2.Options.NAMES)


Pattern = _pattern_class()


def compile(pattern: str, options=None):  # noqa: A001 - the name re2 and re use
    """``re2.compile(pattern, options)``, as a ``Pattern`` when the faster calls are usable."""
    if Pattern is None:
        return re2.compile(pattern, options)
    return Pattern._make(pattern, _values(options))


def match_starts(rx, data: bytes) -> list[int]:
    """``[m.start() for m in rx.finditer(data)]`` for bytes ``data``: the wrapper's bytes loop
    (the same steps past an empty match) without a match object per match, for a ``Pattern``;
    the wrapper's own ``finditer`` for any other pattern."""
    if Pattern is None or not isinstance(rx, Pattern):
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


_NAMED_GROUP = re.compile(r"(?<!\\)\(\?P<\w+>")  # "(?P<name>" not after a backslash


def groupless(rx):
    """``rx`` without capturing groups (named groups made ``(?:``, plain ones by RE2's
    ``never_capture``), with its options: the same matches, since a group decides what is
    captured, never what or where matches, but a match costs RE2 no submatch search (with
    groups, every match ends in one over its span). ``rx`` itself when a group is left (a name
    after an escaped backslash, which the rewrite does not read)."""
    options = re2.Options()
    for name in re2.Options.NAMES:
        setattr(options, name, getattr(rx.options, name))
    options.never_capture = True
    twin = compile(_NAMED_GROUP.sub("(?:", rx.pattern), options)
    return twin if twin.groups == 0 else rx
