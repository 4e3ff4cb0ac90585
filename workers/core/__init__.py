"""The pure core: stages, heuristics, the trained labeller and the stage runner.

Nothing in here talks to Kafka or runs an event loop; the shell (``workers.shell``)
and the entry points (``workers.cli``) build on it, never the other way round.
"""
