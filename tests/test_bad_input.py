"""Bad input never stops a stage: every kind of bad record goes to
``documents.dead-letter`` with the original payload, the stage, a reason from the
fixed set, the error text and the source position, and the records after it keep
flowing. Unit level through ``StageRunner.handle`` (fast, no broker), then on the
real embedded broker."""
from __future__ import annotations

import asyncio
import base64
import re
import time
from datetime import datetime
from pathlib import Path

import orjson
import pytest

from topics.records import DeadLetter
from workers.core.errors import REASONS
from workers.core.runner import StageRunner
from workers.settings import Settings, from_env

REPO = Path(__file__).resolve().parents[1]
SMALL_LIMIT = 20_000  # WINNOW_MAX_DOCUMENT_BYTES in these tests


def good(i: int, site: str = "example.org") -> dict:
    return {"id": f"good-{i}", "url": f"https://{site}/story/{i}",
            "content": f"Headline number {i}\n\nA paragraph of ordinary text about thing {i}.\n"}


# (name, raw value, expected reason): each is a record on documents.raw.
BAD_RAW: list[tuple[str, bytes, str]] = [
    ("invalid-json", b'{"id": "x1", "content": "unterminated', "invalid_json"),
    ("not-an-object", b'["content", "a list"]', "not_an_object"),
    ("json-string", b'"just a string"', "not_an_object"),
    ("missing-content", orjson.dumps({"id": "x2", "url": "https://a.example/"}), "missing_content"),
    ("wrong-type-content", orjson.dumps({"id": "x3", "content": {"html": "<p>hi</p>"}}), "wrong_type"),
    ("wrong-type-url", orjson.dumps({"id": "x4", "content": "hello", "url": 17}), "wrong_type"),
    ("binary-junk", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80", "invalid_utf8"),
    ("latin1", '{"id": "x5", "content": "caf\xe9"}'.encode("latin-1"), "invalid_utf8"),
    ("empty-document", orjson.dumps({"id": "x6", "content": ""}), "empty_document"),
    ("whitespace-document", orjson.dumps({"id": "x7", "content": " \n\t \n"}), "empty_document"),
    ("too-large", orjson.dumps({"id": "x8", "content": "word " * (SMALL_LIMIT // 4)}), "too_large"),
    ("unsupported-content-type", orjson.dumps({"id": "x9", "content": "%PDF-1.7 ...",
                                               "content_type": "application/pdf"}), "unsupported_content_type"),
]

# Values produced straight to documents.stripped (not records of that topic).
BAD_STRIPPED: list[tuple[str, bytes, str]] = [
    ("stripped-not-a-record", orjson.dumps({"hello": "world"}), "invalid_record"),
    ("stripped-wrong-types", orjson.dumps({"id": "s2", "url": None, "content_type": "text/plain",
                                           "fetched_at": None, "source": None, "site": "x",
                                           "lines": [1, 2, 3]}), "invalid_record"),
    ("stripped-raw-doc", orjson.dumps({"id": "s3", "content": "a raw document on the wrong topic"}),
     "invalid_record"),
    ("stripped-junk", b"\xff\xfe\x00garbage", "invalid_record"),
    ("stripped-not-json", b"{garbage", "invalid_record"),
]


def _settings(**kw) -> Settings:
    return from_env(env={}, **kw)


def _payload(dl: dict | DeadLetter) -> bytes:
    d = dl if isinstance(dl, dict) else orjson.loads(orjson.dumps(dl))
    if d["payload_encoding"] == "base64":
        return base64.b64decode(d["payload"])
    assert d["payload_encoding"] == "utf-8"
    return d["payload"].encode("utf-8")


def check_dead_letter(d: dict, *, stage: str, reason: str, value: bytes, topic: str, partition, offset) -> None:
    """Exactly the documented dead-letter record."""
    assert set(d) == {"stage", "reason", "error", "source", "payload", "payload_encoding", "document_id",
                      "key", "failed_at", "schema_version"}, sorted(d)
    assert d["stage"] == stage
    assert d["reason"] == reason and reason in REASONS
    assert isinstance(d["error"], str) and d["error"].strip()
    assert d["source"] == {"topic": topic, "partition": partition, "offset": offset}
    assert _payload(d) == value
    try:
        value.decode("utf-8")
        assert d["payload_encoding"] == "utf-8"
    except UnicodeDecodeError:
        assert d["payload_encoding"] == "base64"
    datetime.fromisoformat(d["failed_at"].replace("Z", "+00:00"))
    assert d["document_id"] is None or isinstance(d["document_id"], str)
    DeadLetter.from_dict(d)  # decodable by the record type


# --- unit level: StageRunner.handle ----------------------------------------------


@pytest.mark.parametrize("name,value,reason", BAD_RAW, ids=[c[0] for c in BAD_RAW])
def test_handle_dead_letters_bad_raw(name, value, reason):
    runner = StageRunner(_settings(max_document_bytes=SMALL_LIMIT))
    out = runner.handle("strip", value, topic="documents.raw", partition=2, offset=41)
    assert out.dead_letter is not None, name
    assert len(out.outputs) == 1 and out.outputs[0].topic == "documents.dead-letter"
    d = orjson.loads(out.outputs[0].value)
    check_dead_letter(d, stage="strip", reason=reason, value=value, topic="documents.raw", partition=2, offset=41)
    # the next record still goes through the same runner
    ok = runner.handle("strip", orjson.dumps(good(1)), topic="documents.raw", partition=2, offset=42)
    assert ok.dead_letter is None and ok.outputs[0].topic == "documents.stripped"


@pytest.mark.parametrize("name,value,reason", BAD_STRIPPED, ids=[c[0] for c in BAD_STRIPPED])
def test_handle_dead_letters_bad_intermediate(name, value, reason):
    runner = StageRunner(_settings())
    out = runner.handle("segment", value, key=b"some-id", topic="documents.stripped", partition=0, offset=7)
    assert out.dead_letter is not None
    d = orjson.loads(out.outputs[0].value)
    check_dead_letter(d, stage="segment", reason=reason, value=value, topic="documents.stripped",
                      partition=0, offset=7)
    assert d["key"] == "some-id" and d["document_id"] == "some-id"


def test_handle_dead_letters_bad_segmented():
    runner = StageRunner(_settings())
    value = orjson.dumps({"id": "e1", "title": 5})
    out = runner.handle("enrich", value, key="e1", topic="documents.segmented", partition=1, offset=0)
    d = orjson.loads(out.outputs[0].value)
    check_dead_letter(d, stage="enrich", reason="invalid_record", value=value, topic="documents.segmented",
                      partition=1, offset=0)


def test_dead_letter_of_utf8_payload_is_verbatim_and_binary_is_base64():
    runner = StageRunner(_settings())
    out = runner.handle("strip", b"{nope", topic="documents.raw", partition=0, offset=0)
    assert out.dead_letter.payload == "{nope" and out.dead_letter.payload_encoding == "utf-8"
    out = runner.handle("strip", b"\xff\x00", topic="documents.raw", partition=0, offset=1)
    assert out.dead_letter.payload == base64.b64encode(b"\xff\x00").decode()
    assert out.dead_letter.payload_encoding == "base64"


def test_output_over_topic_limit_is_dead_lettered_not_sent():
    """Many tiny lines make the stripped record far larger than the input (each line
    becomes an object); over the topic's max.message.bytes it could never be sent, so
    it is dead-lettered as too_large instead of crashing the worker at publish time."""
    s = _settings(max_message_bytes=50_000)
    runner = StageRunner(s)
    value = orjson.dumps({"id": "lines", "content": "ab\n" * 5_000})  # 15 kB in, ~350 kB out
    out = runner.handle("strip", value, topic="documents.raw", partition=0, offset=3)
    assert out.dead_letter is not None and out.dead_letter.reason == "too_large"
    assert "documents.stripped" in out.dead_letter.error
    assert _payload(out.dead_letter) == value


def test_dead_letter_payload_is_capped_to_its_topic_limit():
    s = _settings(max_message_bytes=100_000)
    runner = StageRunner(s)
    value = b"\xff" * 1_200_000  # base64 1.6 MB, over the dead-letter limit (2 x 100 kB + 1 MiB)
    out = runner.handle("strip", value, topic="documents.raw", partition=0, offset=0)
    assert out.dead_letter.reason == "invalid_utf8"
    from topics import DEAD_LETTER

    assert len(out.outputs[0].value) <= DEAD_LETTER.max_message_bytes(s.max_message_bytes)


def test_default_document_limit_is_documented():
    default = Settings().max_document_bytes
    text = (REPO / "docs" / "reliability.md").read_text()
    assert "WINNOW_MAX_DOCUMENT_BYTES" in text
    assert str(default) in text or f"{default:,}" in text


# --- time budget -------------------------------------------------------------------


def _pathological() -> list[tuple[str, bytes]]:
    five_mb_line = "x" * (5 * 1024 * 1024)
    nested = "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>"
    # inputs shaped to blow up backtracking regexes: long runs without the expected
    # terminator, nested quantifier bait, endless "a a a ... !" and open tags / dates
    evil_regex = ("a" * 30_000 + "!\n" + "Posted by " + "x " * 20_000 + "\n" + "1" * 30_000 + "-" + "\n"
                  + ("<a " * 10_000) + "\n" + ("Read more " * 5_000) + "?" + "\n" + "=" * 50_000)
    return [
        ("5mb-single-line", orjson.dumps({"id": "p1", "content": five_mb_line, "content_type": "text/plain"})),
        ("5mb-single-line-html", orjson.dumps({"id": "p2", "content": "<p>" + five_mb_line[:-10] + "</p>",
                                               "content_type": "text/html"})),
        ("100k-nested-div", orjson.dumps({"id": "p3", "content": nested})),
        ("regex-bait-text", orjson.dumps({"id": "p4", "content": evil_regex, "content_type": "text/plain"})),
        ("regex-bait-html", orjson.dumps({"id": "p5", "content": "<html><body><p>" + evil_regex + "</p>",
                                          "content_type": "text/html"})),
    ]


PATHOLOGICAL = _pathological()
# A page that takes well over a tiny budget on any machine: a million open <div>s (5 MB,
# under the document limit) take about a second to flatten even on the fast HTML path,
# where the 100k-div page above takes ~0.1 s.
SLOW_NESTED = orjson.dumps({"id": "p3-slow", "content": "<html><body>" + "<div>" * 1_000_000 + "deep"})


@pytest.mark.parametrize("name,value", PATHOLOGICAL, ids=[c[0] for c in PATHOLOGICAL])
def test_pathological_inputs_finish_within_default_budget(name, value):
    """With the default budget every stage call ends (processed or dead-lettered)
    within the budget plus a small slack: nothing hangs."""
    s = _settings()
    runner = StageRunner(s)
    slack = 1.5  # C code (a parser) is interrupted only when it returns; a loaded machine
    stage, key, v, topic = "strip", None, value, "documents.raw"
    for _ in range(3):
        t0 = time.perf_counter()
        out = runner.handle(stage, v, key=key, topic=topic, partition=0, offset=0)
        took = time.perf_counter() - t0
        assert took < s.stage_timeout_s + slack, f"{name}: {stage} took {took:.2f} s"
        if out.dead_letter is not None:
            assert out.dead_letter.reason in ("timeout", "too_large"), (name, out.dead_letter.reason,
                                                                        out.dead_letter.error)
            return
        nxt = {"strip": ("segment", "documents.stripped"), "segment": ("enrich", "documents.segmented")}
        if stage == "enrich":
            return
        key, v = out.outputs[0].key, out.outputs[0].value
        stage, topic = nxt[stage]


def test_tiny_budget_forces_timeout_dead_letter():
    s = _settings(stage_timeout_s=0.05)
    runner = StageRunner(s)
    value = SLOW_NESTED  # a million nested divs: well over 50 ms to flatten
    t0 = time.perf_counter()
    out = runner.handle("strip", value, topic="documents.raw", partition=3, offset=9)
    took = time.perf_counter() - t0
    assert out.dead_letter is not None and out.dead_letter.reason == "timeout", out.dead_letter
    check_dead_letter(orjson.loads(out.outputs[0].value), stage="strip", reason="timeout", value=value,
                      topic="documents.raw", partition=3, offset=9)
    assert "0.05" in out.dead_letter.error
    assert took < 5, took
    ok = runner.handle("strip", orjson.dumps(good(2)), topic="documents.raw", partition=3, offset=10)
    assert ok.dead_letter is None


def test_budget_interrupts_catastrophic_regex(monkeypatch):
    """A real exponential regex inside a stage is cut off by the budget (the regex
    engine checks for signals), and a stage that swallows the first timeout gets it
    again (the timer re-fires)."""
    runner = StageRunner(_settings(stage_timeout_s=0.2))

    def evil(value):
        re.match(r"^(a+)+$", "a" * 40 + "!")  # 2^40 steps without the budget
        raise AssertionError("not reached")

    def swallowing(value):
        try:
            re.match(r"^(a|aa)+$", "a" * 60 + "!")
        except Exception:  # noqa: BLE001 - a careless stage
            pass
        re.match(r"^(a+)+$", "a" * 40 + "!")
        raise AssertionError("not reached")

    for fn in (evil, swallowing):
        # the stage's own code (reading its input) runs away
        monkeypatch.setattr(runner.stages["segment"], "read", lambda value, settings: fn(value))
        t0 = time.perf_counter()
        out = runner.handle("segment", b"{}", key="k", topic="documents.stripped", partition=0, offset=1)
        took = time.perf_counter() - t0
        assert out.dead_letter is not None and out.dead_letter.reason == "timeout"
        assert took < 3, took


def test_unexpected_exception_is_internal_error(monkeypatch):
    runner = StageRunner(_settings())

    def boom(value):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(runner.stages["enrich"], "read", lambda value, settings: boom(value))
    out = runner.handle("enrich", b"{}", key="k", topic="documents.segmented", partition=0, offset=1)
    assert out.dead_letter.reason == "internal_error" and "ZeroDivisionError" in out.dead_letter.error


# --- on the real broker --------------------------------------------------------------


def _raw_positions(kafka) -> dict[bytes, tuple[int, int]]:
    """value -> (partition, offset) of every record on documents.raw."""
    from workers.shell.kafka_io import consume

    async def go():
        out = {}
        async for _k, v, info in consume(kafka.settings, "documents.raw", timeout=1.0):
            out[v] = (info["partition"], info["offset"])
        return out

    return asyncio.run(go())


def _produce_to(kafka, topic: str, items) -> None:
    from workers.shell.kafka_io import produce

    asyncio.run(produce(kafka.settings, list(items), topic=topic))


def _interleaved(bad: list[tuple[str, bytes, str]], start: int) -> tuple[list, list[str]]:
    """good, bad, good, bad, ..., good: returns (items, good ids)."""
    items, ids = [], []
    for i, (_name, value, _reason) in enumerate(bad):
        g = good(start + i, site=f"site{i % 5}.example")
        items.append((g["id"], orjson.dumps(g)))
        ids.append(g["id"])
        items.append((None, value))
    g = good(start + len(bad), site="last.example")
    items.append((g["id"], orjson.dumps(g)))
    ids.append(g["id"])
    return items, ids


@pytest.mark.broker
def test_bad_records_dead_lettered_and_stream_keeps_flowing(kafka):
    w = kafka.worker("all", WINNOW_MAX_DOCUMENT_BYTES=str(SMALL_LIMIT))
    assert w.wait_ready(90), "worker did not become ready"
    items, good_ids = _interleaved(BAD_RAW, 0)
    kafka.produce(items)
    stripped_junk = [(f"junk-{i}", v) for i, (_n, v, _r) in enumerate(BAD_STRIPPED)]
    _produce_to(kafka, "documents.stripped", stripped_junk)
    more = [good(100 + i, site="after.example") for i in range(5)]  # after all the junk
    kafka.produce_records(more)
    good_ids += [g["id"] for g in more]

    enriched = kafka.consume("documents.enriched", count=len(good_ids), timeout=120)
    assert sorted(k for k, _, _ in enriched) == sorted(good_ids)
    n_bad = len(BAD_RAW) + len(BAD_STRIPPED)
    dead = kafka.consume("documents.dead-letter", count=n_bad, timeout=60)
    assert len(dead) == n_bad, [d["reason"] for _, d, _ in dead]

    positions = _raw_positions(kafka)
    by_payload = {_payload(d): d for _, d, _ in dead}
    for name, value, reason in BAD_RAW:
        d = by_payload.get(value)
        assert d is not None, f"{name} not dead-lettered"
        part, off = positions[value]
        check_dead_letter(d, stage="strip", reason=reason, value=value, topic="documents.raw",
                          partition=part, offset=off)
    for i, (name, value, reason) in enumerate(BAD_STRIPPED):
        d = by_payload.get(value)
        assert d is not None, f"{name} not dead-lettered"
        assert d["source"]["topic"] == "documents.stripped"
        assert isinstance(d["source"]["partition"], int) and isinstance(d["source"]["offset"], int)
        check_dead_letter(d, stage="segment", reason=reason, value=value, topic="documents.stripped",
                          partition=d["source"]["partition"], offset=d["source"]["offset"])
        assert d["key"] == f"junk-{i}"
    for key, d, _ in dead:  # keyed by document id when there is one
        assert key == (d["document_id"] or None)

    text = w.get("/metrics")[1].decode()
    assert 'winnow_dead_letter_records_total{reason="too_large",stage="strip"} 1.0' in text
    assert 'winnow_dead_letter_records_total{reason="invalid_record",stage="segment"} 5.0' in text
    assert w.alive()


@pytest.mark.broker
def test_timeout_and_pathological_inputs_on_broker(kafka):
    """A tiny budget forces the timeout path for the nested-div document; the default
    budget's worker processes or dead-letters every pathological input and keeps going."""
    w = kafka.worker("all", WINNOW_STAGE_TIMEOUT_S="0.15")
    assert w.wait_ready(90)
    nested = SLOW_NESTED
    kafka.produce([(None, nested)])
    kafka.produce_records([good(1, site="after-timeout.example")])
    dead = kafka.consume("documents.dead-letter", count=1, timeout=60)
    assert len(dead) == 1
    d = dead[0][1]
    part, off = _raw_positions(kafka)[nested]
    check_dead_letter(d, stage="strip", reason="timeout", value=nested, topic="documents.raw",
                      partition=part, offset=off)
    assert kafka.consume("documents.enriched", count=1, timeout=60)[0][0] == "good-1"
    assert w.stop() is not None

    w2 = kafka.worker("all")  # default budget, default limits
    assert w2.wait_ready(90)
    t0 = time.monotonic()
    kafka.produce([(None, v) for _n, v in PATHOLOGICAL])
    kafka.produce_records([good(2, site="after-pathological.example")])
    ids = {"good-1", "good-2"} | {orjson.loads(v)["id"] for _n, v in PATHOLOGICAL}

    def done(_records=None):
        got = {k for k, _, _ in kafka.consume("documents.enriched", idle=0.5)}
        got |= {d["document_id"] for _, d, _ in kafka.consume("documents.dead-letter", idle=0.5)}
        return ids <= got

    deadline = time.monotonic() + 120
    while not done() and time.monotonic() < deadline:
        time.sleep(1)
    assert done(), "a pathological input neither processed nor dead-lettered"
    took = time.monotonic() - t0
    print(f"pathological inputs through the worker in {took:.1f} s")
    assert w2.alive()
