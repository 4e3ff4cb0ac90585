"""Inside a comment section: author lines, chrome and comment text, grouped into comments.
"""
from __future__ import annotations

from topics.records import Line
from workers.core.heuristics import thresholds as T
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.stages.authors import bare_name, is_name_like, placeholder
from workers.core.rules.features import LineFeatures
from workers.core.stages.text import ends_sentence, normalise


# weak page signatures that would eat comment text ("OK!", "June 2023", "#hashtags")
_NOT_IN_COMMENTS = frozenset({"cookie-banner", "archive-month", "hashtags", "nav-arrows", "jetpack-related-in"})


def _is_truncated_prefix(text: str, nxt: str | None) -> bool:
    """Drupal auto-subject: the first words of the next line cut with an ellipsis."""
    if not nxt or not text.rstrip().endswith(("…", "...")):  # normalise keeps the last characters
        return False
    t = normalise(text)
    if t.endswith("…"):
        core = t[:-1].rstrip()
    elif t.endswith("..."):
        core = t[:-3].rstrip()
    else:
        return False
    return len(core) >= 8 and normalise(nxt).startswith(core)


def label_comment_region(lines: list[Line], feats: list[LineFeatures], a: int, b: int,
                         reasons: list[str | None], roles: list[str | None], slot_gap: int) -> None:
    """Label the lines of the comment section [a, b): author lines, chrome, comment text
    grouped into comments (``slot_gap``: the blank-line gap of an empty author slot)."""
    idx = list(range(a, b))
    kind = _classify(lines, feats, idx, reasons)
    _bare_authors(lines, feats, idx, reasons, kind)
    authored = _group(lines, feats, idx, reasons, roles, kind, slot_gap)
    _nameless_fragments(lines, feats, idx, reasons, roles, authored)


def _classify(lines: list[Line], feats: list[LineFeatures], idx: list[int], reasons: list[str | None]
              ) -> dict[int, str]:
    """First pass: each line's kind, "chrome" | "author" | "placeholder" | "trailing" |
    "placeholder-after" | "text" (sets the chrome lines' reasons)."""
    kind: dict[int, str] = {}
    for pos, k in enumerate(idx):
        f = feats[k]
        text = lines[k].text
        nxt = lines[idx[pos + 1]].text if pos + 1 < len(idx) else None
        if reasons[k] is not None and reasons[k] != "site-template":
            kind[k] = "chrome"
            continue
        if f.trailing is not None:
            kind[k] = "placeholder-after" if placeholder(f.trailing[0]) else "trailing"
            continue
        if f.author is not None and not (f.sig is not None and not f.sig.weak and f.sig.reason in COMMENT_REASONS
                                         and f.sig.name != "comment-count-header"):
            kind[k] = "placeholder" if placeholder(f.author[0]) else "author"
            continue
        if f.csig is not None:
            reasons[k] = f.csig.reason
            kind[k] = "chrome"
            continue
        if f.sig is not None and f.sig.name not in _NOT_IN_COMMENTS:
            reasons[k] = f.sig.reason
            kind[k] = "chrome"
            continue
        if f.dateline:
            reasons[k] = "comment-meta"
            kind[k] = "chrome"
            continue
        if _is_truncated_prefix(text, nxt):
            reasons[k] = "comment-header"
            kind[k] = "chrome"
            continue
        if f.words <= 3 and placeholder(text):  # the word count first: a list look-up
            kind[k] = "placeholder"
            continue
        kind[k] = "text"
    return kind


def _timestamp_line(feats: list[LineFeatures], reasons: list[str | None], k: int | None) -> bool:
    """A comment timestamp line (already labelled comment-meta)."""
    return k is not None and reasons[k] == "comment-meta" and (
        feats[k].csig is not None and feats[k].csig.name in ("comment-timestamp", "comment-relative-time")
        or feats[k].dateline)


def _role_label(feats: list[LineFeatures], k: int | None) -> bool:
    return k is not None and feats[k].csig is not None and feats[k].csig.name == "comment-role-label"


def _bare_authors(lines: list[Line], feats: list[LineFeatures], idx: list[int], reasons: list[str | None],
                  kind: dict[int, str]) -> None:
    """Second pass: bare author lines (wpDiscuz, seed style) among the "text" lines."""
    for pos, k in enumerate(idx):
        if kind[k] != "text":
            continue
        prev_k = idx[pos - 1] if pos > 0 else None
        next_k = idx[pos + 1] if pos + 1 < len(idx) else None
        prev_role = _role_label(feats, prev_k)
        next_time = _timestamp_line(feats, reasons, next_k)
        # Coral / Isso print the role label after the name: "soilnotes" / "Staff" / "yesterday"
        after_k = idx[pos + 2] if pos + 2 < len(idx) else None
        next_role = after_k is not None and _role_label(feats, next_k) and _timestamp_line(feats, reasons, after_k)
        next_time = next_time or next_role
        next_text = next_k is not None and kind.get(next_k) == "text"
        blank_sep = lines[k].blank_before >= 1 and next_k is not None and lines[next_k].blank_before >= 1
        # the neighbours first (list look-ups): a line with no cue around it stays text
        # whatever it reads, so most comment text is never read as a name (the same answer)
        if not (prev_role or next_time or (next_text and blank_sep)):
            continue
        text = bare_name(lines[k].text)
        if not is_name_like(text):
            continue
        if prev_role or next_time or (is_name_like(text, strict=True) and not ends_sentence(text)):
            kind[k] = "author"


def _group(lines: list[Line], feats: list[LineFeatures], idx: list[int], reasons: list[str | None],
           roles: list[str | None], kind: dict[int, str], slot_gap: int) -> set[int]:
    """Third pass: group the lines into comments and set reasons and roles. Returns the
    comment starts that follow an author (or placeholder) line."""
    has_text = False          # current comment already has text
    open_author: int | None = None
    authored: set[int] = set()
    last_start = -1
    for k in idx:
        kd = kind[k]
        if kd == "author" or kd == "placeholder":
            _close_empty_author(open_author, reasons, roles)
            if kd == "author":
                reasons[k] = None
                roles[k] = "comment-author"
            else:
                reasons[k] = "placeholder-author"
            open_author = k
            has_text = False
            continue
        if kd in ("trailing", "placeholder-after"):
            if has_text and kd == "trailing":
                reasons[k] = None
                roles[k] = "comment-author-after"
                authored.add(last_start)
            else:
                reasons[k] = "placeholder-author" if kd == "placeholder-after" else "comment-meta"
                if has_text:
                    authored.add(last_start)
            has_text = False
            open_author = None
            continue
        if kd == "chrome":
            if reasons[k] is None:
                reasons[k] = "comment-chrome"
            if has_text and _closes_comment(feats[k], reasons[k], open_author):
                has_text = False
                open_author = None
            continue
        # text
        new = not has_text or (lines[k].blank_before >= slot_gap)
        reasons[k] = None
        if new:
            roles[k] = "comment-start"
            last_start = k
            if open_author is not None:
                authored.add(k)
            open_author = None
            has_text = True
        else:
            roles[k] = "comment"
    _close_empty_author(open_author, reasons, roles)
    return authored


def _close_empty_author(open_author: int | None, reasons: list[str | None], roles: list[str | None]) -> None:
    """An author line that got no text: a removed comment."""
    if open_author is not None and roles[open_author] == "comment-author":
        roles[open_author] = None
        reasons[open_author] = "comment-removed"


def _closes_comment(f: LineFeatures, reason: str | None, open_author: int | None) -> bool:
    """A chrome line that ends the comment before it: a boundary marker, or a timestamp
    after the text (Blogger)."""
    boundary = (f.csig is not None and f.csig.role == "boundary") or (
        f.sig is not None and f.sig.role in ("boundary", "start", "end"))
    if boundary or reason in ("comment-meta",) and open_author is None:
        return True
    return boundary is False and reason == "comment-meta"


def _nameless_fragments(lines: list[Line], feats: list[LineFeatures], idx: list[int], reasons: list[str | None],
                        roles: list[str | None], authored: set[int]) -> None:
    """A nameless "comment" that is a short fragment (a widget label, a button) is chrome."""
    for pos, k in enumerate(idx):
        if roles[k] != "comment-start" or reasons[k] is not None:
            continue
        if k in authored:
            continue
        nxt = idx[pos + 1] if pos + 1 < len(idx) else None
        if nxt is not None and roles[nxt] == "comment":
            continue
        if feats[k].words < T.NAMELESS_COMMENT_MIN_WORDS and not ends_sentence(lines[k].text):
            reasons[k] = "comment-chrome"
            roles[k] = None


def slot_blanks(lines: list[Line]) -> int:
    """Blank lines that mark an empty author slot: one more than the usual paragraph gap."""
    gaps = sorted(ln.blank_before for ln in lines[1:])
    if not gaps:
        return 2
    usual = gaps[len(gaps) // 2]
    return max(2, usual + 1)
