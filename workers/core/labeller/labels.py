"""The line labels of the trained labeller, in a fixed order (the model's class ids).

Changing the order or the set is a new model version: retrain with ``make train``.
"""
from __future__ import annotations

TITLE = "title"                    # the article's headline
BODY = "body"                      # main content (on forum/Q&A pages: the posts)
BOILERPLATE = "boilerplate"        # navigation, share, related, ads, widgets, footers ...
COMMENT_HEAD = "comment_head"      # a comment's header: author and/or date line
COMMENT_TEXT = "comment_text"      # the text of a user comment
COMMENT_CHROME = "comment_chrome"  # comment-widget chrome inside the section (reply, votes, sort, form)

LABELS: tuple[str, ...] = (TITLE, BODY, BOILERPLATE, COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME)
# the labels of a comment section's lines
SECTION_LABELS: tuple[str, ...] = (COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME)
LABEL_ID: dict[str, int] = {name: i for i, name in enumerate(LABELS)}
