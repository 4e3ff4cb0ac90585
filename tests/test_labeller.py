"""The trained line labeller: features, decoder, comment records, model determinism."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from workers.core.labeller import model as M
from workers.core.labeller.comments import comment_roles
from workers.core.labeller.decode import transition_matrix, viterbi
from workers.core.labeller.evidence import rule_evidence
from workers.core.labeller.features import feature_names, page_features
from workers.core.labeller.labels import LABEL_ID, LABELS
from workers.core.stages.strip import split_lines

ROOT = Path(__file__).resolve().parent.parent

PAGE = """Harbour News

Ferry timetable changes from May

The harbour board said on Tuesday that the evening ferry will leave twenty minutes later from the first of May, because the tide tables changed.

Passengers with season tickets do not need to do anything, the board added in its statement.

3 Comments

Mara Lind
03.05.2023, 07:41
That is good news for those of us who work late at the fish market.
Reply

Jonas Berg
vor 2 Tagen
Endlich! Die späte Fähre war immer zu früh für uns.
Reply

Leave a Reply
"""


def _matrix(text: str):
    lines = split_lines(text)
    ev = rule_evidence(lines)
    return lines, page_features([ln.text for ln in lines], [ln.blank_before for ln in lines], ev)


def _col(name: str) -> int:
    return feature_names().index(name)


def test_feature_matrix_shape_and_values():
    lines, X = _matrix(PAGE)
    assert X.shape == (len(lines), len(feature_names())) and X.dtype == np.float32
    from workers.core.labeller.features import DOM_CONTEXT_FEATURES, DOM_FEATURES
    nd = len(feature_names()) - len(DOM_FEATURES) - len(DOM_CONTEXT_FEATURES)
    assert np.isfinite(X[:, :nd]).all() and np.isnan(X[:, nd:]).all()  # text input: no DOM columns
    k = {ln.text: i for i, ln in enumerate(lines)}
    date = k["03.05.2023, 07:41"]
    assert X[date, _col("numeric_dates")] == 1 and X[date, _col("times")] == 1
    assert X[k["vor 2 Tagen"], _col("relative_times")] == 1
    prose = k["Passengers with season tickets do not need to do anything, the board added in its statement."]
    assert X[prose, _col("stop_share")] > 0.2 and X[prose, _col("ends_sentence")] == 1
    assert X[k["Mara Lind"], _col("name_like")] == 1 and X[prose, _col("name_like")] == 0
    assert X[k["Reply"], _col("log_repeat")] > 0  # "Reply" occurs twice
    # windows: the line after "Mara Lind" sees a name-like line at -2
    assert X[k["03.05.2023, 07:41"] + 1, _col("name_like@-2")] == 1
    # comment structure: the second date header is one record (4 lines) after the first
    d1, d2 = k["03.05.2023, 07:41"], k["vor 2 Tagen"]
    assert X[d2, _col("log_dist_prev_date")] == np.float32(np.log1p(d2 - d1))
    mara = k["Mara Lind"]
    assert X[k["vor 2 Tagen"], _col("date_like")] == 1 and X[prose, _col("date_like")] == 0
    assert X[mara, _col("after_section_start")] == 1 and X[prose, _col("after_section_start")] == 0
    # the first comment's text has a same-shaped line (a sentence of 9-20 words) 4 lines before
    # and 4 lines after it: a run of records; the body paragraph before it has no such period
    t1 = k["That is good news for those of us who work late at the fish market."]
    assert X[t1, _col("shape_period_regular")] == 1 and X[t1, _col("shape_gap_prev")] == np.float32(np.log1p(4))
    assert X[prose, _col("shape_period_regular")] == 0
    # the rule labeller's evidence is a column, not a verdict
    assert X[k["Leave a Reply"], _col("rule_group_comment")] == 1


def test_features_deterministic_and_empty():
    _, a = _matrix(PAGE)
    _, b = _matrix(PAGE)
    assert np.array_equal(a, b, equal_nan=True)
    _, e = _matrix("")
    assert e.shape == (0, len(feature_names()))


def test_non_latin_text_counts_letters():
    _, X = _matrix("Это длинная строка текста на русском языке, и она заканчивается точкой.\n👍 12")
    assert X[0, _col("letter_share")] > 0.7 and X[0, _col("ends_sentence")] == 1
    assert X[1, _col("glyph_only")] == 1


def test_viterbi_matches_argmax_without_transitions_and_smooths_with_them():
    rng = np.random.default_rng(0)
    P = rng.dirichlet(np.ones(len(LABELS)), size=30)
    log_t, prior = transition_matrix([[1] * 20])
    assert np.array_equal(viterbi(P, log_t, np.log(prior), 0.0), P.argmax(axis=1))
    # body, body, (weakly boilerplate), body, body: a strong body->body transition bridges the dip
    body, bp = LABEL_ID["body"], LABEL_ID["boilerplate"]
    Q = np.full((5, len(LABELS)), 0.01)
    Q[:, body] = 0.9
    Q[2, body], Q[2, bp] = 0.4, 0.5
    seqs = [[body] * 50 + [bp] * 50]
    log_t, prior = transition_matrix(seqs)
    assert viterbi(Q, log_t, np.log(prior), 0.0)[2] == bp
    assert list(viterbi(Q, log_t, np.log(prior), 1.0)) == [body] * 5


def test_confident_boilerplate_is_not_absorbed_into_the_body():
    from workers.core.labeller.decode import keep_confident_boilerplate

    body, bp, title = LABEL_ID["body"], LABEL_ID["boilerplate"], LABEL_ID["title"]
    ids = np.array([title, body, body, body])
    proba = np.zeros((4, len(LABELS)))
    proba[:, body] = [0.1, 0.3, 0.9, 0.45]
    proba[:, bp] = [0.1, 0.69, 0.05, 0.5]
    proba[0, title] = 0.8
    assert keep_confident_boilerplate(ids, proba, None).tolist() == ids.tolist()  # off
    out = keep_confident_boilerplate(ids, proba, 0.6)
    assert out.tolist() == [title, bp, body, body]  # only the line the model itself calls boilerplate
    assert keep_confident_boilerplate(ids, proba, 0.7).tolist() == ids.tolist()


def test_comment_records_from_labels():
    texts = ["Mara Lind", "03.05.2023, 07:41", "Good news.", "Second paragraph.", "Reply",
             "Anonymous", "Nice.", "Reply", "Jonas Berg", "Endlich!"]
    labels = ["comment_head", "comment_head", "comment_text", "comment_text", "comment_chrome",
              "comment_head", "comment_text", "comment_chrome", "comment_head", "comment_text"]
    reasons, roles = comment_roles(texts, [0] * len(texts), labels, [None] * len(texts))
    assert roles[0] == "comment-author" and reasons[1] == "comment-meta"
    assert roles[2] == "comment-start" and roles[3] == "comment"
    assert reasons[4] == "comment-chrome"
    assert reasons[5] == "placeholder-author" and roles[6] == "comment-start"
    assert roles[8] == "comment-author" and roles[9] == "comment-start"
    assert sum(r == "comment-start" for r in roles) == 3


def test_comment_records_without_headers_split_at_chrome():
    texts = ["First comment.", "Reply", "Second comment.", "More of it."]
    labels = ["comment_text", "comment_chrome", "comment_text", "comment_text"]
    _, roles = comment_roles(texts, [0, 0, 0, 0], labels, [None, "comment-action", None, None])
    assert roles == ["comment-start", None, "comment-start", "comment"]


def _tiny_training_set(seed: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(600, len(feature_names()))).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 1).astype(np.int64) * 2
    return X, y


def test_training_twice_gives_the_same_model():
    X, y = _tiny_training_set(1)
    params = dict(M.PARAMS, min_data_in_leaf=5, num_threads=2)
    a = M.train_booster(X, y, None, feature_names(), rounds=5, params=params).model_to_string()
    b = M.train_booster(X, y, None, feature_names(), rounds=5, params=params).model_to_string()
    assert a == b
    assert M.version_of(a) == M.version_of(b) and M.version_of(a).startswith("labeller-")


def test_saved_model_round_trip(tmp_path):
    X, y = _tiny_training_set(2)
    params = dict(M.PARAMS, min_data_in_leaf=5)
    booster = M.train_booster(X, y, None, feature_names(), rounds=3, params=params)
    log_t, prior = transition_matrix([y.tolist()])
    meta = {"feature_names": feature_names(), "transitions": log_t.tolist(), "prior": prior.tolist(),
            "decoder": {"transition_weight": 0.0, "prior_weight": 0.0}}
    version = M.save(booster, meta, tmp_path)
    first = (tmp_path / M.MODEL_FILE).read_bytes()
    M.save(booster, meta, tmp_path)
    assert (tmp_path / M.MODEL_FILE).read_bytes() == first  # same bytes every save
    lab = M.load(tmp_path)
    assert lab.version == version and lab is M.load(tmp_path)  # loaded once
    assert np.allclose(lab.predict(X[:10]), booster.predict(X[:10]))


def test_saved_model_with_html_trees_scores_each_kind_with_its_own(tmp_path):
    X, y = _tiny_training_set(3)
    params = dict(M.PARAMS, min_data_in_leaf=5)
    text_b = M.train_booster(X, y, None, feature_names(), rounds=3, params=params)
    html_b = M.train_booster(X, (y + 1) % 3, None, feature_names(), rounds=3, params=params)
    log_t, prior = transition_matrix([y.tolist()])
    meta = {"feature_names": feature_names(), "transitions": log_t.tolist(), "prior": prior.tolist(),
            "decoder": {"transition_weight": 0.0, "prior_weight": 0.0}}
    one = M.version_of(text_b.model_to_string(), meta["decoder"])
    version = M.save(text_b, meta, tmp_path, booster_html=html_b)
    assert version != one  # the HTML trees are part of the version
    first = (tmp_path / M.HTML_MODEL_FILE).read_bytes()
    M.save(text_b, meta, tmp_path, booster_html=html_b)
    assert (tmp_path / M.HTML_MODEL_FILE).read_bytes() == first
    lab = M.load(tmp_path)
    assert lab.version == version and M.available(tmp_path)
    assert np.allclose(lab.predict(X[:10]), text_b.predict(X[:10]))
    assert np.allclose(lab.predict(X[:10], html=True), html_b.predict(X[:10]))
    assert not np.allclose(lab.predict(X[:10], html=True), lab.predict(X[:10]))
    (tmp_path / M.HTML_MODEL_FILE).unlink()
    assert not M.available(tmp_path)  # the metadata names HTML trees that are not installed
    M.save(text_b, meta, tmp_path / "one")  # a one-model save leaves no HTML trees behind
    assert not (tmp_path / "one" / M.HTML_MODEL_FILE).exists() and M.available(tmp_path / "one")


@pytest.mark.skipif(not M.available(), reason="no committed model")
def test_committed_model_labels_a_page_the_same_way_twice():
    from workers.core.labeller.apply import label_page

    lines = split_lines(PAGE)
    a = label_page(lines)
    b = label_page(lines)
    assert a.labels == b.labels and a.reasons == b.reasons and a.roles == b.roles
    assert set(a.labels) <= set(LABELS)
    assert M.load().feature_names == feature_names()
    # every line: kept with a role, or removed with a reason from the vocabulary
    from workers.core.heuristics.reasons import is_reason
    for r, role in zip(a.reasons, a.roles):
        assert (r is None and role is not None) or is_reason(r)


def test_make_train_without_shared_says_what_is_missing(tmp_path):
    out = subprocess.run([sys.executable, "-m", "workers.training", "--shared", str(tmp_path / "nowhere")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing" in lines[0] and "Traceback" not in out.stderr


def _process(text: str, labeller: str) -> dict:
    import orjson

    from topics import ENRICHED
    from workers.core.runner import StageRunner, process_values
    from workers.settings import from_env

    settings = from_env(labeller=labeller, stage_timeout_s=60.0)
    runner = StageRunner(settings, dedupe_window=0)
    runner.warm_up()
    value = orjson.dumps({"id": "p1", "url": "https://harbour.example/ferry", "content_type": "text/plain",
                          "content": text})
    for stage, outcome in process_values([value], settings, runner):
        for out in outcome.outputs:
            if out.topic == ENRICHED.name:
                return orjson.loads(out.value)
    raise AssertionError("no enriched record")


def test_strip_uses_the_labeller_it_is_told():
    from workers.core.stages.strip import label_lines

    lines = split_lines(PAGE)
    assert label_lines(lines, None, None, None, "rules")[2] == "rules"
    if M.available():
        assert label_lines(lines, None, None, None, "model")[2] == M.load().version
        rec = _process(PAGE, "model")   # the whole flow runs with the model
        assert rec["body"] and rec["title"]
    assert _process(PAGE, "rules")["comments"]


def test_build_info_carries_the_model_version():
    from workers.core import metrics

    from prometheus_client import generate_latest

    metrics.init_labels(labeller="model")  # a worker with WINNOW_LABELLER=model
    text = generate_latest(metrics.R).decode()
    assert f'model_version="{M.committed_version()}"' in text


@pytest.mark.skipif(not M.available(), reason="no committed model")
def test_html_input_gives_the_model_its_dom_columns(monkeypatch):
    """For text/html the model reads the html stage's DOM matrix (same lines as the rules see);
    for text the DOM columns are missing values."""
    from topics.records import RawDocument
    from workers.core.labeller import apply as LA
    from workers.core.labeller.features import DOM_FEATURES
    from workers.core.stages.strip import strip

    seen = []
    real = LA.label_page

    def spy(lines, *a, **kw):
        seen.append(kw.get("dom"))
        return real(lines, *a, **kw)

    monkeypatch.setattr(LA, "label_page", spy)
    html = ("<html><body><nav><a href='/'>Home</a></nav><article><h1>Ferry times</h1><p>The evening ferry "
            "leaves twenty minutes later from May, the harbour board said on Tuesday.</p></article></body></html>")
    doc = RawDocument(id="h1", url="https://harbour.example/f", content_type="text/html", content=html)
    by_model = strip(doc, labeller="model")
    by_rules = strip(doc, labeller="rules")
    assert [ln.text for ln in by_model.lines] == [ln.text for ln in by_rules.lines]
    dom = seen[-1]
    assert dom is not None and dom.shape == (len(by_model.lines), len(DOM_FEATURES))
    strip(RawDocument(id="t1", url=None, content_type="text/plain", content=PAGE), labeller="model")
    assert seen[-1] is None


def test_comment_bias_and_decoder_per_input_kind():
    from workers.core.labeller.decode import decoder_for, with_biases

    P = np.array([[0.1, 0.5, 0.2, 0.05, 0.1, 0.05], [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]])
    assert with_biases(P, 0.0) is P and with_biases(P, None) is P
    Q = with_biases(P, np.log(2.0))
    assert np.allclose(Q.sum(axis=1), 1.0)
    heads, texts = LABEL_ID["comment_head"], LABEL_ID["comment_text"]
    assert Q[0, texts] / Q[0, LABEL_ID["body"]] == pytest.approx(2 * P[0, texts] / P[0, LABEL_ID["body"]])
    assert Q[0, heads] > P[0, heads] and np.array_equal(Q[1], P[1])  # no comment mass: unchanged
    bp, body = LABEL_ID["boilerplate"], LABEL_ID["body"]
    B = with_biases(P, None, np.log(3.0))  # the boilerplate bias alone
    assert np.allclose(B.sum(axis=1), 1.0) and np.array_equal(B[1], P[1])  # all boilerplate: unchanged
    assert B[0, bp] / B[0, body] == pytest.approx(3 * P[0, bp] / P[0, body])
    assert B[0, texts] / B[0, body] == pytest.approx(P[0, texts] / P[0, body])  # the others keep their ratios
    text, html = {"transition_weight": 0.3}, {"transition_weight": 0.05, "comment_bias": 0.3}
    assert decoder_for({"decoder": text, "decoder_html": html}, html=True) == html
    assert decoder_for({"decoder": text, "decoder_html": html}, html=False) == text
    assert decoder_for({"decoder": text}, html=True) == text  # a model without an HTML decoder


def test_dom_context_columns_follow_the_dom_evidence():
    from workers.core.heuristics.dom_features import DOM_FEATURE_INDEX, DOM_FEATURES as COLS
    from workers.core.labeller.features import DOM_CONTEXT_FEATURES

    lines = split_lines("Title\n\nBody text here.\n\nAnna\n\nNice post.\n\nBen\n\nAgreed.")
    n = len(lines)
    dom = np.zeros((n, len(COLS)), dtype=np.float32)
    author, comments = DOM_FEATURE_INDEX["rule_comment_author"], DOM_FEATURE_INDEX["rule_comments"]
    dom[2:, comments] = 1
    dom[[2, 4], author] = 1
    ev = rule_evidence(lines)
    X = page_features([ln.text for ln in lines], [ln.blank_before for ln in lines], ev, dom=dom)
    assert np.isfinite(X).all()
    c = {name: X[:, feature_names().index(name)] for name in DOM_CONTEXT_FEATURES}
    assert c["dom:rule_comment_author@-1"].tolist() == [0, 0, 0, 1, 0, 1]
    assert c["dom_log_dist_prev_author"][3] == pytest.approx(np.log1p(1))
    assert (c["dom_comment_section_pos"][:2] == -1).all() and c["dom_comment_section_pos"][2] == 0
    assert c["page_dom_comment_share"][0] == pytest.approx(4 / 6)
    assert 0 < c["dom:rule_comments~5"][1] < 1  # the section begins within the window
