"""html_chrome.contains_article asks an element that matches the article selector itself
whether a descendant matches with one query over its subtree (docs/performance.md, eleventh
round): the same answer as its former definition, which asked each child's subtree in turn,
on random pages and on real pages, for every element and both selectors."""
from __future__ import annotations

import itertools
import random

from selectolax.lexbor import LexborHTMLParser

from bench.loaders import html_dev_pages
from workers.core.stages import html_chrome as C
from workers.core.stages.html_walk import Walker

TAGS = ("div", "main", "article", "h1", "p", "nav", "header", "footer", "section", "span", "ul", "li", "template")
ATTRS = ("", ' class="entry-content"', ' class="post-title sidebar"', ' role="main"', ' itemprop="articleBody"',
         ' class="menu"', ' id="x"', ' itemprop="headline"', ' class="article-body"')


def _former(w, node, selector: str) -> bool:
    """contains_article as written before: each child's subtree asked in turn."""
    if w.checks <= 0:
        return True
    w.checks -= 1
    try:
        hit = node.css_first(selector)
        if hit is not None:
            if hit.mem_id != node.mem_id:
                return True
            for child in node.iter():
                if child.css_first(selector) is not None:
                    return True
    except Exception:  # noqa: BLE001
        return True
    if w.page_chars < 0:
        w.page_chars = len(w.root.text()) if w.root is not None else 0
    return len(node.text()) > C.MAX_CHROME_SHARE * w.page_chars


def _random_html(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(0, 4 if depth < 4 else 0)):
        kind = rng.random()
        if kind < 0.2:
            out.append(rng.choice(("text ", "  ", "a longer run of words " * rng.randint(1, 30))))
        elif kind < 0.27:
            out.append("<!-- c -->")
        else:
            tag = rng.choice(TAGS)
            out.append(f"<{tag}{rng.choice(ATTRS)}>{_random_html(rng, depth + 1)}</{tag}>")
    return "".join(out)


def _check(html: str, every: int = 1) -> int:
    """Both definitions on every ``every``-th element and on every element that matches a
    selector itself; the count of the latter."""
    tree = LexborHTMLParser(html)
    root = tree.body if tree.body is not None else tree.root
    selves = 0
    nodes = [n for n in root.traverse() if n.tag is not None and not n.tag.startswith("-")]
    for i, (node, selector) in enumerate(itertools.product(nodes, (C.ARTICLE_SELECTOR, C.HEADER_SELECTOR))):
        if i % every and node.css_first(selector) is None:
            continue
        old, new = Walker(root), Walker(root)
        assert C.contains_article(new, node, selector) == _former(old, node, selector), (node.html or "")[:200]
        assert (new.checks, new.page_chars) == (old.checks, old.page_chars)
        hit = node.css_first(selector)
        selves += hit is not None and hit.mem_id == node.mem_id
    return selves


def test_random_pages_answer_as_before() -> None:
    rng = random.Random(2026)
    assert sum(_check(f"<html><body>{_random_html(rng)}</body></html>") for _ in range(300)) > 100


def test_real_pages_answer_as_before() -> None:
    selves = 0
    for name in ("dragnet-train.jsonl.gz", "wcxb-dev.jsonl.gz"):
        for page in itertools.islice(html_dev_pages(name), 25):
            selves += _check(page["html"], every=25)
    assert selves >= 5
