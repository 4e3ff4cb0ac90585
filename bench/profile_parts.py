"""Where a page's time goes, part by part: thread CPU time of the path's named steps.

    .venv/bin/python bench/profile_parts.py [--corpus html|text] [--passes 3]

Runs the whole offline path (``process_values``, as ``make bench`` does) over the benchmark's
pages with each step in ``PARTS`` wrapped by a timer (thread CPU time, inclusive of what the
step calls), one untimed pass first (models, caches), then ``--passes`` timed passes, and
prints milliseconds per page per step (the mean over the timed passes) and its share of the
path. A step is wrapped where its caller looks it up, so the figures are the calls the path
really makes; indented steps are inside the step above them. Complements ``profile_offline.py``
(py-spy, by function): this one answers "how much of a page is the DOM walk, the line
features, the trees..." in milliseconds, with a timer call per step (~1 us, a few dozen steps
per page).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if os.environ.get("WINNOW_BENCH_CODE"):  # bench/bench.py's snapshot of workers/ and topics/
    sys.path.insert(0, os.environ["WINNOW_BENCH_CODE"])

# (depth, label, module, attribute): the attribute ("Class.method" for a method) is replaced by
# a timed wrapper in that module, where the step's caller looks it up
PARTS: tuple[tuple[int, str, str, str], ...] = (
    (0, "strip: read the raw record", "workers.core.flow", "Strip.read"),
    (0, "strip: run", "workers.core.flow", "Strip.run"),
    (1, "html_page", "workers.core.stages.html", "html_page"),
    (2, "Lexbor parse", "workers.core.stages.html", "LexborHTMLParser"),
    (2, "head metadata (read_meta)", "workers.core.stages.html", "read_meta"),
    (2, "DOM walk (native_walk.walk)", "workers.core.stages.html", "native_walk.walk"),
    (2, "title lines and candidates", "workers.core.stages.html", "title_candidates"),
    (2, "comment authors (markup)", "workers.core.stages.html", "comment_authors"),
    (2, "DOM feature matrix", "workers.core.stages.html_features", "feature_matrix"),
    (1, "rule evidence", "workers.core.labeller.apply", "rule_evidence"),
    (2, "per-line rule features", "workers.core.labeller.evidence", "line_features"),
    (2, "structure pass (label)", "workers.core.labeller.evidence", "label"),
    (1, "line features (page_rows)", "workers.core.labeller.features", "page_rows"),
    (2, "character classes", "workers.core.labeller.features", "char_features"),
    (2, "whole-text scans", "workers.core.labeller.features", "scan_lines"),
    (2, "stopword tokens", "workers.core.labeller.features", "stop_features"),
    (2, "comment-structure columns", "workers.core.labeller.features", "structure_features"),
    (2, "DOM context columns", "workers.core.labeller.features", "_dom_context"),
    (1, "trees (Labeller.predict)", "workers.core.labeller.model", "Labeller.predict"),
    (1, "decode (Viterbi)", "workers.core.labeller.apply", "decode_page"),
    (1, "roles and comment records", "workers.core.labeller.apply", "roles_from_labels"),
    (2, "header line kinds (head_kinds)", "workers.core.labeller.comment_shape", "head_kinds"),
    (2, "header lines read (PageLines.parsed)", "workers.core.labeller.comment_shape", "PageLines.parsed"),
    (0, "segment: read", "workers.core.flow", "Segment.read"),
    (0, "segment: run", "workers.core.flow", "Segment.run"),
    (1, "comment records (_build_comments)", "workers.core.stages.segment", "_build_comments"),
    (0, "enrich: read", "workers.core.flow", "Enrich.read"),
    (0, "enrich: run", "workers.core.flow", "Enrich.run"),
    (1, "language", "workers.core.stages.enrich", "detect_language"),
    (1, "published date", "workers.core.stages.enrich", "published"),
    (1, "site name", "workers.core.stages.enrich", "find_site_name"),
    (1, "simhash", "workers.core.stages.enrich", "simhash"),
    (1, "quality signals", "workers.core.stages.enrich", "quality_signals"),
    (1, "title (chooser)", "workers.core.stages.enrich.from_html", "title"),
    (1, "page kind", "workers.core.stages.enrich.from_html", "kind"),
    (0, "records encoded (every stage)", "workers.core.runner", "encode"),
)


class Timers:
    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, label: str, owner: object, name: str) -> None:
        fn = getattr(owner, name)
        spent = self.spent
        spent.setdefault(label, 0.0)
        clock = time.thread_time

        def timed(*args, **kwargs):
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += clock() - t0

        setattr(owner, name, timed)
        self._undo.append((owner, name, fn))

    def install(self, parts=PARTS) -> None:
        for _depth, label, module, attr in parts:
            owner: object = importlib.import_module(module)
            *path, name = attr.split(".")
            for p in path:
                owner = getattr(owner, p)
            self.wrap(label, owner, name)

    def remove(self) -> None:
        for owner, name, fn in reversed(self._undo):
            setattr(owner, name, fn)
        self._undo.clear()


def _values(corpus: str) -> list[bytes]:
    """The pages of ``make bench``'s text or HTML set (its full-run sizes)."""
    from bench.bench import SIZES
    from bench.loaders import corpus_values

    size = SIZES["full"]
    if corpus == "text":
        return corpus_values("text", size["dragnet_text"])
    return corpus_values("html", size["dragnet_html"], size["wcxb_html"])


def measure(values: list[bytes], passes: int) -> tuple[dict[str, float], float]:
    """(ms per page per part, ms per page for the whole path), thread CPU time."""
    from workers.core.runner import StageRunner, process_values
    from workers.settings import from_env

    settings = from_env()
    runner = StageRunner(settings, dedupe_window=0)
    for _ in process_values(values, settings, runner):  # untimed: models, lazy imports, caches
        pass
    timers = Timers()
    timers.install()
    try:
        t0 = time.thread_time()
        for _ in range(passes):
            for _ in process_values(values, settings, runner):
                pass
        total = time.thread_time() - t0
    finally:
        timers.remove()
    n = passes * len(values)
    return {k: 1e3 * v / n for k, v in timers.spent.items()}, 1e3 * total / n


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Thread CPU time per step of the offline path.")
    p.add_argument("--corpus", choices=["text", "html"], default="html")
    p.add_argument("--passes", type=int, default=3)
    a = p.parse_args(argv)
    values = _values(a.corpus)
    parts, total = measure(values, a.passes)
    print(f"{len(values)} {a.corpus} pages, {a.passes} timed passes: {total:.2f} ms per page "
          f"({1e3 / total:.0f} docs/s per core, timers included)")
    for depth, label, _m, _a in PARTS:
        ms = parts[label]
        print(f"  {'  ' * depth}{label:<{40 - 2 * depth}} {ms:7.2f} ms  {100 * ms / total:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
