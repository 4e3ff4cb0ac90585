"""The DOM walk's and the DOM feature matrix's faster forms compute what their plain
definitions compute (docs/performance.md, eighth round): the flag and itemprop columns as
block copies, the title-match column's first-word filter, the walker's attribute reads, and
the frames kept as one flat list."""
from __future__ import annotations

import random

import numpy as np
from selectolax.lexbor import LexborHTMLParser

from workers.core.heuristics import dom_features as D
from workers.core.stages import html_features as F
from workers.core.stages import html_walk as W
from workers.core.stages.html_classes import IP_ANY, IP_AUTHOR, IP_BODY, IP_COMMENT, IP_DATE, IP_HEADLINE

_CTX = {name: i for i, name in enumerate(W.CTX_FIELDS)}
_IP = (("itemprop_any", IP_ANY), ("itemprop_body", IP_BODY), ("itemprop_headline", IP_HEADLINE),
       ("itemprop_author", IP_AUTHOR), ("itemprop_date", IP_DATE), ("itemprop_comment", IP_COMMENT))


class _Walk:
    """A walker's outputs, random but consistent (frames: parents before children)."""

    def __init__(self, rng: random.Random, n: int):
        n_frames = rng.randint(1, 30)
        self.frames = [0, 0, 0, 0, 0, 0, 0]
        for f in range(1, n_frames):
            self.frames += [rng.randrange(f), 0, 0, 0, rng.randint(0, 5000), rng.randint(0, 900), rng.randint(0, 60)]
        self.ctx = []
        for _ in range(n):
            c = [rng.randint(0, 40) for _ in W.CTX_FIELDS]
            c[_CTX["flags"]] = rng.getrandbits(len(W.FLAG_NAMES))
            c[_CTX["itemprops"]] = rng.getrandbits(6)
            c[_CTX["frame"]] = rng.randrange(n_frames)
            c[_CTX["path"]] = rng.getrandbits(32)
            c[_CTX["class_crc"]] = rng.getrandbits(32)
            for k in ("cls_own", "cls_1", "cls_2", "cls_3"):
                c[_CTX[k]] = rng.getrandbits(D.CLASS_BUCKETS)
            self.ctx.append(tuple(c))
        self.counts = [(rng.randint(0, 50), rng.randint(0, 300), rng.randint(0, 20)) for _ in range(n)]
        reasons, hints = (None, W.DOM_REASON), (None, W.HINT_TITLE, W.HINT_COMMENT_AUTHOR, W.HINT_HEADING)
        self.lines = [["line %d" % i, rng.choice(reasons), rng.choice(hints), False, rng.random() < 0.2]
                      for i in range(n)]


def test_flag_and_itemprop_columns_equal_one_test_per_column():
    rng = random.Random(20261130)
    for _ in range(200):
        w = _Walk(rng, rng.randint(1, 80))
        out = F.feature_matrix(w, w.lines, set())
        flags = np.array([c[_CTX["flags"]] for c in w.ctx])
        ips = np.array([c[_CTX["itemprops"]] for c in w.ctx])
        for i, name in enumerate(W.FLAG_NAMES):
            assert (out[:, D.DOM_FEATURE_INDEX[name]] == ((flags >> i) & 1)).all(), name
        for name, bit in _IP:
            assert (out[:, D.DOM_FEATURE_INDEX[name]] == ((ips & bit) != 0)).all(), name
        # the container columns read the flat frames as the per-element lists they stand for
        rows = [w.frames[i:i + W.FRAME_WIDTH] for i in range(0, len(w.frames), W.FRAME_WIDTH)]
        for k, c in enumerate(w.ctx):
            parent = rows[rows[c[_CTX["frame"]]][0]]
            want = np.float32(np.log2(1.0 + parent[6]))
            assert out[k, D.DOM_FEATURE_INDEX["container_lines"]] == want


def _ref_title_match(lines: list[list], keys: set[str]) -> np.ndarray:
    """The column's definition: a line of a plausible length whose key is a title key."""
    out = np.zeros(len(lines), dtype=np.float32)
    if not keys:
        return out
    lo = max(F.MIN_TITLE_KEY, min(len(k) for k in keys) - 4)
    hi = max(len(k) for k in keys) + 12
    for i, ln in enumerate(lines):
        if lo <= len(ln[0]) <= hi and F.title_key(ln[0]) in keys:
            out[i] = 1.0
    return out


def test_title_match_equals_its_definition():
    rng = random.Random(7)
    words = ["The", "news", "İstanbul", "ΣΟΦΙΑ", "straße", "Über", "a", "x-ray", "day's", "2026", "Ünïcode", "ǅemal"]
    hits = 0
    for _ in range(400):
        titles = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(0, 3))]
        keys = F.title_keys({"title": " | ".join(titles)}) if titles else set()
        lines = []
        for _ in range(rng.randint(0, 40)):
            if titles and rng.random() < 0.3:
                text = rng.choice(titles)
                text = rng.choice([text, text.upper(), text + ".", "« " + text + " »", text.lower()])
            else:
                text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 9)))
            lines.append([text, None, None, False, False])
        got = F._title_match(lines, keys)
        assert (got == _ref_title_match(lines, keys)).all()
        hits += int(got.sum())
    assert hits > 100


def _walk(html: str) -> tuple:
    root = LexborHTMLParser(html).body
    w = W.Walker(root)
    w.walk(root)
    return w.lines, w.ctx, w.counts, w.frames, w.times


def test_empty_and_valueless_attributes_read_as_absent():
    """class/id/role/itemprop with an empty value or none walk as a page where the element
    carries another attribute instead (an element with attributes is never transparent)."""
    rng = random.Random(3)
    names = ("class", "id", "role", "itemprop")
    values = ("comments", "nav", "main", "article", "headline", "author", "sidebar footer", "entry-content",
              "banner", "commentlist", "post-title")
    tags = ("div", "span", "section", "p", "a", "li", "header", "footer", "h2", "aside", "article")
    for _ in range(150):
        parts_a, parts_b = [], []
        for _ in range(rng.randint(1, 25)):
            tag = rng.choice(tags)
            set_a, set_b = [], []
            for name in names:
                r = rng.random()
                if r < 0.25:
                    v = rng.choice(values)
                    set_a.append(f'{name}="{v}"')
                    set_b.append(f'{name}="{v}"')
                elif r < 0.4:
                    set_a.append(rng.choice((f'{name}=""', name)))  # (class=" " is not empty: its CRC is read)
                    set_b.append("data-x")
            attrs_a, attrs_b = " ".join(set_a), " ".join(set_b)
            text = rng.choice(("Some text here.", "By Jane", "Reply", "Home", "x"))
            end = f"</{tag}>" if rng.random() < 0.7 else ""
            parts_a.append(f"<{tag} {attrs_a}>{text}{end}")
            parts_b.append(f"<{tag} {attrs_b}>{text}{end}")
        assert _walk("<body>" + "".join(parts_a) + "</body>") == _walk("<body>" + "".join(parts_b) + "</body>")
