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

from topics import TOPICS
from workers.core.flow import STAGE_NAMES
from workers.settings import Settings, from_env

# Exit codes (documented in the README):
EXIT_OK = 0       # done
EXIT_FAILED = 1   # the job did not succeed (topics mismatched or missing, documents lost/dead-lettered, ...)
EXIT_INPUT = 2    # bad input or usage: unreadable/unknown/truncated/oversize files (nothing was sent)
EXIT_BROKER = 3   # no broker reachable within WINNOW_CONNECT_TIMEOUT_S
EXIT_INSTALL = 4  # wrong installation: faust-streaming is not the release the worker's Faust patch is written for
# 128 + N: stopped by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP), children stopped first.


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


def check_inputs(files: list[str], limit: int) -> tuple[list[tuple[str | None, bytes]], list[str]]:
    """Read every input and check it before anything is sent: readable, in a known
    format, each record under the input topic's message limit. Returns the records
    and one problem line per bad file."""
    from workers.cli.readers import InputError, read_path

    items: list[tuple[str | None, bytes]] = []
    problems: list[str] = []
    for name in files:
        try:
            records = list(read_path(name))
        except InputError as exc:
            problems.append(str(exc))
            continue
        big = [(i, len(v)) for i, (_k, v) in enumerate(records) if len(v) > limit]
        if big:
            i, size = big[0]
            where = f"record #{i + 1} of {len(records)}" if len(records) > 1 else "the document"
            more = f" (and {len(big) - 1} more)" if len(big) > 1 else ""
            problems.append(f"{name}: {where} is {size:,} bytes, over the {limit:,}-byte message limit of "
                            f"documents.raw{more} (WINNOW_MAX_MESSAGE_BYTES)")
            continue
        items.extend(records)
    return items, problems


def cmd_produce(args) -> int:
    from topics import by_name
    from workers.cli.readers import Progress
    from workers.shell.kafka_io import RECORD_OVERHEAD, TopicMissing, produce

    settings = _settings(args)
    limit = by_name(args.topic).max_message_bytes(settings.max_message_bytes) - RECORD_OVERHEAD \
        if args.topic in {t.name for t in TOPICS} else settings.max_message_bytes - RECORD_OVERHEAD
    items, problems = check_inputs(args.files, limit)
    if problems:
        for line in problems:
            print(f"winnow produce: {line}", file=sys.stderr)
        print(f"winnow produce: nothing sent ({len(problems)} bad input(s))", file=sys.stderr)
        return EXIT_INPUT
    progress = Progress("produced")
    try:
        n = asyncio.run(produce(settings, items, topic=args.topic, on_sent=progress.tick))
    except TopicMissing as exc:
        print(f"winnow produce: {exc}", file=sys.stderr)
        return EXIT_FAILED
    progress.done()
    print(f"produced {n} document(s) to {args.topic} on {settings.broker}", file=sys.stderr)
    return EXIT_OK


def cmd_consume(args) -> int:
    from workers.shell.kafka_io import TopicMissing, consume

    settings = _settings(args)

    async def go() -> int:
        n = 0
        def ready(partitions: int) -> None:
            print(f"winnow consume: reading {args.topic} ({partitions} partition(s)), "
                  f"{'from the beginning' if args.from_beginning else 'new records only'}", file=sys.stderr,
                  flush=True)

        async for key, value, info in consume(settings, args.topic, from_beginning=args.from_beginning,
                                              limit=args.limit, timeout=args.timeout, on_ready=ready):
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


def _parser(sub, name: str, help: str, description: str | None = None) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help, description=description or help[:1].upper() + help[1:] + ".",
                          epilog=EXIT_CODES_HELP)


EXIT_CODES_HELP = ("exit codes: 0 done; 1 the job failed (see the message); 2 bad input or usage, "
                   "nothing sent; 3 no broker reachable; 4 wrong faust-streaming version (worker, run); "
                   "128+N stopped by signal N (children stopped first)")


def _add_run_command(sub) -> None:
    s = _parser(sub, "run", "the main job: embedded broker + workers + sample documents, readable output")
    s.add_argument("files", nargs="*", help="documents to send (default: the seed and text-dev pages of "
                   "../shared/corpus when present, else the samples shipped in the package)")
    s.add_argument("--keep-running", action="store_true",
                   help="keep broker and workers up after the summary, until Ctrl-C/SIGTERM/SIGHUP (default: stop)")
    s.add_argument("--port", type=int, default=0, help="embedded broker port (default 0: a free port)")
    s.add_argument("--web-port", type=int, default=None,
                   help="first worker's metrics/health port, the next ones follow (default: free ports)")
    s.add_argument("--one-process", action="store_true",
                   help="run all stages in one worker process (default: one process per stage)")
    s.add_argument("--timeout", type=float, default=120.0, metavar="S",
                   help="give up waiting for results after S seconds (default 120)")
    s.set_defaults(func=cmd_run)


def _add_broker_command(sub) -> None:
    s = _parser(sub, "broker", "start the embedded broker (Tansu, memory storage) in the foreground",
                "Start the embedded broker (Tansu, memory storage: everything is lost when it stops) in the "
                "foreground until Ctrl-C, SIGTERM or SIGHUP.")
    s.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=9092, help="port (default 9092)")
    s.set_defaults(func=cmd_broker)


def _add_topics_command(sub) -> None:
    s = _parser(sub, "topics", "create (apply) or list the topics of the catalogue")
    actions = s.add_subparsers(dest="action", required=True, metavar="ACTION")
    a = _parser(actions, "apply", "create the catalogue's missing topics, idempotently",
                "Create the catalogue's missing topics with their partitions (WINNOW_PARTITIONS) and configs. "
                "Idempotent; never relies on broker auto-creation. Topics that exist with another partition "
                "count or config are reported (exit 1), not used.")
    _add_broker(a)
    a = _parser(actions, "list", "show which of the catalogue's topics exist")
    _add_broker(a)
    s.set_defaults(func=cmd_topics)


def _add_worker_command(sub) -> None:
    s = _parser(sub, "worker", "run the Faust worker for one stage (or all)",
                "Run the Faust worker for one stage (consumer group <WINNOW_APP_ID>-<stage>) or all three "
                "(group <WINNOW_APP_ID>-all). Waits for the broker, retrying with backoff, if it is not up yet. "
                "SIGTERM, SIGINT or SIGHUP stop it cleanly (offsets committed).")
    s.add_argument("--stage", choices=[*STAGE_NAMES, "all"], default="all", help="the stage to run (default all)")
    s.add_argument("--web-port", type=int, default=None,
                   help="metrics/health port (default $WINNOW_WEB_PORT, else 6066)")
    s.add_argument("--web-host", default=None,
                   help="metrics/health bind address (default $WINNOW_WEB_HOST, else 127.0.0.1)")
    _add_broker(s)
    s.set_defaults(func=cmd_worker)


def _add_produce_command(sub) -> None:
    s = _parser(sub, "produce", "send documents to the input topic",
                "Send documents to the input topic, keyed by document id. Every input is read and checked "
                "first (readable, known format, under the message limit): if any is bad, one line per bad "
                "file is printed, nothing is sent, and the exit code is 2.")
    s.add_argument("files", nargs="+", help=".txt .html .json .jsonl .warc[.gz] .wet[.gz], or - for JSON Lines "
                   "on stdin")
    s.add_argument("--topic", default="documents.raw", help="topic to send to (default documents.raw)")
    _add_broker(s)
    s.set_defaults(func=cmd_produce)


def _add_consume_command(sub) -> None:
    s = _parser(sub, "consume", "print a topic's records as JSON Lines",
                "Print a topic's records (every partition, from the broker's metadata) as JSON Lines, "
                "without joining a consumer group.")
    s.add_argument("topic", help="topic to read, e.g. documents.enriched")
    s.add_argument("--from-beginning", action="store_true",
                   help="read the records already there too (default: only records produced from now on)")
    s.add_argument("--limit", type=int, default=None, metavar="N", help="stop after N records (default: no limit)")
    s.add_argument("--timeout", type=float, default=10.0, metavar="S",
                   help="stop after S seconds without a record (default 10)")
    s.add_argument("--with-key", action="store_true", help="print {key, value} objects (default: the values)")
    _add_broker(s)
    s.set_defaults(func=cmd_consume)


def _add_process_command(sub) -> None:
    s = _parser(sub, "process", "offline mode: run the stages on files, write enriched JSON Lines",
                "Offline mode: the same stage functions in one process, in input order, no broker.")
    s.add_argument("files", nargs="+", help="input files (as for produce), or - for raw JSON Lines on stdin")
    s.add_argument("-o", "--output", default="-", help="enriched records, one JSON per line (default - : stdout)")
    s.add_argument("--comments", default=None, help="also write one comment record per line here (default: no)")
    s.add_argument("--dead-letter", default=None, help="write dead-letter records here (default: only a line "
                   "on stderr per dead letter)")
    s.set_defaults(func=cmd_process)


def _add_dashboard_png_command(sub) -> None:
    s = _parser(sub, "dashboard-png", "render the dashboard's key queries from Prometheus to a PNG")
    s.add_argument("--prometheus", required=True, help="Prometheus base URL, e.g. http://127.0.0.1:9090 "
                   "(required)")
    s.add_argument("--out", default="dashboard.png", help="PNG file to write (default dashboard.png)")
    s.add_argument("--minutes", type=float, default=10.0, help="time range, in minutes up to now (default 10)")
    s.set_defaults(func=cmd_dashboard_png)


# The subcommands, in the order --help lists them.
_COMMANDS = (_add_run_command, _add_broker_command, _add_topics_command, _add_worker_command,
             _add_produce_command, _add_consume_command, _add_process_command, _add_dashboard_png_command)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="winnow", description="Streaming cleaner for scraped web documents.",
                                epilog=EXIT_CODES_HELP)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in _COMMANDS:
        add(sub)
    return p


# Commands that run Faust workers: they first check the Faust release (before importing it).
_RUN_FAUST = ("worker", "run")


def main(argv: list[str] | None = None) -> int:
    from workers.shell.connect import BrokerUnreachable, quiet_client_logs
    from workers.shell.faust_version import FaustVersionMismatch, check as check_faust

    args = build_parser().parse_args(argv)
    if args.command != "worker":
        quiet_client_logs()
    try:
        if args.command in _RUN_FAUST:
            check_faust()
        return args.func(args) or 0
    except FaustVersionMismatch as exc:
        print(f"winnow {args.command}: {exc}", file=sys.stderr)
        return EXIT_INSTALL
    except BrokerUnreachable as exc:
        print(f"winnow {args.command}: {exc}", file=sys.stderr)
        return EXIT_BROKER
    except KeyboardInterrupt:
        print(f"winnow {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
