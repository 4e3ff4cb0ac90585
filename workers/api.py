"""Winnow as a library: clean one document in-process, no Kafka, no asyncio.

    from workers import clean

    doc, comments = clean("Title\\n\\nBody text ...", content_type="text/plain",
                          url="https://example.org/a")
    doc.body, doc.metadata.language, [c.author for c in comments]

``clean`` runs the stream's own stage runner (strip, segment, enrich; the same
functions, wire bytes between stages, per-record time budget and output checks as a
worker), so its records are byte for byte what a worker publishes on
``documents.enriched`` and ``comments.enriched`` for the same input. For batch jobs
(Spark, Dask, a multiprocessing pool) keep one ``SiteTemplates`` per partition and pass
it to every call, with the pages of a site in the same partition, as ``winnow produce``
does: the strip stage then learns the lines a site repeats on every page, as in the
stream.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping, MutableMapping, NamedTuple

import orjson

from topics import COMMENTS, ENRICHED
from topics.records import CommentRecord, DeadLetter, EnrichedDocument, RawDocument
from workers.core.flow import FLOW
from workers.core.runner import StageRunner, process_values
from workers.settings import Settings, from_env, with_overrides

__all__ = ["clean", "Cleaned", "CleanError", "SiteTemplates"]


_warm: list[bool] = []


@lru_cache(maxsize=1)
def _env_settings() -> Settings:
    """The WINNOW_* settings, read from the environment once (as a worker does); an
    invalid value is a ValueError here, not the CLI's exit."""
    try:
        return from_env()
    except SystemExit as exc:
        raise ValueError(str(exc)) from None


# The stage that owns the site-template table (strip), found in the declared flow.
_TEMPLATES_STAGE = next(s.name for s in FLOW if s.state is not None and s.state.table == "site-templates")


def _runner(settings: Settings, store: MutableMapping[str, Any] | None = None) -> StageRunner:
    """A stage runner over ``FLOW``, like a worker's; the first one in a process warms the
    stages up (lazy imports and model loading, over a second cold) outside any time
    budget, as a worker does before consuming, so a first document is not dead-lettered
    as a timeout."""
    stores = {_TEMPLATES_STAGE: store} if store is not None else None
    runner = StageRunner(settings, stores=stores, dedupe_window=0)
    if not _warm:
        runner.warm_up()
        _warm.append(True)
    return runner


class Cleaned(NamedTuple):
    """What ``clean`` returns: the enriched record and its comments as their own
    records (one per comment, as on ``comments.enriched``). Unpacks as a pair."""

    document: EnrichedDocument
    comments: list[CommentRecord]


class CleanError(ValueError):
    """The input could not be cleaned: what a worker would dead-letter.

    ``reason`` is one of the dead-letter reasons (``invalid_json``, ``missing_content``,
    ``too_large``, ``timeout``, ...), ``stage`` the stage that failed, and
    ``dead_letter`` the record a worker would have written to documents.dead-letter."""

    def __init__(self, dead_letter: DeadLetter):
        super().__init__(f"{dead_letter.stage}: {dead_letter.reason}: {dead_letter.error}")
        self.reason = dead_letter.reason
        self.stage = dead_letter.stage
        self.dead_letter = dead_letter


class SiteTemplates:
    """The strip stage's memory of each site's repeated lines, kept across ``clean``
    calls. Bounded like a worker's table: at most ``max_sites`` sites (least recently
    used evicted) and ``max_lines`` line hashes per site (defaults: the settings,
    ``WINNOW_TEMPLATE_MAX_SITES`` / ``WINNOW_TEMPLATE_MAX_LINES``). ``store`` may be any
    mutable mapping (a dict by default) to persist profiles between runs. Not
    thread-safe: one per thread, process or partition."""

    def __init__(self, max_sites: int | None = None, max_lines: int | None = None, *,
                 store: MutableMapping[str, Any] | None = None, settings: Settings | None = None):
        settings = with_overrides(settings or _env_settings(), template_max_sites=max_sites,
                                  template_max_lines=max_lines)
        self.store: MutableMapping[str, Any] = store if store is not None else {}
        self._runner = _runner(settings, self.store)

    def __len__(self) -> int:
        """Number of sites held."""
        return len(self.store)


def _raw_value(raw: RawDocument | Mapping[str, Any] | str | bytes | None, fields: dict[str, Any]) -> bytes:
    given = {k: v for k, v in fields.items() if v is not None}
    if raw is None:
        if "content" not in given:
            raise TypeError("clean() needs a raw record or content=")
        return orjson.dumps(given)
    if isinstance(raw, bytes):  # a documents.raw wire value, sent as is
        if given:
            raise TypeError("clean(bytes) takes the raw record as it is; pass a dict to add fields")
        return raw
    if isinstance(raw, str):
        return orjson.dumps({**given, "content": raw})
    if isinstance(raw, RawDocument):
        return orjson.dumps({**{k: v for k, v in orjson.loads(orjson.dumps(raw)).items() if v is not None},
                             **given})
    if isinstance(raw, Mapping):
        return orjson.dumps({**raw, **given})
    raise TypeError(f"clean() takes a RawDocument, a dict, str content or bytes, not {type(raw).__name__}")


def clean(raw: RawDocument | Mapping[str, Any] | str | bytes | None = None, *,
          content: str | None = None, content_type: str | None = None, url: str | None = None,
          id: str | None = None, fetched_at: str | None = None, source: str | None = None,
          templates: SiteTemplates | None = None, settings: Settings | None = None) -> Cleaned:
    """Clean one document with the stream's stages: strip → segment → enrich.

    ``raw`` is a raw record (a ``RawDocument``, a dict in the documents.raw format, or
    its JSON bytes) or the content itself as ``str``; the keyword fields fill in or
    override the record's (``content_type`` "text/plain" or "text/html", sniffed when
    missing; ``id`` derived from url + content when missing). ``templates`` keeps the
    site-template memory across calls (none: every call starts fresh); ``settings``
    defaults to the process settings (``WINNOW_*``: size limit, per-stage time budget).

    Returns ``Cleaned(document, comments)``. Raises ``CleanError`` (a ``ValueError``)
    with the dead-letter reason when a worker would dead-letter the input, and
    ``TypeError`` for a call without content."""
    value = _raw_value(raw, {"content": content, "content_type": content_type, "url": url, "id": id,
                             "fetched_at": fetched_at, "source": source})
    runner = templates._runner if templates is not None else _runner(settings or _env_settings())
    (_, outcome), = process_values([value], runner.settings, runner)  # the stream's offline loop
    if outcome.dead_letter is not None:
        raise CleanError(outcome.dead_letter)
    docs = [EnrichedDocument.from_dict(orjson.loads(o.value)) for o in outcome.outputs if o.topic == ENRICHED.name]
    comments = [CommentRecord.from_dict(orjson.loads(o.value)) for o in outcome.outputs if o.topic == COMMENTS.name]
    return Cleaned(docs[0], comments)
