"""The record builder reads a comment section's shape when the labeller's labels are imperfect:
where its records close (``comment_shape.record_close``: the header lines trail the text when the
section prints "text / header / actions", lead it when "header / text / actions"), and a record's
name line labelled chrome or boilerplate in the slot where the section's records print theirs
(``labeller/name_slots.py``). Every page here is built in the test."""
from __future__ import annotations

from tests.comment_rows import comments as _comments
from workers.core.labeller import comment_shape as S
from workers.core.labeller.labels import BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, TITLE

H, T, C, B, X = COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME, BODY, BOILERPLATE

ARTICLE = [("Harbour board delays the vote on the new ferry pier", TITLE),
           ("The harbour board put off its vote on the new ferry pier until the spring meeting.", B),
           ("Members said they wanted the second survey of the sea bed before they decide anything.", B)]
FOOTER = [("Home | About | Contact", X), ("© 2024 Example Harbour News. All rights reserved.", X)]
NAMES = ["Pella Ostrand", "Quinto Marr", "Mirel Dufay", "Tobba Karsk", "Anselm Rook"]
DATES = ["3. März 2021", "4. März 2021", "5. März 2021", "6. März 2021", "7. März 2021"]
TEXTS = ["The survey should have been done before the plans were drawn.",
         "Agreed, and the spring meeting is far too late for the season.",
         "Does anyone know who pays for the second survey this time?",
         "The board paid for the first one, so probably the board again.",
         "Thanks for the update on this, it was hard to follow."]


def _want(keep):
    return [(NAMES[k], TEXTS[k][:20]) for k in keep]


def test_footer_records_whose_first_text_was_lost_keep_their_own_footer():
    # "text / — Name, date / Antworten": the first text labelled chrome, so both of the section's
    # ends show a header ("— Pella Ostrand" above the first text found, "— Anselm Rook" after
    # the last); the gaps print header then action: each text takes the footer under it (and the
    # lost first text, under the section's count line, is that first footer's text again)
    rows = ARTICLE + [("5 Kommentare", C)]
    for k in range(5):
        rows += [(TEXTS[k], C if k == 0 else T), (f"— {NAMES[k]}, {DATES[k]}", H), ("Antworten", C)]
    rows += FOOTER
    assert _comments(rows) == _want(range(5))
    # without the count line, the first text stays lost and the others keep their own footer
    assert _comments(ARTICLE + rows[len(ARTICLE) + 1:]) == _want(range(1, 5))


def test_leading_records_whose_last_text_was_lost_keep_their_own_header():
    # "Name / date / text / Svara": a guest's first record prints its date alone and the last
    # record's text is labelled body; the gaps print the action, then the headers: the name and
    # date after the last text lead that lost text, not the record before
    rows = ARTICLE + [("5 kommentarer", C), (DATES[0], H), (TEXTS[0], T), ("Svara", C)]
    for k in range(1, 5):
        rows += [(NAMES[k], H), (DATES[k], H), (TEXTS[k], B if k == 4 else T), ("Svara", C if k < 4 else X)]
    rows += FOOTER
    assert _comments(rows) == [(None, TEXTS[0][:20])] + _want(range(1, 4))


def test_an_action_line_between_header_and_text_does_not_turn_the_headers_around():
    # "Name added 1 day ago / Reply / text": the action sits under the header; the labeller
    # called it a header on most records and chrome on two: two gaps of the section's ten print
    # "header, action", which is no majority; the records keep their leading headers
    rows = ARTICLE + [("Add Comment", H)]
    for k in range(10):
        rows += [(f"{NAMES[k % 5]} added {k + 1} days ago", H), ("Reply", C if k in (3, 6) else H),
                 (TEXTS[k % 5], T if k < 9 else X)]
    rows += FOOTER
    assert _comments(rows) == [(NAMES[k % 5], TEXTS[k % 5][:20]) for k in range(9)]


def test_record_close_votes():
    assert S.record_close([["H", "C"], ["H", "C"], ["H"]]) == 1
    assert S.record_close([["C", "H", "H"], ["C", "C", "H", "H"]]) == -1
    assert S.record_close([["H", "H"], ["H", "C"], ["H", "H"], ["H", "H"]]) == 0   # no majority
    assert S.record_close([["H", "C", "H"], ["C", "H", "C"]]) == 0   # neither side


def test_a_name_line_labelled_chrome_above_its_date_is_the_records_header():
    # "Name napisał: / date / text / Zgłoś": the labeller called two records' name lines chrome
    rows = ARTICLE + [("5 komentarzy", C)]
    for k in range(5):
        rows += [(f"{NAMES[k]} napisał:", C if k in (1, 3) else H), (DATES[k], H), (TEXTS[k], T), ("Zgłoś", C)]
    rows += FOOTER
    assert _comments(rows) == _want(range(5))


def test_a_bare_name_line_labelled_boilerplate_on_the_first_record_is_its_header():
    rows = ARTICLE + [("Kommentare (5)", B), (NAMES[0], X)]
    rows += [(DATES[0], H), (TEXTS[0], T), ("Antworten", C)]
    for k in range(1, 5):
        rows += [(NAMES[k], H), (DATES[k], H), (TEXTS[k], T), ("Antworten", C)]
    rows += FOOTER
    assert _comments(rows) == _want(range(5))


def test_the_sections_action_word_above_a_guests_date_is_no_name():
    # guests print their date alone: the previous record's action ("Svara", read as a name in
    # a language no signature knows) sits right above it, and recurs: not a name line
    rows = ARTICLE + [("5 kommentarer", C)]
    for k in range(5):
        if k % 2 == 0:
            rows += [(NAMES[k], H)]
        rows += [(DATES[k], H), (TEXTS[k], T), ("Svara", C)]
    rows += FOOTER
    assert _comments(rows) == [(NAMES[k] if k % 2 == 0 else None, TEXTS[k][:20]) for k in range(5)]


def test_no_name_slot_without_the_sections_shape():
    # one record only prints "name / date": no repeating shape, the chrome line stays chrome
    rows = ARTICLE + [("5 komentarzy", C), (f"{NAMES[0]} napisał:", H), (DATES[0], H), (TEXTS[0], T)]
    for k in range(1, 5):
        rows += [(f"{NAMES[k]} napisał:", C), (DATES[k], H), (TEXTS[k], T)]
    rows += FOOTER
    assert _comments(rows) == [(NAMES[0], TEXTS[0][:20])] + [(None, TEXTS[k][:20]) for k in range(1, 5)]


def _footer_section(labels):
    """A footer section ("text / — Name, date / Antworten"), each record labelled (text, footer)."""
    rows = []
    for k, (lt, lh) in enumerate(labels):
        rows += [(TEXTS[k], lt), (f"— {NAMES[k]}, {DATES[k]}", lh), ("Antworten", C if lh == H else lh)]
    return rows


def test_a_footer_sections_last_records_read_as_boilerplate_are_records():
    rows = ARTICLE + [("Kommentare (5)", C)] + _footer_section([(T, H)] * 3 + [(X, X)] * 2) + FOOTER
    assert _comments(rows) == _want(range(5))


def test_a_footer_sections_first_text_left_as_body_under_the_section_title_is_a_record():
    rows = ARTICLE + [("Kommentare (5)", B)] + _footer_section([(B, H)] + [(T, H)] * 4) + FOOTER
    assert _comments(rows) == _want(range(5))


def test_no_footer_record_text_taken_from_the_article_without_a_section_title():
    # the line above the lost first text is the article's paragraph: it stays the article's
    rows = ARTICLE + _footer_section([(B, H)] + [(T, H)] * 4) + FOOTER
    assert _comments(rows) == _want(range(1, 5))


def test_a_verb_of_saying_on_every_name_line_is_no_relative_time():
    # "王明 说：" on every record: the word every name line shares ends on a colon, a verb of
    # saying; the lines stay names (the shared-word rule reads a relative time in a language no
    # vocabulary knows, "… temu", only from words that do not end so)
    names = ["王明", "李华", "陈静", "张伟", "刘洋"]
    rows = ARTICLE + [("评论 (5)", C)]
    for k in range(5):
        rows += [(f"{names[k]} 说：", H), (f"2020年1月{k + 4}日", H), (TEXTS[k], T), ("回复", C)]
    rows += FOOTER
    assert _comments(rows) == [(names[k], TEXTS[k][:20]) for k in range(5)]
