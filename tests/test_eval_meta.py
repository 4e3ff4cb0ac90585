"""bench/eval_meta.py: the site halves, the error kinds and the per-kind scoring (no corpus needed)."""
from __future__ import annotations

from bench import eval_meta as E


def _page(pid: str, url: str, kind: str = "article", **gold) -> dict:
    g = {"title": "Big news on the river", "content": "Big news on the river. The river rose.", "author": None,
         "publish_date": None}
    g.update(gold)
    return {"id": pid, "url": url, "html": "", "page_type": kind, "gold": g}


def test_halves_keep_a_site_together():
    a = E.half_of(_page("1", "https://www.paper.example/a"))
    assert a == E.half_of(_page("2", "https://news.paper.example/b?x=1"))   # same registrable domain
    halves = {E.half_of(_page(str(i), f"https://site{i}.example/")) for i in range(20)}
    assert halves == {"A", "B"}


def test_error_kinds():
    assert E.title_error("big news", "") == "missing"
    assert E.title_error("big news", "big news the paper") == "extra words (site name / kicker)"
    assert E.title_error("big news on the river", "big news") == "cut short"
    assert E.title_error("big news", "weather today") == "unrelated text"
    assert E.date_error("2024-03-05", None) == "missing"
    assert E.date_error("2024-03-05", "2023-03-05") == "wrong year"
    assert E.date_error("2024-03-05", "2024-05-03") == "day/month swapped"
    assert E.date_error("2024-03-05", "2024-03-04") == "off by a day"


def test_score_counts_forum_replies_as_content_and_splits_by_half():
    pages = [_page("a", "https://forum.example/t/1", "forum", content="Pump. Question about the pump. Answer: oil it.",
                   title="Pump", author="ann", publish_date="2024-03-05"),
             _page("b", "https://paper.example/x", "article", author="Bo Lee")]
    results = {
        "a": {"title": "Pump", "body": "Question about the pump.", "comments": [{"text": "Answer: oil it."}],
              "metadata": {"page_kind": "forum", "author": "ann", "published_at": "2024-03-05"}},
        "b": {"title": "Big news on the river", "body": "The river rose.", "comments": [],
              "metadata": {"page_kind": "listing", "author": None, "published_at": "2024-01-01"}},
    }
    rep = E.score(pages, results)
    rows = {r["id"]: r for r in rep["rows"]}
    assert rows["a"]["content_f1"] == 1.0 and rows["a"]["body_only_f1"] < 1.0
    assert rep["all"]["page_kind"] == 0.5 and rep["all"]["author_exact"] == 0.5 and rep["all"]["date_false"] == 1.0
    assert rep["kind_prf"][rows["b"]["half"]]["article"]["recall"] == 0.0
    assert sum(h["pages"] for h in rep["halves"].values()) == 2
