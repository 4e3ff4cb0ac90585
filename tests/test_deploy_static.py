"""Static checks of the production stack: docker-compose.yml, Dockerfile, the Prometheus
config and rules, Grafana provisioning and the dashboard. No Docker, no network.

The PromQL helpers at the top (``metric_selectors``, ``known_metric_names``,
``dashboard_exprs``, ``rule_exprs``) are reused by tests/test_metrics_prometheus.py.
"""
from __future__ import annotations

import ast
import json
import re
import string
from dataclasses import fields
from pathlib import Path, PurePosixPath

import pytest

yaml = pytest.importorskip("yaml")

from topics import largest_message_bytes  # noqa: E402
from workers.core.flow import STAGE_NAMES as STAGES  # noqa: E402
from workers.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
PROM_DIR = ROOT / "deploy" / "prometheus"
PROM_CONFIG = PROM_DIR / "prometheus.yml"
PROM_LOCAL = PROM_DIR / "prometheus-local.yml"
RULES = PROM_DIR / "rules.yml"
GRAFANA = ROOT / "deploy" / "grafana"
DATASOURCE = GRAFANA / "provisioning" / "datasources" / "prometheus.yml"
PROVIDER = GRAFANA / "provisioning" / "dashboards" / "winnow.yml"
DASHBOARD = GRAFANA / "dashboards" / "winnow.json"
METRICS_PY = ROOT / "workers" / "core" / "metrics.py"

SETTINGS_ENV = {"WINNOW_" + f.name.upper() for f in fields(Settings)}
DEFAULT_MAX_MESSAGE_BYTES = Settings().max_message_bytes

# --- PromQL helpers -------------------------------------------------------------------

_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_TOKEN = re.compile(
    r'"(?:[^"\\]|\\.)*"'                      # string literal
    r"|\{[^{}]*\}"                             # label matchers
    r"|\[[^\[\]]*\]"                           # range / subquery
    r"|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"         # number
    r"|[A-Za-z_:][A-Za-z0-9_:]*"               # identifier
    r"|\S"
)
_KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left",
             "group_right", "inf", "nan", "atan2", "start", "end"}


def metric_selectors(expr: str) -> list[tuple[str, str]]:
    """``(metric_name, selector)`` for every vector selector in a PromQL expression,
    e.g. ``("winnow_records_consumed_total", 'winnow_records_consumed_total{stage="strip"}')``."""
    expr = _GROUPING.sub(" ", expr)
    tokens = _TOKEN.findall(expr)
    out: list[tuple[str, str]] = []
    for i, tok in enumerate(tokens):
        if not re.fullmatch(r"[A-Za-z_:][A-Za-z0-9_:]*", tok) or tok.lower() in _KEYWORDS:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if nxt == "(":  # a function or aggregation
            continue
        selector = tok + (nxt if nxt.startswith("{") else "")
        out.append((tok, selector))
    return out


def metric_names(expr: str) -> set[str]:
    return {name for name, _ in metric_selectors(expr)}


def declared_metrics() -> dict[str, str]:
    """Metric name -> type, read from the constructor calls in workers/core/metrics.py."""
    tree = ast.parse(METRICS_PY.read_text())
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in {"Counter", "Gauge", "Histogram", "Summary", "Info", "Enum"}
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found[node.args[0].value] = node.func.id
    return found


# prometheus-client's default collectors (process_*, python_*) and Prometheus's own series.
DEFAULT_COLLECTOR_METRICS = {
    "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
    "process_start_time_seconds", "process_open_fds", "process_max_fds", "python_info",
    "python_gc_objects_collected_total", "python_gc_objects_uncollectable_total", "python_gc_collections_total",
}
PROMETHEUS_SYNTHETIC = {"up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_series_added",
                        "scrape_samples_post_metric_relabeling", "ALERTS", "ALERTS_FOR_STATE"}


def known_metric_names() -> set[str]:
    """Every series name a worker exposes (with type suffixes), plus the defaults."""
    names: set[str] = set()
    for name, kind in declared_metrics().items():
        if kind == "Counter":
            base = name[:-len("_total")] if name.endswith("_total") else name
            names |= {base + "_total", base + "_created"}
        elif kind in ("Histogram", "Summary"):
            names |= {name + s for s in ("_bucket", "_sum", "_count", "_created")}
            if kind == "Summary":
                names.add(name)
        elif kind == "Info":
            names.add(name + "_info")
        else:
            names.add(name)
    return names | DEFAULT_COLLECTOR_METRICS | PROMETHEUS_SYNTHETIC


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text())


def rules() -> list[dict]:
    return [r for g in load_yaml(RULES)["groups"] for r in g["rules"]]


def recorded_names() -> set[str]:
    return {r["record"] for r in rules() if "record" in r}


def rule_exprs() -> list[tuple[str, str, bool]]:
    """``(rule name, expr, is_alert)`` for every rule in rules.yml."""
    return [(r.get("alert") or r["record"], r["expr"], "alert" in r) for r in rules()]


def load_dashboard() -> dict:
    return json.loads(DASHBOARD.read_text())


def all_panels(dash: dict) -> list[dict]:
    out = []
    for p in dash["panels"]:
        out.append(p)
        out.extend(p.get("panels", []))  # collapsed rows keep their panels inside
    return out


def dashboard_exprs(dash: dict | None = None) -> list[tuple[str, str]]:
    """``(panel title, expr)`` for every query target of the dashboard, in order."""
    dash = dash or load_dashboard()
    return [(p.get("title", ""), t["expr"]) for p in all_panels(dash) for t in p.get("targets", []) if t.get("expr")]


def substitute(expr: str, stage: str = ".*", instance: str = ".*", rate_interval: str = "30s",
               range_: str = "5m") -> str:
    """Grafana variables -> concrete values, as Grafana would before sending the query."""
    return (expr.replace("$__rate_interval", rate_interval).replace("$__range", range_)
            .replace("$stage", stage).replace("$instance", instance))


# --- compose ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_yaml(COMPOSE)


def _worker_services(compose: dict) -> dict[str, dict]:
    return {n: s for n, s in compose["services"].items() if s.get("command", [None])[0] == "worker"}


def _built_services(compose: dict) -> dict[str, dict]:
    return {n: s for n, s in compose["services"].items() if "build" in s}


def _env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(e.split("=", 1) for e in env)
    return {k: str(v) for k, v in env.items()}


def _volumes(service: dict) -> list[tuple[str, str]]:
    """(source, container path) of each volume entry, short or long syntax."""
    out = []
    for v in service.get("volumes", []):
        if isinstance(v, dict):
            out.append((v["source"], v["target"]))
        else:
            parts = v.split(":")
            out.append((parts[0], parts[1]))
    return out


def _host_path(src: str) -> Path | None:
    if src.startswith((".", "/")):
        return (ROOT / src).resolve()
    return None  # a named volume


def _host_mount_for(service: dict, container_path: str) -> Path:
    """Host path that ends up at ``container_path`` inside the service's container."""
    want = PurePosixPath(container_path)
    best: tuple[int, Path] | None = None
    for src, dst in _volumes(service):
        host = _host_path(src)
        if host is None:
            continue
        d = PurePosixPath(dst)
        if want == d or d in want.parents:
            depth = len(d.parts)
            if best is None or depth > best[0]:
                best = (depth, host / want.relative_to(d))
    assert best is not None, f"nothing from the host is mounted at {container_path}"
    return best[1]


def test_every_service_has_image_or_build(compose):
    assert compose["services"]
    for name, svc in compose["services"].items():
        assert "image" in svc or "build" in svc, name


def test_external_images_are_pinned(compose):
    for name, svc in compose["services"].items():
        if "build" in svc:
            continue
        image = svc["image"]
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin {image} to a version tag"
    assert compose["services"]["kafka"]["image"].startswith("apache/kafka:")
    assert compose["services"]["prometheus"]["image"].startswith("prom/prometheus:v")
    assert compose["services"]["grafana"]["image"].startswith("grafana/grafana:")


def test_host_paths_and_dockerfile_exist(compose):
    for name, svc in compose["services"].items():
        for src, _ in _volumes(svc):
            host = _host_path(src)
            if host is not None:
                assert host.exists(), f"{name}: mounted host path {src} does not exist"
            else:
                assert src in (compose.get("volumes") or {}), f"{name}: named volume {src} is not declared"
        if "build" in svc:
            build = svc["build"] if isinstance(svc["build"], dict) else {"context": svc["build"]}
            ctx = (ROOT / build.get("context", ".")).resolve()
            assert ctx.is_dir(), name
            assert (ctx / build.get("dockerfile", "Dockerfile")).is_file(), name


def test_host_ports_bound_to_loopback(compose):
    for name, svc in compose["services"].items():
        for p in svc.get("ports", []):
            assert isinstance(p, str) and p.startswith("127.0.0.1:"), f"{name}: port {p} must bind 127.0.0.1"


def test_dockerfile():
    text = DOCKERFILE.read_text()
    lines = [ln.strip() for ln in text.replace("\\\n", " ").splitlines() if ln.strip() and not ln.startswith("#")]
    assert lines[0] == "FROM python:3.11-slim"
    assert any(ln.startswith("USER ") and ln.split()[1] not in ("root", "0") for ln in lines), "run as non-root"
    assert 'ENTRYPOINT ["winnow"]' in lines
    for ln in lines:
        if ln.startswith("COPY "):
            srcs = [s for s in ln.split()[1:-1] if not s.startswith("--")]
            matched = [m for s in srcs for m in ROOT.glob(s)]
            assert matched, f"{ln}: no source exists"
            for s in srcs:
                if not any(c in s for c in "*?["):
                    assert (ROOT / s).exists(), f"{ln}: {s} does not exist"
    # install with the constraints file exactly when it exists
    has_constraints = (ROOT / "constraints.txt").exists()
    assert ("-c constraints.txt" in text) == has_constraints
    for ln in lines:
        if ln.startswith("ENV "):
            for name in re.findall(r"\b(WINNOW_[A-Z0-9_]+)=", ln):
                assert name in SETTINGS_ENV, f"Dockerfile sets unknown {name}"


def test_dockerignore_keeps_context_small():
    ignored = {ln.strip() for ln in (ROOT / ".dockerignore").read_text().splitlines()
               if ln.strip() and not ln.startswith("#")}
    assert {".git", ".venv", "tests"} <= ignored
    assert not ({"workers", "topics", "pyproject.toml"} & ignored)


def test_worker_services_cover_every_stage(compose):
    workers = _worker_services(compose)
    stages = []
    for name, svc in workers.items():
        cmd = svc["command"]
        assert "--stage" in cmd, name
        stage = cmd[cmd.index("--stage") + 1]
        assert stage in STAGES, f"{name}: unknown stage {stage}"
        stages.append(stage)
        assert "container_name" not in svc, f"{name}: a fixed container_name breaks --scale"
        assert "ports" not in svc, f"{name}: host ports break --scale; use expose"
        env = _env(svc)
        assert env.get("WINNOW_WEB_HOST") == "0.0.0.0", name
        assert str(env.get("WINNOW_WEB_PORT")) in [str(p) for p in svc.get("expose", [])], name
        assert "/healthz" in " ".join(svc["healthcheck"]["test"]), name
        assert env["WINNOW_WEB_PORT"] in " ".join(svc["healthcheck"]["test"]), name
        deps = svc["depends_on"]
        assert deps["topics"]["condition"] == "service_completed_successfully", name
    assert sorted(stages) == sorted(STAGES), "one worker service per stage"
    assert set(workers) == set(STAGES), "worker services are named after their stage"


def test_topics_service_applies_topics_after_kafka_is_healthy(compose):
    topics = compose["services"]["topics"]
    assert topics["command"][:2] == ["topics", "apply"]
    assert topics["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_env_names_are_settings_fields(compose):
    built = _built_services(compose)
    assert set(STAGES) <= set(built)
    for name, svc in built.items():
        for key in _env(svc):
            assert key in SETTINGS_ENV, f"{name}: {key} is not a Settings field (WINNOW_<FIELD>)"


def test_worker_broker_is_the_kafka_in_network_listener(compose):
    kafka_env = _env(compose["services"]["kafka"])
    advertised = kafka_env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    for name, svc in _built_services(compose).items():
        broker = _env(svc)["WINNOW_BROKER"]
        host, port = broker.split(":")
        assert host in compose["services"], f"{name}: WINNOW_BROKER host {host} is not a service"
        assert any(a.endswith(f"://{host}:{port}") for a in advertised), f"{name}: {broker} is not advertised"


def test_kafka_kraft_single_node(compose):
    kafka = compose["services"]["kafka"]
    env = _env(kafka)
    required = {
        "KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES", "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_LISTENERS",
        "KAFKA_ADVERTISED_LISTENERS", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_INTER_BROKER_LISTENER_NAME",
        "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
        "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "CLUSTER_ID", "KAFKA_LOG_DIRS",
    }
    assert required <= set(env), required - set(env)
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    # the quorum voter is this node, on the CONTROLLER listener
    voter = env["KAFKA_CONTROLLER_QUORUM_VOTERS"]
    assert voter.startswith(env["KAFKA_NODE_ID"] + "@")
    ctrl_port = voter.rsplit(":", 1)[1]
    assert f"CONTROLLER://0.0.0.0:{ctrl_port}" in env["KAFKA_LISTENERS"]
    names = {ln.split("://")[0] for ln in env["KAFKA_LISTENERS"].split(",")}
    protomap = {kv.split(":")[0] for kv in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(",")}
    assert names <= protomap
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] in names
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] in names
    assert len(env["CLUSTER_ID"]) == 22  # base64 UUID
    # data volume on the log dir
    assert any(dst == env["KAFKA_LOG_DIRS"] and _host_path(src) is None for src, dst in _volumes(kafka))
    hc = " ".join(kafka["healthcheck"]["test"])
    assert "/opt/kafka/bin/kafka-broker-api-versions.sh" in hc or "/opt/kafka/bin/kafka-topics.sh" in hc


def test_kafka_message_size_covers_every_topic(compose):
    env = _env(compose["services"]["kafka"])
    base = max(int(_env(s).get("WINNOW_MAX_MESSAGE_BYTES", DEFAULT_MAX_MESSAGE_BYTES))
               for s in _built_services(compose).values())
    largest = largest_message_bytes(base)
    assert largest == 2 * base + 1024 * 1024  # the dead-letter topic
    assert int(env["KAFKA_MESSAGE_MAX_BYTES"]) >= largest
    assert int(env["KAFKA_REPLICA_FETCH_MAX_BYTES"]) >= largest


# --- prometheus -----------------------------------------------------------------------------


def test_prometheus_scrapes_every_worker_service(compose):
    cfg = load_yaml(PROM_CONFIG)
    workers = _worker_services(compose)
    ports = {_env(s)["WINNOW_WEB_PORT"] for s in workers.values()}
    assert len(ports) == 1
    port = int(ports.pop())
    jobs = {j["job_name"]: j for j in cfg["scrape_configs"]}
    job = jobs["winnow"]
    names: set[str] = set()
    for sd in job.get("dns_sd_configs", []):
        assert sd["type"] == "A"
        assert int(sd["port"]) == port
        names |= set(sd["names"])
    for sc in job.get("static_configs", []):
        for t in sc["targets"]:
            host, p = t.split(":")
            names.add(host)
            assert int(p) == port
    assert names == set(workers), "scrape exactly the worker services"
    # no relabelling onto `stage`: the metrics carry their own stage label
    for rc in job.get("relabel_configs", []):
        assert rc.get("target_label") != "stage"


def test_prometheus_rule_files_are_mounted(compose):
    cfg = load_yaml(PROM_CONFIG)
    prom = compose["services"]["prometheus"]
    for rf in cfg["rule_files"]:
        assert _host_mount_for(prom, rf).resolve() == RULES.resolve()
    conf_arg = next(a for a in prom["command"] if a.startswith("--config.file="))
    assert _host_mount_for(prom, conf_arg.split("=", 1)[1]).resolve() == PROM_CONFIG.resolve()


def render_local_config(targets: list[str], interval: str = "1s", rules_file: Path = RULES) -> str:
    """deploy/prometheus/prometheus-local.yml with its placeholders filled in."""
    return string.Template(PROM_LOCAL.read_text()).substitute(
        TARGETS=json.dumps(targets), RULES_FILE=str(rules_file), INTERVAL=interval)


def test_local_config_template_renders():
    cfg = yaml.safe_load(render_local_config(["127.0.0.1:6066", "127.0.0.1:6067"]))
    job = cfg["scrape_configs"][0]
    assert job["job_name"] == "winnow"  # same job name as compose: dashboard and alerts filter on it
    assert job["static_configs"][0]["targets"] == ["127.0.0.1:6066", "127.0.0.1:6067"]
    assert cfg["rule_files"] == [str(RULES)]


REQUIRED_ALERTS = {"WinnowStageStalled", "WinnowLagGrowing", "WinnowDeadLetterRateHigh", "WinnowFailureRatioHigh",
                   "WinnowWorkerDown", "WinnowBrokerDown"}


def test_alerts_are_complete():
    alerts = {r["alert"]: r for r in rules() if "alert" in r}
    assert REQUIRED_ALERTS <= set(alerts)
    for name, r in alerts.items():
        assert r["labels"]["severity"] in ("critical", "warning", "info"), name
        assert r["annotations"]["summary"].strip(), name
        assert r["annotations"]["description"].strip(), name
    stalled = alerts["WinnowStageStalled"]["expr"]
    assert "time() - " in stalled and "winnow_last_processed_timestamp_seconds" in stalled
    assert "winnow_consumer_lag_messages" in stalled
    assert "up{" in alerts["WinnowWorkerDown"]["expr"] and "== 0" in alerts["WinnowWorkerDown"]["expr"]
    assert "winnow_broker_up == 0" in alerts["WinnowBrokerDown"]["expr"]
    assert "winnow_dead_letter_records_total" in alerts["WinnowDeadLetterRateHigh"]["expr"]
    ratio = alerts["WinnowFailureRatioHigh"]["expr"]
    assert "winnow_records_failed_total" in ratio and "winnow_records_consumed_total" in ratio
    assert alerts["WinnowLagGrowing"]["for"] == "10m"


def test_recording_rule_names_follow_convention():
    for name in recorded_names():
        assert re.fullmatch(r"winnow:[a-z0-9_]+:[a-z0-9_]+", name), name


def test_rule_metrics_exist():
    known = known_metric_names() | recorded_names()
    for name, expr, _ in rule_exprs():
        names = metric_names(expr)
        assert names, f"{name}: no metric in {expr!r}"
        assert names <= known, f"{name}: unknown metrics {names - known}"


# --- grafana -------------------------------------------------------------------------------


def _datasource_uid() -> str:
    ds = load_yaml(DATASOURCE)
    assert ds["apiVersion"] == 1
    [prom] = [d for d in ds["datasources"] if d["type"] == "prometheus"]
    return prom["uid"]


def test_grafana_datasource_points_at_prometheus_service(compose):
    ds = load_yaml(DATASOURCE)["datasources"][0]
    assert ds["uid"] == "winnow-prometheus"
    m = re.fullmatch(r"http://([a-z0-9_-]+):(\d+)/?", ds["url"])
    assert m and m.group(1) in compose["services"]
    assert m.group(2) == "9090"


def test_grafana_provisioning_mounts(compose):
    grafana = compose["services"]["grafana"]
    prov = _host_mount_for(grafana, "/etc/grafana/provisioning")
    assert prov.resolve() == (GRAFANA / "provisioning").resolve()
    assert (prov / "datasources" / DATASOURCE.name).is_file()
    assert (prov / "dashboards" / PROVIDER.name).is_file()
    provider = load_yaml(PROVIDER)
    assert provider["apiVersion"] == 1
    for p in provider["providers"]:
        assert p["type"] == "file"
        host = _host_mount_for(grafana, p["options"]["path"])
        assert (host / DASHBOARD.name).resolve() == DASHBOARD.resolve()
    home = _env(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
    if home:
        assert _host_mount_for(grafana, home).resolve() == DASHBOARD.resolve()


def test_dashboard_identity_and_datasources():
    """Every query goes through the ``datasource`` variable (so the dashboard imports
    into any Grafana), whose default is the provisioned Prometheus."""
    dash = load_dashboard()
    uid = _datasource_uid()
    ds = {"type": "prometheus", "uid": "${datasource}"}
    assert dash["uid"] == "winnow"
    for p in all_panels(dash):
        if p["type"] == "row":
            continue
        assert p["datasource"] == ds, p["title"]
        assert p["targets"], p["title"]
        for t in p["targets"]:
            assert t["datasource"] == ds, p["title"]
    [var] = [v for v in dash["templating"]["list"] if v["type"] == "datasource"]
    assert var["name"] == "datasource" and var["query"] == "prometheus"
    assert var["current"]["value"] == uid
    for v in dash["templating"]["list"]:
        if v["type"] == "query":
            assert v["datasource"] == ds


def test_dashboard_variables():
    dash = load_dashboard()
    vars_ = {v["name"]: v for v in dash["templating"]["list"]}
    assert {"instance", "stage"} <= set(vars_)
    for name in ("instance", "stage"):
        v = vars_[name]
        assert v["type"] == "query"
        q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
        assert re.fullmatch(rf"label_values\((\w+)(\{{[^}}]*\}})?, {name}\)", q), q
        assert metric_names(q.split("(", 1)[1].rsplit(",", 1)[0]) <= known_metric_names()
    exprs = [e for _, e in dashboard_exprs(dash)]
    assert any("$stage" in e for e in exprs)
    assert all("$instance" in e for e in exprs), "every query honours the instance filter"
    for e in exprs:
        assert '=~"$stage"' in e or "$stage" not in e
        assert '=~"$instance"' in e  # multi-value variables need a regex match


def test_dashboard_metrics_exist():
    known = known_metric_names() | recorded_names()
    for title, expr in dashboard_exprs():
        names = metric_names(expr)
        assert names, f"{title}: no metric in {expr!r}"
        assert names <= known, f"{title}: unknown metrics {names - known}"


def test_dashboard_latency_panels_use_rate_of_buckets():
    for title, expr in dashboard_exprs():
        if "histogram_quantile" in expr:
            assert re.search(r"rate\(\w+_bucket\{", expr), f"{title}: quantiles need rate() over _bucket"
        for m in re.finditer(r"(\w+)_(sum|count)\{", expr):
            assert expr[:m.start()].rstrip().endswith("rate("), f"{title}: _sum/_count without rate()"


def test_dashboard_rows_in_flow_order():
    dash = load_dashboard()
    rows = [p for p in dash["panels"] if p["type"] == "row"]
    titles = [r["title"] for r in rows]
    stage_rows = []
    for title in titles:
        hits = [s for s in STAGES if re.search(rf"\b{s}\b", title.lower())]
        if title.lower().startswith("stage"):
            assert len(hits) == 1, title
            stage_rows.append(hits[0])
    assert stage_rows == list(STAGES), f"stage rows {stage_rows} must follow the flow {STAGES}"
    i_last_stage = titles.index(next(t for t in titles if t.lower().startswith(f"stage: {STAGES[-1]}")))
    following = [t.lower() for t in titles[i_last_stage + 1:]]
    assert following and following[0].startswith("content signals")
    assert any(t.startswith("process resources") for t in following)
    # every panel under a stage row queries only that stage
    current = None
    for p in dash["panels"]:
        if p["type"] == "row":
            t = p["title"].lower()
            current = next((s for s in STAGES if t.startswith(f"stage: {s}")), None)
            continue
        if current:
            for t in p["targets"]:
                stages_in = set(re.findall(r'stage="(\w+)"', t["expr"]))
                assert stages_in == {current}, (p["title"], t["expr"])
    # panels live below their row
    ys = [p["gridPos"]["y"] for p in dash["panels"]]
    assert ys == sorted(ys)


def test_dashboard_content_signals_and_resources_cover_metrics():
    text = " ".join(e for _, e in dashboard_exprs())
    for metric in ("winnow_document_size_bytes_bucket", "winnow_boilerplate_line_ratio_bucket",
                   "winnow_comments_per_document_bucket", "winnow_documents_by_language_total",
                   "winnow_site_templates_sites", "winnow_site_templates_entries", "process_cpu_seconds_total",
                   "process_resident_memory_bytes", "winnow_consumer_lag_messages", "winnow_consumer_lag_seconds",
                   "winnow_end_to_end_latency_seconds_bucket", "winnow_processing_duration_seconds_bucket",
                   "winnow_records_failed_total", "winnow_dead_letter_records_total",
                   "winnow_last_processed_timestamp_seconds"):
        assert metric in text, metric
    for q in ("0.5", "0.95", "0.99"):
        assert f"histogram_quantile({q}," in text


def test_metric_selector_parser():
    expr = ('histogram_quantile(0.95, sum by (le) (rate(winnow_processing_duration_seconds_bucket'
            '{stage="strip", instance=~"$instance"}[$__rate_interval]))) / on (stage) group_left up'
            ' and time() - max(winnow_last_processed_timestamp_seconds) > 1e3')
    assert metric_selectors(expr) == [
        ("winnow_processing_duration_seconds_bucket",
         'winnow_processing_duration_seconds_bucket{stage="strip", instance=~"$instance"}'),
        ("up", "up"),
        ("winnow_last_processed_timestamp_seconds", "winnow_last_processed_timestamp_seconds"),
    ]
    assert metric_names("deriv(winnow:consumer_lag_messages:sum[10m]) > 0") == {"winnow:consumer_lag_messages:sum"}
