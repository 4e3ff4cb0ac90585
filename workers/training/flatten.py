"""Flatten one HTML page in several ways, each giving the ``Line`` list the strip stage sees.

Pages will arrive flattened by crawlers we have never seen, so the model learns from
several flatteners, never from one flattener's habits:

- ``dom``: Winnow's own HTML flattener, exactly as the strip stage calls it for
  ``text/html`` input (lines with the DOM's ``reason``/``hint``; ``content_type`` text/html);
- ``resiliparse``: ``resiliparse.extract.html2text.extract_plain_text`` (all text, formatting
  kept: blank lines between blocks, list bullets), as many WET-style dumps look;
- ``blocks``: a plain block-per-line walk over an lxml (libxml2) parse, another parser with
  other repairs: one line per block element, a blank line between blocks, table cells on one
  line, hidden elements and ``<noscript>`` text kept (a crawler that runs no scripts and
  reads no CSS);
- ``blocks-tight``: the same lines without the blank lines.

The text flatteners' output goes through the strip stage's own line splitter, so the lines
are exactly those the strip stage builds for that text.
"""
from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any, Callable

from topics.records import Line

DOM = "dom"
RESILIPARSE = "resiliparse"
BLOCKS = "blocks"
BLOCKS_TIGHT = "blocks-tight"
TEXT = "text"          # text-dev / synthetic pages: the text as given
FLATTENERS: tuple[str, ...] = (DOM, RESILIPARSE, BLOCKS, BLOCKS_TIGHT)

# Elements that start and end a line in the block walk (HTML block-level and table rows).
BLOCK_TAGS: frozenset[str] = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "h1", "h2", "h3",
    "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
    "caption", "blockquote", "pre", "form", "fieldset", "legend", "figure", "figcaption", "address",
    "hr", "br", "body", "html", "center", "details", "summary", "menu", "option", "textarea", "label",
})
# Table cells: a separator, not a line break (the whole row on one line).
CELL_TAGS: frozenset[str] = frozenset({"td", "th"})
# Elements whose text a browser never shows. <noscript> is not among them: a crawler that runs
# no scripts sees it (Discourse forums put every post there; Disqus its "enable JavaScript" line).
SKIP_TAGS: frozenset[str] = frozenset({
    "script", "style", "template", "head", "svg", "iframe", "object", "embed", "select",
    "button", "canvas", "math",
})

_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u3000]+")

# Where the strip stage's functions live (the package layout is moving: new paths first).
_STRIP_MODULES = ("workers.core.stages.strip", "workers.core.stages.strip.lines", "workers.stages.strip")
_HTML_MODULES = ("workers.core.stages.html", "workers.core.stages.html_walk", "workers.stages.html")


def _find(name: str, modules: tuple[str, ...]) -> Callable[..., Any] | None:
    for mod in modules:
        try:
            fn = getattr(importlib.import_module(mod), name, None)
        except ImportError:
            continue
        if fn is not None:
            return fn
    return None


@lru_cache(maxsize=None)
def stage_split_lines() -> Callable[[str], list[Line]]:
    fn = _find("split_lines", _STRIP_MODULES)
    if fn is None:
        raise ImportError("the strip stage's split_lines was not found")
    return fn


@lru_cache(maxsize=None)
def stage_html_page() -> Callable[[str], tuple]:
    """``html(html) -> (lines, dom, meta)``: the html stage's ``html_page`` when it exists,
    else ``flatten_html_lines`` with ``dom=None``."""
    fn = _find("html_page", _HTML_MODULES)
    if fn is not None:
        return fn
    flat = _find("flatten_html_lines", _HTML_MODULES)
    if flat is None:
        raise ImportError("the html stage's flatten_html_lines was not found")

    def page(html: str) -> tuple:
        lines, meta = flat(html)
        return lines, None, meta
    return page


def text_lines(text: str) -> list[Line]:
    """Lines of a text/plain document exactly as the strip stage builds them (after ingest's
    line-ending normalisation)."""
    return stage_split_lines()(text.replace("\r\n", "\n").replace("\r", "\n"))


def resiliparse_text(html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    return extract_plain_text(html, preserve_formatting=True, main_content=False)


def _lxml_root(html: str):
    import lxml.html
    from lxml import etree
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(html.encode("utf-8", "replace"), parser)
    except (etree.ParserError, ValueError):
        return None


def block_lines(html: str) -> list[str]:
    """One string per block element of an lxml parse (empty blocks dropped)."""
    from lxml import etree
    root = _lxml_root(html)
    if root is None:
        return []
    out: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            t = _WS.sub(" ", "".join(buf)).strip()
            if t:
                out.extend(p.strip() for p in t.split("\n") if p.strip())
            buf.clear()

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if tag in SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                flush()
            elif tag in CELL_TAGS:
                buf.append(" ")
            if el.text and tag not in SKIP_TAGS:
                buf.append(el.text if tag == "pre" else el.text.replace("\n", " "))
        else:
            if tag in BLOCK_TAGS:
                flush()
            elif tag in CELL_TAGS:
                buf.append(" ")
            if el.tail:
                buf.append(el.tail.replace("\n", " "))
    flush()
    return out


_LAST_BLOCKS: list = [None, None]  # (html, lines) of the last page: blocks and blocks-tight share one walk


def _blocks_memo(html: str) -> list[str]:
    if _LAST_BLOCKS[0] is not html:
        _LAST_BLOCKS[:] = [html, block_lines(html)]
    return _LAST_BLOCKS[1]


def flatten(html: str, flattener: str) -> tuple[list[Line], Any, dict]:
    """The page's lines as one flattener gives them, its DOM feature matrix (dom only, when
    the html stage provides one) and the html stage's head metadata (dom only)."""
    if flattener == DOM:
        lines, dom, meta = stage_html_page()(html)
        lines = [ln if isinstance(ln, Line) else Line.from_dict(ln) for ln in lines]
        return lines, dom, dict(meta or {})
    if flattener == RESILIPARSE:
        return text_lines(resiliparse_text(html)), None, {}
    if flattener in (BLOCKS, BLOCKS_TIGHT):
        sep = "\n\n" if flattener == BLOCKS else "\n"
        return text_lines(sep.join(_blocks_memo(html))), None, {}
    raise ValueError(f"unknown flattener {flattener!r}")
