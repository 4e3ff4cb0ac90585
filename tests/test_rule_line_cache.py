"""The rule labeller's per-line memo (rules/features.py) is looked up with the line as it is
first, normalised only when not found: the same features as each line computed alone from an
empty memo, for lines already normalised, lines with extra whitespace and their twins."""
import json
from pathlib import Path

from topics.records import Line
from workers.core.rules import features as F
from workers.core.stages.text import split_lines

EXTRA = ["Reply", "  Reply  ", "Reply\t", "John  Smith says:", "John Smith says:", "[Reply]", "[ Reply ]",
         "May 3, 2023", "May  3,\u00a02023", "Share   this:", "Share this:", "14 comments", "x " * 90]


def _pages() -> list[list[Line]]:
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    pages = [split_lines(json.loads(f.read_text(encoding="utf-8"))["input"]["content"])
             for f in sorted(corpus.glob("*/*.json"))]
    pages.append([Line(i, t, 0) for i, t in enumerate(EXTRA + EXTRA[::-1])])
    return pages


def _alone(ln: Line) -> F.LineFeatures:
    F._LINE_CACHE.clear()
    return F.line_features([ln], None)[0]


def test_memoised_features_equal_each_line_alone():
    pages = _pages()
    want = [[_alone(ln) for ln in page] for page in pages]
    F._LINE_CACHE.clear()
    for _ in range(2):  # a first pass fills the memo, the second reads it
        for page, expect in zip(pages, want):
            assert F.line_features(page, None) == expect
    assert any(" " * 2 in ln.text for ln in pages[-1])  # lines that need normalising were read
