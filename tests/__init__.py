"""Winnow's tests (a package, so `pytest` and `python -m pytest` both import shared helpers as `tests.*`)."""
