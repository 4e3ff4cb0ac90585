"""Comment sections: a start marker confirmed by comment chrome nearby, up to the first end
marker after the last per-comment evidence; or a chain of repeated comment headers.
"""
from __future__ import annotations

from topics.records import Line
from workers.core.heuristics import thresholds as T
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.rules.features import LineFeatures
from workers.core.stages.text import normalise


# widget chrome that only a comment widget prints: trusted even over a long first comment
_WIDGET_STARTS = frozenset({"wpdiscuz-notify", "wpdiscuz-sort", "wpdiscuz-feedback"})
_START_NEEDS_EVIDENCE = frozenset({"comment-count-header", "comment-count-loose", "wpdiscuz-feedback"})
_EVIDENCE_CSIGS = frozenset({"comment-reply-link", "comment-timestamp", "comment-relative-time", "comment-reply-to",
                             "comment-number"})


def is_comment_evidence(f: LineFeatures) -> bool:
    """Per-comment evidence: an author line with a time or a widget verb ("says:"), a reply
    link, a comment timestamp, a threading marker, or strong comment-widget chrome."""
    if f.author is not None and (f.author[1] is not None or not f.author[2].startswith("by")):
        return True
    if f.trailing is not None:
        return True
    if f.csig is not None and f.csig.name in _EVIDENCE_CSIGS:
        return True
    return f.sig is not None and f.sig.reason in COMMENT_REASONS and not f.sig.weak


def find_comment_regions(lines: list[Line], feats: list[LineFeatures], first_good: int) -> list[tuple[int, int]]:
    """[(start, end)) index ranges of comment sections."""
    regions: list[tuple[int, int]] = []
    n = len(lines)
    prose_upto = [0] * (n + 1)   # prefix sums of prose words: bounded work per candidate
    for k, f in enumerate(feats):
        prose_upto[k + 1] = prose_upto[k] + (f.words if f.good else 0)
    i = max(first_good, 0)
    while i < n:
        f = feats[i]   # (_section_starts' first test, inline: most lines are neither)
        if (f.sig is None or f.sig.role != "start") and (f.author is None or f.author[1] is None):
            i += 1
            continue
        if not _section_starts(feats, i, first_good, prose_upto):
            i += 1
            continue
        end = _section_end(feats, i)
        regions.append((i, end))
        i = end + 1
    return regions


def _strong_marker(f: LineFeatures, roles: tuple[str, ...]) -> bool:
    return f.sig is not None and f.sig.role in roles and not f.sig.weak


def _section_starts(feats: list[LineFeatures], i: int, first_good: int, prose_upto: list[int]) -> bool:
    """Line ``i`` opens a comment section: a start marker (a weak one or a count confirmed
    by comment chrome right after it) or two widget author lines with a time, under enough
    article prose, and not above a bigger article than the one above it."""
    n = len(feats)
    f = feats[i]
    if f.sig is not None and f.sig.role == "start":
        # a weak start (a bare "Comments" heading) or a count needs more comment chrome right after it
        ev = 0
        for j in range(i + 1, min(n, i + 16)):
            if is_comment_evidence(feats[j]) or _strong_marker(feats[j], ("start", "end")):
                ev += 1
        start_ok = ev >= 1 if (f.sig.weak or f.sig.name in _START_NEEDS_EVIDENCE) else True
    elif f.author is not None and f.author[1] is not None:
        # widget author lines with a time, twice within a few lines: a comment list without header
        more = sum(1 for j in range(i + 1, min(n, i + 40)) if feats[j].author is not None)
        start_ok = more >= 1
    else:
        return False
    if not start_ok:
        return False
    # the article comes first: a comment section needs some prose above it, and the
    # first stretch under the marker must not be a bigger article than the one above
    prose = prose_upto[i] - prose_upto[max(first_good, 0)]
    if prose < T.REPEATED_HEADERS_MIN_BODY_WORDS:
        return False
    if f.sig is not None and f.sig.name in _WIDGET_STARTS:
        return True
    run = 0
    limit = max(T.ARTICLE_UNDER_MARKER_WORDS, prose)
    for j in range(i + 1, min(n, i + 1 + T.MAX_SCAN_LINES)):
        if run > limit:
            break  # bounded work: the verdict is already known
        fj = feats[j]
        if is_comment_evidence(fj) or _strong_marker(fj, ("start", "end", "boundary")):
            if run:
                break
            continue
        if fj.good:
            run += fj.words
    return run <= limit


def _section_end(feats: list[LineFeatures], i: int) -> int:
    """The section opened at ``i`` runs to the first end marker after the last per-comment evidence."""
    n = len(feats)
    last_ev = i
    j = i + 1
    end = n
    while j < n:
        fj = feats[j]
        if fj.author is not None or fj.trailing is not None or fj.csig is not None or (
                fj.sig is not None and fj.sig.reason in ("comment-removed",)):
            last_ev = j
        elif _strong_marker(fj, ("start",)):
            last_ev = max(last_ev, j)
        if _strong_marker(fj, ("end",)) and j > last_ev:
            # the end is real unless more per-comment evidence follows closely (a form before the list)
            ahead = [k for k in range(j + 1, min(n, j + 12)) if is_comment_evidence(feats[k])
                     and not (feats[k].sig is not None and feats[k].sig.role == "end")]
            if not ahead:
                end = j
                break
        if fj.good and fj.sig is None and j > last_ev + 25:
            end = last_ev + 1
            break
        j += 1
    return end


def _header_like(f: LineFeatures) -> bool:
    """A per-comment header: a widget author line, or a short line with a date/time or a byline shape."""
    if f.good or f.words > 16:
        return False
    if f.author is not None:
        return True
    if f.sig is not None and f.sig.reason == "byline":
        return True
    return f.dateline


def repeated_header_region(lines: list[Line], feats: list[LineFeatures], first_good: int, before: int
                            ) -> tuple[int, int] | None:
    """Comment lists without a recognised header: >= 3 header-like lines after the article's
    first prose, each followed closely by text, before any region found by markers."""
    n = len(lines)
    heads = []
    for k in range(first_good + 1, min(before, n)):
        if not _header_like(feats[k]):
            continue
        follow = [j for j in range(k + 1, min(n, k + 4)) if feats[j].words >= 5 and not _header_like(feats[j])
                  and (feats[j].sig is None or feats[j].sig.weak)]
        if follow:
            heads.append(k)
    # the longest chain of headers that follow each other closely (comments are short units)
    best: list[int] = []
    cur: list[int] = []
    for k in heads:
        if cur and k - cur[-1] > T.REPEATED_HEADERS_MAX_GAP:
            cur = []
        cur.append(k)
        if len(cur) > len(best):
            best = list(cur)
    # extend the chain over earlier/later headers with looser gaps (long comments in between)
    if best:
        pos0 = heads.index(best[0])
        while pos0 > 0 and best[0] - heads[pos0 - 1] <= T.REPEATED_HEADERS_MAX_GAP * 3:
            pos0 -= 1
            best.insert(0, heads[pos0])
        pos1 = heads.index(best[-1])
        while pos1 + 1 < len(heads) and heads[pos1 + 1] - best[-1] <= T.REPEATED_HEADERS_MAX_GAP * 3:
            pos1 += 1
            best.append(heads[pos1])
    heads = best
    # distinct headers (a page printed twice repeats its byline and dateline verbatim)
    if len({normalise(lines[k].text).lower() for k in heads}) < T.REPEATED_HEADERS:
        return None
    # the article must come first: some prose between the first prose line and the first header
    prose = sum(feats[k].words for k in range(first_good, heads[0]) if feats[k].good)
    if prose < T.REPEATED_HEADERS_MIN_BODY_WORDS:
        return None
    start = heads[0]
    for k in range(heads[0] - 1, max(first_good, heads[0] - 10), -1):
        f = feats[k]
        if f.sig is not None and f.sig.role == "start":
            start = k
            break
        if f.good:
            break
    end = n
    for j in range(heads[-1] + 1, n):
        f = feats[j]
        if f.sig is not None and f.sig.role == "end" and not f.sig.weak:
            end = j
            break
    return start, end
