"""``comment_roles`` answers a page the labeller gave no comment label without its steps (None,
None on every line); ``section_roles`` (the steps) must give that very answer on such a page:
here on the seed page's and the text-dev pages' lines, with labels drawn from title, body and
boilerplate only, every rule reason the steps read (comment reasons, the not-comment-text
reasons, a deleted comment's), both signature strengths, with and without HTML depths."""
from __future__ import annotations

import json
import random
from pathlib import Path

from workers.core.heuristics.reasons import COMMENT_REASONS
from workers.core.labeller import comments as C
from workers.core.labeller.labels import BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, TITLE
from workers.core.stages.text import split_lines

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
REASONS = [None, *sorted(COMMENT_REASONS), *sorted(C._NOT_COMMENT_TEXT), C._REMOVED, "navigation", "site-header"]


def _pages() -> list[list[str]]:
    files = [CORPUS / "seed" / "southfront-ghouta.json", *sorted((CORPUS / "text-dev").glob("*.json"))]
    return [[ln.text for ln in split_lines(json.loads(f.read_text(encoding="utf-8"))["input"]["content"])]
            for f in files]


def test_no_comment_label_no_comment_line():
    rng = random.Random(9)
    pages = _pages()
    assert len(pages) > 5
    for texts in pages:
        n = len(texts)
        for trial in range(6):
            labels = [rng.choice((TITLE, BODY, BOILERPLATE, BOILERPLATE)) for _ in range(n)]
            reasons = [rng.choice(REASONS) for _ in range(n)]
            blanks = [rng.choice((0, 0, 1, 2, 3)) for _ in range(n)]
            signature = [rng.choice((0, C.STRONG, C.WEAK)) for _ in range(n)] if trial % 2 else None
            depth = [float(rng.randrange(3, 12)) for _ in range(n)] if trial % 3 == 2 else None
            want = ([None] * n, [None] * n)
            assert C.section_roles(texts, blanks, labels, reasons, depth, signature) == want
            assert C.comment_roles(texts, blanks, labels, reasons, depth, signature) == want


def test_a_comment_label_runs_the_steps():
    """One comment label is enough for the steps to run (and read the section)."""
    texts = ["Title", "Body text of the article goes here.", "Anna", "Nice post, thanks for it.", "Reply"]
    for labels in ([TITLE, BODY, COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME],
                   [TITLE, BODY, BOILERPLATE, COMMENT_TEXT, BOILERPLATE]):
        got = C.comment_roles(texts, [0, 1, 1, 0, 0], labels, [None] * 5)
        assert got == C.section_roles(texts, [0, 1, 1, 0, 0], labels, [None] * 5)
        assert "comment-start" in got[1]
