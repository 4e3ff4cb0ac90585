"""Comment records on real pages flattened to plain text (issue #9): the comment sections of
Dragnet pages as a crawler that is not ours prints them, split into records and their authors
read by the plain-text path (trained labeller + record builder), scored against references
taken from the page's markup.

    .venv/bin/python bench/eval_comment_text.py [--with N] [--without N] [--flatteners a,b]
                                                [--cache PATH] [--show K]

Pages: the Dragnet training pages (``../shared/corpus/html-dev/dragnet-train.jsonl.gz``), news
and blog pages of 2012 with WordPress, Blogger, Disqus (server-rendered), Drupal and forum-like
comment sections; the first ``--with`` pages whose gold has comments (at most ``PER_SITE`` of a site) and
the first ``--without`` whose gold has none (one per site). Each is flattened by the text flatteners of
``workers/training/flatten.py`` (resiliparse's ``extract_plain_text``, lxml's block-per-line
walk with and without blank lines: never the DOM walk the HTML path reads) and labelled as
``text/plain`` (no DOM, no markup: the comment authors come from the text alone).

**The model saw these pages**: ``make train`` trains on every Dragnet training page in these
flatteners, and it does not keep its out-of-fold labels, so the ``model`` figures are
training-page figures for the labeller. The record builder (``labeller/comments.py``,
``comment_shape.py``, ``stages/segment.py``, ``stages/authors.py``) was never fitted on them.
Pages are scored apart by site halves (A / B, as ``bench/eval_meta.half_of``): a builder change
should move both halves the same way.

References, none of them the code measured:

* ``F1`` -- comment token F1 against Dragnet's human gold comments (which print each
  comment's author and date inline, so the records are scored as author + time + text,
  ``bench/scoring.comments_with_heads``), on pages with gold comments;
* ``count`` / ``author`` -- the silver comment records (``workers/training/silver.py``: the
  gold comment lines projected on the flattened lines, split into comments and given their
  authors from the comment section's markup, the labels ``make train`` learns from): exact
  comment-count rate, and author accuracy with the gold comments aligned to the output
  comments by text (``bench/scoring.align_comments``; unaligned = wrong): over all comments
  (``author``), the mean of the pages' (``authpg``: a page of 300 comments weighs as one), and
  over the silver comments the markup names (``named``: where the markup shows no name the
  silver record has none, and some silver splits keep a "Name said…" line in the text, so
  ``author`` also counts those against a right name). The silver split reads a section's headers as
  leading or trailing from its gaps between two texts, and from its two ends only when the gaps
  show neither (``workers/training/silver_records.comment_records``);
* ``paired`` -- the markup's own comment items (``bench/eval_comment_authors.markup_items``,
  the reference of the HTML comment-author figures): of the output comments whose opening
  lies in one markup comment item, the share whose author is that item's name (``swapped``:
  another name of the page: an author shifted between neighbours);
* ``false`` -- pages without gold comments on which the builder outputs comments.

Labels: ``model`` (the trained labeller, ``labeller.apply.label_page``: its labels, then the
builder) and ``silver`` (the silver line labels through the same builder: isolates the
builder). ``--cache PATH`` keeps the flattened pages and the model's labels in a pickle keyed
by the model version, for iterating on the record builder (delete it when the rules or the
flatteners change).
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import pickle
import sys
import zlib
from dataclasses import asdict
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import scoring as S  # noqa: E402
from bench.eval_comment_authors import markup_items, score_pairs  # noqa: E402
from bench.loaders import CORPUS  # noqa: E402
from topics.records import Line, StrippedDocument  # noqa: E402

FETCHED_AT = "2012-12-31T12:00:00Z"  # relative times resolve against it (Dragnet: 2012 pages)
TEXT_FLATTENERS = ("resiliparse", "blocks", "blocks-tight")
LABEL_SOURCES = ("model", "silver")
# pages per site (a site prints every page's comments alike: 16 pages of one blog would weigh
# one widget 16 times); pages without comments: one per site
PER_SITE = 2


# --- pages -----------------------------------------------------------------------------------

def load_pages(n_with: int, n_without: int, flatteners: tuple[str, ...]) -> list[dict]:
    """One page per (Dragnet page, text flattener) that the flattener keeps the content of."""
    from workers.training.corpus import iter_html_pages
    from workers.training.dataset import pages_from_html

    out: list[dict] = []
    left = {True: n_with, False: n_without}
    per_site: collections.Counter = collections.Counter()
    for src in iter_html_pages(CORPUS.parent, ("dragnet",)):
        gold_text = src.gold.get("comments") if isinstance(src.gold.get("comments"), str) else ""
        has = bool(gold_text.strip())
        if left[has] <= 0 or per_site[src.site, has] >= (PER_SITE if has else 1):
            if not any(left.values()):
                break
            continue
        left[has] -= 1
        per_site[src.site, has] += 1
        items = markup_items(src.content) if has else []
        half = "B" if zlib.crc32(src.site.encode("utf-8")) % 2 else "A"
        for tp in pages_from_html(src, flatteners):
            out.append({"id": f"{src.id}:{tp.flattener}", "flattener": tp.flattener, "half": half, "site": src.site,
                        "url": src.url, "lines": tp.lines, "silver_labels": tp.labels,
                        "silver": tp.gold.get("comments") or [], "gold_text": gold_text, "items": items,
                        "gold_body": src.gold.get("content") if isinstance(src.gold.get("content"), str) else ""})
    return out


def model_labels(pages: list[dict]) -> None:
    from workers.core.labeller.apply import label_page

    for p in pages:
        p["model_labels"] = label_page(p["lines"], None, p["url"], p["id"]).labels


def _training_code() -> str:
    """Hash of the training code (the synthetic grammar included): the out-of-fold labels' key."""
    h = hashlib.blake2b(digest_size=10)
    for p in sorted((ROOT / "workers" / "training").glob("*.py")) + [_HERE / "comment_text_oof.py"]:
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def load_cached(args) -> list[dict]:
    from workers.core.labeller.apply import model_version

    oof = ("oof", args.oof, args.oof_rounds, _training_code()) if args.oof else ()
    key = (model_version(), args.with_, args.without, tuple(args.flatteners.split(",")), *oof)
    path = Path(args.cache) if args.cache else None
    if path is not None and path.is_file():
        with path.open("rb") as fh:
            got = pickle.load(fh)
        if got.get("key") == key:
            return got["pages"]
    pages = load_pages(args.with_, args.without, key[3])
    if args.oof:
        from bench.comment_text_oof import oof_labels
        oof_labels(pages, CORPUS.parent, args.oof, args.oof_rounds, log=lambda s: print(s, flush=True),
                   save_trees=Path(args.save_trees) if args.save_trees else None)
    else:
        model_labels(pages)
    if path is not None:
        with path.open("wb") as fh:
            pickle.dump({"key": key, "pages": pages}, fh)
    return pages


# --- records and scores ----------------------------------------------------------------------

def records(page: dict, labels: list[str]) -> list[dict]:
    """The segment stage's comments of ``page`` under ``labels`` (plain text: no DOM)."""
    from workers.core.labeller.apply import roles_from_labels
    from workers.core.labeller.evidence import rule_evidence
    from workers.core.stages.segment import _build_comments

    lines = page["lines"]
    ev = rule_evidence(lines, None, page["url"], page["id"])
    reasons, roles = roles_from_labels([ln.text for ln in lines], [ln.blank_before for ln in lines], labels, ev)
    out_lines = [Line(ln.n, ln.text, ln.blank_before, r, h if r is None else None)
                 for ln, r, h in zip(lines, reasons, roles)]
    doc = StrippedDocument(id=page["id"], url=page["url"], content_type="text/plain",
                           fetched_at=FETCHED_AT, source=None, site="eval", lines=out_lines)
    return [asdict(c) for c in _build_comments(doc)]


KEYS = ("f1", "count", "author", "authpg", "named", "paired", "swapped", "false", "body")
BODY_LABELS = ("title", "body")  # the lines the page's main text is made of


def score(page: dict, out: list[dict]) -> dict[str, list[float]]:
    """Per-page [sum, n] of each figure."""
    s = {k: [0.0, 0] for k in KEYS}
    if page["gold_text"].strip():
        s["f1"] = [S.text_prf(S.comments_with_heads(out), page["gold_text"]).f1, 1]
    else:
        s["false"] = [float(bool(out)), 1]
    silver = page["silver"]
    if silver:
        s["count"] = [float(len(silver) == len(out)), 1]
        idx = S.align_comments([c["text"] for c in out], [g["text"] for g in silver])
        ok = sum(1 for g, pi in zip(silver, idx)
                 if pi is not None and S._norm_author(out[pi].get("author")) == S._norm_author(g.get("author")))
        s["author"] = [float(ok), len(silver)]
        s["authpg"] = [ok / len(silver), 1]
        named = [(g, pi) for g, pi in zip(silver, idx) if S._norm_author(g.get("author"))]
        s["named"] = [float(sum(1 for g, pi in named if pi is not None and S._norm_author(out[pi].get("author"))
                                == S._norm_author(g.get("author")))), len(named)]
    if page["items"]:
        seen, ok, swapped = score_pairs(page["items"], {"comments": out})
        s["paired"] = [float(ok), seen]
        s["swapped"] = [float(swapped), seen]
    return s


def body_score(page: dict, labels: list[str]) -> list[float]:
    """[body token F1, 1] of the lines labelled title or body against Dragnet's gold main text
    (``body``: a labelling that wins comments by taking article lines shows here)."""
    if not page.get("gold_body", "").strip():
        return [0.0, 0]
    text = "\n".join(ln.text for ln, lb in zip(page["lines"], labels) if lb in BODY_LABELS)
    return [S.text_prf(text, page["gold_body"]).f1, 1]


# --- what breaks the records: the model's line labels against the silver ones -----------------

_HEAD, _TEXT, _CHROME = "comment_head", "comment_text", "comment_chrome"
ERRORS = ("section missed", "header as text", "text as header", "chrome as header", "header as chrome",
          "header missed", "text missed", "other")


def label_errors(page: dict) -> collections.Counter:
    """Lines per error kind on a page with silver comments: the section missed (no comment
    label where the silver section is), a header line labelled text / text labelled header,
    chrome or boilerplate labelled header, a header labelled chrome, a header or text line
    labelled body / boilerplate (missed)."""
    sil, mod = page["silver_labels"], page["model_labels"]
    inside = [k for k, lb in enumerate(sil) if lb.startswith("comment_")]
    out: collections.Counter = collections.Counter()
    if not inside:
        return out
    a, b = inside[0], inside[-1] + 1
    if not any(lb.startswith("comment_") for lb in mod[a:b]):
        out["section missed"] = sum(1 for lb in sil[a:b] if lb in (_HEAD, _TEXT))
        return out
    for s, m in zip(sil[a:b], mod[a:b]):
        if s == m or s not in (_HEAD, _TEXT) and m != _HEAD:
            continue
        kind = {(_HEAD, _TEXT): "header as text", (_TEXT, _HEAD): "text as header",
                (_HEAD, _CHROME): "header as chrome"}.get((s, m))
        if kind is None:
            kind = ("chrome as header" if m == _HEAD else "header missed" if s == _HEAD
                    else "text missed" if s == _TEXT and m in ("body", "boilerplate", "title") else "other")
        out[kind] += 1
    return out


def error_report(pages: list[dict], show: int = 0) -> None:
    """Per flattener: pages whose comment count is wrong, by their main error kind, and the
    lines of every kind; ``show``: that many header lines of each header error kind."""
    pages_by: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    lines_by: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    samples: dict[str, list[str]] = collections.defaultdict(list)
    for p in pages:
        if not p["silver"]:
            continue
        errs = label_errors(p)
        for g in ("all", p["flattener"]):
            lines_by[g].update(errs)
        if len(records(p, p["model_labels"])) != len(p["silver"]):
            main_kind = errs.most_common(1)[0][0] if errs else "builder (labels right)"
            for g in ("all", p["flattener"]):
                pages_by[g][main_kind] += 1
        for k, (s, m) in enumerate(zip(p["silver_labels"], p["model_labels"])):
            if show and _HEAD in (s, m) and s != m and len(samples[f"{s}->{m}"]) < show and k % 3 == 0:
                samples[f"{s}->{m}"].append(f"{p['flattener']}: {p['lines'][k].text[:90]!r}")
    for g in ("all", *TEXT_FLATTENERS):
        print(f"   errors {g:12s} pages with a wrong count by main error: "
              + ", ".join(f"{k} {n}" for k, n in pages_by[g].most_common()))
        print(f"   errors {g:12s} lines: " + ", ".join(f"{k} {lines_by[g][k]}" for k in ERRORS if lines_by[g][k]))
    for key, rows in sorted(samples.items()):
        print(f"   sample {key}:")
        for r in rows:
            print(f"      {r}")


def _fmt(v: list[float]) -> str:
    return f"{v[0] / v[1]:.3f} ({v[1]})" if v[1] else "-"


def evaluate(pages: list[dict], source: str, show: int = 0) -> dict[str, dict[str, list[float]]]:
    """Totals per group: each flattener, each site half, and ``all``."""
    tot: dict[str, dict[str, list[float]]] = collections.defaultdict(lambda: {k: [0.0, 0] for k in KEYS})
    misses = []
    for p in pages:
        labels = p["model_labels"] if source == "model" else p["silver_labels"]
        out = records(p, labels)
        s = score(p, out)
        s["body"] = body_score(p, labels)
        for g in ("all", p["flattener"], f"half {p['half']}"):
            for k in KEYS:
                tot[g][k][0] += s[k][0]
                tot[g][k][1] += s[k][1]
        if show and p["silver"] and (s["count"][0] < 1 or s["author"][0] < s["author"][1]):
            misses.append((s["author"][1] - s["author"][0], p, out))
    for _n, p, out in sorted(misses, key=lambda m: -m[0])[:show]:
        g = [(c["author"], c["text"][:25]) for c in p["silver"]][:6]
        o = [(c["author"], c["text"][:25]) for c in out][:6]
        print(f"   miss [{source}] {p['id']}: silver {len(p['silver'])} {g}\n        ours {len(out)} {o}")
    return tot


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--with", dest="with_", type=int, default=300, help="Dragnet pages with gold comments")
    ap.add_argument("--without", type=int, default=100, help="Dragnet pages without gold comments")
    ap.add_argument("--flatteners", default=",".join(TEXT_FLATTENERS))
    ap.add_argument("--labels", default=",".join(LABEL_SOURCES))
    ap.add_argument("--cache", default=None, help="pickle of the pages and model labels (builder iterations)")
    ap.add_argument("--show", type=int, default=0, help="print the K pages missing most authors")
    ap.add_argument("--errors", type=int, default=-1, metavar="N",
                    help="print the model's label errors that break records, by kind and flattener, and N sample "
                         "header lines of each kind")
    ap.add_argument("--oof", type=int, default=0, metavar="K",
                    help="label with plain-text trees retrained without the pages' sites, K site folds "
                         "(bench/comment_text_oof.py; heavy: ~3 GB, several minutes)")
    ap.add_argument("--oof-rounds", type=int, default=30, help="boosting rounds of the --oof trees")
    ap.add_argument("--save-trees", default=None, metavar="PATH",
                    help="with --oof: also fit the reduced trees on every page, saved to PATH "
                         "(eval_comment_records.py --text-trees PATH)")
    ap.add_argument("--text-trees", default=None, metavar="PATH",
                    help="label with these plain-text trees (e.g. --save-trees' file) and the committed decoder")
    args = ap.parse_args(argv)
    if args.text_trees:
        from bench.eval_comment_records import use_text_trees
        use_text_trees(Path(args.text_trees))
    if not (CORPUS / "html-dev" / "dragnet-train.jsonl.gz").is_file():
        print(f"eval_comment_text: {CORPUS / 'html-dev'} not found (the shared corpus is needed)", file=sys.stderr)
        return 2
    pages = load_cached(args)
    seen = (f"out of fold: {args.oof} site folds, plain-text trees of {args.oof_rounds} rounds that never saw the "
            "page's site" if args.oof else "the model was trained on these pages")
    print(f"== comment records on Dragnet pages flattened to plain text ({len(pages)} flattened pages; "
          f"{seen}; the builder never fitted on them)")
    print("   F1: comment token F1 vs the human gold; count, author: vs the silver records; paired: author of "
          "the markup's comment item; false: pages without comments given some; body: token F1 of the title and "
          "body lines vs the gold main text")
    for lab in args.labels.split(","):
        tot = evaluate(pages, lab, args.show)
        for g in ["all", *args.flatteners.split(","), "half A", "half B"]:
            print(f"   {lab:6s} {g:12s} " + "  ".join(f"{k} {_fmt(tot[g][k])}" for k in KEYS))
    if args.errors >= 0:
        error_report(pages, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
