"""What a user sees when something is wrong: one clear line per problem and a
documented exit code (README, "Exit codes"), never a traceback."""
from __future__ import annotations

import asyncio
import gzip
import io
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from workers.shell.broker import EmbeddedBroker, free_port

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "workers" / "samples" / "harbour-library-reopens.txt"
EXIT_FAILED, EXIT_INPUT, EXIT_BROKER = 1, 2, 3


def _winnow(*args, timeout: float = 120, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    import os

    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "workers.cli.main", *args], capture_output=True, cwd=REPO,
                          timeout=timeout, env=full_env, **kw)


def _lines(stream: bytes) -> list[str]:
    return [ln for ln in stream.decode().splitlines() if ln.strip()]


def _warc_gz(path: Path, pages: int = 4) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(pages):
            body = f"<html><body><h1>Page {i}</h1><p>{'harbour ferry council ' * 200}</p></body></html>".encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://port.example/{i}", "response",
                                                          payload=io.BytesIO(body), http_headers=http))
    return path.read_bytes()


@pytest.fixture
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    """One file per kind of bad input, plus one good file."""
    full = _warc_gz(tmp_path / "full.warc.gz")
    files = {
        "missing": tmp_path / "no-such-file.txt",
        "not_warc": tmp_path / "notes.warc",
        "truncated": tmp_path / "cut.warc.gz",
        "truncated_plain": tmp_path / "cut.warc",
        "oversize": tmp_path / "huge.txt",
        "good": SAMPLE,
    }
    files["not_warc"].write_text("The harbour council met on Tuesday evening\nto discuss the ferry timetable.\n")
    files["truncated"].write_bytes(full[: len(full) // 2 + 60])  # inside a record, not at a boundary
    files["truncated_plain"].write_bytes(gzip.decompress(full)[:9000])
    files["oversize"].write_text("word " * (1_700_000))  # 8.5 MB: over the 8 MiB message limit
    return files


def test_warc_readers_say_not_a_warc_and_truncated(bad_inputs):
    from workers.cli.readers import InputError, read_path

    with pytest.raises(InputError, match="not a WARC file"):
        list(read_path(str(bad_inputs["not_warc"])))
    for kind in ("truncated", "truncated_plain"):
        with pytest.raises(InputError, match=r"truncated after \d+ complete record"):
            list(read_path(str(bad_inputs[kind])))


def test_process_exits_2_on_not_a_warc_and_truncated(bad_inputs):
    for kind, expected in (("not_warc", "not a WARC file"), ("truncated", "truncated after")):
        r = _winnow("process", str(bad_inputs[kind]), "-o", "/dev/null")
        assert r.returncode == EXIT_INPUT, r.stderr
        assert b"Traceback" not in r.stderr
        assert expected in r.stderr.decode()


@pytest.mark.broker
def test_produce_checks_every_input_before_sending_anything(kafka, bad_inputs):
    bad = [bad_inputs[k] for k in ("missing", "not_warc", "truncated", "oversize")]
    r = _winnow("produce", str(bad_inputs["good"]), *map(str, bad), "--broker", kafka.bootstrap)
    assert r.returncode == EXIT_INPUT, r.stderr
    err = _lines(r.stderr)
    assert b"Traceback" not in r.stderr
    # one line per bad file, naming it, then the summary line
    for path in bad:
        assert sum(str(path) in line for line in err) == 1, err
    assert "nothing sent (4 bad input(s))" in err[-1]
    assert len(err) == len(bad) + 1
    assert "over the 8,387,584-byte message limit" in next(ln for ln in err if "huge.txt" in ln)
    # the good file given first was not sent either
    assert kafka.consume("documents.raw", timeout=2, idle=1.5) == []


@pytest.mark.parametrize("command", [["topics", "apply"], ["produce", str(SAMPLE)], ["consume", "documents.raw"]],
                         ids=["topics-apply", "produce", "consume"])
def test_no_broker_is_one_line_and_exit_3(command):
    port = free_port()
    start = time.monotonic()
    r = _winnow(*command, "--broker", f"127.0.0.1:{port}", env={"WINNOW_CONNECT_TIMEOUT_S": "1.5"})
    assert r.returncode == EXIT_BROKER, r.stderr
    err = _lines(r.stderr)
    assert len(err) == 1, err
    assert f"no Kafka broker reachable at 127.0.0.1:{port} (tried for 2 s" in err[0] or \
        f"no Kafka broker reachable at 127.0.0.1:{port} (tried for 1 s" in err[0], err
    assert "WINNOW_CONNECT_TIMEOUT_S" in err[0] and "--broker" in err[0]
    assert time.monotonic() - start < 60


@pytest.mark.broker
def test_worker_waits_for_a_broker_that_is_not_up_yet(tmp_path):
    from workers.shell.admin import apply_topics_sync
    from workers.shell.procs import WorkerProcess
    from workers.settings import from_env

    port = free_port()
    w = WorkerProcess(stage="enrich", broker=f"127.0.0.1:{port}", log_path=str(tmp_path / "w.log")).start()
    try:
        deadline = time.monotonic() + 90
        while b"not reachable yet" not in (tmp_path / "w.log").read_bytes():
            assert w.alive() and time.monotonic() < deadline, (tmp_path / "w.log").read_text()
            time.sleep(0.3)
        time.sleep(2)
        assert w.alive()
        with EmbeddedBroker(port=port, log_path=str(tmp_path / "b.log")) as b:
            assert apply_topics_sync(from_env(broker=b.bootstrap)).success
            assert w.wait_ready(120), (tmp_path / "w.log").read_text()
            w.kill()
        log = (tmp_path / "w.log").read_text()
        assert "retrying in" in log and "Traceback" not in log
    finally:
        w.kill()


@pytest.mark.broker
def test_consume_reads_only_new_records_and_every_partition(kafka, tmp_path):
    async def setup_and_produce_old():
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap)
        await admin.start()
        try:
            await admin.create_topics([NewTopic("wide.topic", num_partitions=8, replication_factor=1)])
        finally:
            await admin.close()
        prod = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, linger_ms=20)
        await prod.start()
        try:
            # old records, several per batch, on every partition including 4..7
            futs = [await prod.send("wide.topic", orjson.dumps({"old": i}), partition=i % 8) for i in range(40)]
            await asyncio.gather(*futs)
        finally:
            await prod.stop()

    async def produce_new():
        prod = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap)
        await prod.start()
        try:
            for p in (1, 7):
                await prod.send_and_wait("wide.topic", orjson.dumps({"new": p}), partition=p)
        finally:
            await prod.stop()

    asyncio.run(setup_and_produce_old())
    everything = _winnow("consume", "wide.topic", "--from-beginning", "--timeout", "2", "--broker", kafka.bootstrap)
    assert everything.returncode == 0
    assert sorted(orjson.loads(x)["old"] for x in everything.stdout.splitlines()) == list(range(40))
    assert b"(8 partition(s)), from the beginning" in everything.stderr

    out = tmp_path / "new.jsonl"
    with out.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "workers.cli.main", "consume", "wide.topic", "--timeout", "6",
                                 "--broker", kafka.bootstrap], cwd=REPO, stdout=fh, stderr=subprocess.PIPE)
        ready = proc.stderr.readline()  # printed once it is positioned at the end
        assert b"reading wide.topic (8 partition(s)), new records only" in ready, ready
        asyncio.run(produce_new())
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    # (no order across partitions)
    assert sorted(orjson.loads(x)["new"] for x in out.read_bytes().splitlines()) == [1, 7]


def test_every_option_documents_its_default():
    from workers.cli.main import build_parser

    def parsers(p):
        yield p
        for action in p._actions:
            if action.__class__.__name__ == "_SubParsersAction":
                for sub in action.choices.values():
                    yield from parsers(sub)

    undocumented = []
    for p in parsers(build_parser()):
        for action in p._actions:
            if not action.option_strings or action.dest == "help":
                continue
            text = action.help or ""
            if "default" not in text and "required" not in text:
                undocumented.append(f"{p.prog} {'/'.join(action.option_strings)}: {text!r}")
    assert undocumented == []


def test_topics_apply_help_is_its_own_page():
    r = _winnow("topics", "apply", "--help")
    out = r.stdout.decode()
    assert r.returncode == 0
    assert out.startswith("usage: winnow topics apply")
    assert "Idempotent" in out and "--broker" in out and "exit codes" in out


def test_summary_pluralises():
    from workers.cli.demo import summarize

    one = summarize({"id": "a", "title": "T", "body": "x", "comments": [{"index": 0, "text": "hi"}],
                     "removed": [{"n": 0, "text": "Menu", "reason": "navigation"}],
                     "metadata": {"word_count": 1, "paragraph_count": 1}})
    assert "1 word in 1 paragraph · 1 boilerplate line removed · 1 comment" in one
    two = summarize({"id": "b", "title": "T", "body": "", "comments": [], "removed": [],
                     "metadata": {"word_count": 2, "paragraph_count": 2}})
    assert "2 words in 2 paragraphs · 0 boilerplate lines removed · 0 comments" in two


@pytest.mark.broker
def test_run_points_to_a_worker_log_that_still_exists(tmp_path):
    import re
    import socket

    with socket.socket() as busy:  # the worker's metrics port is taken: it cannot start
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = _winnow("run", "--one-process", "--web-port", str(port), str(SAMPLE), timeout=240)
    err = r.stderr.decode()
    assert r.returncode == EXIT_FAILED, err
    assert "Traceback" not in err.split("winnow run:")[-1]
    match = re.search(r"the all worker did not become ready; see (\S+\.log)", err)
    assert match, err
    log = Path(match.group(1))
    assert log.is_file() and log.stat().st_size > 0
    assert f"logs kept in {log.parent}" in err
    import shutil

    shutil.rmtree(log.parent)
