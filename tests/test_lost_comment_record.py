"""A comment record whose name line and text the labeller both called boilerplate is read again
by the section's repeating shape (labeller/lost_records.py): the seed page's last named
comment survives its name line's scores tipped to boilerplate (a retrain with other inputs gave
it header 0.15 / boilerplate 0.55, docs/comments.md), and nothing changes without the shape."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from topics.records import Line, StrippedDocument
from workers.core.labeller.comments import comment_roles
from workers.core.labeller.labels import BOILERPLATE, COMMENT_HEAD, COMMENT_TEXT, LABELS
from workers.core.stages.segment import _build_comments, segment
from workers.core.stages.text import split_lines

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "corpus" / "seed" / "southfront-ghouta.json"
H, T, C, B = COMMENT_HEAD, COMMENT_TEXT, "comment_chrome", BOILERPLATE
_HEAD, _TEXT, _BOIL = LABELS.index(H), LABELS.index(T), LABELS.index(B)


def _doc(lines, reasons, roles) -> StrippedDocument:
    out = [Line(ln.n, ln.text, ln.blank_before, r, h if r is None else None) for ln, r, h in zip(lines, reasons, roles)]
    return StrippedDocument(id="t", url=None, content_type="text/plain", fetched_at="2024-05-06T12:00:00Z",
                            source=None, site="t", lines=out)


def _records(rows, reasons=None, blanks=None):
    texts = [t for t, _ in rows]
    blanks = blanks or [1] * len(rows)
    got = comment_roles(texts, blanks, [lb for _, lb in rows], reasons or [None] * len(rows))
    lines = [Line(i, t, b) for i, (t, b) in enumerate(zip(texts, blanks))]
    return _build_comments(_doc(lines, *got))


def test_a_record_lost_whole_between_records_of_the_same_shape():
    rows = [("Mara Lind", H), ("I tried this last week and it worked well.", T),
            ("Jon Berg", H), ("Same here, though the second step took me longer.", T),
            ("Ewa Nowak", B), ("Could you say which version of the tool you used for it?", B),
            ("Tomas Ek", H), ("Thanks for writing this up so clearly.", T)]
    got = [(c.author, c.text[:12]) for c in _records(rows)]
    assert got == [("Mara Lind", "I tried this"), ("Jon Berg", "Same here, t"), ("Ewa Nowak", "Could you sa"),
                   ("Tomas Ek", "Thanks for w")]


def test_the_last_record_lost_whole_before_the_widgets_closing_chrome():
    rows = [("Mara Lind", H), ("I tried this last week and it worked well.", T),
            ("Jon Berg", H), ("Same here, though the second step took me longer.", T),
            ("Ewa Nowak", B), ("Could you say which version of the tool you used for it?", B),
            ("Would love your thoughts, please comment.", B)]
    reasons = [None] * 6 + ["comment-chrome"]
    assert [c.author for c in _records(rows, reasons)] == ["Mara Lind", "Jon Berg", "Ewa Nowak"]


@pytest.mark.parametrize("case", ["unclosed", "one-record", "sentence"])
def test_no_record_without_the_shape_or_the_section_closing(case):
    rows = [("Mara Lind", H), ("I tried this last week and it worked well.", T),
            ("Jon Berg", H), ("Same here, though the second step took me longer.", T),
            ("Related Stories", B), ("Ferry timetables change again for the winter season", B),
            ("Mara Lind", H), ("Thanks.", T)]
    if case == "unclosed":   # nothing of the section after the run: the page's boilerplate goes on
        rows[-2:] = [("Harbour news for the whole coast, every morning", B), ("Subscribe", B)]
    elif case == "one-record":  # one name-above-text record is no repeating shape
        rows[2:4] = [("Reply", C), ("Another point worth making about the ferry times.", T)]
        rows[-2:] = [("Reply", C), ("Thanks for this, it helped.", T)]
    else:   # a heading that ends a sentence is no name line
        rows[4] = ("Read this next.", B)
    n_before = len(_records([(t, lb) for t, lb in rows]))
    authors = [c.author for c in _records(rows)]
    assert "Related Stories" not in authors and "Read this next." not in authors
    assert len(authors) == n_before


def _seed_with(tip) -> list:
    """The seed page labelled by the committed model, the model's probabilities changed by
    ``tip(lines, proba)`` first; the page's comments."""
    from workers.core.labeller import apply as LA
    from workers.core.labeller.evidence import rule_evidence
    from workers.core.labeller.model import load
    from workers.core.labeller.predict import page_proba

    lines = split_lines(json.loads(SEED.read_text())["input"]["content"])
    model = load()
    ev = rule_evidence(lines, None, None, None)
    proba = page_proba(model, [ln.text for ln in lines], [ln.blank_before for ln in lines], ev).copy()
    base = LA.label_page(lines, model=model, proba=proba.copy())
    tip(base, proba)
    pl = LA.label_page(lines, model=model, proba=proba)
    return segment(_doc(lines, pl.reasons, pl.roles)).comments


def _set(row: np.ndarray, head: float, text: float, boil: float) -> None:
    rest = max(0.0, 1.0 - head - text - boil)
    row[:] = rest / (len(row) - 3)
    row[_HEAD], row[_TEXT], row[_BOIL] = head, text, boil


@pytest.mark.skipif(not SEED.is_file(), reason="shared corpus not found")
@pytest.mark.parametrize("text_too", [False, True], ids=["name-line", "name-and-text"])
def test_seed_last_named_comment_survives_its_name_line_tipped_to_boilerplate(text_too):
    from workers.core.labeller.model import available

    if not available():
        pytest.skip("no model installed")
    gold = json.loads(SEED.read_text())["expected"]["comments"]

    def tip(base, proba):
        # the last record's name line (found by the unperturbed labels), as a retrain scored it
        k = max(i for i, r in enumerate(base.roles) if r == "comment-author")
        _set(proba[k], 0.15, 0.02, 0.55)
        if text_too:
            _set(proba[k + 1], 0.0, 0.15, 0.70)

    got = _seed_with(tip)
    assert [c.author for c in got] == [c["author"] for c in gold]
    assert [c.text for c in got] == [c["text"] for c in gold]
