"""Date vocabulary and patterns (month and weekday names in en/de/es/fr/it/pt/nl, month names
and relative comment times of more languages), one vocabulary for every stage: the
publication-date cues, the RE2 patterns strip's signatures and the comment-time parser use,
and the comment headers' relative times (``stages/comment_times.py``).

Used to recognise datelines, comment timestamps and related-post dates, and by
``workers.core.stages.dates`` to read publication dates and ``workers.core.stages.printed_times``
to read printed comment times. Patterns are RE2-compatible (no
backtracking constructs) and are applied with ``re2``.
"""
from __future__ import annotations

# month name or abbreviation (lower-case, accents kept) -> month number
MONTHS: dict[str, int] = {}
MONTH_NAMES: dict[str, tuple[str, ...]] = {
    # language -> 12 full names, January first
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"),
    "de": ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
           "ottobre", "novembre", "dicembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro",
           "novembro", "dezembro"),
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
}
# extra spellings and abbreviations -> month number
_MONTH_EXTRA: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    "jän": 1, "jänner": 1, "maerz": 3, "mär": 3, "mrz": 3, "okt": 10, "dez": 12,  # de / at
    "janv": 1, "févr": 2, "fevr": 2, "fév": 2, "avr": 4, "juil": 7, "aout": 8, "déc": 12, "fevrier": 2,
    "decembre": 12,  # fr
    "ene": 1, "abr": 4, "ago": 8, "set": 9, "setiembre": 9, "dic": 12,  # es
    "gen": 1, "mag": 5, "giu": 6, "lug": 7, "ott": 10,  # it
    "fev": 2, "mai": 5, "out": 10, "dez.": 12, "marco": 3,  # pt
    "mrt": 3, "mei": 5, "okt.": 10,  # nl
}
for _names in MONTH_NAMES.values():
    for _i, _n in enumerate(_names):
        MONTHS[_n] = _i + 1
for _k, _v in _MONTH_EXTRA.items():
    MONTHS.setdefault(_k.rstrip("."), _v)

# weekday name or abbreviation -> ISO weekday (Monday = 0)
WEEKDAYS: dict[str, int] = {}
_WEEKDAY_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "pt": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
}
_WEEKDAY_EXTRA: dict[str, int] = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
    "mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6,  # de
    "sonnabend": 5, "miercoles": 2, "sabado": 5, "segunda": 0, "terça": 1, "quarta": 2, "quinta": 3,
    "sexta": 4, "lunedi": 0, "martedi": 1, "mercoledi": 2, "giovedi": 3, "venerdi": 4,
    "lun": 0, "mar": 1, "mié": 2, "jue": 3, "vie": 4, "sáb": 5, "dom": 6, "terca": 1,  # es / pt abbreviations
}
for _names in _WEEKDAY_NAMES.values():
    for _i, _n in enumerate(_names):
        WEEKDAYS.setdefault(_n, _i)
for _k, _v in _WEEKDAY_EXTRA.items():
    WEEKDAYS.setdefault(_k, _v)

# Words that introduce the article's own publication date (lower-case prefixes).
PUBLISHED_CUES: tuple[str, ...] = (
    "posted on", "posted", "published on", "published", "submitted by", "submitted on", "written on",
    "last published", "date:", "dated", "by ",
    "veröffentlicht am", "veröffentlicht", "erschienen am", "von ", "publiziert",  # de
    "publié le", "publié", "mis en ligne le", "par ",  # fr
    "publicado el", "publicado", "publicado por", "por ",  # es / pt
    "pubblicato il", "pubblicato", "di ",  # it
    "gepubliceerd op", "gepubliceerd", "geplaatst op", "door ",  # nl
)
# Of those, the cues that name the date itself (not its author: "by", "von" ...): such a cue
# right before a full date, at a line's start or after a separator ("Essay - Published:
# 2025.12.17 | essays", "Posted on the 15/12/2025 at 19:00 by …"), marks the article's date
# wherever the line stands in the article
DATE_CUES: tuple[str, ...] = tuple(c for c in PUBLISHED_CUES if not c.endswith(" ") and not c.endswith(" by"))
# what may stand between such a cue and its date
DATE_CUE_GAP = r"\s*:?\s*(?:on|the|on the|am|le|el|il|em|op)?\s*"
# A line with such a cued date counts anywhere in the article up to this length
CUED_DATE_LINE_MAX_CHARS = 80

# Words that introduce a date that is NOT the publication date: anything from one of
# these on is ignored (the text before it still counts: "Published 6 May · Updated 7 May").
NON_PUBLICATION_CUES: tuple[str, ...] = (
    "updated", "last updated", "modified", "last modified", "edited", "revised", "reviewed",
    "aktualisiert", "zuletzt aktualisiert", "geändert", "bearbeitet",  # de
    "mis à jour", "modifié", "mise à jour",  # fr
    "actualizado", "modificado", "atualizado",  # es / pt
    "aggiornato", "modificato",  # it
    "bijgewerkt", "gewijzigd",  # nl
    "expires", "deadline", "until", "closes", "closing", "event date", "bis ", "jusqu",
)
# Words that introduce the date of the page's last update ("Last updated on 17 December 2025"):
# published_at's fallback when the page states no publication date (source "updated")
UPDATED_CUES: tuple[str, ...] = (
    "last updated", "updated", "last modified", "modified", "revised",
    "zuletzt aktualisiert", "aktualisiert", "mis à jour", "mise à jour", "actualizado", "atualizado",
    "aggiornato", "bijgewerkt",
)
# The date must follow its "Updated" cue within this many characters ("Updated on: Jul 4, 2024")
UPDATED_DATE_WINDOW = 24

# A byline-shaped date line ("Ann Lee • Oct 20, 2025", "23.07.2025 · 6 min read", "by: Bo Xu,
# Dec 17, 2025"): a full date with, around it, only a reading time, a separator, a byline cue
# and a name of at most BYLINE_LINE_MAX_WORDS words, in at most BYLINE_LINE_MAX_CHARS characters
READING_TIME = r"\b\d{1,3}\s*(?:-\s*)?(?:min(?:ute)?s?|mins?\.?)(?:\s+(?:read|reading|lesen|de lecture|de lectura))?\b"
BYLINE_SEPARATORS = "•·・|⋅"
BYLINE_LINE_CUES = r"^\s*(?:by|posted by|written by|words by|von|par|por|di|door)\b\s*:?"
BYLINE_LINE_MAX_WORDS = 4
BYLINE_LINE_MAX_CHARS = 100

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

# Days per unit word of RELATIVE_TIME ("3 days ago", "vor 2 Tagen", "hace 3 días"), by the
# word's first letters, first match wins (a unit under a day counts 0)
RELATIVE_TIME_UNIT_DAYS: dict[str, int] = {
    "sec": 0, "min": 0, "hour": 0, "hr": 0, "day": 1, "week": 7, "month": 30, "year": 365,
    "stund": 0, "tag": 1, "woche": 7, "monat": 30, "jahr": 365, "hora": 0, "dí": 1, "dia": 1, "semana": 7,
    "mes": 30, "año": 365, "ano": 365, "heure": 0, "jour": 1, "semaine": 7, "mois": 30, "an": 365,
    "ore": 0, "giorn": 1, "settiman": 7, "mesi": 30, "anni": 365, "anno": 365}

# --- comment headers: more languages (stages/comment_times.py) ---------------------------

# Relative comment times in languages beyond MONTH_NAMES' seven (nl, ru, pl, sv, tr, ja, zh, cs,
# id, hu, da/no and "yesterday" words), as whole header lines or a header line's tail
# ("2 godzin temu", "3日前", "gisteren"): (pattern with the count in group "n", the unit in group
# "unit"). A widget prints them where a date would be; read only on comment header lines (never
# in running text). A unit word's ending is read with its alphabet's letters (_CYR, _PL, _CS:
# RE2's \w is ASCII, so "55 часов", "2 дня" were missed; \p{L} makes the caseless alternation too
# large for RE2's DFA).
_CYR, _PL, _CS = "[а-яё]*", "[a-ząćęłńóśźż]*", "[a-záčďéěíňóřšťúůýž]*"
RELATIVE_AGO_EXTRA: tuple[str, ...] = (
    r"(?P<n>\d+|een|één)\s+(?P<unit>seconden?|minuten?|uur|dagen?|dag|weken?|week|maanden?|maand|jaar|jaren)\s+geleden",
    rf"(?:(?P<n>\d+)\s+)?(?P<unit>секунд{_CYR}|минут{_CYR}|час{_CYR}|дн{_CYR}|день|недел{_CYR}|месяц{_CYR}|год{_CYR}"
    r"|лет)\s+назад",
    rf"(?:(?P<n>\d+)\s+)?(?P<unit>sekund{_PL}|minut{_PL}|godzin{_PL}|dni|dzień|tydzień|tygodni{_PL}|miesiąc{_PL}"
    rf"|miesięcy|rok{_PL}|lat)\s+temu",
    r"(?P<n>\d+|en|ett)\s+(?P<unit>sekund(?:er)?|minut(?:er)?|timm(?:e|ar)|dag(?:ar)?|veck(?:a|or)|månad(?:er)?|år)\s+sedan",
    r"(?P<n>\d+|bir)\s+(?P<unit>saniye|dakika|saat|gün|hafta|ay|yıl)\s+önce",
    r"(?P<n>\d+)\s?(?P<unit>秒|分|時間|日|週間|か月|ヶ月|年)前",
    # zh: "23天前", "3小时前", "5分钟前", "2周前", "1个月前" (the synthetic grammar's zh widgets)
    r"(?P<n>\d+)\s?(?P<unit>秒钟?|分钟|个?小时|天|周|个?星期|个月)前",
    # cs: "před 23 dny", "před 2 hodinami", "před měsícem" (the synthetic grammar's cs)
    rf"před\s+(?:(?P<n>\d+)\s+)?(?P<unit>sekund{_CS}|minut{_CS}|hodin{_CS}|dn{_CS}|týdn{_CS}|měsíc{_CS}|rok{_CS}"
    rf"|let{_CS})",
    # id: "3 jam yang lalu", "2 hari lalu", "sebulan yang lalu" (the synthetic grammar's id; a unit
    # without a count only in its "se-" (one) form: "Hari Lalu" is a name)
    r"(?P<n>\d+)\s+(?P<unit>detik|menit|jam|hari|minggu|bulan|tahun)\s+(?:yang\s+)?lalu",
    r"(?P<unit>sedetik|semenit|sejam|sehari|seminggu|sebulan|setahun)\s+(?:yang\s+)?lalu",
    # hu: "3 órája", "2 napja", "5 perce", "1 éve" (the stopword lists' hu)
    r"(?P<n>\d+)\s+(?P<unit>másodperce|perce|órája|napja|hete|hónapja|éve)",
    # da / no: "3 timer siden", "2 dage siden", "2 dager siden", "en måned siden" (the stopword lists')
    r"(?P<n>\d+|en|et)\s+(?P<unit>sekund(?:er)?|minut(?:ter)?|time(?:r)?|dag(?:e|er)?|uge(?:r)?|uke(?:r)?"
    r"|måned(?:er)?|år)\s+siden",
    r"(?P<unit>gisteren|gestern|ayer|hier|ieri|ontem|вчера|wczoraj|igår|dün|昨日"
    r"|i går|hôm qua|eilen|tegnap|včera|kemarin|어제|昨天)",
)
# ("i går": no/da and the spaced sv spelling; "hôm qua": vi; "eilen": fi; "tegnap": hu;
# "včera": cs; "kemarin": id; "어제": ko; "昨天": zh - the yesterday word of each language the
# stopword lists cover that the line above lacked)
# Days per unit of those times (by the unit's first letters, the longest prefix wins; a unit
# under a day counts 0)
RELATIVE_UNIT_DAYS: dict[str, int] = {
    "sec": 0, "min": 0, "uur": 0, "dag": 1, "wee": 7, "maa": 30, "jaa": 365,
    "сек": 0, "мин": 0, "час": 0, "дн": 1, "ден": 1, "нед": 7, "мес": 30, "год": 365, "лет": 365,
    "sek": 0, "god": 0, "dni": 1, "dzi": 1, "tyg": 7, "tyd": 7, "mie": 30, "rok": 365, "lat": 365,
    "tim": 0, "vec": 7, "mån": 30, "år": 365,
    "san": 0, "dak": 0, "saa": 0, "gün": 1, "haf": 7, "ay": 30, "yıl": 365,
    "秒": 0, "分": 0, "時間": 0, "日": 1, "週間": 7, "か月": 30, "ヶ月": 30, "年": 365,
    "小时": 0, "个小时": 0, "天": 1, "周": 7, "星期": 7, "个星期": 7, "个月": 30,   # zh
    "hod": 0, "dn": 1, "týd": 7, "měs": 30, "let": 365,   # cs
    "det": 0, "men": 0, "jam": 0, "har": 1, "ming": 7, "bul": 30, "tah": 365,   # id
    "sed": 0, "semen": 0, "sej": 0, "seh": 1, "semi": 7, "seb": 30, "set": 365,   # id, "se-" (one) forms
    "más": 0, "per": 0, "órá": 0, "nap": 1, "het": 7, "hón": 30, "éve": 365,   # hu
    "uge": 7, "uke": 7,   # da / no ("time": "tim", "dag", "måned": "mån", "år" above)
    "gis": 1, "ges": 1, "aye": 1, "hie": 1, "ier": 1, "ont": 1, "вче": 1, "wcz": 1, "igå": 1, "dün": 1, "昨日": 1,
    "i g": 1, "hôm": 1, "eil": 1, "teg": 1, "vče": 1, "kem": 1, "어제": 1, "昨天": 1,
}


# Short relative times of compact widgets, as a whole header line ("22 d", "5 w", "16 min",
# "3 Std."): unit -> days (a unit under a day counts 0; "m" is minutes there, "mo" months).
SHORT_AGO_UNITS: dict[str, int] = {"s": 0, "m": 0, "min": 0, "h": 0, "std": 0, "std.": 0, "d": 1, "w": 7,
                                   "mo": 30, "y": 365, "j": 365}

# Month names (as printed in a date, nominative and genitive) of ru, pl, sv, tr: comment header
# dates ("17 Kasım 2012", "27 ноября 2015", stages/comment_times.py) and publication dates
# (stages/dates.find_dates); not in MONTH, the RE2 pattern the line labeller's features and the
# comment-time reader match (their inputs stay those the committed model was trained on).
MONTHS_EXTRA: dict[str, int] = {
    **{m: i + 1 for i, ms in enumerate((
        ("января", "январь"), ("февраля", "февраль"), ("марта", "март"), ("апреля", "апрель"), ("мая", "май"),
        ("июня", "июнь"), ("июля", "июль"), ("августа", "август"), ("сентября", "сентябрь"),
        ("октября", "октябрь"), ("ноября", "ноябрь"), ("декабря", "декабрь"))) for m in ms},
    **{m: i + 1 for i, ms in enumerate((
        ("stycznia", "styczeń"), ("lutego", "luty"), ("marca", "marzec"), ("kwietnia", "kwiecień"), ("maja", "maj"),
        ("czerwca", "czerwiec"), ("lipca", "lipiec"), ("sierpnia", "sierpień"), ("września", "wrzesień"),
        ("października", "październik"), ("listopada", "listopad"), ("grudnia", "grudzień"))) for m in ms},
    **{m: i + 1 for i, m in enumerate(("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                                       "september", "oktober", "november", "december"))},
    **{m: i + 1 for i, m in enumerate(("ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos",
                                       "eylül", "ekim", "kasım", "aralık"))},
}
