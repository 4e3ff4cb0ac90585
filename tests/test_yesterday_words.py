"""The "yesterday" words of comment headers (heuristics/dates.RELATIVE_AGO_EXTRA) in the
languages the stopword lists cover: read as a whole header line and as a header's tail,
resolved to the day before the fetch; the same letters inside a longer word are not a time."""
import pytest

from workers.core.stages.comment_times import extra_time_tail, is_extra_time, parse_comment_time

FETCHED = "2024-05-06T10:00:00Z"


@pytest.mark.parametrize("word", ["i går", "I går", "igår", "hôm qua", "Hôm qua", "eilen", "tegnap", "včera",
                                  "kemarin", "어제", "昨天", "gisteren", "wczoraj"])
def test_yesterday_word_is_the_day_before_the_fetch(word):
    assert is_extra_time(word)
    assert parse_comment_time(word, FETCHED) == "2024-05-05"
    assert extra_time_tail(f"Mara Lind – {word}") == word


@pytest.mark.parametrize("text", ["igåra", "Eilenburg", "tegnapi", "i gårdagens", "hôm quay"])
def test_longer_words_are_no_time(text):
    assert not is_extra_time(text)
    assert parse_comment_time(text, FETCHED) is None
