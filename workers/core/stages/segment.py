"""Segment stage: split a stripped document into title, body paragraphs and comments.

The strip stage has already decided every line's fate and left the role of each kept line
in its ``hint`` ("title", "body", "comment-author", "comment-start", "comment"). Segment:

* title: the "title" line (kept out of the body);
* body_paragraphs: the "body" lines, verbatim, one per paragraph;
* comments: a "comment-start" line opens a comment ("comment-reply:<k>": one the DOM nests
  under the comment k before it), "comment" lines add paragraphs (joined
  with a blank line). A "comment-author" line (or a removed "placeholder-author" line) just
  before gives the author: the name parsed from the widget's wording ("X says:",
  "Submitted by X on …", "X•last month", a bare name); placeholders (Anonymous, Anónimo)
  give null; a "comment-author-after" line under the text gives the author of the comment
  above. The removed lines of a comment's span carry its metadata (a time line between two
  comments goes to the later one when the section prints times above its first comment and
  none after its last, else to the earlier one): the printed time (``posted_text``, parsed to
  ISO in ``posted_at`` by ``comment_times.parse_comment_time``; relative times are resolved
  against ``fetched_at``) and threading markers ("Reply to X",
  "In reply to … by X", "Replying to: X" and their translations); a text opening with
  "@Name", or with an earlier commenter's name and a comma ("Tami, thanks!"), also names the
  parent. ``reply_to`` is the index of the latest earlier comment by that name.
* removed: every line with a reason, as ``Removed(n, text, reason)``. Author lines are not
  boilerplate: they are consumed as authors and are not listed.

Documents without role hints (another producer) fall back to: first kept line = title if
it looks like one, the rest = body.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

import re2

from topics.records import Comment, Removed, SegmentedDocument, StrippedDocument
from workers.core.heuristics.header_lines import REPLY_ROLE, REPLY_TO_WORDS
from workers.core.stages.author_lines import header_author
from workers.core.stages.authors import author_line_name, clean_author, split_name_time, tidy_name
from workers.core.stages.comment_times import is_extra_time, parse_comment_time
from workers.core.stages.html_comment_authors import apply_markup_authors
from workers.core.stages.patterns import CASELESS as _OPTS
from workers.core.stages.printed_times import looks_like_time, machine_time
from workers.core.stages.text import normalise
from workers.core import re2_calls


_ROLES = frozenset({"title", "body", "comment-author", "comment-start", "comment", "comment-author-after"})
_REPLY_TO = re2_calls.compile(rf"^(?:{'|'.join(REPLY_TO_WORDS)})\s+(?P<name>.{{1,80}})$", _OPTS)
_IN_REPLY_TO = re2_calls.compile(r"^in reply to\s+(?P<subject>.{0,200}?)\s+by\s+(?P<name>.{1,80})$", _OPTS)
_AT_NAME = re2_calls.compile(r"^@(?P<name>[\p{L}\p{N}_.\-]{1,40}(?: [\p{Lu}][\p{L}.\-]{0,30})?)", _OPTS)
_CASED = re2.Options()
_CASED.max_mem = 32 << 20
# a text that opens by addressing someone: "Tami, that means a lot." / "Dana Whitfield: no."
# (the parent only when an earlier comment is by that name)
_NAME_OPENING = re2_calls.compile(r"^(?P<name>\p{Lu}[\p{L}'\-]{2,30}(?: \p{Lu}[\p{L}.'\-]{0,30})?)\s?[,:]\s", _CASED)
# what a text must show for these patterns to match it, read without an RE2 call (most lines show
# none of it; tests/test_segment_guards.py checks each guard against the pattern itself):
# _REPLY_TO and _IN_REPLY_TO open with a REPLY_TO_WORDS word ("in reply to" is one), so a line's
# first character must match a word's first letter in RE2's case-insensitive mode; the ASCII
# characters (and "") no first letter matches, asked of RE2 itself (its case folding decides)
_REPLY_FIRST = re2_calls.compile(rf"^(?:{'|'.join(w[0] for w in (*REPLY_TO_WORDS, 'in reply to'))})", _OPTS)
_NO_REPLY_STARTS = frozenset(c for c in map(chr, range(128)) if _REPLY_FIRST.search(c) is None) | {""}
# _AT_NAME opens with "@" (no case variant); _NAME_OPENING with \p{Lu} (in ASCII: A-Z alone), and
# its "," or ":" comes at character 64 at the latest (a name of 1 + 30 + 1 + 1 + 30 characters, a
# space); each class, space and \s of both is one character, so the text's characters count
_NOT_UPPER_ASCII = frozenset(chr(c) for c in range(128) if not "A" <= chr(c) <= "Z") | {""}
_OPENING_SEP_WITHIN = 65


# --- comments --------------------------------------------------------------------------------

def _author_of(text: str) -> tuple[str | None, str, str | None]:
    """(author or None, the name as shown, printed time from the same line)."""
    parsed = header_author(text)
    if parsed is not None:
        name, when = parsed[0], parsed[1]
        return clean_author(name), name, when
    split = split_name_time(text)
    if split is not None:
        name = tidy_name(split[0])
        return clean_author(name), name, split[1]
    shown = tidy_name(author_line_name(text))
    return clean_author(shown), shown, None


def _norm_name(name: str | None) -> str:
    n = normalise(name or "").lower().rstrip(":,")
    if n.endswith("(not verified)"):
        n = n[: -len("(not verified)")].strip()
    return n


_PARENT_WINDOW = 200  # a parent is looked for among the last comments only (bounded work)


def _find_parent(comments: list[dict], name: str, subject: str | None = None) -> int | None:
    """Index of the latest earlier comment by ``name`` (full name or first name); with a
    Drupal subject, the one whose first paragraph starts with it is preferred."""
    b = _norm_name(name)
    if not b:
        return None
    core = subject.rstrip("…. ").lower() if subject else None
    first = None
    for c in reversed(comments[-_PARENT_WINDOW:]):
        a = c.get("_norm")
        if a is None:
            a = c["_norm"] = _norm_name(c["shown"])
        if a and (a == b or a.split(" ", 1)[0] == b):
            if core is None:
                return c["index"]
            if first is None:
                first = c["index"]
            if c["paras"] and c["paras"][0].lower().startswith(core):
                return c["index"]
    return first


# a printed time is at most this long (a longer meta line is a reply marker or chrome)
TIME_MAX_CHARS = 80
# a page's meta lines repeat ("Flag as Inappropriate", "Re: (Score:2)", "Reply to This"; the
# bench's 217 text pages ask 3,515 times about 860 distinct lines), and _assign_metas and
# _comment both ask about a comment's lines: the answers for the last TIME_CACHE_LINES
# distinct texts are remembered (a pure function of the text, texts of at most TIME_MAX_CHARS)
TIME_CACHE_LINES = 4096


def _is_time(text: str) -> bool:
    return len(text) <= TIME_MAX_CHARS and _time_text(text)


@lru_cache(maxsize=TIME_CACHE_LINES)
def _time_text(text: str) -> bool:
    """A printed date or time in ``text`` (``looks_like_time``) or the whole text a time of
    ``comment_times`` (uncached: ``_time_text.__wrapped__``)."""
    return looks_like_time(text) or is_extra_time(text)


def _assign_metas(comments: list[dict], metas: list) -> None:
    """Give each removed header/meta line to its comment: a line inside a comment's span
    (its first header line to its last text line) is its own; a printed time between two
    comments goes to the later one when the section prints times above its first comment and
    none after its last (a "date, text" shape), else to the earlier one, as other lines do."""
    if not comments:
        return
    starts = [c["start"] for c in comments]   # increasing line numbers
    slot: list[int] = []    # per meta line: the gap it is in (0 before the first comment .. len after the last)
    for ln in metas:
        idx = bisect_right(starts, ln.n) - 1
        slot.append(idx + 1 if idx < 0 or ln.n > comments[idx]["end"] else -1 - idx)
    gaps: list[list[int]] = [[] for _ in range(len(comments) + 1)]
    for i, (ln, g) in enumerate(zip(metas, slot)):
        if g >= 0 and _is_time(normalise(ln.text)):
            gaps[g].append(i)
    # times above the first comment and none after the last: each comment's time leads it
    leading = bool(gaps[0]) and not gaps[-1]
    lead = {i for g in gaps[:-1] for i in g} if leading else set()
    for i, (ln, g) in enumerate(zip(metas, slot)):
        if g < 0:
            comments[-1 - g]["meta"].append(ln.text)
        elif i in lead and g < len(comments):
            comments[g]["meta"].append(ln.text)
        elif g > 0:
            comments[g - 1]["meta"].append(ln.text)


def _build_comments(doc: StrippedDocument) -> list[Comment]:
    comments: list[dict] = []
    pending: dict | None = None
    cur: dict | None = None
    metas: list = []   # removed lines, assigned to comments by position afterwards
    for ln in doc.lines:
        if ln.reason is None and ln.hint == "comment-author":
            author, shown, when = _author_of(ln.text)
            pending = {"author": author, "shown": shown, "when": when, "n": ln.n}
            continue
        if ln.reason == "placeholder-author" and not header_author(ln.text, trailing=True):
            parsed = header_author(ln.text)
            pending = {"author": None, "shown": parsed[0] if parsed else normalise(ln.text),
                       "when": parsed[1] if parsed else None, "n": ln.n}
            continue
        if ln.reason is None and ln.hint is not None and (ln.hint == "comment-start" or ln.hint.startswith(REPLY_ROLE)):
            p = pending or {"author": None, "shown": None, "when": None, "n": ln.n}
            back = ln.hint[len(REPLY_ROLE):]
            cur = {"index": len(comments), "author": p["author"], "shown": p["shown"], "when": p["when"],
                   "start": p["n"], "end": ln.n, "first": ln.n, "paras": [ln.text], "meta": [],
                   "nest": int(back) if back.isdigit() else 0}
            comments.append(cur)
            pending = None
            continue
        if ln.reason is None and ln.hint == "comment-author-after" and cur is not None:
            parsed = header_author(ln.text, trailing=True)
            if parsed is not None:
                cur["author"], cur["shown"] = clean_author(parsed[0]), parsed[0]
                cur["when"] = cur["when"] or parsed[1]
            else:  # a header line the labeller found after the text ("— Name, date")
                author, shown, when = _author_of(ln.text)
                cur["author"], cur["shown"], cur["when"] = author, shown, cur["when"] or when
            continue
        if ln.reason == "placeholder-author" and cur is not None and header_author(ln.text, trailing=True):
            continue  # a trailing placeholder: the comment above stays anonymous
        if ln.reason is None and ln.hint == "comment" and cur is not None:
            cur["paras"].append(ln.text)
            cur["end"] = ln.n
            continue
        if ln.reason in ("comment-meta", "comment-header", "comment-chrome"):
            metas.append(ln)
    _assign_metas(comments, metas)
    apply_markup_authors(comments, (doc.html_meta or {}).get("comment_authors"))  # HTML: the markup's names
    shown = _header_times(comments, (doc.html_meta or {}).get("comment_times"))
    return [_comment(c, comments, doc.fetched_at, t) for c, t in zip(comments, shown)]


def _header_times(comments: list[dict], times: object) -> list[str | None]:
    """Per comment, the first ``<time datetime>`` of its span (header line to last text line;
    HTML input, ``html_meta["comment_times"]``), as ``printed_times.machine_time`` reads it."""
    if not isinstance(times, list) or not times:
        return [None] * len(comments)
    at = sorted((t[0], t[1]) for t in times if isinstance(t, list) and len(t) == 2 and isinstance(t[0], int))
    lines = [n for n, _v in at]
    out: list[str | None] = []
    for c in comments:
        i = bisect_left(lines, c["start"])
        found = None
        while i < len(at) and at[i][0] <= c["end"] and found is None:
            found = machine_time(at[i][1] if isinstance(at[i][1], str) else None)
            i += 1
        out.append(found)
    return out


def _may_open_with_name(text: str) -> bool:
    """``_NAME_OPENING`` may match ``text``: its first character is not an ASCII non-capital and
    a "," or ":" comes within its first ``_OPENING_SEP_WITHIN`` characters."""
    if text[:1] in _NOT_UPPER_ASCII:
        return False
    head = text[:_OPENING_SEP_WITHIN]
    return "," in head or ":" in head


def _comment(c: dict, comments: list[dict], fetched_at: str | None, machine: str | None = None) -> Comment:
    """One record: its printed time and its parent, from its meta lines ("Reply to X" first),
    then the DOM nesting the strip stage saw, then an "@Name" or "Name," opening its text;
    ``posted_at`` the header's ``<time datetime>`` (``machine``) when the markup gives one."""
    earlier = comments[max(0, c["index"] - _PARENT_WINDOW):c["index"]]   # (all _find_parent reads)
    posted_text = c["when"]
    reply_to = None
    for m in c["meta"]:
        t = normalise(m)
        replyish = t[:1] not in _NO_REPLY_STARTS
        mm = _IN_REPLY_TO.search(t) if replyish else None
        if mm and reply_to is None:
            reply_to = _find_parent(earlier, mm.group("name"), mm.group("subject"))
            continue
        mm = _REPLY_TO.search(t) if replyish else None
        if mm and reply_to is None:
            reply_to = _find_parent(earlier, mm.group("name"))
            continue
        if posted_text is None and _is_time(t):
            posted_text = t
    if reply_to is None and c["nest"] and c["nest"] <= c["index"]:
        reply_to = c["index"] - c["nest"]
    first = c["paras"][0]
    if reply_to is None:
        mm = _AT_NAME.search(first) if first[:1] == "@" else None
        if mm:
            name = mm.group("name").rstrip(".:,")
            reply_to = _find_parent(earlier, name)
            if reply_to is None and " " in name:
                reply_to = _find_parent(earlier, name.split(" ")[0])
    if reply_to is None and earlier and _may_open_with_name(first):
        mm = _NAME_OPENING.search(first)
        if mm:
            reply_to = _find_parent(earlier, mm.group("name"))
    if posted_text is not None:
        posted_text = normalise(posted_text)
    return Comment(index=c["index"], text="\n\n".join(c["paras"]), author=c["author"],
                   posted_at=machine or (parse_comment_time(posted_text, fetched_at) if posted_text else None),
                   posted_text=posted_text, reply_to=reply_to)


def segment(doc: StrippedDocument) -> SegmentedDocument:
    kept = [ln for ln in doc.lines if ln.reason is None]
    removed = [Removed(ln.n, ln.text, ln.reason) for ln in doc.lines if ln.reason is not None]  # (n, text, reason)
    has_roles = any(ln.hint in _ROLES or ln.hint is not None and ln.hint.startswith(REPLY_ROLE) for ln in kept)
    title: str | None = None
    body: list[str] = []
    comments: list[Comment] = []
    if has_roles:
        for ln in kept:
            if ln.hint == "title" and title is None:
                title = ln.text
            elif ln.hint in (None, "body") or (ln.hint == "title"):
                body.append(ln.text)
        comments = _build_comments(doc)
    else:
        rest = kept
        if kept and len(kept) > 1 and len(kept[0].text) <= 250 and not kept[0].text.rstrip().endswith("."):
            title = kept[0].text
            rest = kept[1:]
        body = [ln.text for ln in rest]
    return SegmentedDocument(
        id=doc.id, url=doc.url, content_type=doc.content_type, fetched_at=doc.fetched_at,
        source=doc.source, site=doc.site, title=title, body_paragraphs=body, comments=comments,
        removed=removed, html_meta=doc.html_meta, line_count=len(doc.lines), model_version=doc.model_version,
    )
