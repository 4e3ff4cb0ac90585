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
    "report abuse", "contact", "send message", "like", "share", "top", "guest", "by", "close", "full",
    "reply to this", "parent", "hide", "show", "expand", "collapse",
})

# --- comment authors from the structure (workers.core.stages.html_comment_items) ---
# An unseen widget names its elements with other words or none: a comment record (one of the
# repeated sibling elements of a comment section) prints its author as the first short text of
# its own element before the comment's text, at the same place in every record.
# tags whose text is never a commenter's name (the date, form fields, code, scripts)
COMMENT_NAME_NOT_TAGS: dict[str, str] = {
    "time": "the comment's date", "script": "code", "style": "code", "noscript": "a fallback notice",
    "button": "a control (Reply, Vote)", "label": "a form field's label", "option": "a form field",
    "textarea": "a form field", "select": "a form field", "form": "the comment form",
    "h1": "a page heading", "h2": "a section heading ('3 comments')", "blockquote": "a quote in the text",
    "pre": "code in the text", "code": "code in the text", "sup": "a footnote mark", "sub": "a formula",
}
# the block elements a comment record is printed in (a comment's paragraphs and inline
# elements are parts of its text, never a record)
COMMENT_RECORD_TAGS: dict[str, str] = {
    "div": "most widgets", "li": "WordPress and most themes: ol.commentlist > li",
    "article": "HTML5 themes", "section": "HTML5 themes", "dt": "Blogger: the name's block",
    "dd": "Blogger: the text's block", "tr": "table layouts (forums, old boards)",
    "table": "old boards: one table per post", "ul": "a nested reply list", "ol": "a nested reply list",
}
# a record: at least this many sibling elements of one tag, each with this much text
MIN_COMMENT_RECORDS = 2
MIN_COMMENT_RECORD_CHARS = 30
# text pieces at a record's start looked at for the name (an avatar's caption, a number, the
# date, a role label may come first), and how long the name's text may be
MAX_LEAD_TEXTS = 6
MAX_LEAD_NAME_CHARS = 60
# the name's place (its tag path below the record) is the theme's only when at least this many
# records, and this share of the records that show a leading name, print it there
MIN_NAME_PLACE_RECORDS = 2
MIN_NAME_PLACE_SHARE = 0.5
# ... and at least this share of those records show a date (a <time>, a date-shaped text)
# among their first MAX_DATE_TEXTS texts (above or below the comment's text): a list of links
# or headings inside a section shows none
MIN_DATED_SHARE = 0.5
MAX_DATE_TEXTS = 20
# a date-shaped text of a comment header is short ("Posted on May 3, 2012 at 4:12 pm | Reply")
MAX_DATE_CHARS = 120
# ... or the name is the first text of each of at least this many records (a theme without dates)
MIN_FIRST_PLACE_RECORDS = 3
# a leading text that ends on these, or holds this many lower-case words after its first (no
# NAME_PARTICLES), is the comment's first sentence, not its author's name
SENTENCE_ENDS = ".!?:,;…-"
MAX_LOWER_NAME_WORDS = 2
# a comment's subject line, printed before its author on forum-like widgets ("Re: Great post")
COMMENT_SUBJECT_PREFIXES: tuple[str, ...] = ("re:", "re :", "aw:", "sv:", "vs:", "r:")
# elements of a comment section looked at (a very long thread is cut, not slowed)
MAX_SECTION_NODES = 20000
