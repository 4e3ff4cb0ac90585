"""patterns.LineSet asks the compiled RE2::Set directly (the text encoded as google-re2's
``Set.Match`` encodes it): the same candidates as the wrapper's method on every set of the
project, on the corpus's lines and random texts, and the same error on a lone surrogate."""
import json
import random
from pathlib import Path

import pytest

from workers.core import re2_calls
from workers.core.rules import features as F
from workers.core.stages import author_lines as A
from workers.core.stages.text import normalise

SETS = (F.ANY_PAGE, F.ANY_LONG_PAGE, F.ANY_COMMENT, A.AUTHOR_SET, A.TRAILING_SET)


def _wrapper(rset, text):
    """LineSet.Match as it was: the wrapper's Set.Match, then the confirmation."""
    hits = rset._set.Match(text)
    if not hits or not rset._exact:
        return hits
    hits = [i for i in hits if i not in rset._exact or rset._exact[i].search(text)]
    return hits or None


def _lines() -> set[str]:
    lines = {"", " ", "14 comments", "Reply", "John Smith says:", "Hanne • 2 days ago", "Ответить",
             "コメントする", "Zoë said...", "x" * 400, "by Ann Example on March 3, 2024"}
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    for f in sorted(corpus.glob("*/*.json")):
        lines.update(normalise(x) for x in json.loads(f.read_text(encoding="utf-8"))["input"]["content"].split("\n"))
    rng = random.Random(9)
    alphabet = "ab Zé日•|:-0123456789\u00a0\U0001F600"
    lines.update("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(500))
    return lines


def test_line_sets_answer_as_the_wrapper():
    assert re2_calls.Pattern is None or all(s._raw is not None for s in SETS)
    found = 0
    for t in _lines():
        for rset in SETS:
            got = rset.Match(t)
            assert got == _wrapper(rset, t), (t, got)
            found += got is not None
    assert found > 50  # the sets matched lines, not only nothing


def test_line_sets_reject_a_lone_surrogate_as_the_wrapper():
    for rset in SETS:
        with pytest.raises(UnicodeEncodeError):
            _wrapper(rset, "a\ud800b")
        with pytest.raises(UnicodeEncodeError):
            rset.Match("a\ud800b")
