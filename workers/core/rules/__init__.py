"""The rule labeller: every line of a page labelled by signatures and page structure.

It serves ``WINNOW_LABELLER=rules`` (through the strip stage) and is the trained labeller's
evidence (``labeller/evidence.py`` reads its per-line features and its structure pass). It
imports neither: ``stages/strip.py`` and ``labeller/`` depend on it, never the reverse.

The passes (all heuristics are named data in ``workers.core.heuristics``):

1. **per-line features** (``features``): word count, prose evidence ("good" line: long, or a
   sentence), the first matching widget/chrome **signature** (RE2, linear time, capped line
   length), datelines, author-line shapes. Lines seen on enough earlier pages of the same
   site (the learned **site template**) get "site-template".
2. **regions** (``regions``): the comment section(s) (a start marker confirmed by more
   comment chrome nearby, up to the first end marker after the last per-comment evidence,
   or a chain of repeated comment headers); the **body span** (``body``) = the maximum-sum
   run of lines before the comments (prose scores up, menus and chrome down: a 1-D
   densest-block search that bridges subheads, lists, ads and newsletter boxes inside the
   article but not a sidebar behind a menu); the **title** (``title``) just above the body
   (URL slug overlap breaks ties); header above, post-body and footer below.
3. **labels** (``labelling``, the structure pass): strong signatures always win; weak ones
   (generic words such as "FAQ", "Print") only outside the body span; unlabelled lines get
   the reason of their region. Inside a comment section (``comments``), lines are author
   lines (widget patterns such as "X says:", "Submitted by X on …", "X•last month", or a
   bare name in an author position), chrome, or comment text.

Kept lines have ``reason=None`` and a role ("title", "body", "comment-author",
"comment-start", "comment"), which the segment stage reads.
"""
from __future__ import annotations

from workers.core.rules.features import LineFeatures, line_features
from workers.core.rules.labelling import label

__all__ = ["LineFeatures", "label", "line_features"]
