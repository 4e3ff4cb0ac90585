"""The benchmark's pages from ``../shared/corpus`` (gold text pages, Dragnet flattened to
text, raw HTML pages) and their raw records; used by bench.py and profile_offline.py."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("WINNOW_CORPUS", ROOT.parent / "shared" / "corpus"))


def load_text_records(n_dragnet: int) -> tuple[list[dict], list[dict]]:
    """(gold text pages: seed + text-dev, Dragnet pages flattened to text)."""
    from workers.core.stages.html import flatten_html

    gold = []
    for f in [CORPUS / "seed" / "southfront-ghouta.json", *sorted((CORPUS / "text-dev").glob("*.json"))]:
        inp = dict(json.loads(f.read_text(encoding="utf-8"))["input"])
        inp["id"] = inp.get("id") or f.stem
        inp["content_type"] = "text/plain"
        gold.append(inp)
    flat = []
    with gzip.open(CORPUS / "html-dev" / "dragnet-train.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(flat) >= n_dragnet:
                break
            d = json.loads(line)
            text = flatten_html(d["html"])[0]
            if text.strip():
                flat.append({"id": f"dragnet-text:{d['id']}", "url": d.get("url"), "content": text,
                             "content_type": "text/plain"})
    return gold, flat


def load_html_records(n_dragnet: int, n_wcxb: int) -> tuple[list[dict], list[dict]]:
    """(first Dragnet pages, a WCXB sample spread evenly over its page types)."""
    dragnet = []
    with gzip.open(CORPUS / "html-dev" / "dragnet-train.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(dragnet) >= n_dragnet:
                break
            d = json.loads(line)
            dragnet.append({"id": f"dragnet:{d['id']}", "url": d.get("url"), "content": d["html"],
                            "content_type": "text/html"})
    types = ("article", "forum", "product", "collection", "listing", "documentation", "service")
    per_type = max(1, -(-n_wcxb // len(types)))
    taken: dict[str, int] = {}
    wcxb = []
    with gzip.open(CORPUS / "html-dev" / "wcxb-dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(wcxb) >= n_wcxb:
                break
            d = json.loads(line)
            t = d.get("page_type") or "other"
            if taken.get(t, 0) >= per_type:
                continue
            taken[t] = taken.get(t, 0) + 1
            wcxb.append({"id": f"wcxb:{d['id']}", "url": d.get("url"), "content": d["html"],
                         "content_type": "text/html", "page_type": t})
    return dragnet, wcxb


def raw_values(records: list[dict]) -> list[tuple[str, bytes]]:
    out = []
    for r in records:
        obj = {k: v for k, v in r.items() if k in ("id", "url", "content", "content_type", "fetched_at", "source")}
        out.append((obj["id"], orjson.dumps(obj)))
    return out
