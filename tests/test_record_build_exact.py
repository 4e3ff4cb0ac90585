"""Reading records back and counting printed dates give their former answers
(docs/performance.md, "Sixteenth round"): each against the definition it replaced, on the
records of corpus pages and on random objects."""
from __future__ import annotations

import copy
import random

import orjson

from tests.conftest import gold_cases
from topics import records as T
from workers.core.stages import printed_times as P


def _former_from_dict(cls: type, data: dict):
    """``from_dict`` before the positional build (topics/records.py at 066c8c0)."""
    names = cls._field_names()
    rec = cls(**data) if names.issuperset(data) else cls(**{k: v for k, v in data.items() if k in names})
    for name, build in _former_nested(cls).items():
        setattr(rec, name, build(getattr(rec, name)))
    return rec


def _former_nested(cls: type) -> dict:
    out = {}
    for name in T._nested(cls):
        tp = cls.__dataclass_fields__[name].type
        item = _item_class(cls, name)
        if tp.startswith("list["):
            if T._nested(item):
                out[name] = lambda v, r=item: [_former_from_dict(r, x) if isinstance(x, dict) else x for x in v]
            else:
                out[name] = lambda v, r=item: [(r(**x) if r._field_names().issuperset(x) else _former_from_dict(r, x))
                                               if isinstance(x, dict) else x for x in v]
        else:
            out[name] = lambda v, r=item: _former_from_dict(r, v) if isinstance(v, dict) else v
    return out


def _item_class(cls: type, name: str) -> type:
    tp = cls.__dataclass_fields__[name].type
    word = tp.replace("list[", "").replace("]", "").replace(" | None", "").strip()
    return getattr(T, word)


def _outcome(fn, *args):
    try:
        return ("ok", repr(fn(*args)), type(fn(*args)))
    except Exception as exc:  # noqa: BLE001 - the same error is part of the answer
        return ("error", type(exc), str(exc))


def _corpus_objects() -> list[tuple[type, dict]]:
    from workers.core.runner import StageRunner
    from workers.settings import from_env, with_overrides

    runner = StageRunner(with_overrides(from_env(), labeller="rules"), dedupe_window=0)
    kinds = {"documents.stripped": T.StrippedDocument, "documents.segmented": T.SegmentedDocument,
             "documents.enriched": T.EnrichedDocument, "comments.enriched": T.CommentRecord}
    out = []
    for case in gold_cases()[:12]:
        value = orjson.dumps(case["input"])
        key, topic = None, "documents.raw"
        for stage in ("strip", "segment", "enrich"):
            o = runner.handle(stage, value, key=key, topic=topic, offset=0)
            for x in o.outputs:
                if x.topic in kinds:
                    out.append((kinds[x.topic], orjson.loads(x.value)))
            if not o.outputs:
                break
            key, value, topic = o.outputs[0].key, o.outputs[0].value, o.outputs[0].topic
    return out


def _mutations(rng: random.Random, obj: dict) -> list[dict]:
    """Objects near a record: a list item with a key dropped, an unknown key added, a key
    renamed (same count), a value of another type, an item that is not an object."""
    out = []
    for name, v in obj.items():
        if isinstance(v, list) and v and isinstance(v[0], dict):
            for change in ("drop", "add", "rename", "swap", "scalar"):
                o = copy.deepcopy(obj)
                item = o[name][rng.randrange(len(o[name]))]
                key = rng.choice(sorted(item))
                if change == "drop":
                    del item[key]
                elif change == "add":
                    item["extra"] = 1
                elif change == "rename":
                    item["extra"] = item.pop(key)
                elif change == "swap":
                    item[key] = rng.choice([None, "x", 3, [], {}])
                else:
                    o[name][0] = rng.choice([None, "x", 3, []])
                out.append(o)
    return out


def test_from_dict_builds_the_former_records():
    rng = random.Random(16)
    objects = _corpus_objects()
    assert {cls for cls, _ in objects} >= {T.StrippedDocument, T.SegmentedDocument, T.EnrichedDocument}
    checked = 0
    for cls, obj in objects:
        for o in [obj, *_mutations(rng, obj)]:
            assert _outcome(cls.from_dict, o) == _outcome(_former_from_dict, cls, o)
            checked += 1
    assert checked > 100


def test_list_builder_on_random_items():
    rng = random.Random(161)
    keys = ["n", "text", "blank_before", "reason", "hint", "index", "author", "posted_at", "posted_text",
            "reply_to", "topic", "partition", "offset", "extra"]
    values = [0, 3, "a", "", None, [], {}, 1.5, True]
    for cls in (T.Line, T.Removed, T.Comment, T.SourcePosition):
        build = T._list_builder(cls)
        for _ in range(3000):
            items = []
            for _ in range(rng.randrange(0, 5)):
                if rng.random() < 0.1:
                    items.append(rng.choice(values))
                    continue
                names = list(cls._field_names()) if rng.random() < 0.6 else rng.sample(keys, rng.randrange(0, 7))
                if rng.random() < 0.3:
                    names = names[:-1] + [rng.choice(keys)]
                rng.shuffle(names)
                items.append({k: rng.choice(values) for k in names})
            former = _outcome(lambda v: [(cls(**x) if cls._field_names().issuperset(x) else _former_from_dict(cls, x))
                                         if isinstance(x, dict) else x for x in v], items)
            assert _outcome(build, items) == former, items


def test_printed_dates_counted_as_before():
    rng = random.Random(162)
    texts = []
    for case in gold_cases():
        lines = case["input"]["content"].splitlines()
        texts += ["\n".join(lines[i:i + 40]) for i in range(0, len(lines), 40)]
    parts = ["12 March 2024", "March 3, 2021", "3.4.2019", "2020-01-02", " at 10:30", "1st Jan 2000",
             "é", "日本", "😀", "\n", " ", "x", "12", "/", "-", "\ud800"]
    texts += ["".join(rng.choice(parts) for _ in range(rng.randrange(0, 30))) for _ in range(3000)]
    former = lambda t: sum(1 for _ in P._PRINTED_DATE.finditer(t))  # noqa: E731
    assert sum(former(t) for t in texts if "\ud800" not in t) > 100
    for t in texts:
        assert _outcome(P.count_printed_dates, t) == _outcome(former, t), t
