"""Configuration: read once from the environment into one typed, frozen object.

Every knob is a ``WINNOW_*`` environment variable; command-line flags override
a few of them (``--broker``, ``--web-port``, ...) by building a copy with
``dataclasses.replace``. Nothing else in the project reads ``os.environ``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping

from topics import DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_PARTITIONS


@dataclass(frozen=True, slots=True)
class Settings:
    # --- Kafka ---
    broker: str = "127.0.0.1:9092"           # WINNOW_BROKER: host:port[,host:port]
    app_id: str = "winnow"                   # WINNOW_APP_ID: prefix of consumer-group ids
    partitions: int = DEFAULT_PARTITIONS     # WINNOW_PARTITIONS: partitions of every topic
    replication_factor: int = 1              # WINNOW_REPLICATION_FACTOR
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES  # WINNOW_MAX_MESSAGE_BYTES: topic/client limit
    # Group timings: fast defaults that suit the embedded broker; production Kafka may
    # use longer ones (e.g. 30 / 3 / 30).
    session_timeout_s: float = 2.0           # WINNOW_SESSION_TIMEOUT_S
    heartbeat_interval_s: float = 0.4        # WINNOW_HEARTBEAT_INTERVAL_S
    rebalance_timeout_s: float = 2.0         # WINNOW_REBALANCE_TIMEOUT_S
    fetch_max_wait_ms: int = 50              # WINNOW_FETCH_MAX_WAIT_MS (latency vs broker CPU)
    producer_linger_ms: int = 5              # WINNOW_PRODUCER_LINGER_MS
    commit_interval_s: float = 1.0           # WINNOW_COMMIT_INTERVAL_S
    # How long a client command (topics, produce, consume) retries an unreachable broker
    # before it gives up with exit code 3; a worker retries for ever, with backoff.
    connect_timeout_s: float = 10.0          # WINNOW_CONNECT_TIMEOUT_S
    # --- security (TLS and SASL) ---
    security_protocol: str = "PLAINTEXT"     # WINNOW_SECURITY_PROTOCOL: PLAINTEXT|SSL|SASL_PLAINTEXT|SASL_SSL
    sasl_mechanism: str = "PLAIN"            # WINNOW_SASL_MECHANISM: PLAIN|SCRAM-SHA-256|SCRAM-SHA-512
    sasl_username: str | None = None         # WINNOW_SASL_USERNAME
    sasl_password: str | None = None         # WINNOW_SASL_PASSWORD (never logged)
    ssl_cafile: str | None = None            # WINNOW_SSL_CAFILE
    ssl_certfile: str | None = None          # WINNOW_SSL_CERTFILE
    ssl_keyfile: str | None = None           # WINNOW_SSL_KEYFILE
    # --- worker ---
    web_host: str = "127.0.0.1"              # WINNOW_WEB_HOST: bind address of /metrics, /healthz
    web_port: int = 6066                     # WINNOW_WEB_PORT
    data_dir: str = ""                       # WINNOW_DATA_DIR: Faust data dir ("" = a temp dir)
    log_level: str = "WARNING"               # WINNOW_LOG_LEVEL
    lag_interval_s: float = 5.0              # WINNOW_LAG_INTERVAL_S: how often lag is computed
    shutdown_grace_s: float = 8.0            # WINNOW_SHUTDOWN_GRACE_S: hard exit after SIGTERM
    # --- limits ---
    max_document_bytes: int = 5 * 1024 * 1024 + 512 * 1024  # WINNOW_MAX_DOCUMENT_BYTES (5.5 MiB of content)
    stage_timeout_s: float = 2.0             # WINNOW_STAGE_TIMEOUT_S: per-record time budget per stage
    # --- site-template learning (bounded memory) ---
    # About 170 bytes per line hash in memory: 1,500 x 400 = 600,000 entries is ~100 MB at
    # most, which keeps a worker under 300 MB RSS (measured base ~190 MB).
    template_max_sites: int = 1500           # WINNOW_TEMPLATE_MAX_SITES: sites kept (LRU eviction)
    template_max_lines: int = 400            # WINNOW_TEMPLATE_MAX_LINES: line hashes kept per site
    # --- line labelling ---
    # auto (default: the trained labeller, rules as evidence, for HTML input and plain text) |
    # rules (the rule labeller) | model (the trained labeller, as auto). docs/model.md: the model
    # leads the rules out of fold on every HTML set and on the blind plain-text pages
    labeller: str = "auto"                   # WINNOW_LABELLER: auto | rules | model

    @property
    def bootstrap_servers(self) -> list[str]:
        return [b.strip() for b in self.broker.split(",") if b.strip()]

    def ssl_context(self):
        """The TLS context for SSL/SASL_SSL (None otherwise), for every Kafka client."""
        if self.security_protocol not in ("SSL", "SASL_SSL"):
            return None
        from aiokafka.helpers import create_ssl_context

        return create_ssl_context(cafile=self.ssl_cafile, certfile=self.ssl_certfile, keyfile=self.ssl_keyfile)

    def kafka_security_kwargs(self) -> dict[str, Any]:
        """aiokafka keyword arguments for TLS/SASL (empty for PLAINTEXT)."""
        kw: dict[str, Any] = {"security_protocol": self.security_protocol}
        ctx = self.ssl_context()
        if ctx is not None:
            kw["ssl_context"] = ctx
        if self.security_protocol.startswith("SASL"):
            kw["sasl_mechanism"] = self.sasl_mechanism
            kw["sasl_plain_username"] = self.sasl_username
            kw["sasl_plain_password"] = self.sasl_password
        return kw

    def __repr__(self) -> str:  # never print the password
        parts = []
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "sasl_password" and v:
                v = "***"
            parts.append(f"{f.name}={v!r}")
        return f"Settings({', '.join(parts)})"


def _convert(kind: Any, raw: str) -> Any:
    kind = str(kind)
    if kind.startswith("int"):
        return int(raw)
    if kind.startswith("float"):
        return float(raw)
    if kind.startswith("bool"):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw


def from_env(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build Settings from ``WINNOW_<FIELD>`` variables, then apply non-None overrides."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get("WINNOW_" + f.name.upper())
        if raw is not None and raw != "":
            try:
                values[f.name] = _convert(f.type, raw)
            except ValueError as exc:
                raise SystemExit(f"invalid WINNOW_{f.name.upper()}={raw!r}: {exc}") from None
    values.update({k: v for k, v in overrides.items() if v is not None})
    for key, allowed in _CHOICES.items():
        if key in values:
            values[key] = str(values[key]).strip().upper()
            if values[key] not in allowed:
                raise SystemExit(f"invalid WINNOW_{key.upper()}={values[key]!r}: choose from {', '.join(allowed)}")
    return Settings(**values)


_CHOICES = {
    "security_protocol": ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"),
    "sasl_mechanism": ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"),
    "labeller": ("AUTO", "MODEL", "RULES"),
}


def with_overrides(settings: Settings, **overrides: Any) -> Settings:
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
