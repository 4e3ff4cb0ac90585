"""deploy/grafana/dashboards/winnow.json against Grafana's dashboard JSON model
(deploy/grafana/schema/dashboard.schema.json, generated from the types Grafana
publishes in @grafana/schema). The queries themselves are checked against a real
Prometheus in test_metrics_prometheus.py."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "deploy" / "grafana" / "schema" / "dashboard.schema.json"
DASHBOARD = ROOT / "deploy" / "grafana" / "dashboards" / "winnow.json"


def _validator():
    schema = json.loads(SCHEMA.read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _errors(dash: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in _validator().iter_errors(dash)]


def test_schema_is_grafanas_generated_model():
    schema = json.loads(SCHEMA.read_text())
    assert "@grafana/schema" in schema["$comment"]
    assert schema["$ref"] == "#/definitions/Dashboard"
    dash = schema["definitions"]["Dashboard"]
    assert dash["additionalProperties"] is False and "schemaVersion" in dash["required"]
    assert {"Panel", "RowPanel", "VariableModel", "DataSourceRef"} <= set(schema["definitions"])


def test_dashboard_validates_against_grafanas_schema():
    assert _errors(json.loads(DASHBOARD.read_text())) == []


@pytest.mark.parametrize("breakage", ["misspelt panel key", "string gridPos", "unknown variable type",
                                      "top-level typo"])
def test_schema_catches_broken_dashboards(breakage):
    dash = json.loads(DASHBOARD.read_text())
    bad = copy.deepcopy(dash)
    panel = next(p for p in bad["panels"] if p["type"] != "row")
    if breakage == "misspelt panel key":
        panel["fieldConfg"] = panel.pop("fieldConfig", {})
    elif breakage == "string gridPos":
        panel["gridPos"] = "0,0,12,8"
    elif breakage == "unknown variable type":
        bad["templating"]["list"][0]["type"] = "dropdown"
    else:
        bad["refersh"] = bad.pop("refresh")
    assert _errors(bad), breakage
