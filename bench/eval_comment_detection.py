"""Comment detection on HTML with the comment sections' vocabulary hidden (issue #10: unseen
widgets). ``bench/eval_comment_authors.py --hide`` measures the authors; this measures whether
the comments are found at all.

    .venv/bin/python bench/eval_comment_detection.py [--limit N] [--hide renamed,stripped] [--labeller auto|rules]

Pages: every Dragnet training page (``../shared/corpus/html-dev/dragnet-train.jsonl.gz``), run
through the whole pipeline as is and with ``eval_comment_authors.hide`` applied (below each
comment section element, class/id renamed to neutral tokens or removed, microdata dropped,
``<cite>`` printed as ``<span>``; the ``-section`` modes hide the section element's own class/id
too, so no class word names the section at all). The gold is the same in every mode. Figures, as
``bench/eval_html.py`` scores Dragnet's comments (author + printed time + text per comment):

* ``comment_f1``: mean comment token F1 over the pages with gold comments;
* ``found``: of those pages, how many get comments with token recall >= ``FOUND_RECALL``;
* ``false``: pages without gold comments where the record has any comment text (share of them).

Each is printed for all pages and for the pages whose markup the hiding changed (``hidden``:
a comment section found by its class words). The committed model trained on these pages, so the
figures as is are in-sample; the drop from as is to hidden is what shows the reliance on the
class words.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import scoring as S  # noqa: E402
from bench.eval_comment_authors import DRAGNET, HIDE_MODES, hide  # noqa: E402
from bench.loaders import html_dev_pages  # noqa: E402
from bench.offline import html_records  # noqa: E402

# the hiding modes: eval_comment_authors' (below the section element), and the same with the
# section element's own class/id hidden too ("-section": no class word names the section at all)
MODES: tuple[str, ...] = (*HIDE_MODES, *(f"{m}-section" for m in HIDE_MODES))
# a page's comments count as found when the record's comment text holds this share of the gold's tokens
FOUND_RECALL = 0.5


def pages(limit: int | None) -> list[dict]:
    out = []
    for d in html_dev_pages("dragnet-train.jsonl.gz"):
        out.append(d)
        if limit is not None and len(out) >= limit:
            break
    return out


def records(docs: list[dict], htmls: dict[str, str], labeller: str) -> dict[str, dict]:
    results, _secs = html_records(docs, lambda p: htmls[p["id"]], labeller)
    return results


def score(docs: list[dict], recs: dict[str, dict], keep: set[str] | None = None) -> dict:
    with_c, without = [], []
    for p in docs:
        if keep is not None and p["id"] not in keep:
            continue
        gold = (p["gold"].get("comments") or "").strip()
        got = S.comments_with_heads((recs.get(p["id"]) or {}).get("comments") or [])
        (with_c if gold else without).append((gold, got))
    prf = [S.text_prf(got, gold) for gold, got in with_c]
    false = sum(bool(S.tokens(got)) for _g, got in without)
    return {"comment_pages": len(with_c), "comment_f1": round(S.mean(x.f1 for x in prf), 3) if prf else None,
            "found": sum(x.recall >= FOUND_RECALL for x in prf),
            "no_comment_pages": len(without), "false": false,
            "false_share": round(false / len(without), 3) if without else None}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--hide", default=",".join(MODES), help=f"comma-separated modes of {', '.join(MODES)}")
    ap.add_argument("--labeller", default="auto", help="auto (the trained labeller) | rules")
    args = ap.parse_args(argv)
    modes = [m for m in args.hide.split(",") if m]
    if any(m not in MODES for m in modes):
        ap.error(f"--hide: modes are {', '.join(MODES)}")
    if not DRAGNET.is_file():
        print(f"eval_comment_detection: {DRAGNET} not found (the shared corpus is needed)", file=sys.stderr)
        return 2
    docs = pages(args.limit)
    hidden = {m: {p["id"]: hide(p["html"], m.split("-")[0], section=m.endswith("-section")) for p in docs}
              for m in modes}
    changed = {p["id"] for p in docs if any(hidden[m][p["id"]] != p["html"] for m in modes)}
    print(f"== comment detection on Dragnet train pages ({len(docs)} pages, {len(changed)} with a comment section "
          f"the hiding changes; labeller {args.labeller})")
    for mode in [None, *modes]:
        htmls = {p["id"]: p["html"] for p in docs} if mode is None else hidden[mode]
        recs = records(docs, htmls, args.labeller)
        shown = "as is" if mode is None else mode
        for part, keep in (("all", None), ("hidden", changed)):
            row = score(docs, recs, keep)
            print(f"   {shown:16s} {part:6s} " + "  ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
