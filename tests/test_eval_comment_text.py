"""bench/eval_comment_text.py: the label-error kinds that break comment records, and the site
folds of the out-of-fold labels (bench/comment_text_oof.py)."""
from __future__ import annotations

from bench.comment_text_oof import fold_of_site
from bench.eval_comment_text import label_errors

H, T, C, B, BP = "comment_head", "comment_text", "comment_chrome", "body", "boilerplate"


def _errors(silver, model):
    return dict(label_errors({"silver_labels": silver, "model_labels": model}))


def test_a_section_with_no_comment_label_is_missed_whole():
    assert _errors([B, C, H, T, H, T, BP], [B, B, B, B, BP, BP, BP]) == {"section missed": 4}


def test_each_wrong_line_of_a_found_section_gets_its_kind():
    silver = [B, C, H, T, H, T, C, T, BP]
    model = [B, H, T, H, BP, T, C, B, BP]
    assert _errors(silver, model) == {"chrome as header": 1, "header as text": 1, "text as header": 1,
                                      "header missed": 1, "text missed": 1}


def test_pages_without_silver_comments_have_no_errors_and_folds_are_stable():
    assert _errors([B, BP, B], [B, H, T]) == {}
    folds = {fold_of_site(f"site{k}.org", 2) for k in range(50)}
    assert folds == {0, 1} and fold_of_site("a.org", 3) == fold_of_site("a.org", 3)
