"""Hidden-markup training copies for comment sections without naming words (issue #10), on the
reduced site-split harness of docs/model.md ("Comment sections without naming words"): the HTML
trees only, the real html-dev pages as the HTML path flattens them (``dom``), 2 site folds, 40
rounds, 80k rows, no pseudo-language / injected / synthetic pages, decoded with the committed HTML
decoder (and the comment biases of ``--biases``).

    nice -n 10 .venv/bin/python bench/hidden_copies_oof.py [--variants none,dup,section,page,repeated]
        [--share 0.5] [--modes renamed,stripped] [--copy-weight 1.0] [--separate-rows] [--columns a,b]
        [--container-gate | --gates off,board,record]
        [--biases 1.0,0.3] [--out rows.jsonl]

Variants of training copies (each a copy of the page's HTML flattened again, added to its
source's fold; the copies train, they are never scored):

* ``none``: no copies (the baseline);
* ``dup``: copies of any page as it is (nothing hidden): the control for what copies do by
  themselves (more rows of the same pages, another sample of body rows under ``ROWS``);
* ``section``: the earlier remedy (docs/model.md): copies of pages with gold comments, the comment
  sections' class/id hidden (the section element's own included);
* ``page``: copies of any page (with comments or not), class/id hidden on the whole page: no
  element keeps a word, so hiding cannot tell a thread from anything else;
* ``repeated``: copies of any page, class/id hidden on every repeated block (``hidden_copies``'
  ``REPEAT_MIN`` or more sibling records of one tag and class) and on the comment sections:
  comment or not, a repeated block loses its words the same way.

A copy keeps its source's lines, labels, authors and gold; a copy that flattens to other lines
is left out (labelled anew, its comment heads would be read from the hidden markup). The hiding,
one mode per source: ``bench/hidden_copies.py``. ``--copy-weight``: a factor on the
copies' row weights; ``--modes``: the hiding modes the copies are drawn from; ``--separate-rows``:
the real pages' rows drawn as without copies, the copies' on top; ``--columns``: experimental
page-level columns (``bench/page_columns.py``) or record-container columns
(``bench/container_columns.py``) appended to every page's rows (``--path-prose``:
``path_prose_share`` alone); ``--container-gate``: after decoding, no comment on the lines of a
record container that holds most of the page's prose with no prose line before it (``gate``);
``--gates``: the decode-time rules scored on the same trees, a row each (``off``, ``board`` as
``--container-gate``, ``record``: ``board`` unless the container's first record is much larger than
the others, ``container_columns.record_board_lines``).

Figures, out of fold, one row per variant and comment bias (printed; ``--out``: appended as JSON
lines with every page's body F1, comment count and comment F1 under ``pages``): the mean of the
five sets' body F1 and each set's, Dragnet comment F1 (text lines / with headers), false comments
(all pages without comments, and per set), and comment F1 on the Dragnet pages with a comment
section, as is and with it hidden (``hide(..., section=True)``, renamed / stripped), each scored
by the fold that did not train on its site. The real and hidden pages' features are cached in
``.cache/hidden-copies-base.pkl`` (delete it when the features change).
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.eval_comment_authors import HIDE_MODES, hide  # noqa: E402
from bench.hidden_copies import HIDERS  # noqa: E402
from bench import container_columns as K  # noqa: E402
from bench import page_columns as PC  # noqa: E402
from workers.core.labeller import model as M  # noqa: E402
from workers.core.labeller.labels import BODY, SECTION_LABELS  # noqa: E402
from workers.training import corpus as C  # noqa: E402
from workers.training import decoders as D  # noqa: E402
from workers.training import flatten as F  # noqa: E402
from workers.training import models as MD  # noqa: E402
from workers.training import report as R  # noqa: E402
from workers.training import train as T  # noqa: E402
from workers.training.dataset import build_dataset  # noqa: E402

SHARED = ROOT.parent / "shared"
FOLDS, ROUNDS, ROWS = 2, 40, 80_000
SEED = 20261202  # the draw of the copied pages and of their hiding modes
VARIANTS = ("none", "dup", "section", "page", "repeated")


def copy_of(page, hidden: str, tag: str):
    """The page flattened from ``hidden`` with the source's lines, labels, authors and gold (None
    when the hidden markup flattens to other lines: labelled anew, the comment heads would be
    read from the hidden markup)."""
    lines, dom, _meta = F.flatten(hidden, F.DOM)
    if [ln.text for ln in lines] != [ln.text for ln in page.lines]:
        return None
    return dataclasses.replace(page, page_id=f"{page.page_id}:{tag}", lines=lines, dom=dom)


def load(log) -> tuple[list, dict[str, C.SourcePage]]:
    pages = build_dataset(SHARED, cache=ROOT / ".cache", datasets=C.HTML_DATASETS, flatteners=(F.DOM,),
                          workers=1, verbose=True)
    pages = [p for p in pages if p.flattener == F.DOM]
    want = {p.page_id for p in pages}
    srcs = {}
    for s in C.iter_html_pages(SHARED):
        pid = f"{s.dataset}:{s.id}:{F.DOM}"
        if pid in want:
            srcs[pid] = s
    log(f"{len(pages)} dom pages, {len(srcs)} sources")
    return pages, srcs


def base_items(pages, srcs, log, cache: Path):
    """Features of the real pages and of the hidden Dragnet evaluation pages (cached)."""
    if cache.exists():
        with cache.open("rb") as fh:
            return pickle.load(fh)
    t0 = time.monotonic()
    items = T.featurize(pages, log, workers=1)
    log(f"features of {len(items)} real pages: {time.monotonic() - t0:.0f} s")
    hidden: dict[str, list] = {m: [] for m in HIDE_MODES}
    same = {m: 0 for m in HIDE_MODES}
    for i, p in enumerate(pages):
        if p.dataset != "dragnet":
            continue
        html = srcs[p.page_id].content
        for m in HIDE_MODES:
            h = hide(html, m, section=True)
            if h == html:
                continue
            cp = copy_of(p, h, f"hidden-{m}")
            same[m] += cp is not None
            if cp is not None:
                hidden[m].append((i, cp))
    out = {"items": items, "hidden": {m: [(i, it) for (i, _), it in
                                            zip(v, T.featurize([cp for _, cp in v], log, workers=1))]
                                      for m, v in hidden.items()}}
    log(f"hidden eval pages: {({m: len(v) for m, v in hidden.items()})}, same lines {same}, "
        f"{time.monotonic() - t0:.0f} s")
    with cache.open("wb") as fh:
        pickle.dump(out, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return out


NAMES = (*PC.NAMES, *K.NAMES)
# the record-container columns of every page met, kept in ``CTR_CACHE`` between runs, keyed by page
# id, a hash of the page's HTML and a hash of the columns' code (``K.code_hash``): a changed page or
# column definition is computed anew, never read stale; this run's rows by page id in ``_ctr``
CTR_CACHE = ROOT / ".cache" / "container-columns.pkl"
_ctr: dict[str, np.ndarray] = {}
_ctr_disk: dict[tuple[str, str, str], np.ndarray] = {}
_CODE = K.code_hash()


def ctr_key(pid: str, html: str | None) -> tuple[str, str, str]:
    """The cache key of a page's container columns: its id, its HTML's hash, the columns' code hash."""
    digest = hashlib.blake2b((html or "").encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return pid, digest, _CODE


def load_ctr_cache(path: Path = CTR_CACHE) -> None:
    """The cached rows computed by this code (entries of other code, or of the old id-only keys, dropped)."""
    if path.exists():
        with path.open("rb") as fh:
            old = pickle.load(fh)
        _ctr_disk.update((k, v) for k, v in old.items() if isinstance(k, tuple) and k[2] == _CODE)


def save_ctr_cache(path: Path = CTR_CACHE) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(_ctr_disk, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def container_rows(page, html: str | None) -> np.ndarray:
    """The page's rows of every ``K.NAMES`` column, from the cache when this code computed them for
    this HTML."""
    key = ctr_key(page.page_id, html)
    rows = _ctr_disk.get(key)
    if rows is None:
        rows = _ctr_disk[key] = K.columns(html, page, K.NAMES)
    _ctr[page.page_id] = rows
    return rows


def _container_rows(it, htmls: dict[str, str]) -> np.ndarray:
    return container_rows(it.page, htmls.get(it.page.page_id))


def append_columns(items, names: tuple[str, ...], htmls: dict[str, str]) -> None:
    """Append the named experimental columns (page-level ``page_columns``, record-container
    ``container_columns``, read from the page's own HTML in ``htmls``) to every item's rows."""
    if not names:
        return
    page = tuple(c for c in names if c in PC.NAMES)
    ctr = tuple(c for c in names if c in K.NAMES)
    for it in items:
        cols = {}
        if page:
            cols.update(zip(page, PC.columns(it.page, page).T))
        if ctr:
            rows = _container_rows(it, htmls)
            cols.update((c, rows[:, K.NAMES.index(c)]) for c in ctr)
        it.X = np.concatenate([it.X, np.stack([cols[c] for c in names], axis=1).astype(np.float32)], axis=1)


def gate(page_id: str, labels: list[str], name: str = "board") -> list[str]:
    """The labels with the named gate's rule (``K.GATES``) applied (unchanged without the page's
    columns, or with ``off``)."""
    x = _ctr.get(page_id)
    if name == "off" or x is None or len(x) != len(labels):
        return labels
    board = K.GATES[name](x)
    return [BODY if b and lab in SECTION_LABELS else lab for lab, b in zip(labels, board)]


def make_copies(variant: str, pages, srcs, share: float, modes: tuple[str, ...], log,
                htmls: dict[str, str] | None = None) -> list:
    if variant == "none":
        return []
    rng = np.random.default_rng(SEED)
    hider = HIDERS[variant]
    out, tried = [], 0
    for p in pages:
        pick, mode = rng.random() < share, modes[int(rng.integers(len(modes)))]
        if not pick:
            continue
        if variant == "section" and not (p.gold.get("comments_text") or "").strip():
            continue
        html = srcs[p.page_id].content
        h = hider(html, mode, p.page_id)
        if h == html and variant != "dup":
            continue
        tried += 1
        cp = copy_of(p, h, f"copy-{variant}-{mode}")
        if cp is not None:
            out.append(cp)
            if htmls is not None:
                htmls[cp.page_id] = h
    log(f"copies ({variant}): {len(out)} of {tried} hidden pages (the others flatten to other lines)")
    return out


def fit_html(items, seed_offset: int, copy_weight: float = 1.0, n_real: int | None = None,
             separate_rows: bool = False, extra: tuple[str, ...] = ()):
    """The fold's HTML trees; the rows of items past ``n_real`` (the copies) weigh ``copy_weight``.
    ``separate_rows``: the real pages' rows are drawn as without copies (the same ROWS rows) and
    the copies' rows on top, in proportion to their lines (copies never displace real rows)."""
    rng = np.random.default_rng(MD.SEED + seed_offset)
    n_real = len(items) if n_real is None else n_real
    if separate_rows and n_real < len(items):
        real, copies = items[:n_real], items[n_real:]
        X, y, w = MD.training_matrix(real, rng, max_rows=ROWS)
        share = sum(len(it.y) for it in copies) / sum(len(it.y) for it in real)
        Xc, yc, wc = MD.training_matrix(copies, np.random.default_rng(MD.SEED + 100 + seed_offset),
                                        max_rows=int(ROWS * share))
        X, y, w = np.concatenate([X, Xc]), np.concatenate([y, yc]), np.concatenate([w, wc * np.float32(copy_weight)])
    else:
        weights = None if copy_weight == 1.0 else [1.0] * n_real + [copy_weight] * (len(items) - n_real)
        X, y, w = MD.training_matrix(items, rng, max_rows=ROWS, page_weights=weights)
    params = dict(M.PARAMS, seed=M.PARAMS["seed"] + seed_offset, num_threads=1)
    names = T.feature_names() + [f"exp:{c}" for c in extra]
    return M.train_booster(X, y, w, names, rounds=ROUNDS, params=params)


def decode(it, p, meta, dec: dict, container_gate: str) -> list[str]:
    lab = D.decode_labels(p, meta, dec, [ln.text for ln in it.page.lines])
    return gate(it.page.page_id, lab, container_gate)


def run_variant(variant: str, base: dict, pages, srcs, share: float, modes: tuple[str, ...], copy_weight: float,
                biases: list[float], dec: dict, log, separate_rows: bool = False, extra: tuple[str, ...] = (),
                gates: tuple[str, ...] = ("off",)) -> list[dict]:
    t0 = time.monotonic()
    items, hidden = base["items"], base["hidden"]
    htmls: dict[str, str] = {}
    copies = T.featurize(make_copies(variant, pages, srcs, share, modes, log, htmls), log, workers=1)
    append_columns(copies, extra, htmls)
    fold = T.site_folds(items, FOLDS)
    fold_of_site = {it.page.site: f for it, f in zip(items, fold)}
    oof: list = [None] * len(items)
    meta: list = [None] * len(items)
    hid_p: dict[str, list] = {m: [None] * len(v) for m, v in hidden.items()}
    hid_meta: dict[str, list] = {m: [None] * len(v) for m, v in hidden.items()}
    for f in range(FOLDS):
        tr = [it for it, fi in zip(items, fold) if fi != f]
        tr_c = [c for c in copies if fold_of_site[c.page.site] != f]
        booster = fit_html(tr + tr_c, f + 1, copy_weight, len(tr), separate_rows, extra)
        m = T.decoder_meta(tr)
        for i in [i for i, fi in enumerate(fold) if fi == f]:
            oof[i], meta[i] = booster.predict(items[i].X, num_threads=1), m
        for mode, v in hidden.items():
            for k, (i, it) in enumerate(v):
                if fold[i] == f:
                    hid_p[mode][k], hid_meta[mode][k] = booster.predict(it.X, num_threads=1), m
        log(f"  {variant} fold {f + 1}: {len(tr)} pages + {len(tr_c)} copies, {time.monotonic() - t0:.0f} s")
    rows = []
    sec_idx = sorted({i for v in hidden.values() for i, _ in v})
    for b, container_gate in ((b, g) for b in biases for g in gates):
        d = dict(dec, comment_bias=b)
        sc = [R.score_page(it.page, lab, D.comments_of(it.page, lab, it.ev)) for it, lab in
              ((it, decode(it, oof[i], meta[i], d, container_gate)) for i, it in enumerate(items))]
        agg = {ds: R.aggregate([s for s in sc if s.dataset == ds]) for ds in C.HTML_DATASETS}
        allr = R.aggregate(sc)
        sec = R.aggregate([sc[i] for i in sec_idx])
        row = {"variant": variant, "copies": len(copies), "share": share, "modes": "+".join(modes),
               "copy_weight": copy_weight, "separate_rows": separate_rows, "columns": "+".join(extra), "container_gate": container_gate,
               "comment_bias": b,
               "mean_of_five": round(D.mean_of_sets(sc), 4),
               **{f"{ds}_body_f1": round(agg[ds]["body_f1"], 4) for ds in C.HTML_DATASETS},
               "dragnet_comment_f1": round(agg["dragnet"]["comment_f1"], 4),
               "dragnet_comment_f1_heads": round(agg["dragnet"]["comment_f1_heads"], 4),
               "false_comments": round(allr["false_comments"], 4),
               **{f"{ds}_false": round(agg[ds]["false_comments"] or 0.0, 4) for ds in C.HTML_DATASETS},
               "section_pages_as_is": round(sec["comment_f1"], 4),
               "section_pages_as_is_heads": round(sec["comment_f1_heads"], 4)}
        for mode, v in hidden.items():
            hs = []
            for k, (i, it) in enumerate(v):
                lab = decode(it, hid_p[mode][k], hid_meta[mode][k], d, container_gate)
                hs.append(R.score_page(it.page, lab, D.comments_of(it.page, lab, it.ev)))
            a = R.aggregate(hs)
            row[f"hidden_{mode}"] = round(a["comment_f1"], 4)
            row[f"hidden_{mode}_heads"] = round(a["comment_f1_heads"], 4)
            row[f"hidden_{mode}_false"] = round(a["false_comments"] or 0.0, 4)
        row["pages"] = {it.page.page_id: [round(x.body[2], 4), x.n_comments, x.comment_f1]
                        for it, x in zip(items, sc)}
        log(str({k: v for k, v in row.items() if k != "pages"}))
        rows.append(row)
    log(f"{variant}: {time.monotonic() - t0:.0f} s")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="none,page,repeated")
    ap.add_argument("--share", type=float, default=0.5, help="share of the pages copied (fixed seed)")
    ap.add_argument("--modes", default=",".join(HIDE_MODES), help="hiding modes of the copies (one per source)")
    ap.add_argument("--copy-weight", type=float, default=1.0, help="weight of the copies' rows")
    ap.add_argument("--separate-rows", action="store_true",
                    help="the real pages' rows as without copies, the copies' rows on top")
    ap.add_argument("--path-prose", action="store_true", help="the same as --columns path_prose_share")
    ap.add_argument("--columns", default="",
                    help=f"experimental page-level or record-container columns appended to the rows (not model columns): {','.join(NAMES)}")
    ap.add_argument("--container-gate", action="store_true",
                    help="decode-time rule: no comment on the lines of a container holding the page's prose (container_columns.GATE_SHARE); the same as --gates board")
    ap.add_argument("--gates", default="",
                    help=f"decode-time rules scored, each a row: off (none), {', '.join(K.GATES)} (container_columns.GATES)")
    ap.add_argument("--biases", default="1.0,0.3", help="HTML decoder comment biases scored")
    ap.add_argument("--features", type=Path, default=ROOT / ".cache" / "hidden-copies-base.pkl",
                    help="cache of the real and hidden evaluation pages' features")
    ap.add_argument("--out", type=Path, default=None, help="append the rows (JSON lines) here")
    args = ap.parse_args(argv)
    log = lambda s: print(s, flush=True)  # noqa: E731
    pages, srcs = load(log)
    load_ctr_cache()
    n_ctr = len(_ctr_disk)
    base = base_items(pages, srcs, log, args.features)
    extra = tuple(c for c in args.columns.split(",") if c) or (("path_prose_share",) if args.path_prose else ())
    unknown = [c for c in extra if c not in NAMES]
    if unknown:
        raise SystemExit(f"unknown columns {unknown}")
    gates = tuple(g for g in args.gates.split(",") if g) or (("board",) if args.container_gate else ("off",))
    if any(g != "off" and g not in K.GATES for g in gates):
        raise SystemExit(f"unknown gates {gates}")
    htmls = {pid: s.content for pid, s in srcs.items()}
    need_ctr = any(c in K.NAMES for c in extra) or any(g != "off" for g in gates)
    if need_ctr:  # the hidden evaluation pages' own HTML (the hiding is fixed)
        for m, v in base["hidden"].items():
            for _i, it in v:
                src = it.page.page_id.rsplit(":hidden-", 1)[0]
                htmls[it.page.page_id] = hide(srcs[src].content, m, section=True)
    t0 = time.monotonic()
    scored = base["items"] + [it for v in base["hidden"].values() for _i, it in v]
    if need_ctr:  # the gates read the container columns whether or not they are columns
        for it in scored:
            _container_rows(it, htmls)
        if len(_ctr_disk) > n_ctr:
            n_ctr = len(_ctr_disk)
            save_ctr_cache()
    append_columns(base["items"], extra, htmls)
    append_columns([it for v in base["hidden"].values() for _i, it in v], extra, htmls)
    log(f"columns {extra}: {time.monotonic() - t0:.0f} s")
    dec = json.loads((Path(M.DATA_DIR) / "labeller.json").read_text())["decoder_html"]
    log(f"HTML decoder: {dec}")
    biases = [float(b) for b in args.biases.split(",")]
    for v in args.variants.split(","):
        if v not in VARIANTS:
            raise SystemExit(f"unknown variant {v}")
        rows = run_variant(v, base, pages, srcs, args.share, tuple(args.modes.split(",")), args.copy_weight,
                           biases, dec, log, args.separate_rows, extra, gates)
        if len(_ctr_disk) > n_ctr:
            n_ctr = len(_ctr_disk)
            save_ctr_cache()
        if args.out:
            with args.out.open("a") as fh:
                for r in rows:
                    fh.write(json.dumps(r) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
