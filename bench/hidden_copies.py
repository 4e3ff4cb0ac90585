"""Training copies of a page with its class/id words hidden (bench/hidden_copies_oof.py, issue #10):
on the whole page, on every repeated block and the comment sections, or on the comment sections
alone. Hiding as ``eval_comment_authors.hide`` hides (class/id renamed to neutral tokens or
removed, microdata dropped, ``<cite>`` printed as ``<span>``), but a copy's neutral tokens are its
own (``_token``), never the evaluation's ``w1``, ``w2``, ... .
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from bench.eval_comment_authors import _sections, hide_nodes  # noqa: E402

# a repeated block: a parent with at least this many element children of one tag and class
REPEAT_MIN = 3
# a block holding more of the page's text than this is the page's layout, not a repeated block
MAX_BLOCK_SHARE = 0.4
# children that are text runs, not records (a run of paragraphs is a text, not a list of items)
NOT_RECORDS = frozenset({"p", "br", "span", "a", "img", "b", "i", "em", "strong", "option", "td", "th",
                         "script", "style", "meta", "link", "input", "source", "wbr", "hr"})


def _token(salt: str, n: int) -> str:
    """A neutral class token of its own per page (not the evaluation's w1, w2, ...: the trees must
    not learn the evaluation's tokens)."""
    return "t" + hashlib.blake2b(f"{salt}:{n}".encode(), digest_size=3).hexdigest()


def _hide_nodes(nodes, mode: str, salt: str = "") -> None:
    """``eval_comment_authors.hide_nodes`` with this page's own salted tokens."""
    hide_nodes(nodes, mode, lambda n: _token(salt, n))


def hide_page(html: str, mode: str, salt: str = "") -> str:
    """class/id hidden on every element of the body."""
    tree = LexborHTMLParser(html)
    if tree.body is None:
        return html
    _hide_nodes(list(tree.body.traverse(include_text=False)), mode, salt)
    return tree.html or html


def repeated_blocks(tree) -> list:
    """Parents of REPEAT_MIN or more element children of one (tag, class) that are records,
    holding at most MAX_BLOCK_SHARE of the page's text (a page's layout columns are not a list)."""
    out = []
    page_chars = len(tree.body.text(deep=True) or "")
    for node in tree.body.traverse(include_text=False):
        groups: dict[tuple[str, str], int] = {}
        for ch in node.iter(include_text=False):
            if ch.tag in NOT_RECORDS or not ch.tag or ch.tag.startswith("-"):
                continue
            k = (ch.tag, (ch.attributes.get("class") or "").strip())
            groups[k] = groups.get(k, 0) + 1
        if groups and max(groups.values()) >= REPEAT_MIN and node.tag not in ("body", "html") \
                and len(node.text(deep=True) or "") <= MAX_BLOCK_SHARE * page_chars:
            out.append(node)
    return out


def hide_repeated(html: str, mode: str, salt: str = "") -> str:
    """class/id hidden on every repeated block and every comment section (their whole subtrees)."""
    tree = LexborHTMLParser(html)
    if tree.body is None:
        return html
    roots = repeated_blocks(tree) + _sections(tree)
    seen: set[int] = set()
    nodes = []
    for r in roots:
        for n in r.traverse(include_text=False):
            if n.mem_id not in seen:
                seen.add(n.mem_id)
                nodes.append(n)
    if not nodes:
        return html
    _hide_nodes(nodes, mode, salt)
    return tree.html or html


def hide_section(html: str, mode: str, salt: str = "") -> str:
    """The comment sections hidden (the section element's own class/id too)."""
    tree = LexborHTMLParser(html)
    sections = _sections(tree)
    if not sections:
        return html
    _hide_nodes([n for sec in sections for n in sec.traverse(include_text=False)], mode, salt)
    return tree.html or html


HIDERS = {"section": hide_section, "page": hide_page, "repeated": hide_repeated,
          "dup": lambda html, mode, salt="": html}
