"""Page-shape counts for the page kind (``html_meta["dom_stats"]``, read by
``workers/core/stages/page_kind_model.py``): how much of the page, outside its chrome, is
repeated linked entries. A listing or a collection is a grid of teasers or product tiles: many
lines that are mostly link text, in a few repeated slots (the same tag path and class), often
linked headings; an article or a service page has few. Computed from the walk's per-line
context in one pass (no DOM access).
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from workers.core.stages.html_walk import CTX_FIELDS, FLAG_BIT, Walker

# ancestors that make a line page chrome for these counts (menus and footers repeat links too)
CHROME_FLAGS = FLAG_BIT["anc_nav"] | FLAG_BIT["anc_footer"] | FLAG_BIT["anc_header"] | FLAG_BIT["anc_aside"] \
    | FLAG_BIT["anc_role_chrome"]
# a line is a link when at least this share of its characters is link text
LINK_LINE_SHARE = 0.6
# a repeated slot: at least this many link lines share a tag path and class
MIN_SLOT_LINES = 4
_FLAGS, _PATH, _CLASS, _HEADING = (CTX_FIELDS.index(f) for f in ("flags", "path", "class_crc", "heading_level"))


def page_shape(w: Walker) -> dict[str, Any]:
    """``link_lines`` (share of non-chrome lines that are links), ``slot_share`` (share of
    non-chrome lines that are links in a repeated slot), ``linked_headings`` (h2-h6 lines
    that are links), ``headings`` (h2-h6 lines), all outside chrome."""
    total = links = linked_headings = headings = 0
    slots: Counter = Counter()
    for ctx, (link_chars, chars, _n) in zip(w.ctx, w.counts):
        if ctx[_FLAGS] & CHROME_FLAGS:
            continue
        total += 1
        is_link = chars > 0 and link_chars >= LINK_LINE_SHARE * chars
        level = ctx[_HEADING]
        if level >= 2:
            headings += 1
            linked_headings += is_link
        if is_link:
            links += 1
            slots[(ctx[_PATH], ctx[_CLASS])] += 1
    in_slots = sum(n for n in slots.values() if n >= MIN_SLOT_LINES)
    return {"link_lines": round(links / total, 4) if total else 0.0,
            "slot_share": round(in_slots / total, 4) if total else 0.0,
            "linked_headings": linked_headings, "headings": headings}
