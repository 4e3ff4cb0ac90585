"""The silver comment records (workers/training/silver_records.py): whether a section's headers
lead or trail their text is read from its gaps, so one mislabelled line at an end of the section
does not shift every author by one record."""
from __future__ import annotations

from topics.records import Line
from workers.core.labeller.labels import BOILERPLATE, COMMENT_CHROME, COMMENT_HEAD, COMMENT_TEXT
from workers.training.dataset import comment_records

H, T, C = COMMENT_HEAD, COMMENT_TEXT, COMMENT_CHROME


def _records(rows: list[tuple[str, str, str | None]]) -> list[dict]:
    lines = [Line(n=i, text=t) for i, (t, _lab, _a) in enumerate(rows)]
    return comment_records(lines, [r[1] for r in rows], [r[2] for r in rows])


def _section(names: list[str]) -> list[tuple[str, str, str | None]]:
    """"Name date / text / Reply" per record (a WordPress list)."""
    rows: list[tuple[str, str, str | None]] = []
    for k, name in enumerate(names):
        rows += [(f"{name} July {k + 3}, 2012 at 4:30 pm", H, name), (f"Comment number {k} by {name}.", T, None),
                 ("Reply", C, None)]
    return rows


def test_stray_text_above_a_leading_section_shifts_no_author():
    names = ["Ofelia", "Cristina Cabral", "Jeff", "Anulal"]
    # the blog's name above the article, labelled comment text, then the section's chrome
    rows = [("Paulo's Blog", T, None), ("Previous post: a walk", C, None), ("141 comments", C, None)]
    rows += _section(names)
    rows[-1:-1] = [("Anulal", H, "Anulal")]   # the last comment signed under its text
    got = _records(rows)
    assert [(r["author"], r["text"]) for r in got[1:]] == [(n, f"Comment number {k} by {n}.")
                                                           for k, n in enumerate(names)]


def test_stray_header_below_a_leading_section_shifts_no_author():
    names = ["Ofelia", "Cristina Cabral", "Jeff"]
    rows = _section(names) + [("Leave a Reply", BOILERPLATE, None), ("Website", H, None)]
    rows = [("Paulo's Blog", T, None)] + rows
    got = _records(rows)
    assert [r["author"] for r in got if r["text"].startswith("Comment")] == names


def test_trailing_section_read_from_its_gaps():
    # "text / — Name, date / Like · Reply": headers, then actions, in every gap
    rows: list[tuple[str, str, str | None]] = [("Section title", H, None)]   # a stray header at the top
    for name in ("Ana", "Bo", "Cy"):
        rows += [(f"A remark from {name}.", T, None), (f"— {name}, 3 May", H, name), ("Like · Reply", C, None)]
    got = _records(rows)
    assert [(r["author"], r["text"]) for r in got] == [(n, f"A remark from {n}.") for n in ("Ana", "Bo", "Cy")]


def test_sections_without_actions_read_from_their_ends():
    lines = [Line(n=i, text=t) for i, t in enumerate(["A says:", "hi", "B says:", "yo"])]
    assert comment_records(lines, [H, T, H, T], ["A", None, "B", None]) == [
        {"author": "A", "text": "hi"}, {"author": "B", "text": "yo"}]
    lines = [Line(n=i, text=t) for i, t in enumerate(["hi", "by A on 1 May", "yo", "by B on 2 May"])]
    assert comment_records(lines, [T, H, T, H], [None, "A", None, "B"]) == [
        {"author": "A", "text": "hi"}, {"author": "B", "text": "yo"}]


def test_one_chrome_line_in_a_gap_decides_nothing():
    # guard: "text / # posted by Name : time" with one emoticon labelled chrome above one footer
    rows: list[tuple[str, str, str | None]] = []
    for k, name in enumerate(("Joe", "Mark", "Lily", "Diego", "Ann")):
        rows += [(f"Text of {name}.", T, None)] + ([(";)", C, None)] if k == 2 else []) + [
            (f"# posted by {name} : 11:58 AM", H, name)]
    got = _records(rows)
    assert [(r["author"], r["text"]) for r in got] == [(n, f"Text of {n}.") for n in ("Joe", "Mark", "Lily", "Diego", "Ann")]


def test_reply_between_a_header_and_its_text_leads():
    # guard: "Name added 1 day ago / Reply / text" (the gaps print headers, then actions, but the
    # section opens on a header and closes on text)
    rows: list[tuple[str, str, str | None]] = []
    for name in ("QueenSashy", "drbabs", "sdebrango"):
        rows += [(f"{name} added 1 day ago", H, name), ("Reply", C, None), (f"Thanks from {name}.", T, None)]
    got = _records(rows)
    assert [(r["author"], r["text"]) for r in got] == [(n, f"Thanks from {n}.") for n in ("QueenSashy", "drbabs", "sdebrango")]


def test_cached_pages_get_the_records_of_this_code(tmp_path, monkeypatch):
    """The records are not read from the training-data cache (built by older code): the load
    computes them again."""
    import pickle

    from workers.training import dataset as D
    from workers.training.pages import TrainPage

    rows = [("Paulo's Blog", T, None), ("141 comments", C, None)] + _section(["Ofelia", "Jeff", "Anulal"])
    rows[-1:-1] = [("Anulal", H, "Anulal")]
    lines = [Line(n=i, text=t) for i, (t, _lab, _a) in enumerate(rows)]
    stale = [{"author": "Ofelia", "text": "Paulo's Blog"}]
    page = TrainPage(page_id="dragnet:1:dom", site="s", dataset="dragnet", page_type="article", flattener="dom",
                     content_type="text/html", url=None, lines=lines, dom=None, labels=[r[1] for r in rows],
                     authors=[r[2] for r in rows], gold={"comments_silver": True, "comments": stale})
    monkeypatch.setattr(D, "missing_inputs", lambda *a, **k: [])
    monkeypatch.setattr(D, "cache_key", lambda *a, **k: "k")
    (tmp_path / "training-data").mkdir()
    (tmp_path / "training-data" / "k.pkl").write_bytes(pickle.dumps([page]))
    got = D.build_dataset(tmp_path, cache=tmp_path, datasets=("dragnet",))
    assert [c["author"] for c in got[0].gold["comments"]] == [None, "Ofelia", "Jeff", "Anulal"]
