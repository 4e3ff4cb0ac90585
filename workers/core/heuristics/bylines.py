"""Named data for the article's author from the markup (``workers.core.stages.html_author``).

Each entry says why it is evidence; the code that applies them is in the stage module.
"""
from __future__ import annotations

# class/id words of the element that prints the article's author (split on - _ and case)
AUTHOR_CLASS_WORDS: dict[str, str] = {
    "author": "WordPress .author / .post-author / .entry-author, most themes and CMSs",
    "authors": "multi-author bylines (.authors, .article-authors)",
    "byline": "news CMSs: .byline, .article-byline",
    "writer": ".writer / .article-writer on news sites",
}
# class/id words that, next to an author word, mean the element is not the byline itself
AUTHOR_CLASS_NEGATIVE: frozenset[str] = frozenset({
    "avatar",   # the author's picture
    "bio",      # author box: the biography text, not the name
    "description", "about", "desc",
    "img", "image", "photo", "pic",
    "box",      # an author box holds the bio; its name element is found on its own
    "social", "follow", "share", "link", "links", "more", "posts", "count",
    "comment", "comments", "reply",   # a comment's author
    "label", "title", "prefix",       # the "Written by" label element
})
# Class/id words of a forum post's poster name (the first post's is the thread's author); looked
# at after the author words, outside comment sections
POSTER_CLASS_WORDS: dict[str, str] = {
    "username": "phpBB / XenForo / Flarum: a.username, .username in the post profile",
    "bigusername": "vBulletin 3: a.bigusername in the post header",
    "postprofile": "phpBB: dl.postprofile around the poster's name",
}
# Explicit cues that open a byline line inside a date / meta block ("By Jane Doe · May 3"): a
# block whose first line opens with one of these gives the name after it
EXPLICIT_BYLINE_CUES: tuple[str, ...] = ("written by", "posted by", "published by", "article by", "story by",
                                         "words by", "authored by", "by")
# Cue words that open a byline; removed from the front of the name ("By", "Written by:")
BYLINE_CUES: tuple[str, ...] = (
    "written by", "posted by", "published by", "article by", "text by", "story by", "words by", "recipe by",
    "reviewed by", "authored by", "created by", "by", "author", "authors", "von", "par", "por", "di", "door",
)
# Name-like: at most this many words and characters
MAX_NAME_WORDS = 8
MAX_NAME_CHARS = 80
# Element text longer than this is not a byline (it is a bio or an article)
MAX_BYLINE_CHARS = 160
# Values that are never a person or publisher's name (CMS placeholders)
NOT_NAMES: frozenset[str] = frozenset({
    "admin", "administrator", "author", "authors", "editor", "by", "written by", "posted by", "guest",
    "unknown", "anonymous", "staff writer", "user", "webmaster", "root", "default", "null", "none",
    # forum and byline UI words next to the poster's name
    "post", "posts", "via", "joined", "registered", "member", "members", "reply", "replies", "quote", "share",
    "report", "permalink", "online", "offline", "moderator", "original poster", "op",
    # a signed-in greeting where a forum or shop prints the visitor's name
    "hi", "hello", "welcome", "sign in", "log in",
})
# An unresolved template variable ("page.head.extra.author") is not a name: dots between words
TEMPLATE_VARIABLE = r"^\w+(?:\.\w+){3,}$"   # (a handle like "sara.r.peter" has fewer parts)
# Lines of a byline block that are not the name (the name is looked for on the next line)
NOT_NAME_OPENERS: tuple[str, ...] = (
    "updated", "published", "last updated", "posted", "modified", "©", "(c)", "copyright", "reading time",
    "min read", "share", "follow",
)
# Lines of the byline block looked at before giving up
MAX_BYLINE_LINES = 12
# Lower-case words that belong to names ("Ludwig van Beethoven", "Jared Newman and Sam Singleton")
NAME_PARTICLES: frozenset[str] = frozenset({
    "van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le", "al", "el", "bin", "ibn", "and", "&",
    "y", "e", "und", "et",
})
# A name never ends with these words ("Insights from", "A post by")
NOT_NAME_ENDINGS: frozenset[str] = frozenset({
    "from", "by", "our", "the", "of", "to", "about", "with", "for", "a", "an", "in", "on", "at",
})
# twitter:label1 values whose twitter:data1 is the author (Yoast SEO writes "Written by")
TWITTER_AUTHOR_LABELS: frozenset[str] = frozenset({"written by", "author", "geschrieben von", "écrit par", "escrito por"})

# --- the date printed in the byline block (a last resort for published_at) ---
# class/id words of an element that prints the article's date
DATE_CLASS_WORDS: frozenset[str] = frozenset({
    "date", "published", "publish", "pubdate", "posted", "postdate", "time", "timestamp", "datetime",
    "dateline", "byline", "meta",   # WordPress .entry-meta / .post-meta hold the date and the author
    "author",                       # phpBB p.author: "by <name> » Tue Aug 27, 2019 1:47 am"
})
# ... unless the element is about another date or another item
DATE_CLASS_NEGATIVE: frozenset[str] = frozenset({
    "updated", "modified", "comment", "comments", "reply", "related", "footer", "sidebar", "widget", "archive",
    "event", "events", "calendar", "copyright", "expire", "expires", "deadline", "delivery", "shipping", "sale",
    "release", "released", "launch",   # a product's release date is not a publication date
})
# tags whose subtree is page chrome: a date there is not the article's
DATE_CHROME_TAGS: frozenset[str] = frozenset({"nav", "aside", "footer"})
# elements looked at, and the longest text an element may have to count as a date element
MAX_DATE_ELEMENTS = 60
MAX_DATE_ELEMENT_CHARS = 200
# page kinds whose byline date is taken when the page states no other date (a product or a
# service page prints delivery, sale and review dates in such elements)
BYLINE_DATE_KINDS: frozenset[str] = frozenset({"article", "forum"})

# --- comment authors from the markup (workers.core.stages.html_comment_authors) ---
# class/id words of a comment's name element, beyond the walk's COMMENT_AUTHOR_MARKERS
# (html_rules; those also give the walk's comment-author hint, a model feature: not changed here)
COMMENT_NAME_EXTRA: dict[str, str] = {
    "comment-name": "themes that print the date and the name in a .comment-author block (p.comment-name)",
    "comment-author-link": "WordPress's get_comment_author_link wrapper in some themes",
    "commentauthor-name": "older themes",
}
# texts of an author element that are a link or a label beside the name, never the name
COMMENT_NOT_NAMES: frozenset[str] = frozenset({
    "profile", "view profile", "follow", "unfollow", "reply", "permalink", "link", "says", "said", "wrote",
    "report", "flag", "edit", "delete", "quote", "website", "homepage", "home page",
})
