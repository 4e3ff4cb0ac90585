"""Comment records built from a page given as labelled rows: (line text, line label) pairs
through the record builder (``comment_roles``, then the segment stage's ``_build_comments``).
Shared by the tests of the builder's section corrections."""
from __future__ import annotations

from topics.records import Line, StrippedDocument
from workers.core.labeller.comments import comment_roles
from workers.core.stages.segment import _build_comments


def built_comments(rows):
    """The segment stage's comments of the page ``rows`` (a blank line between rows)."""
    texts = [t for t, _ in rows]
    blanks = [0] + [1] * (len(rows) - 1)
    reasons, roles = comment_roles(texts, blanks, [lb for _, lb in rows], [None] * len(rows))
    lines = [Line(i, t, b, r, h if r is None else None) for i, (t, b, r, h) in enumerate(zip(texts, blanks, reasons, roles))]
    doc = StrippedDocument(id="t", url=None, content_type="text/plain", fetched_at="2024-05-06T12:00:00Z",
                           source=None, site="t", lines=lines)
    return _build_comments(doc)


def comments(rows):
    """(author, first 20 characters of the text) of each comment the builder makes of ``rows``."""
    return [(c.author, c.text[:20]) for c in built_comments(rows)]
