"""make train's figures and choices (workers/training/report.py, decoders.py, models.py)."""
from __future__ import annotations

import numpy as np
import pytest

from topics.records import Line
from workers.core.labeller.labels import BODY, BOILERPLATE, COMMENT_HEAD, COMMENT_TEXT, LABEL_ID, TITLE
from workers.training import models as MD
from workers.training import report as R
from workers.training import decoders as D
from workers.training.decoders import mean_of_sets, pick_boilerplate_bias
from workers.training.pages import TrainPage

TEXTS = ["A headline", "The article says things.", "Share this", "Anna Berg", "March 3, 2012",
         "Great piece, thanks.", "Ben", "I disagree entirely."]
LABELS_OK = [TITLE, BODY, BOILERPLATE, COMMENT_HEAD, COMMENT_HEAD, COMMENT_TEXT, COMMENT_HEAD, COMMENT_TEXT]
# Dragnet's convention: the gold comments hold each comment's name and date lines
GOLD = {"title": "A headline", "content": "The article says things.",
        "comments_text": "Anna Berg\nMarch 3, 2012\nGreat piece, thanks.\nBen\nI disagree entirely.",
        "comments_silver": True}


def _page(dataset: str = "dragnet") -> TrainPage:
    lines = [Line(i, t, i > 0, None, None) for i, t in enumerate(TEXTS)]
    return TrainPage(f"{dataset}:1:dom", "a.com", dataset, "article", "dom", "text/html", None, lines, None,
                     list(LABELS_OK), [None] * len(TEXTS), dict(GOLD))


def test_comment_f1_is_reported_on_text_lines_and_with_the_header_lines():
    s = R.score_page(_page(), LABELS_OK, [])
    assert s.comment_f1_heads == pytest.approx(1.0)  # header + text lines: the gold exactly
    assert s.comment_f1 < 0.8  # the text lines alone miss the names and the date
    # header lines read as boilerplate: the text-only figure does not see it, the gold convention does
    lost = [BOILERPLATE if lb == COMMENT_HEAD else lb for lb in LABELS_OK]
    s2 = R.score_page(_page(), lost, [])
    assert s2.comment_f1 == pytest.approx(s.comment_f1) and s2.comment_f1_heads < s.comment_f1_heads
    agg = R.aggregate([s, s2])
    assert agg["comment_f1_heads"] == pytest.approx((s.comment_f1_heads + s2.comment_f1_heads) / 2)
    assert "comment_f1_heads" in R.METRICS and "labels" in R.COLUMNS
    rows = R.table({"x": {"validation": agg, "labels": R.aggregate([s])}}, R.COLUMNS)
    assert any(r.split()[:2] == ["x", "labels"] for r in rows)


def test_mean_of_sets_weighs_each_set_once():
    a = R.score_page(_page("dragnet"), LABELS_OK, [])
    b = R.score_page(_page("wcxb"), [BOILERPLATE] * len(TEXTS), [])  # body F1 0
    assert mean_of_sets([a, a, a, b]) == pytest.approx((a.body[2] + 0.0) / 2)


def test_the_boilerplate_bias_is_the_best_precision_within_the_cost():
    # (bias, real mean of five, unseen-widget precision); the first row is no bias
    trials = [(0.0, 0.9100, 0.900), (0.1, 0.9095, 0.905), (0.2, 0.9081, 0.912), (0.3, 0.9070, 0.930)]
    assert pick_boilerplate_bias(trials, max_cost=0.002) == 0.2   # 0.3 costs 0.003
    assert pick_boilerplate_bias(trials, max_cost=0.0001) == 0.0  # nothing within the cost
    assert pick_boilerplate_bias([(0.0, 0.91, 0.90), (0.1, 0.91, 0.89)]) == 0.0  # no precision gained


def test_row_weights_are_the_training_matrix_weights():
    y = np.array([LABEL_ID[lb] for lb in [TITLE, BODY, COMMENT_TEXT, COMMENT_HEAD]] * 100, dtype=np.int64)
    w = MD.row_weights(y)
    page = MD.PAGE_LINES / len(y)  # 400 lines: the page weighs PAGE_LINES lines
    assert w[:4] == pytest.approx([page * MD.CLASS_WEIGHT[lb] for lb in (TITLE, BODY, COMMENT_TEXT, COMMENT_HEAD)])
    assert MD.row_weights(y[:4])[1] == pytest.approx(1.0)  # a small page: full weight

    class It:
        def __init__(self, y):
            self.y, self.X = y, np.arange(len(y) * 2, dtype=np.float32).reshape(len(y), 2)
    items = [It(y), It(y[:10])]
    X, yy, ww = MD.training_matrix(items, np.random.default_rng(1))  # under MAX_ROWS: every row
    assert len(yy) == 410 and np.array_equal(ww, np.concatenate([MD.row_weights(y), MD.row_weights(y[:10])]))
    # a factor per page (bench/hidden_copies_oof.py's copies): that page's rows only, the rows the same
    X2, yy2, ww2 = MD.training_matrix(items, np.random.default_rng(1), page_weights=[1.0, 0.25])
    assert np.array_equal(X2, X) and np.array_equal(yy2, yy)
    assert np.array_equal(ww2[:400], ww[:400]) and ww2[400:] == pytest.approx(ww[400:] * 0.25)


def test_scores_in_worker_processes_are_the_serial_scores_in_order():
    class It:
        def __init__(self, page):
            self.page = page
            self.ev = type("Ev", (), {"reasons": [None] * len(page.lines)})()
    items = [It(_page(ds)) for ds in ("dragnet", "wcxb", "cleaneval", "readability", "dragnet")]
    variants = [LABELS_OK, [BOILERPLATE] * len(TEXTS), [BODY] * len(TEXTS)]
    jobs = [(items, lambda it: list(LABELS_OK)),
            (items[:3], lambda it: list(variants[len(it.page.dataset) % 3]))]
    serial = [D.score(its, f) for its, f in jobs]
    assert D.score_in_pool(jobs, workers=2, min_pages=0) == serial
    assert D.score_in_pool(jobs, workers=1) == serial


def test_html_path_figures_per_page_type_for_the_typed_sets():
    wcxb = R.score_page(TrainPage("wcxb:1:dom", "a.com", "wcxb", "product", "dom", "text/html", None,
                                  _page().lines, None, list(LABELS_OK), [None] * len(TEXTS), dict(GOLD)),
                        LABELS_OK, [])
    assert R.flattener_keys(wcxb) == ["by-flattener/dom", "html-path/wcxb", "html-path/wcxb/product"]
    assert R.flattener_keys(R.score_page(_page(), LABELS_OK, [])) == ["by-flattener/dom", "html-path/dragnet"]
