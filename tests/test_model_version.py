"""Which line labeller served a page is stamped into every record it leads to (stripped,
segmented, enriched ``metadata.model_version``, comment records) and said by the
worker's ``winnow_build_info``; records of schema version 1, which did not carry it,
still decode and flow through the stages (the field is null for them)."""
from __future__ import annotations

import json

import orjson
import pytest
from prometheus_client import generate_latest

from tests.conftest import gold_cases
from topics import COMMENTS, ENRICHED, SEGMENTED, STRIPPED, by_name
from topics import records as R
from topics import schemagen
from workers.core import metrics
from workers.core.flow import FLOW
from workers.core.labeller import model as LM
from workers.core.runner import StageRunner
from workers.core.stages.strip import labeller_version
from workers.settings import Settings

jsonschema = pytest.importorskip("jsonschema")

READS = {s.name: s.source.name for s in FLOW}
NEXT = {s.source.name: s.name for s in FLOW}
LABELLERS = ["rules", pytest.param("model", marks=pytest.mark.skipif(
    not LM.available(), reason="no trained model installed"))]


def _expected(labeller: str) -> str:
    return "rules" if labeller == "rules" else LM.committed_version()


def _seed_value() -> bytes:
    case = gold_cases()[0]  # the seed page: a body and 8 comments
    return orjson.dumps(case["input"])


def _walk(runner: StageRunner, stage: str, value: bytes, key: str | None = None) -> dict[str, list[dict]]:
    """Run ``value`` from ``stage`` to the end of the flow; every output by topic."""
    written: dict[str, list[dict]] = {}
    pending = [(stage, value, key)]
    while pending:
        stage, value, key = pending.pop()
        outcome = runner.handle(stage, value, key=key, topic=READS[stage], offset=0)
        assert outcome.dead_letter is None, outcome.dead_letter
        for out in outcome.outputs:
            written.setdefault(out.topic, []).append(orjson.loads(out.value))
            if out.topic in NEXT:
                pending.append((NEXT[out.topic], out.value, out.key))
    return written


def _schema_validator(topic: str, version: int):
    schema = json.loads(schemagen.schema_path(by_name(topic), version).read_text())
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("labeller", LABELLERS)
def test_every_record_says_which_labeller_served(labeller):
    want = _expected(labeller)
    assert labeller_version(labeller) == labeller_version(labeller.upper()) == want
    runner = StageRunner(Settings(labeller=labeller, stage_timeout_s=60.0), dedupe_window=0)
    out: dict[str, list[dict]] = {}
    for case in gold_cases():  # seed + text-dev: pages with and without comments
        for topic, recs in _walk(runner, "strip", orjson.dumps(case["input"])).items():
            out.setdefault(topic, []).extend(recs)
    n = len(gold_cases())
    assert [r["model_version"] for r in out[STRIPPED.name]] == [want] * n
    assert [r["model_version"] for r in out[SEGMENTED.name]] == [want] * n
    assert [r["metadata"]["model_version"] for r in out[ENRICHED.name]] == [want] * n
    assert {r["schema_version"] for r in out[ENRICHED.name]} == {schemagen.schema_version(R.EnrichedDocument)}
    comments = out[COMMENTS.name]
    assert len(comments) == sum(len(r["comments"]) for r in out[ENRICHED.name]) > 0
    assert {c["model_version"] for c in comments} == {want}


def _as_v1(record: dict, *paths: tuple[str, ...]) -> dict:
    """A record as a schema-v1 writer wrote it: no ``model_version`` (at each path),
    ``schema_version`` 1."""
    rec = json.loads(json.dumps(record))
    for path in paths:
        node = rec
        for p in path:
            node = node[p]
        del node["model_version"]
    rec["schema_version"] = 1
    return rec


def test_version_1_records_still_decode_and_flow():
    runner = StageRunner(Settings(stage_timeout_s=60.0), dedupe_window=0)
    current = _walk(runner, "strip", _seed_value())
    stripped_v1 = _as_v1(current[STRIPPED.name][0], ())
    assert list(_schema_validator(STRIPPED.name, 1).iter_errors(stripped_v1)) == []
    assert list(_schema_validator(STRIPPED.name, 2).iter_errors(stripped_v1)) != []  # v2 requires it

    doc = R.StrippedDocument.from_dict(stripped_v1)
    assert doc.model_version is None and doc.schema_version == 1

    # An in-flight v1 record read by the new stages: processed, the stamp is null.
    later = _walk(runner, "segment", orjson.dumps(stripped_v1), key=stripped_v1["id"])
    (segmented,) = later[SEGMENTED.name]
    (enriched,) = later[ENRICHED.name]
    assert segmented["model_version"] is None and segmented["schema_version"] == 2
    assert enriched["metadata"]["model_version"] is None
    assert {c["model_version"] for c in later[COMMENTS.name]} == {None}
    for topic, recs in later.items():
        check = _schema_validator(topic, schemagen.schema_version(by_name(topic).record))
        for rec in recs:
            assert list(check.iter_errors(rec)) == [], topic
    # Everything but the stamp is what the v2 path wrote.
    same = current[ENRICHED.name][0]
    same["metadata"]["model_version"] = None
    assert enriched == same

    enriched_v1 = _as_v1(current[ENRICHED.name][0], ("metadata",))
    assert list(_schema_validator(ENRICHED.name, 1).iter_errors(enriched_v1)) == []
    rec = R.EnrichedDocument.from_dict(enriched_v1)
    assert rec.schema_version == 1 and rec.metadata.model_version is None
    assert rec.metadata.word_count == enriched_v1["metadata"]["word_count"] > 0
    comment_v1 = _as_v1(current[COMMENTS.name][0], ())
    assert R.CommentRecord.from_dict(comment_v1).model_version is None


@pytest.mark.parametrize("labeller", [*LABELLERS, "RULES"])
def test_build_info_says_the_configured_labeller(labeller):
    metrics.init_labels(labeller=labeller)
    text = generate_latest(metrics.R).decode()
    info = [ln for ln in text.splitlines() if ln.startswith("winnow_build_info{")]
    assert len(info) == 1 and f'model_version="{_expected(labeller.lower())}"' in info[0], info


@pytest.mark.broker
@pytest.mark.skipif(not LM.available(), reason="no trained model installed")
def test_a_worker_with_the_model_stamps_its_version(kafka):
    w = kafka.worker("all", WINNOW_LABELLER="model")
    assert w.wait_ready(90), "worker did not become ready"
    inputs = [case["input"] for case in gold_cases()[:2]]
    kafka.produce_records(inputs)
    enriched = kafka.consume(ENRICHED.name, count=len(inputs), timeout=120)
    assert sorted(k for k, _, _ in enriched) == sorted(i["id"] for i in inputs)
    version = LM.committed_version()
    assert {v["metadata"]["model_version"] for _, v, _ in enriched} == {version}
    text = w.get("/metrics")[1].decode()
    assert f'model_version="{version}"' in text


@pytest.mark.skipif(not LM.available(), reason="no trained model installed")
def test_auto_default_labels_html_and_text_with_the_model():
    """WINNOW_LABELLER=auto (the default): the trained labeller serves HTML input and plain
    text; each record says which one served it."""
    assert Settings().labeller == "auto"
    runner = StageRunner(Settings(stage_timeout_s=60.0), dedupe_window=0)
    html = {"id": "auto-html", "url": "https://news.example.org/a", "content_type": "text/html",
            "content": "<html><head><title>Floods</title></head><body><nav>Home | News</nav><article>"
                       "<h1>Floods</h1><p>" + "The river rose again this spring, and the town met. " * 8
                       + "</p></article></body></html>"}
    stamps = {}
    for value in (html, gold_cases()[0]["input"]):
        out = _walk(runner, "strip", orjson.dumps(value))
        stamps[value.get("content_type") or "text/plain"] = out[ENRICHED.name][0]["metadata"]["model_version"]
    assert stamps == {"text/html": LM.committed_version(), "text/plain": LM.committed_version()}
    assert labeller_version("auto") == LM.committed_version()


def test_package_version_matches_pyproject():
    """``winnow_build_info{version}`` reports ``workers.version.__version__``; it must be the
    version the package is installed as (``pyproject.toml``), or the metric lies."""
    import tomllib
    from pathlib import Path

    import workers
    from workers.version import __version__

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert __version__ == pyproject["project"]["version"]
    assert workers.__version__ == __version__
