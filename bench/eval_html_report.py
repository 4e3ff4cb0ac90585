"""The printed report of ``bench/eval_html.py``: one table per set (content F1, comments,
authors, per page type), the committed model's site-split figures for the set, and the mean
over the shared sets."""
from __future__ import annotations

import json

from bench import heldout_html as HH
from bench import scoring as S


def _f(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def _content(r: dict) -> str:
    return f"{_f(r['content_f1'])} ({_f(r['precision'])} / {_f(r['recall'])})"


def _comments(r: dict) -> str:
    if "comment_f1" not in r:
        return f"{'-':>8s} {'-':>16s}"
    fc, n = r["false_comment_pages"], r["no_comment_pages"]
    return f"{_f(r['comment_f1']):>8s} {f'{fc}/{n} ({100 * fc / max(n, 1):.0f} %)':>16s}"


def print_set(name: str, what: str, n_total: int, reps: dict[str, dict]) -> None:
    first = next(iter(reps.values()))
    print(f"== {name}: {what}; {first['pages']} of {n_total} pages")
    dragnet = "comment_pages" in first
    head = f"   {'extractor':14s} {'content F1 (P / R)':>24s}"
    if dragnet:
        head += f" {'comm. F1':>8s} {'false comments':>16s}"
    print(head + f" {'docs/s':>8s}")
    for ex, r in reps.items():
        line = f"   {ex:14s} {_content(r):>24s}"
        if dragnet:
            line += " " + _comments(r)
        print(line + f" {r['docs_per_s']:8.1f}")
    if dragnet:
        print(f"   comments: F1 on the {first['comment_pages']} pages with gold comments; false comments = pages among"
              f" the {first['no_comment_pages']} without any (forum pages apart) where comment text is output")
        for ex, r in reps.items():
            a = r.get("authors")
            if r.get("comment_items"):
                print(HH.comment_line(ex, r["comment_items"]))
            elif a:
                print(f"   {ex}: {a['with_author']}/{a['comments']} output comments carry an author, "
                      f"{a['author_in_gold']} of them named in the gold comments; the others return no authors")
    if "by_type" in first:
        kinds = list(first["by_type"])
        print("   per page type (content F1; pages): " + ", ".join(f"{k} {first['by_type'][k]['pages']}" for k in kinds))
        for ex, r in reps.items():
            print(f"     {ex:14s} " + " ".join(f"{k[:5]} {_f(r['by_type'][k]['content_f1'])}" for k in kinds))


def model_validation(name: str) -> dict | None:
    """The committed model's site-split out-of-fold figures for one set (``make train`` keeps
    them in its metadata, per dataset and page type; flattened input, all its flatteners):
    page-weighted over the set's page types."""
    from workers.core.labeller.model import DATA_DIR, META_FILE

    try:
        meta = json.loads((DATA_DIR / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    groups = [g["validation"] for k, g in (meta.get("report") or {}).items()
              if k.startswith(f"real/{name}/") and (g.get("validation") or {}).get("pages")]
    if not groups:
        return None
    out = {"version": meta.get("version"), "pages": sum(g["pages"] for g in groups)}
    for key in ("body_f1", "comment_f1", "false_comments"):
        vals = [(g[key], g["pages"]) for g in groups if g.get(key) is not None]
        out[key] = sum(v * n for v, n in vals) / sum(n for _, n in vals) if vals else None
    return out


def print_validation(name: str) -> None:
    v = model_validation(name)
    if v is None:
        print("   model: no site-split figures for this set in the committed model's metadata")
        return
    names = {"comment_f1": "comment F1", "false_comments": "false comments"}
    extra = "".join(f", {names[k]} {v[k]:.3f}" for k in names if v[k] is not None)
    print(f"   model {v['version']} site-split out of fold (make train; {v['pages']} flattened pages of this set,"
          f" title + body): body F1 {v['body_f1']:.3f}{extra}")


def print_summary(reports: dict[str, dict[str, dict]], extractors: tuple[str, ...], local_sets) -> None:
    """Mean and worst content F1 over the shared sets (the repository's ``local_sets`` apart)."""
    if not set(reports) - set(local_sets):
        return
    print("== content F1 over the shared sets (mean of the set means; worst set)")
    for ex in extractors:
        f1 = {name: reps[ex]["content_f1"] for name, reps in reports.items() if ex in reps and name not in local_sets}
        if f1:
            worst = min(f1, key=f1.get)
            print(f"   {ex:14s} mean {S.mean(f1.values()):.3f}  worst {f1[worst]:.3f} ({worst})")
