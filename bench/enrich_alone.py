"""The enrich stage alone, for instruction counts: the benchmark's pages through strip and
segment once, then enrich (``StageRunner.handle``: the segmented record read, ``enrich``, the
comment records, every output encoded) over the captured segmented records, one warm pass,
then one pass inside ``functools.reduce``, so that callgrind counts that pass only. Capture
first (strip and segment are slow under valgrind), then count:

    .venv/bin/python bench/enrich_alone.py --corpus html --capture /tmp/segmented-html.jsonl
    PYTHONHASHSEED=0 valgrind --tool=callgrind --dump-instr=no --collect-atstart=no \\
        --toggle-collect=functools_reduce .venv/bin/python bench/enrich_alone.py \\
        --values /tmp/segmented-html.jsonl

``--corpus text``: seed + text-dev and 200 Dragnet pages flattened to text (217 pages);
``html``: 120 Dragnet and 42 WCXB pages (162), as ``make bench``. Without valgrind it prints the
sha256 of the stage's outputs (topic, key, value of each), the same for byte-identical code.
"""
from __future__ import annotations

import argparse
import functools
import gc
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loaders import corpus_values  # noqa: E402
from workers.core.flow import FLOW  # noqa: E402
from workers.core.runner import StageRunner  # noqa: E402
from workers.settings import from_env  # noqa: E402


def segmented(runner: StageRunner, raw: list[bytes]) -> list[bytes]:
    """The segmented records of the raw values (strip, then segment)."""
    out = []
    for v in raw:
        for s in runner.handle(FLOW[0].name, v).outputs or []:
            if s.topic == FLOW[1].source.name:
                out += [o.value for o in runner.handle(FLOW[1].name, s.value).outputs or []
                        if o.topic == FLOW[2].source.name]
    return out


def enrich_pass(runner: StageRunner, values: list[bytes], digest: bool = True) -> str:
    """One pass of the enrich stage over ``values``; the sha256 of its outputs (not taken in
    the counted pass: the digest is not the stage's work)."""
    h = hashlib.sha256()
    for v in values:
        outputs = runner.handle(FLOW[2].name, v).outputs or []
        for o in outputs if digest else ():
            h.update(o.topic.encode())
            h.update(o.key.encode())
            h.update(o.value)
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", choices=("text", "html"), default="html")
    ap.add_argument("--capture", help="write the segmented records here (one JSON object a line) and stop")
    ap.add_argument("--values", help="read the segmented records from here instead of the corpus")
    args = ap.parse_args()
    runner = StageRunner(from_env(env={}, stage_timeout_s=1000.0), dedupe_window=0)
    if args.values:
        values = Path(args.values).read_bytes().splitlines()
    else:
        raw = corpus_values("text", 200) if args.corpus == "text" else corpus_values("html", 120, 42)
        values = segmented(runner, raw)
    if args.capture:  # an encoded record holds no raw line break (JSON escapes it)
        Path(args.capture).write_bytes(b"".join(v + b"\n" for v in values))
        print(f"{len(values)} segmented records written to {args.capture}")
        return
    digest = enrich_pass(runner, values)  # warm: models, caches
    gc.collect()
    gc.disable()
    functools.reduce(lambda _a, _b: enrich_pass(runner, values, False), [0, 0])  # the counted pass
    gc.enable()
    print(f"{len(values)} segmented records, enrich outputs sha256 {digest}")


if __name__ == "__main__":
    main()
