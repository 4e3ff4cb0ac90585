"""Security: TLS/SASL client configuration (plain aiokafka kwargs and the Faust
credentials mapping), no password in repr, no document content or credentials in the
worker's log, endpoints bound to 127.0.0.1 by default. No TLS broker needed: the
configs are checked as built (a self-signed certificate made with the openssl CLI)."""
from __future__ import annotations

import shutil
import ssl
import subprocess
import time
from pathlib import Path
import asyncio

import orjson
import pytest
from aiokafka import AIOKafkaConsumer
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

from workers.shell.app import _credentials
from workers.settings import Settings, from_env

PASSWORD = "s3cr3t-Pa55-do-not-log"
MARKER = "ZQXJ-CONTENT-MARKER-7731"


@pytest.fixture(scope="module")
def cert(tmp_path_factory) -> tuple[str, str]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not installed")
    d = tmp_path_factory.mktemp("tls")
    key, crt = d / "client.key", d / "client.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(crt),
                    "-days", "1", "-subj", "/CN=winnow-test"], check=True, capture_output=True, timeout=60)
    return str(crt), str(key)


def accepted_by_aiokafka(kw: dict) -> None:
    """aiokafka validates the security arguments in its constructor (no connection)."""
    async def make():
        AIOKafkaConsumer(bootstrap_servers="127.0.0.1:1", **kw)

    asyncio.run(make())


def _settings(**kw) -> Settings:
    return from_env(env={}, **kw)


def test_plaintext_default():
    s = _settings()
    assert s.kafka_security_kwargs() == {"security_protocol": "PLAINTEXT"}
    assert _credentials(s) is None
    assert credentials_to_aiokafka_auth(_credentials(s)) == {"security_protocol": "PLAINTEXT"}


def test_ssl_config(cert):
    crt, key = cert
    s = _settings(security_protocol="SSL", ssl_cafile=crt, ssl_certfile=crt, ssl_keyfile=key)
    kw = s.kafka_security_kwargs()
    assert kw["security_protocol"] == "SSL"
    ctx = kw["ssl_context"]
    assert isinstance(ctx, ssl.SSLContext)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert any(c.get("subject") == ((("commonName", "winnow-test"),),) for c in ctx.get_ca_certs())
    assert "sasl_mechanism" not in kw
    accepted_by_aiokafka(kw)

    creds = _credentials(s)
    auth = credentials_to_aiokafka_auth(creds)
    assert auth["security_protocol"] == "SSL"
    assert isinstance(auth["ssl_context"], ssl.SSLContext) and auth["ssl_context"].verify_mode == ssl.CERT_REQUIRED


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
@pytest.mark.parametrize("protocol", ["SASL_PLAINTEXT", "SASL_SSL"])
def test_sasl_config(cert, protocol, mechanism):
    crt, _key = cert
    s = _settings(security_protocol=protocol, sasl_mechanism=mechanism, sasl_username="winnow",
                  sasl_password=PASSWORD, ssl_cafile=crt)
    kw = s.kafka_security_kwargs()
    assert kw["security_protocol"] == protocol
    assert kw["sasl_mechanism"] == mechanism
    assert kw["sasl_plain_username"] == "winnow" and kw["sasl_plain_password"] == PASSWORD
    if protocol == "SASL_SSL":
        assert isinstance(kw["ssl_context"], ssl.SSLContext)
    else:
        assert "ssl_context" not in kw
    accepted_by_aiokafka(kw)

    auth = credentials_to_aiokafka_auth(_credentials(s))
    assert auth["security_protocol"] == protocol
    assert auth["sasl_mechanism"] == mechanism
    assert auth["sasl_plain_username"] == "winnow" and auth["sasl_plain_password"] == PASSWORD
    assert (auth["ssl_context"] is not None) == (protocol == "SASL_SSL")


def test_env_variables_reach_settings(cert):
    crt, key = cert
    s = from_env(env={"WINNOW_SECURITY_PROTOCOL": "SASL_SSL", "WINNOW_SASL_MECHANISM": "SCRAM-SHA-512",
                      "WINNOW_SASL_USERNAME": "u", "WINNOW_SASL_PASSWORD": PASSWORD,
                      "WINNOW_SSL_CAFILE": crt, "WINNOW_SSL_CERTFILE": crt, "WINNOW_SSL_KEYFILE": key})
    assert (s.security_protocol, s.sasl_mechanism, s.sasl_username, s.sasl_password) == \
        ("SASL_SSL", "SCRAM-SHA-512", "u", PASSWORD)
    assert (s.ssl_cafile, s.ssl_certfile, s.ssl_keyfile) == (crt, crt, key)


def test_repr_hides_password():
    s = _settings(security_protocol="SASL_SSL", sasl_username="winnow", sasl_password=PASSWORD)
    for text in (repr(s), str(s), f"{s}", f"{s!r}"):
        assert PASSWORD not in text
        assert "sasl_password='***'" in text or "sasl_password=***" in text


def test_endpoints_local_by_default():
    assert Settings().web_host == "127.0.0.1"


def _listening_addresses(port: int) -> set[str]:
    out = set()
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(path).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, _remote, state = line.split()[1:4]
            addr, p = local.rsplit(":", 1)
            if int(p, 16) == port and state == "0A":  # LISTEN
                out.add(addr)
    return out


@pytest.mark.broker
def test_worker_logs_no_content_or_credentials_and_binds_locally(kafka):
    w = kafka.worker("all", WINNOW_LOG_LEVEL="DEBUG", WINNOW_SASL_USERNAME="winnow-user",
                     WINNOW_SASL_PASSWORD=PASSWORD, WINNOW_STAGE_TIMEOUT_S="0.15")
    assert w.wait_ready(90)
    assert _listening_addresses(w.web_port) == {"0100007F"}, "web endpoints must listen on 127.0.0.1 only"
    docs = [{"id": f"sec-{i}", "url": f"https://sec.example/{i}",
             "content": f"Title {MARKER}\n\nBody with the marker {MARKER} number {i}.\n"} for i in range(5)]
    kafka.produce_records(docs)
    kafka.produce([(None, f'{{"content": "{MARKER}'.encode()),  # invalid JSON containing the marker
                   (None, orjson.dumps({"id": "sec-ct", "content": MARKER, "content_type": "application/x-" + MARKER})),
                   (None, orjson.dumps({"id": "sec-slow", "content": "<html><body>" + "<div>" * 1_000_000 + MARKER}))])
    assert len(kafka.consume("documents.enriched", count=5, timeout=90)) == 5
    assert len(kafka.consume("documents.dead-letter", count=3, timeout=60)) == 3
    status, body = w.get("/metrics")
    assert status == 200 and MARKER.encode() not in body
    for path in ("/healthz", "/readyz"):
        assert MARKER.encode() not in w.get(path)[1]
    time.sleep(1.0)  # let the log flush
    assert w.stop(timeout=30) is not None
    log_text = "\n".join(p.read_text(errors="replace") for p in kafka.tmp.glob("worker-*.log"))
    assert log_text.strip(), "the worker wrote no log at all at DEBUG level"
    assert MARKER not in log_text, [ln for ln in log_text.splitlines() if MARKER in ln][:3]
    assert PASSWORD not in log_text
