"""Comment authors on HTML: how often a comment whose markup names its author gets that author
in the record's comments (issue #10: "every comment with its author when the markup shows one").

    .venv/bin/python bench/eval_comment_authors.py [--limit N] [--misses K]

Pages: the Dragnet training pages of ``../shared/corpus/html-dev/dragnet-train.jsonl.gz``
whose gold has comments (news and blog pages from 2012: WordPress, Blogger, Disqus's
server-rendered list, Drupal, forum-like themes). The reference is the markup, not our own
line labels: inside a comment section (a class/id token of ``COMMENT_CONTAINERS`` or with the
word ``comments``), every element that names a comment's author (``MARKUP_AUTHOR_WORDS``:
``fn``, ``vcard``, ``comment-author``, ``username``, ``commenter``…, ``itemprop=author``, a
``<cite>``, or WordPress's author link ``a.url`` in a comment-meta block), outermost per comment, gives one (comment, author) pair; the name is the text
of its first innermost author element (``div.comment-author.vcard > a.url``: not the date or
the "Follow" link beside it) without a URL printed before it and a "says:" / "wrote:" tail;
"Profile"/"Follow" links and placeholder names ("Anonymous": the record's author is null by
design) are no names, and a "Recent comments" sidebar widget is no comment section. The
reference is written here, apart from the code it measures
(``workers/core/stages/html_comment_authors.py`` gives the records the markup's names too).
Scored per page as multisets of normalised names (NFKC,
lower case, ``\\w+`` tokens): recall = markup names found among the record's comment authors,
precision = record comment authors that the markup names (``precision_where_named``: on the
pages whose markup names at least one author; elsewhere every record author counts against it). Pages are split by site into
halves A (looked at) and B (check) as in ``bench/eval_meta.py``. ``paired_right``: of the record
comments whose opening lies in one markup comment item (``markup_items``), the share that
carry that item's name; ``swapped``: those carrying another comment's name (a multiset of
names cannot see a shift between neighbours).
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
from typing import Callable
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from bench.eval_meta import half_of, norm  # noqa: E402
from bench.loaders import CORPUS, html_dev_pages  # noqa: E402
from bench.offline import html_records  # noqa: E402
from workers.core.heuristics.header_lines import PLACEHOLDER_AUTHORS  # noqa: E402  (the record's author is null)
from workers.core.stages.html_rules import COMMENT_CONTAINERS, COMMENT_NEGATIVE_WORDS, COMMENT_WORDS  # noqa: E402

DRAGNET = CORPUS / "html-dev" / "dragnet-train.jsonl.gz"
# class/id tokens (whole, or split into words) of an element that names a comment's author
MARKUP_AUTHOR_WORDS: frozenset[str] = frozenset({
    "fn", "vcard", "comment-author", "comment_author", "commentauthor", "comment-author-name", "comment__author",
    "author", "author-name", "username", "user-name", "commenter", "comment-user", "comment-name", "profile-name",
})
# texts of an author element that are a link beside the name ("Profile"), never a name
NOT_NAMES: frozenset[str] = frozenset({"profile", "view profile", "follow", "reply", "permalink", "website"})
# a comment section's class/id words that make it a sidebar widget ("Recent comments"), not a thread
WIDGET_WORDS: frozenset[str] = frozenset({"recent", "latest", "popular", "widget", "sidebar", "most"})
_URL = re.compile(r"^(?:https?://|www\.)\S*\s*", re.I)
_SAYS = re.compile(r"\s*(?:says|said|wrote|writes|dice|schreibt|a écrit)\s*(?::|\.\.\.|…)?\s*$", re.I)
# form fields named "author" are the comment form, not a comment
_FORM_TAGS = frozenset({"input", "textarea", "label", "form", "select", "option", "button"})
_SPLIT = re.compile(r"[\s]+")
MAX_NAME_CHARS = 60
MAX_ANCESTORS = 60
# a comment item (pairing check): at most this many levels above the author element, and
# this much more text than the name; a comment is known by its first tokens
MAX_ITEM_LEVELS = 12
MIN_ITEM_CHARS = 30
PAIR_TOKENS = 8
# unseen-widget proxy: the modes, and the attributes that carry vocabulary besides class/id
HIDE_MODES: tuple[str, ...] = ("renamed", "stripped")
HIDDEN_ATTRIBUTES: tuple[str, ...] = ("itemprop", "itemtype", "itemscope", "itemid")


def _tokens(node) -> list[str]:
    a = node.attributes
    return [t.lower() for v in (a.get("class"), a.get("id")) if v for t in _SPLIT.split(v) if t]


def _is_section(node) -> bool:
    for t in _tokens(node):
        words = set(re.split(r"[^a-z0-9]+", t))
        if words & WIDGET_WORDS:
            return False
        if t in COMMENT_CONTAINERS:
            return True
        if words & COMMENT_WORDS and not words & COMMENT_NEGATIVE_WORDS:
            return True
    return False


def _is_author(node) -> bool:
    if node.tag in _FORM_TAGS:
        return False
    if node.tag == "cite" or node.attributes.get("itemprop") == "author":
        return True
    toks = _tokens(node)
    if node.tag == "a" and "url" in toks:   # WordPress's comment author link (hCard url), in comment-meta
        return True
    return any(t in MARKUP_AUTHOR_WORDS for t in toks)


def markup_authors(html: str) -> list[str]:
    """The comment authors the markup names, one per comment (normalised), in page order."""
    return [name for name, _node in _markup_nodes(LexborHTMLParser(html))]


def markup_items(html: str) -> list[tuple[str, str]]:
    """(name, the normalised text of its comment) per markup author whose comment item is
    known: the nearest ancestor of the author element holding ``MIN_ITEM_CHARS`` more than
    the name and no other markup author (a Blogger ``dt``/``dd`` list has none: skipped)."""
    nodes = _markup_nodes(LexborHTMLParser(html))
    below: collections.Counter = collections.Counter()
    for _name, node in nodes:
        n, i = node.parent, 0
        while n is not None and i < MAX_ITEM_LEVELS:
            below[n.mem_id] += 1
            n, i = n.parent, i + 1
    out = []
    for name, node in nodes:
        n, i = node.parent, 0
        while n is not None and i < MAX_ITEM_LEVELS and below[n.mem_id] == 1:
            text = norm(n.text(separator=" "))
            if len(text) >= len(name) + MIN_ITEM_CHARS:
                out.append((name, text))
                break
            n, i = n.parent, i + 1
    return out


def score_pairs(items: list[tuple[str, str]], record: dict) -> tuple[int, int, int]:
    """(record comments whose text opens inside one markup comment item, of them with that
    item's author, of them with another markup name of the page: an author swapped between
    neighbours). A comment's opening (its first ``PAIR_TOKENS`` tokens) is looked for in the
    items; the smallest item holding it is the comment's (replies nest inside their parent)."""
    names = {name for name, _t in items}
    seen = ok = swapped = 0
    for c in record.get("comments") or []:
        key = " ".join(norm(c.get("text") or "").split()[:PAIR_TOKENS])
        if len(key.split()) < PAIR_TOKENS:
            continue
        holding = [(len(t), name) for name, t in items if key in t]
        if not holding:
            continue
        want = min(holding)[1]
        got = norm(c.get("author"))
        seen += 1
        ok += got == want
        swapped += bool(got) and got != want and got in names
    return seen, ok, swapped


def _markup_nodes(tree) -> list[tuple[str, object]]:
    """(normalised name, outermost author element) per comment the markup names, page order."""
    body = tree.body
    if body is None:
        return []
    out = []
    for node in body.traverse(include_text=False):
        if not _is_author(node):
            continue
        inside, outer, n, i = False, False, node.parent, 0
        while n is not None and i < MAX_ANCESTORS and n.tag not in ("body", "html"):
            if _is_author(n):
                outer = True
                break
            if _is_section(n):
                inside = True
            n, i = n.parent, i + 1
        if outer or not inside:
            continue
        text = _name_text(node)
        name = norm(text)
        if name and len(text) <= MAX_NAME_CHARS and name not in NOT_NAMES and name not in PLACEHOLDER_AUTHORS:
            out.append((name, node))
    return out


def _name_text(node) -> str:
    """The name an outermost author element shows: its first innermost author element with
    a name in it (``div.comment-author.vcard > a.url``: not the date or the "Follow" link beside
    it), without a URL printed before it and a "says:" tail."""
    for inner in [d for d in node.traverse(include_text=False) if d is not node and _is_author(d)] + [node]:
        if inner is not node and any(_is_author(x) for x in inner.traverse(include_text=False) if x != inner):
            continue
        text = _SAYS.sub("", _URL.sub("", " ".join(inner.text(separator=" ").split())))
        if norm(text) and norm(text) not in NOT_NAMES:
            return text
    return ""


def _sections(tree) -> list:
    """The outermost comment-section elements (``_is_section``) of the page, page order."""
    body = tree.body
    if body is None:
        return []
    out, seen = [], set()
    for node in body.traverse(include_text=False):
        if not _is_section(node):
            continue
        n, inner = node.parent, False
        while n is not None and not inner:
            inner, n = n.mem_id in seen, n.parent
        seen.add(node.mem_id)
        if not inner:
            out.append(node)
    return out


def hide_nodes(nodes, mode: str, token: Callable[[int], str]) -> None:
    """Hide the vocabulary of ``nodes`` in place (``mode`` of ``HIDE_MODES``): class/id words
    renamed to ``token(n)`` (the n-th distinct word) or removed, ``HIDDEN_ATTRIBUTES`` dropped,
    ``<cite>`` printed as ``<span>``."""
    tokens: dict[str, str] = {}
    cites = []
    for node in nodes:
        attrs = node.attributes
        for key in ("class", "id"):
            if key not in attrs:
                continue
            if mode == "stripped":
                del node.attrs[key]
            else:
                node.attrs[key] = " ".join(tokens.setdefault(t, token(len(tokens) + 1))
                                           for t in (attrs[key] or "").split())
        for key in HIDDEN_ATTRIBUTES:
            if key in attrs:
                del node.attrs[key]
        if node.tag == "cite":
            cites.append(node)
    for node in reversed(cites):   # innermost first: a replaced node's copy keeps no stale child
        span = LexborHTMLParser(f"<span>{node.inner_html or ''}</span>").css_first("span")
        for key, value in node.attributes.items():
            span.attrs[key] = value or ""
        node.replace_with(span)


def hide(html: str, mode: str, section: bool = False) -> str:
    """The page with its comment sections' vocabulary hidden (``mode`` of ``HIDE_MODES``; see
    the module doc): below each section element, class/id renamed to neutral tokens or removed,
    ``HIDDEN_ATTRIBUTES`` dropped, ``<cite>`` printed as ``<span>``; with ``section``, the
    section element's own class/id too (nothing names the section: an unseen widget whole).
    A page without a comment section comes back unchanged."""
    tree = LexborHTMLParser(html)
    sections = _sections(tree)
    if not sections:
        return html
    nodes = [node for sec in sections for node in sec.traverse(include_text=False)
             if section or not (node is sec or node.mem_id == sec.mem_id)]
    hide_nodes(nodes, mode, lambda n: f"w{n}")
    return tree.html or html


def score_page(markup: list[str], record: dict) -> tuple[int, int, int, int]:
    """(markup names, of them found, record authors, of them named by the markup)."""
    ours = collections.Counter(norm(c.get("author")) for c in record.get("comments") or [] if c.get("author"))
    ours.pop("", None)
    want = collections.Counter(markup)
    hit = sum((want & ours).values())
    return sum(want.values()), hit, sum(ours.values()), hit


def pages_with_comments(limit: int | None) -> list[dict]:
    pages = []
    for d in html_dev_pages("dragnet-train.jsonl.gz"):
        if d["gold"].get("comments"):
            pages.append(d)
        if limit is not None and len(pages) >= limit:
            break
    return pages


def run(pages: list[dict], mode: str | None = None) -> tuple[list[dict], dict[str, dict]]:
    """The records of ``pages``, their HTML as is or hidden (``hide``, ``mode``)."""
    results, _secs = html_records(pages, None if mode is None else lambda p: hide(p["html"], mode))
    return pages, results


def report(pages: list[dict], results: dict[str, dict], misses: int = 0) -> dict[str, dict]:
    tot: dict[str, list[int]] = collections.defaultdict(lambda: [0] * 12)
    worst = []
    for p in pages:
        m = markup_authors(p["html"])
        rec = results.get(p["id"]) or {}
        n, hit, ours, good = score_page(m, rec)
        pairs = score_pairs(markup_items(p["html"]), rec) if n else (0, 0, 0)
        for key in ("all", half_of(p)):
            t = tot[key]
            t[0] += n
            t[1] += hit
            t[2] += ours
            t[3] += good
            t[4] += bool(n)
            t[5] += bool(n) and hit == n
            t[6] += pairs[0]
            t[7] += pairs[1]
            t[8] += pairs[2]
            t[9] += ours if n else 0
            t[10] += good if n else 0
            t[11] += 0 if n else ours
        if n and hit < n:
            worst.append((n - hit, p, m, rec))
    out = {}
    for key in ("all", "A", "B"):
        t = tot[key]
        out[key] = {"pages_with_markup_authors": t[4], "markup_authors": t[0],
                    "recall": round(t[1] / t[0], 3) if t[0] else None,
                    "precision": round(t[3] / t[2], 3) if t[2] else None,
                    "precision_where_named": round(t[10] / t[9], 3) if t[9] else None,
                    "false_where_named": t[9] - t[10], "authors_where_unnamed": t[11],
                    "pages_all_found": round(t[5] / t[4], 3) if t[4] else None,
                    "paired_comments": t[6], "paired_right": round(t[7] / t[6], 3) if t[6] else None,
                    "swapped": t[8]}
    for _k, p, m, rec in sorted(worst, key=lambda w: -w[0])[:misses]:
        ours = [c.get("author") for c in rec.get("comments") or []]
        print(f"   miss {half_of(p)} {p['id']}: markup {m[:6]} | ours {ours[:6]} ({len(ours)} comments)")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--misses", type=int, default=0, help="print the K pages missing most markup authors")
    ap.add_argument("--hide", default="", help="also score with the comment sections' vocabulary hidden: "
                    f"comma-separated modes of {', '.join(HIDE_MODES)} (see the module doc)")
    args = ap.parse_args(argv)
    modes = [m for m in args.hide.split(",") if m]
    if any(m not in HIDE_MODES for m in modes):
        ap.error(f"--hide: modes are {', '.join(HIDE_MODES)}")
    if not DRAGNET.is_file():
        print(f"eval_comment_authors: {DRAGNET} not found (the shared corpus is needed)", file=sys.stderr)
        return 2
    pages = pages_with_comments(args.limit)
    for mode in [None, *modes]:
        _pages, results = run(pages, mode)
        out = report(pages, results, args.misses)
        shown = "markup as is" if mode is None else f"comment sections' class/id {mode}, the reference as is"
        print(f"== comment authors on Dragnet train pages with comments ({len(pages)} pages; {shown}): a comment"
              " whose markup names its author gets that author in the record")
        for key, row in out.items():
            print(f"   {key:4s} " + "  ".join(f"{k} {v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
