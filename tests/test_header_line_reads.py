"""The record builder's small line reads at their bounds: a reply-to marker and a time line by
their word limits (words counted as spaces + 1), a printed clock time by its ASCII digits only
(RE2's \\d, which the stdlib ``re`` reading of them keeps), and a section's gaps between two
comment texts read as the definition does."""
from __future__ import annotations

import random

import pytest

from workers.core.labeller import comment_shape as S
from workers.core.labeller import comments as C
from workers.core.labeller.labels import BODY, BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT
from workers.core.stages import printed_times as P


def _words(n: int) -> str:
    return " ".join(["word"] * n)


@pytest.mark.parametrize("extra, marker", [(0, True), (1, False)])
def test_reply_marker_word_limit(extra, marker):
    text = "Reply to " + _words(S.REPLY_MARKER_MAX_WORDS - 2 + extra)
    assert len(text.split(" ")) == S.REPLY_MARKER_MAX_WORDS + extra
    assert S.reply_marker(text) is marker
    assert S.reply_marker("  " + text.replace(" ", "   ") + " ") is marker   # counted once normalised


@pytest.mark.parametrize("text, timed", [
    ("26 days ago", True),
    ("March 3, 2012 at 10:15 am", True),          # six words: the limit
    ("on March 3, 2012 at 10:15 am", False),      # seven
    ("Reply", False),
])
def test_time_line_word_limit(text, timed):
    assert S.time_line(text) is timed


@pytest.mark.parametrize("clock, want", [
    ("10:15 pm", (22, 15)),
    ("12:05 am", (0, 5)),
    ("١٠:١٥", None),      # Arabic-Indic digits: no ASCII digit, no clock time (as RE2's \d reads)
    ("10:٣٠", None),
    ("7", None),
    ("24:00", None),
])
def test_clock_time_reads_ascii_digits(clock, want):
    assert P._parse_time(clock) == want


def _plain_gaps(head_idx, blocks, n):
    bounds = [-1] + [b[0] for b in blocks] + [n]
    return [[k for k in head_idx if (blocks[j - 1][-1] if j else -1) < k < bounds[j + 1]]
            for j in range(len(blocks) + 1)]


def test_gap_heads_as_the_definition():
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 40)
        kinds = [rng.choice("HTX") for _ in range(n)]   # header, text, other
        blocks: list[list[int]] = []
        for k, c in enumerate(kinds):
            if c == "T":
                if blocks and blocks[-1][-1] == k - 1 and rng.random() < 0.5:
                    blocks[-1].append(k)
                else:
                    blocks.append([k])
        heads = [k for k, c in enumerate(kinds) if c == "H"]
        if blocks:
            assert S.gap_heads(heads, blocks, n) == _plain_gaps(heads, blocks, n)


def test_gap_line_reads_only_boilerplate_and_chrome():
    long_text = "this is a sentence of some eight words here"
    assert C._gap_line(long_text, BOILERPLATE, False)
    assert C._gap_line(long_text, COMMENT_CHROME, False)
    assert not C._gap_line(long_text, BOILERPLATE, True)       # a signature explains it
    assert not C._gap_line("four words are here", COMMENT_CHROME, False)   # chrome needs eight
    assert C._gap_line("four words are here", BOILERPLATE, False)
    assert not C._gap_line("FOUR WORDS ARE HERE", BOILERPLATE, False)       # no lower-case letter
    for label in (BODY, COMMENT_TEXT, COMMENT_HEAD):
        assert not C._gap_line(long_text, label, False)


def test_records_split_at_their_headers_with_chrome_between():
    # name / text / chrome, three times, with a body above: three comments, each its author
    texts = ["An article's paragraph that says something.", "Ann Lee", "First comment text here, long enough.",
             "Reply", "Bob Stone", "Second comment text here, long enough.", "Reply", "Cy Young",
             "Third comment text here, long enough.", "Reply"]
    labels = [BODY, COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME,
              COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME]
    reasons, roles = C.comment_roles(texts, [0] + [1] * 9, labels, [None] * 10)
    assert [roles[k] for k in (1, 2, 4, 5, 7, 8)] == ["comment-author", "comment-start"] * 3
    assert [reasons[k] for k in (3, 6, 9)] == ["comment-chrome"] * 3
    assert S.gap_heads([1, 4, 7], [[2], [5], [8]], 10) == [[1], [4], [7], []]
