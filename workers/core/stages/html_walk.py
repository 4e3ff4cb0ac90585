"""The DOM walk: a parsed page -> WET-like lines, the DOM rules' verdicts, per-line DOM context.

One iterative pass (an explicit stack, never Python recursion) over the Lexbor tree
(selectolax's binding: its node objects are cheap to create, which makes the walk several
times faster than through other bindings of the same parser). Every node is visited once;
the only subtree operations are the containment checks of *candidate chrome* elements
(``workers.core.stages.html_chrome``), capped per page (``MAX_SUBTREE_CHECKS``), so the cost
is linear in the page size.

``Walker.walk`` is the reference: when the compiled ``_domwalk`` is built, ``native_walk`` makes
the same walk in C (``_domwalk_lines.c`` follows ``walk``, ``enter``, ``flush`` and ``_add`` step
for step, ``_domwalk_chrome.c`` ``html_chrome.dom_reason``; a change here is made there too, and
tests/test_native_walk.py compares the two).

Per line the walker keeps, next to ``[text, reason, hint, is_h1, title_marked]``, the
numeric context of its block (``CTX_FIELDS``) and its link/character counts; the feature
matrix is assembled from those in a few numpy passes (``workers.core.stages.html_features``).

All tag / class / id rules are named data in ``workers.core.stages.html_rules``.
"""
from __future__ import annotations

import re
import zlib

from workers.core.heuristics import dom_features as D
from workers.core.stages import html_rules as R
from workers.core.stages.html_chrome import CHROME_TAGS, DOM_REASON, MAX_SUBTREE_CHECKS, dom_reason  # noqa: F401
from workers.core.stages.html_classes import (IP_ANY, IP_AUTHOR, IP_BODY, IP_COMMENT, IP_DATE,  # noqa: F401
                                              IP_HEADLINE, NO_CLASS, class_info, itemprop_bits)

HINT_COMMENTS = "comments"
HINT_COMMENT_AUTHOR = "comment-author"
HINT_HEADING = "heading"
HINT_LIST_ITEM = "list-item"
HINT_TITLE = "title"

# A comment author line longer than this is a comment paragraph that merely
# contains an author element, not an author line.
MAX_AUTHOR_LINE = 120
# an inline style that hides the element (with a `hidden` attribute: the walk skips its subtree)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


# --- numeric line context (bit flags and the fields of the ``ctx`` tuple) ------------------

# ancestor kinds (dom_features "anc_*" / "in_*" columns) -> bit
FLAG_NAMES: tuple[str, ...] = (
    "anc_nav", "anc_aside", "anc_header", "anc_footer", "anc_form", "anc_main", "anc_article", "anc_section",
    "anc_role_chrome", "anc_button", "anc_blockquote", "anc_pre", "anc_figure", "anc_address", "anc_time",
    "anc_link", "in_li", "in_cell",
)
FLAG_BIT: dict[str, int] = {name: 1 << i for i, name in enumerate(FLAG_NAMES)}
# tag -> the ancestor kind it opens
TAG_FLAG: dict[str, int] = {
    "nav": FLAG_BIT["anc_nav"], "aside": FLAG_BIT["anc_aside"], "header": FLAG_BIT["anc_header"],
    "footer": FLAG_BIT["anc_footer"], "form": FLAG_BIT["anc_form"], "main": FLAG_BIT["anc_main"],
    "article": FLAG_BIT["anc_article"], "section": FLAG_BIT["anc_section"], "button": FLAG_BIT["anc_button"],
    "label": FLAG_BIT["anc_button"], "blockquote": FLAG_BIT["anc_blockquote"], "pre": FLAG_BIT["anc_pre"],
    "code": FLAG_BIT["anc_pre"], "figure": FLAG_BIT["anc_figure"], "figcaption": FLAG_BIT["anc_figure"],
    "address": FLAG_BIT["anc_address"], "time": FLAG_BIT["anc_time"], "a": FLAG_BIT["anc_link"],
    "li": FLAG_BIT["in_li"], "dd": FLAG_BIT["in_li"], "dt": FLAG_BIT["in_li"], "td": FLAG_BIT["in_cell"],
    "th": FLAG_BIT["in_cell"],
}
_LIST_TAGS = frozenset({"ul", "ol", "dl"})
_ROLE_MAIN = FLAG_BIT["anc_main"]
_ROLE_ARTICLE = FLAG_BIT["anc_article"]
_ROLE_CHROME = FLAG_BIT["anc_role_chrome"]
_BLOCK_CODE = {t: i + 1 for i, t in enumerate(D.BLOCK_TAG_CODES)}
_HEADING_LEVEL = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_HEADING_TAGS = R.HEADING_TAGS
# a lower-cased role's ancestor flag: a chrome role first (it wins), else main / article
_ROLE_FLAG = {"main": _ROLE_MAIN, "article": _ROLE_ARTICLE, **dict.fromkeys(D.CHROME_ROLES, _ROLE_CHROME)}
_ARTICLE_ITEMPROPS = R.ARTICLE_ITEMPROPS
# the tags html_chrome.dom_reason may mark without a role or a class/id marker
_CHROME_TAGS = frozenset(CHROME_TAGS)
# fields of one block element in ``Walker.frames`` (a flat list, FRAME_WIDTH ints per element)
FRAME_WIDTH = 7

# ctx tuple of a frame state: one int per field, converted to a matrix in one numpy call
CTX_FIELDS: tuple[str, ...] = ("flags", "depth", "frame", "path", "lists", "tables", "itemprops",
                               "cls_own", "cls_1", "cls_2", "cls_3", "class_crc", "heading_level",
                               "block_code", "start_code", "level", "comments")
_ROOT_CTX = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, _BLOCK_CODE["body"], _BLOCK_CODE["body"], 0, 0)
# Frame state: (reason, level, comments, author, heading, li, pre, title_marked, in_link, ctx)
# level: 0 page, 1 inside <main>, 2 inside the article (<article>, articleBody, entry-content)
_ROOT_STATE = (None, 0, False, False, None, False, False, False, False, _ROOT_CTX)


# tag -> CRC-32 of its name (the path hash's step), filled as tags are met; bounded, as custom
# element names are unbounded
_TAG_CODES: dict[str, int] = {}
_MAX_TAG_CODES = 4096


def _tag_code(tag: str) -> int:
    code = _TAG_CODES.get(tag)
    if code is None:
        if len(_TAG_CODES) >= _MAX_TAG_CODES:
            _TAG_CODES.clear()
        code = _TAG_CODES[tag] = zlib.crc32(tag.encode())
    return code


class Walker:
    """One pass over the tree under ``root``; results in ``lines`` (``[text, reason, hint,
    is_h1, title_marked]``), ``ctx`` (the ``CTX_FIELDS`` tuple per line), ``counts``
    (``(link_chars, chars, links)`` per line) and ``frames`` (per block element, ``FRAME_WIDTH``
    ints of one flat list: parent frame, chars at open, link chars at open, lines at open,
    chars, link chars, lines; frame 0 is the root)."""

    __slots__ = ("lines", "ctx", "counts", "frames", "buf", "buf_state", "buf_author", "buf_chars",
                 "buf_link", "chars", "link_chars", "n_links", "n_links_seen", "checks", "page_chars", "root", "times")

    def __init__(self, root=None) -> None:
        self.root = root
        self.page_chars = -1  # text length of the page, computed when first needed
        self.lines: list[list] = []
        self.ctx: list[tuple] = []
        self.counts: list[tuple] = []
        self.frames: list[int] = [0, 0, 0, 0, 0, 0, 0]
        self.buf: list[str] = []
        self.buf_state: tuple | None = None
        self.buf_author = False
        self.buf_chars = 0
        self.buf_link = 0
        self.chars = 0
        self.link_chars = 0
        self.n_links = 0
        self.n_links_seen = 0
        self.checks = MAX_SUBTREE_CHECKS
        # <time datetime> elements: (datetime, level, in comments, DOM reason, line index)
        self.times: list[tuple] = []

    # --- line assembly ------------------------------------------------------------

    def add_text(self, text: str, state: tuple) -> None:
        if state[6] and "\n" in text:  # <pre>: keep its line breaks
            parts = text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self.flush()
                self._add(part, state)
            return
        self._add(text, state)

    def _add(self, text: str, state: tuple) -> None:
        if not text:
            return
        if self.buf_state is None:
            if text.isspace():
                return
            self.buf_state = state
        if state[3]:
            self.buf_author = True
        self.buf.append(text)
        n = len(text)
        self.buf_chars += n
        if state[8]:
            self.buf_link += n

    def flush(self) -> None:
        st = self.buf_state
        if st is None:
            self.buf.clear()
            return
        text = " ".join("".join(self.buf).split())
        self.buf.clear()
        self.buf_state = None
        author = self.buf_author
        self.buf_author = False
        chars, link = self.buf_chars, self.buf_link
        self.buf_chars = self.buf_link = 0
        if not text:
            return
        reason, _level, comments, _a, heading, li, _pre, title_marked, _link, ctx = st
        if comments and author and len(text) <= MAX_AUTHOR_LINE:
            hint = HINT_COMMENT_AUTHOR
        elif comments:
            hint = HINT_COMMENTS
        elif heading:
            hint = HINT_HEADING
        elif li:
            hint = HINT_LIST_ITEM
        else:
            hint = None
        self.lines.append([text, reason, hint, heading == "h1", title_marked and bool(heading)])
        self.ctx.append(ctx)
        self.counts.append((link, chars, self.n_links - self.n_links_seen))
        self.n_links_seen = self.n_links
        self.chars += chars
        self.link_chars += link

    # --- element state -------------------------------------------------------------

    def enter(self, node, tag: str, attrs: dict, state: tuple, is_block: bool) -> tuple:
        reason, level, comments, author, heading, li, pre, title_marked, in_link, ctx = state
        flags, depth, frame, path, lists, tables, ips, co, c1, c2, c3, ccrc, hl, bcode, _s, _l, _c = ctx
        code = _TAG_CODES.get(tag)
        path = (path * 31 + (_tag_code(tag) if code is None else code)) & 0xFFFFFFFF
        flags |= TAG_FLAG.get(tag, 0)
        if tag in _LIST_TAGS:
            lists += 1
        elif tag == "table":
            tables += 1
        elif tag == "a":
            in_link = True
            self.n_links += 1
        ci = NO_CLASS
        role = itemprop = ""
        if attrs:
            # (an attribute without a value reads None: as absent, or as the empty value)
            cls, ident = attrs.get("class"), attrs.get("id")
            if cls or ident:  # class_info of empty ones is NO_CLASS
                ci = class_info(cls, ident)
                if ci[0]:
                    co, c1, c2, c3, ccrc = ci[1], co, c1, c2, ci[2]
            role = attrs.get("role") or ""
            if role:
                role = role.lower()
                flags |= _ROLE_FLAG.get(role, 0)
            itemprop = attrs.get("itemprop") or ""
            if itemprop:
                itemprop = itemprop.lower()
                ips |= itemprop_bits(itemprop)
        tokens = ci[0]

        # the article: nothing inside gets a DOM reason (IN_BODY_MARKERS aside)
        if reason is None:
            if tag == "article" or role == "article" or itemprop in _ARTICLE_ITEMPROPS:
                level = 2
            elif tag == "main" or role == "main":
                level = max(level, 1)
            elif ci[3]:
                level = 2

        if tokens:
            if not comments and ci[4]:
                comments = True
            elif comments and not author and ci[5]:
                author = True
        if comments and (itemprop == "author" or tag == "cite"):   # <cite>: the commenter's name (WordPress)
            author = True
        if tag == "time" and attrs and attrs.get("datetime"):
            self.times.append((attrs["datetime"], level, comments, reason, len(self.lines)))

        # dom_reason answers None, without a subtree check, unless the element is a chrome tag, has
        # a role, or a class/id marker of its level outside comment sections: asked only then
        if reason is None and (tokens or is_block or role) and (
                role or tag in _CHROME_TAGS or tokens and not comments and ci[8][level] is not None):
            reason = dom_reason(self, node, tag, ci, role, level, comments)

        title_class = itemprop == "headline" or ci[6]
        if tag in _HEADING_TAGS:
            heading = tag
            hl = _HEADING_LEVEL[tag]
            if title_class and not comments:
                title_marked = True
        elif tag == "li":
            li = True
        elif tag == "pre":
            pre = True
        if not title_marked and not comments and title_class:
            title_marked = True
        start = _BLOCK_CODE.get(tag, 0)
        if is_block:
            bcode = start
            frames = self.frames
            n = len(frames)
            frames += (frame, self.chars, self.link_chars, len(self.lines), 0, 0, 0)
            frame = n // FRAME_WIDTH
        ctx = (flags, depth + 1, frame, path, lists, tables, ips, co, c1, c2, c3, ccrc, hl, bcode,
               start, level, 1 if comments else 0)
        return (reason, level, comments, author, heading, li, pre, title_marked, in_link, ctx)

    # --- traversal -------------------------------------------------------------------

    def walk(self, root) -> None:
        stack: list[tuple] = []  # (element, tag, state of its parent, its frame's offset in frames or -1)
        state = _ROOT_STATE
        node = root.child
        skip_tags = R.SKIP_TAGS
        block_tags = R.BLOCK_TAGS
        break_tags = R.BREAK_TAGS
        frames = self.frames
        tag_flag = TAG_FLAG
        buf_append = self.buf.append
        while node is not None:
            tag = node.tag
            if tag == "-text":
                text = node.text_content
                if state[6]:
                    self.add_text(text, state)
                elif text and (self.buf_state is not None or not text.isspace()):
                    # self._add(text, state), inlined (one call per text node saved)
                    if self.buf_state is None:
                        self.buf_state = state
                    if state[3]:
                        self.buf_author = True
                    buf_append(text)
                    self.buf_chars += len(text)
                    if state[8]:
                        self.buf_link += len(text)
            elif tag and tag[0] != "-" and tag not in skip_tags:
                child = node.child
                is_block = tag in block_tags
                # an empty element matters only as a break in the open line (<br>, <img> in
                # a block list): otherwise its attributes are never read
                if child is not None or (self.buf_state is not None and (is_block or tag in break_tags)):
                    attrs = node.attributes
                    hidden = False
                    if attrs:
                        if "hidden" in attrs:
                            hidden = True
                        elif "style" in attrs:
                            style = attrs["style"] or ""
                            if "none" in style or "hidden" in style:
                                hidden = bool(HIDDEN_STYLE.search(style))
                else:
                    hidden = True  # nothing to do for it (skipped like a hidden element)
                if not hidden:
                    if self.buf_state is not None and (is_block or tag in break_tags):
                        self.flush()
                    if child is not None:
                        # inline elements without attributes (b, em, span ...) are transparent
                        if attrs or is_block or tag in tag_flag:
                            new_state = self.enter(node, tag, attrs, state, is_block)
                        else:
                            new_state = state
                        stack.append((node, tag, state, new_state[9][2] * FRAME_WIDTH if is_block else -1))
                        state = new_state
                        node = child
                        continue
            # next node: sibling, or climb until an ancestor has a sibling
            while True:
                nxt = node.next
                if nxt is not None:
                    node = nxt
                    break
                if not stack:
                    node = None
                    break
                node, tag, state, at = stack.pop()
                if at >= 0:
                    if self.buf_state is not None:  # else nothing to flush (buf is empty)
                        self.flush()
                    frames[at + 4] = self.chars - frames[at + 1]
                    frames[at + 5] = self.link_chars - frames[at + 2]
                    frames[at + 6] = len(self.lines) - frames[at + 3]
        self.flush()
        frames[4], frames[5], frames[6] = self.chars, self.link_chars, len(self.lines)
