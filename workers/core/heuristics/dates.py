"""Date vocabulary and patterns (month and weekday names in en/de/es/fr/it/pt/nl).

Used to recognise datelines, comment timestamps and related-post dates, and by the segment
stage to turn a printed comment time into ISO 8601. Patterns are RE2-compatible (no
backtracking constructs) and are applied with ``re2``.
"""
from __future__ import annotations

MONTHS: dict[str, int] = {}
for _i, _names in enumerate([
    "january jan januar janvier gennaio janeiro enero ene jänner januari",
    "february feb februar février fevrier febbraio fevereiro febrero februari",
    "march mar märz maerz mars marzo março marco maart mrz",
    "april apr avril aprile abril abr",
    "may mai maggio maio mayo mei",
    "june jun juni juin giugno junho junio",
    "july jul juli juillet luglio julho julio",
    "august aug agosto août aout ago augustus",
    "september sep sept septembre settembre setembro septiembre set",
    "october oct oktober octobre ottobre outubro octubre okt out",
    "november nov novembre novembro noviembre",
    "december dec dezember décembre decembre dicembre dezembro diciembre dic dez",
], start=1):
    for _n in _names.split():
        MONTHS.setdefault(_n, _i)

WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate([
    "monday mon montag mo lunes lun lundi lunedì lunedi segunda maandag",
    "tuesday tue tues dienstag di martes mar mardi martedì martedi terça terca dinsdag",
    "wednesday wed mittwoch mi miércoles miercoles mié mercredi mercoledì mercoledi quarta woensdag",
    "thursday thu thur thurs donnerstag do jueves jue jeudi giovedì giovedi quinta donderdag",
    "friday fri freitag fr viernes vie vendredi venerdì venerdi sexta vrijdag",
    "saturday sat samstag sa sábado sabado sáb samedi sabato zaterdag",
    "sunday sun sonntag so domingo dom dimanche domenica zondag",
]):
    for _n in _names.split():
        WEEKDAYS.setdefault(_n, _i)

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_ALT = "|".join(sorted((w for w in WEEKDAYS if len(w) > 2), key=len, reverse=True))

MONTH = rf"(?:{_MONTH_ALT})\.?"
WEEKDAY = rf"(?:{_WEEKDAY_ALT})\.?,?"
YEAR = r"(?:1[89]\d\d|20\d\d)"
TIME = r"(?:\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s?(?:[ap]\.?m\.?|uhr|h)?)"

# Full dates (day + month + year), any common order.
DATE_DMY_WORDS = rf"\d{{1,2}}(?:st|nd|rd|th|er|º|°)?\.?\s+(?:de\s+)?{MONTH},?\s+(?:de\s+)?{YEAR}"
DATE_MDY_WORDS = rf"{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{YEAR}"
DATE_NUMERIC = r"(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})"
FULL_DATE = rf"(?:{DATE_DMY_WORDS}|{DATE_MDY_WORDS}|{DATE_NUMERIC})"

# "3 days ago", "a month ago", "vor 2 Tagen", "hace 3 días", "il y a 2 jours", "last month"
RELATIVE_TIME = (
    r"(?:(?:\d+|a|an|one|two|three|few)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
    r"|just now|right now|yesterday|today|last (?:week|month|year|night)"
    r"|vor\s+(?:\d+|einem|einer|zwei|drei)\s+(?:sekunden?|minuten?|stunden?|tagen?|wochen?|monaten?|jahren?)"
    r"|hace\s+(?:\d+|un|una|unos|unas)\s+(?:segundos?|minutos?|horas?|días?|dias?|semanas?|mes|meses|años?)"
    r"|il y a\s+(?:\d+|un|une)\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)"
    r"|(?:\d+|un|una)\s+(?:minuti?|ore|giorni?|settimane?|mesi|anni?)\s+fa"
    r"|há\s+(?:\d+|um|uma)\s+(?:minutos?|horas?|dias?|semanas?|mês|meses|anos?)"
    r"|\d+\s?(?:s|m|h|d|w|mo|y)\s+ago)"
)
