"""Relative comment times the date vocabulary reads (workers/core/heuristics/dates.py): the
builder's time readers (stages/comment_times.py: whole header lines, a header's tail, the day it
resolves to; RELATIVE_AGO_EXTRA). One family of forms a language that was missing."""
from __future__ import annotations

import pytest

from workers.core.stages.authors import split_name_time
from workers.core.stages.comment_times import is_extra_time, parse_comment_time
from workers.core.stages.printed_times import looks_like_time

FETCHED = "2024-05-06T12:00:00Z"


def _read(text: str, day: str) -> None:
    """The builder reads the line as a time (whole and after a name) on the right day."""
    assert is_extra_time(text) or looks_like_time(text), text
    assert parse_comment_time(text, FETCHED) == day, text
    got = split_name_time(f"Mara Lind – {text}")
    assert got is not None and got[0] == "Mara Lind", (text, got)


# One family of forms a language, each with the day it resolves to (fetched 2024-05-06 12:00).
FAMILIES = {
    "russian plural units": [("55 часов назад", "2024-05-06"), ("2 дня назад", "2024-05-04"),
                             ("3 минуты назад", "2024-05-06"), ("2 недели назад", "2024-04-22"),
                             ("3 месяца назад", "2024-02-06")],
    "chinese": [("23天前", "2024-04-13"), ("3小时前", "2024-05-06"), ("5分钟前", "2024-05-06"),
                ("2周前", "2024-04-22"), ("1个月前", "2024-04-06")],
    "czech": [("před 23 dny", "2024-04-13"), ("před 2 hodinami", "2024-05-06"), ("před měsícem", "2024-04-06"),
              ("před 5 minutami", "2024-05-06")],
    "indonesian": [("3 jam yang lalu", "2024-05-06"), ("2 hari yang lalu", "2024-05-04"),
                   ("sebulan yang lalu", "2024-04-06"), ("2 minggu lalu", "2024-04-22")],
    "hungarian": [("3 órája", "2024-05-06"), ("2 napja", "2024-05-04"), ("1 éve", "2023-05-07")],
    "danish norwegian": [("3 timer siden", "2024-05-06"), ("2 dage siden", "2024-05-04"),
                         ("2 dager siden", "2024-05-04"), ("1 uke siden", "2024-04-29")],
}


@pytest.mark.parametrize("text, day", [
    pytest.param(text, day, id=f"{family}: {text}") for family, cases in FAMILIES.items() for text, day in cases])
def test_builder_reads_the_time(text, day):
    _read(text, day)


@pytest.mark.parametrize("text", ["Anna Lee", "Jan Novák", "Hari Lalu", "Perce Nap", "Ole Dag", "王小明", "김민준"])
def test_names_are_no_times(text):
    assert not is_extra_time(text) and not looks_like_time(text)
