"""Header lines of the page and of comments, as named data: the article's dateline shapes,
comment-widget author lines (name in group "name", time in "when"), author lines printed
after the comment, and the placeholder names a widget shows for an anonymous commenter.
Applied by ``stages/authors.py`` and the strip stage's line features; the widget and chrome
wordings themselves are ``signatures.py``."""
from __future__ import annotations

from workers.core.heuristics.dates import FULL_DATE, MONTH, TIME, WEEKDAY, YEAR
# the comment headers' relative times and month names of more languages are date vocabulary:
# heuristics/dates.py (one vocabulary)
from workers.core.heuristics.signatures import Signature

S = Signature

# A dateline: a short line whose core is the article's date. Checked separately from the
# signatures because its reason depends on where the line is (header: dateline; related
# list: related; comments: comment-meta).
DATELINE = (
    rf"(?:(?:posted|published|updated|last updated|first published|publiziert|veröffentlicht|aktualisiert|"
    rf"publicado|actualizado|publié|mis à jour|pubblicato|aggiornato|atualizado|on|am|el|le|il|em|date:|datum:|"
    rf"fecha:|stand:)\s*(?:on|am|el|le|il|em|:)?\s*)?"
    rf"(?:{WEEKDAY}\s*)?(?:{FULL_DATE})"
)
# Whole-line date shapes beyond the plain dateline: "Published 6 May 2024 · Updated 7 May 2024",
# "January 22, 2024 · 7 min read", "Von Jana Reiter | 11.06.2024".
DATE_ANYWHERE = rf"(?:{WEEKDAY}\s*)?(?:{FULL_DATE})(?:\s*(?:at|um|a las|à|alle|às|-|–|,)?\s*{TIME})?"

# Author lines of comment widgets, with the name in group "name" (and the time, if any, in "when").
AUTHOR_PATTERNS: tuple[Signature, ...] = (
    S("wp-says", r"(?P<name>[^\s].{0,60}?)\s+(?:says|said|wrote|writes|sagt|schrieb|schreibt|meint|dijo|dice|"
                 r"escribió|a dit|a écrit|dit|ha detto|ha scritto|scrive|disse|diz|escreveu|zegt|schreef|schrijft)\s*(?::|\.\.\.|…|\.|,)?"
                 r"(?:\s*(?P<when>.{0,60}))?",
      "comment-author", "WordPress '%s says:', Blogger '%s said...', and their translations"),
    S("drupal-submitted", r"submitted by\s+(?P<name>.{1,80}?)\s+on\s+(?P<when>.{4,80})",
      "comment-author", "Drupal core: 'Submitted by @username on @datetime'"),
    S("isso-bullet", r"(?P<name>[^•·|]{1,60}?)\s*[•·]\s*(?:(?:author|autor|auteur|autore)\s*[•·]\s*)?(?P<when>.{2,60})",
      "comment-author", "Isso header: author • (Author •) humanised time"),
    S("forum-by", r"(?:posted\s+|written\s+|submitted\s+)?by\s+(?P<name>[^()<>]{1,50}?)\s*(?:\(\d+\))?\s*(?:<[^>]{0,80}>)?"
                  r"\s+(?:on|at|-|–|\|)\s+(?P<when>.{4,80})",
      "comment-author", "forum/Slashdot-style comment headers 'by Name (1234) on Monday July 23, @08:25PM (#40743959)'"),
    S("by-name", r"(?:posted\s+|written\s+|submitted\s+|comment\s+)?by:?\s+(?P<name>[^()<>,]{1,50}?)\s*(?:\(\d+\))?"
                 r"(?:(?:\s+(?:on|at)|\s*(?:-|–|\|))\s+(?P<when>.{4,80}))?",
      "comment-author", "'by Name (1234)' comment headers of forums and Slashdot-like sites"),
    S("date-then-name", rf"(?P<when>(?:{WEEKDAY}\s*)?(?:{FULL_DATE})(?:\s*(?:at|um|a las|à|-|,|@)?\s*{TIME})?)"
                        rf"\s*[/|·•–—-]\s*(?:by\s+)?(?P<name>[^\s/|].{{0,50}}?)"
                        r"(?:\s+(?:says|said|wrote|writes|sagt|schrieb|dijo|escribió|a dit|a écrit|ha detto|disse|escreveu)\s*[:.…]*)?",
      "comment-author", "comment headers that print the date first ('09. Jul, 2012 / Courtney says:')"),
    S("on-date-name-says", rf"(?:on\s+)?(?P<when>(?:{WEEKDAY}\s*)?(?:{FULL_DATE})(?:\s*(?:at|um|a las|à|-|,|@)?\s*{TIME})?)"
                           r",?\s+(?P<name>[^\s].{0,50}?)\s+(?:says|said|wrote|writes|sagt|schrieb|dijo|escribió|a dit|"
                           r"a écrit|ha detto|disse|escreveu)\s*[:.…]*",
      "comment-author", "themes that print the date before the name: 'On August 24, 2012 at 11:09 am Ann Lee said:'"),
    S("name-on-date", rf"(?P<name>[^\s].{{0,50}}?)(?:\s+(?:on|at)|\s*(?:-|–|—|\||,))?\s*(?P<when>(?:{WEEKDAY}\s*)?(?:{FULL_DATE})"
                      rf"(?:\s*(?:at|um|a las|à|alle|às|-|–|,|@)?\s*{TIME})?)"
                      r"(?:\s+(?:says|said|wrote|writes|sagt|schrieb|dijo|escribió|a dit|a écrit|ha detto|disse|escreveu)"
                      r"\s*[:.…]*)?",
      "comment-author", "forum / blog comment headers 'Name on March 3, 2012 at 10:15 am (said:)', 'Name | 12.03.2012'"),
    S("name-glued-date", rf"(?P<name>[^\s\d][^\d]{{0,50}}?)(?P<when>(?:{MONTH})\s+\d{{1,2}},?\s+{YEAR}(?:\s*(?:at)?\s*{TIME})?)",
      "comment-author", "Blogger threaded layout glues the name to the date ('Name March 3, 2012 at 10:15 AM')"),
)

# Author lines printed AFTER the comment text (TypePad, some forum themes).
TRAILING_AUTHOR_PATTERNS: tuple[Signature, ...] = (
    S("typepad-posted-by", r"posted by:\s*(?P<name>[^|]{1,60}?)\s*\|\s*(?P<when>.{4,80})",
      "comment-author", "TypePad and similar: 'Posted by: Name | June 15, 2012 at 09:38 AM' under the comment"),
)

# Words a comment header prints before the commenter's name ("by cpu6502 (1960974) writes:",
# "written by mike, October 19, 2012", "von Jana", "par Marc"): not part of the name the record
# carries (the header patterns may read the name with them)
NAME_LEAD_WORDS: tuple[str, ...] = (
    "posted by", "written by", "submitted by", "comment by", "commented by", "reply by", "by",
    "von", "par", "por", "door", "przez",
)
# A comment's number as a header prints it before the name: "#3", "# 12", "3.", "3)". A bare
# number ("3 Bram") is not in it: before a name it is the comment's number, but a text not yet
# known to be a name may be a date or a count ("3 days ago", "12 Kommentare"); only
# stages/authors.clean_author, which reads a name, also drops a bare one (_NAME_NUMBERING)
COMMENT_NUMBER = r"(?:#\s?\d{1,5}|\d{1,4}[.)])"
# The comment's number or a bare number, where the text after it is known to be, or must be,
# a name: stages/authors.clean_author drops it from a name ("1 Tami", "+4 #1 munya"), and
# labeller/comment_shape reads "1 Tami November 7, 2012" as a numbered name only when the rest
# is name-like (there a bare number is the comment's number, not a count or a date)
COMMENT_NUMBER_OR_BARE = rf"(?:{COMMENT_NUMBER}|\d{{1,4}})"
# Marks a comment header prints before the name: a list bullet (resiliparse prints a list item as
# "• Name"), the comment's number ("(1) Mike says:", "20. 09. Jul, 2012 / Nikko says:")
HEADER_LEAD_MARKS = rf"(?:[•·▪◦►‣*]|\(\d{{1,4}}\)|{COMMENT_NUMBER})"

# Openings of the header lines a blog engine prints UNDER its comment's text (TypePad and
# Movable Type comment footers "Posted by: Name | date", "Posted by: Name at date"; the post's
# own footer has no colon): when most of a section's name lines open so, its records' headers
# trail their texts, whatever the section's ends show (labeller/comments.py)
TRAILING_HEADER_OPENINGS: tuple[str, ...] = ("posted by:",)

# Names that a widget shows when the commenter gave none: the comment's author is null.
# Widget words that a comment header prints where the name would be, never a name: a line
# reading only this is not the comment's author (Dragnet pages: "Permalink" under the name,
# "on" / "posted" split from the date)
NOT_AUTHOR_WORDS: frozenset[str] = frozenset({
    "permalink", "link", "on", "posted", "reply", "replies", "quote", "report", "edit", "delete", "share", "like",
    "says", "said", "wrote",
})
PLACEHOLDER_AUTHORS: frozenset[str] = frozenset({
    "anonymous", "anonym", "anonyme", "anónimo", "anonimo", "anônimo", "anon", "unknown", "unbekannt",
    "desconocido", "inconnu", "guest", "gast", "invitado", "visitor", "a reader", "reader", "someone",
    "anonymous coward", "deleted", "[deleted]", "user", "nobody",
})

# The repeating shape of a comment section (labeller/comment_shape.py): a word that this share
# of the section's distinct name-like header lines share (at least this many lines) is a word
# of a relative time or a label in a language the date vocabulary lacks, never of names
# ("il y a 3 jours", "2 godzin temu"; names of different commenters share no word)
NAME_WORD_RECUR_SHARE = 0.6
NAME_WORD_RECUR_MIN_LINES = 3

# Threading markers a comment prints above its text, naming its parent's author: wpDiscuz
# "Reply to  X", Coral "Replying to: X", Drupal "In reply to <subject> by X" (read apart, it
# has a subject), and the widgets' translations. A header line that opens with one is never
# the comment's own author; the segment stage reads the parent from it.
REPLY_TO_WORDS: tuple[str, ...] = (
    "reply to", "replying to:?", "in reply to", "response to", "antwort an", "antwort auf", "en respuesta a", "en réponse à",
    "in risposta a", "risposta a", "em resposta a", "reactie op", "svar till", "odpowiedź do", "ответ для",
)

# The role hint of a comment's first line when the DOM nests the comment under an earlier one
# (labeller/comments.py writes it, the segment stage reads the parent from it):
# "comment-reply:<k>", the parent being the comment k before it.
REPLY_ROLE = "comment-reply:"
