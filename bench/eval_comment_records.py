"""Comment records apart from line labelling: how well the record builder splits a comment
section into comments and reads each one's author, time and reply target, given the line
labels of three labellers (issue #9 item 3).

    .venv/bin/python bench/eval_comment_records.py [--labels gold,model,rules] [--dragnet N] [--synthetic N]
                                                   [--show K] [--perturb]

Pages and their gold:

* ``text`` -- the seed page and the text-dev pages (exact gold: each comment's text and
  author); their gold line labels are ``workers.training.textdev.label_exact``'s;
* ``synthetic`` -- generated comment sections (``workers.training.synthetic.comment_section``,
  widget shapes x languages x date formats; seed ``SEED``, not the training seed) after a
  text-dev page's title and body: gold author, which head lines hold the comment's printed
  time, and the parent of a comment that prints "Reply to X" / "@X";
* ``unseen`` -- the same, in the held-out widget shapes and languages only
  (``synthetic.HOLDOUT_SHAPES``, ``widget_vocab.HOLDOUT_LANGS``: never in a training page), so
  its figure says how the labeller does on a widget it never saw;
* ``negative`` -- pages of repeated entries that are not comments, of the held-out entry kinds
  (``synthetic_negative.HOLDOUT_KINDS``: event lists, spec tables), or boilerplate widgets
  (related lists, newsletter, cookie, donation, share) after a text-dev body: no gold comment;
* ``dragnet`` -- Dragnet training pages with comments, flattened by the HTML path (``dom``):
  silver line labels and authors from the comment section's markup
  (``workers.training.silver``); the silver split is the gold.

Label sources: ``gold`` (the gold line labels: isolates the record builder), ``model`` (the
trained labeller, ``labeller.apply.label_page``) and ``rules`` (the strip stage's rules, their
own record split). Each page's labelled lines then go through the segment stage's comment
builder, exactly as in the pipeline. Scores, per source and label source:
``count`` exact comment-count rate (pages with gold or output comments), ``author`` accuracy
(gold comments aligned to output comments by text, ``bench/scoring.py``; unaligned = wrong),
``posted`` (gold comments with a printed time: aligned, ``posted_text`` inside the comment's
gold head lines and ``posted_at`` parsed), ``reply`` (gold comments with a parent: output
``reply_to`` is the aligned parent) and ``reply_fp`` (output ``reply_to`` on gold comments
without a parent, share of aligned ones); ``false``: pages without a gold comment on which
the builder outputs comments. ``--perturb``: how robust the builder is to one wrong model
label on the text pages (``perturbed``).
"""
from __future__ import annotations

import argparse
import random
import sys
from dataclasses import asdict
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import scoring as S  # noqa: E402
from bench.loaders import CORPUS  # noqa: E402
from topics.records import Line, StrippedDocument  # noqa: E402
from workers.core.labeller.labels import COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT  # noqa: E402

SEED = 7_2026  # not the training seed: other sections than the model was trained on
FETCHED_AT = "2024-05-06T12:00:00Z"  # relative times resolve against it
FOOTER = ("Home | About | Contact", "© 2024 Example Media. All rights reserved.")
SOURCES = ("text", "synthetic", "unseen", "negative", "dragnet")


# --- pages -----------------------------------------------------------------------------------

def _page(pid: str, lines: list[Line], labels: list[str], comments: list[dict], dom=None,
          content_type: str = "text/plain", url: str | None = None) -> dict:
    return {"id": pid, "lines": lines, "labels": labels, "comments": comments, "dom": dom,
            "content_type": content_type, "url": url}


def text_pages() -> list[dict]:
    from workers.training.corpus import load_text_dev
    from workers.training.flatten import text_lines
    from workers.training.textdev import label_exact
    import json

    seed = json.loads((CORPUS / "seed" / "southfront-ghouta.json").read_text(encoding="utf-8"))
    cases = [("seed", seed["input"].get("url"), seed["input"]["content"], seed["expected"])]
    cases += [(p.id, p.url, p.content, p.gold) for p in load_text_dev(CORPUS.parent)]
    out = []
    for pid, url, content, exp in cases:
        lines = text_lines(content)
        labels, _authors = label_exact(lines, exp)
        gold = [{"author": c.get("author"), "text": c.get("text") or ""} for c in exp.get("comments") or ()]
        out.append(_page(pid, lines, labels, gold, url=url))
    return out


def _gold_threads(rows: list[tuple[str, str, str | None]], records: list[dict], L: dict) -> list[dict]:
    """Each generated record with the head lines that belong to it and its parent's index."""
    text_rows = [i for i, r in enumerate(rows) if r[1] == COMMENT_TEXT]
    first_head = next((i for i, r in enumerate(rows) if r[1] == COMMENT_HEAD), None)
    trailing = first_head is not None and text_rows and first_head > text_rows[0]
    spans, k = [], 0
    for rec in records:
        n = rec["text"].count("\n") + 1
        spans.append((text_rows[k], text_rows[k + n - 1]))
        k += n
    markers = [f.split("{parent}")[0].strip() for f in L["reply_to"]]
    out = []
    for j, (a, b) in enumerate(spans):
        if trailing:
            lo, hi = b + 1, (spans[j + 1][0] if j + 1 < len(spans) else len(rows))
        else:
            lo, hi = (spans[j - 1][1] + 1 if j else 0), a
        heads = [rows[i][0] for i in range(lo, hi) if rows[i][1] == COMMENT_HEAD]
        parent = None
        for i in range(lo, hi):
            t = rows[i][0]
            if rows[i][1] != COMMENT_CHROME:
                continue
            for f, m in zip(L["reply_to"], markers):
                pre, _, post = f.partition("{parent}")
                if m and t.startswith(pre.strip()) and t.endswith(post) or not m and t.endswith(post) and post:
                    who = t[len(pre.strip()):len(t) - len(post)].strip()
                    q = next((q for q in range(j - 1, -1, -1) if records[q]["author"] == who), None)
                    parent = q if q is not None else parent
        # every generated head line but a bare name or "Name says:" prints the record's time
        name = records[j]["author"]
        plain = {name, *(f.format(name=name) for f in L["says"])} if name else set()
        out.append({"author": name, "text": records[j]["text"], "heads": heads,
                    "dated": any(h not in plain for h in heads), "parent": parent})
    return out


def synthetic_pages(n: int, unseen: bool = False) -> list[dict]:
    """Generated comment sections after a text-dev page's body; ``unseen``: only the held-out
    widget shapes and languages (never in a training page), else the training ones."""
    from workers.training.flatten import text_lines
    from workers.training.synthetic import HOLDOUT_SHAPES, comment_section
    from workers.training.widget_vocab import HOLDOUT_LANGS, LANG
    from workers.core.labeller.labels import BODY, BOILERPLATE, TITLE

    hosts, texts = _hosts()
    rnd = random.Random(SEED + unseen)
    kw = {"langs": HOLDOUT_LANGS, "shapes": HOLDOUT_SHAPES} if unseen else {}
    out = []
    for k in range(n):
        host = hosts[k % len(hosts)]
        title = host.gold.get("title") or "Untitled"
        sec = comment_section(rnd, texts, title, **kw)
        lang = sec.lang
        rows = [(title, TITLE, None)] + [(b, BODY, None) for b in host.gold["body_paragraphs"][:4]
                                         if "\n" not in b]
        blanks = [0] + [1] * (len(rows) - 1)
        rows += sec.rows
        blanks += sec.blanks
        rows += [(f, BOILERPLATE, None) for f in FOOTER]
        blanks += [1] * len(FOOTER)
        text = "".join(("\n" * (1 + g) if i else "") + r[0] for i, (r, g) in enumerate(zip(rows, blanks)))
        lines = text_lines(text)
        if len(lines) != len(rows):
            continue
        gold = _gold_threads(rows, sec.records, LANG[lang])
        out.append(_page(f"synthetic-{k:03d}-{lang}", lines, [r[1] for r in rows], gold))
    return out


def _hosts():
    from workers.training.corpus import load_text_dev

    hosts = [p for p in load_text_dev(CORPUS.parent) if len(p.gold.get("body_paragraphs") or ()) >= 3]
    texts = sorted({b for p in hosts for b in p.gold["body_paragraphs"] if 60 <= len(b) <= 600 and "\n" not in b})
    return hosts, texts


def negative_pages(n: int) -> list[dict]:
    """Pages with repeated entries that are not comments, of the held-out entry kinds (event
    lists, spec tables; never in a training page) or boilerplate widgets after a text-dev body:
    no gold comment, so any output comment is false."""
    from workers.training.flatten import text_lines
    from workers.training.synthetic_negative import HOLDOUT_KINDS, negative_section
    from workers.core.labeller.labels import BODY, BOILERPLATE, TITLE

    hosts, texts = _hosts()
    rnd = random.Random(SEED + 2)
    out = []
    for k in range(n):
        host = hosts[k % len(hosts)]
        title = host.gold.get("title") or "Untitled"
        kind, sec = negative_section(rnd, texts, title, kinds=HOLDOUT_KINDS)
        rows = [] if kind != "widgets" else [(title, TITLE, None)] + [
            (b, BODY, None) for b in host.gold["body_paragraphs"][:4] if "\n" not in b]
        rows += sec + [(f, BOILERPLATE, None) for f in FOOTER]
        text = "\n\n".join(r[0] for r in rows)
        lines = text_lines(text)
        if len(lines) == len(rows):
            out.append(_page(f"negative-{k:03d}-{kind}", lines, [r[1] for r in rows], []))
    return out


def dragnet_pages(n: int) -> list[dict]:
    from workers.training.corpus import iter_html_pages
    from workers.training.dataset import pages_from_html

    out = []
    for src in iter_html_pages(CORPUS.parent, ("dragnet",)):
        if len(out) >= n:
            break
        if not (src.gold.get("comments") or "").strip():
            continue
        for tp in pages_from_html(src, ("dom",)):
            if tp.gold.get("comments"):
                out.append(_page(f"dragnet-{src.id}", tp.lines, tp.labels, tp.gold["comments"], dom=tp.dom,
                                 content_type="text/html", url=src.url))
    return out


# --- labelling and records -------------------------------------------------------------------

def records(page: dict, source: str) -> list[dict]:
    """The segment stage's comments for ``page`` labelled by ``source``."""
    from workers.core.labeller.apply import label_page, roles_from_labels
    from workers.core.labeller.evidence import rule_evidence
    from workers.core.stages.segment import _build_comments

    lines = page["lines"]
    if source == "model":
        pl = label_page(lines, None, page["url"], page["id"], dom=page["dom"])
        reasons, roles = pl.reasons, pl.roles
    else:
        ev = rule_evidence(lines, None, page["url"], page["id"])
        if source == "rules":
            reasons, roles = ev.reasons, ev.roles
        else:
            reasons, roles = roles_from_labels([ln.text for ln in lines], [ln.blank_before for ln in lines],
                                               page["labels"], ev)
    out_lines = [Line(ln.n, ln.text, ln.blank_before, r, h if r is None else None)
                 for ln, r, h in zip(lines, reasons, roles)]
    doc = StrippedDocument(id=page["id"], url=page["url"], content_type=page["content_type"],
                           fetched_at=FETCHED_AT, source=None, site="eval", lines=out_lines)
    return [asdict(c) for c in _build_comments(doc)]


def score_page(gold: list[dict], pred: list[dict]) -> dict:
    idx = S.align_comments([c["text"] for c in pred], [g["text"] for g in gold])
    s = {"count": None if not gold and not pred else int(len(gold) == len(pred)),
         "author": [0, len(gold)], "posted": [0, 0], "reply": [0, 0], "reply_fp": [0, 0]}
    for gi, pi in enumerate(idx):
        g = gold[gi]
        p = pred[pi] if pi is not None else None
        if p is not None and S._norm_author(p.get("author")) == S._norm_author(g.get("author")):
            s["author"][0] += 1
        if g.get("dated"):
            s["posted"][1] += 1
            pt = " ".join(((p or {}).get("posted_text") or "").split())
            if p is not None and pt and p.get("posted_at") and any(pt in " ".join(h.split()) for h in g["heads"]):
                s["posted"][0] += 1
        if "parent" in g:
            if g["parent"] is not None:
                s["reply"][1] += 1
                want = idx[g["parent"]]
                if p is not None and want is not None and p.get("reply_to") == want:
                    s["reply"][0] += 1
            elif p is not None:
                s["reply_fp"][1] += 1
                s["reply_fp"][0] += p.get("reply_to") is not None
    return s


def perturbed(pages: list[dict]) -> str:
    """How robust the builder is to one wrong label: on each page with gold comments, every
    comment header or text line of the model's labels relabelled boilerplate or chrome, one
    at a time; the share of those runs that still give the page's exact comment count and
    every author right."""
    from workers.core.labeller.apply import label_page

    ok = tot = 0
    for page in pages:
        if not page["comments"]:
            continue
        base = label_page(page["lines"], None, page["url"], page["id"], dom=page["dom"]).labels
        for k, lb in enumerate(base):
            if lb not in (COMMENT_HEAD, COMMENT_TEXT):
                continue
            for alt in ("boilerplate", COMMENT_CHROME):
                labels = list(base)
                labels[k] = alt
                s = score_page(page["comments"], records(dict(page, labels=labels), "gold"))
                tot += 1
                ok += s["count"] == 1 and s["author"][0] == s["author"][1]
    return _ratio(ok, tot)


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "-"


def evaluate(pages: list[dict], source: str, show: int = 0) -> dict:
    tot = {"count": [0, 0], "author": [0, 0], "posted": [0, 0], "reply": [0, 0], "reply_fp": [0, 0],
           "false": [0, 0]}
    misses = []
    for page in pages:
        pred = records(page, source)
        s = score_page(page["comments"], pred)
        if not page["comments"]:
            tot["false"][0] += bool(pred)
            tot["false"][1] += 1
        if s["count"] is not None:
            tot["count"][0] += s["count"]
            tot["count"][1] += 1
        for k in ("author", "posted", "reply", "reply_fp"):
            tot[k][0] += s[k][0]
            tot[k][1] += s[k][1]
        if s["count"] == 0 or s["author"][0] < s["author"][1]:
            misses.append((s["author"][1] - s["author"][0], page, pred))
    for _n, page, pred in sorted(misses, key=lambda m: -m[0])[:show]:
        g = [(c["author"], c["text"][:30]) for c in page["comments"]][:8]
        o = [(c["author"], c["text"][:30]) for c in pred][:8]
        print(f"   miss [{source}] {page['id']}: gold {len(page['comments'])} {g}\n"
              f"        ours {len(pred)} {o}")
    return {k: _ratio(*v) for k, v in tot.items()} | {"pages": len(pages)}


def use_text_trees(path: Path) -> None:
    """The loaded model, with its plain-text trees replaced by the ones saved at ``path``."""
    from workers.core.labeller import model as M
    from workers.core.lgb import lightgbm

    base = M.load()
    lab = M.Labeller(lightgbm().Booster(model_file=str(path)), dict(base.meta, version=f"{base.version}+{path.name}"),
                     base.booster_html)
    M._CACHE[M.DATA_DIR] = lab


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--labels", default="gold,model,rules")
    ap.add_argument("--sources", default=",".join(SOURCES))
    ap.add_argument("--synthetic", type=int, default=150, help="synthetic pages")
    ap.add_argument("--dragnet", type=int, default=80, help="Dragnet pages with comments")
    ap.add_argument("--show", type=int, default=0, help="print the K worst pages per row")
    ap.add_argument("--perturb", action="store_true",
                    help="also: robustness to one wrong model label per run (text pages; perturbed())")
    ap.add_argument("--text-trees", default=None, metavar="PATH",
                    help="label plain text with these trees (a LightGBM model file, e.g. the reduced trees of "
                         "eval_comment_text.py --oof K --save-trees PATH) and the committed decoder and HTML trees")
    args = ap.parse_args(argv)
    if args.text_trees:
        use_text_trees(Path(args.text_trees))
    if not (CORPUS / "text-dev").is_dir():
        print(f"eval_comment_records: {CORPUS / 'text-dev'} not found (the shared corpus is needed)",
              file=sys.stderr)
        return 2
    loaders = {"text": text_pages, "synthetic": lambda: synthetic_pages(args.synthetic),
               "unseen": lambda: synthetic_pages(args.synthetic, unseen=True),
               "negative": lambda: negative_pages(args.synthetic),
               "dragnet": lambda: dragnet_pages(args.dragnet)}
    print("== comment records (count: exact count rate; author, posted, reply: right / gold; reply_fp: "
          "reply_to on comments without a parent)")
    for src in args.sources.split(","):
        pages = loaders[src]()
        for lab in args.labels.split(","):
            row = evaluate(pages, lab, args.show)
            print(f"   {src:9s} {lab:5s} pages {row.pop('pages'):4d}  " + "  ".join(f"{k} {v}" for k, v in row.items()))
        if args.perturb and src == "text":
            print(f"   {src:9s} one wrong model label: count and authors still right {perturbed(pages)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
