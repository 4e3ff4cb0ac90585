"""Metadata accuracy on WCXB development pages (HTML through the whole pipeline).

    .venv/bin/python bench/eval_meta.py [--limit N] [--json out.json]

Scored against the WCXB gold of ``../shared/corpus/html-dev/wcxb-dev.jsonl.gz`` (7 page
types): title, author and publish date (on pages whose gold has one), false dates on pages
whose gold has none, the page kind against the gold page type, and where the dates came
from (``metadata.published_at_source``). Comparison of titles and authors: NFKC, lower
case, ``\\w+`` tokens joined by one space must be equal ("exact"); "close" also accepts a
token F1 >= 0.8. Dates: the same YYYY-MM-DD.

Honesty: the pages are split by site into two halves (``half_of``: CRC-32 of the page's
registrable domain, even = A, odd = B). Metadata rules are developed looking only at half
A's failures; half B is the validation half. Both are printed; a large gap between them
means the rules fit half A's pages rather than the web. (The rules written before the split
had seen pages of both halves, so B is a validation of the changes made since, not an
unseen estimate.)

Content: title + body against the gold ``content`` (token F1, the benchmarks' convention),
per page type. On forum pages the gold content is every post; the record keeps the opening
post in ``body`` and the replies in ``comments`` (docs/html-and-metadata.md, "How each kind
is treated"), so a forum page is scored on title + body + its comments' texts.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import unicodedata
import zlib
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import scoring as S  # noqa: E402
from bench.loaders import CORPUS, html_dev_pages  # noqa: E402
from bench.offline import html_records  # noqa: E402
from workers.training.corpus import site_of  # noqa: E402

WCXB = CORPUS / "html-dev" / "wcxb-dev.jsonl.gz"
CLOSE_F1 = 0.8


def norm(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").lower()))


def token_f1(a: str, b: str) -> float:
    ta, tb = collections.Counter(a.split()), collections.Counter(b.split())
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def half_of(page: dict) -> str:
    """"A" or "B": the page's half of the site split (all pages of a site in one half)."""
    site = site_of(page.get("url"), page.get("html"), page["id"])
    return "B" if zlib.crc32(site.encode("utf-8")) % 2 else "A"


# page kinds whose content includes the comments the record carries (the posts of a thread)
CONTENT_WITH_COMMENTS: frozenset[str] = frozenset({"forum"})


def content_text(rec: dict, with_comments: bool) -> str:
    parts = [rec.get("title") or "", rec.get("body") or ""]
    if with_comments:
        parts += [c.get("text") or "" for c in rec.get("comments") or []]
    return "\n".join(parts)


def title_error(gold: str, out: str) -> str:
    """What kind of wrong a title is (gold and output normalised)."""
    if not out:
        return "missing"
    if out.startswith(gold) or out.endswith(gold):
        return "extra words (site name / kicker)"
    if gold.startswith(out) or gold.endswith(out):
        return "cut short"
    if gold in out:
        return "extra words (site name / kicker)"
    if token_f1(gold, out) >= CLOSE_F1:
        return "close (token F1 >= 0.8)"
    if token_f1(gold, out) > 0:
        return "other text, overlapping"
    return "unrelated text"


def date_error(gold: str, out: str | None) -> str:
    if not out:
        return "missing"
    if out[:4] != gold[:4]:
        return "wrong year"
    if out[5:7] == gold[8:10] and out[8:10] == gold[5:7]:
        return "day/month swapped"
    if abs(int(out[8:10]) - int(gold[8:10])) <= 1 and out[:7] == gold[:7]:
        return "off by a day"
    return "other date"


def load(limit: int | None) -> list[dict]:
    out = []
    for d in html_dev_pages("wcxb-dev.jsonl.gz"):
        if limit is not None and len(out) >= limit:
            break
        out.append(d)
    return out


def run(pages: list[dict]) -> tuple[dict[str, dict], float]:
    return html_records(pages)  # quality, not timing: no timeouts on a loaded machine


def _rate(ok: int, n: int) -> float | None:
    return round(ok / n, 3) if n else None


def _page_row(p: dict, rec: dict) -> dict:
    gold, meta = p["gold"], rec.get("metadata") or {}
    kind = p.get("page_type")
    with_c = kind in CONTENT_WITH_COMMENTS
    g_title, o_title = norm(gold.get("title")), norm(rec.get("title"))
    row = {"id": p["id"], "half": half_of(p), "type": kind, "url": p.get("url"), "title": rec.get("title"),
           "gold_title": gold.get("title"), "title_ok": g_title == o_title,
           "title_close": bool(g_title and o_title) and token_f1(g_title, o_title) >= CLOSE_F1,
           "author": meta.get("author"), "gold_author": gold.get("author"),
           "date": meta.get("published_at"), "date_source": meta.get("published_at_source"),
           "gold_date": gold.get("publish_date"), "page_kind": meta.get("page_kind"),
           "content_f1": S.text_prf(content_text(rec, with_c), gold.get("content")).f1,
           "body_only_f1": S.text_prf(content_text(rec, False), gold.get("content")).f1}
    row["title_error"] = None if row["title_ok"] else title_error(g_title, o_title)
    if gold.get("author"):
        g, out = norm(gold["author"]), norm(meta.get("author"))
        row["author_ok"] = g == out
        row["author_close"] = bool(out) and token_f1(g, out) >= CLOSE_F1
        row["author_error"] = None if g == out else ("missing" if not out else title_error(g, out))
    if gold.get("publish_date"):
        row["date_ok"] = row["date"] == gold["publish_date"]
        row["date_error"] = None if row["date_ok"] else date_error(gold["publish_date"], row["date"])
    return row


def _summary(rows: list[dict]) -> dict:
    n = len(rows)
    auth = [r for r in rows if "author_ok" in r]
    dated = [r for r in rows if "date_ok" in r]
    undated = [r for r in rows if "date_ok" not in r]
    return {"pages": n, "title_exact": _rate(sum(r["title_ok"] for r in rows), n),
            "title_close": _rate(sum(r["title_close"] for r in rows), n),
            "author_exact": _rate(sum(r["author_ok"] for r in auth), len(auth)),
            "author_close": _rate(sum(r["author_close"] for r in auth), len(auth)), "author_pages": len(auth),
            "date_exact": _rate(sum(r["date_ok"] for r in dated), len(dated)), "date_pages": len(dated),
            "date_false": _rate(sum(r["date"] is not None for r in undated), len(undated)),
            "page_kind": _rate(sum(r["page_kind"] == r["type"] for r in rows), n),
            "content_f1": round(S.mean(r["content_f1"] for r in rows), 3) if rows else None}


def _kind_prf(rows: list[dict]) -> dict[str, dict]:
    """Per page kind: precision and recall of metadata.page_kind against the gold type."""
    out = {}
    for k in sorted({r["type"] for r in rows}):
        tp = sum(r["type"] == k and r["page_kind"] == k for r in rows)
        pred = sum(r["page_kind"] == k for r in rows)
        gold = sum(r["type"] == k for r in rows)
        out[k] = {"precision": _rate(tp, pred), "recall": _rate(tp, gold), "pages": gold}
    return out


def _errors(rows: list[dict]) -> dict[str, dict[str, int]]:
    """Confusion of the error kinds: title / author / date error kind -> pages."""
    out: dict[str, dict[str, int]] = {}
    for field in ("title_error", "author_error", "date_error"):
        c = collections.Counter(r[field] for r in rows if r.get(field))
        out[field] = dict(c.most_common())
    c = collections.Counter(f"{r['date_source'] or 'none'} {'ok' if r['date_ok'] else 'wrong'}"
                            for r in rows if "date_ok" in r)
    out["date_source"] = dict(c.most_common())
    c = collections.Counter(f"{r['type']} -> {r['page_kind']}" for r in rows if r["page_kind"] != r["type"])
    out["kind_confusion"] = dict(c.most_common(12))
    return out


def score(pages: list[dict], results: dict[str, dict]) -> dict:
    rows = [_page_row(p, results.get(p["id"]) or {}) for p in pages]
    by_type = collections.defaultdict(list)
    for r in rows:
        by_type[r["type"]].append(r)
    halves = {h: [r for r in rows if r["half"] == h] for h in ("A", "B")}
    forum = by_type.get("forum", [])
    return {"all": _summary(rows), "halves": {h: _summary(v) for h, v in halves.items()},
            "by_type": {k: _summary(v) for k, v in sorted(by_type.items())},
            "kind_prf": {h: _kind_prf(v) for h, v in halves.items()},
            "errors": {h: _errors(v) for h, v in halves.items()},
            "forum_body_only_f1": round(S.mean(r["body_only_f1"] for r in forum), 3) if forum else None,
            "rows": rows}


_COLS = ("pages", "title_exact", "title_close", "author_exact", "author_close", "date_exact", "date_false",
         "page_kind", "content_f1")


def _print_kind_model() -> None:
    """The page-kind classifier's site-split validation, kept in its model file by its trainer."""
    from workers.core.stages.page_kind_model import load_model
    m = load_model()
    if m is None:
        print("   page kind: no committed classifier, the rules answer")
        return
    v, r = m["validation"], m["rules"]
    print(f"   page kind classifier {m['version']}: site-split {m['folds']}-fold validation (out of fold) accuracy "
          f"{v['accuracy']} (rules alone {r['accuracy']}); P/R per kind: "
          + ", ".join(f"{k} {x['precision']}/{x['recall']}" for k, x in v["kinds"].items()))


def _print_title_model() -> None:
    """The title chooser's site-split validation, kept in its model file by its trainer."""
    from workers.core.stages.html_title_model import load_model
    m = load_model()
    if m is None:
        print("   title: no committed chooser, the rules answer")
        return
    v = m["validation"]
    print(f"   title chooser {m['version']}: site-split {m['folds']}-fold validation (out of fold) title exact "
          f"{v['accuracy']} (rules alone {v['rules']}); the table's title figures are on its training pages")


def print_report(rep: dict, docs_per_s: float, errors: bool = True) -> None:
    print(f"== WCXB dev metadata (HTML through the pipeline, {rep['all']['pages']} pages, {docs_per_s:.1f} docs/s;"
          " dev pages; half A = tuned on, half B = validation, split by site)")
    print("   " + f"{'set':16s}" + "".join(f"{c:>13s}" for c in _COLS))
    named = [("all", rep["all"]), ("half A (tuned)", rep["halves"]["A"]), ("half B (valid.)", rep["halves"]["B"]),
             *rep["by_type"].items()]
    for name, row in named:
        print("   " + f"{name:16s}" + "".join(f"{'-' if row[c] is None else row[c]:>13}" for c in _COLS))
    print(f"   author on {rep['all']['author_pages']} pages with a gold author; date on {rep['all']['date_pages']}"
          " pages with a gold date; date_false = a date output on pages whose gold has none;"
          " content_f1 = title + body (forum: + comments) vs gold content")
    print(f"   forum pages, title + body only (replies not counted): {rep['forum_body_only_f1']}")
    _print_title_model()
    _print_kind_model()
    print("   page kind precision / recall per kind (half A | half B; the classifier was trained on all these pages,"
          " its honest figure is the site-split one above):")
    for k, a in rep["kind_prf"]["A"].items():
        b = rep["kind_prf"]["B"].get(k, {})
        print(f"     {k:14s} A {a['precision']} / {a['recall']} ({a['pages']})   "
              f"B {b.get('precision')} / {b.get('recall')} ({b.get('pages')})")
    if not errors:
        return
    for h in ("A", "B"):
        for field, counts in rep["errors"][h].items():
            print(f"   half {h} {field}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", dest="json_out", default=None)
    ap.add_argument("--no-errors", action="store_true", help="do not print the error-kind confusions")
    args = ap.parse_args(argv)
    if not WCXB.is_file():
        print(f"eval_meta: {WCXB} not found (the shared corpus is needed)", file=sys.stderr)
        return 2
    pages = load(args.limit)
    results, secs = run(pages)
    rep = score(pages, results)
    print_report(rep, len(pages) / secs if secs > 0 else float("inf"), errors=not args.no_errors)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(rep, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
