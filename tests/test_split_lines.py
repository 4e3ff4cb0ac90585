"""workers/core/stages/text.py: ``split_lines`` strips the invisible characters only from a line
that opens or ends with one; the same lines as the three strips of every line, on the corpus's
pages and on texts built around whitespace and invisible characters."""
from __future__ import annotations

import json
import random
from pathlib import Path

from tests.test_path_speed import _random_texts
from topics.records import Line
from workers.core.stages import text as T

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _reference(text: str) -> list[Line]:
    """``split_lines`` as it was: every line stripped, of the invisible characters, stripped."""
    out: list[Line] = []
    blank = 0
    for n, raw in enumerate(text.split("\n")):
        t = raw.strip().strip(T._INVISIBLE).strip()
        if not t:
            blank += 1
            continue
        out.append(Line(n, t, blank))
        blank = 0
    return out


def _pages() -> list[str]:
    rnd = random.Random(21)
    edges = " \t\u3000\u00a0\u2028" + T._INVISIBLE + "x日"
    pages = ["\n".join(_random_texts(rnd))]
    for _ in range(40):   # lines of whitespace, invisible characters and a letter or two, mixed
        pages.append("\n".join("".join(rnd.choice(edges) for _ in range(rnd.randint(0, 8)))
                               for _ in range(200)))
    pages += ["", "\n", "\u200b", " \u200b ", "\u200b x \u00ad", "\ufeff\u3000\ufeffa", "a\u200b \u200b",
              "\u2060\u2060", " \u00ad \u00ad x", "x\u200c\u200d ", "\u00a0\u200b\u00a0"]
    files = [CORPUS / "seed" / "southfront-ghouta.json", *sorted((CORPUS / "text-dev").glob("*.json"))]
    pages += [json.loads(f.read_text(encoding="utf-8"))["input"]["content"] for f in files if f.is_file()]
    return pages


def test_split_lines_equals_the_three_strips():
    pages = _pages()
    stripped = 0
    for page in pages:
        assert T.split_lines(page) == _reference(page), page[:80]
        stripped += sum(1 for raw in page.split("\n") if raw.strip() and raw.strip() != raw.strip().strip(T._INVISIBLE))
    assert len(pages) > 50 and stripped > 1000   # lines the invisible strip changes were there
