"""Named DOM rules for the HTML flattener (``workers.core.stages.html``).

Everything the flattener decides from tag names, ids and class names is data here,
each entry with a one-line reason, so the rules can be read and reviewed without
reading the traversal code.

Class/id matching is by *word*: a class or id token is split into lower-case words
at ``-``, ``_``, ``:``, ``.``, spaces and camelCase humps (``relatedPosts`` ->
``related posts``, ``site-footer`` -> ``site footer``). A marker matches when one
of its words is a word of the token, or the whole token equals it (for glued
plugin names such as ``sharedaddy``).
"""
from __future__ import annotations

# --- elements whose text is never visible -------------------------------------------

# tag -> why it is dropped with its whole subtree
SKIP_TAGS: dict[str, str] = {
    "script": "program code, never rendered",
    "style": "CSS, never rendered",
    "template": "inert template content, not rendered until cloned by script",
    "head": "document metadata; read separately into html_meta",
    "title": "shown in the browser tab, not the page (goes to html_meta)",
    "svg": "vector graphics; its <text>/<title> nodes are icon labels, not prose",
    "math": "MathML markup, flattens to noise",
    "iframe": "a separate document; its fallback text is not shown",
    "object": "embedded plug-in; fallback text only",
    "embed": "embedded plug-in",
    "canvas": "fallback content of a drawing surface",
    "select": "drop-down options are form state, not text (WET extractors skip them)",
    "option": "form option",
    "datalist": "form option list",
    "textarea": "form field content (user input or placeholder)",
    "audio": "fallback text of media players",
    "video": "fallback text of media players",
    "map": "image-map areas",
}

# Void / line-breaking elements that end the current line without opening a block.
BREAK_TAGS: frozenset[str] = frozenset({"br", "hr"})

# Block-level elements: their start and end end the current line (one line per block).
BLOCK_TAGS: frozenset[str] = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "html", "legend", "li", "listing", "main", "menu", "nav",
    "noscript", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul", "xmp", "plaintext",
})

HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# --- page chrome by tag / ARIA role --------------------------------------------------

# tag -> why its text is page chrome (reason "html-dom"), unless it is inside the
# main article (<article>, <main>, role=main, itemprop=articleBody, entry-content, ...).
BOILERPLATE_TAGS: dict[str, str] = {
    "nav": "navigation menu by definition (HTML5 sectioning element for navigation links)",
    "aside": "tangential content: sidebars, widgets, pull-out boxes outside the article",
    "header": "page masthead: logo, site name, tagline, top menu (only outside the article)",
    "footer": "page footer: about/contact/terms links, copyright (only outside the article)",
    "form": "search boxes, log-in, sign-up and comment forms (small forms only; ASP.NET "
            "pages wrap the whole page in one form, so large forms are ignored)",
}

# ARIA role -> reason
BOILERPLATE_ROLES: dict[str, str] = {
    "navigation": "ARIA landmark for navigation menus",
    "banner": "ARIA landmark for the page masthead",
    "contentinfo": "ARIA landmark for the page footer",
    "complementary": "ARIA landmark for sidebars",
    "search": "ARIA landmark for the search box",
    "menu": "ARIA menu widget",
    "menubar": "ARIA menu bar widget",
    "dialog": "pop-ups: cookie consent, newsletter overlays",
    "alertdialog": "pop-ups demanding a response (consent walls)",
}

# --- page chrome by class / id words -------------------------------------------------

# marker word (or whole token) -> reason. Matched on class and id tokens of elements
# outside the article body.
BOILERPLATE_MARKERS: dict[str, str] = {
    "nav": "navigation bar (nav, main-nav, navbar is matched as a whole token below)",
    "navbar": "Bootstrap-style navigation bar",
    "navigation": "navigation menu",
    "menu": "site menu (menu-primary, mega-menu)",
    "breadcrumb": "breadcrumb trail",
    "breadcrumbs": "breadcrumb trail",
    "sidebar": "sidebar column with widgets",
    "masthead": "page masthead",
    "footer": "page footer (site-footer, footer-widgets)",
    "header": "page header (site-header); article headers are protected by the article rule",
    "cookie": "cookie banner",
    "cookies": "cookie banner",
    "consent": "consent banner (cookie/GDPR)",
    "gdpr": "consent banner",
    "newsletter": "newsletter sign-up box",
    "subscribe": "subscription prompt",
    "signup": "sign-up prompt",
    "share": "social share buttons",
    "sharing": "social share buttons",
    "sharebar": "social share bar",
    "social": "social-media links and share buttons",
    "related": "related / recommended articles list",
    "recommended": "recommended articles list",
    "popular": "most-popular list",
    "trending": "trending list",
    "ad": "advertisement slot",
    "ads": "advertisement slot",
    "advert": "advertisement slot",
    "advertisement": "advertisement slot",
    "adsense": "Google AdSense slot",
    "sponsored": "sponsored-content box",
    "promo": "promotional box",
    "banner": "banner (ads, announcements)",
    "pagination": "page navigation",
    "pager": "page navigation",
    "toolbar": "tool bar",
    "login": "log-in box",
    "searchform": "search form",
    "search": "search box",
    "copyright": "copyright notice",
    "donate": "donation widget",
    "donation": "donation widget",
    "paywall": "paywall prompt",
    "modal": "pop-up overlay",
    "popup": "pop-up overlay",
    "tags": "tag list",
    "tagcloud": "tag cloud",
    "sharedaddy": "Jetpack share buttons (glued plugin class)",
    "addtoany": "AddToAny share buttons",
    "a2a": "AddToAny share buttons",
    "relatedposts": "Jetpack / YARPP related posts (jp-relatedposts)",
    "yarpp": "Yet Another Related Posts Plugin",
    "outbrain": "Outbrain recommendation widget",
    "taboola": "Taboola recommendation widget",
}

# Markers matched only as a whole class/id token: as a word they are too common in
# page-builder layout classes ("elementor-widget" wraps every block of an Elementor page).
WHOLE_TOKEN_MARKERS: dict[str, str] = {
    "widget": "WordPress sidebar/footer widget (.widget)",
    "widgets": "widget column",
    "widget-area": "WordPress widget area (sidebar / footer columns)",
    "footer-widgets": "footer widget columns",
    "sidebar-widgets": "sidebar widget column",
    "skip-link": "skip links",
    "skip-links": "skip links",
    "skiplink": "skip links",
    "skip-to-content": "skip links",
    "skip-nav": "skip links",
}

# Markers that also apply INSIDE the article body: plugins append these to the post
# content (Jetpack puts share and related boxes inside .entry-content), and they are
# never prose. Only for elements with little text (see MAX_IN_BODY_MARKER_CHARS).
IN_BODY_MARKERS: frozenset[str] = frozenset({
    "sharedaddy", "addtoany", "a2a", "relatedposts", "yarpp", "outbrain", "taboola", "share", "sharing",
    "social", "ad", "ads", "advert", "advertisement", "adsense", "newsletter", "related",
})
MAX_IN_BODY_MARKER_CHARS = 1500

# Markers that apply inside <main> (which holds the article and, often, its sidebar)
# but outside the article itself: "header", "menu", "banner", "search" and the like
# are too often layout words of the content there ("sticky-header" tables).
IN_MAIN_MARKERS: frozenset[str] = IN_BODY_MARKERS | frozenset({
    "breadcrumb", "breadcrumbs", "sidebar", "pagination", "pager", "popular", "trending", "recommended",
    "cookie", "cookies", "consent", "gdpr", "widget", "widgets", "widget-area", "navbar", "navigation",
    "sponsored", "donate", "donation", "subscribe", "signup",
})

# Words that cancel a marker on the same token: layout/state classes that only
# *mention* a region ("has-sidebar", "no-sidebar", "content-sidebar-wrap",
# "header-image", "share-count"). Wrappers that hold the article anyway are caught
# by the containment check in html.py (a marked element holding an <h1>, <article>,
# <main> or article body is never chrome).
MARKER_NEGATIVE_WORDS: frozenset[str] = frozenset({
    "has", "no", "with", "without", "content", "body", "main", "text", "layout", "template", "single",
    "theme", "type", "format", "loaded", "js", "active", "open", "enabled", "comment", "comments", "icon",
    "image", "img", "title", "headline", "heading", "author", "byline", "date", "time", "meta", "count",
})

# Elements that mark the main article; nothing inside them gets a DOM reason
# (except IN_BODY_MARKERS). tag -> reason
ARTICLE_TAGS: dict[str, str] = {
    "article": "HTML5 self-contained composition (the post / news article)",
    "main": "HTML5 main content of the page",
}
ARTICLE_ROLES: frozenset[str] = frozenset({"main", "article"})
ARTICLE_ITEMPROPS: frozenset[str] = frozenset({"articlebody", "text", "mainentityofpage", "blogpost"})
# class/id token (whole, lower-case) -> reason
ARTICLE_MARKERS: dict[str, str] = {
    "entry-content": "WordPress post body",
    "post-content": "common theme post body",
    "post-body": "Blogger / theme post body",
    "article-body": "news CMS article body",
    "article-content": "news CMS article body",
    "articlebody": "news CMS article body",
    "story-body": "news CMS article body",
    "story-content": "news CMS article body",
    "entry-body": "theme post body",
    "post-entry": "theme post body",
    "td-post-content": "Newspaper theme post body",
    "field-name-body": "Drupal 7 body field",
    "field--name-body": "Drupal 8+ body field",
    "node-content": "Drupal node content",
    "blog-post": "theme post body",
    "main-content": "main content region",
    "maincontent": "main content region",
    "content-main": "main content region",
}

# --- comment sections ---------------------------------------------------------------

# class/id token (whole, lower-case) -> reason: the element holds the user comments
# (lines get hint "comments").
COMMENT_CONTAINERS: dict[str, str] = {
    "comments": "WordPress #comments and most themes",
    "comments-area": "WordPress default themes",
    "comment-list": "WordPress ol.comment-list",
    "commentlist": "older WordPress ol.commentlist",
    "comments-list": "theme comment list",
    "comment-section": "theme comment section",
    "comments-section": "theme comment section",
    "comment-thread": "threaded comments",
    "comment-threads": "threaded comments",
    "dsq-comments": "Disqus (server-rendered fallback list)",
    "dsq-content": "Disqus",
    "disqus_thread": "Disqus embed target",
    "wpd-comments": "wpDiscuz",
    "wpdcom": "wpDiscuz root",
    "wpd-thread-list": "wpDiscuz thread list",
    "wpdiscuz": "wpDiscuz",
    "isso-thread": "Isso",
    "commento": "Commento",
    "remark42": "Remark42",
    "fb-comments": "Facebook comments plugin",
    "livefyre": "Livefyre",
    "talk-stream": "Coral Talk",
    "coral_thread": "Coral Talk",
    "comment-holder": "Blogger comment holder",
    "comments-block": "Blogger comment block",
    "comment-block": "Blogger",
    "comments-container": "theme comment container",
    "comment-wrapper": "Drupal 7 comment wrapper",
    "comments-wrapper": "theme comment wrapper",
    "reader-comments": "news sites",
    "user-comments": "news sites",
    "talkback": "old CMS talkback sections",
}
# A class/id token whose words include one of these also marks a comment section
# ("comments-area", "article-comments", "comment-list" variants), unless one of
# COMMENT_NEGATIVE_WORDS is present ("comments-link", "comment-count" in a byline).
COMMENT_WORDS: frozenset[str] = frozenset({"comments", "commentlist", "disqus"})
COMMENT_NEGATIVE_WORDS: frozenset[str] = frozenset({
    "link", "links", "count", "counts", "number", "num", "icon", "button", "btn", "meta", "closed", "disabled",
    "rss", "feed", "total", "bubble", "popup",
})

# class/id words of the element showing a comment's author (hint "comment-author"),
# only inside a comment section.
COMMENT_AUTHOR_MARKERS: dict[str, str] = {
    "fn": "hCard formatted name (WordPress cite.fn)",
    "comment-author": "WordPress .comment-author",
    "comment_author": "older themes .comment_author",
    "commentauthor": "older themes .commentauthor",
    "url": "hCard url: WordPress's comment author link (a.url) in the comment-meta block",
    "comment-author-name": "theme",
    "comment__author": "Drupal 8+ comment author",
    "wc-comment-author": "wpDiscuz author",
    "author": "Disqus / generic author element",
    "author-name": "generic",
    "username": "Drupal / forum user name",
    "user-name": "generic",
    "commenter": "generic",
    "comment-user": "generic",
    "isso-author": "Isso author",
    "profile-name": "Blogger profile name",
}
