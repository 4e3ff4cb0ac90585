"""The silver comment records of a Dragnet page: its comment-labelled lines (``silver.py``:
headers and authors from the comment section's markup) grouped into comments
[{author, text}]. ``bench/eval_comment_records.py`` scores the record builder against them
(its ``dragnet`` row); the training report does not read them (their split is silver).

Whether the section's headers lead or trail their text is read from its gaps between two
texts, the way the record builder reads a section (``comment_shape.record_close``: a widget's
actions close a record); only when the gaps show neither, from the section's two ends. One
line mislabelled at an end (a blog's name above the article labelled comment text) then no
longer shifts every author by one record.

``dataset.build_dataset`` computes the records again when it loads the cached pages, so the
records never come from an older version of this module (it is not in the cache key).
"""
from __future__ import annotations

from typing import Sequence

from topics.records import Line
from workers.core.labeller.comment_shape import gap_parts, record_close
from workers.core.labeller.labels import COMMENT_HEAD, COMMENT_TEXT


def section_close(labels: Sequence[str]) -> int:
    """Where the section's records close (``record_close``'s answer), read from each gap
    between two texts alone: 1 (on their headers) or -1 (on their text) when most of the
    section's gaps show that side, else 0. Stricter than the record builder's reading (a majority
    of the gaps that print two lines or more): one silver label in one gap (an emoticon
    labelled chrome above a footer) does not decide a section of single-header gaps."""
    parts = gap_parts(labels)
    votes = sum(record_close([p]) for p in parts)
    if abs(votes) * 2 <= len(parts):
        return 0
    return 1 if votes > 0 else -1


def headers_trail(labels: Sequence[str]) -> bool:
    """The section's headers follow their text ("text / by Name on date"), read as the record
    builder reads a section (``comment_shape.cut_gaps``): gaps that print actions, then headers,
    show them leading; gaps that print headers, then actions, show them trailing unless the
    section's ends show them leading (its first comment line a header, its last text: a widget
    may print "Reply" between a header and its text); gaps that show neither leave it to the
    ends (the first comment line text, the last a header)."""
    close = section_close(labels)
    if close < 0:
        return False
    seq = [lab for lab in labels if lab in (COMMENT_HEAD, COMMENT_TEXT)]
    if not seq:
        return False
    first, last = seq[0] == COMMENT_HEAD, seq[-1] == COMMENT_HEAD
    if close > 0:
        return not (first and not last)
    return not first and last


def comment_records(lines: list[Line], labels: list[str], authors: list[str | None]) -> list[dict]:
    """Comments as [{author, text}] from labelled lines. A header starts a comment, or ends
    it when the section's headers follow their text (``headers_trail``)."""
    seq = [(ln.text, lab, a) for ln, lab, a in zip(lines, labels, authors) if lab in (COMMENT_HEAD, COMMENT_TEXT)]
    if not seq:
        return []
    trailing = headers_trail(labels)
    out: list[dict] = []
    cur: dict | None = None
    prev = None
    for text, lab, a in seq:
        new = cur is None or (lab == COMMENT_HEAD and prev == COMMENT_TEXT and not trailing) \
            or (lab == COMMENT_TEXT and prev == COMMENT_HEAD and trailing)
        if new:
            cur = {"author": None, "text": []}
            out.append(cur)
        if lab == COMMENT_HEAD:
            cur["author"] = cur["author"] or a
        else:
            cur["text"].append(text)
        prev = lab
    return [{"author": c["author"], "text": "\n".join(c["text"])} for c in out if c["text"]]


def refresh(pages: list) -> None:
    """Compute the silver records of the pages whose comment split is silver again (pages
    loaded from the training-data cache)."""
    for p in pages:
        gold = p.gold
        if gold and gold.get("comments_silver"):
            gold["comments"] = comment_records(p.lines, p.labels, p.authors)
