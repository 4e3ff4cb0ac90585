"""End to end on the real embedded broker: produce, consume the enriched and comment
topics, dead-letter a malformed record, and match the offline ``process`` mode."""
from __future__ import annotations

import orjson
import pytest

from tests.conftest import gold_cases
from workers.core.runner import process_values
from workers.settings import from_env

pytestmark = pytest.mark.broker


def _inputs() -> list[dict]:
    return [case["input"] for case in gold_cases()]


def test_all_stages_in_one_worker(kafka):
    inputs = _inputs()
    w = kafka.worker("all")
    assert w.wait_ready(60), "worker did not become ready"
    half = len(inputs) // 2
    kafka.produce_records(inputs[:half])
    kafka.produce([(None, b"{this is not json")])  # a bad record in the middle of the stream
    kafka.produce_records(inputs[half:])

    enriched = kafka.consume("documents.enriched", count=len(inputs), timeout=90)
    ids = [key for key, _, _ in enriched]
    assert sorted(ids) == sorted(i["id"] for i in inputs)
    for key, value, _ in enriched:
        assert value["id"] == key
        assert "__faust" not in value
        assert set(value) >= {"id", "url", "fetched_at", "content_type", "title", "body", "comments",
                              "removed", "metadata"}
        assert set(value["metadata"]) >= {"site_name", "domain", "language", "published_at"}

    expected_comments = sum(len(v["comments"]) for _, v, _ in enriched)
    assert expected_comments > 0
    comments = kafka.consume("comments.enriched", count=expected_comments, timeout=30)
    assert len(comments) == expected_comments
    by_doc = {k: v for k, v, _ in enriched}
    for key, value, _ in comments:
        assert value["document_id"] == key
        doc = by_doc[key]
        assert doc["comments"][value["index"]]["text"] == value["text"]
        assert doc["comments"][value["index"]]["author"] == value["author"]

    dead = kafka.consume("documents.dead-letter", count=1, timeout=30)
    assert len(dead) == 1
    _, dl, _ = dead[0]
    assert dl["stage"] == "strip"
    assert dl["reason"] == "invalid_json"
    assert dl["payload"] == "{this is not json"
    assert dl["source"]["topic"] == "documents.raw"
    assert isinstance(dl["source"]["offset"], int)

    # The worker's own counters agree with what went through.
    status, body = w.get("/metrics")
    assert status == 200
    text = body.decode()
    assert f'winnow_records_consumed_total{{stage="strip"}} {float(len(inputs) + 1)}' in text
    assert 'winnow_dead_letter_records_total{reason="invalid_json",stage="strip"} 1.0' in text


def test_process_mode_equals_kafka_path(kafka):
    inputs = _inputs()
    offline = {}
    for stage, outcome in process_values([orjson.dumps(i) for i in inputs], from_env()):
        assert stage == "enrich" and outcome.dead_letter is None
        offline[outcome.outputs[0].key] = outcome.outputs[0].value

    w = kafka.worker("all")
    assert w.wait_ready(60)
    kafka.produce_records(inputs)
    enriched = kafka.consume("documents.enriched", count=len(inputs), timeout=90)
    online = {key: orjson.dumps(value) for key, value, _ in enriched}
    assert set(online) == set(offline)
    for key in offline:
        # Same functions, same bytes between stages: byte-identical records.
        assert orjson.dumps(orjson.loads(offline[key])) == online[key], key


def test_one_process_per_stage(kafka):
    inputs = _inputs()[:6]
    workers = [kafka.worker(stage) for stage in ("strip", "segment", "enrich")]
    for w in workers:
        assert w.wait_ready(60), f"{w.stage} worker not ready"
    kafka.produce_records(inputs)
    enriched = kafka.consume("documents.enriched", count=len(inputs), timeout=90)
    assert sorted(k for k, _, _ in enriched) == sorted(i["id"] for i in inputs)
    # Each stage counted exactly its own records in its own process.
    for w in workers:
        text = w.get("/metrics")[1].decode()
        assert f'winnow_records_consumed_total{{stage="{w.stage}"}} {float(len(inputs))}' in text
