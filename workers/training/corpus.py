"""Source pages for training: the five HTML files of ``corpus/html-dev`` and ``corpus/text-dev``.

Every page becomes a ``SourcePage`` with its dataset, its site (the registrable domain of its
URL: the group of the site-split k-fold) and its page type. Pages without a URL (Dragnet,
Readability) take their site from the page's own canonical / ``og:url`` link, else from the
host most of its absolute links point to, else their own id (a site of one page).

Only ``../shared/corpus`` is read; the seed page (``corpus/seed``) is a test case and is never
read here.
"""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

# dataset name -> file in corpus/html-dev
HTML_FILES: dict[str, str] = {
    "dragnet": "dragnet-train.jsonl.gz",
    "wcxb": "wcxb-dev.jsonl.gz",
    "cleaneval": "cleaneval-dev.jsonl.gz",
    "cleanportaleval": "cleanportaleval.jsonl.gz",
    "readability": "readability.jsonl.gz",
}
TEXT_DEV = "text-dev"
HTML_DATASETS: tuple[str, ...] = tuple(HTML_FILES)
ALL_DATASETS: tuple[str, ...] = HTML_DATASETS + (TEXT_DEV,)

# Page type when the dataset does not give one: Dragnet and the portal set are news/blog
# articles; CleanEval and Readability's pages are of mixed kinds.
DEFAULT_PAGE_TYPE: dict[str, str] = {
    "dragnet": "article", "cleanportaleval": "article", "cleaneval": "mixed",
    "readability": "mixed", TEXT_DEV: "article",
}

# Second-level labels under a country TLD that are public suffixes themselves
# (bbc.co.uk -> the site is bbc.co.uk, not co.uk). A small list, not the whole PSL:
# enough to group the corpus's pages by site.
SECOND_LEVEL_SUFFIXES: frozenset[str] = frozenset({
    "co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go", "gob", "nic", "mil", "nom",
    "ltd", "plc", "sch", "info", "biz",
})
# Hosting platforms whose subdomains are separate sites (public-suffix list, private part):
# two blogs on blogspot.com are two sites.
PLATFORM_SUFFIXES: frozenset[str] = frozenset({
    "blogspot.com", "typepad.com", "wordpress.com", "tumblr.com", "livejournal.com", "github.io",
    "blogger.com", "substack.com", "wixsite.com", "weebly.com",
})
# Hosts that links point to without being the page's own site (shares, CDNs, ads).
FOREIGN_LINK_HOSTS: frozenset[str] = frozenset({
    "facebook.com", "twitter.com", "x.com", "google.com", "googleapis.com", "gstatic.com",
    "youtube.com", "linkedin.com", "pinterest.com", "reddit.com", "instagram.com", "addthis.com",
    "sharethis.com", "feedburner.com", "wordpress.org", "wordpress.com", "doubleclick.net",
    "stumbleupon.com", "digg.com", "delicious.com", "apple.com", "w3.org", "creativecommons.org",
    "disqus.com", "gravatar.com", "wp.com", "cloudfront.net", "amazonaws.com", "tumblr.com",
})

_CANONICAL = re.compile(
    r"<link\b[^>]*\brel\s*=\s*[\"']?canonical[^>]*>|<meta\b[^>]*\bproperty\s*=\s*[\"']?og:url[^>]*>", re.I)
_HREF = re.compile(r"\b(?:href|content)\s*=\s*[\"']?(https?://[^\"'\s>]+)", re.I)
_ABS_LINK = re.compile(r"\bhref\s*=\s*[\"']?https?://([^/\"'\s>:?#]+)", re.I)


@dataclass
class SourcePage:
    """One page of the corpus before flattening."""
    dataset: str
    id: str
    url: str | None
    site: str
    page_type: str
    content: str                       # HTML (html-dev) or the plain text (text-dev)
    content_type: str                  # "text/html" or "text/plain"
    gold: dict = field(default_factory=dict)


def corpus_dir(shared: Path) -> Path:
    """``shared`` may be ``../shared`` or ``../shared/corpus``."""
    shared = Path(shared)
    return shared / "corpus" if (shared / "corpus").is_dir() else shared


def registrable_domain(host: str | None) -> str | None:
    """``www.news.bbc.co.uk`` -> ``bbc.co.uk``; ``blog.example.com`` -> ``example.com``."""
    if not host:
        return None
    host = host.strip().lower().rstrip(".").split("@")[-1].split(":")[0]
    if not host or re.fullmatch(r"[\d.]+", host):
        return host or None
    parts = [p for p in host.split(".") if p]
    if len(parts) <= 2:
        return ".".join(parts)
    if ".".join(parts[-2:]) in PLATFORM_SUFFIXES or (len(parts[-1]) == 2 and parts[-2] in SECOND_LEVEL_SUFFIXES):
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def _url_site(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return registrable_domain(urlsplit(url.strip()).hostname)
    except ValueError:
        return None


def site_of(url: str | None, html: str | None, fallback: str) -> str:
    """The page's site: its URL's registrable domain, else its canonical / og:url link's,
    else the domain most of its absolute links point to (foreign hosts excluded)."""
    site = _url_site(url)
    if site:
        return site
    if html:
        head = html[:200_000]
        for m in _CANONICAL.finditer(head):
            href = _HREF.search(m.group(0))
            site = _url_site(href.group(1)) if href else None
            if site:
                return site
        counts = Counter(registrable_domain(h) for h in _ABS_LINK.findall(html))
        for dom, _n in counts.most_common():
            if dom and dom not in FOREIGN_LINK_HOSTS:
                return dom
    return fallback


def iter_html_pages(shared: Path, datasets: tuple[str, ...] = HTML_DATASETS) -> Iterator[SourcePage]:
    """The pages of the chosen html-dev files, in file order."""
    base = corpus_dir(shared) / "html-dev"
    for name in datasets:
        if name not in HTML_FILES:
            continue
        with gzip.open(base / HTML_FILES[name], "rt", encoding="utf-8") as fh:
            for raw in fh:
                obj = json.loads(raw)
                pid = str(obj["id"])
                html = obj.get("html") or ""
                yield SourcePage(
                    dataset=name, id=pid, url=obj.get("url"),
                    site=site_of(obj.get("url"), html, f"{name}:{pid}"),
                    page_type=obj.get("page_type") or DEFAULT_PAGE_TYPE[name],
                    content=html, content_type="text/html", gold=dict(obj.get("gold") or {}),
                )


def load_text_dev(shared: Path) -> list[SourcePage]:
    """The text-dev pages (exact per-line gold). Site = the URL's domain, else the page id."""
    out: list[SourcePage] = []
    for path in sorted((corpus_dir(shared) / TEXT_DEV).glob("*.json")):
        obj = json.loads(path.read_text(encoding="utf-8"))
        inp, exp = obj["input"], obj["expected"]
        pid = str(inp.get("id") or path.stem)
        out.append(SourcePage(
            dataset=TEXT_DEV, id=pid, url=inp.get("url"),
            site=_url_site(inp.get("url")) or f"{TEXT_DEV}:{pid}",
            page_type=DEFAULT_PAGE_TYPE[TEXT_DEV], content=inp["content"],
            content_type="text/plain", gold=dict(exp),
        ))
    return out


def input_files(shared: Path, datasets: tuple[str, ...] = ALL_DATASETS) -> list[Path]:
    """The files a build reads (for the cache key and for saying what is missing)."""
    base = corpus_dir(shared)
    files = [base / "html-dev" / HTML_FILES[d] for d in datasets if d in HTML_FILES]
    if TEXT_DEV in datasets:
        files += sorted((base / TEXT_DEV).glob("*.json"))
    return files
