"""Read the held-out pages of tests/data/heldout/, heldout2/ (text), heldout3/ (HTML) and heldout4/ (pages
without main content, HTML and text; see their READMEs) into gold cases. Evaluation only: never training data."""
from __future__ import annotations

import json
from pathlib import Path

HELDOUT = Path(__file__).resolve().parent / "data" / "heldout"
HELDOUT2 = Path(__file__).resolve().parent / "data" / "heldout2"


def parse_page(path: Path, prefix: str = "heldout-") -> dict:
    head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    meta = {}
    for line in head.splitlines():
        k, _, v = line.partition(":")
        v = v.strip()
        meta[k.strip()] = None if v == "null" else v
    lines: list[str] = []
    expected = {"title": None, "body_paragraphs": [], "comments": [], "boilerplate_lines": [],
                "language": meta["language"], "published_at": meta["published_at"],
                "site_name": meta["site_name"], "notes": meta.get("notes")}
    for raw in body.rstrip("\n").split("\n"):
        if not raw.strip():
            lines.append("")
            continue
        tag, _, rest = raw.partition("|")
        if tag == "A":
            author, _, text = rest.partition("|")
            lines.append(text)
            expected["comments"].append({"author": author, "text": []})
            continue
        lines.append(rest)
        if tag == "T":
            expected["title"] = rest
        elif tag == "B":
            expected["body_paragraphs"].append(rest)
        elif tag == "X":
            expected["boilerplate_lines"].append(rest)
        elif tag == "N":
            expected["comments"].append({"author": None, "text": [rest]})
        elif tag == "C":
            expected["comments"][-1]["text"].append(rest)
        else:
            raise ValueError(f"{path.name}: unknown label {tag!r}")
    for c in expected["comments"]:
        c["text"] = "\n\n".join(c["text"])
    content = "\n".join(lines) + "\n"
    return {"input": {"id": prefix + path.stem, "url": meta["url"], "content_type": "text/plain",
                      "content": content, "fetched_at": meta["fetched_at"]},
            "expected": expected}


def heldout_cases() -> list[dict]:
    return [parse_page(p) for p in sorted(HELDOUT.glob("*.page"))]


def heldout2_cases() -> list[dict]:
    """The second held-out set (tests/data/heldout2/): more widgets, languages and page kinds.
    Ids are "heldout2-<file stem>" so they never collide with the first set's."""
    return [parse_page(p, "heldout2-") for p in sorted(HELDOUT2.glob("*.page"))]


HELDOUT3 = Path(__file__).resolve().parent / "data" / "heldout3"


def heldout3_pages() -> list[dict]:
    """The blind HTML set (tests/data/heldout3/): one ``<stem>.html`` page and its gold
    ``<stem>.json`` each, as records shaped like ``../shared/corpus/html-dev``'s
    (``{"id", "dataset", "url", "page_type", "html", "gold"}``), so the HTML evaluations score
    them like the other sets. Gold: ``content`` (title + main text, paragraphs joined by a blank
    line), ``comments`` (the comment texts, joined likewise), ``comment_list`` (each comment's
    ``author``, ``text`` and ``reply_to``: the index of its parent in that list, or null),
    ``title``, ``author``, ``publish_date``, ``language``, ``notes``. Ids are
    "heldout3-<file stem>". Evaluation only: never training data."""
    return _html_pages(HELDOUT3, "heldout3")


HELDOUT4 = Path(__file__).resolve().parent / "data" / "heldout4"


def heldout4_text_cases() -> list[dict]:
    """The plain-text pages of the blind set without main content (tests/data/heldout4/*.page):
    gold like ``heldout2_cases()``: title None, no body, no comments, every line boilerplate.
    Ids are "heldout4-<file stem>". Evaluation only: never training data."""
    return [parse_page(p, "heldout4-") for p in sorted(HELDOUT4.glob("*.page"))]


def heldout4_pages() -> list[dict]:
    """The HTML pages of the blind set without main content (tests/data/heldout4/*.html and
    their .json gold, heldout3's format), as records shaped like ``heldout3_pages()``'s
    (``content`` and ``comments`` "" when the gold lists are empty, ``title`` None here).
    Ids are "heldout4-<file stem>", dataset "heldout4". Evaluation only: never training data."""
    return _html_pages(HELDOUT4, "heldout4")


def _html_pages(folder: Path, dataset: str) -> list[dict]:
    """Every ``<stem>.html`` of ``folder`` with its ``<stem>.json`` gold (heldout3's format), as
    records ``{"id": "<dataset>-<stem>", "dataset", "url", "page_type", "html", "gold"}``."""
    pages = []
    for path in sorted(folder.glob("*.html")):
        g = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        comments = [{"author": c["author"], "text": "\n\n".join(_paras(c["text"])), "reply_to": c.get("reply_to")}
                    for c in g["comments"]]
        gold = {"content": "\n\n".join(_paras(g["content"])), "comments": "\n\n".join(c["text"] for c in comments),
                "comment_list": comments, "title": g["title"], "author": g["author"],
                "publish_date": g["publish_date"], "language": g["language"], "notes": g["notes"]}
        pages.append({"id": f"{dataset}-{path.stem}", "dataset": dataset, "url": g["url"],
                      "page_type": g["page_type"], "html": path.read_text(encoding="utf-8"), "gold": gold})
    return pages


def _paras(text: str | list[str]) -> list[str]:
    return [text] if isinstance(text, str) else list(text)
