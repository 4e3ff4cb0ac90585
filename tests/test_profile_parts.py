"""bench/profile_parts.py wraps the path's steps where their callers look them up: every step
it names exists (a renamed or moved step fails here, not silently in the profile), the
wrapped path gives the same records, and removing the timers restores every step.
No timing assertions."""
from __future__ import annotations

import importlib

from bench.profile_parts import PARTS, Timers


def _owner(module: str, attr: str):
    owner = importlib.import_module(module)
    *path, name = attr.split(".")
    for p in path:
        owner = getattr(owner, p)
    return owner, name


def test_every_part_is_wrapped_and_restored():
    before = {(m, a): getattr(*_owner(m, a)) for _d, _l, m, a in PARTS}
    timers = Timers()
    timers.install()
    try:
        for _d, label, m, a in PARTS:
            assert getattr(*_owner(m, a)) is not before[(m, a)], label
    finally:
        timers.remove()
    for _d, _l, m, a in PARTS:
        assert getattr(*_owner(m, a)) is before[(m, a)]


def test_wrapped_path_gives_the_same_records_and_times_the_html_steps():
    import orjson

    from workers.core.runner import StageRunner, process_values
    from workers.settings import from_env

    html = ("<html><head><title>A page</title></head><body><nav><a href='/'>Home</a></nav><article>"
            "<h1>A page</h1><p>" + "Some words of the article body here. " * 20 + "</p></article>"
            "<footer>Copyright 2026</footer></body></html>")
    values = [orjson.dumps({"id": "p1", "url": "https://example.org/a", "content": html, "content_type": "text/html"})]
    settings = from_env()

    def outputs():
        runner = StageRunner(settings, dedupe_window=0)
        return [[o.value for o in out.outputs] for _s, out in process_values(values, settings, runner)]

    plain = outputs()
    timers = Timers()
    timers.install()
    try:
        timed = outputs()
    finally:
        timers.remove()
    assert timed == plain
    for label in ("html_page", "DOM walk (native_walk.walk)", "trees (Labeller.predict)", "enrich: run"):
        assert timers.spent[label] > 0, label
