"""Winnow's line-labelling heuristics, as named data apart from the code that applies them.

* ``reasons``   — the fixed vocabulary of removal reasons.
* ``signatures`` — widget / chrome line signatures (``Signature(name, pattern, reason, why)``).
* ``thresholds`` — numeric thresholds of the content-vs-boilerplate classifier.
"""
