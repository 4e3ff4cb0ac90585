"""The blind HTML set (``tests/data/heldout3/``, set ``heldout-html`` of ``bench/eval_html.py``):
its loader, the per-comment scores its structured gold allows, and its metadata accuracy.

No extractor saw these pages (written with their gold before any run; evaluation only, see the
set's README). Their gold lists each comment with its author and reply target, so besides the
comment token F1 of the other sets this scores, per gold comment: found (an output comment
aligned to it by text, token F1 >= 0.5, one to one), its author (the same name after whitespace
and case folding; a gold ``null`` wants no author), its reply target (the output comment's
``reply_to`` points at the output comment aligned to the gold parent). Metadata (title, author,
date, page kind) is scored by ``bench/eval_meta.py``'s rules on the default pipeline.
"""
from __future__ import annotations

from typing import Optional, Sequence

from bench import scoring as S

NAME = "heldout-html"
WHAT = "blind hand-written pages of tests/data/heldout3 (18 languages, 7 page kinds), never seen by any extractor"

# one output comment: (text, author, reply_to index in the output list)
Item = tuple[str, Optional[str], Optional[int]]


def pages() -> list[dict]:
    from tests.heldout import heldout3_pages

    return heldout3_pages()


def structured(page: dict) -> bool:
    """The page's gold lists its comments one by one (author, text, reply target)."""
    return "comment_list" in page["gold"]


def _name(a: str | None) -> str | None:
    return " ".join((a or "").split()).casefold() or None


def comment_scores(pages: Sequence[dict], items: dict[str, list[Item] | None]) -> dict[str, int]:
    """Counts over the gold comments of ``pages``: found, authors right (of those with a shown
    author; placeholders wanting null counted apart), reply targets right."""
    c = dict.fromkeys(("gold", "found", "named", "author_ok", "unnamed", "unnamed_ok", "replies", "reply_ok"), 0)
    for p in pages:
        gold, pred = p["gold"]["comment_list"], items.get(p["id"]) or []
        idx = S.align_comments([t for t, _, _ in pred], [g["text"] for g in gold])
        gold_of = {pi: gi for gi, pi in enumerate(idx) if pi is not None}
        for gi, g in enumerate(gold):
            pi = idx[gi]
            c["gold"] += 1
            c["found"] += pi is not None
            same = pi is not None and _name(pred[pi][1]) == _name(g["author"])
            key = "named" if g["author"] is not None else "unnamed"
            c[key] += 1
            c["author_ok" if key == "named" else "unnamed_ok"] += same
            if g["reply_to"] is not None:
                c["replies"] += 1
                c["reply_ok"] += pi is not None and gold_of.get(pred[pi][2]) == g["reply_to"]
    return c


def comment_line(ex: str, c: dict[str, int]) -> str:
    return (f"   {ex}: of {c['gold']} gold comments {c['found']} found; author right on {c['author_ok']} of the "
            f"{c['named']} with a shown author, no author on {c['unnamed_ok']} of the {c['unnamed']} placeholders; "
            f"reply target right on {c['reply_ok']} of {c['replies']}")


def print_meta(pages: list[dict]) -> None:
    """Title / author / date / page-kind accuracy with the default labeller (eval_meta's rules)."""
    from bench import eval_meta as M

    results, _secs = M.run(pages)
    s = M.score(pages, results)["all"]
    print(f"   metadata (default WINNOW_LABELLER, bench/eval_meta.py's comparison) on {s['pages']} pages: title exact "
          f"{s['title_exact']} (close {s['title_close']}), author {s['author_exact']} on {s['author_pages']} with one, "
          f"date {s['date_exact']} on {s['date_pages']} with one, false dates {s['date_false']}, "
          f"page kind {s['page_kind']}")
