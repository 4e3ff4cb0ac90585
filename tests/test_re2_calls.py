"""workers/core/re2_calls.py: the faster ``search`` / ``match`` / ``fullmatch`` of its ``Pattern``
answer exactly as google-re2's own calls, for every RE2 pattern the project compiles, on the
corpus's text lines and on random texts (ASCII, non-ASCII, empty, surrogates); google-re2 itself
is left as it is."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
import re2

from tests.test_path_speed import _random_texts
from workers.core import re2_calls as R
# the modules whose patterns are checked (imported so that their patterns are compiled)
from workers.core.labeller import comment_shape, features  # noqa: F401
from workers.core.stages import author_lines, authors, comment_times, dates, printed_times, segment  # noqa: F401
from workers.core.rules import features as strip_features  # noqa: F401

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _patterns() -> list:
    """Every compiled RE2 pattern held by a loaded project module (alone or in a tuple/list)."""
    seen, out = set(), []
    for name, mod in list(sys.modules.items()):
        if not name.startswith("workers.") or mod is None:
            continue
        for value in vars(mod).values():
            for rx in (value if isinstance(value, (tuple, list)) else (value,)):
                if isinstance(rx, re2._Regexp) and id(rx) not in seen:
                    seen.add(id(rx))
                    out.append(rx)
    return out


def _texts() -> list[str]:
    rnd = random.Random(11)
    texts = _random_texts(rnd) + ["", "a", "Reply", "John Smith says:", "12.05.2023, 07:41", "vor 3 Tagen",
                                  "Jürgen Müller · 3 hours ago", "日本 2023年5月12日", "@anna thanks!"]
    files = [CORPUS / "seed" / "southfront-ghouta.json", *sorted((CORPUS / "text-dev").glob("*.json"))]
    for f in files:
        if f.is_file():
            lines = json.loads(f.read_text(encoding="utf-8"))["input"]["content"].split("\n")
            texts += [t.strip() for t in lines if t.strip()][:120]
    return texts


def test_every_project_pattern_is_faster_and_re2_is_untouched():
    assert R._release() == R.RELEASE and R.Pattern is not None
    patterns = _patterns()
    plain = [rx.pattern for rx in patterns if not isinstance(rx, R.Pattern)]
    assert len(patterns) > 30 and not plain, plain  # every pattern compiled through re2_calls
    for name in R._ANCHORS:  # the wrapper's own class keeps its own calls
        assert getattr(re2._Regexp, name) is not getattr(R.Pattern, name)
    assert type(re2.compile(r"\d+")) is re2._Regexp


def test_same_answers_as_the_wrapper():
    patterns, texts = _patterns(), _texts()
    assert len(texts) > 500
    matched = non_ascii_matched = 0
    for rx in patterns:
        for text in texts:
            for name in R._ANCHORS:
                wrapper = getattr(re2._Regexp, name)  # google-re2's own call, on the same pattern
                try:
                    theirs = R.answer(rx, wrapper(rx, text))
                except UnicodeEncodeError as exc:  # a lone surrogate: the same error
                    with pytest.raises(UnicodeEncodeError) as got:
                        getattr(rx, name)(text)
                    assert str(got.value) == str(exc)
                    continue
                mine = R.answer(rx, getattr(rx, name)(text))
                assert mine == theirs, (rx.pattern, text, name)
                matched += theirs is not None
                non_ascii_matched += theirs is not None and not text.isascii()
            # pos / endpos go through the wrapper's own code
            if text.isascii():
                assert R.answer(rx, rx.search(text[:50], 1, 40)) == \
                    R.answer(rx, re2._Regexp.search(rx, text[:50], 1, 40))
    assert matched > 1000 and non_ascii_matched > 50


def test_compile_is_re2_compile_without_the_faster_class(monkeypatch):
    """Another google-re2 release: ``compile`` and ``match_starts`` fall back to the wrapper."""
    monkeypatch.setattr(R, "Pattern", None)
    rx = R.compile(r"x*")
    assert type(rx) is re2._Regexp
    assert R.match_starts(rx, b"axxb") == [m.start() for m in rx.finditer(b"axxb")]


def test_match_starts_equal_finditer():
    """``match_starts``: the starts of ``finditer`` on bytes, for the line labeller's page scans,
    every project pattern and patterns that match the empty string (the loop's step past one)."""
    rnd = random.Random(12)
    texts = [t.encode("utf-8", "surrogatepass") for t in _texts()]
    pages = [b"\n".join(rnd.sample(texts, 40)) for _ in range(12)] + [b"", b"\n", b"a", "é 12:30 x".encode()]
    extra = [R.compile(p) for p in (r"x*", r"\b", r"(?:)", r"\d*", r"$", r"^")]
    total = 0
    for rx in _patterns() + extra:
        for page in pages:
            want = [m.start() for m in re2._Regexp.finditer(rx, page)]
            assert R.match_starts(rx, page) == want, (rx.pattern, page[:60])
            total += len(want)
    assert total > 10_000


def test_char_spans_of_non_ascii_matches():
    """A match on a non-ASCII text: its byte spans mapped to characters as the wrapper maps them;
    an unmatched group stays (-1, -1), a span inside a character is left to the wrapper."""
    null = re2._NULL_SPAN
    data = "Jürgen 日本 x".encode()
    assert R._char_spans(data, [(0, 7), (3, 7), null], null) == [(0, 6), (2, 6), null]
    assert R._char_spans(data, [(8, 14)], null) == [(7, 9)]
    assert R._char_spans(data, [(0, 2)], null) is None   # "ü" cut after its first byte
    rx = R.compile(r"(?P<a>\p{L}+)\s(\d+)?(?P<c>日本)?")
    for text in ("Jürgen 日本 x", "ü 7", "€€ 12", "x\U0001f600 y", "日本 2023日本"):
        for name in R._ANCHORS:
            assert R.answer(rx, getattr(rx, name)(text)) == R.answer(rx, getattr(re2._Regexp, name)(rx, text)), text


def _outcome(call, *args):
    """A call's value, or its error's type and message."""
    try:
        return call(*args)
    except (IndexError, TypeError) as exc:
        return type(exc), str(exc)


def test_match_reads_one_group_as_the_wrapper():
    """``Match``'s ``group`` / ``start`` / ``end`` / ``span`` of one group number: the wrapper's
    answers, its errors out of range, and names, several groups and a bool through its own code."""
    rx = R.compile(r"(?P<a>\w+)\s?(\d+)?(?P<c>日本)?")
    for text in ("abc 12", "abc", "ü 7", "日本 3日本", "x y"):
        mine, theirs = rx.search(text), re2._Regexp.search(rx, text)
        assert type(mine) is R.Match and type(theirs) is re2._Match and len(mine._spans) == rx.groups + 1
        for g in (0, 1, 2, 3, True, False, "a", "c"):
            for name in ("group", "start", "end", "span"):
                assert _outcome(getattr(mine, name), g) == _outcome(getattr(theirs, name), g), (text, g, name)
        assert mine.group(1, 2) == theirs.group(1, 2) and mine.group("a", 0) == theirs.group("a", 0)
        assert (mine.group(), mine.start(), mine.end(), mine.span()) == \
            (theirs.group(), theirs.start(), theirs.end(), theirs.span())
        for g in (-1, 4, 10):
            for name in ("group", "start", "end", "span"):
                with pytest.raises(IndexError):
                    getattr(mine, name)(g)
