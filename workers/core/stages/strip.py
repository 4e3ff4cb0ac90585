"""Strip stage: label every line of a document as content or boilerplate (with a reason).

The text path, in passes (all heuristics are data in ``workers.core.heuristics``):

1. **split** the (flattened) text into ``Line``s: number, blank lines before, stripped text.
2. **per-line features**: word count, prose evidence ("good" line: long, or a sentence),
   and the first matching widget/chrome **signature** (RE2, linear time, capped line length).
   Lines seen on enough earlier pages of the same site (the learned **site template**) get
   "site-template".
3. **regions**: the comment section(s) (a start marker confirmed by more comment chrome
   nearby, up to the first end marker after the last per-comment evidence); the **body
   span** = the maximum-sum run of lines before the comments (prose scores up, menus and
   chrome down: a 1-D densest-block search that bridges subheads, lists, ads and newsletter
   boxes inside the article but not a sidebar behind a menu); the **title** just above the
   body (URL slug overlap breaks ties); header above, post-body and footer below.
4. **labels**: strong signatures always win; weak ones (generic words such as "FAQ",
   "Print") only outside the body span; unlabelled lines get the reason of their region.
   Inside a comment section, lines are author lines (widget patterns such as "X says:",
   "Submitted by X on …", "X•last month", or a bare name in an author position), chrome,
   or comment text.

Kept lines have ``reason=None``; their ``hint`` carries the role the structure pass gave
them ("title", "body", "comment-author", "comment-start", "comment"), which the segment
stage reads. (For text/html the DOM hint of a kept line is replaced by that role.)
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import re

import re2

from topics.records import Line, RawDocument, StrippedDocument
from workers.core.heuristics import thresholds as T
from workers.core.heuristics.dates import FULL_DATE, RELATIVE_TIME
from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.heuristics.signatures import (
    AUTHOR_PATTERNS, DATE_ANYWHERE, DATELINE, PLACEHOLDER_AUTHORS, SIGNATURES, TRAILING_AUTHOR_PATTERNS, Signature,
)
from workers.core.stages.ingest import site_key

_OPTS = re2.Options()
_OPTS.max_mem = 64 << 20
_OPTS.case_sensitive = False


def _full(pattern: str):
    return re2.compile("^(?:" + pattern + ")$", _OPTS)


# one RE2::Set per scope: most lines match no signature at all, and one pass finds those that do
_PAGE_SIGS = tuple(s for s in SIGNATURES if s.scope != "comments")
_COMMENT_SIGS = tuple(s for s in SIGNATURES if s.scope == "comments")


def _full_set(sigs: tuple[Signature, ...]):
    """All of ``sigs`` in one RE2::Set (anchored at both ends): one pass over a line tells
    which signatures match it fully, in linear time."""
    rset = re2.Set.FullMatchSet(_OPTS)
    for sig in sigs:
        rset.Add(sig.pattern)
    rset.Compile()
    return rset


_ANY_PAGE = _full_set(_PAGE_SIGS)
# lines longer than LONG_LINE_WORDS can only match the signatures without a small word limit
_LONG_LINE_WORDS = 14
_LONG_PAGE_SIGS = tuple(s for s in _PAGE_SIGS if not s.max_words or s.max_words > _LONG_LINE_WORDS)
_ANY_LONG_PAGE = _full_set(_LONG_PAGE_SIGS)
_ANY_COMMENT = _full_set(_COMMENT_SIGS)
_ANY_AUTHOR = _full("|".join("(?:" + s.pattern.replace("?P<name>", "").replace("?P<when>", "") + ")"
                             for s in AUTHOR_PATTERNS))
_AUTHORS: tuple[tuple[Signature, Any], ...] = tuple((s, _full(s.pattern)) for s in AUTHOR_PATTERNS)
_TRAILING: tuple[tuple[Signature, Any], ...] = tuple((s, _full(s.pattern)) for s in TRAILING_AUTHOR_PATTERNS)
_DATELINE = _full(DATELINE)
_DATE_IN = re2.compile(DATE_ANYWHERE, _OPTS)
_TIMEISH = _full(rf"(?:posted |edited )?(?:{RELATIVE_TIME}|.{{0,20}}(?:{FULL_DATE}).{{0,30}}|\d{{1,2}}[:.]\d{{2}}\s?(?:[ap]\.?m\.?|uhr|h)?)")
_WORD = re.compile(r"\w+")  # stdlib re: a single character class, no nesting, linear
_HAS_DIGIT = re.compile(r"\d")  # stdlib re: one character class
_UPPER_START = re2.compile(r"^[\p{Lu}\p{Lt}]")

# name particles allowed in lower case inside a capitalised name ("Ludwig van Beethoven")
_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le", "al", "el",
                        "bin", "ibn", "y", "e", "of", "the", "ter", "zu", "dos", "das"})
_SENT_END = ".!?…"
_BULLETS = frozenset("•◦▪▫‣∙●○■□➢➤►")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_QUOTES_TAIL = "\"'”“’»)]*"

# Reasons that may sit between the title and the body start without stopping the title search.
_TITLE_SKIP = frozenset({"byline", "dateline", "share", "call-to-action", "donation", "tags", "advertisement",
                         "site-template", "related", "comment-chrome", "navigation", "html-dom", "cookie",
                         "newsletter", "footer", "copyright"})
# weak page signatures that would eat comment text ("OK!", "June 2023", "#hashtags")
_NOT_IN_COMMENTS = frozenset({"cookie-banner", "archive-month", "hashtags", "nav-arrows", "jetpack-related-in"})
# widget chrome that only a comment widget prints: trusted even over a long first comment
_WIDGET_STARTS = frozenset({"wpdiscuz-notify", "wpdiscuz-sort", "wpdiscuz-feedback"})
_START_NEEDS_EVIDENCE = frozenset({"comment-count-header", "comment-count-loose", "wpdiscuz-feedback"})
# (no signature carries "comment-author", so the shared group gives the same answers here)
_COMMENT_REASONS = COMMENT_REASONS


# --- small text helpers -----------------------------------------------------------------

def normalise(text: str) -> str:
    return " ".join(text.split())


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def ends_sentence(text: str) -> bool:
    t = text.rstrip(_QUOTES_TAIL + " ")
    return bool(t) and t[-1] in _SENT_END


_ASCII_DIGITS_TO_0 = str.maketrans("123456789", "000000000")


def template_key(text: str) -> str:
    """CCNet-style line normalisation (lower case, digits -> 0, whitespace collapsed), hashed."""
    t = normalise(text).lower()
    if t.isascii():
        t = t.translate(_ASCII_DIGITS_TO_0)  # the common case, at C speed
    else:
        t = "".join("0" if c.isdigit() else c for c in t)
    return hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def is_name_like(text: str, strict: bool = False) -> bool:
    """A commenter name: 1-5 words, short, no sentence punctuation; ``strict`` also asks for
    capitalised words (a bare name line with no other cue)."""
    t = normalise(text)
    if not t or len(t) > T.AUTHOR_MAX_CHARS:
        return False
    if any(c in t for c in ",;:!?\"“”„()[]{}<>|/\\=+*#%$€£@…"):
        return False
    ws = t.split(" ")
    if len(ws) > T.AUTHOR_MAX_WORDS:
        return False
    if t.endswith(".") and not (len(ws[-1]) <= 3 and ws[-1][:-1].isalpha()):  # "Hanne B." ok, "done." not
        return False
    letters = sum(c.isalpha() for c in t)
    if letters < 2 or letters < len(t.replace(" ", "")) / 2:
        return False
    if strict:
        if len(ws) > 1 and t.upper() == t:  # "GO HUSKIES"
            return False
        caps = 0
        for w in ws:
            if _UPPER_START.search(w) or w[0].isdigit():
                caps += 1
            elif w.lower() not in _PARTICLES:
                return False
        return caps >= 1
    return True


_NUMBERING = re2.compile(r"^(?:#\s?\d{1,5}|\d{1,4}[.)])\s+")
_ROLE_SUFFIX = re2.compile(r"\s+(?:[-–—|·•]\s+.{1,40}|\((?:author|admin|op|editor|moderator|staff)\))$", _OPTS)


def bare_name(text: str) -> str:
    """A bare author line without its decorations: '#3 Bram | Bramus!' -> 'Bram',
    'Robert Nyman - author' -> 'Robert Nyman'."""
    t = _NUMBERING.sub("", normalise(text), 1)
    t2 = _ROLE_SUFFIX.sub("", t, 1)
    return t2 or t


def placeholder(name: str | None) -> bool:
    return name is not None and normalise(name).lower().strip(" .") in PLACEHOLDER_AUTHORS


def parse_author_line(text: str, trailing: bool = False) -> tuple[str, str | None, str] | None:
    """(name, printed time or None, pattern name) when ``text`` is a comment-widget author
    line (``trailing``: one printed under the comment text)."""
    t = normalise(text)
    if len(t) > 140:
        return None
    for sig, rx in (_TRAILING if trailing else _AUTHORS):
        m = rx.search(t)
        if not m:
            continue
        name = (m.group("name") or "").strip(" -–—|,:")
        when = None
        try:
            when = m.group("when")
        except (IndexError, KeyError):
            when = None
        when = (when or "").strip() or None
        if sig.name == "drupal-submitted":
            if name.lower().endswith("(not verified)"):
                name = name[: -len("(not verified)")].strip()
        elif when is not None and not _TIMEISH.search(when):
            continue
        if sig.name == "wp-says" and t.rstrip().endswith(".") and not t.endswith("..."):
            continue
        if not name or not is_name_like(name):
            continue
        return name, when, sig.name
    return None


def clean_author(name: str | None) -> str | None:
    if name is None or placeholder(name):
        return None
    n = normalise(name)
    if n.lower().endswith("(not verified)"):
        n = n[: -len("(not verified)")].strip()
    return n or None


def _is_dateline(norm: str) -> bool:
    """A short line whose core is a full date: the date plus at most a few other words
    ('Published 6 May 2024 · Updated 7 May 2024', 'January 22, 2024 · 7 min read')."""
    if not _HAS_DIGIT.search(norm):
        return False  # every full date has a number
    if _DATELINE.search(norm):
        return True
    m = _DATE_IN.search(norm)
    if not m:
        return False
    rest = norm[: m.start()] + " " + norm[m.end():]
    m2 = _DATE_IN.search(rest)
    if m2:
        rest = rest[: m2.start()] + " " + rest[m2.end():]
    return len(words_of(rest)) <= T.DATELINE_MAX_OTHER_WORDS


# --- per-line features --------------------------------------------------------------------

@dataclass(slots=True)
class _F:
    words: int
    good: bool
    sig: Signature | None        # page-scope signature
    csig: Signature | None       # comment-scope signature (evaluated for every line)
    dateline: bool
    author: tuple[str, str | None, str] | None
    template: bool
    trailing: tuple[str, str | None, str] | None = None


def _is_prose(norm: str, nw: int) -> bool:
    """A "good" line (jusText's term): long enough and sentence-like. A headline (no
    punctuation at all) or a short question is not prose."""
    seps = norm.count(" | ") + norm.count(" · ") + norm.count(" • ") + norm.count(" » ") + norm.count(" › ")
    if seps >= 3 or norm.count("|") >= 4 or (seps >= 2 and nw < T.GOOD_ALWAYS_WORDS):
        return False  # a row of links, however long
    if nw >= T.GOOD_ALWAYS_WORDS:
        return True
    t = norm.rstrip(_QUOTES_TAIL + " ")
    if not t:
        return False
    if nw >= T.GOOD_MIN_WORDS:
        # no sentence end: prose only with inner sentence punctuation (a headline has none)
        return t[-1] in ".!?…:;" or ". " in t or "; " in t or (", " in t and nw >= 18)
    if nw >= T.GOOD_MIN_WORDS_WITH_PUNCT:
        if t[-1] in ".!…:":
            return not t.endswith("...") or nw >= 12
        if t[-1] == "?":
            return nw >= 12
    return False


def _match(norm: str, nwords: int, quick, sigs) -> Signature | None:
    """The first signature of ``sigs`` (in declaration order) that matches the whole line
    and allows its word count."""
    if len(norm) > T.MAX_SIGNATURE_CHARS:
        return None
    hits = quick.Match(norm)
    if not hits:
        return None
    for i in sorted(hits):
        sig = sigs[i]
        if not sig.max_words or nwords <= sig.max_words:
            return sig
    return None


def lines_digest(lines: list[Line]) -> str:
    """A short digest of a page's lines: recognises the same page when it is redelivered."""
    h = hashlib.blake2b(digest_size=8)
    for ln in lines:
        h.update(ln.text.encode("utf-8", "surrogatepass"))
        h.update(b"\n")
    return h.hexdigest()


def template_view(profile: dict | None, doc_id: str | None, lines: list[Line]) -> set[str] | None:
    """The template lines (8-hex-digit key prefixes) this page was labelled with when it
    was first learned, if the profile remembers it and the page is unchanged: a redelivered
    page is then labelled exactly as the first time, although the site profile has learned
    from later pages since (byte-identical re-processing). None when not remembered."""
    if not isinstance(profile, dict) or not doc_id:
        return None
    memo = profile.get("memo")
    entry = memo.get(doc_id) if isinstance(memo, dict) else None
    if not isinstance(entry, str) or ":" not in entry:
        return None
    digest, _, keys = entry.partition(":")
    if digest != lines_digest(lines):
        return None
    return {keys[i:i + 8] for i in range(0, len(keys), 8)}


def template_hits(lines: list[Line], profile: dict | None) -> set[str]:
    """Key prefixes of this page's lines that the profile counts as template."""
    if not isinstance(profile, dict) or int(profile.get("docs", 0) or 0) < T.TEMPLATE_MIN_DOCS:
        return set()
    counts = profile.get("lines") or {}
    out: set[str] = set()
    for ln in lines:
        norm = normalise(ln.text)
        if len(norm) > T.MAX_LEARN_CHARS:
            continue
        key = template_key(norm)
        ent = counts.get(key)
        if ent is not None and int(ent[0] if isinstance(ent, list) else ent) >= T.TEMPLATE_MIN_DOCS:
            out.add(key[:8])
    return out


# Per-line features depend on the line's text alone, so they are memoised across pages:
# chrome lines (menus, "Reply", "Guest", footers) repeat on every page of a site and are
# matched once. Bounded (cleared when full); prose lines are too long to be kept.
_LINE_CACHE: dict[str, tuple] = {}


def _features(lines: list[Line], profile: dict | None, view: set[str] | None = None) -> list[_F]:
    """``view``: a remembered template view (see ``template_view``) used instead of the
    profile's current counts."""
    counts: dict[str, Any] = {}
    use_template = isinstance(profile, dict) and int(profile.get("docs", 0) or 0) >= T.TEMPLATE_MIN_DOCS
    if use_template:
        counts = profile.get("lines") or {}
    if view is not None:
        use_template = bool(view)
        counts = _ViewCounts(view)
    out: list[_F] = []
    cache = _LINE_CACHE
    if len(cache) > T.LINE_CACHE_ENTRIES:
        cache.clear()
    for ln in lines:
        norm = normalise(ln.text)
        hit = cache.get(norm)
        if hit is not None:
            nw, good, sig, csig, dl, author, trailing = hit
            tmpl = False
            if use_template and len(norm) <= T.MAX_LEARN_CHARS:
                ent = counts.get(template_key(norm))
                tmpl = ent is not None and int(ent[0] if isinstance(ent, list) else ent) >= T.TEMPLATE_MIN_DOCS
            out.append(_F(nw, good and (sig is None or sig.weak), sig, csig, dl, author, tmpl, trailing))
            continue
        key = norm
        nw = len(words_of(norm))
        good = _is_prose(norm, nw)
        short_enough = len(norm) <= T.MAX_SIGNATURE_CHARS
        if nw <= 4 and len(norm) > 2 and norm[0] in "[(|{" and norm[-1] in "])|}":
            norm = norm.strip("[](){}| ") or norm    # "[Reply]", "| Reply |"
        if not short_enough:
            sig = None
        elif nw <= _LONG_LINE_WORDS:
            sig = _match(norm, nw, _ANY_PAGE, _PAGE_SIGS)
        else:
            sig = _match(norm, nw, _ANY_LONG_PAGE, _LONG_PAGE_SIGS)
        csig = _match(norm, nw, _ANY_COMMENT, _COMMENT_SIGS) if short_enough and nw <= 14 else None
        dl = bool(short_enough and nw <= 16 and _is_dateline(norm))
        trailing = parse_author_line(norm, trailing=True) if nw <= 20 and "by" in norm.lower() else None
        author = None if trailing else (parse_author_line(norm) if nw <= 20 and _ANY_AUTHOR.search(norm) else None)
        tmpl = False
        if use_template and len(norm) <= T.MAX_LEARN_CHARS:
            ent = counts.get(template_key(norm))
            if ent is not None and int(ent[0] if isinstance(ent, list) else ent) >= T.TEMPLATE_MIN_DOCS:
                tmpl = True
        if sig is not None and good and sig.weak:
            sig = None
        if len(key) <= T.LINE_CACHE_MAX_CHARS:
            cache[key] = (nw, good, sig, csig, dl, author, trailing)
        out.append(_F(nw, good and (sig is None or sig.weak), sig, csig, dl, author, tmpl, trailing))
    return out


# --- structure ------------------------------------------------------------------------------

_EVIDENCE_CSIGS = frozenset({"comment-reply-link", "comment-timestamp", "comment-relative-time", "comment-reply-to",
                             "comment-number"})


def _is_comment_evidence(f: _F) -> bool:
    """Per-comment evidence: an author line with a time or a widget verb ("says:"), a reply
    link, a comment timestamp, a threading marker, or strong comment-widget chrome."""
    if f.author is not None and (f.author[1] is not None or not f.author[2].startswith("by")):
        return True
    if f.trailing is not None:
        return True
    if f.csig is not None and f.csig.name in _EVIDENCE_CSIGS:
        return True
    return f.sig is not None and f.sig.reason in _COMMENT_REASONS and not f.sig.weak


def _find_comment_regions(lines: list[Line], feats: list[_F], first_good: int) -> list[tuple[int, int]]:
    """[(start, end)) index ranges of comment sections."""
    regions: list[tuple[int, int]] = []
    n = len(lines)
    prose_upto = [0] * (n + 1)   # prefix sums of prose words: bounded work per candidate
    for k, f in enumerate(feats):
        prose_upto[k + 1] = prose_upto[k] + (f.words if f.good else 0)
    i = max(first_good, 0)
    while i < n:
        f = feats[i]
        start_ok = False
        if f.sig is not None and f.sig.role == "start":
            # a weak start (a bare "Comments" heading) or a count needs more comment chrome right after it
            ev = 0
            for j in range(i + 1, min(n, i + 16)):
                if _is_comment_evidence(feats[j]) or (feats[j].sig is not None and feats[j].sig.role in ("start", "end")
                                                      and not feats[j].sig.weak):
                    ev += 1
            if f.sig.weak or f.sig.name in _START_NEEDS_EVIDENCE:
                start_ok = ev >= 1
            else:
                start_ok = True
        elif f.author is not None and f.author[1] is not None:
            # widget author lines with a time, twice within a few lines: a comment list without header
            more = sum(1 for j in range(i + 1, min(n, i + 40)) if feats[j].author is not None)
            start_ok = more >= 1
        if start_ok:
            # the article comes first: a comment section needs some prose above it, and the
            # first stretch under the marker must not be a bigger article than the one above
            prose = prose_upto[i] - prose_upto[max(first_good, 0)]
            start_ok = prose >= T.REPEATED_HEADERS_MIN_BODY_WORDS
            if start_ok and not (f.sig is not None and f.sig.name in _WIDGET_STARTS):
                run = 0
                limit = max(T.ARTICLE_UNDER_MARKER_WORDS, prose)
                for j in range(i + 1, min(n, i + 1 + T.MAX_SCAN_LINES)):
                    if run > limit:
                        break  # bounded work: the verdict is already known
                    fj = feats[j]
                    if _is_comment_evidence(fj) or (fj.sig is not None and fj.sig.role in ("start", "end", "boundary")
                                                    and not fj.sig.weak):
                        if run:
                            break
                        continue
                    if fj.good:
                        run += fj.words
                if run > limit:
                    start_ok = False
        if not start_ok:
            i += 1
            continue
        # the section runs to the first end marker after the last per-comment evidence
        last_ev = i
        j = i + 1
        end = n
        while j < n:
            fj = feats[j]
            if fj.author is not None or fj.trailing is not None or fj.csig is not None or (
                    fj.sig is not None and fj.sig.reason in ("comment-removed",)):
                last_ev = j
            elif fj.sig is not None and fj.sig.role == "start" and not fj.sig.weak:
                last_ev = max(last_ev, j)
            if fj.sig is not None and fj.sig.role == "end" and j > last_ev and not fj.sig.weak:
                # the end is real unless more per-comment evidence follows closely (a form before the list)
                ahead = [k for k in range(j + 1, min(n, j + 12)) if _is_comment_evidence(feats[k])
                         and not (feats[k].sig is not None and feats[k].sig.role == "end")]
                if not ahead:
                    end = j
                    break
            if fj.good and fj.sig is None and j > last_ev + 25:
                end = last_ev + 1
                break
            j += 1
        regions.append((i, end))
        i = end + 1
    return regions


def _header_like(f: _F) -> bool:
    """A per-comment header: a widget author line, or a short line with a date/time or a byline shape."""
    if f.good or f.words > 16:
        return False
    if f.author is not None:
        return True
    if f.sig is not None and f.sig.reason == "byline":
        return True
    return f.dateline


def _repeated_header_region(lines: list[Line], feats: list[_F], first_good: int, before: int
                            ) -> tuple[int, int] | None:
    """Comment lists without a recognised header: >= 3 header-like lines after the article's
    first prose, each followed closely by text, before any region found by markers."""
    n = len(lines)
    heads = []
    for k in range(first_good + 1, min(before, n)):
        if not _header_like(feats[k]):
            continue
        follow = [j for j in range(k + 1, min(n, k + 4)) if feats[j].words >= 5 and not _header_like(feats[j])
                  and (feats[j].sig is None or feats[j].sig.weak)]
        if follow:
            heads.append(k)
    # the longest chain of headers that follow each other closely (comments are short units)
    best: list[int] = []
    cur: list[int] = []
    for k in heads:
        if cur and k - cur[-1] > T.REPEATED_HEADERS_MAX_GAP:
            cur = []
        cur.append(k)
        if len(cur) > len(best):
            best = list(cur)
    # extend the chain over earlier/later headers with looser gaps (long comments in between)
    if best:
        pos0 = heads.index(best[0])
        while pos0 > 0 and best[0] - heads[pos0 - 1] <= T.REPEATED_HEADERS_MAX_GAP * 3:
            pos0 -= 1
            best.insert(0, heads[pos0])
        pos1 = heads.index(best[-1])
        while pos1 + 1 < len(heads) and heads[pos1 + 1] - best[-1] <= T.REPEATED_HEADERS_MAX_GAP * 3:
            pos1 += 1
            best.append(heads[pos1])
    heads = best
    # distinct headers (a page printed twice repeats its byline and dateline verbatim)
    if len({normalise(lines[k].text).lower() for k in heads}) < T.REPEATED_HEADERS:
        return None
    # the article must come first: some prose between the first prose line and the first header
    prose = sum(feats[k].words for k in range(first_good, heads[0]) if feats[k].good)
    if prose < T.REPEATED_HEADERS_MIN_BODY_WORDS:
        return None
    start = heads[0]
    for k in range(heads[0] - 1, max(first_good, heads[0] - 10), -1):
        f = feats[k]
        if f.sig is not None and f.sig.role == "start":
            start = k
            break
        if f.good:
            break
    end = n
    for j in range(heads[-1] + 1, n):
        f = feats[j]
        if f.sig is not None and f.sig.role == "end" and not f.sig.weak:
            end = j
            break
    return start, end


def _body_span(feats: list[_F], lo: int, hi: int, lines: list[Line]) -> tuple[int, int] | None:
    """Maximum-sum contiguous run of lines in [lo, hi): the article body."""
    if hi <= lo:
        return None
    scores = []
    shorts = [False] * (hi - lo)
    bullets = [lines[k].text[:1] in _BULLETS and len(lines[k].text) > 2 for k in range(lo, hi)]
    for k in range(lo, hi):
        f = feats[k]
        strong = f.sig is not None and not f.sig.weak
        shorts[k - lo] = (not f.good and not strong and f.words <= T.SHORT_MAX_WORDS and not bullets[k - lo])
    for k in range(lo, hi):
        f = feats[k]
        strong = (f.sig is not None and not f.sig.weak) or f.template
        if f.good and not f.template:
            s = min(f.words, T.SCORE_GOOD_CAP) * 0.5
            prev_good = k > lo and feats[k - 1].good
            next_good = k + 1 < hi and feats[k + 1].good
            if not prev_good and not next_good and k > lo:
                pf = feats[k - 1]
                nf = feats[k + 1] if k + 1 < hi else None
                headline_above = (pf.sig is None and 4 <= pf.words <= 20
                                  and not ends_sentence(lines[k - 1].text))
                between_links = (pf.words <= T.SHORT_MAX_WORDS and (pf.sig is None or pf.sig.weak)
                                 and nf is not None and nf.words <= T.SHORT_MAX_WORDS
                                 and (nf.sig is None or nf.sig.weak)
                                 and not lines[k].text.rstrip().endswith(":"))
                if headline_above or between_links:
                    s *= T.ISOLATED_GOOD_FACTOR   # a teaser under a headline link, not a run of paragraphs
        elif strong or f.dateline:
            s = T.SCORE_SIGNATURE
        elif bullets[k - lo]:
            s = T.SCORE_LIST_ITEM   # a bulleted list item: article lists, rarely menus in flattened text
        elif f.sig is not None:
            s = T.SCORE_WEAK_SIGNATURE
        elif f.words > T.SHORT_MAX_WORDS:
            s = T.SCORE_MEDIUM
        else:
            # a short line inside a run of short lines is menu-like
            a = k - lo
            run = 1
            b = a - 1
            while b >= 0 and shorts[b] and run < T.MENU_RUN:
                run += 1
                b -= 1
            b = a + 1
            while b < hi - lo and shorts[b] and run < T.MENU_RUN:
                run += 1
                b += 1
            s = T.SCORE_LINKLIKE_RUN if run >= T.MENU_RUN else T.SCORE_SHORT
        scores.append(s)
    best, best_span = 0.0, None
    cur, cur_start = 0.0, lo
    for k, s in enumerate(scores, start=lo):
        if cur <= 0:
            cur, cur_start = 0.0, k
        cur += s
        if cur > best:
            best, best_span = cur, (cur_start, k + 1)
    return best_span


_LINK_ROW_SEPS = (" | ", " · ", " • ", " » ", " › ", " / ")


def _tail_block_end(lines: list[Line], feats: list[_F], prelim: list[str | None], reasons: list[str | None],
                    end: int, c_start: int) -> int:
    """The body span may stop at its last paragraph although a subheading and a short list
    follow it right before the comment widget ("What you need" / three items / "Add a
    comment"): the Kadane sum counts short lines as menu-like. Such a block is body when it
    directly follows prose and directly precedes the comment section (or a comment-widget
    line), and looks like a list: short unlabelled lines, no signature (so no nav words), no
    link-row separators, not only name-like lines (a bio, a byline). Returns the new end."""
    if end <= 0 or end >= c_start or not feats[end - 1].good:
        return end
    j = end
    while j < c_start and j - end <= T.TAIL_BLOCK_MAX_LINES:
        f = feats[j]
        text = lines[j].text
        if (reasons[j] is not None or prelim[j] is not None or f.sig is not None or f.template or f.dateline
                or f.author is not None or f.trailing is not None or not 1 <= f.words <= T.TAIL_BLOCK_MAX_WORDS
                or any(sep in text for sep in _LINK_ROW_SEPS)):
            break
        j += 1
    size = j - end
    if not T.TAIL_BLOCK_MIN_LINES <= size <= T.TAIL_BLOCK_MAX_LINES:
        return end
    if j < c_start:
        f = feats[j]
        if not (f.sig is not None and not f.sig.weak and f.sig.reason in _COMMENT_REASONS
                and f.sig.role in ("start", "end", "empty")):
            return end
    # list items, not headlines: a related/recommended list under the article is a column of
    # Title Case headlines ("Transfer Contacts to iPhone Without iTunes"), "key: value" rows or links
    for k in range(end + 1, j):
        if _headline_case(lines[k].text) or ":" in lines[k].text or "http" in lines[k].text.lower() \
                or "www." in lines[k].text.lower():
            return end
    head = lines[end].text.rstrip()
    if ":" in head[:-1] or (_headline_case(head) and head.endswith(":")):
        return end  # "Image: Credit", "Related Articles:"
    return j


def _headline_case(text: str) -> bool:
    """Title Case: most words of 4+ letters start with a capital (a headline, a link title)."""
    long = [w for w in words_of(text) if len(w) >= 4 and w[0].isalpha()]
    if not long:
        return bool(words_of(text)) and all(w[0].isupper() for w in words_of(text) if w[0].isalpha())
    return sum(1 for w in long if w[0].isupper()) * 2 > len(long)


def _newsletter_blurbs(lines: list[Line], feats: list[_F], prelim: list[str | None], reasons: list[str | None],
                       roles: list[str | None], in_region: list[bool]) -> None:
    """A short pitch line sandwiched in a sign-up box ("Sign up to our newsletter" / "The
    week's news, every Friday." / "Email address" / "Sign up") goes with the box: inside the
    article the body span bridges the box (its blurb would stay body), after it the blurb
    would get the region's generic reason."""
    n = len(lines)

    def box_line(i: int) -> bool:
        f = feats[i]
        return f.sig is not None and (f.sig.reason == "newsletter" or f.sig.name == "wp-form-fields")

    def free(i: int) -> bool:  # no signature, no DOM reason: labelled only by its region
        return (not in_region[i] and lines[i].reason is None and prelim[i] is None and feats[i].sig is None
                and not feats[i].dateline and feats[i].words <= T.BOX_BLURB_MAX_WORDS)

    for k in range(n):
        f = feats[k]
        if f.sig is None or f.sig.reason != "newsletter" or in_region[k]:
            continue
        run = []
        j = k + 1
        while j < n and len(run) <= T.BOX_BLURB_MAX_LINES and free(j):
            run.append(j)
            j += 1
        if not run or len(run) > T.BOX_BLURB_MAX_LINES or j >= n or not box_line(j):
            continue
        for i in run:
            reasons[i] = "newsletter"
            roles[i] = None


def _slug_tokens(url: str | None) -> set[str]:
    if not url:
        return set()
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return set()
    segs = [s for s in path.split("/") if s]
    if not segs:
        return set()
    seg = max(segs, key=lambda s: s.count("-") + s.count("_"))
    seg = seg.rsplit(".", 1)[0] if seg.endswith((".html", ".htm", ".php", ".aspx")) else seg
    toks = {w.lower() for w in words_of(seg.replace("-", " ").replace("_", " ")) if not w.isdigit()}
    return toks if len(toks) >= 2 else set()


def _title_like(text: str, f: _F) -> bool:
    t = normalise(text)
    if not t or len(t) > T.TITLE_MAX_CHARS or f.words == 0 or f.words > T.TITLE_MAX_WORDS:
        return False
    if t.endswith((":", ",", ";")):
        return False
    if f.words >= 8 and t.endswith(".") and not t.endswith("..."):
        return False
    if t.replace(" ", "").isdigit():
        return False
    return True


def _find_title(lines: list[Line], feats: list[_F], body_start: int, lo: int, url: str | None) -> int | None:
    cands: list[int] = []
    k = body_start - 1
    seen = 0
    skipped_standfirst = False
    while k >= lo and seen < T.TITLE_LOOKBACK:
        f = feats[k]
        seen += 1
        strong = f.sig is not None and not f.sig.weak
        if f.good:
            # a standfirst may sit between the headline and the byline: skip one prose line
            # when a headline-like line is right above it
            above = k - 1
            if (not skipped_standfirst and above >= lo and feats[above].sig is None and not feats[above].good
                    and _title_like(lines[above].text, feats[above]) and feats[above].words >= 3):
                skipped_standfirst = True
                k -= 1
                continue
            break
        if strong or f.dateline or f.template:
            reason = f.sig.reason if strong else ("dateline" if f.dateline else "site-template")
            if reason not in _TITLE_SKIP:
                break
            k -= 1
            continue
        if f.sig is None and _title_like(lines[k].text, f):
            cands.append(k)
        k -= 1
    # the page's <title> usually heads a flattened page and contains the headline: a line a
    # little above the body that occurs inside one of the first lines is the headline
    head = [normalise(lines[j].text).lower() for j in range(min(3, len(lines)))]
    for k2 in range(body_start - 1, max(lo, body_start - T.TITLE_HEAD_LOOKBACK) - 1, -1):
        f = feats[k2]
        if k2 < 3 or f.words < 3 or not _title_like(lines[k2].text, f) or (f.sig is not None and not f.sig.weak):
            continue
        t = normalise(lines[k2].text).lower()
        if any(t in h and t != h for h in head):
            return k2
    if not cands:
        return None
    slug = _slug_tokens(url)
    if slug:
        best, best_score = None, 0.0
        for c in cands:
            toks = {w.lower() for w in words_of(lines[c].text)}
            score = len(toks & slug) / len(slug)
            if score > best_score:
                best, best_score = c, score
        if best is not None and best_score >= 0.5:
            return best
    # nearest title-like line with at least 3 words (a subheading is often shorter), else 2, else any
    for need in (3, 2):
        for c in cands:
            if feats[c].words >= need:
                return c
    return cands[0]


def _is_truncated_prefix(text: str, nxt: str | None) -> bool:
    """Drupal auto-subject: the first words of the next line cut with an ellipsis."""
    if not nxt:
        return False
    t = normalise(text)
    if t.endswith("…"):
        core = t[:-1].rstrip()
    elif t.endswith("..."):
        core = t[:-3].rstrip()
    else:
        return False
    return len(core) >= 8 and normalise(nxt).startswith(core)


def _label_comment_region(lines: list[Line], feats: list[_F], a: int, b: int,
                          reasons: list[str | None], roles: list[str | None], slot_blanks: int) -> None:
    idx = list(range(a, b))
    # first pass: classify each line
    kind: dict[int, str] = {}   # "chrome" | "author" | "placeholder" | "text"
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
        if f.author is not None and not (f.sig is not None and not f.sig.weak and f.sig.reason in _COMMENT_REASONS
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
        if placeholder(text) and f.words <= 3:
            kind[k] = "placeholder"
            continue
        kind[k] = "text"
    # second pass: bare author lines (wpDiscuz, seed style) among the "text" lines
    for pos, k in enumerate(idx):
        if kind[k] != "text":
            continue
        text = bare_name(lines[k].text)
        if not is_name_like(text):
            continue
        prev_k = idx[pos - 1] if pos > 0 else None
        next_k = idx[pos + 1] if pos + 1 < len(idx) else None
        prev_role = prev_k is not None and feats[prev_k].csig is not None and feats[prev_k].csig.name == "comment-role-label"
        next_time = next_k is not None and reasons[next_k] == "comment-meta" and (
            feats[next_k].csig is not None and feats[next_k].csig.name in ("comment-timestamp", "comment-relative-time")
            or feats[next_k].dateline)
        # Coral / Isso print the role label after the name: "soilnotes" / "Staff" / "yesterday"
        after_k = idx[pos + 2] if pos + 2 < len(idx) else None
        next_role = next_k is not None and after_k is not None and feats[next_k].csig is not None \
            and feats[next_k].csig.name == "comment-role-label" and reasons[after_k] == "comment-meta" and (
                feats[after_k].csig is not None
                and feats[after_k].csig.name in ("comment-timestamp", "comment-relative-time")
                or feats[after_k].dateline)
        next_time = next_time or next_role
        next_text = next_k is not None and kind.get(next_k) == "text"
        blank_sep = lines[k].blank_before >= 1 and next_k is not None and lines[next_k].blank_before >= 1
        if prev_role or next_time or (next_text and blank_sep and is_name_like(text, strict=True)
                                      and not ends_sentence(text)):
            kind[k] = "author"
    # third pass: group into comments, set reasons and roles
    has_text = False          # current comment already has text
    open_author: int | None = None
    authored: set[int] = set()  # comment starts that follow an author (or placeholder) line
    last_start = -1
    for pos, k in enumerate(idx):
        kd = kind[k]
        if kd == "author" or kd == "placeholder":
            if open_author is not None and roles[open_author] == "comment-author":
                # the previous author line got no text: a removed comment
                roles[open_author] = None
                reasons[open_author] = "comment-removed"
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
            f = feats[k]
            boundary = (f.csig is not None and f.csig.role == "boundary") or (
                f.sig is not None and f.sig.role in ("boundary", "start", "end"))
            if has_text and (boundary or reasons[k] in ("comment-meta",) and open_author is None):
                has_text = False
                open_author = None
            elif has_text and boundary is False and reasons[k] == "comment-meta":
                # a timestamp after the text (Blogger) closes the comment
                has_text = False
                open_author = None
            continue
        # text
        new = not has_text or (lines[k].blank_before >= slot_blanks)
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
    if open_author is not None and roles[open_author] == "comment-author":
        roles[open_author] = None
        reasons[open_author] = "comment-removed"
    # a nameless "comment" that is a short fragment (a widget label, a button) is chrome
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


def _slot_blanks(lines: list[Line]) -> int:
    """Blank lines that mark an empty author slot: one more than the usual paragraph gap."""
    gaps = sorted(ln.blank_before for ln in lines[1:])
    if not gaps:
        return 2
    usual = gaps[len(gaps) // 2]
    return max(2, usual + 1)


class _ViewCounts(dict):
    """Counts-like lookup over a remembered template view: a key in the view counts as
    seen on enough pages, any other key as unseen."""

    def __init__(self, view: set[str]):
        super().__init__()
        self._view = view

    def get(self, key, default=None):  # noqa: D401 - dict protocol
        return [T.TEMPLATE_MIN_DOCS, 0] if key[:8] in self._view else default


def label(lines: list[Line], profile: dict | None = None, url: str | None = None,
          doc_id: str | None = None) -> tuple[list[str | None], list[str | None]]:
    """The structure pass: (reason per line, role per line) for non-blank ``lines``."""
    n = len(lines)
    feats = _features(lines, profile, template_view(profile, doc_id, lines))
    reasons: list[str | None] = [ln.reason for ln in lines]   # DOM reasons are respected
    roles: list[str | None] = [None] * n
    if n == 0:
        return reasons, roles
    # strong signatures, datelines and templates first (reasons may be refined by region below)
    prelim: list[str | None] = [None] * n
    for k, f in enumerate(feats):
        if reasons[k] is not None:
            continue
        if f.dateline and not f.good:
            prelim[k] = "dateline"
        elif f.sig is not None and not f.sig.weak:
            prelim[k] = f.sig.reason
        elif f.template:
            prelim[k] = "site-template"
    # a month banner next to donation amounts belongs to the donation widget (not a date)
    for k, f in enumerate(feats):
        if f.sig is not None and f.sig.name == "archive-month" and prelim[k] is None:
            near = [j for j in (k - 2, k - 1, k + 1, k + 2) if 0 <= j < n]
            if any(prelim[j] == "donation" for j in near):
                prelim[k] = "donation"
    # error page: an error signature and (almost) no prose
    if any(f.sig is not None and f.sig.reason == "error-page" for f in feats):
        prose = sum(f.words for f in feats if f.good and (f.sig is None))
        if prose < T.ERROR_PAGE_MAX_PROSE_WORDS:
            for k, f in enumerate(feats):
                if reasons[k] is None:
                    reasons[k] = f.sig.reason if f.sig is not None and not f.sig.weak else "error-page"
            return reasons, roles
    first_good = next((k for k, f in enumerate(feats) if f.good and reasons[k] is None), 0)
    # comment regions: text markers, else the DOM's comment hints
    regions = _find_comment_regions(lines, feats, first_good)
    rep = _repeated_header_region(lines, feats, first_good, regions[0][0] if regions else n)
    if rep is not None:
        regions = [rep] + [r for r in regions if r[0] >= rep[1]]
    if not regions:
        hinted = [k for k, ln in enumerate(lines) if ln.hint == "comments"]
        if hinted:
            regions = [(hinted[0], hinted[-1] + 1)]
    c_start = regions[0][0] if regions else n
    span = _body_span(feats, 0, c_start, lines)
    if span is None:
        # no prose at all: a very short page; keep its unlabelled lines after a title
        cand = [k for k in range(c_start) if reasons[k] is None and prelim[k] is None and feats[k].words >= 3]
        span = (cand[0], cand[-1] + 1) if cand else None
    title_k = None
    if span is not None:
        # the title is looked for above the first prose line of the body (the span may open
        # with the headline itself or a standfirst)
        fg = next((k for k in range(span[0], span[1]) if feats[k].good), span[0])
        title_k = _find_title(lines, feats, fg, 0, url)
        if title_k is not None and title_k >= span[0]:
            span = (title_k + 1, span[1]) if title_k + 1 < span[1] else None
    if span is not None:
        span = (span[0], _tail_block_end(lines, feats, prelim, reasons, span[1], c_start))
    # labels outside comment regions
    in_region = [False] * n
    for a, b in regions:
        for k in range(a, min(b, n)):
            in_region[k] = True
    body_lo, body_hi = span if span is not None else (n, n)
    last_heading: str | None = None
    header_seen = 0
    for k in range(n):
        if reasons[k] is not None or in_region[k]:
            continue
        f = feats[k]
        if k == title_k:
            roles[k] = "title"
            continue
        if prelim[k] is not None:
            r = prelim[k]
            if r == "dateline" and not (title_k is not None and k < body_lo + 3 or k < body_lo):
                r = "related" if k < c_start else "comment-meta"
            if r == "dateline" and k > (title_k if title_k is not None else body_lo) + 6 and k > body_lo + 2:
                r = "related"
            reasons[k] = r
            if f.sig is not None and f.sig.role == "heading":
                last_heading = r
            continue
        if body_lo <= k < body_hi:
            if k == body_lo and title_k is None and False:
                roles[k] = "title"
            roles[k] = "body"
            continue
        # outside the body: weak signatures apply, else the region decides
        if f.sig is not None:
            reasons[k] = f.sig.reason
            if f.sig.role == "heading":
                last_heading = f.sig.reason
            continue
        if f.dateline:
            reasons[k] = "dateline" if k < body_lo else "related"
            continue
        if k < body_lo:
            before_title = title_k is None or k < title_k
            if before_title:
                if header_seen == 0 and f.words <= 8:
                    reasons[k] = "site-header"
                elif header_seen == 1 and f.words >= 4 and reasons[k - 1] == "site-header" if k > 0 else False:
                    reasons[k] = "site-header"
                else:
                    reasons[k] = "navigation"
                header_seen += 1
            else:
                # between the title and the body: a standfirst, else a byline or a label
                if f.words >= 8:
                    roles[k] = "body"
                elif is_name_like(lines[k].text, strict=True):
                    reasons[k] = "byline"
                else:
                    reasons[k] = "navigation"
            continue
        # after the body
        if last_heading is not None and f.words <= 20:
            reasons[k] = last_heading
        elif f.words >= 4:
            reasons[k] = "related"
        else:
            reasons[k] = "navigation" if k < c_start else "footer"
    _newsletter_blurbs(lines, feats, prelim, reasons, roles, in_region)
    # comment regions
    slot = _slot_blanks(lines)
    for a, b in regions:
        _label_comment_region(lines, feats, a, min(b, n), reasons, roles, slot)
    # duplicates of the title are chrome; the first kept occurrence stays the title
    if title_k is not None:
        tnorm = normalise(lines[title_k].text).lower()
        for k in range(n):
            if k != title_k and normalise(lines[k].text).lower() == tnorm and reasons[k] is None:
                reasons[k] = "duplicate-title"
                roles[k] = None
    for k in range(n):
        if reasons[k] is not None:
            roles[k] = None
        elif roles[k] is None:
            roles[k] = "body"
    return reasons, roles


# --- entry points -----------------------------------------------------------------------

def split_lines(text: str) -> list[Line]:
    out: list[Line] = []
    blank = 0
    for n, raw in enumerate(text.split("\n")):
        t = raw.strip().strip(_INVISIBLE).strip()
        if not t:
            blank += 1
            continue
        out.append(Line(n=n, text=t, blank_before=blank))
        blank = 0
    return out


def _html_lines(html: str) -> tuple[list[Line], dict[str, Any]]:
    from workers.core.stages import html as H

    fn = getattr(H, "flatten_html_lines", None)
    if fn is not None:
        lines, meta = fn(html)
        return [ln if isinstance(ln, Line) else Line.from_dict(ln) for ln in lines], dict(meta or {})
    text, meta = H.flatten_html(html)
    return split_lines(text), dict(meta or {})


def strip(raw: RawDocument, profile: dict[str, Any] | None = None, site: str | None = None) -> StrippedDocument:
    """Label every line of ``raw``; ``profile``: the site's template profile; ``site``: its
    site key when the caller has it already."""
    html_meta: dict[str, Any] = {}
    if raw.content_type == "text/html":
        lines, html_meta = _html_lines(raw.content)
    else:
        lines = split_lines(raw.content)
    reasons, roles = label(lines, profile, raw.url, raw.id)
    out = [Line(n=ln.n, text=ln.text, blank_before=ln.blank_before, reason=r,
                hint=(role if r is None else ln.hint))
           for ln, r, role in zip(lines, reasons, roles)]
    return StrippedDocument(
        id=raw.id or "", url=raw.url, content_type=raw.content_type or "text/plain",
        fetched_at=raw.fetched_at, source=raw.source, site=site if site is not None else site_key(raw.url, raw.source),
        lines=out, html_meta=html_meta,
    )
