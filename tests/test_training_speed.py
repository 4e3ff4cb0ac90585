"""make train's parallel and shared work gives what the serial, one-at-a-time work gives."""
from __future__ import annotations

import numpy as np

from workers.core.labeller.decode import decode, decode_path, keep_confident_boilerplate, transition_matrix
from workers.core.labeller.labels import BODY, BOILERPLATE, COMMENT_HEAD, COMMENT_TEXT, LABEL_ID, LABELS, TITLE
from workers.training import decoders as D
from workers.training import page_kind_train as PK
from workers.training import pseudo as PS
from workers.training.dataset import pages_from_html
from workers.training.pages import TrainPage
from topics.records import Line

from tests.test_training_data import _src

TEXTS = ["Harbour Post", "Library reopens", "The library reopened on Monday after two years of work on the roof.",
         "Mara Quist", "Finally! We waited so long for this.", "Reply", "Copyright Harbour Post"]
GOLD_LABELS = [BOILERPLATE, TITLE, BODY, COMMENT_HEAD, COMMENT_TEXT, BOILERPLATE, BOILERPLATE]


def _page(pid: str, dataset: str = "dragnet") -> TrainPage:
    lines = [Line(i, t, i == 3, None, None) for i, t in enumerate(TEXTS)]
    return TrainPage(page_id=pid, site="harbourpost.co.uk", dataset=dataset, page_type="article", flattener="blocks",
                     content_type="text/plain", url="https://harbourpost.co.uk/a", lines=lines, dom=None,
                     labels=list(GOLD_LABELS), authors=[None, None, None, "Mara Quist", None, None, None],
                     gold={"content": "Library reopens\n" + TEXTS[2], "comments_text": TEXTS[4],
                           "comments_silver": True, "comments": []})


def test_flatteners_with_the_same_texts_are_labelled_as_when_labelled_alone():
    together = pages_from_html(_src())
    assert {p.flattener for p in together} >= {"blocks", "blocks-tight"}
    for p in together:
        alone = pages_from_html(_src(), flatteners=(p.flattener,))[0]
        assert (p.lines, p.labels, p.authors, p.gold) == (alone.lines, alone.labels, alone.authors, alone.gold)
    tight = {p.flattener: p for p in together}
    assert tight["blocks"].labels is not tight["blocks-tight"].labels  # each page its own lists


def test_pseudo_pages_mapped_in_worker_processes_are_the_serial_ones(monkeypatch):
    pages = [_page(f"dragnet:{k}:{f}") for k in range(120) for f in ("dom", "blocks")]
    monkeypatch.setattr(PS, "POOL_MIN_PAGES", 0)
    serial = PS.make_pages(pages, workers=1)
    assert len(serial) > 20
    assert PS.make_pages(pages, workers=2) == serial


def test_decoders_that_differ_in_the_floor_alone_share_a_path_and_score_as_apart():
    rng = np.random.default_rng(3)

    class It:
        def __init__(self, page):
            self.page = page
            self.ev = type("Ev", (), {"reasons": [None] * len(page.lines)})()
    items = [It(_page(f"dragnet:{k}:blocks")) for k in range(6)]
    log_t, prior = transition_matrix([np.array([LABEL_ID[lb] for lb in GOLD_LABELS])])
    meta = {"transitions": log_t.tolist(), "prior": prior.tolist()}
    oof = [rng.dirichlet(np.ones(len(LABELS)) * 0.5, size=len(TEXTS)) for _ in items]
    decs = [{"transition_weight": 0.3, "prior_weight": 0.3, "boilerplate_floor": f} for f in (None, 0.3, 0.6)]
    for i in range(len(items)):  # the path before the floor, then the floor: decode's labels
        for dec in decs:
            proba, ids = decode(oof[i], log_t, np.log(prior), dec)
            p2, path = decode_path(oof[i], log_t, np.log(prior), dec)
            assert np.array_equal(ids, keep_confident_boilerplate(path, p2, dec["boilerplate_floor"]))
    D._TRIAL.update(items=items, oof=oof, fold_meta=[meta] * len(items), memo={})
    try:
        idx = list(range(len(items)))
        together = D._decoded_scores_many(idx, decs, None)
        apart = []
        for dec in decs:
            D._TRIAL["memo"] = {}
            apart.append(D._decoded_scores(idx, dec, None))
        direct = [D.score(items, lambda it: D.decode_labels(oof[items.index(it)], meta, dec,
                                                             [ln.text for ln in it.page.lines])) for dec in decs]
    finally:
        D._TRIAL.clear()
    assert together == apart == direct


def test_page_kind_pass_parts_keep_each_site_whole_and_in_page_order():
    sites = ["a", "b", "a", "c", "b", "a", "d"]
    parts = PK._site_parts(sites, 2, min_pages=0)
    assert sorted(i for p in parts for i in p) == list(range(len(sites)))
    for p in parts:
        assert p == sorted(p)
        for s in {sites[i] for i in p}:
            assert all(i in p for i, t in enumerate(sites) if t == s)
    assert PK._site_parts(sites, 2) == [list(range(len(sites)))]  # few pages: one process
    assert PK._site_parts(sites, 1, min_pages=0) == [list(range(len(sites)))]


def test_page_kind_pass_in_site_parts_gives_the_serial_documents():
    html = "<html><head><title>{t}</title></head><body><nav>Home News Sport</nav><h1>{t}</h1><p>{b}</p></body></html>"
    pages = [{"id": f"p{k}", "url": f"https://{s}/a{k}", "html": html.format(t=f"Title {k} of the day",
              b=f"Story {k}: the council met on Monday and agreed the plan for the harbour wall. " * 3)}
             for k, s in enumerate(["x.org", "y.org", "x.org", "x.org", "y.org", "z.org"])]
    serial = PK._segment_part(list(range(len(pages))), pages)
    parts = PK._site_parts([PK_site(p) for p in pages], 2, min_pages=0)
    assert len(parts) == 2
    got = {i: v for part in parts for i, v in zip(part, PK._segment_part(part, pages))}
    assert [got[i] for i in range(len(pages))] == serial
    assert all(v is not None for v in serial)


def PK_site(p: dict) -> str:
    from workers.core.stages.ingest import site_key
    return site_key(p["url"], None)


def test_the_cache_is_written_by_a_process_of_its_own_and_waited_for(tmp_path):
    import pickle
    from workers.training import dataset as DS
    (tmp_path / "old.pkl").write_bytes(b"x")
    DS._store(tmp_path / "new.pkl", [1, "two", {"three": 3}])
    DS.wait_for_cache()
    assert not DS._WRITERS and sorted(p.name for p in tmp_path.iterdir()) == ["new.pkl"]
    assert pickle.loads((tmp_path / "new.pkl").read_bytes()) == [1, "two", {"three": 3}]


def test_gc_is_paused_in_the_phase_and_back_in_its_workers_and_after():
    import gc
    import multiprocessing as mp
    from workers.training.dataset import gc_paused
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with mp.get_context("fork").Pool(1) as pool:
            assert pool.apply(gc.isenabled) is True
    assert gc.isenabled()
