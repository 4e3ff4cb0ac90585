"""Widget injection (workers/training/inject.py): real pages with generated widgets in generic
markup, the widget lines labelled boilerplate by construction, the article's labels kept."""
from __future__ import annotations

from dataclasses import replace

from workers.core.labeller.labels import BODY, BOILERPLATE
from workers.training import corpus as C
from workers.training import flatten as F
from workers.training import inject as INJ
from workers.training.dataset import pages_from_html

P1 = ("The harbour library reopened on Monday after two years of repairs to its roof and "
      "its reading rooms, and the first visitors queued from early morning.")
P2 = ("Staff said the new rooms hold twice as many books as before, and the children's corner "
      "now has its own entrance from the garden side of the building.")
P3 = ("The council will keep the building open on Sundays during the summer, the first time "
      "in its history, and hopes to add a small cafe next year.")
HTML = f"""<html><head><title>Library reopens</title></head><body>
<div class="top"><a href="/">Home</a></div>
<div class="main"><h1>Library reopens</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>
</body></html>"""
GOLD = {"content": f"Library reopens\n{P1}\n{P2}\n{P3}"}
OTHER = ("Ferry timetable changes from the first of May",
         "The board said the evening ferry will leave twenty minutes later from May, to match the trains.")


def _src(i: int) -> C.SourcePage:
    url = f"https://www.harbourpost.co.uk/news/library-{i}"
    return C.SourcePage(dataset="dragnet", id=f"t{i}", url=url, site="harbourpost.co.uk", page_type="article",
                        content=HTML, content_type="text/html", gold=dict(GOLD))


def _pools() -> INJ.Pools:
    other = pages_from_html(C.SourcePage(dataset="dragnet", id="o", url="https://ferry.example.org/a",
                                         site="ferry.example.org", page_type="article",
                                         content=f"<html><body><h1>{OTHER[0]}</h1><p>{OTHER[1]}</p></body></html>",
                                         content_type="text/html", gold={"content": "\n".join(OTHER)}), (F.DOM,))
    return INJ.Pools(other)


def test_widget_lines_become_boilerplate_and_the_article_keeps_its_labels():
    pools = _pools()
    for i in range(6):
        src = _src(i)
        original = pages_from_html(src, (F.DOM,))[0]
        for part in INJ.PARTITIONS:
            html, texts, kinds = INJ.inject(src, part, pools)
            assert set(kinds) <= set(INJ.SEEN_KINDS if part == "seen" else INJ.UNSEEN_KINDS)
            assert html != src.content and texts
            page = INJ.relabel(pages_from_html(replace(src, content=html), (F.DOM,))[0], original, texts)
            got = dict(zip((ln.text for ln in page.lines), page.labels))
            for p in (P1, P2, P3):
                assert got[p] == BODY
            new = [ln.text for ln in page.lines if ln.text not in {o.text for o in original.lines}]
            assert new, "the widgets add lines"
            assert all(got[t] == BOILERPLATE for t in new)
            assert len(page.lines) > len(original.lines)


def test_injection_is_deterministic_and_partitioned_by_source():
    pools = _pools()
    src = _src(1)
    assert INJ.inject(src, "seen", pools) == INJ.inject(src, "seen", _pools())
    parts = [INJ.partition_of(f"dragnet:{i}") for i in range(400)]
    chosen = [p for p in parts if p]
    assert 0.15 < len(chosen) / len(parts) < 0.35
    assert 0.15 < chosen.count("unseen") / len(chosen) < 0.45
    assert INJ.partition("inject-unseen-dragnet") == "unseen" and INJ.partition("dragnet") is None


def test_seen_and_unseen_widgets_share_no_kind_and_no_language():
    assert not set(INJ.SEEN_KINDS) & set(INJ.UNSEEN_KINDS)
    assert not set(INJ.SEEN_LANGS) & set(INJ.UNSEEN_LANGS)


def test_injected_pages_leave_the_site_folds_alone_and_stay_out_of_the_fold_models():
    import numpy as np

    from workers.training import train as T

    class _P:
        def __init__(self, site, dataset):
            self.site, self.dataset = site, dataset

    def item(site, dataset, n):
        return T.Item(_P(site, dataset), None, np.zeros(n, dtype=np.int64), None)

    real = [item(f"s{i}.org", "dragnet", 10 + 7 * i) for i in range(30)]
    injected = [item(f"s{i}.org", f"inject-{'seen' if i % 2 else 'unseen'}-dragnet", 5000) for i in range(0, 30, 3)]
    base = T.site_folds(real, 2)
    both = T.site_folds(real + injected, 2)
    assert list(both[:len(real)]) == list(base)
    for k, it in enumerate(injected):
        assert both[len(real) + k] == base[int(it.page.site[1:-4])]
    seen, unseen = injected[1], injected[0]
    assert T._trained(real[0], False, final=False) and T._trained(real[0], True, final=True)
    assert not T._trained(seen, False, final=True) and T._trained(seen, True, final=False)
    assert not T._trained(unseen, True, final=False) and T._trained(unseen, True, final=True)


def test_each_kind_of_input_has_its_own_training_pages():
    import numpy as np

    from workers.training import models as MD
    from workers.training import train as T

    class _P:
        def __init__(self, dataset, flattener):
            self.site, self.dataset, self.flattener = "s.org", dataset, flattener

    def item(dataset, flattener):
        return T.Item(_P(dataset, flattener), None, np.zeros(3, dtype=np.int64), None)

    dom, text = item("dragnet", "dom"), item("dragnet", "blocks")
    seen, unseen = item("inject-seen-dragnet", "dom"), item("inject-unseen-dragnet", "dom")
    pages = [dom, text, seen, unseen]
    rows = dict(MD.MODEL_ROWS)
    try:
        MD.MODEL_ROWS.update(text="all", html="all")
        assert MD.model_items(pages, "text", True, final=True) == [dom, text]  # never an injected page
        assert MD.model_items(pages, "html", True, final=False) == [dom, text, seen]  # unseen: final model only
        assert MD.model_items(pages, "html", True, final=True) == pages
        assert MD.model_items(pages, "html", False, final=True) == [dom, text]
        MD.MODEL_ROWS.update(text="own", html="own")
        assert MD.model_items(pages, "text", True, final=True) == [text]
        assert MD.model_items(pages, "html", True, final=True) == [dom, seen, unseen]
        assert MD.model_items(pages, None, True, final=False) == [dom, text, seen]  # one model for both kinds
    finally:
        MD.MODEL_ROWS.update(rows)


def test_every_unseen_kind_is_generated_in_plain_markup_and_labelled_boilerplate():
    import random

    from workers.training import inject_unseen as IU

    pools = _pools()
    src = _src(0)
    original = pages_from_html(src, (F.DOM,))[0]
    for kind in IU.KINDS:
        for lang in IU.LANGS:
            w, texts = INJ.widget_html(kind, lang, random.Random(f"{kind}:{lang}"), pools, src.site)
            assert texts and "widget" not in w and "sidebar" not in w, (kind, lang)
            html = src.content.replace("</p><p>", f"</p>{w}<p>", 1)  # inside the article
            page = INJ.relabel(pages_from_html(replace(src, content=html), (F.DOM,))[0], original, texts)
            got = dict(zip((ln.text for ln in page.lines), page.labels))
            assert all(got[p] == BODY for p in (P1, P2, P3)), (kind, lang)
            new = [ln.text for ln in page.lines if ln.text not in {o.text for o in original.lines}]
            assert new and all(got[t] == BOILERPLATE for t in new), (kind, lang, new)
