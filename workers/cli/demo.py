"""``winnow run``: the main job on the embedded default.

Starts the embedded broker (Tansu, memory storage) on 127.0.0.1, creates the
topics, starts the workers (one process per stage, or one for all), produces the
sample documents, prints a readable summary of each enriched record and where the
metrics are served, then stops everything (or keeps running with --keep-running).
"""
from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import orjson

from workers.shell.admin import apply_topics_sync
from workers.shell.broker import EmbeddedBroker, free_port
from workers.shell.procs import WorkerProcess, stop_all
from workers.shell.signals import Stopped, exit_code, stop_on_signals
from workers.core.flow import STAGE_NAMES
from workers.settings import from_env

PACKAGE_SAMPLES = Path(__file__).resolve().parent / "samples"


def default_inputs() -> list[str]:
    """The seed and text-dev documents of ../shared/corpus when present (looked up
    from the current directory and from the repository), else the samples shipped
    in the package."""
    for root in (Path.cwd().parent / "shared" / "corpus",
                 Path(__file__).resolve().parents[2] / "shared" / "corpus"):
        seed = root / "seed" / "southfront-ghouta.txt"
        if seed.is_file():
            return [str(seed), *sorted(str(p) for p in (root / "text-dev").glob("*.json"))]
    return sorted(str(p) for p in PACKAGE_SAMPLES.iterdir() if p.suffix in (".txt", ".json", ".html"))


def plural(n: int, word: str) -> str:
    """``1 paragraph``, ``2 paragraphs``, ``0 comments``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _wrap(text: str, width: int, indent: str) -> str:
    return textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent)


def summarize(rec: dict, width: int = 100) -> str:
    meta = rec.get("metadata") or {}
    lines = [f"━━ {rec.get('title') or '(no title)'}",
             f"   id {rec['id']} · site {meta.get('site_name') or '-'} · domain {meta.get('domain') or '-'} · "
             f"lang {meta.get('language') or '-'} · published {meta.get('published_at') or '-'}",
             f"   {plural(meta.get('word_count', 0), 'word')} in {plural(meta.get('paragraph_count', 0), 'paragraph')}"
             f" · {plural(len(rec.get('removed') or []), 'boilerplate line')} removed · "
             f"{plural(len(rec.get('comments') or []), 'comment')}"]
    body = rec.get("body") or ""
    if body:
        preview = body if len(body) <= 300 else body[:300].rsplit(" ", 1)[0] + " …"
        lines.append(_wrap(preview, width, "   │ "))
    for c in rec.get("comments") or []:
        text = " ".join(c["text"].split())
        if len(text) > 110:
            text = text[:110].rsplit(" ", 1)[0] + " …"
        reply = f" ↳ reply to #{c['reply_to']}" if c.get("reply_to") is not None else ""
        lines.append(f"   💬 #{c['index']} {c.get('author') or '(no author)'}{reply}: {text}")
    return "\n".join(lines)


def run_demo(args) -> int:
    from workers.cli.readers import InputError, read_paths

    files = args.files or default_inputs()
    try:
        items = list(read_paths(files))
    except InputError as exc:
        print(f"winnow run: {exc}", file=sys.stderr)
        return 2
    if not items:
        print("winnow run: no documents to send", file=sys.stderr)
        return 2
    logdir = Path(tempfile.mkdtemp(prefix="winnow-run-"))
    broker = EmbeddedBroker(port=args.port or 0, log_path=str(logdir / "broker.log"))
    workers: list[WorkerProcess] = []
    keep_logs = False
    try:
        with stop_on_signals():
            code = _run(args, items, broker, workers, logdir)
        keep_logs = code != 0
        return code
    except (KeyboardInterrupt, Stopped) as exc:
        print(f"\nwinnow run: {'interrupted' if isinstance(exc, KeyboardInterrupt) else exc}; stopping",
              file=sys.stderr)
        return exit_code(exc)
    except Exception:
        keep_logs = True
        raise
    finally:
        stop_all(workers, timeout=12)
        broker.stop()
        if keep_logs:
            print(f"winnow run: logs kept in {logdir}", file=sys.stderr)
        else:
            shutil.rmtree(logdir, ignore_errors=True)


def _run(args, items, broker: EmbeddedBroker, workers: list[WorkerProcess], logdir: Path) -> int:
    """Start broker, topics and workers, produce ``items``, print the summary; 0 when
    every document came out (enriched or dead-lettered)."""
    from workers.shell.kafka_io import consume, produce

    broker.start()
    settings = from_env(broker=broker.bootstrap)
    print(f"▶ embedded broker (Tansu, in memory) on {broker.bootstrap}")
    report = apply_topics_sync(settings)
    print(f"▶ topics: {len(report.created)} created, {len(report.ok)} already there")
    stages = ["all"] if args.one_process else list(STAGE_NAMES)
    base = args.web_port
    for i, stage in enumerate(stages):
        port = base + i if base else free_port()
        workers.append(WorkerProcess(stage=stage, broker=broker.bootstrap, web_port=port,
                                     log_path=str(logdir / f"worker-{stage}.log")).start())
    start = time.monotonic()
    for w in workers:
        if not w.wait_ready(90):
            print(f"winnow run: the {w.stage} worker did not become ready; see {w.log_path}", file=sys.stderr,
                  flush=True)
            return 1
    print(f"▶ workers ready in {time.monotonic() - start:.1f} s: "
          + ", ".join(f"{w.stage} (pid {w.pid})" for w in workers))
    ids = [k for k, _ in items]
    asyncio.run(produce(settings, items))
    print(f"▶ produced {len(items)} documents to documents.raw; waiting for documents.enriched …\n")

    async def collect() -> tuple[dict[str, dict], list[dict]]:
        got: dict[str, dict] = {}
        deadline = time.monotonic() + args.timeout
        wanted = {i for i in ids if i}
        dead: list[dict] = []
        while time.monotonic() < deadline:
            async for key, value, _info in consume(settings, "documents.enriched", timeout=1.0):
                got[key] = orjson.loads(value)
            dead = [orjson.loads(v) async for _k, v, _i in consume(settings, "documents.dead-letter",
                                                                       timeout=0.3)]
            dead_ids = {d.get("document_id") for d in dead}
            if wanted <= set(got) | dead_ids:
                break
        return got, dead

    got, dead = asyncio.run(collect())
    for key in ids:
        if key in got:
            print(summarize(got[key]))
            print()
    for d in dead:
        print(f"✗ dead-lettered at {d['stage']}: {d['reason']}: {d['error']} (document {d.get('document_id')})")
    missing = [i for i in ids if i not in got and i not in {d.get('document_id') for d in dead}]
    n_comments = sum(len(r.get("comments") or []) for r in got.values())
    print(f"■ {plural(len(got), 'document')} enriched, {plural(n_comments, 'comment')}, {len(dead)} dead-lettered"
          + (f", {len(missing)} still missing after {args.timeout:.0f} s" if missing else ""))
    if not args.keep_running:
        print("■ broker and workers stopped (run with --keep-running to keep them up, with their "
              "metrics and health URLs)")
        return 0 if not missing else 1
    print("■ metrics: " + "  ".join(f"{w.url}/metrics ({w.stage})" for w in workers))
    print("■ health:  " + "  ".join(f"{w.url}/healthz" for w in workers))
    print(f"■ read the topics yourself: winnow consume documents.enriched --from-beginning "
          f"--broker {broker.bootstrap}")
    print("■ keeping broker and workers running until Ctrl-C or SIGTERM", flush=True)
    while all(w.alive() for w in workers):
        time.sleep(1)
    dead = [w for w in workers if not w.alive()]
    print(f"winnow run: the {dead[0].stage} worker exited (code {dead[0].proc.returncode}); see "
          f"{dead[0].log_path}", file=sys.stderr)
    return 1
