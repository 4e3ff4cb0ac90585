"""Train the page-kind classifier (``workers/core/stages/page_kind_model.py``).

    python -m workers.training.page_kind_train [--shared ../shared] [--folds 4] [--no-save]

Data: the WCXB development pages of ``../shared/corpus/html-dev/wcxb-dev.jsonl.gz`` (their
gold page type; 7 kinds), each run through the offline pipeline (strip + segment, with the
default labeller WINNOW_LABELLER=auto) so the features are the ones the enrich stage sees. Validation: site-split k-fold
(all pages of a site in one fold, ``corpus.site_of``); the out-of-fold accuracy and per-kind
precision/recall are printed next to the rules' and kept in the model file. The saved model
is then fitted on every page. Multinomial logistic regression (numpy, full-batch gradient
descent, L2, a fixed number of steps): deterministic, the same data gives the same file.
Exit codes: 0 done; 2 the data is missing (one line); 1 training failed (one line).
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import zlib
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from workers.core.stages import page_kind_model as PM
from workers.core.stages.page_kind import rule_page_kind
from workers.training.corpus import corpus_dir, site_of
from workers.training.pools import can_fork, fork_map

ROOT = Path(__file__).resolve().parents[2]
FOLDS = 4
STEPS = 600          # gradient steps (full batch)
LEARNING_RATE = 0.5
L2 = 0.1             # weight decay on the standardised features (chosen out of fold: 0.003-0.3 tried)
CLASS_WEIGHT_POWER = 0.5  # 0: every page counts the same, 1: every kind counts the same


def load_pages(shared: Path) -> list[dict[str, Any]]:
    path = corpus_dir(shared) / "html-dev" / "wcxb-dev.jsonl.gz"
    with gzip.open(path, "rb") as fh:
        return [orjson.loads(line) for line in fh if line.strip()]


# (input file, size, mtime, labeller version) -> (pages, their segmented documents): the pipeline
# pass over the WCXB pages is made once per process (``page_models`` runs both page models on it)
_SEGMENTED: dict[tuple, tuple[list[dict[str, Any]], list[Any]]] = {}


def segmented_pages(shared: Path) -> tuple[list[dict[str, Any]], list[Any]]:
    """The WCXB dev pages and each one's SegmentedDocument (``segmented``), made once per process
    for the same input file and line labeller."""
    from workers.core.labeller import model as LM
    path = corpus_dir(shared) / "html-dev" / "wcxb-dev.jsonl.gz"
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns, LM.committed_version())
    if key not in _SEGMENTED:
        pages = load_pages(shared)
        _SEGMENTED.clear()
        _SEGMENTED[key] = (pages, segmented(pages))
    return _SEGMENTED[key]


WORKERS = 2  # processes of the pipeline pass (2 cores)


def segmented(pages: list[dict[str, Any]], workers: int = WORKERS) -> list[Any]:
    """Each page's SegmentedDocument: the raw record through the flow's stages up to segment
    (the same stage code and wire bytes as the stream; the default labeller, WINNOW_LABELLER=auto,
    so the features are the ones the enrich stage sees when it serves). In ``workers`` forked
    processes, each with whole sites in page order: the one state the stages keep across pages
    is the strip stage's per-site template profile, so each page gets the document of the
    serial pass (when the sites fit the profile store; else one process)."""
    from topics.records import SegmentedDocument
    from workers.core.stages.ingest import site_key

    parts = _site_parts([site_key(p.get("url"), None) for p in pages], workers)
    if len(parts) < 2 or not can_fork():
        values = _segment_part(list(range(len(pages))), pages)
    else:
        got = fork_map(partial(_segment_part, pages=pages), parts, len(parts))
        at = {i: v for idx, vs in zip(parts, got) for i, v in zip(idx, vs)}
        values = [at[i] for i in range(len(pages))]
    return [None if v is None else SegmentedDocument.from_dict(orjson.loads(v)) for v in values]


def _site_parts(sites: list[str], workers: int, min_pages: int = 200) -> list[list[int]]:
    """Page indexes per process: every site's pages in one part, in page order; sites dealt to
    the part with the fewest pages so far. One part when the sites could exceed the template
    store's bound (its least-recently-learned eviction crosses sites)."""
    from workers.settings import from_env
    distinct = list(dict.fromkeys(sites))
    if workers < 2 or len(sites) < min_pages or len(distinct) > from_env(env={}).template_max_sites:
        return [list(range(len(sites)))]
    count: dict[str, int] = {}
    for s in sites:
        count[s] = count.get(s, 0) + 1
    load, part_of = [0] * workers, {}
    for s in distinct:
        k = min(range(workers), key=lambda j: (load[j], j))
        part_of[s] = k
        load[k] += count[s]
    return [[i for i, s in enumerate(sites) if part_of[s] == k] for k in range(workers)]


def _segment_part(idx: list[int], pages: list[dict[str, Any]]) -> list[bytes | None]:
    """The segment stage's output value (None: dead-lettered or dropped) of the pages ``idx``, in order."""
    from workers.core.flow import FLOW, next_stage
    from workers.core.runner import StageRunner
    from workers.settings import from_env
    settings = from_env(env={}, stage_timeout_s=60.0)  # the default labeller, as a worker serves
    runner = StageRunner(settings, dedupe_window=0)
    runner.warm_up()
    out: list[bytes | None] = []
    for i in idx:
        p = pages[i]
        value = orjson.dumps({"id": p["id"], "url": p.get("url"), "content": p["html"], "content_type": "text/html"})
        stage, key, topic, doc = FLOW[0], None, FLOW[0].source.name, None
        while stage is not None:
            res = runner.handle(stage.name, value, key=key, topic=topic, partition=None, offset=i)
            if res.dead_letter is not None or not res.outputs:
                break
            key, value, topic = res.outputs[0].key, res.outputs[0].value, res.outputs[0].topic
            if stage.name == "segment":
                doc = value
                break
            stage = next_stage(stage)
        out.append(doc)
    return out


def matrix(pages: list[dict[str, Any]], docs: list[Any]) -> tuple[np.ndarray, list[str | None]]:
    """Feature rows and the rules' verdict per page."""
    rows, rules = [], []
    for p, doc in zip(pages, docs):
        meta = (doc.html_meta if doc is not None else None) or {}
        rule = rule_page_kind(meta, p.get("url"))[0]
        rules.append(rule)
        rows.append(PM.features(meta, p.get("url"), doc, rule))
    return np.vstack(rows), rules


def fit(x: np.ndarray, y: np.ndarray, k: int) -> dict[str, Any]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    n, d = z.shape
    w = np.zeros((d, k))
    b = np.zeros(k)
    onehot = np.eye(k)[y]
    # class weights: each kind counts as much as the others (services and listings are rarer)
    cw = (n / (k * np.maximum(np.bincount(y, minlength=k), 1)))[y][:, None] ** CLASS_WEIGHT_POWER
    for _ in range(STEPS):
        s = z @ w + b
        s -= s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * cw / n
        w -= LEARNING_RATE * (z.T @ g + L2 * w)
        b -= LEARNING_RATE * g.sum(axis=0)
    return {"weights": w.round(6).tolist(), "bias": b.round(6).tolist(), "mean": mean.round(6).tolist(),
            "scale": scale.round(6).tolist()}


def _model(params: dict[str, Any]) -> dict[str, Any]:
    return {"_w": np.asarray(params["weights"]), "_b": np.asarray(params["bias"]),
            "_mean": np.asarray(params["mean"]), "_scale": np.asarray(params["scale"])}


def site_folds(sites: list[str], k: int) -> np.ndarray:
    """Fold per page: a site's pages in one fold (CRC-32 of the site, deterministic)."""
    return np.array([zlib.crc32(s.encode("utf-8")) % k for s in sites])


def report(y: np.ndarray, pred: np.ndarray, classes: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"accuracy": round(float((y == pred).mean()), 3), "kinds": {}}
    for i, c in enumerate(classes):
        tp = int(((y == i) & (pred == i)).sum())
        out["kinds"][c] = {"precision": round(tp / max(int((pred == i).sum()), 1), 3),
                           "recall": round(tp / max(int((y == i).sum()), 1), 3), "pages": int((y == i).sum())}
    return out


def run(shared: Path, folds: int, save: bool, log=print) -> dict[str, Any]:
    t0 = time.monotonic()
    pages, docs = segmented_pages(shared)
    classes = list(PM.KIND_NAMES)
    y = np.array([classes.index(p["page_type"]) for p in pages])
    x, rule_kinds = matrix(pages, docs)
    log(f"page kinds: {len(pages)} pages, {x.shape[1]} features ({time.monotonic() - t0:.0f} s)")
    sites = [site_of(p.get("url"), p.get("html"), p["id"]) for p in pages]
    fold = site_folds(sites, folds)
    oof = np.zeros(len(pages), dtype=np.int64)
    for f in range(folds):
        tr, te = fold != f, fold == f
        oof[te] = PM.scores(_model(fit(x[tr], y[tr], len(classes))), x[te]).argmax(axis=1)
    rule = np.array([classes.index(k) if k in classes else -1 for k in rule_kinds])
    validation, rules = report(y, oof, classes), report(y, rule, classes)
    log(f"site-split {folds}-fold validation (out of fold): accuracy {validation['accuracy']} "
        f"(rules alone {rules['accuracy']})")
    for c in classes:
        v, r = validation["kinds"][c], rules["kinds"][c]
        log(f"  {c:14s} P/R model {v['precision']:.3f}/{v['recall']:.3f}   rules {r['precision']:.3f}/"
            f"{r['recall']:.3f}   ({v['pages']} pages)")
    params = fit(x, y, len(classes))
    train_acc = float((PM.scores(_model(params), x).argmax(axis=1) == y).mean())
    log(f"training accuracy (all pages, tuned on): {train_acc:.3f}")
    model = {"version": f"page-kind-1-{zlib.crc32(json.dumps(params).encode()):08x}", "classes": classes,
             "features": list(PM.FEATURES), **params, "folds": folds, "validation": validation, "rules": rules,
             "training_accuracy": round(train_acc, 3), "pages": len(pages), "sites": len(set(sites))}
    if save:
        PM.MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        PM.MODEL_PATH.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
        PM.load_model.cache_clear()
        log(f"wrote {PM.MODEL_PATH.relative_to(ROOT)} ({model['version']})")
    return model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m workers.training.page_kind_train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--folds", type=int, default=FOLDS)
    ap.add_argument("--no-save", action="store_true", help="report only; keep the committed model")
    args = ap.parse_args(argv)
    if not (corpus_dir(args.shared) / "html-dev" / "wcxb-dev.jsonl.gz").is_file():
        print(f"page_kind_train: {args.shared}/corpus/html-dev/wcxb-dev.jsonl.gz missing; the committed model "
              "still serves", file=sys.stderr)
        return 2
    try:
        run(args.shared, max(2, args.folds), not args.no_save)
    except Exception as exc:  # noqa: BLE001 - one line, no traceback (project rule)
        print(f"page_kind_train: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
