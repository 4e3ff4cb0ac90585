"""Silver labels from a page's markup: title texts, and the comment section's headers/authors.

Dragnet's comment gold is one text per page with the headers inline ("by james on January 31,
2011 at 9:59 am."), so which comment line is a header, and whose, is read from the HTML:

1. **comment sections**: elements whose class/id words include a ``SECTION_WORDS`` word
   (``comments``, ``commentlist``, ``dsq-comments``, ...);
2. **header snippets** inside them: the text of elements marked as author (class/id words in
   ``AUTHOR_WORDS``, ``<cite>``, ``itemprop=author|name|creator``) or date (``DATE_WORDS``,
   ``<time>``, ``itemprop=date*``) or comment meta (``META_WORDS``);
3. a comment-section line is a **comment_head** when it is short (``MAX_HEAD_TOKENS``) and
   header snippets cover ``HEAD_MIN_SHARE`` of its tokens (glue words like "by", "on",
   "says" need not match); its author is the longest author snippet it contains;
4. **fallback** when the markup marks no header that any line matches: a short line with a
   date/time shape or a "Name says:" / "by Name on" shape (``shapes``) is a header.

Lines between the first and last comment line that are neither comment gold nor a header are
**comment_chrome**, and so are the lines just before / after the section whose text is the
text of an element inside a comment section (the "12 Comments" header, the reply form).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from topics.records import Line
from workers.core.labeller.labels import (
    BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, TITLE,
)
from workers.training.project import tokens
from workers.training import shapes

# class/id words of a comment section container
SECTION_WORDS: frozenset[str] = frozenset({
    "comments", "comment", "commentlist", "commentslist", "comentarios", "kommentare",
    "commentaires", "disqus", "dsq", "responses", "discussion", "talkback", "replies",
    "respond",  # WordPress's reply form below the list

})
# class/id words that make a "comment" element NOT a section (links, counters, forms)
SECTION_NEGATIVE_WORDS: frozenset[str] = frozenset({
    "count", "counter", "link", "links", "number", "num", "icon", "bubble", "rss", "feed",
    "recent", "latest", "popular", "widget", "sidebar", "most",  # "Recent Comments" sidebar widgets
})
# Words that are widget actions, never a commenter's name nor a header on their own.
CHROME_WORDS: frozenset[str] = frozenset({
    "reply", "report", "permalink", "link", "edit", "delete", "quote", "like", "share", "flag", "says",
    "said", "wrote", "posted", "by", "on", "at", "comment", "comments", "top", "up", "down", "vote",
})
# class/id words of the element holding a comment's author
AUTHOR_WORDS: frozenset[str] = frozenset({
    "author", "name", "vcard", "fn", "username", "user", "nick", "nickname", "commenter",
    "poster", "byline", "by", "who", "cite", "screenname", "displayname",
    "url",  # hCard / WordPress: the author's link in a comment's meta block is class "url"
})
# class/id words of the element holding a comment's date
DATE_WORDS: frozenset[str] = frozenset({
    "date", "time", "timestamp", "datetime", "posted", "published", "ago", "when", "permalink",
})
# class/id words of a comment's header block (author + date together)
META_WORDS: frozenset[str] = frozenset({"meta", "info", "header", "head", "details", "postinfo"})
AUTHOR_ITEMPROPS: frozenset[str] = frozenset({"author", "name", "creator"})
DATE_ITEMPROPS: frozenset[str] = frozenset({"datepublished", "datecreated", "datemodified", "commenttime"})
# A header is short: longer lines are comment text that merely contains a name.
MAX_HEAD_TOKENS = 30
# Share of a header line's tokens the markup's header snippets must cover.
HEAD_MIN_SHARE = 0.6
# An author snippet longer than this is not a name.
MAX_AUTHOR_TOKENS = 6
MAX_AUTHOR_CHARS = 60
# Header snippets longer than this are whole comments inside a "user"/"meta" wrapper.
MAX_SNIPPET_TOKENS = 24
# A name line ending so is a salutation opening a comment's text ("Chris,"), not a header.
SALUTATION_ENDS = (",", "!")
# Comment lines further apart than this are separate clusters (one is the section).
SECTION_GAP = 60
# How far before/after the comment lines the section's chrome is looked for.
CHROME_REACH = 25

_WORD_SPLIT = re.compile(r"[-_:.\s/]+|(?<=[a-z])(?=[A-Z])")
_WS = re.compile(r"\s+")
_SECTION_SELECTOR = ("[class*=omment], [id*=omment], [class*=disqus], [id*=disqus], [id*=dsq], "
                     "[class*=dsq], [class*=esponse], [id*=esponse], [class*=iscussion], "
                     "[id*=iscussion], [class*=entar], [id*=entar]")
_HEAD_SELECTOR = ("[class], [id], time, cite, [itemprop]")


@dataclass
class Markup:
    """What the HTML says about the title and the comment section, flattener-independent."""
    titles: list[str] = field(default_factory=list)       # h1 texts, og:title, <title>
    authors: list[tuple[str, ...]] = field(default_factory=list)
    author_text: dict[tuple[str, ...], str] = field(default_factory=dict)
    snippets: list[tuple[str, ...]] = field(default_factory=list)  # authors, dates, meta blocks
    section_texts: set[tuple[str, ...]] = field(default_factory=set)


def _words(node) -> set[str]:
    out: set[str] = set()
    for attr in ("class", "id"):
        v = node.getattr(attr)
        if v:
            out.update(w.lower() for w in _WORD_SPLIT.split(v) if w)
    return out


def _text(node) -> str:
    try:
        return _WS.sub(" ", node.text or "").strip()
    except Exception:  # noqa: BLE001 - odd nodes
        return ""


def read_markup(html: str) -> Markup:
    """Parse the page once and collect title texts and comment-section header snippets."""
    from resiliparse.parse.html import HTMLTree
    m = Markup()
    if not html:
        return m
    tree = HTMLTree.parse(html)
    doc = tree.document
    if doc is None:
        return m
    for h in doc.query_selector_all("h1")[:5]:
        t = _text(h)
        if t:
            m.titles.append(t)
    for meta in doc.query_selector_all("meta[property='og:title'], meta[name='twitter:title']"):
        c = (meta.getattr("content") or "").strip()
        if c:
            m.titles.append(c)
    if tree.title:
        t = _WS.sub(" ", tree.title).strip()
        m.titles.append(t)
        m.titles.extend(p for p in re.split(r"\s+[|\-–—:·•»]+\s+", t) if len(p) >= 8)
    _read_comments(doc, m)
    return m


def _read_comments(doc, m: Markup) -> None:
    sections = []
    for el in doc.query_selector_all(_SECTION_SELECTOR)[:400]:
        ws = _words(el)
        if ws & SECTION_WORDS and not ws & SECTION_NEGATIVE_WORDS:
            sections.append(el)
    seen_snip: set[tuple[str, ...]] = set()
    for sec in sections[:40]:
        for el in sec.query_selector_all(_HEAD_SELECTOR)[:3000]:
            tag = (el.tag or "").lower()
            ws = _words(el)
            prop = (el.getattr("itemprop") or "").lower()
            is_author = bool(ws & AUTHOR_WORDS) or tag == "cite" or prop in AUTHOR_ITEMPROPS
            is_date = bool(ws & DATE_WORDS) or tag == "time" or prop in DATE_ITEMPROPS
            is_meta = bool(ws & META_WORDS)
            text = _text(el)
            toks = tuple(tokens(text))
            if not toks:
                continue
            if len(toks) <= 40:
                m.section_texts.add(toks)
            if all(t in CHROME_WORDS for t in toks):
                continue
            short_author = is_author and len(toks) <= MAX_AUTHOR_TOKENS and len(text) <= MAX_AUTHOR_CHARS
            dated = (is_date or is_meta or is_author) and len(toks) <= MAX_SNIPPET_TOKENS and shapes.is_date_like(text)
            if not (short_author or dated):
                continue  # e.g. a whole comment in an element classed "comment-author-admin"
            if toks not in seen_snip:
                seen_snip.add(toks)
                m.snippets.append(toks)
            name = shapes.clean_author(text) if short_author and not shapes.is_date_like(text) else None
            if name and toks not in m.author_text:
                m.authors.append(toks)
                m.author_text[toks] = name


def _coverage(toks: list[str], snippets: list[tuple[str, ...]]) -> float:
    covered = [False] * len(toks)
    first: dict[str, list[tuple[str, ...]]] = {}
    for s in snippets:
        first.setdefault(s[0], []).append(s)
    for i, t in enumerate(toks):
        for s in first.get(t, ()):
            if tuple(toks[i:i + len(s)]) == s:
                for j in range(i, i + len(s)):
                    covered[j] = True
    return sum(covered) / len(toks) if toks else 0.0


def _author_in(toks: list[str], m: Markup) -> str | None:
    best: tuple[str, ...] | None = None
    for a in m.authors:
        n = len(a)
        if (best is None or n > len(best)) and any(tuple(toks[i:i + n]) == a for i in range(len(toks) - n + 1)):
            best = a
    return m.author_text[best] if best else None


def _section_lines(is_comment: list[bool], labels: list[str], toks: list[list[str]]) -> set[int]:
    """The comment lines of the section: clusters of comment lines (gaps up to
    ``SECTION_GAP`` lines) around the heaviest one (by tokens), joined while no body or
    title line lies between them. A lone match elsewhere (a comment quoting the headline,
    matched in a sidebar) is not the section."""
    idx = [i for i, c in enumerate(is_comment) if c]
    if not idx:
        return set()
    clusters: list[list[int]] = [[idx[0]]]
    for i in idx[1:]:
        if i - clusters[-1][-1] > SECTION_GAP:
            clusters.append([])
        clusters[-1].append(i)
    k = max(range(len(clusters)), key=lambda c: sum(len(toks[i]) for i in clusters[c]))
    a = b = k
    content = (BODY, TITLE)

    def clear(x: int, y: int) -> bool:
        return not any(labels[j] in content for j in range(x, y))

    while a > 0 and clear(clusters[a - 1][-1], clusters[a][0]):
        a -= 1
    while b + 1 < len(clusters) and clear(clusters[b][-1], clusters[b + 1][0]):
        b += 1
    return {i for c in clusters[a:b + 1] for i in c}


def label_comments(lines: list[Line], labels: list[str], is_comment: list[bool],
                   m: Markup) -> tuple[list[str], list[str | None], bool]:
    """Split the comment section into heads / text / chrome. Returns the new labels, the
    author per line (heads only) and whether the markup (not the fallback) gave the heads."""
    labels = list(labels)
    authors: list[str | None] = [None] * len(lines)
    toks = [tokens(ln.text) for ln in lines]
    idx = _section_lines(is_comment, labels, toks)
    for i, c in enumerate(is_comment):
        if c and i not in idx:  # a comment gold line matched far from the section (a quoted title)
            labels[i] = BOILERPLATE
    if not idx:
        return labels, authors, False
    idx = sorted(idx)
    lo, hi = idx[0], idx[-1]
    # widen to the section's own chrome / headers just outside the comment lines
    while lo > 0 and idx[0] - lo < CHROME_REACH and labels[lo - 1] == BOILERPLATE \
            and toks[lo - 1] and tuple(toks[lo - 1]) in m.section_texts:
        lo -= 1
    while hi + 1 < len(lines) and hi - idx[-1] < CHROME_REACH and labels[hi + 1] == BOILERPLATE \
            and toks[hi + 1] and tuple(toks[hi + 1]) in m.section_texts:
        hi += 1
    from_markup = False
    for i in range(lo, hi + 1):
        if labels[i] not in (COMMENT_TEXT, BOILERPLATE) or not toks[i]:
            continue
        if len(toks[i]) <= MAX_HEAD_TOKENS and m.snippets and _coverage(toks[i], m.snippets) >= HEAD_MIN_SHARE \
                and not lines[i].text.rstrip().endswith(SALUTATION_ENDS):
            labels[i] = COMMENT_HEAD
            authors[i] = _author_in(toks[i], m) or shapes.author_of(lines[i].text)
            from_markup = True
    for i in range(lo, hi + 1):
        if labels[i] in (COMMENT_TEXT, BOILERPLATE) and (
                shapes.is_date_line(lines[i].text) or (not from_markup and shapes.is_head_shaped(lines[i].text))):
            labels[i] = COMMENT_HEAD
            authors[i] = shapes.author_of(lines[i].text)
    for i in range(lo, hi + 1):
        if labels[i] == BOILERPLATE:
            labels[i] = COMMENT_CHROME
    return labels, authors, from_markup


