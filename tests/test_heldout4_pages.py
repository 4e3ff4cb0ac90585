"""The blind pages without main content are well formed (tests/data/heldout4/): every HTML page
parses with balanced tags and has a head title, every gold says "no document" (title, author and
date null, content and comments empty), and every line of a text page is labelled boilerplate.
This checks the gold files only; it never runs an extractor (the figures:
``python bench/eval_empty.py``)."""
from __future__ import annotations

import json
import re

import pytest

from tests.heldout import HELDOUT4, heldout4_pages, heldout4_text_cases
from tests.test_heldout3_pages import norm, parse

PAGES = heldout4_pages()
CASES = heldout4_text_cases()
KINDS = {"service", "listing", "product"}  # what the page would be if it held its document
NON_LATIN = {"ru", "uk", "el", "ja", "zh", "ko", "ar", "he", "hi", "th"}


def test_the_set():
    langs = [p["gold"]["language"] for p in PAGES] + [c["expected"]["language"] for c in CASES]
    assert len(PAGES) >= 12 and len(CASES) >= 8
    assert len(set(langs)) >= 15 and len(set(langs) & NON_LATIN) >= 8
    assert sorted(HELDOUT4.glob("*.json")) == [p.with_suffix(".json") for p in sorted(HELDOUT4.glob("*.html"))]
    ids = [p["id"] for p in PAGES] + [c["input"]["id"] for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("page", PAGES, ids=[p["id"] for p in PAGES])
def test_html_page_is_well_formed(page):
    gold = page["gold"]
    raw = json.loads((HELDOUT4 / (page["id"].removeprefix("heldout4-") + ".json")).read_text(encoding="utf-8"))
    doc = parse(page["html"])
    assert not doc.errors and not doc.stack, (doc.errors[:3], doc.stack)
    assert doc.html_lang and doc.html_lang.split("-")[0] == gold["language"]
    assert norm(doc.title), "a crawler still gets a <title>"
    assert page["page_type"] in KINDS and gold["notes"]
    assert re.fullmatch(r"https://[a-z0-9.-]+\.example/\S*", page["url"])
    assert raw["title"] is None and raw["author"] is None and raw["publish_date"] is None
    assert raw["content"] == [] and raw["comments"] == []
    assert gold["content"] == "" and gold["comments"] == "" and not doc.dates
    assert len(norm("".join(doc.text))) >= 40, "the page shows its chrome"


@pytest.mark.parametrize("case", CASES, ids=[c["input"]["id"] for c in CASES])
def test_text_page_is_all_boilerplate(case):
    inp, exp = case["input"], case["expected"]
    path = HELDOUT4 / (inp["id"].removeprefix("heldout4-") + ".page")
    labelled = path.read_text(encoding="utf-8").partition("\n---\n")[2].rstrip("\n").split("\n")
    assert all(ln.startswith("X|") for ln in labelled if ln.strip()), "every text line is X"
    assert exp["title"] is None and exp["body_paragraphs"] == [] and exp["comments"] == []
    assert exp["published_at"] is None and exp["notes"]
    assert re.fullmatch(r"[a-z]{2}", exp["language"])
    assert re.fullmatch(r"https://[a-z0-9.-]+\.example/\S*", inp["url"])
    assert exp["site_name"] and exp["site_name"].lower() in inp["content"].lower()
    assert len(exp["boilerplate_lines"]) >= 8
    assert exp["boilerplate_lines"] == [ln for ln in inp["content"].split("\n") if ln.strip()]
