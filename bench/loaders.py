"""The benchmark's pages from ``../shared/corpus`` (gold text pages, Dragnet flattened to
text, raw HTML pages) and their raw records; used by bench.py and profile_offline.py."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Iterator

import orjson

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("WINNOW_CORPUS", ROOT.parent / "shared" / "corpus"))


def html_dev_pages(name: str) -> Iterator[dict]:
    """The pages of ``html-dev/<name>`` (gzip'd JSON Lines), decoded, in file order."""
    with gzip.open(CORPUS / "html-dev" / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


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
    for d in html_dev_pages("dragnet-train.jsonl.gz"):
        if len(flat) >= n_dragnet:
            break
        text = flatten_html(d["html"])[0]
        if text.strip():
            flat.append({"id": f"dragnet-text:{d['id']}", "url": d.get("url"), "content": text,
                         "content_type": "text/plain"})
    return gold, flat


def load_html_records(n_dragnet: int, n_wcxb: int) -> tuple[list[dict], list[dict]]:
    """(first Dragnet pages, a WCXB sample spread evenly over its page types)."""
    dragnet = []
    for d in html_dev_pages("dragnet-train.jsonl.gz"):
        if len(dragnet) >= n_dragnet:
            break
        dragnet.append({"id": f"dragnet:{d['id']}", "url": d.get("url"), "content": d["html"],
                        "content_type": "text/html"})
    types = ("article", "forum", "product", "collection", "listing", "documentation", "service")
    per_type = max(1, -(-n_wcxb // len(types)))
    taken: dict[str, int] = {}
    wcxb = []
    for d in html_dev_pages("wcxb-dev.jsonl.gz"):
        if len(wcxb) >= n_wcxb:
            break
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


def corpus_values(corpus: str, n_dragnet: int, n_wcxb: int = 0) -> list[bytes]:
    """The raw records of the benchmark's ``corpus`` ("text": seed + text-dev and ``n_dragnet``
    Dragnet pages flattened to text; "html": ``n_dragnet`` Dragnet and ``n_wcxb`` WCXB pages),
    as the bytes that go on ``documents.raw``; used by profile_parts.py and profile_offline.py."""
    if corpus == "text":
        gold, flat = load_text_records(n_dragnet)
        records = gold + flat
    else:
        dragnet, wcxb = load_html_records(n_dragnet, n_wcxb)
        records = dragnet + wcxb
    return [v for _, v in raw_values(records)]
