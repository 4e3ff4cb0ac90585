"""The unseen-widget partition of the widget injection (``inject.py``): widget kinds,
languages and markup that no fold trains on, so their out-of-fold figures stand for pages
unlike the corpus (#10's blind HTML precision).

Wider than the seen partition on purpose (docs/model.md "Tenth round": the first unseen
partition, four kinds in pt / ru, scored precision 0.911 out of fold where the blind HTML pages
score 0.775, so it was too easy): more kinds (event and ad blocks, login / paywall prompts,
breadcrumb trails, numbered "most read" lists, tables of contents, social follow blocks besides
the donation call, tag cloud, author box and read-more links), more languages (pl, sv, tr, el, zh
besides pt, ru), markup without telling class names (never a ``TELLING_WRAPPERS`` wrapper) and
in the article's own elements (``<p>``, ``<ul>`` / ``<ol>`` lists), placed inside the article
more often (``PLACES``). Every wording is named data below, one table per language.
"""
from __future__ import annotations

import html as H
import random
import re
from typing import Any, Callable

from workers.training.synthetic_vocab import NEG

KINDS: tuple[str, ...] = ("donate", "tags", "author_box", "more_links", "event", "ad", "paywall", "breadcrumb",
                          "most_read", "toc", "follow")
LANGS: tuple[str, ...] = ("pt", "ru", "pl", "sv", "tr", "el", "zh")
# where an unseen widget goes (weights; inject.PLACES' names): inside the article more often
# than the seen ones, as hand-made pages put boxes between paragraphs
PLACES: dict[str, float] = {"before": 0.2, "between": 0.4, "after": 0.25, "end": 0.15}
# share of text items written as article paragraphs (<p>) instead of <div>/<span>
PARAGRAPH_SHARE = 0.5
# kinds written as lists (<ul>, or <ol> for the numbered ones) on a share of widgets
LIST_KINDS: frozenset[str] = frozenset({"more_links", "most_read", "toc", "follow", "tags"})
LIST_SHARE = 0.5
# breadcrumb separators (one trail, one line)
CRUMB_SEPARATORS: tuple[str, ...] = (" › ", " / ", " > ", " » ", " · ")
# social platforms of a follow block (names, not words of a language)
PLATFORMS: tuple[str, ...] = ("Facebook", "Instagram", "X", "YouTube", "TikTok", "LinkedIn", "Telegram",
                              "Mastodon", "WhatsApp", "VK", "Weibo", "WeChat")

# per language: the wordings of the unseen kinds (pt / ru donate and more from synthetic_vocab.NEG)
WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "pt": {"event": ("Próximos eventos", "Inscreva-se", "Ingressos"), "ad": ("Publicidade", "Patrocinado"),
           "paywall": ("Este conteúdo é exclusivo para assinantes", "Assine por apenas 1,90 por mês",
                       "Assinar", "Já é assinante? Entrar"),
           "home": ("Início", "Página inicial"), "most_read": ("Mais lidas", "As mais lidas da semana"),
           "toc": ("Índice", "Neste artigo"), "follow": ("Siga-nos", "Acompanhe nas redes")},
    "ru": {"event": ("Ближайшие события", "Регистрация", "Билеты"), "ad": ("Реклама", "Партнёрский материал"),
           "paywall": ("Материал доступен только подписчикам", "Оформите подписку за 99 рублей в месяц",
                       "Подписаться", "Уже подписаны? Войти"),
           "home": ("Главная",), "most_read": ("Самое читаемое", "Популярное за неделю"),
           "toc": ("Содержание", "Оглавление"), "follow": ("Подписывайтесь на нас", "Мы в соцсетях")},
    "pl": {"donate": ("Wesprzyj niezależne dziennikarstwo", "Wpłać teraz"), "more": ("Czytaj więcej", "Zobacz też »"),
           "event": ("Nadchodzące wydarzenia", "Zapisz się", "Bilety"), "ad": ("Reklama", "Materiał sponsorowany"),
           "paywall": ("Ten artykuł jest dostępny tylko dla subskrybentów", "Wykup dostęp za 9,90 zł miesięcznie",
                       "Subskrybuj", "Masz już konto? Zaloguj się"),
           "home": ("Strona główna",), "most_read": ("Najczęściej czytane", "Najpopularniejsze"),
           "toc": ("Spis treści", "W tym artykule"), "follow": ("Obserwuj nas", "Dołącz do nas")},
    "sv": {"donate": ("Stöd oberoende journalistik", "Ge en gåva"), "more": ("Läs mer", "Läs hela artikeln »"),
           "event": ("Kommande evenemang", "Anmäl dig", "Biljetter"), "ad": ("Annons", "Sponsrat innehåll"),
           "paywall": ("Den här artikeln är endast för prenumeranter", "Prenumerera för 1 krona första månaden",
                       "Prenumerera", "Redan prenumerant? Logga in"),
           "home": ("Startsida", "Hem"), "most_read": ("Mest läst", "Mest lästa just nu"),
           "toc": ("Innehåll", "I den här artikeln"), "follow": ("Följ oss", "Följ oss i sociala medier")},
    "tr": {"donate": ("Bağımsız gazeteciliği destekleyin", "Bağış yap"), "more": ("Devamını oku", "Daha fazla »"),
           "event": ("Yaklaşan etkinlikler", "Kayıt ol", "Biletler"), "ad": ("Reklam", "Sponsorlu içerik"),
           "paywall": ("Bu içerik yalnızca abonelere açıktır", "Aylık 29 TL ile abone olun", "Abone ol",
                       "Zaten abone misiniz? Giriş yap"),
           "home": ("Ana sayfa",), "most_read": ("En çok okunanlar", "Günün en çok okunanları"),
           "toc": ("İçindekiler", "Bu yazıda"), "follow": ("Bizi takip edin", "Sosyal medyada biz")},
    "el": {"donate": ("Στηρίξτε την ανεξάρτητη δημοσιογραφία", "Κάντε δωρεά"),
           "more": ("Διαβάστε περισσότερα", "Περισσότερα »"),
           "event": ("Επερχόμενες εκδηλώσεις", "Εγγραφή", "Εισιτήρια"), "ad": ("Διαφήμιση", "Χορηγούμενο"),
           "paywall": ("Το άρθρο είναι διαθέσιμο μόνο για συνδρομητές", "Γίνετε συνδρομητής με 1 ευρώ τον μήνα",
                       "Εγγραφείτε", "Είστε ήδη συνδρομητής; Σύνδεση"),
           "home": ("Αρχική",), "most_read": ("Τα πιο δημοφιλή", "Δημοφιλή άρθρα"),
           "toc": ("Περιεχόμενα", "Σε αυτό το άρθρο"), "follow": ("Ακολουθήστε μας", "Βρείτε μας στα social")},
    "zh": {"donate": ("支持独立新闻", "立即捐款"), "more": ("阅读更多", "查看全文 »"),
           "event": ("近期活动", "立即报名", "购票"), "ad": ("广告", "赞助内容"),
           "paywall": ("本文仅限订阅用户阅读", "每月仅需 9 元即可订阅", "订阅", "已是会员？登录"),
           "home": ("首页",), "most_read": ("热门文章", "本周最多阅读"),
           "toc": ("目录", "本文内容"), "follow": ("关注我们", "扫码关注公众号")},
}
_WORDS = re.compile(r"\w+")
TAG_LETTERS = 4  # a tag: a word of at least this many letters (as inject.TAG_LETTERS)


def _w(lang: str, key: str) -> tuple[str, ...]:
    own = WORDS.get(lang, {}).get(key)
    return own if own else (NEG.get(lang) or NEG["en"])[key]


def lines(kind: str, lang: str, rnd: random.Random, teaser: Callable[[], str], sentence: Callable[[], str],
          name: Callable[[], str]) -> list[tuple[str, str]]:
    """The widget's lines as (element, text): a = link, b = button, h = heading, t = text,
    c = a breadcrumb trail (one line of links)."""
    if kind == "donate":
        d = _w(lang, "donate")
        return [("h", d[0])] + [("b", x) for x in d[1:]]
    if kind == "tags":
        words = sorted({w for _ in range(6) for w in _WORDS.findall(teaser()) if len(w) >= TAG_LETTERS and w.isalpha()})
        return [("a", w if rnd.random() < 0.5 else w.lower()) for w in rnd.sample(words, min(len(words), rnd.randint(5, 12)))]
    if kind == "author_box":
        return [("h", name()), ("t", sentence()), ("a", rnd.choice(_w(lang, "more")))]
    if kind == "more_links":
        return [("a", f"{teaser()} {rnd.choice(_w(lang, 'more'))}") for _ in range(rnd.randint(2, 4))]
    if kind == "event":
        ev = _w(lang, "event")
        out = [("h", ev[0])]
        for _ in range(rnd.randint(2, 3)):
            out.append(("t", f"{rnd.randint(1, 28):02d}.{rnd.randint(1, 12):02d}.{rnd.choice((2025, 2026))} · {teaser()}"))
        return out + [("b", rnd.choice(ev[1:]))]
    if kind == "ad":
        return [("t", rnd.choice(_w(lang, "ad"))), ("a", teaser()), ("b", rnd.choice(_w(lang, "more")))]
    if kind == "paywall":
        pw = _w(lang, "paywall")
        return [("h", pw[0]), ("t", pw[1]), ("b", pw[2]), ("a", pw[3])]
    if kind == "breadcrumb":
        words = [w for w in _WORDS.findall(teaser()) if len(w) >= TAG_LETTERS and w.isalpha()][:2] or ["Blog"]
        return [("c", rnd.choice(CRUMB_SEPARATORS).join([rnd.choice(_w(lang, "home")), *words]))]
    if kind == "most_read":
        return [("h", rnd.choice(_w(lang, "most_read")))] + [("n", teaser()) for _ in range(rnd.randint(3, 5))]
    if kind == "toc":
        return [("h", rnd.choice(_w(lang, "toc")))] + [("n", teaser()) for _ in range(rnd.randint(3, 6))]
    if kind == "follow":
        return [("t", rnd.choice(_w(lang, "follow")))] + [("a", p) for p in rnd.sample(PLATFORMS, rnd.randint(3, 5))]
    raise ValueError(f"unknown unseen widget kind {kind!r}")


def widget_html(kind: str, items: list[tuple[str, str]], rnd: random.Random, cls: Callable[[], str]
                ) -> tuple[str, list[str]]:
    """(HTML of one unseen widget: plain elements, no telling wrapper, texts as the article's
    paragraphs or lists on a share; its texts as the flattening prints them)."""
    as_list = kind in LIST_KINDS and rnd.random() < LIST_SHARE
    numbered = any(el == "n" for el, _ in items)
    parts, texts = [], []
    k = 0
    for el, t in items:
        if el == "n" and not as_list:  # a numbered entry printed with its number (an <ol> numbers itself)
            k += 1
            t = f"{k}. {t}"
        texts.append(t)
        h = H.escape(t)
        if el in ("a", "n"):
            item = f'<a href="/{rnd.randint(100, 99999)}">{h}</a>'
        elif el == "b":
            item = f'<a href="#">{h}</a>' if rnd.random() < 0.5 else f'<button type="button">{h}</button>'
        elif el == "h":
            item = f"<b>{h}</b>" if rnd.random() < 0.5 else f"<h3>{h}</h3>"
        else:  # text, a breadcrumb trail
            item = h
        if as_list and el in ("a", "n"):
            parts.append(f"<li>{item}</li>")
        elif rnd.random() < PARAGRAPH_SHARE:
            parts.append(f"<p>{item}</p>")
        else:
            parts.append(f'<div class="{cls()}">{item}</div>')
    if as_list:  # the list items gathered into one list after the widget's other elements
        lis = [p for p in parts if p.startswith("<li>")]
        tag = "ol" if numbered else "ul"
        parts = [p for p in parts if not p.startswith("<li>")] + [f"<{tag}>{''.join(lis)}</{tag}>"]
    return f'<div class="{cls()}">{"".join(parts)}</div>', texts


def describe() -> dict[str, Any]:
    """The partition's kinds and languages (tests, reports)."""
    return {"kinds": KINDS, "langs": LANGS}
