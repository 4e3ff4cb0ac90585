"""Shapes of comment header lines (dates, times, "Name says:"), for silver and synthetic labels.

Named data: each pattern says what header shape it recognises. These are used offline to
*label* training lines (the fallback when the markup marks no header) and to check the
synthetic grammar; they are not the model's features.
"""
from __future__ import annotations

import re

# Month names and abbreviations in the languages of the corpus and the synthetic grammar.
MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    "janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|"
    "marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|"
    "aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|janeiro|fevereiro|março|maio|junho|"
    "julho|setembro|outubro|novembro|dezembro|mei|augustus"
)
# Relative-time units (en/de/fr/es/it/pt/nl), singular and plural stems.
TIME_UNITS = (
    r"sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|h|hours?|days?|d|weeks?|wk|months?|mo|years?|yr|y|"
    r"sekunden?|minuten?|stunden?|tagen?|tag|wochen?|monaten?|monat|jahren?|jahr|"
    r"secondes?|heures?|jours?|semaines?|mois|ans?|années?|"
    r"segundos?|minutos?|horas?|días?|dias?|semanas?|meses|mes|años?|anos?|"
    r"secondi|minuti|ore|ora|giorni|giorno|settimane|mesi|mese|anni|anno|"
    r"seconden|uur|uren|dagen|dag|weken|week|maanden|maand|jaar|jaren"
)
# A numeric date: 03.05.2023, 2023-05-03, 5/3/23, 03/05/2023.
NUMERIC_DATE = r"\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b"
# A clock time: 07:41, 9:59 am, 20h15.
CLOCK = r"\b\d{1,2}[:h]\d{2}(?:\s*[ap]\.?m\.?)?\b"
# A written date: January 31, 2011 / 31 Jan 2011 / 09. Jul, 2012 / 3 de mayo de 2023.
WORD_DATE = rf"\b(?:\d{{1,2}}\.?\s*(?:de\s+)?)?(?:{MONTHS})\.?,?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s*)?(?:de\s+)?\d{{2,4}}\b"
# A relative time: 3 hours ago, vor 2 Tagen, il y a 3 jours, hace 5 minutos, 3 h, 2d.
RELATIVE = (rf"(?:\b\d+\s*|\b(?:an?|one)\s+)(?:{TIME_UNITS})\b(?:\s+(?:ago|fa|geleden|atrás))?|"
            rf"\b(?:vor|il y a|hace|há)\s+\d+\s*(?:{TIME_UNITS})\b|"
            r"\b(?:yesterday|today|just now|gestern|heute|hier|aujourd'hui|ayer|hoy|ieri|oggi|ontem|hoje|gisteren|vandaag)\b")

DATE_LIKE = re.compile(rf"{NUMERIC_DATE}|{CLOCK}|{WORD_DATE}|{RELATIVE}", re.I)
# "Name says:", "Name said...", "Name wrote:", "Name dice:", "Name schreibt:", "Name a dit :".
SAYS = re.compile(r"^(?P<name>.{1,60}?)\s+(?:says|said|wrote|dice|sagt|schreibt|zegt|"
                  r"a dit|a écrit|disse|escreveu|escribió|scrive)\s*(?:\.\.\.|:|…)?\s*$", re.I)
# "by Name on <date>", "Posted by Name at <time>", "Name on <date>".
BY_NAME = re.compile(r"^(?:posted\s+|submitted\s+|comment(?:ed)?\s+)?by:?\s+(?P<name>[^,|@]{1,50}?)"
                     r"(?:\s+\(\d+\))?\s+(?:on|at|@|\||-|–|—|,|:)\s", re.I)
NAME_ON = re.compile(r"^(?P<name>[^\d,|@]{1,40}?)(?:\s+\(\d+\))?,?\s+(?:on|at|\||·|-|–|—)\s+(?=.*\d)", re.I)
# Words around a name in an author element ("by X", "Posted by: X", "X says:", "X (1234) writes:").
AUTHOR_PREFIX = re.compile(r"^[\s•·*»›\-–—]*(?:(?:posted|submitted|written|comment(?:ed)?|reply)\s+)?"
                           r"(?:by|von|par|por|di|door|de)\s*:?\s+", re.I)
AUTHOR_SUFFIX = re.compile(r"(?:\s*\(\d+\)|\s+(?:says|said|wrote|writes|replied|dice|sagt|schreibt|zegt|"
                           r"a dit|a écrit|disse|escreveu|escribió|scrive))?\s*[:,.…|]*\s*$", re.I)
# Glue words of a date line ("Posted on ... at ...", "| Permalink").
DATE_GLUE = frozenset({"posted", "on", "at", "um", "le", "à", "el", "a", "las", "de", "am", "pm", "permalink",
                       "edited", "updated", "reply", "link", "report"})
# A comment's number or bullet before its header ("17. Name", "# posted by", "• Name").
ENUMERATOR = re.compile(r"^(?:[#•·*»›]\s*)?(?:\d{1,4}[.)]?\s+)?")
# A header is short.
MAX_SHAPED_HEAD_TOKENS = 14
_TOKEN = re.compile(r"\w+")
_PARTS = re.compile(r"\s[/|·—–-]\s")


def is_date_like(text: str) -> bool:
    return DATE_LIKE.search(text) is not None


def is_head_shaped(text: str) -> bool:
    """A short line with a date/time shape or a "Name says:" shape."""
    n = len(_TOKEN.findall(text))
    if n == 0 or n > MAX_SHAPED_HEAD_TOKENS:
        return False
    return SAYS.match(text) is not None or is_date_like(text)


def author_of(text: str) -> str | None:
    """The name in a shaped header line, when its shape says where the name is."""
    text = ENUMERATOR.sub("", text.strip())
    for pat in (SAYS, BY_NAME, NAME_ON):
        m = pat.match(text)
        if m:
            name = clean_author(_PARTS.split(m.group("name"))[-1])
            if name and not is_date_like(name) and len(_TOKEN.findall(name)) <= 6 \
                    and name.lower() not in DATE_GLUE:
                return name
    return None


def clean_author(text: str | None) -> str | None:
    """The name alone from an author element's text: "by X (123) writes:" -> "X"."""
    if not text:
        return None
    t = AUTHOR_PREFIX.sub("", text.strip())
    t = AUTHOR_SUFFIX.sub("", t).strip(" •·*»›-–—:,")
    return t or None


def is_date_line(text: str) -> bool:
    """A line that is a date/time and little else ("Posted on August 9, 2012 at 11:42am")."""
    rest = DATE_LIKE.sub(" ", text)
    if rest == text:
        return False
    return len([w for w in _TOKEN.findall(rest.lower()) if w not in DATE_GLUE]) <= 1
