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

Datelines and comment author-line patterns are ``header_lines.py``.
"""
from __future__ import annotations

from dataclasses import dataclass

from workers.core.heuristics.dates import FULL_DATE, MONTH, RELATIVE_TIME, TIME, WEEKDAY, YEAR


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    pattern: str
    reason: str
    why: str
    scope: str = "any"        # "any" | "comments" | "page"
    role: str | None = None   # None | "start" | "end" | "heading" | "boundary" | "empty"
    weak: bool = False        # a generic word that is content inside the article body span
    max_words: int = 0        # the line must have at most this many words (0: no limit)


def _alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


S = Signature
_N = r"(?:\d[\d.,]*[km]?|one|no|un|une|uno|una|ein|eine|keine|um|uma|een|geen)"
_COMMENTS_WORD = _alt("comments?", "responses?", "replies", "reply", "thoughts?", "reactions?", "kommentare?",
                      "antworten", "gedanken", "comentarios?", "respuestas?", "commentaires?", "réponses?",
                      "commenti", "commento", "risposte", "comentários?", "respostas?", "reacties?", "opinions?",
                      "réflexions?", "pensamientos?", "pensieri", "pensiero", "pensamentos?", "gedachten?",
                      "discussions?", "trackbacks?", "pingbacks?", "feedbacks?")
# WordPress core comment_form() strings (wp-includes/comment-template.php) and their core translations
_WP_REPLY_TITLE = _alt("leave a reply", "leave a comment", "leave a reply to .{1,60}", "leave a comment to .{1,60}",
                       "schreibe einen kommentar", "hinterlasse einen kommentar", "antworte auf .{1,60}",
                       "schreibe eine antwort", "laisser un commentaire", "laisser une réponse",
                       "répondre à .{1,60}", "deja una respuesta", "deja un comentario", "responder a .{1,60}",
                       "lascia un commento", "lascia una risposta", "rispondi a .{1,60}",
                       "deixe um comentário", "deixe uma resposta", "deixe uma resposta para .{1,60}",
                       "responder para .{1,60}", "geef een reactie", "laat een reactie achter",
                       "laat een antwoord achter", "reageer op .{1,60}", "reactie plaatsen")
_WP_CANCEL_REPLY = _alt("cancel reply", "antworten abbrechen", "antwort abbrechen", "annuler la réponse",
                        "annuler", "cancelar la respuesta", "cancelar respuesta", "annulla risposta",
                        "annulla la risposta", "cancelar resposta", "cancelar a resposta", "reactie annuleren",
                        "annuleer reactie", "antwoord annuleren")
_Q = "[\"“”„«»‘’'‚‹›]"

SIGNATURES: tuple[Signature, ...] = (
    # ------------------------------------------------------------------ comment sections
    S("comment-count-header", rf"{_N}\s+{_COMMENTS_WORD}(?:\s+(?:on|to|zu|en|sur|su|em|a|para|op|sobre|over|auf|à|al)\s+.{{0,300}})?\s*:?",
      "comment-chrome", "comment counters and theme headers: '14 Comments', '7 thoughts on “…”', '6 comments:'",
      role="start"),
    S("comment-count-users", rf"{_N}\s+(?:users?|people|readers?|visitors?)\s+(?:have\s+)?(?:responded|commented|replied)"
                             r"(?:\s+(?:in|on|to)\s+.{1,300})?\s*:?",
      "comment-chrome", "boilerpipe's terminating counter 'N users responded in “…”'", role="start"),
    S("comment-count-loose", rf"[{{(\[]?\s*{_N}\s+{_COMMENTS_WORD}\s*(?:…|\.\.\.|:|-|–|—|so far)?.{{0,80}}[}})\]]?",
      "comment-chrome", "comment counters with extra words: '{ 14 comments… read them below or add one }'", role="start"),
    S("comments-heading", _alt("comments?:?", "kommentare:?", "comentarios:?", "commentaires:?", "commenti:?",
                               "comentários:?", "reader comments", "user comments", "discussion", "responses",
                               "leser-?kommentare", "what do you think\\??", "have your say",
                               "join the discussion", "join the conversation", "start the discussion",
                               "be the first to comment!?", "no comments yet", "don't have comments yet",
                               "don’t have comments yet", "no comments:?",
                               "inline comments", "all comments", "latest comments", "show comments",
                               "view comments", "comments \\(\\d+\\)", "discuss this article",
                               "conversation", "reader views"),
      "comment-chrome", "comment-section headings of themes and widgets (wpDiscuz, Isso, Coral, boilerpipe list)",
      role="start"),
    S("wpdiscuz-notify", _alt("notify of", "subscribe to comments?", "new follow-up comments",
                              "new replies to my comments", "notify me of (?:new|follow-up) .{0,60}",
                              "benachrichtige mich .{0,80}", "notificarme .{0,80}", "avvisami .{0,80}",
                              "notifiez-moi .{0,80}", "notifique-me .{0,80}"),
      "comment-chrome", "wpDiscuz / WordPress subscription chrome above or below the comments", role="start"),
    S("wpdiscuz-sort", r"(?:sort by:?\s*(?:newest|oldest|most voted|best|popular|top|most replies|upvotes|recently updated|most controversial)"
                       r"|(?:newest|oldest|most voted|best|popular|top|most replies|upvotes|recently updated|most controversial)"
                       r"(?:\s+(?:newest|oldest|most voted|best|popular|top|most replies|upvotes|recently updated|most controversial))+)"
                       r"(?:\s+(?:newest|oldest|most voted|best|popular|top|most replies|upvotes|recently updated|most controversial))*",
      "comment-chrome", "comment sort bars: wpDiscuz 'Newest Most Voted', Commento, Coral, Remark42", role="start"),
    S("sort-word", r"(?:sort by:?|newest|oldest|most voted|best|popular|top|most replies|upvotes|recently updated|most controversial)",
      "comment-chrome", "comment sort bars: wpDiscuz 'Newest Most Voted', Commento, Coral, Remark42", role="start"),
    S("wpdiscuz-feedback", _alt("inline feedbacks", "view all comments", "article rating", "post rating",
                                r"\d(?:\.\d)?\s+\d+\s+votes?", r"\d+\s+votes?"),
      "comment-chrome", "wpDiscuz header: inline feedback counters and the article rating block", role="start"),
    S("disqus-noscript", _alt("please enable javascript to view the .{0,40}comments.{0,40}",
                              "(?:blog )?comments powered by disqus\\.?", "load disqus comments",
                              "view the discussion thread\\.?", "comments powered by facebook",
                              "facebook comments plugin", "– powered by giscus", "powered by remark42",
                              "powered by commento", "commento", "loading comments…?\\.*"),
      "comment-chrome", "JS comment widgets that did not render leave only their noscript/credit lines",
      role="empty"),
    S("wpdiscuz-bubble", _alt("would love your thoughts, please comment\\.x?", "wpdiscuz", "\\(\\)",
                              "\\|\\s*reply", "insert", "load more comments", "load rest of comments",
                              "load more", "show more comments", "older comments", "newer comments",
                              "← older comments", "newer comments →", "view more comments",
                              "read more comments", "more comments"),
      "comment-chrome", "wpDiscuz bubble/inline-form tail and comment pagination", role="end"),
    S("comments-closed", _alt("comments are closed\\.?", "comments? (?:is|are) closed\\.?",
                              "kommentare sind geschlossen\\.?", "los comentarios están cerrados\\.?",
                              "les commentaires sont fermés\\.?", "i commenti sono chiusi\\.?",
                              "comentários encerrados\\.?"),
      "comment-chrome", "closed comment section notice", role="end"),
    S("blogger-comment-feed", _alt("subscribe to:? post comments \\(atom\\)", "suscribirse a:? enviar comentarios \\(atom\\)",
                                   "abonnieren:? kommentare zum post \\(atom\\)", "s'abonner à :? publier des commentaires \\(atom\\)",
                                   "iscriviti a:? commenti sul post \\(atom\\)", "assinar:? postar comentários \\(atom\\)",
                                   "links to this post", "create a link", "atom feed", "rss feed for comments.{0,40}"),
      "comment-chrome", "Blogger / Isso feed links after the comments", role="end"),
    S("pingback", r"(?:pingback|trackback)\s*:.{0,400}", "comment-chrome",
      "WordPress pingbacks/trackbacks are automatic notifications, not reader comments", scope="comments"),
    S("drupal-login-to-comment", _alt("log in or register to post comments", "log in to post comments",
                                      "add new comment", "login or register to post comments",
                                      "anmelden oder registrieren um kommentare .{0,40}"),
      "comment-chrome", "Drupal comment links (per node and per comment)", role="boundary"),
    # comment form
    S("wp-reply-title", rf"{_WP_REPLY_TITLE}(?:\s+{_WP_CANCEL_REPLY})?|{_WP_CANCEL_REPLY}",
      "comment-form", "WordPress core comment_form() title ('Leave a Reply'), the reply title ('Leave a Reply to X') and"
      " the cancel link, glued in one line once flattened ('Laisser un commentaire Annuler la réponse'), in the core"
      " translations en/de/fr/es/it/pt/nl", role="end"),
    S("wp-leave-reply", _alt("leave a reply", "leave a comment", "leave a reply to .{1,60}", "leave your comment",
                             "add a comment", "add comment", "add your comment", "post a comment", "post comment",
                             "write a comment", "write a reply", "submit comment", "submit", "send", "preview",
                             "cancel reply", "leave a reply cancel reply", "leave a comment cancel reply",
                             "post a reply", "comment anonymously", "sign in to comment", "sign in with github",
                             "please login to comment", "you must be logged in to post a comment\\.?",
                             "you must be (?:logged in|registered) .{0,60}", "logged in as .{1,80}", "signed in as .{1,80}",
                             "log in to leave a comment", "styling with markdown is supported",
                             "schreibe einen kommentar.{0,60}", "antworten abbrechen", "kommentar verfassen",
                             "hinterlasse einen kommentar", "kommentar absenden", "kommentar abschicken",
                             "deja un comentario", "deja una respuesta", "cancelar respuesta",
                             "publicar un comentario(?: en la entrada)?", "publicar comentario", "enviar comentario",
                             "laisser un commentaire", "laisser une réponse", "annuler la réponse",
                             "lascia un commento", "lascia un commento annulla risposta", "annulla risposta",
                             "deixe um comentário", "deixe uma resposta", "cancelar resposta",
                             "publicar el comentario", "publier le commentaire", "laisser un commentaire",
                             "invia commento", "invia il commento", "publicar comentário", "enviar comentário",
                             "reactie verzenden", "reactie plaatsen", "plaats reactie", "geef een reactie"),
      "comment-form", "comment-form titles and buttons (WordPress core, Blogger, Isso, giscus, Commento)", role="end"),
    S("wp-form-fields", _alt("(?:your )?(?:name|e-?mail|email address|website|url|comment|kommentar|nombre|"
                             "correo electrónico|web|sitio web|nom|adresse e-?mail|site web|commentaire|nome|"
                             "sito web|site|label|comentario|comentário|commento|reactie|naam|e-?mailadres|"
                             "correo electrónico|adresse de messagerie|endereço de e-?mail)\\s*\\*?",
                             "(?:name|e-?mail|website) \\(optional\\)", "(?:name|e-?mail)\\s*\\(required\\)",
                             "type comment here \\(at least 3 chars\\)", "your comment here\\.*", "δ",
                             "subscribe to email notification of replies", "i allow to create an account",
                             "connect with:?", "login with", "i'm not a robot"),
      "comment-form", "comment-form field labels (WordPress, wpDiscuz, Isso) and Akismet's honeypot label 'Δ'",
      role="end"),
    S("wp-form-notices", _alt("your email address will not be published\\..{0,120}",
                              "required fields are marked \\*?\\.?",
                              "save my name, email, and website in this browser for the next time i comment\\.",
                              "this site uses akismet to reduce spam\\..{0,120}",
                              "deine e-mail-adresse wird nicht veröffentlicht\\..{0,120}",
                              "ihre e-mail-adresse wird nicht veröffentlicht\\..{0,120}",
                              "meinen namen, meine e-mail-adresse und meine website in diesem browser speichern.{0,120}",
                              "tu dirección de correo electrónico no será publicada\\..{0,120}",
                              "guarda mi nombre, correo electrónico y web en este navegador.{0,120}",
                              "votre adresse e-?mail ne sera pas publiée\\..{0,120}",
                              "enregistrer mon nom, mon e-mail et mon site dans le navigateur.{0,120}",
                              "il tuo indirizzo email non sarà pubblicato\\..{0,120}",
                              "salva il mio nome, email e sito web in questo browser.{0,120}",
                              "o seu endereço de e-?mail não será publicado\\..{0,120}",
                              "o seu endereço de email não será publicado\\..{0,120}",
                              "seu endereço de e-?mail não será publicado\\..{0,120}",
                              "(?:je|uw) e-?mailadres wordt niet gepubliceerd\\..{0,120}",
                              "(?:les )?champs obligatoires sont indiqués avec \\*?\\.?",
                              "los campos obligatorios están marcados con \\*?\\.?",
                              "i campi obbligatori sono contrassegnati \\*?\\.?",
                              "(?:os )?campos obrigatórios são marcados com \\*?\\.?",
                              "vereiste velden zijn gemarkeerd met \\*?\\.?",
                              "erforderliche felder sind mit \\*? ?markiert\\.?",
                              "salvar meus dados neste navegador para a próxima vez que eu comentar\\.?",
                              "guardar (?:o )?meu nome, e-?mail e site neste navegador.{0,120}",
                              "mijn naam, e-?mail en (?:web)?site opslaan in deze browser.{0,120}",
                              "(?:votre|tu|il tuo|seu|o seu|je|uw|dein|ihr) (?:commentaire|comentario|commento|comentário|reactie|kommentar)"
                              " (?:est en attente de modération|está esperando moderación|está pendiente de moderación|"
                              "è in attesa di moderazione|está aguardando moderação|aguarda moderação|"
                              "wacht op goedkeuring|wartet auf freischaltung|muss noch freigegeben werden)\\.?.{0,80}",
                              "(?:this site|ce site|este sitio|questo sito|este site|diese (?:web)?seite|diese website|"
                              "deze (?:web)?site) .{0,30}akismet.{0,160}",
                              "your comment is awaiting moderation\\.?",
                              "all comments (?:will be|are) (?:published|posted|visible) (?:after|once) .{0,60}",
                              "comments (?:are|will be) moderated.{0,80}", "comments are subject to moderation.{0,80}", "your comment is under moderation\\.?",
                              "comment in queue for moderation\\.?", "awaiting for approval",
                              "notify me of (?:follow-up comments|new posts) by email\\.?"),
      "comment-form", "comment-form notices: privacy line, cookie-consent checkbox, Akismet notice, moderation", role="end"),
    # per-comment chrome
    S("comment-reply-link", _alt("reply", "replies", "reply ↓", "↓ reply", "reply →", "log in to reply",
                                 "login to reply", "reply to this", "reply to this comment", "antworten", "responder",
                                 "répondre", "rispondi", "responda", "beantworten", "beantwoorden", "reageer",
                                 "rispondi ↓", "répondre ↓", "responder ↓", "\\|?\\s*reply", "reply\\s*\\|",
                                 "reply to this parent share", "reply share", "reply report", "reply quote"),
      "comment-action", "per-comment reply links (WordPress, wpDiscuz, Isso, Blogger, Drupal themes)",
      scope="comments", role="boundary"),
    S("comment-reply-action", _alt("like", "likes?", "report", "flag", "quote", "share", "edit",
                                   "\\(edit\\)", "delete", "vote up", "vote down", "upvote", "downvote", "hide replies",
                                   "view replies(?: \\(\\d+\\))?", "show replies", "\\d+ repl(?:y|ies)",
                                   "show \\d+ (?:more|previous) repl(?:y|ies)", "show more replies", "pin", "hide",
                                   "block", "go to parent comment", "ignore", "reported", "edited", "permalink",
                                   "link", "translate", "collapse", "expand", "read more", "read more »",
                                   "\\|?\\s*reply", "reply\\s*\\|", "melden", "zitieren", "citar", "denunciar"),
      "comment-action", "per-comment action links (WordPress, wpDiscuz, Isso, Remark42, Coral, Blogger)",
      scope="comments", role="boundary"),
    S("comment-widget-chrome", _alt("write", "preview", "write preview", "write\\s*preview", "cancel", "show all",
                                    "member since:? .{1,40}", "read more of this conversation\\s*[>›»]?",
                                    "show more of this conversation", "view \\d+ new comments?", "\\d+ hidden items?",
                                    "see \\d+ previous repl(?:y|ies) on github", "pinned comments?",
                                    "subscribe by(?: .{1,30})?", "(?:styling with )?markdown (?:is )?supported",
                                    "your comment has been submitted.{0,120}", "\\d+ upvotes?", "\\d+ reactions?"),
      "comment-form", "chrome of JS comment widgets inside the comment list: giscus editor tabs 'Write' / 'Preview',"
      " Coral 'Cancel' / 'Show All' / 'Member since' / 'View N New Comments', giscus 'N hidden items', Remark42"
      " 'Pinned comments' / 'Subscribe by' (comment-widgets notes 3.7, 3.10, 3.11)", scope="comments", role="boundary"),
    S("comment-vote-count", r"[-+−]?\d{1,5}(?:\s+(?:points?|votes?|likes?|upvotes?))?", "comment-meta",
      "wpDiscuz/Commento vote results printed between comments", scope="comments", role="boundary"),
    S("comment-role-label", _alt("guest", "gast", "invitado", "invité", "ospite", "convidado", "author", "admin",
                                 "administrator", "moderator", "editor", "staff", "member", "subscriber",
                                 "verified user", "unverified user", "verified", "featured", "top commenter",
                                 "sticky comment thread", "closed comment thread", "op"),
      "comment-meta", "role labels printed next to commenter names (wpDiscuz 'Guest', Isso 'Author', Coral)",
      scope="comments", role="boundary"),
    S("comment-timestamp", rf"(?:{WEEKDAY}\s*)?(?:{FULL_DATE})(?:\s*(?:at|um|a las|à|alle|às|-|–|,|·)?\s*{TIME})?(?:\s*uhr)?",
      "comment-meta", "per-comment absolute timestamps ('August 1, 2023 at 9:12 pm', '11. Juni 2024 um 17:52 Uhr')",
      scope="comments"),
    S("comment-relative-time", rf"(?:posted |edited )?{RELATIVE_TIME}(?:\s*(?:at|,|um|à|a las|alle|às)\s*{TIME})?",
      "comment-meta",
      "per-comment relative times (wpDiscuz '1 month ago', Isso 'last month', Commento 'just now', Remark42"
      " '{day} at {time}' = 'yesterday at 18:20')",
      scope="comments"),
    S("comment-number", r"(?:comment\s*)?#\s?\d{1,5}", "comment-meta", "comment permalink numbers ('Comment #3', '#12')",
      scope="comments"),
    S("comment-reply-to", r"(?:reply to|replying to:?|in reply to|en respuesta a|antwort an|en réponse à|in risposta a|em resposta a)\s+.{1,300}",
      "comment-meta", "threading markers: wpDiscuz 'Reply to  X', Drupal 'In reply to … by …', Coral 'Replying to: X'",
      scope="comments"),
    S("comment-removed", _alt("this comment has been removed by (?:a blog administrator|the author)\\.?",
                              "this comment was deleted\\.?", "comment deleted\\.?", "\\[deleted\\]", "\\[removed\\]",
                              "this comment has been (?:deleted|minimized|hidden)\\.?",
                              "this comment is awaiting moderation\\.?", "dieser kommentar wurde (?:gelöscht|entfernt)\\.?",
                              "este comentario ha sido eliminado por .{0,40}", "ce commentaire a été supprimé.{0,40}",
                              "questo commento è stato eliminato.{0,40}", "este comentário foi removido .{0,40}",
                              "comment removed by .{0,40}", "message deleted"),
      "comment-removed", "placeholders of deleted or moderated comments (Blogger, Isso, Remark42, giscus, Commento)"),
    # ------------------------------------------------------------------ page chrome
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

from dataclasses import replace as _replace  # noqa: E402

SIGNATURES = tuple(
    _replace(s, weak=s.name in WEAK, max_words=MAX_WORDS.get(s.name, s.max_words)) for s in SIGNATURES
)
