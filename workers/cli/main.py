"""The ``winnow`` command line.

    winnow run [FILE...] [--keep-running]     the main job on the embedded broker
    winnow broker [--port P]                  embedded Tansu broker, foreground
    winnow topics apply|list                  create / show the catalogue's topics
    winnow worker [--stage S]                 Faust worker(s) for one stage or all
    winnow produce FILE...                    documents to documents.raw
    winnow consume TOPIC                      records as JSON Lines
    winnow process FILE... [-o OUT]           offline: same stages, no broker
    winnow dashboard-png --prometheus URL     the dashboard's key queries as a PNG

Every Kafka command takes ``--broker HOST:PORT`` (default ``$WINNOW_BROKER``, else
127.0.0.1:9092).
"""
from __future__ import annotations

import argparse
import asyncio
import sys

import orjson

from topics import STAGES, TOPICS
from workers.settings import Settings, from_env


def _settings(args: argparse.Namespace, **extra) -> Settings:
    return from_env(broker=getattr(args, "broker", None), **extra)


def _add_broker(p: argparse.ArgumentParser) -> None:
    p.add_argument("--broker", metavar="HOST:PORT", help="Kafka bootstrap server(s) (default $WINNOW_BROKER, "
                   "else 127.0.0.1:9092)")


def cmd_broker(args) -> int:
    from workers.shell.broker import run_foreground

    return run_foreground(args.host, args.port)


def cmd_topics(args) -> int:
    from workers.shell.admin import apply_topics, existing_topics

    settings = _settings(args)
    if args.action == "list":
        present = asyncio.run(existing_topics(settings))
        for t in TOPICS:
            print(f"{'✓' if t.name in present else '✗'} {t.name:36} {t.description}")
        return 0
    report = asyncio.run(apply_topics(settings))
    for name in report.created:
        print(f"created  {name}")
    for name in report.ok:
        print(f"ok       {name}")
    for problem in report.mismatched:
        print(f"MISMATCH {problem}", file=sys.stderr)
    if not report.success:
        print("some topics exist with the wrong partition count or config; fix or delete them "
              "(Winnow will not use them as they are)", file=sys.stderr)
        return 1
    return 0


def cmd_worker(args) -> int:
    from workers.shell.app import run_worker

    settings = _settings(args, web_port=args.web_port, web_host=args.web_host)
    sys.argv = [sys.argv[0], "worker"]  # Faust's Worker reads argv; ours are parsed already
    run_worker(settings, args.stage)
    return 0


def cmd_produce(args) -> int:
    from workers.shell.kafka_io import TopicMissing, produce
    from workers.cli.readers import InputError, Progress, read_paths

    settings = _settings(args)
    progress = Progress("produced")
    try:
        # Read every file before sending: an unreadable file fails the command up front.
        items = list(read_paths(args.files))
        n = asyncio.run(produce(settings, items, topic=args.topic, on_sent=progress.tick))
    except InputError as exc:
        print(f"winnow produce: {exc}", file=sys.stderr)
        return 2
    except TopicMissing as exc:
        print(f"winnow produce: {exc}", file=sys.stderr)
        return 1
    progress.done()
    print(f"produced {n} document(s) to {args.topic} on {settings.broker}", file=sys.stderr)
    return 0


def cmd_consume(args) -> int:
    from workers.shell.kafka_io import TopicMissing, consume

    settings = _settings(args)

    async def go() -> int:
        n = 0
        async for key, value, info in consume(settings, args.topic, from_beginning=args.from_beginning,
                                              limit=args.limit, timeout=args.timeout):
            try:
                obj = orjson.loads(value) if value is not None else None
            except orjson.JSONDecodeError:
                obj = value.decode("utf-8", "replace")
            line = {"key": key, "value": obj} if args.with_key else obj
            sys.stdout.buffer.write(orjson.dumps(line) + b"\n")
            sys.stdout.flush()
            n += 1
        return n

    try:
        n = asyncio.run(go())
    except TopicMissing as exc:
        print(f"winnow consume: {exc}", file=sys.stderr)
        return 1
    print(f"{n} record(s) from {args.topic}", file=sys.stderr)
    return 0


def cmd_process(args) -> int:
    from workers.core.runner import process_values
    from workers.cli.readers import InputError, read_paths

    settings = from_env()
    out = open(args.output, "wb") if args.output and args.output != "-" else sys.stdout.buffer
    dead = open(args.dead_letter, "wb") if args.dead_letter else None
    comments = open(args.comments, "wb") if args.comments else None
    ok = failed = 0
    try:
        values = (value for _key, value in read_paths(args.files))
        for stage, outcome in process_values(values, settings):
            if outcome.dead_letter is not None:
                failed += 1
                dl = outcome.dead_letter
                print(f"winnow process: document {dl.document_id or '?'} (input #{dl.source.offset}) "
                      f"dead-lettered at {stage}: {dl.reason}: {dl.error}", file=sys.stderr)
                if dead:
                    dead.write(outcome.outputs[0].value + b"\n")
                continue
            ok += 1
            for o in outcome.outputs:
                if o.topic == "documents.enriched":
                    out.write(o.value + b"\n")
                elif comments:
                    comments.write(o.value + b"\n")
    except InputError as exc:
        print(f"winnow process: {exc}", file=sys.stderr)
        return 2
    finally:
        out.flush()
        for fh in (dead, comments):
            if fh:
                fh.close()
        if out is not sys.stdout.buffer:
            out.close()
    print(f"winnow process: {ok} document(s) enriched, {failed} dead-lettered", file=sys.stderr)
    return 0 if ok or not failed else 1


def cmd_run(args) -> int:
    from workers.cli.demo import run_demo

    return run_demo(args)


def cmd_dashboard_png(args) -> int:
    from workers.cli.dashboard_render import render

    render(args.prometheus, args.out, minutes=args.minutes)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="winnow", description="Streaming cleaner for scraped web documents.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("run", help="the main job: embedded broker + workers + sample documents, readable output")
    s.add_argument("files", nargs="*", help="documents to send (default: the sample documents)")
    s.add_argument("--keep-running", action="store_true", help="keep broker and workers up after the summary")
    s.add_argument("--port", type=int, default=0, help="embedded broker port (default: a free one)")
    s.add_argument("--web-port", type=int, default=None, help="first worker's metrics port (default: free ports)")
    s.add_argument("--one-process", action="store_true", help="run all stages in one worker process")
    s.add_argument("--timeout", type=float, default=120.0, help="give up waiting for results after S seconds")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("broker", help="start the embedded broker (Tansu, memory storage) in the foreground")
    s.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=9092)
    s.set_defaults(func=cmd_broker)

    s = sub.add_parser("topics", help="create (apply) or list the topics of the catalogue")
    s.add_argument("action", choices=["apply", "list"])
    _add_broker(s)
    s.set_defaults(func=cmd_topics)

    s = sub.add_parser("worker", help="run the Faust worker for one stage (or all)")
    s.add_argument("--stage", choices=[*STAGES, "all"], default="all")
    s.add_argument("--web-port", type=int, default=None, help="metrics/health port (default $WINNOW_WEB_PORT, 6066)")
    s.add_argument("--web-host", default=None, help="metrics/health bind address (default $WINNOW_WEB_HOST, "
                   "127.0.0.1)")
    _add_broker(s)
    s.set_defaults(func=cmd_worker)

    s = sub.add_parser("produce", help="send documents to the input topic")
    s.add_argument("files", nargs="+", help=".txt .html .json .jsonl .warc[.gz] .wet[.gz], or - for JSON Lines "
                   "on stdin")
    s.add_argument("--topic", default="documents.raw")
    _add_broker(s)
    s.set_defaults(func=cmd_produce)

    s = sub.add_parser("consume", help="print a topic's records as JSON Lines")
    s.add_argument("topic")
    s.add_argument("--from-beginning", action="store_true")
    s.add_argument("--limit", type=int, default=None)
    s.add_argument("--timeout", type=float, default=10.0, help="stop after S seconds without a record")
    s.add_argument("--with-key", action="store_true", help="print {key, value} objects")
    _add_broker(s)
    s.set_defaults(func=cmd_consume)

    s = sub.add_parser("process", help="offline mode: run the stages on files, write enriched JSON Lines")
    s.add_argument("files", nargs="+", help="input files, or - for raw JSON Lines on stdin")
    s.add_argument("-o", "--output", default="-", help="output JSONL (default stdout)")
    s.add_argument("--comments", help="also write one comment record per line here")
    s.add_argument("--dead-letter", help="write dead-letter records here")
    s.set_defaults(func=cmd_process)

    s = sub.add_parser("dashboard-png", help="render the dashboard's key queries from Prometheus to a PNG")
    s.add_argument("--prometheus", required=True, help="e.g. http://127.0.0.1:9090")
    s.add_argument("--out", default="dashboard.png")
    s.add_argument("--minutes", type=float, default=10.0)
    s.set_defaults(func=cmd_dashboard_png)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
