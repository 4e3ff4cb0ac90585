"""html_author.comment_container reads each class / id value once (``_comment_value``, cached;
docs/performance.md, eleventh round): the same answer as reading the value every time, on
real pages' elements and random class values, cold and from the cache."""
from __future__ import annotations

import itertools
import random

from selectolax.lexbor import LexborHTMLParser

from bench.loaders import html_dev_pages
from workers.core.stages import html_author as H
from workers.core.stages.html_rules import COMMENT_CONTAINERS

POOL = ("comment", "comments", "commentList", "comment-list", "disqus_thread", "respond", "replies", "reply",
        "no-comments", "entry", "post", "x", "", " ", "CommentsArea", "comments_2", *sorted(COMMENT_CONTAINERS)[:20])


def _former(node) -> bool:
    a = H.attributes(node)
    for v in (a.get("class"), a.get("id")):
        if v and (H._words(v) & H.COMMENT_SECTION_WORDS or any(t in COMMENT_CONTAINERS for t in v.split())):
            return True
    return False


def test_comment_container_answers_as_before() -> None:
    rng = random.Random(7)
    pages = [" ".join(f'<div class="{" ".join(rng.sample(POOL, rng.randint(1, 3)))}" id="{rng.choice(POOL)}">t</div>'
                      for _ in range(200))]
    pages += [p["html"] for p in itertools.islice(html_dev_pages("wcxb-dev.jsonl.gz"), 10)]
    found = 0
    H._comment_value.cache_clear()
    for _ in range(2):   # cold, then from the cache
        for html in pages:
            for node in LexborHTMLParser(html).root.traverse(include_text=True):
                want = _former(node)
                assert H.comment_container(node) == want
                found += want
    assert found > 50
