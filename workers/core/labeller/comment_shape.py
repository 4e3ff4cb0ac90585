"""The repeating shape of a comment section: which header line is a name, and which header
lines belong to which comment.

A comment section is a run of records of one shape (name line, date line, text, action
lines; or text then "— Name, date"; or name line, text, date line). Given the header lines
between two comments' texts, the cut between the first comment's trailing header lines and
the second one's leading header lines is read from the section itself: the header lines
before the first comment show the leading part of the shape, those after the last comment
the trailing part, and each gap is cut where its two sides look most like them. Header
lines are reduced to kinds for that: ``A`` (a name), ``P`` (a placeholder name), ``D`` (a
printed date or time), ``M`` (other). Nothing here depends on a widget's wording but the
shared author patterns and date vocabulary.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from typing import Sequence

import re2

from workers.core.heuristics.comment_numbers import HASH_NUMBER_CLOSED
from workers.core.heuristics.header_lines import (COMMENT_NUMBER_OR_BARE, NAME_WORD_RECUR_MIN_LINES,
                                                  NAME_WORD_RECUR_SHARE, REPLY_TO_WORDS, TRAILING_HEADER_OPENINGS)
from workers.core.labeller.labels import COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT
from workers.core.stages.author_lines import header_author
from workers.core.stages.authors import (author_line_name, bare_name, clean_author, is_name_like,
                                         not_a_name as _not_a_name, placeholder, split_name_time, tidy_name,
                                         vouched_name)
from workers.core.stages.comment_times import is_extra_time
from workers.core.stages.printed_times import looks_like_time
from workers.core.stages.text import normalise
from workers.core import re2_calls

NAME, PLACEHOLDER, DATE, META = "A", "P", "D", "M"
_OPTS = re2.Options()
_OPTS.case_sensitive = False
_REPLY = re2_calls.compile(rf"^(?:{'|'.join(REPLY_TO_WORDS)})\s", _OPTS)
# first characters after which _REPLY cannot match: the ASCII characters (and "") that no
# marker's first letter matches in _REPLY's case-insensitive mode, asked of RE2 itself (so its
# case folding decides, "k" and the Kelvin sign alike); a line's first character that is not
# whitespace is its normalised text's first character (tests/test_comment_shape_guard.py)
_REPLY_FIRST = re2_calls.compile(rf"^(?:{'|'.join(w[0] for w in REPLY_TO_WORDS)})", _OPTS)
_NO_REPLY_STARTS = frozenset(c for c in map(chr, range(128))
                             if not c.isspace() and _REPLY_FIRST.search(c) is None) | {""}


def _reply_to(text: str) -> bool:
    """``_REPLY`` matches ``normalise(text)``."""
    return text[:1] not in _NO_REPLY_STARTS and _REPLY.search(normalise(text)) is not None


# a reply-to marker line is a header, not text, when it is short ("In reply to Bortle scale
# correction by kestrel_obs"); a longer line opening with the words is a comment's sentence
REPLY_MARKER_MAX_WORDS = 14


def reply_marker(text: str) -> bool:
    """A short "Reply to X" / "In reply to … by X" line (``REPLY_TO_WORDS``, any of their languages)."""
    if text[:1] in _NO_REPLY_STARTS:   # (most lines: no marker opens so)
        return False
    t = normalise(text)   # (its words: one more than its spaces)
    return t.count(" ") < REPLY_MARKER_MAX_WORDS and _REPLY.search(t) is not None


# a header line that is a printed time alone ("26 days ago", "March 3, 2012 at 10:15 am"): at
# most this many words
TIME_LINE_MAX_WORDS = 6


def time_line(text: str) -> bool:
    """A short line that is a printed date or time (``printed_times``, ``comment_times``)."""
    t = normalise(text)   # (its words: one more than its spaces)
    return t.count(" ") < TIME_LINE_MAX_WORDS and (is_extra_time(t) or looks_like_time(t))


def _kind(text: str) -> tuple[str, bool]:
    """(kind, whether the name is the bare line itself, no pattern or date taken off it) of
    one header line, alone."""
    return _read(text, header_author(text))[:2]


def _read(text: str, parsed: tuple[str, str | None, str] | None) -> tuple[str, bool, bool]:
    """``_kind`` of a line and ``pattern_name``, given the line's ``parse_author_line``."""
    named = parsed is not None and not placeholder(parsed[0]) and not _not_a_name(clean_author(parsed[0]) or "")
    if text.lstrip()[:1] == "@" or _reply_to(text):
        return META, False, named  # names the parent, not this comment's author
    if parsed is not None:
        if placeholder(parsed[0]):
            return PLACEHOLDER, False, named
        if named:   # "1 Tami November 7, 2012": the name is Tami
            return NAME, False, named
    return (*_kind_rest(text), named)


def _kind_rest(text: str) -> tuple[str, bool]:
    """``_kind`` of a line no author pattern names anybody on (nor a placeholder)."""
    if placeholder(text) or placeholder(bare_name(text)):
        return PLACEHOLDER, False
    if is_extra_time(text):
        return DATE, False
    name = bare_name(text)
    if is_name_like(name) and not _not_a_name(name):
        return NAME, True
    name = author_line_name(text)  # "QueenSashy added 1 day ago"
    if placeholder(tidy_name(name)) and name != normalise(text):
        return PLACEHOLDER, False   # "by Anonymous Coward writes: on …"
    if name != normalise(text) and is_name_like(name) and not _not_a_name(name) or vouched_name(text):
        return NAME, False   # (vouched: "by cpu6502 (1960974) writes: on …")
    split = split_name_time(text)
    if split is not None:
        return (PLACEHOLDER if placeholder(split[0]) else NAME), False
    t = normalise(text)
    if looks_like_time(t) or any(c.isdigit() for c in t):
        return DATE, False
    return META, False


# a numbered header: the number (header_lines.COMMENT_NUMBER_OR_BARE, the one authors.clean_author
# drops from a name; was "#?\d{1,4}[.)]?": now also "# 12" and five digits after "#", no longer
# "#12." / "#12)"), then a name-like rest
_NUMBERED = re2_calls.compile(rf"^(?:{HASH_NUMBER_CLOSED}|{COMMENT_NUMBER_OR_BARE})\s+(?P<rest>\S.{{0,47}})$")


def _numbered_name(text: str) -> bool:
    t = normalise(text)
    m = _NUMBERED.search(t)
    return (m is not None and is_name_like(m.group("rest"), strict=True) and not _not_a_name(m.group("rest"))
            and not looks_like_time(t) and not is_extra_time(t))


def pattern_name(text: str) -> bool:
    """A widget author pattern reads a (non-placeholder) name on this line."""
    return _read(text, header_author(text))[2]


class PageLines:
    """One page's header lines read once each (a page repeats its widget lines: "Reply",
    "Anonymous", the same date): ``parse_author_line`` and ``_read`` per distinct text."""

    def __init__(self) -> None:
        self._parsed: dict[str, tuple[str, str | None, str] | None] = {}
        self._read: dict[str, tuple[str, bool, bool]] = {}

    def parsed(self, text: str) -> tuple[str, str | None, str] | None:
        if text not in self._parsed:
            self._parsed[text] = header_author(text)
        return self._parsed[text]

    def read(self, text: str) -> tuple[str, bool, bool]:
        """(kind, bare, pattern name) of one header line: ``_kind`` and ``pattern_name``."""
        got = self._read.get(text)
        if got is None:
            got = self._read[text] = _read(text, self.parsed(text))
        return got

    def placeholder_author(self, text: str) -> bool:
        """A widget author pattern reads the line, and what it reads is a placeholder
        ("Anonymous said...", "Anonymous•last month"): a guest comment's header (the pattern
        first: most lines have none, and both tests are pure)."""
        return self.parsed(text) is not None and self.read(text)[0] == PLACEHOLDER


def line_kind(text: str) -> str:
    """The kind of one comment header line, alone."""
    return _kind(text)[0]


# a recurring word that ends on a colon is a verb of saying ("王明 说：", "Ola Nowak napisał:"):
# the lines are names, never a relative time or a label (no time ends on a colon)
SAYING_COLONS = (":", "：")


def _recurring(texts: list[str]) -> set[str]:
    """Words (or, in scripts written without spaces, last characters) that most of the
    section's distinct name-kind lines share: the words of a relative time or a label in a
    language the date vocabulary lacks ("il y a …", "… temu", "…前"), never of names, nor a
    verb of saying before its colon (``SAYING_COLONS``)."""
    distinct = sorted({normalise(t).lower() for t in texts})
    if len(distinct) < NAME_WORD_RECUR_MIN_LINES:
        return set()
    words: Counter = Counter()
    for t in distinct:
        ws = t.split(" ")
        words.update({w for w in ws if any(c.isalpha() for c in w) and not w.endswith(SAYING_COLONS)})
        if len(ws) == 1 and len(t) >= 2 and not t.isascii():
            words.update({"…" + t[-1]})
    need = NAME_WORD_RECUR_SHARE * len(distinct)
    return {w for w, c in words.items() if c >= need}


def head_kinds(texts: Sequence[str], page: PageLines | None = None) -> list[str]:
    """The kind of each header line of one comment section (in page order). A bare name line
    (nothing but a name-like text) whose words recur on most such lines is a time or a label."""
    page = page or PageLines()
    read = [page.read(t)[:2] for t in texts]
    kinds = [k for k, _b in read]
    # "1 Fortunato Saraiva", "2 Robert": numbered names (two or more in the section)
    numbered = [i for i, (t, k) in enumerate(zip(texts, kinds)) if k == DATE and _numbered_name(t)]
    if len(numbered) >= 2:
        for i in numbered:
            kinds[i] = NAME
    bare = {i: normalise(bare_name(texts[i])).lower() for i, (k, b) in enumerate(read) if k == NAME and b}
    common = _recurring(list(bare.values()))
    if not common:
        return kinds
    hit = [i for i, low in bare.items() if set(low.split(" ")) & common or "…" + low[-1:] in common]
    # names with a widget label ("Marklive Follow", "Ann Lee Guest"): without the shared
    # words, most lines still read as capitalised names
    rest = [" ".join(w for w in normalise(bare_name(texts[i])).split(" ") if w.lower() not in common) for i in hit]
    if sum(is_name_like(r, strict=True) for r in rest) * 2 > len(rest):
        return kinds
    for i in hit:
        kinds[i] = DATE
    return kinds


def _score(part: Sequence[str], shape: Sequence[str], from_end: bool) -> int:
    """+1 per line of ``part`` of the same kind as the shape's line at the same place
    (aligned at the end for a leading part, at the start for a trailing one), -1 per other."""
    s = 0
    n = len(part)
    for i in range(n):
        a = part[n - 1 - i] if from_end else part[i]
        b = (shape[len(shape) - 1 - i] if from_end else shape[i]) if i < len(shape) else None
        s += 1 if a == b else -1
    return s


def footer_opening(text: str) -> bool:
    """The line opens as a comment footer does (``TRAILING_HEADER_OPENINGS``: "Posted by: Name |
    date" under the text)."""
    return normalise(text).lower().startswith(TRAILING_HEADER_OPENINGS)


def trailing_headers(texts: Sequence[str], kinds: Sequence[str]) -> bool:
    """Most of the section's name lines (two or more) open as a comment footer does."""
    names = [t for t, k in zip(texts, kinds) if k == NAME]
    return len(names) >= 2 and sum(map(footer_opening, names)) * 2 > len(names)


# where a section's records close, read from its gaps between two texts that print both
# header and action lines: the side (headers first, or actions first) at least this many gaps
# more show
CLOSE_MIN_VOTES = 1


# the line labels a gap's part is read from: a header line, a chrome (action) line
_GAP_PART = {COMMENT_HEAD: "H", COMMENT_CHROME: "C"}


def gap_parts(labels: Sequence[str]) -> list[list[str]]:
    """Per gap between two runs of comment text in ``labels``, its header (``H``) and chrome
    (``C``) lines in page order: ``record_close``'s input."""
    parts: list[list[str]] = []
    cur: list[str] | None = None
    for lab in labels:
        if lab == COMMENT_TEXT:
            if cur:
                parts.append(cur)
            cur = []
        elif cur is not None and lab in _GAP_PART:
            cur.append(_GAP_PART[lab])
    return parts


def record_close(gap_parts: Sequence[Sequence[str]]) -> int:
    """Where the section's records close: ``gap_parts`` holds, per gap between two comments'
    texts, its header (``H``) and chrome (``C``) lines in page order. A widget's actions
    ("Reply", "Like · Reply") close a record, so a gap that prints its headers, then its actions
    (``H…C…``) shows headers trailing their text, one that prints its actions, then its headers
    (``C…H…``), headers leading theirs; other gaps show neither. 1: the records close on their
    headers (text, header, actions); -1: on their text (header, text, actions); 0: unknown."""
    votes = 0
    for part in gap_parts:
        s = "".join(part)
        if "H" not in s or "C" not in s:
            continue
        if "H" not in s[s.index("C"):]:
            votes += 1    # H…C…
        elif "C" not in s[s.index("H"):]:
            votes -= 1    # C…H…
    if abs(votes) < CLOSE_MIN_VOTES or abs(votes) * 2 <= sum(len(p) > 1 for p in gap_parts):
        return 0
    return 1 if votes > 0 else -1


def gap_heads(head_idx: Sequence[int], blocks: Sequence[Sequence[int]], n: int) -> list[list[int]]:
    """The header lines (``head_idx``, increasing) of each gap of a page of ``n`` lines between
    the comments' texts (``blocks``, in page order): before the first text, between two, after
    the last; a gap's lines come after the text before it and before the text after it."""
    bounds = [-1] + [b[0] for b in blocks] + [n]
    return [list(head_idx[bisect_right(head_idx, blocks[j - 1][-1] if j else -1):bisect_left(head_idx, bounds[j + 1])])
            for j in range(len(blocks) + 1)]


def cut_gaps(gaps: Sequence[Sequence[str]], trailing: bool = False, close: int = 0) -> list[int]:
    """For each gap of header kinds (before the first comment, between comments, after the
    last), how many of its lines trail the comment before it (the rest lead the next one);
    ``trailing``: the section's headers are known to trail their texts (``trailing_headers``);
    ``close``: where the section's records close (``record_close``), which decides when both of
    its ends show a header of one kind, or when its middle gaps show the headers leading."""
    if not gaps:
        return []
    if trailing:
        return [0] + [len(g) for g in gaps[1:]]
    lead, trail = list(gaps[0]), list(gaps[-1])
    cuts = [0] * len(gaps)
    if close < 0:
        trail = []  # the lines after the last text lead a comment whose text was not found
    elif lead and trail and lead[0] == trail[0]:
        if close > 0:   # the lines before the first text trail a comment whose text was not found
            lead = []
            cuts[0] = len(gaps[0])
        else:
            trail = []  # the lines after the last text lead a comment whose text was not found
    cuts[-1] = len(gaps[-1])
    for j in range(1, len(gaps) - 1):
        g = gaps[j]
        if not trail:
            continue
        if not lead:
            cuts[j] = len(g)
            continue
        best = None
        for k in range(len(g) + 1):
            head = g[k:]
            exact = list(head) == lead[len(lead) - len(head):] if head else False
            key = (_score(head, lead, True) + _score(g[:k], trail, False), exact, -k)
            if best is None or key > best:
                best = key
        cuts[j] = -best[2]
    return cuts
