"""promtool checks: the Prometheus configs load, rules.yml is valid, every dashboard
query parses, and each alert fires (and stays quiet) on synthetic series.

promtool comes from the Debian package `prometheus` (/usr/bin/promtool); these tests
skip only when the binary is absent.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import deploy_static_helpers

yaml = pytest.importorskip("yaml")



_S = deploy_static_helpers()
PROM_CONFIG, RULES = _S.PROM_CONFIG, _S.RULES
dashboard_exprs, render_local_config, substitute = _S.dashboard_exprs, _S.render_local_config, _S.substitute

PROMTOOL = "/usr/bin/promtool" if Path("/usr/bin/promtool").exists() else shutil.which("promtool")
pytestmark = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool not installed (Debian package `prometheus`: apt-get install prometheus)")


def promtool(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([PROMTOOL, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"promtool {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def test_check_rules():
    out = promtool("check", "rules", str(RULES)).stdout
    assert "SUCCESS" in out


def test_check_local_config(tmp_path):
    cfg = tmp_path / "prometheus.yml"
    cfg.write_text(render_local_config(["127.0.0.1:6066", "127.0.0.1:6067"], interval="1s"))
    promtool("check", "config", str(cfg))


def test_check_compose_config(tmp_path):
    # In the container the rules live at /etc/prometheus/rules.yml; point at the repo copy.
    cfg = yaml.safe_load(PROM_CONFIG.read_text())
    assert cfg["rule_files"] == ["/etc/prometheus/rules.yml"]
    cfg["rule_files"] = [str(RULES)]
    path = tmp_path / "prometheus.yml"
    path.write_text(yaml.safe_dump(cfg))
    promtool("check", "config", str(path))


def test_dashboard_queries_parse(tmp_path):
    """Every dashboard query, with Grafana's variables filled in, is valid PromQL."""
    exprs = dashboard_exprs()
    assert exprs
    rules = []
    for i, (_title, expr) in enumerate(exprs):
        for stage in (".*", "strip"):
            rules.append({"record": f"dashboard:query_{i}:{stage.strip('.*') or 'all'}",
                          "expr": substitute(expr, stage=stage, instance=".*")})
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    promtool("check", "rules", str(path))


# --- alert unit tests (promtool test rules) ---------------------------------------------------
# Series are sampled every 15 s; `values` use promtool's expanding notation (a+bxN).

W = 'job="winnow", instance="w1:6066"'


def _alert_tests() -> list[dict]:
    def firing(alert: str, eval_time: str, stages: dict[str, bool], severity: str) -> list[dict]:
        out = []
        for stage, fires in stages.items():
            out.append({
                "expr": f'ALERTS{{alertname="{alert}", alertstate="firing", stage="{stage}"}}',
                "eval_time": eval_time,
                "exp_samples": [{"labels": f'ALERTS{{alertname="{alert}", alertstate="firing", stage="{stage}", '
                                           f'severity="{severity}"}}', "value": 1}] if fires else [],
            })
        return out

    return [
        {   # strip: records waiting, nothing processed since t=60 s -> stalled.
            # segment: waiting records but processing right now. enrich: old, but nothing waiting.
            "interval": "15s",
            "input_series": [
                {"series": f'winnow_last_processed_timestamp_seconds{{{W}, stage="strip"}}', "values": "60x80"},
                {"series": f'winnow_last_processed_timestamp_seconds{{{W}, stage="segment"}}', "values": "0+15x80"},
                {"series": f'winnow_last_processed_timestamp_seconds{{{W}, stage="enrich"}}', "values": "60x80"},
                {"series": f'winnow_consumer_lag_messages{{{W}, stage="strip", topic="documents.raw", partition="0"}}',
                 "values": "5x80"},
                {"series": f'winnow_consumer_lag_messages{{{W}, stage="segment", topic="documents.stripped", '
                           f'partition="0"}}', "values": "5x80"},
                {"series": f'winnow_consumer_lag_messages{{{W}, stage="enrich", topic="documents.segmented", '
                           f'partition="0"}}', "values": "0x80"},
            ],
            "promql_expr_test": (
                firing("WinnowStageStalled", "5m", {"strip": False}, "critical")  # within the 5 min allowance
                + firing("WinnowStageStalled", "15m", {"strip": True, "segment": False, "enrich": False}, "critical")
            ),
        },
        {   # worker w1 stops answering scrapes after 30 s; w2 stays up.
            "interval": "15s",
            "input_series": [
                {"series": 'up{job="winnow", instance="w1:6066"}', "values": "1 1 0x40"},
                {"series": 'up{job="winnow", instance="w2:6066"}', "values": "1x40"},
                {"series": 'winnow_broker_up{job="winnow", instance="w1:6066"}', "values": "0x40"},
                {"series": 'winnow_broker_up{job="winnow", instance="w2:6066"}', "values": "1x40"},
            ],
            "promql_expr_test": [
                {"expr": 'ALERTS{alertname="WinnowWorkerDown", alertstate="firing"}', "eval_time": "5m",
                 "exp_samples": [{"labels": 'ALERTS{alertname="WinnowWorkerDown", alertstate="firing", '
                                            'job="winnow", instance="w1:6066", severity="critical"}', "value": 1}]},
                {"expr": 'ALERTS{alertname="WinnowBrokerDown", alertstate="firing"}', "eval_time": "5m",
                 "exp_samples": [{"labels": 'ALERTS{alertname="WinnowBrokerDown", alertstate="firing", '
                                            'job="winnow", instance="w1:6066", severity="critical"}', "value": 1}]},
            ],
        },
        {   # strip: 2 records/s consumed, 0.4/s failed and dead-lettered (20 %);
            # segment: 2/s consumed, 1 failure a minute (0.8 %).
            "interval": "15s",
            "input_series": [
                {"series": f'winnow_records_consumed_total{{{W}, stage="strip"}}', "values": "0+30x120"},
                {"series": f'winnow_records_failed_total{{{W}, stage="strip", reason="invalid_json"}}',
                 "values": "0+6x120"},
                {"series": f'winnow_dead_letter_records_total{{{W}, stage="strip", reason="invalid_json"}}',
                 "values": "0+6x120"},
                {"series": f'winnow_records_consumed_total{{{W}, stage="segment"}}', "values": "0+30x120"},
                {"series": f'winnow_records_failed_total{{{W}, stage="segment", reason="invalid_record"}}',
                 "values": "0+0.25x120"},
                {"series": f'winnow_dead_letter_records_total{{{W}, stage="segment", reason="invalid_record"}}',
                 "values": "0+0.25x120"},
            ],
            "promql_expr_test": (
                firing("WinnowFailureRatioHigh", "20m", {"strip": True, "segment": False}, "warning")
                # 0.4/s is below the 1/s dead-letter threshold
                + firing("WinnowDeadLetterRateHigh", "20m", {"strip": False, "segment": False}, "warning")
            ),
        },
        {   # strip dead-letters 2 records/s
            "interval": "15s",
            "input_series": [
                {"series": f'winnow_dead_letter_records_total{{{W}, stage="strip", reason="too_large"}}',
                 "values": "0+30x120"},
            ],
            "promql_expr_test": firing("WinnowDeadLetterRateHigh", "20m", {"strip": True}, "warning"),
        },
        {   # enrich's backlog grows by 10 records every 15 s on two replicas (same partition
            # reported twice: must not double); segment's is flat. enrich has no ready worker.
            "interval": "15s",
            "input_series": [
                {"series": 'winnow_consumer_lag_messages{job="winnow", instance="w1:6066", stage="enrich", '
                           'topic="documents.segmented", partition="0"}', "values": "0+10x160"},
                {"series": 'winnow_consumer_lag_messages{job="winnow", instance="w2:6066", stage="enrich", '
                           'topic="documents.segmented", partition="0"}', "values": "0+10x160"},
                {"series": f'winnow_consumer_lag_messages{{{W}, stage="segment", topic="documents.stripped", '
                           f'partition="0"}}', "values": "50x160"},
                {"series": f'winnow_consumer_lag_seconds{{{W}, stage="enrich", topic="documents.segmented", '
                           f'partition="0"}}', "values": "0+15x160"},
                {"series": f'winnow_consumer_lag_seconds{{{W}, stage="segment", topic="documents.stripped", '
                           f'partition="0"}}', "values": "3x160"},
                {"series": f'winnow_worker_ready{{{W}, stage="enrich"}}', "values": "0x160"},
                {"series": f'winnow_worker_ready{{{W}, stage="segment"}}', "values": "1x160"},
            ],
            "promql_expr_test": (
                [{"expr": 'winnow:consumer_lag_messages:sum{stage="enrich"}', "eval_time": "10m",
                  "exp_samples": [{"labels": 'winnow:consumer_lag_messages:sum{stage="enrich"}', "value": 400}]}]
                + firing("WinnowLagGrowing", "10m", {"enrich": False}, "warning")  # not yet for 10 min
                + firing("WinnowLagGrowing", "25m", {"enrich": True, "segment": False}, "warning")
                + firing("WinnowLagTooOld", "30m", {"enrich": True, "segment": False}, "warning")
                + firing("WinnowStageNotReady", "10m", {"enrich": True, "segment": False}, "warning")
            ),
        },
    ]


def test_alerts_fire_on_synthetic_series(tmp_path):
    path = tmp_path / "rules-test.yml"
    path.write_text(yaml.safe_dump({
        "rule_files": [str(RULES)],
        "evaluation_interval": "15s",
        "tests": _alert_tests(),
    }, sort_keys=False))
    out = promtool("test", "rules", str(path)).stdout
    assert "SUCCESS" in out, out


def test_alert_tests_cover_every_alert():
    alerts = {r["alert"] for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"] if "alert" in r}
    tested = set()
    for t in _alert_tests():
        for e in t["promql_expr_test"]:
            for a in alerts:
                if f'alertname="{a}"' in e["expr"] and e["exp_samples"]:
                    tested.add(a)
    assert tested == alerts, f"alerts without a firing test: {alerts - tested}"


def test_render_local_config_is_json_targets():
    text = render_local_config(["127.0.0.1:1"], interval="1s")
    assert json.dumps(["127.0.0.1:1"]) in text
