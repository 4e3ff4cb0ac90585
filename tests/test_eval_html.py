"""bench/eval_html.py: the scoring on known cases (no corpus needed) and a smoke run of every
extractor on a few real html-dev pages (skipped without ../shared)."""
from __future__ import annotations

import json

from bench import eval_html as H
from bench import heldout_html as HH
from bench import scoring as S
from tests.conftest import corpus_or_skip


def _page(pid: str, content: str, comments: str = "", kind: str | None = None) -> dict:
    return {"id": pid, "url": None, "html": "", "page_type": kind, "gold": {"content": content, "comments": comments}}


PAGES = [
    _page("a", "The river rose by two metres overnight. Boats were moved.", "Ann 2 May\nGreat report, thanks."),
    _page("b", "Council votes on the new bridge. The vote is on Monday."),
    _page("c", ""),  # an all-boilerplate page: nothing is the right answer
]


def test_perfect_extraction_scores_one_and_empty_scores_zero():
    oracle = {p["id"]: H.Extraction(p["gold"]["content"], p["gold"]["comments"], []) for p in PAGES}
    rep = H.score(PAGES, oracle, comments=True)
    assert rep["content_f1"] == rep["precision"] == rep["recall"] == 1.0
    assert rep["comment_f1"] == 1.0 and rep["false_comment_pages"] == 0
    assert (rep["comment_pages"], rep["no_comment_pages"]) == (1, 2)

    empty = {p["id"]: H.Extraction("", "", []) for p in PAGES}
    rep = H.score(PAGES, empty, comments=True)
    # only the page whose gold is empty is right when nothing is output
    assert rep["content_f1"] == S.mean([0.0, 0.0, 1.0])
    assert rep["comment_f1"] == 0.0 and rep["false_comment_pages"] == 0


def test_comment_text_on_a_page_without_comments_is_a_false_comment():
    out = {p["id"]: H.Extraction(p["gold"]["content"], "Share this: Facebook Twitter", None) for p in PAGES}
    rep = H.score(PAGES, out, comments=True)
    assert rep["false_comment_pages"] == 2 and rep["comment_f1"] < 1.0
    assert "authors" not in rep   # no author list: the extractor has no authors


def test_no_comment_mode_is_reported_as_such():
    out = {p["id"]: H.Extraction(p["gold"]["content"], None) for p in PAGES}
    rep = H.score(PAGES, out, comments=True)
    assert "comment_f1" not in rep and "false_comment_pages" not in rep


def test_authors_are_checked_against_the_gold_comments():
    counts = H.author_counts([(["Ann", None, "Zed Q"], "Ann 2 May\nGreat report.\nBo\nNice.")])
    assert counts == {"comments": 3, "with_author": 2, "author_in_gold": 1}


def test_resiliparse_comments_are_the_added_lines():
    assert H.added_lines("Title\nBody\nNice post\nBody", "Title\nBody") == "Nice post\nBody"
    assert H.added_lines("Title", "Title") == ""


def test_sample_is_fixed_spread_over_kinds_and_in_file_order():
    kinds = ["article"] * 50 + ["forum"] * 5 + ["product"] * 20
    a = H.sample_indices(kinds, 15, seed=3)
    assert a == H.sample_indices(kinds, 15, seed=3) and a == sorted(a) and len(a) == 15
    assert [kinds[i] for i in a].count("forum") == 5   # a kind smaller than its share is taken whole
    assert H.sample_indices(kinds, 0, seed=3) == list(range(len(kinds)))


def test_every_extractor_on_real_pages(tmp_path, capsys):
    corpus_or_skip()
    out = tmp_path / "rep.json"
    assert H.main(["--sample", "3", "--sets", "dragnet,cleaneval", "--json", str(out)]) == 0
    reports = json.loads(out.read_text())
    text = capsys.readouterr().out
    for name in ("dragnet", "cleaneval"):
        assert list(reports[name]) == list(H.EXTRACTORS)
        for ex, rep in reports[name].items():
            assert rep["pages"] == 3 and 0.0 <= rep["content_f1"] <= 1.0 and rep["docs_per_s"] > 0
    dragnet = reports["dragnet"]
    assert all("comment_f1" in dragnet[ex] for ex in H.EXTRACTORS)
    assert "authors" in dragnet["winnow rules"] and "authors" not in dragnet["trafilatura"]
    for ex in H.EXTRACTORS:
        assert text.count(f"   {ex} ") >= 3   # a row per set and one in the summary
    assert "TRAINING data" in text   # the model's in-sample status is printed
    assert text.count("site-split") >= 2   # its out-of-fold figures (or their absence), per set


def test_unknown_set_is_one_line_and_exit_2(capsys):
    assert H.main(["--sets", "nope"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def _gold_page(pid: str, comments: list[dict], kind: str = "article") -> dict:
    return {"id": pid, "url": None, "html": "", "page_type": kind,
            "gold": {"content": "Bridge vote on Monday.", "comments": "\n\n".join(c["text"] for c in comments),
                     "comment_list": comments}}


def test_heldout_comments_are_scored_one_by_one():
    gold = [{"author": "Ann Lee", "reply_to": None, "text": "The river rose by two metres overnight here."},
            {"author": "Bo", "reply_to": 0, "text": "Same on our street, the cellar is full of water."},
            {"author": None, "reply_to": None, "text": "Who pays for the pumps this time around?"}]
    page = _gold_page("h", gold)
    items = {"h": [("the river rose by two metres overnight here.", "ann  LEE", None),   # found, author right
                   ("Same on our street, the cellar is full of water.", "Bo", 0),      # reply target right
                   ("Who pays for the pumps this time around?", "Guest", None)]}        # placeholder kept: wrong
    c = HH.comment_scores([page], items)
    assert c == {"gold": 3, "found": 3, "named": 2, "author_ok": 2, "unnamed": 1, "unnamed_ok": 0,
                 "replies": 1, "reply_ok": 1}
    # the reply pointing at the wrong comment, a missing comment, an empty output
    items = {"h": [("Same on our street, the cellar is full of water.", "Bo", 1),
                   ("Who pays for the pumps this time around?", None, None)]}
    c = HH.comment_scores([page], items)
    assert (c["found"], c["author_ok"], c["unnamed_ok"], c["reply_ok"]) == (2, 1, 1, 0)
    assert HH.comment_scores([page], {"h": None})["found"] == 0


def test_forum_pages_are_not_counted_as_pages_without_comments():
    pages = [_gold_page("a", []), _gold_page("f", [], kind="forum")]
    out = {"a": H.Extraction("Bridge vote on Monday.", "", [], []),
           "f": H.Extraction("Bridge vote on Monday.", "a reply that is a post", [None], [("a reply", None, None)])}
    rep = H.score(pages, out, comments=True)
    assert rep["no_comment_pages"] == 1 and rep["false_comment_pages"] == 0


def test_heldout_html_set_runs_every_extractor(tmp_path, capsys):
    """The blind set is in the repository: no ../shared needed."""
    out = tmp_path / "rep.json"
    assert H.main(["--sets", HH.NAME, "--json", str(out)]) == 0
    rep = json.loads(out.read_text())[HH.NAME]
    text = capsys.readouterr().out
    assert list(rep) == list(H.EXTRACTORS)
    n = len(HH.pages())
    for ex, r in rep.items():
        assert r["pages"] == n and 0.0 <= r["content_f1"] <= 1.0 and "comment_f1" in r
    assert rep["winnow model"]["comment_items"]["gold"] == sum(len(p["gold"]["comment_list"]) for p in HH.pages())
    assert "comment_items" not in rep["trafilatura"]
    assert "metadata (default WINNOW_LABELLER" in text and "over the shared sets" not in text
