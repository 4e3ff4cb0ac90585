"""Fifth round of byte-identical speedups (docs/performance.md): each fast form against the
definition it replaced, on the corpus texts and on random inputs (no timing asserted)."""
from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np

from topics import record_checks as RC
from topics import records as R
from topics.record_passes import _build, passes
from workers.core.labeller.arrays import smooth, stack
from workers.core.stages.enrich.quality import char_counts

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _texts() -> list[str]:
    return [json.loads(f.read_text(encoding="utf-8"))["input"]["content"] for f in sorted(CORPUS.glob("*/*.json"))]


def _random_texts(rnd: random.Random) -> list[str]:
    pools = ("abc XYZ 019 .,;!?#$€%", "äöüßéèçñ ÄÖÜÉ", "日本語のテキスト、。", "ا ب ت ث", "😀🎉𝔘𝔫", "\u00ad\u200b\t\n ")
    out = ["", " ", "\n", "\ud800", "a\udfffb", "\U0010ffff", "\uffff"]
    for _ in range(300):
        pool = "".join(rnd.sample(pools, rnd.randint(1, len(pools))))
        out.append("".join(rnd.choice(pool) for _ in range(rnd.randint(1, 400))))
    return out


def test_char_counts_equals_counter():
    texts = _texts() + _random_texts(random.Random(5))
    astral = 0
    for text in texts:
        got = char_counts(text)
        assert isinstance(got, Counter) and dict(got) == dict(Counter(text)), text[:80]
        astral += any(ord(c) >= 0x10000 for c in text)
    assert astral > 10 and len(texts) > 300  # both branches were taken
    long = "ab€" * (1 << 17)  # past SHARED_WORDS_FROM: counted by Counter itself
    assert dict(char_counts(long)) == dict(Counter(long))


def test_stack_equals_column_stack():
    rnd = np.random.default_rng(3)
    for n in (1, 2, 7, 250):
        cols = [rnd.random(n).astype(np.float32), rnd.random(n), rnd.integers(-5, 1 << 40, n),
                rnd.random(n) > 0.5, np.full(n, np.nan, dtype=np.float32), np.log1p(rnd.random(n) * 1e30)]
        for pick in ([0], [0, 3], [2, 3], [0, 1, 2, 3, 4, 5], [4, 0]):
            sel = [cols[i] for i in pick]
            want, got = np.column_stack(sel), stack(sel)
            assert got.dtype == want.dtype and got.shape == want.shape
            assert np.array_equal(got, want, equal_nan=True)
            # what the features do with it: a float32 matrix slice, and the moving averages
            X, Y = np.empty(want.shape, np.float32), np.empty(want.shape, np.float32)
            X[:], Y[:] = want, got
            assert X.tobytes() == Y.tobytes()
            assert smooth(got).tobytes() == smooth(want).tobytes()


def test_generated_record_checks_equal_the_closures():
    """The generated predicate of each record type against the closure-based one it replaced
    (``_build`` on the field types), on real records broken at random places."""
    rnd = random.Random(11)
    wrong = (None, 0, -1, 1.5, True, False, "", "x", [], [1], ["x"], {}, {"n": 1}, {"n": "1"})
    lines = [{"n": i, "text": t, "blank_before": 0, "reason": None, "hint": None}
             for i, t in enumerate(_texts()[0].split("\n")[:40])]
    objs = {R.Line: lines[0], R.StrippedDocument: {
        "id": "d", "url": None, "content_type": "text/plain", "fetched_at": None, "source": None, "site": "s",
        "lines": lines, "html_meta": {}, "model_version": "rules", "schema_version": 1}}
    for cls, obj in objs.items():
        fast = passes(cls)
        for _ in range(3000):
            bad = json.loads(json.dumps(obj))
            target = bad if cls is R.Line or rnd.random() < 0.5 else rnd.choice(bad["lines"])
            key = rnd.choice(sorted(target))
            if rnd.random() < 0.15:
                del target[key]
            else:
                target[key] = rnd.choice(wrong)
            slow = all(_slow_field_ok(cls, bad))
            assert fast(bad) is slow, (cls.__name__, key)


def _slow_field_ok(cls: type, obj: dict):
    """The rules of ``record_passes`` field by field through the per-type closures."""
    import dataclasses
    import typing

    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.name in obj:
            tp = hints[f.name]
            if typing.get_origin(tp) is list and dataclasses.is_dataclass(typing.get_args(tp)[0]):
                item = typing.get_args(tp)[0]
                yield isinstance(obj[f.name], list) and all(all(_slow_field_ok(item, x)) if isinstance(x, dict)
                                                            else False for x in obj[f.name])
            else:
                yield _build(tp)(obj[f.name])
        else:
            yield not required
    yield "id" not in obj or (isinstance(obj["id"], str) and bool(obj["id"]))


def test_check_record_messages_unchanged_on_broken_lines():
    """A record that fails still gets the full checks' message (the fast path only says no)."""
    obj = {"id": "d", "url": None, "content_type": "text/plain", "fetched_at": None, "source": None,
           "site": "s", "lines": [{"n": 0, "text": "a"}, {"n": "1", "text": "b"}]}
    try:
        RC.check_record(obj, R.StrippedDocument)
    except R.RecordError as exc:
        assert "lines[1].n" in str(exc)
    else:
        raise AssertionError("a string line number passed")
