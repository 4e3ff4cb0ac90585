"""Enrich stage: site name, language, publication date, counts, fingerprints, determinism."""
from __future__ import annotations

import orjson
from hypothesis import given, settings, strategies as st

from topics.records import Comment, Removed, SegmentedDocument
from workers.core.stages.enrich import comment_records, copyright_name, enrich, support_name

EN_BODY = [
    "The council voted on Tuesday to end free parking on Mill Street, a decision that shop owners say "
    "will push customers toward the retail park on the edge of town.",
    "Councillors argued that the change would pay for the new bus shelters and the repairs to the bridge, "
    "which have been delayed for more than two years.",
]
DE_BODY = [
    "Nach zwei Jahren Sanierung öffnet das Freibad in Talheim am Samstag wieder. Die Stadt hat das Becken "
    "erneuert und eine neue Rutsche gebaut, die Eintrittspreise bleiben stabil.",
    "Tickets gibt es in diesem Jahr auch online, an der Kasse kann weiterhin bar bezahlt werden.",
]


def _doc(body=None, removed=(), comments=(), url="https://www.riverbend.example/politics/2024/03/01/x",
         title="Council ends free parking", fetched_at="2024-04-16T07:41:09Z", html_meta=None, line_count=None):
    removed = [Removed(n=n, text=t, reason=r) for n, t, r in removed]
    return SegmentedDocument(
        id="doc-1", url=url, content_type="text/plain", fetched_at=fetched_at, source=None, site="riverbend",
        title=title, body_paragraphs=list(EN_BODY if body is None else body), comments=list(comments),
        removed=removed, html_meta=html_meta or {},
        line_count=line_count if line_count is not None else 60,
    )


def test_domain_strips_www_and_counts():
    comments = [Comment(index=0, text="Good decision.", author="Ann"),
                Comment(index=1, text="Bad decision for shops.", author="Bob"),
                Comment(index=2, text="Agree with Ann.", author="ann")]
    out = enrich(_doc(comments=comments, removed=[(0, "Menu", "navigation"), (1, "Home", "navigation")]))
    m = out.metadata
    assert m.domain == "riverbend.example"
    assert m.paragraph_count == 2 and m.comment_count == 3 and m.commenter_count == 2
    assert m.word_count == len(" ".join(EN_BODY).split()) - 0  # \w+ tokens, no hyphen/punct splits here
    assert m.boilerplate_line_ratio == round(2 / 60, 4)
    assert out.body == "\n\n".join(EN_BODY)
    assert out.title == "Council ends free parking"
    assert len(m.content_sha1) == 40 and len(m.simhash) == 16


def test_language_and_confidence():
    m = enrich(_doc()).metadata
    assert m.language == "en" and m.language_confidence > 0.9
    m = enrich(_doc(body=DE_BODY, url="https://kreisbote.example/a")).metadata
    assert m.language == "de"


def test_language_falls_back_to_comments_and_chrome():
    doc = _doc(body=[], comments=[Comment(index=0, text="Das ist ein sehr schöner Artikel über unser Freibad, "
                                                      "vielen Dank für die Informationen!")], title=None)
    assert enrich(doc).metadata.language == "de"
    doc = _doc(body=[], title=None, removed=[(0, "Page not found", "error-page"),
                                             (1, "Sorry, the page you were looking for does not exist or has "
                                                 "been moved to another address.", "error-page")])
    assert enrich(doc).metadata.language == "en"


def test_site_name_from_html_meta_first():
    doc = _doc(html_meta={"site_name": "The Riverbend Courier"},
               removed=[(90, "© 2024 Other Name. All rights reserved.", "copyright")])
    assert enrich(doc).metadata.site_name == "The Riverbend Courier"


def test_site_name_from_removed_lines():
    assert copyright_name("© 2024 Riverbend Courier. All rights reserved.") == "Riverbend Courier"
    assert copyright_name("© 2016–2024 Northline Monitor. Articles may be republished with credit.") == \
        "Northline Monitor"
    assert copyright_name("© 2024 The Daily Ledger Media Ltd. All rights reserved.") == "The Daily Ledger"
    assert copyright_name("© 2024 tinkerbench · powered by Hugo") == "tinkerbench"
    assert copyright_name("Copyright 2023") is None
    assert support_name("Support SouthFront") == "SouthFront"
    assert support_name("Support us") is None
    assert support_name("Support independent journalism") is None
    doc = _doc(removed=[(0, "Skip to content", "navigation"), (1, "Riverbend Courier", "site-header"),
                        (2, "Local news for Riverbend", "site-header"),
                        (80, "© 2024 Riverbend Courier Media Group. All rights reserved.", "copyright")])
    assert enrich(doc).metadata.site_name == "Riverbend Courier"  # masthead confirmed by the copyright line
    doc = _doc(url=None, removed=[(5, "Support Pellham Post", "call-to-action")])
    assert enrich(doc).metadata.site_name == "Pellham Post"
    assert enrich(_doc(url=None)).metadata.site_name is None  # nothing printed: null, never the url



def test_site_name_is_never_a_lone_menu_word():
    for word in ("Posts", "Home", "Blog", "Menu", "News", "Tags", "About"):
        doc = _doc(url="https://notes.example/posts/weather-station",
                   removed=[(0, "Skip to content", "navigation"), (1, word, "site-header"), (2, "Tags", "navigation")])
        assert enrich(doc).metadata.site_name is None, word
    doc = _doc(url=None, removed=[(0, "clackworks", "site-header"), (1, "blog", "navigation")])
    assert enrich(doc).metadata.site_name == "clackworks"


def test_published_at_from_dateline_and_decoys():
    removed = [
        (0, "0 $", "donation"), (1, "APRIL 2024", "donation"),  # donation month banner
        (3, "Posted on March 12, 2024", "dateline"),
        (40, "May 2, 2023", "related"),
        (45, "August 1, 2023 at 9:12 pm", "comment-meta"),
        (58, "© 2024 Riverbend Courier", "copyright"),
    ]
    assert enrich(_doc(removed=removed)).metadata.published_at == "2024-03-12"
    decoys_only = [r for r in removed if r[2] != "dateline"]
    assert enrich(_doc(removed=decoys_only)).metadata.published_at is None


def test_published_at_from_html_meta_and_never_after_fetch():
    doc = _doc(html_meta={"published_at": "2024-03-01T10:00:00Z"})
    assert enrich(doc).metadata.published_at == "2024-03-01"
    doc = _doc(removed=[(3, "Posted on March 12, 2025", "dateline")])  # after fetched_at: impossible
    assert enrich(doc).metadata.published_at is None


def test_published_at_takes_published_not_updated():
    doc = _doc(removed=[(20, "Published 6 May 2024 · Updated 7 May 2024", "dateline")],
               fetched_at="2024-05-08T11:47:21Z")
    assert enrich(doc).metadata.published_at == "2024-05-06"
    doc = _doc(removed=[(20, "Updated 7 May 2024", "boilerplate")], fetched_at="2024-05-08T11:47:21Z")
    assert enrich(doc).metadata.published_at is None


def test_published_at_date_header_and_body_dateline():
    # Blogger date header at the top of the page (removed with a non-decoy reason)
    doc = _doc(removed=[(2, "Thursday, September 14, 2023", "boilerplate"),
                        (30, "September 15, 2023 at 7:48 AM", "boilerplate")])
    assert enrich(doc).metadata.published_at == "2023-09-14"
    # a bare date far down the page (a related-post date) is not the article's
    doc = _doc(removed=[(40, "May 2, 2023", "boilerplate")])
    assert enrich(doc).metadata.published_at is None
    # a news dateline opening the first paragraph
    body = ["PELLHAM, April 18, 2024 — The Huskies will play in the playoffs for the first time since 2013."]
    assert enrich(_doc(body=body + EN_BODY, fetched_at="2024-04-19T05:02:44Z")).metadata.published_at == "2024-04-18"
    # ... but not when that date is after the fetch
    assert enrich(_doc(body=body + EN_BODY, fetched_at="2024-04-16T05:02:44Z")).metadata.published_at is None
    # a date later in the body is not a dateline
    body = ["The bridge will close on 20 November 2023 for repairs, the council said."]
    assert enrich(_doc(body=body)).metadata.published_at is None


def test_published_at_drupal_and_dmy():
    doc = _doc(removed=[(14, "Submitted by rgalloway on Fri, 02/09/2024 - 10:30", "byline"),
                        (26, "Submitted by kestrel_obs on Sat, 02/10/2024 - 19:47", "comment-author")],
               fetched_at="2024-02-19T22:10:05Z")
    assert enrich(doc).metadata.published_at == "2024-02-09"
    doc = _doc(removed=[(3, "Posted 14/11/2023", "dateline")], fetched_at="2023-11-16T08:05:14Z")
    assert enrich(doc).metadata.published_at == "2023-11-14"


def test_quality_signals_and_comment_records():
    comments = [Comment(index=0, text="Nice.", author="Ann", posted_at="2024-03-13")]
    out = enrich(_doc(comments=comments))
    q = out.metadata.quality
    assert list(q) == ["has_title", "mean_sentence_words", "mean_word_chars", "punctuated_paragraph_ratio",
                       "stopword_ratio", "symbol_word_ratio", "uppercase_ratio", "digit_ratio", "comment_ratio"]
    assert q["has_title"] is True and q["punctuated_paragraph_ratio"] == 1.0
    assert 0.2 < q["stopword_ratio"] < 0.6 and 0 < q["comment_ratio"] < 0.1
    recs = comment_records(out)
    assert recs[0].id == "doc-1#0" and recs[0].site_name == out.metadata.site_name
    assert recs[0].language == "en" and recs[0].posted_at == "2024-03-13"


def test_simhash_near_duplicates():
    a = enrich(_doc()).metadata.simhash
    b = enrich(_doc(body=[EN_BODY[0], EN_BODY[1].replace("two years", "three years")])).metadata.simhash
    c = enrich(_doc(body=DE_BODY)).metadata.simhash
    dist = lambda x, y: bin(int(x, 16) ^ int(y, 16)).count("1")  # noqa: E731
    assert dist(a, b) < dist(a, c)


_lines = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=100, deadline=None)
@given(body=st.lists(_lines, max_size=6), removed=st.lists(st.tuples(st.integers(0, 99), _lines,
                                                                     st.sampled_from(["dateline", "byline",
                                                                                      "copyright", "site-header",
                                                                                      "boilerplate", "related"])),
                                                           max_size=6),
       url=st.one_of(st.none(), st.text(max_size=30)), title=st.one_of(st.none(), _lines),
       fetched=st.one_of(st.none(), st.text(max_size=25)))
def test_enrich_never_raises_and_is_deterministic(body, removed, url, title, fetched):
    doc = _doc(body=body, removed=removed, url=url, title=title, fetched_at=fetched,
               comments=[Comment(index=0, text="x", author=None)])
    a = orjson.dumps(enrich(doc))
    b = orjson.dumps(enrich(SegmentedDocument.from_dict(orjson.loads(orjson.dumps(doc)))))
    assert a == b
    comment_records(enrich(doc))


def test_simhash_is_the_majority_of_shingle_hash_bits():
    """The vectorised simhash against its definition, bit by bit: bit b is set when more than
    half of the 64-bit blake2b hashes of the word 3-shingles have bit b set (fewer than three
    words: one shingle of all of them)."""
    import hashlib
    import random

    from workers.core.stages.enrich.quality import simhash

    def by_definition(words):
        shingles = [" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))]
        hashes = [int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big") for s in shingles]
        bits = [2 * sum((h >> b) & 1 for h in hashes) > len(hashes) for b in range(64)]
        return f"{sum(1 << b for b in range(64) if bits[b]):016x}"

    rng = random.Random(7)
    vocab = ["river", "bridge", "Brücke", "ferry", "日本", "ó", "a", "the"]
    seen = set()
    for n in [1, 2, 3, 4, 5, 17, 300, 2000]:
        words = [rng.choice(vocab) for _ in range(n)]
        got = simhash(words)
        assert got == by_definition(words)
        seen.add(got)
    assert simhash([]) is None
    assert len(seen) > 4  # different pages, different fingerprints


def test_language_walk_counts_as_py3langid():
    """The numpy walk of the language automaton gives py3langid's own feature counts, in
    the same first-visit order (so the same scores), on the corpus's pages, on random bytes
    and on mixed scripts; it relies on the automaton being at most _DEPTH bytes deep."""
    import random

    from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

    from tests.conftest import gold_cases
    from workers.core.stages.enrich import language as L

    li = L._identifier()
    assert li.walk is not None  # the pinned py3langid takes the vector walk
    ref = LanguageIdentifier.from_model_file(MODEL_FILE)  # py3langid's own tables (li drops its lists)
    assert L._max_depth(li.walk) <= L._DEPTH
    texts = [case["input"]["content"] for case in gold_cases()]  # seed + text-dev
    rng = random.Random(11)
    alphabet = "abcxyz ÄéßøЖжλ日本語ابت\n.,!?0123456789"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400))) for _ in range(200)]
    data = [li._encode(t[i:i + 1000]) for t in texts for i in range(0, len(t), 1000)]
    data += [bytes(rng.randrange(256) for _ in range(rng.randrange(0, 300))) for _ in range(200)]
    assert len(data) > 300
    for b in data:
        want = visit_counts(ref.tk_nextmove, ref._rowbase, ref.tk_output, b)
        got = li.walk.visit_counts(b)
        assert (None if got is None else list(got.items())) == (None if want is None else list(want.items()))
    assert li.classify("Die Fähre nach Skerrin fährt heute nicht, der Wind ist zu stark.")[0] == "de"


def test_support_openings_are_the_characters_the_pattern_opens_with():
    """SUPPORT_OPENINGS (the lines support_name skips without matching) is exactly the set of
    characters _SUPPORT's words can open with under re.I, over every code point."""
    import re

    from workers.core.stages.enrich import site_name as S

    words = re.match(r"\^\(\?:(.*?)\)", S._SUPPORT.pattern).group(1).split("|")
    first = re.compile("[" + "".join(sorted({w[0] for w in words})) + "]", re.I)
    assert {chr(c) for c in range(0x110000) if first.match(chr(c))} == S.SUPPORT_OPENINGS
    assert S.support_name("ſupport SouthFront") == "SouthFront"  # ſ folds to s under re.I
    assert S.support_name("  Apoya a Diario Norte ") == "Diario Norte"
