"""The labeller's main-prose-span columns (workers/core/labeller/span.py)."""
import numpy as np

from workers.core.heuristics import line_features as LF
from workers.core.labeller.features import feature_names, page_features
from workers.core.labeller.evidence import rule_evidence
from workers.core.labeller.span import span_columns
from workers.core.stages.strip import split_lines

COL = {name: i for i, name in enumerate(LF.SPAN)}


def _cols(words, prose):
    w = np.asarray(words, dtype=np.float64)
    p = np.asarray(prose, dtype=bool)
    return span_columns(w, p.astype(np.float32), np.where(p, 0.4, 0.0).astype(np.float32), None)


def test_the_span_is_the_run_of_prose_and_lines_know_their_side():
    # menu, menu, three paragraphs with a short subhead between, footer teaser, footer
    words = [1, 2, 30, 3, 25, 20, 2, 1]
    prose = [0, 0, 1, 0, 1, 1, 0, 0]
    S = _cols(words, prose)
    assert S[:, COL["span_in"]].tolist() == [0, 0, 1, 1, 1, 1, 0, 0]  # the subhead is inside
    assert S[:, COL["span_side"]].tolist() == [-1, -1, 0, 0, 0, 0, 1, 1]
    assert S[0, COL["span_log_dist"]] == np.float32(np.log1p(2)) and S[3, COL["span_log_dist"]] == 0
    assert S[0, COL["span_log_word_dist"]] == np.float32(np.log1p(2))  # the 2 words of line 1 lie between
    assert np.allclose(S[:, COL["span_word_share"]], 78 / 84)
    assert S[2, COL["prose_before_share"]] == 0 and S[7, COL["prose_before_share"]] == 1
    assert S[5, COL["prose_after_share"]] == 0 and np.isclose(S[2, COL["prose_after_share"]], 45 / 75)


def test_far_prose_is_not_joined_to_the_span():
    # a long article, ten menu lines, one teaser paragraph: the teaser stays outside
    words = [40, 40, 40] + [2] * 10 + [30]
    prose = [1, 1, 1] + [0] * 10 + [1]
    S = _cols(words, prose)
    assert S[:3, COL["span_in"]].all() and S[-1, COL["span_in"]] == 0
    assert S[-1, COL["span_log_dist"]] == np.float32(np.log1p(11))


def test_no_prose_and_empty_pages():
    S = _cols([1, 2, 1], [0, 0, 0])
    assert not S[:, COL["span_in"]].any() and (S[:, COL["span_log_dist"]] == np.float32(np.log1p(LF.SPAN_LINE_CAP))).all()
    assert _cols([], []).shape == (0, len(LF.SPAN))


def test_span_columns_sit_in_the_feature_matrix_for_text_input():
    text = ("Menu\nHome\n\nA long first paragraph of the article that says what happened and why it matters.\n\n"
            "The second paragraph goes on with the story and has enough words to be prose.\n\nFooter links")
    lines = split_lines(text)
    X = page_features([ln.text for ln in lines], [ln.blank_before for ln in lines], rule_evidence(lines))
    at = feature_names().index("span_in")
    assert X[:, at].tolist() == [0, 0, 1, 1, 0]
    assert np.isfinite(X[:, at:at + len(LF.SPAN)]).all()
