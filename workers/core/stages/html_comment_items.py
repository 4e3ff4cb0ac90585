"""Comment authors from the structure of a comment section (HTML input, issue #10: "every
comment with its author when the markup shows one", on widgets whose class words we do not know).

``html_comment_authors`` finds a comment's name element by its class words; an unseen widget
names it otherwise or not at all. Its structure still shows it (named data:
``bylines`` "comment authors from the structure"):

1. the comment sections (``html_author.comment_container``, outermost ones: ``sections``);
2. their records: sibling block elements of one tag (``COMMENT_RECORD_TAGS``), ``MIN_COMMENT_RECORDS`` or more, each holding
   ``MIN_COMMENT_RECORD_CHARS`` of text (a thread's ``li``s, a widget's ``div``s; replies are
   records of their own list); a short element of a repeated tag right before each such
   record is a record too (``dt`` name + ``dd`` text);
3. each record's leading name (``_lead``): the first short text at its start that an element of
   its own holds whole (a link, ``strong``, ``b``, ``cite``, ``span``, …), not a date, a number,
   a "Reply" link or a placeholder, before the first text that runs on (the comment's text);
4. the theme's place of the name (``structural_authors``): the tag path from the record to the
   name element (a link as the name element's last step or not: one place) that
   ``MIN_NAME_PLACE_RECORDS`` records of one sibling group share (a comment's header and text
   blocks are siblings too, but one of each per comment), ``MIN_NAME_PLACE_SHARE`` of the records with a
   leading name in the sibling groups it is seen in (a thread's comments, one comment's replies;
   a commenter without a link prints a bare text, no element), where ``MIN_DATED_SHARE`` of
   them show a date (a ``<time>``, a date-shaped text) among their first texts (a comment
   header prints a name beside a date), or where the name is every such record's first text,
   ``MIN_FIRST_PLACE_RECORDS`` or more (a theme that prints no date).

The elements found go through ``html_comment_authors``' own steps (the line that prints them,
the name's cleaning, the side of the text), the class words' elements first: a record with a
class-word author element keeps it.
"""
from __future__ import annotations

import collections
import functools
from typing import Any

from workers.core import re2_calls
from workers.core.heuristics import bylines as B
from workers.core.heuristics.dates import FULL_DATE, MONTH, RELATIVE_TIME, TIME
from workers.core.stages.patterns import OPTS
from workers.core.stages.html_author import COMMENT_SECTION_WORDS, comment_container
from workers.core.stages.html_rules import COMMENT_CONTAINERS

_ALL = {w.lower() for w in (*COMMENT_SECTION_WORDS, *COMMENT_CONTAINERS)}
SECTION_WORDS = sorted(w for w in _ALL if not any(o != w and o in w for o in _ALL))   # "comment" covers "comments"
# the elements whose class or id could make them a comment section (then checked one by one)
_CLASS_PARTS = [f'[class*="{w}" i]' for w in SECTION_WORDS]
_ID_PARTS = [f'[id*="{w}" i]' for w in SECTION_WORDS]
SECTION_SELECTOR = ", ".join(p for pair in zip(_CLASS_PARTS, _ID_PARTS) for p in pair)
# the same elements asked as one compound (one walk of the tree, where a selector list walks it
# once per selector: 28 walks), each attribute's words behind the attribute (a substring needs
# it): an element without an id is not tested for the id words (-41 % of the walk's instructions)
SECTION_QUERY = f":is([class]:is({', '.join(_CLASS_PARTS)}), [id]:is({', '.join(_ID_PARTS)}))"
_NOT_TAGS = frozenset(B.COMMENT_NAME_NOT_TAGS)
_RECORD_TAGS = frozenset(B.COMMENT_RECORD_TAGS)
# a date-shaped text: a month beside a number, a clock time, a full date, a relative time
# short texts whose date shape is remembered (a bounded cache)
DATE_TEXT_CACHE = 4096
_DATE_SHAPE = re2_calls.compile(
    rf"(?:{MONTH})\s*\d|\d(?:st|nd|rd|th)?\.?\s+(?:{MONTH})|{TIME}|{FULL_DATE}|{RELATIVE_TIME}", OPTS)


def sections(tree: Any) -> list:
    """The page's outermost comment-section elements: the candidates in page order (Lexbor
    answers one compound selector in a walk of the tree: each matching element once, in page
    order), each inside a section found before skipped unchecked."""
    try:
        found = tree.css(SECTION_QUERY)
    except Exception:  # noqa: BLE001
        return []
    return outermost(found)


def outermost(found: Any) -> list:
    """The comment containers among candidate elements in page order, each inside a section
    found before skipped unchecked."""
    inside: dict[int, bool] = {}   # element id -> inside (or is) a section found so far
    out = []
    for n in found:
        path, p, hit = [], n.parent, False
        while p is not None:
            known = inside.get(p.mem_id)
            if known is not None:
                hit = known
                break
            path.append(p.mem_id)
            p = p.parent
        if not hit and comment_container(n):
            out.append(n)
            inside[n.mem_id] = True
            hit = False   # its ancestors are not inside it
        for m in path:
            inside[m] = hit
    return out


def _record_children(section: Any) -> list[list] | None:
    """Each parent's record-tag children (``COMMENT_RECORD_TAGS``), in page order, per parent
    that has ``MIN_COMMENT_RECORDS`` or more of them, the parents in page order: one walk of
    the section, each element put under its parent (where asking every element for its
    children made a second object per element). None when the section has more than
    ``MAX_SECTION_NODES`` elements (read node by node then, as far as that cap)."""
    at: dict[int, int] = {}   # element id -> page position
    kids: dict[int, list] = {}
    for i, node in enumerate(section.traverse(include_text=False)):   # the section first, then its elements
        if i >= B.MAX_SECTION_NODES:
            return None
        at[node.mem_id] = i
        if i and node.tag in _RECORD_TAGS:
            parent = node.parent.mem_id
            got = kids.get(parent)
            if got is None:
                kids[parent] = [node]
            else:
                got.append(node)
    return [kids[p] for p in sorted(kids, key=at.__getitem__) if len(kids[p]) >= B.MIN_COMMENT_RECORDS]


def _capped_record_children(section: Any) -> list[list]:
    """``_record_children`` of a section past ``MAX_SECTION_NODES``: the children of its first
    ``MAX_SECTION_NODES`` elements (each asked for its own)."""
    out = []
    for i, node in enumerate(section.traverse(include_text=False)):
        if i >= B.MAX_SECTION_NODES:
            break
        candidates = [kid for kid in node.iter(include_text=False) if kid.tag in _RECORD_TAGS]
        if len(candidates) >= B.MIN_COMMENT_RECORDS:
            out.append(candidates)
    return out


def _records(section: Any) -> list:
    """The section's records: element children of one parent that share a tag,
    ``MIN_COMMENT_RECORDS`` or more of them holding ``MIN_COMMENT_RECORD_CHARS`` of text each."""
    out = []
    groups = _record_children(section)
    if groups is None:
        groups = _capped_record_children(section)
    for candidates in groups:   # (a parent with fewer record-tag children has none: most nodes)
        by_tag: dict[str, list] = collections.defaultdict(list)
        for kid in candidates:
            by_tag[kid.tag].append(kid)
        full: dict[int, Any] = {}
        short = []
        for kids in by_tag.values():
            if len(kids) < B.MIN_COMMENT_RECORDS:
                continue
            long = [k for k in kids if len(k.text(deep=True, separator=" ").strip()) >= B.MIN_COMMENT_RECORD_CHARS]
            if len(long) >= B.MIN_COMMENT_RECORDS:
                full.update((k.mem_id, k) for k in long)
            else:
                short.extend(kids)
        # a header element before each text element (``dt`` + ``dd``): a record of its own
        # (only beside text elements of this node: none, no header is looked for)
        heads = [k for k in short if (nxt := _next_element(k)) is not None and nxt.mem_id in full] if full else []
        out.extend(full.values())
        if len(heads) >= B.MIN_COMMENT_RECORDS:
            out.extend(heads)
    return out


def _next_element(node: Any) -> Any:
    n = node.next
    while n is not None and not n.tag or n is not None and n.tag[0] == "-":
        n = n.next
    return n


def _sentence(text: str) -> bool:
    """The text reads as a sentence or a comment's subject, not a name: a reply's subject
    ("Re: …"), an ellipsis or a slash inside, it ends on sentence punctuation (an initial
    "Hanne B." aside), asks or exclaims, or holds ``MAX_LOWER_NAME_WORDS`` or more lower-case
    words after its first that are no name particles ("It's sweet that you think that")."""
    words = text.split()
    if text.lower().startswith(B.COMMENT_SUBJECT_PREFIXES) or "..." in text or "/" in text:
        return True
    if text[-1] in B.SENTENCE_ENDS and not (text[-1] == "." and len(words[-1]) <= 3) or "!" in text or "?" in text:
        return True
    lower = [w for w in words[1:] if w[:1].islower() and w.lower() not in B.NAME_PARTICLES]
    return len(lower) >= B.MAX_LOWER_NAME_WORDS


def is_date_text(text: str) -> bool:
    """A short date-shaped text (a comment's text that mentions a date is none)."""
    return len(text) <= B.MAX_DATE_CHARS and _date_shaped(text)


@functools.lru_cache(maxsize=DATE_TEXT_CACHE)
def _date_shaped(text: str) -> bool:
    """``_DATE_SHAPE`` found in a short text (a pure function of it: a page's records repeat
    their "Reply", "Log in to Reply", dates and names)."""
    return _DATE_SHAPE.search(text) is not None


def _lead(record: Any, name_of) -> tuple[Any, tuple, bool, bool] | None:
    """(the name element, its tag path below ``record``, a date among the record's first
    ``MAX_DATE_TEXTS`` texts, the name is the record's first text) of the record's first short
    text an element holds whole that reads as a name (``name_of``) and is no date, or None
    when the record's text begins first (a text longer than ``MAX_LEAD_NAME_CHARS``, or
    ``MAX_LEAD_TEXTS`` texts)."""
    seen = 0
    dated = False
    found = None   # (looking for the name while None)
    first = False
    rid = record.mem_id
    # whitespace-only text nodes (HTML's ASCII spaces: no text after the split below) not yielded;
    # an element's or a comment's text_content is None (a text node's: its text(deep=False))
    for tn in record.traverse(include_text=True, skip_empty=True):
        raw = tn.text_content
        if not raw:
            continue
        t = " ".join(raw.split())
        if not t:
            continue
        el = tn.parent
        tag = el.tag if el is not None else None
        if el is None or tag in _NOT_TAGS and tag != "time":
            continue
        seen += 1
        if seen > B.MAX_DATE_TEXTS or dated and found is not None:
            break
        if tag == "time" or is_date_text(t):
            dated = True
            continue
        if found is not None:
            continue   # (only a date is looked for after the name)
        if seen > B.MAX_LEAD_TEXTS or len(t) > B.MAX_LEAD_NAME_CHARS:
            # the comment's text began before any name: no lead, whatever dates follow (they
            # were walked for nothing before)
            return None
        whole = " ".join(el.text(deep=True, separator="").split()) if el.mem_id != rid else ""
        if whole == t and not _sentence(t) and name_of(t) is not None:
            found, first = el, seen == 1
    if found is None:
        return None
    path, n = [], found
    while n is not None and n.mem_id != rid:
        path.append(n.tag)
        n = n.parent
    if len(path) > 1 and path[0] == "a":
        path = path[1:]   # a name with a link to the commenter's site and one without: one place
    return found, tuple(reversed(path)), dated, first


def structural_authors(tree: Any, name_of) -> list[tuple[Any, Any]]:
    """(name element, its record) per record of the page's comment sections whose leading
    name stands at the theme's place (module doc, step 4); ``name_of``: text -> the name or None."""
    out = []
    for sec in sections(tree):
        # a record's level: its parent and tag (a thread's comments, one comment's replies)
        levels = [((r.parent.mem_id if r.parent is not None else 0, r.tag), r) for r in _records(sec)]
        leads = [(level, r, lead) for level, r in levels if (lead := _lead(r, name_of)) is not None]
        size = collections.Counter(level for level, _r, _l in leads)
        at: dict[tuple, set] = collections.defaultdict(set)   # the levels a place is seen at
        for level, _r, lead in leads:
            at[lead[1]].add(level)
        places = collections.Counter(lead[1] for _level, _r, lead in leads)
        dated = collections.Counter(lead[1] for _level, _r, lead in leads if lead[2])
        first = collections.Counter(lead[1] for _level, _r, lead in leads if lead[3])
        together = collections.Counter((level, lead[1]) for level, _r, lead in leads)
        best = collections.Counter()   # the most records of one sibling group at a place
        for (level, place), k in together.items():
            best[place] = max(best[place], k)
        good = {p for p, k in places.items()
                if best[p] >= B.MIN_NAME_PLACE_RECORDS and k >= B.MIN_NAME_PLACE_SHARE * sum(size[v] for v in at[p])
                and (dated[p] >= B.MIN_DATED_SHARE * k or first[p] == k >= B.MIN_FIRST_PLACE_RECORDS)}
        seen: set[int] = set()
        for level, r, (el, path, _d, _f) in leads:
            if path in good and el.mem_id not in seen:
                seen.add(el.mem_id)
                out.append((el, r))
    return out
