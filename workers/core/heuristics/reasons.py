"""The fixed, bounded vocabulary of removal reasons.

Every non-kept line carries exactly one of these in ``Line.reason`` / ``Removed.reason``.
Downstream stages (enrich) rely on some of them: ``dateline`` lines are parsed for the
article's publication date, ``byline`` lines for its author, ``site-header`` lines for the
site name. Never add a reason without documenting it here.
"""
from __future__ import annotations

# reason -> one-line description
DESCRIPTIONS: dict[str, str] = {
    "navigation": "site menus, breadcrumbs, pagination, skip links, link lists",
    "site-header": "masthead: site name, tagline, login/search box of the page header",
    "byline": "the article's author byline (By X / Posted by X)",
    "dateline": "the article's publication-date line (enrich parses the date from it)",
    "call-to-action": "subscribe/follow/support-us prompts and other appeals to the reader",
    "donation": "donation widgets: amounts, payment methods, 'donate' buttons",
    "share": "social sharing buttons and counters",
    "cookie": "cookie / consent / privacy banners",
    "newsletter": "newsletter sign-up boxes",
    "related": "related / recommended / most-read / previous-next article lists",
    "advertisement": "ads and sponsored-content labels",
    "tags": "tag and category lists of the article",
    "copyright": "copyright and licence notices",
    "footer": "site footer: about/contact/terms links, powered-by lines",
    "comment-chrome": "comment-section headers and widget chrome (N Comments, sort, load more)",
    "comment-form": "the comment form: Leave a reply, name/email/website fields, Post Comment",
    "comment-header": "per-comment header lines other than the author (e.g. 'X says:')",
    "comment-meta": "per-comment timestamps, role labels, vote counts, permalinks",
    "comment-action": "per-comment actions: Reply, Like, Report, Share, Edit",
    "comment-removed": "placeholders of deleted / moderated comments",
    "comment-author": "reserved: a comment's author line is kept (consumed as Comment.author), never removed",
    "placeholder-author": "a placeholder shown instead of a name (Anonymous, Anónimo): boilerplate, author null",
    "site-template": "a line seen on many earlier pages of the same site (learned template)",
    "error-page": "error / not-found page text (404, page not found)",
    "duplicate-title": "a repeat of the title line (e.g. <title> and <h1>)",
    "html-dom": "removed by the DOM structure (nav/header/footer/aside/form elements)",
    "boilerplate": "generic short chrome line caught by the density classifier",
}

REASONS: tuple[str, ...] = tuple(DESCRIPTIONS)

# Reasons of comment-section lines (widget chrome, forms, per-comment metadata, author lines).
COMMENT_REASONS: frozenset[str] = frozenset({
    "comment-chrome", "comment-form", "comment-header", "comment-meta", "comment-action", "comment-removed",
    "comment-author", "placeholder-author",
})

# Reasons that are NOT boilerplate: the line is consumed as metadata of a comment.
# (A placeholder name such as "Anonymous" IS boilerplate: the gold lists it, and the author is null.)
NOT_BOILERPLATE: frozenset[str] = frozenset({"comment-author"})


def is_reason(value: str | None) -> bool:
    return value in DESCRIPTIONS
