"""The training data of the line labeller, built from ``../shared`` only (``make train``,
``make eval``).

API::

    from workers.training.dataset import TrainPage, build_dataset
    pages = build_dataset(Path("../shared"), cache=Path(".cache"))   # list[TrainPage]

``TrainPage`` (one page as one flattener gives it, its fields): ``pages.py``.

How labels are made: ``project.py`` (token alignment of the gold onto lines), ``silver.py``
(comment headers/authors from the markup), ``textdev.py`` (exact text gold),
``synthetic.py`` (generated comment sections). Counts and precision: docs/training-data.md.

The build runs in 2 processes and is cached in ``cache`` (a pickle keyed by a hash of this
package's code, the stage code it calls and the input files), so a second build is a load.
The synthetic pages are generated after the load (the cache holds the real pages only).
"""
from __future__ import annotations

import atexit
import gc
import hashlib
import multiprocessing as mp
import os
import pickle
import signal
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from topics.records import Line
from workers.core.labeller.labels import BODY, COMMENT_HEAD, LABELS, TITLE
from workers.shell.signals import die_with_parent
from workers.training import corpus as C
from workers.training import flatten as F
from workers.training.pages import TrainPage
from workers.training.pools import can_fork, fork_pool
from workers.training.project import project, tokens
from workers.training.silver import label_comments, read_markup
from workers.training.silver_records import comment_records, refresh as refresh_records
from workers.training.textdev import label_exact

SYNTHETIC = "synthetic"
DEFAULT_DATASETS: tuple[str, ...] = C.ALL_DATASETS + (SYNTHETIC,)
WORKERS = 2
CACHE_VERSION = 2
# A flattened page whose body lines hold less than this share of the gold content's tokens is
# left out: the flattener lost the content (posts only in <noscript>, text drawn by scripts),
# so its labels would teach "all boilerplate" for a page that has content.
MIN_GOLD_RECALL = 0.3


def projection_recall(lines: list[Line], labels: list[str], content: str) -> float:
    """Share of the gold content's tokens found on the title/body lines (1.0 for no content)."""
    gold = Counter(tokens(content))
    if not gold:
        return 1.0
    got = Counter(t for ln, lab in zip(lines, labels) if lab in (TITLE, BODY) for t in tokens(ln.text))
    return sum((gold & got).values()) / sum(gold.values())


def _html_gold(src: C.SourcePage) -> dict:
    g = dict(src.gold)
    text = g.get("comments")
    g["comments_text"] = text if isinstance(text, str) else ""
    g["comments"] = []
    g["comments_silver"] = bool(g["comments_text"].strip())
    g.setdefault("title", None)
    g["content"] = "" if g.get("no_article") else (g.get("content") or "")
    return g


def pages_from_html(src: C.SourcePage, flatteners: Iterable[str] = F.FLATTENERS) -> list[TrainPage]:
    """One TrainPage per flattener for an html-dev page."""
    markup = read_markup(src.content)
    head = {"titles": markup.titles}
    out: list[TrainPage] = []
    # the labels of a flattening read its line texts alone (project, label_comments and
    # projection_recall), so flatteners giving the same texts (blocks and blocks-tight differ
    # in blank lines only) are labelled once
    labelled: dict[tuple[str, ...], tuple[list[str], list[str | None], float]] = {}
    for name in flatteners:
        try:
            lines, dom, _meta = F.flatten(src.content, name)
        except Exception:  # noqa: BLE001 - a page a flattener cannot read is skipped for it
            continue
        if not lines:
            continue
        gold = _html_gold(src)
        texts = tuple(ln.text for ln in lines)
        if texts not in labelled:
            labels, is_comment = project(lines, src.gold, head, wcxb_title=bool(src.gold.get("title")))
            labels, authors, _from_markup = label_comments(lines, labels, is_comment, markup)
            labelled[texts] = (labels, authors, projection_recall(lines, labels, gold["content"]))
        labels, authors, recall = labelled[texts]
        labels, authors = list(labels), list(authors)
        gold["projection_recall"] = recall
        if recall < MIN_GOLD_RECALL or not (gold["content"].strip() or gold.get("no_article")):
            continue  # the flattener lost the content, or the source has no content gold
        if gold["comments_silver"]:
            gold["comments"] = comment_records(lines, labels, authors)
        out.append(TrainPage(
            page_id=f"{src.dataset}:{src.id}:{name}", site=src.site, dataset=src.dataset,
            page_type=src.page_type, flattener=name,
            content_type="text/html" if name == F.DOM else "text/plain", url=src.url,
            lines=lines, dom=dom, labels=labels, authors=authors, gold=gold,
        ))
    return out


def page_from_text(src: C.SourcePage) -> TrainPage:
    """A text page with exact gold (text-dev format) as a ``text`` flattener page."""
    lines = F.text_lines(src.content)
    labels, authors = label_exact(lines, src.gold)
    exp = src.gold
    gold = dict(exp)
    gold["content"] = "\n\n".join(exp.get("body_paragraphs") or ())
    gold["comments"] = [{"author": c.get("author"), "text": c.get("text") or ""} for c in exp.get("comments") or ()]
    gold["comments_text"] = "\n\n".join(c["text"] for c in gold["comments"])
    gold["comments_silver"] = False
    return TrainPage(
        page_id=f"{src.dataset}:{src.id}:{F.TEXT}", site=src.site, dataset=src.dataset,
        page_type=src.page_type, flattener=F.TEXT, content_type="text/plain", url=src.url,
        lines=lines, dom=None, labels=labels, authors=authors, gold=gold,
    )


def _work(job: tuple[C.SourcePage, tuple[str, ...]]) -> list[TrainPage]:
    src, flatteners = job
    return pages_from_html(src, flatteners)


# training-package modules that do not shape the cached pages (training, reports, the
# synthetic, pseudo-language and widget-injected pages, generated after the cache is loaded:
# synthetic*.py and their vocabularies, pseudo.py, inject.py and inject_unseen.py; models.py
# fits the boosters, decoders.py chooses the decoders; the page-kind and title models;
# silver_records.py: the silver comment records, computed again when the cache is loaded)
_NOT_DATA_CODE = frozenset({"train.py", "models.py", "__main__.py", "report.py", "widget_vocab.py", "pseudo.py",
                            "inject.py", "inject_unseen.py", "decoders.py", "title_train.py", "silver_records.py"})
_NOT_DATA_PREFIXES = ("page_kind", "page_models", "synthetic")


def cache_key(shared: Path, datasets: tuple[str, ...], flatteners: tuple[str, ...]) -> str:
    """Hash of the code that builds the data, the stage code it calls, and the inputs."""
    h = hashlib.blake2b(digest_size=12)
    h.update(repr((CACHE_VERSION, datasets, flatteners)).encode())
    here = Path(__file__).resolve().parent
    code = sorted(here.glob("*.py"))
    # the stage code the flatteners call: their packages and the heuristics next to them
    dirs: set[Path] = set()
    for fn in (F.stage_split_lines(), F.stage_html_page()):
        mod = __import__(fn.__module__, fromlist=["_"])
        if getattr(mod, "__file__", None):
            dirs.add(Path(mod.__file__).resolve().parent)
    for d in sorted(dirs | {d.parent / "heuristics" for d in dirs}):
        code.extend(sorted(d.glob("*.py")))
    for p in code:
        if p.parent == here and (p.name in _NOT_DATA_CODE or p.name.startswith(_NOT_DATA_PREFIXES)):
            continue
        if p.name == "line_features.py":  # the model's feature vocabulary: the flatteners never read it
            continue
        h.update(p.name.encode())
        h.update(p.read_bytes())
    for p in C.input_files(shared, datasets):
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def missing_inputs(shared: Path, datasets: tuple[str, ...] = DEFAULT_DATASETS) -> list[Path]:
    """Input files a build would need that are not there (``make train`` says which)."""
    base = C.corpus_dir(shared)
    need = [base / "html-dev" / C.HTML_FILES[d] for d in datasets if d in C.HTML_FILES]
    if C.TEXT_DEV in datasets:
        need.append(base / C.TEXT_DEV)
    return [p for p in need if not p.exists()]


def build_dataset(shared: Path, *, cache: Path | None = None,
                  datasets: Iterable[str] = DEFAULT_DATASETS,
                  flatteners: Iterable[str] = F.FLATTENERS,
                  workers: int = WORKERS, verbose: bool = False) -> list[TrainPage]:
    """All training pages, sorted by ``page_id``. Raises FileNotFoundError naming the first
    missing input. ``cache``: a directory for the built data (reused when nothing changed)."""
    datasets = tuple(d for d in DEFAULT_DATASETS if d in set(datasets))
    flatteners = tuple(f for f in F.FLATTENERS if f in set(flatteners))
    missing = missing_inputs(shared, datasets)
    if missing:
        raise FileNotFoundError(f"training data input missing: {missing[0]}")
    path = None
    if cache is not None:
        path = Path(cache) / "training-data" / f"{cache_key(shared, datasets, flatteners)}.pkl"
        wait_for_cache()
        if path.exists():
            with path.open("rb") as fh:
                with gc_paused():
                    loaded = pickle.load(fh)
                refresh_records(loaded)   # the silver records of this code, never the cached ones
                return _with_synthetic(loaded, datasets)
    t0 = time.monotonic()
    with gc_paused():
        pages = _build(shared, datasets, flatteners, workers, verbose)
    if verbose:
        print(f"training data: {len(pages)} pages built in {time.monotonic() - t0:.0f} s")
    if path is not None:
        _store(path, pages)
    return _with_synthetic(pages, datasets)


def _store(path: Path, pages: list[TrainPage]) -> None:
    """Write the built data to the cache: in a forked process when possible (the pickling takes
    a while and the training goes on meanwhile; the process is waited for at exit)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in [*path.parent.glob("*.pkl"), *path.parent.glob("*.tmp")]:  # .tmp: a writer killed mid-write
        old.unlink()
    if not hasattr(os, "fork"):
        _write(path, pages)
        return
    dies_with_parent = die_with_parent(signal.SIGKILL)  # made before the fork (it loads libc)
    pid = os.fork()
    if pid == 0:  # the writer: write, then leave without running the parent's exit handlers
        code = 1
        try:
            dies_with_parent()  # killed with make train (a half-written .tmp file is never read)
            _write(path, pages)
            code = 0
        finally:
            os._exit(code)
    _WRITERS.append(pid)


_WRITERS: list[int] = []  # cache writer processes not yet waited for


@atexit.register
def wait_for_cache() -> None:
    """Wait for the cache writers this process started (at exit; before a cache is read)."""
    while _WRITERS:
        try:
            os.waitpid(_WRITERS.pop(), 0)
        except ChildProcessError:
            pass


def _write(path: Path, pages: list[TrainPage]) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(pages, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a phase builds many long-lived objects (the
    pages, their feature rows): each full collection would walk every object built so far.
    Those objects are then frozen: no later collection walks them, nor one in a forked worker
    (whose copy of them then stays shared). The objects are the same either way."""
    enabled = gc.isenabled()
    gc.disable()
    _GC_PAUSED[0] += 1
    try:
        yield
    finally:
        _GC_PAUSED[0] -= 1
        gc.freeze()
        if enabled:
            gc.enable()


_GC_PAUSED = [0]  # gc_paused phases open in this process


def _gc_in_child() -> None:
    """A worker forked in a paused phase collects its own garbage (it does not keep its objects)."""
    if _GC_PAUSED[0]:
        gc.enable()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_gc_in_child)


def _with_synthetic(pages: list[TrainPage], datasets: tuple[str, ...]) -> list[TrainPage]:
    """The real pages plus the synthetic ones generated on them (not cached: generating them
    takes seconds, and a change of the widget grammar then needs no new flattening)."""
    if SYNTHETIC in datasets:
        from workers.training import synthetic_mix
        pages = sorted(pages + synthetic_mix.make_pages(pages), key=lambda p: p.page_id)
        check_pages(pages)
    return pages


def _build(shared: Path, datasets: tuple[str, ...], flatteners: tuple[str, ...], workers: int,
           verbose: bool = False) -> list[TrainPage]:
    html_sets = tuple(d for d in datasets if d in C.HTML_FILES)
    pages: list[TrainPage] = []
    jobs = ((src, flatteners) for src in C.iter_html_pages(shared, html_sets))
    if html_sets and flatteners:
        if workers > 1:
            with (fork_pool(workers) if can_fork() else mp.get_context().Pool(workers)) as pool:
                for n, chunk in enumerate(pool.imap_unordered(_work, jobs, chunksize=4), 1):
                    pages.extend(chunk)
                    if verbose and n % 250 == 0:
                        print(f"training data: {n} html pages flattened", flush=True)
        else:
            for job in jobs:
                pages.extend(_work(job))
    if C.TEXT_DEV in datasets:
        pages.extend(page_from_text(src) for src in C.load_text_dev(shared))
    pages.sort(key=lambda p: p.page_id)
    check_pages(pages)
    return pages


def check_pages(pages: list[TrainPage]) -> None:
    """The contract holds: unique ids, one label (of LABELS) and one author slot per line,
    authors only on comment_head lines, one DOM row per line. Raises ValueError."""
    known = set(LABELS)
    seen: set[str] = set()
    for p in pages:
        if p.page_id in seen:
            raise ValueError(f"duplicate page id {p.page_id}")
        seen.add(p.page_id)
        if not (len(p.lines) == len(p.labels) == len(p.authors)):
            raise ValueError(f"{p.page_id}: {len(p.lines)} lines, {len(p.labels)} labels, {len(p.authors)} authors")
        if not set(p.labels) <= known:
            raise ValueError(f"{p.page_id}: unknown labels {set(p.labels) - known}")
        if any(a is not None and lab != COMMENT_HEAD for a, lab in zip(p.authors, p.labels)):
            raise ValueError(f"{p.page_id}: an author on a line that is not a comment header")
        if p.dom is not None and len(p.dom) != len(p.lines):
            raise ValueError(f"{p.page_id}: {len(p.dom)} DOM rows for {len(p.lines)} lines")


def label_counts(pages: list[TrainPage]) -> dict[str, dict[str, int]]:
    """Lines per label, per dataset and per flattener (for the docs and the train report)."""
    out: dict[str, dict[str, int]] = {}
    for p in pages:
        for key in (f"dataset:{p.dataset}", f"flattener:{p.flattener}", "all"):
            row = out.setdefault(key, {lab: 0 for lab in LABELS})
            for lab in p.labels:
                row[lab] += 1
    return out


def markdown_counts(pages: list[TrainPage]) -> str:
    """Pages and lines per label, per dataset and per flattener, as Markdown tables."""
    counts = label_counts(pages)
    n_pages: Counter = Counter()
    for p in pages:
        n_pages[f"dataset:{p.dataset}"] += 1
        n_pages[f"flattener:{p.flattener}"] += 1
        n_pages["all"] += 1
    out = []
    for kind in ("dataset", "flattener"):
        out.append(f"| {kind} | pages | " + " | ".join(LABELS) + " |")
        out.append("|---" * (len(LABELS) + 2) + "|")
        for key in sorted(k for k in counts if k.startswith(kind + ":")) + ["all"]:
            row = counts[key]
            out.append(f"| {key.split(':')[-1]} | {n_pages[key]:,} | " + " | ".join(f"{row[lab]:,}" for lab in LABELS) + " |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # python -m workers.training.dataset [SHARED]: build (cached) and print counts
    import sys
    t0 = time.monotonic()
    built = build_dataset(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"), cache=Path(".cache"), verbose=True)
    print(markdown_counts(built))
    print(f"{len(built)} pages in {time.monotonic() - t0:.0f} s")
