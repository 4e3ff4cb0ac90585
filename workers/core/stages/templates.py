"""Site-template learning: counts of normalised line hashes per site, bounded.

A profile (one per site, stored in a Faust table, so plain JSON with str keys) is::

    {"v": 1, "docs": <pages learned>, "seq": <learning counter>,
     "lines": {<hash>: [<pages containing the line>, <seq when last seen>]},
     "recent": [<last document ids learned>],
     "memo": {<recent document id>: "<lines digest>:<template key prefixes, 8 hex each>"}}

* Lines are normalised like CCNet (lower case, every digit -> 0, whitespace collapsed) and
  hashed (8-byte BLAKE2b), so "1,140 $" and "2,010 $" are the same template line.
* A line counts once per page (a line printed twice on one page is not "two pages").
* Bounded: at most ``max_lines`` hashes per site; beyond that the least useful entries are
  evicted (fewest pages first, then least recently seen), never the lines of the page just
  learned before older singletons.
* Idempotent per document id: the last ``TEMPLATE_RECENT_IDS`` ids are remembered, and
  re-learning one of them returns the profile unchanged (a redelivered record must not
  double-count).
* Redelivery gives the same labels: for each recent document the profile remembers which
  of its lines were template when it was first labelled (``memo``), and ``strip()`` uses
  that view again for the same id and unchanged lines, although the counts have moved on
  since. This holds for the last ``TEMPLATE_RECENT_IDS`` pages of a site (a crash
  redelivers far fewer).
* Comment text and author lines are not learned: a regular commenter recurs across pages
  and is not boilerplate, and comment text never forms a template.

``strip()`` reads the profile: a line seen on at least ``TEMPLATE_MIN_DOCS`` earlier pages
of the site is "site-template" boilerplate, except in an author position of a comment
section. The first page of a site has no profile and relies on the per-page rules.
"""
from __future__ import annotations

import hashlib
from typing import Any, MutableMapping

from topics.records import Line, StrippedDocument
from workers.core.heuristics.header_lines import REPLY_ROLE
from workers.core.heuristics import thresholds as T
from workers.core.state import KeyedState
from workers.core.stages.text import normalise

_SKIP_ROLES = frozenset({"comment-author", "comment-author-after", "comment-start", "comment", "title"})
_UNKNOWN_SITES = frozenset({"unknown", ""})


def lines_digest(lines: list[Line]) -> str:
    """A short digest of a page's lines: recognises the same page when it is redelivered. The
    digest of each line's UTF-8 and a newline in turn, fed as one encoding of the joined lines
    (the same bytes: the encoder writes each code point alone, and a hash reads its input as
    one stream however it is cut)."""
    h = hashlib.blake2b(digest_size=8)
    if lines:
        h.update(("\n".join([ln.text for ln in lines]) + "\n").encode("utf-8", "surrogatepass"))
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


_ASCII_DIGITS_TO_0 = str.maketrans("123456789", "000000000")


def template_key(text: str) -> str:
    """CCNet-style line normalisation (lower case, digits -> 0, whitespace collapsed), hashed."""
    t = normalise(text).lower()
    if t.isascii():
        t = t.translate(_ASCII_DIGITS_TO_0)  # the common case, at C speed
    else:
        t = "".join("0" if c.isdigit() else c for c in t)
    return hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class ViewCounts(dict):
    """Counts-like lookup over a remembered template view: a key in the view counts as
    seen on enough pages, any other key as unseen."""

    def __init__(self, view: set[str]):
        super().__init__()
        self._view = view

    def get(self, key, default=None):  # noqa: D401 - dict protocol
        return [T.TEMPLATE_MIN_DOCS, 0] if key[:8] in self._view else default


def empty_profile() -> dict[str, Any]:
    return {"v": 1, "docs": 0, "seq": 0, "lines": {}, "recent": [], "memo": {}}


def _coerce(profile: dict[str, Any] | None) -> dict[str, Any]:
    if not isinstance(profile, dict) or profile.get("v") != 1:
        return empty_profile()
    out = {
        "v": 1,
        "docs": int(profile.get("docs", 0)),
        "seq": int(profile.get("seq", 0)),
        "lines": {},
        "recent": [str(x) for x in profile.get("recent", [])][-T.TEMPLATE_RECENT_IDS:],
    }
    memo = profile.get("memo")
    out["memo"] = {k: v for k, v in memo.items() if k in out["recent"] and isinstance(v, str)} \
        if isinstance(memo, dict) else {}
    for k, v in (profile.get("lines") or {}).items():
        if isinstance(v, (list, tuple)) and len(v) == 2:
            out["lines"][str(k)] = [int(v[0]), int(v[1])]
        elif isinstance(v, int):
            out["lines"][str(k)] = [v, 0]
    return out


def learnable_keys(doc: StrippedDocument) -> set[str]:
    """The template hashes a page contributes (each once)."""
    keys: set[str] = set()
    for ln in doc.lines:
        if ln.reason is None and (ln.hint in _SKIP_ROLES or ln.hint is not None and ln.hint.startswith(REPLY_ROLE)):
            continue
        t = normalise(ln.text)
        if not t or len(t) > T.MAX_LEARN_CHARS:
            continue
        keys.add(template_key(t))
    return keys


def learn(profile: dict[str, Any] | None, doc: StrippedDocument, max_lines: int) -> dict[str, Any]:
    """The site's new profile after learning ``doc`` (the input profile is not modified)."""
    prof = _coerce(profile)
    if doc.site in _UNKNOWN_SITES:
        return prof
    if doc.id and doc.id in prof["recent"]:
        return prof
    if doc.id:
        # The view this page was labelled with (computed from the profile before learning it).
        hits = template_hits(doc.lines, prof)
        prof["memo"][doc.id] = lines_digest(doc.lines) + ":" + "".join(sorted(hits))
    prof["seq"] += 1
    seq = prof["seq"]
    prof["docs"] += 1
    lines: dict[str, list[int]] = prof["lines"]
    fresh = learnable_keys(doc)
    for key in fresh:
        ent = lines.get(key)
        if ent is None:
            lines[key] = [1, seq]
        else:
            ent[0] += 1
            ent[1] = seq
    if max_lines >= 0 and len(lines) > max_lines:
        # evict the least useful: fewest pages, then least recently seen, then hash (deterministic)
        order = sorted(lines.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0]))
        for key, _ in order[: len(lines) - max_lines]:
            del lines[key]
    if doc.id:
        prof["recent"] = (prof["recent"] + [doc.id])[-T.TEMPLATE_RECENT_IDS:]
        keep = set(prof["recent"])
        prof["memo"] = {k: v for k, v in prof["memo"].items() if k in keep}
    return prof


class SiteTemplates:
    """The strip stage's state: one profile per site over a ``KeyedState`` (a dict
    offline, a Faust table in a worker), at most ``max_sites`` sites (least recently
    learned evicted) and ``max_lines`` line hashes per site."""

    def __init__(self, store: MutableMapping[str, Any] | None, max_sites: int, max_lines: int,
                 labeller: str = "rules"):
        self.state = KeyedState(store, max_sites)
        self.max_lines = max_lines
        self.labeller = labeller  # which line labeller the strip stage uses (settings.labeller)

    def profile(self, site: str) -> dict[str, Any] | None:
        return self.state.get(site)

    def learn(self, site: str, doc: StrippedDocument) -> None:
        self.state.put(site, learn(self.state.get(site), doc, self.max_lines))

    def sizes(self) -> tuple[int, int]:
        """(sites, line hashes over all sites)."""
        sites = entries = 0
        for v in self.state.values():
            sites += 1
            entries += len(v.get("lines", ())) if isinstance(v, dict) else 0
        return sites, entries
