"""The DOM walk by the compiled ``_domwalk`` extension.

``html_walk.Walker.walk`` (selectolax node objects, one per visited node) stays the reference.
``_domwalk.c`` reads selectolax's Lexbor tree directly (no node object per node) and makes the
same walk in C: the same elements skipped, hidden, empty or transparent, the same element states
(``Walker.enter``) and lines (``Walker.flush``). It asks the Python functions for what carries
the rules' vocabularies (``class_info`` and ``itemprop_bits``, cached per distinct value), so
those stay in one place. ``html_chrome.dom_reason`` (the reference, kept in Python) is made in C
(``_domwalk_chrome.c``) with its tags, roles, selectors and thresholds given here: its
containment checks by Lexbor's selector engine as selectolax's ``css_first`` runs it, its text
lengths as ``len(node.text())`` counts them. The results are the same lines, context, counts,
frames, times, check budget and page text length (tests/test_native_walk.py).

The extension reads Lexbor's structures as selectolax's ``lexbor.pxd`` declares them and calls
Lexbor's functions from selectolax's own loaded module, so it is used only with a selectolax
version it was checked against (``SELECTOLAX_VERSIONS``) and after a probe page walks the same
both ways at import; otherwise (or when it is not built: ``make install`` builds it) the Python
walk serves after one warning. ``AVAILABLE`` says which.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
import selectolax
from selectolax import lexbor
from selectolax.lexbor import LexborHTMLParser

from workers.core.native import optional_module
from workers.core.stages import html_chrome as C
from workers.core.stages import html_rules as R
from workers.core.stages import html_walk as W

log = logging.getLogger(__name__)

_domwalk = optional_module("workers.core.stages._domwalk", log,
                           "html: the compiled DOM walk (_domwalk) is not built; Python walks the tree "
                           "(same lines, slower; make install builds it)")

# selectolax releases whose Lexbor node, attribute and text layouts _domwalk.c was checked against
SELECTOLAX_VERSIONS = ("1.0.2",)

# walked both ways at import: text, a comment, a doctype, a skipped subtree, hidden elements, an
# empty block and a break, attributes with and without values, <pre> line breaks, a custom
# element, non-ASCII, a DOM rule's subtree check (the nav) and a <time datetime>
PROBE = ("<!DOCTYPE html><html><head><title>t</title></head><body><!-- c -->"
         "<nav class='menu'><a href='/'>Home</a></nav><main><article class='post entry-content'>"
         "<h1 itemprop=headline>Tïtle</h1><p>One <b>two</b> <span class=x>three</span><br>four</p>"
         "<div hidden>gone</div><p style='display: none'>gone</p><p style='color:red'>kept</p><div></div>"
         "<pre>a\nb\n</pre><my-el data-x>custom</my-el><p id data-y=''>empty</p>"
         "<time datetime='2024-01-02'>2 Jan</time><script>x()</script><ul><li>item</li></ul>"
         "</article></main><footer role=contentinfo>foot</footer></body></html>")


def _result(w: W.Walker) -> tuple:
    return w.lines, w.ctx, w.counts, w.frames, w.times, w.checks, w.chars, w.link_chars, w.n_links


def rules() -> dict:
    """The tables and functions of the walk the extension reads (given once, at configure)."""
    return {
        "skip_tags": frozenset(R.SKIP_TAGS), "block_tags": R.BLOCK_TAGS, "break_tags": R.BREAK_TAGS,
        "list_tags": W._LIST_TAGS, "chrome_tags": W._CHROME_TAGS, "tag_flag": W.TAG_FLAG,
        "heading_level": {t: W._HEADING_LEVEL[t] for t in W._HEADING_TAGS}, "block_code": W._BLOCK_CODE,
        "tag_code": W._tag_code, "hidden_search": W.HIDDEN_STYLE.search,
        "class_info": W.class_info, "itemprop_bits": W.itemprop_bits,
        "role_flag": W._ROLE_FLAG, "article_itemprops": W._ARTICLE_ITEMPROPS, "no_class": W.NO_CLASS,
        "hints": (W.HINT_COMMENT_AUTHOR, W.HINT_COMMENTS, W.HINT_HEADING, W.HINT_LIST_ITEM),
        "max_author_line": W.MAX_AUTHOR_LINE, "root_ctx": W._ROOT_STATE[9],
        # html_chrome.dom_reason's tags, roles, selectors and thresholds
        "chrome_form_tag": C.FORM_TAG, "chrome_side_tags": C.SIDE_TAGS, "chrome_edge_selectors": C.EDGE_SELECTORS,
        "chrome_edge_roles": C.EDGE_ROLES, "boilerplate_roles": R.BOILERPLATE_ROLES, "chrome_reason": C.DOM_REASON,
        "article_selector": C.ARTICLE_SELECTOR, "max_chrome_share": C.MAX_CHROME_SHARE,
        "max_form_chars": C.MAX_FORM_CHARS, "max_in_body_marker_chars": R.MAX_IN_BODY_MARKER_CHARS,
    }


def walk(w: W.Walker, root) -> None:
    """``w.walk(root)``'s result in ``w`` (a fresh walker): by the compiled walk when AVAILABLE."""
    if not AVAILABLE:
        w.walk(root)
        return
    _domwalk.walk(w, root.mem_id)


def _check() -> bool:
    """Configure the extension and check it on ``PROBE``; False (after one warning) when it
    must not serve."""
    if _domwalk is None:
        return False
    if selectolax.__version__ not in SELECTOLAX_VERSIONS:
        log.warning("html: selectolax %s is not one the compiled DOM walk was checked against %s; "
                    "Python walks the tree (same lines, slower)", selectolax.__version__, SELECTOLAX_VERSIONS)
        return False
    return probed("the compiled DOM walk", "Python walks the tree", _probe_walk)


def _probe_walk() -> bool:
    """Configure the extension; whether it walks ``PROBE`` as the Python walk does."""
    body = LexborHTMLParser(PROBE).body
    _domwalk.configure(lexbor.__file__, body, body.mem_id, rules())
    if not _domwalk.selfcheck(body.mem_id):
        return False
    ref = W.Walker(body)
    ref.walk(body)
    got = W.Walker(body)
    _domwalk.walk(got, body.mem_id)
    return _result(got) == _result(ref) and any(line[1] for line in ref.lines)


def probed(what: str, otherwise: str, probe: Callable[[], bool]) -> bool:
    """``probe()``'s answer for a compiled part of the HTML stage, False after one warning when
    it says no or raises: whatever fails there (Lexbor's symbols, the configured data's types, the
    probe page), the Python reference serves, never a failed import of the html stage."""
    try:
        ok = probe()
    except Exception as exc:  # noqa: BLE001 - any failure means the reference serves
        log.warning("html: %s cannot be used (%s: %s); %s", what, type(exc).__name__, exc, otherwise)
        return False
    if not ok:
        log.warning("html: %s differs from its reference on the probe page; %s", what, otherwise)
    return bool(ok)


AVAILABLE = _check()
