"""The synthetic pages of the training data, mixed: comment sections (``synthetic.py``) and
negative pages (``synthetic_negative.py``) on the same real source pages, together at most
``synthetic.MAX_SHARE`` of the real pages (real pages stay dominant)."""
from __future__ import annotations

import random

from workers.core.labeller.labels import BODY
from workers.training.synthetic import (MAX_SHARE, MAX_TEXT_CHARS, MIN_BODY_LINES, N_NEGATIVE, N_PAGES, SEED,
                                        SOURCE_DATASETS, SOURCE_FLATTENERS, build_page, comment_section, source_title)
from workers.training.synthetic_negative import negative_pages


def make_pages(real_pages: list, n_pages: int = N_PAGES, seed: int = SEED, n_negative: int = N_NEGATIVE) -> list:
    """Synthetic pages built on the given real pages (see the module docstring): ``n_pages``
    with a comment section, ``n_negative`` negative ones (``synthetic_negative``)."""
    rnd = random.Random(seed)
    cap = int(len(real_pages) * MAX_SHARE)
    n_pages = min(n_pages, cap)
    n_negative = max(0, min(n_negative, cap - n_pages))
    sources = [p for p in real_pages if p.dataset in SOURCE_DATASETS and p.flattener in SOURCE_FLATTENERS
               and p.page_type == "article" and not p.gold.get("comments_text")
               and sum(lab == BODY for lab in p.labels) >= MIN_BODY_LINES]
    sources.sort(key=lambda p: p.page_id)
    texts = sorted({ln.text for p in sources for ln, lab in zip(p.lines, p.labels)
                    if lab == BODY and 60 <= len(ln.text) <= MAX_TEXT_CHARS})
    if not sources:
        return []
    out = []
    for k, src in enumerate(rnd.sample(sources, min(n_pages, len(sources)))):
        section = comment_section(rnd, texts, source_title(src))
        page = build_page(f"synthetic:{k:04d}:{src.flattener}", src, section.rows, section.blanks,
                     section.records, replace=False)
        if page is not None:
            out.append(page)
    out += negative_pages(sources, texts, n_negative, seed)
    return out
