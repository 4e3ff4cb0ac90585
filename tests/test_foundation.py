"""Settings, input validation, file readers, records and the offline CLI (no broker)."""
from __future__ import annotations

import gzip
import io
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from topics import TOPICS, by_name
from workers.core.flow import FLOW, STAGE_NAMES, next_stage
from topics.records import EnrichedDocument, StrippedDocument
from workers.core.errors import REASONS, BadInput
from workers.cli.readers import InputError, read_path
from workers.settings import from_env
from workers.core.stages.ingest import derive_id, normalize, site_key, sniff_content_type

REPO = Path(__file__).resolve().parents[1]


# --- settings -------------------------------------------------------------------------

def test_settings_from_env_types_and_overrides():
    s = from_env({"WINNOW_PARTITIONS": "8", "WINNOW_STAGE_TIMEOUT_S": "0.5", "WINNOW_BROKER": "k:1"})
    assert s.partitions == 8 and s.stage_timeout_s == 0.5 and s.broker == "k:1"
    assert from_env({"WINNOW_BROKER": "k:1"}, broker="x:2").broker == "x:2"
    assert from_env({}, broker=None).broker == "127.0.0.1:9092"
    assert from_env({}).web_host == "127.0.0.1"


def test_settings_reject_bad_numbers():
    with pytest.raises(SystemExit, match="WINNOW_PARTITIONS"):
        from_env({"WINNOW_PARTITIONS": "many"})


def test_settings_normalise_and_check_choices():
    s = from_env({"WINNOW_SECURITY_PROTOCOL": "sasl_ssl", "WINNOW_SASL_MECHANISM": "scram-sha-512"})
    assert s.security_protocol == "SASL_SSL" and s.sasl_mechanism == "SCRAM-SHA-512"
    with pytest.raises(SystemExit, match="WINNOW_SECURITY_PROTOCOL"):
        from_env({"WINNOW_SECURITY_PROTOCOL": "TLS"})


def test_settings_repr_hides_password():
    s = from_env({"WINNOW_SASL_PASSWORD": "hunter2", "WINNOW_SECURITY_PROTOCOL": "SASL_PLAINTEXT"})
    assert "hunter2" not in repr(s)
    kw = s.kafka_security_kwargs()
    assert kw["security_protocol"] == "SASL_PLAINTEXT" and kw["sasl_plain_password"] == "hunter2"


# --- catalogue ------------------------------------------------------------------------

def test_catalogue_is_in_flow_order_and_stages_chain():
    names = [t.name for t in TOPICS]
    assert names[:4] == ["documents.raw", "documents.stripped", "documents.segmented", "documents.enriched"]
    assert STAGE_NAMES == ("strip", "segment", "enrich")
    assert FLOW[0].source.name == "documents.raw"
    # Each stage reads what the previous one writes first; the last stage has no successor.
    for prev, nxt in zip(FLOW, FLOW[1:]):
        assert nxt.source is prev.sinks[0]
        assert next_stage(prev) is nxt
    assert next_stage(FLOW[-1]) is None
    # Every topic a stage reads or writes is in the catalogue.
    assert {t.name for s in FLOW for t in (s.source, *s.sinks)} <= {t.name for t in TOPICS}
    dl = by_name("documents.dead-letter")
    assert dl.max_message_bytes(1000) > 2 * 1000


# --- ingest ---------------------------------------------------------------------------

def test_normalize_fills_id_and_content_type():
    raw = normalize({"content": "<html><body><p>Hi</p></body></html>"}, 10_000)
    assert raw.content_type == "text/html"
    assert raw.id == derive_id(None, "<html><body><p>Hi</p></body></html>")
    again = normalize({"content": "<html><body><p>Hi</p></body></html>"}, 10_000)
    assert again.id == raw.id
    assert normalize({"content": "plain words\nmore"}, 10_000).content_type == "text/plain"
    assert normalize({"content": "x", "content_type": "text/html; charset=utf-8"}, 100).content_type == "text/html"


@pytest.mark.parametrize("obj,reason", [
    ({}, "missing_content"),
    ({"content": 5}, "wrong_type"),
    ({"content": "   \n "}, "empty_document"),
    ({"content": "x" * 101}, "too_large"),
    ({"content": "x", "content_type": "application/pdf"}, "unsupported_content_type"),
    ({"content": "x", "url": 7}, "wrong_type"),
    ({"content": "a\x00b"}, "invalid_utf8"),
])
def test_normalize_rejects_with_reason(obj, reason):
    with pytest.raises(BadInput) as exc:
        normalize(obj, 100)
    assert exc.value.reason == reason
    assert reason in REASONS


def test_site_key():
    assert site_key("https://www.Example.org/a/b", None) == "example.org"
    assert site_key(None, "feed-3") == "source:feed-3"
    assert site_key(None, None) == "unknown"
    assert site_key("not a url", None) == "unknown"


def test_sniff():
    assert sniff_content_type("<!DOCTYPE html><html>") == "text/html"
    assert sniff_content_type("Just text, <b> inside a sentence") == "text/plain"


# --- records --------------------------------------------------------------------------

def test_records_round_trip_and_ignore_unknown_keys():
    doc = StrippedDocument.from_dict({
        "id": "a", "url": None, "content_type": "text/plain", "fetched_at": None, "source": None,
        "site": "unknown", "lines": [{"n": 0, "text": "x", "blank_before": 0, "reason": None}],
        "extra": "ignored",
    })
    assert doc.lines[0].text == "x"
    back = StrippedDocument.from_dict(orjson.loads(orjson.dumps(doc)))
    assert orjson.dumps(back) == orjson.dumps(doc)
    assert doc.text == "x"


# --- readers --------------------------------------------------------------------------

def test_readers_txt_html_json_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text("Hello\nworld\n")
    (tmp_path / "b.html").write_text("<html><body><p>Hi</p></body></html>")
    (tmp_path / "c.json").write_text(orjson.dumps({"input": {"id": "c1", "content": "x"}}).decode())
    (tmp_path / "d.jsonl").write_bytes(b'{"id": "d1", "content": "one"}\nnot json\n\n{"content": "two"}\n')
    key, value = next(read_path(str(tmp_path / "a.txt")))
    rec = orjson.loads(value)
    assert rec["content_type"] == "text/plain" and rec["id"] == key and rec["content"] == "Hello\nworld\n"
    key, value = next(read_path(str(tmp_path / "b.html")))
    assert orjson.loads(value)["content_type"] == "text/html"
    key, value = next(read_path(str(tmp_path / "c.json")))
    assert key == "c1" and orjson.loads(value) == {"id": "c1", "content": "x"}
    rows = list(read_path(str(tmp_path / "d.jsonl")))
    assert [k for k, _ in rows] == ["d1", None, derive_id(None, "two")]
    assert rows[1][1] == b"not json"  # passed on byte for byte: the pipeline dead-letters it


def test_reader_missing_file():
    with pytest.raises(InputError):
        list(read_path("/nonexistent/file.txt"))


def _warc_bytes(records) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    for kind, uri, payload, http_ctype in records:
        if kind == "response":
            http = StatusAndHeaders("200 OK", [("Content-Type", http_ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=http)
        else:
            rec = w.create_warc_record(uri, "conversion", payload=io.BytesIO(payload),
                                       warc_content_type="text/plain")
        w.write_record(rec)
    return buf.getvalue()


def test_readers_warc_and_wet(tmp_path):
    data = _warc_bytes([
        ("response", "https://a.example/x", b"<html><body><p>Hello</p></body></html>", "text/html; charset=utf-8"),
        ("response", "https://a.example/img.png", b"\x89PNG", "image/png"),
        ("conversion", "https://b.example/y", "Plain text from WET\nsecond line".encode(), None),
    ])
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    rows = [orjson.loads(v) for _, v in read_path(str(path))]
    assert [r["url"] for r in rows] == ["https://a.example/x", "https://b.example/y"]
    assert rows[0]["content_type"] == "text/html" and "<p>Hello</p>" in rows[0]["content"]
    assert rows[1]["content_type"] == "text/plain" and rows[1]["content"].startswith("Plain text")
    assert all(r["id"].startswith("urn:uuid:") and r["fetched_at"] for r in rows)
    wet = tmp_path / "crawl.wet.gz"
    wet.write_bytes(data)
    assert len(list(read_path(str(wet)))) == 2


# --- CLI, offline ---------------------------------------------------------------------

def _winnow(*args, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "workers.cli.main", *args], input=input, capture_output=True,
                          cwd=REPO, timeout=120)


def test_cli_process_files_and_stdin(tmp_path):
    sample = REPO / "workers" / "samples" / "harbour-library-reopens.txt"
    out = tmp_path / "out.jsonl"
    r = _winnow("process", str(sample), "-o", str(out))
    assert r.returncode == 0, r.stderr
    rec = orjson.loads(out.read_bytes().splitlines()[0])
    EnrichedDocument.from_dict(rec)
    assert rec["id"] == derive_id(None, sample.read_text())
    stdin = b'{"id": "s1", "content": "A short page.\\nWith two lines."}\n[1, 2]\n'
    dead = tmp_path / "dead.jsonl"
    r = _winnow("process", "-", "--dead-letter", str(dead), input=stdin)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert len(lines) == 1 and orjson.loads(lines[0])["id"] == "s1"
    dl = orjson.loads(dead.read_bytes())
    assert dl["reason"] == "not_an_object" and dl["payload"] == "[1, 2]"
    assert b"not_an_object" in r.stderr


def test_cli_produce_unreadable_file_fails_cleanly():
    r = _winnow("produce", "/nonexistent.txt", "--broker", "127.0.0.1:1")
    assert r.returncode == 2
    assert b"no such file" in r.stderr


def test_process_is_deterministic(tmp_path):
    sample = REPO / "workers" / "samples" / "allotment-rules.json"
    a = _winnow("process", str(sample)).stdout
    b = _winnow("process", str(sample)).stdout
    assert a and a == b


def test_gzip_jsonl(tmp_path):
    p = tmp_path / "x.jsonl.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(b'{"id": "g", "content": "zip"}\n')
    assert [k for k, _ in read_path(str(p))] == ["g"]
