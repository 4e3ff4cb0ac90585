"""The pure core: stages, heuristics, the trained labeller and the stage runner.

Nothing in here talks to Kafka or runs an event loop; the shell (``workers.shell``)
and the entry points (``workers.cli``) build on it, never the other way round.
"""
from workers.core import re2_calls as _re2_calls

_re2_calls.install()  # faster str calls of google-re2's wrapper, same answers (re2_calls.py)
