"""HTML content quality side by side: Winnow (rule and trained labeller), trafilatura and
resiliparse on the same pages, in the same run.

    .venv/bin/python bench/eval_html.py [--sample N] [--seed S] [--sets dragnet,wcxb,...] [--json OUT]

Sets: the HTML files of ``../shared/corpus/html-dev`` (Dragnet train split, WCXB dev with its
7 page types, CleanEval dev, CleanPortalEval, Readability's test pages). Each set is run
whole, except sets larger than ``--sample`` pages (default 300): those are sampled with a
fixed seed, WCXB spread evenly over its page types; the pages keep their file order (Winnow
learns site templates page after page, as in a stream). ``--sample 0`` runs every page.
``heldout-html``: the 24 blind hand-written pages of ``tests/data/heldout3`` (in the repository,
never sampled, never seen by any extractor; ``bench/heldout_html.py``): content, comments (text
only: its gold keeps authors apart), per-comment authors and reply targets, and metadata. It is
left out of the mean over the shared sets.

Extractors, each with its defaults:
  * Winnow, ``text/html`` records through the offline pipeline (strip, segment, enrich) with
    ``WINNOW_LABELLER=rules`` and ``=model``; content = title + body;
  * trafilatura ``bare_extraction(html, url=url, include_comments=False)``, content = its
    text (the setting of the corpus README's reference figures, and its better content: the
    default ``include_comments=True`` gives 0.881 instead of 0.899 on the Dragnet sample);
    comments from a second call with its default ``include_comments=True``;
  * resiliparse ``extract_plain_text(html, main_content=True, comments=False)`` for content
    (its default ``comments=True`` keeps reader comments in the main content); its comments
    are the lines that ``comments=True`` adds (on/off difference; no comment mode of its own).
On WCXB forum pages the posts are the content (``bench/eval_meta.py``'s forum decision): every
extractor's content is its main text plus its comments there (trafilatura: one default call;
resiliparse: ``comments=True``). docs/s counts the content call only.

Scores (convention of the corpus README, ``bench/scoring.py``): token multiset P/R/F1 per
page against the gold ``content``, mean over pages (empty output 0; a page whose gold is
empty, the one all-boilerplate portal page, scores 1.0 only when the output is empty too).
Dragnet comments: on the pages whose gold comments are non-empty, each extractor's comment
text against the gold comments (Winnow's comments as author + printed time + text, as
``bench/eval.py`` scores them: the gold has them inline); false comments = pages without gold
comments where the extractor outputs any comment text. Authors (Winnow only, the others have
none): output comments carrying an author, and how many of those names occur in the gold
comments (the gold carries each comment's author inline).

Honesty: these pages are the trained labeller's TRAINING data (its in-sample figure here is
optimistic; its site-split out-of-fold figures are printed by ``make train`` and in
docs/model.md) and the HTML rules were written looking at them (the rules' figure is a floor,
not an unseen estimate). trafilatura and resiliparse never saw them. docs/s is the same-run
rate on this (shared) machine; speed is measured in ``make bench``.
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import eval_html_report as R  # noqa: E402
from bench import heldout_html as HH  # noqa: E402
from bench import scoring as S  # noqa: E402
from bench.eval_meta import CONTENT_WITH_COMMENTS, content_text  # noqa: E402
from bench.loaders import CORPUS, html_dev_pages  # noqa: E402

# set name -> (file in html-dev, what it is)
SETS: dict[str, tuple[str, str]] = {
    "dragnet": ("dragnet-train.jsonl.gz", "Dragnet train split, news and blogs 2012"),
    "wcxb": ("wcxb-dev.jsonl.gz", "WCXB dev, 7 page types"),
    "cleaneval": ("cleaneval-dev.jsonl.gz", "CleanEval dev, mixed pages"),
    "cleanportaleval": ("cleanportaleval.jsonl.gz", "CleanPortalEval, news portals"),
    "readability": ("readability.jsonl.gz", "Readability test pages, Readability's output as gold"),
    HH.NAME: ("", HH.WHAT),
}
LOCAL_SETS = {HH.NAME: HH.pages}  # sets in the repository, not in ../shared: run whole, not in the shared mean
COMMENT_SETS = ("dragnet", HH.NAME)  # sets whose gold has the comments
DEFAULT_SAMPLE = 300  # pages per set at most: keeps the whole run within ~5 min on the shared 2-core host
DEFAULT_SEED = 10
EXTRACTORS = ("winnow rules", "winnow model", "trafilatura", "resiliparse")
STATUS: dict[str, str] = {
    "winnow rules": "the HTML rules were written looking at these pages: a floor, not an unseen estimate",
    "winnow model": "TRAINING data of the model: in-sample, optimistic (site-split figures: make train, docs/model.md)",
    "trafilatura": "never saw these pages",
    "resiliparse": "never saw these pages",
}


@dataclass(slots=True)
class Extraction:
    content: str
    comments: str | None           # comment text as scored against Dragnet's gold; None = no comment mode
    authors: list[str | None] | None = None  # one per output comment (Winnow only)
    items: list[HH.Item] | None = None        # (text, author, reply_to) per output comment (Winnow only)


# --- pages ------------------------------------------------------------------------------

def sample_indices(kinds: list[str | None], n: int | None, seed: int) -> list[int]:
    """A fixed-seed sample of at most ``n`` page indices, spread evenly over the page kinds
    (a kind with fewer pages gives its share to the others), in file order."""
    if not n or n >= len(kinds):
        return list(range(len(kinds)))
    by_kind: dict[str | None, list[int]] = defaultdict(list)
    for i, k in enumerate(kinds):
        by_kind[k].append(i)
    rng, chosen, left = random.Random(seed), [], n
    groups = sorted(by_kind.items(), key=lambda kv: (len(kv[1]), str(kv[0])))
    for j, (_k, idx) in enumerate(groups):
        take = min(len(idx), left // (len(groups) - j))
        chosen += rng.sample(idx, take)
        left -= take
    return sorted(chosen)


def load_set(name: str, n: int | None, seed: int) -> tuple[list[dict], int]:
    """(the sampled pages of a set, the set's page count). Two passes: the kinds, then the pages."""
    if name in LOCAL_SETS:
        pages = LOCAL_SETS[name]()
        return pages, len(pages)
    fname = SETS[name][0]
    kinds = [d.get("page_type") for d in html_dev_pages(fname)]
    keep = set(sample_indices(kinds, n, seed))
    return [d for i, d in enumerate(html_dev_pages(fname)) if i in keep], len(kinds)


def is_forum(page: dict) -> bool:
    return page.get("page_type") in CONTENT_WITH_COMMENTS


# --- extractors -------------------------------------------------------------------------

# an extractor's run over a set: (output per page id, seconds)
Run = tuple[dict[str, Extraction], float]


def winnow(labeller: str) -> Callable[[list[dict]], Run]:
    def run(pages: list[dict]) -> Run:
        from bench.offline import enriched_records, html_values
        from workers.core.runner import StageRunner
        from workers.settings import from_env

        settings = from_env(env={}, labeller=labeller, stage_timeout_s=60.0)  # quality: no timeouts under load
        runner = StageRunner(settings, dedupe_window=0)
        runner.warm_up()
        recs, secs = enriched_records(html_values(pages), settings, runner)  # timed without the model loading
        out = {}
        for p in pages:
            rec = recs.get(p["id"]) or {}  # dead-lettered: empty output, scores 0
            comments = rec.get("comments") or []
            text = ("\n\n".join(c.get("text") or "" for c in comments) if HH.structured(p)  # authors scored apart
                    else S.comments_with_heads(comments))
            out[p["id"]] = Extraction(content_text(rec, is_forum(p)), text, [c.get("author") for c in comments],
                                      [(c.get("text") or "", c.get("author"), c.get("reply_to")) for c in comments])
        return out, secs
    return run


def wants_comments(page: dict) -> bool:
    """Comment figures are scored where the gold has a comments field (Dragnet, heldout-html)."""
    return "comments" in page["gold"]


def trafilatura_run(pages: list[dict]) -> Run:
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    from trafilatura import bare_extraction

    def call(page: dict, comments: bool) -> tuple[str, str]:
        doc = bare_extraction(page["html"], url=page.get("url"), include_comments=comments)
        return (doc.text or "", doc.comments or "") if doc is not None else ("", "")

    out, secs = {}, 0.0
    for p in pages:
        t0 = time.perf_counter()
        text, comments = call(p, is_forum(p))  # forum: posts are content (its comment mode finds them)
        secs += time.perf_counter() - t0
        if wants_comments(p):
            comments = call(p, True)[1]  # its comment mode, not timed (a second call)
        out[p["id"]] = Extraction(text + "\n" + comments if is_forum(p) else text, comments)
    return out, secs


def resiliparse_run(pages: list[dict]) -> Run:
    from resiliparse.extract.html2text import extract_plain_text

    out, secs = {}, 0.0
    for p in pages:
        t0 = time.perf_counter()
        content = extract_plain_text(p["html"], main_content=True, comments=is_forum(p))
        secs += time.perf_counter() - t0
        comments = ""
        if wants_comments(p):  # its comments = what comments=True adds (not timed)
            comments = added_lines(extract_plain_text(p["html"], main_content=True, comments=True), content)
        out[p["id"]] = Extraction(content, comments)
    return out, secs


def added_lines(on: str, off: str) -> str:
    """The lines of ``on`` that ``off`` does not have (as a multiset), in order."""
    left = Counter(off.splitlines())
    added = []
    for ln in on.splitlines():
        if left[ln] > 0:
            left[ln] -= 1
        else:
            added.append(ln)
    return "\n".join(added)


RUNNERS: dict[str, Callable[[list[dict]], Run]] = {
    "winnow rules": winnow("rules"), "winnow model": winnow("model"),
    "trafilatura": trafilatura_run, "resiliparse": resiliparse_run,
}


# --- scoring ----------------------------------------------------------------------------

def _gold_comments(page: dict) -> str:
    return (page["gold"].get("comments") or "").strip()


def score(pages: list[dict], out: dict[str, Extraction], comments: bool) -> dict:
    """Content P/R/F1 (mean over pages); with ``comments``, Dragnet's comment figures too."""
    rows = [S.text_prf(out[p["id"]].content, p["gold"].get("content"), both_empty=1.0) for p in pages]
    rep = {"pages": len(pages), "content_f1": S.mean(r.f1 for r in rows),
           "precision": S.mean(r.precision for r in rows), "recall": S.mean(r.recall for r in rows)}
    if not comments or not pages:
        return rep
    with_c = [p for p in pages if _gold_comments(p)]
    without = [p for p in pages if not _gold_comments(p) and not is_forum(p)]  # a forum's replies are its posts
    rep["comment_pages"], rep["no_comment_pages"] = len(with_c), len(without)
    if out[pages[0]["id"]].comments is None:
        return rep
    rep["comment_f1"] = S.mean(S.text_prf(out[p["id"]].comments, _gold_comments(p)).f1 for p in with_c)
    rep["false_comment_pages"] = sum(bool(S.tokens(out[p["id"]].comments)) for p in without)
    if out[pages[0]["id"]].items is not None and HH.structured(pages[0]):
        rep["comment_items"] = HH.comment_scores(with_c, {p["id"]: out[p["id"]].items for p in with_c})
    elif out[pages[0]["id"]].authors is not None:
        rep["authors"] = author_counts([(out[p["id"]].authors, _gold_comments(p)) for p in with_c])
    return rep


def author_counts(items: list[tuple[list[str | None], str]]) -> dict[str, int]:
    """Output comments, those with an author, and those whose author's words all occur in
    the page's gold comments (which carry the authors inline)."""
    n = named = found = 0
    for authors, gold in items:
        gold_toks = set(S.tokens(gold))
        for a in authors:
            n += 1
            toks = S.tokens(a)
            named += bool(toks)
            found += bool(toks) and all(t in gold_toks for t in toks)
    return {"comments": n, "with_author": named, "author_in_gold": found}


def evaluate(name: str, pages: list[dict], extractors=EXTRACTORS) -> dict[str, dict]:
    """Every extractor on one set's pages: its scores and its same-run docs/s."""
    reps = {}
    for ex in extractors:
        out, secs = RUNNERS[ex](pages)
        rep = score(pages, out, comments=name in COMMENT_SETS)
        rep["docs_per_s"] = len(pages) / secs if secs > 0 else float("inf")
        if name in ("wcxb", HH.NAME):
            kinds = sorted({p.get("page_type") or "other" for p in pages})
            rep["by_type"] = {k: score([p for p in pages if (p.get("page_type") or "other") == k], out, False)
                              for k in kinds}
        reps[ex] = rep
    return reps


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="pages per set at most (0: all)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated, from: " + ", ".join(SETS))
    ap.add_argument("--json", dest="json_out", default=None)
    args = ap.parse_args(argv)
    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    unknown = [s for s in names if s not in SETS]
    if unknown:
        print(f"eval_html: unknown set {unknown[0]!r} (choose from {', '.join(SETS)})", file=sys.stderr)
        return 2
    missing = [SETS[s][0] for s in names if s not in LOCAL_SETS and not (CORPUS / "html-dev" / SETS[s][0]).is_file()]
    if missing:
        print(f"eval_html: {CORPUS / 'html-dev' / missing[0]} not found (the shared corpus is needed)", file=sys.stderr)
        return 2
    print(f"HTML content token F1, every extractor on the same pages in one run (sample <= {args.sample or 'all'} "
          f"pages per set, seed {args.seed}); status of the html-dev pages for each extractor:")
    for ex in EXTRACTORS:
        print(f"   {ex:14s} {STATUS[ex]}")
    if HH.NAME in names:
        print(f"   set {HH.NAME}: {HH.WHAT}")
    reports = {}
    for name in names:
        pages, n_total = load_set(name, args.sample or None, args.seed)
        reports[name] = evaluate(name, pages)
        R.print_set(name, SETS[name][1], n_total, reports[name])
        if name in LOCAL_SETS:
            HH.print_meta(pages)
        else:
            R.print_validation(name)
    R.print_summary(reports, EXTRACTORS, LOCAL_SETS)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(reports, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
