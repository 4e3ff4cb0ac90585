"""The published record contracts (topics/schemas/, JSON Schema draft 2020-12):
generated from topics/records.py and committed; a record change without a
schema_version bump fails; versions only add fields; and every record the pipeline
writes, on every corpus and on bad input, validates against its topic's schema."""
from __future__ import annotations

import copy
import dataclasses
import gzip
import itertools
import json
from pathlib import Path

import orjson
import pytest

jsonschema = pytest.importorskip("jsonschema")

from topics import DEAD_LETTER, ENRICHED, RAW, TopicSpec, by_name  # noqa: E402
from topics import records as R  # noqa: E402
from topics import schemagen  # noqa: E402
from workers.core.flow import FLOW  # noqa: E402
from workers.core.runner import StageRunner  # noqa: E402
from workers.settings import Settings  # noqa: E402

from tests.conftest import CORPUS, gold_cases  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "workers" / "samples"
READS = {s.name: s.source.name for s in FLOW}
HTML_PAGES_PER_FILE = 12  # a sample of each html-dev file: every corpus, a few seconds in all


def strict(schema: dict) -> dict:
    """The schema with ``additionalProperties: false`` on every object that lists its
    properties: a record carrying a field the schema does not describe then fails."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node.setdefault("additionalProperties", False)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return schema


def validator(topic: str, strict_mode: bool = True):
    spec = by_name(topic)
    schema = json.loads(schemagen.schema_path(spec).read_text())
    return jsonschema.Draft202012Validator(strict(schema) if strict_mode else schema)


# --- the committed files are the generator's output ----------------------------------


def test_committed_schemas_match_the_records():
    assert schemagen.problems() == []


def test_every_published_topic_has_a_valid_2020_12_schema():
    topics = schemagen.published_topics()
    assert {t.name for t in topics} >= {RAW.name, ENRICHED.name, DEAD_LETTER.name, "comments.enriched"}
    for t in topics:
        schema = json.loads(schemagen.schema_path(t).read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["x-winnow-schema-version"] == schemagen.schema_version(t.record)
        assert {f.name for f in dataclasses.fields(t.record)} == set(schema["properties"])


def test_only_the_raw_input_has_optional_fields():
    raw = json.loads(schemagen.schema_path(RAW).read_text())
    assert raw["required"] == ["content"]
    enriched = json.loads(schemagen.schema_path(ENRICHED).read_text())
    assert set(enriched["required"]) == set(enriched["properties"])


# --- a change without a version bump fails; versions are additive ----------------------


def _changed_topic(version: int, *, add: bool = True, drop: str | None = None) -> TopicSpec:
    """documents.enriched with its record changed: a field added (or one dropped)."""
    base = [(f.name, f.type, f) for f in dataclasses.fields(R.EnrichedDocument)
            if f.name not in ("schema_version", drop)]
    extra = [("page_kind", "str | None", dataclasses.field(default=None))] if add else []
    cls = dataclasses.make_dataclass(
        "EnrichedDocument", [*base, *extra, ("schema_version", int, dataclasses.field(default=version))],
        namespace={"__module__": R.__name__, "__doc__": R.EnrichedDocument.__doc__})
    return dataclasses.replace(ENRICHED, record=cls)


def test_a_record_change_without_a_version_bump_is_refused(tmp_path):
    schemagen.write(tmp_path)
    assert schemagen.problems(tmp_path) == []
    v = schemagen.schema_version(R.EnrichedDocument)
    changed = [_changed_topic(v) if t.name == ENRICHED.name else t for t in schemagen.published_topics()]
    found = schemagen.problems(tmp_path, changed)
    assert len(found) == 1 and "bump EnrichedDocument.schema_version" in found[0]
    with pytest.raises(SystemExit, match="bump EnrichedDocument.schema_version"):
        schemagen.write(tmp_path, changed)


def test_a_docstring_change_needs_no_bump_and_refreshes_the_descriptions(tmp_path):
    schemagen.write(tmp_path)
    v = schemagen.schema_version(R.EnrichedDocument)
    base = _changed_topic(v, add=False)
    redoc = dataclasses.replace(base, record=type("EnrichedDocument", (base.record,), {
        "__doc__": "The clean record, described anew.", "__module__": R.__name__}))
    redoc = dataclasses.replace(redoc, record=dataclasses.dataclass(redoc.record))
    topics = [redoc if t.name == ENRICHED.name else t for t in schemagen.published_topics()]
    found = schemagen.problems(tmp_path, topics)
    assert len(found) == 1 and "descriptions are stale" in found[0]
    assert schemagen.write(tmp_path, topics) == [tmp_path / f"documents.enriched.v{v}.json"]
    assert schemagen.problems(tmp_path, topics) == []
    assert "described anew" in (tmp_path / f"documents.enriched.v{v}.json").read_text()


def test_a_bumped_additive_change_is_accepted_and_keeps_the_old_version(tmp_path):
    schemagen.write(tmp_path)
    v = schemagen.schema_version(R.EnrichedDocument)
    bumped = [_changed_topic(v + 1) if t.name == ENRICHED.name else t for t in schemagen.published_topics()]
    written = schemagen.write(tmp_path, bumped)
    assert tmp_path / f"documents.enriched.v{v + 1}.json" in written
    assert (tmp_path / f"documents.enriched.v{v}.json").exists()
    assert schemagen.problems(tmp_path, bumped) == []
    new = json.loads((tmp_path / f"documents.enriched.v{v + 1}.json").read_text())
    assert new["properties"]["page_kind"] == {"type": ["string", "null"]}


def test_a_removed_field_is_reported_even_with_a_bump(tmp_path):
    schemagen.write(tmp_path)
    v = schemagen.schema_version(R.EnrichedDocument)
    broken = [_changed_topic(v + 1, add=False, drop="title") if t.name == ENRICHED.name else t
              for t in schemagen.published_topics()]
    schemagen.write(tmp_path, broken)
    assert schemagen.problems(tmp_path, broken) == [
        f"documents.enriched v{v} -> v{v + 1}: EnrichedDocument.title: removed"]


def test_incompatibilities_sees_type_changes_in_nested_records():
    old = json.loads(schemagen.schema_path(ENRICHED).read_text())
    new = copy.deepcopy(old)
    new["$defs"]["Comment"]["properties"]["reply_to"] = {"type": "string"}
    new["$defs"]["Metadata"]["required"].remove("word_count")
    found = schemagen.incompatibilities(old, new)
    assert any("comments[].reply_to: type changed" in p for p in found)
    assert any("metadata.word_count: no longer always present" in p for p in found)


# --- every record the pipeline writes validates ------------------------------------------


def _corpus_inputs() -> list[tuple[str, bytes]]:
    """(corpus name, raw value): seed + text-dev gold inputs, a sample of every html-dev
    file (as text/html), the built-in samples, and the flattened html pages as text."""
    out = [("gold", orjson.dumps(case["input"])) for case in gold_cases()]
    html_dir = CORPUS / "html-dev"
    for path in sorted(html_dir.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in itertools.islice(fh, HTML_PAGES_PER_FILE):
                page = json.loads(line)
                out.append((path.name, orjson.dumps({"id": page["id"], "url": page.get("url"),
                                                     "content_type": "text/html", "content": page["html"]})))
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix == ".txt":
            out.append(("samples", orjson.dumps({"id": path.stem, "content_type": "text/plain",
                                                 "content": path.read_text()})))
        elif path.suffix == ".json":
            out.append(("samples", path.read_bytes()))
    return out


BAD_INPUTS = [b"not json", b"[1, 2]", b'{"id": "x"}', b'{"content": 5}', b'{"content": "   "}',
              b'{"content": "a", "content_type": "application/pdf"}', b"\xff\xfe\x00binary"]


def test_every_record_the_pipeline_writes_validates():
    inputs = _corpus_inputs()
    assert {name for name, _ in inputs} >= {"gold", "samples"}
    # a generous time budget: this checks the records' shape, not speed (a loaded machine
    # would otherwise dead-letter big HTML pages as timeouts)
    runner = StageRunner(Settings(stage_timeout_s=60.0), dedupe_window=0)
    validators = {t.name: validator(t.name) for t in schemagen.published_topics()}
    raw_check = validators[RAW.name]
    written: dict[str, int] = {}
    for i, (name, value) in enumerate([*inputs, *(("bad", b) for b in BAD_INPUTS)]):
        if name != "bad":
            errors = list(raw_check.iter_errors(orjson.loads(value)))
            assert not errors, f"{name} input {i}: {errors[0].message}"
        pending = [("strip", value, None)]
        while pending:
            stage, val, key = pending.pop()
            outcome = runner.handle(stage, val, key=key, topic=READS[stage], offset=i)
            if name != "bad":
                assert outcome.dead_letter is None, (name, i, outcome.dead_letter)
            for out in outcome.outputs:
                record = orjson.loads(out.value)
                errors = sorted(validators[out.topic].iter_errors(record), key=lambda e: e.path)
                assert not errors, f"{name} #{i} {out.topic}: {errors[0].json_path}: {errors[0].message}"
                written[out.topic] = written.get(out.topic, 0) + 1
                nxt = [s.name for s in FLOW if s.source.name == out.topic]
                pending.extend((s, out.value, out.key) for s in nxt)
    # every published output topic was exercised, dead letters included
    assert set(written) == {t.name for t in schemagen.published_topics()} - {RAW.name}
    assert written[DEAD_LETTER.name] >= len(BAD_INPUTS)
    assert written[ENRICHED.name] == len(inputs)


def test_a_record_that_breaks_the_contract_fails_validation():
    check = validator(ENRICHED.name)
    good = orjson.loads(orjson.dumps(R.EnrichedDocument(
        id="d", url=None, fetched_at=None, content_type="text/plain", source=None, title=None, body="b",
        comments=[R.Comment(index=0, text="c")], removed=[],
        metadata=R.Metadata(site_name=None, domain=None, language="en", published_at=None))))
    assert list(check.iter_errors(good)) == []
    for path, bad in ((("metadata", "word_count"), "12"), (("comments", 0, "index"), None), (("surprise",), 1)):
        rec = copy.deepcopy(good)
        node = rec
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = bad
        assert list(check.iter_errors(rec)), f"{path} = {bad!r} passed"
    rec = copy.deepcopy(good)
    del rec["body"]
    assert list(check.iter_errors(rec))
