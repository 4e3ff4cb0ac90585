"""Winnow quality evaluation: runs the offline pipeline over the shared corpora and scores it.

    python bench/eval.py [--corpus seed|text-dev|heldout|heldout2|dragnet|all] [--labeller both|model|rules]
                         [--limit N] [--json OUT]

Each corpus is run twice, with the trained line labeller (``WINNOW_LABELLER=model``) and with
the rule labeller alone (``rules``), and the two are printed side by side, each corpus with
what it is for each labeller: "tuned on" (the rules were written looking at it / the model
was trained on it), "validation" or "unseen". The model's site-split validation figures
(out of fold, per dataset and page type, from ``make train``, kept in the model's metadata)
are printed at the end.

Each corpus runs through ``workers.core.runner.process_values`` with its own StageRunner
(settings from the environment), documents in file order, so site templates learned on
one page carry over to the next pages of the same site, exactly as in a stream.

Scores (token convention in ``bench/scoring.py``; mean over pages):
  * body P/R/F1: title + body vs gold title + body (Dragnet: vs gold ``content``, which
    includes the headline). A page whose gold body is empty (a 404 page) scores 1.0 when
    the output body is empty too, else 0.
  * comment F1: all comment texts vs all gold comment texts. Reported twice: over all
    pages (a page without gold comments scores 1.0 when no comment is output, else 0),
    and over the pages that have gold comments only (Dragnet: only those; there each
    comment's author and printed time count with its text, as the gold holds them, and
    ``comment_f1_text_only`` beside it scores the texts alone).
  * exact comment-count rate, author accuracy (gold comments aligned to output comments
    by text, an unaligned gold comment counts as wrong), boilerplate leak rate (gold
    boilerplate lines that survive as output lines / all gold boilerplate lines, micro),
  * title / language / published_at / site_name accuracy from the enriched record,
  * docs/s of the whole pipeline run (strip + segment + enrich), one core.
Baseline: whole-text passthrough (every line kept as body) on the same input.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# run as a script, bench/ itself is on sys.path and "bench" would resolve to bench/bench.py
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from bench import scoring as S  # noqa: E402
from bench.loaders import html_dev_pages  # noqa: E402
from bench.offline import enriched_records  # noqa: E402
from workers.core.runner import StageRunner  # noqa: E402
from workers.settings import from_env  # noqa: E402

CORPUS = Path(os.environ.get("WINNOW_CORPUS", ROOT.parent / "shared" / "corpus"))


# --- loading ---------------------------------------------------------------------------

def load_gold_dir(kind: str) -> list[dict]:
    """Gold-format cases: [{"id", "input": {...}, "expected": {...}}] in file order."""
    if kind == "seed":
        files = [CORPUS / "seed" / "southfront-ghouta.json"]
    else:
        files = sorted((CORPUS / "text-dev").glob("*.json"))
    out = []
    for f in files:
        d = json.loads(f.read_text(encoding="utf-8"))
        inp = dict(d["input"])
        inp.setdefault("id", f.stem)
        inp["id"] = inp.get("id") or f.stem
        inp.setdefault("content_type", "text/plain")
        out.append({"id": inp["id"], "input": inp, "expected": d["expected"]})
    return out


def load_heldout() -> list[dict]:
    """The invented held-out pages of tests/data/heldout/ (converted by tests/heldout.py)."""
    from tests.heldout import heldout_cases

    return [{"id": c["input"]["id"], "input": c["input"], "expected": c["expected"]} for c in heldout_cases()]


def load_heldout2() -> list[dict]:
    """The blind-written held-out pages of tests/data/heldout2/."""
    from tests.heldout import heldout2_cases

    return [{"id": c["input"]["id"], "input": c["input"], "expected": c["expected"]} for c in heldout2_cases()]


def load_dragnet(limit: int | None) -> list[dict]:
    from workers.core.stages.html import flatten_html

    out = []
    for d in html_dev_pages("dragnet-train.jsonl.gz"):
        if limit is not None and len(out) >= limit:
            break
        text = flatten_html(d["html"])[0]
        if not text.strip():
            text = " "
        out.append({
            "id": d["id"],
            "input": {"id": d["id"], "url": d.get("url"), "content_type": "text/plain", "content": text},
            "gold": d["gold"],
        })
    return out


# --- running ---------------------------------------------------------------------------

def run_pipeline(cases: list[dict], labeller: str | None = None) -> tuple[dict[str, dict | None], float]:
    settings = from_env(labeller=labeller)
    runner = StageRunner(settings, dedupe_window=0)
    runner.warm_up()  # model and language-id loading outside the per-record time budget
    values = [orjson.dumps(c["input"]) for c in cases]
    found, dt = enriched_records(values, settings, runner)
    results: dict[str, dict | None] = {c["id"]: found.get(c["id"]) for c in cases}
    return results, dt


def _split_paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()]


# --- scoring ---------------------------------------------------------------------------

def score_gold(cases: list[dict], results: dict[str, dict | None]) -> dict:
    rows = []
    leaked = total_bp = 0
    auth_ok = auth_n = 0
    for c in cases:
        e, r = c["expected"], results.get(c["id"]) or {}
        gold_title = e.get("title")
        gold_body = "\n".join(([gold_title] if gold_title else []) + e["body_paragraphs"])
        out_title = r.get("title")
        out_body_pars = _split_paragraphs(r.get("body", ""))
        out_body = "\n".join(([out_title] if out_title else []) + out_body_pars)
        b = S.text_prf(out_body, gold_body, both_empty=1.0)
        gc = [(x["text"], x.get("author")) for x in e["comments"]]
        oc = [(x["text"], x.get("author")) for x in r.get("comments", [])]
        cf = S.text_prf("\n".join(t for t, _ in oc), "\n".join(t for t, _ in gc), both_empty=1.0)
        ok, n = S.author_hits(oc, gc)
        auth_ok += ok
        auth_n += n
        out_lines = S.kept_lines(out_title, out_body_pars, [t for t, _ in oc])
        gold_lines = S.kept_lines(gold_title, e["body_paragraphs"], [t for t, _ in gc])
        lk = S.leaked_boilerplate(out_lines, gold_lines, e["boilerplate_lines"])
        leaked += lk
        total_bp += len(e["boilerplate_lines"])
        meta = r.get("metadata") or {}
        pub = meta.get("published_at")
        rows.append({
            "id": c["id"], "body_p": b.precision, "body_r": b.recall, "body_f1": b.f1,
            "comment_f1": cf.f1, "has_comments": bool(gc), "count_ok": len(oc) == len(gc),
            "n_comments": len(oc), "gold_comments": len(gc), "authors": f"{ok}/{n}", "leaked": lk,
            "boilerplate": len(e["boilerplate_lines"]),
            "title_ok": S.same_text(out_title, gold_title) if gold_title or out_title else True,
            "lang_ok": meta.get("language") == e.get("language"),
            "date_ok": (pub or None) and str(pub)[:10] == e.get("published_at") or (not pub and not e.get("published_at")),
            "site_ok": S.same_text(meta.get("site_name"), e.get("site_name")),
        })
    with_c = [x for x in rows if x["has_comments"]]
    return {
        "pages": len(rows),
        "body_precision": S.mean(x["body_p"] for x in rows),
        "body_recall": S.mean(x["body_r"] for x in rows),
        "body_f1": S.mean(x["body_f1"] for x in rows),
        "comment_f1_all_pages": S.mean(x["comment_f1"] for x in rows),
        "comment_f1_pages_with_comments": S.mean(x["comment_f1"] for x in with_c) if with_c else None,
        "comment_count_exact": S.mean(1.0 if x["count_ok"] else 0.0 for x in rows),
        "author_accuracy": auth_ok / auth_n if auth_n else None,
        "boilerplate_leak": leaked / total_bp if total_bp else 0.0,
        "title_accuracy": S.mean(1.0 if x["title_ok"] else 0.0 for x in rows),
        "language_accuracy": S.mean(1.0 if x["lang_ok"] else 0.0 for x in rows),
        "published_at_accuracy": S.mean(1.0 if x["date_ok"] else 0.0 for x in rows),
        "site_name_accuracy": S.mean(1.0 if x["site_ok"] else 0.0 for x in rows),
        "rows": rows,
    }


def passthrough_gold(cases: list[dict]) -> float:
    out = []
    for c in cases:
        e = c["expected"]
        gold = "\n".join(([e["title"]] if e.get("title") else []) + e["body_paragraphs"])
        out.append(S.text_prf(c["input"]["content"], gold, both_empty=1.0).f1)
    return S.mean(out)


def score_dragnet(cases: list[dict], results: dict[str, dict | None]) -> dict:
    rows = []
    for c in cases:
        g, r = c["gold"], results.get(c["id"]) or {}
        out_body = "\n".join(([r["title"]] if r.get("title") else []) + _split_paragraphs(r.get("body", "")))
        b = S.text_prf(out_body, g.get("content", ""))
        has_c = bool((g.get("comments") or "").strip())
        # Dragnet's gold comments carry each comment's author and date inline: so do ours here
        ctext = S.comments_with_heads(r.get("comments", []))
        cf = S.text_prf(ctext, g.get("comments", "")) if has_c else None
        # the comment texts alone (what make train's comment_f1 counts: comment-text lines only)
        cft = S.text_prf("\n".join(x.get("text") or "" for x in r.get("comments", [])),
                         g.get("comments", "")) if has_c else None
        pt = S.text_prf(c["input"]["content"], g.get("content", ""))
        rows.append({"id": c["id"], "body_p": b.precision, "body_r": b.recall, "body_f1": b.f1,
                     "comment_f1": cf.f1 if cf else None, "comment_f1_text_only": cft.f1 if cft else None,
                     "n_comments": len(r.get("comments", [])),
                     "has_comments": has_c, "passthrough_f1": pt.f1})
    with_c = [x for x in rows if x["has_comments"]]
    return {
        "pages": len(rows),
        "body_precision": S.mean(x["body_p"] for x in rows),
        "body_recall": S.mean(x["body_r"] for x in rows),
        "body_f1": S.mean(x["body_f1"] for x in rows),
        "comment_f1_pages_with_comments": S.mean(x["comment_f1"] for x in with_c) if with_c else None,
        "comment_f1_text_only_pages_with_comments": (S.mean(x["comment_f1_text_only"] for x in with_c)
                                                     if with_c else None),
        "pages_with_comments": len(with_c),
        "false_comment_pages": sum(1 for x in rows if not x["has_comments"] and x["n_comments"]),
        "baseline_passthrough_body_f1": S.mean(x["passthrough_f1"] for x in rows),
        "rows": rows,
    }


def _fmt(v) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


# what each corpus is for each labeller: "tuned on" / "validation" / "unseen"
STATUS: dict[str, dict[str, str]] = {
    "seed": {"rules": "tuned on", "model": "unseen (a test case, never training data)"},
    "text-dev": {"rules": "tuned on", "model": "tuned on (training data)"},
    "heldout": {"rules": "tuned on (wordings added after a first look)", "model": "unseen"},
    "heldout2": {"rules": "unseen (blind-written)", "model": "unseen (blind-written)"},
    "dragnet": {"rules": "validation (measured while tuning)", "model": "tuned on (training data; see the "
                "site-split validation below for the model's honest figure)"},
}


def print_side_by_side(name: str, reps: dict[str, dict], verbose: bool) -> None:
    labellers = list(reps)
    first = reps[labellers[0]]
    print(f"== {name}: {first['pages']} pages")
    for lab in labellers:
        print(f"   {lab:6s}: {STATUS.get(name, {}).get(lab, '')}; {reps[lab]['docs_per_s']:.1f} docs/s "
              f"(strip+segment+enrich, 1 core)")
    print(f"   {'':34s} " + " ".join(f"{lab:>10s}" for lab in labellers))
    keys = [k for k in first if k not in ("rows", "pages", "docs_per_s")]
    for k in keys:
        print(f"   {k:34s} " + " ".join(f"{_fmt(reps[lab].get(k)):>10s}" for lab in labellers))
    if verbose:
        for lab in labellers:
            for x in reps[lab]["rows"]:
                print(f"   [{lab}] " + "  ".join(f"{k}={_fmt(v)}" for k, v in x.items()))


def print_validation() -> None:
    """The model's site-split k-fold figures, kept in its metadata by ``make train``."""
    from workers.core.labeller.model import DATA_DIR, META_FILE

    try:
        meta = json.loads((DATA_DIR / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        print("== site-split validation: no committed model")
        return
    groups = meta.get("report") or {}
    print(f"== site-split validation of {meta.get('version')} (make train: {meta.get('folds')} folds grouped by "
          f"site; training figures = fold 1's training pages; rules = the rule labeller on the same pages; "
          f"labels = the training labels themselves)")
    from workers.training.report import COLUMNS, table

    for row in table(groups, COLUMNS):
        print("   " + row)


def _load(name: str, limit: int | None) -> list[dict]:
    if name == "dragnet":
        return load_dragnet(limit)
    if name in ("heldout", "heldout2"):
        cases = load_heldout() if name == "heldout" else load_heldout2()
        return cases[:limit] if limit else cases
    return load_gold_dir(name)[:limit] if limit else load_gold_dir(name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["seed", "text-dev", "heldout", "heldout2", "dragnet", "wcxb-meta", "all"],
                    default="all")
    ap.add_argument("--labeller", choices=["both", "model", "rules"], default="both")
    ap.add_argument("--limit", type=int, default=None, help="at most N documents per corpus")
    ap.add_argument("--json", dest="json_out", default=None, help="write the full report (per page too) here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print one line per page")
    args = ap.parse_args(argv)
    if args.corpus == "wcxb-meta" or args.corpus == "all":  # title/author/date/page kind (bench/eval_meta.py)
        from bench import eval_meta
        eval_meta.main(["--limit", str(args.limit)] if args.limit else [])
        if args.corpus == "wcxb-meta":
            return 0
    names = ["seed", "text-dev", "heldout", "heldout2", "dragnet"] if args.corpus == "all" else [args.corpus]
    labellers = ["rules", "model"] if args.labeller == "both" else [args.labeller]
    print("Token F1 convention: tokens = re.findall(r'\\w+', text.lower()), multiset P/R per page, mean over pages;")
    print("empty output = 0, except: both empty = 1.0 (404 body, comments on pages without gold comments).")
    print("Dragnet: body = title + body vs gold content; comments = author + printed time + text of each comment")
    print("(the gold has them inline) vs gold comments, on pages whose gold comments are non-empty; beside it")
    print("comment_f1_text_only: the comment texts alone (make train's comment_f1 counts comment-text lines only,")
    print("its comment_f1_heads the header lines too; the 'labels' rows of the validation table are each one's ceiling).")
    reports: dict[str, dict] = {}
    for name in names:
        cases = _load(name, args.limit)
        reps = {}
        for lab in labellers:
            results, dt = run_pipeline(cases, lab)
            if name == "dragnet":
                rep = score_dragnet(cases, results)
            else:
                rep = score_gold(cases, results)
                rep["baseline_passthrough_body_f1"] = passthrough_gold(cases)
            rep["docs_per_s"] = len(cases) / dt if dt > 0 else float("inf")
            reps[lab] = rep
        reports[name] = reps
        print_side_by_side(name, reps, args.verbose)
    if "model" in labellers:
        print_validation()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(reports, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
