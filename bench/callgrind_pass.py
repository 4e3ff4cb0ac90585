"""The whole offline path (every stage of the flow, as ``winnow process``) over the benchmark's
pages, for instruction counts: one warm pass, then one pass inside ``functools.reduce``, so that
callgrind counts that pass only (imports, model loading and first-call caches are not counted):

    PYTHONHASHSEED=0 valgrind --tool=callgrind --dump-instr=no --collect-atstart=no \\
        --toggle-collect=functools_reduce .venv/bin/python bench/callgrind_pass.py --corpus text

``--corpus text``: seed + text-dev and 200 Dragnet pages flattened to text (217 pages);
``html``: 120 Dragnet and 42 WCXB pages (162), as ``make bench``. ``--part html_page`` counts
``html.html_page`` alone (the HTML pages' parse, walk and DOM evidence). Instruction counts do
not depend on what else the machine runs, so two trees are compared with one run each. Without
valgrind it prints the sha256 of every stage's outcomes, the same for byte-identical code; the
outputs are kept during the counted pass and hashed after it, so the hash is not counted.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from bench.loaders import corpus_values  # noqa: E402
from workers.core.runner import StageRunner, process_values  # noqa: E402
from workers.core.stages.html import html_page  # noqa: E402
from workers.settings import from_env  # noqa: E402


def whole_path(values: list[bytes]):
    """A function of one pass over ``values`` through every stage; it returns the outputs kept."""
    settings = from_env(env={}, stage_timeout_s=0)  # defaults, not this shell's WINNOW_*; no alarm (valgrind)
    runner = StageRunner(settings, dedupe_window=0)

    def one_pass(kept, _):
        for stage, out in process_values(values, settings, runner):
            kept.append(stage.encode())
            kept.extend(o.value for o in out.outputs or [])
            if out.dead_letter is not None:
                kept.append(b"dead letter")
        return kept
    return one_pass


def html_part(values: list[bytes]):
    """A function of one pass of ``html_page`` over the HTML contents of ``values``."""
    pages = [orjson.loads(v)["content"] for v in values]

    def one_pass(kept, _):
        for page in pages:
            lines, _dom, _meta = html_page(page)
            kept.append(lines)
        return kept
    return one_pass


def digest_of(kept: list, part: str) -> str:
    """The sha256 of one pass's outputs, taken after the counted pass (hashing is not counted)."""
    digest = hashlib.sha256()
    for item in kept:
        digest.update(item if part == "all" else "\n".join(line.text for line in item).encode())
    return digest.hexdigest()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", choices=["text", "html"], default="text")
    p.add_argument("--part", choices=["all", "html_page"], default="all")
    a = p.parse_args()
    if a.part == "html_page" and a.corpus != "html":
        p.error("--part html_page needs --corpus html")
    values = corpus_values("text", 200) if a.corpus == "text" else corpus_values("html", 120, 42)
    one_pass = (whole_path if a.part == "all" else html_part)(values)
    one_pass([], 0)                                  # warm pass, not counted
    kept = functools.reduce(one_pass, [0], [])       # the counted pass: outputs kept, not hashed
    print(f"{len(values)} pages, {a.corpus}, {a.part}: sha256 {digest_of(kept, a.part)}")


if __name__ == "__main__":
    main()
