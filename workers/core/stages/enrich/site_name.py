"""The site's name as the page prints it: the masthead line, "Support X", or
"(c) 2024 X. All rights reserved." (html_meta's site name comes first).
"""
from __future__ import annotations

import re
import unicodedata
from operator import attrgetter

from topics.records import SegmentedDocument
from workers.core.heuristics.reasons import COMMENT_REASONS

_LINE_NO = attrgetter("n")  # a removed line's number (the sort key, without a Python frame)


_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©|\(c\))?\s*(?:(?:19|20)\d{2}(?:\s*[-–—/]\s*(?:(?:19|20)?\d{2}|present|heute))?)?"
    r"\s*,?\s*(?:by\s+)?(?P<name>[^|·•\n]{2,80}?)\s*(?:\.\s|[|·•,]|\ball rights\b|\balle rechte\b|"
    r"\btodos los derechos\b|\btous droits\b|\btutti i diritti\b|\bsome rights\b|\.?$)",
    re.I,
)
_SUPPORT = re.compile(
    r"^(?:support|unterstützen sie|unterstütze|apoya a|apoya|soutenez|sostieni|steun|apoie)\s+(?P<name>.{2,60}?)"
    r"[.!]?$",
    re.I,
)
# the characters _SUPPORT's words can open with under re.I (ſ folds to s; a test checks every
# code point): a line opening with any other is no "Support X" line, and is not matched
SUPPORT_OPENINGS = frozenset("AaSsUu\u017f")
# trailing words of a company name that the site does not print in its masthead
LEGAL_SUFFIXES: tuple[str, ...] = (
    "ltd", "limited", "inc", "llc", "l.l.c", "gmbh", "ag", "plc", "s.a", "sa", "s.l", "sl", "srl", "s.r.l",
    "bv", "b.v", "nv", "co", "corp", "corporation", "kg", "e.v", "ev", "pty", "oy", "ab", "as",
)
COMPANY_WORDS: tuple[str, ...] = ("media", "group", "publishing", "publications", "holdings", "company",
                                  "verlag", "medien", "news media")
# lines that look like names but are page chrome
NOT_A_NAME: tuple[str, ...] = (
    "skip to", "zum inhalt", "ir al contenido", "aller au contenu", "menu", "search", "home", "main navigation",
    "we value your privacy", "cookie", "log in", "login", "sign in", "subscribe", "newsletter", "accept",
    "navigation", "breadcrumb", "advertisement", "share", "toggle", "close", "open", "suche", "buscar",
)
# a single generic menu word is never a site's name, even as the first line of the page
# ("Posts" / "Tags" / "About" of a minimal blog theme that never prints the site name)
GENERIC_NAV_WORDS: frozenset[str] = frozenset({
    "home", "homepage", "posts", "post", "blog", "blogs", "menu", "news", "tags", "tag", "about", "about us",
    "archive", "archives", "categories", "category", "contact", "articles", "writing", "notes", "projects",
    "topics", "search", "index", "main", "start", "latest", "feed", "rss", "now", "uses", "links", "portfolio",
    "startseite", "aktuelles", "neuigkeiten", "inicio", "noticias", "accueil", "actualités", "articles",
    "notizie", "início", "notícias", "nieuws", "over", "artikel", "beiträge", "entradas", "publications",
})
_STOP_NAME_WORDS = frozenset({"the", "a", "an", "of", "and", "der", "die", "das", "la", "le", "el", "de", "del",
                              "du", "des", "il", "lo", "het", "een"})


def _squash(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower().replace("&", "and"))
    return "".join(ch for ch in s if ch.isalnum() and ch.isascii())


# NOT_A_NAME as _name_like reads it: a line that is one of them, or opens with one and a space,
# or opens with one of more than six characters (one set, one tuple of openings)
_NOT_A_NAME_LINES = frozenset(NOT_A_NAME)
_NOT_A_NAME_OPENINGS = tuple(p + " " for p in NOT_A_NAME) + tuple(p for p in NOT_A_NAME if len(p) > 6)


def _name_like(s: str) -> bool:
    s = s.strip()
    if not (2 <= len(s) <= 60) or not any(map(str.isalpha, s)):
        return False
    words = s.split()
    if len(words) > 6:
        return False
    low = s.lower()
    if low in _NOT_A_NAME_LINES or low.startswith(_NOT_A_NAME_OPENINGS):
        return False
    if re.search(r"[|›»>/]|\s[-–—]\s|https?:", s):
        return False
    if s[-1] in ".!?:;," and not re.search(r"\b(?:inc|ltd|co|corp)\.$", low):
        return False
    if sum(map(str.isdigit, s)) > 4:
        return False
    if len(words) > 1 and not any(w[0].isupper() for w in words if w[0].isalpha()):
        return False
    return True


def _masthead_like(s: str) -> bool:
    """A masthead candidate: name-like and not a lone generic menu word ("Posts", "Home")."""
    return _name_like(s) and " ".join(s.lower().split()).strip(" .:") not in GENERIC_NAV_WORDS


def _clean_company(name: str) -> str:
    name = re.sub(r"\s*(?:(?:19|20)\d{2}\s*)+$", "", name).strip(" ,.-–—")
    words = name.split()
    changed = False
    while len(words) > 1 and words[-1].lower().rstrip(".").rstrip(",") in LEGAL_SUFFIXES:
        words.pop()
        changed = True
    if changed:
        while len(words) > 1 and words[-1].lower().rstrip(",") in COMPANY_WORDS:
            words.pop()
    return " ".join(words).strip(" ,")


def copyright_name(line: str) -> str | None:
    """"© 2016–2024 Northline Monitor. Articles may ..." -> "Northline Monitor"."""
    if "©" not in line and "(" not in line and "pyr" not in line.lower():
        return None  # _COPYRIGHT opens with ©, (c) or copyright: none of them here
    m = _COPYRIGHT.search(line)
    if not m:
        return None
    name = _clean_company(m.group("name"))
    return name if _name_like(name) else None


def support_name(line: str) -> str | None:
    """"Support SouthFront" -> "SouthFront" (not "Support us", "Support local journalism")."""
    line = line.strip()
    if line[:1] not in SUPPORT_OPENINGS:
        return None
    m = _SUPPORT.match(line)
    if not m:
        return None
    name = m.group("name").strip()
    first = name.split()[0]
    if not (first[0].isupper() or first[0].isdigit()) or first.lower() in ("us", "our", "uns", "unser", "nous",
                                                                           "nos", "nuestro", "nuestra"):
        return None
    return name if _name_like(name) else None


def _domain_match(name: str, domain: str | None) -> bool:
    if not domain:
        return False
    labels = domain.split(".")
    host = _squash("".join(labels[:-1]) if len(labels) > 1 else domain)
    sq = _squash(name)
    if not sq or not host:
        return False
    if len(sq) >= 4 and (sq in host or host in sq):
        return True
    words = [_squash(w) for w in name.split()]
    words = [w for w in words if len(w) >= 4 and w not in _STOP_NAME_WORDS]
    return bool(words) and sum(w[:5] in host for w in words) * 2 >= len(words)


def _same_name(a: str, b: str) -> bool:
    sa, sb = _squash(a), _squash(b)
    return bool(sa) and bool(sb) and (sa == sb or (len(sa) >= 4 and sb.startswith(sa))
                                      or (len(sb) >= 4 and sa.startswith(sb)))


def find_site_name(doc: SegmentedDocument, domain: str | None) -> str | None:
    meta = doc.html_meta or {}
    v = meta.get("site_name")
    if isinstance(v, str) and v.strip():
        return " ".join(v.split())
    removed = sorted(doc.removed, key=_LINE_NO)
    supports: list[str] = []
    copyrights: list[str] = []
    mastheads: list[tuple[str, bool]] = []  # (name, labelled site-header)
    for r in removed:
        if r.reason in COMMENT_REASONS:
            continue
        t = r.text.strip()
        s = support_name(t)
        if s:
            supports.append(s)
            continue
        if r.reason in ("copyright", "footer", "site-template", "boilerplate", "html-dom", "site-header") \
                or "©" in t or "copyright" in t.lower():
            c = copyright_name(t)
            if c:
                copyrights.append(c)
                continue
        if r.reason == "site-header" and _masthead_like(t) and not mastheads:
            mastheads.append((t, True))
    # the strip stage may have kept such lines (or produced no reasons at all)
    for p in doc.body_paragraphs:
        if len(p) <= 120:
            s = support_name(p)
            if s:
                supports.append(s)
            elif "©" in p or "copyright" in p.lower():
                c = copyright_name(p)
                if c:
                    copyrights.append(c)
    # an unlabelled masthead: one of the first lines of the page, name-like
    early = [r for r in removed if r.n <= 3 and r.reason not in COMMENT_REASONS]
    for r in early:
        t = r.text.strip()
        if _masthead_like(t) and all(t != m for m, _ in mastheads):
            mastheads.append((t, r.reason == "site-header"))
    for p in doc.body_paragraphs[:2]:
        if _masthead_like(p):
            mastheads.append((p.strip(), False))

    others = supports + copyrights
    for name, _lab in mastheads:
        if any(_same_name(name, o) for o in others) or _domain_match(name, domain):
            if doc.title and _squash(name) == _squash(doc.title):
                continue
            return name
    if supports:
        return supports[0]
    if copyrights:
        return copyrights[0]
    for name, labelled in mastheads:
        if labelled and not (doc.title and _squash(name) == _squash(doc.title)):
            return name
    return None
