"""Synthetic NEGATIVE pages: repeated entries that are not comments, and boilerplate widgets.

A comment section is a run of records of one shape (name, date, text); so is a listing page's
run of entries (title, date, teaser), a product grid (name, price, rating), an event list, a
recipe card or a spec table. Real pages of these kinds are few in training outside WCXB's
English ones, so the labeller learns "repeated short header + date + text after the body =
comments". This module generates, on real pages (the article sources of ``synthetic.py``):

- **entry pages** (``ENTRY_KINDS``): the source page's header and footer boilerplate kept, its
  article replaced by a heading and generated entries, all labelled **body** (the page's
  content) except per-entry links ("Read more", "Add to cart": boilerplate);
- **widget pages**: the article kept and, after its body, boilerplate widgets in one of the
  languages of ``synthetic_vocab.NEG`` (``WIDGET_KINDS``: a related-posts list of title + date
  + teaser entries, newsletter, cookie, donation, share lines), all labelled **boilerplate**;
  on half of them a generated comment section too (before or after the widgets), labelled as
  in ``synthetic.py``.

Everything is labelled by construction; pages are ``dataset="synthetic"`` and keep their source
page's site. ``HOLDOUT_KINDS`` are never in training pages (validation: eval_comment_records
``--sources unseen``).
"""
from __future__ import annotations

import random

from workers.core.labeller.labels import BODY, BOILERPLATE, TITLE
from workers.training import synthetic as SY
from workers.training.synthetic_vocab import NEG, PRICES, RATINGS, SPEC_VALUES, UNITS

ENTRY_KINDS: tuple[str, ...] = ("archive", "search", "products", "recipe", "events", "specs")
WIDGET_KINDS: tuple[str, ...] = ("related", "newsletter", "cookie", "donate", "share")
# Entry kinds only the validation pages use.
HOLDOUT_KINDS: tuple[str, ...] = ("events", "specs")
TRAIN_KINDS: tuple[str, ...] = tuple(k for k in ENTRY_KINDS if k not in HOLDOUT_KINDS)
ENTRIES = (4, 12)
ENTRY_SHARE = 0.5        # share of negative pages that are entry pages (else widget pages)
WITH_COMMENTS = 0.5      # widget pages that also carry a comment section
TEASER_CHARS = (80, 220)

Row = tuple[str, str, "str | None"]


def _title_of(rnd: random.Random, texts: list[str]) -> str:
    words = rnd.choice(texts).split()
    return " ".join(words[:rnd.randint(3, 9)]).rstrip(".,;:!?") or "Untitled"


def _teaser(rnd: random.Random, texts: list[str]) -> str:
    t = rnd.choice(texts)
    cut = rnd.randint(*TEASER_CHARS)
    return t if len(t) <= cut else t[:cut].rsplit(" ", 1)[0] + rnd.choice(("…", "...", " […]", ""))


def _date(c: SY._Ctx) -> str:
    r = c.rnd
    return r.choice((SY._written(c), SY._numeric(r, c.lang), SY._ago(c)))


def entry_rows(kind: str, c: SY._Ctx, texts: list[str]) -> list[Row]:
    """A heading and the repeated entries of one entry kind: body, per-entry links boilerplate."""
    r, V = c.rnd, NEG[c.lang]
    n = r.randint(*ENTRIES)
    num = lambda f: f.format(n=r.randint(1, 999), m=r.randint(0, 99))  # noqa: E731
    rows: list[Row] = []
    if kind == "archive":
        rows.append((r.choice(V["archive"]).format(topic=_title_of(r, texts)[:40]), TITLE, None))
        for _ in range(n):
            rows += [(_title_of(r, texts), BODY, None), (_date(c), BODY, None), (_teaser(r, texts), BODY, None)]
            if r.random() < 0.5:
                rows.append((r.choice(V["more"]), BOILERPLATE, None))
    elif kind == "search":
        rows.append((r.choice(V["results"]).format(n=r.randint(11, 9999)), TITLE, None))
        for _ in range(n):
            host = "".join(r.choice(SY.SYLLABLES) for _ in range(3))
            rows += [(_title_of(r, texts), BODY, None),
                     (f"https://www.{host}.{r.choice(('com', 'org', 'de', 'net'))}/{host[:4]}/{r.randint(10, 999)}",
                      BODY, None), (f"{_date(c)} — {_teaser(r, texts)}", BODY, None)]
    elif kind == "products":
        rows.append((_title_of(r, texts), TITLE, None))
        for _ in range(n):
            rows += [(_title_of(r, texts), BODY, None), (num(r.choice(PRICES)), BODY, None)]
            if r.random() < 0.5:
                rows.append((num(r.choice(RATINGS)), BODY, None))
            if r.random() < 0.4:
                rows.append((r.choice(V["stock"]), BODY, None))
            rows.append((r.choice(V["cart"]), BOILERPLATE, None))
    elif kind == "recipe":
        rows += [(_title_of(r, texts), TITLE, None), (_teaser(r, texts), BODY, None), (V["ingredients"][0], BODY, None)]
        rows += [(f"{r.randint(1, 500)} {r.choice(UNITS)} {_title_of(r, texts).split()[-1].lower()}", BODY, None)
                 for _ in range(n)]
        rows.append((r.choice(V["method"]), BODY, None))
        rows += [(f"{k + 1}. {_teaser(r, texts)}", BODY, None) for k in range(r.randint(3, 7))]
    elif kind == "events":
        rows.append((_title_of(r, texts), TITLE, None))
        for _ in range(n):
            rows += [(_date(c), BODY, None), (_title_of(r, texts), BODY, None),
                     (f"{_title_of(r, texts)[:30]}, {r.randint(9, 22)}:{r.choice(('00', '30'))}", BODY, None),
                     (r.choice(V["tickets"]), BOILERPLATE, None)]
    elif kind == "specs":
        rows += [(_title_of(r, texts), TITLE, None), (_teaser(r, texts), BODY, None)]
        for key in r.sample(V["specs"], min(len(V["specs"]), r.randint(3, 7))):
            rows.append((f"{key}{r.choice((': ', '  ', ' | '))}{num(r.choice(SPEC_VALUES))}", BODY, None))
    else:
        raise ValueError(kind)
    return rows


def widget_rows(kind: str, c: SY._Ctx, texts: list[str]) -> list[Row]:
    """One boilerplate widget after an article: every line boilerplate."""
    r, V = c.rnd, NEG[c.lang]
    if kind == "related":
        rows = [r.choice(V["related"])]
        for _ in range(r.randint(3, 6)):
            rows.append(_title_of(r, texts))
            if r.random() < 0.7:
                rows.append(_date(c))
            if r.random() < 0.6:
                rows.append(_teaser(r, texts))
        return [(t, BOILERPLATE, None) for t in rows]
    lines = list(V[kind])
    return [(t, BOILERPLATE, None) for t in lines[:r.randint(2, len(lines))]]


def negative_section(rnd: random.Random, texts: list[str], title: str,
                     kinds: tuple[str, ...] = TRAIN_KINDS) -> tuple[str, list[Row]]:
    """An entry page's rows (``kind`` in ``kinds``) or a widget block; returns (kind, rows)."""
    lang = rnd.choice(tuple(NEG))
    c = SY._Ctx(rnd, lang, title)
    if rnd.random() < ENTRY_SHARE:
        kind = rnd.choice(kinds)
        return kind, entry_rows(kind, c, texts)
    rows: list[Row] = []
    for kind in rnd.sample(WIDGET_KINDS, rnd.randint(1, 3)):
        rows += widget_rows(kind, c, texts)
    return "widgets", rows


def negative_pages(sources: list, texts: list[str], n: int, seed: int) -> list:
    """Entry pages (the article replaced by entries) and widget pages (widgets after the body,
    half of them with a comment section too), on the given source pages."""
    rnd = random.Random(seed + 1)
    out = []
    for k, src in enumerate(rnd.sample(sources, min(n, len(sources)))):
        kind, rows = negative_section(rnd, texts, SY.source_title(src))
        blank = 1 if rnd.random() < SY.BLANK_SECTION_SHARE else 0
        blanks = [blank] * len(rows)
        records: list[dict] = []
        if kind == "widgets" and rnd.random() < WITH_COMMENTS:
            sec = SY.comment_section(rnd, texts, SY.source_title(src))
            records = sec.records
            if rnd.random() < 0.5:
                rows, blanks = sec.rows + rows, sec.blanks + blanks
            else:
                rows, blanks = rows + sec.rows, blanks + sec.blanks
        page = SY.build_page(f"synthetic:neg{k:04d}:{src.flattener}", src, rows, blanks, records,
                     replace=kind != "widgets", page_type="article" if kind == "widgets" else "listing")
        if page is not None:
            out.append(page)
    return out
