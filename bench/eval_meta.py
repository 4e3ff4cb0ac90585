"""Metadata accuracy on WCXB development pages (HTML through the whole pipeline).

    .venv/bin/python bench/eval_meta.py [--limit N] [--json out.json]

Scored against the WCXB gold of ``../shared/corpus/html-dev/wcxb-dev.jsonl.gz`` (7 page
types): title, author and publish date (on pages whose gold has one), false dates on pages
whose gold has none, the page kind against the gold page type, and where the dates came
from (``metadata.published_at_source``). Comparison of titles and authors: NFKC, lower
case, ``\\w+`` tokens joined by one space must be equal ("exact"); "close" also accepts a
token F1 >= 0.8. Dates: the same YYYY-MM-DD. These are DEV pages: rules were written
looking at them, so the figures are not an unseen estimate.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from bench.loaders import CORPUS, html_dev_pages  # noqa: E402
from bench.offline import enriched_records  # noqa: E402
from workers.core.runner import StageRunner  # noqa: E402
from workers.settings import from_env  # noqa: E402

WCXB = CORPUS / "html-dev" / "wcxb-dev.jsonl.gz"
CLOSE_F1 = 0.8


def norm(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").lower()))


def token_f1(a: str, b: str) -> float:
    ta, tb = collections.Counter(a.split()), collections.Counter(b.split())
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def load(limit: int | None) -> list[dict]:
    out = []
    for d in html_dev_pages("wcxb-dev.jsonl.gz"):
        if limit is not None and len(out) >= limit:
            break
        out.append(d)
    return out


def run(pages: list[dict]) -> tuple[dict[str, dict], float]:
    settings = from_env(env={}, stage_timeout_s=60.0)  # quality, not timing: no timeouts on a loaded machine
    runner = StageRunner(settings, dedupe_window=0)
    values = [orjson.dumps({"id": p["id"], "url": p.get("url"), "content": p["html"], "content_type": "text/html"})
              for p in pages]
    return enriched_records(values, settings, runner)


def _rate(ok: int, n: int) -> float | None:
    return round(ok / n, 3) if n else None


def score(pages: list[dict], results: dict[str, dict]) -> dict:
    c: collections.Counter = collections.Counter()
    by_type: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    sources: collections.Counter = collections.Counter()
    rows = []
    for p in pages:
        gold, kind = p["gold"], p.get("page_type")
        rec = results.get(p["id"]) or {}
        meta = rec.get("metadata") or {}
        t = by_type[kind]
        t["pages"] += 1
        g, out = norm(gold.get("title")), norm(rec.get("title"))
        t["title_exact"] += g == out
        t["title_close"] += bool(g and out) and token_f1(g, out) >= CLOSE_F1
        if gold.get("author"):
            g, out = norm(gold["author"]), norm(meta.get("author"))
            t["author_pages"] += 1
            t["author_exact"] += g == out
            t["author_close"] += bool(out) and token_f1(g, out) >= CLOSE_F1
        date = meta.get("published_at")
        if gold.get("publish_date"):
            t["date_pages"] += 1
            t["date_exact"] += date == gold["publish_date"]
            sources[(meta.get("published_at_source") or "none") + (" ok" if date == gold["publish_date"]
                                                                    else " wrong")] += 1
        else:
            t["nodate_pages"] += 1
            t["date_false"] += date is not None
        t["kind_ok"] += meta.get("page_kind") == kind
        rows.append({"id": p["id"], "type": kind, "url": p.get("url"), "title": rec.get("title"),
                     "gold_title": gold.get("title"), "author": meta.get("author"), "gold_author": gold.get("author"),
                     "date": date, "date_source": meta.get("published_at_source"),
                     "gold_date": gold.get("publish_date"), "page_kind": meta.get("page_kind")})
    for t in by_type.values():
        c.update(t)

    def summary(t: collections.Counter) -> dict:
        return {"pages": t["pages"], "title_exact": _rate(t["title_exact"], t["pages"]),
                "title_close": _rate(t["title_close"], t["pages"]),
                "author_exact": _rate(t["author_exact"], t["author_pages"]),
                "author_close": _rate(t["author_close"], t["author_pages"]), "author_pages": t["author_pages"],
                "date_exact": _rate(t["date_exact"], t["date_pages"]), "date_pages": t["date_pages"],
                "date_false": _rate(t["date_false"], t["nodate_pages"]), "page_kind": _rate(t["kind_ok"], t["pages"])}

    return {"all": summary(c), "by_type": {k: summary(v) for k, v in sorted(by_type.items())},
            "date_sources": dict(sources.most_common()), "rows": rows}


def print_report(rep: dict, docs_per_s: float) -> None:
    print(f"== WCXB dev metadata (HTML through the pipeline, {rep['all']['pages']} pages, {docs_per_s:.1f} docs/s;"
          " dev pages, not an unseen estimate)")
    cols = ("pages", "title_exact", "title_close", "author_exact", "author_close", "date_exact", "date_false",
            "page_kind")
    print("   " + f"{'type':14s}" + "".join(f"{c:>13s}" for c in cols))
    for name, row in [("all", rep["all"]), *rep["by_type"].items()]:
        print("   " + f"{name:14s}" + "".join(f"{'-' if row[c] is None else row[c]:>13}" for c in cols))
    print(f"   author on {rep['all']['author_pages']} pages with a gold author; date on {rep['all']['date_pages']}"
          " pages with a gold date; date_false = a date output on pages whose gold has none")
    print("   published_at_source (pages with a gold date): "
          + ", ".join(f"{k} {v}" for k, v in rep["date_sources"].items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", dest="json_out", default=None)
    args = ap.parse_args(argv)
    if not WCXB.is_file():
        print(f"eval_meta: {WCXB} not found (the shared corpus is needed)", file=sys.stderr)
        return 2
    pages = load(args.limit)
    results, secs = run(pages)
    rep = score(pages, results)
    print_report(rep, len(pages) / secs if secs > 0 else float("inf"))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rep, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
