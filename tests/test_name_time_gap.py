"""A run of two or more spaces between a name and a time on one header line is a separator
("Сорара C.  55 часов назад", "Urlu  23 října 2016": workers/core/stages/authors.split_name_time)."""
from __future__ import annotations

import pytest

from tests.comment_rows import built_comments
from workers.core.labeller.labels import COMMENT_CHROME as C, COMMENT_HEAD as H, COMMENT_TEXT as T
from workers.core.stages.authors import split_name_time


@pytest.mark.parametrize("text, want", [
    ("Urlu  23 října 2016", ("Urlu", "23 října 2016")),
    ("6) Мара Каанка  23. ноября 2013", ("Мара Каанка", "23. ноября 2013")),
    ("3 togais322  5 marca 2023", ("togais322", "5 marca 2023")),
    ("Ana Lima  hace 2 horas", ("Ana Lima", "hace 2 horas")),
    ("Ana Lima  il y a 2 jours", ("Ana Lima", "il y a 2 jours")),
])
def test_two_spaces_part_a_name_and_a_time(text, want):
    assert split_name_time(text) == want


@pytest.mark.parametrize("text", ["Great  point 3 times", "♥ 77  Нравится · Ответить", "+33  Пожаловаться",
                                  "Ana Lima  Reply"])
def test_two_spaces_before_no_time_part_nothing(text):
    assert split_name_time(text) is None


def test_section_of_name_time_lines_with_two_spaces():
    rows = [("Urlu  23 října 2016", H), ("První komentář.", T), ("Odpovědět", C),
            ("Nadena  12 května 2019", H), ("Druhý komentář.", T), ("Odpovědět", C),
            ("Mira Olto  3 června 2020", H), ("Třetí komentář.", T)]
    assert [c.author for c in built_comments(rows)] == ["Urlu", "Nadena", "Mira Olto"]
