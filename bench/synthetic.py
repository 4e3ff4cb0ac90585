"""Synthetic plain-text pages from many sites, for the memory benchmark.

Every site has its own template: a fixed block of chrome lines at the top (menu,
sign-in, newsletter call to action) and at the bottom (copyright, legal links,
social links), repeated verbatim on every page of that site, plus a byline format
and sometimes a comment section. The article text in between is fresh on every
page. So the site-template state of the strip stage sees, per site, lines that
repeat on every page (chrome) and lines that never repeat (content): what it must
learn, and what it must bound.

Deterministic: the same arguments give the same pages, byte for byte.
"""
from __future__ import annotations

import random
from typing import Iterator

_WORDS = (
    "council harbour ferry river station market school bridge library festival winter summer "
    "budget report survey volunteers residents season museum garden route schedule weather storm "
    "players coach match league final record city village county district hospital clinic "
    "research study data results committee meeting vote plan project funding history community "
    "north south east west morning evening weekend service delay repair opening closing review "
    "local national annual public private new old first last major minor early late open quiet"
).split()
_NAMES = ("Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jon", "Kai", "Lena",
          "Mo", "Nina", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tove")
_SECTIONS = ("News", "Sport", "Business", "Culture", "Opinion", "Travel", "Science", "Local", "Weather")


def _sentence(rng: random.Random, lo: int = 8, hi: int = 22) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


class _Site:
    def __init__(self, k: int, rng: random.Random):
        self.domain = f"site{k:03d}.example"
        self.name = f"The {rng.choice(_WORDS).title()} {rng.choice(('Gazette', 'Post', 'Courier', 'Herald', 'Times'))} {k}"
        sections = rng.sample(_SECTIONS, 6)
        self.top = [
            f"{self.name}",
            " | ".join(["Home", *sections]),
            f"Sign in | Register | Subscribe to {self.name}",
            f"Get the {self.name} morning briefing in your inbox",
            f"Search {self.domain}",
        ]
        self.bottom = [
            f"More from {self.name}",
            "About us | Contact | Advertise | Careers | Corrections",
            "Privacy policy | Terms of use | Cookie settings",
            f"Follow {self.name} on Mastodon, Bluesky and RSS",
            f"© 2024 {self.name} Media Group. All rights reserved.",
        ]
        self.byline = rng.choice(("By {a} | {d}", "{a} — {d}", "Posted on {d} by {a}", "Written by {a}, {d}"))
        self.has_comments = rng.random() < 0.5
        self.comment_head = rng.choice(("{n} comments", "Comments ({n})", "Join the discussion: {n} responses"))


def pages(n_docs: int = 10_000, n_sites: int = 200, seed: int = 7) -> Iterator[dict]:
    """Yield ``n_docs`` raw records (``documents.raw`` JSON objects) spread over
    ``n_sites`` sites, sites interleaved pseudo-randomly."""
    rng = random.Random(seed)
    sites = [_Site(k, rng) for k in range(n_sites)]
    for i in range(n_docs):
        site = sites[i % n_sites] if i < n_sites else rng.choice(sites)
        title = _sentence(rng, 5, 10).rstrip(".")
        date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines = list(site.top)
        lines += ["", title, site.byline.format(a=f"{rng.choice(_NAMES)} {rng.choice(_NAMES)}son", d=date), ""]
        for _ in range(rng.randint(4, 12)):
            lines.append(" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))))
            lines.append("")
        if site.has_comments:
            n = rng.randint(0, 5)
            lines.append(site.comment_head.format(n=n))
            for _ in range(n):
                lines += ["", f"{rng.choice(_NAMES).lower()}{rng.randint(1, 99)} says:", _sentence(rng, 6, 30)]
            lines.append("")
        lines += site.bottom
        slug = "-".join(title.lower().split()[:5])
        yield {
            "id": f"synth-{i:06d}",
            "url": f"https://{site.domain}/{date[:4]}/{date[5:7]}/{slug}-{i}",
            "content": "\n".join(lines),
            "content_type": "text/plain",
            "fetched_at": f"{date}T12:00:00Z",
            "source": "bench-synthetic",
        }
