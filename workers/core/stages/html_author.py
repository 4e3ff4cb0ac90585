"""The article's byline from the page's markup: its author (``dom_author``, never a
comment's author) and the date it prints (``byline_date``, ``html_meta["published_at_byline"]``).

Sources, most explicit first: ``itemprop=author`` (its ``itemprop=name`` when it has one),
``rel=author`` links, then elements whose class/id names an author or byline
(``AUTHOR_CLASS_WORDS``). Elements inside a comment section are skipped. The text is read
line by line: cue lines ("By", "Written by:") are skipped, a cue opening the name is cut,
and the name ends at a separator, a date or a role ("Summer Swann - June 12" -> "Summer
Swann"). The vocabulary is named data in ``workers.core.heuristics.bylines``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from selectolax.lexbor import LexborHTMLParser

from workers.core.heuristics import bylines as B
from workers.core.heuristics.dates import MONTH_NAMES, MONTHS, WEEKDAYS
from workers.core.stages.dates import find_dates, publication_part
from workers.core.stages.html_rules import COMMENT_CONTAINERS

_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CUE = re.compile(r"^(?:" + "|".join(re.escape(c) for c in sorted(B.BYLINE_CUES, key=len, reverse=True))
                  + r")\b\s*[:：]?\s*", re.I)
# the name ends here: a separator, a date-like run of digits, " on ", " in ", "Updated", "|"
_EN_MONTHS = "|".join(sorted(set(MONTH_NAMES["en"]) | {m[:3] for m in MONTH_NAMES["en"]}, key=len, reverse=True))
_NAME_END = re.compile(r"\s+(?:[|•·–—/]|-\s|on\s+\w|in\s+[A-Z]|updated|published|last\s|\d)|\s*[|•·]\s*|\s{2,}"
                       r"|\s*\(\s*@|\s*\d{1,2}\s*(?:min|minute)"
                       r"|\s+at\s+(?:\d|(?:" + _EN_MONTHS + r")\b)", re.I)   # "Posted by Ann at December 16"
_EXPLICIT_CUE = re.compile(r"^(?:" + "|".join(re.escape(c) for c in B.EXPLICIT_BYLINE_CUES) + r")\s*:?\s+(?=\w|$)", re.I)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_TEMPLATE_VARIABLE = re.compile(B.TEMPLATE_VARIABLE)
_URLISH = re.compile(r"https?:|www\.|@|\.com\b|\{|<")
# class/id words of a comment section (also html_comment_items' section selector)
COMMENT_SECTION_WORDS = frozenset({"comment", "comments", "commentlist", "disqus", "respond", "replies"})
# ancestors looked at for a containing element (comment section, page chrome, microdata item)
MAX_ANCESTORS = 40
# candidate elements looked at per selector
MAX_CANDIDATES = 40
# substrings of class / id values that make an element a byline candidate (CSS [class*=…]):
# one query collects the candidates of both the author and the date
AUTHOR_SUBSTRINGS = ("author", "byline", "writer")
DATE_SUBSTRINGS = ("date", "publish", "posted", "time", "byline", "meta", "author")
# (ASCII case-insensitive: "Author_publicationTime__F2lab", "PostDate")
BYLINE_SELECTOR = ", ".join([f'[class*="{w}" i]' for w in dict.fromkeys(AUTHOR_SUBSTRINGS + DATE_SUBSTRINGS)]
                             + [f'[id*="{w}" i]' for w in AUTHOR_SUBSTRINGS + ("date",)])


def byline_candidates(tree: LexborHTMLParser) -> list:
    """Elements whose class or id holds a byline / author / date substring, in page order."""
    try:
        return tree.css(BYLINE_SELECTOR)
    except Exception:  # noqa: BLE001
        return []


def _has(el, class_words: tuple[str, ...], id_words: tuple[str, ...]) -> bool:
    a = el.attributes
    c, i = (a.get("class") or "").lower(), (a.get("id") or "").lower()
    return any(w in c for w in class_words) or any(w in i for w in id_words)


def _words(value: str | None) -> set[str]:
    if not value:
        return set()
    return {w for w in _WORD_SPLIT.split(_CAMEL.sub(" ", value).lower()) if w}


def any_ancestor(node, test: Callable[[Any], bool]) -> bool:
    """Whether ``test`` holds for one of the node's ``MAX_ANCESTORS`` nearest ancestors."""
    n, i = node.parent, 0
    while n is not None and i < MAX_ANCESTORS:
        if test(n):
            return True
        n, i = n.parent, i + 1
    return False


def attributes(node) -> dict:
    """An element's attributes; none for a text or comment node (tag ``-text``, ``-comment``)."""
    return node.attributes if node.tag and node.tag[0] != "-" else {}


def comment_container(node) -> bool:
    """The element is a comment section (class/id words, or a known comment container)."""
    a = attributes(node)
    for v in (a.get("class"), a.get("id")):
        if v and _comment_value(v):
            return True
    return False


@lru_cache(maxsize=4096)
def _comment_value(value: str) -> bool:
    """A class or id value of a comment section; once per distinct value (every byline and
    comment-author candidate asks each of its ancestors, whose values repeat across a page)."""
    return bool(_words(value) & COMMENT_SECTION_WORDS) or any(t in COMMENT_CONTAINERS for t in value.split())


def in_comments(node) -> bool:
    """Inside a comment section."""
    return any_ancestor(node, comment_container)


def _skip_line(line: str) -> bool:
    """A line of the byline block that is not the name: a date, "Updated …", "© …"."""
    low = line.lower()
    first = _WORD_SPLIT.split(low, 1)[0]
    return first in MONTHS or first in WEEKDAYS or low.startswith(B.NOT_NAME_OPENERS)


def _name_like(name: str) -> bool:
    if not _HAS_LETTER.search(name) or _URLISH.search(name) or _TEMPLATE_VARIABLE.match(name):
        return False
    words = name.split()
    if len(name) > B.MAX_NAME_CHARS or len(words) > B.MAX_NAME_WORDS or name.lower() in B.NOT_NAMES:
        return False
    # a phrase, not a name: several lower-case words that are not name particles ("Learn about our")
    lower = [w for w in words[1:] if w[:1].islower() and w.lower() not in B.NAME_PARTICLES]
    return len(lower) < 2 and words[-1].lower() not in B.NOT_NAME_ENDINGS


def clean_name(text: str | None) -> str | None:
    """The name in a byline's text, or None when it does not look like one."""
    if not text:
        return None
    for i, raw in enumerate(text.split("\n")):
        line = " ".join(raw.split())
        if not line:
            continue
        if i > B.MAX_BYLINE_LINES:
            break
        line = _CUE.sub("", line).strip(" :-–—,")
        if not line or _skip_line(line):
            continue  # a cue line ("Written by"): the name is on the next line
        m = _NAME_END.search(line)
        name = line[:m.start()].strip(" ,:-–—") if m else line
        return name if name and _name_like(name) else None
    return None


def _element_name(el) -> str | None:
    a = el.attributes
    if el.tag == "meta":
        return clean_name(a.get("content"))
    try:
        inner = el.css_first("[itemprop=name]")
    except Exception:  # noqa: BLE001
        inner = None
    if inner is not None:
        v = inner.attributes.get("content") if inner.tag == "meta" else inner.text(separator="\n")
        name = clean_name(v)
        if name:
            return name
    text = el.text(separator="\n")
    if len(text) > 4 * B.MAX_BYLINE_CHARS or len(" ".join(text.split())) > B.MAX_BYLINE_CHARS:
        return None
    return clean_name(text)


def _class_ok(el) -> bool:
    a = el.attributes
    words = _words(a.get("class")) | _words(a.get("id"))
    return bool(words & set(B.AUTHOR_CLASS_WORDS)) and not words & B.AUTHOR_CLASS_NEGATIVE


def _cued_name(el) -> str | None:
    """The name after an explicit byline cue opening one of the element's lines ("May 3, 2025 ·
    By Jane Doe" -> "Jane Doe"), for a short date or meta block that prints the byline."""
    text = el.text(separator="\n")
    if len(text) > 4 * B.MAX_BYLINE_CHARS or len(" ".join(text.split())) > B.MAX_BYLINE_CHARS:
        return None
    lines = [" ".join(t.split()) for t in text.split("\n") if t.strip()]
    for i, line in enumerate(lines[:B.MAX_BYLINE_LINES]):
        m = _EXPLICIT_CUE.match(line + " ")   # "By" alone on its line: the name is on the next
        if m:
            rest = line[m.end():] if m.end() <= len(line) else ""
            return clean_name(rest or "\n".join(lines[i + 1:i + 2]))
    return None


# the author elements the markup names directly (asked before the class-word candidates)
ITEMPROP_AUTHOR_SELECTOR = "[itemprop=author]"
REL_AUTHOR_SELECTOR = "a[rel~=author]"
# a forum post's poster name element (class words)
POSTER_SELECTOR = ", ".join(f'[class~="{w}" i]' for w in B.POSTER_CLASS_WORDS)


def _poster(tree: LexborHTMLParser) -> str | None:
    """The first forum post's poster name (``POSTER_CLASS_WORDS``), outside comment sections."""
    try:
        found = tree.css(POSTER_SELECTOR)
    except Exception:  # noqa: BLE001
        return None
    for el in found[:MAX_CANDIDATES]:
        if in_comments(el):
            continue
        name = clean_name(el.text(separator="\n")) if len(el.text()) <= B.MAX_BYLINE_CHARS else None
        if name:
            return name
    return None


def dom_author(tree: LexborHTMLParser, candidates: list | None = None) -> tuple[str, str] | None:
    """(author, source) from the byline markup, source ``itemprop``, ``rel``, ``class``, then
    ``cue`` (a date / meta block opening with "By <name>") and ``poster`` (a forum post's poster
    name) (``candidates``: ``byline_candidates(tree)`` when the caller has it)."""
    found = _markup_author(tree, candidates)
    if found:
        return found
    if candidates is None:
        candidates = byline_candidates(tree)
    for el in candidates[:B.MAX_DATE_ELEMENTS]:
        if not in_comments(el):
            name = _cued_name(el)
            if name:
                return name, "cue"
    name = _poster(tree)
    return (name, "poster") if name else None


def _markup_author(tree: LexborHTMLParser, candidates: list | None) -> tuple[str, str] | None:
    for source, selector in (("itemprop", ITEMPROP_AUTHOR_SELECTOR), ("rel", REL_AUTHOR_SELECTOR), ("class", None)):
        if selector is None:
            if candidates is None:
                candidates = byline_candidates(tree)
            found = [el for el in candidates if _has(el, AUTHOR_SUBSTRINGS, AUTHOR_SUBSTRINGS)]
        else:
            try:
                found = tree.css(selector)
            except Exception:  # noqa: BLE001
                continue
        for el in found[:MAX_CANDIDATES]:
            if selector is None and not _class_ok(el):
                continue
            if in_comments(el):
                continue
            name = _element_name(el)
            if name:
                return name, source
    return None


def _in_chrome(node) -> bool:
    return any_ancestor(node, lambda n: n.tag in B.DATE_CHROME_TAGS)


def byline_date(tree: LexborHTMLParser, candidates: list | None = None) -> str | None:
    """The first full date printed in an element whose class names a date or a byline
    (``DATE_CLASS_WORDS``), outside comment sections and page chrome, as YYYY-MM-DD;
    "Updated …" parts are ignored (``dates.publication_part``)."""
    if candidates is None:
        candidates = byline_candidates(tree)
    found = [el for el in candidates if _has(el, DATE_SUBSTRINGS, ("date",))]
    for el in found[:B.MAX_DATE_ELEMENTS]:
        a = el.attributes
        words = _words(a.get("class")) | _words(a.get("id"))
        if not words & B.DATE_CLASS_WORDS or words & B.DATE_CLASS_NEGATIVE:
            continue
        parent = el.parent
        if parent is not None and parent.tag and parent.tag[0] != "-":
            pa = parent.attributes  # <div class="release_date"><div class="date">…
            if (_words(pa.get("class")) | _words(pa.get("id"))) & B.DATE_CLASS_NEGATIVE:
                continue
        text = el.text(separator=" ")
        if len(text) > 4 * B.MAX_DATE_ELEMENT_CHARS:
            continue
        text = " ".join(text.split())
        if len(text) > B.MAX_DATE_ELEMENT_CHARS:
            continue
        found = _time_value(el, text)
        if found and not in_comments(el) and not _in_chrome(el):
            return found
    return None


def _time_value(el, text: str) -> str | None:
    """The date an element prints: its own text's first full date (not an "Updated …" part),
    else the ``datetime`` of a ``<time>`` in it ("scvalex <time datetime=…>1 year ago</time>")."""
    hits = find_dates(publication_part(text))
    if hits:
        return hits[0][1].isoformat()
    if "updat" in text.lower() or "modif" in text.lower():
        return None
    try:
        t = el.css_first("time[datetime]")
    except Exception:  # noqa: BLE001
        t = None
    if t is None:
        return None
    hits = find_dates(str(t.attributes.get("datetime") or "")[:40])
    return hits[0][1].isoformat() if hits else None


def twitter_author(metas: Any) -> str | None:
    """Yoast's ``twitter:label1 = Written by`` / ``twitter:data1 = <name>`` pair."""
    labels: dict[str, str] = {}
    data: dict[str, str] = {}
    for m in metas[:2000]:
        a = m.attributes
        twitter_pair((a.get("name") or a.get("property") or "").strip().lower(), a.get("content"), labels, data)
    return author_from_twitter(labels, data)


def twitter_pair(name: str, content: str | None, labels: dict[str, str], data: dict[str, str]) -> None:
    """Collect one ``twitter:labelN`` / ``twitter:dataN`` meta tag (name lower-case)."""
    if name.startswith("twitter:label"):
        labels[name[13:]] = (content or "").strip().lower()
    elif name.startswith("twitter:data"):
        data[name[12:]] = content or ""


def author_from_twitter(labels: dict[str, str], data: dict[str, str]) -> str | None:
    for k, label in labels.items():
        if label in B.TWITTER_AUTHOR_LABELS and k in data:
            return clean_name(data[k])
    return None
