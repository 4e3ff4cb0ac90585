"""Experimental record-container columns for the hidden-copies harness (bench/hidden_copies_oof.py,
issue #10), appended to a page's rows; none is a model column. Block-level evidence without class
words: a comment thread and a board of posts are both a *record container* (a parent whose
element children of one tag repeat, each a record of a few lines), but the thread follows an
article (prose before the container, the container a minor share of the page's prose) while the
board is the page's content (the container holds most of its prose, nothing long before it).

A record container is found from tags and line counts alone (no class, id or itemprop), so the
copies' hiding (``bench/hidden_copies.py``) leaves every column as it is. Lines map to the DOM as
the HTML walk itself cuts them: the reference walk (``html_walk.Walker``) is run again with each
block element's node kept, and a line belongs to the block it opened in (its ``frame``). Measured
in docs/model.md ("Record-container columns with the copies").
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from selectolax.lexbor import LexborHTMLParser  # noqa: E402

from bench.hidden_copies import NOT_RECORDS  # noqa: E402
from bench.page_columns import PROSE_CHARS  # noqa: E402
from workers.core.stages.html import MAX_NESTING_WORK, nesting_work  # noqa: E402
from workers.core.stages.html_walk import CTX_FIELDS, Walker  # noqa: E402

# a record container: a parent with at least this many element children of one tag that hold lines
REPEAT_MIN = 3
# ... whose records hold on average at least this many lines (a post or comment has a head and a
# text; a comment's own head row of author / date / reply links is one line a record)
MIN_RECORD_LINES = 2.0
# ... and none of which holds more than this share of the records' characters (a page's layout
# columns, one of which is the content, are not a list of records)
MAX_RECORD_SHARE = 0.5
_FRAME = CTX_FIELDS.index("frame")
# what the columns are computed by (the functions and constants below, the HTML walk's module):
# bench/hidden_copies_oof.py keys its cache by page id, page content and ``code_hash()``, so a
# changed column definition is computed anew (the gates' thresholds are not part of it)
_WALK_FILE = ROOT / "workers" / "core" / "stages" / "html_walk.py"


def code_hash() -> str:
    """A hash of the columns' code: the source of every function computing them, the thresholds
    they read and the walk's module."""
    import inspect

    import selectolax
    h = hashlib.blake2b(digest_size=8)
    for f in COLUMN_CODE:
        h.update(inspect.getsource(f).encode())
    h.update(repr((REPEAT_MIN, MIN_RECORD_LINES, MAX_RECORD_SHARE, sorted(NOT_RECORDS), PROSE_CHARS,
                   MAX_NESTING_WORK, NAMES, selectolax.__version__)).encode())
    h.update(_WALK_FILE.read_bytes())
    return h.hexdigest()


class _NodeWalker(Walker):
    """The reference walk, keeping each block element's node (frame k: ``frame_nodes[k]``)."""

    __slots__ = ("frame_nodes",)

    def __init__(self, root=None) -> None:
        super().__init__(root)
        self.frame_nodes = [root]

    def enter(self, node, tag, attrs, state, is_block):
        if is_block:
            self.frame_nodes.append(node)
        return super().enter(node, tag, attrs, state, is_block)


def line_chains(html: str) -> tuple[list[str], list[list[int]], dict[int, str]]:
    """The walk's line texts, per line the mem_ids of its block and the block's ancestors (innermost
    first, up to the walk's root), and the tag of every node met."""
    tree = LexborHTMLParser(html)
    root = tree.body if tree.body is not None else tree.root
    if root is None:
        return [], [], {}
    w = _NodeWalker(root)
    w.walk(root)
    tags: dict[int, str] = {}
    memo: dict[int, list[int]] = {}
    chains = []
    for ctx in w.ctx:
        node = w.frame_nodes[ctx[_FRAME]]
        path, n = [], node
        while n is not None and n.mem_id not in memo:
            path.append(n)
            if n.mem_id == root.mem_id:
                break
            n = n.parent
        tail = memo.get(n.mem_id, []) if n is not None and n.mem_id in memo else []
        for k in range(len(path) - 1, -1, -1):
            tail = [path[k].mem_id] + tail
            memo[path[k].mem_id] = tail
            tags[path[k].mem_id] = path[k].tag or ""
        chains.append(memo[node.mem_id])
    return [ln[0] for ln in w.lines], chains, tags


def containers(chains: list[list[int]], tags: dict[int, str], chars: np.ndarray) -> dict[int, tuple[str, set[int]]]:
    """Record containers: mem_id -> (record tag, the records' mem_ids). A record's size for the
    balance leaves out the lines of records of its own tag nested in it (replies under a comment)."""
    lines: dict[int, dict[int, int]] = {}   # parent -> child -> lines
    for chain in chains:
        for child, parent in zip(chain, chain[1:]):
            kids = lines.setdefault(parent, {})
            kids[child] = kids.get(child, 0) + 1
    repeats: dict[int, set[str]] = {}      # parent -> tags of REPEAT_MIN or more children
    for parent, kids in lines.items():
        count: dict[str, int] = {}
        for child in kids:
            count[tags.get(child, "")] = count.get(tags.get(child, ""), 0) + 1
        repeats[parent] = {t for t, k in count.items() if k >= REPEAT_MIN}
    size: dict[int, dict[int, float]] = {}  # parent -> child -> characters (nested records aside)
    for chain, c in zip(chains, chars):
        nested: set[str] = set()
        for child, parent in zip(chain, chain[1:]):
            t = tags.get(child, "")
            sizes = size.setdefault(parent, {})
            sizes[child] = sizes.get(child, 0.0) + (0.0 if t in nested else c)
            if t in repeats[parent]:
                nested.add(t)
    out = {}
    for parent, kids in lines.items():
        groups: dict[str, list[int]] = {}
        for child in kids:
            t = tags.get(child, "")
            if t and t[0] != "-" and t not in NOT_RECORDS:
                groups.setdefault(t, []).append(child)
        if not groups:
            continue
        tag, recs = max(groups.items(), key=lambda kv: len(kv[1]))
        if len(recs) < REPEAT_MIN or sum(kids[r] for r in recs) < MIN_RECORD_LINES * len(recs):
            continue
        sizes = [size[parent][r] for r in recs]
        if max(sizes) > MAX_RECORD_SHARE * max(sum(sizes), 1.0):
            continue
        out[parent] = (tag, set(recs))
    return out


def line_containers(chains: list[list[int]], found: dict[int, tuple[str, set[int]]]) -> list[int | None]:
    """Per line, its record container: the innermost container one of whose records holds the line,
    then the enclosing ones of the same record tag and at least as many records (replies nested in
    a thread, a post's own parts in a board)."""
    out: list[int | None] = []
    for chain in chains:
        best = None
        for child, parent in zip(chain, chain[1:]):
            c = found.get(parent)
            if c is None or child not in c[1]:
                continue
            if best is None or (c[0] == found[best][0] and len(c[1]) >= len(found[best][1])):
                best = parent
        out.append(best)
    return out


def _largest_run_before(chars: np.ndarray) -> np.ndarray:
    """Per line, the characters of the largest run of consecutive prose lines that ends before it."""
    out = np.zeros(len(chars))
    best = run = 0.0
    for i, c in enumerate(chars):
        out[i] = best
        run = run + c if c else 0.0
        best = max(best, run)
    return out


def _records(chains: list[list[int]], owner: list[int | None]) -> list[int | None]:
    """Per line, the record of its container that holds it (the container's child on the line's chain)."""
    out: list[int | None] = []
    for chain, c in zip(chains, owner):
        out.append(None if c is None else chain[chain.index(c) - 1])
    return out


def container_values(texts: list[str], chains, tags) -> dict[str, np.ndarray]:
    n = len(texts)
    chars = np.array([len(t) if len(t) >= PROSE_CHARS else 0 for t in texts], dtype=np.float64)
    all_chars = np.array([len(t) for t in texts], dtype=np.float64)
    total = max(chars.sum(), 1.0)
    found = containers(chains, tags, all_chars)
    owner = line_containers(chains, found)
    cum = np.concatenate([[0.0], np.cumsum(chars)])
    run_before = _largest_run_before(chars)
    first: dict[int, int] = {}
    prose: dict[int, float] = {}
    for i, c in enumerate(owner):
        if c is not None:
            first.setdefault(c, i)
            prose[c] = prose.get(c, 0.0) + chars[i]
    vals = {k: np.zeros(n) for k in NAMES}
    for i, c in enumerate(owner):
        if c is None:
            continue
        f = first[c]
        vals["ctr_in"][i] = 1.0
        vals["ctr_records"][i] = np.log2(1 + len(found[c][1]))
        vals["ctr_prose_share"][i] = prose[c] / total
        vals["ctr_prose_before"][i] = cum[f] / total
        vals["ctr_run_before"][i] = run_before[f] / total
        vals["ctr_run_before_chars"][i] = np.log2(1.0 + run_before[f])
    record_values(vals, owner, _records(chains, owner), chars, all_chars, total)
    return vals


def record_values(vals: dict[str, np.ndarray], owner, record, prose: np.ndarray, chars: np.ndarray,
                  total: float) -> None:
    """The per-record columns (REC_NAMES) into ``vals``: each line's record in its container, in
    document order of the records' first lines, sized by the characters (all, and prose) of the
    lines the container owns in it (nested replies count in the record that holds them)."""
    order: dict[int, list[int]] = {}                 # container -> its records, first line first
    size: dict[int, list[float]] = {}                # record -> [characters, prose characters]
    for i, (c, r) in enumerate(zip(owner, record)):
        if c is None:
            continue
        if r not in size:
            order.setdefault(c, []).append(r)
            size[r] = [0.0, 0.0]
        size[r][0] += chars[i]
        size[r][1] += prose[i]
    per: dict[int, tuple] = {}                       # record -> (index, prose before, largest before)
    box: dict[int, tuple] = {}                       # container -> (median, first's shares, first ratio)
    for c, recs in order.items():
        ch = np.array([size[r][0] for r in recs])
        pr = np.array([size[r][1] for r in recs])
        rest = np.median(ch[1:]) if len(ch) > 1 else 0.0
        box[c] = (float(np.median(ch)), pr[0] / pr.sum() if pr.sum() else 0.0, ch[0] / max(ch.sum(), 1.0),
                  np.log2((1.0 + ch[0]) / (1.0 + rest)))
        before = np.concatenate([[0.0], np.cumsum(pr)[:-1]])
        largest = np.concatenate([[float(np.median(ch))], np.maximum.accumulate(ch)[:-1]])
        for k, r in enumerate(recs):
            per[r] = (k, before[k], largest[k])
    for i, (c, r) in enumerate(zip(owner, record)):
        if c is None:
            continue
        k, before, largest = per[r]
        median, first_prose, first_chars, first_ratio = box[c]
        vals["rec_index"][i] = np.log2(1.0 + k)
        vals["rec_is_first"][i] = float(k == 0)
        vals["rec_first_prose"][i] = first_prose
        vals["rec_first_chars"][i] = first_chars
        vals["rec_first_ratio"][i] = first_ratio
        vals["rec_prose_before"][i] = before / total
        vals["rec_size"][i] = np.log2((1.0 + size[r][0]) / (1.0 + median))
        vals["rec_largest_before"][i] = np.log2((1.0 + largest) / (1.0 + median))


# in a record container; log2(1 + its records); its share of the page's prose; the page's prose
# before its first line; the largest run of prose lines before it (share, log2 characters)
CTR_NAMES = ("ctr_in", "ctr_records", "ctr_prose_share", "ctr_prose_before", "ctr_run_before",
             "ctr_run_before_chars")
# per record (0 outside a container): log2(1 + the line's record's index in its container); its
# record is the first; the first record's share of the container's prose and characters; log2 of
# the first record's characters over the median of the others' ("an article, then comments");
# the prose in the container's earlier records (share of the page's); log2 of the line's record's
# characters over the container's median record; log2 of the largest earlier record's characters over
# the container's median record (0 on the first record)
REC_NAMES = ("rec_index", "rec_is_first", "rec_first_prose", "rec_first_chars", "rec_first_ratio",
             "rec_prose_before", "rec_size", "rec_largest_before")
NAMES = CTR_NAMES + REC_NAMES


def columns(html: str | None, page, names: tuple[str, ...]) -> np.ndarray:
    """The page's rows of the named columns; NaN without HTML, when the walk is the fallback one,
    or when the walk's lines are not the page's."""
    n = len(page.lines)
    nan = np.full((n, len(names)), np.nan, dtype=np.float32)
    if not html or not html.strip() or n == 0 or nesting_work(html) > MAX_NESTING_WORK:
        return nan
    texts, chains, tags = line_chains(html)
    if texts != [ln.text for ln in page.lines]:
        return nan
    vals = container_values(texts, chains, tags)
    return np.stack([vals[c] for c in names], axis=1).astype(np.float32)


# the code of the columns, hashed by ``code_hash``
COLUMN_CODE = (_NodeWalker, line_chains, containers, line_containers, _largest_run_before, _records,
               container_values, record_values, columns)


def per_set(pages, rows: dict[str, np.ndarray]) -> list[dict]:
    """Per data set and line group (body, comment text and head, other), the share of lines in a
    container and the columns' medians there: a column that names the data set shows here."""
    from workers.core.labeller.labels import BODY, COMMENT_HEAD, COMMENT_TEXT
    group = {BODY: "body", COMMENT_TEXT: "comment", COMMENT_HEAD: "comment"}
    acc: dict[tuple[str, str], list] = {}
    for p in pages:
        x = rows.get(p.page_id)
        if x is None or np.isnan(x).all():
            continue
        for lab, r in zip(p.labels, x):
            acc.setdefault((p.dataset, group.get(lab, "other")), []).append(r)
    out = []
    for (ds, g), v in sorted(acc.items()):
        a = np.array(v)
        inside = a[a[:, 0] == 1]
        row = {"set": ds, "lines": g, "n": len(a), "in": round(float(inside.shape[0] / len(a)), 3)}
        for k, c in enumerate(NAMES[1:], 1):
            row[c] = round(float(np.median(inside[:, k])), 3) if len(inside) else None
        out.append(row)
    return out


# CleanEval pages whose content is a series of dated, signed posts (docs/model.md)
POST_SERIES_PAGES = (19, 27, 33)


# ``--container-gate``: comment labels become body on the lines of a record container that holds
# at least this share of the page's prose with no prose line before it (a board, not a thread
# under an article), a decode-time rule over these columns (bench/hidden_copies_oof.py)
GATE_SHARE = 0.5
_BOARD = [NAMES.index(c) for c in ("ctr_in", "ctr_prose_share", "ctr_run_before_chars")]


def board_lines(x: np.ndarray, share: float = GATE_SHARE) -> np.ndarray:
    """Per line (rows of ``columns`` with every name of NAMES), whether the gate takes it: in a
    container of ``share`` or more of the page's prose, with no prose run before the container."""
    inside, prose_share, run = (x[:, k] for k in _BOARD)
    return (inside == 1) & (prose_share >= share) & (run == 0)


# ``--gates record``: the board gate, unless the container's first record has at least this many
# times the characters of the median of its other records (an article that is the first record of
# the container its comments are in; a board's first post is one post among posts)
FIRST_RATIO = 4.0
_FIRST = NAMES.index("rec_first_ratio")


def record_board_lines(x: np.ndarray, share: float = GATE_SHARE, ratio: float = FIRST_RATIO) -> np.ndarray:
    """``board_lines`` without the containers whose first record is ``ratio`` times the others' median."""
    return board_lines(x, share) & (x[:, _FIRST] < np.log2(ratio))


# ``--gates earlier``: the board gate, unless an earlier record of the line's container has at least
# this many times the characters of the container's median record (the article before its comments,
# first record or not; a board's earlier posts are posts of a size)
EARLIER_RATIO = 4.0
_EARLIER = NAMES.index("rec_largest_before")


def earlier_board_lines(x: np.ndarray, share: float = GATE_SHARE, ratio: float = EARLIER_RATIO) -> np.ndarray:
    """``board_lines`` without the lines after a record ``ratio`` times the container's median record."""
    return board_lines(x, share) & (x[:, _EARLIER] < np.log2(ratio))


GATES = {"board": board_lines, "record": record_board_lines, "earlier": earlier_board_lines}


def gated_threads(pages, rows: dict[str, np.ndarray], share: float, gate=board_lines) -> dict[str, int]:
    """Where a gate (``board_lines``: a container of ``share`` or more of the prose, no prose line
    before it; or ``record_board_lines``) meets Dragnet's gold comment lines: how many, on how many
    pages, and on how many of those the page's body lines are in the gated container too (the
    article a record)."""
    out = {"pages with comments": 0, "comment lines": 0, "gated": 0, "gated pages": 0, "article inside": 0}
    for p in pages:
        x = rows.get(p.page_id)
        lab = np.array(p.labels, dtype=str)
        com = np.char.startswith(lab, "comment")
        if p.dataset != "dragnet" or x is None or not com.any():
            continue
        board = gate(x, share)
        out["pages with comments"] += 1
        out["comment lines"] += int(com.sum())
        out["gated"] += int((com & board).sum())
        if (com & board).any():
            out["gated pages"] += 1
            out["article inside"] += bool(((lab == "body") & board).any())
    return out


def gated_records(pages, rows: dict[str, np.ndarray], share: float = GATE_SHARE) -> list[dict]:
    """Per page whose lines the board gate takes (Dragnet pages with gold comments, and every
    non-Dragnet page), the gated container's record evidence: its records, the first record's
    share of its prose and characters, the first record over the others' median (log2), and
    whether the gold body lines are in its first record."""
    idx = {c: NAMES.index(c) for c in NAMES}
    out = []
    for p in pages:
        x = rows.get(p.page_id)
        if x is None or not len(x):
            continue
        lab = np.array(p.labels, dtype=str)
        board = board_lines(x, share)
        com = np.char.startswith(lab, "comment")
        if not board.any() or (p.dataset == "dragnet" and not (com & board).any()):
            continue
        g = x[board]
        body_first = ((lab == "body") & board & (x[:, idx["rec_is_first"]] == 1)).any()
        out.append({"page": p.page_id, "set": p.dataset, "gated": int(board.sum()),
                    "gated comments": int((com & board).sum()), "gated body": int(((lab == "body") & board).sum()),
                    "records": round(float(2 ** g[:, idx["ctr_records"]].max() - 1)),
                    "first prose": round(float(g[0, idx["rec_first_prose"]]), 2),
                    "first chars": round(float(g[0, idx["rec_first_chars"]]), 2),
                    "first ratio": round(float(g[0, idx["rec_first_ratio"]]), 2),
                    "body in first": bool(body_first)})
    return out
