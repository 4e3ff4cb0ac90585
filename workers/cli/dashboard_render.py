"""Render the key panels of the Grafana dashboard to one PNG, straight from Prometheus.

``winnow dashboard-png --prometheus http://127.0.0.1:9090 --out dashboard.png`` runs the
dashboard's most telling queries (deploy/grafana/dashboards/winnow.json) as range
queries over the last ``minutes`` and draws them with matplotlib (Agg, no display):
throughput per stage, p95 processing duration per stage, end-to-end latency, consumer
lag, dead letters by stage and reason, documents by language. For a README picture or
a bug report without a Grafana at hand.

matplotlib is an optional dependency (the ``test`` extra); only this module needs it.
"""
from __future__ import annotations

import json
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from workers.core.flow import STAGE_NAMES as STAGES


class PrometheusError(RuntimeError):
    pass


@dataclass(frozen=True)
class Panel:
    title: str
    expr: str            # PromQL; "{w}" is replaced by the rate window
    legend: str          # format string over the series labels, e.g. "{stage}"
    unit: str = ""
    kind: str = "range"  # "range": lines over time; "bars": last value per series


PANELS: tuple[Panel, ...] = (
    Panel("Throughput: records consumed/s per stage",
          "sum by (stage) (rate(winnow_records_consumed_total[{w}]))", "{stage}", "records/s"),
    Panel("Processing duration p95 per stage",
          "histogram_quantile(0.95, sum by (stage, le) (rate(winnow_processing_duration_seconds_bucket[{w}])))",
          "{stage}", "s"),
    Panel("End-to-end latency per stage (p50 dashed, p95 solid)",
          "histogram_quantile(0.95, sum by (stage, le) (rate(winnow_end_to_end_latency_seconds_bucket[{w}])))",
          "{stage} p95", "s"),
    Panel("Consumer lag (messages) per stage",
          "sum by (stage) (max by (stage, topic, partition) (winnow_consumer_lag_messages))", "{stage}",
          "messages"),
    Panel("Dead letters (total) by stage and reason",
          "sum by (stage, reason) (winnow_dead_letter_records_total) > 0", "{stage}: {reason}", "records"),
    Panel("Documents by language (total)",
          "sort_desc(sum by (language) (winnow_documents_by_language_total) > 0)", "{language}", "documents",
          kind="bars"),
)
# Drawn on the end-to-end panel next to its p95.
E2E_P50 = Panel("", "histogram_quantile(0.5, sum by (stage, le) (rate(winnow_end_to_end_latency_seconds_bucket[{w}])))",
                "{stage} p50", "s")

_STAGE_COLORS = {"strip": "#1f77b4", "segment": "#ff7f0e", "enrich": "#2ca02c"}


def _get(base: str, path: str, params: dict[str, Any], timeout: float = 15.0) -> Any:
    url = base.rstrip("/") + path + "?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            body = json.load(resp)
    except urllib.error.HTTPError as exc:  # 400 carries Prometheus's error message
        try:
            body = json.load(exc)
        except ValueError:
            raise PrometheusError(f"{url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise PrometheusError(f"cannot reach Prometheus at {base}: {exc}") from None
    if body.get("status") != "success":
        raise PrometheusError(f"{body.get('errorType')}: {body.get('error')} (query {params.get('query')!r})")
    return body["data"]


def query_range(base: str, expr: str, start: float, end: float, step: float) -> list[dict]:
    return _get(base, "/api/v1/query_range", {"query": expr, "start": f"{start:.3f}", "end": f"{end:.3f}",
                                                "step": f"{step:g}"})["result"]


def query(base: str, expr: str, at: float | None = None) -> list[dict]:
    params = {"query": expr}
    if at is not None:
        params["time"] = f"{at:.3f}"
    return _get(base, "/api/v1/query", params)["result"]


def _label(fmt: str, metric: dict[str, str]) -> str:
    class _D(dict):
        def __missing__(self, key):
            return ""

    return fmt.format_map(_D(metric)).strip() or "value"


def _stage_order(series: list[dict]) -> list[dict]:
    order = {s: i for i, s in enumerate(STAGES)}
    return sorted(series, key=lambda s: (order.get(s["metric"].get("stage", ""), 99), sorted(s["metric"].items())))


def _windows(minutes: float) -> tuple[float, str]:
    """(step seconds, rate window) for a time range: ~240 points, >= 4 samples per window
    at a 5 s scrape interval."""
    span = max(60.0, minutes * 60.0)
    step = max(1.0, round(span / 240.0))
    window = max(20, int(4 * step))
    return step, f"{window}s"


def render(prometheus_url: str, out_path: str, minutes: float = 10) -> None:
    """Query ``prometheus_url`` for the last ``minutes`` and write the panels to ``out_path`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from datetime import datetime, timezone

    end = time.time()
    start = end - max(1.0, minutes) * 60.0
    step, window = _windows(minutes)

    fig, axes = plt.subplots(3, 2, figsize=(13, 10.5), dpi=80)
    fig.suptitle(f"Winnow pipeline — last {minutes:g} min — {prometheus_url}", fontsize=13)
    for ax, panel in zip(axes.flat, PANELS):
        ax.set_title(panel.title, fontsize=10)
        ax.grid(True, alpha=0.3)
        if panel.kind == "bars":
            result = query(prometheus_url, panel.expr.format(w=window), at=end)
            names = [_label(panel.legend, r["metric"]) for r in result]
            values = [float(r["value"][1]) for r in result]
            if names:
                ax.barh(names[::-1], values[::-1], color="#4c72b0")
                ax.set_xlabel(panel.unit)
            else:
                ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes, color="grey")
            continue
        series = _stage_order(query_range(prometheus_url, panel.expr.format(w=window), start, end, step))
        if panel is PANELS[2]:
            extra = _stage_order(query_range(prometheus_url, E2E_P50.expr.format(w=window), start, end, step))
            series = [(s, panel.legend, "-") for s in series] + [(s, E2E_P50.legend, "--") for s in extra]
        else:
            series = [(s, panel.legend, "-") for s in series]
        drawn = 0
        for s, legend, style in series:
            pts = [(datetime.fromtimestamp(float(t), tz=timezone.utc), float(v)) for t, v in s["values"]]
            pts = [(t, v) for t, v in pts if math.isfinite(v)]
            if not pts:
                continue
            xs, ys = zip(*pts)
            # one colour per stage, except where series split further (dead letters by reason)
            color = None if "reason" in s["metric"] else _STAGE_COLORS.get(s["metric"].get("stage", ""))
            ax.plot(xs, ys, style, label=_label(legend, s["metric"]), color=color, linewidth=1.4)
            drawn += 1
        if drawn:
            ax.legend(fontsize=8, loc="upper left")
            ax.set_ylim(bottom=0)
        else:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes, color="grey")
        ax.set_ylabel(panel.unit)
        ax.set_xlim(datetime.fromtimestamp(start, tz=timezone.utc), datetime.fromtimestamp(end, tz=timezone.utc))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M:%S"))
        ax.tick_params(axis="x", labelsize=8)
    fig.text(0.5, 0.005, "time in UTC; rates over " + window + "; the Grafana dashboard (uid winnow) has the full set",
             ha="center", fontsize=8, color="grey")
    fig.tight_layout(rect=(0, 0.015, 1, 0.97))
    fig.savefig(out_path, format="png")
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """``python -m workers.cli.dashboard_render --prometheus URL --out FILE [--minutes M]``."""
    import argparse

    p = argparse.ArgumentParser(prog="winnow dashboard-png", description=__doc__.splitlines()[0])
    p.add_argument("--prometheus", required=True, help="e.g. http://127.0.0.1:9090")
    p.add_argument("--out", default="dashboard.png")
    p.add_argument("--minutes", type=float, default=10.0)
    args = p.parse_args(argv)
    render(args.prometheus, args.out, minutes=args.minutes)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
