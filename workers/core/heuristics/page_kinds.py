"""Page kinds and the evidence that names them (named data for ``workers.core.stages.page_kind``).

A page kind says what the page's content is, so consumers know how to read the record:
on an ``article`` the body is one text by its author(s); on a ``forum`` page (threads,
Q&A) the posts *are* the content; ``listing``/``collection`` pages are link or product
grids whose entries are the content, never comments; ``product`` and ``service`` pages
are descriptions and offers; ``documentation`` pages are reference text with code.
"""
from __future__ import annotations

KINDS: dict[str, str] = {
    "article": "news, blog post, essay, guide: one text by its author(s)",
    "forum": "discussion thread or Q&A page: the posts are the content",
    "listing": "index of articles or items (section front, tag/category/search/archive page)",
    "collection": "shop category or product grid",
    "product": "one product (or offer) with its description",
    "documentation": "reference docs, manuals, API pages",
    "service": "landing page of a company, service or software",
}

# JSON-LD @type (lower-case, last path part) -> kind, strongest evidence first
LD_TYPE_KIND: dict[str, str] = {
    "discussionforumposting": "forum", "qapage": "forum",
    "product": "product", "productgroup": "product", "offer": "product", "individualproduct": "product",
    "techarticle": "documentation", "apireference": "documentation",
    "collectionpage": "listing", "searchresultspage": "listing",
    "newsarticle": "article", "blogposting": "article", "article": "article", "reportagenewsarticle": "article",
    "opinionnewsarticle": "article", "analysisnewsarticle": "article", "reviewnewsarticle": "article",
    "liveblogposting": "article", "scholarlyarticle": "article", "recipe": "article", "review": "article",
    "service": "service", "softwareapplication": "service", "localbusiness": "service",
}
# og:type (lower-case) -> kind
OG_TYPE_KIND: dict[str, str] = {
    "article": "article", "blog": "article", "product": "product", "og:product": "product",
    "product.item": "product", "ebay-objects:item": "product", "product.group": "collection",
    "ebay-objects:ecommerce": "collection", "forum": "forum", "book": "documentation",
}
# URL path segment (lower-case, whole segment) -> kind: what sites conventionally name these sections
URL_SEGMENT_KIND: dict[str, str] = {
    "forum": "forum", "forums": "forum", "thread": "forum", "threads": "forum", "topic": "forum",
    "topics": "forum", "questions": "forum", "discussion": "forum", "discussions": "forum", "community": "forum",
    "showthread.php": "forum", "viewtopic.php": "forum", "t": "forum", "r": "forum", "comments": "forum",
    "docs": "documentation", "doc": "documentation", "documentation": "documentation",
    "reference": "documentation", "manual": "documentation", "api": "documentation", "wiki": "documentation",
    "handbook": "documentation", "tutorial": "documentation", "tutorials": "documentation",
    "product": "product", "products": "product", "dp": "product", "p": "product", "item": "product",
    "itm": "product", "shop": "collection", "collections": "collection", "category": "listing",
    "categories": "listing", "c": "collection", "tag": "listing", "tags": "listing", "search": "listing",
    "archive": "listing", "archives": "listing", "topics-list": "listing", "section": "listing",
    "services": "service", "solutions": "service", "pricing": "service", "features": "service",
    "platform": "service", "software": "service", "consulting": "service",
}
# host prefixes that name a documentation or forum site
HOST_PREFIX_KIND: dict[str, str] = {
    "docs": "documentation", "developer": "documentation", "developers": "documentation",
    "learn": "documentation", "wiki": "documentation", "help": "documentation", "support": "documentation",
    "forum": "forum", "forums": "forum", "community": "forum", "discuss": "forum", "answers": "forum",
}
# Structural thresholds (shares of the page's lines / characters)
LISTING_LINK_SHARE = 0.55   # listing: most of the text is link text
LISTING_MIN_LINES = 40      # ... on a page with enough entries to be a list
DOC_PRE_SHARE = 0.08        # documentation: code blocks hold this share of the lines
FORUM_MIN_POST_LINES = 6    # forum: comment-section lines when the page has no article body markup

# --- evidence for the trained page-kind classifier (workers/core/stages/page_kind_model.py) ---
# JSON-LD @types looked at one by one (beyond LD_TYPE_KIND): what the page's schema says it holds
LD_FEATURE_TYPES: tuple[str, ...] = (
    "webpage", "website", "organization", "breadcrumblist", "itemlist", "faqpage", "person", "imageobject",
    "offer", "aggregaterating", "howto", "videoobject", "event", "collectionpage", "profilepage", "aboutpage",
    "contactpage", "question", "answer", "comment", "listitem", "searchaction", "brand", "corporation",
    "aggregateoffer", "softwaresourcecode", "course", "medicalwebpage",
)
# og:type values looked at one by one
OG_FEATURE_TYPES: tuple[str, ...] = ("article", "website", "product", "blog", "object", "profile", "book")
# URL path words that name an article section (blogs and newsrooms) rather than a product or a list
ARTICLE_PATH_WORDS: frozenset[str] = frozenset({
    "blog", "blogs", "news", "article", "articles", "post", "posts", "story", "stories", "insights", "resources",
    "learn", "guide", "guides", "opinion", "features",
})
# Currency signs: how many the text prints (prices on product and shop pages)
CURRENCY_SIGNS: tuple[str, ...] = ("$", "€", "£", "¥", "₹")
# Cart / checkout phrases, lower case (product and collection pages print them on buttons)
CART_PHRASES: tuple[str, ...] = (
    "add to cart", "add to bag", "add to basket", "buy now", "add to wishlist", "in den warenkorb",
    "ajouter au panier", "añadir al carrito",
)
# A pagination control among the removed lines (a listing's "Next", "Older posts", "Page 2 of
# 9", "«"): a short removed line (at most PAGINATION_MAX_CHARS) matching this (case-insensitive)
PAGINATION_OPENERS: tuple[str, ...] = ("next", "previous", "prev", "older", "newer", "load more", "show more",
                                       "more posts", "next page")
PAGINATION = (r"^(?:" + "|".join(PAGINATION_OPENERS) + r")\b"
              r"|\bpage \d+ of \d+\b|^«|»$")
PAGINATION_MAX_CHARS = 40
# Removed lines whose reason opens with this are a comment section's: their dates are the
# comments', not the page's entries
COMMENT_REASON_PREFIX = "comment"
