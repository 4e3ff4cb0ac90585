"""Coverage-guided fuzzing (atheris/libFuzzer) of the stage entry points.

    .venv/bin/python tests/fuzz/fuzz_stages.py -max_total_time=300     # make fuzz
    .venv/bin/python tests/fuzz/fuzz_stages.py crash-<hash>            # replay a finding

One input drives one of: ``StageRunner.handle`` on raw bytes for each stage, a raw
document built from fuzzed text (plain or HTML-ish) run through all three stages, and
the stage functions of ``workers.core.stages``. A finding is any exception escaping
``handle``, any exception other than ``BadInput`` escaping a stage function, a reason
outside ``REASONS``, an output that does not decode as its topic's record, or two runs
of the same input giving different bytes.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import atheris  # noqa: E402

with atheris.instrument_imports(include=["workers", "topics"]):
    import orjson

    from topics import COMMENTS, DEAD_LETTER, ENRICHED, SEGMENTED, STRIPPED
    from topics.records import CommentRecord, DeadLetter, EnrichedDocument, SegmentedDocument, StrippedDocument
    from workers.core.errors import REASONS, BadInput
    from workers.core.runner import StageRunner
    from workers.settings import from_env
    from workers.core.stages import enrich_stage, segment_stage, strip_stage

SETTINGS = from_env(env={}, max_document_bytes=200_000, stage_timeout_s=2.0)
# Lazy imports and model loading happen once here, as a worker's warm-up does, not inside
# the first fuzzed record's time budget (that record would time out on the first run only).
StageRunner(SETTINGS, dedupe_window=0).warm_up()
DECODERS = {STRIPPED.name: StrippedDocument, SEGMENTED.name: SegmentedDocument, ENRICHED.name: EnrichedDocument,
            COMMENTS.name: CommentRecord, DEAD_LETTER.name: DeadLetter}
TAGS = ["<p>", "</p>", "<div>", "</div>", "<br>", "<h1>", "</h1>", "<a href='x'>", "</a>", "<script>", "</script>",
        "<!--", "-->", "<li>", "<ul>", "<table><tr><td>", "\n", "\n\n", "&amp;", "&#x0;", "<html>", "<body>"]


def _check(outcome, stage: str) -> list[tuple[str, str, bytes]]:
    if outcome.dead_letter is not None:
        assert outcome.dead_letter.reason in REASONS, outcome.dead_letter.reason
        assert outcome.dead_letter.stage == stage
    out = []
    for o in outcome.outputs:
        assert isinstance(o.key, str) and isinstance(o.value, bytes)
        rec = DECODERS[o.topic].from_dict(orjson.loads(o.value))
        if o.topic != DEAD_LETTER.name:
            ident = rec.document_id if o.topic == COMMENTS.name else rec.id
            assert o.key == ident, (o.topic, o.key, ident)
        out.append((o.topic, o.key, o.value))
    return out


def _flow(value: bytes) -> list:
    runner = StageRunner(SETTINGS, dedupe_window=0)
    seen = []
    stage, key, v, topic = "strip", None, value, "documents.raw"
    while True:
        outcome = runner.handle(stage, v, key=key, topic=topic, partition=0, offset=0)
        seen.extend(_check(outcome, stage))
        if outcome.dead_letter is not None or stage == "enrich":
            # dead letters carry a timestamp: compare without it
            return [(t, k, b if t != DEAD_LETTER.name else orjson.loads(b)["reason"].encode()) for t, k, b in seen]
        key, v = outcome.outputs[0].key, outcome.outputs[0].value
        stage, topic = {"strip": ("segment", STRIPPED.name), "segment": ("enrich", SEGMENTED.name)}[stage]


def _stage_fn(which: int, value: bytes) -> None:
    try:
        if which == 0:
            strip_stage(value, None, SETTINGS.max_document_bytes)
        elif which == 1:
            segment_stage(value)
        else:
            enrich_stage(value)
    except BadInput as exc:
        assert exc.reason in REASONS


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 4)
    if mode == 0:  # arbitrary bytes into a stage
        stage = ("strip", "segment", "enrich")[fdp.ConsumeIntInRange(0, 2)]
        value = fdp.ConsumeBytes(fdp.remaining_bytes())
        runner = StageRunner(SETTINGS, dedupe_window=0)
        _check(runner.handle(stage, value, key="k", topic="t", partition=0, offset=0), stage)
        return
    if mode == 1:  # arbitrary bytes into the pure stage functions
        which = fdp.ConsumeIntInRange(0, 2)
        _stage_fn(which, fdp.ConsumeBytes(fdp.remaining_bytes()))
        return
    # a well-formed raw document with fuzzed content through all stages, twice
    parts = []
    while fdp.remaining_bytes() > 0 and len(parts) < 200:
        if fdp.ConsumeBool():
            parts.append(TAGS[fdp.ConsumeIntInRange(0, len(TAGS) - 1)])
        else:
            parts.append(fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 40)))
    doc = {"id": "fuzz", "url": "https://fuzz.example/p", "content": "".join(parts)}
    if mode == 3:
        doc["content_type"] = "text/html"
    elif mode == 4:
        doc["content_type"] = "text/plain"
    value = orjson.dumps(doc)
    first = _flow(value)
    assert _flow(value) == first, "not deterministic"


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
