"""Real parts end to end: embedded broker + topics + one ``winnow worker --stage all`` +
a real Prometheus (scrape interval 1 s, deploy/prometheus/rules.yml loaded).

After ~20 documents (seed + text-dev, plus one malformed record) have gone through,
every PromQL expression of the Grafana dashboard (variables substituted as Grafana
would) and of the alert/recording rules must parse and return data through
Prometheus's HTTP API; alert conditions, which are rightly empty on a healthy
pipeline, must have data behind every metric selector they use. The counters must
match what was produced, and the PNG renderer must draw from the same Prometheus.
"""
from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import deploy_static_helpers

from tests.conftest import gold_cases
from workers.shell.broker import free_port

PROMETHEUS = "/usr/bin/prometheus"

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(not Path(PROMETHEUS).exists(),
                       reason=f"{PROMETHEUS} not installed (Debian package `prometheus`; `make test` installs it)"),
]
REPO = Path(__file__).resolve().parents[1]


S = deploy_static_helpers()


class Prometheus:
    """A real Prometheus server on a free loopback port, with a temporary TSDB."""

    def __init__(self, tmp: Path, targets: list[str]):
        self.tmp = tmp
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = tmp / "prometheus.yml"
        self.config.write_text(S.render_local_config(targets, interval="1s"))
        self.log = tmp / "prometheus.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Prometheus":
        self.proc = subprocess.Popen(
            [PROMETHEUS, f"--config.file={self.config}", f"--storage.tsdb.path={self.tmp / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{self.port}", "--storage.tsdb.retention.time=1h",
             "--log.level=warn"],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"prometheus exited:\n{self.log.read_text()[-3000:]}"
            try:
                with urllib.request.urlopen(self.url + "/-/ready", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"prometheus not ready:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)

    def api(self, path: str, **params) -> dict:
        url = self.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                body = json.load(r)
        except urllib.error.HTTPError as exc:
            body = json.load(exc)
        return body

    def query(self, expr: str) -> list[dict]:
        body = self.api("/api/v1/query", query=expr)
        assert body["status"] == "success", f"{expr!r}: {body.get('errorType')}: {body.get('error')}"
        return body["data"]["result"]

    def scalar(self, expr: str) -> float | None:
        result = self.query(expr)
        return float(result[0]["value"][1]) if result else None


@pytest.fixture
def prometheus_factory(tmp_path):
    started: list[Prometheus] = []

    def start(targets: list[str]) -> Prometheus:
        p = Prometheus(tmp_path, targets)
        started.append(p)
        return p.start()

    try:
        yield start
    finally:
        for p in started:
            p.stop()


def _wait(cond, timeout: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = cond()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what} (last: {last!r})")


_COMPARISON = re.compile(r"(?<![=!<>])(?:>=?|<=?|==|!=)(?!~)")


def _is_filter(expr: str) -> bool:
    """True when the expression filters by a comparison (outside label matchers), so an
    empty result is a legitimate answer."""
    outside = re.sub(r'\{[^{}]*\}|"(?:[^"\\]|\\.)*"', "", expr)
    return bool(_COMPARISON.search(outside))


def _check_has_data(prom: Prometheus, what: str, expr: str, problems: list[str]) -> None:
    try:
        result = prom.query(expr)
    except AssertionError as exc:
        problems.append(f"{what}: does not evaluate: {exc}")
        return
    if result:
        return
    if not _is_filter(expr):
        problems.append(f"{what}: no data for {expr!r}")
        return
    for name, selector in S.metric_selectors(expr):
        if not prom.query(selector):
            problems.append(f"{what}: filter is empty and selector {selector!r} has no data either")


def test_dashboard_and_rules_against_a_real_prometheus(kafka, prometheus_factory, tmp_path):
    w = kafka.worker("all", WINNOW_LAG_INTERVAL_S="1")
    assert w.wait_ready(90), "worker did not become ready"
    prom = prometheus_factory([f"127.0.0.1:{w.web_port}"])

    # Let Prometheus see the counters at zero first, or rate() has no increase to show.
    _wait(lambda: prom.scalar('sum(winnow_records_consumed_total{stage="strip"})') == 0, 30,
          "a first scrape of the idle worker")
    time.sleep(1.5)

    inputs = [case["input"] for case in gold_cases()]
    assert len(inputs) >= 15
    half = len(inputs) // 2
    produced = kafka.produce_records(inputs[:half])
    produced += kafka.produce([("malformed-1", b"{this is not json")])
    time.sleep(1.5)  # two bursts, a few scrapes apart
    produced += kafka.produce_records(inputs[half:])
    assert produced == len(inputs) + 1

    enriched = kafka.consume("documents.enriched", count=len(inputs), timeout=120)
    assert len(enriched) == len(inputs)

    # Prometheus has seen everything, the lag probe has run, and a few more scrapes happened.
    _wait(lambda: prom.scalar('sum(winnow_records_consumed_total{stage="strip"})') == produced, 60,
          "strip's consumed counter in Prometheus")
    _wait(lambda: prom.scalar('sum(winnow_records_consumed_total{stage="enrich"})') == len(inputs), 60,
          "enrich's consumed counter in Prometheus")
    _wait(lambda: prom.scalar("min(winnow_broker_up)") == 1, 30, "winnow_broker_up == 1")
    _wait(lambda: prom.scalar('sum(winnow:consumer_lag_messages:sum)') is not None, 30, "recording rules")
    time.sleep(3)

    # --- the counters tell the truth ---
    assert prom.scalar('sum(winnow_records_consumed_total{stage="strip"})') == produced
    assert prom.scalar('sum(winnow_dead_letter_records_total{stage="strip", reason="invalid_json"})') == 1
    assert prom.scalar("sum(winnow_dead_letter_records_total)") == 1
    assert prom.scalar('sum(winnow_records_failed_total{stage="strip"})') == 1
    assert prom.scalar('sum(winnow_records_produced_total{stage="strip", topic="documents.stripped"})') == len(inputs)
    assert prom.scalar('sum(winnow_records_produced_total{stage="enrich", topic="documents.enriched"})') == len(inputs)
    assert prom.scalar("sum(winnow_documents_by_language_total)") == len(inputs)
    assert prom.scalar("sum(winnow_document_size_bytes_count)") == produced
    assert prom.scalar('up{job="winnow"}') == 1
    p95 = prom.scalar('histogram_quantile(0.95, sum by (le) (rate(winnow_processing_duration_seconds_bucket'
                      '{stage="strip"}[2m])))')
    assert p95 is not None and math.isfinite(p95) and p95 > 0
    e2e = prom.scalar('histogram_quantile(0.95, sum by (le) (rate(winnow_end_to_end_latency_seconds_bucket'
                      '{stage="enrich"}[2m])))')
    assert e2e is not None and math.isfinite(e2e) and e2e > 0
    age = prom.scalar('time() - max(winnow_last_processed_timestamp_seconds{stage="enrich"})')
    assert age is not None and 0 <= age < 120

    # --- the rules loaded and evaluate cleanly ---
    groups = prom.api("/api/v1/rules")["data"]["groups"]
    loaded = {r["name"]: r for g in groups for r in g["rules"]}
    expected = {name for name, _, _ in S.rule_exprs()}
    assert expected <= set(loaded), expected - set(loaded)
    for name, rule in loaded.items():
        assert rule["health"] == "ok", f"{name}: {rule.get('lastError')}"
    firing = [r["name"] for r in loaded.values() if r["type"] == "alerting" and r["state"] == "firing"]
    assert not firing, f"alerts firing on a healthy pipeline: {firing}"

    problems: list[str] = []
    for name, expr, is_alert in S.rule_exprs():
        if is_alert:
            # The condition is rightly empty on a healthy pipeline; it must evaluate, and
            # every series it is built from must exist.
            prom.query(expr)
            for _, selector in S.metric_selectors(expr):
                if not prom.query(selector):
                    problems.append(f"alert {name}: selector {selector!r} has no data")
        else:
            _check_has_data(prom, f"recording rule {name} (expr)", expr, problems)
            _check_has_data(prom, f"recording rule {name} (series)", name, problems)

    # --- every dashboard query, as Grafana would send it ---
    instance = f"127.0.0.1:{w.web_port}"
    exprs = S.dashboard_exprs()
    assert len(exprs) > 40
    for title, expr in exprs:
        # Grafana regex-escapes a variable's value for =~ and escapes backslashes for PromQL strings.
        for stage, inst in ((".*", ".*"), ("strip", re.escape(instance).replace("\\", "\\\\"))):
            q = S.substitute(expr, stage=stage, instance=inst, rate_interval="2m", range_="10m")
            _check_has_data(prom, f"panel {title!r} (stage={stage})", q, problems)
    # the template variables' label_values() sources
    for v in S.load_dashboard()["templating"]["list"]:
        if v["type"] != "query":  # the datasource picker
            continue
        q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
        m = re.fullmatch(r"label_values\((.+), (\w+)\)", q)
        values = {r["metric"].get(m.group(2)) for r in prom.query(S.substitute(m.group(1)))}
        if v["name"] == "stage":
            assert values == {"strip", "segment", "enrich"}, values
        else:
            assert instance in values, values
    assert not problems, "\n".join(problems)

    # --- the PNG renderer draws from the same Prometheus ---
    from workers.cli.dashboard_render import render

    out = tmp_path / "dashboard.png"
    render(prom.url, str(out), minutes=2)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 10_000 < len(data) < 1_000_000
