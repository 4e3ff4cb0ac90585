"""Widget injection: real html-dev pages with generated boilerplate widgets inserted into
their HTML, in generic markup, labelled boilerplate by construction (#10/#9).

The real training pages mark most of their boilerplate with familiar structure (``nav`` /
``aside`` / ``footer`` tags, telling class names, a site template repeated across a site's
pages, English chrome words). A page the model never saw may carry its widgets (newsletter,
cookie notice, donation call, share bar, related list, tag cloud, author box, comment form)
in plain ``<div>``s, in another language, on a site of one page. The site split cannot show
how the model does on such widgets; an injected page can:

- a share of the real sources (``SHARE``; chosen per source, its ``dom`` flattening only:
  the HTML path) gets 1-3 widgets, inserted at plausible places (``PLACES``: above the
  article, between two of its paragraphs, after it, at the end of the body);
- the widget's markup is generic (``<div>`` with neutral class names, ``NEUTRAL_CLASSES``);
  on a share of widgets (``TELLING_SHARE``) it is wrapped the way real sites often do
  (``TELLING_WRAPPERS``), so the structure cue is not always absent;
- each injected page belongs to one of two partitions, drawn per source: ``seen`` (widget
  kinds ``SEEN_KINDS`` in languages ``SEEN_LANGS``; trained on when the training takes
  injected pages) and ``unseen`` (kinds ``UNSEEN_KINDS`` in languages ``UNSEEN_LANGS``;
  never trained on in a fold: their out-of-fold figures say how the model does on widget
  kinds and languages it never saw);
- labels: the page is flattened and projected as any html-dev page (``dataset.pages_from_html``);
  then every line that the original page's flattening does not have and whose words are
  mostly the widgets' words becomes boilerplate. The gold is the source's gold: a widget line
  the model keeps costs body precision.

``make train`` adds both partitions (``dataset`` ``inject-seen-<source dataset>`` /
``inject-unseen-<source dataset>``; same site as the source, so the site split keeps them in
their source's fold), reports them apart (``inject-seen`` / ``inject-unseen``), trains on the
seen ones when ``TRAIN`` is on and on both in the final model.
"""
from __future__ import annotations

import hashlib
import html as H
import random
import re
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from workers.core.labeller.labels import BOILERPLATE
from workers.training import corpus as C
from workers.training import flatten as F
from workers.training import inject_unseen as IU
from workers.training.pages import TrainPage
from workers.training.pools import can_fork, fork_pool
from workers.training.synthetic_vocab import NEG
from workers.training.widget_vocab import LANG, SYLLABLES

SEED = 20261130
# share of the real sources that get an injected version (their dom flattening); real pages
# stay dominant (as pseudo.SHARE)
SHARE = 0.25
# share of the injected sources in the unseen partition (validation only)
UNSEEN_SHARE = 0.3
# whether make train trains on the seen partition (False: the injected pages are only measured);
# only the HTML input's trees ever train on them (models.model_items)
TRAIN = True
DATASET_PREFIX = "inject-"
PARTITIONS = ("seen", "unseen")
# widget kinds per partition: the unseen ones are never trained on in a fold
SEEN_KINDS: tuple[str, ...] = ("newsletter", "cookie", "share", "related", "comment_form")
# (the unseen partition's kinds, languages, places and markup: inject_unseen.py)
UNSEEN_KINDS: tuple[str, ...] = IU.KINDS
# widget languages per partition (synthetic_vocab.NEG's languages; comment forms from widget_vocab)
SEEN_LANGS: tuple[str, ...] = ("en", "de", "fr", "es", "it", "nl", "cs", "ja")
UNSEEN_LANGS: tuple[str, ...] = IU.LANGS
# widgets per injected page
WIDGETS_PER_PAGE = (1, 3)
# where a widget goes (weights): above the article's first paragraph, between two of its
# paragraphs, right after its last paragraph, at the end of the body (a sidebar or footer block)
PLACES: dict[str, float] = {"before": 0.15, "between": 0.3, "after": 0.35, "end": 0.2}
# class names that say nothing about the block (hashed class words are a feature)
NEUTRAL_CLASSES: tuple[str, ...] = ("box", "wrap", "col", "item", "blk", "c-1", "mod", "cnt", "inner", "row",
                                    "x7f2", "sc-a1b2", "el", "part", "u-mt2", "grid__cell", "")
# share of widgets wrapped as real sites often mark them (a structural cue present)
TELLING_SHARE = 0.25
TELLING_WRAPPERS: tuple[str, ...] = ('<aside class="widget">', '<section class="sidebar-block">',
                                     '<div class="promo">', '<div class="related-posts">',
                                     '<footer class="entry-footer">')
# a new line is a widget line when at least this share of its words are the widgets' words
WIDGET_WORD_SHARE = 0.6
# an article paragraph: a <p> with at least this many words, most of them in the gold content
PARAGRAPH_WORDS = 6
PARAGRAPH_GOLD_SHARE = 0.7

_P = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\w+")
_BODY_END = re.compile(r"</body\s*>", re.I)
_SENTENCE = re.compile(r"[^.!?\n]{30,160}[.!?]")
# not a teaser title: a byline or dateline of the gold (a year, a clock time, "posted", "by")
_NOT_TEASER = re.compile(r"\b(?:1[89]|20)\d\d\b|\d:\d\d|^\s*(?:posted|by|updated|published)\b", re.I)


def _rng(key: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.blake2b(f"{SEED}:{key}".encode(), digest_size=8).digest(), "big"))


def source_key(page) -> str:
    return f"{page.dataset}:{page.id}" if hasattr(page, "id") else page.page_id.rsplit(":", 1)[0]


def partition_of(key: str, share: float = SHARE) -> str | None:
    """``seen`` / ``unseen`` for a chosen source (``dataset:id``), else None (deterministic)."""
    r = _rng("pick:" + key)
    if r.random() >= share:
        return None
    return "unseen" if r.random() < UNSEEN_SHARE else "seen"


def is_injected(dataset: str) -> bool:
    return dataset.startswith(DATASET_PREFIX)


def partition(dataset: str) -> str | None:
    """The partition of an injected page's dataset (``inject-seen-dragnet`` -> ``seen``)."""
    if not is_injected(dataset):
        return None
    return dataset[len(DATASET_PREFIX):].split("-", 1)[0]


class Pools:
    """Text the widgets borrow from other pages (teaser titles, tag words, bio sentences)."""

    def __init__(self, pages: Sequence[TrainPage]):
        self.titles: list[tuple[str, str]] = []      # (site, short line of another page's gold)
        self.sentences: list[tuple[str, str]] = []
        for p in pages:
            if p.flattener != F.DOM:
                continue
            content = (p.gold or {}).get("content") or ""
            for ln in content.split("\n")[:12]:
                n = len(ln.split())
                if 4 <= n <= 12 and not ln.rstrip().endswith((".", ":")) and not _NOT_TEASER.search(ln):
                    self.titles.append((p.site, ln.strip()))
            m = _SENTENCE.search(content)
            if m:
                self.sentences.append((p.site, m.group().strip()))

    def pick(self, pool: list[tuple[str, str]], site: str, rnd: random.Random) -> str:
        for _ in range(20):
            s, t = rnd.choice(pool)
            if s != site:
                return t
        return rnd.choice(pool)[1]


def _name(rnd: random.Random) -> str:
    part = lambda: "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()  # noqa: E731
    return f"{part()} {part()}"


def _lines(kind: str, lang: str, rnd: random.Random, pools: Pools, site: str) -> list[tuple[str, str]]:
    """The widget's lines as (element, text): element a = link, b = button, h = heading, t = text."""
    neg = NEG.get(lang) or NEG["en"]
    pick = lambda xs, k: rnd.sample(list(xs), min(k, len(xs)))  # noqa: E731
    if kind == "newsletter":
        a, b, c, d = (list(neg["newsletter"]) + ["", "", "", ""])[:4]
        return [("h", a), ("t", b), ("t", c), ("b", d)]
    if kind == "cookie":
        return [("t", neg["cookie"][0])] + [("b", x) for x in neg["cookie"][1:]]
    if kind == "share":
        return [("t", neg["share"][0])] + [("a", x) for x in pick(neg["share"][1:], rnd.randint(2, 4))]
    if kind == "related":
        return [("h", rnd.choice(neg["related"]))] + [("a", pools.pick(pools.titles, site, rnd))
                                                      for _ in range(rnd.randint(3, 6))]
    if kind == "comment_form":
        return [("h" if i == 0 else "t", x) for i, x in enumerate(LANG.get(lang, LANG["en"])["form"])]
    raise ValueError(f"unknown widget kind {kind!r}")


def widget_html(kind: str, lang: str, rnd: random.Random, pools: Pools, site: str) -> tuple[str, list[str]]:
    """(HTML of one widget, its texts)."""
    if kind in IU.KINDS:  # the unseen partition's own wordings and markup
        items = IU.lines(kind, lang, rnd, lambda: pools.pick(pools.titles, site, rnd),
                         lambda: pools.pick(pools.sentences, site, rnd), lambda: _name(rnd))
        return IU.widget_html(kind, [(el, t) for el, t in items if t], rnd, lambda: rnd.choice(NEUTRAL_CLASSES))
    lines = [(el, t) for el, t in _lines(kind, lang, rnd, pools, site) if t]
    cls = lambda: rnd.choice(NEUTRAL_CLASSES)  # noqa: E731
    inline = kind in ("share", "tags") and rnd.random() < 0.5
    parts = []
    for el, t in lines:
        t_html = H.escape(t)
        if el == "a":
            item = f'<a href="/p/{rnd.randint(100, 99999)}">{t_html}</a>'
        elif el == "b":
            item = f'<button type="button">{t_html}</button>' if rnd.random() < 0.5 else f'<a href="#">{t_html}</a>'
        elif el == "h":
            item = f"<strong>{t_html}</strong>" if rnd.random() < 0.6 else f"<h4>{t_html}</h4>"
        else:
            item = f"<span>{t_html}</span>"
        parts.append(f" {item}" if inline else f'<div class="{cls()}">{item}</div>')
    body = f'<div class="{cls()}">{"".join(parts)}</div>'
    if rnd.random() < TELLING_SHARE:
        wrapper = rnd.choice(TELLING_WRAPPERS)
        tag = wrapper[1:].split()[0].rstrip(">")
        return f"{wrapper}{body}</{tag}>", [t for _, t in lines]
    return f'<div class="{cls()}">{body}</div>', [t for _, t in lines]


def _article_paragraph_ends(html: str, gold: str) -> list[int]:
    """Offsets just after the article's paragraphs (``</p>`` of a <p> whose words are mostly gold)."""
    gw = {w.lower() for w in _WORDS.findall(gold)}
    out = []
    for m in _P.finditer(html):
        words = [w.lower() for w in _WORDS.findall(H.unescape(_TAG.sub(" ", m.group(1))))]
        if len(words) >= PARAGRAPH_WORDS and sum(w in gw for w in words) >= PARAGRAPH_GOLD_SHARE * len(words):
            out.append(m.end())
    return out


def _insert_at(html: str, place: str, ends: list[int], starts: list[int], rnd: random.Random) -> int:
    if place == "before" and starts:
        return starts[0]
    if place == "between" and len(ends) >= 2:
        return rnd.choice(ends[:-1])
    if place in ("after", "between", "before") and ends:
        return ends[-1]
    m = _BODY_END.search(html)
    return m.start() if m else len(html)


def inject(src: C.SourcePage, part: str, pools: Pools) -> tuple[str, list[str], list[str]]:
    """(the source's HTML with widgets inserted, the widgets' texts, their kinds)."""
    rnd = _rng("page:" + source_key(src))
    kinds = SEEN_KINDS if part == "seen" else UNSEEN_KINDS
    langs = SEEN_LANGS if part == "seen" else UNSEEN_LANGS
    lang = rnd.choice(langs)
    html = src.content
    ends = _article_paragraph_ends(html, (src.gold or {}).get("content") or "")
    starts = [html.rfind("<p", 0, e) for e in ends[:1]]
    inserts: list[tuple[int, str]] = []
    texts: list[str] = []
    chosen = rnd.sample(kinds, rnd.randint(*WIDGETS_PER_PAGE))
    places = PLACES if part == "seen" else IU.PLACES
    for kind in chosen:
        place = rnd.choices(list(places), weights=list(places.values()))[0]
        w, t = widget_html(kind, lang, rnd, pools, src.site)
        inserts.append((_insert_at(html, place, ends, starts, rnd), w))
        texts.extend(t)
    for at, w in sorted(inserts, key=lambda x: -x[0]):
        html = html[:at] + w + html[at:]
    return html, texts, list(chosen)


def relabel(page: TrainPage, original: TrainPage | None, texts: list[str]) -> TrainPage:
    """Lines new to the page and made mostly of widget words become boilerplate."""
    from collections import Counter
    have = Counter(ln.text for ln in original.lines) if original is not None else Counter()
    ww = {w.lower() for t in texts for w in _WORDS.findall(t)}
    labels = list(page.labels)
    authors = list(page.authors)
    for i, ln in enumerate(page.lines):
        if have[ln.text] > 0:
            have[ln.text] -= 1
            continue
        words = [w.lower() for w in _WORDS.findall(ln.text)]
        if words and sum(w in ww for w in words) >= WIDGET_WORD_SHARE * len(words):
            labels[i], authors[i] = BOILERPLATE, None
    return replace(page, labels=labels, authors=authors)


_JOB: dict = {}


def _one(src: C.SourcePage) -> TrainPage | None:
    from workers.training.dataset import pages_from_html
    part = partition_of(source_key(src), _JOB["share"])
    html, texts, kinds = inject(src, part, _JOB["pools"])
    got = pages_from_html(replace(src, content=html), (F.DOM,))
    if not got:
        return None
    page = relabel(got[0], _JOB["original"].get(f"{src.dataset}:{src.id}:{F.DOM}"), texts)
    gold = dict(page.gold, injected_kinds=kinds)
    return replace(page, page_id=f"{DATASET_PREFIX}{part}-{page.page_id}",
                   dataset=f"{DATASET_PREFIX}{part}-{page.dataset}", gold=gold)


def make_pages(shared: Path, real_pages: Sequence[TrainPage], share: float = SHARE, workers: int = 2,
               log: Callable[[str], None] | None = None) -> list[TrainPage]:
    """Injected versions of a share of the html-dev sources that have a dom page in ``real_pages``."""
    original = {p.page_id: p for p in real_pages if p.flattener == F.DOM and p.dataset in C.HTML_FILES}
    _JOB.update(share=share, pools=Pools(list(original.values())), original=original)
    srcs = (s for s in C.iter_html_pages(shared)
            if f"{s.dataset}:{s.id}:{F.DOM}" in original and partition_of(source_key(s), share))
    try:
        if workers > 1 and can_fork():
            with fork_pool(workers) as pool:
                out = [p for p in pool.imap(_one, srcs, chunksize=4) if p is not None]
        else:
            out = [p for p in map(_one, srcs) if p is not None]
    finally:
        _JOB.clear()
    if log:
        n = {k: sum(partition(p.dataset) == k for p in out) for k in PARTITIONS}
        log(f"injected pages: {len(out)} ({n['seen']} seen, {n['unseen']} unseen widget kinds/languages)")
    return sorted(out, key=lambda p: p.page_id)
