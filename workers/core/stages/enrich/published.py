"""The article's publication date: only a date the page states for the article (html_meta,
a dateline or byline, a "Posted on" line near the top), never a comment's or a related item's.
"""
from __future__ import annotations

import re
from datetime import date
from itertools import islice
from operator import attrgetter

from topics.records import Removed, SegmentedDocument
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.heuristics.bylines import BYLINE_DATE_KINDS
from workers.core.heuristics.dates import CUED_DATE_LINE_MAX_CHARS
from workers.core.stages import dates as D
from workers.core.stages.printed_times import machine_time
from workers.core.stages.enrich import from_html

_LINE_NO = attrgetter("n")  # a removed line's number (the sort key, without a Python frame)


# removed lines whose date IS the article's date
DATE_REASONS: frozenset[str] = frozenset({"dateline", "byline"})
# removed lines whose dates are never the article's date
DECOY_DATE_REASONS: frozenset[str] = frozenset({
    "comment-chrome", "comment-form", "comment-header", "comment-meta", "comment-action", "comment-removed",
    "comment-author", "placeholder-author", "related", "navigation", "donation", "copyright", "footer", "tags",
    "advertisement", "share", "newsletter", "cookie", "call-to-action", "error-page", "site-header",
    "html-dom", "site-template",
})
# A bare date line counts as the article's date only in the top part of the page.
DATE_LINE_MAX_POSITION = 0.4
# A line is "a date line" when the date (+ weekday, time) makes up this much of it.
DATE_LINE_MIN_SPAN = 0.6
# Body lines looked at for a date header / "Posted on" line when the strip stage kept it
# (title, kicker, author, date, reading time; WCXB dev 3 -> 5: half A +2 pages, half B +0)
BODY_DATE_LINES = 5
MAX_DATE_LINE_CHARS = 120
# Lines before or after the article's first kept line (its title; after it, only up to the next
# kept line) where a date line removed as page chrome (html-dom: the article's hero <header>)
# still counts as the article's date
HEAD_ZONE_LINES = 8


def _fetched_date(fetched_at: str | None) -> date | None:
    if not fetched_at:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", fetched_at)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _month_first(doc: SegmentedDocument, domain: str | None) -> bool | None:
    """Locale cue for ambiguous numeric dates (03/04/2024): True for US English."""
    lang = str((doc.html_meta or {}).get("lang") or "").lower().replace("_", "-")
    if lang.startswith("en-us"):
        return True
    if lang and not lang.startswith("en"):
        return False
    if lang.startswith("en-"):
        return False
    if domain and domain.rsplit(".", 1)[-1] in ("us", "com", "net", "org", "edu", "gov") and \
            lang in ("", "en"):
        return True
    return None


def _first_date(text: str, month_first: bool | None, limit: date | None) -> date | None:
    for _pos, d, _kind in D.find_dates(D.publication_part(text), month_first):
        if limit is None or d <= limit:
            return d
    return None


_DATELINE = re.compile(r"^\s*[A-ZÀ-Ý][\w.'’ /-]{0,40}?,?\s+$")


def published(doc: SegmentedDocument, domain: str | None) -> tuple[str | None, str | None]:
    """(date, source) of the article: the head's date (html_meta), else a date the page
    prints as the article's (steps 2-6 of docs/html-and-metadata.md), else, on an article or
    a forum thread, the date the page prints as its last update ("Last updated on 17 December
    2025", ``UPDATED_CUES``) with source ``updated``. Source None: ``from_html.date_source``
    names it."""
    limit = _fetched_date(doc.fetched_at)
    mf = _month_first(doc, domain)
    meta = doc.html_meta or {}
    head = meta.get("published_at")
    if isinstance(head, str) and head.strip():
        d = _first_date(head, mf, limit)
        if d is not None:
            return d.isoformat(), None
    shown = _line_date(doc, mf, limit) or _byline_date(doc, limit) or _cued_body_date(doc, meta, mf, limit)
    if shown is not None:
        return shown.isoformat(), None
    if from_html.kind(doc, meta) in UPDATED_DATE_KINDS:
        updated = _updated_line_date(doc, mf, limit)
        if updated is not None:
            return updated.isoformat(), UPDATED_SOURCE
    return None, None


# The record's published_at_source for a date the page gives as its last update
UPDATED_SOURCE = "updated"
# Page kinds whose last-update date stands in for a missing publication date (WCXB dev: the
# gold takes the "Updated" date when it is the only date an article states: date exact half A
# 0.822 -> 0.840, half B 0.805 -> 0.827; taken on every kind: no more right dates, and false
# dates on half B 0.176 -> 0.188)
UPDATED_DATE_KINDS: frozenset[str] = BYLINE_DATE_KINDS


def _updated_line_date(doc: SegmentedDocument, mf: bool | None, limit: date | None) -> date | None:
    """The first date a line of the page prints after an "Updated" cue ("Last updated on
    17 December 2025"), outside comments and decoy lines."""
    removed = sorted(doc.removed, key=_LINE_NO)
    first_comment = min((r.n for r in removed if r.reason in COMMENT_REASONS), default=None)
    texts = [r.text for r in removed if r.reason not in DECOY_DATE_REASONS
             and (first_comment is None or r.n < first_comment)] + list(doc.body_paragraphs)
    for text in texts:
        if len(text) <= MAX_DATE_LINE_CHARS and D.has_digit(text):  # no digit: ``updated_date`` None
            d = D.updated_date(text, mf)
            if d is not None and (limit is None or d <= limit):
                return d
    return None


def _iso_date_line(text: str) -> bool:
    """The line is one machine-readable date or datetime ("2022-11-23T08:10+02:00"): a date
    header printed from the markup, never prose (its clock time and offset defeat the span test)."""
    t = text.strip()
    return len(t.split()) == 1 and machine_time(t) is not None


def _line_date(doc: SegmentedDocument, mf: bool | None, limit: date | None) -> date | None:
    """The publication date a line of the page prints (steps 2-5 of the docs' list)."""
    removed = sorted(doc.removed, key=_LINE_NO)
    if not removed and len(doc.body_paragraphs) > BODY_DATE_LINES:
        # no line labels at all (a pass-through strip): every line is in the body, so
        # read the body as the page, in order, with the same position rules
        removed = [Removed(n=i, text=p, reason="unlabelled") for i, p in enumerate(doc.body_paragraphs)]
    first_comment = min((r.n for r in removed if r.reason in COMMENT_REASONS), default=None)
    line_count = max(doc.line_count if doc.removed else 0, (removed[-1].n + 1) if removed else 0, 1)

    def before_comments(n: int) -> bool:
        return first_comment is None or n < first_comment

    # 1. lines the strip stage labelled as the article's dateline / byline
    for r in removed:
        if r.reason in DATE_REASONS and before_comments(r.n) and len(r.text) <= 300:
            d = _first_date(r.text, mf, limit)
            if d is not None:
                return d
    # 2. other removed lines that are publication-date lines ("Posted on ...", a date header)
    cue_hit = plain_hit = None
    for r in removed:
        if r.reason in DECOY_DATE_REASONS or not before_comments(r.n) or len(r.text) > MAX_DATE_LINE_CHARS:
            continue
        if not D.has_digit(r.text):
            continue  # no date in the line (``_first_date`` below would answer None)
        part = D.publication_part(r.text)
        if not part.strip():
            continue
        d = _first_date(part, mf, limit)
        if d is None:
            continue
        if D.has_published_cue(part):
            cue_hit = cue_hit or d
        elif r.n <= DATE_LINE_MAX_POSITION * line_count and (D.date_span_ratio(part, mf) >= DATE_LINE_MIN_SPAN
                                                              or D.byline_shaped(part, mf)):
            plain_hit = plain_hit or d
    if cue_hit or plain_hit:
        return cue_hit or plain_hit
    d = _head_zone_date(doc, removed, mf, limit)
    if d is not None:
        return d
    # 3. a date header / "Posted on" line the strip stage kept at the top of the body
    for p in doc.body_paragraphs[:BODY_DATE_LINES]:
        if len(p) <= MAX_DATE_LINE_CHARS and D.has_digit(p):  # no digit: ``_first_date`` below None
            part = D.publication_part(p)
            if part.strip() and (D.has_published_cue(part) and len(part) <= 80
                                 or D.date_span_ratio(part, mf) >= 0.8 or D.byline_shaped(part, mf)
                                 or _iso_date_line(part)):
                d = _first_date(part, mf, limit)
                if d is not None:
                    return d
    # 4. a news dateline opening the first paragraph: "RIVERBEND, April 18, 2024 — ..."
    if doc.body_paragraphs:
        head = doc.body_paragraphs[0][:120]
        for pos, d, _kind in D.find_dates(head, mf):
            if pos > 60:
                break
            if not (_DATELINE.match(head[:pos]) or pos == 0):
                continue
            rest = head[pos:]
            m = re.match(r"[^—–:-]{0,25}?\s*(?:—|–|--|-|:)\s", rest)
            if m and (limit is None or d <= limit):
                return d
            break
    return None


def _cued_body_date(doc: SegmentedDocument, meta: dict, mf: bool | None, limit: date | None) -> date | None:
    """On an article or a forum thread, a short line anywhere in the body whose date follows a
    date cue ("Posted on the 15/12/2025 at 19:00 by …" under the article, "Essay - Published:
    2025.12.17 | …"; a listing prints one per entry)."""
    if from_html.kind(doc, meta) not in BYLINE_DATE_KINDS:
        return None
    for p in doc.body_paragraphs:
        if len(p) <= CUED_DATE_LINE_MAX_CHARS and D.has_digit(p):  # no digit: ``cued_date`` None
            d = D.cued_date(D.publication_part(p), mf)
            if d is not None and (limit is None or d <= limit):
                return d
    return None


def _head_zone_date(doc: SegmentedDocument, removed: list[Removed], mf: bool | None,
                    limit: date | None) -> date | None:
    """A bare date line or a byline-shaped date line the DOM rules removed as page chrome
    (``html-dom``: a hero ``<header>``) in the article's head: near its first kept line (the
    title) and before the next kept line (the text)."""
    gone = {r.n for r in removed}
    kept = list(islice((n for n in range(doc.line_count or 0) if n not in gone), 2))  # the first two
    if not kept:
        return None
    first = kept[0]
    end = min(kept[1] if len(kept) > 1 else first + HEAD_ZONE_LINES + 1, first + HEAD_ZONE_LINES + 1)
    for r in removed:
        if r.reason != "html-dom" or not first - HEAD_ZONE_LINES <= r.n < end or len(r.text) > MAX_DATE_LINE_CHARS \
                or not D.has_digit(r.text):  # no digit: ``_first_date`` below None
            continue
        part = D.publication_part(r.text)
        if part.strip() and (D.date_span_ratio(part, mf) >= DATE_LINE_MIN_SPAN or D.byline_shaped(part, mf)):
            d = _first_date(part, mf, limit)
            if d is not None:
                return d
    return None


def _byline_date(doc: SegmentedDocument, limit: date | None) -> date | None:
    meta = doc.html_meta or {}
    shown = meta.get("published_at_byline")
    if not isinstance(shown, str) or from_html.kind(doc, meta) not in BYLINE_DATE_KINDS:
        return None
    return _first_date(shown, None, limit)
