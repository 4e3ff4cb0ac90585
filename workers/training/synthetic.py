"""Synthetic comment sections: real article pages with a generated comment widget appended.

Real pages rarely show the model a comment widget in German, with numeric dates, vote glyphs
or avatar initials; the grammar below generates such sections from **widget shapes** (the
order of a comment's lines: role, name, date, reply-to, text, votes, actions; header before or
after the text) x **languages** (the widget's words) x **date formats** (numeric
``03.05.2023, 07:41``, written, relative ``vor 3 Stunden`` / ``3 h``), and inserts one after
the body of a real page (a text-flattener page of an article without comments), before the
page's footer. Comment texts are body paragraphs of other real pages and short replies.
Shapes include what a crawler leaves of a widget once it dropped the chrome: a name line or,
for a guest, an empty slot (one more blank line) before the text; a date-only or
"Name - date" header; no header at all, one action/vote line between records; a collapsed
reply thread ("3 replies"); reactions and the action on one line; "#3 Name - date" on one
line. Half the sections are blank-line separated whatever the source page's flattener.

Held out for validation (never in a training page): the widget shapes ``HOLDOUT_SHAPES`` and
the languages ``widget_vocab.HOLDOUT_LANGS``; ``bench/eval_comment_records.py --sources unseen``
scores the labeller on them. ``synthetic_negative.py`` adds the NEGATIVE pages (repeated entries
that are not comments, boilerplate widgets after the body), ``N_NEGATIVE`` of them.

Every generated line carries its label by construction: names and dates -> comment_head
(author on the name line), texts -> comment_text, everything else in the widget ->
comment_chrome; the page's gold comments are the generated records. Pages are flagged ``dataset="synthetic"`` (validation reports them apart)
and keep their source page's ``site`` (same k-fold group: the body text never straddles a
train/validation split). ``MAX_SHARE`` (all synthetic pages, of the real ones) keeps real
pages dominant.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from workers.core.labeller.labels import (
    BODY, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT, TITLE,
)
from workers.training.pages import TrainPage
from workers.training.widget_vocab import (
    AT_WORD, HOLDOUT_LANGS, LANG, MONTHS, REPLIES, SCRIPT_SYLLABLES, SYLLABLES, UNSPACED_NAME_LANGS, VOTES,
)

SEED = 20260529
# How many synthetic pages, and at most which share of all pages (real pages dominate).
N_PAGES = 600
N_NEGATIVE = 300   # negative pages (synthetic_negative): repeated entries that are not comments, widgets
MAX_SHARE = 0.10   # all synthetic pages together, of the real pages
COMMENTS_PER_PAGE = (2, 12)
# Source pages: text flatteners only (the dom flattener's lines carry DOM hints a text
# widget would not have), article-like pages without comments, with some body.
SOURCE_FLATTENERS = ("resiliparse", "blocks", "blocks-tight")
SOURCE_DATASETS = ("dragnet", "wcxb", "cleanportaleval")
MIN_BODY_LINES = 3
MAX_TEXT_CHARS = 600

# Widget shapes: the line slots of one comment, in order. "text" is the comment's text.
SHAPES: dict[str, tuple[str, ...]] = {
    "wp-says": ("says", "date_at", "text", "reply"),
    "wpdiscuz": ("role", "name", "ago", "reply_to?", "text", "votes", "reply"),
    "disqus": ("name", "ago_short", "text", "votes", "reply"),
    "compact": ("name_dot_ago", "text", "votes?"),
    "avatar": ("initials", "name", "numeric", "text", "reply"),
    "trailing": ("text", "by_name_on_date", "reply?"),
    "numbered": ("number", "name", "written", "text", "reply?"),
    "anonymous": ("ago", "text", "reply"),
    "name-date-line": ("name_numeric", "text", "votes?", "reply?"),
    # a widget whose chrome the crawler dropped: a name line or, for a guest, an empty slot
    # (one more blank line), then the text; the section is blank-line separated
    "blank-slot": ("name_or_blank", "text"),
    "name-dash-date": ("name_dash_date", "text", "reply?"),
    "date-only": ("date_any", "text", "reply?"),
    # no header at all: records separated by one per-comment meta/action line
    "headerless": ("text", "meta_line"),
    # a collapsed reply thread under a comment ("3 replies", "View 3 replies")
    "replies-thread": ("name", "date_any", "reply_to?", "text", "replies?", "reply"),
    # reaction counts and the action on one line under the text ("12 👍  Reply")
    "likes": ("name_dot_date", "text", "votes_reply"),
    # "#3 Name - 12.03.2021" / "3. Name, 2 days ago": number, name and date on one line
    "numbered-inline": ("number_name_date", "text", "reply?"),
    # validation-only shapes (HOLDOUT_SHAPES): never in a training page
    # a social handle with the name ("Name @name12 · 3h")
    "handle": ("name_handle", "text", "votes?"),
    # the header after the text on two lines: name, then date
    "trailing-plain": ("text", "name", "date_any", "reply?"),
}
# Shapes only the validation sections use (eval_comment_records --sources unseen).
HOLDOUT_SHAPES: tuple[str, ...] = ("handle", "trailing-plain")
TRAIN_SHAPES: tuple[str, ...] = tuple(s for s in SHAPES if s not in HOLDOUT_SHAPES)
TRAIN_LANGS: tuple[str, ...] = tuple(lang for lang in LANG if lang not in HOLDOUT_LANGS)
# shapes whose records have no name line; shapes whose section is always blank-separated
ANONYMOUS_SHAPES = frozenset({"anonymous", "date-only", "headerless"})
BLANK_SHAPES = frozenset({"blank-slot"})
GUEST_SHARE = 0.35          # blank-slot: share of comments without a name (an empty slot)
BLANK_SECTION_SHARE = 0.5   # other shapes: share of sections with blank lines between lines
HEAD_SLOTS = frozenset({"says", "date_at", "name", "ago", "ago_short", "name_dot_ago", "numeric", "by_name_on_date",
                        "written", "name_numeric", "name_or_blank", "name_dash_date", "date_any", "name_dot_date",
                        "number_name_date", "name_handle"})
NAME_SLOTS = frozenset({"says", "name", "name_dot_ago", "by_name_on_date", "name_numeric", "name_or_blank",
                        "name_dash_date", "name_dot_date", "number_name_date", "name_handle"})


@dataclass
class _Ctx:
    rnd: random.Random
    lang: str
    title: str


def _name(rnd: random.Random, lang: str = "en") -> str:
    syl = SCRIPT_SYLLABLES.get(lang, SYLLABLES)
    sep = "" if lang in UNSPACED_NAME_LANGS else " "

    def word() -> str:
        return "".join(rnd.choice(syl) for _ in range(rnd.randint(2, 3))).capitalize()
    style = rnd.random()
    first = word()
    if style < 0.45:
        return f"{first}{sep}{word()}"
    if style < 0.7:
        return first
    if style < 0.85:
        return f"{first.lower()}{rnd.randint(1, 999)}"
    return f"{first} {rnd.choice('ABCDEFGHJKLMNPRSTW')}."


def _numeric(rnd: random.Random, lang: str = "en") -> str:
    d, m, y = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(2009, 2025)
    hh, mm = rnd.randint(0, 23), rnd.randint(0, 59)
    return rnd.choice((f"{d:02d}.{m:02d}.{y}, {hh:02d}:{mm:02d}", f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}",
                       f"{m}/{d}/{y % 100:02d} {hh % 12 + 1}:{mm:02d} {rnd.choice(('AM', 'PM'))}",
                       f"{d:02d}/{m:02d}/{y}", f"{d}.{m}.{y} {AT_WORD[lang]} {hh}:{mm:02d}".replace("  ", " ")))


def _written(c: _Ctx) -> str:
    r = c.rnd
    d, mon, y = r.randint(1, 28), r.choice(MONTHS[c.lang]), r.randint(2009, 2025)
    t = f"{r.randint(1, 12)}:{r.randint(0, 59):02d} {r.choice(('am', 'pm'))}"
    if c.lang == "en":
        return r.choice((f"{mon} {d}, {y} at {t}", f"{d} {mon} {y}", f"{mon} {d}, {y}"))
    if c.lang == "ko":
        return f"{y}년 {mon} {d}일"
    if c.lang in ("ja", "zh"):
        return f"{y}年{mon}{d}日" + r.choice(("", f" {r.randint(0, 23)}:{r.randint(0, 59):02d}"))
    if c.lang in ("es", "pt"):
        return r.choice((f"{d} de {mon} de {y}", f"{d} {mon} {y}"))
    return r.choice((f"{d}. {mon} {y}", f"{d} {mon} {y}"))


def _ago(c: _Ctx) -> str:
    return c.rnd.choice(LANG[c.lang]["ago"]).format(n=c.rnd.randint(2, 59))


def _slot(slot: str, c: _Ctx, name: str | None, parent: str | None, k: int) -> str | None:
    r, L = c.rnd, LANG[c.lang]
    if slot == "says":
        return r.choice(L["says"]).format(name=name)
    if slot == "date_at":
        return _written(c) if r.random() < 0.5 else _numeric(r, c.lang)
    if slot in ("name", "name_or_blank"):
        return name
    if slot == "name_dash_date":
        date = _ago(c) if r.random() < 0.4 else (_written(c) if r.random() < 0.5 else _numeric(r, c.lang))
        return f"{name} {r.choice(('-', '–', '—', '|', '·', ','))} {date}"
    if slot == "date_any":
        return r.choice((_ago(c), _written(c), _numeric(r, c.lang)))
    if slot == "meta_line":
        return r.choice((r.choice(L["reply"]), r.choice(VOTES).format(n=r.randint(0, 99), m=r.randint(0, 20))))
    if slot == "ago":
        return _ago(c)
    if slot in ("name_dot_date", "number_name_date", "name_handle"):
        return _joined_head(slot, c, name, k)
    if slot == "votes_reply":
        return f"{r.choice(VOTES).format(n=r.randint(0, 99), m=r.randint(0, 20))}  {r.choice(L['reply'])}"
    if slot == "replies":
        return r.choice(REPLIES[c.lang]).format(n=r.randint(1, 9))
    if slot == "ago_short":
        return f"{r.randint(1, 23)} {r.choice(('h', 'd', 'min', 'w'))}" if r.random() < 0.5 else _ago(c)
    if slot == "name_dot_ago":
        return f"{name} · {r.randint(1, 23)}{r.choice(('h', 'd', 'm', ' h', ' Std.'))}"
    if slot == "numeric":
        return _numeric(r, c.lang)
    if slot == "written":
        return _written(c)
    if slot == "name_numeric":
        return f"{name} {r.choice(('|', '-', '·', ''))} {_numeric(r, c.lang)}".replace("  ", " ")
    if slot == "by_name_on_date":
        return r.choice((f"— {name}, {_written(c)}", f"by {name} on {_written(c)}", f"{name} | {_numeric(r, c.lang)}"))
    if slot == "role":
        return r.choice(L["role"])
    if slot == "reply":
        return r.choice(L["reply"])
    if slot == "reply_to":
        return r.choice(L["reply_to"]).format(parent=parent) if parent else None
    if slot == "votes":
        return r.choice(VOTES).format(n=r.randint(0, 99), m=r.randint(0, 20))
    if slot == "initials":
        return "".join(p[0] for p in name.split()[:2]).upper() if name else None
    if slot == "number":
        return r.choice((f"#{k + 1}", f"{k + 1}.", f"Comment #{k + 1}"))
    raise ValueError(slot)


def _joined_head(slot: str, c: _Ctx, name: str | None, k: int) -> str:
    """A one-line header joining the name with a date (and a number or a handle)."""
    r = c.rnd
    date = r.choice((_ago(c), _written(c), _numeric(r, c.lang)))
    sep = r.choice((" · ", " - ", " – ", " | ", ", ", "  "))
    if slot == "name_dot_date":
        return f"{name}{sep}{date}"
    if slot == "number_name_date":
        return f"{r.choice(('#', ''))}{k + 1}{r.choice(('.', ')', ''))} {name}{sep}{date}"
    handle = "".join(ch for ch in (name or "").lower() if ch.isalnum())[:12] or "user"
    return f"{name} @{handle}{r.randint(1, 99)}{sep}{date}"


@dataclass
class Section:
    """A generated comment section: one (line, label, author) row per line, the blank lines
    before each row, and the comments as the page shows them ([{author, text}])."""
    rows: list[tuple[str, str, str | None]]
    blanks: list[int]
    records: list[dict]
    lang: str = "en"
    shape: str = ""


def comment_section(rnd: random.Random, texts: list[str], title: str,
                    langs: tuple[str, ...] = TRAIN_LANGS, shapes: tuple[str, ...] = TRAIN_SHAPES) -> Section:
    """One generated comment section (see ``Section``) in one of ``langs``, of one of ``shapes``
    (default: the training ones; the held-out ones are for validation)."""
    lang = rnd.choice(langs)
    c = _Ctx(rnd, lang, title)
    L = LANG[lang]
    shape_name = rnd.choice(shapes)
    shape = SHAPES[shape_name]
    n = rnd.randint(*COMMENTS_PER_PAGE)
    blank = 1 if shape_name in BLANK_SHAPES or rnd.random() < BLANK_SECTION_SHARE else 0
    sec = Section([], [], [], lang, shape_name)

    def add(line: str, label: str, author: str | None = None, extra: int = 0) -> None:
        sec.rows.append((line, label, author))
        sec.blanks.append(blank + extra)
    if rnd.random() < 0.8:
        add(rnd.choice(L["count"]).format(n=n + rnd.randint(0, 5), title=title[:80]), COMMENT_CHROME)
    if rnd.random() < 0.4:
        add(rnd.choice(L["sort"]), COMMENT_CHROME)
    names: list[str] = []
    for k in range(n):
        name = _name(rnd, lang) if shape_name not in ANONYMOUS_SHAPES else None
        parent = rnd.choice(names) if names and rnd.random() < 0.3 else None
        shown: str | None = None
        extra = 0
        paras: list[str] = []
        for slot in shape:
            optional = slot.endswith("?")
            slot = slot.rstrip("?")
            if optional and rnd.random() < 0.5:
                continue
            if slot == "name_or_blank" and rnd.random() < GUEST_SHARE:
                extra = blank  # the empty author slot leaves one more blank line
                continue
            if slot == "text":
                paras = _comment_text(rnd, texts, L)
                for j, para in enumerate(paras):
                    add(para, COMMENT_TEXT, extra=extra if j == 0 else 0)
                extra = 0
                continue
            line = _slot(slot, c, name, parent, k)
            if not line or not line.strip():
                continue
            if slot in HEAD_SLOTS:
                author = name if slot in NAME_SLOTS else None
                shown = shown or author
                add(line, COMMENT_HEAD, author, extra)
                extra = 0
            else:
                add(line, COMMENT_CHROME, extra=extra)
                extra = 0
        sec.records.append({"author": shown, "text": "\n".join(paras)})
        if name:
            names.append(name)
    if rnd.random() < 0.5:
        add(rnd.choice(L["more"]), COMMENT_CHROME)
    if rnd.random() < 0.5:
        for f in L["form"][:rnd.randint(1, len(L["form"]))]:
            add(f, COMMENT_CHROME)
    return sec


def _comment_text(rnd: random.Random, texts: list[str], L: dict) -> list[str]:
    if rnd.random() < 0.15 or not texts:
        return [rnd.choice(L["short"])]
    return [rnd.choice(texts)[:MAX_TEXT_CHARS].strip() for _ in range(rnd.choice((1, 1, 1, 2, 3)))]


def source_title(src) -> str:
    return next((ln.text for ln, lab in zip(src.lines, src.labels) if lab == TITLE), "")


def build_page(page_id: str, src, new_rows: list, new_blanks: list[int], records: list[dict], *, replace: bool,
          page_type: str = "article"):
    """``src`` with ``new_rows`` after its body (``replace``: instead of its title..body span);
    None when the line splitter would merge or drop a generated line."""
    from workers.training.flatten import text_lines

    content = [i for i, lab in enumerate(src.labels) if lab in (BODY, TITLE)]
    first, last = (content[0], content[-1]) if replace else (content[-1] + 1, content[-1])
    rows = [(ln.text, lab, None) for ln, lab in zip(src.lines, src.labels)]
    gaps = [ln.blank_before for ln in src.lines]
    rows = rows[:first] + list(new_rows) + rows[last + 1:]
    gaps = gaps[:first] + list(new_blanks) + gaps[last + 1:]
    text = "".join(("\n" * (1 + g) if i else "") + r[0] for i, (r, g) in enumerate(zip(rows, gaps)))
    lines = text_lines(text)
    if len(lines) != len(rows):
        return None
    labels = [r[1] for r in rows]
    if replace:
        body = "\n".join(r[0] for r in rows if r[1] == BODY)
        head = next((r[0] for r in rows if r[1] == TITLE), None)
    else:
        body, head = src.gold.get("content", ""), src.gold.get("title")
    gold = {"content": body, "title": head, "comments": [dict(r) for r in records], "comments_silver": False}
    gold["comments_text"] = "\n\n".join(c["text"] for c in gold["comments"])
    return TrainPage(page_id=page_id, site=src.site, dataset="synthetic", page_type=page_type, flattener="text",
                     content_type="text/plain", url=src.url, lines=lines, dom=None, labels=labels,
                     authors=[r[2] for r in rows], gold=gold)
