"""Comment authors from the markup (HTML input, issue #10: "every comment with its author
when the markup shows one").

The line labeller finds a comment's header line from the text and the DOM features; when it
takes the header for comment chrome, or keeps it inside the comment's text, or the theme's
name element is a bare ``<cite>``, the comment lost its author although the markup names it.
Two pure steps fix that from the markup alone:

1. ``comment_authors(tree, lines)`` (the HTML walk, ``html_meta["comment_authors"]``): the
   page's comment-author elements inside a comment section (class words of
   ``html_rules.COMMENT_AUTHOR_MARKERS`` plus ``bylines.COMMENT_NAME_EXTRA``, any ``<cite>``,
   ``itemprop=author``; never form fields), the innermost of nested author elements
   (``div.comment-author.vcard > cite.fn > a.url``: the name, not the date or "Follow" beside
   it), each found, in page order, in the walk's comment-section lines (``_line_of``); the name
   is the element's text without a "says:" tail, a URL printed before it or a time after it,
   when it reads as a name (``_name``). ``under``: whether the page prints a comment's text
   above its author (``_under``, read on the first elements' comment items).
2. ``apply_markup_authors(comments, markup)`` (segment stage): each comment takes the name of
   its element (``_claims``): names above the text, the last element after the previous
   comment's first text line up to its own first text line; under the text, the first from
   its first text line up to the next comment's. The markup's name replaces the one parsed
   from the header's wording (the element delimits the name: "Maureen | Orgasmic Chef", not
   "Maureen"); a comment without an element keeps the parsed one.

No field of the line labeller's, the title chooser's or the page kind's inputs reads
``comment_authors`` (training data unchanged).
"""
from __future__ import annotations

import collections
import re
from bisect import bisect_left, bisect_right
from typing import Any

from workers.core.heuristics.bylines import COMMENT_NAME_EXTRA, COMMENT_NOT_NAMES
from workers.core.stages.author_lines import parse_author_line
from workers.core.stages.authors import clean_author, split_name_time
from workers.core.stages.html_author import in_comments
from workers.core.stages.html_comment_items import is_date_text, structural_authors
from workers.core.stages.html_rules import COMMENT_AUTHOR_MARKERS

# comment-section lines of the walk (its hints) where an author element prints
HINT_COMMENT_AUTHOR = "comment-author"
_SECTION_HINTS = frozenset({"comments", HINT_COMMENT_AUTHOR})
MARKERS = tuple(dict.fromkeys([*COMMENT_AUTHOR_MARKERS, *COMMENT_NAME_EXTRA]))
_CLASS_WORDS = [f'[class~="{w}" i]' for w in MARKERS]
_OTHER_AUTHORS = ["cite", '[itemprop="author"]']
SELECTOR = ", ".join(_CLASS_WORDS + _OTHER_AUTHORS)
# the same elements asked as one compound (one walk of the tree instead of one per selector);
# the class words behind ``[class]`` (a word needs the attribute): an element without a class
# attribute is tested three times, not once per word (-28 % of the walk's instructions)
QUERY = f":is([class]:is({', '.join(_CLASS_WORDS)}), {', '.join(_OTHER_AUTHORS)})"
_FORM_TAGS = frozenset({"input", "textarea", "label", "form", "select", "option", "button"})
# author elements looked at per page, and how far ahead (in comment-section lines) an
# element's text is looked for before it is given up
MAX_ELEMENTS = 3000
MAX_LOOKAHEAD = 200
MAX_SHAPE_LOOKAHEAD = 60
# ancestors looked at for an enclosing author element (nesting is a few levels deep)
MAX_NEST = 8
# ancestors of a class-word author element looked at for its comment record (whose structural
# name is then not taken)
MAX_RECORD_DEPTH = 12
# the class words' names cover the comments when they are at least this share of the section's
# date-shaped lines (else the records' structure is read too)
MIN_NAMED_SHARE = 0.9
# a header line prints a name and a date, a reply link: longer lines are a comment's text
MAX_HEADER_CHARS = 120
# a comment item holds at least this much text beyond its header line (its text)
MIN_ITEM_CHARS = 30
# author elements (the first ones) whose comment item is read for the side the names stand on
SIDE_VOTES = 7
# ... and at least this many must have a comment item of their own (one reply nested in its
# parent's text is no evidence)
MIN_SIDE_VOTES = 2
# a name: at most this many characters and words
MAX_NAME_CHARS = 60
MAX_NAME_WORDS = 8
_SAYS = re.compile(r"\s*(?:says|said|wrote|writes|dice|schreibt|a écrit)\s*(?::|,|\.\.\.|…)?\s*$", re.I)
_URL = re.compile(r"^(?:https?://|www\.)\S*\s*", re.I)
_LETTER = re.compile(r"[^\W\d_]")
_EDGE = " :·|•-–—#"
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")   # markup printed as text ("<span>L.b. Found</span>"): a template bug, no name


def _name(text: str) -> str | None:
    """The commenter's name an author element prints, or None when it does not read as one
    (``authors.clean_author``: a placeholder such as "Anonymous", a widget word; "Profile",
    "Follow": ``COMMENT_NOT_NAMES``; more than ``MAX_NAME_WORDS`` words)."""
    t = _SAYS.sub("", _URL.sub("", " ".join(text.split())))
    if not t or len(t) > MAX_NAME_CHARS or len(t.split()) > MAX_NAME_WORDS or not _LETTER.search(t) or _TAG.search(t):
        return None
    if t.lower().strip(" .:") in COMMENT_NOT_NAMES:
        return None
    timed = parse_author_line(t) or split_name_time(t)   # a time inside the element: "Ann | Posted at 12:45pm"
    if timed is not None and timed[1]:
        t = timed[0]
    return clean_author(t)


def _leaves(elements: list) -> list:
    """The author elements that hold no other author element (the name inside a vcard), in
    page order; form fields skipped."""
    ids = {e.mem_id for e in elements}
    outer: set[int] = set()
    for e in elements:
        n, i = e.parent, 0
        while n is not None and i < MAX_NEST:
            if n.mem_id in ids:
                outer.add(n.mem_id)
            n, i = n.parent, i + 1
    return [e for e in elements if e.mem_id not in outer and e.tag not in _FORM_TAGS]


def _structural(tree: Any, leaves: list) -> list:
    """The name elements the comment records' structure shows (``html_comment_items``) in the
    records that hold no class-word author element (``leaves``) and are no part of a comment
    that holds one."""
    below = _shared(leaves, MAX_RECORD_DEPTH)
    # a record with an author element, or a part of one comment that has one (its text block
    # beside its header): the parent holds one author element, not a list's many
    return [e for e, record in structural_authors(tree, _name)
            if not below[record.mem_id] and not (record.parent is not None and below[record.parent.mem_id] == 1)]


def _shared(leaves: list, depth: int = MAX_NEST) -> collections.Counter:
    """How many author elements each of their ``depth`` nearest ancestors holds."""
    count: collections.Counter = collections.Counter()
    for e in leaves:
        n, i = e.parent, 0
        while n is not None and i < depth:
            count[n.mem_id] += 1
            n, i = n.parent, i + 1
    return count


def _prints(line: list, text: str) -> bool:
    """The walk's line prints the author element's text as a header does, without the walk's
    author hint (a bare ``<cite>``): the name opens or ends it ("on 2012-10-20 at 2:16 am
    Lukasz", "Lukasz says:"); a comment's text that mentions the name ("I love your tender
    heart, Kara. And…") or addresses it ("@Communal Award", "Enrique,") is not its line."""
    t = line[0]
    if text not in t or t.startswith("@"):
        return False
    core = _SAYS.sub("", t).strip(_EDGE)
    return core == text or core.startswith(text + " ") or core.endswith(" " + text)


def _holds(line: str, text: str) -> bool:
    """``text`` stands in ``line`` with no letter glued before it and no lower-case letter
    after it ("Stephie NOctober 29" and "Chloe26 October" hold the name, "Helena" does not hold
    "Lena")."""
    at = line.find(text)
    while at >= 0:
        before = line[at - 1] if at else " "
        after = line[at + len(text)] if at + len(text) < len(line) else " "
        if not before.isalpha() and not (after.isalpha() and not after.isupper()):
            return True
        at = line.find(text, at + 1)
    return False


def _line_of(lines: list[list], section: list[int], j: int, text: str) -> int | None:
    """Index into ``section`` of the line that prints an author element's text, from ``j`` on:
    the nearer of the next line the walk hinted as an author line that holds the name (not as a
    part of a longer word, "Lena" in "Helena", "Jeff" in "Jeffrey"; Blogger glues the date on:
    "Chloe26 October 2012", "Stephie NOctober 29")
    (``MAX_LOOKAHEAD`` lines ahead) and the next header-shaped line (``_prints``,
    ``MAX_SHAPE_LOOKAHEAD``)."""
    for k in range(j, min(j + MAX_LOOKAHEAD, len(section))):
        ln = lines[section[k]]
        if ln[2] == HINT_COMMENT_AUTHOR:
            if _holds(ln[0], text):
                return k
        elif k < j + MAX_SHAPE_LOOKAHEAD and _prints(ln, text):
            return k
    return None


def _under(element: Any, text: str, header: int, shared: collections.Counter) -> bool | None:
    """Whether the comment this author element belongs to prints its text above the name
    (Stack Exchange's "text – Name date", "… by Name on date. Reply #"): in the nearest
    ancestor that holds ``MIN_ITEM_CHARS`` more than the name's header line (``header``
    characters: more than the header block, the comment's text too), more text before the name
    than after it. None when no such ancestor is near, or when it holds other comments' author
    elements too (``shared``: author elements below each ancestor; Blogger's
    ``dl > dt.comment-author + dd.comment-body``: the list, not one comment)."""
    n, i = element.parent, 0
    while n is not None and i < MAX_NEST and n.tag not in ("body", "html"):
        if shared[n.mem_id] > 1:
            return None
        t = " ".join(n.text(deep=True, separator=" ").split())
        if len(t) >= header + MIN_ITEM_CHARS:
            at = t.find(text)
            if at < 0:
                return None
            return len(t[:at].strip()) > len(t[at + len(text):].strip())
        n, i = n.parent, i + 1
    return None


def comment_authors(tree: Any, lines: list[list]) -> dict[str, Any]:
    """``{"names": [[line, name], …], "under": bool}``: each comment-author element the markup
    shows inside a comment section, ``line`` the index of the walk's comment-section line that
    prints it (``lines``: the walk's ``[text, reason, hint, …]``; a line of at most
    ``MAX_HEADER_CHARS``: a ``<cite>`` quoted inside a comment's text is no header); ``under``:
    the first ``SIDE_VOTES`` elements mostly stand under their comment's text (``_under``).
    The elements: the class words' (``SELECTOR``), and when they name fewer comments than
    ``MIN_NAMED_SHARE`` of the section's date-shaped lines (a comment header prints a date:
    some comments went unnamed), the names the comment records' structure shows
    (``_structural``). Empty without a comment section or without names."""
    section = [i for i, ln in enumerate(lines) if ln[2] in _SECTION_HINTS and len(ln[0]) <= MAX_HEADER_CHARS]
    if not section:
        return {}
    try:
        elements = tree.css(QUERY)
    except Exception:  # noqa: BLE001
        elements = []
    dated = sum(1 for i in section if is_date_text(lines[i][0]))
    if not elements and not dated:
        return {}
    # one compound selector: its matches come in page order, each once
    leaves = _leaves(elements[:MAX_ELEMENTS])
    out, votes = _found(lines, section, leaves)
    if len(out) < MIN_NAMED_SHARE * dated:
        more = _structural(tree, leaves)
        if more:   # the two lists merged in page order (each element's position in a walk of the page)
            order = {n.mem_id: i for i, n in enumerate(tree.root.traverse(include_text=False))}
            out, votes = _found(lines, section, sorted(leaves + more, key=lambda e: order.get(e.mem_id, -1)))
    if not out:
        return {}
    return {"names": out, "under": sum(votes) * 2 > len(votes) if len(votes) >= MIN_SIDE_VOTES else None}


def _found(lines: list[list], section: list[int], leaves: list) -> tuple[list[list], list[bool]]:
    """([line, name] per author element found on a section line, in page order; the side
    votes of the first ``SIDE_VOTES``)."""
    out: list[list] = []
    votes: list[bool] = []
    tries = 0
    j = 0
    shared = _shared(leaves)
    for e in leaves:
        text = " ".join(e.text(deep=True, separator="").split())
        if not text or len(text) > MAX_HEADER_CHARS or not in_comments(e):
            continue
        k = _line_of(lines, section, j, text)
        if k is None:
            continue
        name = _name(text)
        if name is not None and (not out or out[-1][0] != section[k]):
            out.append([section[k], name])
            if tries < SIDE_VOTES:
                tries += 1
                side = _under(e, text, len(lines[section[k]][0]), shared)
                if side is not None:
                    votes.append(side)
        j = k + 1 if name is not None else k
    return out, votes


def _claims(firsts: list[int], ends: list[int], at: list[int], lead: bool) -> list[int | None]:
    """Per comment, the index of its author element (``firsts``: each comment's first text
    line, ``ends`` its last): above the text, the last one after the previous comment's first
    text line up to its own (a header the labeller kept as the previous comment's last line, or
    took for chrome, is this one's; a wrong header line above it is passed over); under the
    text, the first one from its first text line up to the next comment's."""
    out: list[int | None] = []
    for i in range(len(firsts)):
        if lead:
            lo = firsts[i - 1] + 1 if i else -1
            k = bisect_right(at, firsts[i]) - 1
            out.append(k if k >= 0 and at[k] >= lo else None)
        else:
            hi = firsts[i + 1] if i + 1 < len(firsts) else 1 << 60
            k = bisect_left(at, firsts[i])
            out.append(k if k < len(at) and at[k] < hi else None)
    return out


def apply_markup_authors(comments: list[dict], markup: object) -> None:
    """Set each comment's ``author`` (and ``shown`` when it had none) from the markup's names
    (``html_meta["comment_authors"]``, ``comment_authors``; which comment an element belongs
    to: ``_claims``); ``comments``: the segment stage's working dicts with ``first``/``end``
    line numbers (first and last text line), in page order."""
    if not comments or not isinstance(markup, dict) or not isinstance(markup.get("names"), list):
        return
    got = sorted((p[0], p[1]) for p in markup["names"]
                 if isinstance(p, list) and len(p) == 2 and isinstance(p[0], int) and isinstance(p[1], str))
    if not got:
        return
    at = [n for n, _ in got]
    firsts = [c.get("first", c["start"]) for c in comments]
    ends = [c["end"] for c in comments]
    under = markup.get("under")
    if not isinstance(under, bool):  # the markup did not say: under only when no name stands above the first text
        under = at[0] > firsts[0] and at[-1] > ends[-1]
    for c, k in zip(comments, _claims(firsts, ends, at, not under)):
        if k is not None:
            c["author"] = got[k][1]
            if not c.get("shown"):
                c["shown"] = got[k][1]
