"""Comment records the labeller lost at a section's edges, found again by the section's header
shape (issue #9: the first records read as the article, the last ones as the page's footer).

A comment section's records open on a header that prints a time ("Name | 3 days ago",
"name42 · 2021-07-15", "15. januari 2016"). The labeller often cuts a section one or two records
short: the first records under the article's last paragraph stay body, the last ones above the
footer become boilerplate. Here a run of such lines right at the section's edge, shaped as the
section's records (a header of a kind the section's own timed headers have, optionally under a
name line when the section prints "Name / date" headers, then a few lines of text), is read as
records again. A footer section (its records close on a header under their text: the section
prints no header before its first text, or ``comment_shape.record_close`` reads its gaps so) is
read in its own shape: below its last footer, text lines then a timed footer (then at most two
action lines) are records again, and above its first text found, the text right above the
first footer, under a section title or count line. Nothing reads a widget's wording: the header reading is the record builder's
(``comment_shape.PageLines``, ``authors.split_name_time``, ``comment_shape.time_line``), the rest
is line shape (letter words, sentence end, position, the lines' labels and rule explanations).
Plain text only, like the other section corrections.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from workers.core.labeller import comment_shape as S
from workers.core.labeller.labels import (BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT,
                                          SECTION_LABELS, TITLE)
from workers.core.labeller.lost_records import (LOST_LABELS, SENTENCE_END, SHAPE_MIN_RECORDS, TEXT_MAX_LINES,
                                                TEXT_MIN_WORDS)
from workers.core.stages.authors import split_name_time

# shared with lost_records: a header kind is the section's when at least SHAPE_MIN_RECORDS of
# its header lines are timed headers of that kind (one record is no repeating shape); a found
# record's text is 1 to TEXT_MAX_LINES lines; a text line has at least TEXT_MIN_WORDS words
# holding a letter, or is a shorter line that ends a sentence ("Danke!", "Håller med."); a vote
# or action line ("16 | 3 Like · Reply") is neither

# a header line has at most this many words more than the section's longest timed header
HEAD_EXTRA_WORDS = 1
# found above the section: the line right above the topmost found record is a section title or
# count ("Comments (9)"): at most this many words holding a letter, no sentence end, not text
TITLE_MAX_WORDS = 4
# a header line that prints a time has at most this many words (a name, a separator, a date and
# a clock time: "Nara Kiur — 17. listopadu 2023 v 12:16"); a longer line is not read as one
HEADER_MAX_WORDS = 12
# between two records at the section's end: at most this many action or vote lines
CHROME_MAX_LINES = 2


def _letter_words(text: str, cap: int = 1 << 30) -> int:
    """Words holding a letter, counted up to ``cap``."""
    n = 0
    for w in text.split():
        if any(c.isalpha() for c in w):
            n += 1
            if n >= cap:
                break
    return n


def _text_like(text: str) -> bool:
    """A line that may be a comment's text: a sentence (at least ``TEXT_MIN_WORDS`` words
    holding a letter, a lower-case one among them), or a short line that ends one."""
    t = text.strip()
    if t[-1:] in SENTENCE_END and any(c.isalpha() for c in t):
        return True
    return _letter_words(t, TEXT_MIN_WORDS) >= TEXT_MIN_WORDS and any(c.islower() for c in t)


def _timed(text: str) -> bool:
    """A header that prints a time: a time line, or a name, a separator and a time."""
    return len(text.split()) <= HEADER_MAX_WORDS and (S.time_line(text) or split_name_time(text) is not None)


class _Shape:
    """The section's header shape: the kinds of its timed header lines (each on at least
    ``SHAPE_MIN_RECORDS`` lines), their longest length, and whether its records print a name
    line right above the timed line."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str], page: S.PageLines) -> None:
        self.page = page
        kinds: Counter = Counter()
        self.max_words = 0
        name_above = 0
        for k, lb in enumerate(labels):
            if lb != COMMENT_HEAD or not _timed(texts[k]):
                continue
            kinds[page.read(texts[k])[0]] += 1
            self.max_words = max(self.max_words, len(texts[k].split()))
            name_above += k > 0 and labels[k - 1] == COMMENT_HEAD and not _timed(texts[k - 1])
        self.kinds = {kd for kd, c in kinds.items() if c >= SHAPE_MIN_RECORDS and kd in (S.NAME, S.DATE)}
        self.name_above = name_above >= SHAPE_MIN_RECORDS

    def header(self, text: str) -> bool:
        t = text.strip()
        return (bool(t) and len(t.split()) <= self.max_words + HEAD_EXTRA_WORDS and _timed(t)
                and self.page.read(t)[0] in self.kinds)   # a time may end on a dot: "4 Std."

    def name_line(self, text: str) -> bool:
        t = text.strip()
        return self.name_above and bool(t) and t[-1:] not in SENTENCE_END and self.page.read(t)[0] == S.NAME \
            and not _timed(t) and len(t.split()) <= self.max_words


def _free(k: int, labels: Sequence[str], explained: Sequence[bool], lost_as: str) -> bool:
    return labels[k] == lost_as and not explained[k]


def _lost_lines(out: Sequence[str], explained: Sequence[bool]):
    """Whether line q is one the labeller lost from a section: boilerplate or chrome no rule explains."""
    return lambda q: out[q] in LOST_LABELS and not explained[q]


def _section_headers(texts: Sequence[str], out: Sequence[str], shape: _Shape):
    """Whether line q reads as one of the section's timed headers and is labelled so, or boilerplate."""
    return lambda q: out[q] in SECTION_LABELS + (BOILERPLATE,) and shape.header(texts[q])


def _records_below(texts: Sequence[str], out: list[str], explained: Sequence[bool], shape: _Shape,
                   start: int) -> None:
    """Records after the section's last text line ``start - 1``: header lines labelled
    boilerplate, chrome or header, text lines boilerplate or chrome that no rule explains."""
    n, k = len(texts), start
    lost, head = _lost_lines(out, explained), _section_headers(texts, out, shape)

    while k < n:
        h = k
        while h < n and h - k < CHROME_MAX_LINES and lost(h) and not head(h) and not shape.name_line(texts[h]):
            h += 1   # the previous record's action or vote lines
        if h + 1 < n and out[h] in SECTION_LABELS + (BOILERPLATE,) and shape.name_line(texts[h]) and head(h + 1):
            heads = [h, h + 1]
        elif h < n and head(h):
            heads = [h]
        else:
            return
        t = heads[-1] + 1
        while t < n and t - heads[-1] <= TEXT_MAX_LINES + 1 and lost(t) and _text_like(texts[t]) and not head(t):
            t += 1
        if t == heads[-1] + 1 or t - heads[-1] > TEXT_MAX_LINES + 1:
            return
        for q in range(k, h):
            out[q] = COMMENT_CHROME
        for q in heads:
            out[q] = COMMENT_HEAD
        for q in range(heads[-1] + 1, t):
            out[q] = COMMENT_TEXT
        k = t


def _footers_below(texts: Sequence[str], out: list[str], explained: Sequence[bool], shape: _Shape,
                   start: int) -> None:
    """Records after a footer section's last footer (text, then a header that prints a time,
    then at most ``CHROME_MAX_LINES`` action lines), from line ``start`` on: text lines labelled
    boilerplate or chrome that no rule explains, a header labelled boilerplate, chrome or
    header."""
    n, k = len(texts), start
    lost, head = _lost_lines(out, explained), _section_headers(texts, out, shape)

    while k < n:
        h = k
        while h < n and h - k <= TEXT_MAX_LINES and lost(h) and _text_like(texts[h]) and not head(h):
            h += 1
        if h == k or h - k > TEXT_MAX_LINES or h >= n or not head(h):
            return
        e = h + 1
        while e < n and e - h <= CHROME_MAX_LINES and lost(e) and _action_line(texts[e], shape):
            e += 1
        for q in range(k, h):
            out[q] = COMMENT_TEXT
        out[h] = COMMENT_HEAD
        for q in range(h + 1, e):
            out[q] = COMMENT_CHROME
        k = e


def _record_ending(texts: Sequence[str], out: list[str], explained: Sequence[bool], shape: _Shape,
                   end: int) -> tuple[list[int], list[int]] | None:
    """(header lines, text lines) of a record labelled body whose text ends right above ``end``."""
    for h in range(end - 2, max(-1, end - 2 - TEXT_MAX_LINES), -1):
        if out[h] != BODY or not shape.header(texts[h]):
            continue   # a header line may be explained: a rule reads printed dates
        body = list(range(h + 1, end))
        if not all(_free(q, out, explained, BODY) and _text_like(texts[q]) and not shape.header(texts[q])
                   for q in body):
            return None
        return ([h - 1, h] if h > 0 and out[h - 1] == BODY and shape.name_line(texts[h - 1]) else [h]), body
    return None


def _action_line(text: str, shape: _Shape) -> bool:
    """A record's vote or action line ("♥ 77 Like · Reply"): short, not text, not a header."""
    t = text.strip()
    return _letter_words(t) <= TITLE_MAX_WORDS and not _text_like(t) and not shape.header(t) \
        and not shape.name_line(t)


def _records_above(texts: Sequence[str], out: list[str], explained: Sequence[bool], shape: _Shape,
                   first: int) -> None:
    """Records right above the section's first line ``first``, labelled body (each with up to
    ``CHROME_MAX_LINES`` action lines under it), when a section title or count line sits right
    above them."""
    found: list[tuple[list[int], list[int], range]] = []
    top = first
    while True:
        end = top
        while end > 0 and top - end < CHROME_MAX_LINES and out[end - 1] == BODY and _action_line(texts[end - 1], shape):
            end -= 1
        got = _record_ending(texts, out, explained, shape, end)
        if got is None:
            break
        found.append((*got, range(end, top)))
        top = got[0][0]
    if not found or top == 0:
        return
    above = texts[top - 1].strip()
    if _text_like(above) or _letter_words(above) > TITLE_MAX_WORDS or above[-1:] in SENTENCE_END:
        return
    for heads, body, chrome in found:
        for q in heads:
            out[q] = COMMENT_HEAD
        for q in body:
            out[q] = COMMENT_TEXT
        for q in chrome:
            out[q] = COMMENT_CHROME


def _may_head(texts: Sequence[str], labels: Sequence[str], q: int, label_ok: bool, text_labels: tuple) -> bool:
    """Line ``q`` may be a lost record's timed header: the next line, or the one after it (under a
    "Name / date" pair), is a text-like line of one of ``text_labels`` (checked first: cheap)."""
    return label_ok and any(j < len(texts) and labels[j] in text_labels and _text_like(texts[j])
                            for j in (q + 1, q + 2)) and _timed(texts[q])


def edge_records(texts: Sequence[str], labels: list[str], explained: Sequence[bool], page: S.PageLines) -> list[str]:
    """``labels`` with the records lost at the section's two edges read as records again
    (``_records_above``, ``_records_below``): only when the section's records open on their
    header (a header line comes before its first text line) and its timed headers show a kind
    on ``SHAPE_MIN_RECORDS`` lines. The section's shape is read only when a line where a lost
    record's header could sit prints a time (most pages: none, and no header line is read)."""
    if COMMENT_TEXT not in labels or COMMENT_HEAD not in labels:
        return labels
    n = len(labels)
    first_text = labels.index(COMMENT_TEXT)
    first = min(labels.index(lb) for lb in SECTION_LABELS if lb in labels)
    last_text = n - 1 - labels[::-1].index(COMMENT_TEXT)
    if COMMENT_HEAD not in labels[first:first_text]:
        return _footer_records(texts, labels, explained, page, last_text)
    lost_first = _footer_first_text(texts, labels, explained, first_text)
    if (lost_first or _below_start(texts, labels, last_text) is not None) and \
            _footer_section(labels, first_text, last_text):   # (the positions first: cheap)
        if lost_first:
            labels = [COMMENT_TEXT if q in lost_first else lb for q, lb in enumerate(labels)]
        return _footer_records(texts, labels, explained, page, last_text)
    below = range(last_text + 1, min(n, last_text + CHROME_MAX_LINES + 3))
    above = range(max(0, first - CHROME_MAX_LINES - TEXT_MAX_LINES - 1), first)
    if not any(_may_head(texts, labels, q, labels[q] != BODY, LOST_LABELS) for q in below) and \
            not any(_may_head(texts, labels, q, labels[q] == BODY, (BODY,)) for q in above):
        return labels
    shape = _Shape(texts, labels, page)
    if not shape.kinds:
        return labels
    out = list(labels)
    _records_below(texts, out, explained, shape, last_text + 1)
    _records_above(texts, out, explained, shape, first)
    return out


def _footer_section(labels: Sequence[str], first_text: int, last_text: int) -> bool:
    """The section's records close on their header lines (``comment_shape.record_close`` over
    the gaps between its text runs)."""
    return S.record_close(S.gap_parts(labels[first_text:last_text + 1])) > 0


def _footer_records(texts: Sequence[str], labels: list[str], explained: Sequence[bool], page: S.PageLines,
                    last_text: int) -> list[str]:
    """A footer section's records lost below its last footer (``_footers_below``): after the
    last text, its footer and action lines, when a line there where a lost text could sit reads
    as text and the section's timed footers show a kind."""
    k = _below_start(texts, labels, last_text)
    if k is None:
        return labels
    shape = _Shape(texts, labels, page)
    if not shape.kinds:
        return labels
    out = list(labels)
    _footers_below(texts, out, explained, shape, k)
    return out


def _below_start(texts: Sequence[str], labels: Sequence[str], last_text: int) -> int | None:
    """The line where a footer section's lost records would start: after its last text, its
    footer and action lines, a text-like line labelled boilerplate or chrome; else None."""
    n = len(labels)
    k = last_text + 1
    while k < n and k - last_text <= CHROME_MAX_LINES + 1 and labels[k] in (COMMENT_HEAD, COMMENT_CHROME):
        k += 1
    if k >= n or labels[k] not in LOST_LABELS or not _text_like(texts[k]):
        return None
    return k


def _footer_first_text(texts: Sequence[str], labels: Sequence[str], explained: Sequence[bool],
                       first_text: int) -> range | None:
    """A footer section whose first record's text was lost (labelled body, boilerplate or
    chrome) while its footer was found, above the first text found: 1 to ``TEXT_MAX_LINES``
    text-like lines no rule explains right above that footer (its header lines, then at most
    ``CHROME_MAX_LINES`` action lines, above the first text found), under a
    section title or count line (at most ``TITLE_MAX_WORDS`` words holding a letter, no sentence
    end, not text, not the page's title), are that record's text: their range, else None."""
    a = first_text
    while a > 0 and first_text - a < CHROME_MAX_LINES and labels[a - 1] == COMMENT_CHROME and not _text_like(texts[a - 1]):
        a -= 1   # the footer's action lines
    h = a
    while h > 0 and labels[h - 1] == COMMENT_HEAD:
        h -= 1
    if h == a:
        return None   # no footer above the first text: nothing was lost there
    t = h
    while t > 0 and h - t < TEXT_MAX_LINES and labels[t - 1] in (BODY,) + LOST_LABELS \
            and not explained[t - 1] and _text_like(texts[t - 1]):
        t -= 1
    if t == h or t == 0 or labels[t - 1] == TITLE:
        return None
    above = texts[t - 1].strip()
    if _text_like(above) or _letter_words(above) > TITLE_MAX_WORDS or above[-1:] in SENTENCE_END:
        return None
    return range(t, h)
