"""Pages without main content (the blind set ``tests/data/heldout4``): what each extractor still
gives on pages that hold no document (error pages, login walls, empty results and archives,
maintenance pages, age gates, consent walls, expired listings, JavaScript shells, ...).

    .venv/bin/python bench/eval_empty.py [--json OUT]

The gold of every page is empty: no title, no main text, no comments (see the set's README). Per
extractor and set it prints: the pages given any main-content text (k of n), the mean output
tokens of that text per page (``bench/scoring.py``'s tokens, every page counted), and the pages
given a title (k of n); for Winnow also the pages given any comment.

Extractors, run as ``bench/eval_html.py`` runs them:
  * Winnow through the offline pipeline (strip, segment, enrich) with ``WINNOW_LABELLER=model``
    and ``=rules``, on the HTML pages (``text/html``) and on the text pages (``text/plain``);
    main-content text = the record's ``body``, title = its ``title``;
  * on the HTML pages only, trafilatura ``bare_extraction(html, url=url, include_comments=False)``
    (main text = its ``text``; title = the ``title`` of a second call with ``with_metadata=True``,
    its metadata mode, off by default) and resiliparse
    ``extract_plain_text(html, main_content=True, comments=False)`` (main text = its output; it has
    no title of its own).
A page Winnow dead-letters gives nothing (counted apart). The pages are blind: run once, never
tuned against (if a change is made because a page fails, the page stops being held out).
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Callable, NamedTuple

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from bench import scoring as S  # noqa: E402

HTML_EXTRACTORS = ("winnow model", "winnow rules", "trafilatura", "resiliparse")
TEXT_EXTRACTORS = ("winnow model", "winnow rules")


class Output(NamedTuple):
    main: str                 # the main-content text an extractor gives
    title: str | None         # its title; None = it has no title of its own
    comments: int | None      # comments given (Winnow only)
    missing: bool = False     # dead-lettered: nothing output


# --- pages ------------------------------------------------------------------------------

def html_pages() -> list[dict]:
    from tests.heldout import heldout4_pages

    return heldout4_pages()


def text_pages() -> list[dict]:
    """The text pages as ``{"id", "input"}`` (the raw record Winnow reads)."""
    from tests.heldout import heldout4_text_cases

    return [{"id": c["input"]["id"], "input": c["input"]} for c in heldout4_text_cases()]


# --- extractors -------------------------------------------------------------------------

def winnow(labeller: str, values: list[bytes], ids: list[str]) -> dict[str, Output]:
    from bench.offline import quality_records

    recs, _secs = quality_records(values, labeller)
    out = {}
    for i in ids:
        rec = recs.get(i)
        out[i] = (Output("", None, 0, missing=True) if rec is None
                  else Output(rec.get("body") or "", rec.get("title") or "", len(rec.get("comments") or [])))
    return out


def winnow_html(labeller: str) -> Callable[[list[dict]], dict[str, Output]]:
    def run(pages: list[dict]) -> dict[str, Output]:
        from bench.offline import html_values

        return winnow(labeller, html_values(pages), [p["id"] for p in pages])
    return run


def winnow_text(labeller: str) -> Callable[[list[dict]], dict[str, Output]]:
    def run(pages: list[dict]) -> dict[str, Output]:
        return winnow(labeller, [orjson.dumps(p["input"]) for p in pages], [p["id"] for p in pages])
    return run


def trafilatura_run(pages: list[dict]) -> dict[str, Output]:
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    from trafilatura import bare_extraction

    out = {}
    for p in pages:
        doc = bare_extraction(p["html"], url=p.get("url"), include_comments=False)
        meta = bare_extraction(p["html"], url=p.get("url"), include_comments=False, with_metadata=True)
        out[p["id"]] = Output((doc.text or "") if doc is not None else "",
                              (meta.title or "") if meta is not None else "", None)
    return out


def resiliparse_run(pages: list[dict]) -> dict[str, Output]:
    from resiliparse.extract.html2text import extract_plain_text

    return {p["id"]: Output(extract_plain_text(p["html"], main_content=True, comments=False), None, None)
            for p in pages}


RUNNERS = {
    "html": {"winnow model": winnow_html("model"), "winnow rules": winnow_html("rules"),
             "trafilatura": trafilatura_run, "resiliparse": resiliparse_run},
    "text": {"winnow model": winnow_text("model"), "winnow rules": winnow_text("rules")},
}


# --- scoring and report -----------------------------------------------------------------

def score(ids: list[str], out: dict[str, Output]) -> dict:
    """Counts over the pages (every gold is empty, so anything given is wrong)."""
    toks = {i: len(S.tokens(out[i].main)) for i in ids}
    rep = {"pages": len(ids), "main_given": sum(n > 0 for n in toks.values()),
           "mean_tokens": sum(toks.values()) / max(len(ids), 1),
           "per_page_tokens": {i: n for i, n in toks.items() if n},
           "missing": sum(out[i].missing for i in ids)}
    if any(out[i].title is not None for i in ids):
        rep["title_given"] = sum(bool((out[i].title or "").strip()) for i in ids)
    if any(out[i].comments is not None for i in ids):
        rep["comments_given"] = sum(bool(out[i].comments) for i in ids)
    return rep


def print_set(name: str, reps: dict[str, dict]) -> None:
    n = next(iter(reps.values()))["pages"]
    print(f"== {name}: {n} pages, gold empty (no title, no main text, no comments)")
    print(f"   {'extractor':14s} {'main text given':>16s} {'mean tokens':>12s} {'title given':>12s} {'comments':>9s}")
    for ex, r in reps.items():
        title = f"{r['title_given']} of {n}" if "title_given" in r else "-"
        comm = f"{r['comments_given']} of {n}" if "comments_given" in r else "-"
        given = f"{r['main_given']} of {n}"
        print(f"   {ex:14s} {given:>16s} {r['mean_tokens']:12.1f} {title:>12s} {comm:>9s}"
              + (f"   ({r['missing']} dead-lettered)" if r["missing"] else ""))
    for ex, r in reps.items():
        given = ", ".join(f"{i.removeprefix('heldout4-')} {k}" for i, k in r["per_page_tokens"].items())
        print(f"   {ex}: main text on {given or 'no page'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", dest="json_out", default=None)
    args = ap.parse_args(argv)
    sets = {"heldout4 html": (html_pages(), HTML_EXTRACTORS, "html"),
            "heldout4 text": (text_pages(), TEXT_EXTRACTORS, "text")}
    print("Pages without main content (blind set tests/data/heldout4; no extractor saw them): what each gives")
    reports = {}
    for name, (pages, extractors, kind) in sets.items():
        ids = [p["id"] for p in pages]
        reports[name] = {ex: score(ids, RUNNERS[kind][ex](pages)) for ex in extractors}
        print_set(name, reports[name])
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(reports, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
