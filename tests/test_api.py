"""The library API, ``from workers import clean``: the same records, byte for byte, as
the stream's offline mode (which a Kafka test holds equal to the worker path), with
and without site templates kept across calls; bad input raises the dead-letter reason."""
from __future__ import annotations

import orjson
import pytest

from tests.conftest import gold_cases
from topics.records import CommentRecord, EnrichedDocument, RawDocument
from workers.core.runner import StageRunner, process_values
from workers.settings import Settings


def _offline(values: list[bytes]) -> list[tuple[bytes, list[bytes]]]:
    """(enriched value, comment values) per input, from the offline stream mode with one
    runner (site templates shared across the inputs, as in one worker)."""
    runner = StageRunner(Settings(), dedupe_window=0)
    runner.warm_up()
    out = []
    for stage, outcome in process_values(values, Settings(), runner):
        assert stage == "enrich" and outcome.dead_letter is None
        out.append((outcome.outputs[0].value, [o.value for o in outcome.outputs[1:]]))
    return out


def test_import_from_the_package():
    import workers
    from workers import CleanError, Cleaned, SiteTemplates, clean

    assert clean is workers.api.clean and issubclass(CleanError, ValueError)
    assert Cleaned._fields == ("document", "comments") and SiteTemplates is workers.api.SiteTemplates
    with pytest.raises(AttributeError):
        workers.no_such_name  # noqa: B018


def test_clean_gives_the_stream_records_byte_for_byte():
    from workers import clean

    cases = gold_cases()
    for case in cases:
        value = orjson.dumps(case["input"])
        (want_doc, want_comments), = _offline([value])
        doc, comments = clean(case["input"])
        assert isinstance(doc, EnrichedDocument) and all(isinstance(c, CommentRecord) for c in comments)
        assert orjson.dumps(doc) == want_doc, case["input"]["id"]
        assert [orjson.dumps(c) for c in comments] == want_comments
    seed = cases[0]["expected"]
    doc, comments = clean(cases[0]["input"])
    assert doc.title == seed["title"]
    assert [c.author for c in comments] == [c["author"] for c in seed["comments"]]


def test_every_input_form_gives_the_same_record():
    from workers import clean

    inp = gold_cases()[1]["input"]
    forms = [
        clean(inp),
        clean(orjson.dumps(inp)),
        clean(RawDocument(**inp)),
        clean(inp["content"], content_type=inp["content_type"], url=inp["url"], id=inp["id"],
              fetched_at=inp["fetched_at"]),
        clean(content=inp["content"], content_type=inp["content_type"], url=inp["url"], id=inp["id"],
              fetched_at=inp["fetched_at"]),
    ]
    first = orjson.dumps(forms[0].document)
    assert all(orjson.dumps(f.document) == first for f in forms[1:])
    # keyword fields override the record's
    assert clean(inp, id="other").document.id == "other"


def test_site_templates_across_calls_match_one_worker():
    """Pages of one site, in order: with a SiteTemplates the strip stage learns the
    site's repeated lines exactly as one worker (one runner) does; without, every call
    starts fresh."""
    from workers import SiteTemplates, clean

    site = "https://templates.example/"
    # the last chrome line matches no signature: only the site's repeats explain it
    chrome = ["Home | News | Sport | Weather", "Subscribe to our newsletter", "© 2024 Example Media",
              "Valley papers since 1921"]
    pages = []
    for i in range(6):
        body = [f"Article {i}: a headline about item {i}", "",
                f"Paragraph one of story {i} has several ordinary words in it, told plainly.", "",
                f"Paragraph two of story {i} continues with a different set of words, {i * 7} of them."]
        pages.append({"id": f"p{i}", "url": f"{site}{i}", "content_type": "text/plain",
                      "content": "\n".join([*chrome, "", *body, "", *chrome])})
    values = [orjson.dumps(p) for p in pages]
    want = _offline(values)
    templates = SiteTemplates()
    got = [clean(p, templates=templates) for p in pages]
    assert [orjson.dumps(g.document) for g in got] == [w[0] for w in want]
    assert len(templates) == 1
    fresh = [orjson.dumps(clean(p).document) for p in pages]
    want_fresh = [_offline([v])[0][0] for v in values]
    assert fresh == want_fresh
    # and the memory made a difference: later pages lose lines only the site's repeats show
    learned = [r.reason for r in got[-1].document.removed]
    assert "site-template" in learned and "site-template" not in [r.reason for r in clean(pages[-1]).document.removed]


def test_site_templates_are_bounded():
    from workers import SiteTemplates, clean

    templates = SiteTemplates(max_sites=2)
    for i in range(4):
        clean(f"Title {i}\n\nSome body text for site number {i}, long enough to be kept.",
              url=f"https://site{i}.example/a", templates=templates)
    assert len(templates) == 2


@pytest.mark.parametrize("raw,reason", [
    (b"not json", "invalid_json"),
    ({"id": "x"}, "missing_content"),
    ({"content": "   "}, "empty_document"),
    ({"content": "a", "content_type": "application/pdf"}, "unsupported_content_type"),
])
def test_bad_input_raises_the_dead_letter_reason(raw, reason):
    from workers import CleanError, clean

    with pytest.raises(CleanError) as err:
        clean(raw)
    assert err.value.reason == reason and err.value.stage == "strip"
    assert err.value.dead_letter.reason == reason


def test_too_large_uses_the_given_settings():
    from workers import CleanError, clean

    with pytest.raises(CleanError, match="too_large"):
        clean("x" * 2000, settings=Settings(max_document_bytes=1000))


def test_misuse_is_a_type_error():
    from workers import clean

    with pytest.raises(TypeError):
        clean()
    with pytest.raises(TypeError):
        clean(b'{"content": "a"}', url="https://x.example/")
    with pytest.raises(TypeError):
        clean(42)
