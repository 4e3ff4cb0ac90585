"""Comment records from the decoded line labels.

A record starts at a comment header line (name and/or date line) once the current record
has text, or at a comment text after chrome (per-comment actions, votes) or after an
empty author slot (an extra blank line) when the page prints no headers. The record's
author is its name-like header line (the widget wording parsed by the strip stage's author
patterns, else a bare name; placeholders give null); its other header lines are
``comment-meta`` (the segment stage reads the printed time and ``Reply to X`` from them).
Output is the strip stage's contract: a reason for removed lines, a role hint for kept ones.
"""
from __future__ import annotations

from typing import Sequence

from workers.core.labeller.labels import COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.stages.authors import bare_name, is_name_like, parse_author_line, placeholder

# rule reasons a comment-chrome line may keep (else the generic "comment-chrome")
_KEEP_REASON = COMMENT_REASONS - {"comment-author"}


def _slot_blanks(blank_before: Sequence[int]) -> int:
    """Blank lines that mark an empty author slot: one more than the page's usual gap."""
    gaps = sorted(blank_before[1:])
    if not gaps:
        return 2
    return max(2, gaps[len(gaps) // 2] + 1)


def _head_kind(text: str, have_author: bool) -> str:
    """'author', 'placeholder' or 'meta' for a comment header line."""
    parsed = parse_author_line(text)
    if parsed is not None:
        if placeholder(parsed[0]):
            return "placeholder"
        return "meta" if have_author else "author"
    if placeholder(text):
        return "placeholder"
    if not have_author and is_name_like(bare_name(text)):
        return "author"
    return "meta"


def comment_roles(texts: Sequence[str], blank_before: Sequence[int], labels: Sequence[str],
                  rule_reasons: Sequence[str | None]) -> tuple[list[str | None], list[str | None]]:
    """(reason, role) for the comment lines of a page (None, None on other lines)."""
    n = len(texts)
    reasons: list[str | None] = [None] * n
    roles: list[str | None] = [None] * n
    heads_on_page = any(lb == COMMENT_HEAD for lb in labels)
    slot = _slot_blanks(blank_before)
    has_text = False        # the current record has text
    have_author = False     # the current record's header gave an author (or a placeholder)
    open_author: int | None = None   # author line waiting for its text
    after_chrome = False
    for k in range(n):
        lb = labels[k]
        if lb == COMMENT_HEAD:
            if has_text:
                has_text, have_author = False, False
            kind = _head_kind(texts[k], have_author)
            if kind == "author":
                if open_author is not None:
                    reasons[open_author], roles[open_author] = "comment-removed", None
                roles[k] = "comment-author"
                open_author, have_author = k, True
            elif kind == "placeholder":
                reasons[k] = "placeholder-author"
                have_author = True
            else:
                reasons[k] = "comment-meta"
            after_chrome = False
            continue
        if lb == COMMENT_CHROME:
            r = rule_reasons[k]
            reasons[k] = r if r in _KEEP_REASON else "comment-chrome"
            after_chrome = True
            continue
        if lb != COMMENT_TEXT:
            continue
        new = (not has_text or blank_before[k] >= slot and open_author is None
               or after_chrome and not heads_on_page)
        roles[k] = "comment-start" if new else "comment"
        if new:
            has_text, have_author = True, False
        open_author = None
        after_chrome = False
    if open_author is not None:
        reasons[open_author], roles[open_author] = "comment-removed", None
    return reasons, roles


def count_records(roles: Sequence[str | None]) -> int:
    return sum(1 for r in roles if r == "comment-start")
