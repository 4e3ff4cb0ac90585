"""Line signatures: widget strings and chrome wordings, as named data.

Each ``Signature(name, pattern, reason, why, scope, role)`` is a RE2 pattern matched
against a whole line (whitespace collapsed, case-insensitive unless the pattern says
otherwise). ``scope`` says where it applies: "any", "comments" (only inside a comment
section: bare vote counts, "Guest", "Reply to X") or "page" (only outside one).
``role`` tells the structure pass what the line means beyond its reason:

* "start"    — a comment section begins here (count headers, sort bars, noscript lines)
* "end"      — the comment section is over (comment form, bubble, load-more, pagination)
* "heading"  — a block heading whose reason spreads to the short lines under it
* "boundary" — closes the current comment (per-comment footer: Reply, votes)
* "empty"    — a comment section that contains no comments (unrendered JS widget)

Wordings come from the widgets' own strings (see /work/shared/notes/comment-widgets.md):
wpDiscuz, WordPress core + themes, Akismet, Jetpack, Blogger, Drupal, Disqus (rendered and
noscript), Isso, Commento, Remark42, giscus, Coral, Discourse, forum chrome, and news-site
chrome, in English, German, French, Spanish, Italian and Portuguese (WordPress core comment-form
strings in Dutch too).

The comment-section signatures are ``comment_signatures.py`` (matched first), the page-chrome
ones are below; datelines and comment author-line patterns are ``header_lines.py``.
"""
from __future__ import annotations

from dataclasses import replace as _replace

from workers.core.heuristics.comment_signatures import COMMENT_SIGNATURES
from workers.core.heuristics.dates import MONTH, YEAR
from workers.core.heuristics.signature_type import Signature, alt as _alt

__all__ = ["MAX_WORDS", "SIGNATURES", "Signature", "WEAK"]

S = Signature
_Q = "[\"“”„«»‘’'‚‹›]"

# ------------------------------------------------------------------ page chrome
PAGE_SIGNATURES: tuple[Signature, ...] = (
    S("skip-link", _alt("skip to (?:main )?content", "skip to (?:main )?navigation", "skip to footer",
                        "skip to search", "jump to (?:main )?content", "zum inhalt springen", "zur navigation springen",
                        "ir al contenido(?: principal)?", "saltar al contenido(?: principal)?", "aller au contenu(?: principal)?",
                        "passer au contenu", "vai al contenuto(?: principale)?", "salta al contenuto",
                        "pular para o conteúdo(?: principal)?", "ir para o conteúdo", "naar (?:de )?(?:hoofd)?inhoud (?:springen|gaan)",
                        "spring naar (?:de )?(?:hoofd)?inhoud", "ga (?:direct )?naar (?:de )?(?:hoofd)?inhoud", "skip navigation", "skip links?"),
      "navigation", "accessibility skip links at the top of the page"),
    S("nav-words", _alt("menu", "main menu", "main navigation", "navigation", "primary navigation", "user account menu",
                        "breadcrumb", "breadcrumbs", "you are here:?", "home", "homepage", "search", "search for:",
                        "search …", "search\\.\\.\\.", "search this site", "search this website", "search site",
                        "search the site", "search …", "toggle navigation", "toggle menu", "open menu", "close menu",
                        "close", "menu and widgets", "back to top", "top", "back", "go to top", "scroll to top",
                        "post navigation", "posts navigation", "article navigation", "previous", "next",
                        "previous post:?", "next post:?", "previous article:?", "next article:?", "older posts",
                        "newer posts", "older entries", "newer entries", "« older entries", "newer entries »",
                        "older post", "newer post", "newer post older post home", "newer postolder posthome",
                        "entrada más reciente entradas antiguas página principal", "entrada más reciente",
                        "entradas antiguas", "página principal", "startseite", "suche", "suchen", "inicio",
                        "buscar", "accueil", "rechercher", "cerca", "pesquisar", "início", "sign in", "log in",
                        "login", "log out", "logout", "register", "sign up / log in", "my account", "account",
                        "view my complete profile", "sitemap", "site map", "all posts", "view all", "see all",
                        "more", "more\\.\\.\\.", "mehr", "más", "plus", "back to .{1,30}", "zurück(?: zu .{1,30})?",
                        "volver(?: a .{1,30})?", "retour(?: à .{1,30})?", "page \\d+ of \\d+", "\\d+ of \\d+",
                        "« previous", "next »", "‹ previous", "next ›", "1 2 3(?: \\d+)*(?: next)?(?: ›| »)?",
                        "(?:\\d+ )+(?:next|›|»)", "show more", "continue reading.{0,80}", "read more.{0,40}",
                        "weiterlesen", "leer más", "lire la suite", "leggi (?:tutto|di più)", "leia mais"),
      "navigation", "menu, search, pagination and breadcrumb words printed as their own lines"),
    S("nav-separators", r"[^.!?]{0,60}(?:\s[|›»>/·•]\s[^.!?|›»>/·•]{1,40}){2,}\s?[|›»>/·•]?",
      "navigation", "a line of short items joined by | › » > / · • is a menu, breadcrumb or footer link row"),
    S("nav-breadcrumb", r"(?:home|start|inicio|accueil|startseite)\s*[›»>/|·]\s*[^.!?]{1,80}", "navigation",
      "a breadcrumb starting at Home"),
    S("nav-arrows", r"(?:[←«‹<]\s*.{1,150}|.{1,150}\s*[→»›>])", "navigation",
      "previous/next post links drawn with arrows ('← Older post', 'Newer post →')"),
    S("blogger-archive", r"[►▼▶◄▸▾]\s*.{0,120}", "navigation", "Blogger archive tree ('► 2024 (4)', '▼ September (2)')"),
    S("archive-month", rf"{MONTH}\s+{YEAR}(?:\s*\(\d+\))?", "navigation",
      "archive months ('August 2023', 'JUNE 2023'): never a publication date, no day"),
    S("sidebar-headings", _alt("recent posts", "recent articles", "recent comments", "recent entries", "archives",
                               "archive", "blog archive", "archivo del blog", "archiv", "blog-archiv", "archives du blog",
                               "archivio blog", "arquivo do blog", "categories", "category", "kategorien", "categorías",
                               "catégories", "categorie", "categorias", "about me", "über mich", "sobre mí",
                               "à propos", "chi sono", "sobre mim", "about the author", "meta", "blogroll", "links",
                               "followers", "subscribe to this blog", "pages", "topics", "popular posts",
                               "popular tags", "tag cloud", "labels", "etiquetas", "entradas populares",
                               "beliebte posts", "articles populaires", "post più popolari", "postagens populares",
                               "search metro citizen", "follow us", "find us on facebook", "instagram", "calendar"),
      "navigation", "sidebar widget headings (WordPress, Blogger) whose items follow", role="heading"),
    S("related-headings", _alt("related", "related articles", "related posts", "related stories", "related content",
                               "related reading", "related news", "you may also like", "you might also like",
                               "you may also be interested in", "more from .{1,40}", "more on .{1,40}", "more about .{1,40}", "more stories", "more news",
                               "read next", "read more", "recommended", "recommended for you", "most read",
                               "most popular", "most viewed", "most shared", "most commented", "trending",
                               "trending now", "latest", "latest news", "latest posts", "latest stories",
                               "top stories", "editor's picks", "don't miss", "similar posts?", "similar articles",
                               "also on .{1,40}", "ähnliche beiträge", "das könnte dich auch interessieren",
                               "weitere artikel", "artículos relacionados", "entradas relacionadas",
                               "te puede interesar", "articles similaires", "à lire aussi", "articoli correlati",
                               "potrebbe interessarti", "artigos relacionados", "posts relacionados",
                               "leia também", "lesen sie auch", "mehr zum thema"),
      "related", "related / recommended / most-read list headings (Jetpack 'Related', news sites)", role="heading"),
    S("jetpack-related-in", rf"(?:in|em|en|dans)\s+{_Q}.{{1,80}}{_Q}", "related",
      "Jetpack related-post context line: In \"Category\""),
    S("share-words", _alt("share this:?", "share:?", "share this (?:article|post|story|page)", "share on .{1,20}",
                          "share to .{1,20}", "share via .{1,20}", "click to share on .{1,40}", "teilen:?",
                          "diesen beitrag teilen", "artikel teilen", "compartir:?", "comparte(?: esto)?:?",
                          "compartir en .{1,20}", "partager:?", "partager sur .{1,20}", "condividi:?",
                          "condividi su .{1,20}", "compartilhe:?", "compartilhar:?", "facebook", "twitter", "x",
                          "whatsapp", "email", "e-mail", "mail", "print", "drucken", "imprimir", "imprimer",
                          "stampa", "pinterest", "linkedin", "reddit", "telegram", "tumblr", "pocket", "xing",
                          "mastodon", "bluesky", "threads", "flipboard", "messenger", "tweet", "pin it", "pin",
                          "copy link", "link kopieren", "copiar enlace", "copier le lien", "like this:",
                          "like loading\\.\\.\\.", "loading\\.\\.\\.", "gefällt mir:?", "me gusta:?", "j'aime:?",
                          "mi piace:?", "curtir:?", "email this", "blogthis!",
                          "email thisblogthis!.{0,120}", "email this ?blogthis!?.{0,120}"),
      "share", "social sharing buttons and Jetpack 'Like this:' placeholders", role="heading"),
    S("share-counters", r"\d[\d.,]*\s?[kmKM]?\s+(?:shares?|likes?|views?|reads?|tweets?|pins?|reactions?|visits?|"
                        r"aufrufe|visitas|vues|visualizzazioni|visualizações|compartidos|geteilt)",
      "share", "social counters ('1.2K shares', '38 likes')", scope="page"),
    S("cookie-banner", _alt("we value your privacy", "your privacy", "your privacy choices", "privacy settings",
                            "cookie settings", "cookie policy", "cookie preferences", "cookies? notice",
                            "manage (?:cookies|preferences|consent|options|settings)", "accept(?: all)?(?: cookies)?",
                            "reject(?: all)?(?: cookies)?", "decline(?: all)?", "allow all(?: cookies)?",
                            "i accept", "i agree", "agree", "got it!?", "ok(?:ay)?!?", "accept & close",
                            "alle akzeptieren", "akzeptieren", "ablehnen", "alle ablehnen", "einstellungen",
                            "cookie-einstellungen", "aceptar(?: todo| todas)?", "rechazar(?: todo| todas)?",
                            "configurar cookies", "tout accepter", "tout refuser", "accepter", "refuser",
                            "accetta(?: tutti)?", "rifiuta(?: tutti)?", "aceitar(?: todos)?", "rejeitar(?: todos)?",
                            "privacy & cookies.{0,80}", "datenschutzeinstellungen"),
      "cookie", "cookie / consent banner titles and buttons"),
    S("cookie-prose", r".{0,300}\b(?:cookies?|cookie-?richtlinie)\b.{0,300}\b(?:partners?|consent|accept|"
                      r"similar technologies|browsing experience|personali[sz]ed|store and(?:/or)? access|"
                      r"by continuing|zustimm|einwilligung|aceptas|consentement|consenso|consentimento|"
                      r"privacy policy|improve your experience|use of cookies|analy[sz]e)\b.{0,600}",
      "cookie", "cookie-banner prose: 'we and our partners use cookies … consent'", scope="page"),
    S("newsletter", _alt("sign up(?: now| today| here)?!?", "sign up to .{1,60}", "sign up for .{1,60}",
                         "subscribe(?: now| today| here)?!?", "subscribe to (?:our|the) .{1,60}",
                         "subscribe to .{1,40} newsletter", "get (?:the|our) .{1,40} (?:newsletter|briefing|digest).{0,80}",
                         "enter your e-?mail(?: address)?(?: here)?\\.*", "your e-?mail(?: address)?\\.*",
                         "e-?mail address\\.*", "never miss a (?:story|post|thing|beat)!?",
                         "newsletter(?: abonnieren| sign-?up)?", "by signing up, you agree.{0,200}",
                         "by subscribing,? you agree.{0,200}", "join our (?:mailing list|newsletter).{0,80}",
                         "free updates by email", "subscribe via email", "follow by email", "get updates by email",
                         "newsletter abonnieren", "suscríbete(?: al boletín)?", "suscribirse", "boletín",
                         "inscrivez-vous.{0,80}", "s'abonner", "abonnez-vous.{0,80}", "iscriviti.{0,80}",
                         "inscreva-se.{0,80}", "assine.{0,80}", "abonnieren"),
      "newsletter", "newsletter sign-up boxes"),
    S("newsletter-prose", r".{0,200}\b(?:in your inbox|to your inbox|straight to your inbox|newsletter|"
                          r"daily briefing|weekly digest|unsubscribe at any time)\b.{0,200}",
      "newsletter", "newsletter pitch sentences ('The day's top stories, in your inbox …')", scope="page"),
    S("support-cta", _alt("support .{1,40}", "donate(?: now| today)?!?", "make a donation", "become a (?:member|patron|"
                          "supporter|subscriber).{0,40}", "support (?:us|our work|independent journalism).{0,80}",
                          "unterstützen sie .{1,40}", "jetzt spenden", "spenden", "apoya .{1,40}", "donar", "dona",
                          "soutenez .{1,40}", "faire un don", "sostienici", "apoie .{1,40}", "doe agora",
                          "follow us(?: on .{1,30})?", "like us on facebook", "follow .{1,30} on (?:twitter|x|facebook|instagram)",
                          "join us(?: on .{1,30})?", "download (?:our|the) app.{0,40}", "get the app",
                          "buy (?:me|us) a coffee", "become a patron", "patreon", "paypal"),
      "call-to-action", "support / donate / follow prompts ('Support SouthFront')", scope="page"),
    S("support-prose", r".{0,200}\b(?:no paywall|reader-(?:funded|supported)|funded by (?:our )?readers|"
                       r"independent (?:journalism|reporting|media)|support (?:independent|our) (?:journalism|work|reporting)|"
                       r"your support|make a (?:one-off|one-time|monthly) (?:donation|contribution))\b.{0,200}",
      "call-to-action", "support-our-journalism pitches (taglines of reader-funded sites)", scope="page"),
    S("donation-amounts", r"(?:[$€£¥₽]\s?\d[\d,.\s]*|\d[\d,.\s]*\s?[$€£¥₽]|\d[\d,.]*\s?(?:usd|eur|gbp|rub))"
                          r"(?:\s*(?:/|of|von|de|sur)\s*[$€£]?\s?\d[\d,.]*\s?[$€£]?)?(?:\s+(?:raised|goal|gesammelt|recaudado))?",
      "donation", "donation-goal widgets print bare amounts ('0 $', '2,500 $', '580 $')", scope="page"),
    S("advertisement", _alt("advertisement", "advertisements", "advertising", "ad", "ads", "sponsored",
                            "sponsored content", "sponsored links", "paid content", "paid post", "promoted",
                            "promoted content", "partner content", "anzeige", "werbung", "publicidad", "publicité",
                            "pubblicità", "publicidade", "story continues below advertisement",
                            "article continues below(?: this)? (?:ad|advertisement)", "continue reading below",
                            "scroll to continue with content", "ad feedback", "report this ad"),
      "advertisement", "advertisement labels between paragraphs"),
    S("tags", r"(?:tags?|tagged(?: with| as)?|labels?|etiquetas?|schlagwörter|schlagworte|stichwörter|mots-clés|"
              r"tag|categories|category|kategorien?|categorías?|catégories?|categorie|categorias?|filed under|"
              r"posted in|published in|veröffentlicht in|publicado en|publié dans|pubblicato in|topics?|themen?)"
              r"\s*:?\s+.{1,300}",
      "tags", "tag / label / category lines of the post ('Tags: …', 'Labels: …', 'Posted in …')", scope="page"),
    S("hashtags", r"#[\w\-]{1,40}(?:\s*,?\s*#[\w\-]{1,40})*", "tags", "a line made only of #hashtags", scope="page"),
    S("copyright", r"(?:©|\(c\)|copyright|&copy;).{0,300}|.{0,200}(?:©|all rights reserved|alle rechte vorbehalten|"
                   r"todos los derechos reservados|tous droits réservés|tutti i diritti riservati|"
                   r"todos os direitos reservados).{0,200}",
      "copyright", "copyright and rights-reserved lines"),
    S("footer-links", _alt("about", "about us", "about the .{1,30}", "contact", "contact us", "contact the .{1,30}",
                           "imprint", "impressum", "datenschutz", "datenschutzerklärung", "kontakt", "agb",
                           "privacy", "privacy policy", "privacy notice", "terms", "terms of use", "terms of service",
                           "terms and conditions", "terms & conditions", "cookie settings", "careers", "jobs",
                           "advertise", "advertise with us", "advertising", "corrections", "rss", "rss feed",
                           "feeds?", "faq", "help", "accessibility", "press", "legal", "disclaimer", "sitemap",
                           "aviso legal", "política de privacidad", "política de cookies", "contacto",
                           "mentions légales", "politique de confidentialité", "note legali", "contatti",
                           "política de privacidade", "contato", "fale conosco"),
      "footer", "site footer links (About, Contact, Privacy, Terms, Impressum …)", scope="page"),
    S("powered-by", r"(?:.{0,60}[.\s]\s*)?(?:proudly )?(?:powered by|theme by|designed by|built with|hosted by|"
                    r"con la tecnología de|bereitgestellt von|propulsé par|realizzato con|desenvolvido por|"
                    r"tema:|theme:).{0,80}",
      "footer", "platform credits ('Proudly powered by WordPress', 'Simple theme. Powered by Blogger.')"),
    S("error-page", _alt("page not found", "404", "error 404", "404 error", "404 not found", "404 - page not found",
                         "not found", "oops!.{0,60}", "the page you (?:are|were) looking for.{0,120}",
                         "this page (?:doesn't|does not|could not|can't|cannot) (?:exist|be found).{0,80}",
                         "seite nicht gefunden", "fehler 404", "página no encontrada", "page introuvable",
                         "pagina non trovata", "página não encontrada", "nothing found", "no results found"),
      "error-page", "error / not-found page headings"),
    S("error-prose", r".{0,200}\b(?:couldn[’']t|could not|can[’']t|cannot|unable to) (?:find|locate) "
                     r"(?:the|this|that) page\b.{0,300}|.{0,120}\bpage (?:you requested|you were looking for|"
                     r"you are looking for|may have been (?:moved|removed|deleted))\b.{0,300}",
      "error-page", "not-found page apologies ('Sorry, we couldn't find the page …')", scope="page"),
    S("byline", r"(?:by|von|por|par|di|door|de|posted by|written by|words by|story by|text by|author:|autor:|"
                r"auteur ?:|autore:|publicado por|publié par|pubblicato da|geschrieben von|veröffentlicht von|"
                r"escrito por|postado por)\s+\p{Lu}[^.!?]{0,100}",
      "byline", "the article's author byline ('By Renata Oyelaran', 'Posted by X at 6:42 PM')", scope="page"),
    S("reading-time", r"(?:\d+\s*(?:min(?:ute)?s?|minuten|minutos)\s*(?:read|lesezeit|de lectura|de lecture|di lettura))"
                      r"|(?:lesezeit:?\s*\d+\s*min(?:uten)?)|(?:reading time:?\s*\d+\s*min(?:utes)?)",
      "byline", "reading-time labels of the article header", scope="page"),
)

# Generic words that are chrome in a menu, a sidebar or a footer but may be a heading or a list
# item inside an article ("FAQ", "Contact", "Print", "June 2023"): applied outside the body only.
WEAK: frozenset[str] = frozenset({
    "nav-words", "sidebar-headings", "related-headings", "share-words", "footer-links", "cookie-banner",
    "archive-month", "comments-heading", "sort-word", "wp-form-fields", "nav-arrows", "jetpack-related-in", "hashtags",
})

# Word limits: signatures whose pattern could also match a sentence of prose.
MAX_WORDS: dict[str, int] = {
    "byline": 10, "support-cta": 5, "nav-arrows": 14, "tags": 40, "copyright": 40, "powered-by": 14,
    "share-counters": 4, "donation-amounts": 6, "comment-count-header": 40, "comment-reply-to": 14,
    "error-page": 14, "comment-count-loose": 14, "nav-separators": 40, "newsletter": 20, "newsletter-prose": 30, "support-prose": 40,
    "cookie-prose": 120, "error-prose": 60, "reading-time": 8, "pingback": 60, "jetpack-related-in": 10,
    "comment-removed": 20, "wp-leave-reply": 12, "wp-reply-title": 18, "nav-breadcrumb": 20, "blogger-archive": 16,
}

# every signature in matching order: the comment sections' first, then the page chrome
SIGNATURES: tuple[Signature, ...] = tuple(
    _replace(s, weak=s.name in WEAK, max_words=MAX_WORDS.get(s.name, s.max_words))
    for s in COMMENT_SIGNATURES + PAGE_SIGNATURES
)
