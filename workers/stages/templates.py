"""Site-template learning: counts of normalised line hashes per site, bounded.

PLACEHOLDER, to be replaced: learns nothing.
"""
from __future__ import annotations

from typing import Any

from topics.records import StrippedDocument


def learn(profile: dict[str, Any] | None, doc: StrippedDocument, max_lines: int) -> dict[str, Any]:
    return profile or {"docs": 0, "lines": {}}
