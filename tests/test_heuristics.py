"""Heuristics are data: a fixed reason vocabulary, well-formed signatures, and RE2 patterns
that run in linear time on adversarial input."""
from __future__ import annotations

import re2

from workers.core.heuristics import header_lines, reasons, signatures, thresholds
from workers.core.heuristics.dates import FULL_DATE, RELATIVE_TIME
from workers.core.stages.author_lines import parse_author_line
from workers.core.rules import features as F
from workers.core.stages.strip import strip
from workers.core.stages.text import normalise, words_of

REQUIRED = ("navigation", "site-header", "byline", "dateline", "call-to-action", "donation", "share", "cookie",
            "newsletter", "related", "advertisement", "tags", "copyright", "footer", "comment-chrome",
            "comment-form", "comment-header", "comment-meta", "comment-action", "comment-removed",
            "placeholder-author", "site-template", "error-page", "duplicate-title", "html-dom")


def test_reason_vocabulary_is_fixed_and_documented():
    for r in REQUIRED:
        assert r in reasons.REASONS
    assert len(set(reasons.REASONS)) == len(reasons.REASONS)
    assert all(reasons.DESCRIPTIONS[r].strip() for r in reasons.REASONS)
    assert not reasons.is_reason("made-up-reason")


def test_every_signature_is_well_formed():
    names = set()
    for sig in signatures.SIGNATURES + header_lines.AUTHOR_PATTERNS:
        assert sig.name not in names, sig.name
        names.add(sig.name)
        assert sig.reason in reasons.REASONS, (sig.name, sig.reason)
        assert sig.why and len(sig.why) > 10
        assert sig.scope in ("any", "comments", "page")
        assert sig.role in (None, "start", "end", "heading", "boundary", "empty")
        re2.compile(sig.pattern)  # RE2 syntax: no backtracking constructs
    assert set(signatures.WEAK) <= names
    assert set(signatures.MAX_WORDS) <= names


ADVERSARIAL = [
    "a" * 100_000, " " * 100_000, "a " * 50_000, "1," * 50_000, "ab1 " * 25_000, "…" * 50_000,
    "Reply to " * 10_000, "says " * 20_000, "•" * 50_000 + "x", "(" * 50_000, "Submitted by " + "x on " * 10_000,
    "#a " * 30_000, "© " * 40_000, "$ 1 " * 25_000,
]


def _all_patterns():
    pats = [s.pattern for s in signatures.SIGNATURES + header_lines.AUTHOR_PATTERNS]
    pats += [header_lines.DATELINE, header_lines.DATE_ANYWHERE, FULL_DATE, RELATIVE_TIME]
    return pats


def test_patterns_are_re2_and_match_adversarial_strings():
    """Linear time is RE2's guarantee (an automaton, no backtracking): every pattern must
    compile under RE2 as anchored and run to an answer on adversarial strings."""
    opts = re2.Options()
    opts.max_mem = 64 << 20
    opts.case_sensitive = False
    for p in _all_patterns():
        rx = re2.compile("^(?:" + p + ")$", opts)
        for s in ADVERSARIAL:
            assert rx.search(s) is None or isinstance(rx.search(s).group(0), str)


def test_stdlib_regexes_of_the_strip_module_are_linear():
    # the only stdlib pattern is a single character class (\w+): no nested quantifier
    # can backtrack; the words of a 400k-character string come out whole
    assert words_of("a-" * 200_000) == ["a"] * 200_000


def test_strip_caps_work_on_huge_lines():
    from topics.records import RawDocument
    huge = ("word " * 1_000_000).strip()  # a 5 MB single line
    doc = RawDocument(content="Title here\n\n" + huge + "\n\nReply\n", id="x", content_type="text/plain")
    lines = _python_lines_executed(lambda: strip(doc, None))
    assert lines < 20_000, lines  # per-line work is capped: not a loop over the million words
    assert len(strip(doc, None).lines) == 3


def test_signatures_recognise_widget_strings():
    def sig(text, scope="page"):
        norm = normalise(text)
        nw = len(words_of(norm))
        if scope == "page":
            return F.match_signature(norm, nw, F.ANY_PAGE, F.PAGE_SIGS)
        return F.match_signature(norm, nw, F.ANY_COMMENT, F.COMMENT_SIGS)

    assert sig("14 Comments").reason == "comment-chrome"
    assert sig("14 Comments").role == "start"
    assert sig("3 thoughts on “A walk in the park”").role == "start"
    assert sig("Would love your thoughts, please comment.x").role == "end"
    assert sig("Please enable JavaScript to view the comments powered by Disqus.").role == "empty"
    assert sig("Your email address will not be published. Required fields are marked *").reason == "comment-form"
    assert sig("Δ").reason == "comment-form"
    assert sig("Reply", "comments").reason == "comment-action"
    assert sig("Guest", "comments").reason == "comment-meta"
    assert sig("12", "comments").reason == "comment-meta"
    assert sig("3 weeks ago", "comments").reason == "comment-meta"
    assert sig("Reply to  Jo Bloggs", "comments").reason == "comment-meta"
    assert sig("This comment has been removed by a blog administrator.").reason == "comment-removed"
    assert sig("Skip to content").reason == "navigation"
    assert sig("Home › Notices › Roads").reason == "navigation"
    assert sig("© 2021 Some Site. All rights reserved.").reason == "copyright"
    assert sig("Share this:").reason == "share"
    assert sig("2.4K shares").reason == "share"
    assert sig("Advertisement").reason == "advertisement"
    assert sig("Tags: one, two, three").reason == "tags"
    assert sig("750 $").reason == "donation"
    assert sig("Schreibe einen Kommentar Antworten abbrechen").reason == "comment-form"
    # WordPress core comment form in its translations: title glued to the cancel link, notices, fields
    for t in ("Leave a Reply Cancel reply", "Laisser un commentaire Annuler la réponse",
              "Deixe um comentário Cancelar resposta", "Deja una respuesta Cancelar la respuesta",
              "Lascia un commento Annulla risposta", "Geef een reactie Reactie annuleren",
              "Leave a Reply to Jo Bloggs Cancel reply", "Répondre à Marc Annuler la réponse",
              "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
              "O seu endereço de e-mail não será publicado. Campos obrigatórios são marcados com *",
              "Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *",
              "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *",
              "Je e-mailadres wordt niet gepubliceerd. Vereiste velden zijn gemarkeerd met *",
              "Salvar meus dados neste navegador para a próxima vez que eu comentar.",
              "Mijn naam, e-mail en site opslaan in deze browser voor de volgende keer wanneer ik een reactie plaats.",
              "Votre commentaire est en attente de modération.", "Ce site utilise Akismet pour réduire les indésirables.",
              "Commentaire *", "Comentario *", "Comentário *", "Commento *", "Naam *", "Reactie verzenden",
              "Publicar el comentario", "Invia commento"):
        got = sig(t)
        assert got is not None and got.reason == "comment-form", (t, got)
    assert sig("Laisser un commentaire Annuler la réponse").role == "end"
    for t in ("Répondre", "Responder", "Rispondi", "Antworten", "Beantwoorden"):
        assert sig(t, "comments").reason == "comment-action", t
    for t in ("Marc Delorme dit :", "Renata Moura disse:", "Lucía dice:", "Giulia ha detto:", "Pieter zegt:"):
        assert parse_author_line(t) is not None, t
    assert sig("3 réflexions sur « La voie verte »").role == "start"
    assert sig("Um pensamento sobre “Alface”").role == "start"
    # giscus / Coral / Remark42 chrome inside the comment list
    for t in ("Write", "Preview", "Cancel", "Show All", "2 hidden items", "See 3 previous replies on GitHub",
              "Pinned comments", "View 4 New Comments", "Member since: May 2021"):
        assert sig(t, "comments") is not None, t
    assert sig("Sign in to comment").role == "end"
    assert sig("Signed in as jo_b").reason == "comment-form"
    assert sig("Most controversial Newest Oldest").role == "start"
    # prose is not chrome
    assert sig("The council said the street has been full by 10 a.m. for two years.") is None
    assert sig("1954") is None
    assert sig("By the end of the six weeks I was confident of nine occupied nest sites, five under eaves.") is None


def test_thresholds_are_sane():
    assert thresholds.GOOD_MIN_WORDS_WITH_PUNCT < thresholds.GOOD_MIN_WORDS < thresholds.GOOD_ALWAYS_WORDS
    assert thresholds.SCORE_SIGNATURE < thresholds.SCORE_SHORT < 0
    assert thresholds.TEMPLATE_MIN_DOCS >= 1


def _python_lines_executed(fn) -> int:
    """How many Python lines ``fn()`` executes (a deterministic measure of work, the
    same on a loaded and an idle machine)."""
    import sys

    count = [0]

    def tracer(frame, event, arg):
        if event == "line":
            count[0] += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count[0]


def test_strip_and_segment_stay_linear_on_adversarial_structure():
    """Work grows linearly with the page on structures that once made the comment and
    parent searches quadratic: four times the page, at most ~five times the executed
    lines (a quadratic search would be ~16 times)."""
    from topics.records import RawDocument
    from workers.core.stages.segment import segment
    p = "The council said the street has been full by ten for two years, and most cars belong to commuters."
    shapes = [
        lambda n: ["A title for the test"] + [p] * 3 + ["3 Comments", "Reply"] * (n // 4) + [p] * n,
        lambda n: ["A title for the test"] + [p] * 3 + ["3 Comments", "Reply", p] * n,
        lambda n: ["A title for the test"] + [p] * 3 + ["Comments", "Jo said:", "May 1, 2023"] * n,
        lambda n: ["Home", "News"] * (n * 2),
    ]
    for shape in shapes:
        def run(n, shape=shape):
            text = "\n".join(shape(n))
            return lambda: segment(strip(RawDocument(content=text, id="a", content_type="text/plain"), None))
        run(400)(), run(1600)()  # warm caches (the per-line feature memo) before counting
        small, large = _python_lines_executed(run(400)), _python_lines_executed(run(1600))
        assert large < 5.5 * small, (shape(2)[:6], small, large)


def test_author_sets_agree_with_the_patterns_one_by_one():
    """parse_author_line asks one set which author patterns may match a line, then searches
    only those: the set must name every pattern that matches on its own, so the parse equals
    trying every pattern in order."""
    import json
    from pathlib import Path

    from workers.core.stages import author_lines as A

    lines = {"John Smith says:", "Mary said...", "Submitted by jdoe on Tue, 03/05/2024 - 10:12",
             "Hanne • 2 days ago", "by Ann Example on March 3, 2024", "09. Jul, 2012 / Courtney says:",
             "Karl Meier | 12.03.2012", "Name March 3, 2012 at 10:15 AM", "Posted by: Ann | June 15, 2012 at 09:38 AM",
             "The bridge opened on Tuesday.", "", "•", "by", "says", "x" * 61 + " says:"}
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    for f in sorted(corpus.glob("*/*.json")):
        lines.update(normalise(x) for x in json.loads(f.read_text(encoding="utf-8"))["input"]["content"].split("\n"))
    checked = 0
    for rset, patterns, trailing in ((A.AUTHOR_SET, A._AUTHORS, False), (A.TRAILING_SET, A._TRAILING, True)):
        for t in lines:
            want = [i for i, (_, rx) in enumerate(patterns) if rx.search(t)]
            assert set(want) <= set(rset.Match(t) or []), t
            checked += bool(want)
            saved = rset.Match
            try:  # the parse with every pattern tried: the same answer
                rset.Match = lambda text, n=len(patterns): list(range(n))
                full = parse_author_line(t, trailing=trailing)
            finally:
                rset.Match = saved
            assert parse_author_line(t, trailing=trailing) == full, t
    assert checked >= 8  # the check saw author lines, not only lines that match nothing


def test_comment_numbering_is_one_pattern_with_the_bare_number_only_before_a_name():
    """_NUMBERING (any text) and _NAME_NUMBERING (a name) share COMMENT_NUMBER; only the
    latter drops a bare number ("3 Bram"), which before a date or a count is not a number mark."""
    from workers.core.stages import authors as A

    for text, any_text, name in (("#3 Bram", "Bram", "Bram"), ("12. Karl", "Karl", "Karl"),
                                 ("3) Ann", "Ann", "Ann"), ("+4 #1 munya", "munya", "munya"),
                                 ("1 Tami", "1 Tami", "Tami"), ("3 days ago", "3 days ago", "days ago"),
                                 ("2012 Nov", "2012 Nov", "Nov"), ("12345. X", "12345. X", "12345. X")):
        assert A._NUMBERING.sub("", text, 1) == any_text, text
        assert A._NAME_NUMBERING.sub("", text, 1) == name, text
    assert A.clean_author("1 Tami") == "Tami"
    assert A.not_a_name("3 d") and not A.not_a_name("#3 Bram")
    assert re2.compile(rf"^{header_lines.HEADER_LEAD_MARKS}$").match("# 12")


def test_bare_name_skips_only_lines_its_patterns_cannot_change():
    """bare_name substitutes only on lines holding a mark its patterns need: the same result
    as substituting on every line."""
    from workers.core.stages import authors as A

    for text in ("#3 Bram | Bramus!", "Robert Nyman - author", "12. Karl", "Jane (admin)", "Plain Name",
                 "Ann · editor", "Ann·editor", "  #12   Ann   Example  ", "٣. Name", "2024", "Zoë", ""):
        t = A._NUMBERING.sub("", normalise(text), 1)
        want = A._ROLE_SUFFIX.sub("", t, 1) or t
        assert A.bare_name(text) == want, text


def test_relaxed_repeats_match_a_superset():
    from workers.core.stages.patterns import relax_repeats

    assert relax_repeats(r".{0,300}\bcookies?\b.{1,4}") == r".{0,}\bcookies?\b.{1,}"
    assert relax_repeats(r"\p{Lu}{2,5}x{0,3}?") == r"\p{Lu}{2,}x{0,}?"
    for unchanged in (r"\{1,2\}", r"[{1,2}]", r"[^]{1,2}]", r"[]{1,2}]", r"a{3}", r"a{2,}"):
        assert relax_repeats(unchanged) == unchanged


def test_line_sets_answer_exactly_as_the_signatures_one_by_one():
    """The page and comment signature sets run relaxed patterns and confirm the candidates:
    on every line of the corpus pages (and lines built to sit just past a repeat's bound),
    they name exactly the signatures that match the line on their own."""
    import json
    from pathlib import Path

    from workers.core.stages.patterns import full_match

    lines = {"cookie " + "x " * 200 + "consent", "x" * 301 + " cookies and consent", "14 comments",
             "{ 14 comments… read them below or add one }", "Leave a Reply to " + "n" * 61, ""}
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    for f in sorted(corpus.glob("*/*.json")):
        lines.update(normalise(x) for x in json.loads(f.read_text(encoding="utf-8"))["input"]["content"].split("\n"))
    found = 0
    for rset, sigs in ((F.ANY_PAGE, F.PAGE_SIGS), (F.ANY_LONG_PAGE, F.LONG_PAGE_SIGS), (F.ANY_COMMENT, F.COMMENT_SIGS)):
        exact = [full_match(s.pattern) for s in sigs]
        for t in lines:
            want = [i for i, rx in enumerate(exact) if rx.search(t)]
            assert sorted(rset.Match(t) or []) == want, t
            found += bool(want)
    assert found > 50



def test_normalise_cached_equals_split_join():
    """normalise() remembers short lines; cached or not (and past the length bound) it is
    whitespace runs -> one space, trimmed."""
    from workers.core.stages import text as T

    samples = ["", " ", "a", "  a \t b\n", "x\u00a0 y", "é  ü\u3000日本 ", "w " * 400, " z\t" * 300]
    for s in samples + samples:  # second round: from the cache
        assert normalise(s) == " ".join(s.split())
    assert len(samples[-1]) > T.CACHED_LINE_CHARS  # one past the bound, never cached
    assert T._normalise_cached.cache_info().hits >= len(samples) - 2
