"""bench/eval_empty.py: its counts and printed report on known outputs (no extractor runs, no
held-out page is read)."""
from __future__ import annotations

from bench import eval_empty as E


def test_counts_over_pages_whose_gold_is_empty():
    out = {"a": E.Output("Sorry, that page is gone.", "Page not found", 0),
           "b": E.Output("", "", 2),
           "c": E.Output("", None, 0, missing=True)}
    rep = E.score(["a", "b", "c"], out)
    assert rep["pages"] == 3 and rep["main_given"] == 1 and rep["missing"] == 1
    assert rep["mean_tokens"] == 5 / 3 and rep["per_page_tokens"] == {"a": 5}
    assert rep["title_given"] == 1 and rep["comments_given"] == 1


def test_no_title_or_comment_column_for_extractors_without_them(capsys):
    out = {"a": E.Output("", None, None), "b": E.Output("Trending now", None, None)}
    rep = E.score(["a", "b"], out)
    assert "title_given" not in rep and "comments_given" not in rep and rep["main_given"] == 1
    E.print_set("demo", {"resiliparse": rep})
    text = capsys.readouterr().out
    assert "1 of 2" in text and "main text on b 2" in text


def test_the_extractors_cover_both_sets():
    assert set(E.RUNNERS["html"]) == set(E.HTML_EXTRACTORS)
    assert set(E.RUNNERS["text"]) == set(E.TEXT_EXTRACTORS) <= set(E.HTML_EXTRACTORS)
