"""The article's headline from the DOM and the head: which heading line gets the "title"
hint, and ``html_meta["headline"]`` (with ``headline_source``), the title the enriched
record carries for HTML input.

Order, most reliable first (measured on WCXB dev pages, see docs/html-and-metadata.md):
1. ``heading+head``: a heading whose text equals the head's title (og:title, JSON-LD
   headline or <title>) once the site's name is cut off: two independent sources agree;
2. ``dom``: the heading the DOM marks as the headline (entry-title, itemprop=headline, the
   page's only <h1>);
3. ``head``: the head's title without its site-name part ("Big news | The Paper").
"""
from __future__ import annotations

import html as _html
import re
from typing import Any
from urllib.parse import urlsplit

from workers.core.stages import html_features as F
from workers.core.stages.html_walk import DOM_REASON, HINT_HEADING, HINT_TITLE
from workers.core.stages.text import normalise

_SEP = re.compile(r"(\s+[|\-–—:·•»/]+\s+|\s*::\s*)")
_SQUASH = re.compile(r"\W+")
# Host labels that never name the site ("www.example.co.uk" -> "example").
_GENERIC_HOST_LABELS = frozenset({"www", "com", "org", "net", "co", "uk", "io", "de", "fr", "edu", "gov", "m"})
# A heading shorter than this (normalised) is too short to confirm a title ("Home").
MIN_AGREE_KEY = 4


def _squash(text: str | None) -> str:
    return _SQUASH.sub("", (text or "").lower())


def _site_words(meta: dict[str, Any]) -> list[str]:
    out = [s for s in (_squash(meta.get("site_name")),) if s]
    url = meta.get("canonical_url")
    if isinstance(url, str):
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        out += [lab for lab in (_squash(x) for x in host.split(".") if x not in _GENERIC_HOST_LABELS) if lab]
    return out


def _site_like(part: str, site: list[str]) -> bool:
    p = _squash(part)
    if not p:
        return True
    return any(p == s or s in p or (len(p) >= 4 and p in s) for s in site)


def head_title(title: str | None, meta: dict[str, Any]) -> str | None:
    """The head's title without the site's name: parts naming the site (site_name, the
    host) are cut from either end, then a last " | part" (the usual site suffix)."""
    if not title:
        return None
    toks = _SEP.split(title)
    parts, seps = toks[0::2], toks[1::2]
    if len(parts) == 1:
        return title
    site = _site_words(meta)
    while len(parts) > 1 and _site_like(parts[-1], site):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and _site_like(parts[0], site):
        parts.pop(0)
        seps.pop(0)
    if len(parts) > 1 and "|" in seps[-1]:
        parts.pop()
        seps.pop()
    out = parts[0]
    for sep, part in zip(seps, parts[1:]):
        out += sep + part
    return out.strip() or None


def mark_title(lines: list[list], keys: set[str]) -> None:
    """Hint "title" on the article's headline when the DOM makes it clear: a heading
    marked as the entry title (class entry-title, itemprop=headline, ...), else the only
    <h1> of the page, else the heading that repeats the page's <title>/og:title (the
    <title> usually adds " | Site Name"). A headline the DOM had put inside page chrome
    (a hero <header>) but that repeats the page title is the headline: its reason is
    cleared."""
    marked = [ln for ln in lines if ln[4] and ln[1] is None and ln[2] == HINT_HEADING]
    if marked:
        marked[0][2] = HINT_TITLE
        return
    h1s = [ln for ln in lines if ln[3] and ln[1] is None and ln[2] == HINT_HEADING]
    if len(h1s) == 1:
        h1s[0][2] = HINT_TITLE
        return
    if not keys:
        return
    for ln in lines:
        if ln[2] != HINT_HEADING or ln[1] not in (None, DOM_REASON):
            continue
        k = F.title_key(ln[0])
        if len(k) >= F.MIN_TITLE_KEY and k in keys:
            ln[2] = HINT_TITLE
            ln[1] = None
            return


def headline(lines: list[list], meta: dict[str, Any]) -> tuple[str | None, str | None]:
    """(headline, source) of the page; see the module docstring for the order."""
    heads = [h for h in (head_title(meta.get(k), meta) for k in ("title", "page_title")) if h]
    keys = {F.title_key(h) for h in heads}
    keys = {k for k in keys if len(k) >= MIN_AGREE_KEY}
    dom = None
    for ln in lines:
        hint = ln[2]
        if hint not in (HINT_HEADING, HINT_TITLE):
            continue
        if keys and F.title_key(ln[0]) in keys:
            return ln[0], "heading+head"
        if hint == HINT_TITLE and dom is None:
            dom = ln[0]
    if dom:
        return dom, "dom"
    if heads:
        return heads[0], "head"
    return None, None


# Title candidates kept in html_meta["title_candidates"] for the trained chooser
# (workers/core/stages/html_title_model.py): at most this many, each at most this long
MAX_CANDIDATES = 14
MAX_CANDIDATE_CHARS = 300


def _first_part(title: str | None) -> str | None:
    """The head title's first part before a separator ("Big news – the details | Paper" ->
    "Big news"), when it is long enough to be a headline."""
    if not title:
        return None
    parts = _SEP.split(title)
    if len(parts) < 3:
        return None
    first = parts[0].strip()
    return first if len(F.title_key(first)) >= MIN_AGREE_KEY else None


# Derived candidates (sources ``*_kicker``, ``*_site``, ``*_paren``): the same text without a
# short kicker before ": " ("Collection: Sennheiser"), without the site's name glued on
# without a separator ("davidbau.com Vibe Coding"), without a trailing parenthesis ("Best
# Books Ever (77141 books)"); built from these sources' texts
DERIVED_FROM: tuple[str, ...] = ("og_cut", "title_cut", "h1", "hint")
MAX_KICKER_WORDS = 3
MAX_SITE_WORDS = 4
_KICKER = re.compile(r"^([^:]{1,40}):\s+(?=\S)")
_PAREN = re.compile(r"\s*[(\[][^()\[\]]{1,40}[)\]]\s*$")


def _names_site(words: str, site: list[str]) -> bool:
    """``words`` are the site's name or host ("The Paper", "davidbau.com")."""
    sq = _squash(words)
    return sq in site or any(sq.startswith(s) and sq[len(s):] in _GENERIC_HOST_LABELS for s in site)


def _derived(text: str, site: list[str]) -> list[tuple[str, str]]:
    """(text, kind) variants of a candidate text: kicker cut, site name cut, parenthesis cut."""
    out = []
    m = _KICKER.match(text)
    if m and len(m.group(1).split()) <= MAX_KICKER_WORDS and ":" not in text[m.end():]:
        out.append((text[m.end():], "kicker"))
    words = text.split()
    if site and len(words) > 1:
        for k in range(1, min(MAX_SITE_WORDS, len(words) - 1) + 1):
            if _names_site(" ".join(words[:k]), site):
                out.append((" ".join(words[k:]), "site"))
                break
            if _names_site(" ".join(words[-k:]), site):
                out.append((" ".join(words[:-k]), "site"))
                break
    m = _PAREN.search(text)
    if m and m.start() > 0:
        out.append((text[:m.start()], "paren"))
    return out


def title_candidates(lines: list[list], meta: dict[str, Any]) -> list[list]:
    """The page's title candidates, ``[text, [sources...], line share]`` (line share: where
    the first heading with that text stands in the page, 0..1; -1 for head-only text).
    Sources: ``og`` (og:title / JSON-LD headline / <title>), ``title`` (<title>), ``og_cut`` /
    ``title_cut`` (without the site's name, ``head_title``), ``og_first`` / ``title_first``
    (the first part before a separator), ``marked`` (entry-title, itemprop=headline), ``h1``
    (first <h1> outside chrome), ``h1_any``, ``hint`` (the heading hinted "title"),
    ``heading`` (first heading outside chrome), ``rule`` (``headline``'s answer). Texts with
    the same ``title_key`` are one candidate."""
    og, page = meta.get("title"), meta.get("page_title")
    found: list[tuple[str, str, float]] = [
        (og, "og", -1.0), (page, "title", -1.0), (head_title(og, meta), "og_cut", -1.0),
        (head_title(page, meta), "title_cut", -1.0), (_first_part(og), "og_first", -1.0),
        (_first_part(page), "title_first", -1.0), (meta.get("headline"), "rule", -1.0)]
    n = max(len(lines), 1)
    seen: set[str] = set()
    for i, ln in enumerate(lines):
        hint = ln[2]
        if hint not in (HINT_HEADING, HINT_TITLE):
            continue
        pos = i / n
        srcs = []
        if ln[4] and "marked" not in seen:
            srcs.append("marked")
        if ln[3] and "h1_any" not in seen:
            srcs.append("h1_any")
        if ln[3] and ln[1] is None and "h1" not in seen:
            srcs.append("h1")
        if hint == HINT_TITLE and "hint" not in seen:
            srcs.append("hint")
        if ln[1] is None and "heading" not in seen:
            srcs.append("heading")
        for s in srcs:
            seen.add(s)
            found.append((ln[0], s, pos))
    site = [w for w in _site_words(meta) if len(w) >= 3]
    for text, src, pos in list(found):
        if src in DERIVED_FROM and isinstance(text, str):
            found += [(t, f"{src}_{kind}", pos) for t, kind in _derived(normalise(text), site)]
    found += _part_candidates(og, page, meta)
    out: dict[str, list] = {}
    for text, src, pos in found:
        if not isinstance(text, str) or not text.strip():
            continue
        text = normalise(repair(text))[:MAX_CANDIDATE_CHARS]
        key = F.title_key(text)
        if not key:
            continue
        if key in out:
            c = out[key]
            c[1].append(src)
            if c[2] < 0 <= pos:
                c[2] = round(pos, 4)
        elif len(out) < MAX_CANDIDATES:
            out[key] = [text, [src], round(pos, 4)]
    return list(out.values())


def _part_candidates(og: str | None, page: str | None, meta: dict[str, Any]) -> list[tuple[str, str, float]]:
    """Candidates from the head's parts, for the gold that keeps what the site-name cut drops:
    ``og_rest`` / ``title_rest`` (the title without its first part: "Webcams - Yosemite
    National Park" -> "Yosemite National Park", a forum's "Category - Thread title"),
    ``og_last`` / ``title_last`` (its last part: "jobs | Hacker News" -> "Hacker News"), and
    ``og_init`` / ``title_init`` (a head of three parts or more without its last part only:
    "Portfolio | Denver Web Design | Agency" -> "Portfolio | Denver Web Design"), and
    ``site_name`` (the head's site name: a listing page's title is often the site's)."""
    out: list[tuple[str, str, float]] = []
    for text, name in ((og, "og"), (page, "title")):
        toks = _SEP.split(text) if text else []
        if len(toks) < 3:
            continue
        out.append(("".join(toks[2:]).strip(), f"{name}_rest", -1.0))
        out.append((toks[-1].strip(), f"{name}_last", -1.0))
        if len(toks) >= 5:
            out.append(("".join(toks[:-2]).strip(), f"{name}_init", -1.0))
    site = meta.get("site_name")
    if isinstance(site, str):
        out.append((site, "site_name", -1.0))
    return out


# Text decoded with the wrong charset: UTF-8 bytes read as Latin-1 leave C1 controls or "Ã"/"â"
# followed by a continuation character ("Investorâ\x80\x99s" for "Investor’s"); entities left
# escaped twice ("TFC8&reg;")
_MOJIBAKE = re.compile(r"[\x80-\x9f]|[ÂÃâ][\x80-\xbf]")
# The single-byte charsets a UTF-8 emoji or symbol was read with when Latin-1 cannot give the
# bytes back: Windows Central European ("đ\x9f\x97\x9eď¸\x8f" for "🗞️") and the DOS code page
# ("≡ƒñö" for "🤔"); a C1 control keeps its own byte (the decoders pass undefined bytes through)
MOJIBAKE_CHARSETS: tuple[str, ...] = ("cp1250", "cp437")
# what such a text starts with: a 4-byte UTF-8 lead (F0) in either charset, then a byte read as
# a C1 control or a DOS letter ("đ\x9f", "≡ƒ")
_MOJIBAKE_LEAD = re.compile("[đ≡][\x80-\x9fƒÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧]")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
# Invisible characters inside words: soft hyphen, zero-width space / joiners, byte-order mark
# ("Assis\xadtance" is "Assistance" on screen and in the gold)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# A no-break space read as Latin-1 ("Â\u00a0") whose no-break space a line's whitespace
# collapsing already made a plain one: an "Â" glued to a lower-case letter or digit before a
# space ("Co-opÂ Trail"); a capital Â never ends a lower-case word
_LONE_NBSP_LEAD = re.compile(r"(?<=[a-z0-9])Â(?=\s|$)")


def repair(text: str) -> str:
    """``text`` with a Latin-1-read UTF-8 sequence decoded again (or one read with a
    ``MOJIBAKE_CHARSETS`` charset, or a no-break space's lone "Â"), stray entities unescaped and
    invisible characters (soft hyphen, zero-width) dropped (unchanged when none applies or the
    re-decoding fails)."""
    if _MOJIBAKE.search(text):
        try:
            text = text.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass
    if _MOJIBAKE_LEAD.search(text):
        text = _redecode(text)
    if "Â" in text:
        text = _LONE_NBSP_LEAD.sub("", text)
    if "&" in text and _ENTITY.search(text):
        text = _html.unescape(text)
    return _INVISIBLE.sub("", text)


def _redecode(text: str) -> str:
    """``text`` read back as UTF-8 from the first of ``MOJIBAKE_CHARSETS`` that gives every
    character's byte (a C1 control: its own byte) and valid UTF-8; else unchanged."""
    for charset in MOJIBAKE_CHARSETS:
        try:
            raw = b"".join(bytes([ord(ch)]) if ord(ch) < 0xA0 else ch.encode(charset) for ch in text)
            return raw.decode("utf-8")
        except UnicodeError:
            continue
    return text
