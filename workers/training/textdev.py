"""Exact line labels for text pages whose gold lists the lines (text-dev, synthetic pages).

The gold names the title, the body paragraphs and each comment's text and author verbatim,
so labels are exact: the title line, body lines, comment text lines; in the few lines before a
comment's text, the line naming its author and the date/time-shaped lines are its header
(``comment_head``); other lines from the first header to the last comment line are comment
chrome; the rest is boilerplate.
"""
from __future__ import annotations

from collections import Counter

from topics.records import Line
from workers.core.labeller.labels import (
    BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, TITLE,
)
from workers.training import shapes

# How many lines before a comment's text its header may start (name, role, date, reply-to).
HEAD_WINDOW = 6
# Lines just before the first comment taken as its widget's chrome (role label, sort bar, count).
FIRST_CHROME_WINDOW = 3
# Lines naming another commenter as the parent are threading chrome, not a header.
REPLY_MARKERS = ("reply to", "in reply to", "replying to", "@")
# A line naming the author may add this many characters (" says:", a date glued on).
MAX_HEAD_EXTRA_CHARS = 48


def _norm(text: str) -> str:
    return " ".join(text.split())


def _paragraph_lines(text: str) -> list[str]:
    return [_norm(p) for p in text.split("\n") if p.strip()]


def label_exact(lines: list[Line], expected: dict) -> tuple[list[str], list[str | None]]:
    """Labels and per-line authors from an exact gold (the text-dev format)."""
    texts = [_norm(ln.text) for ln in lines]
    labels = [BOILERPLATE] * len(lines)
    authors: list[str | None] = [None] * len(lines)
    title = _norm(expected.get("title") or "")
    if title:
        for i, t in enumerate(texts):
            if t == title:
                labels[i] = TITLE
                break
    want: Counter = Counter(p for para in expected.get("body_paragraphs") or () for p in _paragraph_lines(para))
    for i, t in enumerate(texts):
        if labels[i] == BOILERPLATE and want.get(t, 0) > 0:
            labels[i] = BODY
            want[t] -= 1
    cursor = 0
    spans: list[tuple[int, int, str | None]] = []
    for com in expected.get("comments") or ():
        plines = _paragraph_lines(com.get("text") or "")
        if not plines:
            continue
        start = next((i for i in range(cursor, len(texts)) if texts[i] == plines[0]
                      and labels[i] == BOILERPLATE), None)
        if start is None:
            continue
        j, end = start, start
        for p in plines:
            while j < len(texts) and texts[j] != p:
                j += 1
            if j == len(texts):
                break
            labels[j] = COMMENT_TEXT
            end = j
            j += 1
        spans.append((start, end, com.get("author")))
        cursor = end + 1
    _heads(texts, labels, authors, spans)
    return labels, authors


def _heads(texts: list[str], labels: list[str], authors: list[str | None],
           spans: list[tuple[int, int, str | None]]) -> None:
    if not spans:
        return
    prev_end = -1
    first = spans[0][0]
    for start, end, author in spans:
        lo = max(prev_end + 1, start - HEAD_WINDOW)
        for i in range(lo, start):
            if labels[i] != BOILERPLATE:
                continue
            t = texts[i]
            if author and _norm(author).lower() in t.lower() \
                    and (len(t) <= len(_norm(author)) + MAX_HEAD_EXTRA_CHARS or shapes.is_head_shaped(t)) \
                    and not t.lower().startswith(REPLY_MARKERS):
                labels[i], authors[i] = COMMENT_HEAD, _norm(author)
            elif shapes.is_head_shaped(t):
                labels[i] = COMMENT_HEAD
        if spans[0][0] == start:  # the first comment's role/avatar lines are the widget's too
            last_body = max((i for i in range(start) if labels[i] in (BODY, TITLE)), default=-1)
            first = max(start - FIRST_CHROME_WINDOW, lo, last_body + 1)
        prev_end = end
    for i in range(first, spans[-1][1] + 1):
        if labels[i] == BOILERPLATE:
            labels[i] = COMMENT_CHROME
