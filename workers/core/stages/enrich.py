"""Enrich stage: metadata (site, domain, language, date, counts, fingerprints, quality).

Pure and deterministic: the same segmented record always gives byte-identical output
(no clock, no randomness, no ``hash()`` of str (salted per process), dicts built in a
fixed key order, floats rounded).

* ``domain``: host of the url (or of ``html_meta.canonical_url``) without ``www.``.
* ``site_name``: ``html_meta.site_name`` (og:site_name, application-name, JSON-LD
  publisher), else the name the page prints: the masthead line, "Support X", or
  "© 2024 X. All rights reserved." (see ``_site_name``), else null.
* ``language``: py3langid (a NumPy re-implementation of langid.py that ships its model
  inside the wheel: no download, ~0.3 ms per document, 97 ISO 639-1 languages, a
  normalised probability as confidence) on the body, falling back to title + comments.
* ``published_at``: only a date the page states for the article (see ``_published_at``).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from topics.records import CommentRecord, EnrichedDocument, Metadata, Removed, SegmentedDocument
from workers.core.heuristics.reasons import COMMENT_REASONS, NOT_BOILERPLATE
from workers.core.stages import dates as D

# --- reason groups (workers.core.heuristics.reasons vocabulary) ------------------------------

# removed lines whose date IS the article's date
DATE_REASONS: frozenset[str] = frozenset({"dateline", "byline"})
# removed lines whose dates are never the article's date
DECOY_DATE_REASONS: frozenset[str] = frozenset({
    "comment-chrome", "comment-form", "comment-header", "comment-meta", "comment-action", "comment-removed",
    "comment-author", "placeholder-author", "related", "navigation", "donation", "copyright", "footer", "tags",
    "advertisement", "share", "newsletter", "cookie", "call-to-action", "error-page", "site-header",
    "html-dom", "site-template",
})
# COMMENT_REASONS start the comment section: article dates come before the first of them.
# NOT_BOILERPLATE: removed lines that are comment metadata, not boilerplate (a placeholder
# author such as "Anonymous" IS boilerplate, as the vocabulary module says).

# A bare date line counts as the article's date only in the top part of the page.
DATE_LINE_MAX_POSITION = 0.4
# A line is "a date line" when the date (+ weekday, time) makes up this much of it.
DATE_LINE_MIN_SPAN = 0.6
# Body lines looked at for a date header / "Posted on" line when the strip stage kept it.
BODY_DATE_LINES = 3
MAX_DATE_LINE_CHARS = 120

# --- site names ---------------------------------------------------------------------

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

# --- quality ------------------------------------------------------------------------

# a few of the most frequent words per language (for a cheap stopword ratio)
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to a in is that it for was on with as by at be this are from or have an but not "
                    "they his her we you he she had were which their has been".split()),
    "de": frozenset("der die das und in zu den nicht von sie ist des sich mit dem dass er es ein ich auf so eine "
                    "auch als an nach wie im für man aber aus bei".split()),
    "fr": frozenset("de la le et les des en un une du est que pour qui dans ne pas au sur se par plus il elle "
                    "ce avec son sont".split()),
    "es": frozenset("de la que el en y a los del se las por un para con no una su al lo como más pero sus le "
                    "es ya o".split()),
    "it": frozenset("di e il la che in a per un del non è le una sono i da con si al della lo gli come ma".split()),
    "pt": frozenset("de a o que e do da em um para com não uma os no se na por mais as dos como mas ao ele "
                    "das".split()),
    "nl": frozenset("de het een en van in is dat op te zijn met voor niet aan er maar om ook als dan bij of uit "
                    "door".split()),
}
_SENT_END = re.compile(r"[.!?…。！？]+(?:[\"'”’»)\]]+)?(?=\s|$)")
_PARA_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$|[\"”’»]$")
_WORD = re.compile(r"\w+", re.U)

_LANGID = None


def _identifier():
    """py3langid's identifier restricted to ISO 639-1 (two-letter) languages, loaded once."""
    global _LANGID
    if _LANGID is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        li = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        li.set_languages([c for c in li.nb_classes if len(c) == 2])
        _LANGID = li
    return _LANGID


# --- helpers ------------------------------------------------------------------------


def _domain(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def _fetched_date(fetched_at: str | None) -> date | None:
    if not fetched_at:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", fetched_at)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _normalise_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _squash(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.lower().replace("&", "and"))
    return "".join(ch for ch in s if ch.isalnum() and ch.isascii())


def _round(x: float) -> float:
    return round(float(x), 4)


# --- site name ----------------------------------------------------------------------


def _name_like(s: str) -> bool:
    s = s.strip()
    if not (2 <= len(s) <= 60) or not any(ch.isalpha() for ch in s):
        return False
    words = s.split()
    if len(words) > 6:
        return False
    low = s.lower()
    if any(low == p or low.startswith(p + " ") or low.startswith(p) and len(p) > 6 for p in NOT_A_NAME):
        return False
    if re.search(r"[|›»>/]|\s[-–—]\s|https?:", s):
        return False
    if s[-1] in ".!?:;," and not re.search(r"\b(?:inc|ltd|co|corp)\.$", low):
        return False
    if sum(ch.isdigit() for ch in s) > 4:
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
    m = _COPYRIGHT.search(line)
    if not m:
        return None
    name = _clean_company(m.group("name"))
    return name if _name_like(name) else None


def support_name(line: str) -> str | None:
    """"Support SouthFront" -> "SouthFront" (not "Support us", "Support local journalism")."""
    m = _SUPPORT.match(line.strip())
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


def _site_name(doc: SegmentedDocument, domain: str | None) -> str | None:
    meta = doc.html_meta or {}
    v = meta.get("site_name")
    if isinstance(v, str) and v.strip():
        return " ".join(v.split())
    removed = sorted(doc.removed, key=lambda r: r.n)
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


# --- publication date -----------------------------------------------------------------


def _month_first(doc: SegmentedDocument, domain: str | None) -> bool | None:
    """Locale cue for ambiguous numeric dates (03/04/2024): True for US English."""
    lang = str((doc.html_meta or {}).get("lang") or "").lower().replace("_", "-")
    if lang.startswith("en-us"):
        return True
    if lang and not lang.startswith("en"):
        return False
    if lang.startswith("en-"):
        return False
    if domain and domain.rsplit(".", 1)[-1] in ("us", "com", "net", "org", "edu", "gov") and \
            lang in ("", "en"):
        return True
    return None


def _first_date(text: str, month_first: bool | None, limit: date | None) -> date | None:
    for _pos, d, _kind in D.find_dates(D.publication_part(text), month_first):
        if limit is None or d <= limit:
            return d
    return None


def _is_date_line(text: str, month_first: bool | None) -> bool:
    part = D.publication_part(text)
    return len(text) <= MAX_DATE_LINE_CHARS and bool(part.strip()) and (
        D.has_published_cue(part) or D.date_span_ratio(part, month_first) >= DATE_LINE_MIN_SPAN)


_DATELINE = re.compile(r"^\s*[A-ZÀ-Ý][\w.'’ /-]{0,40}?,?\s+$")


def _published_at(doc: SegmentedDocument, domain: str | None) -> str | None:
    limit = _fetched_date(doc.fetched_at)
    mf = _month_first(doc, domain)
    meta = (doc.html_meta or {}).get("published_at")
    if isinstance(meta, str) and meta.strip():
        d = _first_date(meta, mf, limit)
        if d is not None:
            return d.isoformat()
    removed = sorted(doc.removed, key=lambda r: r.n)
    if not removed and len(doc.body_paragraphs) > BODY_DATE_LINES:
        # no line labels at all (a pass-through strip): every line is in the body, so
        # read the body as the page, in order, with the same position rules
        removed = [Removed(n=i, text=p, reason="unlabelled") for i, p in enumerate(doc.body_paragraphs)]
    first_comment = min((r.n for r in removed if r.reason in COMMENT_REASONS), default=None)
    line_count = max(doc.line_count if doc.removed else 0, (removed[-1].n + 1) if removed else 0, 1)

    def before_comments(n: int) -> bool:
        return first_comment is None or n < first_comment

    # 1. lines the strip stage labelled as the article's dateline / byline
    for r in removed:
        if r.reason in DATE_REASONS and before_comments(r.n) and len(r.text) <= 300:
            d = _first_date(r.text, mf, limit)
            if d is not None:
                return d.isoformat()
    # 2. other removed lines that are publication-date lines ("Posted on ...", a date header)
    cue_hit = plain_hit = None
    for r in removed:
        if r.reason in DECOY_DATE_REASONS or not before_comments(r.n) or len(r.text) > MAX_DATE_LINE_CHARS:
            continue
        part = D.publication_part(r.text)
        if not part.strip():
            continue
        d = _first_date(part, mf, limit)
        if d is None:
            continue
        if D.has_published_cue(part):
            cue_hit = cue_hit or d
        elif r.n <= DATE_LINE_MAX_POSITION * line_count and D.date_span_ratio(part, mf) >= DATE_LINE_MIN_SPAN:
            plain_hit = plain_hit or d
    if cue_hit or plain_hit:
        return (cue_hit or plain_hit).isoformat()
    # 3. a date header / "Posted on" line the strip stage kept at the top of the body
    for p in doc.body_paragraphs[:BODY_DATE_LINES]:
        if len(p) <= MAX_DATE_LINE_CHARS:
            part = D.publication_part(p)
            if part.strip() and (D.has_published_cue(part) and len(part) <= 80
                                 or D.date_span_ratio(part, mf) >= 0.8):
                d = _first_date(part, mf, limit)
                if d is not None:
                    return d.isoformat()
    # 4. a news dateline opening the first paragraph: "RIVERBEND, April 18, 2024 — ..."
    if doc.body_paragraphs:
        head = doc.body_paragraphs[0][:120]
        for pos, d, _kind in D.find_dates(head, mf):
            if pos > 60:
                break
            if not (_DATELINE.match(head[:pos]) or pos == 0):
                continue
            rest = head[pos:]
            m = re.match(r"[^—–:-]{0,25}?\s*(?:—|–|--|-|:)\s", rest)
            if m and (limit is None or d <= limit):
                return d.isoformat()
            break
    return None


# --- language -----------------------------------------------------------------------


def _language(doc: SegmentedDocument, body: str) -> tuple[str | None, float | None]:
    text = body[:1000]
    letters = sum(map(str.isalpha, text[:400]))
    if letters < 40:
        extra = " ".join([doc.title or ""] + [c.text for c in doc.comments[:20]])
        text = (text + "\n" + extra)[:1000]
    if sum(map(str.isalpha, text[:400])) < 40:
        # nothing left but chrome (an error page): the page's own words still tell the language
        extra = " ".join(r.text for r in doc.removed[:200])
        text = (text + "\n" + extra)[:1000]
    if sum(map(str.isalpha, text[:400])) < 10:
        lang = str((doc.html_meta or {}).get("lang") or "").lower()
        code = re.split(r"[-_]", lang)[0] if lang else ""
        return (code, None) if len(code) == 2 and code.isalpha() else (None, None)
    code, prob = _identifier().classify(text)
    return code, _round(prob)


# --- fingerprints and quality ---------------------------------------------------------


def _simhash(words: list[str]) -> str | None:
    """64-bit simhash over word 3-shingles: bit b is set when more than half of the
    shingle hashes have bit b set (vectorised one bit at a time, so memory stays at
    8 bytes per shingle; same value as the bit-by-bit loop)."""
    if not words:
        return None
    import numpy as np

    n = max(1, len(words) - 2)
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(" ".join(words[i:i + 3]).encode("utf-8"), digest_size=8).digest(), "big")
         for i in range(n)),
        dtype=np.uint64, count=n)
    value = 0
    for bit in range(64):
        if 2 * int(np.count_nonzero((hashes >> np.uint64(bit)) & np.uint64(1))) > n:
            value |= 1 << bit
    return f"{value:016x}"


def _quality(doc: SegmentedDocument, body: str, words: list[str], language: str | None,
             comment_words: int) -> dict:
    paras = doc.body_paragraphs
    sentences = [s for s in _SENT_END.split(body) if _WORD.search(s)] if body else []
    n_words = len(words)
    stop = STOPWORDS.get(language or "")
    # map() over a str method and str.count run at C speed; same counts as per-char loops
    symbols = sum(map(body.count, "#…|•►▼→←©®™$€£%*@^~<>{}[]\\"))
    letters = sum(map(str.isalpha, body))
    upper = sum(map(str.isupper, body))
    return {
        "has_title": bool(doc.title),
        "mean_sentence_words": _round(n_words / len(sentences)) if sentences else 0.0,
        "mean_word_chars": _round(sum(len(w) for w in words) / n_words) if n_words else 0.0,
        "punctuated_paragraph_ratio": _round(sum(1 for p in paras if _PARA_END.search(p.rstrip())) / len(paras))
        if paras else 0.0,
        "stopword_ratio": _round(sum(1 for w in words if w in stop) / n_words) if stop and n_words else None,
        "symbol_word_ratio": _round(symbols / n_words) if n_words else 0.0,
        "uppercase_ratio": _round(upper / letters) if letters else 0.0,
        "digit_ratio": _round(sum(map(str.isdigit, body)) / len(body)) if body else 0.0,
        "comment_ratio": _round(comment_words / (comment_words + n_words)) if comment_words + n_words else 0.0,
    }


# --- the stage ------------------------------------------------------------------------


def enrich(doc: SegmentedDocument) -> EnrichedDocument:
    body = "\n\n".join(doc.body_paragraphs)
    meta_in = doc.html_meta or {}
    domain = _domain(doc.url) or _domain(meta_in.get("canonical_url") if isinstance(
        meta_in.get("canonical_url"), str) else None)
    norm = _normalise_text(body)
    words = _WORD.findall(norm)
    language, confidence = _language(doc, body)
    comment_words = sum(len(_WORD.findall(c.text)) for c in doc.comments)
    boiler = sum(1 for r in doc.removed if r.reason not in NOT_BOILERPLATE)
    line_count = doc.line_count or 0
    meta = Metadata(
        site_name=_site_name(doc, domain),
        domain=domain,
        language=language,
        published_at=_published_at(doc, domain),
        language_confidence=confidence,
        word_count=len(words),
        paragraph_count=len(doc.body_paragraphs),
        comment_count=len(doc.comments),
        commenter_count=len({c.author.strip().lower() for c in doc.comments if c.author and c.author.strip()}),
        boilerplate_line_ratio=_round(min(1.0, boiler / line_count)) if line_count else 0.0,
        content_sha1=hashlib.sha1(norm.encode("utf-8")).hexdigest() if norm else None,
        simhash=_simhash(words),
        quality=_quality(doc, body, words, language, comment_words),
    )
    return EnrichedDocument(
        id=doc.id, url=doc.url, fetched_at=doc.fetched_at, content_type=doc.content_type,
        source=doc.source, title=doc.title, body=body, comments=list(doc.comments),
        removed=list(doc.removed), metadata=meta,
    )


def comment_records(doc: EnrichedDocument) -> list[CommentRecord]:
    return [
        CommentRecord(
            id=f"{doc.id}#{c.index}", document_id=doc.id, index=c.index, text=c.text,
            author=c.author, posted_at=c.posted_at, reply_to=c.reply_to, url=doc.url,
            site_name=doc.metadata.site_name, language=doc.metadata.language,
        )
        for c in doc.comments
    ]
