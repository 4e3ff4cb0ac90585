"""Pseudo-language pages: real training pages with every word replaced by a pseudo-word of
the same shape, so that the wording-dependent evidence stops firing (#10/#9).

The training pages are mostly English; on a page in a language or wording the training
never saw, the model's wording-dependent columns (``line_features.WORDING_COLUMNS``:
stopword shares, month names, signatures, the rule verdicts driven by English
vocabularies) are silent and the lines default to what the structure alone says. A site
split cannot show this (the validation sites are English too). A pseudo page is the same
page (same lines, blank lines, DOM rows and labels) in an invented language:

- each word (a run of letters) maps to a pseudo-word of the same length and case pattern,
  one bijection per page, the same in the page's lines, its gold and its comment authors
  (so the page is scored like any other);
- digits, punctuation, spacing, URLs / e-mail addresses and words of scripts without
  spaces (CJK, kana, Thai) are kept: numbers, dates in figures and layout are not wording;
- on a share of pages the page's function words map, by frequency rank, onto the stopwords of another
  language of ``line_features.STOPWORDS`` (a language the model knows, but not the
  training pages' English), on the others no word is a stopword (a language it does not know);
- the alphabet of the pseudo-words is chosen per page (plain Latin, Latin with diacritics,
  Cyrillic, Greek).

Used twice: ``make train`` adds pseudo versions of a share of the real pages to the
training data (``SHARE``; same site as their source page, so the site split keeps them in
their source's fold) and reports their out-of-fold figures apart (``pseudo/...``): the
proxy for pages in unseen languages.
"""
from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from dataclasses import replace

from workers.core.heuristics import line_features as LF
from workers.training.pages import TrainPage
from workers.training.pools import can_fork, fork_map

SEED = 20261129
WORKERS = 2  # processes that map the pages (2 cores)
POOL_MIN_PAGES = 200  # fewer pages are mapped in this process
# share of the real pages added in pseudo-language form (chosen per source page, all its
# flatteners together); the real pages stay dominant
SHARE = 0.25
DATASET_PREFIX = "pseudo-"   # dataset of a pseudo page: pseudo-<source dataset>
# share of pseudo pages whose frequent words become another known language's stopwords
KNOWN_LANGUAGE_SHARE = 0.5
# pseudo-word alphabets (weights: how often a page gets each)
ALPHABETS: dict[str, tuple[str, float]] = {
    "latin": ("abcdefghijklmnopqrstuvwxyz", 0.45),
    "latin-diacritics": ("abcdefghijklmnopqrstuvwxyzäöüéèàçñåøłšžąęőű", 0.25),
    "cyrillic": ("абвгдежзийклмнопрстуфхцчшщыьэюя", 0.2),
    "greek": ("αβγδεζηθικλμνξοπρστυφχψω", 0.1),
}
# the stopword language's own alphabet (others: latin-diacritics)
LANGUAGE_ALPHABET = {"ru": "cyrillic", "ko": None}

_WORD = re.compile(r"[^\W\d_]+")
# kept verbatim: URLs, domains, e-mail addresses (not wording of a language)
_KEEP = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:com|org|net|de|fr|uk|io)\b")
# scripts written without spaces, kept (their prose is recognised by other columns)
_SPACELESS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_STOPWORDS = frozenset(w for ws in LF.STOPWORDS.values() for w in ws.split())


def _rng(key: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.blake2b(f"{SEED}:{key}".encode(), digest_size=8).digest(), "big"))


def chosen(source_key: str, share: float = SHARE) -> bool:
    """Whether the source page (``dataset:id``) gets a pseudo version (deterministic)."""
    return _rng("pick:" + source_key).random() < share


class Mapping:
    """One page's bijection word -> pseudo-word (lower-case keys; case applied per use)."""

    def __init__(self, rnd: random.Random, alphabet: str, stop_map: dict[str, str], lang: str | None = None):
        self.rnd, self.alphabet, self.lang = rnd, alphabet, lang
        self.map: dict[str, str] = dict(stop_map)
        self.used: set[str] = set(stop_map.values())

    def _new(self, n: int) -> str:
        for _ in range(50):
            w = "".join(self.rnd.choice(self.alphabet) for _ in range(n))
            if w not in self.used and w not in _STOPWORDS:
                return w
        return w  # very short words: a collision is harmless

    def word(self, w: str) -> str:
        if _SPACELESS.search(w):
            return w
        key = w.lower()
        p = self.map.get(key)
        if p is None:
            p = self.map[key] = self._new(len(w))
            self.used.add(p)
        if w.isupper() and len(w) > 1:
            return p.upper()
        if w[0].isupper():
            return p[:1].upper() + p[1:]
        return p

    def text(self, s: str | None) -> str | None:
        if not s:
            return s
        out, last = [], 0
        for m in _KEEP.finditer(s):
            out.append(_WORD.sub(lambda x: self.word(x.group()), s[last:m.start()]))
            out.append(m.group())
            last = m.end()
        out.append(_WORD.sub(lambda x: self.word(x.group()), s[last:]))
        return "".join(out)


def source_key(page: TrainPage) -> str:
    """The page's source (``dataset:id``; a page id adds its flattener): all flattenings of
    a source get the same pseudo-language and are chosen together."""
    return page.page_id.rsplit(":", 1)[0]


def page_mapping(page: TrainPage) -> Mapping:
    """The page's bijection: alphabet and stopword language drawn from the page's source id."""
    rnd = _rng("map:" + source_key(page))
    lang = None
    if rnd.random() < KNOWN_LANGUAGE_SHARE:
        lang = rnd.choice(sorted(k for k in LF.STOPWORDS if k != "en"))
    names = sorted(ALPHABETS)
    alpha = rnd.choices(names, weights=[ALPHABETS[n][1] for n in names])[0]
    if lang is not None:
        alpha = LANGUAGE_ALPHABET.get(lang, "latin-diacritics") or alpha
    stop_map: dict[str, str] = {}
    if lang is not None:
        # the page's own function words, by frequency, become the other language's
        freq = Counter(w for ln in page.lines for w in map(str.lower, _WORD.findall(ln.text)) if w in _STOPWORDS)
        ranked = [w for w, _ in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))]
        stop_map = dict(zip(ranked, LF.STOPWORDS[lang].split()))
    return Mapping(rnd, ALPHABETS[alpha][0], stop_map, lang)


def pseudo_page(page: TrainPage) -> TrainPage:
    """The page in its pseudo-language (same lines, DOM rows, labels; gold mapped alike)."""
    return _assemble(page, *_mapped(page))


def _mapped(page: TrainPage) -> tuple[list, list, dict]:
    """The pseudo page's lines, comment authors and gold (the parts that change)."""
    m = page_mapping(page)
    lines = [replace(ln, text=m.text(ln.text)) for ln in page.lines]
    gold = dict(page.gold)
    for k in ("content", "title", "comments_text"):
        if isinstance(gold.get(k), str):
            gold[k] = m.text(gold[k])
    gold["comments"] = [dict(c, text=m.text(c.get("text") or ""), author=m.text(c.get("author")))
                        for c in gold.get("comments") or ()]
    return lines, [m.text(a) for a in page.authors], gold


def _assemble(page: TrainPage, lines: list, authors: list, gold: dict) -> TrainPage:
    return replace(page, page_id=f"{DATASET_PREFIX}{page.page_id}", dataset=DATASET_PREFIX + page.dataset,
                   lines=lines, authors=authors, gold=gold)


def is_pseudo(dataset: str) -> bool:
    return dataset.startswith(DATASET_PREFIX)


def make_pages(real_pages: list[TrainPage], share: float = SHARE, workers: int = WORKERS) -> list[TrainPage]:
    """Pseudo versions of a share of the real (not synthetic, not text-dev) pages (mapped in
    ``workers`` forked processes: a page's mapping is drawn from its source id alone, so the
    pages are the same as one process makes; the DOM rows and labels stay the source's)."""
    picked = [p for p in real_pages if not (p.dataset in ("synthetic", "text-dev") or is_pseudo(p.dataset))
              and chosen(source_key(p), share)]
    if workers < 2 or len(picked) < POOL_MIN_PAGES or not can_fork():
        return [pseudo_page(p) for p in picked]
    return [_assemble(p, *part) for p, part in zip(picked, fork_map(_mapped, picked, workers, chunksize=16))]
