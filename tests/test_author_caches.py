"""The author-line readers whose answers are remembered (stages/authors.py, ``_remembered``;
docs/performance.md, tenth round) answer as their plain definitions: on the corpus's lines,
comment header lines and texts past the length bound, cold and from the cache."""
from __future__ import annotations

import pytest

from tests.test_comment_speed import _lines
from workers.core.stages import authors as A

REMEMBERED = ("bare_name", "author_line_name", "tidy_name", "clean_author", "not_a_name", "split_name_time")
EXTRA = ("#3 Bram | Bramus!", "Robert Nyman - author", "Mara Lind 3 days ago", "by cpu6502 (1960974) writes:",
         "Harry @ GoalsOnTrack says:", "Mara pisze:", "Deel Tosaur 9.7.2024 om 1:37", "+4 #1 munya",
         "Anonymous Coward writes", "Dec 6th", "September", "May", "1 Tami", "Ann (not verified)",
         "Mara " + "x" * (A.REMEMBERED_TEXT_CHARS + 20) + " 3 days ago", "y" * A.REMEMBERED_TEXT_CHARS)


def _answer(name: str, text: str):
    try:
        return ("ok", getattr(A, name)(text))
    except Exception as e:  # noqa: BLE001 - the same error either way
        return ("error", type(e).__name__)


def test_remembered_readers_answer_as_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [t for t in _lines() if t.strip()] + list(EXTRA)
    with monkeypatch.context() as m:  # every reader plain, also where one calls another
        for name in REMEMBERED:
            m.setattr(A, name, getattr(A, name).__wrapped__)
        want = {(n, t): _answer(n, t) for n in REMEMBERED for t in texts}
    assert A.clean_author(None) is None
    for name in REMEMBERED:
        getattr(A, name).cache_clear()
    for _ in range(2):  # cold, then from the cache
        for name in REMEMBERED:
            for t in texts:
                assert _answer(name, t) == want[name, t], (name, t)
    assert sum(v[1] is not None and v[1] is not False for (n, _t), v in want.items() if n == "split_name_time") >= 5
