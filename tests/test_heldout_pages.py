"""The held-out pages themselves are well formed (tests/data/heldout/ and heldout2/): every page
parses, its metadata is consistent with its text, and every gold line is a line of the page.
This checks the gold files only; it never runs the pipeline (the quality figures are in
`python bench/eval.py` and tests/test_quality_gate.py)."""
from __future__ import annotations

import datetime
import re

import pytest

from tests.heldout import HELDOUT, HELDOUT2, parse_page

PAGES = sorted(HELDOUT.glob("*.page")) + sorted(HELDOUT2.glob("*.page"))


def test_there_are_pages():
    assert len(sorted(HELDOUT2.glob("*.page"))) >= 20


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_page_is_consistent(path):
    case = parse_page(path)
    inp, exp = case["input"], case["expected"]
    lines = set(inp["content"].split("\n"))
    assert re.fullmatch(r"[a-z]{2}", exp["language"])
    assert inp["url"] is None or inp["url"].startswith("https://")
    fetched = datetime.datetime.fromisoformat(inp["fetched_at"].replace("Z", "+00:00"))
    if exp["published_at"] is not None:
        published = datetime.date.fromisoformat(exp["published_at"])
        assert published <= fetched.date()
        assert str(published.year) in inp["content"]
    if exp["site_name"] is not None:
        assert exp["site_name"].lower() in inp["content"].lower()
    assert exp["title"] is None or exp["title"] in lines
    for para in exp["body_paragraphs"] + exp["boilerplate_lines"]:
        assert para in lines
    for c in exp["comments"]:
        assert c["text"], f"comment by {c['author']} has no text"
        for para in c["text"].split("\n\n"):
            assert para in lines
        if c["author"] is not None:
            assert any(c["author"] in line for line in lines if line not in c["text"])
