"""Comment records the labeller lost, found again by the section's repeating shape (issue #9,
item 3: comment records by their repeating shape).

A comment section is a run of records of one shape. When most of its records print a name line
right above their text ("Name / text"), a short name-like line the labeller called boilerplate,
right after a line of the section and right above lines of sentence length that close on the
section again, is one more record of that shape: its name line is a header, the lines under it
are its text. Nothing here reads a widget's wording: the name reading is the record builder's
(``comment_shape.PageLines``), the rest is line shape (words, sentence end, position).
"""
from __future__ import annotations

from typing import Sequence

from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.labeller import comment_shape as S
from workers.core.labeller.labels import BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, SECTION_LABELS
from workers.core.stages.authors import is_name_like

# the marks that end a sentence (in CJK scripts too)
SENTENCE_END = frozenset(".!?…。！？")

# the section shows the "name line right above its text" shape on at least this many records
# before a lost record is read by it (one record is no repeating shape)
SHAPE_MIN_RECORDS = 2
# a lost record's name line has at most this many words more than the longest name line of
# the section's records (the same shape: "Omar Huss" among "John Whitehot", "Pave Way IV")
NAME_EXTRA_WORDS = 1
# a lost record's text: at most this many lines (a comment's paragraphs; the section-gap
# correction's bound, comments.GAP_MAX_LINES), each of at least TEXT_MIN_WORDS words with a
# lower-case letter (a sentence, not a list of headlines or buttons)
TEXT_MAX_LINES = 3
TEXT_MIN_WORDS = 4


def _shape_names(texts: Sequence[str], labels: Sequence[str], page: S.PageLines) -> list[tuple[bool, int]]:
    """(read by a widget pattern, words) of the section's name header lines right above a
    comment text line."""
    out = []
    for k in range(len(labels) - 1):
        if labels[k] == COMMENT_HEAD and labels[k + 1] == COMMENT_TEXT:
            kind, _bare, named = page.read(texts[k])
            if kind == S.NAME:
                out.append((named, len(texts[k].split())))
    return out


def _text_line(text: str, label: str, explained: bool) -> bool:
    """A boilerplate line that may be a lost record's text: of sentence length, no signature
    explaining it."""
    return (label == BOILERPLATE and not explained and any(c.islower() for c in text)
            and len(text.split()) >= TEXT_MIN_WORDS)


# the labels of lines a section may have lost: the page's boilerplate and per-record chrome
LOST_LABELS = (BOILERPLATE, COMMENT_CHROME)


def chrome_texts(texts: Sequence[str], labels: Sequence[str]) -> dict[str, int]:
    """How often the page prints each (stripped) text among its ``LOST_LABELS`` lines: a text
    printed more than once there is per-record chrome or template, never one record's line."""
    seen: dict[str, int] = {}
    for k, lb in enumerate(labels):
        if lb in LOST_LABELS:
            seen[texts[k].strip()] = seen.get(texts[k].strip(), 0) + 1
    return seen


def lost_records(texts: Sequence[str], labels: list[str], rule_reasons: Sequence[str | None],
                 explained: Sequence[bool], page: S.PageLines) -> list[str]:
    """``labels`` with the records of the section's "name line above text" shape that the
    labeller called boilerplate (name line and text both lost) read as records again: a line
    labelled boilerplate, no signature explaining it, not recurring among the page's
    boilerplate and chrome lines, that reads as a name the way the section's name lines do
    (a widget pattern's name if theirs are, else a bare capitalised name without a sentence
    end, at most ``NAME_EXTRA_WORDS`` words longer than theirs), right after a line of the
    section, with at most ``TEXT_MAX_LINES`` text-like boilerplate lines under it (``_text_line``)
    that are followed by a line of the section (a comment label, or a comment reason of the
    rules: the widget's closing chrome; a comment text line when there are none). Only when
    ``SHAPE_MIN_RECORDS`` records of the section show that shape."""
    shape = _shape_names(texts, labels, page)
    if len(shape) < SHAPE_MIN_RECORDS:
        return labels
    max_words = max(w for _n, w in shape) + NAME_EXTRA_WORDS
    named_shape = sum(n for n, _w in shape) * 2 > len(shape)
    seen = chrome_texts(texts, labels)
    out = list(labels)
    n = len(labels)

    def section(q: int) -> bool:
        return out[q] in SECTION_LABELS or rule_reasons[q] in COMMENT_REASONS

    for k in range(1, n - 1):
        t = texts[k].strip()
        if out[k] != BOILERPLATE or explained[k] or seen[t] > 1 or out[k - 1] not in SECTION_LABELS:
            continue
        if t[-1:] in SENTENCE_END or len(t.split()) > max_words:
            continue
        kind, _bare, named = page.read(t)
        if kind != S.NAME or named != named_shape or not named and not is_name_like(t, strict=True):
            continue
        j = k + 1
        while j < n and j - k <= TEXT_MAX_LINES + 1 and _text_line(texts[j], out[j], explained[j]):
            j += 1
        if j - k - 1 > TEXT_MAX_LINES or j >= n or not section(j) or j == k + 1 and out[j] != COMMENT_TEXT:
            continue
        out[k] = COMMENT_HEAD
        for q in range(k + 1, j):
            out[q] = COMMENT_TEXT
    return out
