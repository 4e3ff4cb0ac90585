"""bench/eval_comment_detection.py: the unseen-widget proxy with the section element hidden
too, and the detection figures."""
from bench import eval_comment_authors as E
from bench import eval_comment_detection as D

PAGE = ('<html><body><article><p>Story.</p></article><div id="comments" class="comments-area">'
        '<ol class="comment-list"><li class="comment"><cite class="fn">Ann</cite><p>First comment text here.</p></li>'
        '</ol></div></body></html>')


def test_section_mode_hides_the_section_element_too():
    below = E.hide(PAGE, "renamed")
    assert 'id="comments"' in below and "comment-list" not in below
    whole = E.hide(PAGE, "renamed", section=True)
    assert "comment" not in whole.replace("First comment text", "")
    stripped = E.hide(PAGE, "stripped", section=True)
    assert "id=" not in stripped and "class=" not in stripped.split("<article>")[1]
    assert set(D.MODES) == {"renamed", "stripped", "renamed-section", "stripped-section"}


def test_detection_scores():
    docs = [{"id": "a", "gold": {"comments": "Ann\nFirst comment text here."}},
            {"id": "b", "gold": {"comments": ""}},
            {"id": "c", "gold": {}}]
    recs = {"a": {"comments": [{"author": "Ann", "text": "First comment text here."}]},
            "b": {"comments": [{"author": None, "text": "Share this"}]}}
    row = D.score(docs, recs)
    assert row["comment_pages"] == 1 and row["comment_f1"] == 1.0 and row["found"] == 1
    assert row["no_comment_pages"] == 2 and row["false"] == 1 and row["false_share"] == 0.5
    assert D.score(docs, recs, keep={"c"})["false"] == 0
