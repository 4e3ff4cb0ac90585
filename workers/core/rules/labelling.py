"""The structure pass: a reason (or a role) for every line, from features, regions, body and title.
"""
from __future__ import annotations

from topics.records import Line
from workers.core.heuristics import thresholds as T
from workers.core.stages.authors import is_name_like
from workers.core.rules.body import body_span, newsletter_blurbs, tail_block_end
from workers.core.rules.comments import label_comment_region, slot_blanks
from workers.core.rules.features import LineFeatures, line_features
from workers.core.rules.regions import find_comment_regions, repeated_header_region
from workers.core.rules.title import find_title
from workers.core.stages.templates import template_view
from workers.core.stages.text import normalise


def label(lines: list[Line], profile: dict | None = None, url: str | None = None,
          doc_id: str | None = None, feats: list[LineFeatures] | None = None
          ) -> tuple[list[str | None], list[str | None]]:
    """The structure pass: (reason per line, role per line) for non-blank ``lines``
    (``feats``: the per-line features when the caller computed them already)."""
    n = len(lines)
    if feats is None:
        feats = line_features(lines, profile, template_view(profile, doc_id, lines))
    reasons: list[str | None] = [ln.reason for ln in lines]   # DOM reasons are respected
    roles: list[str | None] = [None] * n
    if n == 0:
        return reasons, roles
    prelim = _preliminary(feats, reasons)
    if _error_page(feats, reasons):
        return reasons, roles
    first_good = next((k for k, f in enumerate(feats) if f.good and reasons[k] is None), 0)
    regions = _comment_regions(lines, feats, first_good)
    c_start = regions[0][0] if regions else n
    span, title_k = _body_and_title(lines, feats, prelim, reasons, c_start, url)
    in_region = [False] * n
    for a, b in regions:
        for k in range(a, min(b, n)):
            in_region[k] = True
    _label_outside_comments(lines, feats, prelim, reasons, roles, in_region, span, title_k, c_start)
    newsletter_blurbs(lines, feats, prelim, reasons, roles, in_region)
    slot = slot_blanks(lines)
    for a, b in regions:
        label_comment_region(lines, feats, a, min(b, n), reasons, roles, slot)
    _duplicate_titles(lines, title_k, reasons, roles)
    for k in range(n):
        if reasons[k] is not None:
            roles[k] = None
        elif roles[k] is None:
            roles[k] = "body"
    return reasons, roles


def _preliminary(feats: list[LineFeatures], reasons: list[str | None]) -> list[str | None]:
    """Strong signatures, datelines and templates first (reasons may be refined by region later)."""
    n = len(feats)
    prelim: list[str | None] = [None] * n
    for k, f in enumerate(feats):
        if reasons[k] is not None:
            continue
        if f.dateline and not f.good:
            prelim[k] = "dateline"
        elif f.sig is not None and not f.sig.weak:
            prelim[k] = f.sig.reason
        elif f.template:
            prelim[k] = "site-template"
    # a month banner next to donation amounts belongs to the donation widget (not a date)
    for k, f in enumerate(feats):
        if f.sig is not None and f.sig.name == "archive-month" and prelim[k] is None:
            near = [j for j in (k - 2, k - 1, k + 1, k + 2) if 0 <= j < n]
            if any(prelim[j] == "donation" for j in near):
                prelim[k] = "donation"
    return prelim


def _error_page(feats: list[LineFeatures], reasons: list[str | None]) -> bool:
    """An error page (an error signature and almost no prose): every line labelled, True."""
    for f in feats:   # (a loop: no generator step per line)
        if f.sig is not None and f.sig.reason == "error-page":
            break
    else:
        return False
    prose = sum(f.words for f in feats if f.good and (f.sig is None))
    if prose >= T.ERROR_PAGE_MAX_PROSE_WORDS:
        return False
    for k, f in enumerate(feats):
        if reasons[k] is None:
            reasons[k] = f.sig.reason if f.sig is not None and not f.sig.weak else "error-page"
    return True


def _comment_regions(lines: list[Line], feats: list[LineFeatures], first_good: int) -> list[tuple[int, int]]:
    """Comment regions: text markers or repeated headers, else the DOM's comment hints."""
    n = len(lines)
    regions = find_comment_regions(lines, feats, first_good)
    rep = repeated_header_region(lines, feats, first_good, regions[0][0] if regions else n)
    if rep is not None:
        regions = [rep] + [r for r in regions if r[0] >= rep[1]]
    if not regions:
        hinted = [k for k, ln in enumerate(lines) if ln.hint == "comments"]
        if hinted:
            regions = [(hinted[0], hinted[-1] + 1)]
    return regions


def _body_and_title(lines: list[Line], feats: list[LineFeatures], prelim: list[str | None],
                    reasons: list[str | None], c_start: int, url: str | None
                    ) -> tuple[tuple[int, int] | None, int | None]:
    """The body span [lo, hi) before the comments and the title line above it."""
    span = body_span(feats, 0, c_start, lines)
    if span is None:
        # no prose at all: a very short page; keep its unlabelled lines after a title
        cand = [k for k in range(c_start) if reasons[k] is None and prelim[k] is None and feats[k].words >= 3]
        span = (cand[0], cand[-1] + 1) if cand else None
    title_k = None
    if span is not None:
        # the title is looked for above the first prose line of the body (the span may open
        # with the headline itself or a standfirst)
        fg = next((k for k in range(span[0], span[1]) if feats[k].good), span[0])
        title_k = find_title(lines, feats, fg, 0, url)
        if title_k is not None and title_k >= span[0]:
            span = (title_k + 1, span[1]) if title_k + 1 < span[1] else None
    if span is not None:
        span = (span[0], tail_block_end(lines, feats, prelim, reasons, span[1], c_start))
    return span, title_k


def _label_outside_comments(lines: list[Line], feats: list[LineFeatures], prelim: list[str | None],
                            reasons: list[str | None], roles: list[str | None], in_region: list[bool],
                            span: tuple[int, int] | None, title_k: int | None, c_start: int) -> None:
    """Labels outside the comment regions: title, body, and the region reasons around them."""
    n = len(lines)
    body_lo, body_hi = span if span is not None else (n, n)
    last_heading: str | None = None
    header_seen = 0
    for k in range(n):
        if reasons[k] is not None or in_region[k]:
            continue
        f = feats[k]
        if k == title_k:
            roles[k] = "title"
            continue
        if prelim[k] is not None:
            reasons[k] = _placed_prelim(prelim[k], k, body_lo, title_k, c_start)
            if f.sig is not None and f.sig.role == "heading":
                last_heading = reasons[k]
            continue
        if body_lo <= k < body_hi:
            roles[k] = "body"
            continue
        # outside the body: weak signatures apply, else the region decides
        if f.sig is not None:
            reasons[k] = f.sig.reason
            if f.sig.role == "heading":
                last_heading = f.sig.reason
            continue
        if f.dateline:
            reasons[k] = "dateline" if k < body_lo else "related"
            continue
        if k < body_lo:
            if title_k is None or k < title_k:
                reasons[k] = _header_reason(f, k, header_seen, reasons)
                header_seen += 1
            else:
                # between the title and the body: a standfirst, else a byline or a label
                if f.words >= 8:
                    roles[k] = "body"
                elif is_name_like(lines[k].text, strict=True):
                    reasons[k] = "byline"
                else:
                    reasons[k] = "navigation"
            continue
        # after the body
        if last_heading is not None and f.words <= 20:
            reasons[k] = last_heading
        elif f.words >= 4:
            reasons[k] = "related"
        else:
            reasons[k] = "navigation" if k < c_start else "footer"


def _placed_prelim(r: str, k: int, body_lo: int, title_k: int | None, c_start: int) -> str:
    """A preliminary reason, refined by where the line sits: a dateline far from the title
    is a related item's (or, under the comments, a comment's)."""
    if r == "dateline" and not (title_k is not None and k < body_lo + 3 or k < body_lo):
        r = "related" if k < c_start else "comment-meta"
    if r == "dateline" and k > (title_k if title_k is not None else body_lo) + 6 and k > body_lo + 2:
        r = "related"
    return r


def _header_reason(f: LineFeatures, k: int, header_seen: int, reasons: list[str | None]) -> str:
    """A line above the title: the site header (its first short line or two), else navigation."""
    if header_seen == 0 and f.words <= 8:
        return "site-header"
    if header_seen == 1 and f.words >= 4 and reasons[k - 1] == "site-header" if k > 0 else False:
        return "site-header"
    return "navigation"


def _duplicate_titles(lines: list[Line], title_k: int | None, reasons: list[str | None],
                      roles: list[str | None]) -> None:
    """Duplicates of the title are chrome; the first kept occurrence stays the title."""
    if title_k is None:
        return
    tnorm = normalise(lines[title_k].text).lower()
    # The same answer, cheaper: lower() makes a text at most twice as long (U+0130 -> "i" + a
    # combining dot) and never shorter, normalise() never longer, so a line under half the
    # title's length or normalised longer than the title is no copy; nor is one whose first
    # character (kept by normalise() unless a space) lower-cases to something else than the
    # title's start (one character lower-cases alone the same as at a text's start).
    least = (len(tnorm) + 1) // 2
    most = len(tnorm)
    for k, ln in enumerate(lines):
        text = ln.text
        if reasons[k] is None and k != title_k and len(text) >= least:
            first = text[:1]
            if not first.isspace() and not tnorm.startswith(first.lower()):
                continue
            t = normalise(text)
            if len(t) <= most and t.lower() == tnorm:
                reasons[k] = "duplicate-title"
                roles[k] = None
