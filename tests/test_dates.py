"""Date vocabulary and parsing (workers.core.stages.dates)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from workers.core.stages.dates import (
    MONTHS, WEEKDAYS, date_span_ratio, find_dates, has_published_cue, parse_date_text, publication_part,
)
from workers.core.stages.printed_times import looks_like_time, parse_printed_time


@pytest.mark.parametrize("text,expected", [
    ("March 12, 2024", "2024-03-12"),
    ("Thursday, September 14, 2023", "2023-09-14"),
    ("Posted on October 3, 2023", "2023-10-03"),
    ("Published 6 May 2024 · Updated 7 May 2024", "2024-05-06"),
    ("Von Jana Reiter | 11.06.2024", "2024-06-11"),
    ("11. Juni 2024 um 17:52 Uhr", "2024-06-11"),
    ("martes, 5 de marzo de 2024", "2024-03-05"),
    ("le 3 mars 2024", "2024-03-03"),
    ("3 maggio 2022", "2022-05-03"),
    ("12 de março de 2021", "2021-03-12"),
    ("4 mei 2020", "2020-05-04"),
    ("Posted 14/11/2023", "2023-11-14"),
    ("2024-03-01T10:00:00Z", "2024-03-01"),
    ("2012年3月5日", "2012-03-05"),
    ("Mar. 3rd, 2012", "2012-03-03"),
])
def test_parse_date_text(text, expected):
    assert parse_date_text(text) == expected


@pytest.mark.parametrize("text", [
    "APRIL 2024",  # a donation month banner: no day
    "August 2023",  # archive month
    "© 2016–2024 Northline Monitor",  # copyright years
    "Updated 7 May 2024",  # an update date is not a publication date
    "The year 1954 was cold",
    "31/02/2024",  # impossible day
    "",
])
def test_no_date(text):
    assert parse_date_text(text) is None


def test_weekday_disambiguates_numeric_order():
    # Drupal: m/d/Y; "Fri" rules out 2 September 2024 (a Monday)
    assert parse_date_text("Submitted by rgalloway on Fri, 02/09/2024 - 10:30") == "2024-02-09"
    assert parse_date_text("Mon, 02/09/2024") == "2024-09-02"
    # a weekday that matches neither reading: no date
    assert parse_date_text("Wednesday, 02/09/2024") is None


def test_locale_cue_and_impossible_values():
    assert parse_date_text("03/04/2024") == "2024-04-03"  # default D/M/Y
    assert parse_date_text("03/04/2024", month_first=True) == "2024-03-04"
    assert parse_date_text("12/31/2012") == "2012-12-31"  # only M/D/Y is possible
    assert parse_date_text("31/12/2012", month_first=True) == "2012-12-31"
    assert parse_date_text("03.04.2024", month_first=True) == "2024-04-03"  # dots are always D.M.Y


def test_weekday_mismatch_rejects_named_date():
    assert parse_date_text("Friday, September 14, 2023") is None  # it was a Thursday


def test_publication_part_and_cues():
    assert publication_part("Published 6 May 2024 · Updated 7 May 2024").strip(" ·") == "Published 6 May 2024"
    assert publication_part("Zuletzt aktualisiert: 3.4.2024") == ""
    assert has_published_cue("Posted on October 3, 2023")
    assert has_published_cue("Von Jana Reiter | 11.06.2024")
    assert not has_published_cue("March 12, 2024")


def test_date_span_ratio():
    assert date_span_ratio("Thursday, September 14, 2023") == 1.0
    assert date_span_ratio("August 1, 2023 at 9:12 pm") == 1.0
    assert date_span_ratio("The council met on March 12, 2024 to decide on the parking plan.") < 0.5


def test_vocabulary_is_named_data():
    for name, num in (("märz", 3), ("décembre", 12), ("settembre", 9), ("outubro", 10), ("maart", 3)):
        assert MONTHS[name] == num
    assert WEEKDAYS["martes"] == 1 and WEEKDAYS["fri"] == 4 and WEEKDAYS["zondag"] == 6


def test_find_dates_positions_in_order():
    found = find_dates("From 2 May 2023 to 12/05/2023 and 2023-06-01")
    assert [d.isoformat() for _, d, _ in found] == ["2023-05-02", "2023-05-12", "2023-06-01"]
    assert [k for _, _, k in found] == ["name", "numeric", "iso"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_raises(text):
    parse_date_text(text)
    date_span_ratio(text)
    find_dates(text, month_first=True)


# --- printed times (comment timestamps), pinned before the parsers were merged --------

@pytest.mark.parametrize("text,fetched_at,expected", [
    ("11. Juni 2024 um 17:52 Uhr", None, "2024-06-11T17:52"),
    ("March 3, 2024 at 2:05 pm", None, "2024-03-03T14:05"),
    ("May 5, 2024 12:30 am", None, "2024-05-05T00:30"),
    ("12/11/2023", None, "2023-11-12"),           # D/M/Y unless impossible
    ("Sunday 12/11/2023", None, "2023-11-12"),
    ("3 days ago", "2024-04-16T07:41:09Z", "2024-04-13"),
    ("vor 2 Tagen", "2024-04-16T07:41:09Z", "2024-04-14"),
    ("yesterday", "2024-04-16T07:41:09Z", "2024-04-15"),
    ("hace 3 semanas", "2024-04-16T07:41:09Z", "2024-03-26"),
    ("3 days ago", None, None),                   # relative without a fetch time: unknown
    ("31/02/2024", None, None),                   # impossible date
    ("2024-02-30", None, None),
])
def test_parse_printed_time(text, fetched_at, expected):
    assert parse_printed_time(text, fetched_at) == expected
    assert looks_like_time(text) or expected is None


@pytest.mark.parametrize("text,expected", [
    ("14/11/99", "1999-11-14"),      # was 2099 in the comment-time parser
    ("14.11.99 10:30", "1999-11-14T10:30"),
    ("14/11/24", "2024-11-14"),
    ("01/02/69", "2069-02-01"),
    ("01/02/70", "1970-02-01"),
])
def test_two_digit_years_pivot_at_70_in_every_parser(text, expected):
    assert parse_printed_time(text) == expected
    # publication dates read the same year (where the year is in their accepted range)
    found = find_dates(text)
    if 1990 <= int(expected[:4]) <= 2100:
        assert found and found[0][1].isoformat() == expected[:10]
