"""Per-line DOM features of HTML input, as named data (the columns of ``html_page``'s matrix).

``workers.core.stages.html.html_page`` returns, next to the lines, a float32 matrix with one
row per line and one column per entry of ``DOM_FEATURES``, in this order. The trained line
labeller reads these columns for ``text/html`` input (NaN for plain-text input). The order
is a contract with the committed model: **append only**, never rename, reorder or remove
(a change is a new model version).

Each line's *block* is the innermost block element (``BLOCK_TAGS``) around the start of the
line; its *container* is the block element around that block. Densities are over raw text
characters; "ancestor" means any enclosing element of the line's start.
"""
from __future__ import annotations

# name -> one-line reason (why a model can use it). Order = column order.
DOM_FEATURE_REASONS: dict[str, str] = {
    # --- where the line sits in the tree
    "depth": "element depth of the line's start; chrome and widgets nest deep, prose sits shallow",
    "block_tag": "code of the block's tag (BLOCK_TAG_CODES, 0 = other): p/li/td/h2 behave differently",
    "start_tag": "code of the innermost element the line starts in (BLOCK_TAG_CODES, 0 = other): a, span, label",
    "heading_level": "1-6 inside <h1>-<h6>, else 0: titles and section heads",
    "path_bucket": "tag path of the block (tags from the body down) hashed to PATH_BUCKETS: a layout slot",
    "path_share": "share of the page's lines with the same tag path: repeated slots are menus, lists, comments",
    "path_class_share": "share of lines with the same tag path *and* class words: record-like repeats",
    # --- link and text density (Kohlschuetter-style)
    "link_density": "characters inside <a> / characters of the line: menus and link lists are all link",
    "container_link_density": "the same for the container block: a link-heavy box is chrome",
    "container_lines": "log2(1 + lines in the container block): big boxes are articles or lists",
    "container_chars_per_line": "log2(1 + characters per line in the container): prose boxes have long lines",
    "line_links": "number of <a> elements the line starts inside or holds (capped at 15)",
    # --- ancestors by tag / role (1.0 when some ancestor is one)
    "anc_nav": "inside <nav>: navigation by definition",
    "anc_aside": "inside <aside>: sidebars, pull-outs",
    "anc_header": "inside <header>: mastheads (or an article header)",
    "anc_footer": "inside <footer>: page or article footers",
    "anc_form": "inside <form>: search, log-in, comment forms (or an ASP.NET page wrapper)",
    "anc_main": "inside <main> or role=main",
    "anc_article": "inside <article> or role=article",
    "anc_section": "inside <section>: themed parts of a page (article parts, widget groups)",
    "anc_role_chrome": "an ancestor's ARIA role is a chrome landmark (navigation, banner, search, dialog ...)",
    "anc_button": "inside <button>/<label>: UI strings",
    "anc_blockquote": "inside <blockquote>: quoted text (comment quotes, pull quotes)",
    "anc_pre": "inside <pre>/<code>: code blocks",
    "anc_figure": "inside <figure>/<figcaption>: captions",
    "anc_address": "inside <address>: contact blocks, author boxes",
    "anc_time": "inside <time>: a date element",
    "anc_link": "the line starts inside an <a>",
    "list_depth": "number of enclosing <ul>/<ol>/<dl> (capped at 4)",
    "in_li": "inside <li>/<dd>/<dt>",
    "table_depth": "number of enclosing <table> (capped at 4): layout tables vs data tables",
    "in_cell": "inside <td>/<th>: data or layout table cells",
    # --- microdata
    "itemprop_any": "some ancestor carries an itemprop: structured markup",
    "itemprop_body": "itemprop articleBody/text/reviewBody/description: the content",
    "itemprop_headline": "itemprop headline/name: titles",
    "itemprop_author": "itemprop author/creator: bylines and comment authors",
    "itemprop_date": "itemprop datePublished/dateCreated/dateModified: date lines",
    "itemprop_comment": "inside itemprop/itemtype comment or an answer (forum posts, comments)",
    # --- hashed class/id words (see CLASS_BUCKETS)
    **{f"class_own_{i}": "word of the nearest class/id-bearing element hashed into bucket "
       f"{i}: layout vocabulary without a word list" for i in range(8)},
    **{f"class_anc_{i}": "word of one of the 4 nearest class/id-bearing ancestors hashed into "
       f"bucket {i}" for i in range(8)},
    # --- the DOM rules' verdicts (workers/core/stages/html_rules.py) as evidence
    "rule_html_dom": "the DOM rules mark the line as page chrome (reason html-dom)",
    "rule_article_level": "0 page, 1 inside <main>, 2 inside the article (article tags, itemprops, body classes)",
    "rule_comments": "the DOM rules put the line in a comment section (hint comments)",
    "rule_comment_author": "the DOM rules read the line as a comment's author (hint comment-author)",
    "rule_title": "the DOM rules pick the line as the article's headline (hint title)",
    "rule_title_marked": "the heading carries a title class/itemprop (entry-title, headline ...)",
    "rule_title_match": "the line equals the <title>/og:title or one of its parts",
}
DOM_FEATURES: tuple[str, ...] = tuple(DOM_FEATURE_REASONS)
DOM_FEATURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(DOM_FEATURES)}

# Tags with their own code in "block_tag" / "start_tag" (index + 1; 0 = any other tag).
BLOCK_TAG_CODES: tuple[str, ...] = (
    "p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header",
    "footer", "nav", "aside", "blockquote", "pre", "dd", "dt", "span", "a", "form", "body", "figcaption",
    "table", "tr", "ul", "ol", "main", "address", "center", "font", "label", "button",
)
# Hash buckets of the tag path (deterministic: CRC-32 based, not Python's salted hash()).
PATH_BUCKETS = 64
# Hash buckets of class/id words (8 per column group above).
CLASS_BUCKETS = 8

# ARIA roles of chrome landmarks and widgets (feature anc_role_chrome); see also
# html_rules.BOILERPLATE_ROLES, which the rules use for their verdict.
CHROME_ROLES: frozenset[str] = frozenset({
    "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog",
    "alertdialog", "toolbar", "tablist", "tab", "menuitem", "button",
})
ITEMPROP_BODY: frozenset[str] = frozenset({"articlebody", "text", "reviewbody", "description", "blogpost"})
ITEMPROP_HEADLINE: frozenset[str] = frozenset({"headline", "name", "alternativeheadline"})
ITEMPROP_AUTHOR: frozenset[str] = frozenset({"author", "creator", "contributor"})
ITEMPROP_DATE: frozenset[str] = frozenset({"datepublished", "datecreated", "datemodified", "uploaddate"})
ITEMPROP_COMMENT: frozenset[str] = frozenset({"comment", "comments", "suggestedanswer", "acceptedanswer",
                                               "answer", "review"})
