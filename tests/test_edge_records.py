"""Comment records the labeller lost at a section's edges are read again by the section's own
timed header shape (labeller/edge_records.py), and a "#2)" / "#3." comment number is not part of
the name (heuristics/comment_numbers.py), nor a full-width colon after it (authors.tidy_name).
Every page here is built in the test."""
from __future__ import annotations

from tests.comment_rows import comments as _comments
from workers.core.labeller.labels import BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, TITLE
from workers.core.stages.segment import _author_of

H, T, C, B, X = COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME, BODY, BOILERPLATE

ARTICLE = [("Harbour board delays the vote on the new ferry pier", TITLE),
           ("The harbour board put off its vote on the new ferry pier until the spring meeting.", B),
           ("Members said they wanted the second survey of the sea bed before they decide anything.", B)]
FOOTER = [("Home | About | Contact", X), ("© 2024 Example Harbour News. All rights reserved.", X)]
RECORDS = [("Pella Ostrand | 3 days ago", "The survey should have been done before the plans were drawn."),
           ("quinto_77 | 2 days ago", "Agreed, and the spring meeting is far too late for the season."),
           ("Mirel Dufay | 2 days ago", "Does anyone know who pays for the second survey this time?"),
           ("Tobba Karsk | yesterday", "The board paid for the first one, so probably the board again."),
           ("anselm.r | 5 hours ago", "Thanks for the update on this, it was hard to follow.")]


def _section(labels):
    """The records as (header, text) rows, each record labelled (header, text) from ``labels``."""
    rows = []
    for (head, text), (lh, lt) in zip(RECORDS, labels):
        rows += [(head, lh), (text, lt), ("Like · Reply", C if lh == H else lh)]
    return rows


WANT = [("Pella Ostrand", "The survey should ha"), ("quinto_77", "Agreed, and the spri"),
        ("Mirel Dufay", "Does anyone know who"), ("Tobba Karsk", "The board paid for t"),
        ("anselm.r", "Thanks for the updat")]


def test_the_last_records_lost_to_boilerplate_above_the_footer_are_records():
    rows = ARTICLE + [("Comments (5)", C)] + _section([(H, T)] * 3 + [(X, X)] * 2) + FOOTER
    assert _comments(rows) == WANT


def test_the_first_records_left_as_body_under_the_section_title_are_records():
    rows = ARTICLE + [("Comments (5)", B)] + _section([(B, B)] * 2 + [(H, T)] * 3) + FOOTER
    assert _comments(rows) == WANT


def test_no_record_taken_from_the_article_when_no_section_title_bounds_it():
    # the lines right above the section are the article's own paragraphs: nothing is taken
    rows = ARTICLE + _section([(B, B)] * 2 + [(H, T)] * 3) + FOOTER
    assert _comments(rows) == WANT[2:]


def test_nothing_found_without_the_sections_timed_header_shape():
    undated = [(("Pella Ostrand", t), (lh, lt)) for (_h, t), (lh, lt) in zip(RECORDS, [(H, T)] * 3 + [(X, X)] * 2)]
    rows = ARTICLE + [r for ((hd, tx), (lh, lt)) in undated for r in ((hd, lh), (tx, lt))] + FOOTER
    assert len(_comments(rows)) == 3


def test_records_that_print_their_header_under_the_text_are_read_in_that_shape():
    # a footer section ("text / Name | date"): the last two records, read as boilerplate, are
    # records again with the footer under their text (edge_records._footers_below, round 15;
    # left alone before)
    rows = ARTICLE + [("Comments (5)", C)]
    for k, (head, text) in enumerate(RECORDS):
        lb = (T, H) if k < 3 else (X, X)
        rows += [(text, lb[0]), (head, lb[1])]
    rows += [("See all comments on this story", X)] + FOOTER
    assert _comments(rows) == WANT


def test_a_hash_number_closed_by_a_dot_or_bracket_is_not_part_of_the_name():
    assert _author_of("#2) Pella Ostrand – 3 days ago")[0] == "Pella Ostrand"
    assert _author_of("#14. quinto_77 | 2 days ago")[0] == "quinto_77"
    assert _author_of("#3 Mirel Dufay says:")[0] == "Mirel Dufay"


def test_a_full_width_colon_after_the_name_is_not_part_of_it():
    assert _author_of("林晓：")[0] == "林晓"
    assert _author_of("Pella Ostrand：")[0] == "Pella Ostrand"
