"""``topics.record_json.dumps`` writes the bytes ``orjson.dumps`` writes for a record (or raises
the same error): every stage's records of corpus pages, and records holding odd values."""
from __future__ import annotations

import dataclasses
import random

import orjson

from tests.conftest import gold_cases
from topics import records as T
from topics.record_json import _CONVERTERS, dumps


def _outcome(fn, value):
    try:
        return ("ok", fn(value))
    except Exception as exc:  # noqa: BLE001 - the same error is part of the answer
        return ("error", type(exc), str(exc))


def _stage_records() -> list:
    from workers.core.runner import StageRunner
    from workers.core.stages import decode_record
    from workers.settings import from_env, with_overrides
    from topics import by_name

    runner = StageRunner(with_overrides(from_env(), labeller="auto"), dedupe_window=0)
    out = []
    for case in gold_cases()[:15]:
        value, key, topic = orjson.dumps(case["input"]), None, "documents.raw"
        for stage in ("strip", "segment", "enrich"):
            o = runner.handle(stage, value, key=key, topic=topic, offset=0)
            for x in o.outputs:
                spec = by_name(x.topic)
                out.append(decode_record(x.value, spec) if x.topic != "documents.dead-letter"
                           else T.DeadLetter.from_dict(orjson.loads(x.value)))
            if not o.outputs or o.dead_letter is not None:
                break
            key, value, topic = o.outputs[0].key, o.outputs[0].value, o.outputs[0].topic
    return out


def test_every_record_type_has_a_converter():
    classes = {c for c in vars(T).values() if isinstance(c, type) and issubclass(c, T._Record)
               and dataclasses.is_dataclass(c)}
    assert set(_CONVERTERS) == classes


def test_stage_records_written_as_orjson_writes_them():
    recs = _stage_records()
    assert {type(r) for r in recs} >= {T.StrippedDocument, T.SegmentedDocument, T.EnrichedDocument, T.CommentRecord}
    for r in recs:
        assert dumps(r) == orjson.dumps(r)


class _LineSub(T.Line):
    pass


def test_odd_values_written_as_orjson_writes_them():
    rng = random.Random(163)
    odd = [None, 0, -1, 2**70, 1.5, float("nan"), True, "", "é😀", "\ud800", [], {}, (1, 2), {"a": T.Line(1, "x")},
           T.Line(2, "y"), _LineSub(3, "z"), T.Removed(1, "r", "x"), {"n": 1}, [T.Line(4, "w")]]
    line = lambda: T.Line(rng.choice([0, 1, 5]), rng.choice(["a", "\ud800", "b c"]),  # noqa: E731
                          rng.choice([0, 2]), rng.choice([None, "x"]), rng.choice([None, "h"]))
    for _ in range(3000):
        lines = [line() if rng.random() < 0.7 else rng.choice(odd) for _ in range(rng.randrange(0, 5))]
        doc = T.StrippedDocument(id=rng.choice(["d", "", "\ud800"]), url=rng.choice([None, "u", 3]), content_type="text/plain",
                                 fetched_at=None, source=None, site="s",
                                 lines=rng.choice([lines, tuple(lines), rng.choice(odd)]),
                                 html_meta=rng.choice([{}, {"t": T.Line(1, "q")}, rng.choice(odd)]))
        assert _outcome(dumps, doc) == _outcome(orjson.dumps, doc)
        meta = T.Metadata(site_name=rng.choice(odd), domain=None, language="en", published_at=None,
                          quality=rng.choice([{}, rng.choice(odd)]))
        enriched = T.EnrichedDocument(id="e", url=None, fetched_at=None, content_type="text/html", source=None,
                                      title=rng.choice(odd), body="b",
                                      comments=rng.choice([[T.Comment(0, "c", rng.choice(odd))], rng.choice(odd)]),
                                      removed=[T.Removed(1, "r", "x"), rng.choice(odd)],
                                      metadata=rng.choice([meta, rng.choice(odd)]))
        assert _outcome(dumps, enriched) == _outcome(orjson.dumps, enriched)
        dl = T.DeadLetter(stage="s", reason="r", error="e", source=rng.choice([T.SourcePosition("t", 0, 1), rng.choice(odd)]),
                          payload=rng.choice(["p", "\ud800"]), payload_encoding="utf-8")
        assert _outcome(dumps, dl) == _outcome(orjson.dumps, dl)
    for value in odd:
        assert _outcome(dumps, value) == _outcome(orjson.dumps, value)
