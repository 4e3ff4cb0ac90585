"""Numeric thresholds of the line classifier, each with the reason it has its value."""
from __future__ import annotations

# Lines longer than this are prose/content: only cheap checks run on them (no signature scan).
MAX_SIGNATURE_CHARS = 400            # chrome lines are short; caps regex work on huge lines
MAX_LEARN_CHARS = 300                # template learning hashes only lines up to this length

# "good" (prose) line: jusText-like length + sentence evidence
GOOD_MIN_WORDS = 15                  # a line this long with some punctuation is prose
GOOD_ALWAYS_WORDS = 25               # a line this long is prose even without punctuation (headlines are shorter)
GOOD_MIN_WORDS_WITH_PUNCT = 8        # shorter lines need a sentence end (. ! ? …) to count as prose
SHORT_MAX_WORDS = 6                  # up to this many words a line is "short" (menu item, label)

# body-span scoring (maximum-sum segment over lines, like a 1-D densest block)
SCORE_GOOD_CAP = 60                  # one huge line must not outweigh the page structure
ISOLATED_GOOD_FACTOR = 0.5          # a prose line with no prose neighbour scores half (teasers in link lists)
SCORE_SHORT = -1.5                   # a short unlabelled line costs a little (menus are runs of them)
SCORE_MEDIUM = -1.0                  # a medium line without sentence end: a headline or a link, mildly negative
SCORE_WEAK_SIGNATURE = -2.5          # a generic chrome word ("Related", "Share") in the body area
SCORE_LIST_ITEM = -0.3               # a bulleted item ("• Apple iPad"): list content, almost neutral
SCORE_SIGNATURE = -4.0               # a line matched by a boilerplate signature
SCORE_LINKLIKE_RUN = -3.0            # a short line inside a run of >= 4 short lines (a menu/list of links)
MENU_RUN = 4                         # that many consecutive short lines form a menu-like run

DATELINE_MAX_OTHER_WORDS = 6         # a dateline is a date plus at most this many other words

# title
TITLE_LOOKBACK = 8                   # title searched among this many lines before the body start
TITLE_HEAD_LOOKBACK = 25             # lines searched for a headline repeated inside the page's first lines
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 250

# comments
AUTHOR_MAX_WORDS = 5                 # a bare author line (wpDiscuz) has at most this many words
AUTHOR_MAX_CHARS = 48
NAMELESS_COMMENT_MIN_WORDS = 5       # a comment with no author and no sentence end needs this many words
VOTE_MAX = 99999
REPEATED_HEADERS = 3                 # that many header-like lines (name/date) after the body make a comment list
MAX_SCAN_LINES = 400                 # look-ahead bound when checking what follows a comment marker
ARTICLE_UNDER_MARKER_WORDS = 150     # prose run right under a comment marker that is an article, not a comment
REPEATED_HEADERS_MAX_GAP = 20        # ... following each other within this many lines
REPEATED_HEADERS_MIN_BODY_WORDS = 30 # ... provided the article's prose comes first                     # a bare integer line in a comment section is a vote count

# a short block (subheading + list) between the last paragraph and the comment widget
TAIL_BLOCK_MIN_LINES = 2             # a lone short line there is more often a byline/bio/label than content
TAIL_BLOCK_MAX_LINES = 8             # a longer run of short lines is a menu or a link list
TAIL_BLOCK_MAX_WORDS = 12            # each line of it is short (a subhead, a list item)

# a newsletter box: heading, blurb, e-mail field, button
BOX_BLURB_MAX_LINES = 2              # at most this many unlabelled lines between a sign-up heading and its form
BOX_BLURB_MAX_WORDS = 30             # ... each of at most this many words (a pitch line, not a paragraph)

# error pages: an error signature with less prose than this makes the whole page boilerplate
ERROR_PAGE_MAX_PROSE_WORDS = 80

# site templates
TEMPLATE_MIN_DOCS = 2                # a line seen on at least this many earlier pages of a site is template
TEMPLATE_RECENT_IDS = 32             # document ids remembered for idempotent learning

# Memo of per-line features across pages (workers/core/rules/features.py): short lines only (chrome
# repeats, prose does not), at most this many entries (~300 bytes each), then cleared.
LINE_CACHE_MAX_CHARS = 160
LINE_CACHE_ENTRIES = 50_000
