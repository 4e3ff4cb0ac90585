"""Winnow workers: pure stage functions plus thin Faust agents around them.

``from workers import clean`` is the library API (``workers/api.py``): one document
in, its enriched record and comment records out, with the stream's own stages."""
from workers.version import __version__

__all__ = ["clean", "Cleaned", "CleanError", "SiteTemplates", "__version__"]
_API = {"clean", "Cleaned", "CleanError", "SiteTemplates"}


def __getattr__(name: str):
    # Lazy, so importing any workers module (the CLI, settings) does not load the stages.
    if name in _API:
        from workers import api

        return getattr(api, name)
    raise AttributeError(f"module 'workers' has no attribute {name!r}")
