"""The trained line labeller's features and vocabularies, as named data (one reason each).

``workers.core.labeller.features`` computes them per page as a float32 matrix
(lines x features), in a few vectorised passes. Changing a name, its order or a vocabulary
is a new model version: retrain with ``make train``. None of them is a wording of a
particular widget: the wording knowledge enters only through the rule labeller's evidence
columns (``rule_*``, ``sig_*``), as evidence, never as a verdict.
"""
from __future__ import annotations

# --- per-line base features: name -> why -------------------------------------------------
BASE: dict[str, str] = {
    "log_chars": "length: prose is long, chrome short",
    "log_words": "word count (\\w+ runs; scripts without spaces: estimated from characters)",
    "mean_word_len": "menus and names have short words, prose a steady 4-6",
    "letter_share": "vote counts, prices and glyph lines have few letters",
    "digit_share": "dates, counts and prices are digits",
    "upper_share": "upper-case letters among letters: headings, acronyms, shouting chrome",
    "punct_share": "punctuation among characters: separator rows, glyph lines",
    "nonascii_share": "non-ASCII characters: emoji/glyph chrome, non-Latin scripts",
    "cap_word_share": "capitalised words among words: names, title case, menus",
    "all_caps": "a line in capitals (BUTTONS, HEADINGS)",
    "ends_sentence": "ends with . ! ? or an ellipsis (prose)",
    "ends_colon": "ends with a colon: a label or 'X says:'",
    "ends_other": "ends with a quote, bracket or comma",
    "starts_bullet": "starts with a bullet or dash (list item, menu)",
    "starts_digit": "starts with a digit (numbered item, date, count)",
    "starts_upper": "starts with a capital",
    "starts_at": "starts with @ (a reply to a commenter)",
    "commas_per_word": "sentences have commas, menus do not",
    "separators": "| » › · • glyphs: link rows and breadcrumbs",
    "url_like": "a URL, domain or e-mail address in the line",
    "numeric_dates": "numeric dates such as 03.05.2023 or 2023-05-03 (any language)",
    "times": "clock times such as 07:41 or 7.41pm",
    "month_names": "month names in the dated vocabulary (several languages)",
    "relative_times": "relative times (3 days ago, vor 2 Tagen, hace 3 días)",
    "years": "four-digit years",
    "glyph_only": "no letter at all: vote counts, emoji, separators",
    "stop_share": "stopword share in the page's detected language: prose has many",
    "stop_share_any": "stopword share over all languages' lists (mixed-language pages)",
    "blank_before": "blank lines before (capped at 3): block and comment-slot separators",
    "blank_after": "blank lines after (capped at 3)",
    "rel_pos": "relative position of the line in the page",
    "rel_word_pos": "share of the page's words before this line: the body sits in the dense middle",
    "log_lines_to_end": "lines to the end of the page (footers, comment forms sit at the end)",
    "log_repeat": "how often the same (normalised) line occurs in the page",
    "name_like": "1-5 capitalised words, no sentence punctuation: a person's name",
    "question": "ends with a question mark",
    "kana_share": "hiragana among characters: Japanese prose is written with kana particles, menus and names are not",
    "date_like": "a short line holding a date, clock time or relative time: a comment's date header",
    "extra_blank": "blank lines before beyond the page's usual gap (-1..2): an empty author slot between comments",
    "after_section_start": "a comment-section opener (count header, sort bar) appears above the line",
    "log_since_section_start": "lines since the last comment-section opener above (log; far when none)",
    "section_end_below": "a comment-section closer (form, load more) appears below the line",
    "log_dist_prev_name": "lines back to the previous name-like line (log, capped): comment records repeat",
    "log_dist_next_name": "lines on to the next name-like line (log, capped)",
    "log_dist_prev_date": "lines back to the previous date-like line (log, capped)",
    "log_dist_next_date": "lines on to the next date-like line (log, capped)",
    "shape_gap_prev": "lines back to the previous line of the same coarse shape (log, capped): the record period",
    "shape_period_regular": "the same shape recurs at the same period before and after (period > 1): a run of records",
    "shape_repeat_share": "share of lines within +-8 of the same coarse shape as this one",
    "rule_template": "the site template (lines seen on earlier pages of the site) knows the line",
    "rule_prose": "the rule labeller's prose ('good' line) test",
    "sig_page": "a page-scope widget/chrome signature matches (evidence, not a verdict)",
    "sig_weak": "the matching signature is a weak (generic) one",
    "sig_comment": "a comment-scope signature matches (reply links, vote counts, role labels)",
    "sig_author": "a comment-widget author-line pattern matches ('X says:', 'Submitted by X')",
    "sig_dateline": "a dateline (a full date plus a few words)",
    "sig_start": "the signature opens a comment section (count header, sort bar)",
    "sig_end": "the signature closes a comment section (comment form, load more)",
    "dom_removed": "the DOM flattener already removed the line (HTML input)",
    "dom_heading": "the DOM flattener saw a heading element (HTML input; 0 for text)",
    "dom_list_item": "the DOM flattener saw a list item (menus and link lists are lists)",
    "dom_comments": "the DOM flattener saw the line inside a comment container",
    "dom_title": "the DOM flattener's title hint (h1 / og:title agreement)",
    "dom_comment_author": "the DOM flattener's comment-author hint (author/vcard markup)",
}

# DOM hints of the HTML flattener -> the column that records them
DOM_HINTS: dict[str, str] = {"heading": "dom_heading", "list-item": "dom_list_item", "comments": "dom_comments",
                             "title": "dom_title", "comment-author": "dom_comment_author"}

# The rule labeller's verdict per line, one-hot by reason group (evidence for the model).
RULE_GROUPS: dict[str, tuple[str, ...]] = {
    "kept": (),
    "nav": ("navigation", "site-header", "footer", "copyright", "error-page"),
    "related": ("related", "tags"),
    "widget": ("call-to-action", "donation", "share", "cookie", "newsletter", "advertisement"),
    "meta": ("byline", "dateline", "duplicate-title"),
    "comment": ("comment-chrome", "comment-form", "comment-header", "comment-meta", "comment-action",
                "comment-removed", "placeholder-author"),
    "template": ("site-template",),
    "other": ("html-dom", "boilerplate"),
}
RULE_GROUP_WHY = "the existing rule labeller's reason group: its knowledge of wordings, as evidence"

# The rule labeller's role of a kept line (segment's hints), one-hot.
RULE_ROLES: tuple[str, ...] = ("title", "body", "comment-author", "comment-start", "comment")
RULE_ROLE_WHY = "the rule labeller's structure role: title, body span, comment records"

# Neighbour windows: these base columns are repeated for the lines at +-1..+-3.
WINDOW_COLUMNS: tuple[str, ...] = (
    "log_words", "ends_sentence", "stop_share", "letter_share", "name_like", "times", "blank_before",
    "date_like", "extra_blank", "rule_kept", "rule_role_body", "rule_role_comment-start", "rule_role_comment-author", "rule_comment",
    "sig_comment", "sig_author",
)
WINDOW_OFFSETS: tuple[int, ...] = (-3, -2, -1, 1, 2, 3)
WINDOW_WHY = "the lines around: a comment text follows a name/date line, a menu item sits among menu items"

# Centred moving averages of these columns over these widths.
SMOOTH_COLUMNS: tuple[str, ...] = ("log_words", "ends_sentence", "stop_share", "rule_kept", "rule_comment",
                                   "rule_role_body", "name_like", "times", "date_like", "extra_blank",
                                   "shape_period_regular")
SMOOTH_WIDTHS: tuple[int, ...] = (5, 15, 41)
SMOOTH_WHY = "the density of prose / chrome / comment evidence around the line (a coherent span)"

# Page-level columns (the same value on every line of a page).
PAGE: dict[str, str] = {
    "page_log_lines": "page size in lines",
    "page_rule_comment_share": "share of lines the rules put in a comment section",
    "page_author_lines": "how many author-pattern / name-like-before-text lines the page has (log)",
    "page_lang_conf": "share of the page's words that are stopwords of the detected language",
}

# --- Wording-dependent columns ----------------------------------------------------------
# Columns whose value depends on the words of a language the vocabularies know (stopword
# lists, month names, signatures, the rule labeller's English-led verdicts) rather than on
# the line's shape: on a page in another language or wording they are silent. Their
# neighbour windows (``@``) and moving averages (``~``) inherit it. Measured: the share of
# lines whose value changes when the page's words are replaced by pseudo-words of the same
# shape (workers/training/pseudo.py; docs/model.md, "Unseen languages"). The training adds
# such pseudo pages so that the model also learns what the structure alone says.
WORDING_COLUMNS: dict[str, str] = {
    "stop_share": "the detected language's stopword list: 0 on a language without a list",
    "stop_share_any": "all languages' stopword lists: 0 on a language without a list",
    "page_lang_conf": "stopword share of the detected language (changes on 99 % of lines)",
    "month_names": "month names of the listed languages",
    "relative_times": "relative-time wordings of the listed languages (3 days ago, vor 2 Tagen)",
    "date_like": "reads month names and relative times",
    "log_dist_prev_date": "distance to a date_like line",
    "log_dist_next_date": "distance to a date_like line",
    "rule_prose": "the rules' prose test counts function words",
    "sig_page": "widget/chrome signatures are wordings",
    "sig_weak": "widget/chrome signatures are wordings",
    "sig_comment": "comment signatures are wordings (Reply, Report, 3 Comments)",
    "sig_author": "comment author patterns are wordings ('X says:', 'Submitted by X')",
    "sig_dateline": "a dateline needs a month name or a dated wording",
    "sig_start": "comment-section openers are wordings (count headers, sort bars)",
    "sig_end": "comment-section closers are wordings (Leave a Reply, Load more)",
    "after_section_start": "set by a comment-section opener signature",
    "log_since_section_start": "set by a comment-section opener signature",
    "section_end_below": "set by a comment-section closer signature",
    **{f"rule_group_{g}": "the rule labeller's verdict, driven by its wording vocabularies" for g in RULE_GROUPS},
    **{f"rule_role_{r}": "the rule labeller's role, driven by its wording vocabularies" for r in RULE_ROLES},
    "rule_kept": "the rule labeller's verdict, driven by its wording vocabularies",
    "rule_comment": "the rule labeller's comment section, opened by wordings",
    "page_rule_comment_share": "the rule labeller's comment section, opened by wordings",
    "page_author_lines": "author patterns are wordings",
    "span_in": "the prose span's lines pass a function-word test",
    "span_log_dist": "the prose span's lines pass a function-word test",
    "span_side": "the prose span's lines pass a function-word test",
    "span_word_share": "the prose span's lines pass a function-word test",
    "span_log_word_dist": "the prose span's lines pass a function-word test",
    "prose_before_share": "prose lines pass a function-word test",
    "prose_after_share": "prose lines pass a function-word test",
}

# --- The page's main prose span (labeller/span.py; plain text and HTML) -----------------
# The body is one coherent run of prose; prose-like boilerplate (newsletter pitches, "about
# us" blurbs, teasers) sits away from it. Columns, in matrix order (after PAGE):
SPAN: dict[str, str] = {
    "span_in": "the line lies in the page's maximum-sum run of prose lines (the main text)",
    "span_log_dist": "lines between the line and that span (log; 0 inside)",
    "span_side": "-1 above the span, 0 inside, 1 below: mastheads above, related teasers and footers below",
    "span_word_share": "share of the page's words inside the span: one article or many small blocks",
    "span_log_word_dist": "words between the line and the span (log; robust to how a flattener splits lines)",
    "prose_before_share": "share of the page's prose words above the line",
    "prose_after_share": "share of the page's prose words below the line: nothing after the last paragraph is body",
}
SPAN_PROSE_MIN_WORDS = 6           # a prose line has at least this many words ...
SPAN_PROSE_STOP_SHARE = 0.25       # ... and a sentence end or this share of function words ...
SPAN_MAX_LINK_DENSITY = 0.5        # ... and (HTML) less than this share of link text
SPAN_WORDS_CAP = 50.0              # a prose line counts its words, at most this many (one long paragraph)
SPAN_PENALTY = 2.0                 # a non-prose line costs this much ...
SPAN_PENALTY_PER_WORD = 0.5        # ... plus this per word (up to SPAN_PENALTY_WORDS_CAP): a subhead
SPAN_PENALTY_WORDS_CAP = 20.0      # or caption costs little, ten menu lines a paragraph's worth
SPAN_LINE_CAP = 200                # distances capped (lines, words)
SPAN_WORD_CAP = 2000

# --- DOM context (HTML input only; NaN for plain text, like the DOM columns themselves) ----
# The DOM columns are per line; these give the model the DOM evidence of the lines around
# (a comment section or an article body is a run of lines, not one line).
DOM_SMOOTH_COLUMNS: tuple[str, ...] = (
    "rule_comments", "rule_html_dom", "link_density", "itemprop_comment", "anc_time", "rule_comment_author",
    "path_class_share", "container_chars_per_line", "rule_article_level", "anc_form", "anc_footer", "anc_aside",
)
DOM_SMOOTH_WIDTHS: tuple[int, ...] = (5, 15, 41)
DOM_SMOOTH_WHY = "the density of DOM chrome / comment / article evidence around the line"
DOM_WINDOW_COLUMNS: tuple[str, ...] = (
    "rule_comment_author", "anc_time", "itemprop_author", "heading_level", "link_density", "depth",
)
DOM_WINDOW_OFFSETS: tuple[int, ...] = (-2, -1, 1, 2)
DOM_WINDOW_WHY = "the DOM evidence of the next lines: a comment text follows an author / <time> element"
DOM_CONTEXT: dict[str, str] = {
    "dom_same_path_prev": "the block's tag path is the previous line's: the same block or slot continues",
    "dom_same_path_next": "the block's tag path is the next line's",
    "dom_depth_delta_prev": "depth change from the previous line (capped +-8): leaving or entering a nested box",
    "dom_log_dist_prev_author": "lines back to the previous author-marked line (comment-author hint or itemprop author)",
    "dom_log_dist_next_author": "lines on to the next author-marked line: comment records repeat",
    "dom_log_dist_prev_time": "lines back to the previous <time> / itemprop date line",
    "dom_log_dist_next_time": "lines on to the next <time> / itemprop date line",
    "dom_comment_section_pos": "lines since the first line the DOM rules put in a comment section (log; -1 before)",
    "page_dom_comment_share": "share of the page's lines the DOM rules put in a comment section",
    "page_dom_article_share": "share of the page's lines inside the article markup (article level 2)",
    "page_dom_time_lines": "how many lines sit in <time> / itemprop date elements (log): one per comment record",
}

# Words of scripts written without spaces (kana, CJK ideographs, Thai) are estimated as one
# per this many characters (typical Japanese/Chinese word length), so that their prose has
# word counts like spaced scripts' prose instead of one "word" per phrase.
SPACELESS_CHARS_PER_WORD = 2.0

# Structure features: how far the distance features look (lines), and the window of the
# shape-repeat share.
DIST_CAP = 64
SHAPE_WINDOW = 8
STRUCTURE_WHY = "a comment section is a run of same-shaped records (name/date line, text, actions)"
# word-count buckets of the coarse line shape (with name-like, date-like, sentence end)
SHAPE_WORD_BUCKETS: tuple[int, ...] = (1, 4, 9, 21)
# a date-like line has at most this many words (a dateline, not a sentence that mentions a date)
DATE_LINE_MAX_WORDS = 12

# Small stopword lists per language (the most frequent function words), for the prose test.
STOPWORDS: dict[str, str] = {
    "en": "the of and to a in is that it for on was with as are be this by at from have or an not but they you he we his her were which their has had been will its would there all one so can",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über so zum war haben nur oder aber vor zur bis",
    "fr": "de la le et les des en un du une que est pour qui dans par plus pas au sur ne se ce il sont avec ou mais été aux cette son ses nous vous elle leur",
    "es": "de la que el en y a los se del las un por con no una su para es al lo como más pero sus le ya o fue este ha sí porque esta son entre cuando muy sin sobre",
    "it": "di e il la che in a per un è del non una le si con da i gli al della sono come anche più ma lo nel alla questo ha se dei delle",
    "pt": "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das tem à seu sua ou ser quando muito há nos já está",
    "nl": "de en van het een in is dat op te zijn met voor niet aan er om ook als dan maar bij nog wel uit of door over naar werd was hij ze",
    "sv": "och i att det som en på är av för med till den har de inte om ett han men var jag sig från vi så kan",
    "da": "og i at det er en til på som de med han af for ikke der var den har jeg sig fra men et kan",
    "no": "og i det som på er en til av at for med han ikke den har de var jeg seg om men et kan fra",
    "pl": "i w na z do że się nie to jest o jak po co ale od za przez tak są czy przy już tylko",
    "cs": "a se na v je že to s z do o jako by ale pro jsou jsem tak po už jak není",
    "ru": "и в не на что с по как это он к но из у за от же для о так его она был все",
    "tr": "ve bir bu da de için ile çok ne gibi daha ama olarak en o ki var",
    "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke karena ada",
    "fi": "ja on ei se että oli hän ovat kun mutta tai myös joka jos niin kuin mitä sen ole olla vain tämä nyt sitä jo ne hänen jotka siitä kanssa",
    "hu": "a az és hogy nem is egy de van meg csak ez már mint még volt ki el vagy ha azt minden kell mert után amely pedig lesz akkor",
    "ko": "그 이 수 것 및 등 더 또는 그리고 하지만 있는 있다 했다 하는 한다 대한 위해 그러나 또한 통해 때문에 있습니다 합니다 그런데 이런 이번",
}
# Japanese is written without spaces: its prose is recognised by its kana share (kana_share), not by tokens.
STOPWORD_WHY = "function words are the surest sign of running prose in any of these languages"
