"""The HTML path's whole-string checks done with str methods give what the regular expression
and the copying ``strip()`` gave: ``norm_text`` (JSON-LD values) with ``" ".join(s.split())``
for ``re.sub(r"\\s+", " ", s).strip()``, and a page that is only white space found by
``isspace()`` instead of ``not strip()``. Both pairs rest on one predicate (CPython's
``Py_UNICODE_ISSPACE``), checked here on every code point, hand-made edge cases and the
html-dev pages and their JSON-LD values (those skipped without ../shared)."""
from __future__ import annotations

import itertools
import re
import sys
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from tests.conftest import CORPUS, corpus_or_skip
from workers.core.stages import html as H
from workers.core.stages.html_jsonld import _ld_json, norm_text

_OLD_WS = re.compile(r"\s+")
PAGES_PER_FILE = 150   # html-dev pages read per corpus file (their JSON-LD and their whole text)

EDGES = [
    "", " ", "\t\n\r\x0b\x0c", "\x1c\x1d\x1e\x1f\x85", "\xa0", "\u2028\u2029\u3000", "\u200b", "\ufeff",
    "a", " a ", "a\u3000b", "a\xa0\xa0b", "a\u200bb", "\ud800 x \udfff", "x\x00 y", "\U0001f600 \U0001f600",
    " \n Élan\tvital \u2003 ", "a" * 2000 + " " + "b" * 10, "Ω" * 5 + "\u2009" * 3 + "Ω",
]


def _old_norm(value: Any, limit: int = 1000) -> str | None:
    """``norm_text`` as it was (the regular expression, then strip)."""
    if not isinstance(value, str):
        return None
    v = _OLD_WS.sub(" ", value).strip()
    return v[:limit] if v else None


def _strings(value: Any, out: list[str]) -> list[str]:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            out.extend(k for k in v if isinstance(k, str))
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


def test_the_same_white_space_on_every_code_point() -> None:
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        assert (_OLD_WS.fullmatch(ch) is not None) == ch.isspace() == (ch.strip() == "") == (ch.split() == []), cp


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases(text: str) -> None:
    for limit in (1000, 300, 3):
        assert norm_text(text, limit) == _old_norm(text, limit)
    assert (not text or text.isspace()) == (not text or not text.strip())
    assert norm_text(None) is None and norm_text(3) is None and norm_text(["a"]) is None


def test_blank_pages_are_still_empty() -> None:
    for page in ("", " ", "\n\t \u3000", "\xa0\n"):
        lines, dom, meta = H.html_page(page)
        assert lines == [] and dom.shape[0] == 0 and meta == {}
        assert H.flatten_html_lines(page) == ([], {}) and H.flatten_html(page) == ("", {})
    lines, _dom, _meta = H.html_page("\n<p>Hello there</p>\n")
    assert [ln.text for ln in lines] == ["Hello there"]


def test_html_dev_pages_and_their_json_ld() -> None:
    corpus_or_skip()
    from bench.loaders import html_dev_pages
    files = sorted((CORPUS / "html-dev").glob("*.jsonl.gz"))
    assert files
    values = pages = 0
    for path in files:
        for rec in itertools.islice(html_dev_pages(path.name), PAGES_PER_FILE):
            html = rec.get("html") or ""
            pages += 1
            assert (not html or html.isspace()) == (not html or not html.strip())
            texts = [html, *(n.text() for n in LexborHTMLParser(html).css('script[type="application/ld+json"]'))]
            for raw in texts[1:]:
                for s in _strings(_ld_json(raw), []):
                    values += 1
                    assert norm_text(s) == _old_norm(s) and norm_text(s, 300) == _old_norm(s, 300)
            assert norm_text(html, 10**9) == _old_norm(html, 10**9)
    assert pages >= 500 and values >= 1000
