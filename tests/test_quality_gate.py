"""Quality regression gate (like trafilatura's eval gate): seed, text-dev and held-out figures
must stay at or above the levels reached, for each line labeller. Thresholds sit a little under
the measured figures (see docs/quality.md; `python bench/eval.py --corpus seed|text-dev|heldout
--labeller both` prints them).

The default labeller (``WINNOW_LABELLER=auto``: the trained model, rules as evidence) has its
own gates at the figures it reaches; the rule labeller keeps its gates under
``WINNOW_LABELLER=rules`` (its 1.000 on pages it was tuned on is a floor for the rules, not a
target the model must copy). The seed is perfect under both."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"

_needs_corpus = pytest.mark.skipif(not (CORPUS / "text-dev").is_dir() or not (CORPUS / "seed").is_dir(),
                                reason=f"shared corpus not found at {CORPUS}")
DEFAULT, RULES = None, "rules"   # the labeller of a run: None = the settings' default


def _eval():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench import eval as E
    return E


def _run(kind, labeller):
    E = _eval()
    cases = E.load_gold_dir(kind) if kind != "heldout" else E.load_heldout()
    results, _ = E.run_pipeline(cases, labeller)
    return E.score_gold(cases, results)


@_needs_corpus
@pytest.mark.parametrize("labeller", [DEFAULT, RULES], ids=["default", "rules"])
def test_seed_gate(labeller):
    r = _run("seed", labeller)
    assert r["body_f1"] >= 0.98
    assert r["comment_f1_pages_with_comments"] >= 0.97
    assert r["comment_count_exact"] == 1.0
    assert r["author_accuracy"] == 1.0
    assert r["boilerplate_leak"] == 0.0
    assert r["title_accuracy"] == 1.0


# (corpus, labeller) -> the figures' floors ("at least") and ceilings ("at most") and the page
# count. The rules' thresholds are their gates from before the text switch; the default's sit a
# little under what it measured with labeller-1-0ae50840:
#   text-dev (its training pages: a floor, not an estimate): body 0.991 (P 0.987 / R 0.995),
#     comment F1 0.991, count 1.000, authors 1.000, leak 0.028, title 0.875;
#   held-out (tests/data/heldout/, wordings text-dev does not cover; unseen by the model, the
#     rules were tuned on them): body 0.994 (P 1.000 / R 0.988), comment F1 0.750, count 0.800,
#     authors 0.778, leak 0.000, title 1.000, site name 1.000.
GATES = {
    ("text-dev", RULES): dict(pages=16, at_most={"boilerplate_leak": 0.02}, at_least={
        "body_f1": 0.97, "body_precision": 0.96, "body_recall": 0.96,
        "comment_f1_pages_with_comments": 0.95, "comment_count_exact": 0.9,
        "author_accuracy": 0.96, "title_accuracy": 0.9}),
    ("text-dev", DEFAULT): dict(pages=16, at_most={"boilerplate_leak": 0.04}, at_least={
        "body_f1": 0.98, "body_precision": 0.97, "body_recall": 0.98,
        "comment_f1_pages_with_comments": 0.97, "comment_count_exact": 0.9,
        "author_accuracy": 0.95, "title_accuracy": 0.85}),
    ("heldout", RULES): dict(pages=5, at_most={"boilerplate_leak": 0.01}, at_least={
        "body_f1": 0.98, "body_precision": 0.98, "body_recall": 0.98,
        "comment_f1_pages_with_comments": 0.98, "comment_count_exact": 0.95,
        "author_accuracy": 0.95, "title_accuracy": 0.95, "site_name_accuracy": 0.95}),
    ("heldout", DEFAULT): dict(pages=5, at_most={"boilerplate_leak": 0.01}, at_least={
        "body_f1": 0.98, "body_precision": 0.98, "body_recall": 0.97,
        "comment_f1_pages_with_comments": 0.7, "comment_count_exact": 0.8,
        "author_accuracy": 0.75, "title_accuracy": 0.95, "site_name_accuracy": 0.95}),
}


@pytest.mark.parametrize("kind,labeller", [
    pytest.param("text-dev", RULES, id="text-dev-rules", marks=_needs_corpus),
    pytest.param("text-dev", DEFAULT, id="text-dev-default", marks=_needs_corpus),
    # the held-out pages live in this repository: not behind the shared-corpus skip
    pytest.param("heldout", RULES, id="heldout-rules"),
    pytest.param("heldout", DEFAULT, id="heldout-default"),
])
def test_gate(kind, labeller):
    gate = GATES[(kind, labeller)]
    r = _run(kind, labeller)
    assert r["pages"] == gate["pages"]
    low = {k: r[k] for k, floor in gate["at_least"].items() if not r[k] >= floor}
    high = {k: r[k] for k, ceiling in gate["at_most"].items() if not r[k] <= ceiling}
    assert not low and not high, f"below the gate: {low}; above it: {high}"
