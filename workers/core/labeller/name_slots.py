"""A record's name line the labeller called chrome or boilerplate, found again in the slot where
the section's records print theirs (issue #9: comment records by their repeating shape).

Many widgets print a record's header on two lines, a name line right above a printed time
("Mimi Ankaka napisał:" / "17 kwietnia 2017", "Рато Матока" / "23. октября 2017"). The labeller
often calls one record's name line chrome (a user name reads like an action word to it) or, on
the section's first record, boilerplate; the record then gets no author. When at least
``lost_records.SHAPE_MIN_RECORDS`` records of the section print a name header line right above
a time header line, a line labelled chrome or boilerplate right above a time header line that
has no name line above it, reading as a name the way theirs do, is that record's name line.
Nothing here reads a widget's wording: the name and time reading is the record builder's
(``comment_shape.PageLines``), the rest is position and the lines' labels.
"""
from __future__ import annotations

from typing import Sequence

from workers.core.labeller import comment_shape as S
from workers.core.labeller.labels import COMMENT_HEAD
from workers.core.labeller.lost_records import (LOST_LABELS, NAME_EXTRA_WORDS, SENTENCE_END, SHAPE_MIN_RECORDS,
                                                chrome_texts)


def _kind(texts: Sequence[str], k: int, page: S.PageLines) -> str:
    return page.read(texts[k])[0]


def name_slots(texts: Sequence[str], labels: list[str], explained: Sequence[bool], page: S.PageLines) -> list[str]:
    """``labels`` with the name lines of the section's "name line above time line" records that
    the labeller called chrome or boilerplate read as headers again: a line no signature
    explains (``explained``), whose text the page prints only once among its chrome and
    boilerplate lines (per-record chrome recurs), right above a header line that prints a time
    and has no name header above it, that reads as a name the way the section's name lines do
    (a widget pattern's name if most of theirs are, a bare name if most of theirs are; no sentence
    end; at most ``NAME_EXTRA_WORDS`` words longer than theirs). Only when at least
    ``SHAPE_MIN_RECORDS`` records of the section print a name header right above a time header."""
    n = len(labels)
    heads = [k for k in range(1, n) if labels[k] == COMMENT_HEAD]
    if len(heads) < SHAPE_MIN_RECORDS + 1 or not any(
            labels[k - 1] in LOST_LABELS and not explained[k - 1] for k in heads):
        return labels   # (cheap first: most sections have no such line above a header)
    shape = []   # (read by a widget pattern, bare name, words) of the name lines above a time line
    open_slots = []   # time header lines without a name line above them
    for k in heads:
        if _kind(texts, k, page) != S.DATE or not S.time_line(texts[k]):
            continue   # (a name with digits reads as a date kind: "刘海102")
        if labels[k - 1] == COMMENT_HEAD and _kind(texts, k - 1, page) == S.NAME:
            _k, bare, named = page.read(texts[k - 1])
            shape.append((named, bare, len(texts[k - 1].split())))
        elif labels[k - 1] in LOST_LABELS and not explained[k - 1]:
            open_slots.append(k - 1)
    if len(shape) < SHAPE_MIN_RECORDS or not open_slots:
        return labels
    max_words = max(w for _n, _b, w in shape) + NAME_EXTRA_WORDS
    named_shape = sum(n for n, _b, _w in shape) * 2 > len(shape)
    bare_shape = sum(b for _n, b, _w in shape) * 2 > len(shape)
    seen = chrome_texts(texts, labels)
    out = list(labels)
    for k in open_slots:
        t = texts[k].strip()
        if seen[t] > 1 or t[-1:] in SENTENCE_END or len(t.split()) > max_words:
            continue
        kind, bare, named = page.read(t)
        if kind == S.NAME and named == named_shape and bare == bare_shape:
            out[k] = COMMENT_HEAD
    return out
