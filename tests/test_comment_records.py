"""Comment records from labelled lines: the record builder (labeller.comments + the segment
stage) splits a section by its repeating shape and reads authors, times and reply targets."""
from __future__ import annotations

from topics.records import Line, StrippedDocument
from workers.core.labeller import comment_shape as S
from workers.core.labeller.comments import comment_roles
from workers.core.stages.authors import split_name_time
from workers.core.stages.comment_times import parse_comment_time
from workers.core.stages.segment import _build_comments

H, T, C = "comment_head", "comment_text", "comment_chrome"
FETCHED = "2024-05-06T12:00:00Z"


def _records(rows: list[tuple[str, str]]):
    texts = [t for t, _ in rows]
    labels = [lb for _, lb in rows]
    reasons, roles = comment_roles(texts, [0] * len(rows), labels, [None] * len(rows))
    lines = [Line(i, t, 0, r, h if r is None else None) for i, (t, r, h) in enumerate(zip(texts, reasons, roles))]
    doc = StrippedDocument(id="t", url=None, content_type="text/plain", fetched_at=FETCHED, source=None,
                           site="t", lines=lines)
    return _build_comments(doc)


def test_relative_times_outside_the_date_vocabulary_are_not_authors():
    rows = [("Ola Nowak", H), ("2 godzin temu", H), ("Pierwszy komentarz.", T), ("Odpowiedz", C),
            ("Jan K.", H), ("miesiąc temu", H), ("Drugi komentarz.", T), ("Odpowiedz", C),
            ("Ewa", H), ("wczoraj", H), ("Trzeci komentarz.", T)]
    got = [(c.author, c.posted_text, c.posted_at) for c in _records(rows)]
    assert got == [("Ola Nowak", "2 godzin temu", "2024-05-06"), ("Jan K.", "miesiąc temu", "2024-04-06"),
                   ("Ewa", "wczoraj", "2024-05-05")]


def test_a_word_most_header_lines_share_is_a_time_not_a_name():
    # a language none of the vocabularies know: the recurring word marks a time
    rows = [("kolme päivää sitten", H), ("Eka.", T), ("Vastaa", C), ("viikko sitten", H), ("Toka.", T),
            ("Vastaa", C), ("eilen sitten", H), ("Kolmas.", T)]
    assert [c.author for c in _records(rows)] == [None, None, None]


def test_names_with_a_shared_widget_label_stay_names():
    rows = [("Marklive Follow", H), ("First.", T), ("Pauliina Jamsa Follow", H), ("Second.", T),
            ("Jimmy Byrne Follow", H), ("Third.", T)]
    assert [c.author for c in _records(rows)] == ["Marklive Follow", "Pauliina Jamsa Follow", "Jimmy Byrne Follow"]


def test_blogger_shape_name_text_date():
    # "Name said..." / text / date: the date trails its comment; a byline above is not an author
    rows = [("Posted by Marta K at 6:42 PM", H), ("3 comments:", C),
            ("Jen said...", H), ("Made it.", T), ("September 14, 2023 at 9:05 PM", H),
            ("Anonymous said...", H), ("Can I freeze it?", T), ("September 15, 2023 at 7:48 AM", H),
            ("Marta K said...", H), ("@Anonymous yes.", T), ("September 15, 2023 at 8:30 AM", H)]
    got = [(c.author, c.posted_at, c.reply_to) for c in _records(rows)]
    assert got == [("Jen", "2023-09-14T21:05", None), (None, "2023-09-15T07:48", None),
                   ("Marta K", "2023-09-15T08:30", 1)]   # "@Anonymous": the anonymous comment


def test_date_above_each_comment_belongs_to_it():
    rows = [("3 Comments", C), ("03.05.2023, 07:41", H), ("One.", T), ("Reply", C),
            ("04.05.2023, 08:00", H), ("Two.", T), ("Reply", C), ("05.05.2023, 09:15", H), ("Three.", T)]
    assert [c.posted_at for c in _records(rows)] == ["2023-05-03T07:41", "2023-05-04T08:00", "2023-05-05T09:15"]


def test_reply_marker_is_not_the_author_and_gives_the_parent():
    rows = [("Gary Pruett", H), ("1 month ago", H), ("Parking is a mess.", T), ("Reply", C),
            ("Dana Whitfield", H), ("1 month ago", H), ("Reply to  Gary Pruett", H), ("The first 30 min are free.", T)]
    got = [(c.author, c.reply_to) for c in _records(rows)]
    assert got == [("Gary Pruett", None), ("Dana Whitfield", 0)]


def test_numbered_header_with_date():
    rows = [("1 Tami November 7, 2012 at 3:04 AM", H), ("Sounds great.", T), ("Reply", C),
            ("2 Dawn Camp November 7, 2012 at 6:57 AM", H), ("Thanks, Tami.", T)]
    got = [(c.author, c.posted_at) for c in _records(rows)]
    assert got == [("Tami", "2012-11-07T03:04"), ("Dawn Camp", "2012-11-07T06:57")]


def test_trailing_headers():
    # "text / — Name, date": no header above the first comment, so headers trail their text
    rows = [("Great piece.", T), ("— Lusa Tovi, 17 Mayıs 2015", H), ("Reply", C),
            ("Not convinced.", T), ("— Ana Ruiz, 18 Mayıs 2015", H)]
    assert [c.author for c in _records(rows)] == ["Lusa Tovi", "Ana Ruiz"]


def test_split_name_time_and_kinds():
    assert split_name_time("Olmaso N. , 17 Kasım 2012") == ("Olmaso N.", "17 Kasım 2012")
    assert split_name_time("by Miur Anma on 1 Haziran 2015") == ("Miur Anma", "1 Haziran 2015")
    assert split_name_time("Mara – 2 godzin temu") == ("Mara", "2 godzin temu")
    assert split_name_time("Reply · Share") is None
    assert [S.line_kind(t) for t in ("Gary Pruett", "3日前", "Reply to Gary", "Anonymous", "12 Comments")] == \
        [S.NAME, S.DATE, S.META, S.PLACEHOLDER, S.DATE]


def test_cut_gaps_reads_the_shape():
    # lead [name], trail [date]: a gap "date, name" is cut between them
    assert S.cut_gaps([["A"], ["D", "A"], ["D", "A"], ["D"]]) == [0, 1, 1, 1]
    # nothing after the last text: every header leads its comment
    assert S.cut_gaps([["A", "D"], ["A", "D"], []]) == [0, 0, 0]
    # nothing before the first text: every header trails its comment
    assert S.cut_gaps([[], ["A"], ["A"]]) == [0, 1, 1]


def test_parse_comment_time():
    assert parse_comment_time("3日前", FETCHED) == "2024-05-03"
    assert parse_comment_time("een maand geleden", FETCHED) == "2024-04-06"
    assert parse_comment_time("3 days ago", FETCHED) == "2024-05-03"
    assert parse_comment_time("2 godzin temu", None) is None


def test_author_patterns_read_blog_names_and_usernames():
    from workers.core.stages.author_lines import parse_author_line

    assert parse_author_line("by infodragon (38608)")[0] == "infodragon"      # "on" inside a name is no separator
    assert parse_author_line("by cpu6502 (1960974)")[0] == "cpu6502"
    assert parse_author_line("Diane, A Broad October 23, 2012 at 4:19 pm")[0] == "Diane, A Broad"
    assert parse_author_line("Monique @ Ambitious Kitchen says:")[0] == "Monique @ Ambitious Kitchen"
    assert parse_author_line("Thanks, I really agree with you on May 3, 2012") is None   # a sentence


def test_numbered_names():
    rows = [("1 Fortunato Saraiva", H), ("Dec 6th, 2009 at 6:06 am", H), ("How do I update?", T),
            ("2 Robert", H), ("Dec 8th, 2009 at 8:03 pm", H), ("Mine cannot be updated.", T)]
    assert [c.author for c in _records(rows)] == ["Fortunato Saraiva", "Robert"]


def test_dom_nesting_gives_the_parent():
    rows = [("Ann", H), ("First.", T), ("Bo", H), ("A reply to Ann.", T), ("Cy", H), ("A reply to Bo.", T),
            ("Di", H), ("Top level again.", T)]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    depth = [8, 9, 10, 11, 12, 13, 8, 9]
    reasons, roles = comment_roles(texts, [0] * len(rows), labels, [None] * len(rows), depth)
    assert [roles[k] for k in (1, 3, 5, 7)] == ["comment-start", "comment-reply:1", "comment-reply:1", "comment-start"]
    lines = [Line(i, t, 0, r, h if r is None else None) for i, (t, r, h) in enumerate(zip(texts, reasons, roles))]
    doc = StrippedDocument(id="t", url=None, content_type="text/html", fetched_at=FETCHED, source=None,
                           site="t", lines=lines)
    assert [(c.author, c.reply_to) for c in _build_comments(doc)] == [("Ann", None), ("Bo", 0), ("Cy", 1), ("Di", None)]
    # a comment shallower than the first: the depths are no thread, nothing is nested
    _, roles = comment_roles(texts, [0] * len(rows), labels, [None] * len(rows), [8, 9, 10, 11, 6, 7, 8, 9])
    assert not any(r and r.startswith("comment-reply") for r in roles)


def test_compact_and_foreign_comment_dates():
    assert parse_comment_time("22 d", FETCHED) == "2024-04-14"
    assert parse_comment_time("16 min", FETCHED) == "2024-05-06"
    assert parse_comment_time("17 Kasım 2012", FETCHED) == "2012-11-17"
    assert parse_comment_time("27. ноября 2015 в 22:57", FETCHED) == "2015-11-27T22:57"
    assert parse_comment_time("2024年12月20日 2:45", FETCHED) == "2024-12-20T02:45"
    assert split_name_time("Deel Tosaur 9.7.2024 om 1:37") == ("Deel Tosaur", "9.7.2024 om 1:37")
    assert split_name_time("QueenSashy added 1 day ago") == ("QueenSashy", "1 day ago")
    assert split_name_time("Posted on August 9, 2012 at 11:40am") is None
    assert S.line_kind("September 5, 2012 at 3:01 pm") == S.DATE
    assert S.line_kind("Response to Ann") == S.META


def test_a_verb_of_saying_before_the_colon_is_not_part_of_the_name_in_any_language():
    rows = [("Ola Nowak napisał:", H), ("Pierwszy komentarz tutaj.", T), ("Jan sa:", H), ("Andra kommentaren.", T),
            ("王明 说：", H), ("第三条评论。", T), ("Harry @ GoalsOnTrack says:", H), ("Fourth comment.", T),
            ("John Smith:", H), ("Fifth comment.", T)]
    assert [c.author for c in _records(rows)] == ["Ola Nowak", "Jan", "王明", "Harry @ GoalsOnTrack", "John Smith"]


def test_a_social_handle_after_the_name_ends_the_name():
    rows = [("Kabega @kabega55 – před 21 hodinami", H), ("První komentář.", T),
            ("Mara Lind @maralind12 · 3h", H), ("Second comment.", T),
            ("박은김 @박은김76 | 3/5/14 6:13 PM", H), ("세 번째 댓글.", T),
            ("준진 @준진99, 어제", H), ("네 번째 댓글.", T)]
    got = [(c.author, c.posted_text) for c in _records(rows)]
    assert [a for a, _ in got] == ["Kabega", "Mara Lind", "박은김", "준진"]
    assert got[0][1] == "před 21 hodinami" and got[2][1] == "3/5/14 6:13 PM"


def test_a_short_reply_to_line_labelled_as_text_is_the_comment_header():
    rows = [("Submitted by kestrel_obs on Fri, 02/09/2024 - 19:47", H), ("Small correction: it is Bortle 4 now.", T),
            ("Submitted by rgalloway on Fri, 02/09/2024 - 21:02", H), ("In reply to Bortle scale by kestrel_obs", T),
            ("Permalink", C), ("Fair point, I was being generous with the 3.", T),
            ("Submitted by ibrennan on Sat, 02/10/2024 - 09:12", H),
            ("Reply to the council: in my view the survey should run every winter, not every second one.", T)]
    got = _records(rows)
    assert [(c.author, c.text[:10]) for c in got] == [("kestrel_obs", "Small corr"), ("rgalloway", "Fair point"),
                                                      ("ibrennan", "Reply to t")]
    assert got[1].reply_to == 0 and got[2].reply_to is None


def test_the_last_record_cut_after_its_header_takes_its_text_up_to_the_sections_per_record_chrome():
    B = "boilerplate"
    rows = [("Guest", C), ("Pete Lindqvist", H), ("27 days ago", H), ("Every town that did this saw it.", T),
            ("6", C), ("Reply", C), ("Guest", C), ("Marisol Ybarra", H), ("29 days ago", H), ("thank you!!", T),
            ("0", C), ("Reply", C), ("Guest", C), ("lou", H), ("26 days ago", H),
            ("Reply to  Pete Lindqvist", B), ("this ^^", B), ("1", B), ("Reply", B), ("Load More Comments", B),
            ("© 2024 Riverbend Courier. All rights reserved.", B)]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    reasons, roles = comment_roles(texts, [0] * len(rows), labels, [None] * (len(rows) - 1) + ["copyright"])
    assert roles[16] == "comment-start" and reasons[16] is None and reasons[15] == "comment-meta"
    assert all(roles[k] is None for k in (17, 18, 19, 20))
    # without the closing per-record chrome (the shape does not go on), nothing is taken
    cut = rows[:17] + [("Load More Comments", B)]
    reasons, roles = comment_roles([t for t, _ in cut], [0] * len(cut), [lb for _, lb in cut], [None] * len(cut))
    assert roles[16] is None and roles[15] is None


def test_a_deleted_comments_placeholder_labelled_as_text_is_no_comment():
    rows = [("Jen Riordan said...", H), ("Made this last night.", T), ("September 15, 2023 at 8:30 AM", H),
            ("Anonymous said...", H), ("This comment has been removed by a blog administrator.", T),
            ("September 16, 2023 at 2:11 AM", H), ("Hanne B. said...", H), ("In our family it was always so.", T)]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    rule = [None] * 4 + ["comment-removed"] + [None] * 3
    reasons, roles = comment_roles(texts, [0] * len(rows), labels, rule)
    assert reasons[4] == "comment-removed" and roles[4] is None
    assert [roles[k] for k in (1, 7)] == ["comment-start", "comment-start"]


def test_plain_text_byline_and_date_lines_the_model_keeps_as_body_are_removed_as_metadata():
    from workers.core.labeller.apply import roles_from_labels
    from workers.core.labeller.evidence import rule_evidence
    from workers.core.stages.strip import split_lines
    text = ("Riverbend moves to paid parking downtown\n\nBy Renata Oyelaran\n\nMarch 12, 2024\n\n"
            "The city council voted 5-2 on Tuesday night to install parking meters along Main Street, ending "
            "decades of free parking in the downtown core.\n\nThe meters will cost 1.50 an hour and run from "
            "9 a.m. to 6 p.m. on weekdays, the council said after a long debate.")
    lines = split_lines(text)
    ev = rule_evidence(lines)
    labels = ["title", "body", "body", "body", "body"]
    reasons, roles = roles_from_labels([ln.text for ln in lines], [ln.blank_before for ln in lines], labels, ev)
    assert reasons[1:3] == ["byline", "dateline"] and roles == ["title", None, None, "body", "body"]


def test_a_short_body_run_right_after_a_comment_header_is_that_comments_text():
    Bd = "body"
    article = [(f"Paragraph {k} of the article, long enough to be running text about the ferry.", Bd) for k in range(3)]
    rows = article + [("12 Comments", C), ("Mara Lind", H), ("3 days ago", H), ("First comment, read as body.", Bd),
                      ("Reply", C), ("Jan Berg", H), ("2 days ago", H), ("Second comment.", T), ("Reply", C)]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    _reasons, roles = comment_roles(texts, [0] * len(rows), labels, [None] * len(rows))
    assert roles[6] == "comment-start" and roles[4] == "comment-author" and roles[0] is None
    # a header followed by the article's long body (a dateline read as a header) takes nothing
    rows = [("Posted by Mara Lind", H)] + [(f"Paragraph {k} of the article.", Bd) for k in range(8)] + \
        [("Jan Berg", H), ("A comment.", T)]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    _reasons, roles = comment_roles(texts, [0] * len(rows), labels, [None] * len(rows))
    assert all(roles[k] is None for k in range(1, 9))


def test_a_placeholder_author_line_labelled_as_text_heads_a_guest_comment():
    rows = [("Jen Riordan said...", H), ("Made this last night.", T), ("September 15, 2023 at 8:30 AM", H),
            ("Anonymous said...", T), ("is it possible to make the dough the night before?", T),
            ("September 15, 2023 at 9:02 AM", H), ("Hanne B. said...", H), ("In our family it was always so.", T)]
    got = [(c.author, c.text) for c in _records(rows)]
    assert got == [("Jen Riordan", "Made this last night."), (None, "is it possible to make the dough the night before?"),
                   ("Hanne B.", "In our family it was always so.")]


def test_an_unsigned_comment_the_labeller_cut_out_of_its_section_is_put_back():
    # wpDiscuz-like: an empty author slot (one more blank line) then the text, the widget's
    # closing bubble (a comment signature) after the last comment
    B = "boilerplate"
    rows = [("Omar Huss", H, 1), ("They united under the advice of the intel services, it will be easy.", T, 1),
            ("Guy's last name is Osama. That is instantly a red flag for me.", B, 2),
            ("Would love your thoughts, please comment.x", B, 1)]
    texts, labels, blanks = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    rule = [None, None, None, "comment-chrome"]
    sig = [0, 0, 0, 1]
    reasons, roles = comment_roles(texts, blanks, labels, rule, None, sig)
    assert roles[1] == "comment-start" and roles[2] == "comment-start" and reasons[2] is None
    # the same line right after the text, without the empty slot: the section's shape wants no text there
    reasons, roles = comment_roles(texts, [1, 1, 1, 1], labels, rule, None, sig)
    assert roles[2] is None
    # a line a signature explains, or a short one, never moves
    reasons, roles = comment_roles(texts, blanks, labels, rule, None, [0, 0, 2, 1])
    assert roles[2] is None
    short = [r if k != 2 else ("Nice one", B, 2) for k, r in enumerate(rows)]
    _, roles = comment_roles([r[0] for r in short], blanks, [r[1] for r in short], rule, None, sig)
    assert roles[2] is None
    # nor when nothing of the section comes after it (the page's end, not the section)
    _, roles = comment_roles(texts[:3], blanks[:3], labels[:3], rule[:3], None, sig[:3])
    assert roles[2] is None
    # HTML input (DOM depths given): the DOM draws the section, no gap is filled
    _, roles = comment_roles(texts, blanks, labels, rule, [5, 6, 6, 3], sig)
    assert roles[2] is None


def test_a_text_line_a_signature_reads_as_a_share_bar_or_tag_list_is_no_comment():
    rows = [("Posted by Marta Kowalczyk at 6:42 PM", H),
            ("Email ThisBlogThis!Share to TwitterShare to Facebook", T), ("Labels: baking, plums", T),
            ("6 comments:", C), ("Jen Riordan said...", H), ("Made this last night with the big round plums.", T),
            ("About the only good thing here is the crust", T)]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    rule = [None, "share", "tags", "comment-chrome", None, None, "footer"]
    reasons, roles = comment_roles(texts, [0] * len(rows), labels, rule, None, [0, 2, 1, 1, 0, 0, 2])
    assert reasons[1:3] == ["share", "tags"] and roles[1] is None and roles[2] is None
    assert roles[5] == "comment-start" and roles[4] == "comment-author"
    # a weak footer wording ("About the …") opens a comment's sentence: it stays text
    assert roles[6] == "comment"


def test_a_printed_time_among_the_last_records_lines_is_its_header():
    B = "boilerplate"
    rows = [("Guest", C), ("Tom K", H), ("30 days ago", H), ("Accessible spaces stay free.", T), ("4", C),
            ("Reply", C), ("Guest", C), ("Marisol Ybarra", H), ("29 days ago", H), ("thank you!!", T), ("0", C),
            ("Reply", C), ("Guest", C), ("lou", H), ("26 days ago", B), ("this ^^", B), ("1", B), ("Reply", B)]
    got = [(c.author, c.posted_text, c.text) for c in _records(rows)][1:]
    assert got == [("Marisol Ybarra", "29 days ago", "thank you!!"), ("lou", "26 days ago", "this ^^")]


def test_a_name_line_the_labeller_called_boilerplate_heads_its_comment():
    B = "boilerplate"
    rows = [("Expo Marker", H), ("The mask has fallen off, and the opposition is no longer so moderate.", T),
            ("Pave Way IV", B), ("1 month ago", H), ("So does this mean the U.S. will now attack them?", T),
            ("Omar Huss", B), ("Reply", C)]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    reasons, roles = comment_roles(texts, [1] * len(rows), labels, [None] * len(rows), None, [0] * len(rows))
    assert roles[2] == "comment-author" and reasons[2] is None and roles[4] == "comment-start"
    # a name with no comment text after it (only chrome) heads nothing
    assert roles[5] is None
    # a line a signature explains ("Guest", a role label) is no name; a sentence is no name
    _, roles = comment_roles(texts, [1] * len(rows), labels, [None] * len(rows), None, [0, 0, 1, 0, 0, 0, 0])
    assert roles[2] is None
    rows2 = [r if k != 2 else ("Agreed with all of it.", B) for k, r in enumerate(rows)]
    _, roles = comment_roles([t for t, _ in rows2], [1] * len(rows), [lb for _, lb in rows2], [None] * len(rows),
                             None, [0] * len(rows))
    assert roles[2] is None


def test_a_long_chrome_line_under_a_header_is_text_only_when_it_ends_a_sentence():
    rows = [("Bev Tallis", H), ("Was there last night, the noise in the third period was unreal.", T),
            ("Ray Duchene", H), ("My grandson plays for the U15s and they are all going to the games.", C),
            ("Would love your thoughts, please comment.x", "boilerplate")]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    rule, sig = [None, None, None, None, "comment-chrome"], [0, 0, 0, 0, 1]
    _, roles = comment_roles(texts, [1] * 5, labels, rule, None, sig)
    assert roles[3] == "comment-start" and roles[2] == "comment-author"
    # a related list's headline under a date header (no sentence end) stays chrome
    texts[3] = "Romney leads national polls, but Obama hangs tough in swing states"
    _, roles = comment_roles(texts, [1] * 5, labels, rule, None, sig)
    assert roles[3] is None


def test_text_right_under_a_header_is_put_back_with_its_next_paragraph_but_not_after_chrome():
    B = "boilerplate"
    rows = [("Gary Pruett", H), ("1 month ago", H), ("My staff park behind the church, have done for years.", T),
            ("Reply", C), ("Dana Whitfield", H), ("1 month ago", H),
            ("Gary the first 30 min are free though, that covers a box of nails.", B),
            ("And the lot behind the bank is free after six anyway.", B), ("3", C), ("Reply", C),
            ("Pete Lindqvist", H), ("Every town that did this saw it come back.", T)]
    texts, labels = [t for t, _ in rows], [lb for _, lb in rows]
    sig = [0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0]
    _, roles = comment_roles(texts, [0] * len(rows), labels, [None] * len(rows), None, sig)
    assert roles[6] == "comment-start" and roles[7] == "comment" and roles[4] == "comment-author"
    # under a header and a chrome line ("Reply to X"), real pages print a trackback or a form as
    # often as a comment: nothing is taken
    rows2 = rows[:6] + [("Reply to  Gary Pruett", C)] + rows[6:]
    _, roles = comment_roles([t for t, _ in rows2], [0] * len(rows2), [lb for _, lb in rows2],
                             [None] * len(rows2), None, sig[:6] + [1] + sig[6:])
    assert roles[7] is None and roles[8] is None


def test_a_headers_decorations_around_the_name_are_not_part_of_it():
    # a resiliparse list bullet, the comment's number, a "by" lead, a user id, a verb of saying
    rows = [("by ravenswood1000 (543817) writes:", H), ("The ads were getting a bit much.", T),
            ("by Anonymous Coward writes:", H), ("No, according to the summary.", T),
            ("• Holger", H), ("Nice one.", T), ("1. 09. Jul, 2012 / Courtney says:", H), ("Glad you are back.", T),
            ("written by mike, October 19, 2012", H), ("Recycled ones are fine.", T),
            ("by cpu6502 (1960974) writes: on Tuesday July 24, @12:44PM (#40751571)", H), ("I have adblock in my head.", T)]
    got = [(c.author, c.posted_text) for c in _records(rows)]
    assert got == [("ravenswood1000", None), (None, None), ("Holger", None), ("Courtney", "09. Jul, 2012"),
                   ("mike", "October 19, 2012"), ("cpu6502", None)]


def test_comment_footers_trail_their_text_whatever_the_sections_ends_show():
    # TypePad / Movable Type "Posted by: Name | date" under each comment; the section's last
    # text line is the comment form's notice, so neither end shows which way the headers go
    rows = [("Comments", C), ("Love the fringe watch!", T), ("Posted by: Megan Sullivan | November 13, 2012 at 12:19 PM", H),
            ("I love this one, classic.", T), ("Posted by: Cassandra | November 13, 2012 at 12:19 PM", H),
            ("The tribal watch is lovely!!", T), ("Posted by: Kate | November 13, 2012 at 12:21 PM", H),
            ("Your comment has been saved and will appear once approved.", T)]
    # (and the notice after the last footer is no record: every record prints its footer)
    assert [c.author for c in _records(rows)] == ["Megan Sullivan", "Cassandra", "Kate"]
    # a last footer the labeller missed is still the last record's author line
    rows[-3:] = [("The tribal watch is lovely!!", T), ("Posted by: Kate | November 13, 2012 at 12:21 PM", "boilerplate")]
    assert [c.author for c in _records(rows)] == ["Megan Sullivan", "Cassandra", "Kate"]
