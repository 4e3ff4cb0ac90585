"""The enrich stage's simhash computed by the compiled ``_simhash`` extension.

``quality.simhash_python`` hashes each word 3-shingle with hashlib's BLAKE2b (8-byte digest)
and counts the hash bits with numpy; it stays the reference. ``_simhash.c`` computes the same
value: its own BLAKE2b (written from RFC 7693) over the same UTF-8 bytes, the same majority
per bit (tests/test_native_simhash.py).

``make install`` builds the extension (setuptools ``ext-modules`` in pyproject.toml, optional:
an install without a C compiler still succeeds and the Python path serves, after one warning
at import); ``AVAILABLE`` says whether it was built.
"""
from __future__ import annotations

import logging

from workers.core.native import optional_module

log = logging.getLogger(__name__)

# not built (no compiler at install time): quality.py's Python path serves
_simhash = optional_module("workers.core.stages.enrich._simhash", log,
                           "enrich: the compiled simhash (_simhash) is not built; Python computes it "
                           "(same value, slower; make install builds it)")

AVAILABLE = _simhash is not None


def simhash(words: list[str]) -> str:
    """``quality.simhash_python(words)`` for a non-empty list of words: 16 hex digits."""
    return f"{_simhash.simhash(words):016x}"


def blake2b_8(data: bytes) -> bytes:
    """``hashlib.blake2b(data, digest_size=8).digest()`` by the extension's own BLAKE2b."""
    return _simhash.blake2b_8(data)
