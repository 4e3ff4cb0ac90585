"""Comment records from the decoded line labels, by the section's repeating shape.

A comment's text is a run of comment-text lines; the next comment starts after a header
line, after an empty author slot (an extra blank line) or, on a page without header lines,
after chrome (per-comment actions, votes). The header lines between two texts are cut between
the earlier comment's trailing headers and the later one's leading headers as the section
shows its shape (``comment_shape``). A record's author is its name header line nearest to its
text ("comment-author"; or "comment-author-after" when it trails the text); placeholders give
null; its other header lines are ``comment-meta`` (the segment stage reads the printed time
and ``Reply to X`` from them). Output is the strip stage's contract: a reason for removed
lines, a role hint for kept ones (docs/comments.md).
"""
from __future__ import annotations

from typing import Sequence

from workers.core.labeller.labels import (BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT,
                                          SECTION_LABELS, TITLE)
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.heuristics.header_lines import REPLY_ROLE
from workers.core.labeller import comment_shape as S
from workers.core.labeller.edge_records import edge_records
from workers.core.labeller.lost_records import chrome_texts, lost_records
from workers.core.labeller.name_slots import name_slots
from workers.core.stages.authors import is_name_like

# rule reasons a comment-chrome line may keep (else the generic "comment-chrome")
_KEEP_REASON = COMMENT_REASONS - {"comment-author"}
_REMOVED = "comment-removed"  # the rule reason of a deleted comment's placeholder text
# rule reasons of the article's and the site's chrome (share bar, tag list, footer...): a line a
# signature reads so is no comment's text, whatever the labeller says of it ("navigation" is not
# among them: its generic words match a short comment, "+1")
_NOT_COMMENT_TEXT = frozenset({"share", "tags", "footer", "copyright", "related", "cookie",
                               "newsletter", "donation", "advertisement", "site-header"})
# ... and of those, the reasons whose weak signatures are no comment's text either: a share bar's
# glued button words ("Email ThisBlogThis!Share to Twitter"); a weak footer or related wording
# ("About the …") opens a comment's sentence
_WEAK_NOT_COMMENT_TEXT = frozenset({"share"})
STRONG, WEAK = 1, 2   # ``signature`` values: a strong (or comment) signature, a weak one


def _slot_blanks(blank_before: Sequence[int]) -> int:
    """Blank lines that mark an empty author slot: one more than the page's usual gap."""
    gaps = sorted(blank_before[1:])
    if not gaps:
        return 2
    return max(2, gaps[len(gaps) // 2] + 1)


def _blocks(labels: Sequence[str], blank_before: Sequence[int], slot: int, heads: set[int]) -> list[list[int]]:
    """The comments' text lines, one list per comment. A comment's text is a run of comment
    text lines; the next comment starts after a header line, after an empty author slot (one
    more blank line than usual, unless right after a name) or, on a page without headers,
    after chrome (per-comment actions, votes)."""
    heads_on_page = bool(heads)
    out: list[list[int]] = []
    prev: str | None = None   # "head", "chrome" or "text": the last comment line's part
    for k, lb in enumerate(labels):
        if k in heads:
            prev = "head"
        elif lb == COMMENT_CHROME:
            prev = "head-chrome" if prev in ("head", "head-chrome") else "chrome"
        elif lb == COMMENT_TEXT:
            new = (not out or prev in ("head", "head-chrome") or prev in ("text", "chrome") and blank_before[k] >= slot
                   or prev == "chrome" and not heads_on_page)
            if new:
                out.append([k])
            else:
                out[-1].append(k)
            prev = "text"
    return out


# the last record's text, when the labeller ended the section at its header: at most this many
# lines, closed by the section's per-record chrome within CLOSE_WITHIN lines
LAST_TEXT_MAX_LINES = 6
CLOSE_WITHIN = 2


def _last_record_text(texts: Sequence[str], labels: list[str], rule_reasons: Sequence[str | None]) -> list[str]:
    """``labels`` with the text of a section's last record when the labeller cut the section
    right after that record's header lines (no text follows them): the lines after them up
    to the chrome every record of the section prints ("Reply", "Log in to post comments"; a
    text seen at least twice among the section's chrome lines) are its text, a reply-to marker
    or a printed time ("26 days ago") among them its header. Only when that chrome closes them (the records' repeating shape
    goes on), within ``LAST_TEXT_MAX_LINES`` lines, none of them a rule-explained boilerplate
    line (footer, share...)."""
    section = [k for k, lb in enumerate(labels) if lb in SECTION_LABELS]
    text_at = [k for k in section if labels[k] == COMMENT_TEXT]
    if not text_at:
        return labels
    last_head = max((k for k in section if labels[k] == COMMENT_HEAD), default=-1)
    if last_head < text_at[-1]:
        return labels
    seen: dict[str, int] = {}
    for k in section:
        if labels[k] == COMMENT_CHROME:
            seen[texts[k].strip()] = seen.get(texts[k].strip(), 0) + 1
    chrome = {t for t, c in seen.items() if c >= 2}
    k = last_head + 1
    while k < len(texts) and (labels[k] == COMMENT_HEAD or texts[k].strip() in chrome):
        k += 1   # the header's own trailing lines (another header line, "Permalink")
    body: list[int] = []
    while k < len(texts) and len(body) <= LAST_TEXT_MAX_LINES:
        t = texts[k].strip()
        if t in chrome or not any(c.isalpha() for c in t):
            break
        if rule_reasons[k] is not None and rule_reasons[k] not in _KEEP_REASON or labels[k] in (BODY, TITLE):
            return labels
        body.append(k)
        k += 1
    if not body or len(body) > LAST_TEXT_MAX_LINES:
        return labels
    if not any(texts[j].strip() in chrome for j in range(k, min(len(texts), k + CLOSE_WITHIN + 1))):
        return labels
    out = list(labels)
    for j in body:
        out[j] = COMMENT_HEAD if S.reply_marker(texts[j]) or S.time_line(texts[j]) else COMMENT_TEXT
    if all(out[j] == COMMENT_HEAD for j in body):
        return labels
    return out


# inside a comment section, a run of lines the labeller called boilerplate (or chrome) that no
# rule explains, with comment lines right before and after it, is comment text when it is at
# most GAP_MAX_LINES lines, each of at least GAP_MIN_WORDS words (a long chrome line: at least
# CHROME_TEXT_MIN_WORDS; per-comment actions and votes are a few words)
GAP_MAX_LINES = 3
GAP_MIN_WORDS = 4
CHROME_TEXT_MIN_WORDS = 8


_GAP_LABELS = frozenset({BOILERPLATE, COMMENT_CHROME})   # the labels _gap_line takes


def _gap_line(text: str, label: str, explained: bool) -> bool:
    """A line inside a comment section that may be a comment's text the labeller missed
    (its label first: most lines of a page are neither boilerplate nor chrome)."""
    if label == BOILERPLATE:
        least = GAP_MIN_WORDS
    elif label == COMMENT_CHROME:
        least = CHROME_TEXT_MIN_WORDS
    else:
        return False
    return not explained and any(c.islower() for c in text) and len(text.split()) >= least


def _section_gaps(texts: Sequence[str], labels: list[str], rule_reasons: Sequence[str | None],
                  explained: Sequence[bool], blank_before: Sequence[int]) -> list[str]:
    """``labels`` with the text lines of a comment section that the labeller cut out of it:
    after the section's first header or text line, a run of at most ``GAP_MAX_LINES`` lines
    labelled boilerplate (or long chrome) that no signature explains (``explained``), enclosed by lines of the
    section (a comment label, or a comment reason of the rules: the widget's closing chrome),
    each line of sentence length (``_gap_line``), where the section's shape wants a comment's
    text: right after a header line, after an empty author slot (``_slot_blanks``), or as the
    next paragraph of a line taken so. A
    comment whose wording the labeller found unusual (an unsigned last comment before the
    widget's bubble, a lower-case one-liner) stays in its section; a line a signature explains
    never moves."""
    slot = _slot_blanks(blank_before)
    n = len(labels)
    start = next((k for k, lb in enumerate(labels) if lb in (COMMENT_HEAD, COMMENT_TEXT)), None)
    if start is None:
        return labels

    def section(q: int) -> bool:
        return labels[q] in SECTION_LABELS or rule_reasons[q] in COMMENT_REASONS

    out = list(labels)
    k = start + 1
    while k < n:
        # (the label first, inline: most lines are neither boilerplate nor chrome)
        if labels[k] not in _GAP_LABELS or not _gap_line(texts[k], labels[k], explained[k]):
            k += 1
            continue
        j = k
        while j < n and _gap_line(texts[j], labels[j], explained[j]):
            j += 1
        if j - k <= GAP_MAX_LINES and j < n and section(j) and section(k - 1):
            # right under a header only: after a header and chrome lines ("Name / date / Reply
            # to X / …") the lines of real pages are a trackback or a form as often as a comment
            wanted = labels[k - 1] == COMMENT_HEAD
            for q in range(k, j):
                # (a long chrome line under a header only when it ends a sentence: under a date
                # header a related list's headline is as common as a comment)
                fits = labels[q] == BOILERPLATE or texts[q].rstrip()[-1:] in _SENTENCE_END
                wanted = blank_before[q] >= slot or wanted and fits
                if wanted:
                    out[q] = COMMENT_TEXT   # the next line of the run goes on this comment's text
        k = j
    return out


_SENTENCE_END = frozenset(".!?…。！？")
HEAD_TO_TEXT_MAX_LINES = 3   # a record's other header and chrome lines between its name and its text


def _lost_headers(texts: Sequence[str], labels: list[str], rule_reasons: Sequence[str | None],
                  explained: Sequence[bool], page: S.PageLines) -> list[str]:
    """``labels`` with a comment's name line that the labeller called boilerplate read as its
    header (a line it called chrome stays: a widget's sort bar or action word in a language no
    signature knows reads as a name, "Uusimmat Vanhimmat", "Svara"): a line no signature explains that reads as a name (a widget author pattern
    names somebody on it, or a bare capitalised name), with a line of the section right before
    it and a comment text line after it (only header or chrome lines between, at most
    ``HEAD_TO_TEXT_MAX_LINES`` of them: "Name / 1 month ago / Reply to X / text"). Not a line
    whose text recurs among the page's boilerplate and chrome lines: that is the widget's
    per-record chrome in a language no signature knows ("Vastaa", "Antworten")."""
    out = list(labels)
    n = len(labels)
    seen: dict[str, int] | None = None   # chrome_texts, counted when a line first needs it
    for k in range(1, n - 1):   # (the cheap tests first: each one alone rejects a line)
        if labels[k] != BOILERPLATE or explained[k]:
            continue
        j = k + 1
        while j < n and j - k <= HEAD_TO_TEXT_MAX_LINES and labels[j] in (COMMENT_HEAD, COMMENT_CHROME):
            j += 1
        if j >= n or labels[j] != COMMENT_TEXT:
            continue
        if not (labels[k - 1] in SECTION_LABELS or rule_reasons[k - 1] in COMMENT_REASONS):
            continue
        if seen is None:
            seen = chrome_texts(texts, labels)
        if seen[texts[k].strip()] > 1 or any(
                labels[q] == COMMENT_HEAD and page.read(texts[q])[0] == S.NAME for q in range(k + 1, j)):
            continue   # (a record has one name line: with another one, this is a sort bar or a label)
        kind, _bare, named = page.read(texts[k])
        if kind == S.NAME and (named or is_name_like(texts[k], strict=True)):
            out[k] = COMMENT_HEAD
    return out


# body lines between a comment header and the section's next comment lines: at most this many
HEAD_BODY_MAX_LINES = 6


def _text_after_head(labels: list[str]) -> list[str]:
    """``labels`` with the body lines right after a comment header read as that comment's
    text, when the labeller carried the article's body into the comment section: the header
    follows the article's body, the body run after it is short (at most
    ``HEAD_BODY_MAX_LINES`` lines, only headers and chrome between) and the section goes on
    after it (a comment header or text line follows)."""
    out = list(labels)
    seen_body = False
    n = len(labels)
    k = 0
    while k < n:
        lb = out[k]
        if lb == BODY:
            seen_body = True
        if lb != COMMENT_HEAD or not seen_body:
            k += 1
            continue
        j = k + 1
        while j < n and out[j] in (COMMENT_HEAD, COMMENT_CHROME):
            j += 1
        run = j
        while run < n and out[run] == BODY:
            run += 1
        if j < run <= j + HEAD_BODY_MAX_LINES and run < n and out[run] in SECTION_LABELS \
                and any(out[q] in (COMMENT_HEAD, COMMENT_TEXT) for q in range(run, min(n, run + HEAD_BODY_MAX_LINES))):
            for q in range(j, run):
                out[q] = COMMENT_TEXT
        k = max(j, k + 1)
    return out


def _choose(lines: list[int], kinds: dict[int, str], read: set[int], nearest_last: bool) -> int | None:
    """The record's author line among its header lines: a name a widget author pattern read
    ("X says:", "Submitted by X on …") before a bare name, then the one nearest to its text."""
    cands = [k for k in lines if kinds[k] in (S.NAME, S.PLACEHOLDER)]
    if not cands:
        return None
    if not nearest_last:
        cands.reverse()
    return max(reversed(cands), key=lambda k: (k in read, cands.index(k)))


def comment_roles(texts: Sequence[str], blank_before: Sequence[int], labels: Sequence[str],
                  rule_reasons: Sequence[str | None], depth: Sequence[float] | None = None,
                  signature: Sequence[int] | None = None) -> tuple[list[str | None], list[str | None]]:
    """(reason, role) for the comment lines of a page (None, None on other lines); ``depth``:
    HTML input's element depth per line (replies nest deeper than their parent); ``signature``:
    per line, whether a signature of the rules matches it (0 none, ``STRONG`` a strong page or
    a comment signature, ``WEAK`` a weak page signature; None: unknown, no text line is
    vetoed by a signature and a line with a rule reason counts as explained). The section-gap
    correction applies to plain text only (no ``depth``).

    A page the labeller gave no comment label (most pages) has no comment line: every step of
    ``section_roles`` starts from one (a text line, a header or chrome), so its answer there is
    None, None on every line, given here without the steps (tests/test_comment_roles_none.py)."""
    if not any(lb in labels for lb in SECTION_LABELS):
        return [None] * len(texts), [None] * len(texts)
    return section_roles(texts, blank_before, labels, rule_reasons, depth, signature)


def section_roles(texts: Sequence[str], blank_before: Sequence[int], labels: Sequence[str],
                  rule_reasons: Sequence[str | None], depth: Sequence[float] | None = None,
                  signature: Sequence[int] | None = None) -> tuple[list[str | None], list[str | None]]:
    """``comment_roles`` by its steps, on any page (the reference for a page without comment
    labels)."""
    n = len(texts)
    explained = [r is not None for r in rule_reasons] if signature is None else [s != 0 for s in signature]
    if signature is None:
        signature = [0] * n
    reasons: list[str | None] = [None] * n
    roles: list[str | None] = [None] * n
    page = S.PageLines()
    # a short reply-to marker labelled as text is the comment's header (it names the parent)
    labels = [COMMENT_HEAD if lb == COMMENT_TEXT and S.reply_marker(texts[k]) else lb for k, lb in enumerate(labels)]
    # a deleted comment's placeholder ("This comment has been removed by a blog administrator.")
    # is no comment text: chrome, with its rule reason
    labels = [COMMENT_CHROME if lb == COMMENT_TEXT and rule_reasons[k] == _REMOVED else lb for k, lb in enumerate(labels)]
    # a text line a signature reads as the article's or the site's chrome (a share bar, the
    # post's tag list) is boilerplate
    for k, lb in enumerate(labels):
        r = rule_reasons[k]
        if lb == COMMENT_TEXT and r in _NOT_COMMENT_TEXT and (
                signature[k] == STRONG or signature[k] == WEAK and r in _WEAK_NOT_COMMENT_TEXT):
            labels[k], reasons[k] = BOILERPLATE, r
    if depth is None:
        labels = lost_records(texts, labels, rule_reasons, explained, page)   # name line and text both lost
        labels = _section_gaps(texts, labels, rule_reasons, explained, blank_before)
        labels = _lost_headers(texts, labels, rule_reasons, explained, page)
        labels = name_slots(texts, labels, explained, page)   # a name line above a time line lost
        labels = _section_gaps(texts, labels, rule_reasons, explained, blank_before)  # under a found name
        labels = edge_records(texts, labels, explained, page)   # first and last records lost
    labels = _last_record_text(texts, labels, rule_reasons)
    labels = _text_after_head(labels)
    # a text line that is a placeholder author line alone ("Anonymous said...") is a header
    labels = [COMMENT_HEAD if lb == COMMENT_TEXT and page.placeholder_author(texts[k]) else lb
              for k, lb in enumerate(labels)]
    head_idx = [k for k in range(n) if labels[k] == COMMENT_HEAD]
    # a chrome line that is a placeholder author line ("Anonymous•last month") heads a comment too
    head_idx += [k for k in range(n) if labels[k] == COMMENT_CHROME and page.placeholder_author(texts[k])]
    head_idx.sort()
    head_texts = [texts[k] for k in head_idx]
    kinds = dict(zip(head_idx, S.head_kinds(head_texts, page)))
    read = {k for k, t in zip(head_idx, head_texts) if page.read(t)[2]}
    for k in range(n):
        if labels[k] == COMMENT_CHROME and k not in kinds:
            r = rule_reasons[k]
            reasons[k] = r if r in _KEEP_REASON else "comment-chrome"
    blocks = _blocks(labels, blank_before, _slot_blanks(blank_before), set(head_idx))
    for k in head_idx:
        reasons[k] = "comment-meta"
    if not blocks:
        return reasons, roles
    gaps = S.gap_heads(head_idx, blocks, n)
    trailing = S.trailing_headers(head_texts, [kinds[k] for k in head_idx])
    # per line, its part of a gap between two texts: "H" a header, "C" chrome, "" neither
    mark = ["C" if lb == COMMENT_CHROME else "" for lb in labels]
    for k in head_idx:
        mark[k] = "H"
    parts = ["".join(mark[blocks[j - 1][-1] + 1:blocks[j][0]]) for j in range(1, len(blocks))]
    cuts = S.cut_gaps([[kinds[k] for k in g] for g in gaps], trailing, S.record_close(parts))
    if trailing and len(blocks) > 1 and not any(kinds[k] == S.NAME for k in gaps[-1]):
        _last_footer(texts, page, blocks, gaps, cuts, kinds, reasons)
    for j, block in enumerate(blocks):
        roles[block[0]] = "comment-start"
        for k in block[1:]:
            roles[k] = "comment"
        lead = (_choose(gaps[j][cuts[j]:], kinds, read, True), "comment-author")
        after = (_choose(gaps[j + 1][:cuts[j + 1]], kinds, read, False), "comment-author-after")
        for a, role in ((after, lead) if trailing else (lead, after)):
            if a is not None:
                _mark_author(a, kinds[a], role, reasons, roles)
                break
    if depth is not None:
        _nesting(blocks, depth, roles)
    return reasons, roles


def _last_footer(texts: Sequence[str], page: S.PageLines, blocks: list[list[int]], gaps: list[list[int]],
                 cuts: list[int], kinds: dict[int, str], reasons: list[str | None]) -> None:
    """A footer section (every record prints its footer under its text) whose last text has no
    footer after it: the line right after it is that footer when it opens as one and names
    somebody (labelled otherwise by the model); else the last text is the form's notice or the
    section's chrome ("Your comment has been saved…"), no record. Changes the arguments."""
    foot = blocks[-1][-1] + 1
    if foot < len(texts) and S.footer_opening(texts[foot]) and page.read(texts[foot])[0] == S.NAME:
        kinds[foot] = S.NAME
        gaps[-1].append(foot)
        cuts[-1] = len(gaps[-1])
        reasons[foot] = "comment-meta"
        return
    for k in blocks.pop():
        reasons[k] = "comment-chrome"
    gaps[-2:] = [gaps[-2] + gaps[-1]]
    cuts[-2:] = [len(gaps[-1])]


def _mark_author(k: int, kind: str, role: str, reasons: list[str | None], roles: list[str | None]) -> None:
    """Line ``k`` is a comment's author line: a placeholder ("Anonymous") stays removed with
    its reason (the comment gets no author), a name becomes ``role``."""
    if kind == S.PLACEHOLDER:
        reasons[k] = "placeholder-author"
    else:
        reasons[k], roles[k] = None, role


def _nesting(blocks: list[list[int]], depth: Sequence[float], roles: list[str | None]) -> None:
    """A comment whose text sits deeper in the DOM than the first comment's replies to the
    nearest earlier comment that sits shallower (nested reply lists: WordPress
    ``ol.children``, wpDiscuz and Disqus nested blocks). Its start line's role becomes
    ``comment-reply:<k>``, the parent being k comments back. Nothing when a comment sits
    shallower than the first one (the depths are not a thread's nesting then)."""
    d = [depth[b[0]] for b in blocks]
    if len(d) < 2 or min(d) < d[0]:
        return
    for j in range(1, len(d)):
        if d[j] <= d[0]:
            continue
        i = next((i for i in range(j - 1, -1, -1) if d[i] < d[j]), None)
        if i is not None:
            roles[blocks[j][0]] = f"{REPLY_ROLE}{j - i}"


def count_records(roles: Sequence[str | None]) -> int:
    return sum(1 for r in roles if r == "comment-start" or r is not None and r.startswith(REPLY_ROLE))
