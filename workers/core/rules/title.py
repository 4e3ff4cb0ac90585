"""The title: a headline-like line just above the body (the page's <title> and the URL slug
break ties).
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

from topics.records import Line
from workers.core.heuristics import thresholds as T
from workers.core.rules.features import LineFeatures
from workers.core.stages.text import normalise, words_of


# Reasons that may sit between the title and the body start without stopping the title search.
_TITLE_SKIP = frozenset({"byline", "dateline", "share", "call-to-action", "donation", "tags", "advertisement",
                         "site-template", "related", "comment-chrome", "navigation", "html-dom", "cookie",
                         "newsletter", "footer", "copyright"})


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


def _title_like(text: str, f: LineFeatures) -> bool:
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


def find_title(lines: list[Line], feats: list[LineFeatures], body_start: int, lo: int, url: str | None) -> int | None:
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
