"""check_record's yes/no fast path (topics/record_passes.py) against its message-building
checks: on real records of every intermediate and output topic, and on each of them broken
one field at a time, the fast path passes exactly the objects the full checks accept."""
from __future__ import annotations

import dataclasses

import orjson
import pytest

from topics import record_checks as C
from topics import records as R
from workers.core.runner import StageRunner, process_values
from workers.settings import from_env

from tests.texts import ARTICLE

WRONG = (None, 0, 1.5, True, "", "x", [], [1], ["x"], {}, {"n": "1"})


def _full_check_accepts(obj, cls) -> bool:
    """The message-building checks alone (the fast path switched off)."""
    saved = C.passes
    C.passes = lambda tp: (lambda value: False)
    try:
        R.check_record(obj, cls)
        return True
    except R.RecordError:
        return False
    finally:
        C.passes = saved


def _records() -> list[tuple[type, dict]]:
    """(record type, decoded object) for each stage's output on a small article page."""
    settings = from_env()
    runner = StageRunner(settings, dedupe_window=0)
    value = orjson.dumps({"id": "doc-1", "url": "https://example.org/a", "content": ARTICLE,
                          "content_type": "text/plain"})
    out = []
    for stage, cls in (("strip", R.StrippedDocument), ("segment", R.SegmentedDocument),
                       ("enrich", R.EnrichedDocument)):
        res = runner.handle(stage, value, key="doc-1")
        assert res.dead_letter is None
        value = res.outputs[0].value
        out.append((cls, orjson.loads(value)))
        if stage == "enrich":
            out += [(R.CommentRecord, orjson.loads(o.value)) for o in res.outputs[1:]]
    return out


def _broken(obj: dict):
    """The object with one field (or one field of its first nested record) changed or removed."""
    for key in list(obj):
        for bad in WRONG:
            yield {**obj, key: bad}
        yield {k: v for k, v in obj.items() if k != key}
        v = obj[key]
        if isinstance(v, list) and v and isinstance(v[0], dict):
            for inner in _broken(v[0]):
                yield {**obj, key: [inner, *v[1:]]}
        if isinstance(v, dict) and v:
            for inner in _broken(v):
                yield {**obj, key: inner}


def test_fast_path_passes_exactly_what_the_full_checks_accept():
    recs = _records()
    assert any(cls is R.CommentRecord for cls, _ in recs)  # the page has comments
    seen = {True: 0, False: 0}
    for cls, obj in recs:
        assert C.passes(cls)(obj) and _full_check_accepts(obj, cls)
        for bad in _broken(obj):
            want = _full_check_accepts(bad, cls)
            assert C.passes(cls)(bad) is want, (cls.__name__, bad)
            seen[want] += 1
    assert seen[True] > 20 and seen[False] > 200  # both kinds were tried
    for cls in (R.StrippedDocument, R.Line, R.RawDocument):
        for value in WRONG:
            assert C.passes(cls)(value) is _full_check_accepts(value, cls)


def test_errors_still_say_where():
    obj = dict(_records()[0][1])
    obj["lines"] = [*obj["lines"][:2], {**obj["lines"][2], "reason": 3}]
    with pytest.raises(R.RecordError, match=r"lines\[2\]\.reason"):
        R.check_record(obj, R.StrippedDocument)


def test_from_dict_ignores_unknown_keys_and_builds_nested_records():
    _, obj = _records()[0]
    plain = R.StrippedDocument.from_dict(obj)
    extra = R.StrippedDocument.from_dict({**obj, "added_later": 1, "lines": [{**obj["lines"][0], "x": 2}]})
    assert isinstance(plain.lines[0], R.Line) and extra.lines[0] == plain.lines[0]
    assert dataclasses.asdict(plain)["lines"][0] == {k: obj["lines"][0][k] for k in ("n", "text", "blank_before",
                                                                                   "reason", "hint")}
