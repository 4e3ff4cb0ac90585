"""Winnow workers: pure stage functions plus thin Faust agents around them."""
__version__ = "0.1.0"
