"""The ``Signature`` record of the rule labeller's line signatures, and the alternation helper
the signature modules share (``signatures.py`` says what each field means)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Signature:
    name: str
    pattern: str
    reason: str
    why: str
    scope: str = "any"        # "any" | "comments" | "page"
    role: str | None = None   # None | "start" | "end" | "heading" | "boundary" | "empty"
    weak: bool = False        # a generic word that is content inside the article body span
    max_words: int = 0        # the line must have at most this many words (0: no limit)


def alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"
