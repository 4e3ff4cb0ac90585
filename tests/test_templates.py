"""Site-template learning: bounded, idempotent, digit-normalised, and used by strip."""
from __future__ import annotations

import orjson

from topics.records import RawDocument
from workers.core.stages.strip import strip
from workers.core.stages.templates import learn, learnable_keys, template_key

HEADER = ["Hilltop Echo", "Support Hilltop Echo", "Raised this month: 1,140 $", "Tip line open every weekday"]


TOPICS = ["ferries", "orchards", "bridges", "libraries", "markets"]


def _page(i: int, commenter: str = "Hollis Grady", raised: str = "1,140 $"):
    t = TOPICS[i % len(TOPICS)]
    body = [f"Council reviews the future of {t} in the valley",
            f"This is the body of the story about {t}, a sentence long enough to count as real prose here.",
            f"A second paragraph about {t} keeps going with more words so that it is plainly article text."]
    comments = ["Notify of", "View all comments", "", commenter, "",
                f"A reader comment on the {t} story, with enough words to be a sentence.", "",
                "Would love your thoughts, please comment.x"]
    head = [HEADER[0], HEADER[1], f"Raised this month: {raised}", HEADER[3]]
    text = "\n".join(head + [""] + body + [""] + comments)
    return RawDocument(content=text, id=f"doc{i}", url=f"https://hilltop.example/news/story-{i}", content_type="text/plain")


def test_learn_counts_pages_and_normalises_digits():
    prof = None
    for i, raised in enumerate(["1,140 $", "2,385 $"]):
        doc = strip(_page(i, raised=raised), prof)
        prof = learn(prof, doc, 400)
    assert prof["docs"] == 2
    key = template_key("Raised this month: 9,999 $")
    assert prof["lines"][key][0] == 2          # digits normalised: same line on both pages
    orjson.dumps(prof)                          # JSON-serialisable
    assert all(isinstance(k, str) for k in prof["lines"])


def test_learn_is_idempotent_per_document_id():
    doc = strip(_page(1), None)
    p1 = learn(None, doc, 400)
    p2 = learn(p1, doc, 400)
    assert p2 == p1
    assert p2["docs"] == 1


def test_learn_does_not_modify_its_input_and_is_bounded():
    doc = strip(_page(1), None)
    p1 = learn(None, doc, 400)
    snapshot = orjson.dumps(p1)
    p2 = learn(p1, strip(_page(2), p1), 5)
    assert orjson.dumps(p1) == snapshot
    assert len(p2["lines"]) == 5
    # the lines seen twice survive the eviction before the singletons
    assert all(v[0] == 2 for v in p2["lines"].values())


def test_unknown_site_learns_nothing():
    raw = RawDocument(content="Hello there\nSome text line", id="u", url=None, content_type="text/plain")
    doc = strip(raw, None)
    assert doc.site == "unknown"
    assert learn(None, doc, 400)["docs"] == 0


def test_comment_authors_and_comment_text_are_not_learned():
    doc = strip(_page(1), None)
    keys = learnable_keys(doc)
    assert template_key("Hollis Grady") not in keys
    assert template_key("Hilltop Echo") in keys


def test_template_lines_are_flagged_after_enough_pages_but_not_commenters():
    prof = None
    docs = []
    for i in range(4):
        doc = strip(_page(i), prof)
        docs.append(doc)
        prof = learn(prof, doc, 400)
    last = {ln.text: ln for ln in docs[-1].lines}
    first = {ln.text: ln for ln in docs[0].lines}
    assert first["Tip line open every weekday"].reason != "site-template"     # no history on page 1
    assert last["Tip line open every weekday"].reason == "site-template"
    assert last["Hollis Grady"].reason is None and last["Hollis Grady"].hint == "comment-author"
    assert last["Council reviews the future of libraries in the valley"].hint == "title"


def test_lines_digest_as_line_by_line():
    # the joined encoding hashes the same bytes as each line's UTF-8 and a newline in turn
    import hashlib

    from topics.records import Line
    from workers.core.stages.templates import lines_digest

    def by_line(lines):
        h = hashlib.blake2b(digest_size=8)
        for ln in lines:
            h.update(ln.text.encode("utf-8", "surrogatepass"))
            h.update(b"\n")
        return h.hexdigest()

    for texts in ([], [""], ["a"], ["", ""], ["Hilltop Echo", "", "ünïcode ✓ 日本"], ["\ud800", "x\udfff", "\U0001f600"]):
        lines = [Line(n=i, text=t) for i, t in enumerate(texts)]
        assert lines_digest(lines) == by_line(lines), texts
    assert lines_digest([Line(n=0, text="ab")]) != lines_digest([Line(n=0, text="a"), Line(n=1, text="b")])
